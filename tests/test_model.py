"""Model definition: validation, composition and unit checking."""

import pytest

from neuroimmune import (Input, ModelError, Module, Observable, Parameter, Species, UnitError,
                         bangsgaard_ottesen_hpa, compose, windoloski_innate)
from neuroimmune._unitcheck import check_units
from neuroimmune.model import sym


def _decay(name="m", unit_k="1/h", species="X", inputs=(), extra=0):
    x, k = sym(species), sym(f"k_{name}")
    return Module(name, (Species(species, "pg/mL", 1.0),),
                  (Parameter(f"k_{name}", 0.5, unit_k, "test"),),
                  {species: -k * x + extra}, inputs=inputs)


def test_parameter_needs_source_and_finite_value_within_bounds():
    with pytest.raises(ModelError, match="source.*Fix"):
        Parameter("k", 1.0, "1/h", "")
    with pytest.raises(ModelError, match="finite"):
        Parameter("k", float("nan"), "1/h", "x")
    with pytest.raises(ModelError, match=r"bounds \[2, 3\]"):
        Parameter("k", 1.0, "1/h", "x", bounds=(2, 3))


def test_bad_names_units_and_initial_values_are_rejected():
    with pytest.raises(ModelError, match="identifier"):
        Species("IL-6", "pg/mL", 1.0)
    with pytest.raises(UnitError, match="unit pint understands"):
        Species("X", "pg/banana", 1.0)
    with pytest.raises(ModelError, match=">= 0"):
        Species("X", "pg/mL", -1.0)


def test_undefined_symbol_names_module_and_symbol():
    with pytest.raises(ModelError, match=r"module 'bad', rate of X: undefined symbol\(s\) \['k2'\]"):
        Module("bad", (Species("X", "pg/mL", 1.0),), (), {"X": -sym("k2") * sym("X")})


def test_compose_rejects_duplicate_states_and_parameters():
    with pytest.raises(ModelError, match="species 'X' of module 'b' is already defined .* 'a'"):
        compose(_decay("a"), _decay("b"))
    a = _decay("a")
    b = Module("b", (Species("Y", "pg/mL", 1.0),), (Parameter("k_a", 1.0, "1/h", "t"),),
               {"Y": -sym("k_a") * sym("Y")})
    with pytest.raises(ModelError, match="parameter 'k_a'"):
        compose(a, b)


def test_compose_wires_inputs_and_converts_compatible_units():
    src = _decay("src", species="X")
    sink = Module("sink", (Species("Y", "pg/mL", 0.0),), (Parameter("k_y", 1.0, "1/h", "t"),),
                  {"Y": sym("k_y") * (sym("X") - sym("Y"))},
                  inputs=(Input("X", "ng/mL", 0.0),))
    m = compose(src, sink)
    assert m.inputs == ()
    # X arrives in pg/mL and is consumed in ng/mL: a factor 1e-3 is inserted
    value = m.rates["Y"].subs({sym("X"): 1000.0, sym("Y"): 0.0, sym("k_y"): 1.0})
    assert float(value) == pytest.approx(1.0)
    bad = Module("sink", (Species("Y", "pg/mL", 0.0),), (Parameter("k_y", 1.0, "1/h", "t"),),
                 {"Y": -sym("k_y") * sym("Y") * sym("X")}, inputs=(Input("X", "h", 0.0),))
    with pytest.raises(ModelError, match="consumes 'X' in h but module 'src' provides it in pg/mL"):
        compose(src, bad)


def test_unprovided_inputs_stay_signals():
    bare = compose(windoloski_innate(hooks=False), bangsgaard_ottesen_hpa(hooks=False))
    neural = {"beta2_activation", "a7_activation"}
    assert {i.name for i in bare.inputs} == {"stress", "GR_sensitivity"} | neural
    alone = windoloski_innate(hooks=False)
    assert {i.name for i in alone.inputs} == {"glucocorticoid", "GR_sensitivity"} | neural
    assert ({i.name for i in windoloski_innate(neural_coupling=False, hooks=False).inputs}
            == {"glucocorticoid", "GR_sensitivity"})
    # the hooks of docs/design/0003 stay external signals at their neutral defaults
    hooked = compose(windoloski_innate(), bangsgaard_ottesen_hpa())
    defaults = {i.name: i.default for i in hooked.inputs}
    assert defaults["PAMP"] == 0.0 and defaults["GC_exo"] == 0.0
    for name in ("sex_proinflammatory", "tolerance_TNF", "TNF_bioactive_fraction",
                 "pituitary_mass", "adrenal_mass", "sex_stress_gain", "GR_sensitivity"):
        assert defaults[name] == 1.0, name
    assert "glucocorticoid" not in defaults  # wired to the hpa observable


def test_unit_mismatch_names_module_rate_and_term():
    with pytest.raises(UnitError, match=r"module 'm', rate of X: .*factor 60"):
        check_units(_decay("m", unit_k="1/min"))
    with pytest.raises(UnitError, match=r"rate of X: term .* not compatible"):
        check_units(_decay("m", extra=sym("k_m")))


def test_observable_units_are_checked():
    x = sym("X")
    m = Module("m", (Species("X", "mg", 1.0),), (Parameter("V", 2.0, "L", "t"),), {"X": 0},
               observables=(Observable("C", "mg/mL", x / sym("V")),))
    with pytest.raises(UnitError, match="observable C"):
        check_units(m)


def test_library_modules_are_dimensionally_consistent_and_sourced():
    for module in (windoloski_innate(), bangsgaard_ottesen_hpa(),
                   compose(windoloski_innate(), bangsgaard_ottesen_hpa())):
        check_units(module)
        for p in module.parameters:
            assert p.source.strip(), p.name
            assert p.unit


def test_modules_are_immutable():
    m = windoloski_innate()
    with pytest.raises(Exception):
        m.name = "other"
    with pytest.raises(TypeError):
        m.rates["TNF"] = 0
