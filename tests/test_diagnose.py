"""A failed patient's message names the input that pushed it out of range (neuroimmune.diagnose):
the failing patient alone is rerun without each event and with its own parameter values reset
to nominal, a bounded number of times; patients that solved are never rerun."""

from __future__ import annotations

import numpy as np
import pytest

import neuroimmune.diagnose as diagnose
from neuroimmune import Protocol, SolverOptions, Status, scenarios, simulate
from neuroimmune.analysis.population import Population, run_chunk
from neuroimmune.io.scenario import parse_scenario
from neuroimmune.protocol import Stressor, lps_bolus

# f_GC_delayed x 1e4 makes the standard model's step size underflow within the first hours
# (found by scaling every parameter of lps-bolus by 1e-4 and 1e4: kMA, cortisol_ref, k_EPI and
# k_NE x 1e4 exhaust max_steps, f_GC_delayed x 1e4 underflows in ~100 steps, the fastest).
CULPRIT, FACTOR = "f_GC_delayed", 1e4
T = np.linspace(0.0, 6.0, 13)


@pytest.fixture(scope="module")
def system():
    return scenarios.system(scenarios.load("lps-bolus"))


def _absurd(dose: str) -> str:
    return f"""
        allow_extreme_doses = true   # the dose is meant to break the solver
        [time]
        end = 6
        step = 0.5
        preequilibrate_days = 0
        [[events]]
        type = "stressor"
        start = 0.5
        duration = "30 min"
        [[events]]
        type = "lps_bolus"
        dose = "{dose}"
        time = 2
        """


def test_an_absurd_dose_that_breaks_the_solver_is_named():
    # LPS 1e307 ng/kg overflows the state to infinity (1e300 still solves: the response
    # saturates); without the flag the file is refused
    sc = parse_scenario(_absurd("1e307 ng/kg"), where="s.toml")
    ds = scenarios.simulate(sc)
    assert int(ds["status"][0]) == int(Status.NONFINITE)
    msg = str(ds["status_message"].values[0])
    assert "\n" not in msg
    assert "the solver failed between t = 2 h and t = 2.5 h" in msg
    assert "without the LPS bolus at 2 h (1e307 ng/kg) the patient solves" in msg
    assert "that event pushed the state out of range" in msg
    diagnosis = msg.split("Diagnosis: ")[1]
    assert "stressor" not in diagnosis  # removing it does not help, so it is not blamed
    assert "parameter" not in diagnosis  # a default patient: no value to reset


def test_the_same_scenario_with_a_human_dose_solves():
    ds = scenarios.simulate(parse_scenario(_absurd("2 ng/kg"), where="s.toml"))
    assert ds["status_message"].values.tolist() == ["success"]


def test_a_patient_whose_parameter_breaks_the_solver_gets_its_name(system, monkeypatch):
    j = system.parameters.index(CULPRIT)
    k = system.parameters.index("kTNF")
    P = np.tile(system.p0, (4, 1))
    P[2, j] *= FACTOR
    P[2, k] *= 1.3       # a second varied value of the same patient: not the cause
    P[3, k] *= 0.7
    reruns = []
    real = diagnose.solve
    monkeypatch.setattr(diagnose, "solve", lambda s, p, *a, **kw: (reruns.append(np.array(p)),
                                                                   real(s, p, *a, **kw))[1])
    protocol = Protocol((lps_bolus("2 ng/kg", 1.0),))
    ds = simulate(system, protocol, T, params=P)
    assert ds["status"].values.tolist() == [0, 0, int(Status.STEP_UNDERFLOW), 0]
    msg = str(ds["status_message"].values[2])
    assert (f"with {CULPRIT} at its nominal value ({system.p0[j]:.4g} instead of "
            f"{P[2, j]:.4g}) the patient solves: this patient's {CULPRIT} pushed the state out "
            "of range") in msg
    assert "kTNF" not in msg
    assert ds["status_message"].values[[0, 1, 3]].tolist() == ["success"] * 3
    # only the failed patient was rerun: every rerun row is patient 2 with some values reset
    assert reruns and all(len(rows) == 1 for rows in reruns)
    for rows in reruns:
        changed = np.flatnonzero(rows[0] != P[2])
        assert set(changed) <= {j, k} and np.all(rows[0, changed] == system.p0[changed])
    assert len(reruns) <= diagnose.MAX_EVENTS + diagnose.MAX_PARAMETER_RERUNS


def test_a_cohort_patient_that_fails_is_diagnosed_in_the_summaries(system):
    # one lognormal CV of 3 on the culprit: some patients of the chunk fail, the others solve
    pop = Population(cv={CULPRIT: 3.0}, seed=2)
    frame, _ = run_chunk(system, Protocol((lps_bolus("2 ng/kg", 1.0),)), T, pop, ["TNF"],
                         0, 0, 24, SolverOptions())
    bad = frame[frame["status"] != 0]
    assert 0 < len(bad) < len(frame)
    assert (frame.loc[frame["status"] == 0, "status_message"] == "success").all()
    for msg in bad["status_message"]:
        assert f"this patient's {CULPRIT} pushed the state out of range" in msg, msg


def test_when_no_single_input_explains_it_the_message_says_so(coupled_system):
    # three steps cannot integrate anything, with or without the dose
    ds = simulate(coupled_system, Protocol((lps_bolus(2.0, 0.0),)), T,
                  options=SolverOptions(max_steps=3))
    msg = str(ds["status_message"].values[0])
    assert msg.startswith("too many steps") and "Fix: increase max_steps" in msg
    assert ("the patient still fails without the LPS bolus at 0 h (2 ng/kg): the cause is "
            "not one input") in msg


def test_events_after_the_failure_are_not_blamed_and_the_cost_is_bounded(system, monkeypatch):
    j = system.parameters.index(CULPRIT)
    P = np.tile(system.p0, (3, 1))
    P[:, j] *= FACTOR  # all three fail within the first hours
    monkeypatch.setattr(diagnose, "MAX_PATIENTS", 2)
    protocol = Protocol((Stressor(5.5, 0.25), lps_bolus("2 ng/kg", 0.0)))
    ds = simulate(system, protocol, T, params=P)
    msgs = ds["status_message"].values.tolist()
    assert all(f"this patient's {CULPRIT}" in m for m in msgs[:2])
    assert "not diagnosed: only the first 2 failing patients" in msgs[2]
    assert not any("stressor" in m.split("Diagnosis: ")[1] for m in msgs)  # starts after it


def test_a_subject_value_of_the_scenario_that_breaks_the_solver_is_named():
    # the scenario's own [subject] value is compared with the value before profiles and subject
    sc = parse_scenario(f"""
        [time]
        end = 6
        step = 0.5
        preequilibrate_days = 0
        [subject]
        {CULPRIT} = 3000
        [[events]]
        type = "lps_bolus"
        dose = "2 ng/kg"
        time = 1
        """.replace("\n        ", "\n"), where="s.toml")
    msg = str(scenarios.simulate(sc)["status_message"].values[0])
    assert f"with {CULPRIT} at its nominal value (" in msg and "instead of 3000)" in msg, msg
