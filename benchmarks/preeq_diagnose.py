"""Why pre-equilibration costs what it costs: each patient's day-to-day residual, day by day.

    PYTHONPATH=src .venv/bin/python benchmarks/preeq_diagnose.py [--n 400] [--days 120]

Cohort as in benchmarks/preeq_speed.py (`lps-bolus`, lognormal CV 0.2, seed 1). Every patient
runs `--days` plain days from the nominal start, one day at a time, and records its residual
r_k = max over states of |y_{k+1} - y_k| / (PREEQ_RTOL |y_{k+1}| + 10 atol) (the convergence
test passes at r <= 1) and its period-2 residual r2_k (the same with y_{k+2} - y_k). Prints:

* per patient class, the distribution of the day the plain test (5-day blocks, last two days)
  first passes;
* for patients that never pass: the classification by the last 20 days, "period-2" (r2 << r),
  "slow drift" (r still falling geometrically), "near tolerance" (r within 10 of the test),
  "irregular" (neither: quasi-periodic or longer periods);
* the state that carries the largest residual.

With --save FILE, writes the residual arrays (npz) for later inspection.
"""

import argparse
import importlib
import json

import numpy as np

from neuroimmune import scenarios
from neuroimmune.analysis.population import Population
from neuroimmune.protocol import Protocol

S = importlib.import_module("neuroimmune.solve")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--days", type=int, default=120)
    ap.add_argument("--save", default="")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    sc = scenarios.load("lps-bolus")
    system = scenarios.system(sc)
    # --seed 0: the first chunk of `neuroimmune population lps-bolus --n 400` (seed 0)
    P, _ = Population(default_cv=0.2, seed=args.seed).draw(
        system, args.n, np.random.default_rng([0, 0] if args.seed == 0 else args.seed))
    opts = S.SolverOptions()
    atol = np.full(system.n_states, opts.atol)
    y = np.tile(S._nominal_start(system, sc.protocol, opts, atol), (args.n, 1))
    rest = Protocol(clock_start=sc.protocol.clock_start)
    t = 24.0 * np.arange(1, args.days + 1)
    sol = S._run(system, P, y, rest, t, opts, atol)
    Y = np.concatenate([y[:, None, :], sol.outputs[:, :, :system.n_states]], axis=1)
    tol = S.PREEQ_RTOL * np.abs(Y[:, 1:]) + 10 * atol
    ratio1 = np.abs(Y[:, 1:] - Y[:, :-1]) / tol
    r = ratio1.max(axis=2)  # (patient, day k -> k+1)
    r2 = (np.abs(Y[:, 2:] - Y[:, :-2]) / tol[:, 1:]).max(axis=2)
    worst_state = ratio1[:, -1].argmax(axis=1)
    # the plain test: at the end of block b (days 5b), the change from day 5b-1 to 5b passes
    blocks = np.arange(5, args.days + 1, 5)
    passed = r[:, blocks - 1] <= 1.0
    first = np.where(passed.any(axis=1), blocks[passed.argmax(axis=1)], -1)
    conv = first > 0
    summary = {"n": args.n, "converged_plain": int(conv.sum()),
               "status_failed": int((sol.status != 0).sum()),
               "days_converged_percentiles_10_50_90_max": np.percentile(
                   first[conv], [10, 50, 90, 100]).tolist()}
    print(json.dumps(summary), flush=True)
    last = slice(args.days - 20, args.days)
    kinds = {}
    for i in np.flatnonzero(~conv):
        ri, r2i = r[i, last], r2[i, last.start:args.days - 1]
        slope = np.polyfit(np.arange(ri.size), np.log(ri), 1)[0]
        if np.median(r2i) < 0.05 * np.median(ri):
            kind = "period-2"
        elif slope < -0.01 and np.all(np.diff(np.log(ri)) < 0.05):
            kind = "slow drift"
        elif np.median(ri) < 10:
            kind = "near tolerance"
        else:
            kind = "irregular"
        kinds.setdefault(kind, []).append(
            {"patient": int(i), "r_last": float(ri[-1]), "r_min": float(r[i].min()),
             "r2_last": float(r2i[-1]), "log_slope_per_day": round(float(slope), 4),
             "state": system.states[worst_state[i]]
             if hasattr(system, "states") else int(worst_state[i])})
    for kind, rows in kinds.items():
        print(json.dumps({"kind": kind, "count": len(rows)}), flush=True)
        for row in rows:
            print("   ", json.dumps(row))
    if args.save:
        np.savez(args.save, r=r, r2=r2, first=first, P=P)


if __name__ == "__main__":
    main()
