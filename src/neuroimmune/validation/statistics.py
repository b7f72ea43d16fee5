"""The validation targets' statistics by name (STATISTICS, referred to by rules.py): thin
wrappers that take one simulated course, a 1-D ``xarray.DataArray`` over ``time`` (h after the
start; clock statistics also need its ``clock`` coordinate, h after midnight), and return a float
computed by the one implementation in `neuroimmune.statistics` (definitions there, e.g. the
parabola-refined time of peak; tests/test_statistics.py checks that all users agree).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from .. import statistics as S
from ..errors import NeuroimmuneError, problem
from ..statistics import in_band  # noqa: F401  (re-exported: the harness uses it by this name)


def _yt(da: xr.DataArray) -> tuple[np.ndarray, np.ndarray]:
    if da.ndim != 1 or "time" not in da.dims:
        raise NeuroimmuneError(problem("statistic input", "a 1-D time course (dims ('time',))",
                                       da.dims, "select one patient first, e.g. "
                                       "ds['TNF'].isel(patient=0)"))
    return np.asarray(da.values, float), np.asarray(da["time"].values, float)


def _clock0(da: xr.DataArray, what: str = "clock statistic input") -> float:
    if "clock" not in da.coords:
        raise NeuroimmuneError(problem(what, "a time course with a 'clock' coordinate",
                                       list(da.coords), "use a simulated result "
                                       "(neuroimmune.results.simulate adds it)"))
    return float(da["clock"].values[0])


def peak(da: xr.DataArray, start: float | None = None, end: float | None = None) -> float:
    """Largest value (over [start, end] h when given)."""
    return float(S.peak(*_yt(da), start, end))


def minimum(da: xr.DataArray, start: float | None = None, end: float | None = None) -> float:
    """Smallest value (over [start, end] h when given)."""
    return float(S.minimum(*_yt(da), start, end))


def time_of_peak(da: xr.DataArray, start: float | None = None, end: float | None = None) -> float:
    """Time (h after the start of the scenario) of the largest value in [start, end]."""
    return float(S.time_of_peak(*_yt(da), start, end))


def time_of_minimum(da: xr.DataArray, start: float | None = None,
                    end: float | None = None) -> float:
    """Time (h after the start) of the smallest value in [start, end]."""
    return float(S.time_of_minimum(*_yt(da), start, end))


def clock_time_of_peak(da: xr.DataArray) -> float:
    """Clock time (h after midnight, in [0, 24)) of the largest value."""
    return float(S.clock_time_of_peak(*_yt(da), _clock0(da)))


def clock_time_of_minimum(da: xr.DataArray) -> float:
    """Clock time (h after midnight, in [0, 24)) of the smallest value."""
    return float(S.clock_time_of_minimum(*_yt(da), _clock0(da)))


def clock_window_mean(da: xr.DataArray, start_clock: float, end_clock: float) -> float:
    """Time-average over the clock window [start_clock, end_clock) h after midnight (wrapping
    midnight when end_clock < start_clock)."""
    return float(S.clock_window_mean(*_yt(da), _clock0(da), start_clock, end_clock))


def value_at(da: xr.DataArray, time: float) -> float:
    """Value at `time` (h after the start), linearly interpolated."""
    return float(S.value_at(*_yt(da), time))


def auc(da: xr.DataArray, start: float | None = None, end: float | None = None) -> float:
    """Area under the curve over [start, end] h (trapezoidal; unit of the course x h)."""
    return float(S.auc(*_yt(da), start, end))


def mean(da: xr.DataArray, start: float | None = None, end: float | None = None) -> float:
    """Time-average over [start, end] h (default: the whole course)."""
    return float(S.mean(*_yt(da), start, end))


def time_of_clock(da: xr.DataArray, clock: float, after: float = 0.0) -> float:
    """First time (h after the start, >= `after`) at which the clock reads `clock`."""
    return float(S.time_of_clock(clock, float(_yt(da)[1][0]), _clock0(da), after))


def ratio_to_value_at(da: xr.DataArray, time: float, start: float | None = None) -> float:
    """Peak (from `start`, default `time`) divided by the value at `time`: e.g. peak / pre-LPS."""
    return float(S.ratio_to_value_at(*_yt(da), time, start))


def rise_over_baseline(da: xr.DataArray, time: float) -> float:
    """Largest value from `time` on minus the value at `time` (the baseline)."""
    return float(S.rise_over_baseline(*_yt(da), time))


def value_at_over_peak(da: xr.DataArray, time: float, start: float | None = None) -> float:
    """Value at `time` divided by the peak (from `start` when given): e.g. resolution at 6 h."""
    return float(S.value_at_over_peak(*_yt(da), time, start))


def time_of_largest_rise(da: xr.DataArray, onset: float) -> float:
    """Time after `onset` (h) of the largest rise above the value at `onset`; NaN if none."""
    return float(S.time_of_largest_rise(*_yt(da), onset))


def ratio(a: float, b: float) -> float:
    """a / b; NaN when b is zero or either is not finite."""
    return float(S.ratio(a, b))


def rmse_over_mean(da: xr.DataArray, data_clock, data_values, period: float = 24.0) -> float:
    """RMSE between the model and data points placed by clock time, over the data mean."""
    y, _ = _yt(da)
    _clock0(da, "rmse_over_mean input")
    return float(S.rmse_over_mean(y, da["clock"].values, data_clock, data_values, period))


#: The statistics by name (the names the validation table refers to).
STATISTICS = {f.__name__: f for f in (
    peak, minimum, time_of_peak, time_of_minimum, clock_time_of_peak, clock_time_of_minimum,
    clock_window_mean, value_at, time_of_clock, ratio_to_value_at, rise_over_baseline,
    value_at_over_peak, time_of_largest_rise, ratio, rmse_over_mean)}
