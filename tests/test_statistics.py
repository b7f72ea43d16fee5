"""One definition of each statistic (neuroimmune.statistics): synthetic curves with known answers,
and the ds.ni accessor, the population summary and the validation statistic agree exactly."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
import xarray as xr

from neuroimmune import NeuroimmuneError
from neuroimmune import statistics as S
from neuroimmune.analysis.population import summarise
from neuroimmune.validation import statistics as st

T = np.arange(0.0, 10.0 + 1e-9, 0.25)  # coarse grid
T_FINE = np.linspace(0.0, 40.0, 4001)  # 0.01 h


def parabola(t, top=2.37):
    return 10.0 - (t - top) ** 2


def gamma_pulse(t, k=2.0, theta=1.37, a=3.0):
    """a t^k exp(-t / theta): peak at k theta, AUC over [0, inf) = a Gamma(k+1) theta^(k+1)."""
    return a * t ** k * np.exp(-t / theta)


def three_ways(y, t, name="X"):
    """The accessor's, the population summary's and the validation statistics of each patient."""
    ds = xr.Dataset({name: (("patient", "time"), y, {"units": "pg/mL"})},
                    coords={"patient": np.arange(len(y)), "time": t})
    system = SimpleNamespace(outputs=(name,))
    sol = SimpleNamespace(t=t, outputs=y[:, :, None])
    summary = summarise(system, sol, [name])
    per = [ds[name].isel(patient=i) for i in range(len(y))]
    return ds, summary, per


def test_parabola_top_is_exact_between_grid_points():
    y = np.stack([parabola(T), parabola(T, 6.1)])
    ds, summary, per = three_ways(y, T)
    expected_t = [2.37, 6.1]
    expected_peak = [parabola(T).max(), parabola(T, 6.1).max()]  # the largest sample
    for got in (ds.ni.time_to_peak("X").values, summary["X.time_to_peak"],
                [st.time_of_peak(da) for da in per], S.time_of_peak(y, T)):
        np.testing.assert_allclose(got, expected_t, rtol=0, atol=1e-12)
    for got in (ds.ni.peak("X").values, summary["X.peak"], [st.peak(da) for da in per]):
        np.testing.assert_array_equal(got, expected_peak)
    np.testing.assert_allclose(ds.ni.time_of_minimum("X").values, [10.0, 0.0])
    np.testing.assert_allclose(ds.ni.minimum("X").values, [parabola(10.0), parabola(0.0, 6.1)])


def test_gamma_pulse_peak_time_and_auc():
    y = gamma_pulse(T_FINE)[None, :]
    ds, summary, per = three_ways(y, T_FINE)
    t_peak, area = 2.0 * 1.37, 3.0 * math.gamma(3.0) * 1.37 ** 3
    for got in (ds.ni.time_to_peak("X")[0], summary["X.time_to_peak"][0],
                st.time_of_peak(per[0])):
        assert float(got) == pytest.approx(t_peak, abs=1e-4)  # finer than the 0.01 h grid
    assert float(ds.ni.peak("X")[0]) == pytest.approx(float(gamma_pulse(t_peak)), rel=1e-6)
    tail = float(gamma_pulse(40.0))
    for got in (ds.ni.auc("X")[0], summary["X.auc"][0]):
        assert float(got) == pytest.approx(area, rel=1e-4, abs=50 * tail)
    assert float(ds.ni.end("X")[0]) == summary["X.end"][0] == y[0, -1]


def test_auc_window_interpolates_its_ends_and_value_at_is_linear():
    t = np.array([0.0, 1.0, 2.0, 4.0])
    y = np.array([[0.0, 1.0, 2.0, 4.0]])  # y = t: the trapezoid is exact
    assert float(S.auc(y, t, 1.5, 3.25)[0]) == pytest.approx((3.25 ** 2 - 1.5 ** 2) / 2)
    assert float(S.auc(y, t)[0]) == pytest.approx(8.0)
    assert float(S.value_at(y, t, 3.3)[0]) == pytest.approx(3.3)
    ds, _, per = three_ways(y, t)
    assert float(ds.ni.auc("X", 1.5, 3.25)[0]) == float(S.auc(y, t, 1.5, 3.25)[0])
    assert float(ds.ni.value_at("X", 3.3)[0]) == st.value_at(per[0], 3.3)
    with pytest.raises(NeuroimmuneError, match="auc end"):
        S.auc(y, t, 1.0, 5.0)
    with pytest.raises(NeuroimmuneError, match="start <= end"):
        S.auc(y, t, 3.0, 1.0)


def test_failed_patient_with_nan_tail():
    y = np.stack([gamma_pulse(T), gamma_pulse(T), np.full(T.size, np.nan)])
    y[1, T > 1.0] = np.nan  # solver failed after 1 h, on the rising edge
    ds, summary, per = three_ways(y, T)
    for got in (ds.ni.peak("X").values, summary["X.peak"], [st.peak(da) for da in per]):
        np.testing.assert_array_equal(got, [np.nanmax(y[0]), gamma_pulse(1.0), np.nan])
    for got in (ds.ni.time_to_peak("X").values, summary["X.time_to_peak"]):
        assert got[1] == 1.0  # the last finite sample; no parabola through a NaN
        assert np.isnan(got[2]) and np.isfinite(got[0])
    for got in (ds.ni.auc("X").values, summary["X.auc"], ds.ni.end("X").values,
                summary["X.end"]):
        assert np.isfinite(got[0]) and np.isnan(got[1:]).all()
    assert np.isnan(ds.ni.recovery_time("X", 0.5).values[1:]).all()


def test_recovery_time_returns_within_fraction_of_baseline():
    b, a, tau = 2.0, 50.0, 0.8
    t = np.linspace(0.0, 12.0, 1201)
    y = np.where(t < 1.0, b, b + a * np.exp(-(t - 1.0) / tau))[None, :]
    exact = 1.0 + tau * math.log(a / (0.1 * b))  # b + a exp(-(t-1)/tau) = 1.1 b
    ds, _, _ = three_ways(y, t)
    assert float(ds.ni.recovery_time("X", 0.0)[0]) == pytest.approx(exact, abs=1e-4)
    assert float(S.recovery_time(y, t, 0.0, fraction=0.5)[0]) == pytest.approx(
        1.0 + tau * math.log(a / (0.5 * b)), abs=1e-4)
    # a dip (e.g. suppressed cortisol) recovers from below: crossing of b - fraction * b
    dip = np.where(t < 1.0, b, b - 1.0 * np.exp(-(t - 1.0) / tau))
    assert float(S.recovery_time(dip, t, 0.0, 0.1)) == pytest.approx(
        1.0 + tau * math.log(1.0 / 0.2), abs=1e-4)
    assert np.isnan(S.recovery_time(y, t, 0.0, fraction=1e-6)[0])  # not back by 12 h
    flat = np.full((1, t.size), b)
    assert float(S.recovery_time(flat, t, 0.0)[0]) == 0.0  # never left the band
    with pytest.raises(NeuroimmuneError, match="fraction"):
        S.recovery_time(y, t, 0.0, -0.1)


def test_clock_window_mean_integrates_the_window_across_midnight_and_days():
    """Reference solutions: a course y = t from 20:00 for 48 h; the window 23:00-07:00 covers
    t in [3, 11] and [27, 35], whose mean of t is 19 h; 07:00-23:00 covers [0, 3], [11, 27]
    and [35, 48] (to the end), mean (3 x 1.5 + 16 x 19 + 13 x 41.5) / 32. The grid (0.7 h) does
    not hit the window edges: the linear interpolant is integrated exactly."""
    t = np.arange(0.0, 48.0 + 1e-9, 0.7)
    t[-1] = 48.0
    y = t[None, :].copy()
    assert float(S.clock_window_mean(y, t, 20.0, 23.0, 7.0)[0]) == pytest.approx(19.0)
    day = (3 * 1.5 + 16 * 19.0 + 13 * 41.5) / 32
    assert float(S.clock_window_mean(y, t, 20.0, 7.0, 23.0)[0]) == pytest.approx(day)
    # a 2-h course from 08:00 never reaches the night
    assert np.isnan(S.clock_window_mean(y[:, :3], t[:3], 8.0, 23.0, 7.0)[0])
    # two patients, and bad windows
    np.testing.assert_allclose(S.clock_window_mean(np.vstack([t, 2 * t]), t, 20.0, 23.0, 7.0),
                               [19.0, 38.0])
    with pytest.raises(NeuroimmuneError, match="clock window"):
        S.clock_window_mean(y, t, 20.0, 7.0, 7.0)
    with pytest.raises(NeuroimmuneError, match="start_clock"):
        S.clock_window_mean(y, t, 20.0, -1.0, 7.0)
    # the xarray wrapper reads the clock coordinate
    da = xr.DataArray(t, dims="time", coords={"time": t, "clock": ("time", (t + 20.0) % 24)})
    assert st.clock_window_mean(da, 23.0, 7.0) == pytest.approx(19.0)


def test_clock_statistics_and_ratios():
    t = np.arange(0.0, 24.0 + 1e-9, 0.5)
    y = np.cos(2 * np.pi * (t - 2.2) / 24.0)[None, :]
    # starts at 22:00: the top at t = 2.2 h is 00:12, the bottom at 14.2 h is 12:12
    assert float(S.clock_time_of_peak(y, t, 22.0)[0]) == pytest.approx(0.2, abs=0.01)
    assert float(S.clock_time_of_minimum(y, t, 22.0)[0]) == pytest.approx(12.2, abs=0.01)
    assert S.time_of_clock(8.0, 0.0, 22.0) == pytest.approx(10.0)
    np.testing.assert_array_equal(S.ratio([3.0, 1.0, np.nan], [4.0, 0.0, 1.0]),
                                  [0.75, np.nan, np.nan])
    pulse = gamma_pulse(T_FINE)[None, :] + 5.0
    assert float(S.rise_over_baseline(pulse, T_FINE, 0.0)[0]) == pytest.approx(
        float(gamma_pulse(2.74)), rel=1e-6)
    assert float(S.ratio_to_value_at(pulse, T_FINE, 0.0)[0]) == pytest.approx(
        (5.0 + float(gamma_pulse(2.74))) / 5.0, rel=1e-6)


def test_bad_input_is_named():
    with pytest.raises(NeuroimmuneError, match="last axis"):
        S.peak(np.zeros((2, 3)), np.arange(4.0))
    with pytest.raises(NeuroimmuneError, match="window"):
        S.peak(np.zeros(3), np.arange(3.0), start=5.0)
    with pytest.raises(NeuroimmuneError, match="within"):
        S.value_at(np.zeros(3), np.arange(3.0), 3.5)
