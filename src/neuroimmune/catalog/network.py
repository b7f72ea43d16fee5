"""The interaction network, derived from the model's rate laws: an edge S -> X when the rate of
X depends on S, stimulating when d(rate X)/dS > 0 and inhibiting when < 0, evaluated at an
activated reference state (every state at 1.5 x its initial value plus one unit, so that edges
acting through cells that are absent at rest, e.g. activated monocytes, are seen)."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..model.core import CLOCK, T, Module


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    sign: int  # +1 stimulating, -1 inhibiting
    module: str


def interactions(model: Module, clock: float = 8.0) -> list[Edge]:
    values = {s.symbol: sp.Float(1.5 * s.initial + 1.0) for s in model.species}
    values.update({i.symbol: sp.Float(i.default + 1.0) for i in model.inputs})
    values.update({p.symbol: sp.Float(p.value) for p in model.parameters})
    values[CLOCK] = sp.Float(clock)
    values[T] = sp.Float(0.0)
    nodes = {s.symbol: s.name for s in model.species} | {i.symbol: i.name for i in model.inputs}
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
            slope = float(sp.diff(rate, sym).xreplace(values))
            if slope != 0.0:
                edges.append(Edge(name, target, 1 if slope > 0 else -1, model.owner(target)))
    return edges
