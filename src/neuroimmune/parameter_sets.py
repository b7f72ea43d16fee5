"""Parameter sets: the shipped calibrated set of the standard model, and files the user chooses.

``neuroimmune calibrate`` (neuroimmune.validation.calibrate, docs/calibration.md) estimates some
parameters of the integrated model from the calibration data and writes them, with their
provenance in ``#`` header lines, to the file given by ``--out`` (default
``calibration_standard.csv`` in the working directory). The shipped set is the read-only package
file ``data/calibration_standard.csv``, regenerated from a checkout with ``neuroimmune calibrate
--out src/neuroimmune/data/calibration_standard.csv``. Scenarios of the standard model apply it by
default (``calibrated=False``, TOML ``calibrated = false``, gives the modules' published values);
each value then carries the source "calibrated: ...". A user's file (``--parameters FILE``) is
applied after it. The library modules keep their published values, so each module alone still
reproduces its paper.

The default because the shipped set has a stable 24-h limit cycle, fits the calibration data
better than the published values and passes more validation targets (figures in
docs/calibration.md).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Mapping

import numpy as np
import pandas as pd

from .atomic import atomic_write
from .errors import NeuroimmuneError, problem
from .units import conversion_factor

if TYPE_CHECKING:  # annotations only: reading a parameter set needs no sympy
    from .model.core import Module

#: Whether scenarios apply the shipped set when they do not say (Scenario.calibrated = None) and
#: their model has all of its parameters.
APPLY_BY_DEFAULT = True
#: The shipped calibrated set.
CALIBRATED_PATH = Path(__file__).resolve().parent / "data" / "calibration_standard.csv"
#: The calibrated set of the standard model with hpa(clearance="free") (docs/design/0032).
FREE_CLEARANCE_PATH = CALIBRATED_PATH.with_name("calibration_free_clearance.csv")
#: Columns a parameter-set file must have (calibrate and fit also write previous_value, lower,
#: upper and the spread of the starts).
CSV_COLUMNS = ["name", "value", "unit"]
#: The header line ``# rows: N`` that calibrate writes (second, after the title): the number of
#: data rows below. A file with another count, or whose last row lacks its newline, was cut short
#: (or edited) and is refused; files without the line (made by hand: name,value,unit) are not
#: checked.
ROWS_LINE = re.compile(r"rows:\s*(\d+)\b")


def rows_line(n: int) -> str:
    """The header line (without '# ') that records `n` data rows; read_parameter_set checks it."""
    return (f"rows: {n} (data rows below; read_parameter_set refuses the file with any other "
            "count: cut short or edited)")


@dataclass(frozen=True)
class ParameterSet:
    """Values {name: value} in each parameter's unit, with one provenance text for all.
    `optional` names (e.g. the hpa_glands references derived from the calibrated axis) are
    applied to models that have them; every other name must be a parameter of the model."""

    values: Mapping[str, float]
    units: Mapping[str, str]
    provenance: str
    path: str
    optional: frozenset[str] = frozenset()

    @property
    def source(self) -> str:
        """The source text every calibrated value carries."""
        return (f"calibrated: {self.provenance} (file {Path(self.path).name}; "
                "docs/calibration.md)")

    def _missing(self, model: Module) -> list[str]:
        return [n for n in self.values if n not in model.parameter_names
                and n not in self.optional]

    def apply(self, model: Module) -> Module:
        """The model with these values (converted to each parameter's unit); a model lacking one
        of the (non-optional) parameters is an error."""
        missing = self._missing(model)
        if missing:
            raise NeuroimmuneError(problem(f"parameter set {Path(self.path).name}", "a model "
                                           "with all its parameters (the standard model)",
                                           f"a model without {missing}", "use the standard "
                                           "modules, or set calibrated = false"))
        values = {}
        for name, value in self.values.items():
            if name not in model.parameter_names:
                continue  # an optional value of a module this model does not have
            unit = model.parameter(name).unit
            try:
                values[name] = value * conversion_factor(self.units[name], unit,
                                                         f"{Path(self.path).name}: {name}")
            except NeuroimmuneError as exc:
                raise NeuroimmuneError(str(exc)) from None
        return model.with_parameters(dict.fromkeys(values, self.source), **values)

    def fits(self, model: Module) -> bool:
        """Whether scenarios apply the set by default: the model has all its (non-optional)
        parameters."""
        return not self._missing(model)


def read_parameter_set(path: str | Path | None = None) -> ParameterSet:
    """Read a file written by ``neuroimmune calibrate`` (errors name the file and the fix)."""
    path = Path(path) if path is not None else CALIBRATED_PATH
    if not path.is_file():
        raise NeuroimmuneError(problem("calibration file", "an existing CSV file", str(path),
                                       "run `neuroimmune calibrate --out FILE`"))
    try:
        text = path.read_text()
        header = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
        try:
            frame = pd.read_csv(io.StringIO(text), comment="#")
        except pd.errors.EmptyDataError:
            _check_complete(path, header, text, 0)  # cut short within the header
            raise
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise NeuroimmuneError(problem(f"parameter set {path.name}", "a CSV file with columns "
                                       f"{CSV_COLUMNS}", f"unreadable content ({exc})",
                                       "write it with `neuroimmune calibrate --out`")) from None
    _check_complete(path, header, text, len(frame))
    missing = [c for c in CSV_COLUMNS if c not in frame.columns]
    if missing:
        raise NeuroimmuneError(problem(f"{path.name} columns", f"{CSV_COLUMNS}", missing,
                                       "write it with `neuroimmune calibrate`"))
    values = pd.to_numeric(frame["value"], errors="coerce")
    if (values.isna().any() or frame["name"].duplicated().any() or (values < 0).any()
            or not np.isfinite(values).all()):
        raise NeuroimmuneError(problem(f"{path.name} values", "one numeric value >= 0 per "
                                       "unique name", frame[["name", "value"]].to_dict("records"),
                                       "write it with `neuroimmune calibrate`"))
    keep = [line for line in header if line.startswith(("command:", "data:"))]
    provenance = "; ".join(keep) if keep else "neuroimmune calibrate"
    names = [str(n) for n in frame["name"]]
    optional = (frame["optional"].astype(str).str.lower() == "true" if "optional" in frame
                else pd.Series(False, index=frame.index))
    return ParameterSet(MappingProxyType(dict(zip(names, map(float, values)))),
                        MappingProxyType(dict(zip(names, map(str, frame["unit"])))),
                        provenance, str(path),
                        frozenset(n for n, o in zip(names, optional) if o))


def _check_complete(path: Path, header: list[str], text: str, n_rows: int) -> None:
    """A file whose '# rows: N' line (ROWS_LINE) disagrees with its rows was cut short."""
    counts = [m for m in map(ROWS_LINE.match, header) if m]
    if not counts:
        return
    expected = int(counts[0].group(1))
    if n_rows != expected or not text.endswith("\n"):
        given = f"{n_rows} rows" + ("" if text.endswith("\n") else ", the last one cut short")
        raise NeuroimmuneError(problem(
            f"parameter set {path}", f"{expected} complete data rows (its '# rows:' line)",
            given, "it is a truncated or edited file; rewrite it with `neuroimmune calibrate "
            "--out FILE` (or delete its '# rows:' line if you edited it on purpose)"))


def write_parameter_set(path: str | Path, rows: pd.DataFrame, header: list[str]) -> Path:
    """Write a parameter-set file (columns name, value, unit and any others) atomically: the
    `header` lines as '# ' comments, the first one (the title) followed by the '# rows: N' line
    that read_parameter_set checks, so a file cut short is refused."""
    missing = [c for c in CSV_COLUMNS if c not in rows.columns]
    if missing or not header:
        raise NeuroimmuneError(problem("write_parameter_set", f"rows with columns {CSV_COLUMNS} "
                                       "and a title line", missing or "no header",
                                       "pass a DataFrame with name, value, unit"))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path, "w") as fh:
        for line in [header[0], rows_line(len(rows)), *header[1:]]:
            fh.write(f"# {line}\n")
        rows.to_csv(fh, index=False)
    return path


@lru_cache(maxsize=1)
def calibrated_set() -> ParameterSet:
    """The shipped calibrated set of the standard model."""
    return read_parameter_set(CALIBRATED_PATH)


# -- the calibration ensemble ------------------------------------------------------------------
#: The shipped ensemble: parameter sets drawn from the calibration's posterior
#: (`neuroimmune calibrate --ensemble`, docs/design/0009-calibration-ensemble.md).
ENSEMBLE_PATH = CALIBRATED_PATH.with_name("calibration_ensemble.csv")
#: Columns an ensemble file must have (long format: one row per member and parameter).
ENSEMBLE_COLUMNS = ["member", "name", "value", "unit"]


@dataclass(frozen=True)
class Ensemble:
    """Parameter sets consistent with the calibration data, one ParameterSet per member (the
    same names and units in each), with the file's provenance. Applied like `--parameters`:
    each member replaces the shipped point estimate's values."""

    members: tuple[ParameterSet, ...]
    provenance: str
    path: str

    def __len__(self) -> int:
        return len(self.members)

    def first(self, n: int | None) -> "Ensemble":
        """n members evenly spaced over the file's (which are draws in chain order, so the
        subset spreads over the whole chain), or all of them for None."""
        if n is None or n >= len(self.members):
            return self
        if not isinstance(n, int) or n < 1:
            raise NeuroimmuneError(problem("ensemble members", "an integer >= 1", n,
                                           "e.g. --members 20"))
        step = len(self.members) / n  # evenly spaced over the file's members
        return Ensemble(tuple(self.members[int(k * step)] for k in range(n)), self.provenance,
                        self.path)


def read_ensemble(path: str | Path | None = None) -> Ensemble:
    """Read an ensemble file written by `neuroimmune calibrate --ensemble` (default: the shipped
    one). Refused, with the file and the fix named: a missing or unreadable file, missing
    columns, a '# rows:' count that disagrees (cut short), a non-integer or duplicated member
    and name, a value that is not a finite number >= 0, members with different names or units,
    fewer than 2 members. Nothing in the file is evaluated: it is read as numbers and names."""
    path = Path(path) if path is not None else ENSEMBLE_PATH
    fix = "write it with `neuroimmune calibrate --ensemble --out FILE`"
    if not path.is_file():
        raise NeuroimmuneError(problem("ensemble file", "an existing CSV file", str(path),
                                       "run `neuroimmune calibrate --ensemble --out FILE`"))
    try:
        text = path.read_text()
        header = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
        try:
            frame = pd.read_csv(io.StringIO(text), comment="#", dtype={"name": str, "unit": str})
        except pd.errors.EmptyDataError:
            _check_complete(path, header, text, 0)
            raise
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise NeuroimmuneError(problem(f"ensemble {path.name}", "a CSV file with columns "
                                       f"{ENSEMBLE_COLUMNS}", f"unreadable content ({exc})",
                                       fix)) from None
    _check_complete(path, header, text, len(frame))
    missing = [c for c in ENSEMBLE_COLUMNS if c not in frame.columns]
    if missing:
        raise NeuroimmuneError(problem(f"{path.name} columns", f"{ENSEMBLE_COLUMNS}", missing,
                                       fix))
    member = pd.to_numeric(frame["member"], errors="coerce")
    values = pd.to_numeric(frame["value"], errors="coerce")
    bad = (member.isna() | (member != member.round()) | (member < 0) | values.isna()
           | ~np.isfinite(values) | (values < 0) | frame["name"].isna()
           | frame["unit"].isna())
    if bad.any():
        raise NeuroimmuneError(problem(f"{path.name} rows", "an integer member >= 0, a name, a "
                                       "finite value >= 0 and a unit in every row",
                                       frame[bad].head(3).to_dict("records"), fix))
    frame = frame.assign(member=member.astype(int), value=values.astype(float))
    dup = frame.duplicated(["member", "name"])
    if dup.any():
        raise NeuroimmuneError(problem(f"{path.name} rows", "one row per member and name",
                                       frame[dup].head(3)[["member", "name"]].to_dict("records"),
                                       fix))
    keep = [line for line in header if line.startswith(("command:", "data:"))]
    provenance = "; ".join(keep) if keep else "neuroimmune calibrate --ensemble"
    optional_col = (frame["optional"].astype(str).str.lower() == "true" if "optional" in frame
                    else pd.Series(False, index=frame.index))
    members, reference = [], None
    for k, rows in frame.groupby("member", sort=True):
        names = [str(n) for n in rows["name"]]
        units = dict(zip(names, map(str, rows["unit"])))
        signature = (sorted(units.items()), sorted(n for n, o in zip(names, optional_col[
            rows.index]) if o))
        if reference is None:
            reference = signature
        elif signature != reference:
            raise NeuroimmuneError(problem(f"{path.name} member {k}", "the same parameters, "
                                           "units and optional flags as the first member",
                                           sorted(set(units) ^ {n for n, _ in reference[0]})
                                           or "other units or flags", fix))
        members.append(ParameterSet(
            MappingProxyType(dict(zip(names, map(float, rows["value"])))),
            MappingProxyType(units), f"ensemble member {k}: {provenance}", str(path),
            frozenset(n for n, o in zip(names, optional_col[rows.index]) if o)))
    if len(members) < 2:
        raise NeuroimmuneError(problem(f"ensemble {path.name}", "at least 2 members",
                                       len(members), fix))
    return Ensemble(tuple(members), provenance, str(path))


@lru_cache(maxsize=1)
def calibrated_ensemble() -> Ensemble:
    """The shipped calibration ensemble."""
    return read_ensemble(ENSEMBLE_PATH)


__all__ = ["APPLY_BY_DEFAULT", "CALIBRATED_PATH", "ParameterSet", "read_parameter_set",
           "write_parameter_set", "calibrated_set", "rows_line", "ENSEMBLE_PATH",
           "ENSEMBLE_COLUMNS", "Ensemble", "read_ensemble", "calibrated_ensemble"]
