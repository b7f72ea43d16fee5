"""The PGE2 route (docs/design/0030-prostaglandin-route.md): cytokine-induced COX-2/PGE2 as the
mediator of the fever set point, glucocorticoid restraint of COX-2 induction, the PGE2 brake on
monocyte TNF, and ibuprofen (pharmacokinetics and COX inhibition). Reference values come from the
sources in nsaids.py and _innate_glucocorticoid.py."""

import math

import numpy as np
import pytest
import sympy as sp

from neuroimmune import DrugDose, Protocol, compile_model, compose, lps_bolus, scenarios, simulate
from neuroimmune.conformance import check_module
from neuroimmune.errors import ScenarioError
from neuroimmune.io.scenario import parse_scenario
from neuroimmune.model.core import sym
from neuroimmune.model.library import STANDARD, innate, nsaids
from neuroimmune.model.library._innate_glucocorticoid import _free
from neuroimmune.protocol import SignalStep

DAYS = 120


@pytest.fixture(scope="module")
def standard():
    return compile_model(compose(*(f() for f in STANDARD), name="standard"))


@pytest.fixture(scope="module")
def with_ibuprofen():
    return compile_model(compose(*(f() for f in STANDARD), nsaids(), name="standard+nsaids"))


def _run(system, events, t_end=24.0, dt=0.05, clock="08:00"):
    t = np.arange(0.0, t_end + 1e-9, dt)
    ds = simulate(system, Protocol(events, clock_start=clock, preequilibrate_days=DAYS), t)
    assert (ds["status"] == 0).all(), ds["status_message"].values
    return ds


def _v(ds, name):
    return ds[name].values[0]


def test_nsaids_module_conforms():
    check_module(nsaids(), others=tuple(f() for f in STANDARD))


def test_ibuprofen_pk_reproduces_its_source(with_ibuprofen):
    """400 mg oral: mean Cmax 26.1 ug/mL at the mean tmax 1.98 h and half-life 2.29 h
    (Al-Tamimi et al. 2025, the values the PK was derived from); linear in dose."""
    doses = {}
    for mg in (400, 800):
        ds = _run(with_ibuprofen, [DrugDose("ibuprofen", f"{mg} mg", 0.0, route="oral")],
                  t_end=16.0, dt=0.01)
        doses[mg] = c = _v(ds, "ibuprofen")
        t = ds["time"].values
        assert ds["ibuprofen"].attrs["units"] == "mg/L"
    c, t_peak = doses[400], t[int(np.argmax(doses[400]))]
    assert c.max() == pytest.approx(26.1, rel=0.01) and t_peak == pytest.approx(1.98, abs=0.02)
    late = t >= 10.0  # absorption over: log-linear decay at ke
    slope = np.polyfit(t[late], np.log(c[late]), 1)[0]
    assert math.log(2) / -slope == pytest.approx(2.29, rel=0.01)
    assert doses[800].max() == pytest.approx(2 * c.max(), rel=1e-6)


def test_cox_activity_is_halved_at_the_whole_blood_ic50():
    """Ibuprofen whole-blood COX-2 IC50 7.2 uM (Warner et al. 1999) = 1.485 mg/L total."""
    m = nsaids()
    expr = next(o.expr for o in m.observables if o.name == "COX_activity_fraction")
    values = {sym(p.name): p.value for p in m.parameters}
    at = {**values, sym("ibuprofen"): 7.2e-6 * 206.28 * 1e3}
    assert float(expr.xreplace(at)) == pytest.approx(0.5, rel=1e-3)


def test_glucocorticoid_suppresses_cox2_induction_by_the_sourced_fraction():
    """Dexamethasone 2 uM (free cortisol equivalent 2000 x 0.23 x 10 = 4600 nM) left 4 +- 4 % of
    LPS-induced whole-blood PGE2 (Patrignani et al. 1994): the innate module's factor on induced
    COX-2 at that GR signal, relative to no glucocorticoid, is in 0-8 %."""
    m = innate()
    expr = next(o.expr for o in m.observables if o.name == "GC_COX2_factor")
    values = {sym(p.name): p.value for p in m.parameters}
    free_ref = float(_free(sym("cortisol_ref"), sym("CBG_capacity_mono"), sym("Kd_CBG_mono"),
                           sym("albumin_ratio_mono"), sym("cortisol_nmol_per_ugdl"))
                     .xreplace(values))
    g = sp.lambdify(sym("GR_genomic"), expr.xreplace(values))
    left = g(4600.0 / free_ref) / g(0.0)
    assert 0.0 < left <= 0.08
    assert g(1.0) == pytest.approx(1.0)  # 1 at the reference cortisol


def test_fever_is_abolished_without_cox_activity(standard):
    """Removing PGE2 synthesis (COX activity 0) removes the LPS fever: the temperature follows
    the no-LPS course within 0.1 degC (the IL-10 term alone may cool slightly)."""
    no_cox = SignalStep("COX_activity_fraction", 0.0, 24.0, change=-1.0)
    lps = _run(standard, [lps_bolus("2 ng/kg", 0.0)])
    blocked = _run(standard, [lps_bolus("2 ng/kg", 0.0), no_cox])
    rest = _run(standard, [])
    assert np.abs(_v(blocked, "PGE2_fever_drive")).max() == 0.0
    assert np.abs(_v(blocked, "temperature") - _v(rest, "temperature")).max() < 0.1
    assert (_v(lps, "temperature") - _v(rest, "temperature")).max() > 1.5


def test_hydrocortisone_restrains_the_pge2_route():
    """Hydrocortisone before LPS lowers the cytokine-induced PGE2 drive of the set point, more
    than it lowers the cytokine terms themselves (the COX-2 factor acts on top)."""
    alone = scenarios.simulate("lps-bolus")
    hc = scenarios.simulate("lps-hydrocortisone")
    assert _v(hc, "GC_COX2_factor").min() < 0.7 * _v(alone, "GC_COX2_factor").min()
    assert _v(hc, "PGE2_fever_drive").max() < 0.85 * _v(alone, "PGE2_fever_drive").max()


def test_lps_ibuprofen_scenario_runs_and_lifts_the_pge2_brake():
    """800 mg ibuprofen 1 h before LPS: COX activity falls below 10 % at the TNF peak, the PGE2
    drive of the set point nearly vanishes and TNF rises above LPS alone, by at most the in-vitro
    maximum r_COX_TNF (2-3-fold, Kunkel et al. 1986) plus the TNF-driven activation it feeds and
    the missing cortisol rise."""
    ibu = scenarios.simulate("lps-ibuprofen")
    alone = scenarios.simulate("lps-bolus")
    t = ibu["time"].values
    assert ibu["ibuprofen"].attrs["units"] == "mg/L"
    tnf_peak = t[int(np.argmax(_v(ibu, "TNF")))]
    assert float(np.interp(tnf_peak, t, _v(ibu, "COX_activity_fraction"))) < 0.1
    assert _v(ibu, "PGE2_fever_drive").max() < 0.1 * _v(alone, "PGE2_fever_drive").max()
    ratio = _v(ibu, "TNF").max() / _v(alone, "TNF").max()
    assert 1.2 < ratio < 3.0 * 1.5
    # the TNF -> CRH route is PGE2-mediated: the cortisol response falls (Revhaug 1988: stress
    # hormone release 'markedly attenuated')
    assert _v(ibu, "cortisol").max() < 0.5 * _v(alone, "cortisol").max()


def test_ibuprofen_dose_above_the_studied_range_is_refused():
    text = """
name = "t"
modules = ["innate", "hpa", "fever", "autonomic", "nsaids"]
[time]
end = 2
step = 0.5
[[events]]
type = "drug"
drug = "ibuprofen"
amount = "1600 mg"
route = "oral"
"""
    with pytest.raises(ScenarioError, match="ibuprofen"):
        parse_scenario(text, where="t.toml")
