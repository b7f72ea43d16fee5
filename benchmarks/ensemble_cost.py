"""Cost of one batch evaluation of every calibration block (the unit of work of the calibration
ensemble's sampler, docs/design/0009-calibration-ensemble.md): n parameter sets around the
shipped point estimate solved as one batch of n virtual patients.
Run: .venv/bin/python benchmarks/ensemble_cost.py [n ...]   (default 1 16 32 64)
"""

from __future__ import annotations

import sys
import time

import numpy as np

from neuroimmune.validation.calibrate import calibration_problem, load_calibrated


def main(sizes: list[int]) -> None:
    pb = calibration_problem()
    values = load_calibrated()
    x = np.array([values[p] for p in pb.parameters])
    pb.residuals(x[None, :])  # nominal pre-equilibration and kernels, once
    rng = np.random.default_rng(0)
    for n in sizes:
        X = x * np.exp(0.01 * rng.standard_normal((n, len(x))))
        t0 = time.perf_counter()
        pb.residuals(X)
        dt = time.perf_counter() - t0
        print(f"{n:4d} parameter sets: {dt:6.2f} s ({dt / n * 1000:.1f} ms each)", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1, 16, 32, 64])
