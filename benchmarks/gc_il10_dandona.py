"""Derivation of the GR factor on constitutive IL-10 (docs/design/0034-gc-il10.md).

Dandona et al. 1999 J Clin Endocrinol Metab 84:1141 (abstract): 100 mg hydrocortisone i.v. at
08-09 h in 7 healthy subjects, no endotoxin; plasma IL-10 sampled before and 1, 2, 4, 8, 24 h
after; peak at 4 h, "436 % of the basal at peak effect". This script gives the model's
IL-10(4 h) / IL-10(0) after the same dose for a grid of (s_GC_IL10, K_GC_IL10).

    PYTHONPATH=src .venv/bin/python benchmarks/gc_il10_dandona.py [K ...]
"""

from __future__ import annotations

import sys

import numpy as np

from neuroimmune import DrugDose, Protocol, compile_model, compose, simulate
from neuroimmune.model.library import STANDARD, biologics, glucocorticoids

DOSE, CLOCK, T_SAMPLE = "100 mg", "08:30", 4.0


def ratio_at(system, params: dict[str, float]) -> tuple[float, float, float]:
    """(IL-10 at 4 h / before, peak / before, time of peak) after 100 mg hydrocortisone i.v."""
    t = np.arange(0.0, 24.0 + 1e-9, 0.05)
    ds = simulate(system, Protocol([DrugDose("hydrocortisone", DOSE, 0.0)], clock_start=CLOCK,
                                   preequilibrate_days=120), t, params=params)
    il10 = ds["IL10"].values[0]
    i4 = int(round(T_SAMPLE / 0.05))
    k = int(np.argmax(il10[: int(round(8.0 / 0.05))]))
    return il10[i4] / il10[0], il10[k] / il10[0], t[k]


if __name__ == "__main__":
    system = compile_model(compose(*(f() for f in STANDARD), glucocorticoids(), biologics(),
                                   name="standard+drugs"))
    ks = [float(x) for x in sys.argv[1:]] or [50.0, 100.0, 200.0, 500.0, 920.0]
    for K in ks:
        for s in (1.0, 2.0, 5.0, 10.0, 20.0, 50.0):
            r4, rp, tp = ratio_at(system, {"K_GC_IL10": K, "s_GC_IL10": s})
            print(f"K {K:6.0f} nmol/L  s {s:5.1f}: IL-10 4 h / basal {r4:5.2f}, "
                  f"peak / basal {rp:5.2f} at {tp:4.2f} h", flush=True)
