"""Code generation and the on-disk kernel cache."""

import os
import re
import sys

import numpy as np
import pytest
import sympy as sp

from neuroimmune import UnitError, compile_model, innate
from neuroimmune.compile import generate_jacobian_source, generate_source, model_key
from neuroimmune.model import Module, Parameter, Species, sym
from neuroimmune.protocol import SignalStep


def _kernel_part(source: str, name: str) -> str:
    start = source.index(f"def {name}(")
    return source[start:source.index("\n\n\n", start)]


def test_integer_powers_are_products_and_constants_are_hoisted():
    src = generate_source(innate())
    rhs = _kernel_part(src, "rhs")
    # Integer Hill exponents (3, 2, 4, 1) become multiplications; 3.16 and 3.68 go to _ppow_l
    # (inlined: docs/design/0029-vector-pow.md)
    assert "**" not in rhs
    assert "_ppow_l(" in rhs and "_ppow(" not in rhs
    # No parameter-only power stays in the right-hand side: K**n lives in derived()
    assert not re.search(r"_ppow_l\(p_\d+, ", rhs)  # p_j: p[j] read once at the top
    derived = _kernel_part(src, "derived")
    assert len(re.findall(r"q\[\d+\] =", derived)) >= 10


def test_key_depends_on_structure_not_on_free_parameter_values():
    m = innate()
    assert model_key(m) == model_key(m.with_parameters(kTNF=2.0))
    assert model_key(m) != model_key(m.with_parameters(hTNF6=3.0))  # structural constant


def test_unit_errors_are_raised_at_compile_time(tmp_path):
    bad = Module("bad", (Species("X", "pg/mL", 1.0),), (Parameter("k", 1.0, "1/min", "t"),),
                 {"X": -sym("k") * sym("X")})
    with pytest.raises(UnitError, match="rate of X"):
        compile_model(bad, cache_dir=tmp_path)
    assert not list(tmp_path.glob("*.py"))


def test_analytic_jacobian_matches_finite_differences(coupled_system):
    s = coupled_system
    k = s.kernels
    rng = np.random.default_rng(0)
    y = s.y0 * (1 + 0.3 * rng.random(s.n_states)) + 0.5
    y[s.states.index("LPS")] = 1.0
    y[s.states.index("monocytes_activated")] = 500.0
    p = s.p0.copy()
    jm = k.jacobian_kernels()  # the Jacobian and its longer derived (generated on first use)
    q = np.empty(max(jm.N_DERIVED, 1))
    jm.derived(p, q)
    u = np.concatenate([np.zeros(s.n_states), s.signal_defaults])
    J = np.empty((s.n_states, s.n_states))
    jm.jac(3.0, 8.0, y, p, q, u, J)
    f0, f1 = np.empty(s.n_states), np.empty(s.n_states)
    for j in range(s.n_states):
        h = 1e-6 * max(abs(y[j]), 1.0)
        yp, ym = y.copy(), y.copy()
        yp[j] += h
        ym[j] -= h
        k.rhs(3.0, 8.0, yp, p, q, u, f1)
        k.rhs(3.0, 8.0, ym, p, q, u, f0)
        fd = (f1 - f0) / (2 * h)
        np.testing.assert_allclose(J[:, j], fd, rtol=1e-5, atol=1e-8 * np.abs(fd).max() + 1e-12)


def test_piecewise_branches_are_evaluated_only_when_taken():
    """A Piecewise becomes an if/else block ahead of the common subexpressions, so the arithmetic
    of the branch not taken is skipped; both branches integrate to their exact solutions."""
    from neuroimmune import Protocol, solve
    from neuroimmune.model import Input

    x, k, s = sym("X"), sym("k_x"), sym("switch")
    # the second branch does more work for the same value: sqrt((x^2 + 1)^2) - x^2 = 1
    rate = sp.Piecewise((-k * x, s <= 0),
                        (-k * x * (sp.sqrt(x**4 + 2 * x**2 + 1) - x**2), True))
    m = Module("pw", (Species("X", "1", 1.0, "test"),),
               (Parameter("k_x", 0.5, "1/h", "test"),), {"X": rate},
               inputs=(Input("switch", "1", 0.0),))
    rhs = _kernel_part(generate_source(m), "rhs")
    # the input read once into a local at the top (u_1 = u[1]), then the branch on it
    assert re.search(r"if \(u_\d+ <= 0\.0\):", rhs) and "else:" in rhs
    first_if = rhs.index("if ")
    assert "sqrt" not in rhs[:first_if] and "_qpow" not in rhs[:first_if]
    system = compile_model(m)
    t = np.linspace(0.0, 4.0, 5)
    for events in ([], [SignalStep("switch", 0.0, 4.0, 1.0)]):
        y = solve(system, None, Protocol(events), t).outputs[0, :, 0]
        np.testing.assert_allclose(y, np.exp(-0.5 * t), rtol=1e-6)


def test_nested_piecewise_and_a_shared_condition_are_evaluated_once():
    """docs/design/0041-lazy-jacobian.md: an inner Piecewise is one block whose variable the
    outer ones read (not its expression again in their conditions and branches), a condition
    that two Piecewise test is computed once, and the kernel gives the rates sympy gives."""
    x, y, k, c = sym("X"), sym("Y"), sym("k_x"), sym("c_x")
    inner = sp.Piecewise((sp.sqrt(x + 1), x <= 1), (sp.sqrt(x + 3) - 1, True))
    shared = inner * x - c >= 0
    rates = {"X": -k * sp.Piecewise((inner * x, shared), (x, True)),
             "Y": -k * sp.Piecewise((inner * y, shared), (y * c, True))}
    m = Module("nested", (Species("X", "1", 1.0, "test"), Species("Y", "1", 1.0, "test")),
               (Parameter("k_x", 0.5, "1/h", "test"), Parameter("c_x", 0.8, "1", "test")),
               rates)
    rhs = _kernel_part(generate_source(m), "rhs")
    # sympy writes the shared condition with the inner's branches (ITE), so its two square roots
    # are the inner block's two plus the condition's two, once: printed inline they were 10
    # (the inner in both outer values, the condition on both `if` lines)
    assert rhs.count("_qpow(") == 4, rhs
    (cond,) = re.findall(r"\n    (xc\d+) = ", rhs)
    assert rhs.count(f"if {cond}:") == 2, rhs
    kernels = compile_model(m).kernels
    p = np.array([0.5, 0.8])
    q = np.empty(max(kernels.N_DERIVED, 1))
    kernels.derived(p, q)
    for xv, yv in ((0.5, 2.0), (3.0, 0.7), (0.1, 0.3), (0.9, 1.0)):  # all four branch pairs
        dy = np.empty(2)
        kernels.rhs(0.0, 0.0, np.array([xv, yv]), p, q, np.zeros(2), dy)
        exact = [float(r.subs({x: xv, y: yv, k: 0.5, c: 0.8})) for r in rates.values()]
        np.testing.assert_allclose(dy, exact, rtol=1e-14)
    # the Jacobian module of such a model generates too (a (value, condition) pair whose parts
    # are parameter-only was hoisted whole into q, which sympy refused): Rodas4 agrees with DP5
    from neuroimmune import Protocol, SolverOptions, solve

    system = compile_model(m)
    t = np.linspace(0.0, 3.0, 7)
    runs = [solve(system, None, Protocol([]), t, options=SolverOptions(method=meth, rtol=1e-9,
                                                                        atol=1e-12)).outputs
            for meth in ("dopri5", "rodas4")]
    np.testing.assert_allclose(runs[1], runs[0], rtol=1e-6)


# -- helpers of the generated kernels (docs/design/0024-solve-speed.md) -------------------------
def _edge_values() -> np.ndarray:
    """Times and clock sums a kernel takes the modulo of: whole days and their neighbours (where
    x / 24 rounds up to a whole number), negatives (a clock shifted back), tiny and signed zeros,
    and random values up to 1000 days."""
    rng = np.random.default_rng(1)
    days = 24.0 * np.arange(-50, 1001)
    near = np.concatenate([np.nextafter(days, -np.inf), days, np.nextafter(days, np.inf)])
    return np.concatenate([near, rng.uniform(-48.0, 24_000.0, 20_000),
                           rng.uniform(-1e-12, 1e-12, 100), [0.0, -0.0, 5e-324, -5e-324,
                                                             1e-300, -1e-300, 23.999999999999996]])


def test_lane_modulo_is_pythons_modulo_bitwise(innate_system):
    """_pmod_l, the lane kernel's modulo (no fmod call), gives bitwise Python's % (what the
    one-patient kernel computes), signs of zero included."""
    pmod = innate_system.kernels._pmod_l
    x = _edge_values()
    got = np.array([pmod(v, 24.0) for v in x])
    want = np.array([v % 24.0 for v in x])
    np.testing.assert_array_equal(got, want)
    assert np.array_equal(np.signbit(got), np.signbit(want))
    assert pmod(-1e-300, 24.0) == 24.0  # as Python: the rounded sum, not 0


def test_kernel_sine_and_cosine_are_within_two_ulp(innate_system):
    """_sin and _cos (no libm call, so that the lane loop vectorises them) against 120-bit
    mpmath values, also near the multiples of pi/2 and far out in the reduction's range."""
    import mpmath

    k = innate_system.kernels
    rng = np.random.default_rng(2)
    x = np.concatenate([rng.uniform(-40.0, 40.0, 1500), rng.uniform(-1.5e6, 1.5e6, 500),
                        np.pi / 4 * np.arange(-60, 61), np.pi / 2 * np.arange(-40, 41) + 1e-9,
                        [0.0, 1e-300, -1e-8]])
    with mpmath.workprec(120):
        for v in x:
            for ours, exact in ((k._sin(v), mpmath.sin(mpmath.mpf(float(v)))),
                                (k._cos(v), mpmath.cos(mpmath.mpf(float(v))))):
                err = abs(float(mpmath.mpf(ours) - exact))
                assert err <= 2 * np.spacing(abs(float(exact))) + 1e-300, (v, ours, exact)
    # the lane copies are the same arithmetic
    for v in x[:50]:
        assert k._sin_l(v) == k._sin(v) and k._cos_l(v) == k._cos(v)


def test_pi_over_two_in_three_parts():
    """The Cody-Waite constants: two 33-bit parts (n * part exact for n < 2**20) and a rest
    that together give pi / 2 to far below a double's precision."""
    import mpmath

    from neuroimmune.compile import _PIO2, _TWO_OVER_PI

    with mpmath.workprec(200):
        total = sum(mpmath.mpf(c) for c in _PIO2)
        assert abs(total - mpmath.pi / 2) < mpmath.mpf(2) ** -120
        for part in _PIO2[:2]:
            mantissa = mpmath.frexp(mpmath.mpf(part))[0]
            assert mantissa * 2**33 == int(mantissa * 2**33)  # at most 33 significant bits
        assert _TWO_OVER_PI == float(2 / mpmath.pi)


def test_each_element_is_read_before_its_first_use_on_every_path():
    """_loaded_once reads each array element into a local just before the statement (or the
    whole if/else block) that first uses it: the rewritten lines compute what the original
    lines compute, on both branches, and read each element once."""
    from neuroimmune.compile import _loaded_once

    lines = ["    a = p[0] * y[1]",
             "    if (u[2] <= 0.0):",
             "        b = y[3] + p[0]",
             "    elif (u[2] <= 1.0):",
             "        b = q[4]",
             "    else:",
             "        b = -y[3]",
             "    dy[0] = a + b + y[3] + q[4]"]
    new = _loaded_once(lines)
    assert sum("= y[3]" in line for line in new) == 1
    assert new.index("    u_2 = u[2]") < new.index("    if (u_2 <= 0.0):")
    assert new.index("    a = p_0 * y_1") < new.index("    u_2 = u[2]")  # not all at the top
    for u2 in (-1.0, 0.5, 2.0):
        results = []
        for body in (lines, new):
            ns: dict = {}
            exec("def f(y, p, q, u, dy):\n" + "\n".join(body), ns)
            dy = np.zeros(1)
            ns["f"]([0.0, 2.0, 0.0, 3.0], [1.5], [0, 0, 0, 0, 7.0], [0, 0, u2], dy)
            results.append(dy[0])
        assert results[0] == results[1]


@pytest.mark.skipif(sys.platform != "linux" or os.uname().machine != "x86_64",
                    reason="reads x86-64 assembly")
def test_lane_kernel_calls_no_fmod_nor_trigonometric_function(tmp_path, monkeypatch):
    """The fever module's clock (a modulo) and its temperature rhythm (sin and cos of the clock
    angle) compile to arithmetic in the lane kernel: no call of fmod, sin, cos or sincos, which
    would keep the lane loop scalar (a fresh cache, so numba compiles here and keeps the
    assembly)."""
    import importlib

    from neuroimmune.model.library.fever import fever

    monkeypatch.setattr(importlib.import_module("neuroimmune.compile"), "_LOADED", {})
    system = compile_model(fever(), cache_dir=tmp_path)
    k = system.kernels
    L, n = k.LANES, system.n_states
    assert "_sin_l(" in _kernel_part(generate_source(fever()), "rhs_lanes")
    args = (np.zeros(L), 8.0, np.repeat(system.y0, L), np.repeat(system.p0, L),
            np.zeros(max(k.N_DERIVED, 1) * L),
            np.repeat(np.concatenate([np.zeros(n), system.signal_defaults]), L), np.zeros(n * L))
    k.rhs_lanes(*args)
    asm = k.rhs_lanes.inspect_asm(k.rhs_lanes.signatures[0])
    called = set(re.findall(r"movabsq\s+\$(\w+)", asm)) | set(re.findall(r"call\w*\s+(\w+)", asm))
    assert not called & {"fmod", "sin", "cos", "sincos"}, called


# -- the one-patient rhs's powers computed together (docs/design/0035-latency.md) ---------------
def test_powers_are_batched_and_the_arithmetic_is_unchanged():
    """_batched_pows moves the power calls of the statements at the kernel's level into one loop
    (their arguments, and what these need, ahead of it) and leaves the rest: the rewritten lines
    give the original lines' values bitwise, on both branches of a block."""
    from neuroimmune._codegen import _batched_pows

    lines = ["    if (u[0] <= 0.0):",
             "        xpw0 = _ppow_l(y[0], 0.5)",  # in a block: left there
             "    else:",
             "        xpw0 = y[0]",
             "    x0 = y[1] + xpw0",
             "    x1 = _ppow_l(x0, 1.7) + 2.0",   # its statement holds a power ...
             "    x2 = _ppow_l(x1, p[0])",        # ... so this one's base is not ready: left
             "    x3 = y[2]*(x0 + 1.0)",
             "    dy[0] = _ppow_l((1.0 + _ppow_l(x3, 0.3)), 1.5) - x2",  # inner taken, outer left
             "    dy[1] = x0*_ppow_l(y[1], p[0]) + _ppow_l(x3, 0.3)",
             "    dy[2] = x1"]
    new = _batched_pows(lines, scratch=8)
    body = "\n".join(new)
    assert body.count("_ppow_l(") == 1 + 3  # the loop's, the block's, x2's and the outer one
    assert "    for _j in range(4):" in new
    assert new[:4] == lines[:4]  # the block stays first
    # the powers' arguments (x0, x3) are computed before the loop, x1 after it
    loop = new.index("    for _j in range(4):")
    assert new.index("    x3 = y[2]*(x0 + 1.0)") < loop < [i for i, line in enumerate(new)
                                                           if line.startswith("    x1 =")][0]
    # dy too short for 4 bases and exponents: the first 3 (then 2) powers only
    assert "    for _j in range(3):" in _batched_pows(lines, scratch=7)
    assert _batched_pows(lines, scratch=3) == lines

    def run(body_lines, u0):
        ns = {"_ppow_l": lambda x, e: x ** e if x > 0.0 else 0.0}
        exec("def f(y, p, q, u, dy):\n" + "\n".join(body_lines), ns)
        dy = np.zeros(8)
        ns["f"]([0.7, 1.3, 2.9], [2.2], [], [u0], dy)
        return dy[:3]

    for variant in (new, _batched_pows(lines, scratch=7)):
        for u0 in (-1.0, 1.0):
            np.testing.assert_array_equal(run(variant, u0), run(lines, u0))


def test_standard_models_rhs_computes_its_powers_in_one_loop(tmp_path):
    """The standard model's one-patient rhs evaluates its five non-integer powers in one loop
    (no other power call), and gives the lane kernel's bits for them (the bitwise equality of
    the whole solve is tests/test_lanes.py's)."""
    from neuroimmune.model.core import compose
    from neuroimmune.model.library import STANDARD

    model = compose(*(f() for f in STANDARD))
    rhs = _kernel_part(generate_source(model), "rhs")
    assert rhs.count("_ppow_l(") == 1
    assert re.search(r"\n    for _j in range\(5\):\n        dy\[_j\] = _ppow_l\(dy\[_j\], "
                     r"dy\[5 \+ _j\]\)\n", rhs)
    # the powers' values are read after the loop, and each rate is written after them
    loop = rhs.index("    for _j in range(5):")
    assert all(rhs.index(f"xpow{j}") > loop for j in range(5))
    assert len(re.findall(r"\n    dy\[\d+\] = ", rhs[loop:])) == len(model.species)


@pytest.mark.skipif(sys.platform != "linux" or os.uname().machine != "x86_64",
                    reason="reads x86-64 assembly")
def test_batched_powers_compile_to_vector_code(tmp_path, monkeypatch):
    """The loop of the one-patient rhs's powers vectorises: their table look-ups are gathers
    (a fresh cache, so numba compiles here and keeps the assembly)."""
    import importlib

    monkeypatch.setattr(importlib.import_module("neuroimmune.compile"), "_LOADED", {})
    system = compile_model(innate(), cache_dir=tmp_path)
    k = system.kernels
    n = system.n_states
    assert "    for _j in range(" in _kernel_part(system.source_path.read_text(), "rhs")
    q = np.zeros(max(k.N_DERIVED, 1))
    k.derived(system.p0, q)
    k.rhs(0.0, 8.0, system.y0.copy(), system.p0, q,
          np.concatenate([np.zeros(n), system.signal_defaults]), np.zeros(n))
    asm = k.rhs.inspect_asm(k.rhs.signatures[0]).split(".cfi_endproc")[0]
    assert re.search(r"\bvgather\w*pd\b", asm)


def test_derived_computes_each_repeated_subexpression_once_with_the_same_bits(coupled_system):
    """`derived` has no cse (it would reorder sums); the standard model's entries repeat the
    free cortisol fraction, among others. Each repeated subexpression is now computed once into
    a variable (docs/design/0046): the repeats are gone, and the printed arithmetic gives the
    same bits as the inline printing it replaced, for the defaults and for drawn patients; the
    Jacobian module's derived, which shares across more entries, gives the same first ones."""
    import numba

    from neuroimmune._codegen import _derived, _hoist, _KernelPrinter, _loaded_once, _symbolic
    from neuroimmune.analysis.bench import virtual_patients
    from neuroimmune.compile import helpers_module

    rates, _, obs, is_param = _symbolic(coupled_system.model)
    table: dict = {}
    memo: dict = {}
    for e in rates + obs:  # the order generate_source hoists them in
        _hoist(e, is_param, table, memo)
    printer = _KernelPrinter({"fully_qualified_modules": True, "standard": "python3"})
    shared = "\n".join(_derived(table, printer))
    head = ["@njit(cache=False, error_model='numpy')", "def derived(p, q):"]
    inline = "\n".join(head + _loaded_once([f"    {s.name} = {printer.doprint(e)}"
                                            for e, s in table.items()]))
    calls = re.compile(r"_[a-z]+\([^()]*\)")  # helper calls with plain arguments
    assert len(calls.findall(inline)) > len(set(calls.findall(inline)))  # repeats before
    assert len(calls.findall(shared)) == len(set(calls.findall(shared)))
    statements = [line.partition(" = ")[2] for line in shared.splitlines() if " = " in line]
    long = [s for s in statements if len(s) > 30]
    assert len(long) == len(set(long)), "a long right-hand side is computed twice"
    kernels = []
    for source in (shared.replace("cache=True", "cache=False"), inline):
        namespace = {**vars(helpers_module()), "njit": numba.njit}
        exec(compile(source, "derived", "exec"), namespace)  # code generated by this test
        kernels.append(namespace["derived"])
    # the Jacobian module's derived shares more (its table adds the Jacobian's entries); its
    # first entries must still be the kernel module's, bit for bit (rhs and observe read them)
    jac_source = generate_jacobian_source(coupled_system.model)
    namespace = {**vars(helpers_module()), "njit": numba.njit}
    exec(compile("@njit(cache=False, error_model='numpy')\n" + _kernel_part(jac_source, "derived"),
                 "jacobian derived", "exec"), namespace)  # code generated by this test
    n = int(coupled_system.kernels.N_DERIVED)
    n_jac = int(re.search(r"N_DERIVED = (\d+)", jac_source).group(1))
    assert n_jac > n
    for p in [coupled_system.p0, *virtual_patients(coupled_system.p0, 5, cv=0.3, seed=3)]:
        q_shared, q_inline = np.full(n, np.nan), np.full(n, np.nan)
        kernels[0](np.ascontiguousarray(p), q_shared)
        kernels[1](np.ascontiguousarray(p), q_inline)
        assert q_shared.tobytes() == q_inline.tobytes()
        q_jac = np.full(n_jac, np.nan)
        namespace["derived"](np.ascontiguousarray(p), q_jac)
        assert q_jac[:n].tobytes() == q_shared.tobytes()
