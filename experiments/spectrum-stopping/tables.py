#!/usr/bin/env python3
"""Markdown tables (mean ± sample std over seeds) from kooplab results folders.

Usage:
  tables.py stopping RESULTS     the three stopping rules on the same seeds
  tables.py verdicts RESULTS     the rules' verdicts on fixed-budget runs
  tables.py init RESULTS         spectrum statistics by initialization
  tables.py history RESULTS      settled share of every fit (pilot runs)
"""
import csv
import json
import os
import statistics
import struct
import ast
import sys


def load(folder):
    return [row for row in csv.DictReader(open(f"{folder}/results.csv")) if row["status"] == "ok"]


def values(rows, key):
    return [float(row[key]) for row in rows if row.get(key) not in (None, "", "nan")]


def summary(rows, key, digits=3):
    found = values(rows, key)
    if not found:
        return "—"
    spread = statistics.stdev(found) if len(found) > 1 else 0.0
    return f"{statistics.mean(found):.{digits}g} ± {spread:.2g}"


def groups(rows, key):
    found = {}
    for row in rows:
        found.setdefault(row[key], []).append(row)
    return found


def read_npy(path):
    """A float64 .npy array as a list of rows (2-D, Fortran or C order)."""
    blob = open(path, "rb").read()
    length = struct.unpack("<H", blob[8:10])[0]
    header = ast.literal_eval(blob[10:10 + length].decode())
    shape = header["shape"] if len(header["shape"]) == 2 else (header["shape"][0], 1)
    count = shape[0] * shape[1]
    flat = struct.unpack(f"<{count}d", blob[10 + length:10 + length + 8 * count])
    if header["fortran_order"]:
        return [[flat[r + c * shape[0]] for c in range(shape[1])] for r in range(shape[0])]
    return [list(flat[r * shape[1]:(r + 1) * shape[1]]) for r in range(shape[0])]


def stopping(rows):
    print("| rule | seeds | epochs used | test accuracy | test loss |")
    print("|---|---|---|---|---|")
    names = {"none": "fixed budget", "validation": "validation early stopping", "spectrum": "spectrum at 1"}
    for rule, group in groups(rows, "application.stop").items():
        print(f"| {names.get(rule, rule)} | {len(group)} | {summary(group, 'epochs')} "
              f"| {summary(group, 'test_accuracy')} | {summary(group, 'test_loss')} |")
    print()
    print("Per seed (epochs used / test accuracy):")
    print()
    rules = list(groups(rows, "application.stop"))
    print("| seed | " + " | ".join(names.get(r, r) for r in rules) + " |")
    print("|---" * (len(rules) + 1) + "|")
    by = {(row["application.stop"], row["seed"]): row for row in rows}
    for seed in sorted({row["seed"] for row in rows}, key=int):
        cells = []
        for rule in rules:
            row = by.get((rule, seed))
            cells.append(f"{float(row['epochs']):.0f} / {float(row['test_accuracy']):.3f}" if row else "—")
        print(f"| {seed} | " + " | ".join(cells) + " |")


def verdicts(rows):
    print("| rule | seeds | fired | epochs used | test accuracy | test loss |")
    print("|---|---|---|---|---|---|")
    print(f"| fixed budget | {len(rows)} | — | {summary(rows, 'epochs')} | {summary(rows, 'test_accuracy')} "
          f"| {summary(rows, 'test_loss')} |")
    for rule, name in [("validation", "validation early stopping"), ("spectrum", "spectrum at 1")]:
        fired = sum(float(row[f"{rule}_fired"]) for row in rows)
        print(f"| {name} | {len(rows)} | {fired:.0f} | {summary(rows, f'{rule}_epoch')} "
              f"| {summary(rows, f'{rule}_test_accuracy')} | {summary(rows, f'{rule}_test_loss')} |")
    print()
    print("| seed | fixed budget | validation early stopping | spectrum at 1 |")
    print("|---|---|---|---|")
    for row in sorted(rows, key=lambda r: int(r["seed"])):
        cells = [f"{float(row['epochs']):.0f} / {float(row['test_accuracy']):.3f}"]
        for rule in ["validation", "spectrum"]:
            mark = "" if float(row[f"{rule}_fired"]) else " (did not fire)"
            cells.append(f"{float(row[f'{rule}_epoch']):.0f} / {float(row[f'{rule}_test_accuracy']):.3f}{mark}")
        print(f"| {row['seed']} | " + " | ".join(cells) + " |")


def init(rows, folder):
    checkpoints = sorted({int(key.rsplit("_", 1)[1]) for key in rows[0] if key.startswith("spectral_radius_at_")})
    print("| init | seeds | test accuracy (epoch 100) | "
          + " | ".join(f"radius / near-1 share / settled share at {k}" for k in checkpoints) + " |")
    print("|---|---|---|" + "---|" * len(checkpoints))
    for name, group in groups(rows, "network.init").items():
        cells = [" / ".join(summary(group, f"{stat}_at_{k}", 2) for stat in
                            ("spectral_radius", "near_one_share", "settled_share")) for k in checkpoints]
        print(f"| {name} | {len(group)} | {summary(group, 'test_accuracy')} | " + " | ".join(cells) + " |")
    print()
    print("Settled share of the train loss (window 10, 3 delays) at each fit, mean ± std, and the range over seeds:")
    print()
    histories = {}
    for row in rows:
        table = read_npy(os.path.join(folder, "runs", row["run"], "stop_history.npy"))
        histories.setdefault(row["network.init"], []).append({int(r[0]): r[1] for r in table})
    epochs = sorted(next(iter(histories.values()))[0])
    print("| init | " + " | ".join(f"epoch {e}" for e in epochs) + " |")
    print("|---" * (len(epochs) + 1) + "|")
    for name, runs in histories.items():
        cells = []
        for epoch in epochs:
            found = [run[epoch] for run in runs if epoch in run and run[epoch] == run[epoch]]
            cells.append(f"{statistics.mean(found):.2f} ± {statistics.stdev(found):.2f} [{min(found):.2f}, {max(found):.2f}]"
                         if len(found) > 1 else "—")
        print(f"| {name} | " + " | ".join(cells) + " |")


def history(rows, folder):
    for row in rows:
        table = read_npy(os.path.join(folder, "runs", row["run"], "stop_history.npy"))
        label = {k: v for k, v in row.items() if k.startswith("application.") or k == "seed"}
        print(json.dumps(label), " ".join(f"{r[0]:.0f}:{r[1]:.3f}" for r in table))


if __name__ == "__main__":
    what, folder = sys.argv[1], sys.argv[2]
    rows = load(folder)
    if what == "stopping":
        stopping(rows)
    elif what == "verdicts":
        verdicts(rows)
    elif what == "init":
        init(rows, folder)
    else:
        history(rows, folder)
