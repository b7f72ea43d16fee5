"""Observations to fit (neuroimmune.io.read_observations): units converted to the model's, every
bad row named with its line and a fix."""

import numpy as np
import pandas as pd
import pytest

from neuroimmune import NeuroimmuneError
from neuroimmune.io import read_observations

OUTPUTS = {"cortisol": "ug/dL", "TNF": "pg/mL", "temperature": "degC"}


def _frame(**changes):
    d = pd.DataFrame({"subject": ["2", "1", "1", "10"], "time": [1.0, 0.0, 1.0, 2.0],
                      "output": ["cortisol", "cortisol", "TNF", "temperature"],
                      "value": [276.0, 500.0, 10.0, 98.6],
                      "unit": ["nmol/L", "nmol/L", "ng/L", "degF"],
                      "sd": [27.6, 50.0, 1.0, 1.8]})
    return d.assign(**changes)


def test_units_are_converted_to_the_models():
    obs = read_observations(_frame(), OUTPUTS)
    # sorted by subject (numerically), output, time
    assert list(obs["subject"]) == ["1", "1", "2", "10"]
    assert list(obs["output"]) == ["TNF", "cortisol", "cortisol", "temperature"]
    row = obs[(obs["subject"] == "2")].iloc[0]
    # cortisol 362.46 g/mol: 276 nmol/L = 276e-9 * 362.46 g/L = 10.004 ug/dL
    assert row["value"] == pytest.approx(276e-9 * 362.46 * 1e6 / 10, rel=1e-9)
    assert row["value"] == pytest.approx(10.004, abs=1e-3)
    assert row["sd"] == pytest.approx(27.6e-9 * 362.46 * 1e5, rel=1e-9)
    assert row["unit"] == "ug/dL" and row["where"] == "row 1"
    tnf = obs[obs["output"] == "TNF"].iloc[0]
    assert tnf["value"] == pytest.approx(10.0) and tnf["sd"] == pytest.approx(1.0)  # ng/L
    assert tnf["unit"] == "pg/mL"
    temp = obs[obs["output"] == "temperature"].iloc[0]  # an offset unit: 98.6 degF = 37 degC
    assert temp["value"] == pytest.approx(37.0) and temp["sd"] == pytest.approx(1.0)


def test_sd_is_optional_per_output():
    obs = read_observations(_frame().drop(columns="sd"), OUTPUTS)
    assert obs["sd"].isna().all()
    one = read_observations(_frame(sd=[27.6, 50.0, np.nan, np.nan]), OUTPUTS)
    assert one["sd"].isna().sum() == 2


BAD = [
    (dict(unit=["nmol/L", "nmol/L", "ng/L", "blorb/L"]), "row 4, column unit",
     "pint does not know"),
    (dict(unit=["nmol/L", "1/h", "ng/L", "degF"]), "row 2, column unit", "convertible"),
    (dict(output=["cortisol", "cortisl", "TNF", "TNF"]), "row 2, column output",
     "did you mean 'cortisol'"),
    (dict(sd=[1.0, -1.0, 1.0, 1.0]), "row 2, column sd", "got -1.0"),
    (dict(value=[1.0, np.nan, 1.0, 1.0]), "row 2, column value", "empty cell"),
    (dict(value=["1", "high", "1", "1"]), "row 2, column value", "'high'"),
    (dict(time=[1.0, -1.0, 1.0, 1.0]), "row 2, column time", ">= 0"),
    (dict(subject=["a", "", "b", "c"]), "row 2, column subject", "label"),
    (dict(subject=["1"] * 4, output=["cortisol"] * 4, unit=["nmol/L"] * 4,
          sd=[1.0, np.nan, 1.0, 1.0]), "row 2, column sd", "or none"),
]


@pytest.mark.parametrize("changes,where,needle", BAD)
def test_bad_rows_are_named(changes, where, needle):
    with pytest.raises(NeuroimmuneError) as info:
        read_observations(_frame(**changes), OUTPUTS)
    message = str(info.value)
    assert where in message and needle in message and "Fix:" in message, message


def test_bad_columns_and_files(tmp_path):
    with pytest.raises(NeuroimmuneError, match="rename 'SD' to 'sd'"):
        read_observations(_frame().rename(columns={"sd": "SD"}), OUTPUTS)
    with pytest.raises(NeuroimmuneError, match="missing columns unit"):
        read_observations(_frame().drop(columns="unit"), OUTPUTS)
    with pytest.raises(NeuroimmuneError, match="at least one measurement"):
        read_observations(_frame().iloc[:0], OUTPUTS)
    with pytest.raises(NeuroimmuneError, match="an existing CSV file"):
        read_observations(tmp_path / "none.csv", OUTPUTS)
    path = tmp_path / "data.csv"  # comment and blank lines keep the line numbers right
    path.write_text("# my study\nsubject,time,output,value,unit\n\nA,1,TNF,5,pg/mL\n"
                    "# a note\nA,2,TNF,,pg/mL\n")
    with pytest.raises(NeuroimmuneError, match="line 6 of data.csv, column value"):
        read_observations(path, OUTPUTS)
    path.write_text("subject,time,output,value,unit\nA,1,TNF,5,pg/mL\n")
    assert read_observations(path, OUTPUTS)["where"].tolist() == ["line 2 of data.csv"]
