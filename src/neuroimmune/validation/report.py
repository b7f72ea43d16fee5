"""The validation report: DIR/index.md (summary, table of all targets, one section per scenario),
DIR/<scenario>.png (model curves over the packaged data, accepted bands shaded) and
DIR/validation.json (the same JSON as `neuroimmune validate --json`)."""

from __future__ import annotations

import io
import json
import math
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .._version import __version__
from ..atomic import atomic_write_text
from ..errors import NeuroimmuneError, problem
from ..parameter_sets import APPLY_BY_DEFAULT
from ..plotting import Panel, plot_panels
from ..results import convert
from .datasets import load_dataset, provenance
from .harness import Validation, check_report_dir, validation_scenario
from .rules import SETTINGS, find_rule, pint_unit, profile_points

CYTOKINES = {"TNF", "IL6", "IL8", "IL10"}
#: What "the default parameter set" is, by parameter_sets.APPLY_BY_DEFAULT.
_DEFAULT_SET = {True: "the shipped calibrated set of the standard model "
                      "(src/neuroimmune/data/calibration_standard.csv) on the published module "
                      "values and documented couplings",
                False: "published module values and documented couplings"}
#: Long-format datasets (variable, time_h, mean, spread) of LPS 2 ng/kg, by scenario.
LONG_DATA = {
    "lps-bolus": (("Janum n=20, mean ± SD", "lps_bolus_2ngkg_janum_dobreva2021"),
                  ("Copeland 2005, mean ± SE", "lps_bolus_2ngkg_copeland_dobreva2021")),
}
LONG_NAMES = {"TNF": "TNF", "IL6": "IL6", "IL8": "IL8", "IL10": "IL10", "temperature": "TEMP",
              "heart_rate": "HR"}
#: The Nelson TSST file's stressor onset (min after its first sample).
NELSON_ONSET_MIN = 30.0


def data_points(scenario: str, variable: str, clock_start: float, onset: float):
    """[(label, dataset, time h after the scenario start, mean, error or None)] to overlay."""
    out = []
    for label, name in LONG_DATA.get(scenario, ()):
        frame = load_dataset(name)
        rows = frame[frame["variable"] == LONG_NAMES.get(variable, "")]
        if variable in CYTOKINES:  # points after 6 h are modellers' halvings, not measurements
            rows = rows[rows["time_h"] <= 6.0]
        if len(rows):
            out.append((label, name, onset + rows["time_h"].to_numpy(float),
                        rows["mean"].to_numpy(float), rows["spread"].to_numpy(float)))
    if scenario == "circadian-day":
        for who, label in (("Carroll", "Carroll 2007 controls, mean"),
                           ("Yehuda", "Yehuda 1996 controls, mean")):
            try:
                clock, values = profile_points(who, variable)
            except KeyError:
                continue
            name = {"Carroll": "cortisol_acth_24h_carroll2007_controls",
                    "Yehuda": "cortisol_24h_yehuda1996_controls"}[who]
            t = (clock - clock_start) % 24.0
            order = np.argsort(t)
            out.append((label, name, t[order], values[order], None))
    if scenario == "acute-stress" and variable == "cortisol":
        name = "tsst_cortisol_nelson_vevapy_individual"
        frame = load_dataset(name)
        healthy = frame[frame["group"] == "healthy"]
        cols = [c for c in frame.columns if c.startswith("t") and c.endswith("min")]
        minutes = np.array([float(c[1:-3]) for c in cols])
        values = healthy[cols].to_numpy(float)
        out.append((f"Nelson TSST healthy n={len(healthy)}, mean ± SD", name,
                    onset + (minutes - NELSON_ONSET_MIN) / 60.0, values.mean(axis=0),
                    values.std(axis=0, ddof=1)))
    return out


def _bands(result, ds, onset: float, model_unit: str) -> list:
    """The accepted band of a target as Panel spans (none when it cannot be drawn)."""
    try:
        rule, _ = find_rule(result.statistic)
    except NeuroimmuneError:
        return []
    kw = dict(color="#2ca02c" if result.passed else "#d62728", alpha=0.12, lw=0)
    label = f"{result.id} band"
    unit = pint_unit(result.unit)
    try:
        if rule.band == "time":
            lo, hi = (float(convert(x, unit, "h")) for x in (result.lower, result.upper))
            return [("x", onset + lo, onset + hi, dict(kw, label=label))]
        if rule.band == "clock":
            c0, t_end = float(ds["clock"].values[0]), float(ds["time"].values[-1])
            lo, hi = ((x - c0) % 24.0 for x in (result.lower, result.upper))
            spans = [(lo, hi)] if lo <= hi else [(lo, t_end), (0.0, hi)]
            return [("x", a, b, dict(kw, label=label if k == 0 else None))
                    for k, (a, b) in enumerate(spans)]
        if rule.band == "value":
            lo, hi = (float(convert(x, unit, model_unit, result.variable)) if unit != model_unit
                      else x for x in (result.lower, result.upper))
            return [("y", lo, hi, dict(kw, label=label))]
    except NeuroimmuneError:
        return []
    return []


def _figure(validation: Validation, scenario: str, path: Path) -> list[str]:
    """One figure for a scenario: a panel per variable its targets use; returns the datasets
    drawn."""
    ds = validation.runs[scenario]
    results = [r for r in validation.results if r.scenario == scenario and r.variable]
    variables = list(dict.fromkeys(r.variable for r in results if r.variable in ds))
    onset = next((s.onset for s in SETTINGS.values() if s.scenario == scenario), 0.0)
    clock0 = float(ds["clock"].values[0])
    used, panels = [], []
    t = ds["time"].values
    for var in variables:
        da = ds[var].isel(patient=0)
        unit = da.attrs.get("units", "")
        mine = [r for r in results if r.variable == var]
        # one title line per target, so that several targets on a panel stay readable
        p = Panel(title=f"{var}\n" + "\n".join(f"{r.id} {_value(r)}"
                                                + (f" (PI {_interval(r)})"
                                                   if r.prediction_interval is not None else "")
                                                + f", band {_band(r)}: "
                                                f"{'pass' if r.passed else 'FAIL'}"
                                                for r in mine),
                  xlabel=f"time (h; t = 0 at {_hhmm(clock0)})", ylabel=f"{var} ({unit})",
                  title_size=7.5, legend_size=6.5)
        p.lines.append((t, da.values, dict(color="#1f77b4", lw=1.8,
                                           label=f"model ({scenario})")))
        p.bands += _ensemble_band(ds, var)
        for ref in sorted({r.reference for r in mine if r.reference}):
            rd = validation.runs[ref][var].isel(patient=0)
            p.lines.append((validation.runs[ref]["time"].values, rd.values,
                            dict(color="#7f7f7f", lw=1.4, ls="--", label=f"model ({ref})")))
        markers = iter("osD^v")
        for label, name, dt, mean, err in data_points(scenario, var, clock0, onset):
            p.points.append((dt, mean, err, dict(fmt=next(markers, "o"), ms=3.5, capsize=2,
                                                 lw=1, label=label)))
            used.append(name)
        for r in mine:
            p.spans += _bands(r, ds, onset, unit)
        panels.append(p)
    plot_panels(panels, path, f"{scenario}: {validation_scenario(scenario).description}")
    return list(dict.fromkeys(used))


def _ensemble_band(ds, var: str) -> list:
    """The 5-95 % band of `var` over the ensemble members of a run (none without members)."""
    if "ensemble_member" not in ds:
        return []
    ok = (ds["ensemble_member"].values >= 0) & (ds["status"].values == 0)
    if not ok.any():
        return []
    y = ds[var].transpose("patient", "time").values[ok]
    lo, hi = np.nanpercentile(y, [5, 95], axis=0)
    return [(ds["time"].values, lo, hi, dict(color="#1f77b4", alpha=0.18, lw=0,
                                             label=f"ensemble 5-95 % ({int(ok.sum())})"))]


def _interval(r) -> str:
    """The 90 % prediction interval of a target ('n/a' when no member gave a value)."""
    if r.prediction_interval is None:
        return "–"
    lo, hi = r.prediction_interval
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "n/a"
    return f"[{_num(lo)}, {_num(hi)}]"


def _hhmm(hours: float) -> str:
    minutes = int(round((hours % 24.0) * 60.0)) % 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _num(x: float) -> str:
    if x is None or not math.isfinite(x):
        return "n/a"
    if x == 0 or 1e-3 <= abs(x) < 1e6:
        return f"{float(f'{x:.3g}'):g}"
    return f"{x:.3g}"


def _value(r) -> str:
    text = _num(r.value)
    if "midnight" in r.unit and math.isfinite(r.value):
        text += f" ({_hhmm(r.value)})"
    return text


def _band(r) -> str:
    text = f"[{_num(r.lower)}, {_num(r.upper)}]"
    return text + " (wraps midnight)" if r.lower > r.upper else text


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def failure_reasons() -> dict[str, tuple[str, str]]:
    """{target id: (cause, explanation)} of the curated failure explanations."""
    text = (resources.files(__package__) / "failure_reasons.csv").read_text()
    frame = pd.read_csv(io.StringIO(text), comment="#")
    return {str(r.id): (str(r.cause), str(r.explanation)) for r in frame.itertuples()}


def write_report(validation: Validation, directory: str | Path) -> Path:
    """Write DIR/index.md, DIR/<scenario>.png and DIR/validation.json; returns index.md."""
    from ..scenarios import BUILTIN

    directory = check_report_dir(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NeuroimmuneError(problem("--report", "a folder that can be created", str(directory),
                                       f"choose a writable place ({exc.strerror})")) from None
    results = validation.results
    (op, ot), (ip, it) = validation.split(False), validation.split(True)
    lines = ["# neuroimmune validation report", "",
             f"Generated by `neuroimmune validate` (neuroimmune {__version__}) on "
             f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. How this report is built and "
             "read: docs/validation.md. Research and teaching tool, not for clinical decisions.",
             "", f"**Out-of-sample: {op} of {ot} targets pass** (their data entered neither the "
             "calibration nor the fit of a published module the model uses: the evidence).", "",
             f"**In-sample: {ip} of {it} targets pass** (their data, or the quantities they "
             "compare, were fitted: a check of the fit, not evidence).", "",
             f"All: {validation.passed} of {validation.total} targets pass with one parameter "
             f"set (the default: {_DEFAULT_SET[APPLY_BY_DEFAULT]}, docs/calibration.md; plus a "
             "built-in scenario's own subject profile where it names one). Which targets are "
             "in-sample, and why: the columns dataset, cohort, band_rule and in_sample of "
             "targets.csv (docs/validation.md).", ""]
    scen = list(validation.runs)
    lines += ["| scenario | targets | pass |", "|---|---|---|"]
    for s in scen:
        mine = [r for r in results if r.scenario == s]
        if mine:
            lines.append(f"| `{s}` | {len(mine)} | {sum(r.passed for r in mine)} |")
    unmapped = [r for r in results if not r.scenario]
    if unmapped:
        lines.append(f"| (no scenario) | {len(unmapped)} | 0 |")
    with_pi = any(r.prediction_interval is not None for r in results)
    if with_pi:
        n_members = max((r.ensemble_members + r.ensemble_excluded for r in results), default=0)
        excluded = sum(r.ensemble_excluded > 0 for r in results)
        source = next((Path(str(ds.attrs["ensemble"])).name for ds in validation.runs.values()
                       if "ensemble" in ds.attrs), "calibration_ensemble.csv")
        lines += ["", "**Uncertainty.** \"90 % PI\" is the 90 % prediction interval of each "
                  "target: the 5th-95th percentile of its statistic over "
                  f"{n_members} members of the "
                  "calibration ensemble (parameter sets drawn from the calibration's posterior, "
                  f"file {source}; "
                  "docs/design/0009-calibration-ensemble.md), each run as a patient of the same "
                  "batch. It carries the calibrated parameters' uncertainty only (not the "
                  "model's structure, nor the published modules' own values). Members whose "
                  "solve failed or whose statistic is undefined are left out: "
                  f"{excluded} target(s) lost at least one member (column \"members\")."]
    lines += ["", "## All targets", "",
              "| id | sample | scenario | quantity | statistic | model | 90 % PI | members | "
              "band | unit | result | reason |", "|---" * 12 + "|"]
    for r in results:
        scen_cell = f"`{r.scenario}`" + (f" vs `{r.reference}`" if r.reference else "")
        members = (f"{r.ensemble_members}" + (f" ({r.ensemble_excluded} left out)"
                                              if r.ensemble_excluded else "")
                   if r.prediction_interval is not None else "–")
        lines.append("| " + " | ".join(_cell(x) for x in (
            r.id, "in" if r.in_sample else "out", scen_cell if r.scenario else "?", r.quantity,
            r.statistic, _value(r), _interval(r), members, _band(r),
            r.unit, "pass" if r.passed else "**FAIL**", r.reason)) + " |")
    failing = [r for r in results if not r.passed]
    if failing:
        reasons = failure_reasons()
        lines += ["", "## Why targets fail", "",
                  "Curated explanations (src/neuroimmune/validation/failure_reasons.csv).", "",
                  "| id | cause | explanation |", "|---|---|---|"]
        for r in failing:
            cause, text = reasons.get(r.id, ("unexplained", "no explanation recorded yet"))
            lines.append(f"| {r.id} | {_cell(cause)} | {_cell(text)} |")
    for s in scen:
        mine = [r for r in results if r.scenario == s]
        if not mine:
            continue
        png = f"{s}.png"
        used = _figure(validation, s, directory / png)
        sc = validation_scenario(s)
        run = (f"`neuroimmune simulate {s}`" if s in BUILTIN else "`neuroimmune simulate "
               f"FILE` with src/neuroimmune/validation/data/protocols/{s}.toml")
        ds = validation.runs[s]
        preeq = ("to the limit cycle" if bool(ds["preequilibration_converged"].all())
                 else "WITHOUT reaching the limit cycle")
        lines += ["", f"## `{s}`", "", _cell(sc.description), "",
                  f"Modules: {', '.join(m if isinstance(m, str) else m.name for m in sc.modules)}"
                  f"; profile: {', '.join(sc.profiles) or 'none (defaults)'}; clock at t = 0: "
                  f"{_hhmm(float(ds['clock'].values[0]))}; solver: {ds.attrs.get('method')} "
                  f"(rtol {ds.attrs.get('rtol')}); pre-equilibrated "
                  f"{preeq} (at most {ds.attrs.get('preequilibrate_days')} days). Run it: "
                  f"{run}.", "", f"![{s}]({png})", "",
                  "Shaded: the accepted band of each target (green: passes, red: fails); "
                  "time bands start at the challenge; blue: the 5-95 % band of the ensemble "
                  "members' curves (where validate ran with the ensemble).", ""]
        lines += [f"- **{r.id}** {r.quantity}, {r.statistic}: model {_value(r)} {r.unit}"
                  + (f" (90 % PI {_interval(r)})" if r.prediction_interval is not None else "")
                  + f", band {_band(r)}: {'pass' if r.passed else 'FAIL (' + r.reason + ')'}. "
                  f"Source: {r.source}" for r in mine]
        if used:
            lines += ["", "Data drawn:"]
            lines += [f"- `{n}`: {provenance(n).splitlines()[0]}" for n in used]
    index = directory / "index.md"
    atomic_write_text(index, "\n".join(lines) + "\n")
    atomic_write_text(directory / "validation.json",
                      json.dumps(validation.to_dict(), indent=2) + "\n")
    return index
