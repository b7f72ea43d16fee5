"""The Scenario value (plain immutable data) and its plain-data form, which a warm process reads
instead of parsing and validating the scenario file again (neuroimmune.scenarios.load,
docs/design/0028-warm-start.md). Light: no pydantic, sympy or pint.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from ..protocol import Bolus, DrugDose, Infusion, Protocol, Repeated, SignalStep, Stressor

if TYPE_CHECKING:
    from ..model.core import Module

#: Standard model modules (a scenario without `modules` uses them).
STANDARD_MODULES = ("innate", "hpa", "fever", "autonomic")
DEFAULT_OUTPUTS = ("TNF", "IL6", "IL8", "IL10", "CRH", "ACTH", "cortisol", "temperature",
                   "heart_rate")
#: Pre-equilibration of a scenario that does not say (the HPA limit cycle is reached in ~70 days).
PREEQ_DAYS = 120

@dataclass(frozen=True)
class Scenario:
    """A scenario as plain immutable data: which modules, which subject, what happens, when, and
    what to report. Running it: ``neuroimmune.scenarios.simulate(scenario)``."""

    name: str
    description: str
    #: library module names, then custom modules (Module values) from [[module]] tables
    modules: tuple[str | Module, ...]
    protocol: Protocol
    t_end: float
    dt: float
    subject: Mapping[str, float | str] = field(default_factory=dict)
    outputs: tuple[str, ...] = DEFAULT_OUTPUTS
    #: subject profiles (neuroimmune.profiles), applied in order before `subject`
    profiles: tuple[str, ...] = ()
    #: apply the default parameter set: True = required, False = the modules' published values,
    #: None = when the model has all its parameters
    calibrated: bool | None = None
    #: where the scenario came from (a file path, or "built-in")
    origin: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "subject", MappingProxyType(dict(self.subject)))
        object.__setattr__(self, "modules", tuple(self.modules))
        object.__setattr__(self, "outputs", tuple(self.outputs))
        object.__setattr__(self, "profiles", tuple(self.profiles))

    def times(self) -> np.ndarray:
        """The output times 0, dt, ..., t_end (h)."""
        n = int(round(self.t_end / self.dt))
        return np.linspace(0.0, self.t_end, n + 1)



# -- plain data ---------------------------------------------------------------------------------
#: The event types a scenario's protocol holds, by name (nothing else is ever made from data).
_EVENTS = {cls.__name__: cls for cls in (Bolus, Infusion, DrugDose, Repeated, Stressor,
                                         SignalStep)}
_SCALARS = (str, int, float, bool, type(None))


def _event_data(event) -> dict | None:
    cls = type(event)
    if _EVENTS.get(cls.__name__) is not cls:
        return None
    out: dict[str, Any] = {"event": cls.__name__}
    for f in fields(event):
        value = getattr(event, f.name)
        if f.name == "dose":
            value = _event_data(value)
            if value is None:
                return None
        elif type(value) not in _SCALARS or (type(value) is float and not math.isfinite(value)):
            return None
        out[f.name] = value
    return out


def _event(data: Any):
    if not isinstance(data, dict) or data.get("event") not in _EVENTS:
        raise ValueError("not an event")
    cls = _EVENTS[data["event"]]
    names = {f.name for f in fields(cls)}
    args = {k: v for k, v in data.items() if k != "event"}
    if set(args) != names:
        raise ValueError("other fields")
    for k, v in args.items():
        if k == "dose":
            args[k] = _event(v)
        elif type(v) not in _SCALARS:
            raise ValueError("not a scalar")
    return cls(**args)


def scenario_data(sc: Scenario) -> dict | None:
    """`sc` as plain data (JSON-able), or None for a scenario that has none (custom modules:
    Module values; events of other types)."""
    if not all(isinstance(m, str) for m in sc.modules):
        return None
    p = sc.protocol
    events = [_event_data(e) for e in p.events]
    if any(e is None for e in events) or type(p) is not Protocol:
        return None
    subject = dict(sc.subject)
    if not all(type(v) in (str, int, float) for v in subject.values()):
        return None
    return {"name": sc.name, "description": sc.description, "modules": list(sc.modules),
            "protocol": {"events": events, "clock_start": p.clock_start,
                         "preequilibrate_days": p.preequilibrate_days, "name": p.name,
                         "description": p.description},
            "t_end": sc.t_end, "dt": sc.dt, "subject": subject, "outputs": list(sc.outputs),
            "profiles": list(sc.profiles), "calibrated": sc.calibrated, "origin": sc.origin}


def scenario_from_data(data: Any) -> Scenario | None:
    """The Scenario that scenario_data gave `data` for; None for anything else."""
    try:
        p = data["protocol"]
        protocol = Protocol(tuple(_event(e) for e in p["events"]), clock_start=p["clock_start"],
                            preequilibrate_days=p["preequilibrate_days"], name=p["name"],
                            description=p["description"])
        sc = Scenario(data["name"], data["description"], tuple(data["modules"]), protocol,
                      data["t_end"], data["dt"], dict(data["subject"]), tuple(data["outputs"]),
                      tuple(data["profiles"]), data["calibrated"], origin=data["origin"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    except Exception:  # a ProtocolError from values no scenario file would give
        return None
    texts = [sc.name, sc.description, sc.origin, protocol.name, protocol.description,
             *sc.modules, *sc.outputs, *sc.profiles, *sc.subject]
    if (not all(isinstance(x, str) for x in texts) or type(sc.t_end) is not float
            or type(sc.dt) is not float or sc.calibrated not in (True, False, None)
            or not all(type(v) in (str, int, float) for v in sc.subject.values())):
        return None
    return sc
