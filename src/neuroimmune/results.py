"""Labelled results: simulate() = solve + labels, an xarray Dataset with units and statuses, and
the ``ds.ni`` accessor for peaks, times to peak, AUCs, values at a time and unit conversion."""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr
from xarray.indexes import PandasIndex

from . import statistics as stats
from . import units
from ._version import __version__
from .compile import System, compile_model
from .diagnose import failure_causes, status_message
from .errors import NeuroimmuneError, problem
from .protocol import Protocol
from .solve import Solution, SolverOptions, solve
from .solvers import Status
from .units import MOLAR_MASS_G_PER_MOL, conversion_factor, parse_unit

if TYPE_CHECKING:
    from .model.core import Module


def simulate(model: Module | System, protocol: Protocol | None = None, t=None, *, params=None,
             options: SolverOptions = SolverOptions(), nominal=None) -> xr.Dataset:
    """Compile (if needed), solve and label. Returns Dataset(patient, time) with one variable per
    species and observable, units in attrs, and a per-patient `status` and `status_message`.

    The message of a failed patient says when it failed and which input (an event, or one of its
    parameter values, compared with `nominal`: by default the model's values) pushed it out of
    range, found by rerunning only that patient (neuroimmune.diagnose)."""
    system = model if isinstance(model, System) else compile_model(model)
    protocol = protocol or Protocol()
    sol = solve(system, params, protocol, t, options=options)
    causes = failure_causes(system, sol, protocol, options, nominal=nominal)
    return to_dataset(system, sol, protocol, options, causes=causes)


def to_dataset(system: System, sol: Solution, protocol: Protocol,
               options: SolverOptions = SolverOptions(),
               causes: list[str] | None = None) -> xr.Dataset:
    """Label a raw Solution; `causes` (neuroimmune.diagnose.failure_causes) completes the
    messages of failed patients.

    Built in one go from a per-system template (docs/design/0015-light-results.md): the same
    Dataset as xarray's validating constructor (`_full_dataset`) gives, at a fraction of its cost
    for one patient (issue #18)."""
    if not _FAST:
        return _full_dataset(system, sol, protocol, options, causes)
    tmpl = _template(system)
    data, clock, attrs = _labels(system, sol, protocol, options, causes)
    n_pat = sol.outputs.shape[0]
    variables: dict = {}
    outputs = sol.outputs
    for k, (name, var_attrs) in enumerate(tmpl.output_attrs):
        variables[name] = xr.Variable(_PT, outputs[:, :, k], var_attrs, fastpath=True)
    for name, (dims, values, var_attrs) in data.items():
        variables[name] = xr.Variable(dims, values, var_attrs, fastpath=True)
    coord_vars, indexes = tmpl.coords(n_pat, sol.t)
    variables.update(coord_vars)
    variables["clock"] = xr.Variable(("time",), clock, _CLOCK_ATTRS, fastpath=True)
    variables["parameter_unit"] = xr.Variable(("parameter",), tmpl.parameter_units.copy(),
                                              fastpath=True)
    # the order of a validated Dataset: data variables, then coordinates as given
    ordered = {k: variables[k] for k in tmpl.order}
    dims = {"patient": n_pat, "time": sol.t.size, "parameter": len(system.parameters)}
    return xr.Dataset._construct_direct(ordered, set(_COORD_NAMES), dims, attrs, dict(indexes))


#: The one-go construction uses xarray's private `Dataset._construct_direct` and
#: `Variable(..., fastpath=True)`; an xarray without them gets the validating construction
#: (tests/test_light_results.py compares the two on every run).
_FAST = hasattr(xr.Dataset, "_construct_direct")
_PT = ("patient", "time")
_COORD_NAMES = ("patient", "time", "clock", "parameter", "parameter_unit")
_TIME_ATTRS = {"units": "h", "long_name": "time after start"}
_CLOCK_ATTRS = {"units": "h", "long_name": "clock time (hours after midnight)"}
_STATUS_ATTRS = {"long_name": "solver status (0 = success)",
                 "flag_values": [int(s) for s in Status],
                 "flag_meanings": " ".join(s.name.lower() for s in Status)}
_PREEQ_ATTRS = {"long_name": "pre-equilibration reached the circadian limit cycle (day-to-day "
                             "change below tolerance); true when there was none; false: no "
                             "24-h cycle reached within preequilibrate_days, or stopped after "
                             "preequilibration_days because the day-to-day change did not "
                             "shrink fast enough to get there"}
#: no "units" attribute: netCDF readers decode a variable in time units as a time delta
_PREEQ_DAYS_ATTRS = {"long_name": "whole days of the unperturbed model run before t = 0 that "
                                  "end in the start state (a patient that did not converge "
                                  "starts after these days from the nominal cycle state)"}
_STEPS_ATTRS = {"long_name": "solver steps taken"}
_PARAM_ATTRS = {"long_name": "parameter values of each patient"}


def _preeq_days(sol: Solution) -> np.ndarray:
    """Each patient's pre-equilibration days (zeros for a Solution built without them)."""
    if sol.preequilibration_days is None:
        return np.zeros(sol.outputs.shape[0], dtype=np.int64)
    return np.asarray(sol.preequilibration_days, dtype=np.int64)


def _labels(system: System, sol: Solution, protocol: Protocol, options: SolverOptions,
            causes: list[str] | None):
    """What both constructions share: the per-patient variables (dims, values, attrs), the
    clock coordinate and the Dataset attrs, each call's own (no shared mutable objects)."""
    messages = [status_message(code, pre, causes[k] if causes else "")
                for k, (code, pre) in enumerate(zip(sol.status, sol.preequilibration_failed))]
    status_attrs = {**_STATUS_ATTRS, "flag_values": list(_STATUS_ATTRS["flag_values"])}
    data = {
        "status": (("patient",), sol.status.astype(np.int64), status_attrs),
        "status_message": (("patient",), np.array(messages, dtype=object), None),
        "preequilibration_converged": (("patient",), sol.preequilibration_converged,
                                       _PREEQ_ATTRS),
        "preequilibration_days": (("patient",), _preeq_days(sol), dict(_PREEQ_DAYS_ATTRS)),
        "n_steps": (("patient",), sol.n_steps, _STEPS_ATTRS),
        "parameter_value": (("patient", "parameter"), sol.params, _PARAM_ATTRS),
    }
    clock = (sol.t + float(protocol.clock_start)) % 24.0
    attrs = {"model": system.name, "neuroimmune_version": __version__,
             "clock_start_h": protocol.clock_start, "protocol": protocol.name or repr(protocol),
             "method": options.method, "rtol": options.rtol, "atol": options.atol,
             "preequilibrate_days": protocol.preequilibrate_days,
             "citation": system.citation}
    return data, clock, attrs


def _full_dataset(system: System, sol: Solution, protocol: Protocol,
                  options: SolverOptions = SolverOptions(),
                  causes: list[str] | None = None) -> xr.Dataset:
    """The same Dataset through xarray's validating constructor (merges every variable: about
    1 ms for the standard model). The reference the light construction is tested against."""
    descriptions = _descriptions(system)
    data = {}
    for k, (name, unit) in enumerate(zip(system.outputs, system.output_units)):
        data[name] = xr.Variable(_PT, sol.outputs[:, :, k],
                                 {"units": unit, "long_name": descriptions.get(name, name)})
    labels, clock, attrs = _labels(system, sol, protocol, options, causes)
    for name, (dims, values, var_attrs) in labels.items():
        data[name] = xr.Variable(dims, values, var_attrs)
    coords = {
        "patient": np.arange(sol.outputs.shape[0]),
        "time": ("time", sol.t, dict(_TIME_ATTRS)),
        "clock": ("time", clock, dict(_CLOCK_ATTRS)),
        "parameter": list(system.parameters),
        "parameter_unit": ("parameter", list(system.parameter_units)),
    }
    return xr.Dataset(data, coords=coords, attrs=attrs)


def _descriptions(system: System) -> dict[str, str]:
    return dict(system.descriptions)


class _Template:
    """What every Dataset of one System shares: the output variables' attrs, the parameter
    coordinate and its index, the variable order; and the patient and time coordinates of the
    last few (patients, times) shapes. Index coordinates are immutable (pandas), so they are
    shared between Datasets, as xarray's own shallow copies share them."""

    KEEP = 4  # (patients, times) pairs remembered per system

    def __init__(self, system: System):
        descriptions = _descriptions(system)
        self.output_attrs = tuple(
            (name, {"units": unit, "long_name": descriptions.get(name, name)})
            for name, unit in zip(system.outputs, system.output_units))
        self.parameter_units = np.array(list(system.parameter_units))
        self.parameter = _index_coordinate("parameter", list(system.parameters), None)
        self.order = ([name for name, _ in self.output_attrs]
                      + ["status", "status_message", "preequilibration_converged",
                         "preequilibration_days", "n_steps",
                         "parameter_value"] + list(_COORD_NAMES))
        self._shapes: dict = {}
        self._lock = threading.Lock()

    def coords(self, n_pat: int, t: np.ndarray):
        """The patient, time and parameter coordinate variables (fresh Variables, shared
        immutable data) and their indexes."""
        key = (n_pat, t.tobytes())
        with self._lock:  # simulate may run in several threads
            hit = self._shapes.pop(key, None)
        if hit is None:
            (pv, pi), (tv, ti) = (_index_coordinate("patient", np.arange(n_pat), None),
                                  _index_coordinate("time", t.copy(), _TIME_ATTRS))
            hit = ({"patient": pv, "time": tv}, {"patient": pi, "time": ti})
        with self._lock:
            while len(self._shapes) >= self.KEEP:
                self._shapes.pop(next(iter(self._shapes)))
            self._shapes[key] = hit  # most recent last
        variables, indexes = hit
        pvar, pindex = self.parameter
        out = {k: v.copy(deep=False) for k, v in variables.items()}
        out["parameter"] = pvar.copy(deep=False)
        return out, {**indexes, "parameter": pindex}


def _index_coordinate(name: str, values, attrs: dict | None):
    """The coordinate variable and index xarray makes of `values` along dimension `name`, made
    without its general conversion (whose first use imports dask.array where dask is installed:
    0.2-0.4 s of a warm start). The pandas Index is made here as xarray's safe_cast_to_index
    makes it of a numpy array (object dtype kept as object), because given an array, xarray
    2026.9 converts it through `to_numpy`, which imports dask.array too."""
    values = np.asarray(values)
    pd_index = pd.Index(values, dtype="object") if values.dtype.kind == "O" else pd.Index(values)
    index = PandasIndex(pd_index, name, coord_dtype=values.dtype)
    var = index.create_variables({name: xr.Variable((name,), values, attrs, fastpath=True)})
    return var[name], index


_TEMPLATES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _template(system: System) -> _Template:
    tmpl = _TEMPLATES.get(system)
    if tmpl is None:
        tmpl = _TEMPLATES[system] = _Template(system)
    return tmpl


def convert(values, from_unit: str, to_unit: str, quantity: str = "value"):
    """Convert values between units (temperatures with their offset: 98.6 degF -> 37 degC); mass
    <-> molar concentrations use the molar mass of known messengers (MOLAR_MASS_G_PER_MOL:
    cortisol, ACTH, estradiol, testosterone, NE)."""
    ureg = units.ureg
    a, b = parse_unit(from_unit, f"unit of {quantity}"), parse_unit(to_unit, f"unit of {quantity}")
    if a.dimensionality == b.dimensionality:
        if ureg.Quantity(1.0, a)._is_multiplicative and ureg.Quantity(1.0, b)._is_multiplicative:
            return values * conversion_factor(from_unit, to_unit, quantity)
        # offset units (degC, degF): an affine map, not a factor
        offset = float(ureg.Quantity(0.0, a).to(b).magnitude)
        return values * (float(ureg.Quantity(1.0, a).to(b).magnitude) - offset) + offset
    mm = MOLAR_MASS_G_PER_MOL.get(quantity)
    if mm is None:
        raise NeuroimmuneError(problem(f"unit of {quantity}", f"a unit compatible with {from_unit}",
                                       to_unit, "choose a compatible unit (molar units only for "
                                       f"{sorted(MOLAR_MASS_G_PER_MOL)})"))
    q = ureg.Quantity(1.0, a)
    with ureg.context("chemistry", mw=mm * ureg("g/mol")):
        try:
            factor = float(q.to(b).magnitude)
        except Exception:
            raise NeuroimmuneError(problem(f"unit of {quantity}", f"a unit compatible with "
                                           f"{from_unit}", to_unit,
                                           "choose another unit")) from None
    return values * factor


@xr.register_dataset_accessor("ni")
class NeuroimmuneAccessor:
    """Domain statistics over time for each patient: ``ds.ni.peak("TNF")`` etc. Definitions:
    neuroimmune.statistics (shared with population summaries and validation)."""

    def __init__(self, ds: xr.Dataset):
        self._ds = ds

    def _var(self, name: str) -> xr.DataArray:
        if name not in self._ds.data_vars or "time" not in self._ds[name].dims:
            names = [v for v in self._ds.data_vars if "time" in self._ds[v].dims]
            raise NeuroimmuneError(problem("variable", f"one of {names}", name,
                                           "use a species or observable name"))
        return self._ds[name]

    def _stat(self, name: str, fn, *args, units: str | None = None) -> xr.DataArray:
        """fn(values, times, *args) per patient, labelled like the variable without time."""
        da = self._var(name).transpose(..., "time")
        out = fn(da.values, da["time"].values, *args)
        dims = [d for d in da.dims if d != "time"]
        coords = {k: v for k, v in da.coords.items() if "time" not in v.dims}
        unit = da.attrs.get("units", "1") if units is None else units
        return xr.DataArray(out, dims=dims, coords=coords, attrs={"units": unit})

    def peak(self, name: str, start: float | None = None, end: float | None = None
             ) -> xr.DataArray:
        """Largest value (over [start, end] h when given), per patient."""
        return self._stat(name, stats.peak, start, end)

    def minimum(self, name: str, start: float | None = None, end: float | None = None
                ) -> xr.DataArray:
        """Smallest value (over [start, end] h when given), per patient."""
        return self._stat(name, stats.minimum, start, end)

    def time_to_peak(self, name: str, start: float | None = None, end: float | None = None
                     ) -> xr.DataArray:
        """Time (h after start) of the maximum, refined by a parabola through the largest
        sample and its neighbours (statistics.time_of_peak); NaN for a patient without
        results."""
        return self._stat(name, stats.time_of_peak, start, end, units="h")

    def time_of_minimum(self, name: str, start: float | None = None, end: float | None = None
                        ) -> xr.DataArray:
        """Time (h after start) of the minimum, refined like time_to_peak."""
        return self._stat(name, stats.time_of_minimum, start, end, units="h")

    def value_at(self, name: str, time: float) -> xr.DataArray:
        """Linear interpolation at `time` (h after start)."""
        return self._stat(name, stats.value_at, time)

    def end(self, name: str) -> xr.DataArray:
        """Value at the last time (NaN for a patient whose solve failed)."""
        return self._stat(name, stats.end_value)

    def auc(self, name: str, start: float | None = None, end: float | None = None
            ) -> xr.DataArray:
        """Area under the curve by the trapezoidal rule over [start, end] (units: unit x h)."""
        unit = f"({self._var(name).attrs.get('units', '1')})*h"
        return self._stat(name, stats.auc, start, end, units=unit)

    def recovery_time(self, name: str, baseline_time: float, fraction: float = 0.1
                      ) -> xr.DataArray:
        """First time (h after start) after the peak (the largest departure from baseline)
        that the value is back within `fraction` of its value at `baseline_time`
        (statistics.recovery_time); NaN if it never is."""
        return self._stat(name, stats.recovery_time, baseline_time, fraction, units="h")

    def plot(self, variables=None, path=None, title: str | None = None):
        """Figure of `variables` (default: every variable over time) against time; written to
        `path` when given (.png/.pdf/.svg). Returns a matplotlib Figure (no pyplot)."""
        from . import plotting  # lazy: matplotlib loads only when plotting

        return plotting.plot(self._ds, variables, path, title)

    def to_unit(self, name: str, unit: str) -> xr.DataArray:
        """The variable in another unit (e.g. cortisol in nmol/L)."""
        da = self._var(name)
        out = convert(da, da.attrs["units"], unit, name)
        out.attrs = {**da.attrs, "units": unit}
        return out

    @property
    def failed(self) -> xr.DataArray:
        """Patients whose integration did not succeed, with their messages."""
        bad = self._ds["status"] != int(Status.SUCCESS)
        return self._ds["status_message"].where(bad, drop=True)
