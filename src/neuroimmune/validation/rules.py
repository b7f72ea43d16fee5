"""How a row of targets.csv becomes a simulation and a statistic.

A row names its scenario, quantity and statistic in words (``LPS 2 ng/kg i.v. bolus (healthy
young men)``, ``IL-6``, ``time of peak``). SETTINGS maps the scenario text to a built-in scenario
(neuroimmune.scenarios.BUILTIN) and the time of its challenge; QUANTITIES maps the quantity to a
model variable; RULES map the statistic text (regular expressions, whole-text match) to a function
of the simulated course. A row whose words are not known here fails with a reason instead of
stopping the whole validation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np
import xarray as xr

from ..errors import NeuroimmuneError, problem
from . import statistics as st
from .datasets import load_dataset


@dataclass(frozen=True)
class Setting:
    """The built-in scenario behind a targets.csv scenario text."""

    scenario: str
    #: Time of the challenge (h after the scenario's start): LPS, stressor onset, drug dose.
    onset: float = 0.0
    #: The built-in scenario a "... with LPS alone" statistic compares with.
    reference: str | None = None
    #: Time of the same challenge in the reference scenario (None: the same as `onset`).
    reference_onset: float | None = None


SETTINGS: dict[str, Setting] = {
    "LPS 2 ng/kg i.v. bolus (healthy young men)": Setting("lps-bolus"),
    "24 h normal day (no challenge)": Setting("circadian-day"),
    "Trier Social Stress Test (15 min psychosocial stressor; healthy)":
        Setting("acute-stress", onset=0.5),
    "Hydrocortisone 3 ug/kg/min i.v. for the 6 h before LPS 2 ng/kg":
        Setting("lps-hydrocortisone", onset=6.0, reference="lps-bolus",
                reference_onset=0.0),
    "Dexamethasone 1 mg oral at 23:00 (healthy)": Setting("dexamethasone-suppression"),
    # validation protocols (validation/data/protocols/*.toml)
    "LPS 4 ng/kg i.v. bolus (healthy young men)": Setting("lps-bolus-4ngkg"),
    "LPS 2 ng/kg i.v. once daily for 5 days (healthy young men)": Setting("lps-repeated-5d"),
    "ACTH test: cosyntropin 250 ug i.v. (healthy)": Setting("acth-test-250ug", onset=0.5),
    "ACTH test: cosyntropin 1 ug i.v. (healthy)": Setting("acth-test-1ug", onset=0.5),
    "ACTH test: cosyntropin 0.5 ug i.v. (healthy)": Setting("acth-test-0.5ug", onset=0.5),
    "Epinephrine 10 ng/kg/min i.v. for 10 min (healthy, at rest)":
        Setting("epinephrine-infusion-10", onset=0.5),
    "Epinephrine 25 ng/kg/min i.v. for 14 min (healthy, at rest)":
        Setting("epinephrine-infusion-25", onset=0.5),
    "Epinephrine 50 ng/kg/min i.v. for 14 min (healthy, at rest)":
        Setting("epinephrine-infusion-50", onset=0.5),
    "Epinephrine 100 ng/kg/min i.v. for 14 min (healthy, at rest)":
        Setting("epinephrine-infusion-100", onset=0.5),
    "Normal day: young man (sex steroids)": Setting("sex-steroids-man"),
    "Normal day: young woman, follicular phase (sex steroids)":
        Setting("sex-steroids-healthy-woman"),
    "Normal day: young woman, luteal phase (sex steroids)": Setting("sex-steroids-woman-luteal"),
    "Normal day: post-menopausal woman (sex steroids)":
        Setting("sex-steroids-postmenopausal-woman"),
    "Castration (gonadectomy) of a healthy young man": Setting("gonadectomy"),
    "LPS 0.8 ng/kg i.v. bolus (healthy)": Setting("lps-bolus-0.8ngkg"),
    "Hydrocortisone 200 mg i.v. (healthy)": Setting("hydrocortisone-200mg-iv"),
    "Prednisolone 15 mg oral (healthy)": Setting("prednisolone-15mg-oral"),
    "Prednisolone 60 mg oral (healthy)": Setting("prednisolone-60mg-oral"),
    "Dexamethasone 1.5 mg oral, fasting (healthy)": Setting("dexamethasone-1.5mg-oral"),
    "Normal day: man of about 70 years": Setting("normal-day-older-man"),
    "Ibuprofen 800 mg oral 1 h before LPS 4 ng/kg (healthy men)":
        Setting("lps-4ngkg-ibuprofen", onset=1.0, reference="lps-bolus-4ngkg",
                reference_onset=0.0),
    "Ibuprofen 400 mg oral, fasting (healthy)": Setting("ibuprofen-400mg-oral"),
    # the sickness output of brain_signalling (docs/design/0038)
    "LPS 2 ng/kg i.v. bolus (healthy; brain signalling)": Setting("lps-brain"),
    "LPS 0.8 ng/kg i.v. bolus (healthy; brain signalling)": Setting("lps-bolus-0.8ngkg-brain"),
}

QUANTITIES: dict[str, str] = {
    "TNF": "TNF", "IL-6": "IL6", "IL-8": "IL8", "IL-10": "IL10", "IL-1beta": "IL1b",
    "body temperature": "temperature", "heart rate": "heart_rate", "ACTH": "ACTH",
    "CRH": "CRH", "cortisol": "cortisol", "epinephrine": "EPI", "norepinephrine": "NE",
    "estradiol": "estradiol", "testosterone": "testosterone", "progesterone": "progesterone",
    "LH": "LH", "neutrophils": "neutrophils", "prednisolone": "prednisolone",
    "dexamethasone": "dexamethasone", "ibuprofen": "ibuprofen",
    "sickness (Sickness Questionnaire rise / 30)": "sickness",
}

#: Whole-day reference profiles: dataset, minutes-after column's clock origin (h), columns.
PROFILES: dict[str, tuple[str, float, dict[str, str]]] = {
    "Carroll": ("cortisol_acth_24h_carroll2007_controls", 0.0,
                {"cortisol": "cortisol_ug_dL", "ACTH": "ACTH_pg_mL"}),
    "Yehuda": ("cortisol_24h_yehuda1996_controls", 10.0, {"cortisol": "cortisol_ug_dL"}),
}
PROFILE_UNITS = {"cortisol": "ug/dL", "ACTH": "pg/mL"}


@dataclass
class Course:
    """What a statistic sees: the course of one variable, the same variable in the reference
    scenario (or None), and the challenge time."""

    da: xr.DataArray
    ref: xr.DataArray | None
    onset: float
    quantity: str
    #: Challenge time in the reference scenario (None: the same as `onset`).
    reference_onset: float | None = None

    @property
    def ref_onset(self) -> float:
        return self.onset if self.reference_onset is None else self.reference_onset

    @property
    def unit(self) -> str:
        return self.da.attrs.get("units", "")

    def need_ref(self) -> xr.DataArray:
        if self.ref is None:
            raise NeuroimmuneError("this statistic compares with a reference scenario, but the "
                                   "target's scenario has none. Fix: add `reference` to its "
                                   "Setting in neuroimmune.validation.rules")
        return self.ref


def _whole_day(c: Course, m: re.Match) -> float:
    who = m["who"]
    if who not in PROFILES:
        raise NeuroimmuneError(problem("whole-day profile", f"one of {sorted(PROFILES)}", who,
                                       "add the dataset to rules.PROFILES"))
    columns = PROFILES[who][2]
    if c.quantity not in columns:
        raise NeuroimmuneError(problem(f"{who} profile quantity", f"one of {sorted(columns)}",
                                       c.quantity, "compare a quantity the dataset has"))
    clock, values = profile_points(who, c.quantity)
    from ..results import convert

    da = c.da.copy(data=convert(c.da.values, c.unit, PROFILE_UNITS[c.quantity], c.quantity))
    return st.rmse_over_mean(da, clock, values)


def profile_points(who: str, quantity: str) -> tuple[np.ndarray, np.ndarray]:
    """Clock times (h after midnight) and values of a whole-day reference dataset."""
    name, origin, columns = PROFILES[who]
    frame = load_dataset(name)
    minutes = frame[frame.columns[0]].to_numpy(float)
    return (origin + minutes / 60.0) % 24.0, frame[columns[quantity]].to_numpy(float)


@dataclass(frozen=True)
class Rule:
    """A statistic text pattern, the function computing it, and the unit of its result
    ("=" for the variable's own unit, "=*h" for it times hours, "" for a ratio). `band` says
    how the report draws the accepted band: "time" (x, h after onset), "clock" (x, clock
    hours), "value" (y) or None."""

    pattern: str
    name: str
    compute: Callable[[Course, re.Match], float]
    unit: str
    band: str | None = None


def _hours(m: re.Match) -> float:
    return float(m["x"]) / (60.0 if m["u"] == "min" else 1.0)


def _clock(text: str) -> float:
    hh, mm = (int(x) for x in text.split(":"))
    if not (0 <= hh <= 24 and 0 <= mm < 60 and hh * 60 + mm <= 24 * 60):
        raise NeuroimmuneError(problem("clock time of a target statistic", "HH:MM from 00:00 to "
                                       "24:00", text, "correct the statistic in targets.csv"))
    return hh + mm / 60.0


def _window_mean(c: Course, window: str) -> float:
    start, end = window.split("-")
    return st.clock_window_mean(c.da, _clock(start), _clock(end))


def _day_rise(c: Course, day: int) -> float:
    """Largest rise over the value at the day's start within day `day` (1 = the 24 h from the
    onset): the response to a challenge repeated daily at the onset's clock time."""
    start = c.onset + 24.0 * (day - 1)
    return st.peak(c.da, start, start + 24.0) - st.value_at(c.da, start)


def _same_window_ratio(c: Course, stat) -> float:
    """stat over the same length of time after the challenge in both scenarios, as a ratio."""
    ref = c.need_ref()
    hours = min(float(c.da["time"][-1]) - c.onset, float(ref["time"][-1]) - c.ref_onset)
    return st.ratio(stat(c.da, c.onset, c.onset + hours),
                    stat(ref, c.ref_onset, c.ref_onset + hours))


def _rise_ratio(c: Course) -> float:
    return st.ratio(st.rise_over_baseline(c.da, c.onset),
                    st.rise_over_baseline(c.need_ref(), c.ref_onset))


RULES: tuple[Rule, ...] = (
    Rule(r"time of peak( after stressor onset)?", "time_of_peak",
         lambda c, m: st.time_of_peak(c.da, c.onset) - c.onset, "h", "time"),
    Rule(r"peak value", "peak", lambda c, m: st.peak(c.da, c.onset), "=", "value"),
    Rule(r"minimum value", "minimum", lambda c, m: st.minimum(c.da, c.onset), "=", "value"),
    Rule(r"clock time of peak", "clock_time_of_peak",
         lambda c, m: st.clock_time_of_peak(c.da), "h", "clock"),
    Rule(r"clock time of minimum", "clock_time_of_minimum",
         lambda c, m: st.clock_time_of_minimum(c.da), "h", "clock"),
    Rule(r"value at (?P<h>[\d.]+) h / peak value", "value_at_over_peak",
         lambda c, m: st.value_at_over_peak(c.da, c.onset + float(m["h"]), c.onset), ""),
    Rule(r"peak rise over baseline", "rise_over_baseline",
         lambda c, m: st.rise_over_baseline(c.da, c.onset), "="),
    Rule(r"peak / pre-\S+ value", "ratio_to_value_at",
         lambda c, m: st.ratio_to_value_at(c.da, c.onset), ""),
    Rule(r"time of largest rise after stressor onset", "time_of_largest_rise",
         lambda c, m: st.time_of_largest_rise(c.da, c.onset), "h", "time"),
    Rule(r"peak / peak with LPS alone", "peak_ratio",
         lambda c, m: st.ratio(st.peak(c.da, c.onset), st.peak(c.need_ref(), c.ref_onset)), ""),
    Rule(r"peak rise / rise with LPS alone", "rise_ratio", lambda c, m: _rise_ratio(c), ""),
    Rule(r"value at (?P<hm>\d\d:\d\d) next morning", "value_at_clock",
         lambda c, m: st.value_at(c.da, st.time_of_clock(c.da, _clock(m["hm"]), c.onset + 1e-9)),
         "=", "value"),
    Rule(r"whole-day profile vs (?P<who>\w+) controls: RMSE / mean of data", "rmse_over_mean",
         _whole_day, ""),
    Rule(r"value (?P<x>[\d.]+) (?P<u>min|h) after onset", "value_after_onset",
         lambda c, m: st.value_at(c.da, c.onset + _hours(m)), "=", "value"),
    Rule(r"rise (?P<x>[\d.]+) (?P<u>min|h) after onset", "rise_after_onset",
         lambda c, m: st.value_at(c.da, c.onset + _hours(m)) - st.value_at(c.da, c.onset), "=",
         "value"),
    Rule(r"value (?P<x>[\d.]+) (?P<u>min|h) after onset / pre-\S+ value", "value_ratio",
         lambda c, m: st.ratio(st.value_at(c.da, c.onset + _hours(m)),
                               st.value_at(c.da, c.onset)), ""),
    Rule(r"peak value within (?P<x>[\d.]+) (?P<u>min|h) after onset", "peak_within",
         lambda c, m: st.peak(c.da, c.onset, c.onset + _hours(m)), "=", "value"),
    Rule(r"peak rise on day (?P<b>\d+) / peak rise on day (?P<a>\d+)", "day_rise_ratio",
         lambda c, m: st.ratio(_day_rise(c, int(m["b"])), _day_rise(c, int(m["a"]))), ""),
    Rule(r"area under the curve after onset", "auc", lambda c, m: st.auc(c.da, c.onset),
         "=*h"),
    Rule(r"area under the curve / area with LPS alone", "auc_ratio",
         lambda c, m: _same_window_ratio(c, st.auc), ""),
    Rule(r"value (?P<x>[\d.]+) (?P<u>min|h) after onset / value with LPS alone", "value_ratio_ref",
         lambda c, m: st.ratio(st.value_at(c.da, c.onset + _hours(m)),
                               st.value_at(c.need_ref(), c.ref_onset + _hours(m))), ""),
    Rule(r"mean (?P<a>\d\d:\d\d-\d\d:\d\d) minus mean (?P<b>\d\d:\d\d-\d\d:\d\d)",
         "clock_window_mean", lambda c, m: _window_mean(c, m["a"]) - _window_mean(c, m["b"]), "="),
    Rule(r"mean value", "mean", lambda c, m: st.mean(c.da, c.onset), "=", "value"),
    Rule(r"mean / mean in (?P<ref>.+)", "mean_ratio",
         lambda c, m: st.ratio(st.mean(c.da, c.onset), st.mean(c.need_ref(), c.ref_onset)), ""),
    Rule(r"peak / peak in (?P<ref>.+)", "peak_ratio_reference",
         lambda c, m: st.ratio(st.peak(c.da, c.onset), st.peak(c.need_ref(), c.ref_onset)), ""),
)


def find_rule(statistic: str) -> tuple[Rule, re.Match]:
    for rule in RULES:
        m = re.fullmatch(rule.pattern, statistic.strip())
        if m:
            return rule, m
    raise NeuroimmuneError(problem("target statistic", "a statistic the harness knows (see "
                                   "neuroimmune.validation.rules.RULES)", statistic,
                                   "add a Rule for it"))


def find_setting(scenario: str) -> Setting:
    if scenario.strip() not in SETTINGS:
        raise NeuroimmuneError(problem("target scenario", f"one of {sorted(SETTINGS)}", scenario,
                                       "add a Setting for it in neuroimmune.validation.rules"))
    return SETTINGS[scenario.strip()]


def find_variable(quantity: str) -> str:
    if quantity.strip() not in QUANTITIES:
        raise NeuroimmuneError(problem("target quantity", f"one of {sorted(QUANTITIES)}",
                                       quantity,
                                       "add it to neuroimmune.validation.rules.QUANTITIES"))
    return QUANTITIES[quantity.strip()]


def pint_unit(target_unit: str) -> str:
    """The pint unit of a targets.csv unit text: 'h after LPS' -> 'h', 'ratio' -> ''."""
    text = re.split(r"\s+after\s+|\s*\(", target_unit.strip())[0].strip()
    return "" if text in ("ratio", "1", "dimensionless") else text
