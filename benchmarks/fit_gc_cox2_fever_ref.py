"""The reference glucocorticoid factor `GC_COX2_fever_ref` of the fever module's PGE2 route
(docs/design/0030-prostaglandin-route.md): a reparametrisation, not a fit to data.

The published (Dobreva 2021) set point was fitted to LPS fevers in which endogenous cortisol
already restrained COX-2. With the glucocorticoid factor on the PGE2 route the nominal fever
would be smaller than the published one; g_ref is the value that makes the `lps-bolus` peak
temperature rise equal to that of the published set point (the same batch run with the
glucocorticoid action on COX-2 removed, IC_GC_COX2 -> 1e12 nmol/L, g_ref = 1).

    PYTHONPATH=src .venv/bin/python benchmarks/fit_gc_cox2_fever_ref.py [--low 0.8] [--high 1.0]

prints the peak rise at each g_ref and the interpolated value matching the published rise.
"""

from __future__ import annotations

import argparse

import numpy as np

from neuroimmune import scenarios
from neuroimmune.validation import statistics as st

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--low", type=float, default=0.80)
    ap.add_argument("--high", type=float, default=1.00)
    ap.add_argument("--step", type=float, default=0.01)
    args = ap.parse_args()
    grid = np.round(np.arange(args.low, args.high + args.step / 2, args.step), 6)
    refs = [1.0] + list(grid)
    sc = scenarios.load("lps-bolus")
    compiled = scenarios.system(sc)
    ic = float(compiled.p0[compiled.parameters.index("IC_GC_COX2")])
    ics = [1e12] + [ic] * len(grid)
    ds = scenarios.simulate(sc, params={"GC_COX2_fever_ref": refs, "IC_GC_COX2": ics})
    rises = [st.rise_over_baseline(ds["temperature"].isel(patient=i), 0.0)
             for i in range(len(refs))]
    published = rises[0]
    print(f"published set point (no glucocorticoid action on COX-2): rise {published:.4f} degC")
    for g, r in zip(grid, rises[1:]):
        print(f"g_ref {g:.3f}  rise {r:.4f} degC")
    r = np.array(rises[1:])
    order = np.argsort(r)
    best = float(np.interp(published, r[order], grid[order]))
    print(f"g_ref matching the published rise: {best:.4f}")
