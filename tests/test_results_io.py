"""Labelled results (Dataset layout, the ``ds.ni`` accessor, unit conversion) and file output.

Analytic reference cases in the coupled innate+HPA model (the model of the built-in scenarios):
without LPS no monocyte is activated, so TNF stays exactly at its baseline wTNF; endotoxin obeys
dLPS/dt = -kE LPS whatever the rest does, so a bolus D at t0 gives LPS = D exp(-kE (t - t0)).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from matplotlib.figure import Figure

from neuroimmune import (
    NeuroimmuneError,
    Protocol,
    SolverOptions,
    Status,
    io,
    lps_bolus,
    plotting,
    simulate,
)
from neuroimmune.results import convert

T_END = 10.0
TIMES = np.linspace(0.0, T_END, 201)  # dt = 0.05 h


def param(system, name):
    return float(system.p0[system.parameters.index(name)])


@pytest.fixture(scope="module")
def baseline(coupled_system):
    return simulate(coupled_system, Protocol(clock_start=8), TIMES)


@pytest.fixture(scope="module")
def lps(coupled_system):
    proto = Protocol((lps_bolus("2 ng/kg", 1.0),), clock_start=8)
    return simulate(coupled_system, proto, TIMES, options=SolverOptions(rtol=1e-9, atol=1e-12))


@pytest.fixture(scope="module")
def cohort(coupled_system):
    """Three patients differing in endotoxin clearance kE."""
    proto = Protocol((lps_bolus("2 ng/kg", 1.0),), clock_start=8)
    return simulate(coupled_system, proto, TIMES, params={"kE": [0.5, 1.0, 2.0]},
                    options=SolverOptions(rtol=1e-9, atol=1e-12))


# --------------------------------------------------------------------------------------------
# Dataset layout
# --------------------------------------------------------------------------------------------
def test_dataset_layout(coupled_system, lps):
    ds = lps
    for name, unit in zip(coupled_system.outputs, coupled_system.output_units):
        assert ds[name].dims == ("patient", "time")
        assert ds[name].attrs["units"] == unit
        assert ds[name].attrs["long_name"]
    assert ds["TNF"].attrs["units"] == "pg/mL"
    assert ds["cortisol"].attrs["units"] == "ug/dL"
    assert ds["LPS"].attrs["units"] == "ng/kg"
    assert ds.sizes["patient"] == 1 and ds.sizes["time"] == TIMES.size
    np.testing.assert_array_equal(ds["time"].values, TIMES)
    assert ds["time"].attrs["units"] == "h" and ds["clock"].attrs["units"] == "h"
    np.testing.assert_allclose(ds["clock"].values, (TIMES + 8.0) % 24.0)
    assert ds["status"].dims == ("patient",) and ds["status_message"].dims == ("patient",)
    assert ds["status"].values.tolist() == [0]
    assert ds["status_message"].values.tolist() == ["success"]
    assert ds.attrs["clock_start_h"] == 8.0
    assert list(ds["parameter"].values) == list(coupled_system.parameters)
    np.testing.assert_array_equal(ds["parameter_value"].values[0], coupled_system.p0)
    assert len(ds.ni.failed) == 0


def test_per_patient_parameters_and_status(cohort):
    assert cohort.sizes["patient"] == 3
    assert cohort["status"].values.tolist() == [0, 0, 0]
    assert cohort["status_message"].values.tolist() == ["success"] * 3
    np.testing.assert_array_equal(cohort["parameter_value"].sel(parameter="kE").values,
                                  [0.5, 1.0, 2.0])
    t = cohort["time"].values
    for p, kE in enumerate([0.5, 1.0, 2.0]):
        exact = np.where(t >= 1.0, 2.0 * np.exp(-kE * (t - 1.0)), 0.0)
        np.testing.assert_allclose(cohort["LPS"].values[p], exact, rtol=1e-6, atol=1e-10)


def test_failed_patient_gets_status_not_exception(coupled_system):
    ds = simulate(coupled_system, Protocol((lps_bolus(2.0, 0.0),)), TIMES,
                  options=SolverOptions(max_steps=3))
    assert int(ds["status"][0]) == int(Status.MAX_STEPS)
    assert ds["status_message"].values[0] != "success"
    assert "Fix" in ds["status_message"].values[0]
    assert np.isnan(ds["TNF"].values[0, -1])
    failed = ds.ni.failed
    assert failed["patient"].values.tolist() == [0]
    assert failed.values.tolist() == ds["status_message"].values.tolist()


# --------------------------------------------------------------------------------------------
# Accessor statistics
# --------------------------------------------------------------------------------------------
def test_constant_baseline_statistics(coupled_system, baseline):
    w = param(coupled_system, "wTNF")
    np.testing.assert_allclose(baseline["TNF"].values, w, rtol=1e-12)
    assert float(baseline.ni.peak("TNF")[0]) == pytest.approx(w, rel=1e-12)
    assert float(baseline.ni.auc("TNF")[0]) == pytest.approx(w * T_END, rel=1e-9)
    assert float(baseline.ni.auc("TNF", 2.0, 5.0)[0]) == pytest.approx(w * 3.0, rel=1e-9)
    assert float(baseline.ni.auc("TNF", start=4.0)[0]) == pytest.approx(w * 6.0, rel=1e-9)
    assert float(baseline.ni.value_at("TNF", 3.333)[0]) == pytest.approx(w, rel=1e-12)
    assert baseline.ni.auc("TNF").attrs["units"] == "(pg/mL)*h"


def test_bolus_peak_and_time_to_peak(lps):
    assert float(lps.ni.peak("LPS")[0]) == pytest.approx(2.0, rel=1e-9)
    # the bolus jumps at 1 h: the parabola-refined time lies within half an output step after it
    assert 1.0 <= float(lps.ni.time_to_peak("LPS")[0]) <= 1.0 + 0.05 / 2
    assert lps.ni.time_to_peak("LPS").attrs["units"] == "h"
    # cytokines peak after the endotoxin
    assert float(lps.ni.time_to_peak("TNF")[0]) > 1.0


def test_statistics_match_numpy(lps):
    t = lps["time"].values
    for name in ("TNF", "IL6", "cortisol", "LPS"):
        y = lps[name].values[0]
        assert float(lps.ni.peak(name)[0]) == y.max()
        assert abs(float(lps.ni.time_to_peak(name)[0]) - t[np.argmax(y)]) <= 0.05 / 2
        assert float(lps.ni.auc(name)[0]) == pytest.approx(np.trapezoid(y, t), rel=1e-12)
        sel = (t >= 2.0) & (t <= 6.0)
        assert float(lps.ni.auc(name, 2.0, 6.0)[0]) == pytest.approx(
            np.trapezoid(y[sel], t[sel]), rel=1e-12)
        assert float(lps.ni.value_at(name, 2.345)[0]) == pytest.approx(np.interp(2.345, t, y),
                                                                       rel=1e-12)


def test_auc_and_value_at_match_closed_form(coupled_system, lps):
    kE = param(coupled_system, "kE")
    exact_auc = 2.0 / kE * (1.0 - np.exp(-kE * (T_END - 1.0)))
    # trapezoid error on a 0.05 h grid is ~ (kE dt)^2 / 12; start at the bolus, since the
    # trapezoid over [0.95, 1] would smear the jump
    assert float(lps.ni.auc("LPS", 1.0, T_END)[0]) == pytest.approx(exact_auc, rel=5e-4)
    assert float(lps.ni.value_at("LPS", 3.0)[0]) == pytest.approx(2.0 * np.exp(-2.0 * kE),
                                                                  rel=1e-6)
    assert float(lps.ni.value_at("LPS", 0.5)[0]) == 0.0


def test_time_to_peak_is_nan_for_patient_without_results(cohort):
    ds = cohort.copy(deep=True)
    ds["TNF"][1, :] = np.nan
    ttp = ds.ni.time_to_peak("TNF").values
    assert np.isnan(ttp[1]) and np.isfinite(ttp[[0, 2]]).all()


@pytest.mark.parametrize("call", [
    lambda ds: ds.ni.peak("nope"), lambda ds: ds.ni.time_to_peak("nope"),
    lambda ds: ds.ni.auc("nope"), lambda ds: ds.ni.value_at("nope", 1.0),
    lambda ds: ds.ni.to_unit("nope", "nmol/L"), lambda ds: ds.ni.peak("status"),
])
def test_unknown_variable(lps, call):
    with pytest.raises(NeuroimmuneError) as e:
        call(lps)
    msg = str(e.value)
    assert "variable" in msg and "Fix:" in msg and "'TNF'" in msg
    assert "'nope'" in msg or "'status'" in msg


@pytest.mark.parametrize("time", [-0.5, T_END + 0.1, float("nan")])
def test_value_at_out_of_range(lps, time):
    with pytest.raises(NeuroimmuneError) as e:
        lps.ni.value_at("TNF", time)
    msg = str(e.value)
    assert "time" in msg and "[0, 10] h" in msg and "Fix:" in msg and repr(time) in msg


@pytest.mark.parametrize("start, end", [(0.0, 48.0), (20.0, 30.0), (-5.0, 5.0)])
def test_auc_out_of_range(lps, start, end):
    with pytest.raises(NeuroimmuneError):
        lps.ni.auc("TNF", start, end)


# --------------------------------------------------------------------------------------------
# Unit conversion
# --------------------------------------------------------------------------------------------
def test_cortisol_to_nmol_per_litre(lps):
    nm = lps.ni.to_unit("cortisol", "nmol/L")
    assert nm.attrs["units"] == "nmol/L"
    ratio = nm.values / lps["cortisol"].values
    np.testing.assert_allclose(ratio, 27.59, rtol=1e-3)
    assert lps["cortisol"].attrs["units"] == "ug/dL"  # the dataset is not modified


def test_other_conversions(lps):
    np.testing.assert_allclose(lps.ni.to_unit("cortisol", "ug/L").values,
                               10.0 * lps["cortisol"].values, rtol=1e-12)
    np.testing.assert_allclose(lps.ni.to_unit("TNF", "ng/L").values, lps["TNF"].values,
                               rtol=1e-12)
    # ACTH(1-39): 4541.1 g/mol -> 1 pg/mL = 0.2202 pmol/L
    np.testing.assert_allclose(lps.ni.to_unit("ACTH", "pmol/L").values / lps["ACTH"].values,
                               1e3 / 4541.1, rtol=1e-6)
    assert convert(1.0, "nmol/L", "ug/dL", "cortisol") == pytest.approx(1 / 27.589, rel=1e-3)
    # offset units are an affine map, not a factor
    np.testing.assert_allclose(convert(np.array([98.6, 32.0]), "degF", "degC", "temperature"),
                               [37.0, 0.0], atol=1e-9)
    assert convert(37.0, "degC", "K", "temperature") == pytest.approx(310.15)


@pytest.mark.parametrize("name, unit", [("TNF", "nmol/L"), ("cortisol", "mL"),
                                        ("cortisol", "h")])
def test_incompatible_unit(lps, name, unit):
    with pytest.raises(NeuroimmuneError) as e:
        lps.ni.to_unit(name, unit)
    msg = str(e.value)
    assert name in msg and repr(unit) in msg and "expected" in msg and "Fix:" in msg


def test_unknown_unit_string(lps):
    with pytest.raises(NeuroimmuneError):
        lps.ni.to_unit("cortisol", "nanomolesperlitre")


# --------------------------------------------------------------------------------------------
# Tables and files
# --------------------------------------------------------------------------------------------
def test_to_frame_single_and_many_patients(coupled_system, lps, cohort):
    frame = io.to_frame(lps, ["TNF", "cortisol"])
    assert list(frame.columns) == ["time", "clock", "TNF", "cortisol"]
    assert len(frame) == TIMES.size
    np.testing.assert_array_equal(frame["TNF"].to_numpy(), lps["TNF"].values[0])
    many = io.to_frame(cohort, ["LPS"])
    assert list(many.columns) == ["patient", "time", "clock", "LPS"]
    assert len(many) == 3 * TIMES.size
    np.testing.assert_array_equal(many[many["patient"] == 2]["LPS"].to_numpy(),
                                  cohort["LPS"].values[2])
    default = io.to_frame(lps)
    assert list(default.columns) == ["time", "clock", *coupled_system.outputs]


def test_csv_roundtrip_with_units(tmp_path, lps):
    path = io.write(lps, tmp_path / "sub" / "r.csv", ["TNF", "cortisol"])
    lines = path.read_text().splitlines()
    assert lines[0].startswith("# neuroimmune results") and "8.0 h" in lines[0]
    assert lines[1] == "# units: time=h, clock=h, TNF=pg/mL, cortisol=ug/dL"
    assert lines[2] == "time,clock,TNF,cortisol"
    back = io.read_csv(path)
    np.testing.assert_array_equal(back["time"].to_numpy(), TIMES)
    np.testing.assert_array_equal(back["TNF"].to_numpy(), lps["TNF"].values[0])
    np.testing.assert_array_equal(back["cortisol"].to_numpy(), lps["cortisol"].values[0])


def test_parquet_roundtrip_with_units(tmp_path, cohort):
    import pyarrow.parquet as pq

    path = io.write(cohort, tmp_path / "r.parquet", ["LPS", "TNF"])
    back = pd.read_parquet(path)
    assert list(back.columns) == ["patient", "time", "clock", "LPS", "TNF"]
    np.testing.assert_array_equal(back["LPS"].to_numpy(), cohort["LPS"].values.ravel())
    meta = pq.read_schema(path).metadata
    assert json.loads(meta[b"neuroimmune.units"]) == {"patient": "1", "time": "h", "clock": "h",
                                                       "LPS": "ng/kg", "TNF": "pg/mL"}
    assert json.loads(meta[b"neuroimmune.attrs"])["clock_start_h"] == "8.0"


def test_netcdf_roundtrip_with_units(tmp_path, cohort):
    path = io.write(cohort, tmp_path / "r.nc", ["LPS", "cortisol"])
    with xr.open_dataset(path, engine="h5netcdf") as back:
        np.testing.assert_array_equal(back["LPS"].values, cohort["LPS"].values)
        assert back["LPS"].attrs["units"] == "ng/kg"
        assert back["cortisol"].attrs["units"] == "ug/dL"
        assert back["status_message"].values.tolist() == ["success"] * 3


def test_write_rejects_bad_suffix_and_names(tmp_path, lps):
    with pytest.raises(NeuroimmuneError) as e:
        io.write(lps, tmp_path / "r.xlsx")
    assert "'.csv'" in str(e.value) and "r.xlsx" in str(e.value) and "Fix:" in str(e.value)
    assert not (tmp_path / "r.xlsx").exists()
    with pytest.raises(NeuroimmuneError) as e:
        io.write(lps, tmp_path / "r.csv", ["TNF", "nope"])
    assert "'nope'" in str(e.value) and "Fix:" in str(e.value)


def test_write_netcdf_rejects_unknown_names(tmp_path, lps):
    with pytest.raises(NeuroimmuneError):
        io.write(lps, tmp_path / "r.nc", ["TNF", "nope"])


def test_plot_writes_png_and_rejects_bad_input(tmp_path, lps, cohort):
    fig = plotting.plot(lps, ["TNF", "cortisol"], tmp_path / "f.png", title="t")
    assert isinstance(fig, Figure)
    data = (tmp_path / "f.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    with pytest.raises(NeuroimmuneError) as e:
        plotting.plot(lps, ["TNF"], tmp_path / "f.jpg")
    assert "f.jpg" in str(e.value) and "Fix:" in str(e.value)
    with pytest.raises(NeuroimmuneError) as e:
        plotting.plot(lps, ["nope"], tmp_path / "g.png")
    assert "'nope'" in str(e.value)
    assert not (tmp_path / "g.png").exists()


def test_plot_many_patients_band(tmp_path, coupled_system):
    kE = np.linspace(0.5, 2.0, 25)
    ds = simulate(coupled_system, Protocol((lps_bolus(2.0, 0.0),)), np.linspace(0, 4, 41),
                  params={"kE": kE})
    assert ds.sizes["patient"] == 25 and (ds["status"] == 0).all()
    plotting.plot(ds, ["LPS", "TNF"], tmp_path / "band.svg")
    path = tmp_path / "band.svg"
    assert path.read_text().lstrip().startswith("<?xml") and path.stat().st_size > 5000
