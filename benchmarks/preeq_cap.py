"""How long the 1000-day pre-equilibration cap takes for a subject whose axis never settles.

    .venv/bin/python benchmarks/preeq_cap.py [--factors 1 100 240] [--method dopri5]

The subject: of 400 lognormal patients (CV 0.5 on every parameter, seed 1) of `circadian-day`,
the one whose axis has not settled after the scenario's 120 days and that takes the most steps
per day. Its epinephrine clearance k_EPI is then multiplied by each factor to make it stiff
(x240 is about the stiffest dopri5 can pre-equilibrate: about 39,000 steps a day, just under
max_steps = 200,000 per 5-day block). For each factor: the wall time of one `solve` with
`preequilibrate_days = 1000` (the cap, MAX_PREEQ_DAYS), whether it converged, and the steps the
24-h run took. One JSON line per factor.
"""

import argparse
import json
import time

import numpy as np

from neuroimmune import scenarios
from neuroimmune.analysis.population import Population
from neuroimmune.io.scenario import MAX_PREEQ_DAYS
from neuroimmune.protocol import Protocol
from neuroimmune.solve import SolverOptions, solve


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--factors", type=float, nargs="+", default=[1.0, 100.0, 240.0])
    ap.add_argument("--method", default="dopri5")
    args = ap.parse_args()
    sc = scenarios.load("circadian-day")
    system = scenarios.system(sc)
    P, _ = Population(default_cv=0.5, seed=1).draw(system, 400, np.random.default_rng(1))
    sol = solve(system, P, sc.protocol, sc.times())
    unsettled = np.flatnonzero((sol.status == 0) & ~sol.preequilibration_converged)
    subject = P[unsettled[np.argmax(sol.n_steps[unsettled])]]
    cap = Protocol((), clock_start=sc.protocol.clock_start, preequilibrate_days=MAX_PREEQ_DAYS)
    options = SolverOptions(method=args.method)
    solve(system, system.p0[None], cap, np.array([0.0, 24.0]), options=options)  # warm-up
    j = system.parameters.index("k_EPI")
    for factor in args.factors:
        row = subject.copy()
        row[j] *= factor
        t0 = time.perf_counter()
        out = solve(system, row[None], cap, np.array([0.0, 24.0]), options=options)
        print(json.dumps({"k_EPI_factor": factor, "method": args.method,
                          "unsettled_of_400_after_120_days": int(unsettled.size),
                          "preequilibrate_days": MAX_PREEQ_DAYS,
                          "seconds": round(time.perf_counter() - t0, 2),
                          "status": int(out.status[0]),
                          "converged": bool(out.preequilibration_converged[0]),
                          "steps_per_day": int(out.n_steps[0])}), flush=True)


if __name__ == "__main__":
    main()
