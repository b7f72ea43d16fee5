"""Scenario files: the declared schema (pydantic), loading and the `Scenario` value.

Built-in scenarios (``neuroimmune/data/scenarios/*.toml``) and a user's file are read by the same
schema: unknown keys are refused at every level with a "did you mean" suggestion, types are strict
(no boolean as a number, no string split into letters), values are checked against their domain,
and ``end`` is the end (the output step must divide it). Rate laws of custom modules are parsed by
``neuroimmune.model.expressions`` (arithmetic on declared names only; nothing is evaluated).
Format: docs/scenarios.md.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import ModelError, NeuroimmuneError, ScenarioError, problem
from ..model.core import RESERVED, Input, Module, Parameter, Species
from ..model.expressions import parse_rate
from ..protocol import (
    Bolus,
    DrugDose,
    Infusion,
    Protocol,
    Repeated,
    SignalStep,
    Stressor,
    lps_bolus,
    lps_infusion,
    parse_clock,
)
from ..units import to_magnitude, ureg
from ._scenario_data import DEFAULT_OUTPUTS, PREEQ_DAYS, STANDARD_MODULES, Scenario

__all__ = ["DEFAULT_OUTPUTS", "PREEQ_DAYS", "STANDARD_MODULES", "Scenario", "read_scenario",
           "parse_scenario", "MAX_PREEQ_DAYS", "MAX_POINTS", "EVENT_TYPES", "DOSE_RANGES",
           "hormones"]

#: Longest pre-equilibration a scenario may ask for (days): the slowest library state (gland
#: masses, half-life about 60 days) settles within 200 days; more only costs time.
MAX_PREEQ_DAYS = 1000
#: Most output time points of one scenario (memory: points x outputs x 8 bytes per patient).
MAX_POINTS = 1_000_000

Number = Annotated[float, Field(allow_inf_nan=False)]
Quantity = Union[Number, str]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class TimeTable(_Table):
    end: Quantity = 24.0
    step: Quantity = 0.1
    clock_start: Union[str, Number] = 8.0
    preequilibrate_days: Annotated[int, Field(ge=0, le=MAX_PREEQ_DAYS)] = PREEQ_DAYS


class OutputTable(_Table):
    variables: Annotated[list[Name], Field(min_length=1)]


class _Repeatable(_Table):
    repeat_every: Quantity = 24.0
    repeat_count: Annotated[int, Field(ge=1, le=100_000)] = 1


class LpsBolusEvent(_Repeatable):
    type: Literal["lps_bolus"]
    dose: Quantity
    time: Quantity = 0.0


class LpsInfusionEvent(_Repeatable):
    type: Literal["lps_infusion"]
    rate: Quantity
    start: Quantity = 0.0
    duration: Quantity = 4.0


class BolusEvent(_Repeatable):
    type: Literal["bolus"]
    species: Name
    amount: Quantity
    time: Quantity = 0.0


class InfusionEvent(_Repeatable):
    type: Literal["infusion"]
    species: Name
    rate: Quantity
    start: Quantity = 0.0
    duration: Quantity = 1.0


class StressorEvent(_Repeatable):
    type: Literal["stressor"]
    start: Quantity
    duration: Quantity
    intensity: Annotated[float, Field(ge=0.0, le=100.0, allow_inf_nan=False)] = 1.0


class SignalEvent(_Repeatable):
    type: Literal["signal"]
    signal: Name
    start: Quantity
    duration: Quantity
    change: Number = 1.0


class DrugEvent(_Repeatable):
    type: Literal["drug"]
    drug: Name
    amount: Quantity
    time: Quantity = 0.0
    route: Literal["iv", "oral", "infusion"] = "iv"
    duration: Quantity | None = None


class HormoneEvent(_Repeatable):
    """An i.v. bolus of a hormone or cytokine preparation in its clinical unit (HORMONES)."""

    type: Literal["hormone"]
    hormone: Name
    amount: Quantity
    time: Quantity = 0.0


Event = Annotated[Union[LpsBolusEvent, LpsInfusionEvent, BolusEvent, InfusionEvent,
                        StressorEvent, SignalEvent, DrugEvent, HormoneEvent],
                  Field(discriminator="type")]


class SpeciesTable(_Table):
    name: Name
    unit: str
    initial: Number
    description: str = ""
    nonnegative: bool = True


class ParameterTable(_Table):
    name: Name
    value: Number
    unit: str
    source: Annotated[str, Field(min_length=1)]
    bounds: tuple[Number, Number] | None = None
    description: str = ""


class InputTable(_Table):
    name: Name
    unit: str
    default: Number = 0.0
    description: str = ""


class ModuleTable(_Table):
    name: Name
    description: str = ""
    citation: str = ""
    species: list[SpeciesTable] = []
    parameters: list[ParameterTable] = []
    inputs: list[InputTable] = []
    rates: dict[str, str] = {}


class ScenarioFile(_Table):
    """The top level of a scenario file."""

    name: Name
    #: doses outside the range studied in people (DOSE_RANGES) are refused unless this is true
    allow_extreme_doses: bool = False
    description: str = ""
    modules: list[Name] = list(STANDARD_MODULES)
    module: list[ModuleTable] = []
    profile: Union[Name, list[Name]] = []
    calibrated: bool | None = None
    subject: dict[str, Quantity] = {}
    time: TimeTable = TimeTable()
    events: list[Event] = []
    output: OutputTable | None = None

    @field_validator("profile")
    @classmethod
    def _profiles(cls, value):
        return [value] if isinstance(value, str) else value

    @property
    def profiles(self) -> list[str]:
        return list(self.profile)


# -- reading ---------------------------------------------------------------------------------

def read_scenario(path: str | Path) -> Scenario:
    """Read and validate a TOML scenario file (errors name the file, the key path and the fix)."""
    path = Path(path)
    where = f"scenario file {path.name}"
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(problem(where, "a UTF-8 text file in TOML format", "binary content",
                                    "give a .toml text file (docs/scenarios.md)")) from None
    except OSError as exc:
        raise ScenarioError(problem(where, "a readable file", str(path),
                                    f"check the path ({exc.strerror})")) from None
    return parse_scenario(text, where=where, default_name=path.stem, origin=str(path))


def parse_scenario(text: str, *, where: str = "scenario", default_name: str = "scenario",
                   origin: str = "") -> Scenario:
    """A Scenario from TOML text."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(problem(where, "valid TOML", f"a syntax error ({exc})",
                                    "correct the syntax (see docs/scenarios.md)")) from None
    doc.setdefault("name", default_name)
    try:
        spec = ScenarioFile.model_validate(doc)
    except ValidationError as exc:
        raise ScenarioError(_describe(exc, doc, where)) from None
    return _scenario(spec, where, origin)


def _describe(exc: ValidationError, doc: dict, where: str) -> str:
    """One line for the first problems pydantic found, with the key path and a suggestion.
    Errors of the members of a union (a number or a string) are merged into one."""
    merged: dict[str, dict[str, Any]] = {}
    for detail in exc.errors():
        loc = _path(detail["loc"], doc)
        if loc in merged and detail["type"] not in ("extra_forbidden",):
            merged[loc]["expected"].append(_expected(detail))
            continue
        merged.setdefault(loc, {**detail, "expected": [_expected(detail)]})
    lines = []
    for loc, err in list(merged.items())[:3]:
        given = err.get("input")
        if err["type"] == "extra_forbidden":
            key = str(err["loc"][-1])
            allowed = _allowed_keys(err["loc"][:-1], doc)
            near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            owners = [t for t, m in EVENT_TYPES.items() if key in m.model_fields]
            if near:
                fix = f"did you mean {near[0]!r}?"
            elif len(err["loc"]) > 1 and key in ScenarioFile.model_fields:
                fix = (f"{key!r} is a top-level key, but TOML puts a key written after a "
                       f"[table] header into that table: move it above the first [table]"
                       + (" or write [[events]] tables" if key == "events" else ""))
            elif err["loc"][0] == "events" and owners:
                fix = f"{key!r} belongs to event type(s) {owners}: use type = \"{owners[0]}\""
            else:
                fix = f"remove it (allowed: {allowed})"
            lines.append(problem(f"{where}: key {loc}", f"one of {allowed}", key, fix))
        elif err["type"] == "union_tag_invalid":
            tags = sorted(EVENT_TYPES)
            near = difflib.get_close_matches(str(err["ctx"].get("tag")), tags, n=1)
            lines.append(problem(f"{where}: {loc}.type", f"one of {tags}",
                                 err["ctx"].get("tag"), f"did you mean {near[0]!r}?" if near
                                 else "use one of the event types (docs/scenarios.md)"))
        elif err["type"] == "union_tag_not_found":
            lines.append(problem(f"{where}: {loc}", "an event table with a type", _short(given),
                                 f"add type = one of {sorted(EVENT_TYPES)}"))
        else:
            expected = " or ".join(dict.fromkeys(err["expected"]))
            if expected == "a number or a string":
                expected = 'a number or a quantity with its unit (e.g. "2 ng/kg", "30 min")'
            fix = ("write a number, not true/false" if isinstance(given, bool) else
                   f"give {expected} (docs/scenarios.md)")
            lines.append(problem(f"{where}: {loc}", expected, _short(given), fix))
    more = len(merged) - len(lines)
    return "; ".join(lines) + (f" (and {more} more problem(s))" if more > 0 else "")


def _path(loc, doc) -> str:
    """'events[0].dose' from pydantic's location (without its union member names)."""
    parts: list[str] = []
    for k, item in enumerate(loc):
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif k > 0 and isinstance(loc[k - 1], int) and item in EVENT_TYPES:
            continue  # the discriminated union's tag
        elif k > 0 and (item in ("str", "float", "int", "bool")
                        or str(item).startswith(("list[", "dict[", "tuple["))):
            continue  # a union member's type name
        else:
            key = str(item)
            key = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)
            parts.append(("." if parts else "") + key)
    return "".join(parts) or "top level"


def _allowed_keys(loc, doc) -> list[str]:
    model: Any = ScenarioFile
    node: Any = doc
    for item in loc:
        if isinstance(item, int):
            node = node[item] if isinstance(node, list) and item < len(node) else {}
            continue
        if item in EVENT_TYPES:
            model = EVENT_TYPES[item]
            continue
        info = getattr(model, "model_fields", {}).get(item)
        node = node.get(item, {}) if isinstance(node, dict) else {}
        if info is not None:
            model = _table_of(info.annotation)
    return sorted(getattr(model, "model_fields", {}))


def _table_of(annotation) -> Any:
    """The _Table class inside an annotation like list[ModuleTable] or TimeTable | None."""
    if isinstance(annotation, type) and issubclass(annotation, _Table):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _table_of(arg)
        if found is not None:
            return found
    return None


def _expected(err) -> str:
    kind, ctx = err["type"], err.get("ctx", {})
    if kind.startswith("greater_than") or kind.startswith("less_than"):
        return err["msg"].replace("Input should be ", "a value ")
    if kind == "finite_number":
        return "a finite number"
    if kind == "literal_error":
        return f"one of {ctx.get('expected')}"
    if kind in ("float_type", "int_type", "bool_type", "string_type", "list_type", "dict_type",
                "model_type", "tuple_type"):
        names = {"float_type": "a number", "int_type": "a whole number", "bool_type":
                 "true or false", "string_type": "a string", "list_type": "an array",
                 "dict_type": "a table", "model_type": "a table", "tuple_type": "an array"}
        return names[kind]
    if kind == "missing":
        return "this required key"
    if kind in ("too_short", "too_long"):
        return err["msg"].replace("should have", "with").replace("List", "an array")
    return err["msg"]


def _short(value) -> object:
    text = repr(value)
    return value if len(text) <= 80 else text[:77] + "..."


EVENT_TYPES: dict[str, type[_Table]] = {
    "lps_bolus": LpsBolusEvent, "lps_infusion": LpsInfusionEvent, "bolus": BolusEvent,
    "infusion": InfusionEvent, "stressor": StressorEvent, "signal": SignalEvent,
    "drug": DrugEvent, "hormone": HormoneEvent}


# -- from the validated file to the Scenario value -------------------------------------------

def _scenario(spec: ScenarioFile, where: str, origin: str) -> Scenario:
    from ..model.library import BY_NAME
    from ..profiles import get as get_profile

    unknown = [m for m in spec.modules if m not in BY_NAME]
    if unknown:
        near = {m: difflib.get_close_matches(m, BY_NAME, n=1) for m in unknown}
        hint = "; ".join(f"{m!r}: did you mean {n[0]!r}?" for m, n in near.items() if n)
        raise ScenarioError(problem(f"{where}: modules", f"names among {sorted(BY_NAME)}",
                                    unknown, hint or "see `neuroimmune model --json`"))
    for name in spec.profiles:
        get_profile(name)
    time = spec.time
    t_end = _hours(time.end, f"{where}: time.end", positive=True)
    dt = _hours(time.step, f"{where}: time.step", positive=True)
    steps = t_end / dt
    if abs(steps - round(steps)) > 1e-6 * max(1.0, steps):
        raise ScenarioError(problem(f"{where}: time.step", f"a step that divides end "
                                    f"({t_end:g} h) into whole steps", time.step,
                                    f"e.g. step = {t_end / max(1, round(steps)):g}"))
    if steps + 1 > MAX_POINTS:
        raise ScenarioError(problem(f"{where}: time", f"at most {MAX_POINTS:,} output points "
                                    "(end / step + 1)", int(steps + 1), "use a larger step or "
                                    "a shorter end"))
    try:
        clock = parse_clock(time.clock_start)
        events = tuple(_event(e, i, where, t_end, spec.allow_extreme_doses)
                       for i, e in enumerate(spec.events))
        protocol = Protocol(events, clock_start=clock,
                            preequilibrate_days=time.preequilibrate_days, name=spec.name,
                            description=spec.description)
    except ScenarioError:
        raise
    except NeuroimmuneError as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    custom = tuple(_custom_module(m, i, where) for i, m in enumerate(spec.module))
    modules = tuple(spec.modules) + custom
    if not modules:
        raise ScenarioError(problem(f"{where}: modules", "at least one module", [],
                                    "add modules = [\"innate\", \"hpa\"] or a [[module]] table"))
    subject = dict(spec.subject)
    outputs = (tuple(spec.output.variables) if spec.output else
               _default_outputs(modules, BY_NAME))
    return Scenario(spec.name, spec.description, modules, protocol, t_end, dt, subject, outputs,
                    tuple(spec.profiles), spec.calibrated, origin=origin)


def _default_outputs(modules, library) -> tuple[str, ...]:
    """The default outputs the modules have (all species of a model without any of them)."""
    parts = [library[m]() if isinstance(m, str) else m for m in modules]
    names = [n for p in parts for n in (*p.species_names, *(o.name for o in p.observables))]
    return tuple(o for o in DEFAULT_OUTPUTS if o in names) or tuple(
        n for p in parts for n in p.species_names)


def _hours(value, what: str, positive: bool = False) -> float:
    try:
        h = to_magnitude(value, "h", what)
    except NeuroimmuneError as exc:
        raise ScenarioError(str(exc)) from None
    if not math.isfinite(h) or (positive and not h > 0) or h < 0:
        raise ScenarioError(problem(what, "a finite time > 0 h" if positive else
                                    "a finite time >= 0 h", value, "e.g. 24 or \"30 min\""))
    return h


#: Infusion rates a scenario may give in clinical units, converted to the model species' rate by
#: the owning module's function: species -> (clinical unit, function of a value in that unit,
#: the species' unit in the model).
def _clinical_rates() -> dict:
    from ..model.library.autonomic import epinephrine_infusion_rate
    from ..model.library.gonadal import transdermal_estradiol_rate, transdermal_testosterone_rate

    return {"EPI": ("ng/kg/min", epinephrine_infusion_rate, "pg/mL"),
            "estradiol": ("ug/d", transdermal_estradiol_rate, "pg/mL"),
            "testosterone": ("mg/d", transdermal_testosterone_rate, "ng/dL")}


def hormones() -> dict:
    """Injected preparations: name -> (model species it adds to, clinical unit, the owning
    module's conversion of an amount in that unit to the species' rise, the module)."""
    from ..model.library.hpa import cosyntropin_plasma_rise

    return {"cosyntropin": ("ACTH", "ug", cosyntropin_plasma_rise, "hpa")}


def _hormone_bolus(e: HormoneEvent, what: str) -> Bolus:
    table = hormones()
    if e.hormone not in table:
        close = difflib.get_close_matches(e.hormone, list(table), n=1)
        raise ScenarioError(problem(f"{what}.hormone", f"one of {sorted(table)}", e.hormone,
                                    f"did you mean {close[0]!r}?" if close else
                                    "give another agent as a bolus of a model species"))
    species, unit, convert, _ = table[e.hormone]
    try:
        amount = to_magnitude(e.amount, unit, f"{what}.amount")
    except NeuroimmuneError as exc:
        raise ScenarioError(str(exc)) from None
    return Bolus(species, convert(amount), e.time)


def _clinical_rate(species: str, rate):
    """A rate string in the species' clinical unit (e.g. '30 ng/kg/min' of EPI) as the model's
    rate; anything else unchanged (the protocol converts it to the species unit per hour)."""
    table = _clinical_rates()
    if not isinstance(rate, str) or species not in table:
        return rate
    unit, convert, _ = table[species]
    try:
        value = to_magnitude(rate, unit, f"infusion rate of {species}")
    except NeuroimmuneError:
        return rate
    return convert(value)


@dataclass(frozen=True)
class DoseRange:
    """The largest value of one event field studied in people, in `unit`, with its source."""

    field: str
    unit: str
    largest: float
    #: what the value is of, as the message says it ("of LPS", "of epinephrine (i.v.)")
    of: str
    source: str
    fix: str = "check the unit (e.g. ng/kg, not mg/kg)"


#: The largest single doses studied in people, by event type and agent (for stressors: the
#: intensity and the length of one stressor). A scenario beyond them must say
#: allow_extreme_doses = true. Each source was checked against its abstract.
DOSE_RANGES: dict[tuple[str, str], tuple[DoseRange, ...]] = {
    ("lps_bolus", "LPS"): (DoseRange(
        "dose", "ng/kg", 4.0, "of LPS", "experimental human endotoxemia uses 0.06-4 ng/kg E. "
        "coli reference endotoxin (4 ng/kg: Suffredini et al. 1989 N Engl J Med 321:280)"),),
    ("lps_infusion", "LPS"): (DoseRange(
        "rate", "ng/kg/h", 1.0, "of LPS", "continuous endotoxin infusion in healthy volunteers: "
        "1 ng/kg/h for 3 h after a 1 ng/kg bolus (Kiers et al. 2017 Sci Rep 7:40149)"),),
    ("drug", "hydrocortisone"): (DoseRange(
        "amount", "mg", 300.0, "of hydrocortisone", "stress dosing 100 mg i.v., 200-300 mg/day "
        "in adrenal crisis and septic shock (Bornstein et al. 2016 J Clin Endocrinol Metab "
        "101:364)"),),
    ("drug", "dexamethasone"): (DoseRange(
        "amount", "mg", 40.0, "of dexamethasone", "high-dose dexamethasone 40 mg/day (myeloma "
        "regimens; 1 and 8 mg in suppression tests)"),),
    ("drug", "prednisolone"): (DoseRange(
        "amount", "mg", 100.0, "of prednisolone", "prednisolone 5-60 mg/day, up to about 1 "
        "mg/kg (prednisolone SmPC)"),),
    ("drug", "ibuprofen"): (DoseRange(
        "amount", "mg", 800.0, "of ibuprofen", "single oral doses of 200-800 mg, at most "
        "3200 mg/day (ibuprofen prescribing information [R])"),),
    ("drug", "anti_TNF"): (DoseRange(
        "amount", "mg", 1000.0, "of anti_TNF", "infliximab 3-10 mg/kg i.v. (REMICADE "
        "prescribing information), 1000 mg at 100 kg"),),
    ("drug", "anti_IL6R"): (DoseRange(
        "amount", "mg", 800.0, "of anti_IL6R", "tocilizumab 4-8 mg/kg i.v., at most 800 mg per "
        "infusion (ACTEMRA prescribing information)"),),
    ("hormone", "cosyntropin"): (DoseRange(
        "amount", "ug", 250.0, "of cosyntropin", "the standard short ACTH (Synacthen) test "
        "gives 250 ug i.v.; the low-dose test 1 ug (Dickstein et al. 1991 J Clin Endocrinol "
        "Metab 72:773)", "check the unit (ug, not mg)"),),
    ("infusion", "EPI"): (DoseRange(
        "rate", "ng/kg/min", 100.0, "of epinephrine (i.v. infusion)", "epinephrine infused at "
        "25, 50 and 100 ng/kg/min in healthy volunteers (Stratton et al. 1985 J Appl Physiol "
        "58:1199); 30 ng/kg/min in the LPS study of van der Poll et al. 1996 J Clin Invest "
        "97:713 (the protocol of the reserved independent check lps-epinephrine)"),),
    ("infusion", "estradiol"): (DoseRange(
        "rate", "ug/d", 200.0, "of transdermal estradiol", "transdermal estradiol 25, 50, 100 "
        "and 200 ug per 24 h in postmenopausal women (Chetkowski et al. 1986 N Engl J Med "
        "314:1615)"),),
    ("infusion", "testosterone"): (DoseRange(
        "rate", "mg/d", 100.0, "of testosterone gel applied (1 % gel, about 10 % absorbed)",
        "1 % testosterone gel 50 or 100 mg/day in 227 hypogonadal men (Wang et al. 2000 J Clin "
        "Endocrinol Metab 85:2839)"),),
    ("stressor", "stress"): (
        DoseRange("intensity", "", 1.0, "stress intensity (1 = a TSST-like stressor, the "
                  "model's calibration)", "tasks both uncontrollable and social-evaluative, "
                  "as the TSST, gave the largest cortisol and ACTH responses of 208 laboratory "
                  "stressor studies (Dickerson & Kemeny 2004 Psychol Bull 130:355)",
                  "give intensity <= 1"),
        DoseRange("duration", "h", 24.0, "for one stressor", "simulated capture held soldiers "
                  "under threat for about 24 h, cortisol several times its expected value "
                  "(Wisen et al. 2022 Front Psychol 13:795759)",
                  "split it into stressors of at most 24 h (repeat_every, repeat_count)"),
    ),
}


def _negative(value) -> bool:
    """Whether a number or a quantity string is below zero (unparseable strings: no)."""
    if isinstance(value, (int, float)):
        return value < 0
    if isinstance(value, str):
        try:
            return float(ureg.Quantity(value).magnitude) < 0
        except Exception:  # pint raises several types; the protocol reports bad strings
            return False
    return False


def _dose_key(e) -> tuple[str, str]:
    """(event type, agent) of DOSE_RANGES; a signal event on `stress` is a stressor."""
    if e.type.startswith("lps"):
        return e.type, "LPS"
    if e.type == "stressor" or (e.type == "signal" and e.signal == "stress"):
        return "stressor", "stress"
    return e.type, str(getattr(e, "drug", None) or getattr(e, "hormone", None)
                       or getattr(e, "species", ""))


def _dose_value(e, rng: DoseRange, what: str) -> float | None:
    """The event's value of rng.field in rng.unit; None when it is not in a unit this check
    reads (the protocol converts and checks it)."""
    name = "change" if e.type == "signal" and rng.field == "intensity" else rng.field
    value = getattr(e, name)
    try:
        if e.type == "infusion" and e.species in _clinical_rates():
            unit, convert, species_unit = _clinical_rates()[e.species]
            if isinstance(value, str):
                try:
                    return to_magnitude(value, unit, f"{what}.{name}")
                except NeuroimmuneError:  # a rate in the model's unit (species unit per hour)
                    value = to_magnitude(value, f"({species_unit})/h", f"{what}.{name}")
            return float(value) / convert(1.0)  # the conversions are proportional
        if rng.unit == "":
            return float(value)
        return to_magnitude(value, rng.unit, f"{what}.{name}")
    except (NeuroimmuneError, TypeError, ValueError):
        return None


def _check_dose(e, what: str) -> None:
    for rng in DOSE_RANGES.get(_dose_key(e), ()):
        amount = _dose_value(e, rng, what)
        if amount is None or amount <= rng.largest:
            continue
        name = "change" if e.type == "signal" and rng.field == "intensity" else rng.field
        unit = f" {rng.unit}" if rng.unit else ""
        given = getattr(e, name)
        if e.type == "infusion" and e.species in _clinical_rates() and not isinstance(given,
                                                                                   str):
            given = f"{given:g} {_clinical_rates()[e.species][2]}/h (the model's rate)"
        if not (isinstance(given, (int, float)) and float(given) == amount):
            given = f"{given} (= {amount:.3g}{unit})"
        raise ScenarioError(problem(f"{what}.{name}", f"at most {rng.largest:g}{unit} "
                                    f"{rng.of}, the largest studied in people ({rng.source})",
                                    given, f"{rng.fix}, or write "
                                    "allow_extreme_doses = true at the top of the file"))


def _event(e, index: int, where: str, t_end: float, allow_extreme: bool = False):
    what = f"{where}: events[{index}] ({e.type})"
    event: Any
    if isinstance(e, LpsBolusEvent):
        event = lps_bolus(e.dose, e.time)
    elif isinstance(e, LpsInfusionEvent):
        event = lps_infusion(e.rate, e.start, e.duration)
    elif isinstance(e, BolusEvent):
        event = Bolus(e.species, e.amount, e.time)
    elif isinstance(e, InfusionEvent):
        event = Infusion(e.species, _clinical_rate(e.species, e.rate), e.start, e.duration)
    elif isinstance(e, StressorEvent):
        event = Stressor(e.start, e.duration, e.intensity)
    elif isinstance(e, SignalEvent):
        event = SignalStep(e.signal, e.start, e.duration, e.change)
    elif isinstance(e, HormoneEvent):
        event = _hormone_bolus(e, what)
    else:
        if e.route == "infusion" and e.duration is None:
            raise ScenarioError(problem(f"{what}.duration", "a duration for route = "
                                        "\"infusion\"", None, "add duration = <hours>"))
        event = DrugDose(e.drug, e.amount, e.time, e.route, e.duration)
    if getattr(e, "duration", None) is not None:
        _hours(e.duration, f"{what}.duration", positive=True)  # a zero-length event does nothing
    for key in ("dose", "amount", "rate"):
        if _negative(getattr(e, key, None)):
            raise ScenarioError(problem(f"{what}.{key}", "an amount >= 0", getattr(e, key),
                                        "give a non-negative dose (to remove a dose, leave the "
                                        "event out)"))
    if not allow_extreme:
        _check_dose(e, what)
    for key in ("time", "start"):
        if hasattr(e, key):
            at = _hours(getattr(e, key), f"{what}.{key}")
            if at >= t_end:
                raise ScenarioError(problem(f"{what}.{key}", f"a time before the end "
                                            f"(time.end = {t_end:g} h)", getattr(e, key),
                                            "move the event or extend time.end"))
    if "repeat_every" in e.model_fields_set or "repeat_count" in e.model_fields_set:
        return Repeated(event, e.repeat_every, e.repeat_count)
    return event


def _custom_module(m: ModuleTable, index: int, where: str) -> Module:
    """A user-defined module from a [[module]] table (rate laws parsed safely)."""
    what = f"{where}: module[{index}] ({m.name})"
    try:
        species = tuple(Species(s.name, s.unit, s.initial, s.description, s.nonnegative)
                        for s in m.species)
        params = tuple(Parameter(p.name, p.value, p.unit, p.source, bounds=p.bounds,
                                 description=p.description) for p in m.parameters)
        inputs = tuple(Input(i.name, i.unit, i.default, i.description) for i in m.inputs)
        names = {**RESERVED, **{x.name: x.symbol for x in species + params + inputs}}
        rates = {k: parse_rate(v, names, f"{what}.rates.{k}") for k, v in m.rates.items()}
        return Module(m.name, species, params, rates, inputs=inputs, description=m.description,
                      citation=m.citation)
    except ModelError as exc:
        raise ScenarioError(f"{what}: {exc}") from None
