"""Helpers shared by the library modules."""

from __future__ import annotations

from functools import partial

from ..core import Parameter


def literature_parameter(name: str, value: float, unit: str, *, source: str, description: str,
                         bounds: tuple[float, float] | None = None, constant: bool = False,
                         tie: str = "", spread: float = 10.0,
                         fraction_bounds: bool = True) -> Parameter:
    """A Parameter of a library module; every module's ``_p`` is this function, some with their
    own defaults (``library_parameter``). Without `bounds` a parameter gets plausible bounds:
    [0, 1] for a fraction (unit 1, value in [0, 1]) when `fraction_bounds`, otherwise a factor
    `spread` either way of the value ([0, 1] for a value <= 0); constants have none. ``tie`` names
    the owner's parameter of a copied reference value (docs/design/0006)."""
    if bounds is None and not constant:
        if fraction_bounds and unit == "1" and 0.0 <= value <= 1.0:
            bounds = (0.0, 1.0)
        else:
            bounds = (value / spread, value * spread) if value > 0 else (0.0, 1.0)
    return Parameter(name, value, unit, source, bounds=None if constant else bounds,
                     description=description, constant=constant, tie=tie)


def library_parameter(**defaults) -> partial:
    """`literature_parameter` with a module's defaults (e.g. its source or bound spread); a call
    may still override each of them."""
    return partial(literature_parameter, **defaults)
