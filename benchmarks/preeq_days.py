"""Where a pre-equilibrated cohort's time goes: patient-days and CPU per phase.

    PYTHONPATH=src .venv/bin/python benchmarks/preeq_days.py [--n 400] [--seed 1]

Cohort as in benchmarks/preeq_speed.py (`lps-bolus`, lognormal CV 0.2). Solves it once with the
default pre-equilibration (after a warm-up) and counts, for every one-day-map or plain-day run,
patients x days and its CPU by the function that asked for it: `_broyden` (shooting iterations,
first attempt and second attempts), `_verify` (the 5-day checks), `_preequilibrate_verdict` (the
plain days of the patients shooting did not accept). Prints one JSON line: these, the 24-h run's
CPU, and the recorded days of converged and non-converged patients (0th/50th/90th/100th
percentile).
"""

import argparse
import collections
import importlib
import json
import sys
import time

import numpy as np
from preeq_speed import lps_cohort  # the same cohort (run from the repository root)

S = importlib.import_module("neuroimmune.solve")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    sc, system, P = lps_cohort(args.n, args.seed)
    t = sc.times()
    S.solve(system, P[:16], sc.protocol, t)  # warm-up: kernels, nominal start, shooting setup
    days, cpu = collections.Counter(), collections.Counter()
    run, integrate = S._run, S._integrate

    def counted(system_, P_, Y0, protocol, t_, options, atol):
        caller = sys._getframe(1).f_code.co_name
        if caller == "_one_day":
            caller = sys._getframe(2).f_code.co_name
        c = time.process_time()
        try:
            return run(system_, P_, Y0, protocol, t_, options, atol)
        finally:
            cpu[caller] += time.process_time() - c
            days[caller] += P_.shape[0] * float(t_[-1]) / 24.0

    def timed(*a):
        if sys._getframe(1).f_code.co_name != "solve":
            return integrate(*a)
        c = time.process_time()
        try:
            return integrate(*a)
        finally:
            cpu["24-h run"] += time.process_time() - c

    S._run, S._integrate = counted, timed
    try:
        c = time.process_time()
        sol = S.solve(system, P, sc.protocol, t)
        total = time.process_time() - c
    finally:
        S._run, S._integrate = run, integrate
    conv = sol.preequilibration_converged
    d = sol.preequilibration_days
    print(json.dumps({
        "n": args.n, "seed": args.seed, "converged": int(conv.sum()), "cpu_s": round(total, 3),
        "patient_days": {k: int(v) for k, v in days.items()},
        "rest_days_per_patient": round(sum(days.values()) / args.n, 1),
        "cpu_s_by_phase": {k: round(v, 3) for k, v in cpu.items()},
        "days_converged_0_50_90_100": np.percentile(d[conv], [0, 50, 90, 100]).tolist(),
        "days_not_converged_0_50_90_100": np.percentile(d[~conv], [0, 50, 90, 100]).tolist()
        if (~conv).any() else []}))


if __name__ == "__main__":
    main()
