"""The calibration ensemble: the shipped file and its loader, prediction intervals in validate,
`simulate --ensemble` (issue #16 item 3; docs/design/0009-calibration-ensemble.md)."""

import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from neuroimmune import scenarios
from neuroimmune.analysis.uncertainty import Sample
from neuroimmune.cli import app
from neuroimmune.errors import NeuroimmuneError
from neuroimmune.parameter_sets import (
    ENSEMBLE_PATH,
    Ensemble,
    ParameterSet,
    calibrated_ensemble,
    calibrated_set,
    read_ensemble,
    rows_line,
)
from neuroimmune.validation.calibrate import FREE_PARAMETERS, calibration_problem
from neuroimmune.validation.ensemble import EnsembleResult, write_ensemble
from neuroimmune.validation.harness import evaluate, load_targets, simulate_scenarios

runner = CliRunner()


def _set(values, name="test"):
    cal = calibrated_set()
    return ParameterSet({**cal.values, **values}, cal.units, name, f"{name}.csv", cal.optional)


def _ensemble(factors, parameter="w3"):
    """Members = the shipped point estimate with `parameter` times each factor."""
    v = calibrated_set().values[parameter]
    return Ensemble(tuple(_set({parameter: v * f}) for f in factors), "test", "test.csv")


def _file(tmp_path, members=3, *, edit=None, rows_ok=True):
    """A well-formed ensemble file (long format) of `members` copies of the shipped set, with
    `edit(frame)` applied to the rows."""
    cal = calibrated_set()
    rows = [{"member": k, "name": n, "value": v * (1 + 0.01 * k), "unit": cal.units[n],
             "optional": str(n in cal.optional).lower()}
            for k in range(members) for n, v in cal.values.items()]
    frame = pd.DataFrame(rows)
    if edit:
        frame = edit(frame)
    path = tmp_path / "ens.csv"
    n = len(frame) if rows_ok else len(frame) + 1
    path.write_text(f"# test ensemble\n# {rows_line(n)}\n# command: test\n"
                    + frame.to_csv(index=False))
    return path


# -- the file and its loader ---------------------------------------------------------------------
def test_the_shipped_ensemble_loads_with_every_calibrated_parameter():
    ens = calibrated_ensemble()
    assert len(ens) >= 50
    point = calibrated_set()
    problem = calibration_problem()
    for m in ens.members:
        assert set(FREE_PARAMETERS) | {"cortisol_ref"} <= set(m.values)
        assert set(m.values) == set(point.values) and m.optional == point.optional
        for p in FREE_PARAMETERS:
            lo, hi = problem.bounds[p]
            assert lo * (1 - 1e-6) <= m.values[p] <= hi * (1 + 1e-6), p
    header = ENSEMBLE_PATH.read_text()
    for word in ("command: neuroimmune calibrate --ensemble", "seed:", "walkers:", "burn-in:",
                 "acceptance fraction", "autocorrelation time", "date:", "prior: flat in log"):
        assert word in header, word
    # the members differ (an ensemble, not copies) and spread around the point estimate
    w3 = np.array([m.values["w3"] for m in ens.members])
    assert w3.std() > 0
    assert ens.first(10).members[0] is ens.members[0] and len(ens.first(10)) == 10


def test_read_ensemble_accepts_a_good_file(tmp_path):
    ens = read_ensemble(_file(tmp_path))
    assert len(ens) == 3 and ens.provenance == "command: test"
    assert ens.members[2].values["w3"] == pytest.approx(calibrated_set().values["w3"] * 1.02)


@pytest.mark.parametrize("edit, rows_ok, message", [
    (lambda f: f.drop(columns="unit"), True, "columns"),
    (lambda f: f.assign(value=f["value"].astype(object).where(f.index != 5, "abc")), True,
     "finite value"),
    (lambda f: f.assign(value=f["value"].where(f.index != 5, -1.0)), True, "finite value"),
    (lambda f: f.assign(value=f["value"].where(f.index != 5, np.inf)), True, "finite value"),
    (lambda f: f.assign(member=f["member"].astype(object).where(f.index != 5, "x")), True,
     "integer member"),
    (lambda f: pd.concat([f, f.iloc[[0]]]), True, "one row per member and name"),
    (lambda f: f.drop(index=f.index[(f["member"] == 1)][:1]), True, "same parameters"),
    (lambda f: f.assign(unit=f["unit"].where(f.index != len(f) - 1, "mg")), True,
     "same parameters"),
    (lambda f: f[f["member"] == 0], True, "at least 2 members"),
    (None, False, "truncated"),
])
def test_read_ensemble_refuses_a_bad_file(tmp_path, edit, rows_ok, message):
    with pytest.raises(NeuroimmuneError, match=message) as info:
        read_ensemble(_file(tmp_path, edit=edit, rows_ok=rows_ok))
    assert "Fix" in str(info.value) or "fix" in str(info.value)


def test_read_ensemble_refuses_a_missing_or_binary_file(tmp_path):
    with pytest.raises(NeuroimmuneError, match="existing CSV"):
        read_ensemble(tmp_path / "nope.csv")
    (tmp_path / "b.csv").write_bytes(b"\xff\xfe\x00\x81garbage")
    with pytest.raises(NeuroimmuneError, match="unreadable"):
        read_ensemble(tmp_path / "b.csv")


def test_write_ensemble_round_trips_through_the_loader(tmp_path):
    pb = calibration_problem()
    cal = calibrated_set()
    names = tuple(pb.parameters)
    k = len(names)
    members = pd.DataFrame([{"member": i, "chain_member": i, "log_likelihood": -5.0 - i,
                             **{n: cal.values[n] * (1 + 0.01 * i) for n in cal.values}}
                            for i in range(3)])
    sample = Sample(names, np.zeros((10, 2 * k, k)), np.zeros((10, 2 * k)),
                    np.full(2 * k, 0.3), np.full(k, 4.0), 5, members, 100, 7,
                    dict(pb.bounds))
    units = {n: cal.units[n] for n in cal.values}
    result = EnsembleResult(sample, pb, {n: cal.values[n] for n in names}, 3.1, members, units,
                            ("CRH_ref", "ACTH_ref"), (), 60.0, "today")
    path = write_ensemble(result, tmp_path / "e.csv")
    text = path.read_text()
    assert "command: neuroimmune calibrate --ensemble --walkers 42 --steps 10 --burn 5 " \
           "--keep 3 --seed 7 --out e.csv" in text
    ens = read_ensemble(path)
    assert len(ens) == 3 and ens.members[0].optional == cal.optional
    for n, v in cal.values.items():
        assert ens.members[1].values[n] == pytest.approx(v * 1.01, rel=1e-7)


# -- prediction intervals ------------------------------------------------------------------------
CIRCADIAN = ("T18", "T20", "T22")


@pytest.fixture(scope="module")
def centred():
    """circadian-day with members around the point estimate (a1, the circadian CRH production,
    times exp(-0.05 ... 0.05); w3 was used before the bounded adrenal, but on the set of design
    0018 the ACTH peak has its minimum near the point w3): the point value lies inside each
    smooth statistic's interval."""
    targets = load_targets()
    targets = targets[targets["id"].isin(CIRCADIAN)].reset_index(drop=True)
    ens = _ensemble(np.exp(np.linspace(-0.05, 0.05, 7)), "a1")
    runs = simulate_scenarios(["circadian-day"], ensemble=ens)
    return targets, runs


def test_intervals_contain_the_point_value_of_a_centred_ensemble(centred):
    targets, runs = centred
    assert list(runs["circadian-day"]["ensemble_member"].values) == [-1, *range(7)]
    point = scenarios.simulate(scenarios.BUILTIN["circadian-day"])
    np.testing.assert_allclose(runs["circadian-day"]["cortisol"].values[0],
                               point["cortisol"].values[0], rtol=1e-12)
    for r in evaluate(targets, runs):
        lo, hi = r.prediction_interval
        assert lo < r.value < hi, (r.id, lo, r.value, hi)
        assert r.ensemble_members == 7 and r.ensemble_excluded == 0
        d = r.to_dict()
        assert d["prediction_interval"] == [lo, hi] and d["ensemble_members"] == 7


def test_a_failed_member_is_left_out_and_counted(centred):
    targets, runs = centred
    ds = runs["circadian-day"].copy(deep=True)
    ds["status"].values[3] = 2  # member 2 failed
    ds["cortisol"].values[3] = np.nan
    results = evaluate(targets, {"circadian-day": ds})
    for r in results:
        assert r.ensemble_members == 6 and r.ensemble_excluded == 1
        assert all(math.isfinite(x) for x in r.prediction_interval)
    ds["status"].values[1:] = 2  # every member failed: no interval, no crash
    for r in evaluate(targets, {"circadian-day": ds}):
        assert r.ensemble_members == 0 and r.ensemble_excluded == 7
        assert r.to_dict()["prediction_interval"] == [None, None]
        assert r.passed == (r.reason == "")  # the point value is still judged


def test_without_an_ensemble_no_interval_is_claimed(centred):
    targets, runs = centred
    ds = runs["circadian-day"].isel(patient=[0]).drop_vars("ensemble_member")
    for r in evaluate(targets, {"circadian-day": ds}):
        assert r.prediction_interval is None and "prediction_interval" not in r.to_dict()


def test_validate_json_has_an_interval_for_every_target():
    result = runner.invoke(app, ["validate", "--json", "--members", "3"])
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    doc = json.loads(result.stdout)
    assert len(doc["targets"]) == len(load_targets())
    for t in doc["targets"]:
        assert len(t["prediction_interval"]) == 2, t
        assert t["ensemble_members"] + t["ensemble_excluded"] == 3, t
        lo, hi = t["prediction_interval"]
        assert lo is None or lo <= hi


# -- simulate --ensemble -------------------------------------------------------------------------
def test_simulate_ensemble_draws_the_band(tmp_path, monkeypatch):
    path = _file(tmp_path, members=4)
    small = read_ensemble(path)
    monkeypatch.setattr(scenarios, "calibrated_ensemble", lambda: small)
    for args in (["--ensemble-file", str(path)], ["--ensemble"]):  # a file, or the shipped one
        out, png = tmp_path / "band.csv", tmp_path / "band.png"
        result = runner.invoke(app, ["simulate", "circadian-day", *args, "--out", str(out),
                                     "--plot", str(png)])
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
        assert "4 ensemble members" in result.stdout
        frame = pd.read_csv(out, comment="#")
        assert sorted(frame["patient"].unique()) == [0, 1, 2, 3]
        for o in ("cortisol", "ACTH"):
            q05, q50, q95 = (frame[f"{o}_q{p}"].to_numpy() for p in ("05", "50", "95"))
            assert np.all(q05 <= q50) and np.all(q50 <= q95) and np.any(q05 < q95)
            by_time = frame.groupby("time")[o]
            np.testing.assert_allclose(q50, frame["time"].map(by_time.median()), rtol=1e-9)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        out.unlink()
        png.unlink()


def test_simulate_ensemble_refuses_parameters_too(tmp_path):
    result = runner.invoke(app, ["simulate", "circadian-day", "--ensemble", "--parameters",
                                 str(tmp_path / "p.csv")])
    assert result.exit_code == 2 and "--ensemble with --parameters" in result.stderr


def test_a_scenario_without_the_calibrated_set_gets_identical_members():
    from dataclasses import replace

    sc = replace(scenarios.BUILTIN["circadian-day"], calibrated=False)
    system, P, applies = scenarios.ensemble_parameters(sc, _ensemble([0.9, 1.1]))
    assert not applies and np.all(P == system.p0)
    system, P, applies = scenarios.ensemble_parameters(scenarios.BUILTIN["circadian-day"],
                                                       _ensemble([0.9, 1.1]))
    k = system.parameters.index("w3")
    assert applies and P[1, k] / P[0, k] == pytest.approx(1.1 / 0.9)


# -- the real calibration problem (slow: docs/slow-tests.md) -----------------------------------
@pytest.mark.slow
def test_run_ensemble_on_the_calibration_writes_a_file_the_loader_reads(tmp_path):
    from neuroimmune.validation.ensemble import run_ensemble

    result = run_ensemble(walkers=44, steps=4, burn=2, keep=4, seed=5)
    assert result.sample.walkers == 44 and result.sample.steps == 4
    assert np.all(np.isfinite(result.sample.log_likelihood))  # the start lies in the bounds
    assert len(result.members) + len(result.dropped) == len(result.sample.members)
    path = write_ensemble(result, tmp_path / "e.csv")
    ens = read_ensemble(path)
    assert len(ens) == len(result.members) >= 2
    for m, rec in zip(ens.members, result.members.to_dict("records")):
        assert set(FREE_PARAMETERS) | {"cortisol_ref", "CRH_ref", "ACTH_ref"} == set(m.values)
        assert m.values["w3"] == pytest.approx(rec["w3"], rel=1e-7)
        assert m.optional == {"CRH_ref", "ACTH_ref"}
    text = path.read_text()
    assert "--walkers 44 --steps 4 --burn 2 --keep 4 --seed 5" in text
    # the same seed gives the same members
    again = run_ensemble(walkers=44, steps=4, burn=2, keep=4, seed=5)
    pd.testing.assert_frame_equal(again.members, result.members)


@pytest.mark.slow
def test_identifiability_profiles_a_calibrated_parameter():
    from neuroimmune.validation.ensemble import identifiability, identifiability_markdown

    table, profiles = identifiability(["w3"], steps=(0.05, 0.2), max_nfev=3)
    row = table.iloc[0]
    assert row["parameter"] == "w3" and row["classification"] in (
        "identifiable", "practically non-identifiable", "structurally non-identifiable")
    assert row["profile_low"] <= row["value"] <= row["profile_high"]
    assert row["ensemble_q05"] <= row["ensemble_q50"] <= row["ensemble_q95"]
    assert profiles[0].table["delta"].min() >= -1.0  # the point estimate is (near) the optimum
    assert "| `w3` |" in identifiability_markdown(table)
