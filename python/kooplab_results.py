"""Read a kooplab results folder from Python: numpy and the standard library.

    import kooplab_results as kr
    runs = kr.load("results/quickstart")    # one Run per run, in run order
    runs[0].params, runs[0].metrics         # {"estimator.rank": 2}, {"rank": 2.0, ...}
    runs[0].array("eigenvalues")            # numpy array, read from runs/<hash>/eigenvalues.npy
    model = kr.model(runs[0])               # eigenvalues, modes, amplitudes, ... of the saved model
    frame = kr.dataframe(runs)              # a pandas DataFrame when pandas is installed

A run's record is runs/<hash>/record.json; results.jsonl holds the same
records one per line, and this module reads that file. Parameter values are
stored as the config's text and are turned into int or float where they read
as one.
"""

import dataclasses
import json
import os

import numpy

__all__ = ["Run", "Model", "load", "model", "records", "dataframe"]

# The arrays of a Koopman model that applications save (spectrum saves them all).
MODEL_ARRAYS = ("eigenvalues", "continuous_eigenvalues", "modes", "amplitudes", "residuals", "koopman_matrix")


def _value(text):
    """A swept value as the config wrote it: int, float, or the text itself."""
    for kind in (int, float):
        try:
            return kind(text)
        except (TypeError, ValueError):
            pass
    return text


@dataclasses.dataclass
class Run:
    """One run of a results folder: its record and where its arrays are."""

    folder: str  # runs/<hash>
    run: str  # the hash
    index: int
    params: dict
    seed: int
    status: str  # "ok" or "failed"
    error: str
    seconds: float
    metrics: dict
    array_names: list  # without ".npy"

    @property
    def ok(self):
        return self.status == "ok"

    def array(self, name):
        """The array `name` (eigenvalues, modes, ...) as numpy.load reads it."""
        if name not in self.array_names:
            raise KeyError(f"run {self.run} has no array '{name}'; it has {', '.join(self.array_names) or 'none'}")
        return numpy.load(os.path.join(self.folder, name + ".npy"))

    def arrays(self):
        return {name: self.array(name) for name in self.array_names}


@dataclasses.dataclass
class Model:
    """A saved Koopman model: the arrays present among MODEL_ARRAYS (others None)."""

    eigenvalues: numpy.ndarray = None
    continuous_eigenvalues: numpy.ndarray = None
    modes: numpy.ndarray = None  # n × r, column i belongs to eigenvalues[i]
    amplitudes: numpy.ndarray = None
    residuals: numpy.ndarray = None
    koopman_matrix: numpy.ndarray = None


def _run(folder, record):
    return Run(
        folder=os.path.join(folder, "runs", record["run"]),
        run=record["run"],
        index=int(record["index"]),
        params={key: _value(text) for key, text in record.get("params", {}).items()},
        seed=int(record["seed"]),
        status=record["status"],
        error=record.get("error", ""),
        seconds=float(record.get("seconds", float("nan"))),
        metrics=dict(record.get("metrics", {})),
        array_names=[name[: -len(".npy")] for name in record.get("arrays", [])],
    )


def load(folder):
    """The runs of a results folder (the --out of `kooplab run`), by index."""
    path = os.path.join(folder, "results.jsonl")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path}: no results.jsonl (is {folder} a kooplab results folder?)")
    runs = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                runs.append(_run(folder, json.loads(line)))
            except (ValueError, KeyError) as error:
                raise ValueError(f"{path}:{number}: not a kooplab record ({error})") from None
    return sorted(runs, key=lambda run: run.index)


def model(run):
    """The Koopman model a run saved (the arrays of MODEL_ARRAYS it has)."""
    present = [name for name in MODEL_ARRAYS if name in run.array_names]
    if "eigenvalues" not in present:
        raise KeyError(f"run {run.run} saved no eigenvalues; its arrays: {', '.join(run.array_names) or 'none'}")
    return Model(**{name: run.array(name) for name in present})


def records(runs):
    """One flat dict per run: run, index, seed, status, error, seconds, the params, the metrics."""
    rows = []
    for run in runs:
        row = {"run": run.run, "index": run.index, "seed": run.seed, "status": run.status, "error": run.error,
               "seconds": run.seconds}
        row.update(run.params)
        row.update(run.metrics)
        rows.append(row)
    return rows


def dataframe(runs):
    """records(runs) as a pandas DataFrame; ImportError when pandas is missing."""
    import pandas  # optional: only this function needs it

    return pandas.DataFrame.from_records(records(runs))
