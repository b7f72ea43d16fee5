"""Cohort speed with and without pre-equilibration, and shooting against the plain procedure.

    PYTHONPATH=src .venv/bin/python benchmarks/preeq_speed.py [--n 400] [--rounds 3]

Cohort: `lps-bolus` (24 h, output every 0.05 h, LPS 2 ng/kg at 08:00), lognormal patients with
CV 0.2 on every parameter (seed 1), `solve` directly. Three variants, in turns per round, CPU
seconds of this process (numba threads included): no pre-equilibration (`preequilibrate_days =
0`), pre-equilibration by shooting (the default) and by the plain 5-day blocks (the procedure
before issue #18, docs/design/0014-preeq-shooting.md). The shooting setup (nominal Jacobians,
once per process) is in the first round's warm-up. Prints one JSON line per round, then how
the two pre-equilibrations agree and how many patients converged with each.
"""

import argparse
import dataclasses
import importlib
import json
import time

import numpy as np

from neuroimmune import scenarios
from neuroimmune.analysis.population import Population

S = importlib.import_module("neuroimmune.solve")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    sc = scenarios.load("lps-bolus")
    system = scenarios.system(sc)
    P, _ = Population(default_cv=0.2, seed=1).draw(system, args.n, np.random.default_rng(1))
    t = sc.times()
    none = dataclasses.replace(sc.protocol, preequilibrate_days=0)
    shooting = S._preequilibrate_shooting

    def plain(system_, P_, Y0, protocol, options, atol):
        return S._preequilibrate(system_, P_, Y0, protocol, options, atol)

    def run(variant):
        S._preequilibrate_shooting = plain if variant == "plain" else shooting
        try:
            c = time.process_time()
            sol = S.solve(system, P, none if variant == "none" else sc.protocol, t)
            return time.process_time() - c, sol
        finally:
            S._preequilibrate_shooting = shooting

    for v in ("none", "shooting", "plain"):  # warm-up: kernels, nominal start, shooting setup
        S._preequilibrate_shooting = plain if v == "plain" else shooting
        S.solve(system, P[:16], none if v == "none" else sc.protocol, t)
    S._preequilibrate_shooting = shooting
    sols = {}
    for r in range(args.rounds):
        row = {"round": r, "n": args.n}
        for v in ("none", "shooting", "plain"):
            cpu, sols[v] = run(v)
            row[f"{v}_sims_per_cpu_s"] = round(args.n / cpu, 1)
        row["shooting_over_none"] = round(row["shooting_sims_per_cpu_s"]
                                          / row["none_sims_per_cpu_s"], 3)
        row["plain_over_none"] = round(row["plain_sims_per_cpu_s"] / row["none_sims_per_cpu_s"], 3)
        print(json.dumps(row), flush=True)
    a, b = sols["shooting"], sols["plain"]
    both = a.preequilibration_converged & b.preequilibration_converged
    scale = np.nanmax(np.abs(b.outputs[both]), axis=(0, 1)) + 1e-12
    err = np.nanmax(np.abs(a.outputs[both] - b.outputs[both]) / scale, axis=(0, 1))
    print(json.dumps({
        "converged_shooting": int(a.preequilibration_converged.sum()),
        "converged_plain": int(b.preequilibration_converged.sum()),
        "converged_shooting_not_plain": int((a.preequilibration_converged
                                             & ~b.preequilibration_converged).sum()),
        "converged_plain_not_shooting": int((~a.preequilibration_converged
                                             & b.preequilibration_converged).sum()),
        "failed": [int((a.status != 0).sum()), int((b.status != 0).sum())],
        "max_output_difference_of_range_both_converged": float(err.max()),
        "identical_where_neither_converged": bool(np.array_equal(
            a.outputs[~a.preequilibration_converged & ~b.preequilibration_converged],
            b.outputs[~a.preequilibration_converged & ~b.preequilibration_converged],
            equal_nan=True))}), flush=True)


if __name__ == "__main__":
    main()
