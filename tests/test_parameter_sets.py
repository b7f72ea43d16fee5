"""The shipped calibrated parameter set: applied by scenarios, with its source; profiles as
factors on top of it; the switch to the modules' published values."""

from dataclasses import replace

import pytest

from neuroimmune import scenarios
from neuroimmune.errors import NeuroimmuneError, ScenarioError
from neuroimmune.model.library import innate
from neuroimmune.parameter_sets import calibrated_set, read_parameter_set
from neuroimmune.profiles import PROFILES, Profile
from neuroimmune.scenarios import BUILTIN, Scenario, load


def _required(ps):
    """The values every model of the standard set must have (not the optional derived rows)."""
    return {n: v for n, v in ps.values.items() if n not in ps.optional}


def _values(model, names):
    return {n: model.parameter(n).value for n in names}


def _calibrated_model(scenario):
    model = scenarios.model(scenario)
    return calibrated_set().apply(model) if scenario.calibrated else model


def test_scenarios_apply_the_shipped_set_with_its_source():
    cal = calibrated_set()
    assert len(_required(cal)) >= 10
    # applied unless a scenario says calibrated = False (APPLY_BY_DEFAULT: docs/calibration.md)
    sc = BUILTIN["lps-bolus"]
    default = scenarios.system(sc)
    for name, value in _required(cal).items():
        assert default.p0[default.parameters.index(name)] == pytest.approx(value, rel=1e-12)
    sc = replace(sc, calibrated=True)
    system = scenarios.system(sc)
    published = scenarios.model(sc)
    changed = 0
    for name, value in _required(cal).items():
        assert system.p0[system.parameters.index(name)] == pytest.approx(value, rel=1e-12)
        changed += value != pytest.approx(published.parameter(name).value, rel=1e-6)
    assert changed >= len(_required(cal)) // 2
    calibrated = cal.apply(published)
    for name in _required(cal):
        src = calibrated.parameter(name).source
        assert src.startswith("calibrated:") and "neuroimmune calibrate" in src
        assert "calibration_standard.csv" in src
    # calibrated = False: the modules' published and documented values
    raw = scenarios.system(replace(sc, calibrated=False))
    for name in _required(cal):
        assert raw.p0[raw.parameters.index(name)] == published.parameter(name).value


def test_gland_models_run_on_the_calibrated_axis_with_its_derived_references():
    """Acute and chronic scenarios run on one parameter set: hpa_glands gets the calibrated
    values and the references derived from the calibrated axis (optional rows of the file,
    recomputed here from the fitted values); without hpa_glands those rows are not applied."""
    from neuroimmune.validation.calibrate import derived_references

    cal = calibrated_set()
    assert cal.optional == {"CRH_ref", "ACTH_ref"}
    sc = BUILTIN["chronic-stress"]
    p = dict(zip(*(lambda s: (s.parameters, s.p0))(scenarios.system(sc))))
    for name, value in cal.values.items():
        assert p[name] == pytest.approx(value, rel=1e-12), name
    derived = derived_references(_required(cal))
    for name, (value, unit) in derived.items():
        assert cal.values[name] == pytest.approx(value, rel=1e-5) and cal.units[name] == unit
    standard = scenarios.system(BUILTIN["lps-bolus"])
    assert "CRH_ref" not in standard.parameters


def test_the_set_needs_the_standard_model():
    innate_only = Scenario("x", "", ("innate",), BUILTIN["lps-bolus"].protocol, 2.0, 0.5,
                           outputs=("TNF",))
    # automatic: a model without the calibrated parameters keeps its own values
    system = scenarios.system(innate_only)
    assert system.p0[system.parameters.index("kTNF")] == innate().parameter("kTNF").value
    with pytest.raises(NeuroimmuneError, match="parameter set calibration_standard.csv"):
        scenarios.system(replace(innate_only, calibrated=True))


def test_profiles_scale_the_calibrated_values():
    cal = calibrated_set()
    stressed = replace(BUILTIN["lps-bolus"], profiles=("chronic-stress",), calibrated=True)
    base_model = _calibrated_model(stressed)
    profile = PROFILES["chronic-stress"]
    pit, adr = profile.factors["a3"], profile.factors["a5"]
    assert pit > 1.01 and adr > 0  # the corticotroph mass grows under chronic stress
    model = profile.apply(base_model)
    assert model.parameter("a3").value == pytest.approx(pit * base_model.parameter("a3").value)
    if "a3" in _required(cal):
        assert model.parameter("a3").value == pytest.approx(pit * _required(cal)["a3"])
    system = scenarios.system(stressed)
    assert system.p0[system.parameters.index("a5")] == pytest.approx(
        adr * base_model.parameter("a5").value)
    # a factor profile on the published values gives the documented absolute values
    raw = PROFILES["depression-hypercortisolaemic"].apply(scenarios.model(BUILTIN["lps-bolus"]))
    assert raw.parameter("Nc").value == pytest.approx(0.7077, rel=1e-3)
    assert raw.parameter("a2").value == pytest.approx(1.3256e9, rel=1e-3)


def test_profile_factor_errors():
    with pytest.raises(ScenarioError, match="either as a value or as a factor"):
        Profile("p", "", {"a3": 1.0}, {"a3": "x"}, factors={"a3": 2.0})
    with pytest.raises(ScenarioError, match="finite numbers > 0"):
        Profile("p", "", sources={"a3": "x"}, factors={"a3": 0.0})
    with pytest.raises(ScenarioError, match="sources"):
        Profile("p", "", factors={"a3": 2.0})


def test_toml_calibrated_switch(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('calibrated = false\n[[events]]\ntype = "lps_bolus"\ndose = "2 ng/kg"\n'
                    'time = "0 h"\n')
    sc = load(path)
    assert sc.calibrated is False
    system = scenarios.system(sc)
    name = next(iter(_required(calibrated_set())))
    assert system.p0[system.parameters.index(name)] == scenarios.model(sc).parameter(name).value
    path.write_text('calibrated = "yes"\n')
    with pytest.raises(ScenarioError, match="calibrated.*true or false"):
        load(path)


def test_read_parameter_set_errors(tmp_path):
    with pytest.raises(NeuroimmuneError, match="calibration file"):
        read_parameter_set(tmp_path / "none.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,value,unit,previous_value,lower,upper\na1,-1,1,1,0,2\n")
    with pytest.raises(NeuroimmuneError, match="values"):
        read_parameter_set(bad)


def test_with_parameters_keeps_bounds_inside_and_sets_sources():
    m = innate()
    p = m.parameter("kTNF")
    inside = m.with_parameters({"kTNF": "calibrated: test"}, kTNF=p.value * 2)
    assert inside.parameter("kTNF").bounds == p.bounds
    assert inside.parameter("kTNF").source == "calibrated: test"
    outside = m.with_parameters(kTNF=p.bounds[1] * 2)
    assert outside.parameter("kTNF").bounds is None
    assert outside.parameter("kTNF").source == p.source


# -- a parameter set the user chooses --------------------------------------------------------
def _write_set(path, rows, header="# test set\n"):
    path.write_text(header + "name,value,unit\n" + "".join(f"{n},{v},{u}\n" for n, v, u in rows))
    return path


def test_a_chosen_parameter_set_is_applied_after_the_shipped_one_in_its_unit(tmp_path):
    path = _write_set(tmp_path / "mine.csv", [("kTNF", 0.03, "1/min")])
    sc = BUILTIN["lps-bolus"]
    shipped = scenarios.system(sc)
    mine = scenarios.system(sc, path)
    p = dict(zip(mine.parameters, mine.p0))
    assert p["kTNF"] == pytest.approx(1.8)  # 0.03 per minute = 1.8 per hour
    for name in _required(calibrated_set()):  # the shipped set still applies
        if name != "kTNF":
            assert p[name] == shipped.p0[shipped.parameters.index(name)]
    assert "mine.csv" in mine.model.parameter("kTNF").source


@pytest.mark.parametrize("rows, needles", [
    ([("no_such", 1.0, "1/h")], ["mine.csv", "no_such"]),
    ([("kTNF", 1.0, "mg")], ["kTNF", "mg", "1/h"]),
])
def test_a_chosen_set_that_does_not_fit_the_model_is_an_error(tmp_path, rows, needles):
    path = _write_set(tmp_path / "mine.csv", rows)
    with pytest.raises(NeuroimmuneError, match="Fix:") as e:
        scenarios.system(BUILTIN["lps-bolus"], path)
    for n in needles:
        assert n in str(e.value)


@pytest.mark.parametrize("content", [b"\xff\xfe\x00binary", b"name,value\nkTNF,1\n",
                                     b"name,value,unit\nkTNF,abc,1/h\n", b""])
def test_an_unreadable_parameter_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(NeuroimmuneError, match="bad.csv.*Fix:"):
        read_parameter_set(path)


def test_cli_simulate_takes_a_parameter_file(tmp_path):
    from typer.testing import CliRunner

    from neuroimmune.cli import app
    from neuroimmune.io import read_csv

    path = _write_set(tmp_path / "fast.csv", [("kTNF", 3.0, "1/h")])
    runs = {}
    for label, extra in (("shipped", []), ("fast", ["--parameters", str(path)])):
        out = tmp_path / f"{label}.csv"
        result = CliRunner().invoke(app, ["simulate", "lps-bolus", "--out", str(out), *extra])
        assert result.exit_code == 0, (result.stdout, result.stderr)
        runs[label] = read_csv(out)
    # faster TNF clearance: a lower TNF peak
    assert runs["fast"]["TNF"].max() < 0.8 * runs["shipped"]["TNF"].max()
