"""Reference operating points have one owner (docs/design/0006).

Every library module that composes with the standard model is composed with *changed* upstream
references (innate: cortisol_ref, wTNF, w6, w10; innate_extra: w_IL1b, TGFb0); every module that
copies one of them must then be at rest at the new reference exactly as it is, alone, at its own
default reference. A guard checks that no library file other than the owner writes the owner's
number as a literal.
"""

import ast
from pathlib import Path

import pytest

from neuroimmune.model import compose, sym
from neuroimmune.model.library import BY_NAME, REPLACES
from neuroimmune.model.library.innate import CORTISOL_REF, IL6_REST, IL10_REST, TNF_REST
from neuroimmune.model.library.innate_extra import IL1B_REST

LIBRARY = Path(__import__("neuroimmune.model.library", fromlist=["_common"]).__file__).parent
#: Changed references of the owners (not their defaults).
CHANGED = {"innate": {"cortisol_ref": 11.8, "wTNF": 12.0, "w6": 1.3, "w10": 5.0},
           "innate_extra": {"w_IL1b": 10.0, "TGFb0": 9.5},
           "hpa": {"CBG_capacity": 800.0, "Kd_CBG": 35.0, "albumin_ratio": 4.0},
           "fever": {"GC_COX2_fever_ref": 0.9}}
#: The messenger each owned reference is the resting level of.
MESSENGER = {"cortisol_ref": "glucocorticoid", "wTNF": "TNF", "w6": "IL6", "w10": "IL10",
             "w_IL1b": "IL1b", "TGFb0": "TGFb"}
#: Every copy of an owned reference in the library: (module, parameter) -> owner's parameter.
COPIES = {("fever", "s_TNF"): "wTNF", ("fever", "s_6"): "w6", ("fever", "s_10"): "w10",
          ("autonomic", "TNF_ref"): "wTNF", ("gonadal", "TNF_ref_HPG"): "wTNF",
          ("tissue", "IL10_ref"): "w10", ("tissue", "TGFb_ref"): "TGFb0",
          ("tissue", "GC_ref"): "cortisol_ref", ("innate_extra", "GC_ref_extra"): "cortisol_ref",
          ("brain_signalling", "TNF_base_bs"): "wTNF",
          ("brain_signalling", "IL6_base_bs"): "w6",
          ("brain_signalling", "IL1b_base_bs"): "w_IL1b",
          # the glucocorticoid factor on induced COX-2 at the nominal LPS response (0030)
          ("brain_signalling", "GC_COX2_ref_bs"): "GC_COX2_fever_ref",
          ("acute_phase", "IL6_ref_CRP"): "w6",
          # the innate module's copy of the hpa binding law (free glucocorticoid, issue #17)
          ("innate", "CBG_capacity_mono"): "CBG_capacity", ("innate", "Kd_CBG_mono"): "Kd_CBG",
          ("innate", "albumin_ratio_mono"): "albumin_ratio",
          # prednisolone binds the same CBG sites (docs/design/0019)
          ("glucocorticoids", "CBG_capacity_pred"): "CBG_capacity",
          # the catecholamine rhythm has the temperature rhythm's day (0042): LAW_CONSTANTS
          ("autonomic", "ANS_circ_period"): "T_circ_period"}
#: Owned constants of a law, not resting levels: changing one changes the owner's own rates, so
#: the rest-at-the-changed-reference tests leave them at their values.
LAW_CONSTANTS = {"T_circ_period"}
#: Species that copy a messenger at rest (gonadal's effect compartment of plasma TNF).
COPY_SPECIES = {"TNF_HPG": "wTNF"}


def _composable():
    """Every library module that composes with the standard model (alternatives of hpa left
    out), the owners with their changed references."""
    modules = []
    for name, factory in BY_NAME.items():
        if name in REPLACES:
            continue
        m = factory()
        modules.append(m.with_parameters(**CHANGED[name]) if name in CHANGED else m)
    return modules


@pytest.fixture(scope="module")
def full():
    modules = _composable()
    return modules, compose(*modules, name="all")


def _ties(module):
    return {p.name: p.tie for p in module.parameters if p.tie}


def test_every_copy_is_tied_to_a_parameter_of_its_owner(full):
    modules, model = full
    copies = {(m.name, n): to for m in modules for n, to in _ties(m).items()}
    assert copies == COPIES
    assert {(t.module, t.name): t.to for t in model.tied} == COPIES
    owners = {"cortisol_ref": "innate", "wTNF": "innate", "w6": "innate", "w10": "innate",
              "w_IL1b": "innate_extra", "TGFb0": "innate_extra", "CBG_capacity": "hpa",
              "Kd_CBG": "hpa", "albumin_ratio": "hpa", "GC_COX2_fever_ref": "fever",
              "T_circ_period": "fever"}
    for t in model.tied:
        assert t.owner == owners[t.to] and t.factor == 1.0
        assert t.name not in model.parameter_names


def test_no_expression_keeps_a_tied_symbol_and_the_owner_symbol_takes_its_place(full):
    modules, model = full
    for m in modules:
        for name, to in _ties(m).items():
            used_by = [k for k, v in m.rates.items() if sym(name) in v.free_symbols]
            used_by += [o.name for o in m.observables if sym(name) in o.expr.free_symbols]
            assert used_by, f"{m.name}.{name} is used nowhere"
            for where in used_by:
                expr = (model.rates[where] if where in model.rates
                        else next(o.expr for o in model.observables if o.name == where))
                assert sym(name) not in expr.free_symbols, (m.name, name, where)
                assert sym(to) in expr.free_symbols, (m.name, name, where)


def _evaluate(expr, params, values):
    value = expr.xreplace({sym(k): v for k, v in {**values, **params}.items()})
    assert not value.free_symbols, f"unset symbols {value.free_symbols}"
    return float(value)


def _values(module, shifted=None, away=0.0):
    """Species at their initial values + `away`, inputs at their defaults; the messengers of
    `shifted` ({owner parameter: value}) and their copies at the given value."""
    values = {s.name: s.initial + away for s in module.species}
    values.update({i.name: i.default for i in module.inputs})
    values["clock"] = 8.0   # rhythms of clock time (fever's temperature rhythm), same in both
    for owned, value in (shifted or {}).items():
        if owned not in MESSENGER:   # a constant of a law (plasma binding), not a resting level
            continue
        values[MESSENGER[owned]] = value
        values.update({s: value for s, o in COPY_SPECIES.items() if o == owned and s in values})
    return values


def _inline(expr, module, names):
    """`expr` with the observables `names` it refers to replaced by their expressions in
    `module`."""
    obs = {o.symbol: o.expr for o in module.observables if o.name in names}
    for _ in range(len(obs) + 1):
        if not expr.free_symbols & obs.keys():
            break
        expr = expr.xreplace(obs)
    return expr


def _pairs(module, model):
    """(name, expression alone, expression in the composed model) of the module's rates and
    observables, observables they refer to inlined (glucocorticoids' GC_exo reads one)."""
    pairs = [(k, v, model.rates[k]) for k, v in module.rates.items()]
    pairs += [(o.name, o.expr, next(c.expr for c in model.observables if c.name == o.name))
              for o in module.observables]
    own = {o.name for o in module.observables}
    return [(n, _inline(a, module, own), _inline(c, model, own)) for n, a, c in pairs]


def _copiers(modules):
    changed = {k: v for group in CHANGED.values() for k, v in group.items()}
    for m in modules:
        copies = {name: to for (module, name), to in COPIES.items() if module == m.name}
        if copies:
            # a copier that also owns references (innate) rests at its own changed ones too
            yield m, copies, ({to: changed[to] for to in copies.values()
                               if to not in LAW_CONSTANTS} | CHANGED.get(m.name, {}))


def test_downstream_modules_rest_at_the_changed_reference_as_alone_at_the_default(full):
    """With the owners' references changed, each module that copies them is, with its inputs at
    the new references, where it is alone with its inputs at its own defaults: every normalised
    factor is 1 at the changed value, not at the old literal."""
    modules, model = full
    composed = {p.name: p.value for p in model.parameters}
    checked = 0
    for m, _, shifted in _copiers(modules):
        # alone means the module as its factory builds it: a copier that also owns references
        # (innate) is compared with its own defaults, not with its changed references
        default = BY_NAME[m.name]()
        alone = {p.name: p.value for p in default.parameters}
        for name, expr_alone, expr_composed in _pairs(m, model):
            a = _evaluate(expr_alone, alone, _values(default))
            c = _evaluate(expr_composed, composed, _values(m, shifted))
            assert c == pytest.approx(a, rel=1e-12, abs=1e-12), (m.name, name)
            checked += 1
    assert checked > 30


def test_downstream_expressions_equal_the_module_with_the_owners_values_copied_by_hand(full):
    """Away from rest too, every rate and observable of a copying module in the composed model
    equals the module alone with each copy set by hand to its owner's changed value."""
    modules, model = full
    composed = {p.name: p.value for p in model.parameters}
    for m, copies, shifted in _copiers(modules):
        by_hand = {p.name: p.value for p in m.parameters}
        by_hand.update({name: shifted[to] for name, to in copies.items()
                        if to not in LAW_CONSTANTS})
        values = _values(m, shifted, away=1.0)
        for name, expr_alone, expr_composed in _pairs(m, model):
            a = _evaluate(expr_alone, by_hand, values)
            c = _evaluate(expr_composed, composed, values)
            assert c == pytest.approx(a, rel=1e-12, abs=1e-12), (m.name, name)


def test_the_default_owner_values_equal_the_standalone_copies():
    """Composed with the owners' defaults the tie changes no number (standard model unchanged)."""
    modules = [f() for n, f in BY_NAME.items() if n not in REPLACES]
    owned = {p.name: p.value for m in modules for p in m.parameters}
    for m in modules:
        for p in m.parameters:
            if p.tie:
                assert p.value == owned[p.tie], (m.name, p.name)


#: Reference values and the file that owns each (the number may be written there only).
OWNED = {TNF_REST: "innate.py", IL6_REST: "innate.py", IL10_REST: "innate.py",
         CORTISOL_REF: "innate.py", IL1B_REST: "innate_extra.py"}


def test_no_library_file_writes_an_owned_reference_as_a_literal():
    offenders = []
    for path in sorted(LIBRARY.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Constant) and isinstance(node.value, float)
                    and node.value in OWNED and OWNED[node.value] != path.name):
                offenders.append(f"{path.name}:{node.lineno} {node.value}")
    assert not offenders, ("import the constant from its owner (docs/design/0006): "
                           + ", ".join(offenders))
