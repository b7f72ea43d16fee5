"""Protocols are plain data: doses, infusions, stressors, clock time and pre-equilibration.

Times are hours after the start of the simulation (t = 0), or strings with units ("30 min").
Amounts are in the unit of the dosed species, or strings with units ("2 ng/kg").
``Protocol.schedule(system, t_end)`` turns the events into piecewise-constant segments whose
boundaries the solver steps onto exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Sequence, Union

import numpy as np

from .errors import ProtocolError, problem
from .units import to_magnitude, unit_text


def _time(value, what: str) -> float:
    t = to_magnitude(value, "h", what)
    if not math.isfinite(t) or t < 0:
        raise ProtocolError(problem(what, "a finite time >= 0 h after the start", value,
                                    "give the time in hours after t = 0, e.g. 2 or '30 min'"))
    return t


def _nonnegative(value: float, what: str, unit: str) -> None:
    if not math.isfinite(value) or value < 0:
        raise ProtocolError(problem(what, f"a finite amount >= 0 {unit}", value,
                                    "give a non-negative dose (to remove a dose, leave it out)"))


def _state_index(system, species: str) -> int:
    """The species' index; a drug dose whose module is not composed says which to add."""
    try:
        return system.state_index(species)
    except ProtocolError:
        raise
    except Exception as exc:  # a ModelError from System.state_index
        drug, _, compartment = species.rpartition("_")
        if compartment not in ("central", "gut") or not drug:
            raise
        from .model.library import BY_NAME

        owners = [n for n, f in BY_NAME.items() if species in f().species_names]
        raise ProtocolError(problem(f"DrugDose({drug!r})", "a model with the module that "
                                    "defines the drug", f"no module for {drug!r} in the model",
                                    f"add {owners[0]!r} to the scenario's modules" if owners
                                    else "check the drug name (neuroimmune model --json lists "
                                    "the drug modules' species)")) from exc


@dataclass(frozen=True)
class Bolus:
    """An instantaneous dose added to a species at `time` (i.v. bolus)."""

    species: str
    amount: float | str
    time: float | str = 0.0


@dataclass(frozen=True)
class Infusion:
    """A constant-rate input into a species from `start` for `duration` hours."""

    species: str
    rate: float | str
    start: float | str = 0.0
    duration: float | str = 1.0


@dataclass(frozen=True)
class DrugDose:
    """A drug dose by route, for drug modules whose species are `<drug>_gut` and `<drug>_central`
    (see ``neuroimmune.model.library.pk``): 'iv' bolus, 'oral' (first-order absorption from the
    gut compartment) or 'infusion' (the amount spread evenly over `duration` hours)."""

    drug: str
    amount: float | str
    time: float | str = 0.0
    route: str = "iv"
    duration: float | str | None = None

    def expand(self) -> tuple[Bolus | _ScaledInfusion, ...]:
        if self.route == "iv":
            return (Bolus(f"{self.drug}_central", self.amount, self.time),)
        if self.route == "oral":
            return (Bolus(f"{self.drug}_gut", self.amount, self.time),)
        if self.route == "infusion":
            if self.duration is None:
                raise ProtocolError(problem("DrugDose.duration", "a duration for route='infusion'",
                                            None, "pass duration=<hours>"))
            dur = _time(self.duration, "DrugDose.duration")
            if dur <= 0:
                raise ProtocolError(problem("DrugDose.duration", "a duration > 0 h", self.duration,
                                            "give the infusion length in hours"))
            return (_ScaledInfusion(f"{self.drug}_central", self.amount, dur, self.time),)
        raise ProtocolError(problem("DrugDose.route", "'iv', 'oral' or 'infusion'", self.route,
                                    "choose one of the supported routes"))


@dataclass(frozen=True)
class _ScaledInfusion:
    """An infusion given as a total amount over a duration (internal; from DrugDose)."""

    species: str
    amount: float | str
    duration: float
    start: float | str


@dataclass(frozen=True)
class Repeated:
    """`dose` (any single event: Bolus, Infusion, DrugDose, Stressor, SignalStep) repeated
    `count` times, every `every` hours."""

    dose: "Event"
    every: float | str
    count: int

    def expand(self) -> tuple:
        every = _time(self.every, "Repeated.every")
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 1:
            raise ProtocolError(problem("Repeated.count", "an integer >= 1", self.count,
                                        "give the number of doses"))
        if every <= 0 and self.count > 1:
            raise ProtocolError(problem("Repeated.every", "an interval > 0 h", self.every,
                                        "give the dosing interval in hours"))
        d = self.dose
        if not isinstance(d, (Bolus, Infusion, DrugDose, Stressor, SignalStep)):
            raise ProtocolError(problem("Repeated.dose", "a single Bolus, Infusion, DrugDose, "
                                        "Stressor or SignalStep", type(d).__name__,
                                        "repeat a single event"))
        key = "time" if isinstance(d, (Bolus, DrugDose)) else "start"
        first = _time(getattr(d, key), f"{type(d).__name__}.{key}")
        event: Any = d
        return tuple(replace(event, **{key: first + i * every}) for i in range(self.count))


@dataclass(frozen=True)
class Stressor:
    """A psychological stressor: the model's `stress` signal is raised by `intensity` from
    `start` for `duration` hours (1 = the TSST-like stressor the HPA module is calibrated to)."""

    start: float | str
    duration: float | str
    intensity: float = 1.0

    @property
    def signal(self) -> str:
        return "stress"

    @property
    def change(self) -> float:
        return self.intensity


@dataclass(frozen=True)
class SignalStep:
    """A model signal (an input no composed module provides: a drug level such as
    `propranolol`, `vns`, `gonadectomy`, `injury`, ...) raised by `change` above its resting
    value from `start` for `duration` hours. With a resting value of 0, `change` is the level."""

    signal: str
    start: float | str
    duration: float | str
    change: float = 1.0


Event = Union[Bolus, Infusion, DrugDose, Repeated, Stressor, SignalStep]


def lps_bolus(dose: float | str = "2 ng/kg", time: float | str = 0.0) -> Bolus:
    """Endotoxin (LPS) i.v. bolus, in ng per kg body weight."""
    return Bolus("LPS", dose, time)


def lps_infusion(rate: float | str, start: float | str = 0.0, duration: float | str = 4.0
                 ) -> Infusion:
    """Continuous endotoxin infusion, rate in ng/kg/h."""
    return Infusion("LPS", rate, start, duration)


def parse_clock(value: float | str) -> float:
    """Clock time as hours after midnight from 8, 8.5 or '08:30'."""
    if isinstance(value, str) and ":" in value:
        try:
            hh, mm = value.split(":")
            if not (0 <= int(hh) < 24 and 0 <= int(mm) < 60 and len(mm) == 2):
                raise ValueError
            hours = int(hh) + int(mm) / 60.0
        except ValueError:
            raise ProtocolError(problem("clock_start", "a clock time like '08:00'", value,
                                        "write hours and minutes as HH:MM")) from None
    else:
        try:
            hours = float(value)
        except (TypeError, ValueError):
            raise ProtocolError(problem("clock_start", "hours after midnight (0-24) or 'HH:MM'",
                                        value, "e.g. clock_start='08:00'")) from None
    if not 0.0 <= hours < 24.0:
        raise ProtocolError(problem("clock_start", "a clock time in [0, 24) h", value,
                                    "give the time of day at t = 0, e.g. 8 for 08:00"))
    return hours


@dataclass(frozen=True)
class Schedule:
    """Piecewise-constant segments: at seg_t[k] add seg_jump[k] to the state, then integrate to
    seg_t[k+1] with inputs seg_u[k] (infusion rate of each species, then each signal)."""

    seg_t: np.ndarray
    seg_jump: np.ndarray
    seg_u: np.ndarray


@dataclass(frozen=True)
class Protocol:
    """What happens to the subject: events, the clock time at t = 0 and pre-equilibration.

    ``preequilibrate_days`` (a maximum) runs the unperturbed model whole days before t = 0
    (ending at the same clock time) until the state at that clock time changes by less than
    1e-5 relative from one day to the next, so the protocol starts on the circadian limit
    cycle; results say per patient whether it converged. Patients without their own y0 start
    from the default patient's pre-equilibrated state (solve.py).
    """

    events: Sequence[Any] = ()  # any sequence; stored as a tuple (__post_init__)
    clock_start: float | str = 8.0
    preequilibrate_days: int = 0
    name: str = ""
    description: str = ""
    _flat: tuple = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "events", tuple(self.events))
        object.__setattr__(self, "clock_start", parse_clock(self.clock_start))
        if not isinstance(self.preequilibrate_days, int) or self.preequilibrate_days < 0:
            raise ProtocolError(problem("Protocol.preequilibrate_days", "an integer >= 0",
                                        self.preequilibrate_days, "give whole days, e.g. 10"))
        flat: list = []
        for e in self.events:
            if isinstance(e, Repeated):
                for x in e.expand():
                    flat.extend(x.expand() if isinstance(x, DrugDose) else (x,))
            elif isinstance(e, DrugDose):
                flat.extend(e.expand())
            elif isinstance(e, (Bolus, Infusion, Stressor, SignalStep)):
                flat.append(e)
            else:
                raise ProtocolError(problem("Protocol.events item", "a Bolus, Infusion, DrugDose, "
                                            "Repeated, Stressor or SignalStep", type(e).__name__,
                                            "build events with neuroimmune.protocol"))
        object.__setattr__(self, "_flat", tuple(flat))

    def schedule(self, system, t_end: float) -> Schedule:
        """Segments for `system` (a compiled System) over [0, t_end] h."""
        n = system.n_states
        nu = n + len(system.signals)
        edges = {0.0, float(t_end)}
        day = 24.0 - float(self.clock_start)
        while day < t_end:
            edges.add(day)  # midnight: the clock wraps, so step onto it
            day += 24.0
        boluses, infusions, stressors = [], [], []
        for e in self._flat:
            if isinstance(e, Bolus):
                i = _state_index(system, e.species)
                unit = system.state_units[i]
                amount = to_magnitude(e.amount, unit, f"Bolus({e.species!r}).amount")
                _nonnegative(amount, f"Bolus({e.species!r}).amount", unit)
                t = _time(e.time, f"Bolus({e.species!r}).time")
                if t >= t_end:
                    raise ProtocolError(problem(f"Bolus({e.species!r}).time", "a time before "
                                                f"the end of the simulation ({t_end:g} h)", t,
                                                "extend the time span or move the dose"))
                boluses.append((t, i, amount))
                edges.add(t)
            elif isinstance(e, (Infusion, _ScaledInfusion)):
                i = _state_index(system, e.species)
                unit = system.state_units[i]
                start = self._within(_time(e.start, f"Infusion({e.species!r}).start"), t_end,
                                     "Infusion")
                if isinstance(e, _ScaledInfusion):
                    dur = e.duration
                    amount = to_magnitude(e.amount, unit, f"DrugDose({e.species!r}).amount")
                    _nonnegative(amount, f"DrugDose({e.species!r}).amount", unit)
                    rate = amount / dur
                else:
                    dur = _time(e.duration, f"Infusion({e.species!r}).duration")
                    rate_unit = unit_text(f"({unit})/h")
                    rate = to_magnitude(e.rate, rate_unit, f"Infusion({e.species!r}).rate")
                    _nonnegative(rate, f"Infusion({e.species!r}).rate", f"{unit}/h")
                infusions.append((start, start + dur, i, rate))
                edges.update((start, min(start + dur, t_end)))
            else:  # Stressor or SignalStep
                kind = type(e).__name__
                k = system.signal_index(e.signal)
                start = self._within(_time(e.start, f"{kind}.start"), t_end, kind)
                dur = _time(e.duration, f"{kind}.duration")
                if (isinstance(e.change, bool) or not isinstance(e.change, (int, float))
                        or not math.isfinite(e.change)):
                    field_name = "intensity" if isinstance(e, Stressor) else "change"
                    raise ProtocolError(problem(f"{kind}.{field_name}", "a finite number",
                                                e.change, "give the size of the step"))
                stressors.append((start, start + dur, n + k, float(e.change)))
                edges.update((start, min(start + dur, t_end)))
        seg_t = np.array(sorted(edges))
        n_seg = max(len(seg_t) - 1, 1)
        if len(seg_t) == 1:
            seg_t = np.array([0.0, 0.0])
        seg_jump = np.zeros((n_seg, n))
        seg_u = np.zeros((n_seg, nu))
        seg_u[:, n:] = system.signal_defaults
        index = {t: k for k, t in enumerate(seg_t[:-1])}
        for t, i, amount in boluses:
            seg_jump[index[t], i] += amount
        for start, stop, i, value in infusions + stressors:
            active = (seg_t[:-1] >= start) & (seg_t[:-1] < stop)
            seg_u[active, i] += value
        return Schedule(seg_t, seg_jump, seg_u)

    @staticmethod
    def _within(t: float, t_end: float, kind: str) -> float:
        if t > t_end:
            raise ProtocolError(problem(f"{kind} time", f"a time within the simulated span "
                                        f"[0, {t_end:g}] h", t, "extend the time span or move "
                                        "the event"))
        return t
