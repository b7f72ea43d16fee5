"""Small batches: one numba thread against all of them (docs/design/0004-threads.md).

    .venv/bin/python benchmarks/threads.py [--load]

The standard model, LPS 2 ng/kg at 08:00 from the limit cycle, 48 h, rtol 1e-6, the same
lognormal patients as `neuroimmune bench`. For each batch size: the median wall time of one
`solve()` call (after warm-up) with every numba thread and with one. `--load` keeps one busy
Python process per core running meanwhile (a shared machine). solve's own small-batch switch is
turned off (SERIAL_BELOW = 0) so that the two paths are timed as they are.
"""

import importlib
import json
import multiprocessing as mp
import sys
import time

import numba
import numpy as np

from neuroimmune.analysis.bench import CLOCK, _on_limit_cycle, virtual_patients
from neuroimmune.compile import compile_model
from neuroimmune.model.core import compose
from neuroimmune.model.library import STANDARD
from neuroimmune.protocol import Protocol, lps_bolus
from neuroimmune.solve import SolverOptions, solve

solve_module = importlib.import_module("neuroimmune.solve")  # the package exports solve()

SIZES = (1, 2, 4, 8, 12, 16, 24, 32, 64, 128, 512)


def _spin(stop):
    while not stop.is_set():
        pass


def _median_s(system, P, protocol, t, threads, reps):
    numba.set_num_threads(threads)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        solve(system, P, protocol, t)
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main() -> None:
    load = "--load" in sys.argv
    solve_module.SERIAL_BELOW = 0
    system = compile_model(_on_limit_cycle(compose(*(f() for f in STANDARD))))
    protocol = Protocol([lps_bolus("2 ng/kg")], clock_start=CLOCK)
    t = np.linspace(0.0, 48.0, 49)
    P = virtual_patients(system.p0, max(SIZES))
    all_threads = numba.config.NUMBA_NUM_THREADS
    for n in SIZES:  # warm-up: loads both kernels (scalar and lanes)
        solve(system, P[:n], protocol, t, options=SolverOptions())
    stop = mp.Event()
    spinners = [mp.Process(target=_spin, args=(stop,)) for _ in range(all_threads if load else 0)]
    for s in spinners:
        s.start()
    rows = []
    try:
        for n in SIZES:
            reps = max(5, 200 // n)
            many = _median_s(system, P[:n], protocol, t, all_threads, reps)
            one = _median_s(system, P[:n], protocol, t, 1, reps)
            rows.append({"patients": n, f"{all_threads}_threads_ms": round(1e3 * many, 2),
                         "1_thread_ms": round(1e3 * one, 2)})
            print(json.dumps(rows[-1]), flush=True)
    finally:
        stop.set()
        for s in spinners:
            s.join()
        numba.set_num_threads(all_threads)


if __name__ == "__main__":
    main()
