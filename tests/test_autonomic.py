"""Autonomic module: resting levels and kinetics from docs/sources/autonomic.md, normalisation to
the innate module's receptor references, and the physiology directions of the sympathoadrenal,
NPY and vagal pathways in the composed model (innate + HPA + fever + autonomic)."""

import math

import numpy as np
import pytest

from neuroimmune import (
    Bolus,
    Infusion,
    Protocol,
    SignalStep,
    Stressor,
    compile_model,
    compose,
    hpa,
    innate,
    lps_bolus,
    simulate,
)
from neuroimmune._unitcheck import check_units
from neuroimmune.catalog import entity
from neuroimmune.conformance import check_module
from neuroimmune.model import sym
from neuroimmune.model.library.autonomic import NO_RHYTHM, autonomic, epinephrine_infusion_rate
from neuroimmune.model.library.fever import fever
from neuroimmune.solve import SolverOptions
from neuroimmune.validation.datasets import load_dataset

DAYS = 120
EPI_30 = epinephrine_infusion_rate(30.0)  # van der Poll 1996: 30 ng/kg/min
REFLEXES_OFF = {"g_TNF_EPI": 0.0, "g_TNF_NE": 0.0, "g_TNF_vagal": 0.0}


def _full():
    return compose(innate(), hpa(), fever(),
                   autonomic())


@pytest.fixture(scope="module")
def alone():
    return compile_model(autonomic())


@pytest.fixture(scope="module")
def full(coupled_system):
    """The standard model (innate, hpa, fever, autonomic), compiled once per session."""
    assert set(coupled_system.model.parts) == set(_full().parts)
    return coupled_system


@pytest.fixture(scope="module")
def without():
    """The same model without the autonomic module (the standard model before it joined)."""
    return compile_model(compose(innate(), hpa(),
                                 fever()))


def _run(system, events=(), *, lps_at=0.0, t_end=12.0, params=None, dt=0.02, options=None):
    """Pre-equilibrated run; LPS 2 ng/kg at `lps_at` h (08:00 clock when lps_at is 0 or 24)."""
    t = np.arange(0.0, t_end + 1e-9, dt)
    ev = ([lps_bolus(2.0, lps_at)] if lps_at is not None else []) + list(events)
    ds = simulate(system, Protocol(ev, clock_start=8, preequilibrate_days=DAYS), t, params=params,
                  options=options or SolverOptions())
    assert (ds["status"] == 0).all(), ds["status_message"].values
    return ds


def _after(ds, name, start):
    return ds[name].sel(time=slice(start, None)).values[0]


def _peak(ds, name, start=0.0):
    return float(_after(ds, name, start).max())


def _half_life_min(ds, name, base):
    t = ds["time"].values
    excess = ds[name].values[0] - base
    half = np.argmax(excess <= 0.5 * excess[0])
    return 60.0 * float(np.interp(0.5 * excess[0], excess[half:half - 2:-1], t[half:half - 2:-1]))


# --- module checks ------------------------------------------------------------------------------
def test_units_are_consistent():
    check_units(autonomic())


def test_conforms_and_composes_with_the_standard_model():
    check_module(autonomic(), others=(innate(), hpa(),
                                      fever()))


def test_every_parameter_is_sourced_and_modelling_choices_say_provisional():
    m = autonomic()
    for p in m.parameters:
        assert p.source.strip() and p.unit, p.name
    for name in ("g_TNF_EPI", "g_TNF_vagal", "g_vns", "k_b2_des", "s_NPY_b2", "K_NPY_Y1"):
        assert "provisional" in m.parameter(name).source, name
    for name in ("K_b2_EPI", "K_a7"):
        assert "beta2_ref" in m.parameter(name).source or "a7_ref" in m.parameter(name).source


# --- resting levels and kinetics (docs/sources/autonomic.md A-B) -------------------------------
def test_resting_levels_are_a_steady_state(alone):
    t = np.linspace(0.0, 48.0, 97)
    ds = simulate(alone, Protocol(), t, params=NO_RHYTHM)
    rest = {name: ds[name].values[0] for name in ("EPI", "NE", "NPY", "ACh")}
    assert 30.0 <= rest["EPI"][0] <= 50.0          # venous 30-50 pg/mL (Zadik 1980, Best 1982)
    assert rest["NE"][0] == pytest.approx(200.0, rel=0.1)   # 191-199 pg/mL
    assert 12.0 <= rest["NPY"][0] <= 18.0          # Pernow 1986/1987
    assert rest["ACh"][0] == pytest.approx(1.0)
    for name, values in rest.items():
        np.testing.assert_allclose(values, values[0], rtol=1e-7, err_msg=name)
    np.testing.assert_allclose(ds["b2_desens"].values[0], ds["b2_desens"].values[0, 0],
                               rtol=1e-7)
    assert ds["beta2_activation"].values[0, -1] == pytest.approx(0.1, rel=1e-6)
    assert ds["a7_activation"].values[0, -1] == pytest.approx(0.2, rel=1e-6)


@pytest.mark.parametrize("name, dose, low, high", [("EPI", "500 pg/mL", 2.0, 4.0),
                                                   ("NE", "500 pg/mL", 2.0, 4.0),
                                                   ("NPY", "50 pmol/L", 4.0, 21.0)])
def test_plasma_half_lives(alone, name, dose, low, high):
    """EPI t1/2 2.5 min (Abboud 2009: 3.5 min), NE 2.4 min (Silverberg 1978), NPY 4.1 and 20
    min (Pernow 1987); the catalog states the model's half-life."""
    t = np.linspace(0.0, 1.5, 9001)
    ds = simulate(alone, Protocol([Bolus(name, dose, 0.0)]), t)
    base = alone.y0[alone.state_index(name)]
    t_half = _half_life_min(ds, name, base)
    assert low <= t_half <= high
    assert entity(name).half_life_min == pytest.approx(t_half, abs=0.2)


def test_epinephrine_infusion_conversion(alone):
    """30 ng/kg/min -> +R/MCR = 0.49 ng/mL (MCR 61.5 mL/kg/min, Cryer et al. 1980 Metabolism
    29:1114: 50 ng/kg/min raised plasma EPI 21 -> 834 pg/mL): plasma EPI 0.4-0.7 ng/mL at steady
    state (autonomic.md A3: venous +0.53 ng/mL)."""
    assert EPI_30 == pytest.approx(30 * 1000 / (50_000 / 813) * 60 * math.log(2) / 2.5, rel=1e-9)
    t = np.linspace(0.0, 1.0, 61)
    ds = simulate(alone, Protocol([Infusion("EPI", EPI_30, 0.0, 1.0)]), t)
    epi_ss = ds["EPI"].values[0, -1]
    assert 400.0 <= epi_ss <= 700.0
    assert epi_ss - 40.0 == pytest.approx(30 * 1000 / (50_000 / 813), rel=0.01)


# --- normalisation in the composed model -------------------------------------------------------
def test_resting_receptor_activations_equal_the_innate_references(full):
    ds = _run(full, lps_at=None, t_end=24.0, dt=0.5, params=NO_RHYTHM)
    # without the day-night rhythm the resting state is a fixed point (constant drives) whose
    # activations equal the references by construction: exact up to rounding and the
    # pre-equilibration's convergence
    np.testing.assert_allclose(ds["beta2_activation"].values[0], 0.1, rtol=1e-6)
    np.testing.assert_allclose(ds["a7_activation"].values[0], 0.2, rtol=1e-6)
    # with it, the references hold at 08:00 (the rhythm is 1 there; plasma lags the outflow
    # by minutes and desensitisation by hours) and beta2 follows the catecholamines over the day
    day = _run(full, lps_at=None, t_end=24.0, dt=0.25)
    beta2 = day["beta2_activation"].values[0, :-1]
    assert beta2[0] == pytest.approx(0.1, rel=0.02)
    assert beta2.max() > 0.11 and beta2.min() < 0.09   # 0.078-0.135 (0042)


def _cosinor(clock, y):
    """Mesor, amplitude and clock time of the trough of the least-squares 24-h cosine."""
    w = 2 * np.pi * clock / 24.0
    a = np.column_stack([np.ones_like(w), np.cos(w), np.sin(w)])
    (m, c, s), *_ = np.linalg.lstsq(a, y, rcond=None)
    return m, math.hypot(c, s), (math.atan2(s, c) * 24.0 / (2 * np.pi) + 12.0) % 24.0


@pytest.mark.parametrize("name, rest, amp, trough", [
    ("NE", 200.0, 111.0 / 413.0, 2.0 + 20.0 / 60.0),
    ("EPI", 40.0, 14.0 / 43.0, 3.0 + 20.0 / 60.0)])
def test_unchallenged_day_has_the_measured_catecholamine_rhythm(full, name, rest, amp, trough):
    """Linsell et al. 1985 J Clin Endocrinol Metab 60:1210 (young men, normal day with sleep,
    cosinor): noradrenaline amplitude 111 on a mean of 413 pg/mL with the trough at 02:20 +- 30
    min, adrenaline 14 on 43 pg/mL with the trough at 03:20 +- 35 min. The resting level is
    the 08:00 value (the clock of the innate module's references)."""
    ds = _run(full, lps_at=None, t_end=24.0, dt=0.1)
    clock, y = ds["clock"].values[:-1], ds[name].values[0, :-1]
    assert y[0] == pytest.approx(rest, rel=0.01)   # 08:00; plasma lags the outflow by minutes
    mesor, amplitude, at = _cosinor(clock, y)
    assert amplitude / mesor == pytest.approx(amp, rel=0.03)
    assert abs(at - trough) <= 0.25   # plasma follows the outflow within minutes


def test_heart_rate_rhythm_comes_from_the_catecholamines(full):
    """Without the sympathoadrenal rhythm resting heart rate is flat (the temperature rhythm does
    not reach it, docs/design/0020); with it heart rate falls at night through cardiac beta1, by
    the size of the resting beta1 share (12 bpm, Jose & Taylor) times the outflow's amplitude."""
    flat = _run(full, lps_at=None, t_end=24.0, dt=0.25, params=NO_RHYTHM)["heart_rate"].values[0]
    assert np.ptp(flat) < 1e-3
    ds = _run(full, lps_at=None, t_end=24.0, dt=0.1)
    clock, hr = ds["clock"].values[:-1], ds["heart_rate"].values[0, :-1]
    _, amplitude, trough = _cosinor(clock, hr)
    assert 0.5 * 12.0 * 111.0 / 413.0 < amplitude < 12.0 * 111.0 / 413.0
    assert 2.33 <= trough <= 3.33   # between the noradrenaline and adrenaline troughs


def test_composing_leaves_the_lps_response_unchanged_when_the_reflexes_are_off(full, without):
    """The normalisation alone does not move the immune model: with the TNF -> autonomic
    couplings off, the LPS response of innate + HPA + fever + autonomic equals that of
    innate + HPA + fever."""
    tight = SolverOptions(rtol=1e-10, atol=1e-12)
    ours = _run(full, params=REFLEXES_OFF | NO_RHYTHM, options=tight)
    ref = _run(without, options=tight)
    # with the couplings and the rhythm off the activations stay at the innate references
    # exactly, so the effect is zero: the tolerance is that of the pre-equilibration, which
    # stops when each state changes by less than PREEQ_RTOL = 1e-5 a day (solve.py). The two
    # models stop at points 1e-7 apart (cortisol), which the LPS response amplifies to 3.5e-5
    # on the IL-10 peak, at rtol 1e-6 and 1e-10 alike (measured; 1.3e-5 on IL-8 at rtol 1e-6)
    for name in ("TNF", "IL6", "IL8", "IL10", "cortisol", "temperature"):
        assert _peak(ours, name) == pytest.approx(_peak(ref, name), rel=1e-4), name


def test_lps_raises_epinephrine_several_fold_and_the_reflexes_dampen_tnf(full, without):
    """LPS 2 ng/kg: epinephrine peak of the order of Barber 1993 (236 +- 59 pg/mL) at 0.5-3 h;
    NE rises less; NPY hardly (no strong drive); a7 activation rises (vagal reflex). The
    endogenous beta2/alpha7 rise is new physiology on top of the published immune fit: TNF peaks
    lower than without the module (bounded here; see the module's report)."""
    ds = _run(full)
    t = ds["time"].values
    epi = ds["EPI"].values[0]
    assert epi.max() / epi[0] >= 4.0
    assert 150.0 <= epi.max() <= 350.0
    assert 0.5 <= t[epi.argmax()] <= 3.0
    assert _peak(ds, "NE") / ds["NE"].values[0, 0] < epi.max() / epi[0]
    assert _peak(ds, "NPY") / ds["NPY"].values[0, 0] < 1.2
    assert _peak(ds, "a7_activation") > 0.2       # above the resting reference (a7_ref)
    assert _peak(ds, "beta2_activation") > 0.1    # above the resting reference (beta2_ref)
    # lower TNF: a direction; its size is bounded only by the data the fit must still meet,
    # the Janum n = 20 TNF peak band (validation target T02, about mean +- 1 SD)
    assert _peak(ds, "TNF") < _peak(_run(without), "TNF")
    t02 = load_dataset("targets").set_index("id").loc["T02"]
    assert t02["lower"] <= _peak(ds, "TNF") <= t02["upper"]


def test_adrenalectomy_removes_the_epinephrine_response(full):
    ds = _run(full, params={"adrenal_medulla": 0.0})
    assert _peak(ds, "EPI") < 1.0


# --- psychological stress ----------------------------------------------------------------------
def test_tsst_raises_catecholamines_and_only_a_strong_stressor_releases_npy(full):
    tsst = _run(full, [Stressor(0.5, "15 min", 1.0)], lps_at=None, t_end=4.0, dt=0.01)
    day = _run(full, lps_at=None, t_end=4.0, dt=0.01)   # the same morning without the stressor
    t = tsst["time"].values
    for name, low, high in (("EPI", 1.5, 3.0), ("NE", 1.4, 2.2)):
        x = tsst[name].values[0]
        assert low <= x.max() / x[0] <= high, name      # E x~2, NE +83 % (Dimsdale 1987)
        assert 0.5 < t[x.argmax()] <= 0.76, name        # peak at the end of the stressor
        # back on the day's course 3 h after the stressor (half-lives of minutes): solver
        # tolerance
        assert x[-1] == pytest.approx(day[name].values[0, -1], rel=1e-5), name
    assert _peak(tsst, "NPY") / tsst["NPY"].values[0, 0] < 1.1   # no NPY for mild drive
    strong = _run(full, [Stressor(0.5, 1.0, 10.0)], lps_at=None, t_end=4.0, dt=0.01)
    assert _peak(strong, "NE") / strong["NE"].values[0, 0] > 5.0
    assert _peak(strong, "NPY") / strong["NPY"].values[0, 0] > 2.5   # Pernow 1986: x4.5


# --- epinephrine infusion, desensitisation, propranolol, Y1 (van der Poll 1996) ----------------
def _b2_il10_factor(ds, model, start, stop):
    """The innate module's beta2 factor on IL-10 production, averaged over [start, stop] h."""
    s, ref = model.parameter("s_b2_IL10").value, model.parameter("beta2_ref").value
    b = ds["beta2_activation"].sel(time=slice(start, stop)).values[0]
    return float(np.mean((1 + s * b) / (1 + s * ref)))


@pytest.fixture(scope="module")
def infusions(full):
    """LPS at 08:00 on day 2 (t = 24 h); epinephrine 30 ng/kg/min until 6 h after LPS, started
    3 h (EPI-3) or 24 h (EPI-24) before it."""
    runs = {"LPS": [], "EPI-3": [Infusion("EPI", EPI_30, 21.0, 9.0)],
            "EPI-24": [Infusion("EPI", EPI_30, 0.0, 30.0)]}
    prop = [SignalStep("propranolol", 0.0, 32.0, 100.0)]   # 100 ng/mL, therapeutic top
    y1 = [SignalStep("Y1_antagonist", 0.0, 32.0, 100.0)]   # 100 nM, ~200 x Ki
    runs.update({"prop": prop, "EPI-3+prop": prop + runs["EPI-3"],
                 "Y1": y1, "EPI-3+Y1": y1 + runs["EPI-3"]})
    return {k: _run(full, ev, lps_at=24.0, t_end=32.0) for k, ev in runs.items()}


def test_epinephrine_3h_before_lps_lowers_tnf_and_raises_il10_production(infusions):
    ctrl, epi3 = infusions["LPS"], infusions["EPI-3"]
    assert 500.0 <= float(epi3["EPI"].sel(time=24.0)[0]) <= 1000.0
    # van der Poll 1996 (JCI) report the direction (P < 0.005); their percentages were not
    # obtained (docs/sources/autonomic.md A5, gap), so no size is asserted
    assert _peak(epi3, "TNF", 24) < _peak(ctrl, "TNF", 24)
    assert _peak(epi3, "IL6", 24) < _peak(ctrl, "IL6", 24)
    model = _full()
    assert _b2_il10_factor(epi3, model, 24, 28) > _b2_il10_factor(ctrl, model, 24, 28)


def test_24h_of_epinephrine_desensitises_beta2(infusions):
    """EPI-24 only attenuated TNF (P = 0.05) and lost the IL-10 potentiation (van der Poll
    1996): the desensitised fraction is higher, the TNF effect weaker than EPI-3 but present,
    and most of the IL-10 production gain is lost."""
    ctrl, epi3, epi24 = infusions["LPS"], infusions["EPI-3"], infusions["EPI-24"]
    d3 = float(epi3["b2_desens"].sel(time=24.0)[0])
    d24 = float(epi24["b2_desens"].sel(time=24.0)[0])
    assert d24 > d3 + 0.2
    tnf3 = 1 - _peak(epi3, "TNF", 24) / _peak(ctrl, "TNF", 24)
    tnf24 = 1 - _peak(epi24, "TNF", 24) / _peak(ctrl, "TNF", 24)
    # "only attenuated" and "lost": directions (the study's percentages are a gap)
    assert 0.0 < tnf24 < tnf3
    model = _full()
    base = _b2_il10_factor(ctrl, model, 24, 28)
    gain3 = _b2_il10_factor(epi3, model, 24, 28) - base
    gain24 = _b2_il10_factor(epi24, model, 24, 28) - base
    assert gain24 < gain3


def test_propranolol_removes_most_of_the_epinephrine_effect_on_tnf(infusions):
    """Competitive beta2 blockade (free fraction 0.07, KD 0.8 nM); beta-blockade also lowers
    epinephrine clearance, so plasma EPI is higher during the infusion (Best & Halter 1982)."""
    ctrl, epi3 = infusions["LPS"], infusions["EPI-3"]
    prop, epi3_prop = infusions["prop"], infusions["EPI-3+prop"]
    effect = 1 - _peak(epi3, "TNF", 24) / _peak(ctrl, "TNF", 24)
    effect_blocked = 1 - _peak(epi3_prop, "TNF", 24) / _peak(prop, "TNF", 24)
    # direction only: epinephrine lowers LPS-induced TNF through beta receptors (Severn et al.
    # 1992 J Immunol 148:3441, human blood in vitro); the in-vivo size comes from a study
    # reserved for the independent check (issue #16), so it is not asserted here
    assert effect > 0.05
    # no human endotoxemia study with propranolol and cytokines exists (autonomic.md C, gap):
    # the blockade must weaken the effect; its size is not asserted
    assert 0.0 <= effect_blocked < effect
    # the infusion-driven EPI rise at steady state is infusion rate / clearance, so it scales
    # by the clearance ratio: Best & Halter 1982, 35 -> 20 +- 2 mL/kg/min under propranolol,
    # gives 35 / (20 +- 2) = 1.59 .. 1.94
    def rise(ds):
        return float(ds["EPI"].sel(time=24.0)[0] - ds["EPI"].sel(time=21.0)[0])
    assert 35.0 / 22.0 <= rise(epi3_prop) / rise(epi3) <= 35.0 / 18.0
    assert float(prop["beta2_activation"].sel(time=24.0)[0]) < 0.02


def test_y1_antagonist_weakens_the_adrenergic_effect(infusions):
    ctrl, epi3 = infusions["LPS"], infusions["EPI-3"]
    y1, epi3_y1 = infusions["Y1"], infusions["EPI-3+Y1"]
    effect = 1 - _peak(epi3, "TNF", 24) / _peak(ctrl, "TNF", 24)
    effect_y1 = 1 - _peak(epi3_y1, "TNF", 24) / _peak(y1, "TNF", 24)
    # no human Y1 data (autonomic.md B, gap): direction only
    assert effect_y1 < effect
    b_epi3 = float(epi3["beta2_activation"].sel(time=24.0)[0])
    b_epi3_y1 = float(epi3_y1["beta2_activation"].sel(time=24.0)[0])
    assert b_epi3_y1 < b_epi3


# --- vagus: vagotomy and vagus nerve stimulation -----------------------------------------------
VAGOTOMY = {"vagal_integrity": 0.0}
VNS = [SignalStep("vns", 20.0, 1.0, 1.0)]   # 1 h of VNS, 3 h before LPS


def test_vagotomy_removes_the_cholinergic_reflex(full):
    intact = _run(full, lps_at=24.0, t_end=32.0)
    cut = _run(full, lps_at=24.0, t_end=32.0, params=VAGOTOMY)
    assert _peak(cut, "a7_activation") < 1e-3
    # no human vagotomy + LPS data: direction only (the resting a7 brake is removed)
    assert _peak(cut, "TNF", 24) > _peak(intact, "TNF", 24)
    assert _peak(cut, "IL6", 24) > _peak(intact, "IL6", 24)


def test_vns_lowers_tnf_and_il6_and_does_nothing_after_vagotomy(full):
    intact = _run(full, lps_at=24.0, t_end=32.0)
    vns = _run(full, VNS, lps_at=24.0, t_end=32.0)
    assert float(vns["a7_activation"].sel(time=24.0)[0]) > 0.4
    # direction only: the human data disagree on the size (ex vivo TNF -39 % after chronic VNS,
    # Koopman 2016; plasma cytokines unchanged with transvenous VNS during LPS, Kox 2015)
    for name in ("TNF", "IL6"):
        assert _peak(vns, name, 24) < _peak(intact, name, 24), name
    cut = _run(full, lps_at=24.0, t_end=32.0, params=VAGOTOMY)
    cut_vns = _run(full, VNS, lps_at=24.0, t_end=32.0, params=VAGOTOMY)
    for name in ("TNF", "IL6", "IL10", "ACh"):
        assert _peak(cut_vns, name) == pytest.approx(_peak(cut, name), rel=1e-6), name


def test_vns_leaves_the_il10_production_factor_unchanged(full):
    """Alpha7 acts on TNF and IL-6 production, not IL-10 (Borovikova 2000): VNS raises a7
    activation but not beta2 activation at rest, and the innate IL-10 rate does not see a7."""
    model = _full()
    assert sym("a7_activation") in model.rates["TNF"].free_symbols
    assert sym("a7_activation") in model.rates["IL6"].free_symbols
    assert sym("a7_activation") not in model.rates["IL10"].free_symbols
    rest = _run(full, lps_at=None, t_end=8.0)
    vns = _run(full, [SignalStep("vns", 0.0, 2.0, 1.0)], lps_at=None, t_end=8.0)
    assert _peak(vns, "a7_activation") > 0.4
    # equal to the solver tolerance (rtol 1e-6; 1e-6 apart with the bounded adrenal, 0018)
    np.testing.assert_allclose(vns["beta2_activation"].values, rest["beta2_activation"].values,
                               rtol=1e-5)
