"""innate_extra module: IL-1beta, TGF-beta1, neutrophils and endotoxin tolerance.

Resting values and kinetics from docs/sources/innate_extra.md; physiology directions and sizes in
the composed model (standard model = innate + hpa + fever + autonomic, plus innate_extra),
pre-equilibrated on the circadian limit cycle (LPS 2 ng/kg at 08:00)."""

import numpy as np
import pytest

from neuroimmune import (
    Protocol,
    Repeated,
    SignalStep,
    compile_model,
    compose,
    innate,
    lps_bolus,
    scenarios,
    simulate,
)
from neuroimmune._unitcheck import check_units
from neuroimmune.conformance import check_module
from neuroimmune.errors import ModelError
from neuroimmune.model.library import STANDARD
from neuroimmune.model.library.innate_extra import innate_extra
from neuroimmune.model.library.monocyte_supply import monocyte_supply
from neuroimmune.validation.datasets import load_dataset

DAYS = 120


def _standard_modules():
    return [f() for f in STANDARD]


@pytest.fixture(scope="module")
def extra():
    """The standard model plus innate_extra and the marrow supply of monocytes (the tolerance
    constants are calibrated with it, docs/design/0039)."""
    return compile_model(compose(*_standard_modules(), innate_extra(), monocyte_supply(),
                                 name="standard+extra"))


@pytest.fixture(scope="module")
def standard(coupled_system):
    return coupled_system


def _run(system, events=(), *, t_end=24.0, dt=0.02, params=None, clock=8):
    t = np.arange(0.0, t_end + 1e-9, dt)
    ds = simulate(system, Protocol(list(events), clock_start=clock, preequilibrate_days=DAYS), t,
                  params=params)
    assert (ds["status"] == 0).all(), ds["status_message"].values
    return ds


def _v(ds, name):
    return ds[name].values[0]


def _rise(ds, name, day):
    """Peak rise above the pre-dose value of the dose given at 24 * day h."""
    v, t = _v(ds, name), ds["time"].values
    window = (t >= 24.0 * day) & (t < 24.0 * day + 24.0)
    return v[window].max() - v[np.searchsorted(t, 24.0 * day)]


def _attenuation(ds, name, day):
    """Draisma 2009 measure: 1 - (rise on that day) / (rise on day 1)."""
    return 1.0 - _rise(ds, name, day) / _rise(ds, name, 0)


@pytest.fixture(scope="module")
def bolus(extra):
    return _run(extra, [lps_bolus(2.0, 0.0)])


@pytest.fixture(scope="module")
def five_days(extra):
    return _run(extra, [Repeated(lps_bolus(2.0, 0.0), 24.0, 5)], t_end=120.0)


# --- module checks --------------------------------------------------------------------------------
def test_units_are_consistent():
    check_units(innate_extra())


def test_conformance_problems_are_only_the_missing_catalog_rows():
    """check_module passes except for the catalog rows the lead merges (report of this module)."""
    try:
        check_module(innate_extra(), others=tuple(_standard_modules()))
    except ModelError as exc:
        lines = [ln for ln in str(exc).splitlines()[1:] if ln.strip()]
        assert lines and all("not in the catalog" in ln for ln in lines), str(exc)


def test_every_parameter_is_sourced_and_modelling_choices_say_so():
    m = innate_extra()
    for p in m.parameters:
        assert p.source.strip() and p.description.strip(), p.name
    for name in ("k_IL1b", "K_GC_IL1b", "s_TGFb", "k_TGFb", "K_GC_N", "K_LPS_N"):
        assert "provisional" in m.parameter(name).source, name
    for name in ("k_tol", "r_tol_IL6", "r_tol_IL10"):
        assert "Draisma" in m.parameter(name).source and "calibrated" in m.parameter(name).source
    for name in ("s_GC_N", "s_LPS_N", "s_LPS_R", "K_LPS_R", "k_LPS_R"):
        assert "calibrated" in m.parameter(name).source, name
    assert "Bishop et al. 1968" in m.parameter("r_GC_N").source
    assert "Lahoz-Beneytez et al. 2016" in m.parameter("k_MR").source
    for s in m.species:
        assert s.description, s.name


def test_states_stay_nonnegative_and_tolerance_bounded_under_strong_drive():
    """Module alone, driven hard through its inputs (LPS 50 ng/kg, MA and glucocorticoid far
    above any physiological value) for 5 days: every state stays >= 0, tolerance < 1."""
    system = compile_model(innate_extra())
    events = [SignalStep("LPS", 1.0, 72.0, 50.0), SignalStep("monocytes_activated", 1.0, 72.0, 1e5),
              SignalStep("glucocorticoid", 30.0, 10.0, 500.0)]
    t = np.linspace(0.0, 120.0, 601)
    ds = simulate(system, Protocol(events), t)
    assert (ds["status"] == 0).all()
    for name in system.model.species_names:
        assert _v(ds, name).min() >= 0.0, name
    assert _v(ds, "tolerance").max() < 1.0
    assert _v(ds, "tolerance").max() > 0.9       # the drive does tolerise


# --- resting steady state (docs/sources/innate_extra.md) ------------------------------------------
def test_resting_values_are_the_sourced_normal_values(extra):
    ds = _run(extra, t_end=48.0, dt=0.25)
    np.testing.assert_allclose(_v(ds, "IL1b"), 8.6, rtol=1e-6)   # Dorresteijn 2005: 8.6 pg/mL
    # resting TGF-beta is the module's TGFb0 (steady state of its relaxation), inside the
    # active TGF-beta1 range of healthy controls, 3-16 pg/mL (Transl Res 2018;192:15)
    tgf_rest = extra.model.parameter("TGFb0").value
    np.testing.assert_allclose(_v(ds, "TGFb"), tgf_rest, rtol=1e-6)
    assert 3.0 <= tgf_rest <= 16.0
    np.testing.assert_allclose(_v(ds, "tolerance"), 0.0, atol=1e-12)
    for name in ("tolerance_TNF", "tolerance_IL6", "tolerance_IL10"):
        np.testing.assert_allclose(_v(ds, name), 1.0, atol=1e-12)
    n = _v(ds, "neutrophils")
    assert n[0] == pytest.approx(3.8, rel=0.03)       # 08:00: Ann Surg 2014 baseline 3.8 x1e9/L
    assert 2.0 <= n.min() and n.max() <= 7.5          # clinical normal range over the day
    assert n.max() / n.min() < 1.6                    # circadian (cortisol-driven) swing only


# --- first LPS dose -------------------------------------------------------------------------------
def test_lps_raises_il1b_to_its_published_peak_at_the_published_time(bolus):
    """Dorresteijn 2005: 8.6 -> 25.3 +- 2.0 pg/mL; IL-1beta follows TNF (peak 1.5-2 h)."""
    il1b, t = _v(bolus, "IL1b"), bolus["time"].values
    assert 20.0 <= il1b.max() <= 31.0
    assert 1.0 <= t[il1b.argmax()] <= 2.5
    assert il1b[-1] == pytest.approx(8.6, rel=0.02)   # back to baseline within 24 h


def test_neutrophils_fall_early_then_rise_to_a_late_neutrophilia(bolus):
    """Early granulocytopenia, then neutrophilia x2.5-3 at 3-6 h (Ann Surg 2014 1 ng/kg: x2.78 at
    3 h, x2.49 at 6 h; 0.5 ng/kg gives the same, so the 2 ng/kg bolus is expected there too;
    Richardson 1989: from 1 to 6 h)."""
    n, t = _v(bolus, "neutrophils"), bolus["time"].values
    base = n[0]
    # bands: the data's ratio +- 2 SD, with the SDs the module is fitted with
    # (docs/sources/innate_extra.md F: 0.3 for each ratio, 0.15 for the nadir x0.5)
    assert n[t <= 1.5].min() <= (0.5 + 2 * 0.15) * base
    for hour, ratio in ((3.0, 2.78), (6.0, 2.49), (24.0, 1.03)):
        assert n[np.searchsorted(t, hour)] / base == pytest.approx(ratio, abs=2 * 0.3), hour
    assert 2.5 <= t[n.argmax()] <= 6.0


def test_tgfb_rises_slowly_after_the_pro_inflammatory_peak(bolus):
    t = bolus["time"].values
    tgf = _v(bolus, "TGFb")
    # Draisma 2009: TGF-beta rose on day 1 (P = 0.02), size not given: direction only
    assert tgf.max() > 8.0
    assert t[tgf.argmax()] > t[_v(bolus, "TNF").argmax()] + 2.0


def test_high_glucocorticoid_lowers_il1b(extra):
    """Hydrocortisone-like exogenous cortisol (60 ug/dL from 3 h before LPS; Barber 1993
    infused 3 ug/kg/min for 6 h) lowers the IL-1beta peak."""
    lps = lps_bolus(2.0, 3.0)
    plain = _run(extra, [lps], t_end=15.0, clock=5)
    # held to the end: stopping 60 ug/dL after the axis is fully suppressed (cortisol ~1e-7)
    # lets the Bangsgaard-Ottesen CRH self-excitation (a1 ~ 4e14 pg/mL/h without feedback)
    # explode, a solver failure with either engine; withdrawal needs hpa_capacity
    gc = _run(extra, [lps, SignalStep("GC_exo", 0.0, 15.0, 60.0)], t_end=15.0, clock=5)
    assert _v(gc, "glucocorticoid")[np.searchsorted(gc["time"].values, 3.0)] > 50.0
    # direction only: no direct human number for the IL-1beta suppression was found
    # (docs/sources/innate_extra.md, open item 6)
    assert _rise_after(gc, "IL1b", 3.0) < _rise_after(plain, "IL1b", 3.0)


def _rise_after(ds, name, t0):
    v, t = _v(ds, name), ds["time"].values
    return v[t >= t0].max() - v[np.searchsorted(t, t0)]


def test_glucocorticoid_input_acts_on_il1b_in_the_module_alone():
    """Without the HPA module the input `glucocorticoid` is external: at 60 ug/dL the IL-1beta
    response to the same activated-monocyte pulse is smaller."""
    system = compile_model(compose(innate(), innate_extra()))
    t = np.linspace(0.0, 12.0, 601)
    base = simulate(system, Protocol([lps_bolus(2.0, 0.0)]), t)
    gc = simulate(system, Protocol([lps_bolus(2.0, 0.0),
                                    SignalStep("glucocorticoid", 0.0, 12.0, 60.0 - 7.6)]), t)
    assert _v(gc, "IL1b").max() - 8.6 < _v(base, "IL1b").max() - 8.6   # direction only


# --- endotoxin tolerance --------------------------------------------------------------------------
def test_first_challenge_is_nearly_unchanged_by_the_tolerance_module(extra, standard, bolus):
    """Tolerance builds over hours (two-stage priming), so day 1 is close to the naive
    response, but not equal to it: the tolerance multipliers already move during the first
    response, and the module's IL-1beta and TGF-beta add their own small feedbacks. "Nearly
    unchanged" is tested as: each peak moves by less than one standard error of the mean peak
    in the n = 20 individual data the innate module is calibrated to (Janum; Windoloski 2024:
    TNF 17 %, IL-6 11 %, IL-10 11 %), i.e. by less than that study could resolve."""
    ref = _run(standard, [lps_bolus(2.0, 0.0)])
    d = load_dataset("lps_bolus_2ngkg_n20_individual_windoloski2024")
    peaks = d.groupby("subject")[["TNF", "IL6", "IL10"]].max()
    sem = peaks.std() / peaks.mean() / np.sqrt(len(peaks))
    for name in ("TNF", "IL6", "IL10"):
        assert _v(bolus, name).max() == pytest.approx(_v(ref, name).max(), rel=sem[name]), name
    t = bolus["time"].values
    assert _v(bolus, "tolerance")[np.searchsorted(t, 1.6)] < 0.02   # at the TNF peak


def test_second_day_tnf_response_is_strongly_reduced(five_days, standard):
    """lps-repeated: the day-2 TNF rise is attenuated in the model without tolerance (fewer
    resting monocytes only) and more with innate_extra. Draisma 2009 gives day 5 (97 %,
    tested below), not day 2, so no day-2 size is asserted: directions only."""
    ref = _run(standard, [Repeated(lps_bolus(2.0, 0.0), 24.0, 2)], t_end=48.0)
    assert 0.0 < _attenuation(ref, "TNF", 1) < _attenuation(five_days, "TNF", 1)
    assert _attenuation(five_days, "TNF", 1) <= _attenuation(five_days, "TNF", 4)


def test_day5_attenuations_reproduce_draisma_2009(five_days):
    """Draisma et al. 2009 Crit Care Med 37:1261 (2 ng/kg on 5 days, n = 14), day 5 vs day 1:
    TNF -97 +- 3 %, IL-6 -88 +- 8 %, IL-10 -87 +- 7 %, TGF-beta -5 +- 22 % (not significant);
    fever abolished (37.8 -> 36.2 C). Bands: the mean +- 1.5 SD (model with the marrow supply,
    module defaults: 95.7, 89.2, 89.7, 14.1 %)."""
    att = {n: _attenuation(five_days, n, 4) for n in ("TNF", "IL6", "IL10", "TGFb")}
    assert 0.925 <= att["TNF"] <= 1.0
    assert 0.76 <= att["IL6"] <= 1.0
    assert 0.765 <= att["IL10"] <= 0.975
    assert att["TGFb"] <= 0.38
    assert att["TNF"] > att["IL6"]                     # IL-6 reduced less than TNF
    assert _attenuation(five_days, "temperature", 4) > 0.5
    assert _attenuation(five_days, "IL1b", 4) > 0.8    # IL-1beta is tolerised like TNF


def test_tolerance_builds_over_consecutive_days(five_days):
    t = five_days["time"].values
    tol = [_v(five_days, "tolerance")[np.searchsorted(t, 24.0 * d)] for d in range(5)]
    assert tol[0] == pytest.approx(0.0, abs=1e-9)
    assert all(b > a for a, b in zip(tol, tol[1:]))
    tnf = [_attenuation(five_days, "TNF", d) for d in range(1, 5)]
    assert all(b >= a - 1e-3 for a, b in zip(tnf, tnf[1:]))


def test_hooks_are_the_tolerance_multipliers(five_days):
    T = _v(five_days, "tolerance")
    m = innate_extra()
    r6, r10 = m.parameter("r_tol_IL6").value, m.parameter("r_tol_IL10").value
    np.testing.assert_allclose(_v(five_days, "tolerance_TNF"), 1.0 - T, atol=1e-12)
    np.testing.assert_allclose(_v(five_days, "tolerance_IL6"), 1.0 - T + r6 * T, atol=1e-12)
    np.testing.assert_allclose(_v(five_days, "tolerance_IL10"), 1.0 - T + r10 * T, atol=1e-12)


def test_tolerance_persists_two_weeks_and_is_mostly_gone_by_five_weeks():
    """Kox 2011: in vivo tolerance still present 2 weeks after 2 ng/kg; Rittig 2015: none after
    5 weeks. Module alone, one LPS pulse through its input."""
    system = compile_model(innate_extra())
    t = np.arange(0.0, 35 * 24.0 + 1e-9, 1.0)
    ds = simulate(system, Protocol([SignalStep("LPS", 0.0, 1.0, 2.0)]), t)
    tol = _v(ds, "tolerance")
    day1 = tol[24]
    # Kox 2011 and Rittig 2015 give no size, only "present" and "absent": the module encodes
    # them as a 7-day half-life (k_tol_off). Checked by the equation: once the two 3-h priming
    # stages have run out (by day 3, their residue < 2e-6 relative), tolerance decays as
    # exp(-k_tol_off t) exactly, up to the solver tolerance (rtol 1e-6 -> rel 1e-5 here) ...
    k_off = innate_extra().parameter("k_tol_off").value
    for day in (14, 35):
        assert tol[day * 24] == pytest.approx(tol[3 * 24] * np.exp(-k_off * 24.0 * (day - 3)),
                                              rel=1e-5), day
    # ... and never faster (the commit input is >= 0), so it is still present at 2 weeks
    assert tol[14 * 24] >= day1 * np.exp(-k_off * 13 * 24.0) * (1 - 1e-5)
    assert tol[-1] < tol[14 * 24] < day1


def test_hydrocortisone_raises_neutrophils(extra):
    """Glucocorticoids cause neutrophilia (marrow release, less egress from blood; Bishop et al.
    1968): exogenous cortisol 60 ug/dL for 24 h from 08:00 raises the count. Direction only."""
    ds = _run(extra, [SignalStep("GC_exo", 0.0, 24.0, 60.0)], t_end=24.0, dt=0.1)
    n, t = _v(ds, "neutrophils"), ds["time"].values
    assert n[0] < n[np.searchsorted(t, 4.0)] < n[-1]


# --- built-in scenarios of the module ------------------------------------------------------------
def proposed_scenarios():
    """The built-in scenarios of the innate_extra module."""
    return {n: scenarios.BUILTIN[n] for n in ("lps-leukocytes", "lps-repeated-5d",
                                               "lps-rechallenge-2wk")}


@pytest.fixture(scope="module")
def scenario_runs():
    return {name: scenarios.simulate(sc) for name, sc in proposed_scenarios().items()}


@pytest.mark.parametrize("name", ["lps-leukocytes", "lps-repeated-5d", "lps-rechallenge-2wk"])
def test_proposed_scenario_runs_on_one_kernel(scenario_runs, extra, name):
    ds = scenario_runs[name]
    assert (ds["status"].values == 0).all() and ds["preequilibration_converged"].values.all()
    assert scenarios.system(proposed_scenarios()[name]).key == extra.key


def test_lps_leukocytes_scenario_directions(scenario_runs):
    ds = scenario_runs["lps-leukocytes"]
    t = ds["time"].values
    assert 20.0 <= _v(ds, "IL1b").max() <= 31.0
    n = _v(ds, "neutrophils")
    # the data's nadir and 3-h ratio +- 2 SD (as in the bolus test above)
    assert n[t <= 1.5].min() <= (0.5 + 2 * 0.15) * n[0]
    assert n[np.searchsorted(t, 3.0)] / n[0] == pytest.approx(2.78, abs=2 * 0.3)


def test_lps_repeated_5d_scenario_directions(scenario_runs):
    ds = scenario_runs["lps-repeated-5d"]
    assert _attenuation(ds, "TNF", 1) > 0.7
    assert _attenuation(ds, "TNF", 4) > 0.925
    assert _attenuation(ds, "IL6", 4) < _attenuation(ds, "TNF", 4)


def test_two_week_rechallenge_is_less_attenuated_than_next_day(scenario_runs, five_days):
    """Tolerance decays over weeks: 14 days later the TNF response is still reduced (Kox 2011,
    in vivo tolerance persisting at 2 weeks [R]) but much less than 24 h after the first dose."""
    ds = scenario_runs["lps-rechallenge-2wk"]
    v, t = _v(ds, "TNF"), ds["time"].values
    first = v[t < 24.0].max() - v[0]
    second = v[t >= 14 * 24.0].max() - v[np.searchsorted(t, 14 * 24.0)]
    att_2wk = 1.0 - second / first
    assert 0.05 < att_2wk < _attenuation(five_days, "TNF", 1) - 0.3


def test_duffy_null_profile_lowers_the_neutrophil_count(extra):
    """Proposed profile 'duffy-null-neutrophil-count': median ANC 2.82 vs 5.0 x1e9/L (Merz et al.
    2023 Blood Adv 7:317) -> N0 scaled by 2.82/3.8; the fold response to LPS is unchanged."""
    from neuroimmune.profiles import Profile
    n0 = innate_extra().parameter("N0").value
    prof = Profile("duffy-null-neutrophil-count", "Duffy-null associated neutrophil count "
                   "(lower circulating neutrophils, normal total body neutrophils)",
                   {"N0": round(n0 * 2.82 / 3.8, 3)},
                   {"N0": "Merz et al. 2023 Blood Adv 7:317: median ANC 2820/uL in Duffy-null vs "
                    "5005/uL in Duffy non-null healthy Black adults [V-abs]; N0 scaled so that "
                    "the 08:00 count is 2.82 x1e9/L (the count is linear in N0)"})
    model = compose(*_standard_modules(), innate_extra(), monocyte_supply(),
                    name="standard+extra")
    system = compile_model(prof.apply(model))
    assert system.key == extra.key
    ds = _run(system, [lps_bolus(2.0, 0.0)])
    ref = _run(extra, [lps_bolus(2.0, 0.0)])
    assert _v(ds, "neutrophils")[0] == pytest.approx(2.82, rel=0.03)
    # lower: the start is lower and max / start is unchanged (the count is linear in N0)
    assert _v(ds, "neutrophils").max() < _v(ref, "neutrophils").max()
    # equal up to the solver tolerance (rtol 1e-6 per solve; the two solves take different steps)
    assert (_v(ds, "neutrophils").max() / _v(ds, "neutrophils")[0]
            == pytest.approx(_v(ref, "neutrophils").max() / _v(ref, "neutrophils")[0], rel=1e-5))


# --- neutrophils: marrow reserve, LPS dose response, hydrocortisone (docs/design/0021) ----------
#: Ann Surg 2014;259:999 Table 1 (n = 5 per dose): leukocytes x % neutrophils relative to 0 h, at
#: 3, 6 and 24 h (the data the LPS release signal is calibrated to: an in-sample check).
ANN_SURG_RATIOS = {1.0: (11.4 * 92.7 / (6.8 * 55.9), 10.9 * 86.8 / (6.8 * 55.9),
                         6.8 * 57.6 / (6.8 * 55.9)),
                   0.5: (11.5 * 87.0 / (6.0 * 59.2), 10.9 * 82.9 / (6.0 * 59.2),
                         6.8 * 56.2 / (6.0 * 59.2)),
                   0.1: (7.3 * 76.0 / (6.0 * 58.9), 8.4 * 73.3 / (6.0 * 58.9),
                         6.2 * 61.5 / (6.0 * 58.9))}


@pytest.fixture(scope="module")
def lps_doses(extra):
    return {d: _run(extra, [lps_bolus(d, 0.0)]) for d in (0.1, 0.5, 0.8, 1.0)}


@pytest.mark.parametrize("dose", [0.1, 0.5, 1.0])
def test_lps_neutrophilia_at_each_dose_within_2_sd_of_ann_surg_2014(lps_doses, dose):
    n, t = _v(lps_doses[dose], "neutrophils"), lps_doses[dose]["time"].values
    for hour, ratio in zip((3.0, 6.0, 24.0), ANN_SURG_RATIOS[dose]):
        assert n[np.searchsorted(t, hour)] / n[0] == pytest.approx(ratio, abs=2 * 0.3), hour


def test_lps_neutrophilia_saturates_with_dose(lps_doses):
    """Ann Surg 2014: 0.5 and 1 ng/kg give the same rise (3-h counts 10.0 and 10.6 from 3.6 and
    3.8 x1e9/L), 0.1 ng/kg less than half of it (largest rise 2.6 vs 6.8)."""
    rise = {d: _v(ds, "neutrophils").max() - _v(ds, "neutrophils")[0]
            for d, ds in lps_doses.items()}
    assert rise[0.5] == pytest.approx(rise[1.0], rel=0.2)
    assert rise[0.8] == pytest.approx(rise[1.0], rel=0.2)
    assert rise[0.1] < 0.6 * rise[1.0]


def test_margination_dip_retained_at_low_dose(lps_doses):
    """Early granulocytopenia within the first 1.5 h (Richardson 1989 [V-abs]; depth x0.5 [R],
    band +- 2 SD of 0.15) also at 0.8 ng/kg."""
    ds = lps_doses[0.8]
    n, t = _v(ds, "neutrophils"), ds["time"].values
    assert n[t <= 1.5].min() <= (0.5 + 2 * 0.15) * n[0]


@pytest.mark.xfail(strict=True, reason="known deviation (docs/design/0021): the nadir comes at "
                   "0.3-0.4 h, not at 50-60 min, because margination follows plasma LPS directly "
                   "and the release signal starts within the first hour")
def test_early_granulocytopenia_is_maximal_at_about_one_hour(bolus):
    n, t = _v(bolus, "neutrophils"), bolus["time"].values
    assert 0.5 <= t[n[t <= 1.5].argmin()] <= 1.5


def test_marrow_reserve_at_rest_and_after_lps(extra, bolus):
    """At rest the reserve is k_N / k_MR = (5.8 d x 24 h) ln2 / 7 h = 13.8 times the blood count
    (marrow transit 5.8 d, Lahoz-Beneytez 2016; blood half-life 7 h); LPS depletes it and it
    refills on the time scale of days (slower than the blood count returns)."""
    m = innate_extra()
    ratio = m.parameter("k_N").value / m.parameter("k_MR").value
    assert ratio == pytest.approx(5.8 * 24.0 * np.log(2) / 7.0, rel=1e-9)
    mr, n = _v(bolus, "neutrophils_marrow"), _v(bolus, "neutrophils")
    assert mr[0] / n[0] == pytest.approx(ratio, rel=0.05)
    assert mr.min() < 0.9 * mr[0]
    assert mr[-1] < mr[0] and mr[-1] > mr.min()


def test_hydrocortisone_200mg_iv_neutrophilia(extra):
    """Cortisol 200 mg i.v. (Bishop et al. 1968 J Clin Invest 47:249, n = 5): total blood
    granulocyte pool 79 -> 138 x1e7 cells/kg (x1.75; the calibration of s_GC_N, so a check of
    the fit), transient (a non-steady state), the rise following the steroid peak."""
    from pathlib import Path

    import neuroimmune
    path = (Path(neuroimmune.__file__).parent / "validation" / "data" / "protocols"
            / "hydrocortisone-200mg-iv.toml")
    ds = scenarios.simulate(scenarios.load(path))
    assert (ds["status"].values == 0).all()
    n, gc, t = _v(ds, "neutrophils"), _v(ds, "glucocorticoid"), ds["time"].values
    assert n.max() / n[0] == pytest.approx(138.0 / 79.0, rel=0.05)
    assert t[n.argmax()] > t[gc.argmax()] + 2.0
    assert n[-1] < n.max()
