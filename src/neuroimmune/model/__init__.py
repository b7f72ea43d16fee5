"""Symbolic model definitions (the single source of truth) and the model library."""

from .core import (
                   CLOCK,
                   TIME_UNIT,
                   Input,
                   Module,
                   Observable,
                   Parameter,
                   Species,
                   T,
                   compose,
                   hill_down,
                   hill_up,
                   sym,
)

__all__ = ["CLOCK", "T", "TIME_UNIT", "Input", "Module", "Observable", "Parameter", "Species",
           "compose", "hill_down", "hill_up", "sym"]
