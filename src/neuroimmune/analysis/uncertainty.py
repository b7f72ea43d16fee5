"""Uncertainty of an estimate: an ensemble by Markov chain Monte Carlo (emcee) and likelihood
profiles (docs/design/0009-calibration-ensemble.md).

Both work on the same batch residual function as the estimation engine
(neuroimmune.analysis.estimate): an array (n, k) of parameter values (linear scale) -> weighted
residuals (n, m), one batch solve of n virtual patients. The log-likelihood is
-0.5 * sum(r ** 2) (Gaussian errors with the weights' SDs); the prior is flat in the
log-parameters within the bounds (the engine's parameterisation; rate constants span decades).

    s = sample(residuals, bounds, x0=best, walkers=48, steps=1000, seed=0)
    s.members            # thinned draws after the burn-in, one row per member
    s.acceptance, s.autocorr
    p = profile(residuals, bounds, best, "k1")   # cost along k1, the others re-optimised
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import NeuroimmuneError, problem, require
from .estimate import AT_BOUND_TOL, FD_STEP, Residuals, at_bound, estimate, fixed_jacobian

#: Proposal moves: differential evolution (80 %) and its snooker variant (20 %), the mixture the
#: emcee documentation recommends for correlated and partly multimodal posteriors; both are
#: affine invariant like the default stretch move but mix faster in 20 dimensions.
MOVES = (("DEMove", 0.8), ("DESnookerMove", 0.2))
#: Threshold of a 95 % profile-likelihood interval: half the chi-square(1) 0.95 quantile (the
#: cost is 0.5 * sum r^2).
PROFILE_THRESHOLD = 0.5 * 3.841458820694124
#: A profile whose cost rises by less than this over the whole bound range is flat: the data
#: carry no information on the parameter (structurally non-identifiable, given the others free).
FLAT_TOL = 0.05


@dataclass(frozen=True)
class Sample:
    """An emcee run: log-parameter chain (steps, walkers, k), log-likelihood (steps, walkers),
    acceptance fraction per walker, integrated autocorrelation time per parameter (steps; from
    emcee with tol=0, so an estimate even when the chain is shorter than 50 tau), and the kept
    members (linear scale, with their log_likelihood)."""

    names: tuple[str, ...]
    chain: np.ndarray
    log_likelihood: np.ndarray
    acceptance: np.ndarray
    autocorr: np.ndarray
    burn: int
    members: pd.DataFrame
    n_evaluations: int
    seed: int
    bounds: dict[str, tuple[float, float]]

    @property
    def walkers(self) -> int:
        return int(self.chain.shape[1])

    @property
    def steps(self) -> int:
        return int(self.chain.shape[0])

    def diagnostics(self) -> str:
        """One line: acceptance, autocorrelation time and the chain length in units of it."""
        acc = (f"acceptance fraction mean {np.mean(self.acceptance):.3f} (walkers "
               f"{np.min(self.acceptance):.3f}-{np.max(self.acceptance):.3f})")
        finite = self.autocorr[np.isfinite(self.autocorr)]
        if not finite.size:
            return acc + "; autocorrelation time not estimable (chain too short)"
        tau = float(finite.max())
        post = self.steps - self.burn
        return (acc + f"; integrated autocorrelation time (steps) median "
                f"{np.median(finite):.0f}, max {tau:.0f}; {post} steps after the burn-in = "
                f"{post / tau:.1f} x the max "
                "(emcee asks for > 50 for a reliable estimate of tau)")


def log_likelihood_fn(residuals: Residuals, lo: np.ndarray, hi: np.ndarray
                      ) -> Callable[[np.ndarray], np.ndarray]:
    """Vectorised log-posterior of log-points (n, k): -0.5 * sum r^2 inside the box, -inf
    outside it or where a residual is not finite (a failed solve)."""

    def log_prob(x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(x)
        out = np.full(len(x), -np.inf)
        inside = np.all((x >= lo) & (x <= hi), axis=1)
        if inside.any():
            r = np.asarray(residuals(np.exp(x[inside])), float)
            lp = -0.5 * np.sum(r ** 2, axis=1)
            out[inside] = np.where(np.isfinite(lp), lp, -np.inf)
        return out

    return log_prob


def jacobian(residuals: Residuals, x: np.ndarray, hi: np.ndarray,
             step: float = FD_STEP) -> tuple[np.ndarray, np.ndarray]:
    """(residuals at log-point x, d r / d log p (m, k)) by forward differences (backward at the
    upper bound), the k + 1 points solved as one batch."""
    h = np.where(x + step <= hi, step, -step)
    r = np.asarray(residuals(np.exp(np.vstack([x, x + np.diag(h)]))), float)
    return r[0], ((r[1:] - r[0]) / h[:, None]).T


def laplace_covariance(J: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Covariance of the log-parameters from the Gauss-Newton information J^T J, regularised by
    the variance of a flat prior over each bound range ((hi - lo)^2 / 12), so that directions the
    data do not inform get the prior's width instead of an infinite variance."""
    prior = 12.0 / (hi - lo) ** 2
    return np.linalg.inv(J.T @ J + np.diag(prior))


def _reflect(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Fold points back into the box [lo, hi] (mirror at the bounds)."""
    w = hi - lo
    y = np.mod(x - lo, 2 * w)
    return lo + np.where(y > w, 2 * w - y, y)


def initial_walkers(residuals: Residuals, lo: np.ndarray, hi: np.ndarray, x: np.ndarray,
                    walkers: int, rng: np.random.Generator, scale: float) -> np.ndarray:
    """Walkers drawn around the log-point x from its Laplace approximation (laplace_covariance
    times scale^2), folded into the bounds."""
    _, J = jacobian(residuals, x, hi)
    J = np.nan_to_num(J, nan=0.0, posinf=0.0, neginf=0.0)
    cov = laplace_covariance(J, lo, hi) * scale ** 2
    return _reflect(rng.multivariate_normal(x, cov, size=walkers, method="eigh"), lo, hi)


def sample(residuals: Residuals, bounds: Mapping[str, tuple[float, float]],
           x0: Mapping[str, float], *, walkers: int = 48, steps: int = 1000,
           burn: int | None = None, keep: int = 60, seed: int = 0, init_scale: float = 0.5,
           progress: Callable[[int, int], None] | None = None) -> Sample:
    """Sample the posterior of the parameters named by `bounds` with emcee (vectorised: each
    half-step of the ensemble is one call of `residuals`, one batch solve).

    x0: the start (the point estimate); walkers start from its Laplace approximation, scaled by
    init_scale; burn: steps dropped (default steps // 3); keep: members kept from the rest,
    evenly spaced over steps and walkers; progress(step, steps) after each step.
    """
    emcee = require("emcee", "calibrate", "the calibration ensemble")
    names = list(bounds)
    k = len(names)
    for name, value, ok in (("walkers", walkers, isinstance(walkers, int) and
                             walkers >= max(2 * k, 4) and walkers % 2 == 0),
                            ("steps", steps, isinstance(steps, int) and steps >= 2),
                            ("keep", keep, isinstance(keep, int) and keep >= 1)):
        if not ok:
            raise NeuroimmuneError(problem(name, "an integer (walkers: even and >= 2 x the "
                                           f"{k} parameters)", value,
                                           f"e.g. walkers={max(2 * k, 4)}, "
                                           "steps=1000, keep=60"))
    burn = steps // 3 if burn is None else burn
    if not (isinstance(burn, int) and 0 <= burn < steps):
        raise NeuroimmuneError(problem("burn", f"an integer in [0, {steps})", burn,
                                       "e.g. burn=steps // 3"))
    missing = [n for n in names if n not in x0]
    if missing:
        raise NeuroimmuneError(problem("x0", f"a value for each of {names}", missing,
                                       "start from the point estimate"))
    lo = np.log([bounds[n][0] for n in names])
    hi = np.log([bounds[n][1] for n in names])
    if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi)) and np.all(lo < hi)):
        raise NeuroimmuneError(problem("bounds", "name -> (low, high) with 0 < low < high",
                                       dict(bounds), "give finite positive bounds"))
    x = np.clip(np.log([float(x0[n]) for n in names]), lo, hi)
    evaluations = 0

    def counted(values: np.ndarray) -> np.ndarray:
        nonlocal evaluations
        evaluations += len(values)
        return residuals(values)

    rng = np.random.default_rng(seed)
    log_prob = log_likelihood_fn(counted, lo, hi)
    p0 = initial_walkers(counted, lo, hi, x, walkers, rng, init_scale)
    moves = [(getattr(emcee.moves, move)(), weight) for move, weight in MOVES]
    sampler = emcee.EnsembleSampler(walkers, k, log_prob, vectorize=True, moves=moves)
    sampler.random_state = np.random.RandomState(seed).get_state()  # emcee's moves, seeded
    for i, _ in enumerate(sampler.sample(p0, iterations=steps, skip_initial_state_check=True)):
        if progress:
            progress(i + 1, steps)
    chain = sampler.get_chain()
    lp = sampler.get_log_prob()
    with np.errstate(invalid="ignore", divide="ignore"):  # a constant chain: tau is NaN
        tau = np.asarray(sampler.get_autocorr_time(discard=burn, tol=0, quiet=True), float)
    flat = chain[burn:].reshape(-1, k)
    flat_lp = lp[burn:].reshape(-1)
    good = np.isfinite(flat_lp)
    flat, flat_lp = flat[good], flat_lp[good]
    idx = np.unique(np.linspace(0, len(flat) - 1, min(keep, len(flat))).round().astype(int))
    members = pd.DataFrame(np.exp(flat[idx]), columns=names)
    members.insert(0, "log_likelihood", flat_lp[idx])
    members.insert(0, "member", np.arange(len(idx)))
    box = {n: (float(bounds[n][0]), float(bounds[n][1])) for n in names}
    return Sample(tuple(names), chain, lp, np.asarray(sampler.acceptance_fraction, float), tau,
                  burn, members, evaluations, seed, box)


# -- profiles ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Profile:
    """The likelihood profile of one parameter: `table` (value, cost, delta = cost - best cost,
    side: 'below'/'above'/'best'), the 95 % profile interval (linear scale; a bound where the
    profile stays under the threshold up to it) and the classification."""

    name: str
    best: float
    best_cost: float
    table: pd.DataFrame
    interval: tuple[float, float]
    reaches_bound: tuple[bool, bool]  # (lower, upper) end of the interval is the bound
    max_delta: float  # largest rise of the profile over the explored range
    at_bound: bool  # the point estimate lies at a bound (within 1 % of its log range)
    bounds: tuple[float, float]

    @property
    def classification(self) -> str:
        return classify(self.max_delta, self.reaches_bound)


def classify(max_delta: float, reaches_bound: tuple[bool, bool],
             threshold: float = PROFILE_THRESHOLD, flat_tol: float = FLAT_TOL) -> str:
    """Raue et al. 2009 (Bioinformatics 25:1923): a profile that stays flat over the whole
    bound range -> 'structurally non-identifiable' (numerically: a rise below flat_tol, so a
    redundancy among the parameters, not proved symbolically); one that rises but stays under
    the 95 % threshold up to a bound on at least one side -> 'practically non-identifiable'; one
    that crosses the threshold on both sides within the bounds -> 'identifiable'."""
    if max_delta < flat_tol and all(reaches_bound):
        return "structurally non-identifiable"
    if any(reaches_bound):
        return "practically non-identifiable"
    return "identifiable"


def _crossing(v0: float, d0: float, v1: float, d1: float, threshold: float) -> float:
    """Log-linear interpolation of where the profile crosses the threshold between two points."""
    if d1 == d0:
        return v1
    f = (threshold - d0) / (d1 - d0)
    return float(math.exp(math.log(v0) + f * (math.log(v1) - math.log(v0))))


def profile(residuals: Residuals, bounds: Mapping[str, tuple[float, float]],
            best: Mapping[str, float], name: str, *,
            steps: Sequence[float] = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0),
            max_nfev: int = 8, threshold: float = PROFILE_THRESHOLD,
            best_cost: float | None = None,
            jac: Callable[[np.ndarray], np.ndarray] | None = None) -> Profile:
    """Profile of `name`: fixed at the best value moved by each of `steps` (natural-log units)
    down and up, then at the bound itself (stopping early once the cost has risen past the
    threshold), the other parameters re-optimised by the estimation engine from the previous
    point of the profile (one start, `max_nfev` evaluations: warm starts, so a point's cost is
    an upper bound of the exact profile). An interval end where the profile crosses the
    threshold is interpolated (log scale) between the two points around the crossing. jac: the
    full problem's Jacobian as in `estimate` (None: finite differences)."""
    names = list(bounds)
    if name not in names:
        raise NeuroimmuneError(problem("profile parameter", f"one of {names}", name,
                                       "check the name"))
    j = names.index(name)
    others = [n for n in names if n != name]
    lo, hi = (float(b) for b in bounds[name])
    v_best = float(np.clip(best[name], lo, hi))

    def fixed(value: float) -> Residuals:
        def r(X: np.ndarray) -> np.ndarray:
            X = np.atleast_2d(X)
            full = np.insert(X, j, value, axis=1)
            return residuals(full)
        return r

    base = np.array([[float(best[n]) for n in names]])
    if best_cost is None:
        r0 = np.asarray(residuals(base), float)[0]
        best_cost = float(0.5 * np.sum(np.nan_to_num(r0, nan=1e3) ** 2))
    rows = [{"value": v_best, "cost": best_cost, "side": "best"}]
    ends: list[tuple[float, bool]] = []
    for side, sign, bound in (("below", -1.0, lo), ("above", 1.0, hi)):
        start = {n: float(best[n]) for n in others}
        prev_v, prev_d = v_best, 0.0
        end, reached = bound, True
        for s in (*steps, math.inf):  # the bound is always the last point
            v = float(math.exp(math.log(v_best) + sign * s))
            last = (v <= lo) if sign < 0 else (v >= hi)
            v = min(max(v, lo), hi)
            if v == prev_v:
                break
            if others:
                est = estimate(fixed(v), {n: bounds[n] for n in others}, x0=[start], starts=1,
                               max_nfev=max_nfev, jac=fixed_jacobian(jac, j, v))
                cost, start = est.cost, est.parameters
            else:
                r = np.asarray(residuals(np.array([[v]])), float)[0]
                cost = float(0.5 * np.sum(np.nan_to_num(r, nan=1e3) ** 2))
            delta = cost - best_cost
            rows.append({"value": v, "cost": cost, "side": side})
            if delta > threshold:
                end, reached = _crossing(prev_v, prev_d, v, delta, threshold), False
                break
            prev_v, prev_d = v, delta
            if last:
                break
        ends.append((end, reached))
    table = pd.DataFrame(rows).sort_values("value").reset_index(drop=True)
    table["delta"] = table["cost"] - best_cost
    return Profile(name, v_best, best_cost, table, (ends[0][0], ends[1][0]),
                   (ends[0][1], ends[1][1]), float(table["delta"].max()),
                   at_bound(v_best, (lo, hi), AT_BOUND_TOL), (lo, hi))


__all__ = ["MOVES", "PROFILE_THRESHOLD", "FLAT_TOL", "Sample", "sample", "log_likelihood_fn",
           "jacobian", "laplace_covariance", "initial_walkers", "Profile", "profile",
           "classify"]
