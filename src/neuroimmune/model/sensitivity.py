"""Forward sensitivity equations, generated symbolically: `sensitivity_model(model, names)` is a
Module whose states are the model's states y plus their derivatives S = dy/dp for each named
parameter p, with

    dS/dt = (df/dy) S + df/dp,   S(0) = 0

(the species' initial values are numbers, not functions of parameters). Observables get their
derivatives too: do/dp = (do/dy) S + do/dp. Compiled by the same compiler, it runs on the same
batch solver, through the same protocols and pre-equilibration, so dy(t)/dp comes out at the
output times like any other variable. The estimation engine uses it for the Jacobian of
residuals instead of finite differences (docs/design/0007-estimation-engine.md).

Names: the derivative of `x` with respect to `p` is ``d_x__d_p`` (see `sensitivity_name`).
"""

from __future__ import annotations

from typing import Sequence

import sympy as sp

from ..errors import ModelError, problem
from .core import Module, Observable, Species, inline_observables


def sensitivity_name(variable: str, parameter: str) -> str:
    """The model variable holding d variable / d parameter."""
    return f"d_{variable}__d_{parameter}"


def _mod_slope(e) -> bool:
    """Subs(Derivative(Mod(x, period), x), x, value): the slope of a clock phase, 1."""
    return (isinstance(e, sp.Subs) and isinstance(e.expr, sp.Derivative)
            and isinstance(e.expr.expr, sp.Mod) and e.expr.variables == (e.expr.expr.args[0],))


def _smooth(expr: sp.Expr) -> sp.Expr:
    """Derivatives of min/max/abs/piecewise/mod rates: Heaviside(x) as a step, DiracDelta as 0
    (a set of measure zero along a trajectory), d Mod(x, period) / dx as 1 (away from the
    wrap)."""
    if expr.has(sp.Subs):
        expr = expr.replace(_mod_slope, lambda e: sp.Integer(1))
    if expr.has(sp.DiracDelta):
        expr = expr.replace(sp.DiracDelta, lambda *a: sp.Integer(0))
    if expr.has(sp.Heaviside):
        expr = expr.replace(sp.Heaviside, lambda x, *a: sp.Piecewise((1, x > 0), (0, True)))
    if expr.has(sp.sign):
        expr = expr.replace(sp.sign, lambda x: sp.Piecewise((1, x > 0), (-1, x < 0), (0, True)))
    return expr


def sensitivity_names(model: Module, parameters: Sequence[str]) -> tuple[str, ...]:
    """`parameters` without repeats, checked to be free (non-constant) parameters of `model`."""
    free = {p.name for p in model.parameters if not p.constant}
    names = tuple(dict.fromkeys(parameters))
    bad = [n for n in names if n not in free]
    if bad or not names:
        raise ModelError(problem("sensitivity parameters", "names of free (non-constant) "
                                 f"parameters of model {model.name!r}", bad or list(names),
                                 "pick from `neuroimmune model --json` (constants cannot vary)"))
    return names


def _declared(model: Module, names: Sequence[str]):
    """The species and observables of the sensitivity model, without their expressions."""
    units = {p.name: p.unit for p in model.parameters}
    species = [Species(sensitivity_name(s.name, n), f"({s.unit}) / ({units[n]})", 0.0,
                       f"d {s.name} / d {n} (forward sensitivity)", nonnegative=False)
               for n in names for s in model.species]
    observables = [(sensitivity_name(o.name, n), f"({o.unit}) / ({units[n]})",
                    f"d {o.name} / d {n} (forward sensitivity)")
                   for n in names for o in model.observables]
    return species, observables


def sensitivity_shell(model: Module, parameters: Sequence[str]) -> Module:
    """The names, units and initial values of `sensitivity_model(model, parameters)` without its
    rate laws (cheap): what a compiled system needs besides kernels taken from the cache."""
    names = sensitivity_names(model, parameters)
    species, observables = _declared(model, names)
    return Module(f"{model.name}__sens", model.species + tuple(species), model.parameters, {},
                  inputs=model.inputs, observables=model.observables + tuple(
                      Observable(n, u, sp.Integer(0), d) for n, u, d in observables),
                  description=f"{model.description} with forward sensitivities to "
                              f"{', '.join(names)}", citation=model.citation, parts=model.parts,
                  owners={**model.owners}, tied=model.tied)


def sensitivity_model(model: Module, parameters: Sequence[str]) -> Module:
    """`model` extended by the forward sensitivities of every state and observable with respect
    to `parameters` (free, i.e. non-constant, parameters of the model)."""
    names = sensitivity_names(model, parameters)
    free = {p.name: p for p in model.parameters if not p.constant}
    ys = [s.symbol for s in model.species]
    # as the compiler does for its Jacobian: (a*x)**e -> a**e * x**e first, and powsimp after,
    # so that no derivative divides by a state that is zero (x**e / x at x = 0)
    rates = [sp.expand_power_base(inline_observables(model, model.rates.get(s.name, sp.Integer(0))),
                                  force=True) for s in model.species]
    jac = sp.Matrix(rates).jacobian(ys).applyfunc(sp.powsimp)
    new_species, declared = _declared(model, names)
    new_rates = dict(model.rates)
    exprs = []
    for name in names:
        p = free[name]
        s_sym = [sp.Symbol(sensitivity_name(s.name, name), real=True) for s in model.species]
        for i, s in enumerate(model.species):
            term = sum((jac[i, k] * s_sym[k] for k in range(len(ys)) if jac[i, k] != 0),
                       sp.Integer(0))
            new_rates[sensitivity_name(s.name, name)] = _smooth(
                term + sp.powsimp(sp.diff(rates[i], p.symbol)))
        for o in model.observables:
            e = sp.expand_power_base(inline_observables(model, o.expr), force=True)
            d = sum((sp.powsimp(sp.diff(e, y)) * s for y, s in zip(ys, s_sym)), sp.Integer(0))
            exprs.append(_smooth(d + sp.powsimp(sp.diff(e, p.symbol))))
    left = [k for k, e in [*new_rates.items(), *((n, e) for (n, _, _), e in zip(declared, exprs))]
            if e.has(sp.Derivative) or e.has(sp.Subs)]
    if left:
        raise ModelError(problem("sensitivity parameters", "parameters whose rate laws sympy "
                                 "can differentiate", list(names), f"{left[0]} "
                                 "keeps an unevaluated derivative; leave such a parameter out"))
    observables = model.observables + tuple(Observable(n, u, e, d) for (n, u, d), e
                                            in zip(declared, exprs))
    return Module(f"{model.name}__sens", model.species + tuple(new_species), model.parameters,
                  new_rates,
                  inputs=model.inputs, observables=observables,
                  description=f"{model.description} with forward sensitivities to "
                              f"{', '.join(names)}", citation=model.citation, parts=model.parts,
                  owners={**model.owners}, tied=model.tied)
