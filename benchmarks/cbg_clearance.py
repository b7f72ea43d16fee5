"""The figures of docs/design/0032-cbg-clearance.md: the binding law's free fraction and total
cortisol half-life, and the standard model with hpa(clearance='free') and its calibrated set
(data/calibration_free_clearance.csv) against the shipped default (lumped w3): the 250-ug
cosyntropin test, overnight dexamethasone and the LPS arms check (rebound: 2-h centred moving
average of cortisol, largest rise after the peak within 12 h, as a share of the peak; 0018).
Run: PYTHONPATH=src .venv/bin/python benchmarks/cbg_clearance.py
"""

import math
from dataclasses import replace

import numpy as np
import sympy as sp

from neuroimmune import scenarios
from neuroimmune.model.core import sym
from neuroimmune.model.library import hpa
from neuroimmune.model.library.hpa import unbound_fraction
from neuroimmune.parameter_sets import FREE_CLEARANCE_PATH
from neuroimmune.scenarios import BUILTIN
from neuroimmune.validation.harness import validation_scenario

NMOL_PER_UGDL = 10_000 / 362.46


def binding_table() -> None:
    p = {x.name: x.value for x in hpa(clearance="free").parameters}
    dorin = math.log(2) / (2.2 / 60)
    for ugdl in (1.0, 5.0, 10.0, 20.0, 30.0, 40.0):
        expr = unbound_fraction(sp.Float(ugdl * NMOL_PER_UGDL))
        phi = float(expr.subs({sym(k): p[k] for k in ("CBG_capacity", "Kd_CBG",
                                                      "albumin_ratio")}))
        print(f"{ugdl:5.1f} ug/dL: free {100 * phi:.2f} %, total half-life "
              f"{60 * math.log(2) / (dorin * phi):.1f} min at Dorin's k_free")


def _variants(sc):
    option = replace(sc, modules=tuple(hpa(clearance="free") if m == "hpa" else m
                                       for m in sc.modules))
    return {"lumped (shipped)": (sc, None), "free (option)": (option, FREE_CLEARANCE_PATH)}


def cosyntropin() -> None:
    sc = replace(validation_scenario("acth-test-250ug"), outputs=("cortisol", "free_cortisol"))
    for name, (s, params) in _variants(sc).items():
        ds = scenarios.simulate(s, parameters=params)
        t = ds["time"].values
        total = [float(np.interp(0.5 + m / 60, t, ds["cortisol"].values[0]))
                 for m in (0, 20, 30, 60)]
        free = float(ds["free_cortisol"].values[0].max())
        print(f"cosyntropin 250 ug, {name}: cortisol at 0/20/30/60 min "
              f"{', '.join(f'{x * NMOL_PER_UGDL:.0f}' for x in total)} nmol/L; "
              f"peak free {free:.1f} nmol/L ({free / NMOL_PER_UGDL:.2f} ug/dL)")


def dexamethasone_and_lps() -> None:
    for key in ("dexamethasone-suppression", "lps-bolus"):
        sc = replace(BUILTIN[key], outputs=("cortisol", "ACTH"))
        for name, (s, params) in _variants(sc).items():
            ds = scenarios.simulate(s, parameters=params)
            t, c = ds["time"].values, ds["cortisol"].values[0]
            if key == "dexamethasone-suppression":
                print(f"dexamethasone, {name}: cortisol at 08:00 "
                      f"{float(ds.ni.value_at('cortisol', 9.0)[0]):.3f} ug/dL")
                continue
            hourly = [float(np.interp(h, t, c)) for h in range(13)]
            dt = float(np.median(np.diff(t)))
            w = max(1, int(round(2.0 / dt)))
            smooth = np.convolve(c, np.ones(w) / w, mode="same")
            i = int(np.argmax(smooth * (t <= 12)))
            after = smooth[i:][t[i:] <= 12]
            rise = max(0.0, float(np.max(after - np.minimum.accumulate(after))))
            acth = ds["ACTH"].values[0]
            print(f"LPS, {name}: cortisol 0-12 h {', '.join(f'{x:.1f}' for x in hourly)} "
                  f"ug/dL; rebound {100 * rise / smooth[i]:.1f} % of the peak; ACTH peak "
                  f"{acth.max():.0f} pg/mL at {t[int(np.argmax(acth))]:.2f} h")


if __name__ == "__main__":
    binding_table()
    cosyntropin()
    dexamethasone_and_lps()
