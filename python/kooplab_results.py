"""Read a kooplab results folder from Python: numpy and the standard library.

    import kooplab_results as kr
    runs = kr.load("results/quickstart")    # one Run per run, in run order
    runs[0].params, runs[0].metrics         # {"estimator.rank": 2}, {"rank": 2.0, ...}
    runs[0].array("eigenvalues")            # numpy array, read from runs/<hash>/eigenvalues.npy
    model = kr.model(runs[0])               # eigenvalues, modes, amplitudes, ... of the saved arrays
    saved = kr.load_model(runs[0])          # the whole model of `spectrum` with save_model: true
    saved.predict(x0, steps)                # n × (steps + 1), as kooplab predicts
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

__all__ = ["Run", "Model", "SavedModel", "load", "model", "load_model", "records", "dataframe"]

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


# The saved-model format this module reads (kooplab/koopman/saved_model.hpp).
MODEL_FORMAT = "kooplab.koopman_model"
MODEL_VERSION = 1


def _kernel(settings, centres, states):
    """k(Z, X), p × m, as kooplab/koopman/kernel.hpp defines it."""
    scale = settings["length_scale"] ** 2
    inner = centres.T @ states / scale
    if settings["type"] == "polynomial":
        return (settings["offset"] + inner) ** settings["degree"]
    squared = numpy.sum(centres ** 2, axis=0)[:, None] / scale + numpy.sum(states ** 2, axis=0)[None, :] / scale
    squared = numpy.maximum(squared - 2.0 * inner, 0.0)
    return numpy.exp(-0.5 * squared) if settings["type"] == "gaussian" else numpy.exp(-numpy.sqrt(squared))


def _eigenfunctions(node, prefix, read):
    """φ: states (n × m) -> r × m for one map of the header's tree."""
    inner = lambda: _eigenfunctions(node["inner"], prefix + ".inner", read)  # noqa: E731
    kind = node["type"]
    if kind == "projected":
        basis, coefficients = read(prefix + ".basis"), read(prefix + ".coefficients")
        return lambda states: coefficients @ (basis.T @ states)
    if kind == "kernel":
        centres, coefficients = read(prefix + ".centres"), read(prefix + ".coefficients")
        return lambda states: coefficients.T @ _kernel(node["kernel"], centres, states)
    if kind == "reordered":
        windows, order = inner(), numpy.asarray(node["order"])
        return lambda states: windows(states)[order]
    if kind == "delay":
        windows, n, d = inner(), node["state_dim"], node["delays"]

        def delay(states):
            if states.shape[0] == n * d:
                return windows(states)
            # Each state stands for the window ending at it; a missing past repeats the first state.
            past = [states[:, numpy.maximum(numpy.arange(states.shape[1]) - lag, 0)] for lag in range(d - 1, -1, -1)]
            return windows(numpy.vstack(past))

        return delay
    raise ValueError(f"unknown eigenfunction type '{kind}'")


@dataclasses.dataclass
class SavedModel:
    """A Koopman model saved by kooplab (spectrum's save_model: true)."""

    header: dict  # model.json: format, version, estimator config, dt, diagnostics, eigenfunctions
    eigenvalues: numpy.ndarray  # (r,) discrete time
    modes: numpy.ndarray  # n × r
    amplitudes: numpy.ndarray  # (r,)
    residuals: numpy.ndarray  # (r,), or (0,)
    koopman_matrix: numpy.ndarray
    eigenfunctions: object  # φ(states n × m) -> r × m, or None when the format does not store them

    def predict(self, x0, steps):
        """x_k = Re Σ_i modes_i λ_i^k φ_i(x0) for k = 0..steps, n × (steps + 1); x0 a state or a delay window."""
        if self.eigenfunctions is None:
            raise ValueError(f"the model's eigenfunctions were not saved: {self.header.get('eigenfunctions_missing')}")
        phi = self.eigenfunctions(numpy.asarray(x0, dtype=float).reshape(-1, 1))[:, 0]
        powers = self.eigenvalues[:, None] ** numpy.arange(steps + 1)[None, :]
        return numpy.real(self.modes @ (powers * phi[:, None]))


def load_model(where):
    """The saved model of a Run (its model/ folder) or of a model folder."""
    folder = os.path.join(where.folder, "model") if isinstance(where, Run) else where
    path = os.path.join(folder, "model.json")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path}: no saved model (run spectrum with save_model: true)")
    with open(path, encoding="utf-8") as text:
        header = json.load(text)
    if header.get("format") != MODEL_FORMAT or header.get("version") != MODEL_VERSION:
        raise ValueError(f"{path}: format {header.get('format')!r} version {header.get('version')!r}; "
                         f"this module reads {MODEL_FORMAT!r} version {MODEL_VERSION}")
    read = lambda name: numpy.load(os.path.join(folder, name + ".npy"))  # noqa: E731
    node = header["eigenfunctions"]
    return SavedModel(header=header, eigenvalues=read("eigenvalues"), modes=read("modes"),
                      amplitudes=read("amplitudes"), residuals=read("residuals"),
                      koopman_matrix=read("koopman_matrix"),
                      eigenfunctions=None if node is None else _eigenfunctions(node, "eigenfunctions", read))


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
