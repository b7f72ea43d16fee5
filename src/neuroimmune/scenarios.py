"""Scenarios: the built-in ones (TOML files in ``neuroimmune/data/scenarios``, read by the same
schema as a user's file, ``neuroimmune.io.scenario``), and running a scenario:
``simulate(load("lps-bolus"))``.

Parameter values are applied in this order: the modules' published values; a parameter set (the
shipped calibrated set of the standard model by default, or the file the user chooses); the
subject profiles, in order; the scenario's ``[subject]`` values.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Mapping

import numpy as np
import xarray as xr

from . import _warm
from .compile import System, cached_system, compile_model
from .errors import ScenarioError, problem
from .io._scenario_data import (
    DEFAULT_OUTPUTS,
    PREEQ_DAYS,
    STANDARD_MODULES,
    Scenario,
    scenario_data,
    scenario_from_data,
)
from .parameter_sets import (
    Ensemble,
    ParameterSet,
    calibrated_ensemble,
    calibrated_set,
    read_ensemble,
    read_parameter_set,
)
from .results import simulate as simulate_model
from .solve import SolverOptions
from .units import to_magnitude

if TYPE_CHECKING:  # imported where used: a warm start needs neither sympy nor pandas
    from .model.core import Module

#: The built-in scenarios by name, read on first use (module __getattr__ below).
BUILTIN: Mapping[str, Scenario]

__all__ = ["BUILTIN", "DEFAULT_OUTPUTS", "PREEQ_DAYS", "STANDARD_MODULES", "Scenario", "load",
           "model", "system", "simulate", "builtin_names", "BAND_PERCENTILES",
           "ensemble_parameters", "simulate_ensemble", "ensemble_band"]


def _folder():
    return resources.files("neuroimmune") / "data" / "scenarios"


@lru_cache(maxsize=None)
def _builtin(name: str) -> Scenario:
    """The built-in scenario `name` (one of builtin_names()), read from its file alone: `load`
    of one scenario does not parse the other 40."""
    entry = _folder() / f"{name}.toml"
    with resources.as_file(entry) as path:
        sc = _read(path)
    if sc.name != name:
        raise ScenarioError(problem(f"built-in scenario file {entry.name}", "a name "
                                    "equal to the file name", sc.name, "rename one"))
    return sc


def _read(path: Path) -> Scenario:
    """read_scenario(path), or the Scenario recorded for a file of the same path and content
    when there is one (a warm start skips the validation and its imports: pydantic, the model
    library, pint; docs/design/0028-warm-start.md). Only valid files are recorded; scenarios
    with custom modules are not."""
    try:
        content = path.read_bytes()
    except OSError:
        content = None
    key = None
    if content is not None:
        key = _warm.key("scenario", str(path), hashlib.sha256(content).hexdigest())
        found = scenario_from_data(_warm.read("scenario", key))
        if found is not None:
            return found
    from .io.scenario import read_scenario

    sc = read_scenario(path)
    data = scenario_data(sc) if key is not None else None
    if key is not None and data is not None and scenario_from_data(data) == sc:
        _warm.write("scenario", key, data)
    return sc


@lru_cache(maxsize=1)
def _builtins() -> Mapping[str, Scenario]:
    return MappingProxyType({name: _builtin(name) for name in builtin_names()})


def builtin_names() -> list[str]:
    """Names of the built-in scenarios (without reading them)."""
    return sorted(e.name[:-5] for e in _folder().iterdir() if e.name.endswith(".toml"))


def __getattr__(name: str):
    if name == "BUILTIN":  # read on first use
        return _builtins()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load(spec: str | Path) -> Scenario:
    """A built-in scenario by name, or a TOML scenario file by path."""
    spec = str(spec)
    if spec in builtin_names():
        return _builtin(spec)
    path = Path(spec)
    if path.suffix.lower() == ".toml":
        if not path.is_file():
            raise ScenarioError(problem("scenario file", "an existing .toml file", spec,
                                        "check the path"))
        return _read(path)
    near = difflib.get_close_matches(spec, builtin_names(), n=1)
    raise ScenarioError(problem("scenario", f"a built-in name ({', '.join(builtin_names())}) or "
                                "a path to a .toml file", spec,
                                f"did you mean {near[0]!r}?" if near else
                                "run `neuroimmune scenarios` to list them"))


def model(scenario: Scenario) -> Module:
    """The scenario's composed model with its modules' published values."""
    from .model.core import compose
    from .model.library import BY_NAME

    mods = [BY_NAME[m]() if isinstance(m, str) else m for m in scenario.modules]
    return compose(*mods, name=scenario.name) if len(mods) > 1 else mods[0]


def _parameter_set(parameters) -> ParameterSet | None:
    if parameters is None or isinstance(parameters, ParameterSet):
        return parameters
    return read_parameter_set(parameters)


def system(scenario: Scenario, parameters: str | Path | ParameterSet | None = None) -> System:
    """The compiled model with the shipped calibrated set's (unless `calibrated` says no), then
    the chosen parameter set's (`parameters`: a file written by calibrate or fit, or a
    ParameterSet), then the profiles', then the subject's values as its defaults.

    From its cached description when the same scenario and parameter set were compiled before
    in this environment (compile.cached_system: no sympy, no pint)."""
    recipe = _recipe(scenario, parameters)
    if recipe is None:
        compiled = compile_model(_model_of(scenario, parameters))
    else:
        compiled = cached_system(recipe, lambda: _model_of(scenario, parameters))
    missing = [o for o in scenario.outputs if o not in compiled.outputs]
    if missing:  # checked again (a description is recorded only for a model that passed)
        raise ScenarioError(problem(f"scenario {scenario.name!r} outputs", "names of species or "
                                    "observables of the model", missing,
                                    "remove them or add the module that defines them"))
    return compiled


def _model_of(scenario: Scenario, parameters) -> Module:
    """The model `system` compiles."""
    from .profiles import apply_profiles

    m = _with_sets(scenario, parameters)
    if scenario.profiles:
        m = apply_profiles(m, scenario.profiles)
    m = _subject(scenario, m)
    missing = [o for o in scenario.outputs if o not in m.species_names
               and o not in {x.name for x in m.observables}]
    if missing:
        raise ScenarioError(problem(f"scenario {scenario.name!r} outputs", "names of species or "
                                    "observables of the model", missing,
                                    "remove them or add the module that defines them"))
    return m


def _recipe(scenario: Scenario, parameters) -> str | None:
    """What determines the model of `system(scenario, parameters)` besides the package (whose
    files the description's key covers, neuroimmune._warm): the scenario's modules, name,
    profiles, calibrated flag, subject values and outputs, and the parameter set (a file by its
    path and content). None when the model cannot be described so (custom modules)."""
    if not all(isinstance(m, str) for m in scenario.modules):
        return None
    if parameters is None:
        chosen = "none"
    elif isinstance(parameters, (str, Path)):
        try:
            content = Path(parameters).read_bytes()
        except OSError:  # read_parameter_set says what is wrong
            return None
        chosen = f"file {str(parameters)!r} sha256 {hashlib.sha256(content).hexdigest()}"
    elif isinstance(parameters, ParameterSet):
        chosen = repr((sorted(parameters.values.items()), sorted(parameters.units.items()),
                       sorted(parameters.optional), parameters.provenance, parameters.path))
    else:
        return None
    return repr((scenario.name, tuple(scenario.modules), tuple(scenario.profiles),
                 scenario.calibrated, sorted((k, repr(v)) for k, v in scenario.subject.items()),
                 tuple(scenario.outputs), chosen))


def _nominal(scenario: Scenario, parameters, compiled: System):
    """The parameter values before the scenario's profiles and [subject] (the calibrated or
    chosen set's): what a failure diagnosis resets a failed patient's values to, so that a
    subject value that pushes the state out of range is named."""
    m = _with_sets(scenario, parameters)
    return [m.parameter(name).value for name in compiled.parameters]


def _with_sets(scenario: Scenario, parameters) -> Module:
    """The scenario's model with the shipped calibrated set (unless `calibrated` says no) and
    then the chosen parameter set applied."""
    m = model(scenario)
    if scenario.calibrated or (scenario.calibrated is None and calibrated_set().fits(m)):
        m = calibrated_set().apply(m)
    chosen = _parameter_set(parameters)
    if chosen is not None:
        m = chosen.apply(m)
    return m


def _subject(scenario: Scenario, m: Module) -> Module:
    params = {}
    for name, value in scenario.subject.items():
        try:
            par = m.parameter(name)
        except KeyError:
            near = difflib.get_close_matches(name, m.parameter_names, n=1)
            raise ScenarioError(problem(f"scenario {scenario.name!r}: subject.{name}", "a "
                                        "parameter of the model (see `neuroimmune model`)", name,
                                        f"did you mean {near[0]!r}?" if near else
                                        "check the spelling")) from None
        v = to_magnitude(value, par.unit, f"subject.{name} (unit {par.unit})")
        if not math.isfinite(v) or (v < 0 <= par.value) or (v > 0 >= par.value != 0):
            raise ScenarioError(problem(f"scenario {scenario.name!r}: subject.{name}",
                                        f"a finite value with the sign of its default "
                                        f"({par.value:g} {par.unit})", value, "fix the value"))
        if par.constant:
            raise ScenarioError(problem(f"scenario {scenario.name!r}: subject.{name}", "a free "
                                        "parameter", "a structural constant", "leave it out"))
        params[name] = v
    return m.with_parameters(**params) if params else m


def simulate(what: Scenario | str | Path | Module | System, protocol=None, t=None, *,
             params=None, parameters: str | Path | ParameterSet | None = None,
             options: SolverOptions = SolverOptions()) -> xr.Dataset:
    """Run a scenario (a Scenario, a built-in name or a .toml path) and return the labelled
    results; or, given a model (Module or compiled System), solve it under `protocol` at times
    `t` with per-patient `params` (neuroimmune.results.simulate)."""
    core = sys.modules.get("neuroimmune.model.core")  # a Module exists only once it is imported
    if isinstance(what, System) or (core is not None and isinstance(what, core.Module)):
        assert not isinstance(what, (str, Path, Scenario))
        if parameters is not None:
            raise ScenarioError(problem("simulate(parameters=...)", "a scenario (parameter sets "
                                        "apply to scenarios)", type(what).__name__, "apply the "
                                        "set with read_parameter_set(path).apply(model)"))
        return simulate_model(what, protocol, t, params=params, options=options)
    if protocol is not None or t is not None:
        raise ScenarioError(problem("simulate(scenario, protocol, t)", "no protocol or times "
                                    "with a scenario (it has its own)", "protocol/t",
                                    "edit the scenario, or pass a model"))
    sc = load(what) if isinstance(what, (str, Path)) else what
    assert isinstance(sc, Scenario), type(sc)
    compiled = system(sc, parameters)
    ds = simulate_model(compiled, sc.protocol, sc.times(), params=params, options=options,
                        nominal=lambda: _nominal(sc, parameters, compiled))
    ds.attrs["scenario"] = sc.name
    ds.attrs["scenario_description"] = sc.description
    ds.attrs["outputs"] = list(sc.outputs)
    return ds


# -- the calibration ensemble ---------------------------------------------------------------------
#: Percentiles of the ensemble band (`simulate --ensemble`): 5 %, the median and 95 %.
BAND_PERCENTILES = (5.0, 50.0, 95.0)


def _ensemble(ensemble: Ensemble | str | Path | None) -> Ensemble:
    if ensemble is None:
        return calibrated_ensemble()
    return ensemble if isinstance(ensemble, Ensemble) else read_ensemble(ensemble)


def ensemble_parameters(scenario: Scenario, ensemble: Ensemble | str | Path | None = None
                        ) -> tuple[System, np.ndarray, bool]:
    """(the scenario's system with the point estimate, one parameter row per ensemble member,
    whether the members apply). Each member takes the place of the shipped point estimate and
    then, as for `simulate`, the scenario's profiles and [subject] values are applied on top.
    A scenario that does not use the calibrated set (calibrated = false, or a model without its
    parameters) gets the point estimate's row for every member (applies False)."""
    from .profiles import apply_profiles

    ens = _ensemble(ensemble)
    compiled = system(scenario)
    m0 = model(scenario)
    applies = bool(scenario.calibrated
                   or (scenario.calibrated is None and calibrated_set().fits(m0)))
    if not applies:
        return compiled, np.tile(compiled.p0, (len(ens), 1)), False
    base = calibrated_set().apply(m0)
    rows = []
    for member in ens.members:
        m = member.apply(base)
        if scenario.profiles:
            m = apply_profiles(m, scenario.profiles)
        m = _subject(scenario, m)
        rows.append([float(m.parameter(n).value) for n in compiled.parameters])
    return compiled, np.array(rows, dtype=float), True


def simulate_ensemble(scenario: Scenario | str | Path,
                      ensemble: Ensemble | str | Path | None = None, *,
                      include_point: bool = False,
                      options: SolverOptions = SolverOptions()) -> xr.Dataset:
    """Run a scenario once with every member of the ensemble (default: the shipped calibration
    ensemble) as a patient of one batch solve; with include_point, patient 0 is the point
    estimate (what `simulate` gives). The variable `ensemble_member` says which member each
    patient is (-1: the point estimate). A member whose solve fails keeps its status, as any
    patient; ensemble_band leaves it out."""
    sc = load(scenario) if isinstance(scenario, (str, Path)) else scenario
    ens = _ensemble(ensemble)
    compiled, P, applies = ensemble_parameters(sc, ens)
    members = np.arange(len(ens))
    if include_point:
        P = np.vstack([compiled.p0, P])
        members = np.concatenate([[-1], members])
    ds = simulate_model(compiled, sc.protocol, sc.times(), params=P, options=options)
    ds["ensemble_member"] = xr.Variable("patient", members, {
        "long_name": "ensemble member of each patient (-1: the point estimate)"})
    ds.attrs.update(scenario=sc.name, scenario_description=sc.description,
                    outputs=list(sc.outputs), ensemble=str(ens.path),
                    ensemble_members=len(ens), ensemble_applies=int(applies))
    return ds


def ensemble_band(ds: xr.Dataset, variables=None,
                  percentiles=BAND_PERCENTILES) -> xr.Dataset:
    """`ds` with, for each variable v (default: the scenario's outputs), `v_q05`, `v_q50`,
    `v_q95` (time): percentiles over the ensemble members whose solve succeeded (the point
    estimate, ensemble_member -1, is not a member). attrs ensemble_used / ensemble_failed count
    them."""
    if "ensemble_member" not in ds:
        raise ScenarioError(problem("ensemble band", "results of simulate_ensemble", "results "
                                    "without ensemble members", "run simulate_ensemble"))
    variables = list(variables or ds.attrs.get("outputs", []))
    member = ds["ensemble_member"].values >= 0
    ok = member & (ds["status"].values == 0)
    out = ds.copy()
    out.attrs["ensemble_used"] = int(ok.sum())
    out.attrs["ensemble_failed"] = int((member & ~ok).sum())
    for v in variables:
        y = ds[v].transpose("patient", "time").values[ok]
        qs = (np.nanpercentile(y, percentiles, axis=0) if len(y)
              else np.full((len(percentiles), ds.sizes["time"]), np.nan))
        for p, q in zip(percentiles, qs):
            out[f"{v}_q{p:02.0f}"] = xr.Variable("time", q, {
                "units": ds[v].attrs.get("units", ""),
                "long_name": f"{p:g}th percentile of {v} over {int(ok.sum())} ensemble "
                             "members"})
    return out
