#!/usr/bin/env python3
"""Prints the accuracy-against-compression table of a koopman_compression sweep
(mean ± std over the seeds of each rank) from its results.csv."""
import csv
import statistics
import sys

rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["status"] == "ok"]
failed = sum(1 for r in csv.DictReader(open(sys.argv[1])) if r["status"] != "ok")


def values(group, key):
    return [float(r[key]) for r in group if r.get(key) not in (None, "", "nan")]


def cell(group, key, scale=1.0, digits=2):
    v = [x * scale for x in values(group, key)]
    if not v:
        return "—"
    if len(v) == 1:
        return f"{v[0]:.{digits}f}"
    return f"{statistics.mean(v):.{digits}f} ± {statistics.stdev(v):.{digits}f}"


columns = [("compression_ratio", "block compression", 1, 2), ("koopman_parameters", "block parameters", 1, 0),
           ("original_test_accuracy", "original %", 100, 2), ("koopman_test_accuracy", "Koopman %", 100, 2),
           ("pruned_test_accuracy", "pruned %", 100, 2), ("pruned_tuned_test_accuracy", "pruned + fine-tuned %", 100, 2),
           ("low_rank_test_accuracy", "low-rank weights %", 100, 2), ("narrow_test_accuracy", "narrow from scratch %", 100, 2),
           ("koopman_state_error", "state error", 1, 3), ("koopman_discarded_energy", "discarded σ² share", 1, 3)]
print("| rank | seeds | " + " | ".join(title for _, title, _, _ in columns) + " |")
print("|---" * (len(columns) + 2) + "|")
for rank in dict.fromkeys(r["application.rank"] for r in rows):
    group = [r for r in rows if r["application.rank"] == rank]
    print(f"| {rank} | {len(group)} | " + " | ".join(cell(group, key, scale, digits) for key, _, scale, digits in columns) + " |")
print()
print("| rank | fit s (trajectories + K + D) | original test-set inference s | spliced test-set inference s |")
print("|---|---|---|---|")
for rank in dict.fromkeys(r["application.rank"] for r in rows):
    group = [r for r in rows if r["application.rank"] == rank]
    print(f"| {rank} | " + " | ".join(cell(group, key) for key in ("fit_seconds", "original_seconds", "koopman_seconds")) + " |")
if failed:
    print(f"\n{failed} run(s) failed; see results.csv")
