"""The thermal heart-rate gain `k_h` of the fever module (docs/design/0012-heart-rate.md): a scan
of k_h against the Janum n=20 heart-rate means after 2 ng/kg LPS (0-5.1 h; the in-sample data
Dobreva 2021 fitted the module to), with the adrenergic part of the heart rate present.

    PYTHONPATH=src .venv/bin/python benchmarks/fit_k_h.py [--low 0.15] [--high 0.30] [--step 0.005]

prints the sum of squared differences of the `lps-bolus` heart rate from the means at each k_h
(one batch solve, one patient per value) and the best value.
"""

from __future__ import annotations

import argparse

import numpy as np

from neuroimmune import scenarios
from neuroimmune.validation.datasets import load_dataset

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--low", type=float, default=0.15)
    ap.add_argument("--high", type=float, default=0.30)
    ap.add_argument("--step", type=float, default=0.005)
    args = ap.parse_args()
    data = load_dataset("lps_bolus_2ngkg_janum_dobreva2021")
    hr = data[data["variable"] == "HR"]
    t, mean = hr["time_h"].to_numpy(float), hr["mean"].to_numpy(float)
    grid = np.round(np.arange(args.low, args.high + args.step / 2, args.step), 6)
    sc = scenarios.load("lps-bolus")
    ds = scenarios.simulate(sc, params={"k_h": list(grid)})
    model = ds["heart_rate"].interp(time=t).values  # (patient, time)
    sse = ((model - mean[None, :]) ** 2).sum(axis=1)
    for k, e in zip(grid, sse):
        print(f"k_h {k:.3f}  SSE {e:8.1f} (bpm^2)")
    print(f"best k_h {grid[int(np.argmin(sse))]:.3f} (SSE {sse.min():.1f})")
