"""Patients on the vector lanes (solvers/templates/dopri5_lanes.py) give, patient by patient,
bitwise the results of the one-patient-per-thread Dormand-Prince, whatever their grouping."""

import platform
import re

import numba
import numpy as np
import pytest

from neuroimmune import Protocol, SolverError, Stressor, compile_model, lps_bolus, lps_infusion
from neuroimmune.analysis.bench import virtual_patients
from neuroimmune.model.core import compose
from neuroimmune.model.library import STANDARD
from neuroimmune.solve import SolverOptions, solve


@pytest.fixture(scope="module")
def system():
    return compile_model(compose(*(f() for f in STANDARD)))


def _both(system, P, protocol, t, y0=None, **opts):
    a = solve(system, P, protocol, t, y0=y0, options=SolverOptions(lanes=False, **opts))
    b = solve(system, P, protocol, t, y0=y0, options=SolverOptions(lanes=True, **opts))
    return a, b


def _assert_same(a, b):
    np.testing.assert_array_equal(a.status, b.status)
    np.testing.assert_array_equal(a.n_steps, b.n_steps)
    np.testing.assert_array_equal(a.outputs, b.outputs)  # NaN where both are NaN
    np.testing.assert_array_equal(a.y_end, b.y_end)


def test_lanes_match_one_patient_per_thread_bitwise(system):
    # 45 patients (not a multiple of the 8 lanes), several protocol segments (bolus, stressor,
    # infusion, a second bolus), output times on segment boundaries and after the last event
    P = virtual_patients(system.p0, 45, cv=0.3, seed=2)
    protocol = Protocol([lps_bolus(2.0), Stressor(3.0, 0.25, 1.0), lps_infusion(0.5, 5.0, 2.0),
                         lps_bolus(1.0, 7.0)], clock_start=8.0)
    t = np.array([0.0, 0.5, 3.0, 3.25, 4.0, 5.0, 7.0, 7.0, 9.5, 30.0])
    a, b = _both(system, P, protocol, t, rtol=1e-6, atol=1e-9)
    assert np.all(a.status == 0)
    _assert_same(a, b)
    assert len(np.unique(a.n_steps)) > 10  # patients need different numbers of steps


def test_failed_patients_are_reported_per_patient_on_the_lanes(system):
    # a step budget some patients exceed, and one patient whose state overflows: each keeps
    # its own status and its results up to the failure; the others are untouched
    P = virtual_patients(system.p0, 24, cv=0.3, seed=5)
    y0 = np.tile(system.y0, (24, 1))
    y0[3, system.states.index("TNF")] = 1e300
    protocol = Protocol([lps_bolus(2.0)], clock_start=8.0)
    t = np.linspace(0.0, 24.0, 25)
    a, b = _both(system, P, protocol, t, y0=y0, max_steps=300)
    _assert_same(a, b)
    assert a.status[3] != 0 and (a.status == 1).sum() >= 3 and (a.status == 0).sum() >= 3


def test_results_do_not_depend_on_threads_or_grouping(system):
    P = virtual_patients(system.p0, 37, seed=9)
    protocol = Protocol([lps_bolus(2.0)], clock_start=8.0)
    t = np.linspace(0.0, 12.0, 13)
    numba.set_num_threads(1)
    try:
        one = solve(system, P, protocol, t)
    finally:
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    both = solve(system, P, protocol, t)
    part = solve(system, P[20:], protocol, t)  # same patients in other lanes and chunks
    _assert_same(one, both)
    np.testing.assert_array_equal(both.outputs[20:], part.outputs)


def test_lane_rhs_equals_the_scalar_rhs(system):
    k = system.kernels
    L, n = k.LANES, system.n_states
    rng = np.random.default_rng(0)
    Y = system.y0[:, None] * rng.lognormal(0, 1, (n, L))
    P = virtual_patients(system.p0, L, cv=0.5, seed=1).T.copy()
    Q = np.empty((max(k.N_DERIVED, 1), L))
    for lane in range(L):
        q = np.empty(Q.shape[0])
        k.derived(P[:, lane].copy(), q)
        Q[:, lane] = q
    U = np.concatenate([np.zeros(n), system.signal_defaults])[:, None] * np.ones(L)
    U[system.n_states + system.signals.index("stress")] = np.linspace(0, 1, L)
    T = np.linspace(0.0, 30.0, L)
    dY = np.empty((n, L))
    k.rhs_lanes(T, 8.0, Y.ravel(), P.ravel(), Q.ravel(), U.ravel(), dY.ravel())
    for lane in range(L):
        d = np.empty(n)
        k.rhs(T[lane], 8.0, Y[:, lane].copy(), P[:, lane].copy(), Q[:, lane].copy(),
              U[:, lane].copy(), d)
        np.testing.assert_array_equal(dY[:, lane], d)


def _lane_arithmetic(cache, monkeypatch) -> tuple[int, int]:
    """Packed and scalar double-precision arithmetic instructions of the standard model's lane
    kernel, compiled here: a fresh cache (and no kernels loaded before in this process), so
    numba compiles and keeps the assembly; only rhs_lanes is compiled."""
    import importlib

    monkeypatch.setattr(importlib.import_module("neuroimmune.compile"), "_LOADED", {})
    system = compile_model(compose(*(f() for f in STANDARD)), cache_dir=cache)
    k = system.kernels
    L, n = k.LANES, system.n_states
    args = (np.zeros(L), 8.0, np.repeat(system.y0, L), np.repeat(system.p0, L),
            np.zeros(max(k.N_DERIVED, 1) * L),
            np.repeat(np.concatenate([np.zeros(n), system.signal_defaults]), L), np.zeros(n * L))
    k.rhs_lanes(*args)
    asm = k.rhs_lanes.inspect_asm(k.rhs_lanes.signatures[0])
    return (len(re.findall(r"\bv(?:mul|add|sub|div)pd\b", asm)),
            len(re.findall(r"\bv(?:mul|add|sub|div)sd\b", asm)))


x86 = pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"),
                         reason="checks x86 packed instructions")


@x86
def test_lane_rhs_is_vectorised(tmp_path, monkeypatch):
    """The standard model's lane kernel compiles to packed (SIMD) arithmetic: what makes it
    worth having."""
    packed, scalar = _lane_arithmetic(tmp_path, monkeypatch)
    assert packed > 20 and packed > 3 * scalar, (packed, scalar)


@x86
def test_lane_rhs_needs_the_raised_alias_set_threshold(tmp_path, monkeypatch):
    """At LLVM's default alias-set saturation threshold (250 pointers) the standard model's lane
    loop stays scalar: its loads, stores and exp/pow table look-ups are past it, so the
    threshold neuroimmune.solvers.noalias sets is what vectorises it (the bench ratio halved
    without it; docs/design/0033-alias-set-threshold.md). Should the model shrink below the
    default, this fails and the test above no longer guards the threshold."""
    import llvmlite.binding as llvm

    from neuroimmune.solvers.noalias import ALIAS_SET_SATURATION_THRESHOLD

    llvm.set_option("test", "-alias-set-saturation-threshold=250")
    try:
        packed, scalar = _lane_arithmetic(tmp_path, monkeypatch)
    finally:
        llvm.set_option("test", f"-alias-set-saturation-threshold={ALIAS_SET_SATURATION_THRESHOLD}")
    assert packed == 0 and scalar > 100, (packed, scalar)


def test_lanes_option_is_checked():
    with pytest.raises(SolverError, match="SolverOptions.lanes"):
        SolverOptions(lanes="yes")


def test_cohort_pre_equilibration_starts_from_the_default_patients_cycle(system, monkeypatch):
    """Patients start their pre-equilibration from the default patient's pre-equilibrated
    state, alone or in a cohort, and those with a 24-h limit cycle end on the same cycle."""
    import importlib

    solve_module = importlib.import_module("neuroimmune.solve")

    P = virtual_patients(system.p0, 9, cv=0.1, seed=4)
    protocol = Protocol([lps_bolus(2.0)], clock_start=8.0, preequilibrate_days=120)
    t = np.linspace(0.0, 12.0, 7)
    starts = []
    original = solve_module._preequilibrate_shooting

    def spy(system_, P_, Y0, *args):
        starts.append(Y0.copy())
        return original(system_, P_, Y0, *args)

    monkeypatch.setattr(solve_module, "_preequilibrate_shooting", spy)
    monkeypatch.setattr(solve_module, "_NOMINAL_STARTS", {})
    cohort = solve(system, P, protocol, t)
    (nominal,) = solve_module._NOMINAL_STARTS.values()
    assert len(starts) == 1 and np.array_equal(starts[0], np.tile(nominal, (9, 1)))
    assert not np.allclose(nominal, system.y0, rtol=0.1)  # not the module values
    # a patient alone starts from the same state, so gets the same result as in the cohort
    # (also a patient whose HPA axis has no 24-h limit cycle at its parameters)
    single = [solve(system, P[i:i + 1], protocol, t) for i in range(len(P))]
    assert np.array_equal(starts[1], nominal[None, :])
    for i, one in enumerate(single):
        np.testing.assert_allclose(cohort.outputs[i], one.outputs[0], rtol=1e-12, atol=1e-12)
        assert one.preequilibration_converged[0] == cohort.preequilibration_converged[i]
    # patients whose HPA axis has a 24-h limit cycle end on the one reached from the module
    # values (the old start) too
    old = solve(system, P, protocol, t, y0=system.y0)
    both = old.preequilibration_converged & cohort.preequilibration_converged
    assert both.sum() >= 3
    np.testing.assert_allclose(cohort.outputs[both], old.outputs[both], rtol=2e-3, atol=1e-6)


def test_one_lane_chunk_per_thread(system, monkeypatch):
    """The threads take contiguous blocks of chunks and each chunk ends with lanes idle until its
    slowest patients finish, so a batch is split into one chunk per thread (fewer for a small
    batch: at least a lane group each), not several (docs/design/0036-lane-chunks.md); the
    results do not depend on it (above)."""
    chunks = []
    kernels = system.kernels
    batch = kernels.solve_batch_lanes

    def spy(n_chunks, *args):
        chunks.append(n_chunks)
        return batch(n_chunks, *args)

    monkeypatch.setattr(kernels, "solve_batch_lanes", spy)
    threads = numba.get_num_threads()
    t = np.linspace(0.0, 2.0, 3)
    for n in (16, 100, 400):
        solve(system, virtual_patients(system.p0, n, cv=0.2, seed=1), Protocol([]), t)
        assert chunks[-1] == min(-(-n // kernels.LANES), threads)
