"""Three LLVM operations that numba does not expose, for the generated kernels' `exp` and `pow`
(docs/design/0029-vector-pow.md): a fused multiply-add (the exact error of a product, and
polynomial steps with one rounding) and the bit patterns of a double (exponent and mantissa
without `frexp`, powers of two without `ldexp`). Each is one instruction that LLVM vectorises
across the lane loop, unlike a library call, and each is exactly rounded (or exact), so the
one-patient and the lane kernels still give the same bits.
"""

from llvmlite import ir
from numba.core import types
from numba.extending import intrinsic

_F64 = ir.DoubleType()


@intrinsic
def fma(typingctx, a, b, c):
    """a * b + c with one rounding (llvm.fma: an instruction where the CPU has FMA, a correctly
    rounded library call where it has not)."""
    sig = types.float64(types.float64, types.float64, types.float64)

    def codegen(context, builder, signature, args):
        fn = builder.module.declare_intrinsic("llvm.fma", [_F64],
                                              ir.FunctionType(_F64, [_F64] * 3))
        return builder.call(fn, args)
    return sig, codegen


@intrinsic
def float_bits(typingctx, x):
    """The IEEE-754 bit pattern of the double x as an int64."""
    sig = types.int64(types.float64)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))
    return sig, codegen


@intrinsic
def bits_float(typingctx, i):
    """The double whose bit pattern is the int64 i."""
    sig = types.float64(types.int64)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], _F64)
    return sig, codegen
