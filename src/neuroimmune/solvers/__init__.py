"""Numerical integrators, written as numba templates.

The files in ``templates/`` are plain Python source that the compiler appends to the generated
model kernels (``rhs``, ``jac``, ``observe``, ``derived``), so numba compiles and caches the solver
and the model together as one module. They know nothing about physiology.
"""

from __future__ import annotations

from enum import IntEnum
from importlib import resources

#: Integration methods by name (the index is what the kernels receive).
METHODS = {"dopri5": 0, "rodas4": 1}


class Status(IntEnum):
    """Outcome of one patient's integration."""

    SUCCESS = 0
    MAX_STEPS = 1
    STEP_UNDERFLOW = 2
    NONFINITE = 3
    NOT_RUN = 4


STATUS_MESSAGES = {
    Status.SUCCESS: "success",
    Status.MAX_STEPS: "too many steps: the solver reached max_steps before the end time. "
                      "Fix: increase max_steps, or use method='rodas4' if the problem is stiff",
    Status.STEP_UNDERFLOW: "step size underflow: the step shrank below 1e-12 h (a discontinuity "
                           "or a state leaving its non-negative domain). Fix: check the "
                           "parameters, "
                           "or loosen rtol/atol",
    Status.NONFINITE: "non-finite state: the solution became NaN or infinite (a division by "
                      "zero or an overflow). Fix: check the doses, stressors and parameter "
                      "values of this patient",
    Status.NOT_RUN: "not run: the pre-equilibration of this patient failed",
}

_TEMPLATE_ORDER = ("common.py", "linalg.py", "dopri5.py", "dopri5_lanes.py", "rodas4.py",
                   "driver.py")


def template_source() -> str:
    """The solver source appended to every generated kernel module."""
    pkg = resources.files(__name__) / "templates"
    return "\n\n".join((pkg / name).read_text() for name in _TEMPLATE_ORDER)
