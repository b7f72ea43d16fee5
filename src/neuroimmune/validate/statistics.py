"""Statistics of one simulated time course, as used by the validation targets.

Each function takes a 1-D ``xarray.DataArray`` over ``time`` (hours after the start of the
scenario; clock statistics also need the ``clock`` coordinate, hours after midnight) and returns a
float. They do not simulate, so they are tested on synthetic curves with known answers
(tests/test_validate.py). Times of extrema are refined by a parabola through the grid maximum and
its two neighbours, so they are not limited to the output step.
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from ..errors import NeuroimmuneError, problem


def _arrays(da: xr.DataArray, start: float | None = None, end: float | None = None):
    if da.ndim != 1 or "time" not in da.dims:
        raise NeuroimmuneError(problem("statistic input", "a 1-D time course (dims ('time',))",
                                       da.dims, "select one patient first, e.g. "
                                       "ds['TNF'].isel(patient=0)"))
    t = np.asarray(da["time"].values, dtype=float)
    y = np.asarray(da.values, dtype=float)
    keep = np.ones(t.size, bool)
    if start is not None:
        keep &= t >= start - 1e-9
    if end is not None:
        keep &= t <= end + 1e-9
    if keep.sum() == 0:
        raise NeuroimmuneError(problem("statistic window", f"times within [{t[0]:g}, {t[-1]:g}] "
                                       "h", (start, end), "choose a window inside the course"))
    return t[keep], y[keep]


def _vertex(t: np.ndarray, y: np.ndarray, i: int) -> float:
    """Time of the extremum of the parabola through points i-1, i, i+1 (t[i] at the ends)."""
    if i <= 0 or i >= len(t) - 1:
        return float(t[i])
    (t0, t1, t2), (y0, y1, y2) = t[i - 1:i + 2], y[i - 1:i + 2]
    denom = (t0 - t1) * (t0 - t2) * (t1 - t2)
    a = (t2 * (y1 - y0) + t1 * (y0 - y2) + t0 * (y2 - y1)) / denom
    b = (t2 ** 2 * (y0 - y1) + t1 ** 2 * (y2 - y0) + t0 ** 2 * (y1 - y2)) / denom
    if a == 0 or not np.isfinite(a):
        return float(t1)
    return float(np.clip(-b / (2 * a), t0, t2))


def _argext(y: np.ndarray, sign: float) -> int | None:
    if not np.isfinite(y).any():
        return None
    return int(np.nanargmax(sign * y))


def peak(da: xr.DataArray, start: float | None = None, end: float | None = None) -> float:
    """Largest value (over [start, end] h when given)."""
    _, y = _arrays(da, start, end)
    return float(np.nanmax(y)) if np.isfinite(y).any() else math.nan


def minimum(da: xr.DataArray, start: float | None = None, end: float | None = None) -> float:
    """Smallest value (over [start, end] h when given)."""
    _, y = _arrays(da, start, end)
    return float(np.nanmin(y)) if np.isfinite(y).any() else math.nan


def time_of_peak(da: xr.DataArray, start: float | None = None, end: float | None = None) -> float:
    """Time (h after the start of the scenario) of the largest value in [start, end]."""
    t, y = _arrays(da, start, end)
    i = _argext(y, 1.0)
    return math.nan if i is None else _vertex(t, y, i)


def time_of_minimum(da: xr.DataArray, start: float | None = None,
                    end: float | None = None) -> float:
    """Time (h after the start) of the smallest value in [start, end]."""
    t, y = _arrays(da, start, end)
    i = _argext(y, -1.0)
    return math.nan if i is None else _vertex(t, -y, i)


def _clock_of(da: xr.DataArray, time: float) -> float:
    if "clock" not in da.coords:
        raise NeuroimmuneError(problem("clock statistic input", "a time course with a 'clock' "
                                       "coordinate", list(da.coords), "use a simulated result "
                                       "(neuroimmune.results.simulate adds it)"))
    t, c = np.asarray(da["time"].values, float), np.asarray(da["clock"].values, float)
    return float((c[0] + (time - t[0])) % 24.0)


def clock_time_of_peak(da: xr.DataArray) -> float:
    """Clock time (h after midnight, in [0, 24)) of the largest value."""
    t = time_of_peak(da)
    return math.nan if math.isnan(t) else _clock_of(da, t)


def clock_time_of_minimum(da: xr.DataArray) -> float:
    """Clock time (h after midnight, in [0, 24)) of the smallest value."""
    t = time_of_minimum(da)
    return math.nan if math.isnan(t) else _clock_of(da, t)


def value_at(da: xr.DataArray, time: float) -> float:
    """Value at `time` (h after the start), linearly interpolated."""
    t, y = _arrays(da)
    if not t[0] - 1e-9 <= time <= t[-1] + 1e-9:
        raise NeuroimmuneError(problem("time", f"a time within [{t[0]:g}, {t[-1]:g}] h", time,
                                       "ask for a time inside the simulated span"))
    return float(np.interp(time, t, y))


def time_of_clock(da: xr.DataArray, clock: float, after: float = 0.0) -> float:
    """First time (h after the start, >= `after`) at which the clock reads `clock` (h after
    midnight), e.g. 08:00 the next morning of a course that starts at 23:00 -> 9 h."""
    c0 = _clock_of(da, after)
    return after + (clock - c0) % 24.0


def ratio_to_value_at(da: xr.DataArray, time: float, start: float | None = None) -> float:
    """Peak (from `start`, default `time`) divided by the value at `time`: e.g. peak / pre-LPS."""
    pre = value_at(da, time)
    return _ratio(peak(da, time if start is None else start), pre)


def rise_over_baseline(da: xr.DataArray, time: float) -> float:
    """Largest value from `time` on minus the value at `time` (the baseline)."""
    return peak(da, time) - value_at(da, time)


def value_at_over_peak(da: xr.DataArray, time: float, start: float | None = None) -> float:
    """Value at `time` divided by the peak (from `start` when given): e.g. resolution at 6 h."""
    return _ratio(value_at(da, time), peak(da, start))


def time_of_largest_rise(da: xr.DataArray, onset: float) -> float:
    """Time after `onset` (h) at which the value exceeds its value at `onset` the most; NaN when
    it never rises above that value (the time is then undefined)."""
    t, y = _arrays(da, onset)
    rise = y - value_at(da, onset)
    i = _argext(rise, 1.0)
    if i is None or not rise[i] > 0:
        return math.nan
    return _vertex(t, y, i) - onset


def _ratio(a: float, b: float) -> float:
    if not (np.isfinite(a) and np.isfinite(b)) or b == 0:
        return math.nan
    return float(a / b)


def ratio(a: float, b: float) -> float:
    """a / b; NaN when b is zero or either is not finite."""
    return _ratio(a, b)


def rmse_over_mean(da: xr.DataArray, data_clock, data_values, period: float = 24.0) -> float:
    """Root-mean-square difference between the model and data points, divided by the mean of the
    data. Data are placed by clock time (h after midnight); the model is interpolated at those
    clock times, periodically over `period` hours (a 24-h course covers every clock time)."""
    data_clock = np.asarray(data_clock, float) % period
    data_values = np.asarray(data_values, float)
    if data_clock.shape != data_values.shape or data_values.size == 0:
        raise NeuroimmuneError(problem("rmse data", "clock times and values of equal, non-zero "
                                       "length", (data_clock.shape, data_values.shape),
                                       "pass matching arrays"))
    if "clock" not in da.coords:
        raise NeuroimmuneError(problem("rmse_over_mean input", "a time course with a 'clock' "
                                       "coordinate", list(da.coords), "use a simulated result"))
    clock = np.asarray(da["clock"].values, float) % period
    y = np.asarray(da.values, float)
    order = np.argsort(clock, kind="stable")
    model = np.interp(data_clock, clock[order], y[order], period=period)
    return _ratio(float(np.sqrt(np.mean((model - data_values) ** 2))), float(data_values.mean()))


def in_band(value: float, lower: float, upper: float) -> bool:
    """value within [lower, upper]; a window with lower > upper wraps midnight (clock hours):
    [21.5, 2.5] accepts 23:00 and 01:00 but not 12:00. NaN never passes."""
    if value is None or not np.isfinite(value):
        return False
    if lower <= upper:
        return bool(lower <= value <= upper)
    return bool(value >= lower or value <= upper)


#: The statistics by name (the names the validation table refers to).
STATISTICS = {f.__name__: f for f in (
    peak, minimum, time_of_peak, time_of_minimum, clock_time_of_peak, clock_time_of_minimum,
    value_at, time_of_clock, ratio_to_value_at, rise_over_baseline, value_at_over_peak,
    time_of_largest_rise, ratio, rmse_over_mean)}
