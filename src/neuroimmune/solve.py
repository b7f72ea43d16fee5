"""solve(system, params, protocol, t): integrate many virtual patients on plain arrays."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Mapping

import numba
import numpy as np

from .compile import System
from .errors import SolverError, problem
from .protocol import Protocol
from .solvers import METHODS, Status

#: Pre-equilibration stops when the state at the start clock time changes by less than this
#: (relative) from one day to the next; it is checked every PREEQ_BLOCK_DAYS days. The absolute
#: part is 10 x the integration atol (as the relative part is at least 10 x rtol): a state held
#: at zero (e.g. epinephrine without an adrenal medulla) wanders within about atol from day to
#: day, which is integration noise, not a drift.
PREEQ_RTOL = 1e-5
PREEQ_BLOCK_DAYS = 5
#: Shooting (docs/design/0014-preeq-shooting.md): at most this many one-day quasi-Newton
#: iterations per patient, then SHOOT_VERIFY_DAYS plain days from the shooting result, slightly
#: perturbed (relative SHOOT_PERTURB), whose last two days must pass the convergence test above.
#: Used when the protocol allows at least SHOOT_MIN_DAYS days; a patient not accepted this way
#: runs plain days from the nominal start (with the verdict below).
SHOOT_ITERATIONS = 12
SHOOT_PERTURB = 1e-5
SHOOT_VERIFY_DAYS = PREEQ_BLOCK_DAYS
SHOOT_MIN_DAYS = SHOOT_ITERATIONS + PREEQ_BLOCK_DAYS
#: Early verdict "no 24-h cycle" (docs/design/0025-preeq-verdict.md), for the patients shooting
#: does not accept: their plain days stop, not converged, at the end of a block from
#: PREEQ_VERDICT_MIN_DAYS on when the largest day-to-day change of the block (relative to the
#: convergence test) has not shrunk (over one block or over two), or shrinks so slowly that
#: passing the test would take more than PREEQ_VERDICT_SLACK times the days left. Their start
#: is then the state after that many plain days from the nominal start (as it is after
#: preequilibrate_days without the verdict). False: they run all preequilibrate_days.
PREEQ_VERDICT = True
PREEQ_VERDICT_MIN_DAYS = 8 * PREEQ_BLOCK_DAYS
PREEQ_VERDICT_SLACK = 3.0
#: ... and, up to PREEQ_RESCUE_TRIES times, a second shooting attempt from the plain state of
#: those that settle (their day-to-day change shrinking and within PREEQ_RESCUE_MAX_CHANGE of
#: the test, from day PREEQ_RESCUE_MIN_DAYS on), PREEQ_RESCUE_ITERATIONS iterations each
PREEQ_RESCUE_MIN_DAYS = 2 * PREEQ_BLOCK_DAYS
PREEQ_RESCUE_MAX_CHANGE = 1e4
PREEQ_RESCUE_ITERATIONS = 8
PREEQ_RESCUE_TRIES = 3
#: Batches of fewer patients run on one numba thread: waking the other threads costs more than
#: they save, up to a time slice (8-16 ms against 0.5 ms for one patient) when the machine is
#: busy (docs/design/0004-threads.md, docs/performance.md).
SERIAL_BELOW = 16


#: Meaningful tolerances: above 1e-2 relative error the results are not worth having (rtol 10
#: gave a cortisol of 662 ug/dL at t = 0); below 1e-14 they are under double precision
#: (machine epsilon 2.2e-16 times the step-size control's safety margin). With a finite h_max,
#: rtol up to 1 is the fixed-step use of the convergence-order tests.
TOLERANCE_BOUNDS = {"rtol": (1e-14, 1e-2), "atol": (1e-16, 1e-3)}


@dataclass(frozen=True)
class SolverOptions:
    """Integration options. `atol` is absolute, in each state's own unit."""

    method: str = "dopri5"
    rtol: float = 1e-6
    atol: float = 1e-9
    max_steps: int = 200_000
    h_max: float = math.inf
    #: dopri5 only: integrate patients in groups of LANES (8) whose right-hand sides are
    #: evaluated together on the CPU's vector units, when there are at least LANES patients.
    #: The results are the same, patient by patient; False forces one patient per thread.
    lanes: bool = True

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise SolverError(problem("SolverOptions.method", f"one of {list(METHODS)}",
                                      self.method, "use 'dopri5' (non-stiff) or 'rodas4' (stiff)"))
        for name, (lo, hi) in TOLERANCE_BOUNDS.items():
            v = getattr(self, name)
            if name == "rtol" and math.isfinite(self.h_max):
                hi = 1.0  # fixed-step use: h_max sets the step and every step is accepted
            if (isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v)
                    or not lo <= v <= hi):
                raise SolverError(problem(f"SolverOptions.{name}", f"a number in [{lo:g}, "
                                          f"{hi:g}]", v, "e.g. rtol=1e-6, atol=1e-9 (the "
                                          "defaults); larger values give wrong results, smaller "
                                          "ones are below double precision"))
        if not isinstance(self.max_steps, int) or self.max_steps < 1:
            raise SolverError(problem("SolverOptions.max_steps", "an integer >= 1",
                                      self.max_steps, "e.g. max_steps=200000"))
        if not isinstance(self.lanes, bool):
            raise SolverError(problem("SolverOptions.lanes", "True or False", self.lanes,
                                      "leave it at True unless you compare the two paths"))
        if not (self.h_max > 0):
            raise SolverError(problem("SolverOptions.h_max", "a step size > 0 h", self.h_max,
                                      "leave it at infinity unless you need small steps"))


@dataclass(frozen=True)
class Solution:
    """Raw solver output. outputs has shape (patient, time, output)."""

    t: np.ndarray
    outputs: np.ndarray
    status: np.ndarray
    n_steps: np.ndarray
    y_end: np.ndarray
    params: np.ndarray
    preequilibration_failed: np.ndarray
    preequilibration_converged: np.ndarray
    #: each patient's state at t = 0 (after pre-equilibration): reruns of a failed patient
    #: (neuroimmune.diagnose) start from it
    y_start: np.ndarray | None = None
    #: days of the unperturbed model run before t = 0 that end in each patient's start state
    #: (0 without pre-equilibration; for a patient accepted by shooting, its check days); a
    #: patient that did not converge starts where these days from the nominal start left it
    preequilibration_days: np.ndarray | None = None


def _numbers(values, what: str, ndmin: int = 0) -> np.ndarray:
    """values as a float array; strings, booleans and objects are an error naming `what`."""
    arr = np.array(values, ndmin=ndmin)
    if arr.dtype.kind not in "iuf" or arr.dtype == bool:
        raise SolverError(problem(what, "numbers (one value, or one per patient)",
                                  f"values of type {arr.dtype}", "pass floats, e.g. "
                                  "params={'kTNF': [1.0, 1.4]}"))
    return arr.astype(float)


def parameter_matrix(system: System, params=None) -> np.ndarray:
    """(patients, parameters) array from None (defaults), a mapping name -> scalar or 1-D array,
    a pandas DataFrame with parameter columns, or an array of shape (P, n_params)."""
    p0 = system.p0
    if params is None:
        return p0[None, :].copy()
    if (type(params) is np.ndarray and params.dtype == np.float64 and params.ndim == 2
            and params.shape[1] == p0.size):
        # the common case (solve of an array, every batch of the analyses): one copy and the
        # checks below without the general path's conversions
        out = params.copy()
        if np.isfinite(out).all() and not ((out < 0) & (p0 > 0)).any():
            return out
        return _checked(system, out)
    if hasattr(params, "to_dict") and hasattr(params, "columns"):
        params = {c: params[c].to_numpy() for c in params.columns}
    if isinstance(params, Mapping):
        unknown = sorted(set(params) - set(system.parameters))
        if unknown:
            raise SolverError(problem("params", f"names among the model's free parameters "
                                      f"{list(system.parameters)}", unknown,
                                      "check the names (structural constants cannot vary)"))
        sizes = {np.size(v) for v in params.values() if np.ndim(v) > 0}
        if len(sizes) > 1:
            raise SolverError(problem("params", "arrays of one common length (one value per "
                                      "patient)", sorted(sizes),
                                      "give every array the same length"))
        n = sizes.pop() if sizes else 1
        out = np.tile(p0, (n, 1))
        for name, v in params.items():
            out[:, system.parameters.index(name)] = _numbers(v, f"params[{name!r}]")
    else:
        out = _numbers(params, "params", ndmin=2)
        if out.ndim != 2 or out.shape[1] != len(p0):
            raise SolverError(problem("params", f"an array of shape (patients, {len(p0)})",
                                      f"shape {np.shape(params)}", "pass one row per patient "
                                      f"with columns {list(system.parameters)}"))
    return _checked(system, out)


def _checked(system: System, out: np.ndarray) -> np.ndarray:
    """`out` if every value is finite with the sign of the default, else the error naming the
    first one that is not."""
    p0 = system.p0
    bad = ~np.isfinite(out)
    wrong_sign = (out < 0) & (p0[None, :] > 0)
    if bad.any() or wrong_sign.any():
        row, col = np.argwhere(bad | wrong_sign)[0]
        raise SolverError(problem(f"params[{system.parameters[col]}] of patient {row}",
                                  "a finite value with the sign of the default "
                                  f"({p0[col]:g})", float(out[row, col]),
                                  "fix that patient's value"))
    return out


def solve(system: System, params=None, protocol: Protocol | None = None, t=None, *,
          options: SolverOptions = SolverOptions(), y0: np.ndarray | None = None) -> Solution:
    """Integrate every patient over the time points `t` (hours after the start; sorted, >= 0).

    A patient whose integration fails keeps its results up to the failure (later points NaN) and
    gets a status code; the other patients are unaffected.
    """
    protocol = protocol or Protocol()
    if t is None:
        raise SolverError(problem("t", "an array of output times in hours", None,
                                  "e.g. t=numpy.linspace(0, 24, 97)"))
    t = np.asarray(t, dtype=float).ravel()
    # (array methods and t[1:] < t[:-1], not np.all and np.diff: a few microseconds of a
    # one-patient call, docs/design/0035-latency.md)
    if t.size == 0 or not np.isfinite(t).all() or t[0] < 0 or (t[1:] < t[:-1]).any():
        raise SolverError(problem("t", "a non-empty, sorted array of finite times >= 0 h",
                                  f"{t[:5]}...", "e.g. t=numpy.linspace(0, 24, 97)"))
    P = parameter_matrix(system, params)
    n_pat = P.shape[0]
    if y0 is None:
        Y0 = np.empty((n_pat, system.n_states))
        Y0[:] = system.y0
    else:
        Y0 = np.array(y0, dtype=float, ndmin=2)
        if Y0.shape[1] != system.n_states or Y0.shape[0] not in (1, n_pat):
            raise SolverError(problem("y0", f"shape ({n_pat}, {system.n_states})", Y0.shape,
                                      "give one initial state per patient"))
        Y0 = np.broadcast_to(Y0, (n_pat, system.n_states)).copy()
    atol = np.full(system.n_states, float(options.atol))
    # states beyond N_CONTROLLED (forward sensitivities) steer neither the step size nor the
    # pre-equilibration test: an infinite tolerance takes them out of both norms
    atol[getattr(system.kernels, "N_CONTROLLED", system.n_states):] = np.inf
    failed_pre = np.zeros(n_pat, dtype=np.int64)
    converged = np.ones(n_pat, dtype=bool)
    days = np.zeros(n_pat, dtype=np.int64)
    if protocol.preequilibrate_days:
        if y0 is None:  # every patient, alone or in a cohort, starts from the same state
            Y0[:] = _nominal_start(system, protocol, options, atol)
            Y0, failed_pre, converged, days = _preequilibrate_shooting(system, P, Y0, protocol,
                                                                       options, atol)
        else:
            Y0, failed_pre, converged, days = _preequilibrate(system, P, Y0, protocol, options,
                                                              atol)
    out, status, nsteps, y_end = _integrate(system, P, Y0, protocol, t, options, atol)
    if protocol.preequilibrate_days:
        bad = failed_pre != Status.SUCCESS
        out[bad] = np.nan
        status[bad] = failed_pre[bad]
    else:
        bad = np.zeros(n_pat, dtype=bool)
    return Solution(t, out, status, nsteps, y_end, P, bad, converged, Y0, days)


_NOMINAL_STARTS: dict = {}


def _nominal_start(system, protocol, options, atol) -> np.ndarray:
    """Where a cohort's pre-equilibration starts: the default patient's pre-equilibrated state
    (computed once per model, clock time and options), which lies near every patient's limit
    cycle, so each patient's own convergence test passes after fewer days than from the
    modules' initial values. The module initial values if the default patient fails."""
    key = (system.key, system.p0.tobytes(), system.y0.tobytes(), float(protocol.clock_start),
           protocol.preequilibrate_days, options)
    if key not in _NOMINAL_STARTS:
        y, status, _, _ = _preequilibrate(system, system.p0[None, :],
                                          system.y0[None, :].copy(), protocol, options, atol)
        _NOMINAL_STARTS[key] = y[0] if status[0] == Status.SUCCESS else system.y0.copy()
    return _NOMINAL_STARTS[key]


_SHOOTING: dict = {}


def _one_day(system, P, Y, protocol, options, atol, serial=False):
    """The one-day map at the protocol's clock time, without events: (states, status)."""
    rest = Protocol(clock_start=protocol.clock_start)
    sol = _run(system, P, Y, rest, np.array([24.0]), options, atol, serial)
    return sol.y_end, sol.status


def _shooting_setup(system, protocol, options, y_nom, n_patients):
    """Once per model, clock time and options: the nominal one-day map's Jacobian J0 = dG/dy - I
    at the nominal limit-cycle state and the first-order change of the cycle's state with each
    parameter's logarithm (dy*/dlog p = -J0^-1 dG/dlog p), by central differences at tight
    tolerance. None if a difference run fails. `n_patients`: the cohort's size (where the runs
    go, not what they give)."""
    key = (system.key, system.p0.tobytes(), y_nom.tobytes(), float(protocol.clock_start),
           options)
    if key in _SHOOTING:
        return _SHOOTING[key]
    n, p0 = system.n_states, system.p0
    tight = SolverOptions(method=options.method, rtol=1e-10, atol=1e-13,
                          max_steps=options.max_steps, lanes=options.lanes)
    h = 1e-5
    rows_y, rows_p, steps = [], [], []
    for i in range(n):
        d = h * max(abs(y_nom[i]), 1e-6)
        pair = (1.0, -1.0) if y_nom[i] > 2 * d or not system.nonnegative[i] else (2.0, 1.0)
        for sgn in pair:
            yy = y_nom.copy()
            yy[i] += sgn * d
            rows_y.append(yy)
            rows_p.append(p0)
        steps.append((pair[0] - pair[1]) * d)
    free = np.flatnonzero(p0 > 0)
    for j in free:
        for sgn in (1.0, -1.0):
            pp = p0.copy()
            pp[j] *= math.exp(sgn * h)
            rows_y.append(y_nom)
            rows_p.append(pp)
    # a cohort too small for the lanes, of a model whose lane kernel is not compiled yet, runs
    # these on the one-patient kernel: a few hundred runs cost less than compiling it (a larger
    # cohort compiles it anyway; docs/design/0046)
    serial = options.lanes and n_patients < system.kernels.LANES and not _lanes_ready(system)
    g, status = _one_day(system, np.array(rows_p), np.array(rows_y), protocol, tight,
                         np.full(n, tight.atol), serial=serial)
    if (status != Status.SUCCESS).any():
        _SHOOTING[key] = None
        return None
    J0 = np.empty((n, n))
    for i in range(n):
        J0[:, i] = (g[2 * i] - g[2 * i + 1]) / steps[i]
    J0 -= np.eye(n)
    Gp = np.zeros((n, len(p0)))
    Gp[:, free] = ((g[2 * n::2] - g[2 * n + 1::2]) / (2 * h)).T
    try:
        dy_dlogp = -np.linalg.solve(J0, Gp)
    except np.linalg.LinAlgError:
        _SHOOTING[key] = None
        return None
    _SHOOTING[key] = (J0, dy_dlogp)
    return _SHOOTING[key]


def _preequilibrate_shooting(system, P, Y0, protocol, options, atol):
    """Pre-equilibration by quasi-Newton shooting on the one-day map (docs/design/0014-preeq-
    shooting.md): each patient starts from the nominal cycle state moved to first order by its
    parameters, and Broyden iterations (starting from the nominal Jacobian) solve G(y) = y,
    one day of integration each. A patient whose one-day change passes the convergence test
    then runs SHOOT_VERIFY_DAYS plain days from that state perturbed by SHOOT_PERTURB, and is
    accepted when the last two of them pass the same test (a fixed point that repels a
    perturbation is rejected). Every other patient runs plain days from Y0: with PREEQ_VERDICT
    `_preequilibrate_verdict` (docs/design/0025-preeq-verdict.md), else `_preequilibrate` as
    without shooting. Each patient's result depends on its own parameters only."""
    days = protocol.preequilibrate_days
    n_ctrl = getattr(system.kernels, "N_CONTROLLED", system.n_states)
    if days < SHOOT_MIN_DAYS or n_ctrl != system.n_states:
        return _preequilibrate(system, P, Y0, protocol, options, atol)
    p0 = system.p0
    if (P == p0).all() and (settled := _nominal_on_cycle(system, P, Y0, protocol, options,
                                                         atol)) is not None:
        return settled
    setup = _shooting_setup(system, protocol, options, Y0[0], P.shape[0])
    if setup is None:
        return _preequilibrate(system, P, Y0, protocol, options, atol)
    J0, dy_dlogp = setup
    n_pat = P.shape[0]
    logp = np.zeros_like(P)
    free = p0 > 0
    with np.errstate(divide="ignore"):
        logp[:, free] = np.log(P[:, free] / p0[free])
    logp[~np.isfinite(logp)] = 0.0
    Y = _clamped(system, Y0 + (logp[:, :, None] * dy_dlogp.T[None, :, :]).sum(axis=1))
    # Broyden's update unscaled (as in 0014): scaled by the nominal cycle's magnitudes it finds
    # the unstable 24-h orbit of hpa_ultradian, which the 5-day check accepts (0025)
    inv_scale2 = np.ones(system.n_states)
    shoot = (J0, inv_scale2)
    found, cycle = _broyden(system, P, Y, shoot, SHOOT_ITERATIONS, protocol, options, atol)
    status = np.zeros(n_pat, dtype=np.int64)
    converged = np.zeros(n_pat, dtype=bool)
    out = Y0.copy()
    idx = np.flatnonzero(found)
    if idx.size:
        acc, y_acc = _verify(system, P[idx], cycle[idx], protocol, options, atol)
        converged[idx[acc]] = True
        out[idx[acc]] = y_acc[acc]
    days_run = np.where(converged, SHOOT_VERIFY_DAYS, 0)
    rest_idx = np.flatnonzero(~converged)
    if rest_idx.size:
        if PREEQ_VERDICT:
            y, st, conv, d = _preequilibrate_verdict(system, P[rest_idx], Y0[rest_idx],
                                                     protocol, options, atol, shoot)
        else:
            y, st, conv, d = _preequilibrate(system, P[rest_idx], Y0[rest_idx], protocol,
                                             options, atol)
        out[rest_idx], status[rest_idx], converged[rest_idx] = y, st, conv
        days_run[rest_idx] = d
    out[np.abs(out) < np.finfo(float).tiny] = 0.0
    return out, status, converged, days_run


def _clamped(system, Y):
    """Y with the non-negative states' negative values set to 0."""
    return np.where(system.nonnegative[None, :], np.maximum(Y, 0.0), Y)


def _nominal_on_cycle(system, P, Y0, protocol, options, atol):
    """Patients with the nominal parameters start on the nominal cycle (Y0, `_nominal_start`):
    when its first day passes the convergence test and the check (`_verify`) accepts every one
    of them, their result is what shooting gives, without the shooting setup (its 2 n + 2 n_p
    finite-difference days, which a cohort needs and a one-patient run does not). None
    otherwise; shooting then runs in full."""
    # Y0 + 0.0: the setup's first-order move is exactly zero for these patients
    found, cycle = _broyden(system, P, _clamped(system, Y0 + 0.0), None, 1, protocol, options,
                            atol)
    if not found.all():
        return None
    acc, y_acc = _verify(system, P, cycle, protocol, options, atol)
    if not acc.all():
        return None
    y_acc[np.abs(y_acc) < np.finfo(float).tiny] = 0.0
    n_pat = P.shape[0]
    return (y_acc, np.zeros(n_pat, dtype=np.int64), np.ones(n_pat, dtype=bool),
            np.full(n_pat, SHOOT_VERIFY_DAYS))


def _broyden(system, P, Y, shoot, iterations, protocol, options, atol):
    """Up to `iterations` Broyden iterations on G(y) = y from Y (one day of integration each),
    starting from the nominal Jacobian J0 for every patient. Returns which patients' one-day
    change passed the convergence test and, for those, the state G(y) that passed it. With
    `shoot` None only the first day's test (no Jacobian, no step)."""
    J0, inv_scale2 = shoot if shoot is not None else (None, None)
    n_pat = P.shape[0]
    rtol = max(PREEQ_RTOL, 10 * options.rtol)
    nonneg = system.nonnegative[None, :]
    Y = Y.copy()
    J = None if J0 is None else np.repeat(J0[None], n_pat, axis=0)
    found = np.zeros(n_pat, dtype=bool)
    cycle = np.zeros_like(Y)
    active = np.arange(n_pat)
    y_prev = F_prev = None
    for it in range(iterations):
        g, status = _one_day(system, P[active], Y[active], protocol, options, atol)
        ok = (status == Status.SUCCESS) & np.all(np.isfinite(g), axis=1)
        F = g - Y[active]
        done = ok & np.all(np.abs(F) <= rtol * np.abs(g) + 10 * atol, axis=1)
        found[active[done]] = True
        cycle[active[done]] = g[done]
        if it and J is not None:  # Broyden's update of each patient's Jacobian along its last step
            dy, dF = Y[active] - y_prev, F - F_prev
            w = dy * inv_scale2
            denom = (dy * w).sum(axis=1)
            upd = ok & (denom > 0)
            resid = dF - (J[active] * dy[:, None, :]).sum(axis=2)
            J[active[upd]] += (resid[upd, :, None] * w[upd, None, :]
                               / denom[upd, None, None])
        keep = ok & ~done
        active, F, g = active[keep], F[keep], g[keep]
        if not active.size or J is None:
            break
        try:
            step = np.linalg.solve(J[active], -F[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:  # one singular matrix: each patient alone
            step = np.full_like(F, np.nan)
            for i, k in enumerate(active):
                try:
                    step[i] = np.linalg.solve(J[k], -F[i])
                except np.linalg.LinAlgError:
                    pass  # this patient leaves shooting: plain days from the nominal state
        go = np.all(np.isfinite(step), axis=1)
        active, F, step = active[go], F[go], step[go]
        if not active.size:
            break
        y_prev, F_prev = Y[active].copy(), F
        y_new = Y[active] + step
        Y[active] = np.where(nonneg, np.maximum(y_new, 0.0), y_new)
    return found, cycle


def _verify(system, P, cycle, protocol, options, atol):
    """SHOOT_VERIFY_DAYS plain days from each cycle state perturbed by SHOOT_PERTURB (relative,
    alternating sign): (accepted, end states), accepted when the last two days pass the test."""
    n = system.n_states
    rtol = max(PREEQ_RTOL, 10 * options.rtol)
    sign = np.where(np.arange(n) % 2, -1.0, 1.0)
    start = cycle * (1.0 + SHOOT_PERTURB * sign[None, :])
    rest = Protocol(clock_start=protocol.clock_start)
    t = np.array([24.0 * (SHOOT_VERIFY_DAYS - 1), 24.0 * SHOOT_VERIFY_DAYS])
    sol = _run(system, P, start, rest, t, options, atol)
    a, b = sol.outputs[:, 0, :n], sol.outputs[:, 1, :n]
    acc = (sol.status == Status.SUCCESS) & np.all(np.abs(b - a) <= rtol * np.abs(b) + 10 * atol,
                                                  axis=1)
    return acc, sol.y_end


def _preequilibrate_verdict(system, P, Y0, protocol, options, atol, shoot):
    """The plain days of the patients shooting did not accept, from Y0 (the nominal start) in
    blocks of PREEQ_BLOCK_DAYS, with the early verdict and second shooting attempts
    (docs/design/0025-preeq-verdict.md):

    * a patient whose last day passes the convergence test has converged (as in
      `_preequilibrate`: its start is that day's state);
    * up to PREEQ_RESCUE_TRIES times, from PREEQ_RESCUE_MIN_DAYS on, a patient whose largest
      day-to-day change shrank and whose last one is within PREEQ_RESCUE_MAX_CHANGE of the test
      tries PREEQ_RESCUE_ITERATIONS Broyden iterations from its current state; if they and the check
      (`_verify`) pass, it has converged with the check's end state; if not, its plain days go
      on from where they were, unchanged;
    * from PREEQ_VERDICT_MIN_DAYS on, a patient whose largest day-to-day change of the block did
      not shrink from the previous block's or the one before (per block), or shrank so slowly
      that passing the test would take more than PREEQ_VERDICT_SLACK times the days left at
      that rate, stops: not converged, its start the state after the days it ran ("no 24-h
      cycle after N days").

    Returns the start states, the status of each patient, whether it converged and its days
    (for one converged by the second attempt, the check's days)."""
    rest = Protocol(clock_start=protocol.clock_start)
    rtol = max(PREEQ_RTOL, 10 * options.rtol)
    cap = protocol.preequilibrate_days
    y = Y0.copy()
    n_pat, n = P.shape[0], system.n_states
    status = np.zeros(n_pat, dtype=np.int64)
    converged = np.zeros(n_pat, dtype=bool)
    days_run = np.zeros(n_pat, dtype=np.int64)
    # each patient's largest day-to-day change in the last block and the one before
    envelope = np.full(n_pat, np.inf)
    envelope_2 = np.full(n_pat, np.inf)
    tried = np.zeros(n_pat, dtype=np.int64)
    active = np.arange(n_pat)
    days = 0
    while active.size and days < cap:
        block = min(PREEQ_BLOCK_DAYS, cap - days)
        y_before = y[active]
        # the states at every day of the block (dense output: the steps, and so the states,
        # are those of a run that reports the last two days only, as `_preequilibrate`'s)
        sol = _run(system, P[active], y_before, rest, 24.0 * np.arange(1, block + 1), options,
                   atol)
        ok = sol.status == Status.SUCCESS
        status[active[~ok]] = sol.status[~ok]
        y[active] = sol.y_end
        ys = np.concatenate([y_before[:, None, :], sol.outputs[:, :, :n]], axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            change = (np.abs(np.diff(ys, axis=1))
                      / (rtol * np.abs(ys[:, 1:]) + 10 * atol)).max(axis=2)
        done = ok & (change[:, -1] <= 1.0)
        converged[active[done]] = True
        days += block
        days_run[active] = days
        env = change.max(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            # contraction per block: the faster of over one block and over two
            e1, e2 = envelope[active], envelope_2[active]
            rate = np.maximum(np.where(np.isfinite(e1), np.log(e1 / env), -np.inf),
                              np.where(np.isfinite(e2), 0.5 * np.log(e2 / env), -np.inf))
        envelope_2[active] = envelope[active]
        envelope[active] = env
        keep = ok & ~done
        # a second shooting attempt from the plain state of a patient that is settling
        rescue = (keep & (tried[active] < PREEQ_RESCUE_TRIES) & (days >= PREEQ_RESCUE_MIN_DAYS)
                  & (rate > 0)
                  & (change[:, -1] <= PREEQ_RESCUE_MAX_CHANGE))
        if rescue.any():
            idx = active[rescue]
            tried[idx] += 1
            found, cycle = _broyden(system, P[idx], y[idx], shoot, PREEQ_RESCUE_ITERATIONS,
                                    protocol, options, atol)
            acc = np.zeros(idx.size, dtype=bool)
            if found.any():
                acc[found], y_acc = _verify(system, P[idx[found]], cycle[found], protocol,
                                            options, atol)
                y[idx[found][acc[found]]] = y_acc[acc[found]]
            converged[idx[acc]] = True
            days_run[idx[acc]] = SHOOT_VERIFY_DAYS
            keep[np.flatnonzero(rescue)[acc]] = False
        # the verdict: days to pass the test at the block's contraction rate against days left
        with np.errstate(invalid="ignore", divide="ignore"):
            need = np.where(rate > 0, block * np.log(np.maximum(change[:, -1], 1.0)) / rate,
                            np.inf)
        stop = keep & (days >= PREEQ_VERDICT_MIN_DAYS) & ~(need <= PREEQ_VERDICT_SLACK
                                                            * (cap - days))
        active = active[keep & ~stop]
    y[np.abs(y) < np.finfo(float).tiny] = 0.0
    return y, status, converged, days_run


def _preequilibrate(system, P, Y0, protocol, options, atol):
    """Run the unperturbed model whole days (same clock time at the end) until the state changes
    by less than PREEQ_RTOL between consecutive days, at most protocol.preequilibrate_days days.
    Returns the start states, the status of each patient, whether it converged and the days it
    ran."""
    rest = Protocol(clock_start=protocol.clock_start)
    rtol = max(PREEQ_RTOL, 10 * options.rtol)
    y = Y0.copy()
    n_pat = P.shape[0]
    status = np.zeros(n_pat, dtype=np.int64)
    converged = np.zeros(n_pat, dtype=bool)
    days_run = np.zeros(n_pat, dtype=np.int64)
    active = np.arange(n_pat)
    days = 0
    while active.size and days < protocol.preequilibrate_days:
        block = min(PREEQ_BLOCK_DAYS, protocol.preequilibrate_days - days)
        t = np.array([24.0 * (block - 1), 24.0 * block])
        sol = _run(system, P[active], y[active], rest, t, options, atol)
        ok = sol.status == Status.SUCCESS
        status[active[~ok]] = sol.status[~ok]
        y[active] = sol.y_end
        a, b = sol.outputs[:, 0, :system.n_states], sol.outputs[:, 1, :system.n_states]
        done = ok & np.all(np.abs(b - a) <= rtol * np.abs(b) + 10 * atol, axis=1)
        converged[active[done]] = True
        days += block
        days_run[active] = days
        active = active[ok & ~done]
    # a state decaying towards zero ends as a subnormal number (the pathogen of `damage`: 5e-322
    # after 200 days); every operation on one costs about 3x (docs/design/0013-bench-engine-
    # speed.md) and SBML cannot hold it, while it is below any tolerance: it starts at zero
    y[np.abs(y) < np.finfo(float).tiny] = 0.0
    return y, status, converged, days_run


#: The schedules of the last few (protocol, system, end time) triples: repeated calls (one
#: patient at a time, the batches of an analysis) reuse the segments instead of rebuilding them
#: from the events (both are immutable, and the kernels only read the segments). Holding the
#: protocol and the system keeps their ids from being reused while their entry is here.
_SCHEDULES: dict = {}
_SCHEDULES_KEPT = 16


def _schedule(protocol: Protocol, system: System, t_end: float):
    key = (id(protocol), id(system), t_end)
    hit = _SCHEDULES.get(key)
    if hit is not None and hit[0] is protocol and hit[1] is system:
        return hit[2]
    sched = protocol.schedule(system, t_end)
    while len(_SCHEDULES) >= _SCHEDULES_KEPT:
        _SCHEDULES.pop(next(iter(_SCHEDULES), None), None)
    _SCHEDULES[key] = (protocol, system, sched)
    return sched


def _run(system, P, Y0, protocol, t, options, atol, serial=False) -> Solution:
    out, status, nsteps, y_end = _integrate(system, P, Y0, protocol, t, options, atol, serial)
    n_pat = P.shape[0]
    return Solution(t, out, status, nsteps, y_end, P, np.zeros(n_pat, dtype=bool),
                    np.ones(n_pat, dtype=bool), Y0)


def _plain(a: np.ndarray) -> np.ndarray:
    """`a` as the C-contiguous, writable array the solver entries are compiled for; a read-only
    one (e.g. an xarray coordinate's values) is copied, the solver only reads it
    (docs/design/0040-shared-solver.md)."""
    a = np.ascontiguousarray(a)
    return a if a.flags.writeable else a.copy()


def _lanes_ready(system: System) -> bool:
    """Whether the model's lane kernel is compiled in this process or in the kernel cache (numba's
    index of it is there)."""
    if system.kernels.rhs_lanes.signatures:
        return True
    src = system.source_path
    tag = f"py{sys.version_info.major}{sys.version_info.minor}"  # numba's index of this Python
    return any((src.parent / "__pycache__").glob(f"{src.stem}.rhs_lanes-*.{tag}.nbi"))


def _integrate(system, P, Y0, protocol, t, options, atol, serial=False):
    """Every patient from Y0 with the kernels: (outputs, status, steps, end states). `serial`:
    a Dormand-Prince batch runs on the one-patient kernel, one patient after another."""
    sched = _schedule(protocol, system, float(t[-1]))
    n_pat = P.shape[0]
    out = np.full((n_pat, t.size, len(system.outputs)), np.nan)
    status = np.zeros(n_pat, dtype=np.int64)
    nsteps = np.zeros(n_pat, dtype=np.int64)
    y_end = np.zeros((n_pat, system.n_states))
    k = system.kernels
    if options.method == "rodas4" and not getattr(k, "HAS_JACOBIAN", True):
        raise SolverError(problem("SolverOptions.method", "'dopri5' for a system compiled "
                                  "without a symbolic Jacobian (forward sensitivities)",
                                  options.method, "use method='dopri5'"))
    # the kernels' error norm is a root mean square over all states; with only the first
    # N_CONTROLLED in it (the others have atol = inf), tolerances scaled by sqrt(n / n_controlled)
    # make it the root mean square over those, as for the model alone
    scale = math.sqrt(system.n_states / getattr(k, "N_CONTROLLED", system.n_states))
    args = (_plain(Y0), _plain(P), float(protocol.clock_start),
            sched.seg_t, sched.seg_jump, sched.seg_u, _plain(t), float(options.rtol) / scale,
            atol / scale,
            float(options.h_max), int(options.max_steps), out, status, nsteps, y_end)
    small = n_pat < SERIAL_BELOW and (n_pat < k.LANES or not options.lanes)
    if options.method == "dopri5" and (serial or small):
        # a small Dormand-Prince batch off the lanes (or one asked to run serially): the serial
        # kernel, which compiles neither a parallel region nor Rodas4 (docs/design/0013-bench-
        # engine-speed.md)
        k.solve_serial_dp5(*args)
        return out, status, nsteps, y_end
    threads = numba.get_num_threads()
    one_thread = n_pat < SERIAL_BELOW and threads > 1
    if one_thread:
        numba.set_num_threads(1)  # per calling thread; restored below
    try:
        if options.lanes and options.method == "dopri5" and n_pat >= k.LANES:
            # one chunk per thread: lanes refill from their chunk, and each chunk ends with
            # lanes idle until its slowest patients finish; the threads take contiguous blocks
            # of chunks, so more chunks only add such ends (docs/design/0036-lane-chunks.md)
            n_chunks = min(-(-n_pat // k.LANES), numba.get_num_threads())
            k.solve_batch_lanes(n_chunks, *args)
        else:
            k.solve_batch(METHODS[options.method], *args)
    finally:
        if one_thread:
            numba.set_num_threads(threads)
    return out, status, nsteps, y_end
