"""Source of the math helpers that every generated kernel module imports (powers, the modulo,
sine and cosine, exp and pow with their tables; one-patient and lane versions): one module per
kernel cache folder, ``ni_helpers_<key>.py`` (docs/design/0045-shared-math-helpers.md). Kept
free of sympy, so that a warm start which must write the file again (compile.helpers_module)
does not import the code generator."""

from __future__ import annotations

import functools
import hashlib
import math

from ._vecmath import exp_pow_helpers, horner, tables
from ._version import __version__

#: Largest whole-number divisor d whose modulo is printed as _pmod: n * d stays exact for every
#: quotient n below 2**33 (times up to about 10**11 h).
_MAX_EXACT_DIVISOR = 2**20

_IMPORTS = ["import math", "import numpy as np", "from numba import njit",
            "from neuroimmune.solvers.intrinsics import bits_float, float_bits, fma"]


def _helpers(suffix: str, how: str, modulo: bool = False) -> list[str]:
    """The power helpers named with `suffix`, compiled `how` (the same arithmetic either way),
    and with `modulo` the modulo helper (non-integer powers and exp: neuroimmune._vecmath).

    `_pmod(x, d)` is Python's x % d for a whole number d > 0 (d <= _MAX_EXACT_DIVISOR), bitwise
    (Python, and numba, compute fmod(x, d) and add d to a negative remainder): n = floor(x / d)
    is the true floor or, where x / d rounds up to a whole number, one more; n * d is exact; so
    x - n * d is the exact remainder (a multiple of ulp(x) below d, representable) or, for
    x < 0, its correctly rounded sum with d, which is what Python computes; a remainder below 0
    (the rounded-up quotient) is then the exact fmod, to which d is added as Python does. No
    library call (fmod is one per evaluation and keeps the lane loop from vectorising)."""
    return [f"@njit(cache=True, {how})",
            f"def _qpow{suffix}(x, k):",  # no early return: a select, so lane loops vectorise
            f"    v = _ipow{suffix}(math.sqrt(math.sqrt(x)), abs(k))",
            "    return (v if k > 0 else 1.0 / v) if x > 0.0 else 0.0", "", "",
            f"@njit(cache=True, {how})",
            f"def _ipow{suffix}(x, n):",
            "    r = 1.0",
            "    for _ in range(n):",
            "        r *= x",
            "    return r", "", ""] + ([
                f"@njit(cache=True, {how})",
                f"def _pmod{suffix}(x, d):",
                "    r = x - np.floor(x / d) * d",
                "    return r + d if r < 0.0 else r", "", ""] if modulo else [])


#: pi / 2 in three parts (Cody & Waite): the first two with 33 significant bits, so that n * part
#: is exact for whole n below 2**20, the third the rest rounded (mpmath at 200 bits;
#: tests/test_compile.py checks them); 2 / pi rounded.
_PIO2 = (1.5707963267341256, 6.077100506303966e-11, 2.0222662487959506e-21)
_TWO_OVER_PI = 0.6366197723675814
#: Taylor coefficients (-1)^k / (2k+1)! and (-1)^k / (2k)!, k = 1..8: on |r| <= pi/4 the first
#: terms left out are below 1.2e-19 (sine) and 3e-18 (cosine) of the result.
_SIN_TAYLOR = tuple((-1) ** k / math.factorial(2 * k + 1) for k in range(1, 9))
_COS_TAYLOR = tuple((-1) ** k / math.factorial(2 * k) for k in range(1, 9))


def _trig_helpers(suffix: str, how: str) -> list[str]:
    """`_sin`, `_cos` (named with `suffix`, compiled `how`): sine and cosine without a library
    call, so that the lane loop vectorises them (libm's sin, cos and sincos are scalar calls in
    it; docs/design/0024-solve-speed.md). The argument is reduced to r in [-pi/4, pi/4] and its
    quadrant n (Cody-Waite, pi/2 in three parts, exact for |x| < 2**20 pi/2 = 1.6e6), then Taylor
    polynomials in r; both functions compute the same reduction and polynomials, which LLVM
    evaluates once where a kernel takes sin and cos of the same argument. Within 1.4 ulp of the
    exact values (libm: within 1), so results differ from libm's in the last bits."""
    p1, p2, p3 = (repr(c) for c in _PIO2)
    return [f"@njit(cache=True, {how})",
            f"def _sincos{suffix}(x):",
            f"    n = np.floor(x * {_TWO_OVER_PI!r} + 0.5)",
            f"    r = ((x - n * {p1}) - n * {p2}) - n * {p3}",
            "    z = r * r",
            f"    s = r + r * (z * ({horner(_SIN_TAYLOR, 'z', fused=False)}))",
            f"    c = 1.0 + z * ({horner(_COS_TAYLOR, 'z', fused=False)})",
            "    q = n - 4.0 * np.floor(n * 0.25)  # quadrant 0..3",
            "    odd = q - 2.0 * np.floor(q * 0.5) == 1.0",
            "    a = c if odd else s",
            "    b = s if odd else c",
            "    # selects, no branches: sin = s, c, -s, -c and cos = c, -s, -c, s in quadrants"
            " 0..3",
            "    return (-a if q >= 2.0 else a), (-b if (q - 0.5) * (q - 2.5) < 0.0 else b)",
            "", "",
            f"@njit(cache=True, {how})",
            f"def _sin{suffix}(x):",
            f"    return _sincos{suffix}(x)[0]", "", "",
            f"@njit(cache=True, {how})",
            f"def _cos{suffix}(x):",
            f"    return _sincos{suffix}(x)[1]", "", ""]


@functools.lru_cache(maxsize=1)
def helpers_source() -> str:
    """Source of the math helpers every kernel module imports (powers, the modulo, sine and
    cosine, exp and pow with their tables; one-patient and lane versions): one module per
    kernel cache folder, compiled once rather than once per model (docs/design/0045)."""
    return "\n".join([f"# Generated by neuroimmune {__version__}: math helpers of the kernel "
                      "modules. Do not edit.", *_IMPORTS, "", "",
                      *_helpers("", "error_model='numpy'"),
                      *_helpers("_l", "inline='always'", modulo=True),
                      *_trig_helpers("", "error_model='numpy'"),
                      *_trig_helpers("_l", "inline='always'"),
                      *tables(),
                      *exp_pow_helpers("", "error_model='numpy'"),
                      *exp_pow_helpers("_l", "inline='always'")]) + "\n"


@functools.lru_cache(maxsize=1)
def helpers_key() -> str:
    """sha256 of the package version and the helpers' source (their module's name and key)."""
    return hashlib.sha256(f"{__version__}|helpers|{helpers_source()}".encode()).hexdigest()


#: What a kernel module takes from the helpers module.
HELPER_NAMES = ("_qpow", "_ipow", "_qpow_l", "_ipow_l", "_pmod_l", "_sincos", "_sin", "_cos",
                "_sincos_l", "_sin_l", "_cos_l", "_logdd", "_expdd", "_exp", "_ppow", "_logdd_l",
                "_expdd_l", "_exp_l", "_ppow_l")


def _helper_import() -> str:
    """The import line of the helpers; its comment carries their full key (compile._load)."""
    key = helpers_key()
    return (f"from neuroimmune_helpers_{key[:24]} import {', '.join(HELPER_NAMES)}"
            f"  # helpers {key}")
