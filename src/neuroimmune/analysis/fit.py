"""Fitting parameters of a model to data under one protocol.

Residuals are (model - data) / sd at the data times; the optimisation is the estimation engine
(`neuroimmune.analysis.estimate`: multistart bounded least squares on log-parameters, batched
finite-difference Jacobian). Starts: the model defaults plus Latin-hypercube points within the
bounds (seeded).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..compile import System
from ..errors import NeuroimmuneError, problem
from ..protocol import Protocol
from ..solve import SolverOptions, solve
from .estimate import estimate


@dataclass(frozen=True)
class FitResult:
    parameters: dict[str, float]
    cost: float  # 0.5 * sum of squared weighted residuals
    success: bool
    message: str
    n_evaluations: int
    starts: pd.DataFrame  # one row per start: initial and final values, cost, success, nfev
    at_bound: dict[str, bool] = field(default_factory=dict)  # within 1 % (log width) of a bound


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
    box = {}
    for name in parameters:
        b = (bounds or {}).get(name) or declared.get(name)
        if b is None or not (0 < b[0] < b[1]):
            raise NeuroimmuneError(problem(f"bounds of {name}", "0 < low < high", b,
                                           "pass bounds={name: (low, high)}"))
        box[name] = (float(b[0]), float(b[1]))
    times, t_idx, o_idx, y, sd = _data_arrays(system, data)
    t_eval = np.union1d([0.0], times)
    t_pos = np.searchsorted(t_eval, times)[t_idx]

    def residuals(values: np.ndarray) -> np.ndarray:
        P = np.tile(system.p0, (len(values), 1))
        P[:, idx] = values
        sol = solve(system, P, protocol, t_eval, options=options)
        r = (sol.outputs[:, t_pos, o_idx] - y) / sd
        r[sol.status != 0] = np.nan  # a failed solve: the engine's penalty
        return r

    est = estimate(residuals, box, x0=[dict(zip(parameters, system.p0[idx]))], starts=starts,
                   seed=seed, max_nfev=max_nfev, penalty=1e6)
    return FitResult(est.parameters, est.cost, est.success, est.message, est.n_evaluations,
                     est.starts, est.at_bound)
