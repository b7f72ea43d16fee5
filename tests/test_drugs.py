"""Glucocorticoid and biologic drugs: pharmacokinetics, plasma binding of cortisol, and the
physiological direction of each drug's main effect in the standard model (docs/design/0003)."""


import numpy as np
import pytest

from neuroimmune import DrugDose, Protocol, compile_model, compose, lps_bolus, simulate
from neuroimmune.conformance import check_module
from neuroimmune.model.library import STANDARD, biologics, glucocorticoids
from neuroimmune.model.library.glucocorticoids import dose_per_kg

DAYS = 120


@pytest.fixture(scope="module")
def system():
    return compile_model(compose(*(f() for f in STANDARD), glucocorticoids(), biologics(),
                                 name="standard+drugs"))


def _run(system, events, clock="08:00", t_end=24.0, dt=0.05, params=None):
    t = np.arange(0.0, t_end + 1e-9, dt)
    ds = simulate(system, Protocol(events, clock_start=clock, preequilibrate_days=DAYS), t,
                  params=params)
    assert (ds["status"] == 0).all(), ds["status_message"].values
    return ds


def _peak(ds, name):
    return float(ds.ni.peak(name)[0])


@pytest.fixture(scope="module")
def lps_alone(system):
    return _run(system, [lps_bolus("2 ng/kg", 2.0)], clock="06:00", t_end=26.0)


@pytest.mark.parametrize("factory", [glucocorticoids, biologics])
def test_drug_modules_conform(factory):
    check_module(factory(), others=tuple(f() for f in STANDARD))


def test_hydrocortisone_bolus_half_life_and_mass_balance(system):
    """An i.v. bolus decays with the sourced 1.5-h half-life from dose / V."""
    ds = _run(system, [DrugDose("hydrocortisone", "100 mg", 0.0)], t_end=6.0, dt=0.01)
    c = ds["hydrocortisone"].values[0]  # mg/L
    assert c[0] == pytest.approx(100.0 / 40.0, rel=1e-6)
    t_half = float(np.interp(0.5 * c[0], c[::-1], ds["time"].values[::-1]))
    assert t_half == pytest.approx(1.5, abs=0.01)
    # the infused cortisol is seen by monocytes on top of the endogenous cortisol, and an assay
    # measures both (design 0018)
    gc = ds["glucocorticoid"].values[0]
    own = ds["endogenous_cortisol"].values[0, 0]
    assert gc[0] == pytest.approx(own + 100.0 * c[0], rel=1e-9)
    assert ds["cortisol"].values[0, 0] == pytest.approx(own + 100.0 * c[0], rel=1e-9)


def test_oral_dexamethasone_bioavailability_and_peak(system):
    """AUC x CL = F x dose; 1 mg gives a peak of about 10 ng/mL at 1-3 h."""
    ds = _run(system, [DrugDose("dexamethasone", "1 mg", 0.0, route="oral")], t_end=72.0,
              dt=0.02)
    c = ds["dexamethasone"].values[0]
    cl = 247.5 * 60.0 / 1000.0  # L/h, Tsuei et al. 1979
    auc = np.trapezoid(c, ds["time"].values)
    assert auc * cl == pytest.approx(0.8 * 1.0, rel=2e-3)
    assert 5e-3 <= c.max() <= 15e-3  # mg/L
    assert 1.0 <= float(ds["time"][int(np.argmax(c))]) <= 3.0


def test_free_cortisol_binding(system):
    """About 4-8 % of cortisol is free at normal levels and the free fraction rises when CBG
    saturates (total > about 20 ug/dL); MR is mostly occupied at rest, GR much less."""
    day = _run(system, [], clock="00:00", t_end=24.0, dt=0.25)
    total = day["cortisol"].values[0] * 27.59  # nmol/L
    frac = day["free_cortisol"].values[0] / total
    assert 0.03 <= frac.min() and frac.max() <= 0.08
    assert np.all(np.diff(frac[np.argsort(total)]) >= -1e-12)  # rises with total
    np.testing.assert_allclose(day["glucocorticoid"], day["cortisol"], rtol=1e-10)
    # mass balance: total = free + CBG-bound + albumin-bound (albumin_ratio x free)
    a = system.model.parameter("albumin_ratio").value
    bound = day["CBG_bound_cortisol"].values[0]
    np.testing.assert_allclose(day["free_cortisol"].values[0] * (1 + a) + bound, total,
                               rtol=1e-3)
    assert (bound / total).min() > 0.6  # most cortisol is on CBG
    assert float(day["MR_occupancy"].min()) > 0.5 > float(day["GR_occupancy"].mean())
    hc = _run(system, [DrugDose("hydrocortisone", "100 mg", 0.0)], t_end=1.0, dt=0.1)
    hc_frac = float(hc["free_cortisol"][0, 0]) / (float(hc["glucocorticoid"][0, 0]) * 27.59)
    assert hc_frac > 2 * frac.max()


def test_hydrocortisone_infusion_lowers_tnf_more_than_il10_and_suppresses_acth(system):
    """Barber 1993 / van der Poll 1996: hydrocortisone 3 ug/kg/min from just before LPS
    abolishes TNF and raises IL-10; the model lowers TNF, IL-6 and IL-8 (the IL-10 rise is
    not reproduced, docs/design/0016-glucocorticoid-immune-arm.md)."""
    lps = lps_bolus("2 ng/kg", 0.0)
    ctrl = _run(system, [lps])
    hc = _run(system, [lps, DrugDose("hydrocortisone", dose_per_kg(3.0 * 360.0), 0.0,
                                     route="infusion", duration=6.0)])
    ratio = {n: _peak(hc, n) / _peak(ctrl, n) for n in ("TNF", "IL6", "IL8", "IL10")}
    # directions only: the measured sizes (TNF <= 0.2 of LPS alone, IL-10 x11: validation
    # targets T28-T29) are not met with the in-vitro potencies of issue #17
    # (docs/design/0016-glucocorticoid-immune-arm.md)
    for name in ("TNF", "IL6", "IL8"):
        assert ratio[name] < 1.0, (name, ratio)
    assert 0.5 <= ratio["IL6"] <= 1.5   # Barber 1993: IL-6 unchanged
    # exogenous cortisol feeds back on the axis (during the infusion; ACTH rebounds the next
    # morning)
    acth = [float(ds["ACTH"].where(ds["time"] <= 8.0).max()) for ds in (hc, ctrl)]
    assert acth[0] < acth[1]
    assert 50.0 <= float(hc["glucocorticoid"].max()) <= 90.0  # ug/dL during the infusion


def test_overnight_dexamethasone_suppresses_morning_cortisol(system):
    """1 mg at 23:00 suppresses the 08:00 cortisol below 1.8 ug/dL (Endocrine Society 2008) and
    ACTH with it. Lower doses are not tested: the model suppresses fully from 0.25 mg and
    rebounds after 0.1 mg (the Bangsgaard-Ottesen axis rings after a kick), a known tension
    recorded in issue #3/#4, not the partial suppression seen in people."""
    base = _run(system, [], clock="23:00", t_end=10.0, dt=0.25)
    dex = _run(system, [DrugDose("dexamethasone", "1 mg", 0.0, route="oral")],
               clock="23:00", t_end=10.0, dt=0.25)
    assert float(base.ni.value_at("cortisol", 9.0)[0]) > 5.0
    assert float(dex.ni.value_at("cortisol", 9.0)[0]) < 1.8
    assert float(dex.ni.value_at("ACTH", 9.0)[0]) < float(base.ni.value_at("ACTH", 9.0)[0])


def test_prednisolone_inhibits_tnf_dose_dependently(system, lps_alone):
    """de Kruif 2007 J Immunol 178:1845: prednisolone 3/10/30 mg 2 h before LPS inhibits TNF
    dose-dependently."""
    peaks = []
    for dose in ("3 mg", "10 mg", "30 mg"):
        ds = _run(system, [DrugDose("prednisolone", dose, 0.0, route="oral"),
                           lps_bolus("2 ng/kg", 2.0)], clock="06:00", t_end=26.0)
        peaks.append(_peak(ds, "TNF"))
    assert _peak(lps_alone, "TNF") > peaks[0] > peaks[1] > peaks[2]


def test_hydrocortisone_raises_plasma_il10_without_endotoxin(system):
    """Dandona et al. 1999 J Clin Endocrinol Metab 84:1141 (abstract): 100 mg hydrocortisone
    i.v. at 08-09 h in 7 healthy subjects raised plasma IL-10 to '436 % of the basal' at 4 h
    (9 +- 4.2 pg/mL), restored by 8 h. Band: 2.4 (the ratio of the group means, 9 / 3.7) to
    6; back within 20 % of basal the next morning. (The model's rise is earlier than measured:
    docs/design/0034-gc-il10.md.)"""
    ds = _run(system, [DrugDose("hydrocortisone", "100 mg", 0.0)], clock="08:30", t_end=24.0)
    il10 = ds["IL10"].values[0]
    basal = il10[0]
    assert 2.4 <= float(ds.ni.value_at("IL10", 4.0)[0]) / basal <= 6.0
    assert float(ds.ni.value_at("IL10", 24.0)[0]) / basal < 1.2


def test_anti_tnf_neutralises_tnf_and_lowers_its_downstream_effects(system, lps_alone):
    ds = _run(system, [DrugDose("anti_TNF", "350 mg", 0.0), lps_bolus("2 ng/kg", 2.0)],
              clock="06:00", t_end=26.0)
    assert float(ds["anti_TNF"].sel(time=2.0)[0]) == pytest.approx(350.0 / 3.0, rel=0.01)
    assert float(ds["TNF_bioactive_fraction"].sel(time=2.0)[0]) < 1e-3
    for name in ("TNF", "IL6", "IL8", "temperature", "ACTH"):
        assert _peak(ds, name) < _peak(lps_alone, name), name
    assert _peak(ds, "TNF") < 0.05 * _peak(lps_alone, "TNF")


def test_il6_receptor_blockade_lowers_fever_and_raises_plasma_il6(system, lps_alone):
    """IL-6 actions go (fever contribution, IL-6 inhibition of TNF); plasma IL-6 rises, as under
    tocilizumab (Nishimoto et al. 2008 Blood 112:3959 [R])."""
    ds = _run(system, [DrugDose("anti_IL6R", "560 mg", 0.0), lps_bolus("2 ng/kg", 2.0)],
              clock="06:00", t_end=26.0)
    assert float(ds["IL6_signalling_fraction"].sel(time=2.0)[0]) < 0.01
    base_t = float(lps_alone["temperature"][0, 0])
    rise = _peak(ds, "temperature") - base_t
    assert rise < _peak(lps_alone, "temperature") - base_t   # direction only
    assert _peak(ds, "IL6") > _peak(lps_alone, "IL6")
    assert _peak(ds, "TNF") > _peak(lps_alone, "TNF")
