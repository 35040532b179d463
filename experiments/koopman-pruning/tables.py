#!/usr/bin/env python3
"""Markdown tables (mean ± sample std over seeds) from kooplab results folders.

Usage: tables.py DIAGNOSIS_RESULTS THRESHOLD_RESULTS [CNN_RESULTS]
       tables.py --cnn CNN_RESULTS      the CNN's tables alone
       tables.py --trace RESULTS        the fraction against ε and the rebuild's trace alone
       tables.py --projection CNN_RESULTS CNN_PROJECTION_RESULTS CNN_EPOCH10_RESULTS
                                        the CNN's rebuild rules side by side
"""
import glob
import json
import math
import os
import statistics
import sys

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))


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


def cnn_rules(rows):
    """One row per pruning rule on the same seeds: Algorithm 2's runs share Algorithm 1's training and mask."""
    first = [row for row in rows if row["application.restart"] == "false"]
    second = [row for row in rows if row["application.restart"] == "true"]
    print("| rule | seeds | pruned fraction | train loss | test loss | test accuracy |")
    print("|---|---|---|---|---|---|")
    for label, group, who in [("Algorithm 1 (rebuilt weights)", first, "pruned"),
                              ("Algorithm 2 (kept weights redrawn, Xavier)", second, "pruned"),
                              ("magnitude (smallest current \\|w\\|)", first, "magnitude"),
                              ("random", first, "random"), ("unpruned", first, "unpruned")]:
        fraction = summary(group, "pruned_fraction") if who != "unpruned" else "0"
        print(f"| {label} | {len(group)} | {fraction} | {summary(group, who + '_train_loss')} "
              f"| {summary(group, who + '_test_loss')} | {summary(group, who + '_test_accuracy')} |")
    # The shared part must agree run by run (same seed, same training): a check, not a table.
    by_seed = {row["seed"]: row for row in first}
    for row in second:
        twin = by_seed.get(row["seed"])
        if twin and (twin["pruned_fraction"] != row["pruned_fraction"] or
                     twin["unpruned_test_loss"] != row["unpruned_test_loss"]):
            print(f"\nWARNING: seed {row['seed']}: Algorithm 2's mask or unpruned run differs from Algorithm 1's")


def cnn_seeds_both(rows):
    second = {row["seed"]: row for row in rows if row["application.restart"] == "true"}
    print("| seed | pruned fraction | rank | dominant modes | eigenvalue nearest 1, abs | rebuild error "
          "| Algorithm 1 | Algorithm 2 | magnitude | random | unpruned |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in [row for row in rows if row["application.restart"] == "false"]:
        def cell(source, who):
            return f"{float(source[who + '_test_loss']):.3f} / {float(source[who + '_test_accuracy']):.3f}"
        other = second.get(row["seed"])
        cells = [cell(row, "pruned"), cell(other, "pruned") if other else "—"]
        cells += [cell(row, who) for who in ["magnitude", "random", "unpruned"]]
        print(f"| {row['seed']} | {float(row['pruned_fraction']):.3f} | {float(row['rank']):.0f} "
              f"| {float(row['dominant_modes']):.0f} | {float(row['one_eigenvalue']):.4f} "
              f"| {float(row['reconstruction_error']):.3g} | " + " | ".join(cells) + " |")


# The CNN's parameters in the order of the network (conv weights then bias, ...) with
# the bound a of Xavier's U(±a), a = √(6/(fan_in + fan_out)), fan_out of a convolution
# counting filters·k² (nn/layers.cpp); biases start at 0.
CNN_LAYERS = [("conv 5×5 ×16", 400, 16, math.sqrt(6 / (25 + 16 * 25))),
              ("conv 5×5 ×32", 12800, 32, math.sqrt(6 / (16 * 25 + 32 * 25))),
              ("dense 512 → 100", 51200, 100, math.sqrt(6 / (512 + 100))),
              ("dense 100 → 10", 1000, 10, math.sqrt(6 / (100 + 10)))]


def xavier_share_below(epsilon, layers=CNN_LAYERS):
    """Expected share of the parameters below ε in |value| at Xavier's init."""
    below = sum(weights * min(epsilon / bound, 1.0) + biases for _, weights, biases, bound in layers)
    return below / sum(weights + biases for _, weights, biases, _ in layers)


def cnn_fraction(folder, epsilons=(0.025, 0.05, 0.075, 0.1, 0.15)):
    """The fraction as a function of ε, from the rebuilt and the current weights saved by the runs."""
    import kooplab_results
    import numpy

    runs = [run for run in kooplab_results.load(folder)
            if run.ok and str(run.params.get("application.restart", False)).lower() == "false"]
    print("Share of the parameters below ε, mean ± std over the seeds: of the rebuilt weights (the rule's "
          "fraction), of the current weights at the pruning epoch, and expected at Xavier's init:")
    print()
    print("| ε | seeds | rebuilt \\|Y\\| < ε (the rule) | current \\|w\\| < ε | Xavier init |")
    print("|---|---|---|---|---|")

    def spread(found):
        return f"{numpy.mean(found):.3f} ± {numpy.std(found, ddof=1) if len(found) > 1 else 0:.3f}"

    for epsilon in epsilons:
        rebuilt = [numpy.mean(numpy.abs(run.array("rebuilt")) < epsilon) for run in runs]
        current = [numpy.mean(numpy.abs(run.array("weights")) < epsilon) for run in runs]
        print(f"| {epsilon} | {len(runs)} | {spread(rebuilt)} | {spread(current)} | {xavier_share_below(epsilon):.3f} |")
    epsilon = float(runs[0].params.get("application.threshold", yaml.safe_load(
        open(f"{folder}/config.yaml"))["application"]["threshold"]))
    print()
    print(f"By layer at ε = {epsilon} (weights and biases; std of the current weights; rebuilt Y "
          "against the current w: the least-squares scale s = ⟨w, Y⟩/⟨w, w⟩):")
    print()
    print("| layer | parameters | Xavier bound | Xavier init < ε | current \\|w\\| < ε | rebuilt \\|Y\\| < ε "
          "| std of w |")
    print("|---|---|---|---|---|---|---|")
    offset = 0
    for name, weights, biases, bound in CNN_LAYERS:
        part = slice(offset, offset + weights + biases)
        offset += weights + biases
        current = [numpy.mean(numpy.abs(run.array("weights")[part]) < epsilon) for run in runs]
        rebuilt = [numpy.mean(numpy.abs(run.array("rebuilt")[part]) < epsilon) for run in runs]
        deviation = [numpy.std(run.array("weights")[part]) for run in runs]
        init = xavier_share_below(epsilon, [(name, weights, biases, bound)])
        print(f"| {name} | {weights + biases} | {bound:.3f} | {init:.3f} | {spread(current)} | {spread(rebuilt)} "
              f"| {spread(deviation)} |")
    print()
    print("| seed | s = ⟨w, Y⟩/⟨w, w⟩ | cos(w, Y) | rebuilt \\|Y\\| < ε | current \\|w\\| < ε |")
    print("|---|---|---|---|---|")
    for run in runs:
        current, rebuilt = run.array("weights"), run.array("rebuilt")
        scale = current @ rebuilt / (current @ current)
        cosine = current @ rebuilt / numpy.linalg.norm(current) / numpy.linalg.norm(rebuilt)
        print(f"| {run.seed} | {scale:.3f} | {cosine:.4f} | {numpy.mean(numpy.abs(rebuilt) < epsilon):.3f} "
              f"| {numpy.mean(numpy.abs(current) < epsilon):.3f} |")


def dominant(eigenvalues, first, cluster):
    """The dominant modes as kooplab/koopman/koopman_mode_pruning.cpp picks them (by first-snapshot |c|)."""
    import numpy

    distance = numpy.abs(eigenvalues - 1)
    at_one = numpy.flatnonzero(distance < cluster) if cluster > 0 else numpy.array([], dtype=int)
    if at_one.size == 0:
        at_one = numpy.array([numpy.argmin(distance)])
    kept = first >= first[at_one].max()
    kept[at_one] = True
    return numpy.flatnonzero(kept)


def rebuild_errors(run, cluster):
    """‖Y − w‖/‖w‖ of the rule's rebuild Y = M_D b_D (b: least-squares coefficients of w in all
    modes), and of the orthogonal projection of w onto the span of the same modes, from the
    modes' Gram matrix alone: w = M b + r with r orthogonal to every mode."""
    import numpy

    eigenvalues, first = run.array("eigenvalues"), numpy.abs(run.array("amplitudes"))
    b, gram = run.array("coefficients"), run.array("mode_gram")
    weights = run.array("weights")
    norm2 = weights @ weights
    kept = dominant(eigenvalues, first, cluster)
    rest = numpy.setdiff1d(numpy.arange(eigenvalues.size), kept)
    residual2 = norm2 - (b.conj() @ gram @ b).real
    oblique2 = (b[rest].conj() @ gram[numpy.ix_(rest, rest)] @ b[rest]).real + residual2
    projected = numpy.linalg.solve(gram[numpy.ix_(kept, kept)], gram[kept, :] @ b)
    orthogonal2 = norm2 - (projected.conj() @ gram[numpy.ix_(kept, kept)] @ projected).real
    return kept, numpy.sqrt(max(oblique2, 0) / norm2), numpy.sqrt(max(orthogonal2, 0) / norm2)


def cnn_trace(folder, large=0.5):
    """Per seed, the rebuild error of the rule beside an orthogonal projection onto the same modes and
    the conditioning of the modes; for the seeds whose rule misses the weights by more than `large`,
    every mode: eigenvalue, first-snapshot |c|, current |b|, overlap with the mode nearest 1."""
    import kooplab_results
    import numpy

    cluster = float(yaml.safe_load(open(f"{folder}/config.yaml"))["application"].get("cluster", 0.05))
    runs = [run for run in kooplab_results.load(folder)
            if run.ok and str(run.params.get("application.restart", False)).lower() == "false"]
    print("| seed | rank | dominant modes | condition number of MᴴM | rebuild error of the rule (M_D b_D) "
          "| orthogonal projection of w onto the same modes |")
    print("|---|---|---|---|---|---|")
    for run in runs:
        kept, oblique, orthogonal = rebuild_errors(run, cluster)
        assert abs(oblique - run.metrics["reconstruction_error"]) < 1e-6 * max(1, oblique)
        print(f"| {run.seed} | {run.metrics['rank']:.0f} | {kept.size} | {numpy.linalg.cond(run.array('mode_gram')):.3g} "
              f"| {oblique:.3g} | {orthogonal:.3g} |")
    for run in runs:
        if run.metrics["reconstruction_error"] <= large:
            continue
        eigenvalues, first = run.array("eigenvalues"), numpy.abs(run.array("amplitudes"))
        current, gram = numpy.abs(run.array("coefficients")), run.array("mode_gram")
        weights, rebuilt = run.array("weights"), run.array("rebuilt")
        one = int(numpy.argmin(numpy.abs(eigenvalues - 1)))
        kept = dominant(eigenvalues, first, cluster)
        scale = weights @ rebuilt / (weights @ weights)
        print(f"\nSeed {run.seed}: ‖w‖ = {numpy.linalg.norm(weights):.2f}, ‖Y‖ = {numpy.linalg.norm(rebuilt):.2f}, "
              f"⟨w, Y⟩/⟨w, w⟩ = {scale:.3f}, rebuild error {run.metrics['reconstruction_error']:.3g}\n")
        print("| λ | \\|λ\\| | \\|λ − 1\\| | first-snapshot \\|c\\| | current \\|b\\| "
              "| \\|m^H m₁\\| (m₁: mode nearest 1) | dominant |")
        print("|---|---|---|---|---|---|---|")
        for k in numpy.argsort(-numpy.abs(eigenvalues)):
            print(f"| {eigenvalues[k].real:.5f}{eigenvalues[k].imag:+.5f}i | {abs(eigenvalues[k]):.5f} "
                  f"| {abs(eigenvalues[k] - 1):.4f} | {first[k]:.3g} | {current[k]:.3g} | {abs(gram[one, k]):.4f} "
                  f"| {'yes' if k in kept else ''} |")


def values(rows, key):
    return [float(row[key]) for row in rows if row.get(key) not in (None, "", "nan")]


def projection(current_folder, projection_folder, epoch10_folder):
    """The rebuild rules side by side on the CNN: the current-coefficient runs, the same
    runs with coefficients: projection, and the epoch-10 run (every run records both errors)."""
    def per_seed(rows, key):
        return ", ".join(f"{float(row[key]):.3g}" for row in sorted(rows, key=lambda row: int(row["seed"])))

    def algorithms(rows):
        first = [row for row in rows if row["application.restart"] == "false"]
        second = [row for row in rows if row["application.restart"] == "true"]
        return first, [summary(first, "pruned_fraction")] + [
            f"{summary(group, 'pruned_test_loss')} / {summary(group, 'pruned_test_accuracy')}"
            for group in (first, second)]

    print("| CNN run | rebuild | rebuild error per seed | pruned fraction | Alg. 1 test loss / accuracy "
          "| Alg. 2 test loss / accuracy |")
    print("|---|---|---|---|---|---|")
    for rebuild, folder in [("current", current_folder), ("projection", projection_folder)]:
        first, cells = algorithms(load(folder))
        print(f"| pruned at epoch 100 | {rebuild} | {per_seed(first, 'reconstruction_error')} | " + " | ".join(cells)
              + " |")
    early = load(epoch10_folder)
    print(f"| pruned at epoch 10 | current | {per_seed(early, 'current_error')} | "
          f"{summary(early, 'pruned_fraction')} | | |")
    print(f"| pruned at epoch 10 | projection (error only) | {per_seed(early, 'projection_error')} | | | |")


def cnn(folder):
    rows = load(folder)
    cnn_rules(rows)
    print()
    cnn_seeds_both(rows)
    print()
    cnn_fraction(folder)
    print()
    cnn_trace(folder)


if __name__ == "__main__":
    if sys.argv[1] == "--cnn":
        cnn(sys.argv[2])
        sys.exit(0)
    if sys.argv[1] == "--projection":
        projection(*sys.argv[2:5])
        sys.exit(0)
    if sys.argv[1] == "--trace":
        cnn_fraction(sys.argv[2])
        print()
        cnn_trace(sys.argv[2])
        sys.exit(0)
    print("### Diagnosis\n")
    diagnosis(load(sys.argv[1]))
    print("\n### Threshold rule and controls\n")
    threshold(load(sys.argv[2]))
    print("\n### Paper against kooplab\n")
    paper(load(sys.argv[2]))
    if len(sys.argv) > 3:
        print("\n### The paper's CNN (shortened)\n")
        cnn(sys.argv[3])
