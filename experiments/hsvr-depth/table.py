#!/usr/bin/env python3
"""Table S1 beside the paper's from two result tables (keep_by_ratio, span).

Usage: table.py KEEP_RESULTS_CSV SPAN_RESULTS_CSV [README]
Prints the table; given a README, replaces its text between the table markers.
"""
import csv
import sys

# The paper's Table S1 (koopman-mode-analysis.md, supplement): layers FFT, ε, error FFT, layers DMD, error DMD.
PAPER = {
    "sin(2*pi*x)": (1, 0.02, 0.02, 1, 0.02),
    "sin(20*pi*x)": (1, 0.0199, 0.021, 1, 0.02),
    "sin(200*pi*x)": (1, 0.019, 0.093, 1, 0.097),
    "100*sin(20*pi*x)": (1, 1.99, 2, 1, 2.01),
    "40*cos(2*pi*x)": (1, 0.8, 0.8, 1, 0.8),
    "100*cos(20*pi*x)": (1, 2, 2.03, 1, 2),
    "sin(2*pi*x^2)": (5, 0.0199, 0.02, 1, 0.02),
    "x + x^2 + x^3": (2, 0.14, 0.14, 1, 8),
    "x + sin(2*pi*x^4)": (7, 0.03, 0.037, 1, 0.034),
    "cos(2*pi*x) + sin(20*pi*x)": (2, 0.0397, 0.0404, 2, 0.042),
    "cos(20*pi*x)*sin(15*pi*x)": (2, 0.02, 0.021, 2, 0.022),
    "cos(32*pi*x)^3": (1, 0.0199, 0.022, 2, 0.022),
    "sin(13*pi*x) + sin(17*pi*x) + sin(19*pi*x) + sin(23*pi*x)": (1, 0.076, 0.077, 1, 0.077),
    "sin(50*pi*x)*sin(20*pi*x)*cos(15*pi*x)": (3, 0.0187, 0.02, 2, 0.02),
    "sin(40*pi*x)*cos(10*pi*x) + 3*sin(20*x)*sin(40*x)": (5, 0.064, 0.065, 3, 0.066),
    "sin(2*x)*cos(32*x)": (5, 0.0198, 0.02, 1, 0.02),
}


def rows(path):
    out = {}
    for r in csv.DictReader(open(path)):
        if r["status"] != "ok":
            sys.exit(f"{path}: {r['dataset.function']} failed: {r['error']}")
        out[r["dataset.function"]] = r
    return out


def main():
    keep, span = rows(sys.argv[1]), rows(sys.argv[2])
    g = lambda r, key: f"{float(r[key]):.3g}"
    layers = lambda r, key: f"{float(r[key]):.0f}"
    lines = [
        "| function | layers FFT paper / keep / span | layers DMD paper / keep / span | ε paper / kooplab | "
        "error FFT paper / train / test | error DMD paper / train / test |",
        "|---|---|---|---|---|---|",
    ]
    agree = {"fft_keep": 0, "fft_span": 0, "dmd_keep": 0, "dmd_span": 0}
    for function, paper in PAPER.items():
        k, s = keep[function], span[function]
        for source, column in (("fft", 0), ("dmd", 3)):
            agree[f"{source}_keep"] += float(k[f"{source}_layers"]) == paper[column]
            agree[f"{source}_span"] += float(s[f"{source}_layers"]) == paper[column]
        lines.append(
            f"| {function} | {paper[0]} / {layers(k, 'fft_layers')} / {layers(s, 'fft_layers')} | "
            f"{paper[3]} / {layers(k, 'dmd_layers')} / {layers(s, 'dmd_layers')} | {paper[1]} / {g(k, 'epsilon')} | "
            f"{paper[2]} / {g(k, 'fft_train_max_error')} / {g(k, 'fft_test_max_error')} | "
            f"{paper[4]} / {g(k, 'dmd_train_max_error')} / {g(k, 'dmd_test_max_error')} |")
    n = len(PAPER)
    lines.append("")
    lines.append(f"Depth equal to the paper's: FFT {agree['fft_keep']} of {n} (keep_by_ratio), "
                 f"{agree['fft_span']} of {n} (span); DMD {agree['dmd_keep']} of {n} (keep_by_ratio), "
                 f"{agree['dmd_span']} of {n} (span). Errors are max |S(x) − y| of the keep_by_ratio model.")
    table = "\n".join(lines) + "\n"
    print(table)
    if len(sys.argv) > 3:
        readme = open(sys.argv[3]).read()
        begin, end = "<!-- table:begin -->\n", "<!-- table:end -->"
        head, rest = readme.split(begin)
        _, tail = rest.split(end)
        open(sys.argv[3], "w").write(head + begin + table + end + tail)


if __name__ == "__main__":
    main()
