"""acute_phase module: plasma CRP made by the liver on IL-6 (docs/design/0023-crp.md).

Thresholds from the sources: resting CRP (Chenillot et al. 2000 Clin Chem Lab Med 38:1003,
geometric mean 0.98 mg/L, -1/+1 SD 0.34-2.85), plasma half-life 19 h (Vigushin, Pepys & Hawkins
1993 J Clin Invest 91:1351), peak 24-72 h after a stimulus (healthify.nz CRP page [V-sec]; 24-48 h
for a single bolus) at 30-50 mg/L after LPS 2 ng/kg [R] (test band 15-60)."""

import math

import numpy as np
import pytest

from neuroimmune import Protocol, SignalStep, compile_model, compose, lps_bolus, scenarios, simulate
from neuroimmune._unitcheck import check_units
from neuroimmune.conformance import check_module
from neuroimmune.model import sym
from neuroimmune.model.library import EXTRA, STANDARD
from neuroimmune.model.library.acute_phase import acute_phase

CRP_REST_GEOMEAN = 0.98        # mg/L, Chenillot 2000 (29-75 y)
CRP_REST_RANGE = (0.34, 2.85)  # mg/L, geometric mean -1 SD / +1 SD, same study
CRP_HALF_LIFE_H = 19.0         # h, Vigushin, Pepys & Hawkins 1993
PEAK_WINDOW_H = (24.0, 48.0)   # h after a bolus (peak within 24-72 h [V-sec])
LPS_CRP_RANGE = (15.0, 60.0)   # mg/L, around 30-50 mg/L at 24 h after 2 ng/kg [R]


def _standard_modules():
    return [f() for f in STANDARD]


@pytest.fixture(scope="module")
def composed():
    return compile_model(compose(*_standard_modules(), acute_phase(), name="standard+crp"))


def _run(system, events=(), *, t_end=48.0, dt=0.05, days=120):
    t = np.arange(0.0, t_end + 1e-9, dt)
    ds = simulate(system, Protocol(list(events), clock_start=8, preequilibrate_days=days), t)
    assert (ds["status"] == 0).all(), ds["status_message"].values
    return ds


def test_registered_as_extra_not_standard():
    assert acute_phase in EXTRA and acute_phase not in STANDARD


def test_units_and_conformance():
    check_units(acute_phase())
    check_module(acute_phase(), others=tuple(_standard_modules()))


def test_composing_leaves_the_standard_model_unchanged():
    """No feedback: every rate of the standard model is the same with acute_phase composed."""
    std = compose(*_standard_modules(), name="std")
    both = compose(*_standard_modules(), acute_phase(), name="std+crp")
    for name, rate in std.rates.items():
        assert both.rates[name] == rate, name
    assert sym("IL6") in both.rates["CRP_synthesis"].free_symbols


def test_resting_crp_is_the_sourced_value(composed):
    ds = _run(composed, t_end=24.0)
    crp = ds["CRP"].values[0]
    assert CRP_REST_RANGE[0] < crp.min() and crp.max() < CRP_REST_RANGE[1]
    assert crp.mean() == pytest.approx(CRP_REST_GEOMEAN, rel=0.1)


def module_input(module, name="IL6"):
    return next(i.default for i in module.inputs if i.name == name)


def test_without_il6_crp_falls_with_the_measured_half_life():
    """IL-6 removed from rest: synthesis relaxes at k_ind and CRP follows the analytic solution
    of dC/dt = k (C0 S - C), S = exp(-k_ind t); late, CRP falls with the 19-h half-life."""
    module = acute_phase()
    system = compile_model(module)
    t = np.arange(0.0, 192.0 + 1e-9, 0.5)
    ds = simulate(system, Protocol([SignalStep("IL6", 0.0, 1000.0, change=-module_input(module))],
                                   preequilibrate_days=0), t)
    assert (ds["status"] == 0).all()
    crp = ds["CRP"].values[0]
    p = {q.name: q.value for q in module.parameters}
    k, ki, c0 = math.log(2) / CRP_HALF_LIFE_H, p["k_ind"], p["CRP0"]
    analytic = c0 * (k * np.exp(-ki * t) - ki * np.exp(-k * t)) / (k - ki)
    np.testing.assert_allclose(crp, analytic, rtol=2e-3, atol=1e-5)
    i, j = np.searchsorted(t, [144.0, 192.0])
    half_life = (t[j] - t[i]) * math.log(2) / math.log(crp[i] / crp[j])
    assert half_life == pytest.approx(CRP_HALF_LIFE_H, rel=0.03)


def test_lps_crp_peaks_a_day_or_two_later_in_the_sourced_range(composed):
    ds = _run(composed, [lps_bolus("2 ng/kg", 0.0)])
    t, crp = ds["time"].values, ds["CRP"].values[0]
    peak = int(np.argmax(crp))
    assert PEAK_WINDOW_H[0] <= t[peak] <= PEAK_WINDOW_H[1]
    assert LPS_CRP_RANGE[0] <= crp[peak] <= LPS_CRP_RANGE[1]
    # CRP lags IL-6: little rise while IL-6 peaks (2 h), most of it after 6 h
    assert crp[np.searchsorted(t, 2.0)] < 2.0 * crp[0]
    assert crp[np.searchsorted(t, 24.0)] > 10.0 * crp[0]


def test_scenario_lps_crp_loads():
    sc = scenarios.load("lps-crp")
    assert "acute_phase" in sc.modules and sc.t_end == 48
