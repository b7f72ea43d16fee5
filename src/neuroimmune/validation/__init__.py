"""Validation: the packaged human data and the harness that compares the model with it.

    from neuroimmune.validation import load_dataset, run_validation, write_report
    v = run_validation()            # simulates each distinct scenario once
    v.passed, v.total, v.to_dict()  # the JSON of `neuroimmune validate --json`
    write_report(v, "report/")      # Markdown + one PNG per scenario

Modules, lowest first (the import-linter layers in pyproject.toml):
``datasets`` (data/*.csv and their loaders; low, so models and twins may use it),
``statistics`` and ``rules`` (how a target's words become a statistic), ``harness`` (targets ->
pass/fail, with prediction intervals over an ensemble), ``report`` (Markdown + PNGs),
``calibrate`` (`neuroimmune calibrate`), ``ensemble`` (`neuroimmune calibrate --ensemble` and
the identifiability table).
The harness names below are imported on first use, so reading data stays light.
How the report is built and read: docs/validation.md.
"""

from __future__ import annotations

from importlib import import_module

from .datasets import dataset_names, load_dataset, provenance

_LAZY = {name: "harness" for name in (
    "load_targets", "check", "TargetResult", "Validation", "scenarios_needed",
    "simulate_scenarios", "evaluate", "evaluate_row", "run_validation", "check_report_dir",
    "prediction_interval")}
_LAZY["write_report"] = "report"
_SUBMODULES = ("harness", "report", "rules", "statistics", "calibrate", "ensemble")


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    if name in _SUBMODULES:
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["dataset_names", "load_dataset", "provenance", *_LAZY, *_SUBMODULES]
