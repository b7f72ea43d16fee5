"""neuroimmune: simulation of neuro-immune-endocrine communication.

A research and teaching tool, not for clinical decisions.

The public names are imported on first use (PEP 562): `import neuroimmune` costs little, and a
warm start that finds its compiled model cached never imports sympy or pint
(docs/design/0028-warm-start.md).
"""

import importlib
from typing import TYPE_CHECKING

from ._version import __version__

# eager (light: numpy and numba): `solve` is also the name of a submodule, whose import would
# otherwise bind the module, not the function, as neuroimmune.solve
from .compile import System, compile_model
from .errors import (
    ModelError,
    NeuroimmuneError,
    ProtocolError,
    ScenarioError,
    SolverError,
    UnitError,
)
from .protocol import (
    Bolus,
    DrugDose,
    Infusion,
    Protocol,
    Repeated,
    SignalStep,
    Stressor,
    lps_bolus,
    lps_infusion,
)
from .solve import SolverOptions, solve
from .solvers import Status

if TYPE_CHECKING:
    from .analysis.routes import ROUTES, ablate_routes
    from .model import Input, Module, Observable, Parameter, Species, compose
    from .model.library import hpa, innate, one_compartment_drug  # type: ignore[no-redef]
    from .parameter_sets import ParameterSet, read_parameter_set
    from .results import to_dataset
    from .scenarios import load as load_scenario
    from .scenarios import simulate

#: public name -> (module, attribute)
_LAZY = {
    **{n: (".model", n) for n in ("Input", "Module", "Observable", "Parameter", "Species",
                                  "compose")},
    **{n: (".model.library", n) for n in ("hpa", "innate", "one_compartment_drug")},
    "to_dataset": (".results", "to_dataset"),
    "simulate": (".scenarios", "simulate"),
    "load_scenario": (".scenarios", "load"),
    **{n: (".analysis.routes", n) for n in ("ablate_routes", "ROUTES")},  # docs/routes.md
    **{n: (".parameter_sets", n) for n in ("ParameterSet", "read_parameter_set")},
}


def __getattr__(name):
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module, __name__), attr)
        globals()[name] = value  # later lookups are plain attribute reads
        return value
    raise AttributeError(f"module 'neuroimmune' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "__version__", "System", "compile_model", "ModelError", "NeuroimmuneError", "ProtocolError",
    "ScenarioError", "SolverError", "UnitError", "Input", "Module", "Observable", "Parameter",
    "Species", "compose", "hpa", "innate", "one_compartment_drug",
    "Bolus", "DrugDose", "Infusion", "Protocol", "Repeated", "SignalStep", "Stressor", "lps_bolus",
    "lps_infusion", "simulate", "to_dataset", "SolverOptions", "solve", "Status",
    "load_scenario", "ParameterSet", "read_parameter_set", "ablate_routes", "ROUTES",
]
