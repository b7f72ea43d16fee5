"""CBG-saturable cortisol clearance of the hpa module (issue #17, docs/design/0032): only free
cortisol is cleared (Dorin et al. 2012), so the clearance of total cortisol rises as
corticosteroid-binding globulin (CBG) saturates."""

import functools
import math
from dataclasses import replace

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import brentq

from neuroimmune import ModelError, Protocol, scenarios, simulate
from neuroimmune._unitcheck import check_units
from neuroimmune.model.core import compose, sym
from neuroimmune.model.library import STANDARD, hpa
from neuroimmune.model.library.hpa import PUBLISHED_MEAN_CORTISOL, unbound_fraction
from neuroimmune.parameter_sets import FREE_CLEARANCE_PATH, calibrated_set, read_parameter_set
from neuroimmune.validation.harness import validation_scenario

#: nmol/L per ug/dL of cortisol (molar mass 362.46 g/mol, PubChem CID 5754), written out here.
NMOL_PER_UGDL = 10_000 / 362.46


@functools.lru_cache(maxsize=None)
def _defaults():
    return {p.name: p.value for p in hpa(clearance="free").parameters}


def _fraction(total_ugdl, **params):
    """Free / total cortisol at a total (ug/dL) from the module's binding law."""
    p = _defaults() | params
    expr = unbound_fraction(sp.Float(total_ugdl * NMOL_PER_UGDL))
    return float(expr.subs({sym(k): p[k] for k in ("CBG_capacity", "Kd_CBG", "albumin_ratio")}))


def _clearance(endogenous, hydrocortisone=0.0):
    """Clearance of endogenous cortisol (ug/dL/h) from the module's rate, without secretion."""
    m = hpa(clearance="free")
    p = _defaults()
    values = {**{i.name: i.default for i in m.inputs}, **p, "ACTH": 0.0,
              "endogenous_cortisol": endogenous, "cortisol_basal_secretion": 0.0,
              "cortisol_unbound_fraction": _fraction(endogenous + hydrocortisone)}
    return -float(m.rates["endogenous_cortisol"].subs({sym(k): v for k, v in values.items()}))


def test_free_cortisol_clearance_bounds_are_dorin_2012_and_default_keeps_the_published_w3():
    """Bounds: free cortisol half-life 2.2 +- 1.1 min (mean +- SD, 21 adults; Dorin 2012). The
    default carries Bangsgaard & Ottesen's w3 (0.0238 /min) over at their subject's mean
    cortisol, so the module at its defaults clears like the published one."""
    p = {x.name: x for x in hpa(clearance="free").parameters}
    k = p["k_free_cortisol"]
    assert k.unit == "1/h" and "22337905" in k.source
    lo, hi = k.bounds
    assert math.log(2) / hi * 60 == pytest.approx(1.1) and math.log(2) / lo * 60 == pytest.approx(
        3.3)
    published_w3 = 0.0238 * 60
    assert k.value * _fraction(PUBLISHED_MEAN_CORTISOL) == pytest.approx(published_w3, rel=1e-9)
    assert lo < k.value < hi
    assert "w3" not in p  # one clearance: the lumped rate is gone with clearance='free'


def test_published_mean_cortisol_is_the_published_modules(hpa_system):
    """PUBLISHED_MEAN_CORTISOL is the 24-h mean of the published module on its limit cycle."""
    t = np.linspace(0.0, 24.0, 24 * 60 + 1)
    ds = simulate(hpa_system, Protocol([], clock_start=0.0, preequilibrate_days=60), t)
    mean = np.trapezoid(ds["cortisol"].values[0], t) / 24.0
    assert mean == pytest.approx(PUBLISHED_MEAN_CORTISOL, rel=0.01)


def test_resting_total_cortisol_half_life_is_keenan_2004():
    """Dorin's measured free half-life (2.2 min) with the binding law gives the measured
    half-life of total cortisol at a daytime level (10 ug/dL): 49 +- 2.4 min (mean +- SE, 32
    adults; Keenan, Roelfsema & Veldhuis 2004), within 2 SE. Neither value entered the other."""
    k_total = math.log(2) / (2.2 / 60) * _fraction(10.0)
    assert 60 * math.log(2) / k_total == pytest.approx(49.0, abs=2 * 2.4)


def test_free_fraction_at_rest_and_as_cbg_saturates():
    """At rest free cortisol is under 6 % of the total (Lewis et al. 2005 Clin Chim Acta 359:189);
    the free fraction rises with total cortisol towards the albumin-only limit 1/(1 + NA) once
    CBG is saturated, and starts from 1/(1 + NA + B/Kd) at trace cortisol (mass action)."""
    p = _defaults()
    assert _fraction(10.0) < 0.06
    totals = [0.0, 1.0, 5.0, 10.0, 20.0, 30.0, 60.0, 1e4]
    f = np.array([_fraction(t) for t in totals])
    assert np.all(np.diff(f) > 0)
    assert f[0] == pytest.approx(1 / (1 + p["albumin_ratio"] + p["CBG_capacity"] / p["Kd_CBG"]),
                                 rel=1e-12)
    assert f[-1] == pytest.approx(1 / (1 + p["albumin_ratio"]), rel=0.01)
    # the two branches of the root meet where b = 0 (total = (1 + NA) Kd + B)
    edge = ((1 + p["albumin_ratio"]) * p["Kd_CBG"] + p["CBG_capacity"]) / NMOL_PER_UGDL
    assert _fraction(edge * (1 - 1e-9)) == pytest.approx(_fraction(edge * (1 + 1e-9)), rel=1e-6)


@pytest.mark.xfail(strict=True, reason="the albumin ratio 4.35 (Dorin 2009's optimised albumin "
                   "constant) gives 18.7 % free without CBG; Lewis 2005 measured 25 % with CBG "
                   "heat-inactivated and 32 % in congenital CBG deficiency (docs/design/0032)")
def test_free_fraction_without_cbg_is_lewis_2005():
    assert _fraction(10.0, CBG_capacity=0.0) >= 0.25


def test_only_free_cortisol_is_cleared_and_hydrocortisone_competes():
    """Dorin's steady state: secretion = k_free x free cortisol. Endogenous cortisol is cleared at
    its share of the free cortisol of the assay total, so hydrocortisone (the same molecule, on
    the same CBG) speeds the clearance of endogenous cortisol."""
    k = _defaults()["k_free_cortisol"]
    c = 12.0
    free_ugdl = _fraction(c) * c
    assert _clearance(c) == pytest.approx(k * free_ugdl, rel=1e-12)
    shared = _clearance(c, hydrocortisone=30.0)
    assert shared == pytest.approx(k * _fraction(c + 30.0) * c, rel=1e-12)
    assert shared > 1.5 * _clearance(c)


def test_unknown_or_unhooked_clearance_is_a_clear_error():
    with pytest.raises(ModelError, match=r"clearance.*'lumped'.*'free'.*got 'renal'"):
        hpa(clearance="renal")
    with pytest.raises(ModelError, match=r"clearance='free'.*hooks=True"):
        hpa(hooks=False, clearance="free")
    assert hpa(hooks=False).rates["cortisol"].has(sym("w3"))  # the published model
    assert hpa().rates["endogenous_cortisol"].has(sym("w3"))  # the default: an option
    assert not hpa(clearance="free").rates["endogenous_cortisol"].has(sym("w3"))


@functools.lru_cache(maxsize=None)
def _cosyntropin():
    """The 250-ug validation scenario on the standard model with hpa(clearance='free') and its
    calibrated set (the shipped set has w3 and does not fit this model)."""
    sc = validation_scenario("acth-test-250ug")
    modules = tuple(hpa(clearance="free") if m == "hpa" else m for m in sc.modules)
    sc = replace(sc, modules=modules, outputs=("cortisol", "free_cortisol"))
    ds = scenarios.simulate(sc, parameters=FREE_CLEARANCE_PATH)
    system = scenarios.system(sc, parameters=FREE_CLEARANCE_PATH)
    return ds, dict(zip(system.parameters, (float(x) for x in system.p0)))


def test_free_clearance_set_is_calibrated_within_dorins_range():
    """The calibrated set of the option (docs/design/0032) has k_free within the measured free
    half-lives (1.1-3.3 min) and fits the standard model with the option only."""
    cal = read_parameter_set(FREE_CLEARANCE_PATH)
    assert 1.1 <= 60 * math.log(2) / cal.values["k_free_cortisol"] <= 3.3
    option = compose(*(hpa(clearance="free") if f is hpa else f() for f in STANDARD))
    assert "w3" not in cal.values and cal.fits(option) and not calibrated_set().fits(option)


def test_cosyntropin_250ug_plateau_is_set_by_free_clearance():
    """Under maximal secretion the plateau is where k_free x free cortisol = basal + Vmax (Dorin
    2012's steady state); cortisol rises towards it, more slowly in the second half hour as CBG
    saturates and clearance grows."""
    ds, v = _cosyntropin()
    t, c = ds["time"].values, ds["cortisol"].values[0]
    p = _defaults() | {k: v[k] for k in v if k in _defaults()}
    cap = p["cortisol_secretion_max"] + p["cortisol_basal_secretion"]
    plateau = brentq(lambda x: p["k_free_cortisol"] * _fraction(x, **p) * x - cap, 1.0, 500.0)
    assert np.all(c <= plateau * (1 + 1e-6))
    c0, c30, c60 = (float(np.interp(x, t, c)) for x in (0.5, 1.0, 1.5))  # dose at 0.5 h
    assert c30 - c0 > 0 and 0 < c60 - c30 < 0.8 * (c30 - c0)


def test_cosyntropin_250ug_free_cortisol_is_in_the_measured_range():
    """Peak free cortisol after 250 ug: 2.0 ug/dL by equilibrium dialysis in 27 healthy volunteers
    (Rauschecker et al. 2016 J Clin Endocrinol Metab, PMC4803155) and 3.6 +- 0.7 ug/dL after i.v.
    ACTH in normal subjects (Clin Chim Acta 1980, doi:10.1016/0009-8981(80)90351-4): the model's
    peak lies between 1.5 and 4.3 ug/dL."""
    ds, _ = _cosyntropin()
    peak = float(ds["free_cortisol"].values[0].max()) / NMOL_PER_UGDL
    assert 1.5 < peak < 4.3


def test_free_clearance_rates_and_observables_are_dimensionally_consistent():
    """The unit checker accepts the option's rate (1/h x 1 x ug/dL = ug/dL/h) and the
    dimensionless fraction (both branches of the root)."""
    m = hpa(clearance="free")
    check_units(m)
    fraction = next(o for o in m.observables if o.name == "cortisol_unbound_fraction")
    assert fraction.unit == "1"
