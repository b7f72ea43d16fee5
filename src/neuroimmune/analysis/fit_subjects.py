"""Fitting many subjects (`neuroimmune fit`, docs/fitting.md): one `fit` with profile
likelihoods per subject, subjects in parallel worker processes, a failure reported for its
subject (never a crash of the run), and the output folder.

Workers are spawned processes (not forked: numba's threads do not survive a fork), each builds
the compiled system once from `make_system` (a picklable zero-argument callable; the kernels come
from the on-disk cache) and runs with one numba thread, so the workers share the cores.
"""

from __future__ import annotations

import datetime as _dt
import functools
import multiprocessing
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .. import plotting
from ..atomic import atomic_path
from ..compile import System
from ..parameter_sets import ParameterSet, write_parameter_set
from ..protocol import Protocol
from .fit import FitResult, fit, predict

#: Points of the fitted curves in the figures (from 0 to the last measurement).
CURVE_POINTS = 201
#: Fewer subjects than this are fitted in this process (starting a worker costs about 2 s).
PARALLEL_FROM = 3


@dataclass(frozen=True)
class SubjectFit:
    """One subject's fit: `result` (None when it failed, then `error` says why), the CPU
    seconds it took, its data (model units) and the fitted curves (time, output, value)."""

    subject: str
    data: pd.DataFrame
    result: FitResult | None = None
    error: str = ""
    seconds: float = 0.0
    curves: pd.DataFrame | None = None

    @property
    def status(self) -> str:
        if self.result is None:
            return "failed"
        return "ok" if self.result.success else "not converged"


def default_workers(n_subjects: int) -> int:
    """Worker processes for `n_subjects`: one per core, none (this process) for a few."""
    if n_subjects < PARALLEL_FROM:
        return 1
    return max(1, min(n_subjects, os.cpu_count() or 1))


_SYSTEM: System | None = None


def _start_worker(make_system: Callable[[], System]) -> None:
    import numba

    global _SYSTEM
    numba.set_num_threads(1)
    _SYSTEM = make_system()


def _fit_one(subject: str, data: pd.DataFrame, parameters: list[str], protocol: Protocol,
             options: dict, system: System | None = None) -> SubjectFit:
    system = system or _SYSTEM
    t0 = time.process_time()
    try:
        assert system is not None, "the worker has no system"
        result = fit(system, protocol, data, parameters, profiles=True, **options)
        t = np.linspace(0.0, float(data["time"].max()), CURVE_POINTS)
        fitted = predict(system, protocol, result.parameters, list(dict.fromkeys(data["output"])),
                         t, **({"options": options["options"]} if "options" in options else {}))
    except Exception as exc:  # noqa: BLE001 - a subject's failure is reported, never a crash
        return SubjectFit(subject, data, error=f"{type(exc).__name__}: {exc}",
                          seconds=time.process_time() - t0)
    return SubjectFit(subject, data, result, seconds=time.process_time() - t0, curves=fitted)


def fit_subjects(system: System, protocol: Protocol, data: pd.DataFrame, parameters: list[str],
                 *, make_system: Callable[[], System] | None = None, workers: int | None = None,
                 progress: Callable[[int, int], None] | None = None, **options) -> list[SubjectFit]:
    """Fit `parameters` to each subject of `data` (read_observations' layout) under `protocol`;
    `options` go to `fit` (bounds, starts, seed, noise, max_nfev, options, level).

    workers: processes (default `default_workers`); more than one needs `make_system`, which
    each worker calls once to build its system (the same model as `system`). progress: called as
    progress(subjects done, subjects)."""
    groups = {s: d.reset_index(drop=True) for s, d in data.groupby("subject", sort=False)}
    n = len(groups)
    workers = default_workers(n) if workers is None else max(1, int(workers))
    if make_system is None or n < 2:
        workers = 1
    done: dict[str, SubjectFit] = {}
    if progress:
        progress(0, n)
    if workers == 1:
        for s, d in groups.items():
            done[s] = _fit_one(s, d, parameters, protocol, options, system)
            if progress:
                progress(len(done), n)
    else:
        assert make_system is not None
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(min(workers, n), mp_context=context,
                                 initializer=functools.partial(_start_worker, make_system)
                                 ) as pool:
            futures = {pool.submit(_fit_one, s, d, parameters, protocol, options): s
                       for s, d in groups.items()}
            for future in as_completed(futures):
                s = futures[future]
                try:
                    done[s] = future.result()
                except (BrokenProcessPool, OSError, RuntimeError) as exc:
                    done[s] = SubjectFit(s, groups[s], error=f"worker process failed: "
                                         f"{type(exc).__name__}: {exc}")
                if progress:
                    progress(len(done), n)
    return [done[s] for s in groups]


# -- the output folder ---------------------------------------------------------------------------
def _file_name(subject: str, taken: set[str]) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", subject).strip("._") or "subject"
    base, k = name, 2
    while name in taken:
        name, k = f"{base}_{k}", k + 1
    taken.add(name)
    return name


def save_fits(folder: str | Path, fits: list[SubjectFit], system: System, *,
              base: ParameterSet | None = None, provenance: tuple[str, ...] = (),
              source: str = "data", figures: bool = True) -> list[Path]:
    """Write into `folder` (created): estimates.csv (one row per subject and estimated quantity:
    value, profile-likelihood interval, identifiability), fits.csv (one row per subject: status,
    cost, data points, evaluations, CPU seconds, error), and per fitted subject
    parameters_<subject>.csv (a parameter-set file for `simulate --parameters`: the base set's
    values and the fitted ones), fit_<subject>.png (data and fitted curves) and
    profiles_<subject>.png. `provenance`: header lines of the parameter files (e.g. 'command:
    ...'); `source`: the data's name there. Returns the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written, rows, tables = [], [], []
    taken: set[str] = set()
    for f in fits:
        stem = _file_name(f.subject, taken)
        r = f.result
        row = {"subject": f.subject, "status": f.status, "cost": r.cost if r else np.nan,
               "n_data": len(f.data), "n_evaluations": r.n_evaluations if r else 0,
               "cpu_seconds": round(f.seconds, 3), "parameter_file": "",
               "message": f.error or (r.message if r else "")}
        if r is not None:
            tables.append(r.table().assign(subject=f.subject))
            path = folder / f"parameters_{stem}.csv"
            written.append(_write_set(path, f, system, base, provenance, source))
            row["parameter_file"] = path.name
            if figures:
                written.append(folder / f"fit_{stem}.png")
                plotting.plot_fit(f.curves, f.data, written[-1], title=f"subject {f.subject}: "
                                  f"{r.noise_model} noise, cost {r.cost:.4g}")
                written.append(folder / f"profiles_{stem}.png")
                plotting.plot_profiles(list(r.profiles.values()), written[-1],
                                       title=f"subject {f.subject}: profile likelihoods")
        rows.append(row)
    estimates = (pd.concat(tables, ignore_index=True) if tables else
                 pd.DataFrame(columns=["subject", "parameter"]))
    estimates = estimates[["subject"] + [c for c in estimates.columns if c != "subject"]]
    for name, frame in (("estimates.csv", estimates), ("fits.csv", pd.DataFrame(rows))):
        with atomic_path(folder / name) as tmp:
            frame.to_csv(tmp, index=False)
        written.append(folder / name)
    return written


def _write_set(path: Path, f: SubjectFit, system: System, base: ParameterSet | None,
               provenance: tuple[str, ...], source: str) -> Path:
    r = f.result
    assert r is not None
    table = r.table().set_index("parameter")
    rows = []
    for name, value in r.parameters.items():
        t = table.loc[name]
        rows.append({"name": name, "value": f"{value:.8g}",
                     "unit": system.parameter_units[system.parameters.index(name)],
                     "lower": f"{t['lower']:.6g}" if np.isfinite(t["lower"]) else "",
                     "upper": f"{t['upper']:.6g}" if np.isfinite(t["upper"]) else "",
                     "identifiability": t["identifiability"],
                     "at_bound": str(bool(t["at_bound"])).lower(), "optional": "false"})
    if base is not None:
        rows += [{"name": n, "value": f"{v:.8g}", "unit": base.units[n], "lower": "",
                  "upper": "", "identifiability": "not fitted (base set)", "at_bound": "",
                  "optional": str(n in base.optional).lower()}
                 for n, v in base.values.items() if n not in r.parameters]
    noise = ", ".join(f"{k} = {v:.4g}" for k, v in r.noise.items()) or "given per row"
    header = [f"Parameter set fitted by neuroimmune fit: subject {f.subject} "
              "(docs/fitting.md)",
              *provenance,
              f"data: {source}, subject {f.subject}: {len(f.data)} measurements of "
              + ", ".join(dict.fromkeys(f.data["output"])),
              f"procedure: multistart bounded least squares on log-parameters (the estimation "
              f"engine), {len(r.starts)} start(s); intervals: profile likelihood, the cost may "
              f"rise by {next(iter(r.profiles.values())).threshold:.4g} (95 %, chi-square 1 df / "
              "2); lower/upper empty: open (not bounded by the data)",
              f"noise: {r.noise_model}; sd: {noise}",
              f"fit: {len(f.data)} measurements, cost (-log L + const) {r.cost:.6g}, "
              f"{'converged' if r.success else 'NOT converged'} ({r.message}), "
              f"{r.n_evaluations} parameter sets solved",
              f"date: {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC"]
    return write_parameter_set(path, pd.DataFrame(rows), header)
