"""The model's kernels as first-class function values of the shared solver module
(docs/design/0040-shared-solver.md).

The solver is compiled once for every model: its entry points take the addresses of the model's
compiled kernels (an int64 array, one slot per kernel) and turn each into a numba function value
(`types.FunctionType` of a fixed signature) with an intrinsic, so no Python object is unboxed per
call and the solver's own code does not depend on the model. The address is that of numba's own
compiled function (its calling convention: what a direct call of the kernel would call), so
results are those of a direct call. numba's first-class function types are experimental: what is
used here (the FunctionType data model, `get_compile_result`, `fndesc.llvm_func_name`) is checked
by tests/test_shared_solver.py.
"""

from __future__ import annotations

import numba
import numba.experimental.function_type  # noqa: F401  (registers the FunctionType data model)
from llvmlite import ir
from numba.core import cgutils, types
from numba.core.datamodel import default_manager
from numba.extending import intrinsic

_F = types.float64
_A1 = types.float64[::1]
_A2 = types.float64[:, ::1]

#: The signature each model kernel is compiled for and called with, in the order of its slot in
#: the solver's `fns` array.
SIGNATURES = {
    "rhs": types.none(_F, _F, _A1, _A1, _A1, _A1, _A1),
    "observe": types.none(_F, _F, _A1, _A1, _A1, _A1, _A1),
    "derived": types.none(_A1, _A1),
    "rhs_lanes": types.none(_A1, _F, _A1, _A1, _A1, _A1, _A1),
    "jac": types.none(_F, _F, _A1, _A1, _A1, _A1, _A2),
}
SLOTS = {name: slot for slot, name in enumerate(SIGNATURES)}
F_RHS, F_OBSERVE, F_DERIVED, F_RHS_LANES, F_JAC = (SLOTS[n] for n in SIGNATURES)

#: The fields of numba's function value that the intrinsic sets (numba 0.68.1; numba 0.58's had
#: no jit_addr): another layout fails here, at import, not in compiled code.
_FIELDS = ("c_addr", "py_addr", "jit_addr")
if getattr(default_manager.lookup(types.FunctionType(SIGNATURES["derived"])), "_fields",
           None) != _FIELDS:
    raise ImportError(f"neuroimmune's shared solver needs numba's first-class function values "
                      f"with the fields {_FIELDS} (numba 0.68.1 has them); numba "
                      f"{numba.__version__} has another layout. Fix: install numba 0.68")


def _from_address(name: str):
    fntype = types.FunctionType(SIGNATURES[name])

    @intrinsic
    def cast(typingctx, address):
        """The kernel at `address` (int64) as a function value (no C wrapper, no Python
        object: a call goes straight to the address, with numba's calling convention)."""
        if not isinstance(address, types.Integer):
            return None

        def codegen(context, builder, signature, args):
            value = cgutils.create_struct_proxy(fntype)(context, builder)
            void = ir.IntType(8).as_pointer()
            value.c_addr = void(None)
            value.py_addr = void(None)
            value.jit_addr = builder.inttoptr(args[0], void)
            return value._getvalue()

        return fntype(address), codegen

    return cast


as_rhs = _from_address("rhs")
as_observe = _from_address("observe")
as_derived = _from_address("derived")
as_rhs_lanes = _from_address("rhs_lanes")
as_jac = _from_address("jac")


def address(kernel, name: str) -> int:
    """The address of `kernel` (a numba dispatcher of the model module) compiled for the
    signature of kernel `name` (loaded from numba's cache where it was compiled before)."""
    cres = kernel.get_compile_result(SIGNATURES[name])
    return cres.library.get_pointer_to_function(cres.fndesc.llvm_func_name)
