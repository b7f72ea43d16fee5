"""The shipped calibrated parameter set: applied by scenarios, with its source; profiles as
factors on top of it; the switch to the modules' published values."""

from dataclasses import replace

import pytest

from neuroimmune.errors import NeuroimmuneError, ScenarioError
from neuroimmune.model.library import innate
from neuroimmune.parameter_sets import calibrated_set, read_parameter_set
from neuroimmune.profiles import PROFILES, Profile
from neuroimmune.scenarios import BUILTIN, Scenario, from_toml


def _values(model, names):
    return {n: model.parameter(n).value for n in names}


def _calibrated_model(scenario):
    model = scenario.model()
    return calibrated_set().apply(model) if scenario.calibrated else model


def test_scenarios_apply_the_shipped_set_with_its_source():
    cal = calibrated_set()
    assert len(cal.values) >= 10
    # applied unless a scenario says calibrated = False (APPLY_BY_DEFAULT: docs/calibration.md)
    sc = BUILTIN["lps-bolus"]
    default = sc.system()
    for name, value in cal.values.items():
        assert default.p0[default.parameters.index(name)] == pytest.approx(value, rel=1e-12)
    sc = replace(sc, calibrated=True)
    system = sc.system()
    published = sc.model()
    changed = 0
    for name, value in cal.values.items():
        assert system.p0[system.parameters.index(name)] == pytest.approx(value, rel=1e-12)
        changed += value != pytest.approx(published.parameter(name).value, rel=1e-6)
    assert changed >= len(cal.values) // 2
    calibrated = cal.apply(published)
    for name in cal.values:
        src = calibrated.parameter(name).source
        assert src.startswith("calibrated:") and "neuroimmune calibrate" in src
        assert "calibration_standard.csv" in src
    # calibrated = False: the modules' published and documented values
    raw = replace(sc, calibrated=False).system()
    for name in cal.values:
        assert raw.p0[raw.parameters.index(name)] == published.parameter(name).value


def test_gland_models_keep_the_published_axis():
    """hpa_glands normalises the gland masses to the published axis's 24-h mean CRH and ACTH, so
    its scenarios keep the published values; asking for the set there is an error."""
    sc = BUILTIN["chronic-stress"]
    system = sc.system()
    for name in calibrated_set().values:
        assert system.p0[system.parameters.index(name)] == sc.model().parameter(name).value
    with pytest.raises(NeuroimmuneError, match="CRH_ref"):
        replace(sc, calibrated=True).system()


def test_the_set_needs_the_standard_model():
    innate_only = Scenario("x", "", ("innate",), BUILTIN["lps-bolus"].protocol, 2.0, 0.5,
                           outputs=("TNF",))
    # automatic: a model without the calibrated parameters keeps its own values
    system = innate_only.system()
    assert system.p0[system.parameters.index("kTNF")] == innate().parameter("kTNF").value
    with pytest.raises(NeuroimmuneError, match="calibrated parameter set"):
        replace(innate_only, calibrated=True).system()


def test_profiles_scale_the_calibrated_values():
    cal = calibrated_set()
    stressed = replace(BUILTIN["lps-bolus"], profile="chronic-stress", calibrated=True)
    base_model = _calibrated_model(stressed)
    profile = PROFILES["chronic-stress"]
    pit, adr = profile.factors["a3"], profile.factors["a5"]
    assert pit > 1.01 and adr > 1.01
    model = profile.apply(base_model)
    assert model.parameter("a3").value == pytest.approx(pit * base_model.parameter("a3").value)
    if "a3" in cal.values:
        assert model.parameter("a3").value == pytest.approx(pit * cal.values["a3"])
    system = stressed.system()
    assert system.p0[system.parameters.index("a5")] == pytest.approx(
        adr * base_model.parameter("a5").value)
    # a factor profile on the published values gives the documented absolute values
    raw = PROFILES["depression-hypercortisolaemic"].apply(BUILTIN["lps-bolus"].model())
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
    sc = from_toml(path)
    assert sc.calibrated is False
    system = sc.system()
    name = next(iter(calibrated_set().values))
    assert system.p0[system.parameters.index(name)] == sc.model().parameter(name).value
    path.write_text('calibrated = "yes"\n')
    with pytest.raises(ScenarioError, match="calibrated.*true or false"):
        from_toml(path)


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
