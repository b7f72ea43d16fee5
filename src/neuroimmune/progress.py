"""Progress of long commands: a rich bar with ETA on a terminal, else a plain line every
NEUROIMMUNE_PROGRESS_SECONDS (default 10) for batch logs, e.g.

    [neuroimmune] validate: 12/41 scenarios, 35 s elapsed, ETA 80 s (circadian-day)
"""

from __future__ import annotations

import math
import os
import threading
import time
from typing import Callable

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from .errors import NeuroimmuneError, problem

#: Seconds between two plain progress lines (overridden by NEUROIMMUNE_PROGRESS_SECONDS).
INTERVAL_S = 10.0


def interval_s() -> float:
    value = os.environ.get("NEUROIMMUNE_PROGRESS_SECONDS", "")
    if not value:
        return INTERVAL_S
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise NeuroimmuneError(problem("NEUROIMMUNE_PROGRESS_SECONDS", "a number of seconds > 0",
                                       value, "e.g. NEUROIMMUNE_PROGRESS_SECONDS=60, or unset it"))
    return seconds


class Tracker:
    """`with Tracker("validate", total=41, unit="scenarios", console=err) as p:
    p.update(done, note=name)`. total may stay None (a spinner and the elapsed time) or come
    with a later update."""

    def __init__(self, command: str, total: int | None = None, unit: str = "", *,
                 console: Console, note: str = "", interval: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.command, self.total, self.unit, self.note = command, total, unit, note
        self.done = 0
        self.console = console
        self.interval = interval_s() if interval is None else interval
        self.clock = clock
        self.live = console.is_terminal
        self.lines = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._bar: Progress | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "Tracker":
        self.start = self._last = self.clock()
        if self.live:
            self._bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(),
                                 TextColumn("ETA"), TimeRemainingColumn(),
                                 console=self.console, transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self._description(), total=self.total)
        else:
            self._thread = threading.Thread(target=self._tick_loop, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._bar is not None:
            self._bar.stop()
        elif exc_type is None and self.lines:  # a long run gets its final line
            self._write(self.clock(), final=True)

    def update(self, done: int | None = None, *, total: int | None = None,
               note: str | None = None) -> None:
        with self._lock:
            self.done = self.done if done is None else done
            self.total = self.total if total is None else total
            self.note = self.note if note is None else note
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, total=self.total,
                             description=self._description())
        else:
            self.tick()

    def tick(self) -> None:
        """Write a plain line when `interval` seconds have passed since the last one."""
        now = self.clock()
        with self._lock:
            if now - self._last < self.interval:
                return
            self._last = now
        self._write(now)

    def line(self, now: float, final: bool = False) -> str:
        with self._lock:
            done, total, note = self.done, self.total, self.note
        elapsed = now - self.start
        text = f"[neuroimmune] {self.command}: "
        if total:
            text += f"{done}/{total} {self.unit}".rstrip() + ", "
        if final:
            return text + f"done in {elapsed:.0f} s"
        text += f"{elapsed:.0f} s elapsed"
        if total and 0 < done < total:
            text += f", ETA {elapsed / done * (total - done):.0f} s"
        return text + (f" ({note})" if note else "")

    def _write(self, now: float, final: bool = False) -> None:
        self.lines += 1
        self.console.file.write(self.line(now, final) + "\n")
        self.console.file.flush()

    def _tick_loop(self) -> None:
        while not self._stop.wait(min(self.interval, 1.0)):
            self.tick()

    def _description(self) -> str:
        return escape(f"{self.command}: {self.note}" if self.note else self.command)
