"""A cold start compiles only what the run needs, each function once, and what is loaded from the
cache gives bitwise the results of a fresh compilation (docs/design/0022-cold-start.md)."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import numba
import numpy as np
import pytest

from cold_run import compiled_signatures
from neuroimmune import Protocol, compile_model, innate, lps_bolus
from neuroimmune.analysis.bench import virtual_patients
from neuroimmune.solve import solve

compile_module = importlib.import_module("neuroimmune.compile")
solve_module = importlib.import_module("neuroimmune.solve")


@pytest.mark.xdist_group("cold_innate")
def test_dopri5_runs_compile_neither_rodas4_nor_the_jacobian_nor_a_parallel_region(cold_innate):
    """What Dormand-Prince runs from an empty cache compiled (tests/conftest.py `cold_innate`:
    one patient, then the lanes on every thread), then what a Rodas4 run added."""
    done = cold_innate.dopri5
    # the symbolic Jacobian is not even generated (docs/design/0041-lazy-jacobian.md): the
    # cache holds the model's kernels, the solver and the math helpers (docs/design/0045)
    generated = cold_innate.files_dopri5
    assert len(generated) == 3 and sum(n.startswith(("ni_solver_", "ni_helpers_"))
                                       for n in generated) == 2, generated
    for name in ("_rodas4_segment", "_lu_factor", "_lu_solve", "_integrate_patient",
                 "solve_batch"):
        assert done[name] == 0, name
    for name in ("rhs", "rhs_lanes", "derived", "observe", "_dp5_segment", "_lanes_chunk",
                 "_lanes_chunks", "solve_serial_dp5"):
        assert done[name] == 1, name
    # each called solver function is compiled for one signature: no second compilation for a
    # literal argument (Literal[int](0) or Literal[bool](False)) next to the general one (the
    # power helpers are compiled once per constant exponent, by design)
    twice = {n: c for n, c in done.items() if c > 1 and n not in ("_ipow", "_qpow", "_ppow")}
    assert not twice
    # the first Rodas4 run compiles them (the check above would see it)
    after = cold_innate.rodas4
    assert after["_rodas4_segment"] == 1 and after["jacobian.jac"] == 1
    assert after["jacobian.derived"] == 1
    assert len(cold_innate.files_rodas4) == 4  # the Jacobian module


def test_a_one_patient_preequilibrated_run_compiles_no_lane_kernel(monkeypatch):
    """The nominal patient starts on the nominal cycle, so shooting's setup (finite-difference
    days) is skipped when the cycle is confirmed; the result is shooting's.
    (The kernels are new dispatchers, loaded from the tests' cache when first called: what a
    run uses has a signature, compiled or loaded, and nothing else has.)"""
    monkeypatch.setattr(compile_module, "_LOADED", {})
    for cached in ("_SHOOTING", "_NOMINAL_STARTS"):  # this process's shooting setups and starts
        monkeypatch.setattr(solve_module, cached, {})
    cold = compile_model(innate())
    k = cold.kernels
    protocol = Protocol([lps_bolus(2.0)], clock_start=8.0, preequilibrate_days=120)
    t = np.linspace(0.0, 12.0, 13)
    quick = solve(cold, cold.p0, protocol, t)
    done = {**compiled_signatures(k), **compiled_signatures(k.shared_solver())}
    for name in ("rhs_lanes", "_lanes_chunk", "_lanes_chunks"):
        assert done[name] == 0, name
    assert quick.preequilibration_converged.all() and (quick.status == 0).all()
    monkeypatch.setattr(solve_module, "_nominal_on_cycle", lambda *args: None)
    full = solve(cold, cold.p0, protocol, t)  # with the setup
    for name in ("outputs", "status", "y_start", "preequilibration_converged",
                 "preequilibration_days", "preequilibration_failed"):
        a, b = getattr(quick, name), getattr(full, name)
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), name


def test_lane_batch_error_on_a_worker_thread_reaches_the_caller(innate_system, monkeypatch):
    k = innate_system.kernels
    # two lane threads even where the test worker runs numba on one (pytest-xdist)
    monkeypatch.setattr(numba, "get_num_threads", lambda: 2)
    monkeypatch.setattr(numba, "set_num_threads", lambda n: None)
    calls = []

    def broken(fns, nonneg, n_derived, c0, c1, n_chunks, *args):
        calls.append(c0)
        if c0 > 0:
            raise RuntimeError("chunk failure")

    monkeypatch.setattr(k.shared_solver(), "_lanes_chunks", broken)
    P = virtual_patients(innate_system.p0, 4 * k.LANES, seed=2)
    with pytest.raises(RuntimeError, match="chunk failure"):
        solve(innate_system, P, Protocol([lps_bolus(2.0)]), np.linspace(0.0, 6.0, 7))
    # 4 chunks of 8 patients, one block of them per thread; the calling thread runs the first
    assert sorted(calls)[0] == 0 and len(calls) == min(numba.get_num_threads(), 4)


@pytest.mark.xdist_group("cold_innate")
def test_kernels_loaded_from_the_cache_give_bitwise_the_fresh_results(cold_innate):
    """A second process on the cache that `cold_innate` compiled into loads every kernel and
    solver entry (compiles none), leaves the generated source as it is, and gives bitwise the
    results that the compiling process got (tests/cold_run.py)."""
    env = {**os.environ, "NEUROIMMUNE_CACHE_DIR": str(cold_innate.cache)}
    digest, hits, misses, mtime, model_misses = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("cold_run.py"))], env=env,
        capture_output=True, text=True, check=True).stdout.split()
    assert int(hits) == 3 and int(misses) == 0, "the second process loads, not recompiles"
    assert int(model_misses) == 0, "nor does it compile a model kernel"
    assert float(mtime) == cold_innate.mtime, "the generated source is not rewritten"
    assert digest == cold_innate.digest


@pytest.mark.xdist_group("cold_innate")
def test_numbas_index_of_a_compiled_lane_kernel_is_found_in_the_cache(cold_innate):
    """solve._lanes_ready finds the index file numba wrote for the lane kernel that the cold
    process compiled (a process that has not loaded the kernel sees only the file)."""
    from types import SimpleNamespace

    assert cold_innate.dopri5["rhs_lanes"] == 1
    unloaded = SimpleNamespace(kernels=SimpleNamespace(rhs_lanes=SimpleNamespace(signatures=[])),
                               source_path=cold_innate.system.source_path)
    assert solve_module._lanes_ready(unloaded)
    elsewhere = SimpleNamespace(kernels=unloaded.kernels,
                                source_path=cold_innate.cache / "ni_000000000000000000000000.py")
    assert not solve_module._lanes_ready(elsewhere)
