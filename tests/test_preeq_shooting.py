"""Pre-equilibration by shooting on the one-day map (docs/design/0014-preeq-shooting.md)."""

import dataclasses
import importlib

import numpy as np
import pytest

from neuroimmune import scenarios
from neuroimmune.analysis.population import Population

S = importlib.import_module("neuroimmune.solve")


@pytest.fixture(scope="module")
def cohort():
    sc = scenarios.load("lps-bolus")
    system = scenarios.system(sc)
    P, _ = Population(default_cv=0.2, seed=1).draw(system, 48, np.random.default_rng(1))
    t = sc.times()[::20]
    shooting = S.solve(system, P, sc.protocol, t)
    original = S._preequilibrate_shooting
    S._preequilibrate_shooting = S._preequilibrate  # the plain 5-day blocks (before issue #18)
    try:
        plain = S.solve(system, P, sc.protocol, t)
    finally:
        S._preequilibrate_shooting = original
    return system, sc, P, t, shooting, plain


def test_shooting_agrees_with_the_long_pre_equilibration(cohort):
    """Every patient the plain procedure converges, shooting converges too (a patient that
    contracts too slowly for 120 plain days may converge by shooting only: its start passes the
    same test, next test); where both converged the outputs agree to solver-tolerance level (the
    plain result itself is up to about 1e-5 / (1 - 0.87) from the cycle); patients that converge
    in neither get the plain procedure's result exactly, with their status."""
    system, sc, P, t, shooting, plain = cohort
    conv = plain.preequilibration_converged
    shot = shooting.preequilibration_converged
    assert conv.sum() >= 15 and (~shot).sum() >= 1  # both kinds of patient are in the test
    assert not (conv & ~shot).any()
    assert (shot & ~conv).sum() <= 2
    assert (shooting.status == 0).all() and not shooting.preequilibration_failed.any()
    scale = np.abs(plain.outputs[conv]).max(axis=(0, 1)) + 1e-12
    err = np.abs(shooting.outputs[conv] - plain.outputs[conv]) / scale
    assert err.max() < 2e-3
    assert np.array_equal(shooting.outputs[~shot], plain.outputs[~shot])
    assert np.isfinite(shooting.outputs[~shot]).all()


def test_shooting_start_passes_the_convergence_test(cohort):
    """Each converged patient's start state changes by less than the pre-equilibration
    tolerance over the next day (the same test as the plain procedure's)."""
    system, sc, P, t, shooting, plain = cohort
    conv = shooting.preequilibration_converged
    atol = np.full(system.n_states, 1e-9)
    g, status = S._one_day(system, P[conv], shooting.y_start[conv], sc.protocol,
                           S.SolverOptions(), atol)
    y = shooting.y_start[conv]
    assert (status == 0).all()
    assert np.all(np.abs(g - y) <= S.PREEQ_RTOL * np.abs(g) + 10 * atol)


def test_shooting_alone_equals_in_cohort(cohort):
    """A patient's result does not depend on who else is in the batch: bitwise."""
    system, sc, P, t, shooting, plain = cohort
    for i in (0, 5):
        one = S.solve(system, P[i:i + 1], sc.protocol, t)
        assert np.array_equal(one.outputs[0], shooting.outputs[i], equal_nan=True)
        assert one.preequilibration_converged[0] == shooting.preequilibration_converged[i]


def test_short_pre_equilibration_keeps_the_plain_procedure(cohort):
    system, sc, P, t, shooting, plain = cohort
    short = dataclasses.replace(sc.protocol, preequilibrate_days=S.SHOOT_MIN_DAYS - 1)
    a = S.solve(system, P[:3], short, t)
    original = S._preequilibrate_shooting
    S._preequilibrate_shooting = S._preequilibrate
    try:
        b = S.solve(system, P[:3], short, t)
    finally:
        S._preequilibrate_shooting = original
    assert np.array_equal(a.outputs, b.outputs)
