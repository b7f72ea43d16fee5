"""Observations to fit: a tidy table, one row per measurement, read into the model's units.

Columns (docs/fitting.md): ``subject`` (any label), ``time`` (h after the scenario's t = 0),
``output`` (a species or observable of the model), ``value``, ``unit`` (any unit pint converts to
the output's unit; mass <-> molar concentrations of cortisol, ACTH, estradiol and testosterone
use their molar masses, ``neuroimmune.results.convert``) and optionally ``sd`` (the
measurement's standard deviation, in ``unit``). Lines starting with ``#`` are comments. Every
error names the line (of a file) or the row (of a DataFrame) and how to fix it.
"""

from __future__ import annotations

import difflib
import io
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from ..errors import NeuroimmuneError, problem
from ..results import convert

#: Required columns; ``sd`` is optional.
COLUMNS = ("subject", "time", "output", "value", "unit")
OPTIONAL = ("sd",)


def read_observations(data: str | Path | pd.DataFrame, outputs: Mapping[str, str]
                      ) -> pd.DataFrame:
    """The observations in `data` (a CSV path or a DataFrame) checked against `outputs` (model
    output name -> unit) and converted to those units.

    Returns columns subject (str), time (h), output, value, sd (NaN where not given), unit (the
    model's) and where (the line or row, for messages), sorted by subject, output and time.
    Within one subject an output's rows either all give sd or none do (then the fit estimates
    it).
    """
    frame, where = _table(data)
    if frame.empty:
        raise NeuroimmuneError(problem("data", "at least one measurement row", "no rows",
                                       "add rows: subject,time,output,value,unit"))
    missing = [c for c in COLUMNS if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in COLUMNS + OPTIONAL]
    if missing or unknown:
        hint = {c: difflib.get_close_matches(str(c).lower(), COLUMNS + OPTIONAL, n=1)
                for c in unknown}
        fix = "; ".join(f"rename {c!r} to {h[0]!r}" for c, h in hint.items() if h)
        raise NeuroimmuneError(problem(
            "data columns", f"{list(COLUMNS)} and optionally 'sd'", list(frame.columns),
            fix or ("add the missing columns " + ", ".join(missing) if missing else
                    "remove the columns " + ", ".join(map(str, unknown)))))
    out = pd.DataFrame({"subject": frame["subject"], "where": where})
    text = frame["subject"].astype(str).str.strip()
    _first_bad(frame["subject"].isna().to_numpy() | (text == "").to_numpy(), where, "subject",
               "a label", frame["subject"], "give every row its subject")
    out["subject"] = text
    out["time"] = _numbers(frame, "time", where, "a time >= 0 in hours after the scenario's "
                           "t = 0", lambda t: t >= 0, "give the time in hours (the scenario "
                           "starts at 0)")
    out["value"] = _numbers(frame, "value", where, "a finite number", None,
                            "drop the row or fill in the measurement")
    names = frame["output"].astype(str).str.strip()
    bad = ~names.isin(list(outputs)).to_numpy()
    if bad.any():
        name = names[bad].iloc[0]
        near = difflib.get_close_matches(name, list(outputs), n=1)
        _raise(where[bad][0], "output", "a species or observable of the model", name,
               f"did you mean {near[0]!r}?" if near else "see `neuroimmune model` for names")
    out["output"] = names
    if "sd" in frame.columns:
        sd = pd.to_numeric(frame["sd"], errors="coerce").to_numpy(float)
        text_sd = frame["sd"].astype(str).str.strip()
        given = ~frame["sd"].isna().to_numpy() & (text_sd != "").to_numpy()
        _first_bad(given & ~(np.isfinite(sd) & (sd > 0)), where, "sd", "a number > 0 (or an "
                   "empty cell, then the fit estimates the sd)", frame["sd"],
                   "give the measurement's standard deviation in the row's unit")
        sd = np.where(given, sd, np.nan)
        mixed = pd.Series(given).groupby([out["subject"].to_numpy(), names.to_numpy()]
                                         ).transform(lambda g: g.any() and not g.all())
        if mixed.any():
            i = int(np.flatnonzero(mixed.to_numpy() & ~given)[0])
            _raise(where[i], "sd", f"an sd like the other {names.iloc[i]} rows of subject "
                   f"{out['subject'].iloc[i]}", "an empty cell", "give every row of this "
                   "output an sd, or none (then the fit estimates it)")
    else:
        sd = np.full(len(frame), np.nan)
    out["sd"] = sd
    out["unit"] = ""
    units = frame["unit"].astype(str).str.strip()
    for (name, unit), rows in out.groupby([names, units]).groups.items():
        target, idx = outputs[name], np.asarray(rows)
        try:
            v = out.loc[idx, "value"].to_numpy(float)
            sd_given = out.loc[idx, "sd"].to_numpy(float)
            converted = convert(v, unit, target, name)
            out.loc[idx, "value"] = converted
            out.loc[idx, "sd"] = np.abs(convert(v + sd_given, unit, target, name) - converted)
        except NeuroimmuneError as exc:
            known = "expected a unit pint understands" not in str(exc)
            _raise(str(where[idx[0]]), "unit", f"a unit convertible to {target} (the model's "
                   f"unit of {name})", unit, f"give {name} in {target} or a compatible unit" +
                   ("" if known else " (pint does not know this unit; e.g. pg/mL, nmol/L)"))
        out.loc[idx, "unit"] = target
    out = out.iloc[_order(out)].reset_index(drop=True)
    return out[["subject", "time", "output", "value", "sd", "unit", "where"]]


def _table(data) -> tuple[pd.DataFrame, np.ndarray]:
    """The table and, per row, where it came from ('line N of FILE' or 'row N')."""
    if isinstance(data, pd.DataFrame):
        frame = data.reset_index(drop=True)
        return frame, np.array([f"row {i + 1}" for i in range(len(frame))])
    path = Path(data)
    if not path.is_file():
        raise NeuroimmuneError(problem("data file", "an existing CSV file", str(path),
                                       "check the path"))
    try:
        lines = path.read_text().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise NeuroimmuneError(problem("data file", "a readable UTF-8 CSV file", str(path),
                                       f"save it as CSV text ({exc})")) from None
    kept = [(n + 1, line) for n, line in enumerate(lines)
            if line.strip() and not line.lstrip().startswith("#")]
    if not kept:
        raise NeuroimmuneError(problem(f"data file {path.name}", "a header line and rows",
                                       "an empty file", "write subject,time,output,value,unit "
                                       "and one row per measurement"))
    try:
        frame = pd.read_csv(io.StringIO("\n".join(line for _, line in kept)),
                            dtype={"subject": str, "output": str, "unit": str},
                            skipinitialspace=True)
    except (pd.errors.ParserError, ValueError) as exc:
        raise NeuroimmuneError(problem(f"data file {path.name}", "comma-separated values with "
                                       "one header line", f"unreadable content ({exc})",
                                       "check the separators and quotes")) from None
    if len(frame) != len(kept) - 1:  # a quoted field over several lines: no line numbers
        return frame, np.array([f"row {i + 1} of {path.name}" for i in range(len(frame))])
    return frame, np.array([f"line {n} of {path.name}" for n, _ in kept[1:]])


def _numbers(frame, column, where, expected, ok, fix) -> np.ndarray:
    v = pd.to_numeric(frame[column], errors="coerce").to_numpy(float)
    bad = ~np.isfinite(v)
    if ok is not None:
        bad |= ~ok(np.nan_to_num(v, nan=0.0))
    _first_bad(bad, where, column, expected, frame[column], fix)
    return v


def _first_bad(bad: np.ndarray, where, column, expected, given, fix) -> None:
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        _raise(where[i], column, expected, given.iloc[i], fix)


def _raise(where: str, column: str, expected: str, given, fix: str):
    given = given.item() if isinstance(given, np.generic) else given
    if isinstance(given, float) and np.isnan(given):
        given = "an empty cell"
    raise NeuroimmuneError(problem(f"data {where}, column {column}", expected, given, fix))


def _order(frame: pd.DataFrame) -> np.ndarray:
    """Rows sorted by subject (numbers in numeric order), output and time."""
    num = pd.to_numeric(frame["subject"], errors="coerce")
    keys = pd.DataFrame({"isnum": num.isna(), "num": num.fillna(0.0), "s": frame["subject"],
                         "o": frame["output"], "t": frame["time"]})
    return np.asarray(keys.sort_values(["isnum", "num", "s", "o", "t"], kind="stable").index)


__all__ = ["COLUMNS", "read_observations"]
