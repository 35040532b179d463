#!/usr/bin/env python3
"""The NumPy anchor of bench_core: a lean exact DMD written as PyDMD's DMD.fit
computes it (thin SVD of X, truncation, Ã = Uᴴ Y V Σ⁻¹, eig, exact modes
Y V Σ⁻¹ W, amplitudes by least squares against x_0), timed on Gaussian
snapshot matrices of bench_core's shapes in CPU seconds (BLAS on one thread,
as scripts/bench.sh sets it), best of a few repeats.

When the module pydmd is importable (PyDMD is not packaged by Debian; put it
on PYTHONPATH), PyDMD's own DMD(exact=True).fit of the same data is timed too.

Prints "<label> <seconds>" lines that bench_core reads (its anchor columns):
the fit as <label>, NumPy's own thin SVD of X as <label>_svd and PyDMD's fit
as <label>_pydmd."""
import time

import numpy as np

try:
    from pydmd import DMD as PyDMD
except ImportError:
    PyDMD = None


def exact_dmd(x, y, rank):
    u, s, vh = np.linalg.svd(x, full_matrices=False)
    r = len(s) if rank is None else rank
    u, s, v = u[:, :r], s[:r], vh[:r].conj().T
    b = y @ v / s
    a_tilde = u.conj().T @ b
    eigenvalues, w = np.linalg.eig(a_tilde)
    modes = b @ w / eigenvalues
    amplitudes = np.linalg.lstsq(modes, x[:, 0], rcond=None)[0]
    return eigenvalues, modes, amplitudes


def best(work, repeats):
    times = []
    for _ in range(repeats):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def main():
    rng = np.random.default_rng(1)
    for rows, snapshots, rank in [(20000, 500, 50), (20000, 500, None), (2000, 2000, None)]:
        data = rng.standard_normal((rows, snapshots + 1))
        x, y = data[:, :-1], data[:, 1:]
        repeats = 1 if snapshots > 1000 else 2
        svd = best(lambda: np.linalg.svd(x, full_matrices=False), repeats)
        fit = best(lambda: exact_dmd(x, y, rank), repeats)
        label = f"dmd_{rows}x{snapshots}_rank_{'full' if rank is None else rank}"
        print(f"{label} {fit:.6f}\n{label}_svd {svd:.6f}", flush=True)
        if PyDMD is not None:
            # svd_rank=-1: no truncation; fit takes the snapshots x_0..x_m whole
            pydmd = best(lambda: PyDMD(svd_rank=-1 if rank is None else rank, exact=True).fit(data), repeats)
            print(f"{label}_pydmd {pydmd:.6f}", flush=True)


if __name__ == "__main__":
    main()
