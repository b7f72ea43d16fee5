"""Code generation and the on-disk kernel cache."""

import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import sympy as sp

from neuroimmune import UnitError, compile_model, innate
from neuroimmune.compile import generate_source, model_key
from neuroimmune.model import Module, Parameter, Species, sym
from neuroimmune.protocol import SignalStep


def _kernel_part(source: str, name: str) -> str:
    start = source.index(f"def {name}(")
    return source[start:source.index("\n\n\n", start)]


def test_integer_powers_are_products_and_constants_are_hoisted():
    src = generate_source(innate())
    rhs = _kernel_part(src, "rhs")
    # Integer Hill exponents (3, 2, 4, 1) become multiplications; 3.16 and 3.68 go to _ppow
    assert "**" not in rhs
    assert "_ppow(" in rhs
    # No parameter-only power stays in the right-hand side: K**n lives in derived()
    assert not re.search(r"_ppow\(p_\d+, ", rhs)  # p_j: p[j] read once at the top
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
    q = np.empty(max(k.N_DERIVED, 1))
    k.derived(p, q)
    u = np.concatenate([np.zeros(s.n_states), s.signal_defaults])
    J = np.empty((s.n_states, s.n_states))
    k.jac(3.0, 8.0, y, p, q, u, J)
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


def test_second_process_reuses_generated_source_and_numba_cache(tmp_path):
    script = textwrap.dedent("""
        import os, sys, time
        t0 = time.perf_counter()
        import numpy as np
        from neuroimmune import compile_model, innate, simulate, Protocol, lps_bolus
        system = compile_model(innate())
        mtime = os.path.getmtime(system.source_path)
        ds = simulate(system, Protocol([lps_bolus(2.0)]), np.linspace(0, 6, 13))
        stats = system.kernels.solve_serial_dp5.stats
        print(mtime, sum(stats.cache_hits.values()), sum(stats.cache_misses.values()),
              float(ds["TNF"].max()))
    """)
    env = {**os.environ, "NEUROIMMUNE_CACHE_DIR": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                           text=True, check=True).stdout.split() for _ in range(2)]
    first, second = runs
    assert first[0] == second[0], "the generated source must not be rewritten"
    assert int(second[1]) >= 1 and int(second[2]) == 0, "numba must load, not recompile"
    assert float(first[3]) == float(second[3])


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
