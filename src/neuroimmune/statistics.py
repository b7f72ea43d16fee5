"""Statistics of simulated time courses: the one implementation that the ``ds.ni`` accessor, the
population summaries and the validation targets all use (docs/design/0005).

Every function takes values ``y`` with time on the LAST axis (typically (patient, time)) and the
times ``t`` (h, increasing, 1-D) and returns an array over the leading axes (a 0-d array for a
single course). NaN-aware: a patient whose solve failed has NaNs after the failure; extrema are
taken over its finite values, while AUC, values and recovery that need a NaN sample are NaN, and a
patient with no finite value gets NaN everywhere.

Windows ``[start, end]`` (h) select the samples inside (1e-9 h tolerance); only `auc` interpolates
at the window ends. Time of an extremum: the sample time of the largest (smallest) value, refined
by the vertex of the parabola through it and its two neighbours (kept inside them). This is
exact for a quadratic top and finer than the output step for smooth peaks; at a jump (a bolus at
the peak) it may lie up to half a step after the jump, and at a window edge or beside a NaN it is
the sample time.
"""

from __future__ import annotations

import numpy as np

from .errors import NeuroimmuneError, problem

_TOL = 1e-9


def _prepare(y, t, start=None, end=None):
    """y as float (..., n) and t (n,), restricted to the window."""
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    if t.ndim != 1 or y.ndim < 1 or y.shape[-1] != t.size or t.size == 0:
        raise NeuroimmuneError(problem("statistic input", "values with time on the last axis "
                                       "and matching 1-D times", (y.shape, t.shape),
                                       "pass y of shape (patient, time) and t of shape (time,)"))
    keep = np.ones(t.size, bool)
    if start is not None:
        keep &= t >= start - _TOL
    if end is not None:
        keep &= t <= end + _TOL
    if not keep.any():
        raise NeuroimmuneError(problem("statistic window", f"times within [{t[0]:g}, "
                                       f"{t[-1]:g}] h", (start, end),
                                       "choose a window inside the course"))
    return y[..., keep], t[keep]


def _check_time(t: np.ndarray, time: float, what: str = "time") -> None:
    if not t[0] - _TOL <= time <= t[-1] + _TOL:
        raise NeuroimmuneError(problem(what, f"a time within [{t[0]:g}, {t[-1]:g}] h", time,
                                       "ask for a time inside the simulated span"))


def _nanext(y: np.ndarray, sign: float) -> np.ndarray:
    """sign * max(sign * y) over the last axis, NaN where there is no finite value."""
    s = sign * y
    ok = np.isfinite(s).any(axis=-1)
    out = np.max(np.where(np.isnan(s), -np.inf, s), axis=-1)
    return np.where(ok, sign * out, np.nan)


def _argext(y: np.ndarray, sign: float) -> tuple[np.ndarray, np.ndarray]:
    """Index of the largest of sign * y (first on ties) and whether there is a finite value."""
    s = np.where(np.isnan(y), -np.inf, sign * y)
    return np.argmax(s, axis=-1), np.isfinite(y).any(axis=-1)


def _vertex(t: np.ndarray, y: np.ndarray, i: np.ndarray) -> np.ndarray:
    """Time of the extremum of the parabola through samples i-1, i, i+1 (t[i] at the ends, or
    when the three samples are not a proper parabola, e.g. a NaN neighbour)."""
    n = t.size
    if n < 3:
        return t[i]
    inner = (i > 0) & (i < n - 1)
    j = np.clip(i, 1, n - 2)
    t0, t1, t2 = t[j - 1], t[j], t[j + 1]
    take = lambda k: np.take_along_axis(y, k[..., None], axis=-1)[..., 0]  # noqa: E731
    y0, y1, y2 = take(j - 1), take(j), take(j + 1)
    with np.errstate(all="ignore"):
        denom = (t0 - t1) * (t0 - t2) * (t1 - t2)
        a = (t2 * (y1 - y0) + t1 * (y0 - y2) + t0 * (y2 - y1)) / denom
        b = (t2 ** 2 * (y0 - y1) + t1 ** 2 * (y2 - y0) + t0 ** 2 * (y1 - y2)) / denom
        v = np.clip(-b / (2 * a), t0, t2)
    return np.where(inner & np.isfinite(a) & (a != 0), v, t[i])


def _time_of_ext(y, t, start, end, sign: float) -> np.ndarray:
    y, t = _prepare(y, t, start, end)
    i, ok = _argext(y, sign)
    return np.where(ok, _vertex(t, sign * y, i), np.nan)


def peak(y, t, start: float | None = None, end: float | None = None) -> np.ndarray:
    """Largest value (over [start, end] h when given)."""
    return _nanext(_prepare(y, t, start, end)[0], 1.0)


def minimum(y, t, start: float | None = None, end: float | None = None) -> np.ndarray:
    """Smallest value (over [start, end] h when given)."""
    return _nanext(_prepare(y, t, start, end)[0], -1.0)


def time_of_peak(y, t, start: float | None = None, end: float | None = None) -> np.ndarray:
    """Time (h after the start of the course) of the largest value in [start, end], refined by
    a parabola (module docstring)."""
    return _time_of_ext(y, t, start, end, 1.0)


def time_of_minimum(y, t, start: float | None = None, end: float | None = None) -> np.ndarray:
    """Time (h after the start) of the smallest value in [start, end], refined by a parabola."""
    return _time_of_ext(y, t, start, end, -1.0)


def value_at(y, t, time: float) -> np.ndarray:
    """Value at `time` (h), linearly interpolated between the neighbouring samples."""
    y, t = _prepare(y, t)
    _check_time(t, time)
    if time <= t[0]:
        return y[..., 0]
    if time >= t[-1]:
        return y[..., -1]
    j = int(np.clip(np.searchsorted(t, time, side="right") - 1, 0, t.size - 2))
    if time == t[j]:
        return y[..., j]
    slope = (y[..., j + 1] - y[..., j]) / (t[j + 1] - t[j])
    return slope * (time - t[j]) + y[..., j]


def end_value(y, t) -> np.ndarray:
    """Value at the last time (NaN for a patient whose solve failed before)."""
    return _prepare(y, t)[0][..., -1]


def auc(y, t, start: float | None = None, end: float | None = None) -> np.ndarray:
    """Area under the curve by the trapezoidal rule over [start, end] h (default: the whole
    course); the window ends are linearly interpolated. Units: unit of y x h. NaN when a sample
    in the window is NaN."""
    y, t = _prepare(y, t)
    lo = t[0] if start is None else float(start)
    hi = t[-1] if end is None else float(end)
    for label, value in (("auc start", lo), ("auc end", hi)):
        _check_time(t, value, label)
    if hi < lo:
        raise NeuroimmuneError(problem("auc window", "start <= end", (start, end),
                                       "swap start and end"))
    inside = (t > lo) & (t < hi)
    ts = np.concatenate(([lo], t[inside], [hi]))
    ys = np.concatenate((value_at(y, t, lo)[..., None], y[..., inside],
                         value_at(y, t, hi)[..., None]), axis=-1)
    return np.trapezoid(ys, ts, axis=-1)


def mean(y, t, start: float | None = None, end: float | None = None) -> np.ndarray:
    """Time-average over [start, end] h (default: the whole course): auc / window length; the
    value itself for a window of zero length."""
    y, t = _prepare(y, t)
    lo = t[0] if start is None else float(start)
    hi = t[-1] if end is None else float(end)
    if hi == lo:
        return value_at(y, t, lo)
    return auc(y, t, lo, hi) / (hi - lo)


def recovery_time(y, t, baseline_time: float, fraction: float = 0.1) -> np.ndarray:
    """First time (h after the start) after the peak at which the course is back within
    `fraction` of its baseline: |y - b| <= fraction * |b| with b = value at `baseline_time`; the
    "peak" is the sample of largest |y - b| in [baseline_time, end] (the maximum of a rise, the
    minimum of a dip). The crossing is linearly interpolated between samples. NaN when the course
    does not recover before its end (or is NaN before that); the peak time itself when the peak
    is already within the band."""
    if not (np.isfinite(fraction) and fraction >= 0):
        raise NeuroimmuneError(problem("recovery fraction", "a number >= 0", fraction,
                                       "e.g. 0.1 for within 10 % of baseline"))
    b = value_at(y, t, baseline_time)[..., None]
    y, t = _prepare(y, t, baseline_time)
    tol = fraction * np.abs(b)
    i, ok = _argext(np.abs(y - b), 1.0)
    after = np.arange(t.size) >= i[..., None]
    with np.errstate(invalid="ignore"):
        inside = (np.abs(y - b) <= tol) & after
    k = np.argmax(inside, axis=-1)
    found = inside.any(axis=-1) & ok
    # NaN before the crossing: the patient failed before recovering
    failed = (np.isnan(y) & after & (np.arange(t.size) < k[..., None])).any(axis=-1)
    kp = np.maximum(k - 1, 0)
    take = lambda a, m: np.take_along_axis(a, m[..., None], axis=-1)[..., 0]  # noqa: E731
    y0, y1, b0, tol0 = take(y, kp), take(y, k), b[..., 0], tol[..., 0]
    level = b0 + np.sign(y0 - b0) * tol0
    with np.errstate(all="ignore"):
        w = np.where(y1 != y0, (level - y0) / (y1 - y0), 1.0)
    crossed = np.where((k > i) & (k > 0), t[kp] + np.clip(w, 0, 1) * (t[k] - t[kp]), t[k])
    return np.where(found & ~failed, crossed, np.nan)


def clock_time(time, t0: float, clock0: float) -> np.ndarray:
    """Clock time (h after midnight, [0, 24)) of `time` (h after the start) of a course whose
    first sample `t0` is at clock time `clock0`."""
    return (clock0 + (np.asarray(time, float) - t0)) % 24.0


def clock_time_of_peak(y, t, clock0: float) -> np.ndarray:
    """Clock time (h after midnight) of the largest value; `clock0` = clock at t[0]."""
    return clock_time(time_of_peak(y, t), float(np.asarray(t, float)[0]), clock0)


def clock_time_of_minimum(y, t, clock0: float) -> np.ndarray:
    """Clock time (h after midnight) of the smallest value; `clock0` = clock at t[0]."""
    return clock_time(time_of_minimum(y, t), float(np.asarray(t, float)[0]), clock0)


def clock_window_mean(y, t, clock0: float, start_clock: float, end_clock: float) -> np.ndarray:
    """Time-average over the part of the course whose clock time (h after midnight) lies in
    [start_clock, end_clock), a window that wraps midnight when end_clock < start_clock (e.g.
    23:00-07:00): the integral of the course's linear interpolant over those stretches of time
    (the part of the window the course covers) divided by their length; NaN, like other
    undefined statistics, when the course does not reach the window."""
    y, t = _prepare(y, t)
    for name, c in (("start_clock", start_clock), ("end_clock", end_clock)):
        if not 0.0 <= float(c) <= 24.0:
            raise NeuroimmuneError(problem(f"clock window {name}", "a clock time in [0, 24] h",
                                           c, "give hours after midnight, e.g. 23.0 for 23:00"))
    lo, hi = float(start_clock) % 24.0, float(end_clock) % 24.0
    if lo == hi:
        raise NeuroimmuneError(problem("clock window", "a start and an end that differ",
                                       f"{start_clock}-{end_clock}", "give a window of less than "
                                       "24 h, e.g. 23:00-07:00; for the whole day use the mean"))
    # the window's edges as times within the course, then the pieces between them
    edges = [t[0], t[-1]]
    for c in (lo, hi):
        k = t[0] + (c - float(clock_time(t[0], t[0], clock0))) % 24.0
        while k < t[-1]:
            edges.append(k)
            k += 24.0
    cuts = np.unique(np.asarray(edges, float))
    inside = [(a, b) for a, b in zip(cuts[:-1], cuts[1:])
              if _in_clock_window(float(clock_time(0.5 * (a + b), t[0], clock0)), lo, hi)]
    length = sum(b - a for a, b in inside)
    if length == 0:
        return np.full(y.shape[:-1], np.nan)
    return sum(auc(y, t, a, b) for a, b in inside) / length


def _in_clock_window(c: float, lo: float, hi: float) -> bool:
    return lo <= c < hi if lo <= hi else (c >= lo or c < hi)


def time_of_clock(clock: float, t0: float, clock0: float, after: float = 0.0) -> float:
    """First time (h after the start, >= `after`) at which the clock reads `clock` (h after
    midnight), e.g. 08:00 the next morning of a course that starts at 23:00 -> 9 h."""
    return after + (clock - float(clock_time(after, t0, clock0))) % 24.0


def ratio(a, b) -> np.ndarray:
    """a / b; NaN where b is zero or either is not finite."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    ok = np.isfinite(a) & np.isfinite(b) & (b != 0)
    with np.errstate(all="ignore"):
        return np.where(ok, a / np.where(ok, b, 1.0), np.nan)


def ratio_to_value_at(y, t, time: float, start: float | None = None) -> np.ndarray:
    """Peak (from `start`, default `time`) divided by the value at `time`: e.g. peak / pre-LPS."""
    return ratio(peak(y, t, time if start is None else start), value_at(y, t, time))


def rise_over_baseline(y, t, time: float) -> np.ndarray:
    """Largest value from `time` on minus the value at `time` (the baseline)."""
    return peak(y, t, time) - value_at(y, t, time)


def value_at_over_peak(y, t, time: float, start: float | None = None) -> np.ndarray:
    """Value at `time` divided by the peak (from `start` when given): e.g. resolution at 6 h."""
    return ratio(value_at(y, t, time), peak(y, t, start))


def time_of_largest_rise(y, t, onset: float) -> np.ndarray:
    """Time after `onset` (h) at which the value exceeds its value at `onset` the most; NaN when
    it never rises above that value."""
    base = value_at(y, t, onset)
    ys, ts = _prepare(y, t, onset)
    rise = ys - base[..., None]
    i, ok = _argext(rise, 1.0)
    top = np.take_along_axis(rise, i[..., None], axis=-1)[..., 0]
    return np.where(ok & (top > 0), _vertex(ts, ys, i) - onset, np.nan)


def rmse_over_mean(y, clock, data_clock, data_values, period: float = 24.0) -> np.ndarray:
    """Root-mean-square difference between the model and data points, divided by the mean of
    the data. `clock` (h after midnight) is the clock time of each sample; data are placed by
    clock time and the model is interpolated there periodically over `period` hours."""
    data_clock = np.asarray(data_clock, float) % period
    data_values = np.asarray(data_values, float)
    if data_clock.shape != data_values.shape or data_values.size == 0:
        raise NeuroimmuneError(problem("rmse data", "clock times and values of equal, non-zero "
                                       "length", (data_clock.shape, data_values.shape),
                                       "pass matching arrays"))
    y, clock = _prepare(y, np.asarray(clock, float))
    clock = clock % period
    order = np.argsort(clock, kind="stable")
    flat = y.reshape(-1, y.shape[-1])
    rmse = np.array([np.sqrt(np.mean((np.interp(data_clock, clock[order], row[order],
                                                period=period) - data_values) ** 2))
                     for row in flat]).reshape(y.shape[:-1])
    return ratio(rmse, float(data_values.mean()))


def in_band(value: float, lower: float, upper: float, rtol: float = 0.0) -> bool:
    """value within [lower, upper]; a window with lower > upper wraps midnight (clock hours):
    [21.5, 2.5] accepts 23:00 and 01:00 but not 12:00. NaN never passes. `rtol` (the solver's
    relative tolerance) widens each edge of an ordinary band by rtol x |edge|: a value that
    close to an edge cannot be told from it numerically."""
    if value is None or not np.isfinite(value):
        return False
    if not (0.0 <= rtol < 1e-2):
        raise NeuroimmuneError(problem("rtol", "a relative tolerance in [0, 0.01)", rtol,
                                       "pass the solver's rtol (SolverOptions.rtol)"))
    if lower <= upper:
        return bool(lower - rtol * abs(lower) <= value <= upper + rtol * abs(upper))
    return bool(value >= lower or value <= upper)
