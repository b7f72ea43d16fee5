"""The estimation engine: multistart bounded least squares on log-parameters
(docs/design/0007-estimation-engine.md). `fit`, `fit_twins` and `run_calibration` all use it.

The caller gives a batch residual function: an array (n, k) of parameter values (linear scale,
one row per candidate) -> weighted residuals (n, m); one call is one batch solve. The engine owns
the rest: log-parameters within the bounds, the start points (the caller's, then seeded
Latin-hypercube points), scipy least_squares ('trf'), the Jacobian (by default forward finite
differences whose k perturbed candidates are solved with the base point as one batch) and the
bookkeeping (best point, per-start table, evaluations, parameters at a bound).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import least_squares
from scipy.stats import qmc

from ..errors import NeuroimmuneError, problem

#: Finite-difference step in log-parameter space (about sqrt of the solvers' rtol 1e-8).
FD_STEP = 1e-4
#: A value within this fraction of the log-width of its bounds from a bound is "at the bound".
AT_BOUND_TOL = 0.01
#: Residual given to a non-finite residual (a failed solve is a very bad fit, never a crash).
PENALTY = 1e3

Residuals = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Estimate:
    parameters: dict[str, float]  # the best start's values
    cost: float  # 0.5 * sum of squared residuals at the best values
    success: bool
    message: str
    n_evaluations: int  # parameter sets solved (each Jacobian counts k + 1)
    #: One row per start: start, <p>.initial, <p>.final, initial_cost, cost, success, nfev.
    starts: pd.DataFrame
    at_bound: dict[str, bool]  # best value within AT_BOUND_TOL of a bound
    bounds: dict[str, tuple[float, float]]


def at_bound(value: float, bounds: tuple[float, float], tol: float = AT_BOUND_TOL) -> bool:
    """Within `tol` of the log-width of `bounds` from one of them: the data do not hold it in."""
    lo, hi = np.log(bounds[0]), np.log(bounds[1])
    x = np.log(value)
    return bool(min(x - lo, hi - x) < tol * (hi - lo))


def start_points(lo: np.ndarray, hi: np.ndarray, given: Sequence[np.ndarray], starts: int,
                 seed: int) -> list[np.ndarray]:
    """The `given` log-points (clipped into the bounds), then starts - len(given) seeded
    Latin-hypercube points within the bounds."""
    points = [np.clip(np.asarray(x, float), lo, hi) for x in given][:starts]
    if starts > len(points):
        lhs = qmc.LatinHypercube(d=len(lo), seed=seed).random(starts - len(points))
        points += list(lo + lhs * (hi - lo))
    return points


def estimate(residuals: Residuals, bounds: Mapping[str, tuple[float, float]], *,
             x0: Sequence[Mapping[str, float]] = (), starts: int = 1, seed: int = 0,
             max_nfev: int = 200, fd_step: float = FD_STEP, penalty: float = PENALTY,
             jac: Callable[[np.ndarray], np.ndarray] | None = None,
             progress: Callable[[str], None] | None = None) -> Estimate:
    """Minimise 0.5 * sum(residuals(values) ** 2) over the parameters named by `bounds`
    (name -> (low, high), 0 < low < high) on the log scale.

    x0: start points ({name: value}; a missing name starts at the geometric middle of its
    bounds), used first; starts: the total number of starts (the rest Latin-hypercube points
    seeded by `seed`); max_nfev: residual evaluations per start; fd_step: the Jacobian's
    log-step (backward where a forward step would leave the upper bound); jac: another Jacobian,
    log-point -> (m, k) d residuals / d log-parameters (e.g. from sensitivity equations);
    penalty: the value of non-finite residuals.
    """
    names = list(bounds)
    for name, value, ok in (("starts", starts, isinstance(starts, (int, np.integer)) and
                             starts >= 1),
                            ("max_nfev", max_nfev, isinstance(max_nfev, (int, np.integer)) and
                             max_nfev >= 1),
                            ("fd_step", fd_step, np.isfinite(fd_step) and fd_step > 0)):
        if not ok:
            raise NeuroimmuneError(problem(name, "a positive number (integer for counts)",
                                           value, f"e.g. {name}=" + {"starts": "4",
                                           "max_nfev": "100", "fd_step": "1e-4"}[name]))
    bad = [n for n in names if not (np.all(np.isfinite(bounds[n])) and 0 < bounds[n][0] <
                                    bounds[n][1])]
    if not names or bad:
        raise NeuroimmuneError(problem("bounds", "name -> (low, high) with 0 < low < high",
                                       {n: bounds[n] for n in bad} or "none",
                                       "give finite positive bounds for each parameter"))
    lo = np.log([bounds[n][0] for n in names])
    hi = np.log([bounds[n][1] for n in names])
    evaluations = 0

    def batch(logs: np.ndarray) -> np.ndarray:
        nonlocal evaluations
        evaluations += len(logs)
        r = np.asarray(residuals(np.exp(logs)), float)
        return np.nan_to_num(r, nan=penalty, posinf=penalty, neginf=-penalty)

    first_cost: list[float] = []

    def fun(x):
        r = batch(x[None, :])[0]
        if not first_cost:
            first_cost.append(float(0.5 * r @ r))
        return r

    def fd_jac(x):
        h = np.where(x + fd_step <= hi, fd_step, -fd_step)
        r = batch(np.vstack([x, x + np.diag(h)]))
        return ((r[1:] - r[0]) / h[:, None]).T

    middle = 0.5 * (lo + hi)
    given = [np.array([np.log(max(float(p[n]), 1e-300)) if n in p else m
                       for n, m in zip(names, middle)]) for p in x0]
    rows, best = [], None
    for k, x in enumerate(start_points(lo, hi, given, int(starts), seed)):
        first_cost.clear()
        res = least_squares(fun, x, jac=jac or fd_jac, bounds=(lo, hi), method="trf",
                            x_scale="jac", max_nfev=max_nfev)
        rows.append({"start": k, **{f"{n}.initial": float(np.exp(v)) for n, v in zip(names, x)},
                     **{f"{n}.final": float(np.exp(v)) for n, v in zip(names, res.x)},
                     "initial_cost": first_cost[0], "cost": float(res.cost),
                     "success": bool(res.success), "nfev": int(res.nfev)})
        if progress:
            progress(f"start {k}: cost {res.cost:.4g}")
        if best is None or res.cost < best.cost:
            best = res
    assert best is not None  # starts >= 1 is checked above
    values = {n: float(np.exp(v)) for n, v in zip(names, best.x)}
    box = {n: (float(bounds[n][0]), float(bounds[n][1])) for n in names}
    return Estimate(values, float(best.cost), bool(best.success), str(best.message), evaluations,
                    pd.DataFrame(rows), {n: at_bound(values[n], box[n]) for n in names}, box)
