"""The numbers of docs/design/0027-dexamethasone-brain-barrier.md: the overnight 1-mg
dexamethasone suppression test (scenario `dexamethasone-suppression`, shipped calibrated set) with
the default hpa module and with ``hpa(brain_barrier=True)`` (dexamethasone reaches the
hypothalamic CRH feedback at its brain share `dex_brain_access`), over a range of that share and
of the GR potency `RBA_dex`; values at 08:00 (t = 9 h). Then the option
``hpa(basal_acth=True)`` (Keenan 2004's basal ACTH secretion, not suppressed by feedback) in the
same test and over a day (`circadian-day`), against the default.

    PYTHONPATH=src .venv/bin/python benchmarks/dex_brain_barrier.py
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np

from neuroimmune import scenarios
from neuroimmune.model.library import hpa

ACCESS = (1.0, 0.6, 0.5, 0.45, 0.4, 0.35, 0.2, 0.1)
RBA = (10.0, 25.0)
VARIABLES = ("cortisol", "ACTH", "CRH")


def _at(ds, name: str, t: float) -> np.ndarray:
    i = int(np.argmin(np.abs(ds["time"].values - t)))
    return ds[name].values[:, i]


def _row(label: str, ds, k: int) -> str:
    vals = [f"{float(_at(ds, v, 9.0)[k]):.3g}" for v in VARIABLES]
    late = float(ds["cortisol"].values[k, ds["time"].values <= 9.0].max())
    return f"| {label} | " + " | ".join(vals) + f" | {float(_at(ds, 'ACTH', 8.0)[k]):.3g} | " \
           f"{late:.3g} |"


if __name__ == "__main__":
    base = scenarios.BUILTIN["dexamethasone-suppression"]
    outputs = ("cortisol", "ACTH", "CRH", "dexamethasone", "glucocorticoid")
    print("| model | cortisol 08:00 (ug/dL) | ACTH 08:00 (pg/mL) | CRH 08:00 (pg/mL) | "
          "ACTH 07:00 | max cortisol 23:00-08:00 |")
    print("|---|---|---|---|---|---|")
    ds = scenarios.simulate(replace(base, outputs=outputs))
    print(_row("default hpa (main)", ds, 0))
    barrier = replace(base, outputs=outputs + ("glucocorticoid_brain",), modules=tuple(
        hpa(brain_barrier=True) if m == "hpa" else m for m in base.modules))
    grid = list(itertools.product(ACCESS, RBA))
    ds = scenarios.simulate(barrier, params={"dex_brain_access": [g[0] for g in grid],
                                             "RBA_dex": [g[1] for g in grid]})
    for k, (a, r) in enumerate(grid):
        print(_row(f"brain_barrier, dex_brain_access {a:g}, RBA_dex {r:g}", ds, k))
    for label, mod in (("basal_acth", hpa(basal_acth=True)),
                       ("basal_acth + brain_barrier (0.35)",
                        hpa(basal_acth=True, brain_barrier=True))):
        sc = replace(base, outputs=outputs, modules=tuple(
            mod if m == "hpa" else m for m in base.modules))
        ds = scenarios.simulate(sc)
        print(_row(label, ds, 0) + f" 12:00 cortisol {float(_at(ds, 'cortisol', 13.0)[0]):.3g}")
    day = scenarios.BUILTIN["circadian-day"]
    print("\n| circadian-day | cortisol min / max / mean (ug/dL) | ACTH min / max / mean (pg/mL) |")
    print("|---|---|---|")
    for label, mod in (("default hpa", "hpa"), ("basal_acth", hpa(basal_acth=True))):
        sc = replace(day, outputs=("cortisol", "ACTH"), modules=tuple(
            mod if m == "hpa" else m for m in day.modules))
        ds = scenarios.simulate(sc)
        c, a = ds["cortisol"].values[0], ds["ACTH"].values[0]
        print(f"| {label} | {c.min():.3g} / {c.max():.3g} / {c.mean():.3g} | "
              f"{a.min():.3g} / {a.max():.3g} / {a.mean():.3g} |")
