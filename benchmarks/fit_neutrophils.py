"""Fit of the innate_extra neutrophil block (docs/sources/innate_extra.md F) with the project's
estimation engine (neuroimmune.analysis.estimate) on the compiled model itself.

The model is `lps-leukocytes`' (standard modules + innate_extra, the shipped calibrated set);
every candidate is a patient of one batch solve per dose. Neutrophils feed nothing back, so
fitting the block inside the whole model is the same as fitting it alone. Run from the
repository root with PYTHONPATH=src .venv/bin/python benchmarks/fit_neutrophils.py."""
import numpy as np
from ann_surg_2014 import HOURS, NEUTROPHIL_PCT, blood_count, ratios
from scipy.optimize import brentq

from neuroimmune import Protocol, lps_bolus
from neuroimmune.analysis.estimate import estimate
from neuroimmune.scenarios import load, system

LPS_MODEL = system(load("lps-leukocytes"))
HC = load("src/neuroimmune/validation/data/protocols/hydrocortisone-200mg-iv.toml")
HC_MODEL = system(HC)
T = np.arange(0, 24.0001, 0.02)
FITTED = ("s_LPS_R", "K_LPS_R", "s_LPS_N", "k_LPS_R")
BOUNDS = {"s_LPS_R": (1.0, 1000.0), "K_LPS_R": (1e-3, 10.0), "s_LPS_N": (1.0, 200.0),
          "k_LPS_R": (0.05, 20.0)}
START = {"s_LPS_R": 100.0, "K_LPS_R": 0.5, "s_LPS_N": 40.0, "k_LPS_R": 2.0}

RATIO = ratios(NEUTROPHIL_PCT)   # Ann Surg 2014;259:999 Table 1
SD_RATIO, NADIR, SD_NADIR, NADIR_TIME, SD_NADIR_TIME = 0.3, 0.5, 0.15, 55 / 60, 0.25


def neutrophils(model, params, protocol, t):
    return blood_count(model, params, protocol, t, "neutrophils")


def residuals(theta: np.ndarray) -> np.ndarray:
    params = {name: theta[:, k] for k, name in enumerate(FITTED)}
    cols = []
    for dose in (0.1, 0.5, 1.0):
        n = neutrophils(LPS_MODEL, params, Protocol([lps_bolus(dose, 0.0)], clock_start=8,
                                                    preequilibrate_days=120), T)
        for h, ratio in zip(HOURS, RATIO[dose]):
            cols.append((n[:, np.searchsorted(T, h)] / n[:, 0] - ratio) / SD_RATIO)
        if dose == 1.0:
            early = n[:, T <= 1.5]
            cols.append((early.min(axis=1) / n[:, 0] - NADIR) / SD_NADIR)
            cols.append((T[early.argmin(axis=1)] - NADIR_TIME) / SD_NADIR_TIME)
    return np.column_stack(cols)


fit = estimate(residuals, BOUNDS, x0=[START], max_nfev=200)
best = fit.parameters
print("s_LPS_R, K_LPS_R, s_LPS_N, k_LPS_R =", [round(best[n], 3) for n in FITTED],
      "residuals", residuals(np.array([[best[n] for n in FITTED]]))[0].round(2),
      "cost", round(fit.cost, 4))


def hc_peak_ratio(s_gc):
    """Peak / start of the blood count after hydrocortisone 200 mg i.v. minus Bishop's 138/79."""
    n = neutrophils(HC_MODEL, {"s_GC_N": s_gc, **best}, HC.protocol, HC.times())[0]
    return n.max() / n[0] - 138.0 / 79.0


print("s_GC_N =", round(brentq(hc_peak_ratio, 0.0, 20.0, xtol=1e-4), 3))
