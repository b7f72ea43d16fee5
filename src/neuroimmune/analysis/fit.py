"""Fitting parameters to data: multistart bounded least squares on log-parameters.

Residuals are (model - data) / sd at the data times. The Jacobian is a forward finite difference
in log-parameter space whose perturbed parameter sets are solved as one batch of virtual patients.
Starts: the model defaults plus Latin-hypercube points within the bounds (seeded).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import least_squares
from scipy.stats import qmc

from ..compile import System
from ..errors import NeuroimmuneError, problem
from ..protocol import Protocol
from ..solve import SolverOptions, solve


@dataclass(frozen=True)
class FitResult:
    parameters: dict[str, float]
    cost: float  # 0.5 * sum of squared weighted residuals
    success: bool
    message: str
    n_evaluations: int
    starts: pd.DataFrame  # one row per start: initial values, final cost, success


def _data_arrays(system: System, data: pd.DataFrame):
    needed = {"output", "time", "value"}
    if not needed <= set(data.columns):
        raise NeuroimmuneError(problem("data columns", f"at least {sorted(needed)} (and "
                                       "optionally sd)", sorted(data.columns),
                                       "give one row per measurement"))
    unknown = sorted(set(data["output"]) - set(system.outputs))
    if unknown:
        raise NeuroimmuneError(problem("data output names", "outputs of the model", unknown,
                                       "rename the data columns to model names (TNF, IL6, ...)"))
    sd = data["sd"].to_numpy(float) if "sd" in data else np.ones(len(data))
    if np.any(~np.isfinite(sd) | (sd <= 0)):
        raise NeuroimmuneError(problem("data sd", "finite values > 0", "zero, negative or "
                                       "missing sd", "drop those rows or set sd"))
    times = np.unique(data["time"].to_numpy(float))
    t_idx = np.searchsorted(times, data["time"].to_numpy(float))
    o_idx = np.array([system.outputs.index(o) for o in data["output"]])
    return times, t_idx, o_idx, data["value"].to_numpy(float), sd


def fit(system: System, protocol: Protocol, data: pd.DataFrame, parameters: list[str], *,
        bounds: dict[str, tuple[float, float]] | None = None, starts: int = 8, seed: int = 0,
        options: SolverOptions = SolverOptions(rtol=1e-8, atol=1e-10),
        max_nfev: int = 200) -> FitResult:
    """Fit `parameters` (free parameters of `system`) to `data` (columns output, time, value,
    optionally sd) under `protocol`. Bounds default to each parameter's declared bounds."""
    unknown = [p for p in parameters if p not in system.parameters]
    if not parameters or unknown:
        raise NeuroimmuneError(problem("parameters", "names of free parameters of the model",
                                       unknown or parameters, "see `neuroimmune model`"))
    idx = np.array([system.parameters.index(p) for p in parameters])
    declared = {p.name: p.bounds for p in system.model.parameters}
    lo, hi = [], []
    for name in parameters:
        b = (bounds or {}).get(name) or declared.get(name)
        if b is None or not (0 < b[0] < b[1]):
            raise NeuroimmuneError(problem(f"bounds of {name}", "0 < low < high", b,
                                           "pass bounds={name: (low, high)}"))
        lo.append(np.log(b[0]))
        hi.append(np.log(b[1]))
    lo, hi = np.array(lo), np.array(hi)
    times, t_idx, o_idx, y, sd = _data_arrays(system, data)
    t_eval = np.union1d([0.0], times)
    t_pos = np.searchsorted(t_eval, times)[t_idx]
    evaluations = 0

    def residuals_batch(logs: np.ndarray) -> np.ndarray:
        nonlocal evaluations
        P = np.tile(system.p0, (len(logs), 1))
        P[:, idx] = np.exp(logs)
        sol = solve(system, P, protocol, t_eval, options=options)
        evaluations += len(logs)
        r = (sol.outputs[:, t_pos, o_idx] - y) / sd
        r[sol.status != 0] = 1e6  # a failed solve is a very bad fit, never a crash
        return np.nan_to_num(r, nan=1e6)

    def fun(x):
        return residuals_batch(x[None, :])[0]

    def jac(x):
        h = 1e-6 * np.maximum(1.0, np.abs(x))
        pts = np.vstack([x, x + np.diag(h)])
        r = residuals_batch(pts)
        return ((r[1:] - r[0]) / h[:, None]).T

    x0s = [np.clip(np.log(system.p0[idx]), lo, hi)]
    if starts > 1:
        lhs = qmc.LatinHypercube(d=len(idx), seed=seed).random(starts - 1)
        x0s += list(lo + lhs * (hi - lo))
    rows, best = [], None
    for k, x0 in enumerate(x0s):
        res = least_squares(fun, x0, jac=jac, bounds=(lo, hi), method="trf", x_scale="jac",
                            max_nfev=max_nfev)
        rows.append({"start": k, **{f"{p}.initial": float(np.exp(v))
                                    for p, v in zip(parameters, x0)},
                     "cost": float(res.cost), "success": bool(res.success)})
        if best is None or res.cost < best.cost:
            best = res
    return FitResult({p: float(np.exp(v)) for p, v in zip(parameters, best.x)},
                     float(best.cost), bool(best.success), str(best.message), evaluations,
                     pd.DataFrame(rows))
