"""The model library: one function per physiological subsystem, each returning a Module."""

from .autonomic import autonomic
from .biologics import biologics
from .brain_signalling import brain_signalling
from .brain import dobreva_fever_heart_rate
from .glucocorticoids import glucocorticoids
from .gonadal import gonadal
from .gupta import gupta_gr_hpa
from .hpa import (bangsgaard_ottesen_hpa, bangsgaard_ottesen_hpa_capacity,
                  bangsgaard_ottesen_hpa_ultradian)
from .hpa_glands import hpa_glands
from .innate import windoloski_innate
from .innate_extra import innate_extra
from .pk import one_compartment_drug
from .reynolds import reynolds_damage
from .sriram import sriram_hpa
from .tissue import tissue

#: The standard integrated model, in composition order (each factory takes no arguments).
STANDARD = (windoloski_innate, bangsgaard_ottesen_hpa, dobreva_fever_heart_rate, autonomic)
#: Further modules: published alternatives (sriram, gupta, reynolds, ultradian hpa) and subsystems
#: that act on the standard model through its hooks (docs/design/0003) when a scenario adds them.
EXTRA = (bangsgaard_ottesen_hpa_ultradian, bangsgaard_ottesen_hpa_capacity, sriram_hpa,
         gupta_gr_hpa, reynolds_damage, glucocorticoids, biologics, hpa_glands, tissue, gonadal,
         brain_signalling, innate_extra)


def __getattr__(name):
    """BY_NAME (every library module by its Module name) is built on first use: building the
    modules takes about 0.2 s of sympy work that importing neuroimmune should not pay."""
    if name == "BY_NAME":
        globals()["BY_NAME"] = {f().name: f for f in STANDARD + EXTRA}
        return globals()["BY_NAME"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Alternatives replace a standard module (they define the same species).
REPLACES = {"hpa_sriram": "hpa", "hpa_ultradian": "hpa", "hpa_capacity": "hpa"}

__all__ = ["autonomic", "bangsgaard_ottesen_hpa", "bangsgaard_ottesen_hpa_capacity",
           "bangsgaard_ottesen_hpa_ultradian", "biologics",
           "brain_signalling", "dobreva_fever_heart_rate", "glucocorticoids", "gonadal",
           "gupta_gr_hpa", "hpa_glands", "innate_extra", "one_compartment_drug",
           "reynolds_damage", "sriram_hpa", "tissue", "windoloski_innate", "STANDARD", "EXTRA",
           "BY_NAME", "REPLACES"]
