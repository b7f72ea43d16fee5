"""Dexamethasone at the blood-brain barrier (issue #17, docs/design/0027): the option
``hpa(brain_barrier=True)`` lets the hypothalamic CRH feedback see dexamethasone only at its brain
share (P-glycoprotein efflux) while the pituitary, outside the barrier, sees it fully. Not the
default: with the sourced share the overnight test escapes (docs/design/0027)."""

from dataclasses import replace

import numpy as np
import pytest

from neuroimmune import DrugDose, ModelError, Protocol, compile_model, compose, scenarios, simulate
from neuroimmune.conformance import check_module
from neuroimmune.model.core import CLOCK, sym
from neuroimmune.model.library import STANDARD, glucocorticoids, hpa

BRAIN_NAMES = {"glucocorticoid_brain", "glucocorticoid_feedback_brain", "GC_exo_free_brain"}


def _names(module):
    return ({s.name for s in module.species} | {i.name for i in module.inputs}
            | {o.name for o in module.observables})


def test_brain_share_is_the_ratio_of_the_knockout_rises():
    """Meijer et al. 1998: cell nuclear [3H]-dexamethasone in the PVN and hippocampus 10-fold in
    mdr1a (-/-) mice (pituitary unchanged); Karssen et al. 2001: [3H]-cortisol brain uptake
    3.5-fold. The feedback a2 is fitted to cortisol, so dexamethasone's share is 3.5/10."""
    p = {x.name: x for x in glucocorticoids().parameters}
    assert p["dex_brain_access"].value == pytest.approx(3.5 / 10.0, rel=1e-12)
    assert "Meijer" in p["dex_brain_access"].source and "Karssen" in p["dex_brain_access"].source


def test_default_hpa_has_no_brain_signal():
    """The standard model is unchanged: no brain input, observable or lagged state."""
    assert not _names(hpa()) & BRAIN_NAMES
    assert BRAIN_NAMES <= _names(hpa(brain_barrier=True))
    with pytest.raises(ModelError, match="brain_barrier"):
        hpa(hooks=False, brain_barrier=True)


def test_brain_barrier_module_conforms():
    others = tuple(f() for f in STANDARD if f is not hpa) + (glucocorticoids(),)
    check_module(hpa(brain_barrier=True), others=others)


def test_crh_feedback_reads_the_brain_signal_and_acth_release_the_plasma_one():
    """CRH release falls with glucocorticoid_brain and not with glucocorticoid; ACTH release the
    other way round; both through (1 - f) G + f G_lag with their own lagged states."""
    m = hpa(brain_barrier=True, tnf_coupling=False, stress_input=False)
    values = {p.symbol: p.value for p in m.parameters}
    values[sym("f_GC_delayed")] = 0.0
    state = {sym("CRH"): 3.0, sym("ACTH"): 20.0, sym("endogenous_cortisol"): 8.0,
             sym("glucocorticoid_feedback"): 8.0, sym("glucocorticoid_feedback_brain"): 8.0,
             sym("pituitary_mass"): 1.0, sym("adrenal_mass"): 1.0, sym("GC_exo"): 0.0,
             CLOCK: 8.0}

    def rate(name, plasma, brain):
        subs = {**values, **state, sym("glucocorticoid"): plasma,
                sym("glucocorticoid_brain"): brain}
        return float(m.rates[name].subs(subs))

    assert rate("CRH", 8.0, 4.0) > rate("CRH", 8.0, 8.0)
    assert rate("CRH", 16.0, 8.0) == pytest.approx(rate("CRH", 8.0, 8.0), rel=1e-12)
    assert rate("ACTH", 16.0, 8.0) < rate("ACTH", 8.0, 8.0)
    assert rate("ACTH", 8.0, 4.0) == pytest.approx(rate("ACTH", 8.0, 8.0), rel=1e-12)
    lag = m.rates["glucocorticoid_feedback_brain"]
    assert lag.has(sym("glucocorticoid_brain")) and not lag.has(sym("glucocorticoid"))


@pytest.fixture(scope="module")
def overnight():
    """1 mg dexamethasone orally at 23:00 in hpa(brain_barrier=True) + glucocorticoids
    (published hpa values), with the brain share 1 (= the default hpa) and the sourced 0.35."""
    system = compile_model(compose(hpa(brain_barrier=True), glucocorticoids(),
                                   name="hpa-brain-barrier+glucocorticoids"))
    t = np.arange(0.0, 9.0 + 1e-9, 0.25)
    protocol = Protocol([DrugDose("dexamethasone", "1 mg", 0.0, route="oral")],
                        clock_start="23:00", preequilibrate_days=30)
    ds = simulate(system, protocol, t, params={"dex_brain_access": [1.0, 0.35]})
    assert (ds["status"] == 0).all(), ds["status_message"].values
    return ds


def test_dexamethasone_reaches_the_hypothalamus_at_its_brain_share(overnight):
    """While dexamethasone is in plasma the hypothalamus sees less glucocorticoid than the
    pituitary (share 0.35), and the same with share 1."""
    ds = overnight
    gc, brain = ds["glucocorticoid"].values, ds["glucocorticoid_brain"].values
    np.testing.assert_allclose(brain[0], gc[0], rtol=1e-9)
    after = ds["time"].values >= 1.0
    assert np.all(brain[1, after] < 0.6 * gc[1, after])


def test_dexamethasone_suppresses_acth_while_crh_is_less_suppressed(overnight):
    """de Kloet / Meijer 1998: dexamethasone acts at the pituitary; with its brain share CRH is
    suppressed less than with full brain access, while ACTH is suppressed in both (2-3 h after
    the dose, below a third of its level at the dose)."""
    ds = overnight
    t = ds["time"].values
    window = (t >= 2.0) & (t <= 3.0)
    crh, acth = ds["CRH"].values, ds["ACTH"].values
    assert np.all(crh[1, window] > crh[0, window])
    assert np.all(acth[:, window] < acth[:, :1] / 3.0)


@pytest.mark.xfail(strict=True, reason="issue #17, docs/design/0027: the shipped model drives "
                   "ACTH at 08:00 after 1 mg dexamethasone to 0.25 pg/mL (CRH collapses "
                   "overnight); measured morning ACTH after dexamethasone is not significantly "
                   "lowered (Jungmann 1982, 2 mg)")
def test_morning_acth_after_dexamethasone_is_not_driven_to_zero():
    """Jungmann et al. 1982 Med Klin 77:22 (normal subjects, 2 mg at 23:00, ACTH by RIA at 08:00,
    10:00 and 12:00): dexamethasone abolishes the morning rise of ACTH without lowering it
    significantly. So, after the smaller 1-mg dose, ACTH at 08:00 lies between 1 pg/mL (an order
    of magnitude below a normal morning level, far more than 'not significantly') and the same
    subject's 08:00 ACTH without dexamethasone (fu_dex = 0 removes the drug's action)."""
    sc = scenarios.BUILTIN["dexamethasone-suppression"]
    ds = scenarios.simulate(replace(sc, outputs=("ACTH", "cortisol")),
                            params={"fu_dex": [0.23, 0.0]})
    i = int(np.argmin(np.abs(ds["time"].values - 9.0)))
    acth_dex, acth_none = (float(x) for x in ds["ACTH"].values[:, i])
    assert acth_dex <= acth_none
    assert acth_dex >= 1.0


def test_basal_acth_option_is_keenans_rate_and_escapes_the_feedback():
    """hpa(basal_acth=True): basal ACTH secretion 0.27 ug/L/day (Keenan et al. 2004, 32 adults,
    deconvolution) = 11.25 pg/mL/h, added to the CRH-driven release and not divided by the
    glucocorticoid feedback (Jungmann 1982); scaled by the corticotroph mass. Not the default."""
    assert "ACTH_basal_secretion" not in {p.name for p in hpa().parameters}
    m = hpa(basal_acth=True, tnf_coupling=False, stress_input=False)
    values = {p.symbol: p.value for p in m.parameters}
    assert values[sym("ACTH_basal_secretion")] == pytest.approx(270.0 / 24.0, rel=1e-12)
    state = {sym("CRH"): 0.0, sym("ACTH"): 0.0, sym("glucocorticoid_feedback"): 0.0}

    def release(gc, mass=1.0):
        subs = {**values, **state, sym("glucocorticoid"): gc, sym("pituitary_mass"): mass}
        return float(m.rates["ACTH"].subs(subs))

    assert release(0.0) == pytest.approx(270.0 / 24.0, rel=1e-12)
    assert release(100.0) == pytest.approx(270.0 / 24.0, rel=1e-12)
    assert release(100.0, mass=2.0) == pytest.approx(2 * 270.0 / 24.0, rel=1e-12)
