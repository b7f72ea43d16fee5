"""Fit of the blood-monocyte block of monocyte_supply (docs/design/0043) with the project's
estimation engine (neuroimmune.analysis.estimate) on the compiled model itself.

The model is `lps-leukocytes`' (standard modules + innate_extra + monocyte_supply, the shipped
calibrated set); every candidate is a patient of one batch solve per dose. Data: Ann Surg
2014;259:999 Table 1 (leukocytes x % monocytes at 0, 3, 6, 24 h after LPS 0.1, 0.5 and 1 ng/kg),
the same table the neutrophil block was fitted to. The 2 ng/kg study of Tak et al. 2017 (the
out-of-sample checks of docs/design/0043) is not read. The block reads only LPS and PAMP, so the
fit depends on the rest of the model only through the plasma LPS course. Run from the
repository root with PYTHONPATH=src .venv/bin/python benchmarks/fit_monocytes.py; with
--free-shape the provisional LPS half-effect and Hill exponent (K_LPS_M, n_LPS_M) are fitted too
(8 starts), a sensitivity check of docs/design/0043, not the shipped fit."""
import sys

import numpy as np
from ann_surg_2014 import HOURS, MONOCYTE_PCT, blood_count, ratios

from neuroimmune import Protocol, lps_bolus
from neuroimmune.analysis.estimate import estimate
from neuroimmune.scenarios import load, system

MODEL = system(load("lps-leukocytes"))
T = np.arange(0, 24.0001, 0.02)
FITTED = ("s_mar_M", "s_rel_M", "k_rel_M")
BOUNDS = {"s_mar_M": (1.0, 1000.0), "s_rel_M": (0.01, 5000.0), "k_rel_M": (0.05, 20.0)}
START = {"s_mar_M": 100.0, "s_rel_M": 5.0, "k_rel_M": 1.0}

RATIO = ratios(MONOCYTE_PCT)   # Ann Surg 2014;259:999 Table 1
SD_RATIO = 0.3


def monocytes(params, dose):
    protocol = Protocol([lps_bolus(dose, 0.0)], clock_start=8, preequilibrate_days=120)
    return blood_count(MODEL, params, protocol, T, "monocytes_blood")


if "--free-shape" in sys.argv[1:]:
    FITTED += ("K_LPS_M", "n_LPS_M")
    BOUNDS = {**BOUNDS, "K_LPS_M": (0.05, 20.0), "n_LPS_M": (0.5, 6.0)}
    START = {**START, "K_LPS_M": 1.0, "n_LPS_M": 1.0}


def residuals(theta: np.ndarray) -> np.ndarray:
    params = {name: theta[:, k] for k, name in enumerate(FITTED)}
    cols = []
    for dose in (0.1, 0.5, 1.0):
        m = monocytes(params, dose)
        for h, ratio in zip(HOURS, RATIO[dose]):
            cols.append((m[:, np.searchsorted(T, h)] / m[:, 0] - ratio) / SD_RATIO)
    return np.column_stack(cols)


if __name__ == "__main__":
    print("data ratios:", {d: [round(r, 2) for r in v] for d, v in RATIO.items()})
    fit = estimate(residuals, BOUNDS, x0=[START], max_nfev=300,
                   starts=8 if "--free-shape" in sys.argv[1:] else 1)
    best = fit.parameters
    theta = np.array([[best[n] for n in FITTED]])
    print(", ".join(FITTED), "=", [round(best[n], 4) for n in FITTED],
          "residuals (SD units)", residuals(theta)[0].round(2), "cost", round(fit.cost, 4))
    for dose in (0.1, 0.5, 1.0, 2.0):
        m = monocytes({n: theta[:, k] for k, n in enumerate(FITTED)}, dose)[0]
        m = m / m[0]
        print(f"{dose} ng/kg: nadir x{m.min():.3f} at {T[m.argmin()]:.2f} h; 3/6/8/24 h "
              + ", ".join(f"x{m[np.searchsorted(T, h)]:.2f}" for h in (3, 6, 8, 24)))
