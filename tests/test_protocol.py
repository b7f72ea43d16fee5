"""Protocols: schedule segments, unit handling, DrugDose routes and clear input errors.

Schedules are checked on the compiled systems of the session fixtures (innate: species LPS in
ng/kg; hpa: signal 'stress'); end-to-end checks integrate the innate module, whose endotoxin
obeys dLPS/dt = -kE LPS + infusion exactly, against closed-form solutions.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from neuroimmune import (
    Bolus,
    DrugDose,
    Infusion,
    ModelError,
    NeuroimmuneError,
    Protocol,
    ProtocolError,
    Repeated,
    SignalStep,
    SolverError,
    SolverOptions,
    Stressor,
    UnitError,
    lps_bolus,
    lps_infusion,
    simulate,
    solve,
)
from neuroimmune.protocol import parse_clock


def assert_clear(exc: BaseException, *needles: str) -> None:
    """One-line message: names the argument, says what was expected and given, and how to fix."""
    msg = str(exc)
    assert isinstance(exc, NeuroimmuneError)
    assert "\n" not in msg, msg
    assert "expected" in msg and "got" in msg and "Fix:" in msg, msg
    for n in needles:
        assert n in msg, f"{n!r} not in {msg!r}"


def seg_index(sched, t: float) -> int:
    hits = np.flatnonzero(np.isclose(sched.seg_t[:-1], t, rtol=0, atol=1e-12))
    assert hits.size == 1, f"no segment starts at {t}: {sched.seg_t}"
    return int(hits[0])


def active_mask(sched, start: float, stop: float) -> np.ndarray:
    starts = sched.seg_t[:-1]
    return (starts >= start - 1e-12) & (starts < stop - 1e-12)


@pytest.fixture(scope="module")
def drug_system(innate_system):
    """The innate System with two extra (uncompiled) species dex_gut/dex_central in mg: enough for
    Protocol.schedule, which only needs names, units and signal defaults."""
    return dataclasses.replace(innate_system,
                               states=innate_system.states + ("dex_gut", "dex_central"),
                               state_units=innate_system.state_units + ("mg", "mg"))


# --------------------------------------------------------------------------------------------
# Schedule segments
# --------------------------------------------------------------------------------------------
def test_bolus_gives_boundary_with_jump_there(innate_system):
    s = innate_system
    lps = s.state_index("LPS")
    sched = Protocol((Bolus("LPS", 2.0, 2.0),)).schedule(s, 10.0)
    assert sched.seg_t[0] == 0.0 and sched.seg_t[-1] == 10.0
    assert np.all(np.diff(sched.seg_t) > 0)
    assert sched.seg_jump.shape == (len(sched.seg_t) - 1, s.n_states)
    k = seg_index(sched, 2.0)
    expected = np.zeros_like(sched.seg_jump)
    expected[k, lps] = 2.0
    np.testing.assert_array_equal(sched.seg_jump, expected)
    # a bolus is no infusion: species inputs stay 0, signals stay at their defaults
    assert sched.seg_u.shape == (len(sched.seg_t) - 1, s.n_states + len(s.signals))
    np.testing.assert_array_equal(sched.seg_u[:, :s.n_states], 0.0)
    np.testing.assert_array_equal(sched.seg_u[:, s.n_states:],
                                  np.broadcast_to(s.signal_defaults, (len(sched.seg_t) - 1,
                                                                      len(s.signals))))


def test_bolus_at_zero_jumps_in_first_segment_and_doses_add(innate_system):
    s = innate_system
    lps = s.state_index("LPS")
    sched = Protocol((lps_bolus(1.0, 0.0), lps_bolus("500 pg/kg", 0.0))).schedule(s, 5.0)
    assert sched.seg_jump[0, lps] == pytest.approx(1.5)
    assert sched.seg_jump[1:].sum() == 0.0


@pytest.mark.parametrize("amount, expected", [
    (2, 2.0), (2.0, 2.0), ("2 ng/kg", 2.0), ("2000 pg/kg", 2.0), ("0.002 ug/kg", 2.0),
    ("2e-6 mg/kg", 2.0),
])
def test_bolus_amount_units(innate_system, amount, expected):
    sched = Protocol((Bolus("LPS", amount, 1.0),)).schedule(innate_system, 4.0)
    k = seg_index(sched, 1.0)
    assert sched.seg_jump[k, innate_system.state_index("LPS")] == pytest.approx(expected,
                                                                                rel=1e-12)


@pytest.mark.parametrize("time, expected", [
    ("30 min", 0.5), ("90 min", 1.5), (1.25, 1.25), ("1800 s", 0.5), ("0.125 day", 3.0),
])
def test_event_time_units(innate_system, time, expected):
    sched = Protocol((lps_bolus("2 ng/kg", time),)).schedule(innate_system, 5.0)
    assert expected in sched.seg_t
    k = seg_index(sched, expected)
    assert sched.seg_jump[k, innate_system.state_index("LPS")] == pytest.approx(2.0)
    assert np.count_nonzero(sched.seg_jump) == 1


def test_infusion_sets_rate_only_inside_window(innate_system):
    s = innate_system
    lps = s.state_index("LPS")
    sched = Protocol((Infusion("LPS", "1.5 ng/kg/h", "30 min", 2.0),)).schedule(s, 6.0)
    assert 0.5 in sched.seg_t and 2.5 in sched.seg_t
    on = active_mask(sched, 0.5, 2.5)
    assert on.any() and (~on).any()
    np.testing.assert_allclose(sched.seg_u[on, lps], 1.5, rtol=1e-12)
    np.testing.assert_array_equal(sched.seg_u[~on, lps], 0.0)
    others = [i for i in range(s.n_states) if i != lps]
    np.testing.assert_array_equal(sched.seg_u[:, others], 0.0)
    np.testing.assert_array_equal(sched.seg_jump, 0.0)


@pytest.mark.parametrize("rate, expected", [
    (2.0, 2.0), ("2 ng/kg/h", 2.0), ("0.5 ng/kg/min", 30.0), ("2000 pg/kg/h", 2.0),
    ("48 ng/kg/day", 2.0),
])
def test_infusion_rate_units(innate_system, rate, expected):
    sched = Protocol((lps_infusion(rate, 1.0, 1.0),)).schedule(innate_system, 3.0)
    k = seg_index(sched, 1.0)
    assert sched.seg_u[k, innate_system.state_index("LPS")] == pytest.approx(expected, rel=1e-12)


def test_infusion_running_past_the_end_is_clipped(innate_system):
    s = innate_system
    sched = Protocol((lps_infusion(1.0, 3.0, 10.0),), clock_start=0).schedule(s, 5.0)
    np.testing.assert_array_equal(sched.seg_t, [0.0, 3.0, 5.0])
    np.testing.assert_array_equal(sched.seg_u[:, s.state_index("LPS")], [0.0, 1.0])


def test_stressor_raises_named_signal_only_while_on(hpa_system):
    s = hpa_system
    assert "stress" in s.signals
    n = s.n_states
    k = n + s.signal_index("stress")
    rest = s.signal_defaults[s.signal_index("stress")]
    sched = Protocol((Stressor(1.0, "15 min", 2.5),), clock_start=10).schedule(s, 3.0)
    assert 1.0 in sched.seg_t and 1.25 in sched.seg_t
    on = active_mask(sched, 1.0, 1.25)
    assert on.sum() == 1
    np.testing.assert_allclose(sched.seg_u[on, k], rest + 2.5)
    np.testing.assert_array_equal(sched.seg_u[~on, k], rest)
    # the other signals and the species inputs are untouched
    other = [n + j for j in range(len(s.signals)) if n + j != k]
    np.testing.assert_array_equal(sched.seg_u[:, other],
                                  np.broadcast_to(np.delete(s.signal_defaults, k - n),
                                                  (len(sched.seg_t) - 1, len(other))))
    np.testing.assert_array_equal(sched.seg_u[:, :n], 0.0)


def test_overlapping_stressors_add(hpa_system):
    s = hpa_system
    k = s.n_states + s.signal_index("stress")
    sched = Protocol((Stressor(0.0, 2.0, 1.0), Stressor(1.0, 2.0, 0.5))).schedule(s, 4.0)
    np.testing.assert_array_equal(sched.seg_t, [0.0, 1.0, 2.0, 3.0, 4.0])
    base = s.signal_defaults[s.signal_index("stress")]
    np.testing.assert_allclose(sched.seg_u[:, k], base + np.array([1.0, 1.5, 0.5, 0.0]))


@pytest.mark.parametrize("clock_start, t_end, expected", [
    ("22:00", 30.0, [0.0, 2.0, 26.0, 30.0]),
    (8, 48.0, [0.0, 16.0, 40.0, 48.0]),
    ("08:30", 10.0, [0.0, 10.0]),
    ("00:00", 48.0, [0.0, 24.0, 48.0]),
    (23.5, 1.0, [0.0, 0.5, 1.0]),
])
def test_midnight_boundaries_follow_clock_start(innate_system, clock_start, t_end, expected):
    sched = Protocol(clock_start=clock_start).schedule(innate_system, t_end)
    np.testing.assert_allclose(sched.seg_t, expected, atol=1e-12)


def test_parse_clock_forms():
    assert parse_clock("08:30") == 8.5
    assert parse_clock(8) == 8.0
    assert parse_clock("13.25") == 13.25
    assert parse_clock("00:00") == 0.0
    assert Protocol(clock_start="07:45").clock_start == 7.75


def test_repeated_bolus_expands_to_right_times(innate_system):
    s = innate_system
    lps = s.state_index("LPS")
    rep = Repeated(lps_bolus("1 ng/kg", "2 h"), every="12 h", count=3)
    assert [b.time for b in rep.expand()] == [2.0, 14.0, 26.0]
    sched = Protocol((rep,), clock_start=8).schedule(s, 30.0)
    np.testing.assert_allclose(sched.seg_t, [0.0, 2.0, 14.0, 16.0, 26.0, 30.0])
    np.testing.assert_allclose(sched.seg_jump[:, lps], [0.0, 1.0, 1.0, 0.0, 1.0])


def test_repeated_infusion_and_minutes(innate_system):
    s = innate_system
    lps = s.state_index("LPS")
    rep = Repeated(Infusion("LPS", 4.0, "30 min", "15 min"), every="360 min", count=2)
    sched = Protocol((rep,), clock_start=0).schedule(s, 8.0)
    np.testing.assert_allclose(sched.seg_t, [0.0, 0.5, 0.75, 6.5, 6.75, 8.0])
    np.testing.assert_allclose(sched.seg_u[:, lps], [0.0, 4.0, 0.0, 4.0, 0.0])


def test_repeated_single_dose_needs_no_interval():
    rep = Repeated(lps_bolus(1.0, 1.0), every=0, count=1)
    assert len(rep.expand()) == 1


# --------------------------------------------------------------------------------------------
# DrugDose routes
# --------------------------------------------------------------------------------------------
def test_drugdose_expand_routes():
    (iv,) = DrugDose("dex", 5.0, 1.0, "iv").expand()
    assert isinstance(iv, Bolus) and iv.species == "dex_central" and iv.time == 1.0
    (oral,) = DrugDose("dex", 5.0, 1.0, "oral").expand()
    assert isinstance(oral, Bolus) and oral.species == "dex_gut" and oral.amount == 5.0
    (inf,) = DrugDose("dex", 5.0, 1.0, "infusion", duration="30 min").expand()
    assert inf.species == "dex_central" and inf.duration == 0.5


@pytest.mark.parametrize("route, species", [("iv", "dex_central"), ("oral", "dex_gut")])
def test_drugdose_bolus_routes_in_schedule(drug_system, route, species):
    s = drug_system
    sched = Protocol((DrugDose("dex", "250 ug", 2.0, route),)).schedule(s, 6.0)
    k = seg_index(sched, 2.0)
    expected = np.zeros_like(sched.seg_jump)
    expected[k, s.state_index(species)] = 0.25
    np.testing.assert_allclose(sched.seg_jump, expected, rtol=1e-12)
    np.testing.assert_array_equal(sched.seg_u[:, :s.n_states], 0.0)


def test_drugdose_infusion_rate_is_amount_over_duration(drug_system):
    s = drug_system
    sched = Protocol((DrugDose("dex", "10 mg", 1.0, "infusion", duration="30 min"),),
                     clock_start=0).schedule(s, 4.0)
    np.testing.assert_allclose(sched.seg_t, [0.0, 1.0, 1.5, 4.0])
    np.testing.assert_allclose(sched.seg_u[:, s.state_index("dex_central")], [0.0, 20.0, 0.0])
    np.testing.assert_array_equal(sched.seg_u[:, s.state_index("dex_gut")], 0.0)
    np.testing.assert_array_equal(sched.seg_jump, 0.0)


def test_repeated_oral_drugdose(drug_system):
    s = drug_system
    rep = Repeated(DrugDose("dex", 4.0, 0.0, "oral"), every="8 h", count=3)
    sched = Protocol((rep,), clock_start=0).schedule(s, 20.0)
    np.testing.assert_allclose(sched.seg_t, [0.0, 8.0, 16.0, 20.0])
    np.testing.assert_allclose(sched.seg_jump[:, s.state_index("dex_gut")], [4.0, 4.0, 4.0])
    np.testing.assert_array_equal(sched.seg_jump[:, s.state_index("dex_central")], 0.0)


# --------------------------------------------------------------------------------------------
# End to end: the schedule drives the solver (LPS kinetics are linear and decoupled)
# --------------------------------------------------------------------------------------------
def test_bolus_and_infusion_match_closed_form(innate_system):
    s = innate_system
    kE = float(s.p0[s.parameters.index("kE")])
    t = np.linspace(0.0, 6.0, 121)
    proto = Protocol((lps_bolus("2000 pg/kg", "1 h"), lps_infusion("0.05 ng/kg/min", 3.0, 1.0)))
    ds = simulate(s, proto, t, options=SolverOptions(rtol=1e-9, atol=1e-12))
    assert int(ds["status"][0]) == 0
    r = 3.0  # ng/kg/h

    def exact(tt):
        y = np.where(tt >= 1.0, 2.0 * np.exp(-kE * (tt - 1.0)), 0.0)
        on = (tt >= 3.0) & (tt < 4.0)
        y = y + np.where(on, r / kE * (1 - np.exp(-kE * (tt - 3.0))), 0.0)
        y = y + np.where(tt >= 4.0, r / kE * (1 - np.exp(-kE)) * np.exp(-kE * (tt - 4.0)), 0.0)
        return y

    np.testing.assert_allclose(ds["LPS"].values[0], exact(t), rtol=1e-6, atol=1e-9)


def test_stressor_raises_crh_while_on(hpa_system):
    t = np.linspace(0.0, 2.0, 41)
    calm = simulate(hpa_system, Protocol(clock_start=14), t)
    stressed = simulate(hpa_system, Protocol((Stressor(0.5, "15 min", 1.0),), clock_start=14), t)
    before = t <= 0.5  # identical up to solver tolerance (the step sequence differs)
    np.testing.assert_allclose(stressed["CRH"].values[0, before], calm["CRH"].values[0, before],
                               rtol=1e-5)
    on = float(stressed["CRH"].sel(time=0.75, method="nearest")[0])
    assert on > float(calm["CRH"].sel(time=0.75, method="nearest")[0])   # direction only


# --------------------------------------------------------------------------------------------
# Bad input: the right error class and a message that says what, expected, got and Fix
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("amount, given", [(-1.0, "-1"), ("-2 ng/kg", "-2"),
                                           (float("nan"), "nan")])
def test_negative_or_nonfinite_dose(innate_system, amount, given):
    with pytest.raises(ProtocolError) as e:
        Protocol((Bolus("LPS", amount, 1.0),)).schedule(innate_system, 5.0)
    assert_clear(e.value, "Bolus('LPS').amount", ">= 0", "ng/kg", given)


def test_negative_infusion_rate(innate_system):
    with pytest.raises(ProtocolError) as e:
        Protocol((lps_infusion(-1.0, 0.0, 1.0),)).schedule(innate_system, 5.0)
    assert_clear(e.value, "Infusion('LPS').rate", ">= 0", "-1")


def test_dose_with_incompatible_unit(innate_system):
    with pytest.raises(UnitError) as e:
        Protocol((lps_bolus("2 mL", 1.0),)).schedule(innate_system, 5.0)
    assert_clear(e.value, "Bolus('LPS').amount", "ng/kg", "'2 mL'")


def test_dose_without_unit_string(innate_system):
    with pytest.raises(UnitError) as e:
        Protocol((lps_bolus("2", 1.0),)).schedule(innate_system, 5.0)
    assert_clear(e.value, "Bolus('LPS').amount", "ng/kg", "'2'")


def test_unparseable_dose(innate_system):
    with pytest.raises(UnitError) as e:
        Protocol((lps_bolus("two ng per kg", 1.0),)).schedule(innate_system, 5.0)
    assert_clear(e.value, "Bolus('LPS').amount", "'two ng per kg'")


def test_infusion_rate_with_dose_unit_is_rejected(innate_system):
    with pytest.raises(UnitError) as e:
        Protocol((lps_infusion("2 ng/kg", 0.0, 1.0),)).schedule(innate_system, 5.0)
    assert_clear(e.value, "Infusion('LPS').rate", "'2 ng/kg'")


def test_unknown_species(innate_system):
    with pytest.raises(ModelError) as e:
        Protocol((Bolus("LPX", 1.0, 1.0),)).schedule(innate_system, 5.0)
    assert_clear(e.value, "species", "'LPX'", "'LPS'")


@pytest.mark.parametrize("event, kind, given", [
    (lps_bolus(1.0, 12.0), "Bolus('LPS').time", "12.0"),
    (lps_bolus(1.0, "11 h"), "Bolus('LPS').time", "11.0"),
    (lps_bolus(1.0, 10.0), "Bolus('LPS').time", "10.0"),  # a bolus at the very end does nothing
    (lps_infusion(1.0, 12.0, 1.0), "Infusion time", "12.0"),
    (Stressor(12.0, 1.0), "Stressor time", "12.0"),
])
def test_event_after_end(hpa_system, innate_system, event, kind, given):
    system = hpa_system if isinstance(event, Stressor) else innate_system
    with pytest.raises(ProtocolError) as e:
        Protocol((event,)).schedule(system, 10.0)
    assert_clear(e.value, kind, f"got {given}")
    assert "(10 h)" in str(e.value) or "[0, 10] h" in str(e.value)


@pytest.mark.parametrize("event, what", [
    (lps_bolus(1.0, -1.0), "Bolus('LPS').time"),
    (lps_bolus(1.0, "-30 min"), "Bolus('LPS').time"),
    (lps_infusion(1.0, 0.0, -1.0), "Infusion('LPS').duration"),
    (Stressor(0.0, -1.0), "Stressor.duration"),
])
def test_negative_times(hpa_system, innate_system, event, what):
    system = hpa_system if isinstance(event, Stressor) else innate_system
    with pytest.raises(ProtocolError) as e:
        Protocol((event,)).schedule(system, 10.0)
    assert_clear(e.value, what, ">= 0")


def test_time_with_wrong_unit(innate_system):
    with pytest.raises(UnitError) as e:
        Protocol((lps_bolus(1.0, "2 kg"),)).schedule(innate_system, 10.0)
    assert_clear(e.value, "Bolus('LPS').time", "'2 kg'")


@pytest.mark.parametrize("value", ["25:00", 24, -1, "noon", "8h30", "08:00:00",
                                   float("nan"), "-01:00"])
def test_bad_clock_start(value):
    with pytest.raises(ProtocolError) as e:
        Protocol(clock_start=value)
    assert_clear(e.value, "clock_start", "Fix:")
    assert repr(value) in str(e.value) or str(value) in str(e.value)


@pytest.mark.parametrize("value", ["08:75", "01:-30"])
def test_clock_start_minutes_out_of_range(value):
    with pytest.raises(ProtocolError):
        parse_clock(value)


def test_unknown_route():
    with pytest.raises(ProtocolError) as e:
        Protocol((DrugDose("dex", 1.0, 0.0, route="im"),))
    assert_clear(e.value, "DrugDose.route", "'im'", "'iv'", "'oral'", "'infusion'")
    with pytest.raises(ProtocolError):
        DrugDose("dex", 1.0, route="IV").expand()


@pytest.mark.parametrize("duration", [None, 0.0, "0 min"])
def test_infusion_route_needs_positive_duration(duration):
    with pytest.raises(ProtocolError) as e:
        Protocol((DrugDose("dex", 1.0, 0.0, route="infusion", duration=duration),))
    assert_clear(e.value, "DrugDose.duration")


def test_drugdose_negative_amount(drug_system):
    with pytest.raises(ProtocolError) as e:
        Protocol((DrugDose("dex", "-5 mg", 0.0, "infusion", duration=1.0),)).schedule(
            drug_system, 2.0)
    assert_clear(e.value, "amount", "-5")
    with pytest.raises(ProtocolError):
        Protocol((DrugDose("dex", -5.0, 0.0, "oral"),)).schedule(drug_system, 2.0)


def test_drugdose_for_absent_drug(innate_system):
    with pytest.raises(ProtocolError) as e:
        Protocol((DrugDose("dex", 1.0),)).schedule(innate_system, 2.0)
    assert_clear(e.value, "DrugDose('dex')", "check the drug name")


def test_unknown_signal(hpa_system):
    with pytest.raises(ModelError) as e:
        Protocol((SignalStep("fear", 0.0, 1.0, 1.0),)).schedule(hpa_system, 2.0)
    assert_clear(e.value, "signal", "'fear'", "'stress'")


def test_stressor_on_model_without_signal(innate_system):
    with pytest.raises(ModelError) as e:
        Protocol((Stressor(0.0, 1.0),)).schedule(innate_system, 2.0)
    assert_clear(e.value, "signal", "'stress'")


@pytest.mark.parametrize("intensity", [float("nan"), float("inf"), -math.inf])
def test_nonfinite_intensity(hpa_system, intensity):
    with pytest.raises(ProtocolError) as e:
        Protocol((Stressor(0.0, 1.0, intensity),)).schedule(hpa_system, 2.0)
    assert_clear(e.value, "Stressor.intensity", "finite", repr(intensity))


def test_non_numeric_intensity(hpa_system):
    with pytest.raises(ProtocolError):
        Protocol((Stressor(0.0, 1.0, "strong"),)).schedule(hpa_system, 2.0)


@pytest.mark.parametrize("count, every, what", [(0, 1.0, "Repeated.count"),
                                                (2.5, 1.0, "Repeated.count"),
                                                (2, 0.0, "Repeated.every")])
def test_bad_repeat(count, every, what):
    with pytest.raises(ProtocolError) as e:
        Protocol((Repeated(lps_bolus(1.0), every, count),))
    assert_clear(e.value, what)


def test_repeated_of_repeated_is_rejected():
    with pytest.raises(ProtocolError) as e:
        Protocol((Repeated(Repeated(Stressor(0.0, 1.0), 2.0, 2), 24.0, 2),))
    assert_clear(e.value, "Repeated.dose", "Repeated")


def test_repeated_stressor_expands_to_daily_stressors():
    flat = Protocol((Repeated(Stressor(1.0, "2 h", 0.5), 24.0, 3),))._flat
    assert flat == (Stressor(1.0, "2 h", 0.5), Stressor(25.0, "2 h", 0.5),
                    Stressor(49.0, "2 h", 0.5))


@pytest.mark.parametrize("days", [-1, 1.5, "5"])
def test_bad_preequilibrate_days(days):
    with pytest.raises(ProtocolError) as e:
        Protocol(preequilibrate_days=days)
    assert_clear(e.value, "preequilibrate_days")


def test_non_event_in_protocol():
    with pytest.raises(ProtocolError) as e:
        Protocol(({"type": "lps_bolus"},))
    assert_clear(e.value, "Protocol.events", "dict")


# --------------------------------------------------------------------------------------------
# solve(): times, parameters and options
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("t", [None, [], [2.0, 1.0], [-1.0, 0.0, 1.0], [0.0, float("nan")],
                               [0.0, float("inf")]])
def test_bad_time_arrays(coupled_system, t):
    with pytest.raises(SolverError) as e:
        solve(coupled_system, None, Protocol(), t)
    assert_clear(e.value, "t:", "sorted" if t is not None else "array")


@pytest.mark.parametrize("params, needles", [
    ({"nope": 1.0}, ("params", "'nope'")),
    ({"hME": 2.0}, ("params", "'hME'")),  # a structural constant cannot vary
    ({"kTNF": float("nan")}, ("params[kTNF]", "nan")),
    ({"kTNF": float("inf")}, ("params[kTNF]", "inf")),
    ({"kTNF": -1.0}, ("params[kTNF]", "-1.0")),
    ({"kTNF": [1.0, -2.0]}, ("params[kTNF] of patient 1", "-2.0")),
    ({"kTNF": [1.0, 2.0], "kE": [1.0, 2.0, 3.0]}, ("params", "same length")),
])
def test_bad_params(coupled_system, params, needles):
    with pytest.raises(SolverError) as e:
        solve(coupled_system, params, Protocol(), [0.0, 1.0])
    assert_clear(e.value, *needles)


def test_bad_param_array_shape(coupled_system):
    with pytest.raises(SolverError) as e:
        solve(coupled_system, np.ones((2, 3)), Protocol(), [0.0, 1.0])
    assert_clear(e.value, "params", "shape")


@pytest.mark.parametrize("kwargs, needles", [
    ({"method": "euler"}, ("SolverOptions.method", "'euler'", "dopri5", "rodas4")),
    ({"rtol": 0.0}, ("SolverOptions.rtol",)),
    ({"atol": float("nan")}, ("SolverOptions.atol",)),
    ({"max_steps": 0}, ("SolverOptions.max_steps",)),
    ({"h_max": -1.0}, ("SolverOptions.h_max",)),
])
def test_bad_solver_options(kwargs, needles):
    with pytest.raises(SolverError) as e:
        SolverOptions(**kwargs)
    assert_clear(e.value, *needles)
