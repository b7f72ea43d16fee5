"""Oral oestrogen as a check of the two cortisol clearance forms (docs/design/0032, section "A
check from oral oestrogen"): the standard model with CBG capacity raised by the factor oral
oestrogen gives (Qureshi et al. 2007 Clin Endocrinol 66:632, abstract: CBG 110.9 vs 49.0 mg/L),
total and free cortisol at 08:30-09:30 (their sampling window) against the default capacity.

    PYTHONPATH=src python benchmarks/cbg_oestrogen.py

Qureshi measured total morning cortisol +67 % (660.9 vs 395.4 nmol/L) with salivary (free)
cortisol unchanged (15.5 vs 13.8 nmol/L, n.s.).
"""

from __future__ import annotations

import numpy as np

from neuroimmune import Protocol, compile_model, compose, simulate
from neuroimmune.model.library.autonomic import autonomic
from neuroimmune.model.library.fever import fever
from neuroimmune.model.library.hpa import hpa
from neuroimmune.model.library.innate import innate

CBG_FACTOR = 110.9 / 49.0


def main() -> None:
    t = np.linspace(0.0, 24.0, 145)
    window = (t >= 8.5) & (t <= 9.5)
    for clearance in ("lumped", "free"):
        system = compile_model(compose(innate(), hpa(clearance=clearance), fever(), autonomic()))
        base = system.model.parameter("CBG_capacity").value
        out = {}
        for label, cbg in (("control", base), ("oral oestrogen", CBG_FACTOR * base)):
            ds = simulate(system, Protocol([], clock_start=0, preequilibrate_days=120), t,
                          params={"CBG_capacity": cbg})
            out[label] = (float(ds["cortisol"].values[0][window].mean()),
                          float(ds["free_cortisol"].values[0][window].mean()),
                          bool(ds["preequilibration_converged"].values[0]),
                          int(ds["preequilibration_days"].values[0]))
        (tc, fc, cc, dc), (to, fo, co, do) = out["control"], out["oral oestrogen"]
        print(f"clearance {clearance!r}: CBG {base:.0f} -> {CBG_FACTOR * base:.0f} nmol/L; "
              f"total cortisol x{to / tc:.3f}, free cortisol x{fo / fc:.3f} "
              f"(24-h cycle reached: {cc} after {dc} d, {co} after {do} d)")


if __name__ == "__main__":
    main()
