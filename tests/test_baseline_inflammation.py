"""Constitutive TNF and IL-6 production (innate module, docs/design/0031-baseline-inflammation.md):
the nominal subject rests at the published floors; age, depression, glucocorticoids and
adrenaline move resting IL-6 and TNF in the direction and by the amounts of their sources."""

from __future__ import annotations

from dataclasses import replace

import pytest

from neuroimmune import scenarios
from neuroimmune._unitcheck import check_units
from neuroimmune.model.library._innate_baseline import JANUM_MEAN_AGE
from neuroimmune.model.library.autonomic import CL_E_ML_PER_KG_MIN, EPI_REST, NO_RHYTHM
from neuroimmune.model.library.innate import IL6_REST, TNF_REST, innate
from neuroimmune.scenarios import BUILTIN

OUT = ("TNF", "IL6", "cortisol")


def _day(name="circadian-day", **subject):
    sc = replace(BUILTIN[name], outputs=OUT, subject={**BUILTIN[name].subject, **subject})
    ds = scenarios.simulate(sc)
    return {v: float(ds[v].values[0].mean()) for v in ("TNF", "IL6")}


def _rest(name, **subject):
    """TNF and IL-6 at t = 0 (after the scenario's pre-equilibration)."""
    sc = replace(BUILTIN[name], outputs=OUT, subject={**BUILTIN[name].subject, **subject})
    ds = scenarios.simulate(sc)
    return {v: float(ds[v].values[0][0]) for v in ("TNF", "IL6")}


@pytest.fixture(scope="module")
def day():
    return _day()


def test_nominal_subject_rests_at_the_published_floors():
    # Windoloski 2024 optimised wTNF, w6: the 08:00 rest of the Janum subjects (cortisol_ref)
    # exactly without the catecholamine day-night rhythm (docs/design/0042); with it resting
    # IL-6 follows beta2 activation with a lag of hours: 3.8 % below w6 at 08:00 (measured)
    rest = _rest("lps-bolus", **NO_RHYTHM)
    assert rest["TNF"] == pytest.approx(TNF_REST, rel=2e-3)
    assert rest["IL6"] == pytest.approx(IL6_REST, rel=2e-3)
    rest = _rest("lps-bolus")
    assert rest["TNF"] == pytest.approx(TNF_REST, rel=2e-3)
    assert 0.95 * IL6_REST < rest["IL6"] < IL6_REST


def test_age_raises_resting_il6_by_the_cohort_fraction_per_decade(day):
    # InCHIANTI and similar cohorts: IL-6 2-4-fold over five decades of adult age
    older = _day(subject_age=JANUM_MEAN_AGE + 10)
    per_decade = older["IL6"] / day["IL6"]
    assert 2 ** 0.2 <= per_decade <= 4 ** 0.2
    # TNF rises too, less than IL-6 (Bruunsgaard 2000; Ferrucci 2005)
    assert 1.0 < older["TNF"] / day["TNF"] < per_decade


def test_older_man_profile_has_the_resting_il6_of_his_age():
    young, old = _rest("lps-bolus"), _rest("lps-older-man")
    fold = old["IL6"] / young["IL6"]
    decades = (70 - JANUM_MEAN_AGE) / 50  # in units of the cohorts' five decades
    assert 2 ** decades <= fold <= 4 ** decades
    assert old["TNF"] > young["TNF"]


def test_depression_raises_24h_mean_il6_as_measured(day):
    dep = _day("depression-day")
    # the profile takes its factor from this study: checks that the profile's other changes
    # (Sriram HPA drive, higher cortisol) leave the 24-h mean within the study's SEM band.
    # Alesci 2005: 24-h mean 4.7 +- 0.3 (depressed) vs 3.4 +- 0.09 pg/mL (controls), mean +- SEM
    assert (4.7 - 0.3) / (3.4 + 0.09) <= dep["IL6"] / day["IL6"] <= (4.7 + 0.3) / (3.4 - 0.09)
    # TNF higher in depression (Dowlati 2010; Osimo 2020 g = 0.54)
    assert dep["TNF"] > day["TNF"]


GC_ON = {"e_GC_basal": 1.0}  # the opt-in glucocorticoid action on constitutive production


def test_glucocorticoid_resistance_raises_resting_il6_when_gc_acts():
    healthy = _day(**GC_ON)
    resistant = _day(monocyte_GC_resistance=3.0, **GC_ON)
    assert resistant["IL6"] > healthy["IL6"] and resistant["TNF"] > healthy["TNF"]
    # off (the default): GR resistance leaves the resting cytokines alone
    assert _day(monocyte_GC_resistance=3.0)["IL6"] == pytest.approx(_day()["IL6"], rel=1e-9)


def _dex(mg):
    sc = BUILTIN["dexamethasone-suppression"]
    events = tuple(replace(e, amount=f"{mg} mg") for e in sc.protocol.events)
    sc = replace(sc, outputs=("IL6", "TNF"), protocol=replace(sc.protocol, events=events),
                 subject=GC_ON)
    ds = scenarios.simulate(sc)
    at8 = ds.sel(time=9.0)  # 08:00 next morning
    return {v: float(at8[v].values[0]) / float(ds[v].values[0][0]) for v in ("IL6", "TNF")}


def test_dexamethasone_lowers_resting_il6_and_tnf_dose_dependently():
    # direction: glucocorticoids suppress constitutive IL-6 (Fried 1998; Papanicolaou 1996)
    low, high = _dex(1), _dex(8)
    for v in ("IL6", "TNF"):
        assert high[v] < low[v] < 1.0


EPI_FOLD = 24.0  # Sondergaard 2000: plasma adrenaline x24 after 15 min of the infusion


@pytest.fixture(scope="module")
def adrenaline(tmp_path_factory):
    # the rate that holds plasma epinephrine at 24 x rest (clearance of the autonomic module)
    rate = (EPI_FOLD - 1) * EPI_REST / 1000.0 * CL_E_ML_PER_KG_MIN
    path = tmp_path_factory.mktemp("epi") / "adrenaline.toml"
    path.write_text(f"""name = "adrenaline-infusion"
description = "1-h adrenaline infusion from 09:00 (Sondergaard et al. 2000)"
modules = ["innate", "hpa", "fever", "autonomic"]
[time]
end = 4
step = 0.05
clock_start = "08:00"
preequilibrate_days = 120
[[events]]
type = "infusion"
species = "EPI"
rate = "{rate:.3f} ng/kg/min"
start = 1
duration = 1
[output]
variables = ["IL6", "EPI"]
""")
    ds = scenarios.simulate(scenarios.load(path))
    at = {t: float(ds.sel(time=t, method="nearest")[v].values[0]) for t in (1.0, 1.75, 3.0)
          for v in ("IL6",)}
    epi = float(ds.sel(time=1.25)["EPI"].values[0]) / EPI_REST
    return at, epi


def test_adrenaline_infusion_raises_il6_and_it_stays_raised(adrenaline):
    at, epi = adrenaline
    assert 0.8 * EPI_FOLD < epi < 1.2 * EPI_FOLD
    # raised after 45 min and still raised 1 h after the infusion (Sondergaard 2000, P < 0.01)
    assert at[1.75] > 1.1 * at[1.0]
    assert at[3.0] > 1.1 * at[1.0]


@pytest.mark.xfail(strict=True, reason="model rise 1.3-fold at 45 min against the measured 2-3-"
                   "fold: the IL-6 clearance (k6) and the 1-h induction lag delay the rise "
                   "(docs/design/0031-baseline-inflammation.md)")
def test_adrenaline_infusion_doubles_il6_within_45_min(adrenaline):
    at, _ = adrenaline
    assert at[1.75] / at[1.0] >= 2.0


def test_innate_module_units_hold_with_the_constitutive_terms():
    check_units(innate())  # age (year) x rate (1/year) is dimensionless, floors in pg/mL


def test_transdermal_estradiol_leaves_resting_il6_unchanged():
    # transdermal estradiol raised neither IL-6 nor CRP (Lakoski et al. 2005 Climacteric 8:317,
    # review): no sex-steroid factor on constitutive production (design note 0031)
    sc = replace(BUILTIN["estradiol-therapy"], outputs=("IL6", "estradiol"))
    ds = scenarios.simulate(sc)
    il6, e2 = ds["IL6"].values[0], ds["estradiol"].values[0]
    assert e2[-1] > 2 * e2[0]  # the patch works
    assert il6[-1] == pytest.approx(il6[0], rel=0.05)
