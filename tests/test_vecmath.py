"""The kernels' own exp and non-integer pow (neuroimmune._vecmath, docs/design/0029-vector-pow.md):
accuracy against mpmath, libm's special values, the tables and split constants, and no library
call left in the kernels."""

import math
import os
import re
import sys

import mpmath
import numpy as np
import pytest
from numba import njit

from neuroimmune import compile_model, innate
from neuroimmune._vecmath import EXPM1_TAYLOR, LOG1P_TAYLOR, N_EXP, N_LOG, constants

#: non-integer exponents of the library's models (Hill coefficients 0.3, 3.16, 3.68) and of
#: their Jacobians (e - 1, 2e - 1, ...)
MODEL_EXPONENTS = (0.3, 3.16, 3.68, -0.7, 2.16, 2.68, 5.32, 6.36, 7.36)


@njit(error_model="numpy")
def _libm_pow(x, e):  # the helper _ppow replaced
    return x ** e if x > 0.0 else 0.0


@njit(error_model="numpy")
def _libm_exp(x):
    return math.exp(x)


def _ulps(value: float, exact) -> float:
    """|value - exact| in units of the last place of the exact value rounded, halved for a
    subnormal result: those are rounded twice (p, then p * 2**m), so within 1 ulp, not 0.5."""
    err = float(abs(mpmath.mpf(value) - exact)) / np.spacing(abs(float(exact)))
    return err if abs(float(exact)) >= 2.2250738585072014e-308 else err / 2


def _worst_pow_ulps(k, xs, es) -> float:
    worst = 0.0
    with mpmath.workprec(160):
        for x, e in zip(xs, es):
            exact = mpmath.power(mpmath.mpf(float(x)), mpmath.mpf(float(e)))
            if exact != 0 and float(exact) not in (0.0, math.inf):
                worst = max(worst, _ulps(k._ppow(x, e), exact))
    return worst


def test_pow_is_within_half_an_ulp_and_a_bit_for_the_models_exponents(innate_system):
    k = innate_system.kernels
    rng = np.random.default_rng(0)
    xs = np.concatenate([np.exp(rng.uniform(-35.0, 35.0, 700)), rng.uniform(0.5, 2.0, 200),
                         1.0 + rng.uniform(-1e-6, 1e-6, 100)])
    for e in MODEL_EXPONENTS:
        assert _worst_pow_ulps(k, xs, np.full(xs.size, e)) < 0.52, e


def test_pow_is_accurate_over_the_whole_range(innate_system):
    """Any exponent up to 12 in size, results from subnormal (within 1 ulp there) to near
    overflow, subnormal bases: libm's pow is within 0.503 ulp on the same points."""
    k = innate_system.kernels
    rng = np.random.default_rng(1)
    es = rng.uniform(-12.0, 12.0, 3000)
    xs = np.exp(rng.uniform(-744.0, 709.0, es.size) / np.maximum(np.abs(es), 1.0))
    tiny = np.array([5e-324, 1e-320, 1e-310, 2.2250738585072014e-308, 1.7976931348623157e308])
    xs = np.concatenate([xs, np.repeat(tiny, 4)])
    es = np.concatenate([es, np.tile([0.3, 0.7, 1.5, -0.3], tiny.size)])
    assert _worst_pow_ulps(k, xs, es) < 0.52


def test_exp_is_within_half_an_ulp_and_a_bit(innate_system):
    """Subnormal results (x < -708.4) within 1 ulp."""
    k = innate_system.kernels
    rng = np.random.default_rng(2)
    xs = np.concatenate([rng.uniform(-745.0, 709.7, 3000), rng.uniform(-1.0, 1.0, 1000),
                         rng.uniform(-1e-8, 1e-8, 200), np.log(2) / 256 * np.arange(-300, 301)])
    worst = 0.0
    with mpmath.workprec(160):
        for x in xs:
            worst = max(worst, _ulps(k._exp(x), mpmath.exp(mpmath.mpf(float(x)))))
    assert worst < 0.52


def test_special_values_are_libms(innate_system):
    """pow for x <= 0 and NaN gives 0 (the helper it replaces); for x > 0 libm's pow: infinite
    base and exponent, zero and NaN exponents, x = 1, subnormals, overflow and underflow. exp:
    libm's for every input listed."""
    k = innate_system.kernels
    xs = [0.0, -0.0, -1.0, -2.5, np.nan, np.inf, -np.inf, 1.0, 5e-324, 1e-310, 0.5, 2.0,
          1.7976931348623157e308, 1e300, 1e-300]
    es = [0.0, -0.0, 0.3, -0.3, 3.68, -3.68, np.nan, np.inf, -np.inf, 2.0, 1e5, -1e5, 1e-300]
    for x in xs:
        for e in es:
            for ours in (k._ppow(x, e), k._ppow_l(x, e)):
                np.testing.assert_equal(ours, _libm_pow(x, e), err_msg=f"pow({x}, {e})")
    for x in [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 709.78, 709.79, 710.0, -708.4,
              -745.1, -745.2, -746.0, 1e-320, -1e-320, 1e300, -1e300]:
        for ours in (k._exp(x), k._exp_l(x)):
            np.testing.assert_equal(ours, _libm_exp(x), err_msg=f"exp({x})")


def test_lane_copies_give_the_same_bits(innate_system):
    k = innate_system.kernels
    rng = np.random.default_rng(3)
    for x, e, d in zip(np.exp(rng.uniform(-20.0, 20.0, 200)), rng.uniform(-8.0, 8.0, 200),
                       rng.uniform(-700.0, 700.0, 200)):
        assert k._ppow_l(x, e) == k._ppow(x, e) and k._exp_l(d) == k._exp(d)


def test_tables_and_split_constants():
    """The exactness each split promises, and the tables to the last bit (mpmath, 200 bits)."""
    c = constants()

    def bits_used(v: float) -> int:
        m = mpmath.frexp(mpmath.mpf(v))[0]
        return next(b for b in range(54) if m * 2**b == int(m * 2**b))

    with mpmath.workprec(200):
        ln2 = mpmath.log(2)
        assert bits_used(c["LN2"][0]) <= 42 and bits_used(c["STEP"][0]) <= 35
        assert abs(sum(map(mpmath.mpf, c["LN2"])) - ln2) < mpmath.mpf(2) ** -95
        assert abs(sum(map(mpmath.mpf, c["STEP"])) - ln2 / N_EXP) < mpmath.mpf(2) ** -95
        assert c["INV_STEP"][0] == float(N_EXP / ln2)
        for i in range(N_LOG):
            inv = c["INVC"][i]
            assert bits_used(inv) <= 8
            hi = mpmath.mpf(c["LOG_C_HI"][i])
            assert hi * 2**42 == int(hi * 2**42)  # k * LN2[0] + hi is exact
            assert abs(hi + c["LOG_C_LO"][i] + mpmath.log(inv)) < mpmath.mpf(2) ** -95
            # z / c - 1 stays below 2**-7 over the subinterval (its ends, in z's bits)
            for j in (i, i + 1):
                z = np.array([0x3FE6955500000000 + (j << 45)], dtype=np.int64).view(np.float64)
                assert abs(mpmath.mpf(float(z[0])) * inv - 1) < mpmath.mpf(2) ** -7
        for j in range(N_EXP):
            exact = mpmath.mpf(2) ** (mpmath.mpf(j) / N_EXP)
            assert abs(c["EXP2_HI"][j] + mpmath.mpf(c["EXP2_LO"][j]) - exact) < exact * 2.0**-104
    assert LOG1P_TAYLOR[0] == -2 / 3 and EXPM1_TAYLOR[0] == 0.5


@pytest.mark.skipif(sys.platform != "linux" or os.uname().machine != "x86_64",
                    reason="reads x86-64 assembly")
def test_kernels_call_neither_pow_nor_exp(tmp_path, monkeypatch):
    """The innate module's Hill terms (exponents 3.16, 0.3, 3.68) and its adrenergic exp compile
    to arithmetic: no call of pow or exp in the lane kernel (which then vectorises them, on
    packed registers) nor in the one-patient rhs (fresh cache, so numba keeps the assembly)."""
    import importlib

    monkeypatch.setattr(importlib.import_module("neuroimmune.compile"), "_LOADED", {})
    system = compile_model(innate(), cache_dir=tmp_path)
    k = system.kernels
    L, n = k.LANES, system.n_states
    q = np.zeros(max(k.N_DERIVED, 1))
    k.derived(system.p0, q)
    u = np.concatenate([np.zeros(n), system.signal_defaults])
    k.rhs(0.0, 8.0, system.y0.copy(), system.p0, q, u, np.zeros(n))
    k.rhs_lanes(np.zeros(L), 8.0, np.repeat(system.y0, L), np.repeat(system.p0, L),
                np.repeat(q, L), np.repeat(u, L), np.zeros(n * L))
    source = system.source_path.read_text()
    assert "_ppow_l(" in source and "_exp_l(" in source and "math.exp" not in source
    for kernel in (k.rhs, k.rhs_lanes):
        asm = kernel.inspect_asm(kernel.signatures[0]).split(".cfi_endproc")[0]
        called = (set(re.findall(r"movabsq\s+\$(\w+)", asm))
                  | set(re.findall(r"call\w*\s+(\w+)", asm)))
        assert not called & {"pow", "exp", "log", "exp2", "log2"}, (kernel.__name__, called)
        assert not any("_ppow" in c or "_exp" in c for c in called), called
