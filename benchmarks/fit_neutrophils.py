"""Offline fit of the innate_extra neutrophil block (docs/sources/innate_extra.md F).

Neutrophils feed nothing back, so the block is solved here with scipy, driven by the composed
model's own LPS and glucocorticoid time courses. Run from the repository root with
PYTHONPATH=src .venv/bin/python benchmarks/fit_neutrophils.py (about 2 min)."""
import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq, least_squares

from neuroimmune import Protocol, compile_model, compose, lps_bolus, scenarios, simulate
from neuroimmune.model.library import STANDARD
from neuroimmune.model.library.innate_extra import innate_extra

system = compile_model(compose(*[f() for f in STANDARD], innate_extra(), name="standard+extra"))
t = np.arange(0, 48.0001, 0.02)
tc = {}
for d in (0.0, 0.1, 0.5, 0.8, 1.0, 2.0):
    ds = simulate(system, Protocol([lps_bolus(d, 0.0)] if d else [], clock_start=8,
                                   preequilibrate_days=120), t)
    tc[d] = {k: ds[k].values[0] for k in ("LPS", "glucocorticoid")}
hc = scenarios.simulate(scenarios.load(
    "src/neuroimmune/validation/data/protocols/hydrocortisone-200mg-iv.toml"))
hc_gc = (hc["time"].values, hc["glucocorticoid"].values[0])

LN2 = np.log(2)
P = dict(kN=LN2 / 7, kMR=1 / (5.8 * 24), N0=3.8, sG=1.0, K=25.0, n=4.0, rE=0.74, sL=100.0,
         KG=0.5, kG=2.0, sM=40.0, KM=1.0, GCref=7.6)


def hu(x, K, n):
    x = max(x, 0.0)
    return x**n / (x**n + K**n)


def rhs(tt, y, p, lps, gc):
    mr, n, g1, g2 = y
    L, C = np.interp(tt, t, lps), np.interp(tt, *gc)
    R = ((1 + p["sG"] * hu(C, p["K"], p["n"]) + p["sL"] * g2)
         / (1 + p["sG"] * hu(p["GCref"], p["K"], p["n"])))
    E = (1 - p["rE"] * hu(C, p["K"], p["n"])) / (1 - p["rE"] * hu(p["GCref"], p["K"], p["n"]))
    M = 1 + p["sM"] * L / (L + p["KM"])
    return [p["kN"] * p["N0"] - p["kMR"] * R * mr, p["kMR"] * R * mr - p["kN"] * E * M * n,
            p["kG"] * (L / (L + p["KG"]) - g1), p["kG"] * (g1 - g2)]


def run(p, dose=None, gc=None, tend=24.0):
    day = t < 24
    gcp = (np.concatenate([t[day] + 24 * k for k in range(20)]),
           np.tile(tc[0.0]["glucocorticoid"][day], 20))
    y0 = [p["N0"] * p["kN"] / p["kMR"], p["N0"], 0.0, 0.0]
    s = solve_ivp(rhs, (0, 20 * 24 - 0.02), y0, args=(p, np.zeros_like(t), gcp), method="LSODA",
                  rtol=1e-7, atol=1e-9, max_step=0.5)
    lps = tc[dose]["LPS"] if dose is not None else np.zeros_like(t)
    g = (t, tc[dose]["glucocorticoid"]) if dose is not None else gc
    te = np.arange(0, tend + 1e-9, 0.02)
    s = solve_ivp(rhs, (0, tend), s.y[:, -1], args=(p, lps, g), method="LSODA", rtol=1e-7,
                  atol=1e-9, t_eval=te, max_step=0.1)
    return s.t, s.y


# Ann Surg 2014;259:999 Table 1: leukocytes (1e9/L) and % neutrophils at 0, 3, 6, 24 h
TABLE = {1.0: ([6.8, 11.4, 10.9, 6.8], [55.9, 92.7, 86.8, 57.6]),
         0.5: ([6.0, 11.5, 10.9, 6.8], [59.2, 87.0, 82.9, 56.2]),
         0.1: ([6.0, 7.3, 8.4, 6.2], [58.9, 76.0, 73.3, 61.5])}
RATIO = {d: [w * f / (v[0][0] * v[1][0]) for w, f in zip(*v)][1:] for d, v in TABLE.items()}


def residuals(th):
    q = dict(P, sL=th[0], KG=th[1], sM=th[2], kG=th[3])
    r = []
    for d in (0.1, 0.5, 1.0):
        tt, y = run(q, d)
        n = y[1]
        r += [(n[np.searchsorted(tt, h)] / n[0] - rr) / 0.3 for h, rr in zip((3, 6, 24), RATIO[d])]
        if d == 1.0:
            r += [(n[tt <= 1.5].min() / n[0] - 0.5) / 0.15,
                  (tt[n[tt <= 1.5].argmin()] - 55 / 60) / 0.25]
    return np.array(r)


fit = least_squares(residuals, x0=[100.0, 0.5, 40.0, 2.0],
                    bounds=([0, 1e-3, 0, 0.05], [1000, 10, 200, 20]), diff_step=1e-3)
P.update(sL=fit.x[0], KG=fit.x[1], sM=fit.x[2], kG=fit.x[3])
print("s_LPS_R, K_LPS_R, s_LPS_N, k_LPS_R =", fit.x.round(3), "residuals", fit.fun.round(2))


def hc_peak_ratio(sg):
    _, y = run(dict(P, sG=sg), None, hc_gc)
    return y[1].max() / y[1][0] - 138.0 / 79.0


P["sG"] = brentq(hc_peak_ratio, 0.0, 20.0, xtol=1e-4)
print("s_GC_N =", round(P["sG"], 3))
