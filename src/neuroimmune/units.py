"""One pint registry for the package, with the units physiology needs."""

from __future__ import annotations

from functools import lru_cache

import pint

from .errors import UnitError, problem

# parsed definitions cached on disk
ureg: pint.UnitRegistry = pint.UnitRegistry(cache_folder=":auto:")
ureg.define("cell = [cell_count] = cells")
ureg.define("beat = [beat_count] = beats")
ureg.define("bpm = beat / minute")
#: Model units of conceptual quantities (damage, mediator activity): one dimension, so a rate
#: law must still carry consistent coefficients.
ureg.define("arbitrary_unit = [arbitrary] = AU")
#: International units of biological activity (gonadotropins).
ureg.define("international_unit = [biological_activity] = IU")
Quantity = ureg.Quantity

#: Molar masses (g/mol) used to convert mass to molar concentrations (PubChem).
MOLAR_MASS_G_PER_MOL = {
    "cortisol": 362.46,  # PubChem CID 5754
    "ACTH": 4541.1,  # ACTH(1-39), PubChem CID 16132265
    "estradiol": 272.38,  # 17beta-estradiol C18H24O2, PubChem CID 5757
    "testosterone": 288.42,  # C19H28O2, PubChem CID 6013
}


@lru_cache(maxsize=None)
def parse_unit(text: str, what: str = "unit") -> pint.Unit:
    """Parse a pint unit string; raise UnitError naming `what` if it is unknown."""
    try:
        return ureg.Unit(text)
    except Exception as exc:  # pint raises several types for bad strings
        raise UnitError(
            problem(what, "a unit pint understands (e.g. 'pg/mL', 'ug/dL', '1/h')", text,
                    f"correct the unit string ({type(exc).__name__}: {exc})")
        ) from None


def conversion_factor(from_unit: str, to_unit: str, what: str = "value") -> float:
    """Multiplier taking a value in `from_unit` to `to_unit`; UnitError if dimensions differ."""
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
    """to_magnitude of a string, parsed once (protocols are rebuilt for every solve)."""
    try:
        q: pint.Quantity = ureg.Quantity(value)
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
