"""Gonadal (HPG) module: resting levels of men, women, post-menopause and gonadectomy against the
published ranges of docs/sources/gonadal.md, steroid kinetics and therapy PK, cytokine suppression
of testosterone, and the sex-steroid hooks on monocytes and the HPA axis in the composed model
(standard model + gonadal, pre-equilibrated 120 days)."""

import numpy as np
import pytest

from neuroimmune import (
    Infusion,
    Protocol,
    SignalStep,
    Stressor,
    compile_model,
    compose,
    lps_bolus,
    scenarios,
    simulate,
)
from neuroimmune._unitcheck import check_units
from neuroimmune.model.library import STANDARD
from neuroimmune.model.library.gonadal import (
    SUBJECTS,
    T_HALF_H,
    gonadal,
    transdermal_estradiol_rate,
    transdermal_testosterone_rate,
)
from neuroimmune.scenarios import PREEQ_DAYS
from neuroimmune.validation.datasets import load_dataset

HOOKS = ("sex_proinflammatory", "sex_IL10", "sex_stress_gain")
NMOL_T = 28.84    # ng/dL per nmol/L testosterone
PMOL_E2 = 3.671   # pmol/L per pg/mL estradiol
NMOL_P4 = 3.18    # nmol/L per ng/mL progesterone
CYTOKINE_SUPPRESSION_OFF = {"K_TNF_gonad": 1e9, "K_TNF_GnRH": 1e9}


@pytest.fixture(scope="module")
def alone():
    return compile_model(gonadal())


@pytest.fixture(scope="module")
def full():
    """Standard model + gonadal (one compiled kernel for every subject)."""
    return compile_model(compose(*(f() for f in STANDARD), gonadal(), name="standard+gonadal"))


def _rest(system, subject, days=1.0, preeq=30):
    t = np.linspace(0.0, 24.0 * days, 5)
    ds = simulate(system, Protocol(preequilibrate_days=preeq), t, params=SUBJECTS[subject])
    assert (ds["status"] == 0).all()
    return {n: float(ds[n].values[0, -1]) for n in ds.data_vars
            if ds[n].dims == ("patient", "time")}


def _run(system, events, subject="man", t_end=24.0, dt=0.05, preeq=PREEQ_DAYS):
    t = np.arange(0.0, t_end + 1e-9, dt)
    ds = simulate(system, Protocol(events, clock_start=8, preequilibrate_days=preeq), t,
                  params=SUBJECTS[subject])
    assert (ds["status"] == 0).all(), ds["status_message"].values
    assert ds["preequilibration_converged"].values.all()
    return ds


def _peak(ds, name):
    return float(ds[name].values[0].max())


def _at(ds, name, t):
    return float(ds[name].sel(time=t, method="nearest").values[0])


# --- module checks ------------------------------------------------------------------------------
def test_units_are_consistent():
    check_units(gonadal())


def test_every_parameter_is_sourced_and_modelling_choices_say_provisional():
    m = gonadal()
    for p in m.parameters:
        assert p.source.strip() and p.unit, p.name
    for name in ("k_TNF_HPG", "K_TNF_gonad", "K_TNF_GnRH", "K_T_immune", "K_LH_gonad"):
        assert "provisional" in m.parameter(name).source, name
    for name in HOOKS:
        assert name in {o.name for o in m.observables}
    assert {i.name for i in m.inputs} == {"TNF", "gonadectomy"}


def test_conforms_and_composes_with_the_standard_model():
    """The full conformance suite against the real catalog (data/catalog_entities.csv)."""
    import neuroimmune.conformance as conformance
    conformance.check_module(gonadal(), others=tuple(f() for f in STANDARD))


def test_profiles_change_only_free_parameters():
    m = gonadal()
    for subject, values in SUBJECTS.items():
        for name in values:
            assert not m.parameter(name).constant, (subject, name)


# --- resting levels (docs/sources/gonadal.md A1) -----------------------------------------------
def test_young_man_rests_at_the_published_normal_values(alone):
    rest = _rest(alone, "man")
    assert 264.0 <= rest["testosterone"] <= 916.0          # Travison 2017 harmonised range
    assert 1.7 <= rest["LH"] <= 8.6 and 1.5 <= rest["FSH"] <= 12.4
    assert 10.0 <= rest["estradiol"] <= 40.0
    assert rest["GnRH"] == pytest.approx(1.0, rel=1e-6)
    for hook in HOOKS:
        assert rest[hook] == pytest.approx(1.0, rel=1e-6), hook   # normalisation, design 0002
    # the effect compartment d(TNF_HPG)/dt = k (TNF - TNF_HPG) rests at its input, the plasma TNF
    # baseline wTNF of Windoloski et al. 2024 (data/windoloski2024_bolus_optimised_parameters.csv)
    assert rest["TNF_HPG"] == pytest.approx(8.792573875936839, rel=1e-9)


def test_women_rest_in_the_cycle_phase_reference_intervals(alone):
    """Anckaert et al. 2021 (85 women, medians and 5th-95th percentiles): follicular E2 198
    (114-332) pmol/L, LH 7.14 (4.78-13.2) IU/L; luteal E2 412 (222-854) pmol/L, LH 6.24
    (2.73-13.1), P4 28.8 (13.1-46.3) nmol/L."""
    fol, lut = _rest(alone, "woman-follicular"), _rest(alone, "woman-luteal")
    assert 114.0 <= fol["estradiol"] * PMOL_E2 <= 332.0
    assert 4.78 <= fol["LH"] <= 13.2
    assert fol["progesterone"] < 1.0
    assert 222.0 <= lut["estradiol"] * PMOL_E2 <= 854.0
    assert 2.73 <= lut["LH"] <= 13.1
    assert 13.1 <= lut["progesterone"] * NMOL_P4 <= 46.3
    for r in (fol, lut):
        assert 15.0 <= r["testosterone"] <= 70.0           # female range [R]
    assert SUBJECTS["woman-follicular"]["GnRH_drive"] == pytest.approx(1.0)  # one axis fits both


def test_postmenopause_and_gonadectomy_rest_with_high_gonadotropins(alone):
    """Post-menopause: LH and FSH high, E2 < 20 pg/mL; orchiectomy: testosterone 15 ng/dL
    (Oefelein 2000, median 15, CI 12-17), FSH rising more than LH (loss of inhibin)."""
    man = _rest(alone, "man")
    pm, orch = _rest(alone, "postmenopausal-woman"), _rest(alone, "orchiectomy")
    assert pm["LH"] >= 15.0 and pm["FSH"] >= 25.0 and pm["estradiol"] < 20.0
    assert orch["testosterone"] == pytest.approx(15.0, abs=2.0)
    assert orch["LH"] / man["LH"] > 4.0
    assert orch["FSH"] / man["FSH"] > orch["LH"] / man["LH"]
    assert orch["sex_proinflammatory"] > 1.1 and orch["sex_IL10"] < 0.9


def test_older_man_has_lower_testosterone_and_higher_lh(alone):
    """Harman et al. 2001 (BLSA): -0.124 nmol/L per year, i.e. about -5.6 nmol/L from 25 to 70."""
    young, old = _rest(alone, "man"), _rest(alone, "older-man")
    assert young["testosterone"] - old["testosterone"] == pytest.approx(0.124 * 45 * NMOL_T,
                                                                         rel=0.02)
    assert old["LH"] > young["LH"]


# --- kinetics and therapies ---------------------------------------------------------------------
def test_orchiectomy_drops_testosterone_within_hours_and_raises_lh_fsh(alone):
    """Castrate testosterone (< 50 ng/dL) within hours of orchiectomy (~5 % of normal, ACNP)."""
    t = np.linspace(0.0, 72.0, 145)
    ds = simulate(alone, Protocol(), t, params=SUBJECTS["orchiectomy"])
    T = ds["testosterone"]
    assert float(T.sel(time=12.0)[0]) < 50.0
    assert float(T.sel(time=3.0)[0]) > 50.0            # not instantaneous
    for name in ("LH", "FSH"):
        x = ds[name].values[0]
        assert x[-1] > 4.0 * x[0] and np.all(np.diff(x) >= -1e-5 * x[1:]), name
    assert float(ds["estradiol"].values[0, -1]) < 0.5 * float(ds["estradiol"].values[0, 0])


@pytest.mark.parametrize("ug_per_day, rise_low, rise_high", [(20.0, 12.0, 20.0),
                                                             (100.0, 65.0, 115.0)])
def test_estradiol_patch_raises_e2_and_lowers_gonadotropins(alone, ug_per_day, rise_low,
                                                            rise_high):
    """Post-menopausal women: +16 pg/mL at 20 ug/day (zero-order 7-day patch, 1996), about 80-112
    pg/mL at 0.1 mg/day (gonadal.md A4)."""
    t = np.linspace(0.0, 72.0, 13)
    ev = [Infusion("estradiol", transdermal_estradiol_rate(ug_per_day), 0.0, 72.0)]
    ds = simulate(alone, Protocol(ev, preequilibrate_days=30), t,
                  params=SUBJECTS["postmenopausal-woman"])
    rise = float(ds["estradiol"].values[0, -1] - ds["estradiol"].values[0, 0])
    assert rise_low <= rise <= rise_high
    for name in ("LH", "FSH"):
        assert ds[name].values[0, -1] < ds[name].values[0, 0], name   # direction only


def test_testosterone_gel_restores_testosterone_after_orchiectomy(alone):
    """50 mg/day 1 % gel (10 % absorbed): testosterone into the normal range; estradiol rises by
    aromatisation; LH falls."""
    t = np.linspace(0.0, 72.0, 13)
    ev = [Infusion("testosterone", transdermal_testosterone_rate(50.0), 0.0, 72.0)]
    ds = simulate(alone, Protocol(ev, preequilibrate_days=30), t, params=SUBJECTS["orchiectomy"])
    end = {n: float(ds[n].values[0, -1]) for n in ("testosterone", "estradiol", "LH")}
    start = {n: float(ds[n].values[0, 0]) for n in end}
    assert 300.0 <= end["testosterone"] <= 900.0
    assert end["estradiol"] > start["estradiol"] + 5.0
    assert end["LH"] < start["LH"]   # direction only (no LH data on gel after orchiectomy)


# --- composed with the standard model -----------------------------------------------------------
@pytest.fixture(scope="module")
def lps_runs(full):
    lps = [lps_bolus(2.0, 0.0)]
    return {s: _run(full, lps, s) for s in ("man", "woman-follicular", "woman-luteal",
                                             "postmenopausal-woman")}


def test_the_male_default_leaves_the_standard_lps_response_unchanged(full, coupled_system):
    """Normalisation (design 0002): the hooks are 1 at the young man's rest, so with the cytokine
    suppression of the axis off the LPS response of standard + gonadal equals the standard
    model's (exactly: the tolerance is the solver's global error, 100 x rtol 1e-6, the step
    sequence differing with the module's extra states; IL-6 differed by 1.05e-5 after the
    bounded adrenal of docs/design/0018). With it on, the LPS-induced testosterone fall nudges the
    hooks, a real but small effect: each peak must move by less than one standard error of the
    mean peak in the data the standard model is calibrated to (Janum n = 20: individual
    cytokine peaks, mean +- SD temperature; Barber 1993 cortisol), i.e. by less than those
    studies could resolve."""
    t = np.arange(0.0, 24.0 + 1e-9, 0.05)
    lps = Protocol([lps_bolus(2.0, 0.0)], clock_start=8, preequilibrate_days=PREEQ_DAYS)
    ref = simulate(coupled_system, lps, t)
    off = simulate(full, lps, t, params=CYTOKINE_SUPPRESSION_OFF)
    on = simulate(full, lps, t)
    for hook in HOOKS:
        np.testing.assert_allclose(off[hook].values, 1.0, rtol=1e-9, err_msg=hook)
    for name in ("TNF", "IL6", "IL8", "IL10", "cortisol", "temperature"):
        assert _peak(off, name) == pytest.approx(_peak(ref, name), rel=1e-4), name
    d = load_dataset("lps_bolus_2ngkg_n20_individual_windoloski2024")
    peaks = d.groupby("subject")[["TNF", "IL6", "IL8", "IL10"]].max()
    sem = (peaks.std() / peaks.mean() / np.sqrt(len(peaks))).to_dict()
    b = load_dataset("lps_2ngkg_hormone_peaks_barber1993").set_index("variable")
    sem["cortisol"] = b.loc["cortisol", "peak_se"] / b.loc["cortisol", "peak_mean"]
    for name, rel in sem.items():
        assert _peak(on, name) == pytest.approx(_peak(ref, name), rel=rel), name
    temp = load_dataset("lps_bolus_2ngkg_janum_dobreva2021").query("variable == 'TEMP'")
    at_peak = temp.loc[temp["mean"].idxmax()]
    sem_temperature = at_peak["spread"] / np.sqrt(20)   # degC
    assert abs(_peak(on, "temperature") - _peak(ref, "temperature")) < sem_temperature


def test_lps_lowers_testosterone_in_a_man_with_lh_near_baseline(lps_runs):
    """Tremellen 2018 (0.8 ng/kg): testosterone -30 % at 6 h, back by 24 h, LH and FSH unchanged;
    van der Poll 1993 (TNF bolus): -50 % at 4 h. Model, 2 ng/kg: nadir -48 % at about 5 h."""
    ds = lps_runs["man"]
    T = ds["testosterone"].values[0]
    t = ds["time"].values
    t0 = T[0]
    assert 0.50 <= T.min() / t0 <= 0.75  # between the two measured falls: -50 % and -30 %
    assert 3.0 <= t[T.argmin()] <= 7.0
    assert _at(ds, "testosterone", 24.0) / t0 > 0.97


@pytest.mark.xfail(strict=True, reason=(
    "issue #17, known regression of 2026-12-06: with the glucocorticoid arm the LPS TNF peak is "
    "315 pg/mL (288 before), testosterone falls 48 % and the HPG feedback raises LH to 1.26 x"))
def test_lps_leaves_lh_near_baseline_in_a_man(lps_runs):
    """Tremellen 2018 (0.8 ng/kg): LH and FSH unchanged while testosterone fell."""
    ds = lps_runs["man"]
    lh = ds["LH"].values[0] / ds["LH"].values[0, 0]
    assert 0.75 <= lh.min() and lh.max() <= 1.25


def test_lps_in_a_woman_gives_a_more_proinflammatory_response(lps_runs):
    """TNF +45 %, IL-6 +43 % in women (1 ng/kg, n = 110, cycle phase not controlled, medRxiv
    2025): the cycle-average woman (geometric mean of the follicular and luteal peaks) against
    the man; women above men in either phase (plasma TNF higher in women across all phases,
    O'Brien et al. 2007 Neuroimmunomodulation 14:84); the IL-10 rise larger in men (Engler et al.
    2016 Brain Behav Immun 52:18). The sex comparisons reserved for the independent check
    (issue #16) are not used here."""
    man = lps_runs["man"]
    fol, lut = lps_runs["woman-follicular"], lps_runs["woman-luteal"]
    for name, (low, high) in {"TNF": (1.3, 1.7), "IL6": (1.3, 1.8)}.items():
        average = np.sqrt(_peak(fol, name) * _peak(lut, name))
        assert low <= average / _peak(man, name) <= high, name
        assert _peak(fol, name) > _peak(man, name) and _peak(lut, name) > _peak(man, name), name
    for woman in (fol, lut):
        assert _peak(woman, "IL10") / _peak(man, "IL10") < 1.0
        assert _at(woman, "sex_proinflammatory", 0.0) > 1.05
    # follicular-phase median 198 pmol/L (Anckaert et al. 2021) = 54 pg/mL
    assert _at(fol, "estradiol", 0.0) == pytest.approx(198.0 / PMOL_E2, rel=0.01)


#: Gaskins et al. 2012 Am J Epidemiol 175:423 (BioCycle, 259 women, up to 8 samples per cycle):
#: CRP change per 10-fold rise of estradiol and of luteal progesterone, point and 95 % CI.
E2_PER_DECADE = {"point": -0.243, "weak": -0.193, "strong": -0.290}
P4_PER_DECADE = {"point": 0.194, "weak": 0.084, "strong": 0.315}


def _production_ratio(e2_ratio, p4_ratio, e2_change, p4_change):
    """Monocyte production ratio for hormone ratios at the given changes per decade."""
    return e2_ratio ** np.log10(1 + e2_change) * p4_ratio ** np.log10(1 + p4_change)


def test_luteal_and_follicular_lps_responses_differ_in_the_measured_direction(lps_runs):
    """Issue #17's done-when. Direction: more TNF-producing monocytes after LPS in the luteal than
    in the follicular phase (Bouman et al. 2001 Fertil Steril 76:555) and lower LPS-induced TNF
    and IL-6 of whole blood in the follicular than the early luteal phase (Neuroimmunomodulation
    2012;19:171). Size: no in-vivo LPS study by cycle phase gives one, so the threshold is
    derived from the measured per-decade effects (Gaskins 2012, stated as such): with the
    Anckaert 2021 medians (E2 x2.07, P4 x30 from follicular to luteal) the production ratio is
    1.19 at the point estimates, 1.01 with the weak ends of both 95 % CIs and 1.40 with the
    strong ends. The network's feedbacks (IL-6 and IL-10 on TNF) do not amplify a production
    change of this size, so each peak ratio must lie between those CI ends (it fails if the
    progesterone arm is lost or either sign flips), and the hook ratio must equal the
    point-estimate ratio (it fails if either arm is lost)."""
    fol, lut = lps_runs["woman-follicular"], lps_runs["woman-luteal"]
    e2 = _at(lut, "estradiol", 0.0) / _at(fol, "estradiol", 0.0)
    p4 = _at(lut, "progesterone", 0.0) / _at(fol, "progesterone", 0.0)
    assert e2 == pytest.approx(412.0 / 198.0, rel=0.01) and p4 > 10.0   # Anckaert 2021 medians
    low = _production_ratio(e2, p4, E2_PER_DECADE["strong"], P4_PER_DECADE["weak"])
    high = _production_ratio(e2, p4, E2_PER_DECADE["weak"], P4_PER_DECADE["strong"])
    point = _production_ratio(e2, p4, E2_PER_DECADE["point"], P4_PER_DECADE["point"])
    assert 1.0 < low < point < high
    # the hook itself carries exactly the point-estimate ratio (same testosterone in both phases)
    assert (_at(lut, "sex_proinflammatory", 0.0) / _at(fol, "sex_proinflammatory", 0.0)
            == pytest.approx(point, rel=1e-3))
    for name in ("TNF", "IL6"):
        ratio = _peak(lut, name) / _peak(fol, name)
        assert low <= ratio <= high, (name, ratio, low, high)


def test_menopause_raises_the_lps_response_above_the_follicular_woman(lps_runs):
    """Loss of ovarian estradiol (and of the ovarian share of testosterone) raises the monocyte
    factor: direction of the higher pro-inflammatory cytokine activity after menopause
    (Pfeilschifter et al. 2002 Endocr Rev 23:90 [R]) and of the inverse estradiol-CRP relation
    (Gaskins 2012); the size is the model's (no LPS study in post-menopausal women is used)."""
    pm, fol, man = (lps_runs[s] for s in ("postmenopausal-woman", "woman-follicular", "man"))
    assert _at(pm, "estradiol", 0.0) < 20.0
    assert _peak(pm, "TNF") > _peak(fol, "TNF") > _peak(man, "TNF")
    assert _peak(pm, "IL6") > _peak(fol, "IL6")


def test_the_estradiol_factor_falls_by_the_measured_fraction_per_decade(alone):
    """The implemented law against its source: in a post-menopausal woman (no ovarian
    steroids, so testosterone and progesterone stay put) a 10-fold rise of plasma estradiol
    from a patch lowers sex_proinflammatory by 24.3 % (Gaskins 2012; a = log10(0.757))."""
    t = np.linspace(0.0, 72.0, 13)
    rest = simulate(alone, Protocol(preequilibrate_days=30), t,
                    params=SUBJECTS["postmenopausal-woman"])
    e2_rest = float(rest["estradiol"].values[0, -1])
    # the infusion that raises estradiol 10-fold at steady state (rise = rate / k_E2)
    rate = 9.0 * e2_rest * np.log(2) / T_HALF_H["estradiol"]
    ev = [Infusion("estradiol", rate, 0.0, 72.0)]
    ds = simulate(alone, Protocol(ev, preequilibrate_days=30), t,
                  params=SUBJECTS["postmenopausal-woman"])
    e2 = float(ds["estradiol"].values[0, -1]) / e2_rest
    assert e2 == pytest.approx(10.0, rel=0.02)
    f = float(ds["sex_proinflammatory"].values[0, -1]) / float(
        rest["sex_proinflammatory"].values[0, -1])
    assert f == pytest.approx(e2 ** np.log10(1 - 0.243), rel=1e-3)
    assert f == pytest.approx(1 - 0.243, abs=0.01)


def test_estradiol_therapy_lowers_the_lps_response_dose_dependently(full):
    """17beta-estradiol inhibits monocyte/PBMC TNF and CXCL8 release dose-dependently in vitro
    (PBMC of post-menopausal women, 1e-12 to 1e-6 M: J Bone Miner Res 1990;5:983; human
    monocytes, LPS-induced CXCL8: Pioli et al. 2007 J Immunol 179:6284): in a post-menopausal
    woman on a patch of 0, 50 or 100 ug/day for 2 days, LPS at 48 h gives falling TNF, IL-6 and
    IL-8 peaks with the dose (direction only; the conflicting ex-vivo HRT data are in
    docs/design/0026)."""
    peaks = []
    t = np.arange(0.0, 60.0 + 1e-9, 0.05)
    for ug in (0.0, 50.0, 100.0):
        ev = [lps_bolus(2.0, 48.0)]
        if ug:
            ev.append(Infusion("estradiol", transdermal_estradiol_rate(ug), 0.0, 60.0))
        ds = simulate(full, Protocol(ev, clock_start=8, preequilibrate_days=PREEQ_DAYS), t,
                      params=SUBJECTS["postmenopausal-woman"])
        assert (ds["status"] == 0).all(), ds["status_message"].values
        peaks.append({n: float(ds[n].values[0].max()) for n in ("TNF", "IL6", "IL8",
                                                                 "estradiol")})
    for name in ("TNF", "IL6", "IL8"):
        assert peaks[0][name] > peaks[1][name] > peaks[2][name], name
    assert peaks[2]["estradiol"] > 5 * peaks[0]["estradiol"]


def test_a_tsst_raises_acth_less_in_a_woman(full):
    """ACTH responses to the TSST higher in men than in women (Kirschbaum 1999)."""
    ev = [Stressor(0.5, "15 min", 1.0)]
    rise = {}
    for s in ("man", "woman-follicular"):
        ds = _run(full, ev, s, t_end=3.0, dt=1.0 / 12.0)
        rise[s] = _peak(ds, "ACTH") - _at(ds, "ACTH", 0.0)
        assert _at(ds, "sex_stress_gain", 0.0) == pytest.approx(1.0 if s == "man" else 0.75,
                                                                 rel=1e-3)
    assert 0.5 <= rise["woman-follicular"] / rise["man"] <= 0.9


# --- proposed built-in scenarios (the lead adds them to scenarios.py) ---------------------------
def proposed_scenarios():
    """The built-in scenarios of the gonadal module."""
    return {n: scenarios.BUILTIN[n] for n in ("estradiol-therapy", "testosterone-therapy",
                                               "gonadectomy", "lps-woman")}


def test_proposed_scenarios_run_and_move_their_readouts():
    runs = {k: scenarios.simulate(s) for k, s in proposed_scenarios().items()}
    e2 = runs["estradiol-therapy"]
    assert _at(e2, "estradiol", 336.0) > 5 * _at(e2, "estradiol", 0.0)
    assert _at(e2, "LH", 336.0) < _at(e2, "LH", 0.0)   # feedback: direction only
    tt = runs["testosterone-therapy"]
    assert _at(tt, "testosterone", 336.0) > 10 * _at(tt, "testosterone", 0.0)
    assert _at(tt, "LH", 336.0) < _at(tt, "LH", 0.0)
    gx = runs["gonadectomy"]
    assert _at(gx, "testosterone", 24.0) < 20.0
    assert _at(gx, "LH", 336.0) > 4 * _at(gx, "LH", 0.0)
    assert _at(gx, "FSH", 336.0) > _at(gx, "LH", 336.0)
    assert _peak(runs["lps-woman"], "TNF") > 350.0      # man: about 270 pg/mL


def test_gonadectomy_during_a_run_drops_testosterone_and_raises_gonadotropins(full):
    """Orchiectomy at 08:00 after pre-equilibration with intact gonads (the `gonadectomy` signal):
    castrate testosterone within hours, LH and FSH rising, a more pro-inflammatory monocyte
    factor (low androgen) and a lower stress gain."""
    ds = _run(full, [SignalStep("gonadectomy", 0.0, 48.0, 1.0)], "man", t_end=48.0, dt=0.5)
    assert _at(ds, "testosterone", 12.0) < 50.0
    assert _at(ds, "testosterone", 48.0) == pytest.approx(15.0, abs=1.0)
    assert _at(ds, "LH", 48.0) > 4.0 * _at(ds, "LH", 0.0)
    assert _at(ds, "FSH", 48.0) > 8.0 * _at(ds, "FSH", 0.0)
    assert _at(ds, "sex_proinflammatory", 48.0) > 1.15
    assert _at(ds, "sex_stress_gain", 48.0) < 0.85
