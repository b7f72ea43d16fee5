"""`neuroimmune bench`: our engine against libRoadRunner on the same model and patients.

Both engines integrate a bench model (`standard`: the standard model; `full`: the standard model
with every library module that composes with it) after LPS 2 ng/kg at 08:00, 0-48 h, rtol 1e-6;
every patient starts from the nominal subject's 08:00 state on the circadian limit cycle, and the
patients are lognormal around the defaults with coefficient of variation `cv`. Ours runs on numba
threads, libRoadRunner (CVODE on the exported SBML; reset + setGlobalParameterValues per patient)
in one process per core, each loading the SBML once (not timed).

Speed is CPU time, not wall time: the patients are split into blocks and the two engines take
turns block by block (ours, then libRoadRunner's, on every core), so both see the same machine
load, and each engine's rate is patients per CPU-second (= per core-second; our CPU time is the
whole process's, threads included, libRoadRunner's the sum over its worker processes). Each
engine's failed patients are counted (`failed_patients`, `roadrunner_failed_patients`; a
libRoadRunner patient fails when CVODE raises). Accuracy of each is measured against a
tight-tolerance reference (our verified Dormand-Prince at rtol 1e-12) on a subset of patients.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from ..compile import System, cached_system, compile_model
from ..errors import NeuroimmuneError, problem, require
from ..protocol import Protocol, lps_bolus
from ..solve import SolverOptions, solve

if TYPE_CHECKING:
    from ..model.core import Module

T_END = 48.0
CLOCK = 8.0
RTOL, ATOL = 1e-6, 1e-9
MAX_STEPS = SolverOptions().max_steps
#: The bench models: `full` adds every library module that composes with the standard model (not
#: the alternatives that replace one of its modules, REPLACES).
MODELS = ("standard", "full")
#: Coefficients of variation the bench accepts (0: every patient the nominal subject).
CV_RANGE = (0.0, 2.0)


def _check_model(name) -> str:
    if name not in MODELS:
        raise NeuroimmuneError(problem("bench model", f"one of {list(MODELS)}", name,
                                       "use --model standard (innate, HPA, fever, autonomic) or "
                                       "--model full (plus every module that composes with it)"))
    return name


def bench_model(name: str = "standard") -> Module:
    """The composed bench model `name` (one of MODELS), from the modules' initial values."""
    from ..model.core import compose
    from ..model.library import EXTRA, REPLACES, STANDARD

    _check_model(name)
    modules = [f() for f in STANDARD]
    if name == "full":
        modules += [f() for f in EXTRA if f().name not in REPLACES]
    return compose(*modules)


def bench_system(name: str = "standard") -> System:
    """compile_model(bench_model(name)), from its cached description when there is one (a warm
    start without sympy: compile.cached_system)."""
    _check_model(name)
    return cached_system(f"bench model {name}", lambda: bench_model(name))


def _check_cv(cv) -> float:
    lo, hi = CV_RANGE
    if (isinstance(cv, bool) or not isinstance(cv, (int, float)) or not math.isfinite(cv)
            or not lo <= cv <= hi):
        raise NeuroimmuneError(problem("patient variability (--cv)", f"a coefficient of "
                                       f"variation in [{lo:g}, {hi:g}]", cv,
                                       "e.g. --cv 0.2 (20 % lognormal variability, the default)"
                                       "; 0 makes every patient the nominal subject"))
    return float(cv)


def virtual_patients(p0: np.ndarray, n: int, cv: float = 0.2, seed: int = 0) -> np.ndarray:
    """Lognormal patients around the defaults (coefficient of variation `cv`)."""
    sigma = np.sqrt(np.log(1 + _check_cv(cv)**2))
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


# -- libRoadRunner workers: the SBML is loaded once per process (pool initializer) ---------------
_RR: dict = {}


def _rr_init(sbml, free, rtol, atol, max_steps):
    import roadrunner

    rr = roadrunner.RoadRunner(sbml)
    rr.integrator.relative_tolerance = rtol
    rr.integrator.absolute_tolerance = atol
    rr.integrator.maximum_num_steps = max_steps
    ids = list(rr.model.getGlobalParameterIds())
    _RR.update(rr=rr, idx=np.array([ids.index(n) for n in free], dtype=np.int32))


def _rr_chunk(args):
    """Simulate the patients `params`: outputs (NaN for a failed patient), failed flags and the
    CPU seconds this process spent."""
    params, t, names, lps = args
    rr, idx = _RR["rr"], _RR["idx"]
    out = np.full((len(params), len(t), len(names)), np.nan)
    failed = np.zeros(len(params), dtype=bool)
    c0 = time.process_time()
    for i, p in enumerate(params):
        rr.resetAll()
        rr.model.setGlobalParameterValues(idx, p)
        rr.LPS = lps
        try:
            out[i] = rr.simulate(float(t[0]), float(t[-1]), len(t), names)
        except RuntimeError:  # CVODE gave up (too much work, step size too small ...)
            failed[i] = True
    return out, failed, time.process_time() - c0


def _rel_error(x: np.ndarray, ref: np.ndarray) -> float:
    """Largest error relative to the reference value, or to 1e-3 of the state's largest value,
    or to the absolute tolerance ATOL, whichever is largest: a state that is zero throughout
    (a drug not given) has no scale of its own, and CVODE leaves 1e-23 there."""
    scale = np.maximum(np.abs(ref), 1e-3 * np.abs(ref).max(axis=(0, 1), keepdims=True))
    scale = np.maximum(scale, ATOL)
    return float(np.nanmax(np.abs(x - ref) / scale)) if x.size else float("nan")


#: The steps of run_benchmark, in order (its `progress(step, STEPS)` counts them).
STEPS = 5


def run_benchmark(n: int = 10_000, cores: int | None = None, n_reference: int = 50,
                  startup: bool = True, progress=None, *, model: str = "standard",
                  cv: float = 0.2, blocks: int = 5) -> dict:
    """Needs the 'bench' extra (libRoadRunner, python-libsbml). `progress(done, STEPS, what)`
    is called before each step. `blocks`: how many turns each engine takes."""
    import numba

    require("roadrunner", "bench", "bench", "libroadrunner")
    require("libsbml", "bench", "bench", "python-libsbml")
    _check_model(model)
    cv = _check_cv(cv)
    for name, value, least in (("n", n, 1), ("blocks", blocks, 1), ("cores", cores or 1, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise NeuroimmuneError(problem(f"bench {name}", f"an integer >= {least}", value,
                                           f"e.g. {name}=4"))

    def step(k, what):
        if progress:
            progress(k, STEPS, what)

    cores = cores or os.cpu_count() or 1
    step(0, f"compiling the {model} model")
    bm = _on_limit_cycle(bench_model(model))
    system = compile_model(bm)
    protocol = Protocol([lps_bolus("2 ng/kg")], clock_start=CLOCK)
    t = np.linspace(0.0, T_END, 49)
    P = virtual_patients(system.p0, n, cv)
    opts = SolverOptions(rtol=RTOL, atol=ATOL)
    step(1, "latency of single patients")
    result: dict = {"model": model, "cv": cv, "n_patients": n, "cores": cores,
              "n_states": system.n_states, "t_end_h": T_END, "rtol": RTOL}
    result.update(_latency(system, protocol, t, P, opts))
    numba.set_num_threads(cores)
    # load (or compile) the kernels of the batch path the timed run takes (8-patient lanes)
    solve(system, P[:min(n, 4 * system.kernels.LANES * cores)], protocol, t, options=opts)

    from ..io.sbml import to_sbml

    sbml = to_sbml(bm, clock_start=CLOCK)
    names = list(system.states)
    ns = system.n_states
    ours_out = np.empty((n, t.size, ns))
    ours_status = np.zeros(n, dtype=np.int64)
    ours_steps = np.zeros(n, dtype=np.int64)
    rr_out = np.empty((n, t.size, ns))
    rr_failed = np.zeros(n, dtype=bool)
    ours_cpu = rr_cpu = ours_wall = rr_wall = 0.0
    step(2, f"{n} patients, {blocks} turns each for neuroimmune and libRoadRunner")
    with ProcessPoolExecutor(cores, initializer=_rr_init,
                             initargs=(sbml, list(system.parameters), RTOL, ATOL,
                                       MAX_STEPS)) as pool:
        for block in np.array_split(np.arange(n), blocks):
            if block.size == 0:
                continue
            w0, c0 = time.perf_counter(), time.process_time()
            sol = solve(system, P[block], protocol, t, options=opts)
            ours_cpu += time.process_time() - c0
            ours_wall += time.perf_counter() - w0
            ours_out[block] = sol.outputs[:, :, :ns]
            ours_status[block] = sol.status
            ours_steps[block] = sol.n_steps
            w0 = time.perf_counter()
            chunks = [c for c in np.array_split(block, cores) if c.size]
            for c, (out, failed, cpu) in zip(chunks, pool.map(
                    _rr_chunk, [(P[c], t, names, 2.0) for c in chunks])):
                rr_out[c], rr_failed[c] = out, failed
                rr_cpu += cpu
            rr_wall += time.perf_counter() - w0
        step(3, "libRoadRunner latency")
        _, _, rr_single = pool.submit(_rr_chunk, (P[:50], t, names, 2.0)).result()

    step(4, "accuracy against a tight reference" + (" and start-up" if startup else ""))
    k = min(n_reference, n)
    ref = solve(system, P[:k], protocol, t, options=SolverOptions(rtol=1e-12, atol=1e-14))
    ok = (ours_status[:k] == 0) & ~rr_failed[:k] & (ref.status == 0)
    ref_y = ref.outputs[:, :, :ns][ok]
    steps_sorted = np.sort(ours_steps)[::-1]
    result.update({
        "sims_per_s_per_core": n / ours_cpu,
        "roadrunner_sims_per_s_per_core": n / rr_cpu,
        "cpu_s": ours_cpu, "roadrunner_cpu_s": rr_cpu,
        "wall_s": ours_wall, "roadrunner_wall_s": rr_wall, "blocks": blocks,
        "roadrunner_latency_ms": 1e3 * rr_single / min(50, n),
        "max_rel_error": _rel_error(ours_out[:k][ok], ref_y),
        "roadrunner_max_rel_error": _rel_error(rr_out[:k][ok], ref_y),
        "reference_patients": int(ok.sum()),
        "failed_patients": int((ours_status != 0).sum()),
        "roadrunner_failed_patients": int(rr_failed.sum()),
        "steps_median": float(np.median(ours_steps)),
        "steps_share_top_1pct": float(steps_sorted[:max(1, n // 100)].sum()
                                      / max(1, steps_sorted.sum())),
    })
    result["ratio"] = rr_cpu / ours_cpu  # = our sims / s / core over libRoadRunner's
    if startup:
        result.update(startup_times(model))
    return result


def _latency(system, protocol, t, P, opts, calls: int = 100, warmup: int = 20) -> dict:
    """Median wall time of one-patient calls: `solve` (arrays) and `simulate` (labelled)."""
    import numba

    from ..results import simulate

    numba.set_num_threads(1)
    lat, sim = [], []
    m = P.shape[0]
    for i in range(calls + warmup):
        p = P[i % m:i % m + 1]
        t0 = time.perf_counter()
        solve(system, p, protocol, t, options=opts)
        t1 = time.perf_counter()
        simulate(system, protocol, t, params=p, options=opts)
        t2 = time.perf_counter()
        if i >= warmup:
            lat.append(t1 - t0)
            sim.append(t2 - t1)
    return {"latency_ms": 1e3 * float(np.median(lat)),
            "simulate_latency_ms": 1e3 * float(np.median(sim))}


#: What a fresh process runs for compile_s and warm_start_s: every kernel the bench needs (the
#: one-patient path and the lanes of a batch).
_CHILD = """
import sys
import numpy as np
from neuroimmune import Protocol, lps_bolus, solve
from neuroimmune.analysis.bench import bench_system
system = bench_system(sys.argv[1])
protocol = Protocol([lps_bolus(2.0)], clock_start=8)
t = np.linspace(0, 48, 49)
one = solve(system, None, protocol, t)
batch = solve(system, np.tile(system.p0, (2 * system.kernels.LANES, 1)), protocol, t)
assert one.status[0] == 0 and (batch.status == 0).all()
"""


def startup_times(model: str = "standard") -> dict:
    """compile_s: fresh process, empty kernel cache, to the first results of one patient and of
    a batch on the lanes (every kernel the bench runs); warm_start_s: the same with the cache
    filled (best of three). Both include interpreter start and imports; wall seconds, and the
    child's CPU seconds (user + system, its threads included: steadier on a shared machine)."""
    import resource

    def child(cache):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", _CHILD, model], check=True,
                       env={**os.environ, "NEUROIMMUNE_CACHE_DIR": cache})
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    with tempfile.TemporaryDirectory() as cache:
        cold = child(cache)
        warm = min(child(cache) for _ in range(3))
    return {"compile_s": cold[0], "warm_start_s": warm[0], "compile_cpu_s": cold[1],
            "warm_start_cpu_s": warm[1]}


def main() -> None:  # python -m neuroimmune.analysis.bench
    print(json.dumps(run_benchmark(), indent=2))


if __name__ == "__main__":
    main()
