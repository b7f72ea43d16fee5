"""hpa_glands: gland masses (Karin et al. 2020 / Milo et al. 2025) and immune-cell glucocorticoid
resistance, alone and composed with the standard model (innate, hpa, fever, autonomic); chronic
daily stress and recovery over weeks; depression and PTSD-like profiles of the standard HPA.

Every composed run is pre-equilibrated for 200 days: the adrenal mass relaxes with a half-life of
about 60 days on the limit cycle (g_A/2), so 120 days leave it a few 1e-4 from the cycle
(docs/sources/hpa_chronic.md C)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from neuroimmune import (
    Bolus,
    Protocol,
    SignalStep,
    Stressor,
    compile_model,
    compose,
    conformance,
    lps_bolus,
    scenarios,
    simulate,
)
from neuroimmune._unitcheck import check_units
from neuroimmune.conformance import check_module
from neuroimmune.model.library import STANDARD
from neuroimmune.model.library.hpa_glands import ACTH_REF, CORTISOL_MEAN_REF, CRH_REF, hpa_glands
from neuroimmune.profiles import PROFILES

NEW_SPECIES = ("pituitary_mass", "adrenal_mass", "GR_sensitivity")
PREEQ = 200
#: Chronic stress: 2 h a day (09:00-11:00) at TSST-like intensity 1 on days 1-42 (6 weeks).
STRESS_DAYS = range(1, 43)
END = 42
T_END = 24.0 * (END + 58)


def chronic_stress_events(days=STRESS_DAYS, start_h=1.0, hours=2.0, intensity=1.0):
    """Daily stressors at clock 08:00 + start_h (t = 0 is 08:00)."""
    return [Stressor(24.0 * d + start_h, hours, intensity) for d in days]


def tsst(day, at_h=6.0):
    return Stressor(24.0 * day + at_h, 0.25, 1.0)


def _standard_modules():
    return tuple(f() for f in STANDARD)


@pytest.fixture(scope="module")
def glands_system():
    """Standard model + hpa_glands."""
    return compile_model(compose(*_standard_modules(), hpa_glands(), name="standard+hpa_glands"))


@pytest.fixture(scope="module")
def alone():
    return compile_model(hpa_glands())


def _grid(fine_windows=(), t_end=T_END, dt=1.0, fine_dt=0.05):
    parts = [np.arange(0.0, t_end + 1e-9, dt)]
    parts += [np.arange(a, b + 1e-9, fine_dt) for a, b in fine_windows]
    return np.unique(np.concatenate(parts))


def _run(system, events=(), t=None, params=None):
    ds = simulate(system, Protocol(list(events), clock_start=8, preequilibrate_days=PREEQ), t,
                  params=params)
    assert (ds["status"] == 0).all(), ds["status_message"].values
    return ds


def _values(ds, name, start=None, stop=None):
    return ds[name].sel(time=slice(start, stop)).values[0]


def _at(ds, name, t):
    return float(ds[name].sel(time=t, method="nearest").values[0])


def _day_mean(ds, name, first_day, last_day):
    """Mean over whole days [first_day, last_day] on the hourly grid."""
    sel = ds[name].sel(time=slice(24.0 * first_day, 24.0 * (last_day + 1) - 0.5))
    hourly = np.isclose(sel["time"].values % 1.0, 0.0)
    return float(sel.values[0][hourly].mean())


def _response(ds, name, day, at_h=6.0, window=3.0):
    """Rise of `name` above its pre-probe value within `window` h of a probe."""
    start = 24.0 * day + at_h
    x = _values(ds, name, start, start + window)
    return float(x.max() - x[0])


# --- module checks ------------------------------------------------------------------------------
def test_units_are_consistent():
    check_units(hpa_glands())


def test_conforms_and_composes_with_the_standard_model():
    """Full conformance (units, sources, composition, simulation, SBML) against the real catalog,
    which has the rows of the new species (data/catalog_entities.csv)."""
    assert all(n in conformance.entities() for n in NEW_SPECIES)
    check_module(hpa_glands(), others=_standard_modules())


def test_hooks_are_wired_in_the_composed_model():
    """docs/design/0003: hpa multiplies ACTH production by pituitary_mass and cortisol production
    by adrenal_mass; innate's genomic GR signal follows its free glucocorticoid x
    GR_sensitivity (docs/design/0016)."""
    from neuroimmune.model import sym

    model = compose(*_standard_modules(), hpa_glands())
    assert not {"pituitary_mass", "adrenal_mass", "GR_sensitivity"} & {i.name for i in
                                                                        model.inputs}
    assert sym("pituitary_mass") in model.rates["ACTH"].free_symbols
    assert sym("adrenal_mass") in model.rates["endogenous_cortisol"].free_symbols
    assert _innate_reads_gr_sensitivity()
    assert sym("GR_sensitivity") in model.rates["GR_genomic"].free_symbols
    assert sym("GR_genomic") in model.rates["TNF"].free_symbols
    ours = set().union(*(model.rates[n].free_symbols for n in NEW_SPECIES))
    assert {sym(n) for n in ("corticotroph_drive", "adrenal_drive", "cortisol", "stress")} <= ours
    # the gland masses grow with the secretagogue drive the hpa module gives them: CRH as
    # potentiated by vasopressin under stress, ACTH with the splanchnic input (equal at rest)
    obs = {o.name: o.expr for o in model.observables}
    stress, gain = sym("stress"), sym("sex_stress_gain")
    assert sp.simplify(obs["corticotroph_drive"] - sym("CRH") * (
        1 + sym("s_stress_ACTH") * gain * stress)) == 0
    assert sp.simplify(obs["adrenal_drive"] ** 2 - sym("ACTH") ** 2 * (
        1 + sym("s_stress_adrenal") * gain * stress)) == 0
    assert obs["corticotroph_drive"].subs(stress, 0) == sym("CRH")


def test_every_parameter_is_sourced_and_modelling_choices_say_provisional():
    m = hpa_glands()
    for p in m.parameters:
        assert p.source.strip() and p.description, p.name
    for name in ("K_P", "K_A", "k_GR_rec", "k_GR_down", "w_cort_GR", "C_GR_thr"):
        assert "provisional" in m.parameter(name).source, name
    for name in ("g_P", "g_A"):
        assert "Milo" in m.parameter(name).source, name
    for name in ("CRH_ref", "ACTH_ref"):
        assert "24-h mean" in m.parameter(name).source, name
    # Milo 2025 turnover half-lives: corticotrophs 20 d, adrenal cortex 30 d
    assert np.log(2) / m.parameter("g_P").value / 24 == pytest.approx(20.0)
    assert np.log(2) / m.parameter("g_A").value / 24 == pytest.approx(30.0)


def test_module_alone_rests_at_one(alone):
    """With its inputs at their defaults (the reference means, no stress) nothing moves."""
    t = np.arange(0.0, 24.0 * 30 + 1e-9, 24.0)
    ds = simulate(alone, Protocol(), t)
    for name in NEW_SPECIES:
        np.testing.assert_allclose(ds[name].values[0], 1.0, rtol=1e-12, err_msg=name)


def test_masses_stay_positive_and_below_their_carrying_capacity(alone):
    """CRH and ACTH at 10x their reference for 3 years: masses settle below K, at
    K (1 - (1 - 1/K)/10); both at zero: masses shrink towards 0 with their turnover half-lives
    but stay positive (first-order loss)."""
    t = np.arange(0.0, 24.0 * 1000 + 1e-9, 24.0)
    up = [SignalStep("corticotroph_drive", 0.0, t[-1], 9.0 * CRH_REF),
          SignalStep("adrenal_drive", 0.0, t[-1], 9.0 * ACTH_REF)]
    ds = simulate(alone, Protocol(up), t)
    m = hpa_glands()
    for name, k in (("pituitary_mass", "K_P"), ("adrenal_mass", "K_A")):
        x = ds[name].values[0]
        assert np.all(np.diff(x) >= -1e-12) and x[-1] < m.parameter(k).value, name
        K = m.parameter(k).value
        assert x[-1] == pytest.approx(K * (1 - (1 - 1 / K) / 10.0), rel=1e-3), name
    down = [SignalStep("corticotroph_drive", 0.0, t[-1], -CRH_REF),
            SignalStep("adrenal_drive", 0.0, t[-1], -ACTH_REF)]
    ds = simulate(alone, Protocol(down), t)
    for name in ("pituitary_mass", "adrenal_mass"):
        x = ds[name].values[0]
        assert np.all(x > 0) and x[-1] < 1e-3, name
    assert 24 * 20 == pytest.approx(  # half-life of the corticotroph mass without CRH: 20 d
        float(np.interp(0.5, ds["pituitary_mass"].values[0][::-1], t[::-1])), rel=0.01)


def test_gr_sensitivity_falls_with_stress_and_recovers_alone(alone):
    """Stress held at 1 drives GR sensitivity to k_rec/(k_rec + k_down) and it stays in (0, 1];
    after the stress it recovers with the 14-d half-life."""
    t = np.arange(0.0, 24.0 * 100 + 1e-9, 24.0)
    ds = simulate(alone, Protocol([Stressor(0.0, 24.0 * 50, 1.0)]), t)
    g = ds["GR_sensitivity"].values[0]
    m = hpa_glands()
    k_rec, k_down = m.parameter("k_GR_rec").value, m.parameter("k_GR_down").value
    assert g[50] == pytest.approx(k_rec / (k_rec + k_down), rel=1e-3)
    assert np.all((g > 0) & (g <= 1.0))
    assert 1 - g[64] == pytest.approx(0.5 * (1 - g[50]), rel=0.01)   # 14 days later: half way


# --- reference means and the resting limit cycle -------------------------------------------------
def reference_means(system, *, days: int = 120) -> dict[str, float]:
    """24-h means of CRH, ACTH and cortisol on the limit cycle of `system`, by trapezoidal
    integration of one pre-equilibrated day at 1-min resolution."""
    t = np.arange(0.0, 24.0 + 1e-9, 1.0 / 60.0)
    ds = simulate(system, Protocol(clock_start=0.0, preequilibrate_days=days), t)
    return {n: float(np.trapezoid(ds[n].values[0], t) / 24.0) for n in ("CRH", "ACTH", "cortisol")}


def test_reference_means_are_the_24h_means_of_the_control_limit_cycle(coupled_system, hpa_system):
    """CRH_ref and ACTH_ref are the 24-h means on the Bangsgaard-Ottesen control limit cycle of
    the standard model at rest; the hpa module alone (TNF = 0) gives the lower values quoted in
    the module (TNF at the innate baseline adds hypothalamic drive)."""
    ref = reference_means(coupled_system)
    assert ref["CRH"] == pytest.approx(CRH_REF, rel=1e-4)
    assert ref["ACTH"] == pytest.approx(ACTH_REF, rel=1e-4)
    assert ref["cortisol"] == pytest.approx(CORTISOL_MEAN_REF, rel=1e-3)
    m = hpa_glands()
    assert m.parameter("CRH_ref").value == CRH_REF and m.parameter("ACTH_ref").value == ACTH_REF
    alone = reference_means(hpa_system)
    assert alone["CRH"] == pytest.approx(7.734, rel=1e-3)
    assert alone["ACTH"] == pytest.approx(12.002, rel=1e-3)


def test_resting_state_is_the_standard_limit_cycle_with_unit_masses(glands_system, coupled_system):
    t = np.arange(0.0, 24.0 + 1e-9, 0.25)
    ds = _run(glands_system, t=t)
    assert ds["preequilibration_converged"].values.all()
    for name in ("pituitary_mass", "adrenal_mass"):
        x = ds[name].values[0]
        assert x.mean() == pytest.approx(1.0, abs=1e-3), name     # daily mean 1
        assert np.abs(x - 1.0).max() < 0.01, name                 # circadian ripple < 1 %
    # 1 on the limit cycle; 8e-6 left of the pre-equilibration's start transient (design 0018)
    np.testing.assert_allclose(ds["GR_sensitivity"].values[0], 1.0, rtol=1e-4)
    std = simulate(coupled_system, Protocol(clock_start=8, preequilibrate_days=120), t)
    for name in ("CRH", "ACTH", "cortisol"):
        ours, ref = ds[name].values[0].mean(), std[name].values[0].mean()
        assert ours == pytest.approx(ref, rel=0.01), name


# --- chronic stress and recovery ------------------------------------------------------------------
@pytest.fixture(scope="module")
def chronic(glands_system):
    """Control and 6 weeks of daily stress; 100 days on an hourly grid."""
    t = _grid()
    return {"control": _run(glands_system, (), t),
            "stress": _run(glands_system, chronic_stress_events(), t)}


@pytest.fixture(scope="module")
def probe(glands_system):
    """probe(kind, day, system): response to a TSST-like stressor ('tsst': rise of ACTH and
    cortisol) or to an ACTH bolus of 200 pg/mL ('acth': rise of cortisol) at 14:00 on `day`,
    after chronic stress relative to control; one probe per run, so probes do not interact."""
    cache = {}

    def response(kind, day, system=glands_system):
        key = (kind, day, id(system))
        if key not in cache:
            at = 24.0 * day + 6.0
            t = np.unique(np.concatenate([[0.0, at], at + np.arange(0.0, 3.0 + 1e-9, 0.05)]))
            event = tsst(day) if kind == "tsst" else Bolus("ACTH", 200.0, at)
            names = ("ACTH", "cortisol") if kind == "tsst" else ("cortisol",)
            ratio = {}
            for name, stress in (("control", []), ("stress", chronic_stress_events())):
                if day <= END and name == "stress":
                    stress = [e for e in stress if e.start < at]
                ds = _run(system, stress + [event], t)
                ratio[name] = {n: _response(ds, n, day) for n in names}
            cache[key] = {n: ratio["stress"][n] / ratio["control"][n] for n in names}
        return cache[key]

    return response


def test_chronic_stress_enlarges_the_glands_and_raises_cortisol(chronic):
    """After 6 weeks: corticotroph mass +6 % (+28 % before the lagged TNF route raised the
    resting CRH reference by 17 %, +11 % before the splanchnic term raised the cortisol output
    during each stressor), adrenal cortex +3 % (model); 24-h mean cortisol +32 % and ACTH +3 %
    in the 6th week (the model's hypothalamus sets the cortisol level, so cortisol output rises
    while the glands grow)."""
    ctrl, st = chronic["control"], chronic["stress"]
    end = 24.0 * END + 12.0
    p, a = _at(st, "pituitary_mass", end), _at(st, "adrenal_mass", end)
    assert p > 1.04 * _at(ctrl, "pituitary_mass", end)
    assert a > 1.015 * _at(ctrl, "adrenal_mass", end)
    assert _at(st, "pituitary_mass", 24.0 * 21 + 12) < p          # still growing in week 6
    assert _day_mean(st, "cortisol", END - 6, END) > 1.2 * _day_mean(ctrl, "cortisol", END - 6, END)
    assert _day_mean(st, "ACTH", END - 6, END) > 1.01 * _day_mean(ctrl, "ACTH", END - 6, END)


def test_gr_sensitivity_falls_during_chronic_stress_and_recovers_over_weeks(chronic):
    """GR sensitivity: -5 % after one session, about 0.8 after six (resistance after repeated
    sessions, Avitsur 2002), about 0.5 after 6 weeks, half-recovered 2 weeks after the end and
    back above 0.95 after 8 weeks."""
    st = chronic["stress"]
    g = lambda day: _at(st, "GR_sensitivity", 24.0 * day + 12.0)   # noqa: E731
    assert 0.93 < g(1) < 0.97           # one session: small
    assert 0.7 < g(6) < 0.85            # six sessions
    assert 0.45 < g(END) < 0.6
    assert g(END) < g(END + 14) < g(END + 56)
    assert g(END + 14) < 0.85 and g(END + 56) > 0.95
    np.testing.assert_allclose(chronic["control"]["GR_sensitivity"].values, 1.0, rtol=1e-4)


def test_glands_relax_over_weeks_after_the_stress(chronic):
    """After the stress ends the hypothalamus is suppressed (CRH below control) while the
    enlarged glands shrink back over weeks: still > 1.5 % enlarged after 2 weeks, within 3 % of
    control after 8 weeks (the Karin/Milo lag)."""
    ctrl, st = chronic["control"], chronic["stress"]
    rel = lambda n, d: _at(st, n, 24.0 * d + 12) / _at(ctrl, n, 24.0 * d + 12)   # noqa: E731
    assert rel("pituitary_mass", END + 14) > 1.015
    assert rel("pituitary_mass", END + 14) < rel("pituitary_mass", END + 1)
    assert abs(rel("pituitary_mass", END + 56) - 1) < 0.03
    assert abs(rel("adrenal_mass", END + 56) - 1) < abs(rel("adrenal_mass", END + 1) - 1)
    assert _day_mean(st, "CRH", END + 1, END + 7) < 0.97 * _day_mean(ctrl, "CRH", END + 1, END + 7)
    # cortisol output itself is back near control within two weeks (hypothalamic set point)
    assert _day_mean(st, "cortisol", END + 7, END + 13) == pytest.approx(
        _day_mean(ctrl, "cortisol", END + 7, END + 13), rel=0.05)


def test_acth_test_shows_the_adrenal_lag_for_weeks(probe, coupled_system):
    """Cortisol response to an ACTH bolus (a cosyntropin-test analogue) after chronic stress:
    +2.4 % at 2 weeks, +1.3 % at 4 weeks, +0.8 % at 8 weeks (model; enlarged adrenal cortex; adrenal
    volume +70 % during depression vs remission, Rubin 1995). Without the gland module the
    response is back within 0.5 % after a week."""
    r2, r4, r8 = (probe("acth", END + k)["cortisol"] for k in (14, 28, 56))
    assert r2 > 1.015 and r4 > 1.008
    assert 1.0 < r8 < r4 < r2
    assert abs(probe("acth", END + 14, coupled_system)["cortisol"] - 1) < 0.005


@pytest.mark.xfail(strict=True, reason="design 0018: with the bounded adrenal the axis no "
                   "longer relaxes by a week-long damped oscillation: ACTH response 1.08 x "
                   "control on day 3 (was below 0.85)")
def test_tsst_response_is_altered_for_weeks_after_chronic_stress(probe):
    """TSST-like probe at 14:00: in the first weeks after the stress the ACTH and cortisol
    responses deviate from control by a damped oscillation of about a week's period (model:
    cortisol -44 % on day 3, +10 % on day 10; the Bangsgaard-Ottesen limit cycle relaxes this
    way, also without the glands), within 3 % after 8 weeks."""
    for name in ("ACTH", "cortisol"):
        d3, d10, d56 = (probe("tsst", END + k)[name] for k in (3, 10, 56))
        assert d3 < 0.85 and d10 > 1.02, name
        assert abs(d56 - 1) < 0.03, name


# --- chronic stress then LPS: glucocorticoid resistance ------------------------------------------
@pytest.fixture(scope="module")
def chronic_lps(glands_system):
    lps_at = 24.0 * (END + 1)            # 08:00 the day after the last stressor
    t = _grid([(lps_at, lps_at + 12.0)], t_end=lps_at + 12.0)
    lps = [lps_bolus(2.0, lps_at)]
    return lps_at, {
        "control": _run(glands_system, lps, t),
        "stress": _run(glands_system, lps + chronic_stress_events(), t),
        "stress_no_GR": _run(glands_system, lps + chronic_stress_events(), t,
                             params={"k_GR_down": 0.0}),
    }


def _innate_reads_gr_sensitivity():
    from neuroimmune.model.library.innate import innate

    return any(i.name == "GR_sensitivity" for i in innate().inputs)


@pytest.mark.xfail(strict=True, reason=(
    "issue #17, known regression of 2026-12-06: monocytes respond to free cortisol at the "
    "in-vitro potency (docs/design/0016), so GR resistance moves the LPS TNF peak by under "
    "1 % and IL-10 the wrong way; the thresholds of this test are the previous coupling's"))
def test_lps_after_chronic_stress_gives_more_tnf_through_gr_resistance(chronic_lps):
    """LPS 2 ng/kg the morning after 6 weeks of daily stress (GR sensitivity 0.52): TNF peak +5 %,
    IL-6 +10 %, IL-10 -26 % vs no stress (model). Without the GR loss (k_GR_down = 0) TNF is
    not higher: the enlarged glands give an earlier cortisol rise (TNF -6 %). Effects are small
    because the innate module's cortisol half-effects are supraphysiological (100 ug/dL)."""
    assert _innate_reads_gr_sensitivity()
    lps_at, runs = chronic_lps
    peak = {k: {n: float(_values(ds, n, lps_at).max()) for n in ("TNF", "IL6", "IL10")}
            for k, ds in runs.items()}
    assert _at(runs["stress"], "GR_sensitivity", lps_at) < 0.6
    assert peak["stress"]["TNF"] > 1.03 * peak["control"]["TNF"]
    assert peak["stress"]["IL6"] > 1.05 * peak["control"]["IL6"]
    assert peak["stress"]["IL10"] < 0.85 * peak["control"]["IL10"]
    assert peak["stress_no_GR"]["TNF"] <= peak["control"]["TNF"]
    assert peak["stress"]["TNF"] > 1.08 * peak["stress_no_GR"]["TNF"]


# --- depression and PTSD-like profiles of the standard HPA ---------------------------------------
#: Sriram et al. 2012 group constants mapped onto Bangsgaard-Ottesen parameters
#: (docs/sources/hpa_chronic.md D): Nc scales with k_stress, a2 and a4 with (k_i,normal/k_i)^n2.
SRIRAM = {"normal": (10.1, 1.51), "depressed": (13.7, 1.6), "ptsd": (17.5, 1.17)}
SRIRAM_N2 = 5.1


def sriram_profile(group: str, model) -> dict[str, float]:
    k_stress, k_i = SRIRAM[group]
    k0, ki0 = SRIRAM["normal"]
    fb = (ki0 / k_i) ** SRIRAM_N2
    return {"Nc": model.parameter("Nc").value * k_stress / k0,
            "a2": model.parameter("a2").value * fb,
            "a4": model.parameter("a4").value * fb}


@pytest.fixture(scope="module")
def profiles(coupled_system):
    """24-h cortisol (clock 00:00-24:00, second day) and a cortisol-equivalent load (GC_exo 5
    ug/dL from 23:00 to 24:00 the next day), per profile, on the standard model."""
    model = coupled_system.model
    t = np.arange(0.0, 48.0 + 1e-9, 0.1)
    load = [SignalStep("GC_exo", 23.0, 25.0, 5.0)]
    out = {}
    for group in SRIRAM:
        params = sriram_profile(group, model)
        applied = model.with_parameters(**params)          # a valid subject of the model
        assert applied.parameter("a2").value == params["a2"]
        rest = simulate(coupled_system, Protocol(clock_start=0, preequilibrate_days=120), t,
                        params=params)
        loaded = simulate(coupled_system, Protocol(load, clock_start=0, preequilibrate_days=120),
                          t, params=params)
        assert rest["preequilibration_converged"].values.all()
        day = rest["cortisol"].sel(time=slice(24.0, 48.0)).values[0]
        window = slice(32.0, 40.0)          # 08:00-16:00 after the load started at 23:00
        out[group] = {
            "mean": float(day.mean()), "nadir": float(day.min()), "peak": float(day.max()),
            # endogenous: the assay cortisol includes the load itself
            "suppression": float(loaded["endogenous_cortisol"].sel(time=window).values[0].mean()
                                 / rest["endogenous_cortisol"].sel(time=window).values[0].mean()),
        }
    return out


def test_sriram_normal_profile_is_the_control_subject(coupled_system):
    assert sriram_profile("normal", coupled_system.model) == {
        n: coupled_system.model.parameter(n).value for n in ("Nc", "a2", "a4")}


def test_depression_profile_raises_mean_and_nadir_cortisol_and_resists_suppression(profiles):
    """Model: 24-h mean +32 %, nadir +23 %; 08:00-16:00 cortisol under the load 57 % of its
    unloaded value vs 25 % (non-suppression, Carroll 1981 DST criterion direction). Sriram 2012:
    mean +15 %, nadir 4.8 vs 1.7 ug/dL."""
    n, d = profiles["normal"], profiles["depressed"]
    assert d["mean"] > 1.15 * n["mean"]
    assert d["nadir"] > 1.1 * n["nadir"]
    assert d["suppression"] > 1.5 * n["suppression"]


def test_ptsd_profile_lowers_cortisol_and_strengthens_feedback(profiles):
    """Model: 24-h mean -34 %, nadir -41 %, complete suppression under the load (Sriram 2012:
    mean -37 %; enhanced dexamethasone suppression in PTSD, Yehuda)."""
    n, p = profiles["normal"], profiles["ptsd"]
    assert p["mean"] < 0.8 * n["mean"]
    assert p["nadir"] < n["nadir"]
    assert p["peak"] < n["peak"]
    assert p["suppression"] < 0.5 * n["suppression"]


# --- proposed built-in scenarios and profiles (for the lead to register; same protocols) --------
#: Profiles proposed for neuroimmune.profiles (values of sriram_profile, rounded).
def _profile_values(name: str) -> dict:
    """The profile's absolute values on the published standard model (factors applied)."""
    model = PROFILES[name].apply(scenarios.model(scenarios.BUILTIN["lps-bolus"]))
    prof = PROFILES[name]
    return {n: model.parameter(n).value for n in (*prof.parameters, *prof.factors)}


PROPOSED_PROFILES = {n: _profile_values(n) for n in ("depression-hypercortisolaemic", "ptsd-like")}


def chronic_stress_protocol(lps: bool = False) -> Protocol:
    """The built-in 'chronic-stress' / 'chronic-stress-lps' protocols."""
    return scenarios.BUILTIN["chronic-stress-lps" if lps else "chronic-stress"].protocol


def test_proposed_profiles_match_the_mapping_rule(coupled_system):
    model = coupled_system.model
    for name, group in (("depression-hypercortisolaemic", "depressed"), ("ptsd-like", "ptsd")):
        exact = sriram_profile(group, model)
        values = PROPOSED_PROFILES[name]
        # besides the HPA mapping, depression raises resting IL-6/TNF (docs/design/0031)
        assert set(values) - set(exact) <= {"basal_IL6_factor", "basal_TNF_factor"}
        for par, value in values.items():
            if par in exact:
                assert value == pytest.approx(exact[par], rel=1e-3), (name, par)
            assert not model.parameter(par).constant
        model.with_parameters(**PROPOSED_PROFILES[name])


def test_proposed_day_profiles_move_cortisol(coupled_system):
    """'depression-day' / 'ptsd-day': the circadian-day scenario (00:00, 24 h, dt 10 min) with the
    proposed profiles: 24-h mean cortisol x1.32 / x0.66 of the healthy day (model)."""
    t = np.linspace(0.0, 24.0, 145)
    day = Protocol(clock_start="00:00", preequilibrate_days=120)
    mean = {name: float(simulate(coupled_system, day, t, params=params or None)["cortisol"]
                        .values[0].mean())
            for name, params in (("healthy", {}), *PROPOSED_PROFILES.items())}
    assert mean["depression-hypercortisolaemic"] > 1.15 * mean["healthy"]
    assert mean["ptsd-like"] < 0.8 * mean["healthy"]


@pytest.fixture(scope="module")
def chronic_run():
    """The built-in 'chronic-stress' scenario: standard model + hpa_glands on the shipped
    calibrated axis (the same parameter set as every acute scenario)."""
    return scenarios.simulate("chronic-stress")


def test_proposed_chronic_stress_scenario(chronic_run):
    """'chronic-stress' (dt 15 min) on the calibrated axis. Direction: daily stress enlarges the
    corticotroph mass (CRH and vasopressin are corticotroph mitogens: Karin et al. 2020; Subburaju
    & Aguilera 2007 Endocrinology 148:3102), within its carrying capacity; GR sensitivity falls
    towards the module's steady state under 2 h of daily stress (k_GR_rec / (k_GR_rec +
    k_GR_down / 12) = 0.5) and recovers after the stress (Avitsur et al. 2002). The
    'chronic-stress' profile is this end state written as standard-model parameters."""
    ds = chronic_run
    assert ds["preequilibration_converged"].values.all() and int(ds["status"][0]) == 0
    m = hpa_glands()
    end = 24.0 * END + 12.0
    assert 1.01 < _at(ds, "pituitary_mass", end) < m.parameter("K_P").value
    steady = m.parameter("k_GR_rec").value / (m.parameter("k_GR_rec").value
                                              + m.parameter("k_GR_down").value / 12)
    assert steady == pytest.approx(0.5, rel=1e-9)
    assert steady < _at(ds, "GR_sensitivity", end) < 0.6
    base = scenarios.model(scenarios.BUILTIN["lps-bolus"])
    from neuroimmune.parameter_sets import calibrated_set

    cal = calibrated_set().values
    prof = PROFILES["chronic-stress"].factors
    assert prof["a3"] == pytest.approx(_at(ds, "pituitary_mass", end), rel=0.01)
    assert prof["a5"] == pytest.approx(_at(ds, "adrenal_mass", end), rel=0.01)
    assert 1 / prof["monocyte_GC_resistance"] == pytest.approx(
        _at(ds, "GR_sensitivity", end), rel=0.01)
    assert "a3" in cal and base.parameter("a3").value != cal["a3"]  # factors act on the set
    # recovered by day 100: corticotroph mass within 3 % of its start, GR sensitivity > 0.95
    t_end = float(ds["time"].values[-1])
    assert abs(_at(ds, "pituitary_mass", t_end) - _at(ds, "pituitary_mass", 0.0)) < 0.03
    assert _at(ds, "GR_sensitivity", t_end) > 0.95


@pytest.mark.xfail(strict=True, reason=(
    "issue #17, known regression of 2026-12-06: monocytes respond to free cortisol at the "
    "in-vitro potency (docs/design/0016), so GR resistance moves the LPS TNF peak by under "
    "1 % and IL-10 the wrong way; the thresholds of this test are the previous coupling's"))
def test_proposed_chronic_stress_lps_scenario(glands_system, coupled_system):
    """'chronic-stress-lps' (standard + hpa_glands; dt 3 min): TNF peak above that of 'lps-bolus'
    (standard model, LPS at 08:00), IL-10 peak below (model: TNF +5 %, IL-10 -26 %)."""
    assert _innate_reads_gr_sensitivity()
    lps_at = 24.0 * (END + 1)
    t = np.arange(0.0, lps_at + 24.0 + 1e-9, 0.05)
    ds = _run(glands_system, chronic_stress_protocol(lps=True).events, t)
    ref = simulate(coupled_system, Protocol([lps_bolus("2 ng/kg", 0.0)], clock_start="08:00",
                                            preequilibrate_days=120), np.arange(0, 24.001, 0.05))
    peak = lambda d, n, s: float(_values(d, n, s).max())   # noqa: E731
    assert peak(ds, "TNF", lps_at) > 1.03 * peak(ref, "TNF", 0.0)
    assert peak(ds, "IL10", lps_at) < 0.85 * peak(ref, "IL10", 0.0)
