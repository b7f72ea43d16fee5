# Solver template: shared step-size helpers. The model's kernels (rhs, observe ...) and its
# non-negative flags are arguments of every function that uses them (docs/design/0040).
import math
import threading

import numba
import numpy as np
from numba import njit, prange


@njit(cache=True, error_model='numpy')
def _wrms(v, y_a, y_b, rtol, atol):
    """Weighted root-mean-square norm of v with the usual mixed tolerance."""
    n = v.size
    acc = 0.0
    for i in range(n):
        sk = atol[i] + rtol * max(abs(y_a[i]), abs(y_b[i]))
        acc += (v[i] / sk) ** 2
    return math.sqrt(acc / n)


@njit(cache=True, error_model='numpy')
def _initial_step(rhs, t, y, f0, p, q, u, clock0, rtol, atol, order, hmax, t_span):
    """Starting step size (Hairer, Norsett & Wanner, Solving ODEs I, II.4)."""
    n = y.size
    d0 = _wrms(y, y, y, rtol, atol)
    d1 = _wrms(f0, y, y, rtol, atol)
    if d0 < 1e-5 or d1 < 1e-5:
        h0 = 1e-6
    else:
        h0 = 0.01 * d0 / d1
    h0 = min(h0, t_span)
    y1 = np.empty(n)
    f1 = np.empty(n)
    for i in range(n):
        y1[i] = y[i] + h0 * f0[i]
    rhs(t + h0, clock0, y1, p, q, u, f1)
    for i in range(n):
        f1[i] -= f0[i]
    d2 = _wrms(f1, y, y, rtol, atol) / h0
    if max(d1, d2) <= 1e-15:
        h1 = max(1e-6, h0 * 1e-3)
    else:
        h1 = (0.01 / max(d1, d2)) ** (1.0 / (order + 1.0))
    return min(100.0 * h0, h1, hmax, t_span)


@njit(cache=True, error_model='numpy')
def _in_domain(nonneg, y):
    for i in range(y.size):
        if nonneg[i] and y[i] < 0.0:
            return False
    return True


@njit(cache=True, error_model='numpy')
def _all_finite(y):
    for i in range(y.size):
        if not math.isfinite(y[i]):
            return False
    return True


@njit(cache=True, error_model='numpy')
def _project(nonneg, y):
    """Interpolated (dense) outputs of non-negative species can undershoot zero by up to the local
    error when the solution decays to ~0; step values never do (steps leaving the domain are
    rejected). The true value is >= 0, so projecting the interpolant onto the domain only reduces
    its error."""
    for i in range(y.size):
        if nonneg[i] and y[i] < 0.0:
            y[i] = 0.0


@njit(cache=True, error_model='numpy')
def _grow(h, err, rejected, inv_order, fac_max, hmax):
    """Next step after an accepted one (standard controller; no growth right after a rejection)."""
    fac = fac_max if err == 0.0 else min(fac_max, max(0.2, 0.9 * err ** -inv_order))
    if rejected:
        fac = min(fac, 1.0)
    return min(h * fac, hmax)


@njit(cache=True, error_model='numpy')
def _shrink(h, err, finite, inv_order):
    """Retry step after a rejection: non-finite values, error > 1, or a state left its domain."""
    if not finite:
        return 0.25 * h
    if err <= 1.0:
        return 0.5 * h
    return max(0.2, 0.9 * err ** -inv_order) * h


@njit(cache=True, error_model='numpy')
def _underflow(h, t):
    return h < 1e-12 * max(1.0, abs(t))
