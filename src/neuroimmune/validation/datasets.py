"""Validation data packaged with the toolkit (copied from the project's curated
shared/validation_data with their provenance headers; see data/README.md), and loaders.

A low layer (pandas only): models and twins read data here without importing the harness."""

from __future__ import annotations

from importlib import resources

import pandas as pd

from ..errors import NeuroimmuneError, problem


def dataset_names() -> list[str]:
    folder = resources.files(__package__) / "data"
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".csv"))


def load_dataset(name: str) -> pd.DataFrame:
    """A packaged dataset by file name (without .csv); '#' provenance lines are skipped."""
    if name not in dataset_names():
        raise NeuroimmuneError(problem("dataset", f"one of {dataset_names()}", name,
                                       "check the name"))
    with (resources.files(__package__) / "data" / f"{name}.csv").open() as fh:
        return pd.read_csv(fh, comment="#")


def provenance(name: str) -> str:
    """The '#' header lines of a packaged dataset (source, licence, caveats)."""
    text = (resources.files(__package__) / "data" / f"{name}.csv").read_text()
    return "\n".join(line[1:].strip() for line in text.splitlines() if line.startswith("#"))


def protocol_names() -> list[str]:
    """Validation protocols: scenario files (data/protocols/*.toml, the scenario format) for the
    experiments behind the targets that no built-in scenario covers (a CRH or ACTH test, LPS at
    another dose, ...)."""
    folder = resources.files(__package__) / "data" / "protocols"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def protocol_text(name: str) -> str:
    if name not in protocol_names():
        raise NeuroimmuneError(problem("validation protocol", f"one of {protocol_names()}", name,
                                       "check the name"))
    return (resources.files(__package__) / "data" / "protocols" / f"{name}.toml").read_text()
