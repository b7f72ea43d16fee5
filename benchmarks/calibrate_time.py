"""CPU and wall time of the standard-model calibration (issue #16 item 4, docs/calibration.md).

    PYTHONPATH=src .venv/bin/python benchmarks/calibrate_time.py [--gradient sensitivities|fd]
        [--starts 8] [--max-nfev 150] [--screen 20] [--finalists 2] [--workers 2] [--seed 0]

runs `run_calibration` with the shipped settings (the header of calibration_standard.csv) after
one warm-up Jacobian (the kernels, the sensitivity system included, come from the cache or are
compiled first, outside the timing) and prints the wall time, the CPU time of this process and
its worker processes, the cost and the shipped cost. --screen 0: no screening round.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import time

import numpy as np

from neuroimmune.validation import calibrate as cal

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gradient", default="sensitivities", choices=["sensitivities", "fd"])
    parser.add_argument("--starts", type=int, default=8)
    parser.add_argument("--max-nfev", type=int, default=150)
    parser.add_argument("--screen", type=int, default=cal.SCREEN_NFEV)
    parser.add_argument("--finalists", type=int, default=cal.FINALISTS)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
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
    def cpu_now() -> float:
        own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF,
                                                      resource.RUSAGE_CHILDREN))
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    c0, w0 = cpu_now(), time.perf_counter()
    res = cal.run_calibration(pb, starts=args.starts, seed=args.seed, max_nfev=args.max_nfev,
                              gradient=args.gradient, workers=args.workers,
                              screen_nfev=args.screen or None, finalists=args.finalists)
    cpu, wall = cpu_now() - c0, time.perf_counter() - w0
    shipped = float(re.search(r"final cost: ([0-9.eE+-]+);", cal.calibration_header()).group(1))
    print(json.dumps({"gradient": args.gradient, "starts": args.starts,
                      "max_nfev": args.max_nfev, "screen": args.screen,
                      "finalists": args.finalists, "workers": args.workers,
                      "seed": args.seed, "cores": os.cpu_count(),
                      "warm_up_s": round(warm, 1), "cpu_s": round(cpu, 1),
                      "wall_s": round(wall, 1), "cost": round(res.cost, 4),
                      "shipped_cost": shipped, "evaluations": res.n_evaluations}, indent=2))
