"""The model library: one function per physiological subsystem, each returning a Module."""

from .hpa import bangsgaard_ottesen_hpa
from .innate import windoloski_innate
from .pk import one_compartment_drug

__all__ = ["bangsgaard_ottesen_hpa", "windoloski_innate", "one_compartment_drug"]
