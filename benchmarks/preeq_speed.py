"""Cohort speed with and without pre-equilibration, and the early verdict against the full days.

    PYTHONPATH=src .venv/bin/python benchmarks/preeq_speed.py [--n 400] [--rounds 3] [--plain]
        [--reference FILE]
    PYTHONPATH=<other tree>/src .venv/bin/python benchmarks/preeq_speed.py --save-reference FILE

Cohort: `lps-bolus` (24 h, output every 0.05 h, LPS 2 ng/kg at 08:00), lognormal patients with
CV 0.2 on every parameter (seed 1, --seed), `solve` directly. Variants, in turns per round, CPU
seconds of this process (numba threads included): no pre-equilibration (`preequilibrate_days = 0`);
pre-equilibration by shooting with the early "no 24-h cycle" verdict (the default,
docs/design/0025-preeq-verdict.md); shooting without the verdict (`PREEQ_VERDICT = False`: every
patient shooting does not accept runs all 120 days, the procedure of docs/design/0014); with
--plain also the plain 5-day blocks (before issue #18). The shooting setup (nominal Jacobians,
once per process) is in the warm-up. `*_over_none_user` is the same ratio in user CPU time
alone (getrusage): the no-pre-equilibration run's system time varies between rounds
(docs/design/0036-lane-chunks.md). Prints one JSON line per round, then how the variants
agree: converged patients (their outputs should be identical), the non-converged patients'
outputs after the verdict's days against after all 120 days, and the days used.

--save-reference FILE only solves the cohort with the default pre-equilibration of the tree on
PYTHONPATH (e.g. main before this change) and saves outputs and convergence (npz); --reference
FILE then compares the default variant against it: which patients converged in each, and for
patients converged in both the largest output difference relative to each output's range.
"""

import argparse
import dataclasses
import importlib
import json
import resource
import time

import numpy as np

from neuroimmune import scenarios
from neuroimmune.analysis.population import Population

S = importlib.import_module("neuroimmune.solve")


def _user() -> float:
    """User CPU seconds of this process (all threads)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_utime


def lps_cohort(n: int, seed: int):
    """`lps-bolus`, its compiled system and n lognormal patients (CV 0.2, `seed`)."""
    sc = scenarios.load("lps-bolus")
    system = scenarios.system(sc)
    P, _ = Population(default_cv=0.2, seed=seed).draw(system, n, np.random.default_rng(seed))
    return sc, system, P


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--plain", action="store_true")
    ap.add_argument("--reference", default="")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--phase", action="store_true",
                    help="also compare the non-converged patients' outputs after 115 against "
                         "after 120 days (no verdict): how much an arbitrary stopping day moves "
                         "them")
    ap.add_argument("--save-reference", default="")
    args = ap.parse_args()
    sc, system, P = lps_cohort(args.n, args.seed)
    t = sc.times()
    if args.save_reference:
        sol = S.solve(system, P, sc.protocol, t)
        np.savez(args.save_reference, outputs=sol.outputs, status=sol.status,
                 converged=sol.preequilibration_converged)
        return
    none = dataclasses.replace(sc.protocol, preequilibrate_days=0)
    shooting = S._preequilibrate_shooting
    variants = ("none", "verdict", "no_verdict") + (("plain",) if args.plain else ())

    def run(variant, P_=P):
        S._preequilibrate_shooting = S._preequilibrate if variant == "plain" else shooting
        S.PREEQ_VERDICT = variant == "verdict"
        try:
            c, u = time.process_time(), _user()
            sol = S.solve(system, P_, none if variant == "none" else sc.protocol, t)
            return time.process_time() - c, _user() - u, sol
        finally:
            S._preequilibrate_shooting = shooting
            S.PREEQ_VERDICT = True

    for v in variants:  # warm-up: kernels, nominal start, shooting setup
        run(v, P[:16])
    sols = {}
    for r in range(args.rounds):
        row = {"round": r, "n": args.n}
        user = {}
        for v in variants:
            cpu, user[v], sols[v] = run(v)
            row[f"{v}_sims_per_cpu_s"] = round(args.n / cpu, 1)
        for v in variants[1:]:
            row[f"{v}_over_none"] = round(row[f"{v}_sims_per_cpu_s"]
                                          / row["none_sims_per_cpu_s"], 3)
            # user time alone: the system time of the no-pre-equilibration run (page faults of
            # its output arrays, 0.01-0.14 s) halves its speed in some rounds (0036)
            row[f"{v}_over_none_user"] = round(user["none"] / user[v], 3)
        print(json.dumps(row), flush=True)
    a, b = sols["verdict"], sols["no_verdict"]
    ca, cb = a.preequilibration_converged, b.preequilibration_converged
    scale = np.nanmax(np.abs(b.outputs), axis=(0, 1)) - 0 + 1e-12
    rng = np.nanmax(b.outputs, axis=(0, 1)) - np.nanmin(b.outputs, axis=(0, 1)) + 1e-12
    nc = ~ca & ~cb
    diff = np.abs(a.outputs[nc] - b.outputs[nc]) / rng
    names = list(system.outputs)
    peaks_a, peaks_b = np.nanmax(a.outputs[nc], axis=1), np.nanmax(b.outputs[nc], axis=1)
    report = {
        "converged_verdict": int(ca.sum()), "converged_no_verdict": int(cb.sum()),
        "converged_differ": int((ca != cb).sum()),
        "failed": [int((a.status != 0).sum()), int((b.status != 0).sum())],
        "converged_outputs_identical": bool(np.array_equal(a.outputs[ca & cb],
                                                           b.outputs[ca & cb], equal_nan=True)),
        "converged_both_identical_patients": int(sum(
            np.array_equal(a.outputs[i], b.outputs[i], equal_nan=True)
            for i in np.flatnonzero(ca & cb))),
        "converged_max_difference_of_range": float(
            f"{np.max(np.abs(a.outputs[ca & cb] - b.outputs[ca & cb]) / rng):.2g}"),
        "verdict_days_non_converged_percentiles_0_50_90_100": np.percentile(
            a.preequilibration_days[~ca], [0, 50, 90, 100]).tolist() if (~ca).any() else [],
        "days_converged_percentiles_0_50_90_100": np.percentile(
            a.preequilibration_days[ca], [0, 50, 90, 100]).tolist(),
        "non_converged_max_difference_of_range_per_output": {
            names[k]: round(float(diff[..., k].max()), 3) for k in range(len(names))
            if names[k] in sc.outputs} if nc.any() else {},
        "non_converged_median_difference_of_range": round(float(np.median(diff)), 4)
        if nc.any() else None,
        "non_converged_peak_median_verdict_vs_120d": {
            names[k]: [round(float(np.median(peaks_a[:, k])), 4),
                       round(float(np.median(peaks_b[:, k])), 4)]
            for k in range(len(names)) if names[k] in sc.outputs} if nc.any() else {},
    }
    del scale
    if args.phase and nc.any():
        S.PREEQ_VERDICT = False
        try:
            c = S.solve(system, P[nc], dataclasses.replace(sc.protocol, preequilibrate_days=115),
                        t)
        finally:
            S.PREEQ_VERDICT = True
        d115 = np.abs(c.outputs - b.outputs[nc]) / rng
        report["non_converged_115d_vs_120d_max_difference_of_range_per_output"] = {
            names[k]: round(float(d115[..., k].max()), 3) for k in range(len(names))
            if names[k] in sc.outputs}
        report["non_converged_115d_vs_120d_median_difference_of_range"] = round(
            float(np.median(d115)), 4)
        peaks_c = np.nanmax(c.outputs, axis=1)
        report["non_converged_peak_median_115d"] = {
            names[k]: round(float(np.median(peaks_c[:, k])), 4) for k in range(len(names))
            if names[k] in sc.outputs}
    print(json.dumps(report), flush=True)
    if args.reference:
        ref = np.load(args.reference)
        cr = ref["converged"]
        both = ca & cr
        rng_ref = (np.nanmax(ref["outputs"], axis=(0, 1)) - np.nanmin(ref["outputs"], axis=(0, 1))
                   + 1e-12)
        err = np.nanmax(np.abs(a.outputs[both] - ref["outputs"][both]) / rng_ref, axis=(0, 1))
        print(json.dumps({
            "reference_converged": int(cr.sum()),
            "converged_here_not_reference": int((ca & ~cr).sum()),
            "converged_reference_not_here": int((~ca & cr).sum()),
            "max_output_difference_of_range_both_converged": {
                names[k]: float(f"{err[k]:.2g}") for k in range(len(names))
                if names[k] in sc.outputs}}), flush=True)
    if args.plain:
        c = sols["plain"]
        both = ca & c.preequilibration_converged
        s = np.nanmax(np.abs(c.outputs[both]), axis=(0, 1)) + 1e-12
        err = np.nanmax(np.abs(a.outputs[both] - c.outputs[both]) / s, axis=(0, 1))
        print(json.dumps({"converged_plain": int(c.preequilibration_converged.sum()),
                          "max_output_difference_of_range_vs_plain_both_converged":
                              float(err.max())}), flush=True)


if __name__ == "__main__":
    main()
