"""The light construction of labelled results (issue #18, docs/design/0015-light-results.md)
gives exactly the Dataset of xarray's validating constructor: names, dims, coordinates, indexes,
units and attrs, statuses and messages."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from neuroimmune import Protocol, SolverOptions, lps_bolus
from neuroimmune.diagnose import failure_causes
from neuroimmune.results import _full_dataset, simulate, to_dataset
from neuroimmune.solve import solve

TIMES = np.linspace(0.0, 24.0, 25)

SCENARIOS = {
    "one patient": dict(protocol=Protocol((lps_bolus("2 ng/kg", 1.0),), clock_start=8)),
    "three patients": dict(protocol=Protocol((lps_bolus("2 ng/kg", 1.0),), clock_start=22.5,
                                             name="lps at night"),
                           params={"kE": [0.5, 1.0, 2.0]}),
    "lanes": dict(protocol=Protocol(clock_start=8), params={"kE": np.linspace(0.5, 2, 17)},
                  t=np.linspace(0.0, 6.0, 7)),
    "failed patient": dict(protocol=Protocol((lps_bolus(2.0, 0.0),)),
                           options=SolverOptions(max_steps=3), params={"kE": [1.0, 1.5]}),
    "pre-equilibrated, one time": dict(protocol=Protocol(clock_start=8, preequilibrate_days=2),
                                       t=np.array([3.0])),
    "rodas4": dict(protocol=Protocol((lps_bolus(1.0, 2.0),)),
                   options=SolverOptions(method="rodas4", rtol=1e-5)),
}


def _both(system, protocol, params=None, t=TIMES, options=None):
    options = options or SolverOptions()
    sol = solve(system, params, protocol, t, options=options)
    causes = failure_causes(system, sol, protocol, options)
    return (to_dataset(system, sol, protocol, options, causes=causes),
            _full_dataset(system, sol, protocol, options, causes=causes))


def assert_same(light: xr.Dataset, full: xr.Dataset) -> None:
    xr.testing.assert_identical(light, full)
    assert light.identical(full)
    # what `identical` does not look at: order, coordinate names, indexes, types, dtypes
    assert list(light.variables) == list(full.variables)
    assert list(light.data_vars) == list(full.data_vars)
    assert list(light.coords) == list(full.coords)
    assert dict(light.sizes) == dict(full.sizes) and list(light.sizes) == list(full.sizes)
    assert list(light.xindexes) == list(full.xindexes)
    for name, index in full.xindexes.items():
        assert type(light.xindexes[name]) is type(index)
        assert light.xindexes[name].equals(index)
        assert light.xindexes[name].index.dtype == index.index.dtype
    for name, var in full.variables.items():
        assert type(light.variables[name]) is type(var), name
        assert light.variables[name].dtype == var.dtype, name
        assert light.variables[name].encoding == var.encoding, name
    assert light.encoding == full.encoding
    assert repr(light) == repr(full)


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_light_dataset_is_the_validated_one(coupled_system, scenario):
    light, full = _both(coupled_system, **SCENARIOS[scenario])
    assert_same(light, full)


def test_failed_patient_status_and_message(coupled_system):
    light, full = _both(coupled_system, **SCENARIOS["failed patient"])
    assert light["status"].values.tolist() == full["status"].values.tolist() != [0, 0]
    assert "Diagnosis" in light["status_message"].values[0]
    assert light.ni.failed.identical(full.ni.failed)


def test_simulate_uses_the_light_construction(innate_system):
    """simulate == solve + failure causes + the validated construction, on another model."""
    protocol = Protocol((lps_bolus(2.0, 1.0),))
    ds = simulate(innate_system, protocol, TIMES, params={"kE": [1.0, 2.0]})
    sol = solve(innate_system, {"kE": [1.0, 2.0]}, protocol, TIMES)
    assert_same(ds, _full_dataset(innate_system, sol, protocol))


def test_results_do_not_share_mutable_state(coupled_system):
    """Two results of the same system and shape: changing one (attrs, values, coordinates)
    leaves the other and the next result alone."""
    protocol = Protocol((lps_bolus(2.0, 1.0),))
    a = simulate(coupled_system, protocol, TIMES)
    b = simulate(coupled_system, protocol, TIMES)
    a["TNF"].attrs["units"] = "changed"
    a["time"].attrs["units"] = "min"
    a["clock"].attrs["units"] = "min"
    a["status"].attrs["flag_values"].append(99)
    a["parameter_unit"].values[0] = "changed"
    a.attrs["model"] = "changed"
    a = a.assign_coords(time=a["time"] * 60)
    c = simulate(coupled_system, protocol, TIMES)
    for ds in (b, c):
        assert ds["TNF"].attrs["units"] == "pg/mL"
        assert ds["time"].attrs["units"] == "h" and ds["clock"].attrs["units"] == "h"
        assert 99 not in ds["status"].attrs["flag_values"]
        assert ds["parameter_unit"].values[0] == coupled_system.parameter_units[0]
        assert ds.attrs["model"] == coupled_system.model.name
        np.testing.assert_array_equal(ds["time"].values, TIMES)
    sol = solve(coupled_system, None, protocol, TIMES)
    assert_same(c, _full_dataset(coupled_system, sol, protocol))


def test_many_shapes_of_one_system(innate_system):
    """More (patients, times) shapes than the template keeps: each result still right."""
    protocol = Protocol((lps_bolus(2.0, 1.0),))
    for n in range(1, 8):
        t = np.linspace(0.0, 2.0 + n, 3 + n)
        params = {"kE": np.linspace(1.0, 2.0, n)}
        sol = solve(innate_system, params, protocol, t)
        assert_same(to_dataset(innate_system, sol, protocol),
                    _full_dataset(innate_system, sol, protocol))
