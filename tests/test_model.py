"""Model definition: validation, composition and unit checking."""

import dataclasses

import pytest

from neuroimmune import (
    Input,
    ModelError,
    Module,
    Observable,
    Parameter,
    Species,
    UnitError,
    compose,
    hpa,
    innate,
)
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
    with pytest.raises(ModelError,
                       match=r"module 'bad', rate of X: undefined symbol\(s\) \['k2'\]"):
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
    bare = compose(innate(hooks=False), hpa(hooks=False))
    neural = {"beta2_activation", "a7_activation"}
    assert {i.name for i in bare.inputs} == {"stress", "GR_sensitivity"} | neural
    alone = innate(hooks=False)
    assert {i.name for i in alone.inputs} == {"glucocorticoid", "GR_sensitivity"} | neural
    assert ({i.name for i in innate(neural_coupling=False, hooks=False).inputs}
            == {"glucocorticoid", "GR_sensitivity"})
    # the hooks of docs/design/0003 stay external signals at their neutral defaults
    hooked = compose(innate(), hpa())
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
    for module in (innate(), hpa(),
                   compose(innate(), hpa())):
        check_units(module)
        for p in module.parameters:
            assert p.source.strip(), p.name
            assert p.unit


def test_modules_are_immutable():
    m = innate()
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.name = "other"
    with pytest.raises(TypeError):
        m.rates["TNF"] = 0


# -- reference values tied to their owner (docs/design/0006) ----------------------------------
def _owner(ref=7.6, unit="ug/dL"):
    x = sym("C")
    return Module("owner", (Species("C", "ug/dL", ref),),
                  (Parameter("C_ref", ref, unit, "owner's reference"),
                   Parameter("k_C", 1.0, "1/h", "t")),
                  {"C": sym("k_C") * (sym("C_ref") - x)})


def _copy(name="user", unit="ug/dL", value=7.6, param="C_copy", tie="C_ref"):
    y = sym(f"Y_{name}")
    return Module(name, (Species(f"Y_{name}", "1", 1.0),),
                  (Parameter(param, value, unit, "copy of the owner's reference", tie=tie),),
                  {f"Y_{name}": sym("C") / sym(param) - y},
                  inputs=(Input("C", "ug/dL", value),))


def test_a_tied_copy_follows_its_owner_when_composed():
    user = _copy()
    # alone, the copy is an ordinary parameter with its own value
    assert user.parameter("C_copy").value == 7.6 and user.tied == ()
    m = compose(_owner().with_parameters(C_ref=11.8), user)
    assert "C_copy" not in m.parameter_names and "C_copy" not in m.owners
    assert sym("C_copy") not in m.rates["Y_user"].free_symbols
    # at the owner's (changed) reference the copy's factor is exactly 1
    rest = m.rates["Y_user"].subs({sym("C"): 11.8, sym("C_ref"): 11.8, sym("Y_user"): 1.0})
    assert float(rest) == pytest.approx(0.0, abs=1e-15)
    (tie,) = m.tied
    assert (tie.name, tie.module, tie.to, tie.owner, tie.factor) == ("C_copy", "user", "C_ref",
                                                                     "owner", 1.0)
    # the composed model says where the value went
    with pytest.raises(ModelError, match="tied to 'C_ref' of module 'owner'.*set 'C_ref'"):
        m.with_parameters(C_copy=9.0)
    with pytest.raises(KeyError, match="tied to .*C_ref"):
        m.parameter("C_copy")


def test_a_tie_without_its_owner_keeps_the_copy_and_survives_a_later_compose():
    users = compose(_copy("u1"), _copy("u2", param="C_copy2"))
    assert {"C_copy", "C_copy2"} <= set(users.parameter_names) and users.tied == ()
    m = compose(_owner(ref=5.0), users)
    assert {t.name for t in m.tied} == {"C_copy", "C_copy2"}
    assert sym("C_ref") in m.rates["Y_u2"].free_symbols
    # ties resolved in an inner compose are kept by the outer one
    outer = compose(m, _decay("z", species="Z"))
    assert {t.name for t in outer.tied} == {"C_copy", "C_copy2"}


def test_a_tie_converts_compatible_units_and_rejects_another_dimension():
    m = compose(_owner(), _copy(unit="ug/L", value=76.0))   # 1 ug/dL = 10 ug/L
    (tie,) = m.tied
    assert tie.factor == pytest.approx(10.0)
    rest = m.rates["Y_user"].subs({sym("C"): 7.6, sym("C_ref"): 7.6, sym("Y_user"): 1.0})
    # the copy's factor C / C_copy now reads C [ug/dL] / (10 C_ref [ug/L]) as before the tie
    assert float(rest) == pytest.approx(0.1 - 1.0)
    wrong = Module("user", (Species("Y_user", "1", 1.0),),
                   (Parameter("C_copy", 7.6, "h", "t", tie="C_ref"),), {"Y_user": -sym("Y_user")})
    with pytest.raises(ModelError, match="'C_copy' \\(h\\) of module 'user' is tied to "
                                         "'C_ref' \\(ug/dL\\) of module 'owner'"):
        compose(_owner(), wrong)


def test_compose_rejects_a_module_given_twice_and_bad_ties():
    with pytest.raises(ModelError, match="module 'owner' is given twice"):
        compose(_owner(), Module("owner", (Species("Z", "1", 1.0),), (), {"Z": -sym("Z")}))
    with pytest.raises(ModelError, match="tie"):
        Parameter("x", 1.0, "1", "t", tie="x")
    a = Module("a", (Species("A", "1", 1.0),), (Parameter("pa", 1.0, "1", "t", tie="pb"),),
               {"A": -sym("pa") * sym("A")})
    b = Module("b", (Species("B", "1", 1.0),), (Parameter("pb", 1.0, "1", "t", tie="pa"),),
               {"B": -sym("pb") * sym("B")})
    with pytest.raises(ModelError, match="cycle"):
        compose(a, b)
