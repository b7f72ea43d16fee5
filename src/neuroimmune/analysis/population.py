"""Virtual populations: parameter distributions, a plausibility filter, and cohort runs streamed
to disk in chunks that resume after an interruption.

A `Population` draws lognormal parameters around the model defaults (a coefficient of variation
per parameter, optional correlations on the log scale), optionally a mixture of subject profiles
(e.g. 50 % 'healthy-man', 50 % 'healthy-woman'; each patient's profile is applied before the
variability) and continuous covariates such as age with exponential covariate effects
(parameter x exp(effect x (covariate - reference)), the usual population-PK form). A cohort
is run chunk by chunk: each chunk's patients come from a random stream seeded by (seed, chunk
index), candidates outside the plausibility ranges are rejected and redrawn (acceptance/rejection
as in Allen et al. 2016 CPT Pharmacometrics Syst Pharmacol 5:140), and each finished chunk is
written atomically. A restarted
run skips finished chunks, so an interrupted cohort ends with exactly the same patients.

A cohort folder belongs to one experiment. Its manifest.json holds the readable arguments and a
sha256 content hash of everything that determines the results (the scenario's content, the
population and solver options, n, the chunk size, the package version, the compiled model's key
and the parameter values actually used); a run into an existing folder with other inputs is
refused and the message names what differs. A run holds the folder's lock file (.lock) from the
manifest check to the last chunk, so a second run into the same folder fails at once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

import numpy as np
import pandas as pd
import sympy as sp
from scipy.stats import truncnorm

from .._version import __version__
from ..atomic import atomic_path, atomic_write_bytes
from ..compile import System
from ..diagnose import failure_causes, status_message
from ..errors import NeuroimmuneError, problem, require
from ..protocol import Protocol
from ..solve import Solution, SolverOptions, solve
from ..statistics import auc, end_value, peak, time_of_peak

STATISTICS = ("peak", "time_to_peak", "auc", "end")
#: Largest coefficient of variation a population takes: a lognormal CV of 10 already spreads a
#: parameter over a factor of about 70 either way at two SD (sigma 2.15); larger ones overflow
#: the draw (cv**2) long before they mean anything.
MAX_CV = 10.0
DISTRIBUTIONS = ("normal", "uniform")


@dataclass(frozen=True)
class Covariate:
    """A continuous patient covariate (e.g. age in years) and its effects on parameters.

    distribution 'normal': mean and sd, truncated to [low, high] (scipy truncnorm: no
    values piled up at the bounds);
    'uniform': on [low, high]. effects[parameter] = theta: the parameter is multiplied by
    exp(theta * (value - reference))."""

    distribution: str
    low: float
    high: float
    mean: float = 0.0
    sd: float = 0.0
    reference: float = 0.0
    effects: Mapping[str, float] = field(default_factory=dict)

    def validate(self, name: str, system: System) -> None:
        where = f"Population.covariates[{name!r}]"
        if self.distribution not in DISTRIBUTIONS:
            raise NeuroimmuneError(problem(f"{where}.distribution", f"one of {DISTRIBUTIONS}",
                                           self.distribution, "e.g. 'normal'"))
        numbers = (self.low, self.high, self.mean, self.sd, self.reference)
        if not all(np.isfinite(numbers)) or not self.low < self.high:
            raise NeuroimmuneError(problem(f"{where} bounds", "finite numbers with low < high",
                                           (self.low, self.high), "e.g. low=18, high=80"))
        if self.distribution == "normal" and not (self.sd > 0 and
                                                  self.low <= self.mean <= self.high):
            raise NeuroimmuneError(problem(f"{where} mean/sd", "sd > 0 and low <= mean <= high",
                                           (self.mean, self.sd), "e.g. mean=45, sd=12"))
        for par, theta in self.effects.items():
            if par not in system.parameters or not np.isfinite(theta):
                raise NeuroimmuneError(problem(f"{where}.effects[{par!r}]", "a free parameter "
                                               "of the model and a finite coefficient", theta,
                                               "see `neuroimmune model` for the names"))

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        if self.distribution == "uniform":
            return rng.uniform(self.low, self.high, n)
        a, b = (self.low - self.mean) / self.sd, (self.high - self.mean) / self.sd
        return truncnorm.rvs(a, b, loc=self.mean, scale=self.sd, size=n, random_state=rng)


@dataclass(frozen=True)
class Population:
    """Lognormal variability: `cv[name]` for named parameters, `default_cv` for all other free
    parameters; `correlations[(a, b)]` between log-parameters; `plausible[(output, statistic)]`
    = (low, high) accepted range of a per-patient statistic; `profiles[name]` = fraction of
    patients with that subject profile (neuroimmune.profiles; fractions sum to 1);
    `covariates[name]` = a Covariate drawn per patient."""

    cv: Mapping[str, float] = field(default_factory=dict)
    default_cv: float = 0.0
    correlations: Mapping[tuple[str, str], float] = field(default_factory=dict)
    plausible: Mapping[tuple[str, str], tuple[float, float]] = field(default_factory=dict)
    seed: int = 0
    profiles: Mapping[str, float] = field(default_factory=dict)
    covariates: Mapping[str, Covariate] = field(default_factory=dict)

    def validate(self, system: System) -> None:
        seed = self.seed
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise NeuroimmuneError(problem("Population.seed", "an integer >= 0 (numpy's random "
                                           "streams take non-negative seeds)", seed,
                                           "e.g. seed=1"))
        self._profile_rows(system)
        for name, cov in self.covariates.items():
            if not isinstance(cov, Covariate):
                raise NeuroimmuneError(problem(f"Population.covariates[{name!r}]", "a Covariate",
                                               type(cov).__name__, "use Covariate(...)"))
            cov.validate(name, system)
        for name, cv in self.cv.items():
            if name not in system.parameters:
                raise NeuroimmuneError(problem("Population.cv", f"free parameters of the model "
                                               f"({len(system.parameters)} names)", name,
                                               "see `neuroimmune model` for the names"))
            if not 0 <= cv <= MAX_CV:
                raise NeuroimmuneError(problem(f"Population.cv[{name}]",
                                               f"a number in [0, {MAX_CV:g}]", cv,
                                               "e.g. 0.2 for 20 %"))
        if not 0 <= self.default_cv <= MAX_CV:
            raise NeuroimmuneError(problem("Population.default_cv", f"a number in [0, {MAX_CV:g}]",
                                           self.default_cv, "e.g. 0.2 for 20 %"))
        for (a, b), r in self.correlations.items():
            if a not in system.parameters or b not in system.parameters or not -1 < r < 1:
                raise NeuroimmuneError(problem(f"Population.correlations[{a}, {b}]",
                                               "two free parameters and -1 < r < 1", r,
                                               "fix the names or the coefficient"))
        for (out, stat), (lo, hi) in self.plausible.items():
            if out not in system.outputs or stat not in STATISTICS or not lo < hi:
                raise NeuroimmuneError(problem(f"Population.plausible[{out}, {stat}]",
                                               f"an output, a statistic in {STATISTICS} and "
                                               "low < high", (lo, hi), "fix the filter"))

    def sample(self, system: System, n: int, rng: np.random.Generator) -> np.ndarray:
        """n parameter rows (log-normal with mean at the defaults' median)."""
        k = len(system.parameters)
        cv = np.array([self.cv.get(p, self.default_cv) for p in system.parameters])
        sigma = np.sqrt(np.log1p(cv**2))
        corr = np.eye(k)
        for (a, b), r in self.correlations.items():
            i, j = system.parameters.index(a), system.parameters.index(b)
            corr[i, j] = corr[j, i] = r
        try:
            chol = np.linalg.cholesky(corr)
        except np.linalg.LinAlgError:
            raise NeuroimmuneError(problem("Population.correlations", "a positive-definite "
                                           "correlation matrix", "not positive definite",
                                           "reduce the correlations")) from None
        z = rng.standard_normal((n, k)) @ chol.T
        return system.p0 * np.exp(sigma * z)

    def draw(self, system: System, n: int,
             rng: np.random.Generator) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """n parameter rows with their profiles and covariates applied, and the per-patient
        columns ('profile', 'covariate.<name>'). Without profiles or covariates the rows are
        those of `sample` (same random stream)."""
        P = self.sample(system, n, rng)
        columns: dict[str, np.ndarray] = {}
        if self.profiles:
            names, rows = self._profile_rows(system)
            fractions = np.array([self.profiles[p] for p in names])
            choice = rng.choice(len(names), size=n, p=fractions)
            # each patient's draw is scaled by its profile's factor on the default; a parameter
            # whose default is 0 (a switched-off route) takes the profile's value itself
            zero = system.p0 == 0
            ratio = np.divide(rows, system.p0, out=np.ones_like(rows), where=~zero)
            P *= ratio[choice]
            P[:, zero] = rows[choice][:, zero]
            columns["profile"] = np.array(names, dtype=object)[choice]
        for name, cov in self.covariates.items():
            x = cov.draw(n, rng)
            for par, theta in cov.effects.items():
                P[:, system.parameters.index(par)] *= np.exp(theta * (x - cov.reference))
            columns[f"covariate.{name}"] = x
        return P, columns

    def _profile_rows(self, system: System) -> tuple[list[str], np.ndarray]:
        """The profile names and each profile's nominal parameter row."""
        from ..profiles import PROFILES

        names = list(self.profiles)
        if not names:
            return names, np.zeros((0, len(system.parameters)))
        fractions = np.array([self.profiles[p] for p in names], dtype=float)
        unknown = [p for p in names if p not in PROFILES]
        if unknown:
            raise NeuroimmuneError(problem("Population.profiles", f"names among {list(PROFILES)}",
                                           unknown, "check the spelling"))
        if np.any(~np.isfinite(fractions) | (fractions < 0)) or abs(fractions.sum() - 1) > 1e-9:
            raise NeuroimmuneError(problem("Population.profiles", "fractions >= 0 that sum to 1",
                                           dict(self.profiles), "e.g. {'healthy-man': 0.5, "
                                           "'healthy-woman': 0.5}"))
        rows = np.tile(system.p0, (len(names), 1))
        for i, name in enumerate(names):
            prof = PROFILES[name]
            for par, value in (*prof.parameters.items(), *prof.factors.items()):
                if par not in system.parameters:
                    raise NeuroimmuneError(problem(f"Population.profiles[{name!r}]", "a model "
                                                   "with every parameter of the profile",
                                                   f"no free parameter {par!r}", "add the "
                                                   f"module {prof.module or 'that defines it'} "
                                                   "to the scenario's modules"))
                j = system.parameters.index(par)
                rows[i, j] = value * rows[i, j] if par in prof.factors else value
        return names, rows


def summarise(system: System, sol: Solution, outputs) -> dict[str, np.ndarray]:
    """Per-patient peak, time to peak, AUC (trapezoid) and end value of each output
    (definitions: neuroimmune.statistics, as for ds.ni and validation)."""
    cols = {}
    for name in outputs:
        y = sol.outputs[:, :, system.outputs.index(name)]
        cols[f"{name}.peak"] = peak(y, sol.t)
        cols[f"{name}.time_to_peak"] = time_of_peak(y, sol.t)
        cols[f"{name}.auc"] = auc(y, sol.t)
        cols[f"{name}.end"] = end_value(y, sol.t)
    return cols


#: manifest.json layout: 2 = readable inputs plus their sha256 content hash
MANIFEST_FORMAT = 2
#: fields of dataclasses that document and do not change results (left out of the hash)
_DOCUMENTATION = frozenset({"description", "citation", "source", "origin"})
_CHUNK_FILE = re.compile(r"chunk_(\d+)\.parquet")


def _canonical(value: Any) -> Any:
    """A deterministic JSON form of plain values, frozen dataclasses (scenario, events, custom
    modules with their species, parameters and rate expressions), mappings, sympy expressions
    and arrays; documentation fields are left out. Floats are written exactly (repr)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, sp.Basic):
        return sp.srepr(value)
    if isinstance(value, np.ndarray):
        return {"dtype": str(value.dtype), "shape": list(value.shape),
                "sha256": hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest()}
    if isinstance(value, Protocol):
        return _protocol_parts(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"type": type(value).__name__,
                **{f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)
                   if f.name not in _DOCUMENTATION}}
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda i: str(i[0]))}
    if isinstance(value, (tuple, list)):
        return [_canonical(v) for v in value]
    raise NeuroimmuneError(problem("cohort manifest", "plain values, dataclasses, mappings, "
                                   "arrays or sympy expressions to hash", type(value).__name__,
                                   "pass scenarios and events built with neuroimmune"))


def _sha(value: Any) -> str:
    text = json.dumps(_canonical(value), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _protocol_parts(protocol: Protocol) -> dict[str, Any]:
    # the flattened events are what the solver sees (Repeated and DrugDose expanded)
    flat = getattr(protocol, "_flat", protocol.events)
    return {"events": _canonical(flat), "clock start": _canonical(protocol.clock_start),
            "pre-equilibration": _canonical(protocol.preequilibrate_days)}


def scenario_content(scenario: Any, protocol: Protocol, t: np.ndarray,
                     outputs: Iterable[str]) -> dict[str, str]:
    """sha256 per part of what a scenario contributes to a cohort's results: the events, clock
    and pre-equilibration of `protocol`, the time grid `t`, the outputs, and, when `scenario` is
    a Scenario (not only its name), its modules, subject, profiles and calibrated flag.
    Descriptions and the file's path are left out."""
    parts: dict[str, Any] = dict(_protocol_parts(protocol))
    parts["time grid"] = np.asarray(t, dtype=float)
    parts["outputs"] = tuple(outputs)
    if not isinstance(scenario, str):
        for name in ("modules", "subject", "profiles", "calibrated"):
            parts[name] = getattr(scenario, name)
    return {name: _sha(value) for name, value in parts.items()}


def cohort_inputs(system: System, protocol: Protocol, t: np.ndarray, pop: Population, n: int,
                  *, scenario: Any, outputs, chunk_size: int, trajectories: bool,
                  options: SolverOptions) -> dict[str, Any]:
    """Everything that determines a cohort's results, readable where short and as sha256
    digests otherwise (the `inputs` of manifest.json). `scenario` is a Scenario or a name."""
    return {
        "scenario": scenario if isinstance(scenario, str) else scenario.name,
        "scenario content": scenario_content(scenario, protocol, t, outputs),
        "n": int(n),
        "chunk size": int(min(chunk_size, n)),
        "outputs": list(outputs),
        "trajectories": bool(trajectories),
        "population": _pop_dict(pop),
        "solver options": _canonical(options),
        "package version": __version__,
        "model key": system.key,
        "parameter values": hashlib.sha256(
            np.ascontiguousarray(system.p0, dtype=float).tobytes()).hexdigest(),
        "initial state": _sha((system.y0, system.signal_defaults)),
    }


def manifest(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """manifest.json's content: the inputs and their sha256 content hash."""
    return {"format": MANIFEST_FORMAT, "content_hash": _sha(inputs), "inputs": dict(inputs)}


def _is_digest(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef"
                                                               for c in value)


def _change(key: str, old: Any, new: Any) -> str:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        subs = [_change(k, old.get(k), new.get(k)) for k in dict.fromkeys([*old, *new])
                if old.get(k) != new.get(k)]
        return f"{key} ({'; '.join(subs)})"
    if _is_digest(old) or _is_digest(new) or len(repr(old)) + len(repr(new)) > 80:
        return f"{key} changed"
    return f"{key}: {old!r} -> {new!r}"


def manifest_differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """What differs between two manifests, field by field ('scenario content (events
    changed)', 'population (default_cv: 0.2 -> 0.3)'); empty when they hash the same."""
    if old.get("format") != MANIFEST_FORMAT or not isinstance(old.get("inputs"), Mapping):
        return ["manifest format (the folder was written by an older neuroimmune without a "
                "content hash)"]
    if old.get("content_hash") == new["content_hash"]:
        return []
    a, b = old["inputs"], new["inputs"]
    diffs = [_change(k, a.get(k), b.get(k)) for k in dict.fromkeys([*a, *b])
             if a.get(k) != b.get(k)]
    return diffs or ["content hash (the manifest was edited)"]


def _accepted(pop: Population, stats: dict, status: np.ndarray) -> np.ndarray:
    ok = status == 0
    for (out, stat), (lo, hi) in pop.plausible.items():
        v = stats[f"{out}.{stat}"]
        ok &= (v >= lo) & (v <= hi)
    return ok


def run_chunk(system: System, protocol: Protocol, t: np.ndarray, pop: Population,
              outputs, chunk: int, first: int, size: int, options: SolverOptions,
              max_rounds: int = 20) -> tuple[pd.DataFrame, np.ndarray]:
    """Patients of one chunk: draw, simulate, keep plausible ones, redraw until `size`.
    Patients whose solver failed are kept with their status (they are not plausible only if
    a filter is set) and a status_message naming the input that pushed them out of range when
    a bounded rerun of those patients finds it (neuroimmune.diagnose)."""
    rng = np.random.default_rng([pop.seed, chunk])
    rows, trajs, have = [], [], 0
    for _ in range(max_rounds):
        need = size - have
        P, covariates = pop.draw(system, max(need, 1) * (2 if pop.plausible else 1), rng)
        sol = solve(system, P, protocol, t, options=options)
        stats = summarise(system, sol, outputs)
        keep = _accepted(pop, stats, sol.status) if pop.plausible else np.ones(len(P), bool)
        idx = np.flatnonzero(keep)[:need]
        # only the kept patients that failed are rerun to find the cause (neuroimmune.diagnose)
        causes = failure_causes(system, sol, protocol, options, patients=idx)
        columns = {"status": sol.status[idx],
                   "status_message": [status_message(sol.status[k],
                                                     sol.preequilibration_failed[k], causes[k])
                                      for k in idx],
                   "preequilibration_converged": sol.preequilibration_converged[idx],
                   "preequilibration_days": (np.zeros(len(idx), dtype=np.int64)
                                             if sol.preequilibration_days is None
                                             else sol.preequilibration_days[idx]),
                   **{k: v[idx] for k, v in covariates.items()},
                   **{k: v[idx] for k, v in stats.items()},
                   **{f"param.{name}": P[idx, j] for j, name in enumerate(system.parameters)}}
        rows.append(pd.DataFrame(columns))
        trajs.append(sol.outputs[idx])
        have += len(idx)
        if have >= size:
            break
    else:
        raise NeuroimmuneError(problem(f"population chunk {chunk}", f"{size} plausible patients "
                                       f"within {max_rounds} rounds of sampling", have,
                                       "widen the plausibility ranges or lower the CVs"))
    frame = pd.concat(rows, ignore_index=True)
    frame.insert(0, "patient", first + np.arange(len(frame)))
    return frame, np.concatenate(trajs)


def run_cohort(system: System, protocol: Protocol, t: np.ndarray, pop: Population, n: int,
               out_dir: str | Path, *, scenario: Any, outputs, chunk_size: int = 1000,
               trajectories: bool = False, options: SolverOptions = SolverOptions(),
               map_chunks: Callable | None = None,
               progress: Callable[[int, int], None] | None = None) -> Path:
    """Run a cohort of n patients into out_dir (resumable). `scenario` is the Scenario (its
    content goes into the manifest's hash) or, for a protocol built in code, a name.
    `map_chunks(chunks)` may run the chunks elsewhere (see neuroimmune.distributed) and yield
    each finished chunk index; by default they run here, in order. Chunks are Parquet files:
    needs the 'scale' extra.

    Everything is checked before anything is written; the folder's lock is then held until the
    last chunk (a second run into the folder fails at once), stale temporary files of killed
    runs are removed, and a folder created by a run with other inputs is refused."""
    from filelock import FileLock, Timeout

    require_parquet()
    pop.validate(system)
    for name, value in (("n", n), ("chunk_size", chunk_size)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise NeuroimmuneError(problem(name, "an integer >= 1", value, "e.g. --n 1000 "
                                           "--chunk 500"))
    chunk_size = min(int(chunk_size), int(n))  # a chunk larger than the cohort is the cohort
    out = Path(out_dir)
    inputs = cohort_inputs(system, protocol, t, pop, n, scenario=scenario, outputs=outputs,
                           chunk_size=chunk_size, trajectories=trajectories, options=options)
    new = manifest(inputs)
    n_chunks = -(-n // chunk_size)
    _check_disk(out, n - len(_finished(out, n_chunks)) * chunk_size, len(outputs),
                len(t) if trajectories else 0, n)
    out.mkdir(parents=True, exist_ok=True)
    lock = FileLock(out / ".lock", timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise NeuroimmuneError(problem(f"output folder {out}", "a folder no other run is "
                                       "writing to", "another run holds the folder (its .lock "
                                       "is taken)", "wait for that run to finish, or choose "
                                       "another --out")) from None
    try:
        _remove_stale_temporaries(out)
        path = out / "manifest.json"
        if path.exists():
            try:
                diffs = manifest_differences(json.loads(path.read_text()), new)
            except (OSError, ValueError, AttributeError):
                diffs = ["manifest.json (unreadable)"]
            if diffs:
                raise NeuroimmuneError(problem(f"output folder {out}", "the inputs of the run "
                                               "that created it", "a different "
                                               + "; a different ".join(diffs), "choose another "
                                               "--out, or delete the folder to start over"))
        (out / "summaries").mkdir(exist_ok=True)
        if trajectories:
            (out / "trajectories").mkdir(exist_ok=True)
        if not path.exists():
            atomic_write_bytes(path, json.dumps(new, indent=2).encode())
        finished = _finished(out, n_chunks)  # one directory scan, not a stat per chunk
        done = len(finished)
        if progress:
            progress(done, n_chunks)
        todo = (k for k in range(n_chunks) if k not in finished)

        def work(k: int) -> int:
            return write_chunk(system, protocol, t, pop, outputs, k, n, chunk_size, out,
                               trajectories, options)

        results: Iterator[int] = map_chunks(todo) if map_chunks else map(work, todo)
        for _ in results:
            done += 1
            if progress:
                progress(done, n_chunks)
    finally:
        lock.release()
    return out


def _finished(out: Path, n_chunks: int) -> set[int]:
    """Indices of the finished chunks (their summary files), from one directory scan."""
    try:
        with os.scandir(out / "summaries") as entries:
            names = [e.name for e in entries]
    except (FileNotFoundError, NotADirectoryError):
        return set()
    found = (_CHUNK_FILE.fullmatch(name) for name in names)
    return {k for m in found if m and (k := int(m.group(1))) < n_chunks}


def _check_disk(out: Path, patients: int, n_outputs: int, n_times: int, n: int) -> None:
    """Refuse a cohort whose results cannot fit on the disk: a lower bound of 8 bytes per
    statistic (and per trajectory point) per output per patient still to run."""
    need = patients * n_outputs * (len(STATISTICS) + n_times) * 8
    folder = out.absolute()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    if need > free:
        raise NeuroimmuneError(problem("n (--n)", "a cohort whose results fit on the disk (at "
                                       f"least {need / 1e9:.3g} GB for {patients} patients "
                                       f"still to run, {free / 1e9:.3g} GB free in {folder})",
                                       n, "lower --n, or choose an --out with more free space"))


def _remove_stale_temporaries(out: Path) -> None:
    """Temporary files left by killed runs (hidden, '.tmp' in the name: neuroimmune.atomic);
    called with the folder's lock held, so no live run of this folder is writing them."""
    for folder in (out, out / "summaries", out / "trajectories"):
        for tmp in folder.glob(".*.tmp*") if folder.is_dir() else ():
            tmp.unlink(missing_ok=True)


def write_chunk(system: System, protocol: Protocol, t: np.ndarray, pop: Population, outputs,
                k: int, n: int, chunk_size: int, out: Path, trajectories: bool,
                options: SolverOptions) -> int:
    """Simulate chunk k and write it (atomically; the summary file marks the chunk done)."""
    size = min(chunk_size, n - k * chunk_size)
    frame, traj = run_chunk(system, protocol, t, pop, outputs, k, k * chunk_size, size, options)
    if trajectories:
        tr = pd.DataFrame(traj.reshape(-1, traj.shape[2]), columns=list(system.outputs))
        tr.insert(0, "time", np.tile(t, len(frame)))
        tr.insert(0, "patient", np.repeat(frame["patient"].to_numpy(), len(t)))
        with atomic_path(out / "trajectories" / _name(k)) as tmp:
            tr.to_parquet(tmp, index=False)
    with atomic_path(out / "summaries" / _name(k)) as tmp:
        frame.to_parquet(tmp, index=False)
    return k


def read_summaries(out_dir: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """All finished chunks as one table (or only `columns`, to keep memory small)."""
    require_parquet()
    files = sorted((Path(out_dir) / "summaries").glob("chunk_*.parquet"))
    return pd.concat([pd.read_parquet(f, columns=columns) for f in files], ignore_index=True)


def require_parquet() -> None:
    """Cohort chunks are Parquet files (pyarrow, the 'scale' extra)."""
    require("pyarrow", "scale", "a population (Parquet chunks)")


def _name(k: int) -> str:
    return f"chunk_{k:06d}.parquet"


def _pop_dict(pop: Population) -> dict:
    return {"cv": dict(pop.cv), "default_cv": pop.default_cv, "seed": pop.seed,
            "correlations": {f"{a}|{b}": r for (a, b), r in pop.correlations.items()},
            "plausible": {f"{o}|{s}": list(v) for (o, s), v in pop.plausible.items()},
            "profiles": dict(pop.profiles),
            "covariates": {k: {**asdict(c), "effects": dict(c.effects)}
                           for k, c in pop.covariates.items()}}
