"""Options of the HPA module: ultradian modulation, plasma binding and the neutral hooks."""

import functools

import numpy as np
import pytest
from scipy.signal import find_peaks

from neuroimmune import Protocol, compile_model, simulate
from neuroimmune.model.core import sym
from neuroimmune.model.library import hpa, hpa_ultradian
from neuroimmune.protocol import SignalStep, Stressor
from neuroimmune.validation.calibrate import load_calibrated


def _peaks(x):
    """Pulses with a prominence of at least 0.5 ug/dL."""
    return len(find_peaks(x, prominence=0.5)[0])


def test_ultradian_option_gives_hourly_cortisol_pulses_on_the_circadian_profile(hpa_system):
    t = np.arange(0.0, 24.0 + 1e-9, 1.0 / 12.0)
    protocol = Protocol([], clock_start=0.0, preequilibrate_days=60)
    plain = simulate(hpa_system, protocol, t)
    ultra = simulate(compile_model(hpa_ultradian()), protocol, t)
    assert (ultra["status"] == 0).all()
    c = ultra["cortisol"].values[0]
    assert _peaks(plain["cortisol"].values[0]) <= 2
    assert 6 <= _peaks(c) <= 24  # a pulse every 1-4 h
    # the circadian shape survives: morning cortisol above evening cortisol
    clock = ultra["clock"].values
    morning = c[(clock >= 6) & (clock <= 10)].mean()
    evening = c[(clock >= 20) & (clock <= 24)].mean()
    assert morning > 2 * evening


def test_hooks_at_their_defaults_leave_the_published_model_unchanged():
    """The hooks of docs/design/0003 are neutral: with and without them the module gives the
    same trajectories."""
    t = np.arange(0.0, 48.0 + 1e-9, 0.5)
    a = simulate(compile_model(hpa(adrenal="published")), Protocol([], clock_start=0.0), t)
    b = simulate(compile_model(hpa(hooks=False)),
                 Protocol([], clock_start=0.0), t)
    for name in ("CRH", "ACTH", "cortisol"):  # the unused feedback-lag state moves the steps
        np.testing.assert_allclose(a[name], b[name], rtol=2e-5, atol=1e-9)
    np.testing.assert_allclose(a["glucocorticoid"], a["cortisol"], rtol=1e-10)
    assert float(a["GR_occupancy"].max()) < float(a["MR_occupancy"].max())
    with pytest.raises(KeyError):
        a["nonexistent"]


#: A fixed state of the unhooked module for the symbolic rate checks.
_STATE = {"CRH": 3.0, "ACTH": 20.0, "cortisol": 8.0}


def _production(species, clearance, **values):
    """Production term of `species` in the unhooked module at _STATE (its rate plus the
    clearance), with parameters or inputs set by name; also returns the parameter values."""
    m = hpa(hooks=False, tnf_coupling=False)
    params = {p.name: p.value for p in m.parameters}
    subs = {sym(k): v for k, v in {**params, **_STATE, **values}.items()}
    return float(m.rates[species].subs(subs)) + params[clearance] * _STATE[species], params


def test_stress_multiplies_acth_release_per_crh_by_the_vasopressin_factor():
    """ACTH release per CRH is (1 + s_stress_ACTH x stress) times the unstressed release
    (vasopressin co-released with CRH, DeBold et al. 1984), and without stress it is the
    published release."""
    def release(stress, s_avp):
        return _production("ACTH", "w2", stress=stress, s_stress_ACTH=s_avp)

    base, p = release(0.0, 3.0)
    assert base == pytest.approx(p["a3"] * 3.0 / (1 + p["a4"] * 8.0), rel=1e-12)
    for stress, s_avp in ((1.0, 1.0), (1.0, 3.0), (0.5, 2.0)):
        assert release(stress, s_avp)[0] == pytest.approx(base * (1 + s_avp * stress), rel=1e-12)


def test_stress_multiplies_adrenal_cortisol_output_per_acth_by_the_splanchnic_factor():
    """Cortisol production per ACTH^2 is (1 + s_stress_adrenal x stress) times the unstressed
    production (splanchnic input to the adrenal cortex), the published production without
    stress."""
    def production(stress, s_adr):
        return _production("cortisol", "w3", stress=stress, s_stress_adrenal=s_adr)

    base, p = production(0.0, 1.0)
    assert base == pytest.approx(p["a5"] * 20.0**2, rel=1e-12)
    for stress, s_adr in ((1.0, 1.0), (1.0, 0.3), (0.5, 0.8)):
        assert production(stress, s_adr)[0] == pytest.approx(base * (1 + s_adr * stress),
                                                             rel=1e-12)


@functools.lru_cache(maxsize=1)
def _calibrated_hpa():
    """The hpa module compiled, and the shipped calibrated values of its parameters."""
    module = hpa()
    names = {p.name for p in module.parameters}
    return compile_model(module), {k: v for k, v in load_calibrated().items() if k in names}


def _stressor_on_calibrated_axis(**overrides):
    """A 15-min stressor at 14:00 (3 h from 13:30, minute grid; index 30 is the onset) on the
    calibrated hpa module, with parameters overridden by name."""
    system, calibrated = _calibrated_hpa()
    t = np.arange(0.0, 3.0 + 1e-9, 1.0 / 60.0)
    protocol = Protocol([Stressor(0.5, 0.25, 1.0)], clock_start=13.5, preequilibrate_days=60)
    ds = simulate(system, protocol, t, params={**calibrated, **overrides})
    assert (ds["status"] == 0).all() and ds["preequilibration_converged"].values.all()
    return ds


def test_splanchnic_input_raises_stress_cortisol_without_more_acth():
    """A 15-min stressor on the calibrated axis: the splanchnic term raises the cortisol peak
    while ACTH is not higher (the extra cortisol feeds back), the ACTH-cortisol dissociation it
    stands for."""
    runs = {s: _stressor_on_calibrated_axis(s_stress_adrenal=s) for s in (0.0, 1.0)}
    rise = {s: float(r["cortisol"].max() - r["cortisol"].values[0][30]) for s, r in runs.items()}
    acth = {s: float(r["ACTH"].max()) for s, r in runs.items()}
    assert rise[0.0] > 1.0
    # direction only: no human study here gives the size of the splanchnic share of the
    # stress cortisol rise, so no margin is asserted
    assert rise[1.0] > rise[0.0]
    assert acth[1.0] <= acth[0.0] * (1 + 1e-9)


def test_delayed_share_of_the_cortisol_feedback_acts_through_the_lagged_signal():
    """ACTH and CRH release see (1 - f) G + f G_lag: with f = 0 the published instantaneous
    feedback, with f = 1 only the lagged signal, which relaxes to G at k_GC_feedback."""
    m = hpa(tnf_coupling=False)
    values = {p.symbol: p.value for p in m.parameters}
    a3, a4, k = (values[sym(n)] for n in ("a3", "a4", "k_GC_feedback"))
    state = {sym("CRH"): 3.0, sym("ACTH"): 20.0, sym("cortisol"): 8.0,
             sym("glucocorticoid_feedback"): 2.0, sym("stress"): 0.0, sym("GC_exo"): 0.0,
             sym("GC_exo_free"): 0.0, sym("pituitary_mass"): 1.0, sym("adrenal_mass"): 1.0,
             sym("sex_stress_gain"): 1.0, sym("hypothalamic_cytokine_drive"): 1.0}
    rates = {n: m.rates[n].subs({o.symbol: o.expr for o in m.observables}) for n in m.rates}

    def acth_release(f):
        subs = {**values, **state, sym("f_GC_delayed"): f}
        return float(rates["ACTH"].subs(subs)) + values[sym("w2")] * 20.0

    for f in (0.0, 0.4, 1.0):
        g = (1 - f) * 8.0 + f * 2.0
        assert acth_release(f) == pytest.approx(a3 * 3.0 / (1 + a4 * g), rel=1e-9)
    lag = float(rates["glucocorticoid_feedback"].subs({**values, **state}))
    assert lag == pytest.approx(k * (8.0 - 2.0), rel=1e-12)


@pytest.mark.xfail(strict=True, reason="issue #17, docs/design/0018: on the set recalibrated "
                   "with the bounded adrenal the delayed share raises the pre-stress level (8.8 "
                   "against 8.0 ug/dL) and not the peak: peak/pre 1.72 with f = 0.54 against "
                   "1.93 with f = 0")
def test_delayed_feedback_sustains_the_stress_response():
    """Calibrated axis, 15-min stressor at 14:00: with part of the feedback delayed (cortisol
    suppresses ACTH release only after the lag) the cortisol peak over its pre-stress value is
    higher than with the same axis and all of the feedback instantaneous."""
    f = _calibrated_hpa()[1].get("f_GC_delayed", 0.0)
    assert f > 0.05
    cortisol_peak = {}
    for share in (0.0, f):
        c = _stressor_on_calibrated_axis(f_GC_delayed=share)["cortisol"].values[0]
        cortisol_peak[share] = c.max() / c[30]
    # direction only: the size of the delayed-feedback effect has no human measurement here
    assert cortisol_peak[f] > cortisol_peak[0.0]


def test_tnf_reaches_the_crh_neurons_through_a_lagged_brain_signal():
    """The hypothalamic TNF signal relaxes to the Hill term of plasma TNF at k_TNF_CRH (the
    brain-endothelial COX-2 turnover, half-time 1.4 h): with TNF held at K_TNF_CRH it reaches a
    quarter (half of its final 0.5) after ln 2 / k hours, and the CRH drive follows it."""
    m = hpa()
    k = next(p.value for p in m.parameters if p.name == "k_TNF_CRH")
    K = next(p.value for p in m.parameters if p.name == "K_TNF_CRH")
    half = np.log(2) / k
    t = np.array([0.0, half, 3 * half])
    system = compile_model(m)
    on = simulate(system, Protocol([SignalStep("TNF", 0.0, 10.0, K)], clock_start=8.0), t)
    s = on["hypothalamic_TNF_signal"].values[0]
    np.testing.assert_allclose(s, [0.0, 0.25, 0.5 * (1 - 0.125)], rtol=1e-5, atol=1e-9)
    off = simulate(system, Protocol([], clock_start=8.0), t)
    assert float(off["hypothalamic_TNF_signal"].max()) == 0.0
    assert on["CRH"].values[0, -1] > off["CRH"].values[0, -1]
