"""Where a simulation's time goes: right-hand-side evaluations vs the rest of the solver.

    .venv/bin/python benchmarks/where_time_goes.py

Times (one core) the standard model's rhs kernel alone in a compiled loop, and one 48-h LPS
simulation, and prints the split and the steps taken.
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


def main(n_patients: int = 2000) -> None:
    numba.set_num_threads(1)
    system = compile_model(_on_limit_cycle(compose(*(f() for f in STANDARD))))
    k = system.kernels
    rhs = k.rhs

    @numba.njit
    def rhs_loop(y, p, q, u, dy, reps):
        acc = 0.0
        for i in range(reps):
            y[0] = 1e-3 * (i % 7)
            rhs(0.1 * i, CLOCK, y, p, q, u, dy)
            acc += dy[3]
        return acc

    y = system.y0.copy()
    y[system.states.index("MA")] = 300.0
    p = system.p0.copy()
    q = np.empty(max(k.N_DERIVED, 1))
    k.derived(p, q)
    u = np.concatenate([np.zeros(system.n_states), system.signal_defaults])
    dy = np.empty(system.n_states)
    reps = 2_000_000
    rhs_loop(y, p, q, u, dy, 10)
    t0 = time.perf_counter()
    rhs_loop(y, p, q, u, dy, reps)
    rhs_ns = (time.perf_counter() - t0) / reps * 1e9

    P = virtual_patients(system.p0, n_patients)
    t = np.linspace(0, 48, 49)
    protocol = Protocol([lps_bolus(2.0)], clock_start=CLOCK)
    opts = SolverOptions(rtol=1e-6, atol=1e-9)
    solve(system, P[:2], protocol, t, options=opts)
    t0 = time.perf_counter()
    sol = solve(system, P, protocol, t, options=opts)
    per_sim = (time.perf_counter() - t0) / n_patients
    steps = float(sol.n_steps.mean())
    rhs_per_sim = steps * 6 + 2 * 4  # DP5 with FSAL: 6 new stages per step (+ restarts)
    print(json.dumps({
        "rhs_ns": round(rhs_ns, 1), "steps_per_sim": round(steps, 1),
        "rhs_evals_per_sim": round(rhs_per_sim),
        "sim_us": round(per_sim * 1e6, 1),
        "rhs_share": round(rhs_per_sim * rhs_ns * 1e-9 / per_sim, 3),
        "sims_per_s_one_core": round(1 / per_sim),
    }, indent=2))


if __name__ == "__main__":
    main()
