"""`neuroimmune bench`: our engine against libRoadRunner on the same model and patients.

Both engines integrate the standard model (LPS 2 ng/kg at 08:00, 0-48 h, rtol 1e-6; every patient
starts from the nominal subject's 08:00 state on the circadian limit cycle) for the same
lognormal virtual patients, in the same run and on the same cores: ours with numba threads,
libRoadRunner (CVODE on the exported SBML; reset + setGlobalParameterValues per patient) with one
process per core. RoadRunner's rate counts integration time only (its slowest worker), not process
start or SBML loading (reported separately as `..._wall`), so the ratio is conservative.
Accuracy of each is measured against a tight-tolerance reference (our verified Dormand-Prince at
rtol 1e-12) on a subset of patients.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import numpy as np

from ..compile import compile_model
from ..errors import require
from ..io.sbml import to_sbml
from ..model.core import compose
from ..model.library import STANDARD
from ..protocol import Protocol, lps_bolus
from ..solve import SolverOptions, solve

T_END = 48.0
CLOCK = 8.0
RTOL, ATOL = 1e-6, 1e-9


def virtual_patients(p0: np.ndarray, n: int, cv: float = 0.2, seed: int = 0) -> np.ndarray:
    """Lognormal patients around the defaults (coefficient of variation `cv`)."""
    sigma = np.sqrt(np.log(1 + cv**2))
    rng = np.random.default_rng(seed)
    return p0 * rng.lognormal(-sigma**2 / 2, sigma, size=(n, p0.size))


def _on_limit_cycle(model):
    """The model with its initial state replaced by the nominal subject's 08:00 state on the
    circadian limit cycle (as the scenarios start), so both engines start from it."""
    system = compile_model(model)
    pre = solve(system, None, Protocol([], clock_start=CLOCK, preequilibrate_days=200),
                np.array([0.0]))
    species = tuple(replace(s, initial=float(v)) for s, v in zip(model.species, pre.y_end[0]))
    return replace(model, species=species)


def _rr_worker(args):
    sbml, names, free, params, t, rtol, atol, lps = args
    import roadrunner

    rr = roadrunner.RoadRunner(sbml)
    rr.integrator.relative_tolerance = rtol
    rr.integrator.absolute_tolerance = atol
    ids = list(rr.model.getGlobalParameterIds())
    idx = np.array([ids.index(n) for n in free], dtype=np.int32)
    out = np.empty((len(params), len(t), len(names)))
    t0 = time.perf_counter()
    for i, p in enumerate(params):
        rr.resetAll()
        rr.model.setGlobalParameterValues(idx, p)
        rr.LPS = lps
        out[i] = rr.simulate(float(t[0]), float(t[-1]), len(t), names)
    return out, time.perf_counter() - t0


def _rel_error(x: np.ndarray, ref: np.ndarray) -> float:
    scale = np.maximum(np.abs(ref), 1e-3 * np.abs(ref).max(axis=(0, 1), keepdims=True) + 1e-300)
    return float(np.nanmax(np.abs(x - ref) / scale))


#: The steps of run_benchmark, in order (its `progress(step, STEPS)` counts them).
STEPS = 5


def run_benchmark(n: int = 10_000, cores: int | None = None, n_reference: int = 50,
                  startup: bool = True, progress=None) -> dict:
    """Needs the 'bench' extra (libRoadRunner, python-libsbml). `progress(done, STEPS, what)`
    is called before each step."""
    import numba

    require("roadrunner", "bench", "bench", "libroadrunner")
    require("libsbml", "bench", "bench", "python-libsbml")

    def step(k, what):
        if progress:
            progress(k, STEPS, what)

    cores = cores or os.cpu_count() or 1
    step(0, "compiling the standard model")
    model = _on_limit_cycle(compose(*(f() for f in STANDARD)))
    system = compile_model(model)
    protocol = Protocol([lps_bolus("2 ng/kg")], clock_start=CLOCK)
    t = np.linspace(0.0, T_END, 49)
    P = virtual_patients(system.p0, n)
    opts = SolverOptions(rtol=RTOL, atol=ATOL)
    step(1, "latency of single patients")
    numba.set_num_threads(1)
    lat = []
    for i in range(120):  # one patient per call, through the public solve(); first 20 warm up
        t0 = time.perf_counter()
        solve(system, P[i:i + 1], protocol, t, options=opts)
        lat.append(time.perf_counter() - t0)
    lat = lat[20:]
    numba.set_num_threads(cores)
    step(2, f"{n} patients with neuroimmune")
    # load (or compile) the kernels of the batch path the timed run takes (8-patient lanes)
    solve(system, P[:4 * system.kernels.LANES * cores], protocol, t, options=opts)
    t0 = time.perf_counter()
    ours = solve(system, P, protocol, t, options=opts)
    ours_wall = time.perf_counter() - t0

    sbml = to_sbml(model, clock_start=CLOCK)
    free = list(system.parameters)
    names = list(system.states)
    chunks = np.array_split(P, cores)
    step(3, f"{n} patients with libRoadRunner")
    t0 = time.perf_counter()
    with ProcessPoolExecutor(cores) as pool:
        results = list(pool.map(_rr_worker, [(sbml, names, free, c, t, RTOL, ATOL, 2.0)
                                             for c in chunks]))
    rr_wall = time.perf_counter() - t0
    rr_out = np.concatenate([r[0] for r in results])
    rr_busy = max(r[1] for r in results)
    _, rr_single = _rr_worker((sbml, names, free, P[:50], t, RTOL, ATOL, 2.0))

    step(4, "accuracy against a tight reference" + (" and start-up" if startup else ""))
    k = min(n_reference, n)
    ref = solve(system, P[:k], protocol, t, options=SolverOptions(rtol=1e-12, atol=1e-14))
    ns = system.n_states
    ok = (ours.status[:k] == 0) & (ref.status == 0)
    err_ours = _rel_error(ours.outputs[:k, :, :ns][ok], ref.outputs[:, :, :ns][ok])
    err_rr = _rel_error(rr_out[:k][ok], ref.outputs[:, :, :ns][ok])
    result = {
        "n_patients": n, "cores": cores, "n_states": ns, "t_end_h": T_END, "rtol": RTOL,
        "sims_per_s_per_core": n / ours_wall / cores,
        "roadrunner_sims_per_s_per_core": n / rr_busy / cores,
        "roadrunner_sims_per_s_per_core_wall": n / rr_wall / cores,
        "latency_ms": 1e3 * float(np.median(lat)),
        "roadrunner_latency_ms": 1e3 * rr_single / 50,
        "max_rel_error": err_ours, "roadrunner_max_rel_error": err_rr,
        "failed_patients": int((ours.status != 0).sum()),
    }
    result["ratio"] = result["sims_per_s_per_core"] / result["roadrunner_sims_per_s_per_core"]
    if startup:
        result.update(startup_times())
    return result


_CHILD = """
import numpy as np
from neuroimmune import Protocol, compile_model, compose, lps_bolus, solve
from neuroimmune.model.library import STANDARD
system = compile_model(compose(*(f() for f in STANDARD)))
sol = solve(system, None, Protocol([lps_bolus(2.0)], clock_start=8), np.linspace(0, 48, 49))
assert sol.status[0] == 0
"""


def startup_times() -> dict:
    """compile_s: fresh process, empty kernel cache, to the first result; warm_start_s: fresh
    process with the cache filled, to the first result (both include interpreter start)."""
    def child(cache):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", _CHILD], check=True,
                       env={**os.environ, "NEUROIMMUNE_CACHE_DIR": cache})
        return time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as cache:
        cold = child(cache)
        warm = min(child(cache) for _ in range(3))
    return {"compile_s": cold, "warm_start_s": warm}


def main() -> None:  # python -m neuroimmune.analysis.bench
    print(json.dumps(run_benchmark(), indent=2))


if __name__ == "__main__":
    main()
