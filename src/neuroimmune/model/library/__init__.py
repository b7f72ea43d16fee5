"""The model library: one function per physiological subsystem, each returning a Module."""

from .autonomic import autonomic
from .brain import dobreva_fever_heart_rate
from .gupta import gupta_gr_hpa
from .hpa import bangsgaard_ottesen_hpa
from .innate import windoloski_innate
from .pk import one_compartment_drug
from .reynolds import reynolds_damage
from .sriram import sriram_hpa

#: The standard integrated model, in composition order (each factory takes no arguments).
STANDARD = (windoloski_innate, bangsgaard_ottesen_hpa, dobreva_fever_heart_rate, autonomic)
#: Further modules: published alternatives and subsystems not yet coupled to the standard model.
EXTRA = (sriram_hpa, gupta_gr_hpa, reynolds_damage)
#: Every library module by its Module name.
BY_NAME = {f().name: f for f in STANDARD + EXTRA}
#: Alternatives replace a standard module (they define the same species).
REPLACES = {"hpa_sriram": "hpa"}

__all__ = ["autonomic", "bangsgaard_ottesen_hpa", "dobreva_fever_heart_rate", "gupta_gr_hpa", "one_compartment_drug", "reynolds_damage",
           "sriram_hpa", "windoloski_innate", "STANDARD", "EXTRA", "BY_NAME", "REPLACES"]
