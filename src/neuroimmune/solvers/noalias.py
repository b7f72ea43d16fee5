"""A numba compiler pipeline whose array arguments are declared not to alias.

numba has the flag (its parallel backend sets it for the gufuncs it generates) but no decorator
option. Without it LLVM must prove at run time that the stores of ``rhs_lanes`` to ``dy`` do not
overlap its loads from ``y``, ``p`` and ``q``; with tens of rows that is "too many memory checks"
and the lane loop stays scalar (LLVM remark of -pass-remarks-missed=loop-vectorize). Only the
generated kernels use it, and they never pass overlapping arrays.
"""

from numba.core.compiler import Compiler


class NoAliasCompiler(Compiler):
    """numba's standard pipeline with ``flags.noalias`` set."""

    def __init__(self, typingctx, targetctx, library, args, return_type, flags, locals):
        flags.noalias = True
        super().__init__(typingctx, targetctx, library, args, return_type, flags, locals)
