"""SBML Level 3 Version 2 export of a model, so any SBML engine (libRoadRunner, COPASI) can
reproduce our trajectories.

Each state is a species in a unit-volume compartment with `hasOnlySubstanceUnits` and a rate rule;
parameters and unconnected inputs are global parameters; observables are assignment rules.
The clock time is an assignment rule `clock = mod(time + clock_start, 24)` written with `floor`,
so the exported model needs only core MathML. Protocol events are not exported: set initial
values (e.g. an LPS bolus at t = 0) on the loaded model.
"""

from __future__ import annotations

from pathlib import Path

import sympy as sp
from sympy.printing.str import StrPrinter

from .._version import __version__
from ..atomic import atomic_write_text
from ..errors import ModelError, problem, require
from ..model.core import Module

_TIME = "time"


class _SBMLPrinter(StrPrinter):
    """sympy -> SBML L3 infix (libsbml.parseL3Formula)."""

    def _print_Symbol(self, expr):
        return _TIME if expr.name == "t" else expr.name

    def _print_Pow(self, expr, rational=False):
        base, ex = expr.args
        if ex == -1:
            return f"(1 / ({self._print(base)}))"
        if ex == sp.Rational(1, 2):
            return f"sqrt({self._print(base)})"
        return f"pow({self._print(base)}, {self._print(ex)})"

    def _print_Piecewise(self, expr):
        parts = []
        for value, cond in expr.args:
            parts.append(self._print(value))
            if cond != sp.true:
                parts.append(self._print(cond))
        return f"piecewise({', '.join(parts)})"

    def _print_Mod(self, expr):
        a, b = (self._print(x) for x in expr.args)
        return f"(({a}) - ({b}) * floor(({a}) / ({b})))"

    def _print_Float(self, expr):
        return repr(float(expr))

    def _print_Rational(self, expr):
        return f"({expr.p} / {expr.q})"

    def _print_Exp1(self, expr):
        return "exponentiale"

    def _print_Pi(self, expr):
        return "pi"

    def _print_Function(self, expr):
        name = {"exp": "exp", "log": "ln", "Abs": "abs", "floor": "floor", "Max": "max",
                "Min": "min", "tanh": "tanh", "sin": "sin", "cos": "cos"}.get(type(expr).__name__)
        if name is None:
            raise ModelError(problem("SBML export", "functions supported by SBML",
                                     type(expr).__name__, "rewrite the rate law"))
        return f"{name}({', '.join(self._print(a) for a in expr.args)})"

    _print_exp = _print_log = _print_Abs = _print_floor = _print_Max = _print_Min = _print_Function


def to_sbml(model: Module, *, clock_start: float = 8.0) -> str:
    """The model as an SBML L3V2 document (a string); needs the 'sbml' extra."""
    libsbml = require("libsbml", "sbml", "SBML export", "python-libsbml")

    doc = libsbml.SBMLDocument(3, 2)
    m = doc.createModel()
    m.setId(_sid(model.name))
    m.setName(model.name)
    notes = (f"Exported by neuroimmune {__version__}. Sources: {model.citation}. Time in hours.")
    m.setNotes(f'<body xmlns="http://www.w3.org/1999/xhtml"><p>{_xml(notes)}</p></body>')
    comp = m.createCompartment()
    _check(comp.setId("body"))
    comp.setConstant(True)
    comp.setSize(1.0)
    comp.setSpatialDimensions(3)
    printer = _SBMLPrinter()

    def add_parameter(name, value, constant=True):
        p = m.createParameter()
        _check(p.setId(name))
        p.setValue(float(value))
        p.setConstant(constant)

    for p in model.parameters:
        add_parameter(p.name, p.value)
    for i in model.inputs:
        add_parameter(i.name, i.default)
    add_parameter("clock_start", clock_start)
    add_parameter("clock", clock_start, constant=False)
    rule = m.createAssignmentRule()
    rule.setVariable("clock")
    rule.setMath(_math("(time + clock_start) - 24 * floor((time + clock_start) / 24)"))
    for o in model.observables:
        add_parameter(o.name, 0.0, constant=False)
        rule = m.createAssignmentRule()
        rule.setVariable(o.name)
        rule.setMath(_math(printer.doprint(o.expr)))
    for s in model.species:
        sp_ = m.createSpecies()
        _check(sp_.setId(s.name))
        sp_.setName(s.description or s.name)
        sp_.setCompartment("body")
        sp_.setInitialAmount(float(s.initial))
        sp_.setHasOnlySubstanceUnits(True)
        sp_.setBoundaryCondition(False)
        sp_.setConstant(False)
        rate = model.rates.get(s.name)
        if rate is not None:
            rr = m.createRateRule()
            rr.setVariable(s.name)
            rr.setMath(_math(printer.doprint(rate)))
    errors = doc.checkInternalConsistency()
    if errors:
        raise ModelError(f"SBML export of {model.name!r} is inconsistent: "
                         f"{doc.getErrorLog().toString()}. Fix: report this as a bug")
    return libsbml.writeSBMLToString(doc)


def write_sbml(model: Module, path: str | Path, *, clock_start: float = 8.0) -> Path:
    path = Path(path)
    atomic_write_text(path, to_sbml(model, clock_start=clock_start))
    return path


def _math(formula: str):
    import libsbml

    ast = libsbml.parseL3Formula(formula)
    if ast is None:
        raise ModelError(f"SBML export: could not parse `{formula}` "
                         f"({libsbml.getLastParseL3Error()}). Fix: report this as a bug")
    return ast


def _check(code: int) -> None:
    import libsbml

    if code != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise ModelError(f"SBML export failed with libsbml code {code}. Fix: check the names")


def _sid(name: str) -> str:
    out = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    return out if out[:1].isalpha() else f"m_{out}"


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
