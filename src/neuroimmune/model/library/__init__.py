"""The model library: one function per physiological subsystem, each returning a Module."""

from .hpa import bangsgaard_ottesen_hpa
from .innate import windoloski_innate
from .pk import one_compartment_drug

#: The standard integrated model, in composition order (each factory takes no arguments).
STANDARD = (windoloski_innate, bangsgaard_ottesen_hpa)
#: Every library module by its Module name (alternatives to standard modules included).
BY_NAME = {f().name: f for f in STANDARD}

__all__ = ["bangsgaard_ottesen_hpa", "windoloski_innate", "one_compartment_drug", "STANDARD",
           "BY_NAME"]
