"""Helpers shared by the library modules."""

from __future__ import annotations

from ..core import Parameter


def literature_parameter(name, value, unit, source, description, *, bounds=None,
                         constant=False, tie="") -> Parameter:
    """A Parameter with plausible bounds by default: [0, 1] for a fraction (unit 1, value in
    [0, 1]), otherwise a factor 10 either way of the value; constants have none. ``tie`` names
    the owner's parameter of a copied reference value (docs/design/0006)."""
    if bounds is None and not constant:
        bounds = ((0.0, 1.0) if unit == "1" and 0.0 <= value <= 1.0
                  else (value / 10.0, value * 10.0))
    return Parameter(name, value, unit, source, bounds=None if constant else bounds,
                     description=description, constant=constant, tie=tie)
