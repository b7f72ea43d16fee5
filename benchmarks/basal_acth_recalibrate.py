"""Recalibrate the standard model with ``hpa(basal_acth=True)`` swapped in (an experiment of
docs/design/0027; the shipped set is not touched), with the settings of docs/calibration.md but
one worker (the swapped module must stay in this process), then the overnight dexamethasone test
and circadian-day with the result.

    PYTHONPATH=src .venv/bin/python benchmarks/basal_acth_recalibrate.py OUT.csv
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace

import numpy as np

from neuroimmune import scenarios
from neuroimmune.model import library
from neuroimmune.model.library import hpa
from neuroimmune.validation.calibrate import run_calibration, write_calibrated


def _swap(sc):
    return replace(sc, modules=tuple(hpa(basal_acth=True) if m == "hpa" else m
                                     for m in sc.modules))


def _at(ds, v: str, t: float) -> float:
    return float(ds[v].values[0, int(np.argmin(np.abs(ds["time"].values - t)))])


if __name__ == "__main__":
    out = sys.argv[1]
    library.BY_NAME["hpa"] = lambda: hpa(basal_acth=True)
    t0 = time.time()
    res = run_calibration(starts=8, seed=0, max_nfev=150, screen_nfev=20, finalists=2,
                          gradient="sensitivities", workers=1)
    write_calibrated(res, out)
    print(f"wall {time.time() - t0:.0f} s; cost {res.cost:.4f}; " + ", ".join(
        f"{k} {x:.4g}" for k, x in res.block_costs.items()))
    dex = scenarios.simulate(replace(_swap(scenarios.BUILTIN["dexamethasone-suppression"]),
                                     outputs=("cortisol", "ACTH")), parameters=out)
    print(f"dexamethasone-suppression: 08:00 cortisol {_at(dex, 'cortisol', 9.0):.3f} ug/dL, "
          f"ACTH {_at(dex, 'ACTH', 9.0):.2f} pg/mL; "
          f"12:00 cortisol {_at(dex, 'cortisol', 13.0):.2f}")
    day = scenarios.simulate(replace(_swap(scenarios.BUILTIN["circadian-day"]),
                                     outputs=("cortisol", "ACTH")), parameters=out)
    c, a = day["cortisol"].values[0], day["ACTH"].values[0]
    print(f"circadian-day: cortisol {c.min():.3g}/{c.max():.3g}/{c.mean():.3g} ug/dL, ACTH "
          f"{a.min():.3g}/{a.max():.3g}/{a.mean():.3g} pg/mL (min/max/mean)")
