"""Global sensitivity of a per-patient statistic (e.g. TNF.peak) with SALib: Sobol indices
(Saltelli sampling) or Morris elementary effects, evaluated with the batch solver.

Each parameter varies log-uniformly over [value / fold, value * fold]."""

from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd

from ..compile import System
from ..diagnose import failure_causes
from ..errors import NeuroimmuneError, problem, require
from ..protocol import Protocol
from ..solve import SolverOptions, solve
from .population import STATISTICS, summarise

METHODS = ("sobol", "morris")
#: Patients per solve() call (progress is reported after each).
PART = 1024


def parse_statistic(system: System, output: str) -> tuple[str, str]:
    name, _, stat = output.rpartition(".")
    if name not in system.outputs or stat not in STATISTICS:
        raise NeuroimmuneError(problem("--output", f"OUTPUT.STATISTIC with an output of the "
                                       f"model and a statistic in {STATISTICS}", output,
                                       "e.g. --output TNF.peak"))
    return name, stat


def _available_memory() -> int | None:
    """Bytes of physical memory free now (None where the system does not say)."""
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _check_size(system: System, method: str, n, n_vars: int) -> None:
    """Refuse, before sampling, an --n that is not an integer >= 2 or whose samples cannot fit
    in memory: n (D + 2) (Sobol) or n (D + 1) (Morris) simulations, each holding its D sampled
    values, its full parameter row and its result (8 bytes each)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise NeuroimmuneError(problem("n (--n)", "an integer >= 2", n, "e.g. --n 256"))
    sims = int(n) * (n_vars + (2 if method == "sobol" else 1))
    need = sims * (n_vars + len(system.p0) + 1) * 8
    free = _available_memory()
    if free is not None and need > free:
        raise NeuroimmuneError(problem("n (--n)", f"a sample that fits in memory ({sims:,} "
                                       f"simulations need at least {need / 1e9:.3g} GB, "
                                       f"{free / 1e9:.3g} GB free)", n, "lower --n or pick "
                                       "fewer --params"))


def sensitivity(system: System, protocol: Protocol, t: np.ndarray, output: str, *,
                method: str = "sobol", n: int = 256, parameters: list[str] | None = None,
                fold: float = 2.0, seed: int = 0,
                options: SolverOptions = SolverOptions(), progress=None) -> pd.DataFrame:
    """Sensitivity indices of `output` (e.g. "TNF.peak") to each parameter, largest first.
    `progress(done, total)` is called as the simulations finish. Needs the 'sensitivity' extra."""
    require("SALib", "sensitivity", "sensitivity analysis")
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    if method not in METHODS:
        raise NeuroimmuneError(problem("--method", f"one of {METHODS}", method,
                                       "use sobol (variance-based) or morris (screening)"))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise NeuroimmuneError(problem("seed (--seed)", "an integer >= 0 (numpy's random "
                                       "streams take non-negative seeds)", seed, "e.g. --seed 1"))
    if not (fold > 1 and math.isfinite(fold)):
        raise NeuroimmuneError(problem("fold (--fold)", "a finite factor > 1", fold,
                                       "e.g. 2 (from half to double each value)"))
    name, stat = parse_statistic(system, output)
    # by default every free parameter with a value > 0 (a zero cannot vary by a factor)
    names = list(parameters or [p for p, v in zip(system.parameters, system.p0) if v > 0])
    unknown = [p for p in names if p not in system.parameters]
    if unknown:
        raise NeuroimmuneError(problem("--params", "free parameters of the model", unknown,
                                       "see `neuroimmune model` for the names"))
    _check_size(system, method, n, len(names))
    twice = sorted({p for p in names if names.count(p) > 1})
    if twice:
        raise NeuroimmuneError(problem("--params", "each parameter once", twice,
                                       "list every parameter once"))
    idx = [system.parameters.index(p) for p in names]
    base = system.p0[idx]
    if np.any(base <= 0):
        zero = [p for p, v in zip(names, base) if v <= 0]
        raise NeuroimmuneError(problem("--params", "parameters with a value > 0 (they vary "
                                       "log-uniformly by --fold)", zero, "leave them out"))
    spec = {"num_vars": len(names), "names": names,
            "bounds": [[np.log(v / fold), np.log(v * fold)] for v in base]}
    if method == "sobol":
        X = sobol_sample.sample(spec, n, calc_second_order=False, seed=seed)
    else:
        X = morris_sample.sample(spec, n, num_levels=4, seed=seed)
    P = np.tile(system.p0, (len(X), 1))
    P[:, idx] = np.exp(X)
    Y, bad, example = np.empty(len(P)), 0, ""
    if progress:
        progress(0, len(P))
    for part in range(0, len(P), PART):  # patients are independent: same values as one batch
        sol = solve(system, P[part:part + PART], protocol, t, options=options)
        failed = np.flatnonzero(sol.status != 0)
        if failed.size and not example:  # the first failure's cause, from a bounded rerun
            k = int(failed[0])
            cause = failure_causes(system, sol, protocol, options, patients=[k], limit=1)[k]
            example = f" (sample {part + k}: {cause})"
        bad += failed.size
        Y[part:part + PART] = summarise(system, sol, [name])[f"{name}.{stat}"]
        if progress:
            progress(min(part + PART, len(P)), len(P))
    if bad:
        raise NeuroimmuneError(problem("sensitivity", "every sampled patient to solve", f"{bad} "
                                       f"of {len(P)} failed{example}", "narrow the range "
                                       "(fold) or pick fewer parameters"))
    if method == "sobol":
        r = sobol_analyze.analyze(spec, Y, calc_second_order=False, seed=seed)
        frame = pd.DataFrame({"parameter": names, "S1": r["S1"], "S1_conf": r["S1_conf"],
                              "ST": r["ST"], "ST_conf": r["ST_conf"]}).sort_values("ST")
    else:
        r = morris_analyze.analyze(spec, X, Y, num_levels=4, seed=seed)
        frame = pd.DataFrame({"parameter": names, "mu_star": r["mu_star"],
                              "mu_star_conf": r["mu_star_conf"], "sigma": r["sigma"]}
                             ).sort_values("mu_star")
    frame = frame.iloc[::-1].reset_index(drop=True)
    frame.attrs.update(output=output, method=method, n_simulations=len(P), fold=fold)
    return frame
