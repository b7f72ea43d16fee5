"""Coverage of fit's 95 % profile-likelihood intervals on data made by the model (docs/fitting.md).

    PYTHONPATH=src .venv/bin/python benchmarks/fit_coverage.py [--n 60]

innate() under LPS 2 ng/kg, kTNF = 2.1 and k6 = 0.45 fitted to TNF, IL-6 and IL-10 at 8 times
(0.5-6 h) with 10 % noise, n data sets per case (seeds 100, 101, ...): the fraction of intervals
that hold the true value, per parameter, for three cases: additive noise with the sd given;
proportional (log-normal) noise with the sd estimated; additive noise with a constant sd that is
estimated.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd

from neuroimmune import Protocol, compile_model, innate, lps_bolus, solve
from neuroimmune.analysis.fit import fit

TRUE = {"kTNF": 2.1, "k6": 0.45}
TIMES = np.array([0.5, 1, 1.5, 2, 3, 4, 5, 6.0])
CASES = {"additive, sd given": ("additive", True), "proportional, sd estimated":
         ("proportional", False), "additive, sd estimated": ("additive", False)}


def data(model: np.ndarray, names, noise: str, given: bool, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for k, name in enumerate(names):
        y = model[:, k]
        if noise == "proportional":
            v, sd = y * np.exp(0.1 * rng.standard_normal(y.size)), 0.1 * y
        else:
            sd = 0.1 * y if given else np.full_like(y, 0.1 * y.max())
            v = y + sd * rng.standard_normal(y.size)
        rows += [{"output": name, "time": t, "value": a, "sd": s}
                 for t, a, s in zip(TIMES, v, sd)]
    frame = pd.DataFrame(rows)
    return frame if given else frame.drop(columns="sd")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60)
    n = parser.parse_args().n
    system = compile_model(innate())
    protocol = Protocol([lps_bolus(2.0)], clock_start=8)
    names = ("TNF", "IL6", "IL10")
    sol = solve(system, TRUE, protocol, TIMES)
    model = sol.outputs[0][:, [system.outputs.index(o) for o in names]]
    report = {}
    for case, (noise, given) in CASES.items():
        held = dict.fromkeys(TRUE, 0)
        t0 = time.process_time()
        for seed in range(100, 100 + n):
            result = fit(system, protocol, data(model, names, noise, given, seed), list(TRUE),
                         starts=1, seed=seed, noise=noise, profiles=True)
            for p, true in TRUE.items():
                prof = result.profiles[p]
                held[p] += bool(prof.lower < true < prof.upper)
        report[case] = {**{p: round(h / n, 3) for p, h in held.items()},
                        "cpu_s_per_fit": round((time.process_time() - t0) / n, 3)}
    print(json.dumps({"n": n, "coverage": report}, indent=2))
