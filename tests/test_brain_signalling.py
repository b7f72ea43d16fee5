"""brain_signalling module: units, sources, resting state equal to the literature normal values
(plasma Trp, Kyn, Kyn/Trp; docs/sources/brain_signalling.md), every multiplier 1 at rest, and the
physiology directions in the composed model (innate + HPA + fever + autonomic + brain_signalling):
LPS raises brain PGE2 and vagal afferent activity early, raises Kyn/Trp with a delayed peak
(Padberg et al. 2012: peak at 8 h) and lowers the serotonin synthesis index; glucocorticoids
induce TDO; IL-1beta drives vagal afferents and endothelial COX-2.

The scenario helpers at the end are the proposed built-in scenarios (for scenarios.py), written
with the module passed as a Module so that they run before the lead registers it."""

import math

import numpy as np
import pytest

from neuroimmune import (
    Protocol,
    SignalStep,
    compile_model,
    compose,
    conformance,
    lps_bolus,
    scenarios,
    simulate,
)
from neuroimmune._unitcheck import check_units
from neuroimmune.model.library import STANDARD
from neuroimmune.model.library.autonomic import NO_RHYTHM
from neuroimmune.model.library.brain_signalling import (
    IL6_CSF_REST,
    KYN_REST,
    TRP_REST,
    brain_signalling,
)
from neuroimmune.model.library.innate import CORTISOL_REF as GC_REST
from neuroimmune.scenarios import PREEQ_DAYS

DT = 0.25
MULTIPLIERS = ("COX2", "PGE2_brain", "vagal_afferent", "hypothalamic_cytokine_drive", "IDO")


def _standard():
    return [f() for f in STANDARD]


@pytest.fixture(scope="module")
def alone():
    return compile_model(brain_signalling())


@pytest.fixture(scope="module")
def full():
    return compile_model(compose(*_standard(), brain_signalling(), name="standard_brain"))


@pytest.fixture(scope="module")
def runs(full):
    """Rest and LPS 2 ng/kg at 08:00 (t = 0), 48 h, on the circadian limit cycle."""
    t = np.arange(0.0, 48.0 + 1e-9, DT)
    out = {}
    for name, events, params in (("rest", [], None), ("lps", [lps_bolus(2.0, 0.0)], None),
                                 ("rest_flat", [], NO_RHYTHM)):
        ds = simulate(full, Protocol(events, clock_start=8, preequilibrate_days=PREEQ_DAYS), t,
                      params=params)
        assert (ds["status"] == 0).all(), ds["status_message"].values
        out[name] = ds
    return out


def _v(ds, name):
    return ds[name].values[0]


def _at(ds, name, t):
    return float(ds[name].sel(time=t, method="nearest").values[0])


def _tpeak(ds, name):
    return float(ds["time"].values[np.argmax(_v(ds, name))])


# --- module checks ------------------------------------------------------------------------------
def test_units_are_consistent():
    check_units(brain_signalling())


def test_conforms_and_composes_with_the_standard_model():
    """The full conformance suite (catalog rows, simulation, positivity and SBML checks) against
    the real catalog (data/catalog_entities.csv)."""
    conformance.check_module(brain_signalling(), others=tuple(_standard()))


def test_every_parameter_is_sourced_and_modelling_choices_say_provisional():
    m = brain_signalling()
    for p in m.parameters:
        assert p.source.strip() and p.unit and p.description, p.name
    for name in ("g_TNF_COX", "g_TNF_vaff", "g_TNF_IDO", "k_IDO", "k_Kyn", "w_PGE2", "Ki_IL6",
                 "g_GC_TDO", "f_IDO_Kyn"):
        assert "provisional" in m.parameter(name).source, name
    assert "Padberg" in m.parameter("Kyn0").source
    # resting inputs: plasma TNF and IL-6 baselines wTNF and w6 of Windoloski et al. 2024
    # (data/windoloski2024_bolus_optimised_parameters.csv), IL-1beta 8.6 pg/mL (Dorresteijn
    # et al. 2005 Eur Cytokine Netw 16:191), the glucocorticoid normalisation point
    assert {i.name: i.default for i in m.inputs if not i.hook} == {
        "TNF": pytest.approx(8.792573875936839), "IL6": pytest.approx(0.6097346953571077),
        "IL1b": pytest.approx(8.6), "glucocorticoid": pytest.approx(GC_REST)}
    # the PGE2 hooks (docs/design/0030) are neutral at their defaults: no COX inhibitor, and the
    # glucocorticoid factor at the reference that leaves the COX-2 induction its nominal size
    hooks = {i.name: i.default for i in m.inputs if i.hook}
    assert hooks == {"COX_activity_fraction": 1.0,
                     "GC_COX2_factor": m.parameter("GC_COX2_ref_bs").value}


@pytest.mark.parametrize("name, rate", [("Trp", "k_Trp"), ("Kyn", "k_Kyn"), ("IL6_CSF", "k_CSF"),
                                        ("COX2", "k_COX2"), ("IDO", "k_IDO"), ("TDO", "k_TDO")])
def test_catalog_half_lives_match_the_model(name, rate):
    """The catalog states the model's half-life (ln 2 / first-order loss)."""
    catalog = conformance.entities()
    k = brain_signalling().parameter(rate).value
    assert catalog[name].half_life_min == pytest.approx(60 * math.log(2) / k, abs=1.0)


# --- resting state ------------------------------------------------------------------------------
def test_resting_state_is_steady_and_equals_the_normal_values(alone):
    """With the glucocorticoid at its normalisation point every drive is 1 and Trp, Kyn and Kyn/Trp
    sit at the literature resting values: Trp 60 umol/L (40-90), Kyn 1.8 umol/L (1.0-3.3),
    Kyn/Trp 30 umol/mmol (Padberg 2012 baseline 29.4 +- 6.8)."""
    t = np.linspace(0.0, 48.0, 49)
    ds = simulate(alone, Protocol(), t, params={"GC_base_bs": GC_REST})
    np.testing.assert_allclose(_v(ds, "Trp"), TRP_REST, rtol=1e-7)
    np.testing.assert_allclose(_v(ds, "Kyn"), KYN_REST, rtol=1e-7)
    np.testing.assert_allclose(_v(ds, "IL6_CSF"), IL6_CSF_REST, rtol=1e-7)
    for name in MULTIPLIERS + ("TDO", "serotonin_synthesis_index"):
        np.testing.assert_allclose(_v(ds, name), 1.0, rtol=1e-7, err_msg=name)
    ratio = _v(ds, "Kyn_Trp_ratio")
    np.testing.assert_allclose(ratio, 0.030, rtol=1e-7)
    assert abs(1000 * ratio[0] - 29.4) <= 6.8


def test_multipliers_are_one_at_rest_in_the_composed_model(runs):
    """On the circadian limit cycle the cytokine-driven multipliers stay 1; TDO follows
    cortisol, and the 24-h means of Trp and Kyn equal the resting values (GC_base_bs)."""
    flat, rest = runs["rest_flat"], runs["rest"]
    for name in MULTIPLIERS:
        np.testing.assert_allclose(_v(flat, name), 1.0, rtol=1e-6, err_msg=name)
        # resting IL-6 follows the adrenergic day-night rhythm (docs/design/0042, +-7 %), which
        # moves the IL-6-driven multipliers by up to 1.1e-4 (measured)
        np.testing.assert_allclose(_v(rest, name), 1.0, rtol=2.5e-4, err_msg=name)
    np.testing.assert_allclose(_v(flat, "IL6_CSF"), IL6_CSF_REST, rtol=1e-6)
    np.testing.assert_allclose(_v(rest, "IL6_CSF"), IL6_CSF_REST, rtol=1.2e-3)  # 5.8e-4
    day = slice(0, int(round(24 / DT)))
    assert _v(rest, "TDO")[day].mean() == pytest.approx(1.0, abs=0.02)
    assert _v(rest, "Trp")[day].mean() == pytest.approx(TRP_REST, rel=0.02)
    assert _v(rest, "Kyn")[day].mean() == pytest.approx(KYN_REST, rel=0.02)
    assert 40.0 <= _v(rest, "Trp").min() and _v(rest, "Trp").max() <= 90.0
    assert 1.0 <= _v(rest, "Kyn").min() and _v(rest, "Kyn").max() <= 3.3
    assert np.all(np.abs(1000 * _v(rest, "Kyn_Trp_ratio") - 29.4) <= 6.8)


def test_composing_feeds_back_only_through_the_hypothalamic_drive(runs, coupled_system, full):
    """The module acts on the standard model only through the hpa hook
    ``hypothalamic_cytokine_drive``: with s_brain_CRH = 0 the LPS response is unchanged; with it
    the PGE2/vagal route raises the ACTH and cortisol response, and removing the vagal afferent
    route lowers it again."""
    t = runs["lps"]["time"].values
    lps = Protocol([lps_bolus(2.0, 0.0)], clock_start=8, preequilibrate_days=PREEQ_DAYS)
    # without the catecholamine rhythm both models rest at a fixed point of the autonomic part,
    # so the comparison is exact to the solver (with it, to the pre-equilibration's 1e-5 a day)
    ref = simulate(coupled_system, lps, t, params=NO_RHYTHM)
    cut = simulate(full, lps, t, params={"s_brain_CRH": 0.0, **NO_RHYTHM})
    for name in ("TNF", "IL6", "cortisol", "temperature", "EPI"):
        np.testing.assert_allclose(_v(cut, name), _v(ref, name), rtol=1e-5, atol=1e-9,
                                   err_msg=name)
    routed = runs["lps"]
    assert _v(routed, "ACTH").max() > _v(ref, "ACTH").max()   # direction only: no human size
    assert _v(routed, "cortisol").max() > _v(ref, "cortisol").max()
    no_vagal = simulate(full, lps, t, params={"g_IL1_vaff": 0.0, "g_TNF_vaff": 0.0})
    # the vagal route's share shows in cortisol (its ACTH peak comes earlier and is no higher)
    assert (_v(ref, "cortisol").max() < _v(no_vagal, "cortisol").max()
            < _v(routed, "cortisol").max())
    assert _v(ref, "ACTH").max() < _v(no_vagal, "ACTH").max()


# --- LPS 2 ng/kg in the composed model ----------------------------------------------------------
def test_lps_raises_brain_pge2_and_vagal_afferents_early(runs):
    lps = runs["lps"]
    assert _at(lps, "vagal_afferent", 1.0) > 1.5            # within the first hour
    assert _tpeak(lps, "vagal_afferent") <= 2.0             # follows plasma TNF (peak 1.5 h)
    assert 1.0 <= _tpeak(lps, "PGE2_brain") <= 4.0          # COX-2 mRNA peaks at 2 h (Quan 1998)
    assert _v(lps, "PGE2_brain").max() > 2.0                # several-fold (provisional size)
    assert _tpeak(lps, "PGE2_brain") <= _tpeak(lps, "temperature")   # precedes the fever peak
    assert _v(lps, "hypothalamic_cytokine_drive").max() > 1.5
    # back to rest the next morning
    for name in ("PGE2_brain", "vagal_afferent", "hypothalamic_cytokine_drive"):
        assert _at(lps, name, 24.0) == pytest.approx(1.0, abs=0.01), name


def test_lps_raises_csf_il6_with_latency(runs):
    """Engler et al. 2017: CSF IL-6 rises 'with some latency' after plasma IL-6."""
    lps = runs["lps"]
    assert _v(lps, "IL6_CSF").max() > IL6_CSF_REST   # Engler's numbers not read: direction
    assert _tpeak(lps, "IL6_CSF") > _tpeak(lps, "IL6")
    assert _at(lps, "IL6_CSF", 24.0) == pytest.approx(IL6_CSF_REST, rel=0.02)


def test_lps_raises_kyn_trp_with_a_delayed_peak_and_lowers_serotonin(runs):
    """Padberg et al. 2012 (4 ng/kg): Kyn/Trp peaks at 8 h, +50 % (44.0 vs 29.4 umol/mmol);
    Kruse et al. 2019: Trp falls and Kyn rises by 6 h. Compared with the unchallenged day at the
    same clock time."""
    lps, rest = runs["lps"], runs["rest"]
    rel = _v(lps, "Kyn_Trp_ratio") / _v(rest, "Kyn_Trp_ratio")
    t = lps["time"].values
    t_peak = t[np.argmax(rel)]
    assert 5.0 <= t_peak <= 10.0
    assert t_peak > _tpeak(lps, "TNF") + 3.0 and t_peak > _tpeak(lps, "PGE2_brain")
    assert 1.2 <= rel.max() <= 1.7
    assert _at(lps, "Kyn", 6.0) > _at(rest, "Kyn", 6.0)
    assert _at(lps, "Trp", 6.0) < _at(rest, "Trp", 6.0)
    sero = _v(lps, "serotonin_synthesis_index") / _v(rest, "serotonin_synthesis_index")
    assert sero.min() < 0.95 and t[np.argmin(sero)] > 4.0
    assert abs(rel[t.searchsorted(36.0)] - 1.0) < 0.05    # resolves within a day and a half


# --- single inputs (module alone) ---------------------------------------------------------------
def _alone_run(alone, signal, intensity, t_end=24.0):
    t = np.arange(0.0, t_end + 1e-9, DT)
    params = {"GC_base_bs": GC_REST}
    on = simulate(alone, Protocol([SignalStep(signal, 0.0, t_end, intensity)]), t,
                  params=params)
    return on


def test_glucocorticoid_induces_tdo_lowers_tryptophan_and_raises_kyn_trp(alone):
    """Glucocorticoids induce hepatic TDO (Knox 1951; Badawy 1977)."""
    ds = _alone_run(alone, "glucocorticoid", 20.0)
    assert _at(ds, "TDO", 12.0) > 1.5
    assert _at(ds, "Trp", 24.0) < TRP_REST
    assert _at(ds, "Kyn_Trp_ratio", 24.0) > 0.030
    np.testing.assert_allclose(_v(ds, "IDO"), 1.0, rtol=1e-9)   # IDO is cytokine-driven only


def test_tnf_induces_ido(alone):
    ds = _alone_run(alone, "TNF", 200.0)
    assert _at(ds, "IDO", 24.0) > 1.5
    assert _at(ds, "Kyn", 24.0) > KYN_REST and _at(ds, "Trp", 24.0) < TRP_REST
    np.testing.assert_allclose(_v(ds, "TDO"), 1.0, rtol=1e-9)


def test_il1b_drives_vagal_afferents_and_endothelial_cox2(alone):
    """IL-1beta (input of the innate_extra module; external here): Niijima 1996, Cao 1996."""
    ds = _alone_run(alone, "IL1b", 17.0, t_end=6.0)          # 8.6 -> 25.6 pg/mL (LPS peak)
    assert _at(ds, "vagal_afferent", 0.25) > 1.5
    assert _at(ds, "COX2", 6.0) > 5.0 and _at(ds, "PGE2_brain", 6.0) > 1.5
    np.testing.assert_allclose(_v(ds, "IDO"), 1.0, rtol=1e-9)


def test_exogenous_glucocorticoid_reaches_tdo_through_the_hpa_hook(full):
    """GC_exo (docs/design/0003) enters the hpa observable `glucocorticoid`, which induces TDO."""
    t = np.arange(0.0, 24.0 + 1e-9, DT)
    proto = dict(clock_start=8, preequilibrate_days=PREEQ_DAYS)
    rest = simulate(full, Protocol([], **proto), t)
    gc = simulate(full, Protocol([SignalStep("GC_exo", 0.0, 24.0, 20.0)], **proto), t)
    assert _at(gc, "TDO", 12.0) > _at(rest, "TDO", 12.0)   # direction only
    assert _at(gc, "serotonin_synthesis_index", 24.0) < _at(rest, "serotonin_synthesis_index",
                                                               24.0)


def test_il1b_from_innate_extra_adds_to_vagal_afferents_and_pge2(runs):
    """With innate_extra providing IL1b (rest 8.6, LPS peak about 25 pg/mL, Dorresteijn 2005), the
    multipliers are still 1 at rest (IL1b_base_bs = w_IL1b) and LPS drives the vagal afferents
    and brain PGE2 harder than with IL1b held at rest."""
    from neuroimmune.model.library.innate_extra import innate_extra

    extra = innate_extra()
    assert extra.parameter("w_IL1b").value == brain_signalling().parameter("IL1b_base_bs").value
    system = compile_model(compose(*_standard(), extra, brain_signalling(),
                                   name="standard_extra_brain"))
    t = runs["lps"]["time"].values
    proto = dict(clock_start=8, preequilibrate_days=PREEQ_DAYS)
    rest = simulate(system, Protocol([], **proto), t[t <= 24.0], params=NO_RHYTHM)
    for name in MULTIPLIERS:
        np.testing.assert_allclose(_v(rest, name), 1.0, rtol=1e-6, err_msg=name)
    lps = simulate(system, Protocol([lps_bolus(2.0, 0.0)], **proto), t)
    assert _v(lps, "IL1b").max() > 2 * _at(lps, "IL1b", 0.0)
    # directions only: the IL-1beta share of these routes has no human size
    assert _v(lps, "vagal_afferent").max() > _v(runs["lps"], "vagal_afferent").max()
    assert _v(lps, "PGE2_brain").max() > _v(runs["lps"], "PGE2_brain").max()


# --- proposed built-in scenarios (for scenarios.py) ---------------------------------------------
PROPOSED = {n: scenarios.BUILTIN[n] for n in ("lps-brain", "lps-infusion-kynurenine")}


@pytest.fixture(scope="module")
def proposed():
    return {name: scenarios.simulate(sc) for name, sc in PROPOSED.items()}


def test_proposed_scenarios_run_and_sustained_inflammation_depletes_tryptophan_longer(proposed):
    """Direction: a 24-h infusion keeps Kyn/Trp raised at 24 h (the bolus has resolved) and lowers
    the serotonin synthesis index for longer: a larger 48-h area of its fall (the bolus, with its
    larger cortisol peak, may reach a lower minimum)."""
    bolus, infusion = proposed["lps-brain"], proposed["lps-infusion-kynurenine"]
    for ds in (bolus, infusion):
        assert (ds["status"] == 0).all()
    base = _at(bolus, "Kyn_Trp_ratio", 0.0)
    # directions only (no human Kyn/Trp data for the infusion protocol)
    assert _at(infusion, "Kyn_Trp_ratio", 24.0) > base
    assert _at(infusion, "Kyn_Trp_ratio", 24.0) > _at(bolus, "Kyn_Trp_ratio", 24.0)
    def fall(ds):
        v = _v(ds, "serotonin_synthesis_index")
        return float(np.trapezoid(1 - v / v[0], ds["time"].values))

    assert fall(infusion) > fall(bolus) > 0
    assert _v(bolus, "PGE2_brain").max() > 2.0


# --- sickness output (docs/design/0038) ---------------------------------------------------------
#: Lasselin et al. 2017 Brain Behav Immun 66:e33 (2 ng/kg, n = 22): Sickness Questionnaire (0-30)
#: 5.8 at baseline, then at 1.5, 3, 5 and 7 h; the output is (score - 5.8) / 30.
LASSELIN_H = (1.5, 3.0, 5.0, 7.0)
LASSELIN_SCORE = (18.9, 19.8, 11.8, 10.4)


@pytest.fixture(scope="module")
def low_doses(full):
    """LPS 0.4 and 0.8 ng/kg at 08:00, 30 h (the doses of Grigoleit et al. 2011)."""
    t = np.arange(0.0, 30.0 + 1e-9, 0.05)
    proto = dict(clock_start=8, preequilibrate_days=PREEQ_DAYS)
    return {d: simulate(full, Protocol([lps_bolus(d, 0.0)], **proto), t) for d in (0.4, 0.8)}


def test_sickness_is_zero_at_rest(alone, runs):
    """0 at rest: exactly in the module alone (every drive at its normalisation point), within
    the solver tolerance on the composed model's circadian limit cycle without the catecholamine
    rhythm; with it resting IL-6 follows the adrenergic day-night rhythm (0042), which moves the
    score by 4.3e-5 of the scale (measured; 0.001 of its 1-point steps)."""
    t = np.linspace(0.0, 24.0, 25)
    ds = simulate(alone, Protocol(), t, params={"GC_base_bs": GC_REST})
    np.testing.assert_allclose(_v(ds, "sickness"), 0.0, atol=1e-12)
    assert np.abs(_v(runs["rest_flat"], "sickness")).max() < 1e-6
    assert np.abs(_v(runs["rest"], "sickness")).max() < 1e-4


def test_sickness_weights_reproduce_the_documented_fit(runs):
    """a_vaff_sick and a_CSF_sick are the non-negative least-squares fit of (score - 5.8)/30 of
    Lasselin 2017 on (vagal_afferent - 1) and (IL6_CSF/IL6_CSF0 - 1) of this composed model
    (docs/design/0038): refitting gives the shipped values to their rounding."""
    from scipy.optimize import nnls

    lps, m = runs["lps"], brain_signalling()
    a = np.column_stack([[_at(lps, "vagal_afferent", h) - 1 for h in LASSELIN_H],
                         [_at(lps, "IL6_CSF", h) / IL6_CSF_REST - 1 for h in LASSELIN_H]])
    y = (np.array(LASSELIN_SCORE) - 5.8) / 30.0
    w, _ = nnls(a, y)
    assert w[0] == pytest.approx(m.parameter("a_vaff_sick").value, rel=0.01)
    assert w[1] == pytest.approx(m.parameter("a_CSF_sick").value, rel=0.01)
    for name in ("a_vaff_sick", "a_CSF_sick"):
        assert "calibrated to dataset Lasselin et al. 2017" in m.parameter(name).source


def test_sickness_follows_the_lasselin_time_course_at_2ngkg(runs):
    """In-sample (the fitted data): rise at 1.5 and 3 h near the measured 13.1 and 14.0 points
    (of 30), peak between the 1.5-h and 3-h samples, lower at 5 and 7 h, gone the next day."""
    lps = runs["lps"]
    for h, score in zip(LASSELIN_H[:2], LASSELIN_SCORE[:2]):
        assert _at(lps, "sickness", h) == pytest.approx((score - 5.8) / 30, rel=0.25), h
    assert 1.5 <= _tpeak(lps, "sickness") <= 3.0
    assert _at(lps, "sickness", 7.0) < _at(lps, "sickness", 5.0) < _at(lps, "sickness", 3.0)
    # the 7-h tail is the worst point of the fit (0.10 vs 0.15): the model resolves faster
    assert 0.05 < _at(lps, "sickness", 7.0) < (10.4 - 5.8) / 30
    assert abs(_at(lps, "sickness", 24.0)) < 0.01


def test_sickness_rises_with_the_dose_and_is_gone_by_24h(runs, low_doses):
    """Out-of-sample directions: dose-related mood and anxiety changes at 0.4 vs 0.8 ng/kg
    (Grigoleit et al. 2011 PLoS One 6:e28330); 'no effects on physical sickness symptoms' at
    0.8 ng/kg (Reichenberg et al. 2001 Arch Gen Psychiatry 58:445: a small output there);
    state anxiety peaks at 2 h and is back at 6 h after 0.4-0.8 ng/kg (Lasselin et al. 2016,
    n = 186); symptoms only in the acute phase after 0.8 ng/kg (Neuroimmunomodulation 2023)."""
    peaks = [_v(low_doses[d], "sickness").max() for d in (0.4, 0.8)]
    peaks.append(_v(runs["lps"], "sickness").max())
    assert 0 < peaks[0] < peaks[1] < peaks[2]
    assert peaks[1] < 0.1          # under 3 of 30 points at 0.8 ng/kg
    low = low_doses[0.8]
    assert 1.0 <= _tpeak(low, "sickness") <= 3.0
    assert _at(low, "sickness", 6.0) < 0.25 * peaks[1]
    assert abs(_at(low, "sickness", 24.0)) < 0.01 * peaks[2]


def test_sickness_is_an_output_only(full, runs):
    """Setting the sickness weights to 0 leaves every other variable bitwise unchanged."""
    t = runs["lps"]["time"].values
    lps = Protocol([lps_bolus(2.0, 0.0)], clock_start=8, preequilibrate_days=PREEQ_DAYS)
    off = simulate(full, lps, t, params={"a_vaff_sick": 0.0, "a_CSF_sick": 0.0})
    on = runs["lps"]
    np.testing.assert_array_equal(_v(off, "sickness"), 0.0)
    names = [n for n in on.data_vars if "time" in on[n].dims and n != "sickness"]
    assert {"TNF", "IL6", "cortisol", "IL6_CSF", "Kyn"} <= set(names)
    for name in names:
        np.testing.assert_array_equal(_v(off, name), _v(on, name), err_msg=name)
