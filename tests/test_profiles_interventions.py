"""Subject profiles and the intervention scenarios: every profile applies to the standard model
(plus the module it needs, PROFILE_MODULES), every built-in intervention scenario runs, and each
moves its main readout in the direction physiology predicts, compared with `lps-bolus` (LPS
2 ng/kg at 08:00 in a healthy man).

These scenarios use the standard model and profiles change only free parameters, so every run
shares one set of compiled kernels (asserted below)."""

from __future__ import annotations

import dataclasses
import textwrap

import pytest

from neuroimmune import ScenarioError, SignalStep, scenarios
from neuroimmune.model import compose
from neuroimmune.model.library import BY_NAME, REPLACES
from neuroimmune.profiles import PROFILE_MODULES, PROFILES, Profile, get

NEW = ("lps-vagotomy", "lps-vns", "lps-epinephrine", "lps-propranolol", "lps-gc-resistance",
       "lps-evening", "lps-repeated")
#: Hours after t = 0 at which each scenario gives LPS (08:00 except lps-evening).
LPS_AT = {"lps-bolus": 0.0, "lps-vagotomy": 0.0, "lps-vns": 3.0, "lps-epinephrine": 3.0,
          "lps-propranolol": 1.0, "lps-gc-resistance": 0.0, "lps-evening": 0.0,
          "lps-repeated": 0.0}


@pytest.fixture(scope="module")
def runs():
    return {name: scenarios.simulate(scenarios.BUILTIN[name]) for name in ("lps-bolus",) + NEW}


def _peak(ds, name, start=0.0, stop=None):
    return float(ds[name].sel(time=slice(start, stop)).values[0].max())


def _at(ds, name, t):
    return float(ds[name].sel(time=t, method="nearest").values[0])


def _ratio(runs, scenario, name):
    """Peak after LPS relative to lps-bolus."""
    return (_peak(runs[scenario], name, LPS_AT[scenario])
            / _peak(runs["lps-bolus"], name, LPS_AT["lps-bolus"]))


# --- profiles -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(PROFILES))
def test_profile_applies_to_the_standard_model_and_is_sourced(name):
    profile = get(name)
    assert profile.name == name and profile.description
    model = scenarios.model(scenarios.BUILTIN["lps-bolus"])
    if name in PROFILE_MODULES:
        with pytest.raises(ScenarioError, match="add the module that defines it"):
            profile.apply(model)
        extra = PROFILE_MODULES[name]
        model = compose(*(BY_NAME[p]() for p in model.parts if p != REPLACES.get(extra)),
                        BY_NAME[extra]())
    applied = profile.apply(model)
    for par, value in profile.parameters.items():
        assert not model.parameter(par).constant, par      # no recompilation
        assert applied.parameter(par).value == value, par
        assert profile.sources[par].strip(), par
    for par, factor in profile.factors.items():
        assert not model.parameter(par).constant, par
        assert applied.parameter(par).value == pytest.approx(factor * model.parameter(par).value)
        assert profile.sources[par].strip(), par
    assert set(profile.sources) == set(profile.parameters) | set(profile.factors)


def test_required_profiles_exist():
    assert {"healthy-man", "vagotomy", "adrenal-medulla-loss",
            "glucocorticoid-resistance"} <= set(PROFILES)
    assert PROFILES["healthy-man"].parameters == {}
    assert "provisional" in PROFILES["glucocorticoid-resistance"].sources["monocyte_GC_resistance"]


def test_unknown_profile_is_a_scenario_error():
    with pytest.raises(ScenarioError, match="expected .* got 'vagotmy'. Fix:"):
        get("vagotmy")
    sc = dataclasses.replace(scenarios.BUILTIN["lps-bolus"], profiles=("vagotmy",))
    with pytest.raises(ScenarioError, match="vagotmy"):
        scenarios.system(sc)


def test_profile_with_a_parameter_missing_from_the_model_is_a_scenario_error():
    odd = Profile("odd", "test", {"no_such_parameter": 1.0}, {"no_such_parameter": "test"})
    with pytest.raises(ScenarioError, match="no_such_parameter.*Fix:"):
        odd.apply(scenarios.model(scenarios.BUILTIN["lps-bolus"]))
    with pytest.raises(ScenarioError, match="source"):
        Profile("unsourced", "test", {"kTNF": 1.0})


def test_subject_values_override_the_profile():
    sc = dataclasses.replace(scenarios.BUILTIN["lps-bolus"], profiles=("vagotomy",),
                             subject={"vagal_integrity": 0.5})
    system = scenarios.system(sc)
    assert system.p0[system.parameters.index("vagal_integrity")] == 0.5
    plain = scenarios.system(dataclasses.replace(sc, subject={}))
    assert plain.p0[plain.parameters.index("vagal_integrity")] == 0.0


def test_profiles_share_the_compiled_kernels():
    keys = {scenarios.system(scenarios.BUILTIN[n]).key for n in ("lps-bolus",) + NEW}
    keys |= {scenarios.system(
                 dataclasses.replace(scenarios.BUILTIN["lps-bolus"], profiles=(p,))).key
             for p in PROFILES if p not in PROFILE_MODULES}
    assert len(keys) == 1
    sex = {scenarios.system(dataclasses.replace(scenarios.BUILTIN["lps-woman"], profiles=(p,))).key
           for p, module in PROFILE_MODULES.items() if module == "gonadal"}
    assert len(sex) == 1


def test_toml_profile_key(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(textwrap.dedent("""
        name = "lps-gc"
        profile = "glucocorticoid-resistance"
        [subject]
        IC_GC_act = 200
        monocyte_GC_resistance = 2
        [[events]]
        type = "lps_bolus"
        dose = "2 ng/kg"
    """))
    sc = scenarios.load(str(path))
    assert sc.profiles == ("glucocorticoid-resistance",)
    system = scenarios.system(sc)
    assert system.p0[system.parameters.index("IC_GC_act")] == 200.0    # subject
    assert system.p0[system.parameters.index("monocyte_GC_resistance")] == 2.0  # subject wins
    path.write_text(path.read_text().replace("monocyte_GC_resistance = 2\n", ""))
    system = scenarios.system(scenarios.load(str(path)))
    assert system.p0[system.parameters.index("monocyte_GC_resistance")] == 3.0  # profile
    path.write_text('profile = "no-such"\n')
    with pytest.raises(ScenarioError, match="no-such"):
        scenarios.load(str(path))
    path.write_text("profile = 3\n")
    with pytest.raises(ScenarioError, match="profile"):
        scenarios.load(str(path))


# --- the new built-in scenarios -----------------------------------------------------------------
@pytest.mark.parametrize("name", NEW)
def test_new_scenario_runs(runs, name):
    sc, ds = scenarios.BUILTIN[name], runs[name]
    assert sc.description and sc.protocol.preequilibrate_days == scenarios.PREEQ_DAYS
    assert (ds["status"].values == 0).all()
    assert ds["preequilibration_converged"].values.all()
    clock = (float(ds.attrs["clock_start_h"]) + LPS_AT[name]) % 24
    assert clock == (20.0 if name == "lps-evening" else 8.0)


# --- physiology directions ----------------------------------------------------------------------
# Effect sizes quoted in the docstrings are what the model gives today; the assertions check
# directions only (no human study in docs/sources gives these sizes for these protocols), so
# they do not depend on those numbers.
def test_vagotomy_raises_the_tnf_and_il6_peaks(runs):
    """No cholinergic reflex: TNF and IL-6 peaks higher (model today x1.13, x1.14; rat only:
    Borovikova 2000, no human size)."""
    assert _peak(runs["lps-vagotomy"], "a7_activation") < 1e-3
    assert _ratio(runs, "lps-vagotomy", "TNF") > 1.0
    assert _ratio(runs, "lps-vagotomy", "IL6") > 1.0


def test_vns_lowers_the_tnf_and_il6_peaks(runs):
    """1 h of VNS 3 h before LPS: TNF and IL-6 peaks lower (model today -11 %, -12 %).
    Direction only: the human data disagree on the size (Koopman 2016: -39 % ex vivo TNF;
    Kox 2015: no effect of 30 min transvenous VNS around LPS)."""
    assert (_at(runs["lps-vns"], "a7_activation", 3.0)
            > _at(runs["lps-bolus"], "a7_activation", 3.0))
    for name in ("TNF", "IL6"):
        assert _ratio(runs, "lps-vns", name) < 1.0, name


def test_epinephrine_lowers_the_tnf_peak(runs):
    """van der Poll 1996 EPI-3: TNF lower (model today -38 %; the study's percentage was not
    obtained, so the direction is asserted); plasma EPI 0.5-1 ng/mL at LPS (infusion rate /
    clearance, docs/sources/autonomic.md)."""
    assert 500.0 <= _at(runs["lps-epinephrine"], "EPI", 3.0) <= 1000.0
    assert _ratio(runs, "lps-epinephrine", "TNF") < 1.0


def test_propranolol_raises_the_tnf_peak_and_removes_most_of_the_epinephrine_effect(runs):
    """Blocking the endogenous epinephrine surge raises the TNF peak (model today x1.51; no
    human endotoxemia data, docs/sources/autonomic.md gap 9, so directions only). At 100 ng/mL
    the TNF effect of the epinephrine infusion is weaker;
    beta-blockade also lowers epinephrine clearance, so plasma EPI is higher (Best & Halter
    1982) and competes with the drug."""
    assert _at(runs["lps-propranolol"], "beta2_activation", 1.0) < 0.02
    assert _ratio(runs, "lps-propranolol", "TNF") > 1.0
    epi = scenarios.BUILTIN["lps-epinephrine"]
    level = next(e.change for e in scenarios.BUILTIN["lps-propranolol"].protocol.events
                 if isinstance(e, SignalStep))
    prop = SignalStep("propranolol", 0.0, epi.t_end, level)
    lps = epi.protocol.events[1]
    both = scenarios.simulate(dataclasses.replace(epi, protocol=dataclasses.replace(
        epi.protocol, events=epi.protocol.events + (prop,))))
    prop_only = scenarios.simulate(dataclasses.replace(epi, protocol=dataclasses.replace(
        epi.protocol, events=(lps, prop))))
    effect = 1 - _ratio(runs, "lps-epinephrine", "TNF")
    effect_blocked = 1 - _peak(both, "TNF", 3.0) / _peak(prop_only, "TNF", 3.0)
    assert effect > 0.0
    assert 0.0 <= effect_blocked < effect


def test_glucocorticoid_resistance_raises_tnf_and_il6(runs):
    """Weaker cortisol action: TNF and IL-6 peaks higher (resistant cells see a third of the free
    cortisol; cortisol inhibits both in LPS-stimulated human monocytes, Waage et al. 1988 and
    1990). Directions only."""
    assert _ratio(runs, "lps-gc-resistance", "TNF") > 1.0
    assert _ratio(runs, "lps-gc-resistance", "IL6") > 1.0


#: Why the IL-10 direction of glucocorticoid resistance is a known failure, not an assertion
#: dropped: GR *raises* monocyte IL-10 (GR antagonist RU486 lowered LPS-induced IL-10 in whole
#: blood, Visser et al. 1998 Blood 91:4255), so weaker GR action should lower IL-10. The GR rise
#: of constitutive IL-10 is on (docs/design/0034-gc-il10.md) and resistance does lower the
#: resting IL-10, but the lower IL-10 releases the IL-10 brakes on TNF and activation, and the
#: extra activated monocytes make more IL-10 than the floor loses (peak +5 %); the GR-raised
#: LPS route is off (k10_LPS = 0, no measured size).
_IL10_GR = ("resistance lowers the GR-raised constitutive IL-10, which releases the IL-10 brake "
            "on activation: more activated monocytes make more IL-10 (docs/design/0034-gc-il10.md)")


@pytest.mark.xfail(strict=True, reason=_IL10_GR)
def test_glucocorticoid_resistance_lowers_il10(runs):
    assert _ratio(runs, "lps-gc-resistance", "IL10") < 1.0


def test_evening_lps_gives_a_larger_acth_rise_from_its_pre_lps_value(runs):
    """At 20:00 cortisol is low (model today 2.9 vs 11.8 ug/dL at 08:00), so its feedback is
    weak: ACTH rises more from its pre-LPS value than in the morning (model today x5.0 vs x2.0),
    in line with the ITIS prediction of a larger HPA response away from the morning peak
    (Bangsgaard et al. 2017)."""
    ratios = {}
    for name in ("lps-bolus", "lps-evening"):
        ds = runs[name]
        ratios[name] = _peak(ds, "ACTH") / _at(ds, "ACTH", 0.0)
    # directions: evening cortisol below morning cortisol (the circadian nadir), and with it a
    # larger relative ACTH rise (the model's values today are in the docstring)
    assert ratios["lps-evening"] > ratios["lps-bolus"]
    assert _at(runs["lps-evening"], "cortisol", 0.0) < _at(runs["lps-bolus"], "cortisol", 0.0)


def test_repeated_lps_gives_a_weaker_second_response(runs):
    """Second 2 ng/kg dose 24 h after the first: the TNF, IL-6 and IL-10 peaks are lower
    (directions asserted, no size). In the model this comes from resting monocytes not yet
    regrown at the second dose, not from monocyte reprogramming, and fever is not attenuated.
    Human endotoxin tolerance is much stronger: 2 ng/kg on 5 consecutive days attenuated the
    day-5 TNF response by 97 %, IL-6 by 88 %, IL-10 by 87 %, and fever (Draisma et al. 2009
    Crit Care Med 37:1261, abstract; day-2 values not read); the innate_extra module models it
    (tests/test_innate_extra.py)."""
    ds = runs["lps-repeated"]
    for name in ("TNF", "IL6", "IL10"):
        assert _peak(ds, name, 24.0) < _peak(ds, name, 0.0, 24.0), name
    assert _at(ds, "monocytes_resting", 24.0) < _at(ds, "monocytes_resting", 0.0)


# --- further interventions and the profiles of the gonadal module -------------------------------
MORE = ("lps-epinephrine", "lps-epinephrine-y1-antagonist", "lps-adrenal-medulla-loss",
        "lps-woman", "lps-woman-luteal", "lps-ovariectomy", "lps-older-man",
        "lps-estradiol-therapy")


@pytest.fixture(scope="module")
def more_runs():
    return {name: scenarios.simulate(scenarios.BUILTIN[name]) for name in MORE}


def test_y1_antagonist_weakens_the_epinephrine_effect(runs, more_runs):
    """NPY acting on Y1 enhances the beta2 effect (autonomic module); blocking Y1 leaves a smaller
    fall of TNF under the epinephrine infusion."""
    epi, y1 = more_runs["lps-epinephrine"], more_runs["lps-epinephrine-y1-antagonist"]
    assert _peak(epi, "TNF", 3.0) < _peak(y1, "TNF", 3.0) < _peak(runs["lps-bolus"], "TNF")


def test_loss_of_adrenal_medulla_removes_the_epinephrine_brake_on_tnf(runs, more_runs):
    ds = more_runs["lps-adrenal-medulla-loss"]
    assert _peak(ds, "EPI") < 1.0
    assert _peak(ds, "TNF") > _peak(runs["lps-bolus"], "TNF")   # direction only


def test_luteal_phase_profile_raises_progesterone(more_runs):
    assert _at(more_runs["lps-woman-luteal"], "progesterone", 0.0) > 5.0
    assert _at(more_runs["lps-woman"], "progesterone", 0.0) < 1.0


def test_surgical_menopause_raises_the_cytokine_response(more_runs):
    """Loss of ovarian steroids raises pro-inflammatory cytokine activity (Pfeilschifter et al.
    2002 Endocr Rev 23:90 [R]); in the model through lower (ovarian) testosterone."""
    ovx, woman = more_runs["lps-ovariectomy"], more_runs["lps-woman"]
    assert _at(ovx, "testosterone", 0.0) < _at(woman, "testosterone", 0.0)
    assert _peak(ovx, "TNF") > _peak(woman, "TNF")


def test_estradiol_therapy_lowers_the_lps_response_after_menopause(more_runs):
    """Estradiol lowers monocyte TNF/IL-6/IL-8 production (24.3 % less CRP per 10-fold estradiol,
    Gaskins et al. 2012 Am J Epidemiol 175:423; in vitro 17beta-estradiol inhibits PBMC TNF
    release dose-dependently, J Bone Miner Res 1990;5:983): a 100 ug/day patch raises estradiol
    from about 6 to about 86 pg/mL (gonadal.md A4) and lowers the LPS peaks of the surgically
    menopausal woman. Direction only: the ex-vivo hormone-therapy data conflict
    (docs/design/0026)."""
    e2, ovx = more_runs["lps-estradiol-therapy"], more_runs["lps-ovariectomy"]
    assert _at(e2, "estradiol", 48.0) > 10 * _at(ovx, "estradiol", 0.0)
    for name in ("TNF", "IL6", "IL8"):
        assert _peak(e2, name, 48.0) < _peak(ovx, name), name


def test_older_man_has_a_larger_cytokine_response(runs, more_runs):
    """Lower testosterone with age (Harman et al. 2001 JCEM 86:724); elderly men show a larger and
    longer inflammatory response to endotoxin (Krabbe et al. 2001 Clin Exp Immunol 125:218 [R])."""
    old = more_runs["lps-older-man"]
    assert _at(old, "testosterone", 0.0) < 500.0
    assert _peak(old, "TNF") > _peak(runs["lps-bolus"], "TNF")


def test_adrenalectomy_on_hydrocortisone_raises_acth_and_removes_the_cortisol_response(runs):
    """Adrenal insufficiency on oral hydrocortisone: no endogenous cortisol or epinephrine, ACTH
    far above normal before the morning dose (primary adrenal insufficiency), and no adrenal
    cortisol response to LPS: the glucocorticoid level only follows the last dose (the assay
    cortisol is the hydrocortisone)."""
    sc = scenarios.BUILTIN["adrenalectomy-hydrocortisone"]
    ds = scenarios.simulate(dataclasses.replace(sc, outputs=(*sc.outputs, "endogenous_cortisol")))
    assert (ds["status"] == 0).all()
    normal = runs["lps-bolus"]
    assert _peak(ds, "endogenous_cortisol") < 1e-6 and _peak(ds, "EPI") < 1e-3
    assert _at(ds, "ACTH", 47.9) > 10 * _at(normal, "ACTH", 0.0)
    assert _at(ds, "ACTH", 53.0) < _at(ds, "ACTH", 47.9)  # suppressed by the doses
    lps_at = 49.0
    gc = ds["glucocorticoid"].sel(time=slice(lps_at, lps_at + 4.0)).values[0]
    assert gc.max() < 1.1 * gc[0]  # only the tail of the 07:00 dose's absorption
    cort = normal["cortisol"].sel(time=slice(0.0, 4.0)).values[0]
    assert cort.max() > 2 * cort[0]  # the intact adrenal does respond


def test_hpa_capacity_keeps_the_circadian_profile():
    """The secretory ceiling of hpa_capacity changes the control day of the hpa module (the
    same hooks and bounded adrenal, docs/design/0018) by under 5 %."""
    import numpy as np

    from neuroimmune import Protocol, compile_model, simulate
    from neuroimmune.model.library import hpa, hpa_capacity

    t = np.arange(0.0, 24.0 + 1e-9, 0.25)
    day = Protocol([], clock_start=0.0, preequilibrate_days=60)
    a = simulate(compile_model(hpa()), day, t)
    b = simulate(compile_model(hpa_capacity()), day, t)
    for name in ("ACTH", "cortisol"):
        assert float(b[name].max()) == pytest.approx(float(a[name].max()), rel=0.05), name


def test_chronic_stress_profile_raises_tnf_and_il6(runs):
    """Glucocorticoid-resistant monocytes after chronic stress (Cohen et al. 2012 PNAS
    109:5995: stress-associated GR resistance, cortisol less able to lower LPS-stimulated
    cytokine production): a larger pro-inflammatory response to LPS."""
    ds = scenarios.simulate(scenarios.BUILTIN["lps-chronic-stress"])
    base = runs["lps-bolus"]
    assert _peak(ds, "TNF") > _peak(base, "TNF")
    assert _peak(ds, "IL6") > _peak(base, "IL6")


@pytest.mark.xfail(strict=True, reason=_IL10_GR)
def test_chronic_stress_profile_lowers_il10(runs):
    ds = scenarios.simulate(scenarios.BUILTIN["lps-chronic-stress"])
    assert _peak(ds, "IL10") < _peak(runs["lps-bolus"], "IL10")
