"""One pint registry for the package, with the units physiology needs.

pint is imported on first need (about 0.3 s of a fresh process): conversions of unit strings that
a warm process repeats (a scenario's '2 ng/kg' dose, a drug's infusion unit) are answered from a
plain-data record of pint's own earlier answers, keyed by the pint version and this package's
files (neuroimmune._warm, docs/design/0028-warm-start.md); errors always come from pint.
"""

from __future__ import annotations

import atexit
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from . import _warm
from .errors import UnitError, problem

if TYPE_CHECKING:
    import pint

    ureg: pint.UnitRegistry
    Quantity: type[pint.Quantity]

#: Molar masses (g/mol) used to convert mass to molar concentrations (PubChem).
MOLAR_MASS_G_PER_MOL = {
    "cortisol": 362.46,  # PubChem CID 5754
    "ACTH": 4541.1,  # ACTH(1-39), PubChem CID 16132265
    "estradiol": 272.38,  # 17beta-estradiol C18H24O2, PubChem CID 5757
    "testosterone": 288.42,  # C19H28O2, PubChem CID 6013
    "NE": 169.18,  # norepinephrine C8H11NO3, PubChem CID 439260
}


@lru_cache(maxsize=1)
def _registry() -> "pint.UnitRegistry":
    import pint

    # parsed definitions cached on disk
    reg: pint.UnitRegistry = pint.UnitRegistry(cache_folder=":auto:")
    reg.define("cell = [cell_count] = cells")
    reg.define("beat = [beat_count] = beats")
    reg.define("bpm = beat / minute")
    #: Model units of conceptual quantities (damage, mediator activity): one dimension, so a
    #: rate law must still carry consistent coefficients.
    reg.define("arbitrary_unit = [arbitrary] = AU")
    #: International units of biological activity (gonadotropins).
    reg.define("international_unit = [biological_activity] = IU")
    return reg


def __getattr__(name: str):
    if name == "ureg":
        return _registry()
    if name == "Quantity":
        return _registry().Quantity
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- pint's answers remembered across processes ---------------------------------------------------
_MEMO: dict | None = None
_DIRTY = False
_MEMO_LOCK = threading.Lock()


def _memo() -> dict:
    """The remembered answers: 'm|<value>|<unit>' -> magnitude, 'f|<from>|<to>' -> factor,
    'u|<text>' -> pint's spelling of the unit; entries of another type are dropped."""
    global _MEMO
    if _MEMO is None:
        payload = _warm.read("units", _warm.key("units"))
        entries = payload if isinstance(payload, dict) else {}
        _MEMO = {k: v for k, v in entries.items() if isinstance(k, str) and (
            isinstance(v, str) if k.startswith("u|") else type(v) is float)}
    return _MEMO


def _remembered(entry: str):
    with _MEMO_LOCK:
        return _memo().get(entry)


def _remember(entry: str, value) -> None:
    global _DIRTY
    with _MEMO_LOCK:
        memo = _memo()
        if memo.get(entry) != value:
            memo[entry] = value
            if not _DIRTY:
                atexit.register(_flush)  # once per process, not once per new answer
            _DIRTY = True


def _remembered_or(entry: str, compute):
    """The remembered answer for `entry`, else compute() (errors come from it), remembered."""
    found = _remembered(entry)
    if found is None:
        found = compute()
        _remember(entry, found)
    return found


def _flush() -> None:
    """Write the remembered answers (at exit, when there are new ones)."""
    global _DIRTY
    with _MEMO_LOCK:
        if _DIRTY and _MEMO is not None:
            _warm.write("units", _warm.key("units"), dict(_MEMO))
        _DIRTY = False


# -- units ----------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def parse_unit(text: str, what: str = "unit") -> "pint.Unit":
    """Parse a pint unit string; raise UnitError naming `what` if it is unknown."""
    try:
        return _registry().Unit(text)
    except Exception as exc:  # pint raises several types for bad strings
        raise UnitError(
            problem(what, "a unit pint understands (e.g. 'pg/mL', 'ug/dL', '1/h')", text,
                    f"correct the unit string ({type(exc).__name__}: {exc})")
        ) from None


def unit_text(text: str, what: str = "unit") -> str:
    """pint's spelling of the unit `text` (str(parse_unit(text))), remembered across processes."""
    return _remembered_or(f"u|{text}", lambda: str(parse_unit(text, what)))


def conversion_factor(from_unit: str, to_unit: str, what: str = "value") -> float:
    """Multiplier taking a value in `from_unit` to `to_unit`; UnitError if dimensions differ."""
    return _remembered_or(f"f|{from_unit}|{to_unit}",
                          lambda: _conversion_factor(from_unit, to_unit, what))


def _conversion_factor(from_unit: str, to_unit: str, what: str) -> float:
    import pint

    a, b = parse_unit(from_unit, what), parse_unit(to_unit, what)
    try:
        return float((1 * a).to(b).magnitude)
    except pint.DimensionalityError:
        raise UnitError(
            problem(what, f"a unit convertible to {to_unit} ({b.dimensionality})",
                    from_unit, f"give the value in {to_unit} or a compatible unit")
        ) from None


def to_magnitude(value: float | str, unit: str, what: str) -> float:
    """Accept a number (already in `unit`) or a string like '2 ng/kg'; return a float in `unit`."""
    if isinstance(value, str):
        return _string_magnitude(value, unit, what)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise UnitError(problem(what, f"a number in {unit}", value, "pass a number")) from None


@lru_cache(maxsize=4096)
def _string_magnitude(value: str, unit: str, what: str) -> float:
    """to_magnitude of a string, parsed once (protocols are rebuilt for every solve), and
    remembered across processes."""
    return _remembered_or(f"m|{value}|{unit}", lambda: _pint_magnitude(value, unit, what))


def _pint_magnitude(value: str, unit: str, what: str) -> float:
    import pint

    try:
        q: pint.Quantity = _registry().Quantity(value)
    except Exception:
        raise UnitError(problem(what, f"a number or a quantity like '1.5 {unit}'", value,
                                "write the value as '<number> <unit>'")) from None
    target = parse_unit(unit, what)
    if not q.units._units and target._units:  # "2" for a quantity that has a unit
        raise UnitError(problem(what, f"a quantity with a unit compatible with {unit}", value,
                                f"append the unit, e.g. '{q.magnitude} {unit}'"))
    try:
        return float(q.to(unit).magnitude)
    except pint.DimensionalityError:
        raise UnitError(problem(what, f"a unit convertible to {unit}", value,
                                f"give the value in {unit}")) from None
