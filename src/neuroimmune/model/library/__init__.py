"""The model library: one function per physiological subsystem, each returning a Module."""

from .acute_phase import acute_phase
from .autonomic import autonomic
from .biologics import biologics
from .brain_signalling import brain_signalling
from .damage import damage
from .fever import fever
from .glucocorticoids import glucocorticoids
from .gonadal import gonadal
from .hpa import hpa, hpa_capacity, hpa_ultradian
from .hpa_glands import hpa_glands
from .hpa_gupta import hpa_gupta
from .hpa_sriram import hpa_sriram
from .innate import innate
from .innate_extra import innate_extra
from .monocyte_supply import monocyte_supply
from .nsaids import nsaids
from .pk import one_compartment_drug
from .tissue import tissue

#: The standard integrated model, in composition order (each factory takes no arguments).
STANDARD = (innate, hpa, fever, autonomic)
#: Further modules: published alternatives (hpa_sriram, hpa_gupta, damage, hpa_ultradian),
#: subsystems that act on the standard model through its hooks (docs/design/0003) when a scenario
#: adds them, and outputs that read it without feedback (acute_phase: CRP).
EXTRA = (hpa_ultradian, hpa_capacity, hpa_sriram, hpa_gupta, damage, glucocorticoids, biologics,
         hpa_glands, tissue, gonadal, brain_signalling, innate_extra, acute_phase, nsaids,
         monocyte_supply)


def __getattr__(name):
    """BY_NAME (every library module by its Module name) is built on first use: building the
    modules takes about 0.2 s of sympy work that importing neuroimmune should not pay."""
    if name == "BY_NAME":
        globals()["BY_NAME"] = {f().name: f for f in STANDARD + EXTRA}
        return globals()["BY_NAME"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Alternatives replace a standard module (they define the same species).
REPLACES = {"hpa_sriram": "hpa", "hpa_ultradian": "hpa", "hpa_capacity": "hpa"}

__all__ = ["acute_phase", "autonomic", "biologics", "brain_signalling", "damage", "fever",
           "glucocorticoids", "gonadal", "hpa", "hpa_capacity", "hpa_glands", "hpa_gupta",
           "hpa_sriram", "hpa_ultradian", "innate", "innate_extra", "monocyte_supply", "nsaids",
           "one_compartment_drug", "tissue", "STANDARD", "EXTRA", "BY_NAME", "REPLACES"]
