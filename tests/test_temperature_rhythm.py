"""Circadian rhythm of body temperature (issue #17, docs/design/0020-temperature-rhythm.md): a
cosine in the thermoregulatory set point, driven by the clock, with the sourced phase and
amplitude of core temperature; its mean, the heart rate and the LPS fever rise stay as they were.
"""

import numpy as np
import pytest

from neuroimmune import Protocol, compose, simulate
from neuroimmune.model.library import hpa, innate
from neuroimmune.model.library.fever import fever
from neuroimmune.protocol import lps_bolus

#: Baehr, Revelle & Eastman 2000 J Sleep Res 9:117: average Tmin 05:02 (neither-types), cosine
#: fit; the maximum of a cosine is 12 h later.
T_MIN_CLOCK = 5.0 + 2.0 / 60.0
#: Huang et al. 2021 Front Physiol 12:659973: core-temperature cosinor amplitudes 0.2-0.7 degC.
AMPLITUDE_RANGE = (0.2, 0.7)
#: Janum n = 20 mean at t = 0 (Dobreva 2021's T_base), the rhythm's mean.
T_BASE = 36.825
#: Janum n = 20 resting heart rate (Dobreva 2021's H_base).
H_BASE = 60.5574
DT = 0.01


@pytest.fixture(scope="module")
def day():
    t = np.arange(0.0, 24.0 + DT / 2, DT)
    ds = simulate(fever(), Protocol(clock_start="00:00", preequilibrate_days=10), t)
    assert bool(ds["preequilibration_converged"].all())
    return t, ds["temperature"].values[0], ds["heart_rate"].values[0]


def test_trough_and_peak_at_the_sourced_clock_times(day):
    t, T, _ = day
    assert t[T.argmin()] == pytest.approx(T_MIN_CLOCK, abs=2 * DT)
    assert t[T.argmax()] == pytest.approx(T_MIN_CLOCK + 12.0, abs=2 * DT)
    assert 16.0 <= t[T.argmax()] <= 18.0   # late afternoon, not early morning


def test_amplitude_and_mean(day):
    t, T, _ = day
    amplitude = (T.max() - T.min()) / 2.0
    assert amplitude == pytest.approx(np.mean(AMPLITUDE_RANGE), abs=0.005)
    assert AMPLITUDE_RANGE[0] <= amplitude <= AMPLITUDE_RANGE[1]
    # the set point's mean is unchanged: the 24-h mean is the resting temperature
    assert np.trapezoid(T, t) / 24.0 == pytest.approx(T_BASE, abs=1e-3)


def test_heart_rate_does_not_follow_the_rhythm(day):
    """The thermal heart-rate part answers fever (the rise over the circadian course), not the
    rhythm itself: under constant routine heart rate peaks at 11-12 h, before rectal temperature
    (Kraeuchi & Wirz-Justice 1994 Am J Physiol 267:R819), so it is not driven by it."""
    _, _, H = day
    np.testing.assert_allclose(H, H_BASE, atol=1e-3)


def test_without_amplitude_the_set_point_is_constant():
    ds = simulate(fever(), Protocol(clock_start="00:00"), np.linspace(0, 24, 25),
                  params={"T_circ_amp": 0.0})
    np.testing.assert_allclose(ds["temperature"].values[0], T_BASE, atol=1e-9)


@pytest.fixture(scope="module")
def lps_runs():
    model = compose(innate(), hpa(), fever())
    t = np.arange(0.0, 12.0 + 1e-9, 0.05)
    out = {}
    for amp in (0.0, None):
        params = None if amp is None else {"T_circ_amp": amp}
        for name, events in (("lps", [lps_bolus("2 ng/kg")]), ("rest", [])):
            ds = simulate(model, Protocol(events, clock_start="08:00", preequilibrate_days=120),
                          t, params=params)
            out[amp, name] = ds["temperature"].values[0]
    return t, out


def test_lps_fever_rise_unchanged(lps_runs):
    """Temperature enters nothing but heart rate, and the set point adds the rhythm linearly, so
    the fever over the unchallenged course (LPS run minus rest run) is the fever without the
    rhythm; tolerance 0.01 degC (solver tolerances, far below the 0.4 degC SD of Janum)."""
    t, out = lps_runs
    fever_rhythm = out[None, "lps"] - out[None, "rest"]
    fever_flat = out[0.0, "lps"] - T_BASE
    np.testing.assert_allclose(fever_rhythm, fever_flat, atol=0.01)
    assert 1.2 <= fever_rhythm.max() <= 3.0   # Janum +2.1 degC (targets T11)


def test_rise_over_the_pre_lps_value_adds_the_morning_rise(lps_runs):
    """What a study measures, the peak minus the 08:00 value, now includes part of the rhythm's
    own rise after 08:00 (the rhythm rises all morning: minimum 05:02, maximum 17:02): larger
    than the fever alone, by at most the rhythm's rise from 08:00 to the time of the peak."""
    t, out = lps_runs
    T = out[None, "lps"]
    k = int(T.argmax())
    morning_rise = out[None, "rest"][k] - out[None, "rest"][0]
    assert morning_rise > 0.0
    flat_rise = out[0.0, "lps"].max() - out[0.0, "lps"][0]
    assert flat_rise < T[k] - T[0] <= flat_rise + morning_rise + 0.01
