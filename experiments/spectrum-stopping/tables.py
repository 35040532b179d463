#!/usr/bin/env python3
"""Markdown tables (mean ± sample std over seeds) from kooplab results folders.

Usage:
  tables.py stopping RESULTS     the three stopping rules on the same seeds
  tables.py verdicts RESULTS     the rules' verdicts on fixed-budget runs
  tables.py init RESULTS         spectrum statistics by initialization
  tables.py history RESULTS      settled share of every fit (pilot runs)
"""
import glob
import json
import os
import statistics
import struct
import ast
import sys


def load(folder):
    """The completed runs of a results folder, from their records (so an interrupted sweep counts what it did)."""
    rows = []
    for record_file in sorted(glob.glob(f"{folder}/runs/*/record.json")):
        record = json.load(open(record_file))
        if record["status"] != "ok":
            continue
        row = {"run": record["run"], "index": record["index"], "seed": str(record["seed"]), "status": "ok"}
        row.update({key: str(value).lower() if isinstance(value, bool) else str(value)
                    for key, value in record["params"].items()})
        row.update({key: repr(value) for key, value in record["metrics"].items()})
        rows.append(row)
    return sorted(rows, key=lambda row: row["index"])  # the sweep's order


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
    stats = [("spectral_radius", "spectral radius", 4), ("near_one_share", "near-1 share (first snapshot)", 2),
             ("settled_share", "settled share (epoch K)", 2)]
    by_init = groups(rows, "network.init")
    print(f"| init | seeds | test accuracy (epoch {float(rows[0]['epochs']):.0f}) | test loss |")
    print("|---|---|---|---|")
    for name, group in by_init.items():
        print(f"| {name} | {len(group)} | {summary(group, 'test_accuracy')} | {summary(group, 'test_loss')} |")
    print()
    print("Range over the seeds [min, max] of each statistic of DMD_RRR on the weights of epochs 0..K; "
          "'separates' when the normal init's range and the He ∪ Xavier range do not overlap, with the "
          "midpoint of the gap as the restart threshold:")
    print()
    print("| statistic | K | " + " | ".join(by_init) + " | separates | restart threshold |")
    print("|---|---|" + "---|" * len(by_init) + "---|---|")
    for key, label, digits in stats:
        for k in checkpoints:
            ranges = {name: values(group, f"{key}_at_{k}") for name, group in by_init.items()}
            cells = [f"[{min(v):.{digits + 2}g}, {max(v):.{digits + 2}g}]" if v else "—" for v in ranges.values()]
            good = ranges.get("he", []) + ranges.get("xavier", [])
            bad = ranges.get("normal", [])
            verdict, threshold = "no", "—"
            if good and bad and (max(bad) < min(good) or min(bad) > max(good)):
                low, high = (max(bad), min(good)) if max(bad) < min(good) else (max(good), min(bad))
                verdict = "yes (normal lower)" if max(bad) < min(good) else "yes (normal higher)"
                threshold = f"{(low + high) / 2:.{digits + 2}g}"
            print(f"| {label} | {k} | " + " | ".join(cells) + f" | {verdict} | {threshold} |")
    print()
    print("The same statistics, mean ± std over the seeds:")
    print()
    print("| statistic | K | " + " | ".join(by_init) + " |")
    print("|---|---|" + "---|" * len(by_init))
    for key, label, digits in stats:
        for k in checkpoints:
            print(f"| {label} | {k} | " + " | ".join(summary(group, f"{key}_at_{k}", digits + 2)
                                                      for group in by_init.values()) + " |")
    print()
    print("Settled share of the train loss (delay coordinates) at each fit of the never-firing rule, "
          "mean ± std [min, max] over the seeds:")
    print()
    per_fit(rows, folder, 1, 2)
    print()
    print("Spectral radius of the same fits, mean ± std [min, max] over the seeds:")
    print()
    per_fit(rows, folder, 2, 4)


def per_fit(rows, folder, column, digits):
    """One column of the runs' stop_history (rows: epoch, settled share, spectral radius, rank) by init and fit."""
    histories = {}
    for row in rows:
        table = read_npy(os.path.join(folder, "runs", row["run"], "stop_history.npy"))
        histories.setdefault(row["network.init"], []).append({int(r[0]): r[column] for r in table})
    epochs = sorted(next(iter(histories.values()))[0])
    print("| init | " + " | ".join(f"epoch {e}" for e in epochs) + " |")
    print("|---" * (len(epochs) + 1) + "|")
    for name, runs in histories.items():
        cells = []
        for epoch in epochs:
            found = [run[epoch] for run in runs if epoch in run and run[epoch] == run[epoch]]
            cells.append(f"{statistics.mean(found):.{digits}f} ± {statistics.stdev(found):.{digits}f} "
                         f"[{min(found):.{digits}f}, {max(found):.{digits}f}]" if len(found) > 1 else "—")
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
