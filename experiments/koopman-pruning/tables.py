#!/usr/bin/env python3
"""Markdown tables (mean ± sample std over seeds) from kooplab results folders.

Usage: tables.py DIAGNOSIS_RESULTS THRESHOLD_RESULTS [CNN_RESULTS]
"""
import glob
import json
import statistics
import sys

import yaml


def load(folder):
    """The completed runs of a results folder, from their records (so an interrupted sweep counts what it did)."""
    rows = []
    # Keys the config sets without sweeping them, as the swept ones appear in a record's params.
    application = yaml.safe_load(open(f"{folder}/config.yaml")).get("application", {})
    fixed = {f"application.{key}": str(value).lower() if isinstance(value, bool) else str(value)
             for key, value in application.items() if not isinstance(value, (dict, list))}
    for record_file in sorted(glob.glob(f"{folder}/runs/*/record.json")):
        record = json.load(open(record_file))
        if record["status"] != "ok":
            continue
        row = {"run": record["run"], "index": record["index"], "seed": str(record["seed"]), "status": "ok"}
        row.update({key: str(value).lower() if isinstance(value, bool) else str(value)
                    for key, value in record["params"].items()})
        row.update({key: repr(value) for key, value in record["metrics"].items()})
        for key, value in fixed.items():
            row.setdefault(key, value)
        rows.append(row)
    return sorted(rows, key=lambda row: row["index"])  # the sweep's order


def summary(rows, key, digits=3):
    values = [float(row[key]) for row in rows if row.get(key) not in (None, "", "nan")]
    if not values:
        return "—"
    spread = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.{digits}g} ± {spread:.2g}"


def groups(rows, keys):
    found = {}
    for row in rows:
        found.setdefault(tuple(row[k] for k in keys), []).append(row)
    return found


def diagnosis(rows):
    print("| eigenvalue-1 modes | coefficients | seeds | rebuild error | seeds with error > 1 | pruned loss at pruning "
          "| pruned test loss | pruned test acc. | unpruned test loss | unpruned test acc. |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (cluster, coefficients), group in groups(rows, ["application.cluster", "application.coefficients"]).items():
        label = "nearest to 1 (paper)" if float(cluster) == 0 else f"within {cluster} of 1"
        large = sum(float(row["reconstruction_error"]) > 1 for row in group)
        print(f"| {label} | {coefficients} | {len(group)} | {summary(group, 'reconstruction_error')} | {large} "
              f"| {summary(group, 'pruned_train_loss_at_pruning')} | {summary(group, 'pruned_test_loss')} "
              f"| {summary(group, 'pruned_test_accuracy')} | {summary(group, 'unpruned_test_loss')} "
              f"| {summary(group, 'unpruned_test_accuracy')} |")
    print()
    print("Per seed (nearest-to-1 rule, first-snapshot coefficients, the setting before the fix):")
    print()
    print("| seed | eigenvalue nearest 1, abs | dominant modes | rank | rebuild error (first snapshot) | "
          "with the cluster, current coefficients |")
    print("|---|---|---|---|---|---|")
    old = {row["seed"]: row for row in rows
           if float(row["application.cluster"]) == 0 and row["application.coefficients"] == "first_snapshot"}
    new = {row["seed"]: row for row in rows
           if float(row["application.cluster"]) > 0 and row["application.coefficients"] == "current"}
    for seed in sorted(old, key=int):
        row = old[seed]
        print(f"| {seed} | {float(row['one_eigenvalue']):.4f} | {float(row['dominant_modes']):.0f} | {float(row['rank']):.0f} "
              f"| {float(row['reconstruction_error']):.3g} | {float(new[seed]['reconstruction_error']):.3g} |")


def threshold(rows):
    print("| algorithm | ε | seeds | pruned fraction | rule: test loss | rule: test acc. | random: test loss "
          "| random: test acc. | magnitude: test loss | magnitude: test acc. | unpruned: test loss | unpruned: test acc. |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (restart, epsilon), group in groups(rows, ["application.restart", "application.threshold"]).items():
        algorithm = "2 (fresh weights)" if restart == "true" else "1 (rebuilt weights)"
        cells = [summary(group, "pruned_fraction")]
        for who in ["pruned", "random", "magnitude", "unpruned"]:
            cells += [summary(group, f"{who}_test_loss"), summary(group, f"{who}_test_accuracy")]
        print(f"| {algorithm} | {epsilon} | {len(group)} | " + " | ".join(cells) + " |")


def paper(rows):
    """The paper's claims (Sec. 4, Fig. 3) beside kooplab's runs at the ε nearest its 75 %."""
    fractions = {}
    for (epsilon,), group in groups(rows, ["application.threshold"]).items():
        fractions[epsilon] = statistics.mean(values(group, "pruned_fraction"))
    nearest = min(fractions, key=lambda e: abs(fractions[e] - 0.75))
    at = [row for row in rows if row["application.threshold"] == nearest]
    first = [row for row in at if row["application.restart"] == "false"]
    second = [row for row in at if row["application.restart"] == "true"]
    others = ", ".join(f"{100 * fractions[e]:.0f} % at ε = {e}" for e in fractions if e != nearest)

    def pair(group, who):
        return f"test loss {summary(group, who + '_test_loss')}, accuracy {summary(group, who + '_test_accuracy')}"

    print("| quantity | paper (CNN, MNIST) | kooplab (Yin-Yang MLP) |")
    print("|---|---|---|")
    print(f"| pruned fraction | ≈ 75 % (ε not given) | {summary(at, 'pruned_fraction')} at ε = {nearest} ({others}) |")
    print(f"| Algorithm 1 | train loss comparable, test loss better than unpruned | {pair(first, 'pruned')}; "
          f"unpruned {pair(first, 'unpruned')} |")
    print(f"| Algorithm 2 | comparable to Algorithm 1 | {pair(second, 'pruned')} |")
    print(f"| controls | — | magnitude {pair(first, 'magnitude')}; random {pair(first, 'random')} |")


def cnn_seeds(rows):
    print("\n| seed | pruned fraction | rank | dominant modes | eigenvalue nearest 1, abs | rebuild error "
          "| rule: test loss / acc. | magnitude | random | unpruned |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        cells = [f"{float(row[who + '_test_loss']):.3f} / {float(row[who + '_test_accuracy']):.3f}"
                 for who in ["pruned", "magnitude", "random", "unpruned"]]
        print(f"| {row['seed']} | {float(row['pruned_fraction']):.3f} | {float(row['rank']):.0f} "
              f"| {float(row['dominant_modes']):.0f} | {float(row['one_eigenvalue']):.4f} "
              f"| {float(row['reconstruction_error']):.3g} | " + " | ".join(cells) + " |")


def values(rows, key):
    return [float(row[key]) for row in rows if row.get(key) not in (None, "", "nan")]


if __name__ == "__main__":
    print("### Diagnosis\n")
    diagnosis(load(sys.argv[1]))
    print("\n### Threshold rule and controls\n")
    threshold(load(sys.argv[2]))
    print("\n### Paper against kooplab\n")
    paper(load(sys.argv[2]))
    if len(sys.argv) > 3:
        print("\n### The paper's CNN (shortened)\n")
        threshold(load(sys.argv[3]))
        cnn_seeds(load(sys.argv[3]))
