"""Model building blocks: Species, Parameter, Input, Observable, Module and compose().

Everything is an immutable value. Rate laws are sympy expressions over symbols named after the
species, parameters, inputs and observables of the module, plus two reserved symbols:
``t`` (hours since the start of the simulation) and ``clock`` (clock time in hours, 0-24).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Iterable, Mapping

import sympy as sp

from ..errors import ModelError, problem
from ..units import conversion_factor, parse_unit

#: Model time unit: every rate is per hour.
TIME_UNIT = "h"
T = sp.Symbol("t", real=True)
CLOCK = sp.Symbol("clock", real=True)
RESERVED = {"t": T, "clock": CLOCK}


def sym(name: str) -> sp.Symbol:
    """The sympy symbol for a model quantity (all model symbols are real)."""
    return sp.Symbol(name, real=True)


def _check_name(name: str, kind: str) -> None:
    if not isinstance(name, str) or not name.isidentifier() or name in RESERVED:
        raise ModelError(problem(f"{kind} name", "a Python identifier other than 't' or 'clock'",
                                 name, "rename it, e.g. 'IL6' instead of 'IL-6'"))


@dataclass(frozen=True)
class Species:
    """A dynamic state variable (a messenger concentration, a cell count, a drug amount)."""

    name: str
    unit: str
    initial: float
    description: str = ""
    nonnegative: bool = True
    source: str = ""

    def __post_init__(self) -> None:
        _check_name(self.name, "Species")
        parse_unit(self.unit, f"Species {self.name!r} unit")
        if not math.isfinite(self.initial) or (self.nonnegative and self.initial < 0):
            raise ModelError(problem(f"Species {self.name!r} initial value",
                                     "a finite number (>= 0 for a non-negative species)",
                                     self.initial, "give a physiological initial value"))

    @property
    def symbol(self) -> sp.Symbol:
        return sym(self.name)


@dataclass(frozen=True)
class Parameter:
    """A model constant with its value, unit, literature source and plausible bounds.

    ``constant=True`` marks a structural constant (for example a Hill exponent): its value is
    written into the generated code, so it cannot vary between patients, and integer values become
    multiplications.

    ``tie="X"`` marks a copy of another module's reference value X (docs/design/0006): the
    parameter keeps its own value while the module runs without X's owner, and ``compose()``
    replaces it by X wherever a composed module defines X, so a calibrated X reaches every module.
    """

    name: str
    value: float
    unit: str
    source: str
    bounds: tuple[float, float] | None = None
    description: str = ""
    constant: bool = False
    tie: str = ""

    def __post_init__(self) -> None:
        _check_name(self.name, "Parameter")
        parse_unit(self.unit, f"Parameter {self.name!r} unit")
        if not self.source or not self.source.strip():
            raise ModelError(problem(f"Parameter {self.name!r} source", "a citation or "
                                     "'calibrated to dataset X'", self.source,
                                     "say where the value comes from"))
        if self.tie and (not self.tie.isidentifier() or self.tie == self.name):
            raise ModelError(problem(f"Parameter {self.name!r} tie", "the name of another "
                                     "module's parameter", self.tie, "name the owner's parameter"))
        if not math.isfinite(self.value):
            raise ModelError(problem(f"Parameter {self.name!r} value", "a finite number",
                                     self.value, "give a finite value"))
        if self.bounds is not None:
            lo, hi = self.bounds
            if not lo <= self.value <= hi:
                raise ModelError(problem(f"Parameter {self.name!r} value",
                                         f"a value within its bounds [{lo}, {hi}]", self.value,
                                         "fix the value or widen the bounds with a source"))

    @property
    def symbol(self) -> sp.Symbol:
        return sym(self.name)


@dataclass(frozen=True)
class Input:
    """A messenger a module consumes. If no composed module provides it, it becomes an external
    signal held at ``default`` unless a protocol drives it (for example a stressor)."""

    name: str
    unit: str
    default: float
    description: str = ""
    #: a neutral hook (docs/design/0003): its default leaves the module unchanged, so while no
    #: module provides it, it is not an interaction of the model (not drawn in the network)
    hook: bool = False

    def __post_init__(self) -> None:
        _check_name(self.name, "Input")
        parse_unit(self.unit, f"Input {self.name!r} unit")

    @property
    def symbol(self) -> sp.Symbol:
        return sym(self.name)


@dataclass(frozen=True)
class Observable:
    """An algebraic quantity derived from states (for example a free hormone concentration)."""

    name: str
    unit: str
    expr: sp.Expr
    description: str = ""

    def __post_init__(self) -> None:
        _check_name(self.name, "Observable")
        parse_unit(self.unit, f"Observable {self.name!r} unit")

    @property
    def symbol(self) -> sp.Symbol:
        return sym(self.name)


@dataclass(frozen=True)
class ParameterTie:
    """A tied parameter that compose() replaced by its owner's parameter (docs/design/0006):
    ``name`` of module ``module`` now equals ``factor`` x ``to`` of module ``owner``."""

    name: str
    module: str
    to: str
    owner: str
    factor: float = 1.0


def _frozen(mapping: Mapping[str, sp.Expr]) -> Mapping[str, sp.Expr]:
    return MappingProxyType({k: sp.sympify(v) for k, v in mapping.items()})


@dataclass(frozen=True)
class Module:
    """A physiological subsystem: states, parameters, rate laws and the messengers it exchanges.

    ``rates[name]`` is d(name)/dt in the species' unit per hour. Symbols in the expressions refer to
    species, parameters, inputs and observables by name.
    """

    name: str
    species: tuple[Species, ...]
    parameters: tuple[Parameter, ...]
    rates: Mapping[str, sp.Expr]
    inputs: tuple[Input, ...] = ()
    observables: tuple[Observable, ...] = ()
    description: str = ""
    citation: str = ""
    parts: tuple[str, ...] = field(default=())
    owners: Mapping[str, str] = field(default_factory=dict)
    #: parameters that compose() tied to another module's parameter (docs/design/0006)
    tied: tuple[ParameterTie, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "tied", tuple(self.tied))
        object.__setattr__(self, "species", tuple(self.species))
        object.__setattr__(self, "parameters", tuple(self.parameters))
        object.__setattr__(self, "inputs", tuple(self.inputs))
        object.__setattr__(self, "observables", tuple(self.observables))
        object.__setattr__(self, "rates", _frozen(self.rates))
        if not self.parts:
            object.__setattr__(self, "parts", (self.name,))
        own = {x.name: self.name for group in (self.species, self.parameters, self.observables)
               for x in group}
        own.update(self.owners)
        object.__setattr__(self, "owners", MappingProxyType(own))
        self._validate()

    # -- lookups ---------------------------------------------------------------------------
    def owner(self, name: str) -> str:
        """The library module that defines a species, parameter or observable."""
        return self.owners[name]

    @property
    def species_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.species)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        tie = self.tie_of(name)
        if tie is not None:
            raise KeyError(_tied_problem(tie))
        raise KeyError(problem("parameter name", f"one of {list(self.parameter_names)}", name,
                               "check the spelling (see `neuroimmune model`)"))

    def tie_of(self, name: str) -> ParameterTie | None:
        """The tie that replaced parameter `name` in this composed model, or None."""
        return next((t for t in self.tied if t.name == name), None)

    def unit_of(self, name: str) -> str:
        for group in (self.species, self.parameters, self.inputs, self.observables):
            for item in group:
                if item.name == name:
                    return item.unit
        if name == "t" or name == "clock":
            return TIME_UNIT
        raise KeyError(name)

    def with_parameters(self, sources: Mapping[str, str] | None = None, /,
                        **values: float) -> "Module":
        """A copy with some parameter values replaced. Sources are kept unless `sources` gives
        a new one for a name; declared bounds are kept when the new value lies within them."""
        unknown = (set(values) | set(sources or {})) - set(self.parameter_names)
        ties = [t for t in self.tied if t.name in unknown]
        if ties:
            raise ModelError("with_parameters: " + _tied_problem(ties[0]))
        if unknown:
            raise ModelError(problem("with_parameters", f"names among {list(self.parameter_names)}",
                                     sorted(unknown), "check the parameter names"))
        sources = sources or {}

        def updated(p: "Parameter") -> "Parameter":
            v = float(values[p.name])
            inside = p.bounds is not None and p.bounds[0] <= v <= p.bounds[1]
            return replace(p, value=v, bounds=p.bounds if inside else None,
                           source=sources.get(p.name, p.source))

        params = tuple(updated(p) if p.name in values else p for p in self.parameters)
        return replace(self, parameters=params)

    # -- checks ----------------------------------------------------------------------------
    def _validate(self) -> None:
        names: dict[str, str] = {}
        for kind, group in (("species", self.species), ("parameter", self.parameters),
                            ("input", self.inputs), ("observable", self.observables)):
            for item in group:
                if item.name in names:
                    raise ModelError(
                        f"module {self.name!r}: the name {item.name!r} is used twice "
                        f"(as {names[item.name]} and as {kind}). Fix: rename one of them")
                names[item.name] = kind
        for r in self.rates:
            if r not in names or names[r] != "species":
                raise ModelError(problem(f"module {self.name!r} rate for {r!r}",
                                         "a rate for one of its species "
                                         f"{list(self.species_names)}",
                                         r, "add the species or remove the rate"))
        known = set(names) | set(RESERVED)
        exprs = [(f"rate of {k}", v) for k, v in self.rates.items()]
        exprs += [(f"observable {o.name}", o.expr) for o in self.observables]
        for where, expr in exprs:
            undefined = sorted(s.name for s in expr.free_symbols if s.name not in known)
            if undefined:
                raise ModelError(
                    f"module {self.name!r}, {where}: undefined symbol(s) {undefined}. Fix: declare "
                    "them as Species, Parameter, Input or Observable of the module")


def _tied_problem(tie: ParameterTie) -> str:
    return problem(f"parameter {tie.name!r} of module {tie.module!r}", "a parameter of the "
                   "composed model", f"a copy tied to {tie.to!r} of module {tie.owner!r} "
                   "(docs/design/0006)", f"set {tie.to!r} instead")


def _resolve_ties(modules: tuple[Module, ...]) -> tuple[ParameterTie, ...]:
    """The ties of the modules' parameters whose owner parameter one of the modules defines,
    followed through chains (A tied to B tied to C gives A -> C), with the unit factors."""
    defined = {p.name: (p, m.name) for m in modules for p in m.parameters}
    earlier = {t.name: t.to for m in modules for t in m.tied}  # tied away by an earlier compose
    ties = []
    for m in modules:
        for p in m.parameters:
            target, seen = p, [p.name]
            while target.tie and (target.tie in defined or target.tie in earlier):
                nxt = defined[earlier.get(target.tie, target.tie)][0]
                if nxt.name in seen:
                    raise ModelError(f"compose: the ties {' -> '.join(seen + [nxt.name])} form a "
                                     "cycle. Fix: tie each copy to the module that owns the value")
                seen.append(nxt.name)
                target = nxt
            if target is p:
                continue
            try:
                factor = conversion_factor(target.unit, p.unit, f"tie of {p.name!r}")
            except ModelError:
                raise ModelError(
                    f"compose: parameter {p.name!r} ({p.unit}) of module {m.name!r} is tied to "
                    f"{target.name!r} ({target.unit}) of module {defined[target.name][1]!r}, "
                    "which has another dimension. Fix: declare the tied parameter in a unit of "
                    "the owner's dimension") from None
            ties.append(ParameterTie(p.name, m.name, target.name, defined[target.name][1], factor))
    return tuple(ties)


def compose(*modules: Module, name: str | None = None) -> Module:
    """Join modules into one model, connecting inputs to the species or observables of the same
    name provided by another module. Units are converted when compatible; incompatible units,
    duplicate definitions and parameter clashes raise ModelError naming the modules and the fix."""
    if not modules:
        raise ModelError(problem("compose", "at least one Module", "nothing", "pass modules"))
    for m in modules:
        if not isinstance(m, Module):
            raise ModelError(problem("compose argument", "a Module", type(m).__name__,
                                     "pass modules built by the model library"))
    part_of: dict[str, str] = {}
    for m in modules:
        for part in m.parts:
            if part in part_of:
                raise ModelError(f"compose: module {part!r} is given twice (in {part_of[part]!r} "
                                 f"and in {m.name!r}). Fix: compose each module once, or rename "
                                 "one of them")
            part_of[part] = m.name
    owner: dict[str, tuple[str, str]] = {}
    for m in modules:
        for kind, group in (("species", m.species), ("parameter", m.parameters),
                            ("observable", m.observables)):
            for item in group:
                if item.name in owner:
                    other, okind = owner[item.name]
                    raise ModelError(
                        f"compose: {kind} {item.name!r} of module {m.name!r} is already defined as "
                        f"{okind} by module {other!r}. Fix: compose only one module that defines "
                        f"{item.name!r}, or rename it in one of them")
                owner[item.name] = (m.name, kind)
    provided: dict[str, tuple[sp.Expr, str, str]] = {}
    for m in modules:
        for s in m.species:
            provided[s.name] = (s.symbol, s.unit, m.name)
        for o in m.observables:
            provided[o.name] = (o.symbol, o.unit, m.name)
    subs: dict[sp.Symbol, sp.Expr] = {}
    remaining: dict[str, Input] = {}
    for m in modules:
        for inp in m.inputs:
            if inp.name in provided:
                target, unit, by = provided[inp.name]
                try:
                    factor = conversion_factor(unit, inp.unit, f"input {inp.name!r}")
                except ModelError:
                    raise ModelError(
                        f"compose: module {m.name!r} consumes {inp.name!r} in {inp.unit} but "
                        "module "
                        f"{by!r} provides it in {unit}, which has another dimension. Fix: declare "
                        "the input with a compatible unit") from None
                subs[inp.symbol] = target if factor == 1.0 else factor * target
            elif inp.name in remaining and remaining[inp.name].unit != inp.unit:
                raise ModelError(
                    f"compose: input {inp.name!r} is consumed in {inp.unit} by module {m.name!r} "
                    f"but in {remaining[inp.name].unit} by another module. Fix: declare it in one "
                    "unit in every module")
            elif inp.name not in remaining:
                remaining[inp.name] = inp
    ties = _resolve_ties(modules)
    for tie in ties:
        target = sym(tie.to)
        subs[sym(tie.name)] = target if tie.factor == 1.0 else tie.factor * target
    tied = {t.name for t in ties}
    rates = {k: v.xreplace(subs) for m in modules for k, v in m.rates.items()}
    observables = tuple(replace(o, expr=o.expr.xreplace(subs))
                        for m in modules for o in m.observables)
    return Module(
        name=name or "+".join(m.name for m in modules),
        species=tuple(s for m in modules for s in m.species),
        parameters=tuple(p for m in modules for p in m.parameters if p.name not in tied),
        rates=rates,
        inputs=tuple(remaining.values()),
        observables=observables,
        description="; ".join(m.description for m in modules if m.description),
        citation="; ".join(m.citation for m in modules if m.citation),
        parts=tuple(p for m in modules for p in m.parts),
        owners={k: v for m in modules for k, v in m.owners.items() if k not in tied},
        tied=tuple(t for m in modules for t in m.tied) + ties,
    )


def inline_observables(model: "Module", expr: sp.Expr) -> sp.Expr:
    """`expr` with every observable replaced by its expression (observables may use others)."""
    obs = {o.symbol: o.expr for o in model.observables}
    for _ in range(len(obs) + 1):
        new = expr.xreplace(obs)
        if new == expr:
            return new
        expr = new
    raise ModelError(f"model {model.name!r}: observables refer to each other in a cycle. Fix: "
                     "define each observable from species and parameters")


def hill_up(x: sp.Expr, k: sp.Expr, n: sp.Expr) -> sp.Expr:
    """Increasing Hill function x^n / (x^n + k^n), 0 at x = 0, 1/2 at x = k."""
    return x**n / (x**n + k**n)


def clock_cosine(period: sp.Expr, at: sp.Expr) -> sp.Expr:
    """cos(2 pi (clock - at) / period), written as cos(w clock) cos(w at) + sin(w clock)
    sin(w at) with w = 2 pi / period: every rhythm of one period then shares the two
    clock-dependent factors (one cos and one sin per evaluation; docs/design/0042)."""
    w = 2 * sp.pi / period
    return sp.cos(w * CLOCK) * sp.cos(w * at) + sp.sin(w * CLOCK) * sp.sin(w * at)


def clock_sine(period: sp.Expr, at: sp.Expr) -> sp.Expr:
    """sin(2 pi (clock - at) / period), with the same two clock-dependent factors."""
    w = 2 * sp.pi / period
    return sp.sin(w * CLOCK) * sp.cos(w * at) - sp.cos(w * CLOCK) * sp.sin(w * at)


def hill_down(x: sp.Expr, k: sp.Expr, n: sp.Expr) -> sp.Expr:
    """Decreasing Hill function k^n / (x^n + k^n), 1 at x = 0, 1/2 at x = k."""
    return k**n / (x**n + k**n)


def symbols(items: Iterable[Species | Parameter | Input | Observable]) -> dict[str, sp.Symbol]:
    """Name -> symbol for a group of model items (handy when writing rate laws)."""
    return {i.name: i.symbol for i in items}
