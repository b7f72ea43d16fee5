"""Dimensional analysis of sympy rate laws with pint (used by the compiler)."""

from __future__ import annotations

import sympy as sp
from pint.util import UnitsContainer

from .errors import UnitError
from .model.core import TIME_UNIT, Module
from .units import ureg

_DIMENSIONLESS_FUNCS = (sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.tanh, sp.sinh, sp.cosh,
                        sp.atan, sp.erf)


def _clean(q):
    """Round float exponents (x**3.68 / x**3.68 leaves 1e-16 behind) so units compare exactly."""
    units = {}
    for name, power in q.units._units.items():
        p = round(float(power), 9)
        if p != 0:
            units[name] = int(p) if p.is_integer() else p
    return ureg.Quantity(q.magnitude, UnitsContainer(units))


def _quantity(unit: str):
    """1 of `unit`; offset temperatures count as their differences (rate laws only ever add,
    subtract and scale temperatures, so the offset cannot matter for dimensions or scale)."""
    if "delta_" not in unit:
        unit = unit.replace("degC", "delta_degC").replace("degF", "delta_degF")
    return ureg.Quantity(1.0, unit)


class _Checker:
    def __init__(self, module: Module, where: str):
        self.where = where
        self.units = {}
        self.values = {}
        for group in (module.species, module.parameters, module.inputs, module.observables):
            for item in group:
                self.units[item.symbol] = _quantity(item.unit)
        for p in module.parameters:
            self.values[p.symbol] = sp.Float(p.value)
        for name in ("t", "clock"):
            self.units[sp.Symbol(name, real=True)] = ureg.Quantity(1.0, TIME_UNIT)

    def fail(self, term: sp.Expr, msg: str):
        raise UnitError(f"{self.where}: term `{term}` {msg}. Fix: make every term of a sum "
                        "share one unit and give the rate in <species unit>/h")

    def same(self, a, b, term, what):
        try:
            factor = float(b.to(a.units).magnitude) / float(a.magnitude)
        except Exception:
            self.fail(term, f"{what}: {b.units:~} is not compatible with {a.units:~}")
        if abs(factor - 1.0) > 1e-9:
            self.fail(term, f"{what}: {b.units:~} and {a.units:~} differ by a factor {factor:g}")

    def dimensionless(self, q, term, what):
        if not q.dimensionless:
            self.fail(term, f"{what} must be dimensionless but has unit {q.units:~}")
        return ureg.Quantity(1.0, "")

    def unit(self, e: sp.Expr):
        if e.is_Symbol:
            return self.units[e]
        if e.is_Number or e in (sp.pi, sp.E):
            return ureg.Quantity(1.0, "")
        if isinstance(e, sp.Add):
            first = self.unit(e.args[0])
            for a in e.args[1:]:
                self.same(first, self.unit(a), e, f"terms `{e.args[0]}` and `{a}`")
            return first
        if isinstance(e, sp.Mul):
            q = ureg.Quantity(1.0, "")
            for a in e.args:
                q = q * self.unit(a)
            return _clean(q)
        if isinstance(e, sp.Pow):
            base, ex = e.args
            self.dimensionless(self.unit(ex), e, "the exponent")
            qb = self.unit(base)
            if qb.dimensionless:
                return ureg.Quantity(1.0, "")
            value = ex.xreplace(self.values)
            if not value.is_Number:
                self.fail(e, "raises a quantity with a unit to a non-constant power")
            return _clean(qb ** round(float(value), 9))
        if isinstance(e, _DIMENSIONLESS_FUNCS):
            self.dimensionless(self.unit(e.args[0]), e, "the argument")
            return ureg.Quantity(1.0, "")
        if isinstance(e, (sp.Abs, sp.floor, sp.ceiling)):
            return self.unit(e.args[0])
        if isinstance(e, (sp.Max, sp.Min, sp.Mod)):
            first = self.unit(e.args[0])
            for a in e.args[1:]:
                self.same(first, self.unit(a), e, "the arguments")
            return first
        if isinstance(e, sp.Heaviside):
            return ureg.Quantity(1.0, "")
        if isinstance(e, sp.Piecewise):
            first = self.unit(e.args[0][0])
            for expr, _cond in e.args[1:]:
                self.same(first, self.unit(expr), e, "the branches")
            return first
        self.fail(e, f"uses {type(e).__name__}, which the unit checker does not know")


def check_units(module: Module) -> None:
    """Raise UnitError naming the module, the rate and the offending term if a rate law (or an
    observable) is dimensionally inconsistent with its declared unit."""
    for s in module.species:
        if s.name not in module.rates:
            continue
        where = f"module {module.name!r}, rate of {s.name}"
        c = _Checker(module, where)
        got = c.unit(module.rates[s.name])
        if module.rates[s.name] == 0:
            continue
        expected = _quantity(s.unit) / ureg.Quantity(1.0, TIME_UNIT)
        try:
            factor = float(got.to(expected.units).magnitude)
        except Exception:
            raise UnitError(f"{where}: the rate has unit {got.units:~} but must be "
                            f"{expected.units:~} ({s.unit} per {TIME_UNIT}). Fix: check the units "
                            "of its parameters") from None
        if abs(factor - 1.0) > 1e-9:
            raise UnitError(f"{where}: the rate is in {got.units:~}, a factor {factor:g} away from "
                            f"{expected.units:~}. Fix: convert the rate constants to per-hour "
                            "units")
    for o in module.observables:
        where = f"module {module.name!r}, observable {o.name}"
        c = _Checker(module, where)
        got = c.unit(o.expr)
        c.same(_quantity(o.unit), got, o.expr, "the declared unit vs the expression")
