"""A model's entry points into the shared solver module (docs/design/0040-shared-solver.md).

`bind(kernels, solver)` gives a model's kernel module ``solve_serial_dp5``, ``solve_batch_lanes``
and ``solve_batch`` with the arguments they always had; each calls the shared solver with the
addresses of the model kernels it needs (compiled, or loaded from numba's cache, on first use).
An explicit run passes the kernel module's NaN ``no_jacobian`` in the Jacobian slot, which it
never calls; a Rodas4 run passes ``jac`` and the ``derived`` of the model's Jacobian module
(``kernels.jacobian_kernels()``, generated on that first use: docs/design/0041-lazy-
jacobian.md). Each solver entry is compiled for one signature and then closed to others, so a
wrong argument is a SolverError naming it, never a new compilation.
"""

from __future__ import annotations

import warnings
from types import ModuleType
from typing import Any, Callable

import numba
import numpy as np
from numba.core import types
from numba.core.errors import NumbaExperimentalFeatureWarning

from ..errors import SolverError, problem
from . import METHODS
from .fnptr import SLOTS, address

_F, _I = types.float64, types.int64
_HEAD = (("fns", types.int64[::1]), ("nonneg", types.boolean[::1]), ("n_derived", _I))
_ARGS = (("y0", _F[:, ::1]), ("params", _F[:, ::1]), ("clock0", _F), ("seg_t", _F[::1]),
         ("seg_jump", _F[:, ::1]), ("seg_u", _F[:, ::1]), ("t_eval", _F[::1]), ("rtol", _F),
         ("atol", _F[::1]), ("hmax", _F), ("max_steps", _I), ("out", _F[:, :, ::1]),
         ("status", _I[::1]), ("nsteps", _I[::1]), ("y_end", _F[:, ::1]))
#: Each compiled entry of the solver module: its arguments and the kernels it calls.
ENTRIES = {
    "solve_serial_dp5": (_HEAD + _ARGS, ("rhs", "observe", "derived")),
    "_lanes_chunks": (_HEAD + (("c0", _I), ("c1", _I), ("n_chunks", _I)) + _ARGS,
                      ("rhs", "observe", "derived", "rhs_lanes")),
    "solve_batch": (_HEAD + (("method", _I),) + _ARGS, ("rhs", "observe", "derived", "jac")),
}


def entry(solver: ModuleType, name: str):
    """The solver's entry `name`, compiled (or loaded from numba's cache) for its signature and
    closed to any other."""
    f = getattr(solver, name)
    if getattr(f, "_can_compile", False) and not f.signatures:  # (not a test's stand-in)
        with warnings.catch_warnings():  # first-class functions: known, and tested (fnptr)
            warnings.simplefilter("ignore", NumbaExperimentalFeatureWarning)
            f.compile(tuple(t for _, t in ENTRIES[name][0]))
        f.disable_compile()
    return f


def check(name: str, args: tuple) -> None:
    """Raise a SolverError naming the first argument of entry `name` whose type is not the one
    it is compiled for (nothing when all are)."""
    expected = ENTRIES[name][0]
    if len(args) != len(expected):
        raise SolverError(problem(f"the solver entry {name}", f"{len(expected)} arguments",
                                  len(args), "pass the arguments of neuroimmune.solve"))
    for (arg, kind), value in zip(expected, args):
        found = numba.typeof(value)
        if found != kind and not (isinstance(kind, types.Number) and isinstance(found,
                                                                                 types.Number)):
            raise SolverError(problem(f"argument {arg!r} of the solver entry {name}", str(kind),
                                      str(found), "pass a C-contiguous writable array of that "
                                      "dtype (np.ascontiguousarray), or a number"))


class _Entries:
    """The entry points of one model: the shared solver with this model's kernels."""

    def __init__(self, kernels: ModuleType, solver: Callable[[], ModuleType]):
        self.kernels = kernels
        self.solver = solver
        self.fns = np.zeros(len(SLOTS), dtype=np.int64)
        self.nonneg = np.ascontiguousarray(kernels.NONNEG, dtype=np.bool_)
        self.n_derived = int(kernels.N_DERIVED)
        self.ready: dict[str, Any] = {}
        #: Rodas4's head: the Jacobian module's derived and jac (filled on the first Rodas4 run)
        self.implicit: tuple | None = None

    def _head(self, name: str) -> tuple:
        """fns, nonneg, n_derived, with the addresses entry `name` needs filled in (an
        explicit run's: the Jacobian slot holds `no_jacobian`)."""
        if name not in self.ready:
            for kernel in ENTRIES[name][1]:
                slot = SLOTS[kernel]
                if not self.fns[slot]:
                    f = getattr(self.kernels, "no_jacobian" if kernel == "jac" else kernel)
                    self.fns[slot] = address(f, kernel)
            self.ready[name] = entry(self.solver(), name)
        return self.fns, self.nonneg, self.n_derived

    def _implicit_head(self) -> tuple:
        """fns, nonneg, n_derived of a Rodas4 run: `jac` and `derived` (a longer q: the kernel
        module's entries, then the Jacobian's) from the Jacobian module."""
        if self.implicit is None:
            fns, nonneg, _ = self._head("solve_batch")
            jm = self.kernels.jacobian_kernels()
            fns = fns.copy()
            for kernel in ("derived", "jac"):
                fns[SLOTS[kernel]] = address(getattr(jm, kernel), kernel)
            self.implicit = (fns, nonneg, int(jm.N_DERIVED))
        return self.implicit

    def solve_serial_dp5(self, *args):
        head = self._head("solve_serial_dp5")
        try:
            self.ready["solve_serial_dp5"](*head, *args)
        except TypeError:
            check("solve_serial_dp5", head + args)
            raise

    def solve_batch(self, method, *args):
        head = (self._implicit_head() if method == METHODS["rodas4"]
                else self._head("solve_batch"))
        try:
            self.ready["solve_batch"](*head, method, *args)
        except TypeError:
            check("solve_batch", head + (method,) + args)
            raise

    def solve_batch_lanes(self, n_chunks, *args):
        head = self._head("_lanes_chunks")
        try:
            self.solver().solve_batch_lanes(*head, n_chunks, *args)
        except TypeError:
            check("_lanes_chunks", head + (0, n_chunks, n_chunks) + args)
            raise


def bind(kernels: ModuleType, solver: Callable[[], ModuleType]) -> None:
    """Give the kernel module `kernels` its entry points into the shared solver (`solver()`
    loads it)."""
    entries = _Entries(kernels, solver)
    for name, value in (("solve_serial_dp5", entries.solve_serial_dp5),
                        ("solve_batch", entries.solve_batch),
                        ("solve_batch_lanes", entries.solve_batch_lanes),
                        ("shared_solver", solver)):
        setattr(kernels, name, value)
