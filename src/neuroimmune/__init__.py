"""neuroimmune: simulation of neuro-immune-endocrine communication.

A research and teaching tool, not for clinical decisions.
"""

import importlib

from ._version import __version__
from .compile import System, compile_model
from .errors import (
    ModelError,
    NeuroimmuneError,
    ProtocolError,
    ScenarioError,
    SolverError,
    UnitError,
)
from .model import Input, Module, Observable, Parameter, Species, compose
from .model.library import hpa, innate, one_compartment_drug
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


def __getattr__(name):  # xarray is imported on first use of the results layer (faster start)
    if name == "to_dataset":
        from . import results

        return results.to_dataset
    if name in ("simulate", "load_scenario"):
        scenarios = importlib.import_module(".scenarios", __name__)
        return scenarios.simulate if name == "simulate" else scenarios.load
    if name in ("ablate_routes", "ROUTES"):  # channel ablation (docs/routes.md)
        return getattr(importlib.import_module(".analysis.routes", __name__), name)
    if name in ("ParameterSet", "read_parameter_set"):
        return getattr(importlib.import_module(".parameter_sets", __name__), name)
    raise AttributeError(f"module 'neuroimmune' has no attribute {name!r}")


__all__ = [
    "__version__", "System", "compile_model", "ModelError", "NeuroimmuneError", "ProtocolError",
    "ScenarioError", "SolverError", "UnitError", "Input", "Module", "Observable", "Parameter",
    "Species", "compose", "hpa", "innate", "one_compartment_drug",
    "Bolus", "DrugDose", "Infusion", "Protocol", "Repeated", "SignalStep", "Stressor", "lps_bolus",
    "lps_infusion", "simulate", "to_dataset", "SolverOptions", "solve", "Status",
    "load_scenario", "ParameterSet", "read_parameter_set", "ablate_routes", "ROUTES",
]
