"""`neuroimmune fit`: data made by the model are fitted per subject (in worker processes), a
subject's failure is reported for that subject, and the parameter file is accepted by
`simulate --parameters`. The scenario is the built-in lps-bolus (the standard model, compiled by
the scenario tests anyway)."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from neuroimmune import scenarios, solve
from neuroimmune.cli import app
from neuroimmune.io import read_csv
from neuroimmune.parameter_sets import read_parameter_set

runner = CliRunner()
TIMES = [1.0, 1.5, 2.0, 3.0, 4.0, 6.0]


@pytest.fixture(scope="module")
def lps():
    sc = scenarios.load("lps-bolus")
    return sc, scenarios.system(sc)


def _data(tmp_path, lps) -> tuple:
    """Subject A: TNF and IL-6 of the model with kTNF x 1.3, and cortisol in nmol/L (10 % sd);
    subject B: a value of 0, which proportional noise cannot take (B fails, A is fitted)."""
    sc, system = lps
    k = system.p0[system.parameters.index("kTNF")]
    true = {"kTNF": 1.3 * k}
    sol = solve(system, true, sc.protocol, TIMES)
    rows = []
    for name, unit, factor in (("TNF", "pg/mL", 1.0), ("IL6", "pg/mL", 1.0),
                               ("cortisol", "nmol/L", 1e4 / 362.46)):  # ug/dL -> nmol/L
        y = sol.outputs[0, :, system.outputs.index(name)] * factor
        rows += [{"subject": "A", "time": t, "output": name, "value": v, "unit": unit,
                  "sd": 0.1 * v} for t, v in zip(TIMES, y)]
    rows += [{"subject": "B", "time": 1.0, "output": "TNF", "value": 0.0, "unit": "pg/mL",
              "sd": 1.0}, {"subject": "B", "time": 2.0, "output": "TNF", "value": 50.0,
                           "unit": "pg/mL", "sd": 5.0}]
    path = tmp_path / "data.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path, true


def test_fit_writes_a_parameter_file_that_simulate_takes(tmp_path, lps):
    path, true = _data(tmp_path, lps)
    out = tmp_path / "fit"
    result = runner.invoke(app, ["fit", str(path), "--scenario", "lps-bolus", "--free",
                                 "kTNF,k6", "--noise", "proportional", "--starts", "1",
                                 "--workers", "2", "--out", str(out)])
    assert result.exit_code == 1, (result.stdout, result.stderr)  # subject B failed
    assert "subject B:" in result.stderr and "proportional" in result.stderr
    assert "kTNF" in result.stdout and "identifiable" in result.stdout
    fits = pd.read_csv(out / "fits.csv", dtype={"subject": str}).set_index("subject")
    assert fits.loc["A", "status"] == "ok" and fits.loc["B", "status"] == "failed"
    assert "value > 0" in fits.loc["B", "message"]
    assert sorted(p.name for p in out.iterdir()) == [
        "estimates.csv", "fit_A.png", "fits.csv", "parameters_A.csv", "profiles_A.png"]
    est = pd.read_csv(out / "estimates.csv", dtype={"subject": str}).set_index("parameter")
    k = est.loc["kTNF"]
    assert k["lower"] < true["kTNF"] < k["upper"] and k["identifiability"] == "identifiable"
    assert k["value"] == pytest.approx(true["kTNF"], rel=1e-3)  # noise-free data

    ps = read_parameter_set(out / "parameters_A.csv")
    assert ps.values["kTNF"] == pytest.approx(k["value"], rel=1e-6)
    assert "command: neuroimmune fit data.csv" in ps.provenance
    sim = tmp_path / "sim.csv"
    result = runner.invoke(app, ["simulate", "lps-bolus", "--parameters",
                                 str(out / "parameters_A.csv"), "--out", str(sim)])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    frame = read_csv(sim).set_index("time")
    sc, system = lps
    expected = solve(system, true, sc.protocol, TIMES).outputs[0, :, system.outputs.index("TNF")]
    np.testing.assert_allclose(frame.loc[TIMES, "TNF"], expected, rtol=1e-3)


@pytest.mark.parametrize("args,needle", [
    (["--free", "kTNFF"], "did you mean 'kTNF'"),
    (["--free", "kTNF", "--noise", "poisson"], "--noise"),
    (["--free", "kTNF", "--bounds", "kTNF=1"], "--bounds"),
    (["--free", "kTNF", "--bounds", "k6=1:2"], "bounds of fitted parameters only"),
    (["--free", "kTNF", "--subject", "Z"], "--subject"),
])
def test_usage_errors_are_one_line(tmp_path, lps, args, needle):
    path, _ = _data(tmp_path, lps)
    result = runner.invoke(app, ["fit", str(path), "--scenario", "lps-bolus", *args])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Fix" in lines[0] and needle in lines[0], lines


def test_a_parameter_the_scenario_sets_cannot_be_fitted(tmp_path, lps):
    path, _ = _data(tmp_path, lps)
    toml = tmp_path / "s.toml"
    toml.write_text(textwrap.dedent("""
        name = "s"
        modules = ["innate", "hpa", "fever", "autonomic"]
        subject = {kTNF = 2.0}
        [[events]]
        type = "lps_bolus"
        dose = "2 ng/kg"
    """))
    result = runner.invoke(app, ["fit", str(path), "--scenario", str(toml), "--free", "kTNF"])
    assert result.exit_code == 2 and "[subject] table" in result.stderr, result.stderr
