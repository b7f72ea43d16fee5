"""Monocyte supply module (docs/design/0039-monocyte-supply.md): bone-marrow renewal of the innate
module's resting pool at the measured turnover of human classical monocytes (Patel et al. 2017).

Module: units, sources, the tie to the innate carrying capacity, conformance, and that innate
alone stays the published model. Coupled to the standard model (pre-equilibrated 120 days): the
resting state and the 2 ng/kg LPS response are unchanged, the pool refills at the renewal rate
after LPS (without the module it takes weeks), and a fast-growing infection no longer empties
the pool: inflammation persists with the pathogen (Reynolds' septic outcome)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

import neuroimmune.conformance as conformance
from neuroimmune import Bolus, Protocol, compile_model, compose, lps_bolus, simulate
from neuroimmune._unitcheck import check_units
from neuroimmune.model import sym
from neuroimmune.model.core import inline_observables
from neuroimmune.model.library import EXTRA, STANDARD
from neuroimmune.model.library.autonomic import NO_RHYTHM
from neuroimmune.model.library.innate import MONOCYTES_REST, TNF_REST, innate
from neuroimmune.model.library.monocyte_supply import monocyte_supply
from neuroimmune.model.library.tissue import tissue


def _run(system, events=(), *, t_end=48.0, dt=1.0, params=None):
    t = np.arange(0.0, t_end + 1e-9, dt)
    ds = simulate(system, Protocol(list(events), clock_start=8, preequilibrate_days=120), t,
                  params=params)
    assert (ds["status"] == 0).all(), ds["status_message"].values
    return ds


@pytest.fixture(scope="module")
def supplied():
    """Standard model + monocyte_supply."""
    return compile_model(compose(*(f() for f in STANDARD), monocyte_supply()))


# --- module ------------------------------------------------------------------------------------
def test_units_are_consistent():
    check_units(monocyte_supply())


def test_conforms_and_composes_with_the_standard_model():
    conformance.check_module(monocyte_supply(), others=tuple(f() for f in STANDARD))
    assert monocyte_supply in EXTRA


def test_sources_and_the_hooks_of_the_innate_pool():
    m = monocyte_supply()
    for p in m.parameters:
        assert p.source.strip() and p.description, p.name
    k, km = m.parameter("k_mono"), m.parameter("k_marrow")
    assert k.value == pytest.approx(1.0 / 24.0) and "Patel" in k.source   # lifespan about 1 d
    assert km.value == pytest.approx(1.0 / (1.6 * 24.0)) and "Patel" in km.source
    model = compose(*(f() for f in STANDARD), m)
    assert "monocyte_turnover" not in {i.name for i in model.inputs}
    rate = inline_observables(model, model.rates["monocytes_resting"])
    assert {sym("k_mono"), sym("Mmax")} <= rate.free_symbols
    # the blood block's early release does not reach the innate pool (docs/design/0043)
    assert not {sym("marrow_monocyte_reserve"), sym("monocyte_release_signal")} & rate.free_symbols


def test_innate_alone_keeps_the_published_pool():
    """Without the module the hooks are at their defaults (turnover 0): the resting-monocyte
    rate is the one of innate without hooks."""
    m = innate()
    defaults = {i.symbol: i.default for i in m.inputs}
    assert defaults[sym("monocyte_turnover")] == 0.0
    rate = m.rates["monocytes_resting"].xreplace(defaults)
    published = innate(hooks=False).rates["monocytes_resting"].xreplace(defaults)
    assert sp.simplify(rate - published) == 0


# --- coupled to the standard model -------------------------------------------------------------
def test_resting_state_is_unchanged(supplied, coupled_system):
    """At rest the pool sits at the carrying capacity, where inflow and loss cancel."""
    # without the catecholamine day-night rhythm (docs/design/0042), whose forced fast states
    # make two models' step sequences differ by more than rtol
    ours, ref = _run(supplied, params=NO_RHYTHM), _run(coupled_system, params=NO_RHYTHM)
    np.testing.assert_allclose(ours["monocytes_resting"].values, MONOCYTES_REST, rtol=1e-6)
    for name in ("TNF", "IL6", "IL10", "ACTH", "cortisol", "temperature", "EPI"):
        np.testing.assert_allclose(ours[name].values, ref[name].values, rtol=1e-6, err_msg=name)


def test_lps_response_is_unchanged_within_the_calibration_sem(supplied, coupled_system,
                                                              calibration_peak_sem):
    ours = _run(supplied, [lps_bolus(2.0, 0.0)], t_end=24.0, dt=0.1)
    ref = _run(coupled_system, [lps_bolus(2.0, 0.0)], t_end=24.0, dt=0.1)
    for name, sem in calibration_peak_sem.items():
        assert float(ours[name].max()) == pytest.approx(float(ref[name].max()), rel=sem), name


def test_the_pool_refills_at_the_renewal_rate_after_lps(supplied, coupled_system):
    """Once LPS is gone the pool's deficit decays at least at k_mono (the marrow renewal; the
    published logistic regrowth adds a little): from 24 to 48 h by e^-1 or more. Blood monocytes
    of volunteers are back at baseline a day after LPS 1 ng/kg (Ann Surg 2014;259:999, Table 1:
    0.54 -> 0.57 x1e9/L at 24 h [V-page]). Without the module the deficit shrinks by 10 % a day."""
    k = monocyte_supply().parameter("k_mono").value

    def deficit(ds, h):
        return 1.0 - float(ds["monocytes_resting"].sel(time=h).values[0]) / MONOCYTES_REST

    ours = _run(supplied, [lps_bolus(2.0, 0.0)])
    ref = _run(coupled_system, [lps_bolus(2.0, 0.0)])
    assert deficit(ours, 48.0) <= math.exp(-24.0 * k) * deficit(ours, 24.0)
    assert deficit(ref, 48.0) > 0.8 * deficit(ref, 24.0)       # the published pool: weeks
    assert deficit(ours, 24.0) < 0.5 * deficit(ref, 24.0)


@pytest.fixture(scope="module")
def persistent_infection(supplied):
    """Reynolds' septic set (growth 0.6 /h, inoculum 1 Mcell/mL at 08:00), standard + tissue with
    and without the module, days 0-10."""
    # the growth rate as the model's own value (not params=): each run is then one nominal
    # patient, whose pre-equilibration needs no shooting setup (docs/design/0044)
    base = compile_model(compose(*(f() for f in STANDARD), tissue()).with_parameters(k_B=0.6))
    with_supply = compile_model(compose(*(f() for f in STANDARD), tissue(),
                                        monocyte_supply()).with_parameters(k_B=0.6))
    events = [Bolus("bacteria", 1.0, 0.0)]
    return {k: _run(s, events, t_end=240.0)
            for k, s in (("published pool", base), ("marrow supply", with_supply))}


def test_a_persistent_infection_keeps_a_monocyte_pool_and_inflammation(persistent_infection):
    """Days 5-10 of an infection the killing does not clear: with the marrow supply the pool
    stays above 1 % of rest and the pathogen keeps activating it (TNF above twice its resting
    level, temperature more than 1 degC above its pre-infection value), as in Reynolds'
    septic outcome (persistent pathogen with activated phagocytes); the published pool is
    empty (< 1 %) and TNF and temperature are back at rest although the pathogen persists."""
    def days_5_to_10(ds, name):
        y = ds[name].values[0]
        return y[(ds["time"].values >= 120.0)]

    for label, ds in persistent_infection.items():
        pool = days_5_to_10(ds, "monocytes_resting").min() / MONOCYTES_REST
        tnf = days_5_to_10(ds, "TNF").mean() / TNF_REST
        fever = days_5_to_10(ds, "temperature").mean() - float(ds["temperature"].values[0, 0])
        assert days_5_to_10(ds, "bacteria").min() > 1.0, label   # above the inoculum
        if label == "marrow supply":
            assert pool > 0.01 and tnf > 2.0 and fever > 1.0, (pool, tnf, fever)
        else:
            assert pool < 0.01 and tnf < 1.1 and fever < 0.5, (pool, tnf, fever)


# --- blood monocytes (docs/design/0043) --------------------------------------------------------
def test_blood_monocytes_rest_at_their_measured_count(supplied):
    """Without LPS the release signal is 0 and the blood count sits at Mb0, the Ann Surg 2014
    baseline (0.48 x1e9/L), with the marrow reserve full."""
    from neuroimmune.model.library.monocyte_supply import MONOCYTES_BLOOD_REST

    assert MONOCYTES_BLOOD_REST == pytest.approx(0.48, abs=0.01)
    ds = _run(supplied, params=NO_RHYTHM)
    np.testing.assert_allclose(ds["monocytes_blood"].values, MONOCYTES_BLOOD_REST, rtol=1e-6)
    np.testing.assert_allclose(ds["marrow_monocyte_reserve"].values, 1.0, rtol=1e-6)
    np.testing.assert_allclose(ds["monocyte_release_signal"].values, 0.0, atol=1e-12)


@pytest.fixture(scope="module")
def after_lps(supplied):
    """LPS 1 ng/kg at 08:00, with the fitted release and without it (s_rel_M = 0)."""
    events = [lps_bolus(1.0, 0.0)]
    return {"release": _run(supplied, events, t_end=24.0, dt=0.05),
            "no release": _run(supplied, events, t_end=24.0, dt=0.05, params={"s_rel_M": 0.0})}


def _ratio(ds, name, h):
    y = ds[name].values[0]
    return float(y[np.searchsorted(ds["time"].values, h)] / y[0])


def test_lps_marginates_blood_monocytes_and_the_marrow_restores_them(after_lps):
    """LPS 1 ng/kg: the count falls within 2 h (margination) and is back near its start at 6 h
    only because the marrow releases early (Patel et al. 2017: restoration 'by the early release
    of classical monocytes from bone marrow'); without that release it is still below 80 % of
    its start at 6 h (removal at 1/24 h leaves a 24-h refill). The early release draws on the
    marrow reserve."""
    ours, none = after_lps["release"], after_lps["no release"]
    t = ours["time"].values
    mb = ours["monocytes_blood"].values[0]
    assert mb[t <= 2.0].min() < 0.7 * mb[0]
    assert _ratio(ours, "monocytes_blood", 6.0) > 0.95
    assert _ratio(none, "monocytes_blood", 6.0) < 0.8
    assert ours["marrow_monocyte_reserve"].values[0, -1] < 0.95
    assert ours["marrow_monocyte_output"].values[0].max() > 1.1


def test_blood_monocytes_reproduce_the_calibration_table(after_lps):
    """In-sample (the data the block was fitted to): the 1 ng/kg ratios to 0 h of Ann Surg
    2014;259:999 Table 1 at 3, 6 and 24 h (0.49, 1.03, 1.06) within 2 SD of the fit (0.6)."""
    for h, data in ((3.0, 0.49), (6.0, 1.03), (24.0, 1.06)):
        assert _ratio(after_lps["release"], "monocytes_blood", h) == pytest.approx(data, abs=0.6)


@pytest.fixture(scope="module")
def after_2ngkg(supplied):
    return _run(supplied, [lps_bolus(2.0, 0.0)], t_end=24.0, dt=0.05)


def test_classical_monocytes_are_back_6_h_after_2_ngkg(after_2ngkg):
    """Out-of-sample check (Tak et al. 2017 J Innate Immun 9:464, LPS 2 ng/kg, abstract):
    classical monocytes, 85 % of blood monocytes (Patel et al. 2017), 'recovered first (3-6 h)'
    while intermediate and non-classical ones were still low, so the total at 6 h is at least
    0.85 x 1 + 0.15 x 0, here 0.8 (docs/design/0043 says the model's value was seen first)."""
    assert _ratio(after_2ngkg, "monocytes_blood", 6.0) >= 0.8


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="docs/design/0043: margination by plasma LPS with a provisional "
                   "hyperbolic half-effect, sized by counts from 3 h on, lowers the count to "
                   "0.42, not below 0.05")
def test_blood_monocytes_fall_by_more_than_95_percent_after_2_ngkg(after_2ngkg):
    """Tak et al. 2017 (abstract): after LPS 2 ng/kg 'the numbers of all subsets were decreased
    by >95%'."""
    mb = after_2ngkg["monocytes_blood"].values[0]
    assert mb.min() / mb[0] < 0.05
