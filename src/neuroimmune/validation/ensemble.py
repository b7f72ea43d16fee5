"""The calibration ensemble and the identifiability of the calibrated parameters (issue #16
item 3; docs/design/0009-calibration-ensemble.md, docs/identifiability.md).

    from neuroimmune.validation.ensemble import run_ensemble, write_ensemble, identifiability
    result = run_ensemble(walkers=48, steps=1000, keep=60, seed=0)   # emcee, ~20 min on 2 cores
    write_ensemble(result, "calibration_ensemble.csv")
    table = identifiability()          # likelihood profiles of every calibrated parameter

The likelihood is the calibration's own (neuroimmune.validation.calibrate: the weighted
residuals r of every block, log L = -0.5 * sum r^2); the prior is flat in the log-parameters
within the calibration bounds; the walkers start around the shipped point estimate
(calibration_standard.csv). Each member carries its own tied cortisol_ref and the derived
hpa_glands references, computed from its values exactly as for the point estimate.
The shipped ensemble is regenerated from a checkout with ENSEMBLE_COMMAND (docs/calibration.md).
"""

from __future__ import annotations

import datetime as _dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..analysis.uncertainty import (
    MOVES,
    PROFILE_THRESHOLD,
    Profile,
    Sample,
    profile,
    sample,
)
from ..atomic import atomic_write
from ..errors import NeuroimmuneError, problem, require
from ..parameter_sets import ENSEMBLE_PATH, Ensemble, read_ensemble, rows_line
from .calibrate import (
    DERIVED_MEANS,
    DERIVED_SCENARIO,
    CalibrationProblem,
    calibration_problem,
    derived_references,
    load_calibrated,
)

#: The command that made the shipped ensemble (its values are the defaults of run_ensemble and
#: of `neuroimmune calibrate --ensemble`).
ENSEMBLE_COMMAND = ("neuroimmune calibrate --ensemble --walkers {walkers} --steps {steps} "
                    "--burn {burn} --keep {keep} --seed {seed} --out {out}")
WALKERS = 48
STEPS = 1200
BURN = 400
KEEP = 60
INIT_SCALE = 0.5


@dataclass(frozen=True)
class EnsembleResult:
    sample: Sample
    problem: CalibrationProblem
    #: The start: the shipped point estimate (fitted values) and its cost.
    start: Mapping[str, float]
    start_cost: float
    #: One row per kept member: member, chain_member, log_likelihood, the fitted values, the
    #: tied values and the derived references.
    members: pd.DataFrame
    units: Mapping[str, str]
    optional: tuple[str, ...]
    #: Members dropped because their derived references could not be computed (no limit cycle).
    dropped: tuple[int, ...]
    seconds: float
    date: str


def run_ensemble(*, walkers: int = WALKERS, steps: int = STEPS, burn: int = BURN,
                 keep: int = KEEP, seed: int = 0, start: Mapping[str, float] | None = None,
                 problem_: CalibrationProblem | None = None, init_scale: float = INIT_SCALE,
                 progress: Callable[[int, int], None] | None = None) -> EnsembleResult:
    """Sample the calibration posterior with emcee (neuroimmune.analysis.uncertainty.sample)
    from `start` (default: the shipped point estimate), then give each kept member its tied and
    derived values."""
    require("emcee", "calibrate", "the calibration ensemble")  # before any work
    pb = problem_ or calibration_problem()
    start = dict(load_calibrated() if start is None else start)
    point = {p: float(start[p]) for p in pb.parameters}
    t0 = time.perf_counter()
    s = sample(pb.residuals, pb.bounds, point, walkers=walkers, steps=steps, burn=burn,
               keep=keep, seed=seed, init_scale=init_scale, progress=progress)
    rows: list[dict] = []
    dropped: list[int] = []
    units = dict(pb.units)
    from .. import scenarios
    from ..scenarios import BUILTIN

    declared = {p.name: p for p in scenarios.model(BUILTIN[pb.scenarios()[0]]).parameters}
    for tie in pb.ties:
        units[tie.parameter] = declared[tie.parameter].unit
    for rec in s.members.to_dict("records"):
        values = {p: float(rec[p]) for p in pb.parameters}
        tied = pb.tied_values(values)
        try:
            derived = derived_references({**values, **tied})
        except NeuroimmuneError:
            dropped.append(int(rec["member"]))
            continue
        for name, (_, unit) in derived.items():
            units[name] = unit
        rows.append({"member": len(rows), "chain_member": int(rec["member"]),
                     "log_likelihood": float(rec["log_likelihood"]), **values, **tied,
                     **{n: v for n, (v, _) in derived.items()}})
    return EnsembleResult(s, pb, point, pb.cost(point), pd.DataFrame(rows), units,
                          tuple(n for n, _ in DERIVED_MEANS), tuple(dropped),
                          time.perf_counter() - t0,
                          _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def write_ensemble(result: EnsembleResult, path: str | Path, *, out_name: str | None = None
                   ) -> Path:
    """Write the members (long format: member, name, value, unit, optional, log_likelihood)
    with the provenance header ('#' lines, with the '# rows: N' line that read_ensemble checks)
    atomically to `path` (required)."""
    if path is None or not str(path):
        raise NeuroimmuneError(problem("write_ensemble path", "a .csv file path", path,
                                       "e.g. write_ensemble(result, 'ensemble.csv')"))
    path = Path(path)
    s, pb = result.sample, result.problem
    members = result.members
    names = [c for c in members.columns if c not in ("member", "chain_member",
                                                     "log_likelihood")]
    lls = -members["log_likelihood"]
    header = [
        "Calibration ensemble of the standard model (innate + hpa + fever + autonomic): "
        "parameter sets drawn from the posterior of the calibration (issue #16 item 3; "
        "neuroimmune.validation.ensemble; docs/design/0009-calibration-ensemble.md).",
        "sampler: emcee EnsembleSampler (vectorised: each half-step of the walkers is one batch "
        "solve), moves " + ", ".join(f"{m} {w:g}" for m, w in MOVES) + "; likelihood: the "
        "calibration's weighted residuals r (docs/calibration.md), log L = -0.5 * sum r^2; "
        "prior: flat in log-parameters within the calibration bounds; start: walkers from the "
        "Laplace approximation (Gauss-Newton J^T J, regularised by the flat prior's variance) "
        "at the shipped point estimate (calibration_standard.csv), scaled by "
        f"{INIT_SCALE:g}.",
        "data: " + "; ".join(sorted({b.source for b in pb.blocks})),
        "command: " + ENSEMBLE_COMMAND.format(walkers=s.walkers, steps=s.steps, burn=s.burn,
                                              keep=len(s.members), seed=s.seed,
                                              out=out_name or path.name),
        f"seed: {s.seed}; walkers: {s.walkers}; steps: {s.steps}; burn-in: {s.burn}; kept: "
        f"{len(s.members)} draws evenly spaced over the {s.steps - s.burn} x {s.walkers} "
        f"post-burn-in samples; members written: {len(members)} (dropped without a limit "
        f"cycle for the derived references: {len(result.dropped)}); evaluations: "
        f"{s.n_evaluations}; wall time: {result.seconds / 60:.1f} min",
        "diagnostics: " + s.diagnostics(),
        "autocorrelation time per parameter (steps): " + ", ".join(
            f"{n}={t:.0f}" for n, t in zip(s.names, s.autocorr)),
        f"cost (0.5 * sum r^2): point estimate {result.start_cost:.4g}; members median "
        f"{lls.median():.4g}, range {lls.min():.4g}-{lls.max():.4g}",
        "tied and derived values per member: cortisol_ref from the member's own circadian day "
        f"(as for the point estimate); {', '.join(n for n, _ in DERIVED_MEANS)} = 24-h means "
        f"of {DERIVED_SCENARIO} with the member's values (optional rows)",
        f"date: {result.date}",
        "Used by `neuroimmune validate` (90 % prediction intervals) and `neuroimmune simulate "
        "--ensemble` (docs/validation.md); validation targets (targets.csv) were not used.",
    ]
    rows = []
    for rec in members.to_dict("records"):
        for n in names:
            rows.append({"member": int(rec["member"]), "name": n, "value": f"{rec[n]:.8g}",
                         "unit": result.units[n],
                         "optional": str(n in result.optional).lower(),
                         "log_likelihood": f"{rec['log_likelihood']:.6g}"})
    header.insert(1, rows_line(len(rows)))
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path, "w") as fh:
        for line in header:
            fh.write(f"# {line}\n")
        pd.DataFrame(rows).to_csv(fh, index=False)
    return path


def load_ensemble(path: str | Path | None = None) -> Ensemble:
    """The shipped (or given) ensemble file (neuroimmune.parameter_sets.read_ensemble)."""
    return read_ensemble(ENSEMBLE_PATH if path is None else path)


# -- identifiability -----------------------------------------------------------------------------
#: Steps (natural-log units) away from the point estimate at which each profile is evaluated.
PROFILE_STEPS = (0.1, 0.3, 0.7, 1.5, 3.0)
#: Evaluations per profile point (a warm start from the previous point).
PROFILE_MAX_NFEV = 8


def identifiability(parameters: Sequence[str] | None = None, *,
                    best: Mapping[str, float] | None = None,
                    ensemble: Ensemble | None = None, steps: Sequence[float] = PROFILE_STEPS,
                    max_nfev: int = PROFILE_MAX_NFEV, problem_: CalibrationProblem | None = None,
                    progress: Callable[[str], None] | None = None,
                    gradient: str = "sensitivities") -> tuple[pd.DataFrame, list[Profile]]:
    """One row per calibrated parameter: the point estimate, its bounds, at_bound, the 95 %
    profile-likelihood interval (neuroimmune.analysis.uncertainty.profile, re-optimising with the
    sensitivity Jacobian or, gradient="fd", finite differences: the parameter fixed
    on a log grid, the others re-optimised by the estimation engine) and its classification,
    and the ensemble's 5-50-95 % marginal (ensemble_marginals). Returns (table, profiles)."""
    if gradient not in ("sensitivities", "fd"):
        raise NeuroimmuneError(problem("gradient", "'sensitivities' or 'fd'", gradient,
                                       "e.g. gradient='fd'"))
    pb = problem_ or calibration_problem()
    best = dict(load_calibrated() if best is None else best)
    point = {p: float(best[p]) for p in pb.parameters}
    cost0 = pb.cost(point)
    rows, profiles = [], []
    for name in parameters or pb.parameters:
        t0 = time.perf_counter()
        pr = profile(pb.residuals, pb.bounds, point, name, steps=steps, max_nfev=max_nfev,
                     best_cost=cost0, jac=pb.jacobian if gradient == "sensitivities" else None)
        profiles.append(pr)
        lo, hi = pb.bounds[name]
        rows.append({
            "parameter": name, "value": point[name], "unit": pb.units[name], "lower": lo,
            "upper": hi, "at_bound": pr.at_bound,
            "profile_low": pr.interval[0], "profile_high": pr.interval[1],
            "low_is_bound": pr.reaches_bound[0], "high_is_bound": pr.reaches_bound[1],
            "max_delta_cost": pr.max_delta, "min_delta_cost": float(pr.table["delta"].min()),
            "classification": pr.classification, "profile_points": len(pr.table),
            "seconds": time.perf_counter() - t0})
        if progress:
            progress(f"{name}: {pr.classification}")
    table = ensemble_marginals(pd.DataFrame(rows),
                               read_ensemble(ENSEMBLE_PATH) if ensemble is None else ensemble)
    return table, profiles


def ensemble_marginals(table: pd.DataFrame, ensemble: Ensemble) -> pd.DataFrame:
    """`table` (a row per parameter with its bounds) with the ensemble's 5 %, 50 % and 95 %
    marginal of each parameter and the 5-95 % width as a fraction of the log-range of its
    bounds."""
    q05, q50, q95, width = [], [], [], []
    for r in table.to_dict("records"):
        draws = np.array([m.values[r["parameter"]] for m in ensemble.members
                          if r["parameter"] in m.values])
        q = np.percentile(draws, [5, 50, 95]) if draws.size else np.full(3, np.nan)
        q05.append(q[0])
        q50.append(q[1])
        q95.append(q[2])
        width.append(float((np.log(q[2]) - np.log(q[0]))
                           / (np.log(r["upper"]) - np.log(r["lower"]))))
    return table.assign(ensemble_q05=q05, ensemble_q50=q50, ensemble_q95=q95,
                        ensemble_log_width=width)


def _g(x: float) -> str:
    return "n/a" if not np.isfinite(x) else f"{x:.3g}"


def _note(r: Mapping) -> str:
    """What limits a parameter's profile interval, in words."""
    both = r["low_is_bound"] and r["high_is_bound"]
    if r["classification"] == "structurally non-identifiable":
        return "flat profile: the other parameters make up for it over its whole range"
    if r["at_bound"] and not both:
        return "at a bound; the data push it there (the inner side is set by the data)"
    if r["at_bound"]:
        return "at a bound that the data do not hold it to"
    if r["low_is_bound"] or r["high_is_bound"]:
        if both:
            return "weakly informed: the profile stays under the threshold up to both bounds"
        return "bounded by the data on one side only"
    return ""


def identifiability_markdown(table: pd.DataFrame) -> str:
    """The table of docs/identifiability.md."""
    lines = ["| parameter | estimate | bounds | at bound | 95 % profile interval | max "
             "Δcost | classification | ensemble 5-95 % | note |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in table.to_dict("records"):
        lo = _g(r["profile_low"]) + (" (bound)" if r["low_is_bound"] else "")
        hi = _g(r["profile_high"]) + (" (bound)" if r["high_is_bound"] else "")
        lines.append(
            f"| `{r['parameter']}` | {_g(r['value'])} {r['unit']} | [{_g(r['lower'])}, "
            f"{_g(r['upper'])}] | {'**yes**' if r['at_bound'] else 'no'} | [{lo}, {hi}] | "
            f"{r['max_delta_cost']:.3g} | {r['classification']} | [{_g(r['ensemble_q05'])}, "
            f"{_g(r['ensemble_q95'])}] | {_note(r)} |")
    counts = table["classification"].value_counts()
    lines += ["", "Counts: " + ", ".join(f"{k}: {v}" for k, v in counts.items())
              + f"; at a bound: {int(table['at_bound'].sum())} of {len(table)}. Threshold of "
              f"the 95 % interval: Δcost = {PROFILE_THRESHOLD:.3f} (χ²₁ 0.95 / 2)."]
    return "\n".join(lines)


__all__ = ["ENSEMBLE_COMMAND", "WALKERS", "STEPS", "BURN", "KEEP", "EnsembleResult",
           "run_ensemble", "write_ensemble", "load_ensemble", "PROFILE_STEPS",
           "PROFILE_MAX_NFEV", "identifiability", "ensemble_marginals",
           "identifiability_markdown"]
