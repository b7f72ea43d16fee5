"""Virtual twins: the published innate model fitted to each Janum subject's cytokine curves.

Each of the 20 men of the Janum 2 ng/kg endotoxin bolus study (individual data of Windoloski et
al. 2024, dataset ``lps_bolus_2ngkg_n20_individual_windoloski2024``) gets his own parameter set:
`innate()` alone (its inputs at their defaults), ``Protocol([lps_bolus("2 ng/kg")])``,
fitted with the project's fitter (`neuroimmune.analysis.fit.fit`, on the estimation engine
`neuroimmune.analysis.estimate`: multistart bounded least squares on log-parameters within each
parameter's declared bounds).

Choices (docs/twins.md explains them):

* Fitted parameters (default `DEFAULT_PARAMETERS`): the nine rate constants that Dobreva et al.
  2021 estimated per Janum subject (endotoxin clearance, production and clearance of each
  cytokine); a local sensitivity check on these data gives them the best conditioning among the
  candidate sets (docs/twins.md).
* Baselines: the cytokine baselines w* and the initial cytokine values are set per subject from
  the subject's t = 0 sample (as Dobreva 2021 and Windoloski 2024 did), so the t = 0 rows are not
  fitted.
* Weights: each residual is divided by ``rel_sd`` (default 0.1) times the subject's peak of that
  cytokine, so that the four cytokines weigh alike whatever their scale.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .. import plotting
from ..atomic import atomic_path, atomic_write_text
from ..compile import System, compile_model
from ..errors import NeuroimmuneError, problem
from ..model.library import innate
from ..protocol import Protocol, lps_bolus
from ..solve import SolverOptions, solve
from ..validation.datasets import load_dataset
from .fit import fit

DATASET = "lps_bolus_2ngkg_n20_individual_windoloski2024"
CYTOKINES = ("TNF", "IL6", "IL8", "IL10")
#: cytokine -> its baseline parameter in innate()
BASELINES = {"TNF": "wTNF", "IL6": "w6", "IL8": "w8", "IL10": "w10"}
#: Dobreva et al. 2021 (load_pars_Init_Janum.m) personalised set, in the names of this model.
DEFAULT_PARAMETERS = ("kE", "kTNFM", "kTNF", "k6M", "k6", "k8M", "k8", "k10M", "k10")
#: smallest baseline accepted (pg/mL): the Hill terms need a positive level
_BASELINE_FLOOR = 1e-3
_FIT_OPTIONS = SolverOptions(rtol=1e-8, atol=1e-10)


def protocol() -> Protocol:
    """The study's protocol: E. coli LPS 2 ng/kg i.v. bolus at t = 0."""
    return Protocol([lps_bolus("2 ng/kg")])


@dataclass(frozen=True)
class TwinsResult:
    """Per-subject fits. `table`: one row per subject with the fitted parameters, `cost`
    (0.5 * sum of squared weighted residuals), `default_cost` (same with the population
    parameters and the subject's baselines), `success`, `n_evaluations`, `at_bounds` (fitted
    parameters within 1 % of their log-range from a bound, space-separated), and per cytokine
    `R2_X` (1 - SS_res/SS_tot over the post-baseline samples) and `RMSE_X` (pg/mL)."""

    table: pd.DataFrame
    parameters: tuple[str, ...]
    defaults: dict[str, float]
    data: pd.DataFrame  # long form: subject, output, time, value, sd (t = 0 rows excluded)
    baselines: pd.DataFrame  # subject x cytokine baseline (pg/mL)
    settings: dict = field(default_factory=dict)
    run_time_s: float = 0.0
    system: System | None = field(default=None, repr=False)

    def summary(self) -> pd.DataFrame:
        """One row per fitted parameter: population default, median, quartiles, geometric mean,
        coefficient of variation (sd/mean) and geometric CV (sqrt(exp(s_log^2) - 1)); and the
        fold range of the individual values around the default."""
        rows = []
        for p in self.parameters:
            v = self.table[p].to_numpy(float)
            s_log = np.std(np.log(v), ddof=1) if len(v) > 1 else 0.0
            rows.append({"parameter": p, "default": self.defaults[p],
                         "median": np.median(v), "q25": np.quantile(v, 0.25),
                         "q75": np.quantile(v, 0.75), "geo_mean": float(np.exp(np.log(v).mean())),
                         "cv": float(np.std(v, ddof=1) / np.mean(v)) if len(v) > 1 else 0.0,
                         "geo_cv": float(np.sqrt(np.expm1(s_log**2))),
                         "min": v.min(), "max": v.max()})
        return pd.DataFrame(rows).set_index("parameter")

    def quality(self) -> pd.DataFrame:
        """Fit quality per cytokine over subjects: median [IQR] of R^2 and RMSE; plus the
        fraction of subjects whose cost fell below the population-default cost."""
        rows = []
        for c in CYTOKINES:
            r2, rmse = self.table[f"R2_{c}"], self.table[f"RMSE_{c}"]
            rows.append({"cytokine": c, "R2_median": r2.median(), "R2_q25": r2.quantile(0.25),
                         "R2_q75": r2.quantile(0.75), "R2_min": r2.min(),
                         "RMSE_median": rmse.median(), "RMSE_q25": rmse.quantile(0.25),
                         "RMSE_q75": rmse.quantile(0.75)})
        return pd.DataFrame(rows).set_index("cytokine")

    def to_markdown(self) -> str:
        """The summary and fit-quality tables as Markdown (median [IQR])."""
        s = self.summary()
        lines = [f"Virtual twins: {len(self.table)} subjects, parameters "
                 f"{', '.join(self.parameters)}; {self.settings.get('starts')} start(s), "
                 f"max_nfev {self.settings.get('max_nfev')}, rel_sd "
                 f"{self.settings.get('rel_sd')}; {self.run_time_s:.1f} s.", "",
                 "| parameter | default | median [IQR] | geometric mean | CV | geometric CV | "
                 "range |", "|---|---|---|---|---|---|---|"]
        for p, r in s.iterrows():
            lines.append(f"| {p} | {_g(r['default'])} | {_g(r['median'])} [{_g(r['q25'])}-"
                         f"{_g(r['q75'])}] | {_g(r['geo_mean'])} | {r['cv']:.2f} | "
                         f"{r['geo_cv']:.2f} | {_g(r['min'])}-{_g(r['max'])} |")
        q = self.quality()
        lines += ["", "| cytokine | R^2 median [IQR] | R^2 min | RMSE pg/mL median [IQR] |",
                  "|---|---|---|---|"]
        for c, r in q.iterrows():
            lines.append(f"| {c} | {r['R2_median']:.2f} [{r['R2_q25']:.2f}-{r['R2_q75']:.2f}] | "
                         f"{r['R2_min']:.2f} | {r['RMSE_median']:.1f} [{r['RMSE_q25']:.1f}-"
                         f"{r['RMSE_q75']:.1f}] |")
        t = self.table
        better = int((t["cost"] < t["default_cost"]).sum())
        n_bound = int((t["at_bounds"] != "").sum())
        lines += ["", f"Cost below the population default for {better} of {len(t)} subjects "
                  f"(median cost {t['cost'].median():.3g} vs "
                  f"{t['default_cost'].median():.3g}); optimiser success for "
                  f"{int(t['success'].sum())} of {len(t)}; {n_bound} subject(s) with a "
                  "parameter at a bound of its range (not determined by the data)."]
        return "\n".join(lines)

    def save(self, folder: str | Path) -> list[Path]:
        """Write twins_table.csv, twins_summary.csv, twins.md, twins_fits.png and
        twins_parameters.png into `folder` (created); returns the paths."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = [folder / n for n in ("twins_table.csv", "twins_summary.csv", "twins.md",
                                      "twins_fits.png", "twins_parameters.png")]
        with atomic_path(paths[0]) as tmp:
            self.table.to_csv(tmp, index=False)
        with atomic_path(paths[1]) as tmp:
            self.summary().to_csv(tmp)
        atomic_write_text(paths[2], self.to_markdown() + "\n")
        self.plot_fits(paths[3])
        self.plot_parameters(paths[4])
        return paths

    def curves(self, t=None) -> pd.DataFrame:
        """Simulated curves of every twin (long form: subject, time, TNF, IL6, IL8, IL10)."""
        system = self.system or compile_model(innate())
        t = np.linspace(0.0, 8.0, 161) if t is None else np.asarray(t, float)
        frames = []
        for _, row in self.table.iterrows():
            sub = _subject_system(system, self.baselines.loc[row["subject"]])
            sol = solve(sub, {p: row[p] for p in self.parameters}, protocol(), t,
                        options=_FIT_OPTIONS)
            out = {c: sol.outputs[0, :, sub.outputs.index(c)] for c in CYTOKINES}
            frames.append(pd.DataFrame({"subject": row["subject"], "time": t, **out}))
        return pd.concat(frames, ignore_index=True)

    def plot_fits(self, path: str | Path | None = None):
        """Data points and fitted curves per subject: one row of four panels (TNF, IL-6, IL-8,
        IL-10) per subject. Saved when `path` is given; returns the matplotlib Figure."""
        r2 = self.table.set_index("subject")[[f"R2_{c}" for c in CYTOKINES]]
        r2.columns = list(CYTOKINES)
        return plotting.plot_twin_fits(self.curves(), self.data, self.baselines, r2, CYTOKINES,
                                       path)

    def plot_parameters(self, path: str | Path | None = None):
        """Distribution of each fitted parameter relative to its population default (log scale;
        one point per subject, box = IQR). Saved when `path` is given; returns the Figure."""
        rel = {p: self.table[p].to_numpy(float) / self.defaults[p] for p in self.parameters}
        return plotting.plot_twin_parameters(rel, path,
                                             f"Virtual twins: {len(self.table)} subjects")


def _g(x: float) -> str:
    return f"{x:.3g}"


def _subject_system(system: System, baselines: pd.Series) -> System:
    """The compiled model with one subject's baselines as defaults (w* and initial cytokines);
    the kernels are shared, nothing is recompiled."""
    p0, y0 = system.p0.copy(), system.y0.copy()
    for c, w in BASELINES.items():
        p0[system.parameters.index(w)] = baselines[c]
        y0[system.state_index(c)] = baselines[c]
    return replace(system, p0=p0, y0=y0)


def _check_data(data: pd.DataFrame) -> pd.DataFrame:
    needed = {"subject", "time_h", *CYTOKINES}
    if not isinstance(data, pd.DataFrame) or not needed <= set(data.columns):
        got = sorted(data.columns) if isinstance(data, pd.DataFrame) else type(data).__name__
        raise NeuroimmuneError(problem("data", f"a DataFrame with columns {sorted(needed)} "
                                       "(one row per subject and sampling time)", got,
                                       f"use the layout of load_dataset({DATASET!r})"))
    for s, d in data.groupby("subject"):
        if not (d["time_h"] == 0).any():
            raise NeuroimmuneError(problem(f"data of subject {s}", "a sample at time_h = 0 "
                                           "(it sets the subject's baselines)", "none",
                                           "add the pre-LPS sample"))
        if (d["time_h"] > 0).sum() < 2:
            raise NeuroimmuneError(problem(f"data of subject {s}", "at least two samples after "
                                           "LPS", int((d["time_h"] > 0).sum()),
                                           "drop this subject"))
    return data


def _weighted_long(data: pd.DataFrame, rel_sd: float):
    """Long-form data per subject (t > 0) with sd = rel_sd * the subject's peak of each cytokine,
    and the subject's baselines (t = 0 values, floored at a small positive level)."""
    rows, base = [], {}
    for s, d in data.groupby("subject", sort=True):
        d = d.sort_values("time_h")
        b = d[d["time_h"] == 0][list(CYTOKINES)].iloc[0]
        base[s] = {c: max(float(b[c]), _BASELINE_FLOOR) for c in CYTOKINES}
        post = d[d["time_h"] > 0]
        for c in CYTOKINES:
            sd = rel_sd * float(d[c].max())
            rows += [{"subject": s, "output": c, "time": float(t), "value": float(v), "sd": sd}
                     for t, v in zip(post["time_h"], post[c]) if np.isfinite(v)]
    baselines = pd.DataFrame.from_dict(base, orient="index")[list(CYTOKINES)]
    baselines.index.name = "subject"
    return pd.DataFrame(rows), baselines


def _quality(system: System, params: dict[str, float], d: pd.DataFrame) -> dict[str, float]:
    """Weighted cost, R^2 and RMSE per cytokine of one subject's parameter set."""
    times = np.unique(d["time"].to_numpy(float))
    sol = solve(system, params or None, protocol(), np.union1d([0.0], times),
                options=_FIT_OPTIONS)
    out, cost = {}, 0.0
    for c in CYTOKINES:
        dc = d[d["output"] == c]
        pos = np.searchsorted(np.union1d([0.0], times), dc["time"].to_numpy(float))
        model = sol.outputs[0, pos, system.outputs.index(c)]
        y = dc["value"].to_numpy(float)
        res = model - y
        cost += 0.5 * float(np.sum((res / dc["sd"].to_numpy(float)) ** 2))
        ss_tot = float(np.sum((y - y.mean()) ** 2))
        out[f"R2_{c}"] = 1.0 - float(np.sum(res**2)) / ss_tot if ss_tot > 0 else np.nan
        out[f"RMSE_{c}"] = float(np.sqrt(np.mean(res**2)))
    out["cost"] = cost if np.all(sol.status == 0) else np.inf
    return out


def local_identifiability(parameter_sets, *, rel_sd: float = 0.1, system: System | None = None
                          ) -> pd.DataFrame:
    """Local practical identifiability of candidate parameter sets at the population parameters:
    the sensitivity matrix of the four cytokines at the study's sampling times (log-parameter
    derivatives, residual sd = rel_sd * the model's peak of each cytokine) gives per set its
    condition number and the largest |correlation| between two estimates (from (J^T J)^-1).
    Lower is better on both; used to choose `DEFAULT_PARAMETERS` (docs/twins.md)."""
    system = system or compile_model(innate())
    sets = [list(p) for p in parameter_sets]
    names = sorted({p for ps in sets for p in ps})
    unknown = [p for p in names if p not in system.parameters]
    if unknown or not sets:
        raise NeuroimmuneError(problem("parameter_sets", "lists of free parameters of "
                                       "innate()", unknown or sets,
                                       f"e.g. [{list(DEFAULT_PARAMETERS)}]"))
    t = np.array([0.0, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0])
    h = 1e-4
    P = np.tile(system.p0, (len(names) + 1, 1))
    for k, p in enumerate(names):
        P[k + 1, system.parameters.index(p)] *= np.exp(h)
    sol = solve(system, P, protocol(), t, options=_FIT_OPTIONS)
    Y = sol.outputs[:, 1:, :][:, :, [system.outputs.index(c) for c in CYTOKINES]]
    S = ((Y[1:] - Y[0]) / h / (rel_sd * Y[0].max(axis=0))).reshape(len(names), -1).T
    rows = []
    for ps in sets:
        J = S[:, [names.index(p) for p in ps]]
        sv = np.linalg.svd(J, compute_uv=False)
        cov = np.linalg.pinv(J.T @ J)
        corr = cov / np.sqrt(np.outer(np.diag(cov), np.diag(cov)))
        np.fill_diagonal(corr, 0.0)
        i, j = np.unravel_index(np.abs(corr).argmax(), corr.shape)
        rows.append({"parameters": " ".join(ps), "condition": float(sv[0] / sv[-1]),
                     "max_abs_corr": float(abs(corr[i, j])),
                     "most_correlated": f"{ps[i]}-{ps[j]}" if len(ps) > 1 else ""})
    return pd.DataFrame(rows)


def fit_twins(parameters=None, *, subjects=None, data: pd.DataFrame | None = None,
              starts: int = 4, seed: int = 0, max_nfev: int = 100, rel_sd: float = 0.1,
              bounds: dict[str, tuple[float, float]] | None = None,
              options: SolverOptions = _FIT_OPTIONS, system: System | None = None,
              progress=None) -> TwinsResult:
    """Fit `parameters` (default `DEFAULT_PARAMETERS`) of `innate()` to each subject.

    subjects: subject ids to fit (default all in the data); data: individual data in the layout
    of the packaged dataset (default: `load_dataset(DATASET)`); starts: multistart count per
    subject (the population defaults plus Latin-hypercube points, seeded by seed + subject);
    max_nfev: least-squares evaluations per start; rel_sd: residual sd as a fraction of the
    subject's peak of each cytokine; bounds: name -> (low, high) overriding the declared bounds
    (a factor 10 either way of the published value); options: solver options; system: a
    compiled `innate()` to reuse (the baselines are swapped per subject);
    progress: called as progress(subjects done, subjects) before and after each subject.
    """
    t_start = time.perf_counter()
    system = system or compile_model(innate())
    parameters = list(DEFAULT_PARAMETERS if parameters is None else
                      ([parameters] if isinstance(parameters, str) else parameters))
    fixed = [p for p in parameters if p in BASELINES.values()]
    unknown = [p for p in parameters if p not in system.parameters]
    if not parameters or unknown or fixed or len(set(parameters)) != len(parameters):
        raise NeuroimmuneError(problem(
            "parameters", "distinct names of free parameters of innate() other "
            f"than the baselines {sorted(BASELINES.values())}, e.g. {list(DEFAULT_PARAMETERS)}",
            unknown or fixed or parameters,
            "choose among " + ", ".join(p for p in system.parameters
                                        if p not in BASELINES.values())))
    for name, value, ok, fix in (
            ("starts", starts, isinstance(starts, (int, np.integer)) and starts >= 1,
             "e.g. starts=4"),
            ("max_nfev", max_nfev, isinstance(max_nfev, (int, np.integer)) and max_nfev >= 1,
             "e.g. max_nfev=100"),
            ("rel_sd", rel_sd, isinstance(rel_sd, (int, float)) and np.isfinite(rel_sd)
             and rel_sd > 0, "e.g. rel_sd=0.1 (10 % of the subject's peak)")):
        if not ok:
            raise NeuroimmuneError(problem(name, "a positive number (integer for counts)", value,
                                           fix))
    source = DATASET if data is None else "data given by the caller"
    data = _check_data(load_dataset(DATASET) if data is None else data)
    available = sorted(data["subject"].unique().tolist())
    if subjects is None:
        subjects = available
    else:
        subjects = [subjects] if np.isscalar(subjects) else list(subjects)
        missing = [s for s in subjects if s not in available]
        if not subjects or missing:
            raise NeuroimmuneError(problem(
                "subjects", f"subject ids present in the data ({available[0]}..{available[-1]}"
                f", {len(available)} subjects)", missing or subjects,
                f"pass ids from {available} or subjects=None for all"))
    long, baselines = _weighted_long(data[data["subject"].isin(subjects)], rel_sd)
    defaults = {p: float(system.p0[system.parameters.index(p)]) for p in parameters}
    rows = []
    for k, s in enumerate(subjects):
        if progress:
            progress(k, len(subjects))
        s_seed = seed + (int(s) if isinstance(s, (int, np.integer)) else k)
        sub_system = _subject_system(system, baselines.loc[s])
        d = long[long["subject"] == s]
        res = fit(sub_system, protocol(), d[["output", "time", "value", "sd"]], parameters,
                  bounds=bounds, starts=starts, seed=s_seed, options=options,
                  max_nfev=max_nfev)
        q_fit = _quality(sub_system, res.parameters, d)
        q_def = _quality(sub_system, {}, d)
        rows.append({"subject": s, **res.parameters, "cost": res.cost,
                     "default_cost": q_def["cost"], "success": res.success,
                     "n_evaluations": res.n_evaluations,
                     "at_bounds": " ".join(p for p in parameters if res.at_bound[p]),
                     **{k: v for k, v in q_fit.items() if k != "cost"}})
    if progress:
        progress(len(subjects), len(subjects))
    table = pd.DataFrame(rows)
    settings = {"dataset": source, "starts": starts, "seed": seed,
                "max_nfev": max_nfev, "rel_sd": rel_sd, "rtol": options.rtol,
                "atol": options.atol}
    return TwinsResult(table, tuple(parameters), defaults, long, baselines, settings,
                       time.perf_counter() - t_start, system)
