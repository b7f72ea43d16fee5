"""The interaction network, derived from the model's rate laws: an edge S -> X when the rate of
X depends on S, stimulating when d(rate X)/dS > 0 and inhibiting when < 0, evaluated at an
activated reference state (every state at 1.5 x its initial value plus one unit, so that edges
acting through cells that are absent at rest, e.g. activated monocytes, are seen; fractions move
halfway to 1). Hooks that no composed module provides (docs/design/0003) are not interactions.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..model.core import CLOCK, Module, T


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    sign: int  # +1 stimulating, -1 inhibiting
    module: str
    #: sources of the parameters in d(rate of target)/d(source): where the interaction's numbers
    #: come from (published model, human data or "provisional: ...")
    citations: tuple[str, ...] = ()


def _reference(species) -> float:
    """The activated reference value of a state: 1.5 x its initial value plus one unit, except
    fractions (unit 1, below 1 at rest), which move halfway to 1 so they stay fractions (a
    desensitised fraction above 1 would flip the sign of every effect through it)."""
    if species.unit == "1" and species.initial < 1.0:
        return species.initial + 0.5 * (1.0 - species.initial)
    return 1.5 * species.initial + 1.0


def interactions(model: Module, clock: float = 8.0) -> list[Edge]:
    values = {s.symbol: sp.Float(_reference(s)) for s in model.species}
    values.update({i.symbol: sp.Float(i.default + 1.0) for i in model.inputs})
    values.update({p.symbol: sp.Float(p.value) for p in model.parameters})
    values[CLOCK] = sp.Float(clock)
    values[T] = sp.Float(0.0)
    nodes = ({s.symbol: s.name for s in model.species}
             | {i.symbol: i.name for i in model.inputs if not i.hook})
    sources = {p.name: p.source for p in model.parameters}
    edges = []
    observables = {o.symbol: o.expr for o in model.observables}
    for target, rate in model.rates.items():
        for _ in range(len(observables)):  # act through receptor observables, e.g. EPI -> TNF
            rate = rate.xreplace(observables)
        for sym in sorted(rate.free_symbols & set(nodes), key=lambda s: s.name):
            name = nodes[sym]
            if name == target:
                continue
            # xreplace with numbers (not subs): evaluates Piecewise conditions and is much faster
            derivative = sp.diff(rate, sym)
            slope = float(derivative.xreplace(values))
            if slope != 0.0:
                used = sorted(x.name for x in derivative.free_symbols if x.name in sources)
                edges.append(Edge(name, target, 1 if slope > 0 else -1, model.owner(target),
                                  tuple(dict.fromkeys(sources[n] for n in used))))
    return edges
