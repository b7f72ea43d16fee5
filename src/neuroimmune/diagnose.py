"""Why a patient's integration failed: which dose, stressor, signal or parameter pushed it out of
range, found by rerunning only that patient a bounded number of times.

A failed patient is rerun (from its own start state, so pre-equilibration is not repeated)
without each of the MAX_EVENTS events that start nearest before the failure, one at a time; then
with all of its own parameter values (those differing from the nominal ones) reset to nominal,
and, if that solves, with halves of them reset, down to the one parameter that is enough
(bisection, at most MAX_PARAMETER_RERUNS reruns). Reruns are batched across the failing patients
of a call; patients that solved are never rerun, and at most MAX_PATIENTS failing patients of
one call are diagnosed. The result is one sentence per patient, e.g. "the solver failed between
t = 2 h and t = 2.1 h; without the LPS bolus at 2 h (1e300 ng/kg) the patient solves: that event
pushed the state out of range".
"""

from __future__ import annotations

from typing import Callable, Iterable

import numpy as np

from .compile import System
from .protocol import (
    Bolus,
    DrugDose,
    Infusion,
    Protocol,
    Repeated,
    SignalStep,
    Stressor,
    _time,
)
from .solve import Solution, SolverOptions, solve
from .solvers import STATUS_MESSAGES, Status

#: Events tried per failing patient (the ones starting nearest before the failure).
MAX_EVENTS = 4
#: Parameter reruns per failing patient: all varied values reset, then bisection.
MAX_PARAMETER_RERUNS = 16
#: Failing patients diagnosed per call (the cost of a cohort in which many fail stays bounded).
MAX_PATIENTS = 16


def status_message(code: int, preequilibration_failed: bool, cause: str = "") -> str:
    """The message of one patient: what the status means, how to fix it and, for a failed
    patient, the diagnosis (failure_causes)."""
    msg = STATUS_MESSAGES[Status(int(code))]
    msg = ("pre-equilibration failed: " + msg) if preequilibration_failed else msg
    return f"{msg}. Diagnosis: {cause}" if cause else msg


def _when(value) -> str:
    return value if isinstance(value, str) else f"{float(value):g} h"


def _amount(value, unit: str) -> str:
    return value if isinstance(value, str) else f"{float(value):g} {unit}"


def describe(event, system: System) -> str:
    """A short description of a protocol event, e.g. "the LPS bolus at 2 h (400 ng/kg)"."""
    def unit(species: str) -> str:
        try:
            return system.state_units[system.state_index(species)]
        except Exception:  # a species the model lacks: the protocol reports it elsewhere
            return ""

    if isinstance(event, Repeated):
        return (f"{describe(event.dose, system)} repeated {event.count} times every "
                f"{_when(event.every)}")
    if isinstance(event, Bolus):
        return (f"the {event.species} bolus at {_when(event.time)} "
                f"({_amount(event.amount, unit(event.species))})")
    if isinstance(event, Infusion):
        return (f"the {event.species} infusion from {_when(event.start)} for "
                f"{_when(event.duration)} ({_amount(event.rate, unit(event.species) + '/h')})")
    if isinstance(event, DrugDose):
        return (f"the {event.drug} dose ({event.route}) at {_when(event.time)} "
                f"({_amount(event.amount, unit(event.drug + '_central'))})")
    if isinstance(event, Stressor):
        return (f"the stressor from {_when(event.start)} for {_when(event.duration)} "
                f"(intensity {event.intensity:g})")
    if isinstance(event, SignalStep):
        return (f"the {event.signal} signal from {_when(event.start)} for "
                f"{_when(event.duration)} (change {event.change:g})")
    return type(event).__name__


def _start(event) -> float:
    """When an event first acts (h after t = 0)."""
    if isinstance(event, Repeated):
        return _start(event.dose)
    value = event.time if isinstance(event, (Bolus, DrugDose)) else event.start
    try:
        return _time(value, "event time")
    except Exception:  # not reachable for a protocol that ran; be safe
        return 0.0


def _window(sol: Solution, i: int) -> tuple[float | None, float | None, str]:
    """(last output time reached, next output time, sentence) of a failed patient."""
    if sol.preequilibration_failed[i]:
        return None, None, "the solver failed during pre-equilibration (before t = 0)"
    t = sol.t
    ok = np.all(np.isfinite(sol.outputs[i]), axis=1)
    reached = int(np.argmin(ok)) if not ok.all() else t.size  # first output not reached
    if reached == 0:
        return None, float(t[0]), f"the solver failed before the first output time ({t[0]:g} h)"
    if reached >= t.size:
        return float(t[-1]), None, f"the solver failed after t = {t[-1]:g} h"
    lo, hi = float(t[reached - 1]), float(t[reached])
    return lo, hi, f"the solver failed between t = {lo:g} h and t = {hi:g} h"


def _solves(sol: Solution) -> np.ndarray:
    return sol.status == Status.SUCCESS


def failure_causes(system: System, sol: Solution, protocol: Protocol,
                   options: SolverOptions = SolverOptions(), *,
                   nominal: np.ndarray | Callable[[], np.ndarray] | None = None,
                   y0: np.ndarray | None = None, patients: Iterable[int] | None = None,
                   limit: int | None = None) -> list[str]:
    """One sentence per patient of `sol` (from ``solve(system, sol.params, protocol, sol.t,
    options=options, y0=y0)``): "" for a patient that solved (or is not among `patients`),
    otherwise when it failed and which input, removed or reset to `nominal` (default: the
    model's values ``system.p0``; a function is called only when a patient failed), lets it
    solve. At most `limit` (default MAX_PATIENTS) failed patients are rerun."""
    limit = MAX_PATIENTS if limit is None else limit
    n_pat = sol.status.shape[0]
    out = [""] * n_pat
    failed = [i for i in (range(n_pat) if patients is None else patients)
              if sol.status[i] != Status.SUCCESS]
    if not failed:
        return out
    windows = {i: _window(sol, i) for i in failed}
    chosen, skipped = failed[:limit], failed[limit:]
    for i in skipped:
        out[i] = (f"{windows[i][2]} (not diagnosed: only the first {limit} failing patients "
                  "of a run are rerun to find the cause)")
    nominal = nominal() if callable(nominal) else nominal
    p0 = system.p0 if nominal is None else np.asarray(nominal, dtype=float)
    t2 = sol.t[[0, -1]] if sol.t.size > 1 else sol.t
    events = _event_reruns(system, sol, protocol, options, chosen, windows, t2)
    params = _parameter_reruns(system, sol, protocol, options, chosen, p0, y0, t2)
    for i in chosen:
        out[i] = _sentence(system, sol, protocol, i, windows[i][2], events[i], params[i], p0)
    return out


def _event_reruns(system, sol, protocol, options, chosen, windows, t2) -> dict:
    """{patient: (events tried, events whose removal lets it solve)} (indices into
    protocol.events)."""
    tried: dict[int, list[int]] = {i: [] for i in chosen}
    fixed: dict[int, list[int]] = {i: [] for i in chosen}
    starts = [_start(e) for e in protocol.events]
    for i in chosen:
        lo, hi, _ = windows[i]
        if sol.preequilibration_failed[i] or sol.y_start is None:
            continue  # events act after t = 0
        before = [k for k, s in enumerate(starts) if hi is None or s < hi]
        tried[i] = sorted(before, key=lambda k: -starts[k])[:MAX_EVENTS]
    for k in sorted({k for ks in tried.values() for k in ks}):
        who = [i for i in chosen if k in tried[i]]
        rest = Protocol(protocol.events[:k] + protocol.events[k + 1:],
                        clock_start=protocol.clock_start)
        rerun = solve(system, sol.params[who], rest, t2, options=options, y0=sol.y_start[who])
        for i, ok in zip(who, _solves(rerun)):
            if ok:
                fixed[i].append(k)
    return {i: (tried[i], fixed[i]) for i in chosen}


def _parameter_reruns(system, sol, protocol, options, chosen, p0, y0, t2) -> dict:
    """{patient: (varied parameter indices, smallest group whose reset lets it solve (None when
    resetting all of them does not), whether the rerun budget ended the search)}."""
    P = sol.params
    varied: dict[int, np.ndarray] = {}
    for i in chosen:
        diff = np.flatnonzero(~np.isclose(P[i], p0, rtol=1e-12, atol=0.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            size = np.abs(np.log(np.abs(P[i, diff]) / np.abs(p0[diff])))
        varied[i] = diff[np.argsort(-np.nan_to_num(size, nan=np.inf, posinf=np.inf))]
    result: dict[int, np.ndarray | None] = {i: None for i in chosen}
    reruns = dict.fromkeys(chosen, 0)
    split = dict.fromkeys(chosen, True)  # False: neither half alone lets it solve

    def solves_with(resets: dict[int, np.ndarray]) -> dict[int, bool]:
        who = list(resets)
        rows = P[who].copy()
        for r, i in enumerate(who):
            rows[r, resets[i]] = p0[resets[i]]
            reruns[i] += 1
        start = None if y0 is None else np.broadcast_to(
            np.asarray(y0, dtype=float), (P.shape[0], system.n_states))[who]
        rerun = solve(system, rows, protocol, t2, options=options, y0=start)
        return dict(zip(who, _solves(rerun)))

    active = [i for i in chosen if varied[i].size]
    if not active:
        return {i: (varied[i], None, False) for i in chosen}
    for i, ok in solves_with({i: varied[i] for i in active}).items():
        if ok:
            result[i] = varied[i]
    group = {i: varied[i] for i in active if result[i] is not None}
    while True:
        halving = {i: g for i, g in group.items()
                   if g.size > 1 and split[i] and reruns[i] < MAX_PARAMETER_RERUNS}
        if not halving:
            break
        first = solves_with({i: g[:g.size // 2] for i, g in halving.items()})
        second = {i: g[g.size // 2:] for i, g in halving.items()
                  if not first[i] and reruns[i] < MAX_PARAMETER_RERUNS}
        later = solves_with(second) if second else {}
        for i, g in halving.items():
            if first[i]:
                group[i] = g[:g.size // 2]
            elif later.get(i):
                group[i] = g[g.size // 2:]
            elif i in second:
                split[i] = False  # neither half alone: keep the group
        for i in halving:
            result[i] = group[i]
    out = {}
    for i in chosen:
        found = result[i]
        out[i] = (varied[i], found, split[i] and found is not None and found.size > 1)
    return out


def _sentence(system, sol, protocol, i, window, events, params, p0) -> str:
    tried, fixed = events
    varied, group, budget = params
    parts = [window]
    for k in fixed:
        parts.append(f"without {describe(protocol.events[k], system)} the patient solves: "
                     "that event pushed the state out of range")
    if group is not None and group.size == 1:
        j = int(group[0])
        unit = "" if system.parameter_units[j] in ("1", "") else " " + system.parameter_units[j]
        parts.append(f"with {system.parameters[j]} at its nominal value ({p0[j]:.4g}{unit} "
                     f"instead of {sol.params[i, j]:.4g}{unit}) the patient solves: this patient's "
                     f"{system.parameters[j]} pushed the state out of range")
    elif group is not None:
        names = [system.parameters[j] for j in group]
        listed = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        parts.append(f"with {len(names)} of its parameter values reset to nominal ({listed}) "
                     "the patient solves" + (
                         f" ({MAX_PARAMETER_RERUNS} reruns narrowed it down to these): one or "
                         "more of them pushed the state out of range" if budget else
                         ", but with either half of them reset it still fails: together they "
                         "pushed the state out of range"))
    if len(parts) == 1:
        what = []
        if tried:
            what.append("without " + (" or ".join(describe(protocol.events[k], system)
                                                  for k in tried) if len(tried) <= 2 else
                                      f"any one of the {len(tried)} events before the failure"))
        if varied.size:
            what.append(f"with its {varied.size} varied parameter values at their nominal "
                        "values")
        if what:
            parts.append("the patient still fails " + " and ".join(what) + ": the cause is "
                         "not one input (see the fix)")
        else:
            parts.append("no dose, stressor or varied parameter to remove before the failure: "
                         "the cause is the model or the solver options (see the fix)")
    return "; ".join(parts)
