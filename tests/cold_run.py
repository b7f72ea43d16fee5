"""The runs the cold-start tests compare across processes (tests/conftest.py `cold_innate`):
`digest(system)` hashes the results of Dormand-Prince on one patient and on the lanes, and of
Rodas4. Run as a script, it compiles the innate model (from the kernel cache that
NEUROIMMUNE_CACHE_DIR names) and prints the digest, the cache hits and misses of the three
solver entries, the mtime of the kernel module's source and the cache misses of the model's
kernels (its kernel and Jacobian modules)."""

import hashlib
import os

import numba
import numpy as np

from neuroimmune import Protocol, SolverOptions, compile_model, innate, lps_bolus, solve
from neuroimmune.analysis.bench import virtual_patients


def compiled_signatures(module) -> dict[str, int]:
    """Number of compiled (or cache-loaded) signatures of each numba function of a module."""
    return {name: len(f.signatures) for name, f in vars(module).items()
            if isinstance(f, numba.core.registry.CPUDispatcher)}


def digest(system) -> str:
    protocol = Protocol([lps_bolus(2.0)], clock_start=8.0)
    t = np.linspace(0.0, 24.0, 49)
    h = hashlib.sha256()
    for n, method in ((1, "dopri5"), (20, "dopri5"), (3, "rodas4")):
        sol = solve(system, virtual_patients(system.p0, n, cv=0.3, seed=n), protocol, t,
                    options=SolverOptions(method=method))
        for a in (sol.outputs, sol.status, sol.n_steps, sol.y_end):
            h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


if __name__ == "__main__":
    system = compile_model(innate())
    d = digest(system)
    solver = system.kernels.shared_solver()
    stats = [getattr(solver, f).stats for f in ("solve_serial_dp5", "_lanes_chunks",
                                                 "solve_batch")]
    k = system.kernels
    model = [getattr(k, f).stats for f in ("rhs", "rhs_lanes", "derived", "observe")]
    model += [getattr(k.jacobian_kernels(), f).stats for f in ("jac", "derived")]
    print(d, sum(sum(s.cache_hits.values()) for s in stats),
          sum(sum(s.cache_misses.values()) for s in stats),
          os.path.getmtime(system.source_path),
          sum(sum(s.cache_misses.values()) for s in model))
