"""Fit of the innate_extra tolerance block (docs/sources/innate_extra.md E) with the project's
estimation engine on the model of `lps-repeated-5d` (standard modules + innate_extra +
monocyte_supply, the shipped calibrated set), as fit_neutrophils.py does for the neutrophils.

k_tol, r_tol_IL6, r_tol_IL10: least squares to Draisma 2009's day-5 attenuations of the TNF,
IL-6 and IL-10 rises (97 +- 3, 88 +- 8, 87 +- 7 %), plus the day-1 TNF peak within 2 % of the
naive one (k_tol ~ 0), so that the first challenge stays naive. Then k_IL1bM (step 3 of section
E) so that the first-dose IL-1beta peak is 25.3 pg/mL over its resting 8.6 (Dorresteijn 2005;
IL-1beta feeds nothing back, so the rise is linear in k_IL1bM). s_TGFb keeps its value.

Run from the repository root: PYTHONPATH=src .venv/bin/python benchmarks/fit_tolerance.py"""
import numpy as np

from neuroimmune import Protocol, Repeated, lps_bolus, solve
from neuroimmune.analysis.estimate import estimate
from neuroimmune.scenarios import load, system

MODEL = system(load("lps-repeated-5d"))
PRE = dict(clock_start=8, preequilibrate_days=120)
T5 = np.arange(0.0, 120.0 + 1e-9, 0.02)
FIVE = Protocol([Repeated(lps_bolus(2.0, 0.0), 24.0, 5)], **PRE)
DRAISMA = {"TNF": (0.97, 0.03), "IL6": (0.88, 0.08), "IL10": (0.87, 0.07)}
FITTED = ("k_tol", "r_tol_IL6", "r_tol_IL10")
BOUNDS = {"k_tol": (0.001, 5.0), "r_tol_IL6": (0.1, 20.0), "r_tol_IL10": (0.1, 20.0)}


def value(name: str) -> float:
    return MODEL.model.parameter(name).value


def courses(params, protocol, t, names):
    """{name: (candidates, times)} of the outputs `names` from one solve; a failed candidate's
    rows are NaN."""
    sol = solve(MODEL, params, protocol, t)
    out = {}
    for name in names:
        out[name] = sol.outputs[:, :, MODEL.outputs.index(name)].copy()
        out[name][sol.status != 0] = np.nan
    return out


def course(params, protocol, t, name):
    return courses(params, protocol, t, [name])[name]


def attenuation(y, day):
    """1 - (rise on day `day`) / (rise on day 0), rows of y over T5."""
    def rise(d):
        w = (T5 >= 24 * d) & (T5 < 24 * d + 24)
        return y[:, w].max(axis=1) - y[:, np.searchsorted(T5, 24 * d)]
    return 1.0 - rise(day) / rise(0)


TNF1 = course({"k_tol": 1e-12}, FIVE, T5, "TNF")[0][T5 < 24].max()


def residuals(theta: np.ndarray) -> np.ndarray:
    params = {name: theta[:, k] for k, name in enumerate(FITTED)}
    y = courses(params, FIVE, T5, list(DRAISMA))
    cols = [(attenuation(y[name], 4) - target) / sd for name, (target, sd) in DRAISMA.items()]
    cols.append((y["TNF"][:, T5 < 24].max(axis=1) / TNF1 - 1.0) / 0.02)
    return np.column_stack(cols)


fit = estimate(residuals, BOUNDS, x0=[{n: value(n) for n in FITTED}], max_nfev=60)
theta = {n: fit.parameters[n] for n in FITTED}
print(", ".join(f"{n} = {v:.4g}" for n, v in theta.items()), "residuals (SD units)",
      residuals(np.array([[theta[n] for n in FITTED]]))[0].round(3), "cost", round(fit.cost, 4))
il1b = course(theta, Protocol([lps_bolus(2.0, 0.0)], **PRE), T5[T5 <= 24.0], "IL1b")[0]
k_il1b = value("k_IL1bM") * (25.3 - 8.6) / (il1b.max() - il1b[0])
print(f"k_IL1bM = {k_il1b:.4g} pg/mL/h/cell (was {value('k_IL1bM'):.4g}: peak "
      f"{il1b.max():.2f} pg/mL at {T5[il1b.argmax()]:.2f} h)")
final = courses({**theta, "k_IL1bM": k_il1b}, FIVE, T5,
                ["TNF", "IL6", "IL10", "IL1b", "temperature"])
for name, y in final.items():
    print(f"   {name}: attenuation on days 2-5",
          [round(float(attenuation(y, d)[0]), 3) for d in range(1, 5)])
