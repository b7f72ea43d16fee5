"""Small batches run on one numba thread (docs/design/0004-threads.md): the same results,
bitwise, and the caller's thread count is restored."""

import importlib

import numba
import numpy as np
import pytest

from neuroimmune import Protocol, lps_bolus
from neuroimmune.analysis.bench import virtual_patients
from neuroimmune.solve import SolverOptions, solve

solve_module = importlib.import_module("neuroimmune.solve")  # the package exports solve()


@pytest.mark.parametrize("n, lanes", [(1, True), (5, True), (12, True), (12, False)])
def test_one_thread_path_is_bitwise_the_parallel_path(innate_system, monkeypatch, n, lanes):
    P = virtual_patients(innate_system.p0, n, cv=0.3, seed=3)
    protocol = Protocol([lps_bolus(2.0)], clock_start=8.0)
    t = np.linspace(0.0, 12.0, 25)
    opts = SolverOptions(lanes=lanes)
    seen = []
    kernels = innate_system.kernels
    for name in ("solve_batch", "solve_batch_lanes", "solve_serial_dp5"):
        kernel = getattr(kernels, name)
        monkeypatch.setattr(kernels, name, lambda *a, _k=kernel, _n=name: (
            seen.append((_n, numba.get_num_threads())), _k(*a))[1])
    before = numba.get_num_threads()
    serial = solve(innate_system, P, protocol, t, options=opts)
    on_lanes = lanes and n >= kernels.LANES
    # off the lanes a small batch takes the serial kernel (no parallel region: the thread count
    # is left alone); on the lanes the parallel kernel runs on one thread
    assert numba.get_num_threads() == before
    assert seen == [("solve_batch_lanes", 1) if on_lanes else ("solve_serial_dp5", before)]
    monkeypatch.setattr(solve_module, "SERIAL_BELOW", 0)
    parallel = solve(innate_system, P, protocol, t, options=opts)
    assert seen[1] == ("solve_batch_lanes" if on_lanes else "solve_batch", before)
    for field in ("outputs", "status", "n_steps", "y_end"):
        np.testing.assert_array_equal(getattr(serial, field), getattr(parallel, field))


def test_big_batches_keep_every_thread(innate_system, monkeypatch):
    seen = []
    kernel = innate_system.kernels.solve_batch_lanes
    monkeypatch.setattr(innate_system.kernels, "solve_batch_lanes",
                        lambda *a: (seen.append(numba.get_num_threads()), kernel(*a))[1])
    P = virtual_patients(innate_system.p0, solve_module.SERIAL_BELOW, seed=1)
    solve(innate_system, P, Protocol([lps_bolus(2.0)]), np.linspace(0.0, 6.0, 7))
    assert seen == [numba.get_num_threads()]


def test_thread_count_is_restored_when_the_kernel_raises(innate_system, monkeypatch):
    def broken(*args):
        raise RuntimeError("kernel failure")

    monkeypatch.setattr(innate_system.kernels, "solve_batch_lanes", broken)
    before = numba.get_num_threads()
    P = virtual_patients(innate_system.p0, innate_system.kernels.LANES, seed=1)
    with pytest.raises(RuntimeError, match="kernel failure"):
        solve(innate_system, P, Protocol([lps_bolus(2.0)]), np.linspace(0.0, 6.0, 7))
    assert numba.get_num_threads() == before
