"""Catalog entries loaded from the package's CSV tables."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import ModelError, problem

SYSTEMS = ("nervous", "endocrine", "immune", "environment")


@dataclass(frozen=True)
class Entity:
    """A messenger (hormone, neuropeptide, neurotransmitter, cytokine), a cell population or a
    model state, with identifiers and normal plasma values."""

    name: str
    kind: str
    system: str
    long_name: str
    chebi: str
    uniprot: str
    ncbi_gene: str
    unit: str
    normal_low: float
    normal_high: float
    half_life_min: float
    source: str


@dataclass(frozen=True)
class Receptor:
    name: str
    gene: str
    uniprot: str
    ligands: tuple[str, ...]
    cell_types: tuple[str, ...]
    effect: str
    source: str


def _rows(filename: str):
    text = (resources.files("neuroimmune") / "data" / filename).read_text()
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def _float(value: str) -> float:
    return float(value) if value.strip() else math.nan


@lru_cache(maxsize=1)
def entities() -> dict[str, Entity]:
    out = {}
    for r in _rows("catalog_entities.csv"):
        e = Entity(r["name"], r["kind"], r["system"], r["long_name"], r["chebi"], r["uniprot"],
                   r["ncbi_gene"], r["unit"], _float(r["normal_low"]), _float(r["normal_high"]),
                   _float(r["half_life_min"]), r["source"])
        if e.system not in SYSTEMS:
            raise ModelError(problem(f"catalog entry {e.name!r} system", f"one of {SYSTEMS}",
                                     e.system, "fix data/catalog_entities.csv"))
        out[e.name] = e
    return out


def entity(name: str) -> Entity:
    try:
        return entities()[name]
    except KeyError:
        raise ModelError(problem("catalog name", "a messenger, cell or state in the catalog",
                                 name, "add it to data/catalog_entities.csv with its source")
                         ) from None


@lru_cache(maxsize=1)
def receptors() -> dict[str, Receptor]:
    return {r["name"]: Receptor(r["name"], r["gene"], r["uniprot"],
                                tuple(r["ligands"].split(";")), tuple(r["cell_types"].split(";")),
                                r["effect"], r["source"]) for r in _rows("catalog_receptors.csv")}
