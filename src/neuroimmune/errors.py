"""Exceptions with one message format: what, expected, given, how to fix."""

from __future__ import annotations


class NeuroimmuneError(ValueError):
    """Base class of every user-facing error raised by neuroimmune."""


class ModelError(NeuroimmuneError):
    """A module or a composition of modules is inconsistent."""


class UnitError(ModelError):
    """A rate expression or a value has the wrong physical dimension."""


class ProtocolError(NeuroimmuneError):
    """A dose, stressor or schedule is invalid."""


class ScenarioError(NeuroimmuneError):
    """A scenario name or scenario file is invalid."""


class SolverError(NeuroimmuneError):
    """Solver options or inputs are invalid (per-patient failures are statuses, not errors)."""


def problem(what: str, expected: str, given: object, fix: str) -> str:
    """Format one line: `what: expected X, got Y. Fix: Z`."""
    return f"{what}: expected {expected}, got {given!r}. Fix: {fix}"


class MissingExtraError(NeuroimmuneError):
    """A feature needs an optional dependency that is not installed."""


def require(module: str, extra: str, feature: str, package: str | None = None):
    """Import and return `module`, or raise MissingExtraError naming the extra to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(
            f"{feature} needs {package or module}: expected the {extra!r} extra installed, got "
            f"it missing. Fix: pip install 'neuroimmune[{extra}]'") from None
