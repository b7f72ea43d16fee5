"""A numba compiler pipeline whose array arguments are declared not to alias.

numba has the flag (its parallel backend sets it for the gufuncs it generates) but no decorator
option. Without it LLVM must prove at run time that the stores of ``rhs_lanes`` to ``dy`` do not
overlap its loads from ``y``, ``p`` and ``q``; with tens of rows that is "too many memory checks"
and the lane loop stays scalar (LLVM remark of -pass-remarks-missed=loop-vectorize). Only the
generated kernels use it, and they never pass overlapping arrays.

Importing this module (every generated kernel module does, before numba compiles anything in it)
also raises LLVM's alias-set saturation threshold. Past that many pointers in one loop (LLVM's
default: 250) the alias-set tracker merges them all into one may-alias set, noalias or not, and
the loop vectoriser gives up ("cannot identify array bounds": the exp/pow table look-ups have no
bounds to check at run time). The standard model's lane loop reads and writes about 230 array
elements plus the table look-ups; the full bench model's, about 530. See
docs/design/0033-alias-set-threshold.md.
"""

import llvmlite.binding as llvm
from numba.core.compiler import Compiler

#: Pointers in one loop above which LLVM stops telling them apart (its default is 250): ten
#: times what the largest bench model's lane loop needs.
ALIAS_SET_SATURATION_THRESHOLD = 10_000
llvm.set_option("neuroimmune", f"-alias-set-saturation-threshold={ALIAS_SET_SATURATION_THRESHOLD}")


class NoAliasCompiler(Compiler):
    """numba's standard pipeline with ``flags.noalias`` set."""

    def __init__(self, typingctx, targetctx, library, args, return_type, flags, locals):
        flags.noalias = True
        super().__init__(typingctx, targetctx, library, args, return_type, flags, locals)
