"""check_module(): the conformance suite every library module passes (cf. scikit-learn's
check_estimator): units consistent, a source for every parameter, every species in the catalog,
composition with the rest of the library succeeds, the default simulation is finite and
non-negative species stay non-negative, also after a perturbation, and the SBML export gives the
same trajectories in libRoadRunner."""

from __future__ import annotations

import math

import numpy as np

from ._unitcheck import check_units
from .catalog import entities
from .compile import compile_model
from .errors import ModelError, require
from .io.sbml import to_sbml
from .model.core import Module, compose
from .protocol import Protocol
from .solve import SolverOptions, solve


def check_module(module: Module, *, others: tuple[Module, ...] = (), hours: float = 48.0,
                 options: SolverOptions = SolverOptions(rtol=1e-6, atol=1e-9)) -> None:
    """Raise ModelError listing every conformance problem of `module` (None if it conforms).

    `others` are the modules it must compose with (normally the rest of the standard model).
    """
    problems: list[str] = []
    where = f"module {module.name!r}"
    try:
        check_units(module)
    except ModelError as exc:
        problems.append(str(exc))
    for p in module.parameters:
        if not p.source.strip():
            problems.append(f"{where}: parameter {p.name!r} has no source")
        if p.bounds is not None and not (p.bounds[0] <= p.value <= p.bounds[1]):
            problems.append(f"{where}: parameter {p.name!r} = {p.value} outside {p.bounds}")
    catalog = entities()
    for s in module.species:
        if s.name not in catalog:
            problems.append(f"{where}: species {s.name!r} is not in the catalog "
                            "(add it to data/catalog_entities.csv with a source)")
        if not s.description:
            problems.append(f"{where}: species {s.name!r} has no description")
    for other in others:
        try:
            compose(module, other)
        except ModelError as exc:
            problems.append(f"{where}: does not compose with {other.name!r}: {exc}")
    if not problems:
        problems += _simulation_problems(module, hours, options)
    if not problems:
        problems += _sbml_problems(module, hours)
    if problems:
        raise ModelError(f"{where} fails conformance:\n- " + "\n- ".join(problems))


def _simulation_problems(module: Module, hours: float, options: SolverOptions) -> list[str]:
    system = compile_model(module)
    t = np.linspace(0.0, hours, int(hours * 4) + 1)
    rng = np.random.default_rng(0)
    starts = {"default state": system.y0,
              "perturbed state": system.y0 * rng.uniform(0.5, 2.0, system.n_states)
              + np.where(system.nonnegative, rng.uniform(0.0, 1.0, system.n_states), 0.0)}
    problems = []
    for label, y0 in starts.items():
        for clock in (0.0, 8.0, 20.0):
            sol = solve(system, None, Protocol([], clock_start=clock), t, options=options,
                        y0=y0)
            run = f"module {module.name!r} from its {label} at clock {clock:g} h"
            if sol.status[0] != 0:
                problems.append(f"{run}: solver status {int(sol.status[0])}")
                continue
            values = sol.outputs[0]
            if not np.all(np.isfinite(values)):
                problems.append(f"{run}: non-finite values")
            neg = values[:, :system.n_states][:, system.nonnegative]
            if neg.size and neg.min() < 0.0:
                problems.append(f"{run}: a non-negative species went to {neg.min():g}")
            if not math.isfinite(float(np.abs(values).max())):
                problems.append(f"{run}: unbounded")
    return problems


def _sbml_problems(module: Module, hours: float, tolerance: float = 1e-5) -> list[str]:
    roadrunner = require("roadrunner", "bench", "the SBML conformance check", "libroadrunner")

    system = compile_model(module)
    t = np.linspace(0.0, hours, int(hours) + 1)
    rr = roadrunner.RoadRunner(to_sbml(module, clock_start=8.0))
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-12
    ref = rr.simulate(0.0, hours, len(t), ["time", *system.states])[:, 1:]
    ours = solve(system, None, Protocol([], clock_start=8.0), t,
                 options=SolverOptions(rtol=1e-10, atol=1e-12)).outputs[0, :, :system.n_states]
    scale = np.maximum(np.abs(ref), 1e-3 * np.abs(ref).max(axis=0) + 1e-12)
    err = np.abs(ours - ref) / scale
    if err.max() > tolerance:
        k = int(np.argmax(err.max(axis=0)))
        return [f"module {module.name!r}: SBML export differs from our solution in libRoadRunner "
                f"by {err.max():.2e} (species {system.states[k]})"]
    return []
