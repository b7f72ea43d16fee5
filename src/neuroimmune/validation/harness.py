"""The validation harness (`neuroimmune validate`): every row of the packaged targets.csv becomes a
built-in scenario plus a statistic of its simulation, compared with the row's band (the report is
written by neuroimmune.validation.report).

One parameter set: the model defaults (plus a scenario's own subject profile where the built-in
scenario names one). With an ensemble (`neuroimmune validate` uses the shipped calibration
ensemble), each scenario also runs with every member as a patient of the same batch, and each
target gets the members' 90 % prediction interval. How the report is built and read:
docs/validation.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import xarray as xr

from ..errors import NeuroimmuneError, problem
from ..results import convert
from . import statistics
from .datasets import load_dataset, protocol_names, protocol_text
from .rules import Course, find_rule, find_setting, find_variable, pint_unit

TARGET_COLUMNS = ["id", "scenario", "quantity", "statistic", "target", "lower", "upper", "unit",
                  "source", "notes", "dataset", "cohort", "band_rule", "in_sample", "n", "spread",
                  "spread_kind", "url"]
#: Provenance columns (docs/validation.md): the dataset and cohort a target's value comes from, how
#: its band was derived, and whether that dataset or cohort entered the calibration or the fit of
#: a published module the model uses (in-sample) or not (out-of-sample: evidence).
PROVENANCE_COLUMNS = TARGET_COLUMNS[10:14]
#: The published numbers behind a derived band (validation.bands): group size, spread and its kind
#: (SD or SEM), and where the number was read.
SPREAD_COLUMNS = TARGET_COLUMNS[14:]
#: The prediction interval: these percentiles of a target's statistic over the ensemble members.
INTERVAL_PERCENTILES = (5.0, 95.0)


def _as_bool(value) -> bool | None:
    text = str(value).strip().lower()
    return {"true": True, "1": True, "yes": True, "false": False, "0": False,
            "no": False}.get(text)


def load_targets(path: str | Path | None = None) -> pd.DataFrame:
    """The packaged targets.csv (or another file in its format), checked: the columns, unique ids
    and numeric bands. A band with lower > upper is a clock window that wraps midnight."""
    if path is None:
        frame = load_dataset("targets")
        where = "targets.csv"
    else:
        path = Path(path)
        if not path.is_file():
            raise NeuroimmuneError(problem("targets file", "an existing CSV file", str(path),
                                           "check the path"))
        frame = pd.read_csv(path, comment="#")
        where = path.name
    missing = [c for c in TARGET_COLUMNS[:8] if c not in frame.columns]
    if missing:
        raise NeuroimmuneError(problem(f"{where} columns", f"at least {TARGET_COLUMNS[:8]}",
                                       missing, "use the format of the packaged targets.csv"))
    if frame["id"].duplicated().any():
        raise NeuroimmuneError(problem(f"{where} ids", "unique ids",
                                       sorted(frame["id"][frame["id"].duplicated()]),
                                       "rename the duplicates"))
    for col in ("target", "lower", "upper"):
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = frame["id"][values.isna() & (col != "target")].tolist()
        if bad:
            raise NeuroimmuneError(problem(f"{where} column {col!r}", "numbers", bad,
                                           "fill in the band"))
        frame[col] = values
    if "in_sample" in frame.columns:
        flags = [_as_bool(v) for v in frame["in_sample"]]
        bad = [i for i, f in zip(frame["id"], flags) if f is None]
        if bad:
            raise NeuroimmuneError(problem(f"{where} column 'in_sample'", "true or false", bad,
                                           "say whether the target's data entered calibration"))
        frame["in_sample"] = pd.Series(flags, index=frame.index, dtype=bool)
    else:
        # a user's targets file without provenance: counted out-of-sample, as the user's claim
        frame["in_sample"] = False
    fill = {c: "" for c in ("source", "notes", "dataset", "cohort", "band_rule", "spread_kind",
                            "url")}
    for col in fill:
        if col in frame.columns:
            frame[col] = frame[col].astype(object)
    return frame.fillna(fill).reset_index(drop=True)


def check(value: float, lower: float, upper: float, unit: str = "",
          rtol: float = 0.0) -> tuple[bool, str]:
    """Pass/fail and a short generated reason ("" when it passes); `rtol` is the solver's
    relative tolerance of the runs (statistics.in_band)."""
    if value is None or not math.isfinite(value):
        return False, "no value (the statistic is undefined for this course, e.g. no rise)"
    if statistics.in_band(value, lower, upper, rtol):
        return True, ""
    if lower > upper:
        return False, "outside the clock window"
    return False, "value above band" if value > upper else "value below band"


@dataclass
class TargetResult:
    id: str
    scenario: str
    quantity: str
    statistic: str
    value: float
    lower: float
    upper: float
    unit: str
    passed: bool
    reason: str = ""
    target: float = math.nan
    variable: str = ""
    statistic_name: str = ""
    reference: str | None = None
    source: str = ""
    scenario_text: str = ""
    in_sample: bool = False
    dataset: str = ""
    band_rule: str = ""
    #: The ensemble's 90 % prediction interval (5th-95th percentile of the statistic over the
    #: members); None when validation ran without an ensemble. (nan, nan) when no member gave
    #: a value.
    prediction_interval: tuple[float, float] | None = None
    #: Members that gave a value, and members left out (failed solve or undefined statistic).
    ensemble_members: int = 0
    ensemble_excluded: int = 0

    def to_dict(self) -> dict:
        def num(x):
            return None if x is None or not math.isfinite(x) else float(x)

        out = {"id": self.id, "passed": self.passed, "value": num(self.value),
               "lower": num(self.lower), "upper": num(self.upper), "unit": self.unit,
               "scenario": self.scenario, "reference_scenario": self.reference,
               "quantity": self.quantity, "variable": self.variable,
               "statistic": self.statistic, "statistic_function": self.statistic_name,
               "target": num(self.target), "reason": self.reason,
               "in_sample": self.in_sample, "source": self.source, "dataset": self.dataset,
               "band_rule": self.band_rule}
        if self.prediction_interval is not None:
            out["prediction_interval"] = [num(x) for x in self.prediction_interval]
            out["ensemble_members"] = self.ensemble_members
            out["ensemble_excluded"] = self.ensemble_excluded
        return out


@dataclass
class Validation:
    results: list[TargetResult]
    #: The simulated datasets by built-in scenario name.
    runs: dict[str, xr.Dataset] = field(default_factory=dict)

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def total(self) -> int:
        return len(self.results)

    def split(self, in_sample: bool) -> tuple[int, int]:
        """(passed, total) of the in-sample or the out-of-sample targets."""
        mine = [r for r in self.results if r.in_sample == in_sample]
        return sum(r.passed for r in mine), len(mine)

    @property
    def summary(self) -> str:
        """"N of M targets pass: a of b out-of-sample, c of d in-sample"."""
        (op, ot), (ip, it) = self.split(False), self.split(True)
        return (f"{self.passed} of {self.total} targets pass: {op} of {ot} out-of-sample, "
                f"{ip} of {it} in-sample")

    def to_dict(self) -> dict:
        (op, ot), (ip, it) = self.split(False), self.split(True)
        return {"targets": [r.to_dict() for r in self.results], "passed": self.passed,
                "total": self.total, "out_of_sample": {"passed": op, "total": ot},
                "in_sample": {"passed": ip, "total": it}}


def scenarios_needed(targets: pd.DataFrame) -> list[str]:
    """The distinct built-in scenarios (with references) the targets need, in first-use order."""
    names: list[str] = []
    for text in targets["scenario"]:
        try:
            s = find_setting(text)
        except NeuroimmuneError:
            continue
        for n in (s.scenario, s.reference):
            if n and n not in names:
                names.append(n)
    return names


def validation_scenario(name: str):
    """A built-in scenario, or else a validation protocol (datasets.protocol_names), by name."""
    from ..io.scenario import parse_scenario
    from ..scenarios import BUILTIN

    if name in BUILTIN:
        return BUILTIN[name]
    if name in protocol_names():
        return parse_scenario(protocol_text(name), where=f"validation protocol {name}.toml",
                              default_name=name)
    raise NeuroimmuneError(problem("validation scenario", "a built-in scenario or a validation "
                                   "protocol name", name, "map the target to one of `neuroimmune "
                                   "scenarios` or add validation/data/protocols/<name>.toml"))


def simulate_scenarios(names, progress: Callable[[str], None] | None = None,
                       ensemble=None) -> dict[str, xr.Dataset]:
    """Run each scenario once (kernels compile on first use). With an `ensemble`
    (neuroimmune.parameter_sets.Ensemble), each run holds the point estimate as patient 0 and
    the members as patients 1..n of the same batch (scenarios.simulate_ensemble)."""
    from .. import scenarios

    runs = {}
    for name in names:
        sc = validation_scenario(name)
        if progress:
            progress(name)
        runs[name] = (scenarios.simulate(sc) if ensemble is None else
                      scenarios.simulate_ensemble(sc, ensemble, include_point=True))
    return runs


def _failure(ds: xr.Dataset, patient: int = 0) -> str:
    if int(ds["status"].values[patient]) == 0:
        return ""
    return f"simulation failed: {ds['status_message'].values[patient]}"


def evaluate_row(row, runs: dict[str, xr.Dataset], patient: int = 0) -> TargetResult:
    """One target against simulated runs (a missing mapping or statistic error becomes a failed
    target with its reason, not an exception); `patient` picks the patient of every run (0:
    the point estimate; an ensemble member in runs from simulate_scenarios(ensemble=...))."""
    res = TargetResult(str(row["id"]), "", str(row["quantity"]), str(row["statistic"]),
                       math.nan, float(row["lower"]), float(row["upper"]), str(row["unit"]),
                       False, target=float(row["target"]), source=str(row.get("source", "")),
                       scenario_text=str(row["scenario"]),
                       in_sample=bool(row.get("in_sample", False)),
                       dataset=str(row.get("dataset", "")), band_rule=str(row.get("band_rule", "")))
    try:
        setting = find_setting(res.scenario_text)
        res.scenario, res.reference = setting.scenario, setting.reference
        res.variable = find_variable(res.quantity)
        rule, match = find_rule(res.statistic)
        res.statistic_name = rule.name
        for name in (setting.scenario, setting.reference):
            if name and (msg := _failure(runs[name], patient)):
                res.reason = msg
                return res
        ds = runs[setting.scenario]
        ref = (runs[setting.reference][res.variable].isel(patient=patient) if setting.reference
               else None)
        course = Course(ds[res.variable].isel(patient=patient), ref, setting.onset,
                        res.variable, setting.reference_onset)
        value = rule.compute(course, match)
        unit = (course.unit if rule.unit == "=" else
                rule.unit.replace("=", f"({course.unit})") if "=" in rule.unit else rule.unit)
        want = pint_unit(res.unit)
        if unit != want and math.isfinite(value):
            value = float(convert(value, unit or "dimensionless", want or "dimensionless",
                                  res.variable))
        res.value = value
        rtol = max(float(runs[n].attrs.get("rtol", 0.0)) for n in (setting.scenario,
                                                                    setting.reference) if n)
        res.passed, res.reason = check(value, res.lower, res.upper, rtol=rtol)
    except NeuroimmuneError as exc:
        res.reason = f"not computed: {exc}"
    except KeyError as exc:
        res.reason = f"not computed: {exc} is not in the simulated results"
    return res


def prediction_interval(row, runs: dict[str, xr.Dataset]) -> tuple[tuple[float, float], int,
                                                                   int]:
    """((5th, 95th percentile), members with a value, members left out) of a target's statistic
    over the ensemble members of `runs` (patients 1..n of runs from simulate_scenarios with an
    ensemble). A member whose solve failed, or whose statistic is undefined, is left out and
    counted, never an error."""
    first = next(iter(runs.values()), None)
    if first is None or "ensemble_member" not in first:
        return (math.nan, math.nan), 0, 0
    patients = [int(p) for p, m in zip(first["patient"].values, first["ensemble_member"].values)
                if m >= 0]
    values = np.array([evaluate_row(row, runs, p).value for p in patients], float)
    ok = np.isfinite(values)
    if not ok.any():
        return (math.nan, math.nan), 0, len(values)
    lo, hi = np.percentile(values[ok], INTERVAL_PERCENTILES)
    return (float(lo), float(hi)), int(ok.sum()), int((~ok).sum())


def evaluate(targets: pd.DataFrame, runs: dict[str, xr.Dataset]) -> list[TargetResult]:
    results = [evaluate_row(row, runs) for _, row in targets.iterrows()]
    first = next(iter(runs.values()), None)
    if first is not None and "ensemble_member" in first:
        for res, (_, row) in zip(results, targets.iterrows()):
            interval, n, excluded = prediction_interval(row, runs)
            res.prediction_interval = interval
            res.ensemble_members, res.ensemble_excluded = n, excluded
    return results


def run_validation(targets: pd.DataFrame | None = None,
                   progress: Callable[[str], None] | None = None,
                   ensemble=None) -> Validation:
    """Simulate every scenario the targets need (once each) and evaluate every target; with an
    `ensemble` (an Ensemble, e.g. parameter_sets.calibrated_ensemble()), also each target's 90 %
    prediction interval over its members."""
    targets = load_targets() if targets is None else targets
    runs = simulate_scenarios(scenarios_needed(targets), progress, ensemble)
    return Validation(evaluate(targets, runs), runs)


def check_report_dir(directory: str | Path) -> Path:
    """Fail early (before simulating) when the report folder cannot be a folder."""
    from ..io import check_output_path

    return check_output_path(directory, "--report", directory=True)


__all__ = ["TARGET_COLUMNS", "PROVENANCE_COLUMNS", "SPREAD_COLUMNS", "load_targets", "check",
           "TargetResult",
           "Validation", "scenarios_needed", "simulate_scenarios", "validation_scenario",
           "evaluate", "evaluate_row", "run_validation", "prediction_interval",
           "INTERVAL_PERCENTILES",
           "check_report_dir", "statistics"]
