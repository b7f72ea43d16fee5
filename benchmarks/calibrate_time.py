"""CPU and wall time of the standard-model calibration (issue #16 item 4, docs/calibration.md).

    PYTHONPATH=src .venv/bin/python benchmarks/calibrate_time.py [--gradient sensitivities|fd]
        [--starts 8] [--max-nfev 150] [--seed 0]

runs `run_calibration` with the shipped settings (the header of calibration_standard.csv) after
one warm-up Jacobian (the kernels, the sensitivity system included, come from the cache or are
compiled first, outside the timing) and prints the times, the cost and the shipped cost.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time

import numpy as np

from neuroimmune.validation import calibrate as cal

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gradient", default="sensitivities", choices=["sensitivities", "fd"])
    parser.add_argument("--starts", type=int, default=8)
    parser.add_argument("--max-nfev", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    pb = cal.calibration_problem()
    shipped_values = cal.load_calibrated()
    x = np.log([shipped_values[p] for p in pb.parameters])
    t0 = time.perf_counter()
    pb.residuals(np.exp(x)[None, :])
    if args.gradient == "sensitivities":
        pb.jacobian(x)
    warm = time.perf_counter() - t0
    c0, w0 = time.process_time(), time.perf_counter()
    res = cal.run_calibration(pb, starts=args.starts, seed=args.seed, max_nfev=args.max_nfev,
                              gradient=args.gradient)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    shipped = float(re.search(r"final cost: ([0-9.eE+-]+);", cal.calibration_header()).group(1))
    print(json.dumps({"gradient": args.gradient, "starts": args.starts,
                      "max_nfev": args.max_nfev, "seed": args.seed, "cores": os.cpu_count(),
                      "warm_up_s": round(warm, 1), "cpu_s": round(cpu, 1),
                      "wall_s": round(wall, 1), "cost": round(res.cost, 4),
                      "shipped_cost": shipped, "evaluations": res.n_evaluations}, indent=2))
