#!/usr/bin/env python3
"""Prints the tables of README.md from a results folder of koopman_training runs.

Usage: tables.py RESULTS_DIR KEY [KEY ...]
Rows are the values of the swept KEYs (e.g. application.optimizer.name); the
columns are the paper's (success, median T_eq/T, median speedup) with the
spread over the seeds, and the Fig. 2e statistic: over the ten networks with
the smallest mean |w_koopman - w_optimizer|, the median |error| over the
median |true evolution| of all their parameters pooled (HNN_master_example.m
in the authors' code; the paper's 0.0044 for Adadelta).
"""
import json
import statistics
import struct
import sys
from pathlib import Path


def read_npy(path):
    """The float64 values of a .npy file that kooplab wrote, in storage order."""
    data = path.read_bytes()
    header_length = struct.unpack("<H", data[8:10])[0]
    header = data[10:10 + header_length].decode("latin1")
    if "'<f8'" not in header:
        raise ValueError(f"{path}: not float64")
    body = data[10 + header_length:]
    return struct.unpack(f"<{len(body) // 8}d", body)


def quartiles(values):
    if len(values) < 2:
        return (values[0], values[0]) if values else (None, None)
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[2]


def fmt(value, digits=3):
    return "—" if value is None else f"{value:.{digits}g}"


def censored_ratios(results, runs):
    """T_eq/T and the speedup of every run that did not diverge. When the
    optimizer never reached the Koopman loss within its compare_steps, T_eq is
    only known to exceed them: the run counts with T_eq = compare_steps, a
    lower bound, and is counted apart."""
    ratios, speedups, censored = [], [], 0
    for run in runs:
        m = run["metrics"]
        if "equivalent_ratio" in m:
            ratios.append(m["equivalent_ratio"])
            speedups.append(m.get("speedup", 0.0))
            continue
        if m.get("koopman_diverged", 0.0) == 1.0 or m.get("success", 0.0) == 0.0:
            continue
        folder = results / "runs" / run["run"]
        compare = len(read_npy(folder / "optimizer_loss.npy")) - 1
        horizon = len(read_npy(folder / "koopman_loss.npy")) - 1
        ratios.append(compare / horizon)
        speedups.append(compare * m["optimizer_step_seconds"] / (horizon * m["koopman_step_seconds"]))
        censored += 1
    return ratios, speedups, censored


def figure_2e(results, runs, top=10):
    scored = []
    for run in runs:
        folder = results / "runs" / run["run"]
        if not (folder / "parameter_error.npy").exists():
            continue
        error = [abs(v) for v in read_npy(folder / "parameter_error.npy")]
        evolution = [abs(v) for v in read_npy(folder / "parameter_evolution.npy")]
        scored.append((statistics.fmean(error), error, evolution))
    scored.sort(key=lambda entry: entry[0])
    chosen = scored[:top]
    if not chosen:
        return None, 0
    error = [v for entry in chosen for v in entry[1]]
    evolution = [v for entry in chosen for v in entry[2]]
    return statistics.median(error) / statistics.median(evolution), len(chosen)


def main():
    results = Path(sys.argv[1])
    keys = sys.argv[2:]
    # The runs' own records: a sweep stopped part way has them without results.jsonl.
    records = sorted((json.loads(f.read_text()) for f in (results / "runs").glob("*/record.json")),
                     key=lambda record: record["index"])
    groups = {}
    for record in records:
        groups.setdefault(tuple(str(record["params"].get(k)) for k in keys), []).append(record)
    print("| " + " | ".join(keys) + " | runs | failed | success | T_eq/T mean ± std | median T_eq/T [q1, q3] | median speedup [q1, q3] "
          "| speedup with fit | median error/evolution | Fig. 2e (10 best) | optimizer step µs [q1, q3] "
          "| Koopman step µs [q1, q3] | max ρ(Ũ) median |")
    print("|" + "---|" * (len(keys) + 13))
    for point, runs in groups.items():
        ok = [r for r in runs if r["status"] == "ok"]

        def values(name):
            return [r["metrics"][name] for r in ok if name in r["metrics"]]

        success = statistics.fmean(values("success")) if ok else 0.0
        cells = list(point) + [str(len(runs)), str(len(runs) - len(ok)), f"{success:.0%}"]
        ratios, speedups, censored = censored_ratios(results, ok)
        spread = statistics.stdev(ratios) if len(ratios) > 1 else 0.0
        cells.append(f"{fmt(statistics.fmean(ratios)) if ratios else '—'} ± {fmt(spread, 2)}")
        for v in (ratios, speedups):
            q1, q3 = quartiles(v)
            cells.append(f"{fmt(statistics.median(v) if v else None)} [{fmt(q1)}, {fmt(q3)}]"
                         + (f" ({censored} ≥)" if censored else ""))
        v = values("speedup_with_fit")
        cells.append(fmt(statistics.median(v) if v else None))
        v = values("error_to_evolution")
        cells.append(fmt(statistics.median(v) if v else None))
        ratio, count = figure_2e(results, ok)
        cells.append(f"{fmt(ratio)} ({count})")
        for name in ("optimizer_step_seconds", "koopman_step_seconds"):
            v = [1e6 * x for x in values(name)]
            q1, q3 = quartiles(v)
            cells.append(f"{fmt(statistics.median(v) if v else None)} [{fmt(q1)}, {fmt(q3)}]")
        v = values("max_spectral_radius")
        cells.append(fmt(statistics.median(v) if v else None, 6))
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
