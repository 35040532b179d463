#!/usr/bin/env python3
"""Tables and Fig. 5 of the Sobolev-loss experiment from a results folder.

Usage: report.py RESULTS_DIR [README]
Writes RESULTS_DIR/table.md and RESULTS_DIR/fig5.png (gnuplot) and, given a
README, replaces its text between the table markers with the table.
"""
import json
import math
import os
import struct
import subprocess
import sys

LOSSES = [("mse", "L²"), ("sobolev_layers", "Sobolev 1"), ("sobolev_output", "Sobolev 2")]


def read_npy(path):
    """A float64 .npy array as (rows, cols, column-major values)."""
    with open(path, "rb") as f:
        if f.read(6) != b"\x93NUMPY":
            raise ValueError(f"{path}: not a .npy file")
        major = f.read(2)[0]
        length = struct.unpack("<H" if major == 1 else "<I", f.read(2 if major == 1 else 4))[0]
        header = f.read(length).decode("latin1")
        info = eval(header, {"__builtins__": {}}, {"True": True, "False": False})  # a dict literal
        if info["descr"] != "<f8":
            raise ValueError(f"{path}: expected float64, got {info['descr']}")
        shape = info["shape"] if len(info["shape"]) == 2 else (info["shape"][0], 1)
        count = shape[0] * shape[1]
        values = struct.unpack(f"<{count}d", f.read(8 * count))
        if not info["fortran_order"]:  # row-major: transpose into column order
            values = [values[r * shape[1] + c] for c in range(shape[1]) for r in range(shape[0])]
        return shape[0], shape[1], list(values)


def loss_name(value):
    text = value if isinstance(value, str) else json.dumps(value)
    for key, _ in LOSSES:
        if key in text:
            return key
    raise ValueError(f"unknown loss {text}")


def mean_std(values):
    mean = sum(values) / len(values)
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else float("nan")
    return mean, std


def main():
    folder = sys.argv[1]
    runs = [json.loads(line) for line in open(os.path.join(folder, "results.jsonl"))]
    cells = {}
    for run in runs:
        if run["status"] != "ok":
            sys.exit(f"run {run['run']} failed: {run['error']}")
        key = (float(run["params"]["dataset.noise"]), loss_name(run["params"]["network.loss"]))
        cells.setdefault(key, []).append(run)
    noises = sorted({noise for noise, _ in cells})

    lines = ["| ε | loss | seeds | relative L² error vs clean h | max error vs clean h | Sobolev 1 below L² (seeds) |",
             "|---|---|---|---|---|---|"]
    for noise in noises:
        by_seed_l2 = {r["seed"]: r["metrics"]["test_relative_error"] for r in cells[(noise, "mse")]}
        for key, label in LOSSES:
            group = cells[(noise, key)]
            rel = mean_std([r["metrics"]["test_relative_error"] for r in group])
            top = mean_std([r["metrics"]["test_max_error"] for r in group])
            wins = ""
            if key == "sobolev_layers":
                below = sum(r["metrics"]["test_relative_error"] < by_seed_l2[r["seed"]] for r in group)
                wins = f"{below} of {len(group)}"
            lines.append(f"| {noise:g} | {label} | {len(group)} | {rel[0]:.3f} ± {rel[1]:.3f} | "
                         f"{top[0]:.3f} ± {top[1]:.3f} | {wins} |")
    table = "\n".join(lines) + "\n"
    open(os.path.join(folder, "table.md"), "w").write(table)
    print(table)
    figure(folder, cells, noises)

    if len(sys.argv) > 2:
        readme = open(sys.argv[2]).read()
        begin, end = "<!-- table:begin -->\n", "<!-- table:end -->"
        head, rest = readme.split(begin)
        _, tail = rest.split(end)
        open(sys.argv[2], "w").write(head + begin + table + end + tail)


def figure(folder, cells, noises):
    """Fig. 5: rows ε, columns L², Sobolev 1, Sobolev 2; the lowest seed of each cell."""
    data = os.path.join(folder, "fig5")
    os.makedirs(data, exist_ok=True)
    plots = []
    for row, noise in enumerate(noises):
        for col, (key, label) in enumerate(LOSSES):
            run = min(cells[(noise, key)], key=lambda r: r["seed"])
            arrays = os.path.join(folder, "runs", run["run"])
            _, n, x = read_npy(os.path.join(arrays, "train_inputs.npy"))
            _, _, y = read_npy(os.path.join(arrays, "train_targets.npy"))
            _, m, tx = read_npy(os.path.join(arrays, "test_inputs.npy"))
            _, _, ty = read_npy(os.path.join(arrays, "test_prediction.npy"))
            noisy = os.path.join(data, f"noisy_{row}_{col}.dat")
            recon = os.path.join(data, f"reconstruction_{row}_{col}.dat")
            with open(noisy, "w") as f:
                f.writelines(f"{x[i]} {y[i]}\n" for i in range(n))
            with open(recon, "w") as f:
                f.writelines(f"{p} {q}\n" for p, q in sorted(zip(tx, ty)))
            plots.append(
                f'set title "{label}, ε = {noise:g} (seed {run["seed"]})"\n'
                f'plot "{noisy}" with points pt 7 ps 0.15 lc rgb "#bbbbbb" title "noisy train data", '
                f'h(x) with lines lw 1.5 lc rgb "black" title "clean h", '
                f'"{recon}" with lines lw 2 lc rgb "#d62728" title "reconstruction (test points)"\n')
    script = (f'set terminal pngcairo size 1500,1200 font ",9"\nset output "{os.path.join(folder, "fig5.png")}"\n'
              'h(x) = x + sin(2*pi*x**4)\nset samples 2000\nset xrange [0:2]\nset key top left\n'
              f'set multiplot layout {len(noises)},{len(LOSSES)}\n' + "".join(plots) + "unset multiplot\n")
    open(os.path.join(data, "fig5.gp"), "w").write(script)
    subprocess.run(["gnuplot", os.path.join(data, "fig5.gp")], check=True)


if __name__ == "__main__":
    main()
