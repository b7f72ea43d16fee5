"""Source of the generated kernels' `exp` and non-integer `pow` (x**e for x > 0): arithmetic, bit
operations and table reads, no library call, so that LLVM vectorises them across the lane loop of
``rhs_lanes`` (libm's exp and pow are scalar calls there, and the PyPI llvmlite has no vector
math library: docs/design/0029-vector-pow.md). The one-patient kernels use the same helpers, so
both give the same bits.

The method is glibc's (ARM optimized-routines) pow and exp, with tables and polynomials made
here (mpmath, Taylor coefficients): log(x) = k ln2 + log(c) + log1p(r) with x = 2**k z, c the
centre of z's 1/128 subinterval rounded so that 1/c has 8 bits, r = z/c - 1 (one fma, |r| < 2**-7),
as a double-double; e log(x) as a double-double (exact product by fma); exp(d) =
2**(n/128) exp(r) with |r| <= ln2/256 and 2**(j/128) from a table. Within 0.51 ulp of the exact
values (tests/test_vecmath.py), as libm's are.
"""

from __future__ import annotations

import functools
import math
import struct

#: table sizes: the subintervals of log's z and the steps of exp's 2**(j/128)
N_LOG = N_EXP = 128
#: z = x / 2**k lies in [OFF, 2 OFF) (OFF's bits: glibc's), about [0.70, 1.39)
_OFF_BITS = 0x3FE6955500000000
#: (-1)**(k+1) / k divided by -1/2, k = 3..8: log1p(r) = r - r**2/2 + (-r**3/2) sum c r**(k-3);
#: the first term left out, r**9 / 9, is below 3e-20 (|r| < 2**-7)
LOG1P_TAYLOR = tuple(2.0 * (-1) ** k / k for k in range(3, 9))
#: 1 / k!, k = 2..5: expm1(r) = r + r**2 sum c r**(k-2); the first term left out, r**6 / 720,
#: is below 6e-19 (|r| <= ln2 / 256)
EXPM1_TAYLOR = tuple(1.0 / math.factorial(k) for k in range(2, 6))
#: exp's argument is clamped to +-760 (exp(760) overflows, exp(-760) is 0): 2**m is then taken
#: as two powers of two of at most 2**549 each, and a result below 2**-1022 underflows
#: gradually with one rounding
_EXP_CLAMP = 760.0


def _bits_float(i: int) -> float:
    return struct.unpack("<d", struct.pack("<q", i))[0]


def _split(value, bits: int) -> tuple[float, float]:
    """An mpmath value as hi + lo, hi with at most `bits` significant bits."""
    import mpmath

    m, e = mpmath.frexp(value)
    hi = float(mpmath.floor(m * 2**bits) / 2**bits * mpmath.mpf(2) ** e)
    return hi, float(value - hi)


@functools.cache
def constants() -> dict[str, tuple[float, ...]]:
    """The tables (mpmath at 200 bits) and the split constants.

    LN2: 42 + 53 bits, so k * LN2[0] is exact for |k| < 2**11; LOG_C_HI: log(c) rounded to a
    multiple of 2**-42, so that k * LN2[0] + LOG_C_HI is exact; STEP: ln2 / 128 with 35 bits, so
    n * STEP[0] is exact for |n| < 2**18 (exp's argument is at most 760 = 140,000 steps)."""
    import mpmath

    with mpmath.workprec(200):
        invc, logc_hi, logc_lo = [], [], []
        for i in range(N_LOG):
            centre = 0.5 * (_bits_float(_OFF_BITS + (i << 45))
                             + _bits_float(_OFF_BITS + ((i + 1) << 45)))
            m, e = math.frexp(1.0 / centre)
            inv = round(m * 2**8) / 2**8 * 2.0**e  # 8 significant bits
            log_c = -mpmath.log(mpmath.mpf(inv))
            hi = float(mpmath.nint(log_c * 2**42) / 2**42)
            invc.append(inv)
            logc_hi.append(hi)
            logc_lo.append(float(log_c - hi))
        powers = [mpmath.mpf(2) ** (mpmath.mpf(j) / N_EXP) for j in range(N_EXP)]
        ln2 = mpmath.log(2)
        return {"LN2": _split(ln2, 42), "STEP": _split(ln2 / N_EXP, 35),
                "INV_STEP": (float(N_EXP / ln2),), "INVC": tuple(invc),
                "LOG_C_HI": tuple(logc_hi), "LOG_C_LO": tuple(logc_lo),
                "EXP2_HI": tuple(float(p) for p in powers),
                "EXP2_LO": tuple(float(p - float(p)) for p in powers)}


def tables() -> list[str]:
    """Module-level table arrays of the generated source (numba freezes them as constants)."""
    c = constants()
    return [f"_{name} = np.array({list(c[name])!r})"
            for name in ("INVC", "LOG_C_HI", "LOG_C_LO", "EXP2_HI", "EXP2_LO")] + ["", ""]


def horner(coefficients: tuple[float, ...], z: str, fused: bool = True) -> str:
    """Source of the polynomial sum c_k z^k in Horner form, with `fma` calls when `fused`."""
    text = repr(coefficients[-1])
    for c in reversed(coefficients[:-1]):
        text = f"fma({z}, {text}, {c!r})" if fused else f"{c!r} + {z} * ({text})"
    return text


def exp_pow_helpers(suffix: str, how: str) -> list[str]:
    """`_logdd`, `_expdd`, `_exp` and `_ppow` named with `suffix`, compiled `how`.

    `_ppow(x, e)` keeps the semantics of the helper it replaces, ``x ** e if x > 0 else 0``
    (libm's pow for x > 0: pow(inf, e), pow(x, 0) = pow(1, e) = 1, NaN for a NaN exponent;
    0 for x <= 0 and NaN); `_exp` is libm's exp for every input (inf, 0, NaN included)."""
    c = constants()
    (ln2_hi, ln2_lo), (step_hi, step_lo) = c["LN2"], c["STEP"]
    clamp = repr(_EXP_CLAMP)
    dec = f"@njit(cache=True, {how})"
    return [
        dec,
        f"def _logdd{suffix}(x):",
        "    # log(x) = hi + lo for x > 0 finite (subnormals scaled by 2**54 first)",
        "    tiny = x < 2.2250738585072014e-308",
        "    ix = float_bits(x * 18014398509481984.0 if tiny else x)",
        f"    tmp = ix - {_OFF_BITS}",
        f"    i = (tmp >> 45) & {N_LOG - 1}",
        "    k = tmp >> 52",
        "    z = bits_float(ix - (k << 52))",
        "    kf = float(k) - (54.0 if tiny else 0.0)",
        "    r = fma(z, _INVC[i], -1.0)",
        f"    t1 = kf * {ln2_hi!r} + _LOG_C_HI[i]  # exact",
        "    t2 = t1 + r",
        "    bb = t2 - t1",
        f"    lo = ((t1 - (t2 - bb)) + (r - bb)) + (kf * {ln2_lo!r} + _LOG_C_LO[i])",
        "    ar = -0.5 * r",
        "    ar2 = r * ar",
        "    hi = t2 + ar2",
        "    lo += fma(ar, r, -ar2) + ((t2 - hi) + ar2)",
        f"    return hi, lo + r * ar2 * ({horner(LOG1P_TAYLOR, 'r')})", "", "",
        dec,
        f"def _expdd{suffix}(d0, d_lo):",
        "    # exp(d0 + d_lo), |d_lo| <= ulp(d0)",
        f"    d = {clamp} if d0 > {clamp} else (-{clamp} if d0 < -{clamp} else d0)",
        f"    n = np.floor(d * {c['INV_STEP'][0]!r} + 0.5)",
        f"    r = ((d - n * {step_hi!r}) - n * {step_lo!r}) + (d_lo if d == d0 else 0.0)",
        f"    q = fma(r * r, {horner(EXPM1_TAYLOR, 'r')}, r)",
        "    ni = int(n if n == n else 0.0)",
        f"    j = ni & {N_EXP - 1}",
        "    t = _EXP2_HI[j]",
        "    p = t + fma(t, q, _EXP2_LO[j])",
        "    m = ni >> 7",
        "    m1 = m >> 1",
        "    return p * bits_float((m1 + 1023) << 52) * bits_float((m - m1 + 1023) << 52)", "",
        "",
        dec,
        f"def _exp{suffix}(x):",
        f"    return _expdd{suffix}(x, 0.0)", "", "",
        dec,
        f"def _ppow{suffix}(x, e):",
        f"    hi, lo = _logdd{suffix}(x)",
        "    hi = np.inf if x == np.inf else hi",
        "    d = e * hi",
        f"    y = _expdd{suffix}(d, fma(e, hi, -d) + e * lo)",
        "    y = 1.0 if (e == 0.0 or x == 1.0) else y",
        "    return y if x > 0.0 else 0.0", "", ""]
