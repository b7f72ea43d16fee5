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

from contextlib import contextmanager
from dataclasses import dataclass, replace
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
#: Termination tolerances of least_squares (ftol, xtol, gtol; scipy's defaults).
TOL = 1e-8
#: The profiles' re-optimisations stop earlier: a cost to ~1e-6 relative is far finer than the
#: interval threshold (1.92) and the flatness test (FLAT_TOL).
PROFILE_TOL = 1e-6
#: Residual given to a non-finite residual (a failed solve is a very bad fit, never a crash).
PENALTY = 1e3
#: Largest Jacobian entry used as given; above it (or non-finite) finite differences are used
#: for that evaluation: least_squares squares the entries (overflow past about 1e154).
JAC_LIMIT = 1e100

Residuals = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Estimate:
    parameters: dict[str, float]  # the best start's values
    cost: float  # 0.5 * sum of squared residuals at the best values
    success: bool
    message: str
    n_evaluations: int  # parameter sets solved (each Jacobian counts k + 1)
    #: One row per start: start, <p>.initial, <p>.final, initial_cost, cost, success, nfev,
    #: continued (went on after the screening round) and, with screening, screen_cost.
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
             progress: Callable[[str], None] | None = None, tol: float = TOL,
             workers: int = 1, screen_nfev: int | None = None,
             finalists: int = 2) -> Estimate:
    """Minimise 0.5 * sum(residuals(values) ** 2) over the parameters named by `bounds`
    (name -> (low, high), 0 < low < high) on the log scale.

    x0: start points ({name: value}; a missing name starts at the geometric middle of its
    bounds), used first; starts: the total number of starts (the rest Latin-hypercube points
    seeded by `seed`); max_nfev: residual evaluations per start; fd_step: the Jacobian's
    log-step (backward where a forward step would leave the upper bound); jac: another Jacobian,
    log-point -> (m, k) d residuals / d log-parameters (e.g. from sensitivity equations);
    penalty: the value of non-finite residuals; tol: least_squares' ftol, xtol and gtol;
    workers: starts run at once, each in its own process (`residuals` and `jac` must pickle);
    every start is computed alone, so the result does not depend on `workers`;
    screen_nfev: every start first runs this many evaluations, then only the `finalists` best go on
    from where they stopped, to max_nfev evaluations in all (None: every start runs max_nfev).
    """
    names = list(bounds)
    for name, value, ok in (("starts", starts, isinstance(starts, (int, np.integer)) and
                             starts >= 1),
                            ("max_nfev", max_nfev, isinstance(max_nfev, (int, np.integer)) and
                             max_nfev >= 1),
                            ("workers", workers, isinstance(workers, (int, np.integer)) and
                             workers >= 1),
                            ("finalists", finalists, isinstance(finalists, (int, np.integer))
                             and finalists >= 1),
                            ("screen_nfev", screen_nfev, screen_nfev is None or (
                                isinstance(screen_nfev, (int, np.integer))
                                and 1 <= screen_nfev < max_nfev)),
                            ("fd_step", fd_step, np.isfinite(fd_step) and fd_step > 0)):
        if not ok:
            raise NeuroimmuneError(problem(name, "a positive number (integer for counts)",
                                           value, f"e.g. {name}=" + {"starts": "4",
                                           "max_nfev": "100", "workers": "2", "finalists": "2",
                                           "screen_nfev": "20 (below max_nfev)",
                                           "fd_step": "1e-4"}[name]))
    bad = [n for n in names if not (np.all(np.isfinite(bounds[n])) and 0 < bounds[n][0] <
                                    bounds[n][1])]
    if not names or bad:
        raise NeuroimmuneError(problem("bounds", "name -> (low, high) with 0 < low < high",
                                       {n: bounds[n] for n in bad} or "none",
                                       "give finite positive bounds for each parameter"))
    lo = np.log([bounds[n][0] for n in names])
    hi = np.log([bounds[n][1] for n in names])
    middle = 0.5 * (lo + hi)
    given = [np.array([np.log(max(float(p[n]), 1e-300)) if n in p else m
                       for n, m in zip(names, middle)]) for p in x0]
    points = start_points(lo, hi, given, int(starts), seed)
    first = int(max_nfev) if screen_nfev is None else int(screen_nfev)
    task = _Start(residuals, jac, lo, hi, float(fd_step), float(penalty), float(tol))
    continued = [False] * len(points)
    with _workers(task, min(int(workers), len(points))) as pool:
        results = _all_starts(pool, task, points, first, progress, "start")
        screened = [out.cost for out in results]
        if screen_nfev is not None:
            # the `finalists` best screened starts go on (a converged one has nothing left to do)
            order = sorted(range(len(points)), key=lambda i: (results[i].cost, i))
            chosen = [i for i in order[:int(finalists)] if not results[i].success]
            more = _all_starts(pool, task, [results[i].x for i in chosen], int(max_nfev) - first,
                               progress, "continued start", labels=chosen)
            for i, out in zip(chosen, more):
                a = results[i]
                results[i] = replace(out, initial_cost=a.initial_cost, nfev=a.nfev + out.nfev,
                                     evaluations=a.evaluations + out.evaluations)
                continued[i] = True
    rows, best = [], None
    for k, (x, out) in enumerate(zip(points, results)):
        rows.append({"start": k, **{f"{n}.initial": float(np.exp(v)) for n, v in zip(names, x)},
                     **{f"{n}.final": float(np.exp(v)) for n, v in zip(names, out.x)},
                     "initial_cost": out.initial_cost, "cost": out.cost,
                     "success": out.success, "nfev": out.nfev, "continued": continued[k],
                     **({"screen_cost": screened[k]} if screen_nfev is not None else {})})
        if best is None or out.cost < best.cost:
            best = out
    assert best is not None  # starts >= 1 is checked above
    values = {n: float(np.exp(v)) for n, v in zip(names, best.x)}
    box = {n: (float(bounds[n][0]), float(bounds[n][1])) for n in names}
    evaluations = sum(out.evaluations for out in results)
    return Estimate(values, best.cost, best.success, best.message, evaluations,
                    pd.DataFrame(rows), {n: at_bound(values[n], box[n]) for n in names}, box)


@dataclass(frozen=True)
class _StartResult:
    x: np.ndarray
    cost: float
    initial_cost: float
    success: bool
    message: str
    nfev: int
    evaluations: int  # parameter sets solved


@dataclass(frozen=True)
class _Start:
    """One least-squares run from a start point: what a worker process needs (picklable when
    `residuals` and `jac` are)."""

    residuals: Residuals
    jac: Callable[[np.ndarray], np.ndarray] | None
    lo: np.ndarray
    hi: np.ndarray
    fd_step: float
    penalty: float
    tol: float

    def __call__(self, x: np.ndarray, max_nfev: int) -> _StartResult:
        evaluations = 0
        first_cost: list[float] = []

        def batch(logs: np.ndarray) -> np.ndarray:
            nonlocal evaluations
            evaluations += len(logs)
            r = np.asarray(self.residuals(np.exp(logs)), float)
            return np.nan_to_num(r, nan=self.penalty, posinf=self.penalty,
                                 neginf=-self.penalty)

        def fun(x):
            r = batch(x[None, :])[0]
            if not first_cost:
                first_cost.append(float(0.5 * r @ r))
            return r

        def fd_jac(x):
            h = np.where(x + self.fd_step <= self.hi, self.fd_step, -self.fd_step)
            r = batch(np.vstack([x, x + np.diag(h)]))
            return ((r[1:] - r[0]) / h[:, None]).T

        def jac(x):
            # a supplied Jacobian that overflows (sensitivities at an extreme parameter value)
            # is replaced by finite differences of the penalised residuals at that point
            if self.jac is not None:
                J = np.asarray(self.jac(x), float)
                if np.all(np.isfinite(J)) and np.max(np.abs(J), initial=0.0) < JAC_LIMIT:
                    return J
            return fd_jac(x)

        res = least_squares(fun, x, jac=jac, bounds=(self.lo, self.hi),
                            method="trf", x_scale="jac", max_nfev=max_nfev, ftol=self.tol,
                            xtol=self.tol, gtol=self.tol)
        return _StartResult(np.asarray(res.x, float), float(res.cost), first_cost[0],
                            bool(res.success), str(res.message), int(res.nfev), evaluations)


def _all_starts(pool, task: _Start, points: list[np.ndarray], max_nfev: int, progress,
                what: str, labels: Sequence[int] | None = None) -> list[_StartResult]:
    """task(x, max_nfev) for every point, in order: here, or in the worker pool."""
    labels = list(range(len(points))) if labels is None else list(labels)
    results: list[_StartResult | None] = [None] * len(points)
    if pool is None:
        done = ((k, task(x, max_nfev)) for k, x in enumerate(points))
    else:
        from concurrent.futures import as_completed

        futures = {pool.submit(_work, x, max_nfev): k for k, x in enumerate(points)}
        done = ((futures[f], f.result()) for f in as_completed(futures))
    for k, out in done:  # in the order they finish
        results[k] = out
        if progress:
            progress(f"{what} {labels[k]}: cost {out.cost:.4g}")
    return [out for out in results if out is not None]


_TASK: _Start | None = None  # a worker process's task (sent once, by the initialiser)


def _init_worker(task: _Start) -> None:
    """Worker initialiser: keep the task; one numba thread (the workers are the parallelism)."""
    import numba

    global _TASK
    _TASK = task
    numba.set_num_threads(1)


def _work(x: np.ndarray, max_nfev: int) -> _StartResult:
    assert _TASK is not None  # set by _init_worker
    return _TASK(x, max_nfev)


@contextmanager
def _workers(task: _Start, workers: int):
    """A pool of `workers` fresh processes (spawned: no threads or locks inherited), each given
    the task once, or None for one process."""
    if workers == 1:
        yield None
        return
    import multiprocessing
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    try:
        pickle.dumps(task)
    except Exception as exc:  # noqa: BLE001 - any pickling failure means: not for workers
        raise NeuroimmuneError(problem(
            "workers", "residual and Jacobian functions that can be sent to worker processes",
            f"{workers} workers with a function that does not pickle ({exc})",
            "use workers=1, or pass methods of a picklable object")) from exc
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_init_worker, initargs=(task,)) as pool:
        yield pool


def fixed_jacobian(jac: Callable[[np.ndarray], np.ndarray] | None, k: int, value: float
                   ) -> Callable[[np.ndarray], np.ndarray] | None:
    """The Jacobian over the other parameters when parameter `k` is fixed at `value` (linear
    scale), from the full problem's `jac` (log-point -> d residuals / d log-parameters)."""
    if jac is None:
        return None
    full_jac = jac

    def sub(x: np.ndarray) -> np.ndarray:
        J = np.asarray(full_jac(np.insert(np.asarray(x, float), k, np.log(value))), float)
        return np.delete(J, k, axis=1)
    return sub


# -- profile likelihood --------------------------------------------------------------------------
#: Interval level of profile likelihoods: the cost (= -log L + const) may rise by
#: chi2.ppf(level, 1) / 2 (1.92 at 95 %) within the interval.
LEVEL = 0.95
#: A profile's check of a rise with other parameters at a bound widens their bounds this much.
RELAX = 100.0
#: A profile whose rise stays below this fraction of the threshold over its whole range is flat.
FLAT_TOL = 0.01
IDENTIFIABLE = "identifiable"
PRACTICAL = "practically non-identifiable"
STRUCTURAL = "structurally non-identifiable"


@dataclass(frozen=True)
class Profile:
    """The profile likelihood of one parameter: the cost re-optimised over the other parameters
    at fixed values of it, walked from the optimum towards both bounds until the rise passes
    `threshold`. `lower`/`upper`: the interval ends (interpolated where the rise crosses the
    threshold; NaN where it does not: an open side). `limited_by`: other parameters that reached
    one of their bounds (away from it at the optimum) where the profile rose: a rise they cause
    is the bounds', not the data's."""

    parameter: str
    values: np.ndarray  # sorted, the optimum included
    costs: np.ndarray  # re-optimised cost at each value
    value: float  # the optimum
    cost: float  # the cost at the optimum
    threshold: float
    lower: float
    upper: float
    identifiability: str
    limited_by: tuple[str, ...] = ()
    n_evaluations: int = 0

    @property
    def rise(self) -> np.ndarray:
        return self.costs - self.cost


def threshold(level: float = LEVEL) -> float:
    """The cost rise bounding a profile-likelihood interval: half the chi-square (1 df)
    quantile (1.92 for 95 %)."""
    from scipy.stats import chi2

    return float(chi2.ppf(level, 1) / 2)


def profile_likelihood(residuals: Residuals, est: Estimate, name: str, *, level: float = LEVEL,
                       max_steps: int = 40, max_nfev: int = 50, first_step: float = 0.05,
                       max_step: float = 0.5, fd_step: float = FD_STEP,
                       penalty: float = PENALTY, tol: float = PROFILE_TOL,
                       jac: Callable[[np.ndarray], np.ndarray] | None = None) -> Profile:
    """The profile of parameter `name` of the estimate `est` (found by `estimate` with the same
    `residuals`, `fd_step` and `penalty`); jac: the full problem's Jacobian as in `estimate`
    (its other columns re-optimise; None: finite differences).

    Steps are taken on the log scale, starting at `first_step`, doubling (up to `max_step`)
    while the cost rises by less than a tenth of the threshold per step and halving when one
    step would rise by more than half of it; at each value the other parameters are
    re-optimised by the engine (one start from the previous point, `max_nfev` evaluations,
    tolerance `tol`).
    Classes: both sides cross the threshold -> identifiable; a side does not (or only where
    another parameter is at its bound) -> practically non-identifiable, unless the rise stays
    below FLAT_TOL x threshold everywhere -> structurally non-identifiable (flat)."""
    names = list(est.bounds)
    if name not in names:
        raise NeuroimmuneError(problem("profile parameter", f"one of {names}", name,
                                       "profile a parameter that was estimated"))
    k = names.index(name)
    others = [n for n in names if n != name]
    limit = threshold(level)
    lo, hi = np.log(est.bounds[name])
    count = [0]

    def fixed(value: float):
        def res(rest: np.ndarray) -> np.ndarray:
            full = np.insert(np.asarray(rest, float), k, value, axis=1)
            return residuals(full)
        return res

    def cost_at(value: float, start: dict[str, float], relax: tuple[str, ...] = ()
                ) -> tuple[float, dict[str, float]]:
        if not others:
            count[0] += 1
            r = np.nan_to_num(np.asarray(residuals(np.array([[value]])), float)[0], nan=penalty,
                              posinf=penalty, neginf=-penalty)
            return float(0.5 * r @ r), {}
        box = {n: (est.bounds[n][0] / RELAX, est.bounds[n][1] * RELAX) if n in relax else
               est.bounds[n] for n in others}
        e = estimate(fixed(value), box, x0=[start], starts=1, max_nfev=max_nfev,
                     fd_step=fd_step, penalty=penalty, tol=tol,
                     jac=fixed_jacobian(jac, k, value))
        count[0] += e.n_evaluations
        return e.cost, e.parameters

    def walk(direction: int):
        x, rest, rise = np.log(est.parameters[name]), {n: est.parameters[n] for n in others}, 0.0
        step, crossed = first_step, None
        points: list[tuple[float, float, tuple[str, ...]]] = []
        while len(points) < max_steps:
            x_new = float(np.clip(x + direction * step, lo, hi))
            if x_new == x:
                break  # at the bound: an open side
            c, rest_new = cost_at(float(np.exp(x_new)), rest)
            r_new = c - est.cost
            if r_new - rise > limit / 2 and step > 1e-3:
                step /= 2  # too far: a finer step before the crossing
                continue
            bound = tuple(n for n in others if at_bound(rest_new[n], est.bounds[n])
                          and not est.at_bound[n])
            points.append((x_new, c, bound))
            if r_new >= limit:
                # a rise with other parameters at a bound may be the bounds': it counts only if
                # it stays above the threshold with those bounds widened
                held = bool(bound) and cost_at(float(np.exp(x_new)), rest_new,
                                               bound)[0] - est.cost < limit
                crossed = None if held else (x, rise, x_new, r_new)
                break
            if r_new - rise < limit / 10:
                step = min(2 * step, max_step)
            x, rest, rise = x_new, rest_new, r_new
        return points, crossed

    sides = {d: walk(d) for d in (-1, 1)}
    ends, limited, free_rise = {}, set(), []
    for d, (points, crossed) in sides.items():
        ends[d] = float("nan")
        if crossed is not None:
            xa, ra, xb, rb = crossed
            ends[d] = float(np.exp(xa + (limit - ra) / (rb - ra) * (xb - xa)))
        # the points before the last run with another parameter at a bound speak for the data
        n = len(points)
        while n and points[n - 1][2] and crossed is None:
            limited.update(points[n - 1][2])
            n -= 1
        free_rise += [c - est.cost for (_, c, _) in points[:n]]
    if np.isfinite(ends[-1]) and np.isfinite(ends[1]):
        kind = IDENTIFIABLE
    elif max(free_rise, default=np.inf) < FLAT_TOL * limit:
        kind = STRUCTURAL
    else:
        kind = PRACTICAL
    pts = [(np.log(est.parameters[name]), est.cost)] + [(x, c) for s in sides.values()
                                                        for (x, c, _) in s[0]]
    pts.sort()
    return Profile(name, np.exp([p[0] for p in pts]), np.array([p[1] for p in pts]),
                   est.parameters[name], est.cost, limit, ends[-1], ends[1], kind,
                   tuple(sorted(limited)), count[0])
