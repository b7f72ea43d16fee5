"""Where a simulation's time goes: right-hand-side evaluations vs the rest of the solver, for one
patient per thread and for patients on the vector lanes.

    .venv/bin/python benchmarks/where_time_goes.py

On one core: the standard model's scalar rhs kernel and its lane kernel (rhs_lanes, LANES
patients per call) alone in compiled loops, then 2,000 48-h LPS simulations each way (best of
three runs: the machine is shared). Prints the times and the right-hand side's share.
"""

import json
import time

import numba
import numpy as np

from neuroimmune.analysis.bench import CLOCK, _on_limit_cycle, virtual_patients
from neuroimmune.compile import compile_model
from neuroimmune.model.core import compose
from neuroimmune.model.library import STANDARD
from neuroimmune.protocol import Protocol, lps_bolus
from neuroimmune.solve import SolverOptions, solve


def _best_ns(fn, args, reps, per):
    fn(*args, 10)
    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        fn(*args, reps)
        best = min(best, (time.perf_counter() - t0) / reps / per * 1e9)
    return best


def main(n_patients: int = 2000) -> None:
    numba.set_num_threads(1)
    system = compile_model(_on_limit_cycle(compose(*(f() for f in STANDARD))))
    k = system.kernels
    rhs, rhs_lanes, L, n = k.rhs, k.rhs_lanes, k.LANES, system.n_states

    @numba.njit
    def rhs_loop(y, p, q, u, dy, reps):
        acc = 0.0
        for i in range(reps):
            y[0] = 1e-3 * (i % 7)
            rhs(0.1 * i, CLOCK, y, p, q, u, dy)
            acc += dy[3]
        return acc

    @numba.njit
    def lanes_loop(t, y, p, q, u, dy, reps):
        acc = 0.0
        for i in range(reps):
            y[0] = 1e-3 * (i % 7)
            rhs_lanes(t, CLOCK, y, p, q, u, dy)
            acc += dy[3]
        return acc

    P = virtual_patients(system.p0, max(n_patients, L))
    y = system.y0.copy()
    y[system.states.index("monocytes_activated")] = 300.0  # an activated innate response
    q = np.empty(max(k.N_DERIVED, 1))
    k.derived(system.p0, q)
    u = np.concatenate([np.zeros(n), system.signal_defaults])
    Q = np.empty((q.size, L))
    for lane in range(L):
        k.derived(P[lane], Q[:, lane])
    rhs_ns = _best_ns(rhs_loop, (y, system.p0.copy(), q, u, np.empty(n)), 1_000_000, 1)
    lane_ns = _best_ns(lanes_loop, (np.linspace(0.1, 0.8, L), np.repeat(y, L),
                                    P[:L].T.ravel().copy(), Q.ravel(), np.repeat(u, L),
                                    np.empty(n * L)), 200_000, L)

    t = np.linspace(0, 48, 49)
    protocol = Protocol([lps_bolus(2.0)], clock_start=CLOCK)
    result = {"rhs_ns": round(rhs_ns, 1), "rhs_lanes_ns_per_patient": round(lane_ns, 1)}
    for lanes in (False, True):
        opts = SolverOptions(rtol=1e-6, atol=1e-9, lanes=lanes)
        solve(system, P[:L], protocol, t, options=opts)
        per_sim = np.inf
        for _ in range(3):
            t0 = time.perf_counter()
            sol = solve(system, P[:n_patients], protocol, t, options=opts)
            per_sim = min(per_sim, (time.perf_counter() - t0) / n_patients)
        steps = float(sol.n_steps.mean())
        rhs_per_sim = steps * 6 + 2  # Dormand-Prince with FSAL: 6 new stages per step
        key = "lanes" if lanes else "one_patient_per_thread"
        result[key] = {"steps_per_sim": round(steps, 1), "rhs_evals_per_sim": round(rhs_per_sim),
                       "sim_us": round(per_sim * 1e6, 1),
                       "rhs_share": round(rhs_per_sim * (lane_ns if lanes else rhs_ns) * 1e-9
                                          / per_sim, 3),
                       "sims_per_s_one_core": round(1 / per_sim)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
