"""Numerical verification of the two integrators (Dormand-Prince 5(4) and Rodas4).

Every test compares against something independent of the solvers: a closed-form solution, a
conserved quantity, scipy's Radau at tight tolerances, or the same solver run another way.

Only two toy models are compiled here (each costs ~20 s of numba compilation the first time):

* ``toy``: four uncoupled equations with closed-form solutions, the behaviour chosen per patient
  through the parameters:
      u' = -2 a t u^2          u = 1 / (1 + a t^2)       (non-linear, non-autonomous)
      v' = om v cos(om t)      v = exp(sin(om t))        (non-autonomous)
      x' = -k x                x = exp(-k t)             (stiff for large k)
      b' = c b^2               b = 1 / (1 - c t)         (finite-time blow-up at t = 1/c)
* ``pk``: the library one-compartment drug composed with a compartment collecting the eliminated
  amount, so gut + central + eliminated is the total dose given so far.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy.integrate import solve_ivp

from neuroimmune import (
    Bolus,
    DrugDose,
    Input,
    Module,
    Parameter,
    Protocol,
    Repeated,
    SolverOptions,
    Species,
    Status,
    compile_model,
    compose,
    solve,
)
from neuroimmune.model import sym
from neuroimmune.model.library.pk import one_compartment_drug
from neuroimmune.protocol import lps_bolus

METHODS = ("dopri5", "rodas4")
ORDER = {"dopri5": 5, "rodas4": 4}
FAILED = (Status.NONFINITE, Status.STEP_UNDERFLOW, Status.MAX_STEPS)

# --------------------------------------------------------------------------------------------
# Toy models
# --------------------------------------------------------------------------------------------
TOY_DEFAULTS = {"a": 1.0, "om": 2.0, "k": 1.0, "c": 0.0}
U, V, X, B = range(4)


def _toy_module() -> Module:
    u, v, x, b = (sym(n) for n in ("u", "v", "x", "b"))
    a, om, k, c, t = (sym(n) for n in ("a", "om", "k", "c", "t"))
    return Module(
        "test_solvers_toy",
        species=(Species("u", "1", 1.0, nonnegative=False),
                 Species("v", "1", 1.0),
                 Species("x", "mg", 1.0),
                 Species("b", "1", 1.0)),
        parameters=(Parameter("a", TOY_DEFAULTS["a"], "1/h**2", source="test"),
                    Parameter("om", TOY_DEFAULTS["om"], "1/h", source="test"),
                    Parameter("k", TOY_DEFAULTS["k"], "1/h", source="test"),
                    Parameter("c", TOY_DEFAULTS["c"], "1/h", source="test")),
        rates={"u": -2 * a * t * u**2, "v": om * v * sp.cos(om * t), "x": -k * x,
               "b": c * b**2},
    )


def toy_exact(t, a=1.0, om=2.0, k=1.0, c=0.0) -> np.ndarray:
    """Exact toy solution from the default initial state, shape (len(t), 4)."""
    t = np.asarray(t, dtype=float)
    with np.errstate(divide="ignore"):
        return np.stack([1.0 / (1.0 + a * t**2), np.exp(np.sin(om * t)), np.exp(-k * t),
                         1.0 / (1.0 - c * t)], axis=-1)


DRUG_KA, DRUG_KE = 1.3, 0.35


def _pk_module() -> Module:
    pk = one_compartment_drug("drug", ka=DRUG_KA, ke=DRUG_KE, volume=40.0, source="test")
    sink = Module("test_solvers_sink",
                  species=(Species("eliminated", "mg", 0.0),),
                  parameters=(Parameter("sink_ke", DRUG_KE, "1/h", source="test"),),
                  rates={"eliminated": sym("sink_ke") * sym("drug_central")},
                  inputs=(Input("drug_central", "mg", 0.0),))
    return compose(pk, sink, name="test_solvers_pk")


@pytest.fixture(scope="module")
def toy_system():
    return compile_model(_toy_module())


@pytest.fixture(scope="module")
def pk_system():
    system = compile_model(_pk_module())
    assert system.signals == ()  # the sink's input is wired to the pk module's species
    return system


def _opts(method, **kw):
    return SolverOptions(method=method, **kw)


# --------------------------------------------------------------------------------------------
# 1. Observed order of convergence
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
def test_convergence_order(toy_system, method):
    """With rtol = 1 every step is accepted, so h_max fixes the step; the global error at the
    step points must fall like h^5 (dopri5) and h^4 (rodas4). The problem is non-linear and
    non-autonomous, so Rodas4's finite-difference time derivative has to be right too."""
    t = np.linspace(0.0, 3.0, 7)  # multiples of every h below: values at step points
    exact = toy_exact(t)
    hs = np.array([0.1, 0.05, 0.025, 0.0125])
    errors, steps = [], []
    for h in hs:
        sol = solve(toy_system, None, Protocol(), t,
                    options=_opts(method, rtol=1.0, atol=1e-12, h_max=float(h)))
        assert sol.status[0] == Status.SUCCESS
        errors.append(np.abs(sol.outputs[0] - exact).max())
        steps.append(int(sol.n_steps[0]))
    errors = np.array(errors)
    steps = np.array(steps)
    # the cap really controls the step: about T/h steps, doubling with each halving
    assert np.all(np.abs(steps - 3.0 / hs) <= 2), steps
    assert np.all(np.abs(steps[1:] / steps[:-1] - 2.0) < 0.1), steps
    pairwise = np.log2(errors[:-1] / errors[1:])
    fitted = np.polyfit(np.log(hs), np.log(errors), 1)[0]
    need = ORDER[method] - 0.5
    assert errors[-1] > 1e-13, "errors at round-off level: the order cannot be measured"
    assert np.all(pairwise >= need), f"{method}: errors {errors}, observed orders {pairwise}"
    assert fitted >= need, f"{method}: fitted order {fitted:.2f} (errors {errors})"
    assert fitted <= ORDER[method] + 1.0, f"{method}: fitted order {fitted:.2f} suspiciously high"


# --------------------------------------------------------------------------------------------
# 2. Dense output
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
def test_dense_output_accuracy(toy_system, method):
    """3001 output times, far more than steps: the interpolant must match the exact solution to
    the tolerance level, and asking for outputs must not change the steps taken."""
    t = np.linspace(0.0, 3.0, 3001)
    exact = toy_exact(t)
    opts = _opts(method, rtol=1e-8, atol=1e-12)
    sol = solve(toy_system, None, Protocol(), t, options=opts)
    assert sol.status[0] == Status.SUCCESS
    assert 5 * sol.n_steps[0] < t.size, "too many steps: the test would not exercise dense output"
    rel = np.abs(sol.outputs[0] - exact) / np.abs(exact)
    assert rel.max() < 1e-6, f"{method}: max relative dense-output error {rel.max():.3g}"
    ends = solve(toy_system, None, Protocol(), [0.0, 3.0], options=opts)
    assert ends.n_steps[0] == sol.n_steps[0]
    np.testing.assert_array_equal(ends.outputs[0, -1], sol.outputs[0, -1])
    np.testing.assert_array_equal(ends.y_end, sol.y_end)


# --------------------------------------------------------------------------------------------
# 3. Agreement with scipy's Radau on the library models
# --------------------------------------------------------------------------------------------
def _radau_reference(system, y0, t, clock0) -> np.ndarray:
    """scipy Radau (rtol 1e-10) on the compiled rhs/jac kernels with default parameters."""
    k = system.kernels
    n = system.n_states
    p = np.ascontiguousarray(system.p0, dtype=float)
    jm = k.jacobian_kernels()  # its derived fills the kernel module's q entries and the jac's
    q = np.empty(max(jm.N_DERIVED, 1))
    jm.derived(p, q)
    u = np.zeros(n + len(system.signals))
    u[n:] = system.signal_defaults

    def f(tt, y):
        dy = np.empty(n)
        k.rhs(float(tt), float(clock0), np.ascontiguousarray(y, dtype=float), p, q, u, dy)
        return dy

    def jac(tt, y):
        J = np.empty((n, n))
        jm.jac(float(tt), float(clock0), np.ascontiguousarray(y, dtype=float), p, q, u, J)
        return J

    ref = solve_ivp(f, (t[0], t[-1]), np.array(y0, dtype=float), method="Radau", t_eval=t,
                    rtol=1e-10, atol=1e-12, jac=jac)
    assert ref.success, ref.message
    return ref.y.T


def _rel_error(y, ref):
    # ignore points where a species is ~0; a species that stays exactly 0 must stay 0
    floor = np.maximum(1e-3 * np.abs(ref).max(axis=0), np.finfo(float).tiny)
    return np.abs(y - ref) / np.maximum(np.abs(ref), floor)


@pytest.mark.parametrize("case", ["innate-lps", "hpa-clock0", "hpa-clock8"])
def test_agrees_with_scipy_radau(case, innate_system, hpa_system):
    if case == "innate-lps":
        system = innate_system
        protocol = Protocol([lps_bolus("2 ng/kg", 0.0)])
        t = np.linspace(0.0, 12.0, 49)
        y0 = system.y0.copy()
        y0[system.state_index("LPS")] += 2.0  # the bolus at t = 0
    else:
        system = hpa_system
        clock = 0.0 if case == "hpa-clock0" else 8.0
        protocol = Protocol(clock_start=clock)
        t = np.linspace(0.0, 48.0, 97)
        y0 = system.y0.copy()
    ref = _radau_reference(system, y0, t, protocol.clock_start)
    n = system.n_states
    ours = {}
    for method in METHODS:
        sol = solve(system, None, protocol, t, options=_opts(method, rtol=1e-10, atol=1e-12))
        assert sol.status[0] == Status.SUCCESS, (method, sol.status)
        ours[method] = sol.outputs[0, :, :n]
        err = _rel_error(ours[method], ref)
        worst = np.unravel_index(err.argmax(), err.shape)
        assert err.max() < 1e-6, (f"{case} {method} vs Radau: relative error {err.max():.3g} "
                                  f"at t={t[worst[0]]} h, {system.states[worst[1]]}")
    cross = _rel_error(ours["dopri5"], ours["rodas4"])
    assert cross.max() < 1e-6, f"{case}: dopri5 vs rodas4 relative difference {cross.max():.3g}"


# --------------------------------------------------------------------------------------------
# 4. Non-negativity
# --------------------------------------------------------------------------------------------
NONNEG_CASES = [("toy-stiff-decay", 1e-3, 1e-6), ("toy-stiff-decay", 1e-6, 1e-10),
                ("innate-lps", 1e-3, 1e-6), ("innate-lps", 1e-2, 1e-3)]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case,rtol,atol", NONNEG_CASES)
def test_outputs_never_negative(case, rtol, atol, method, toy_system, innate_system):
    """Species declared non-negative never go below zero at any output time (step points and
    interpolated points alike), even at loose tolerances, while the solution decays to ~0."""
    if case.startswith("toy"):
        system = toy_system
        sol = solve(system, {"k": np.array([1e2, 1e3, 1e4])}, Protocol(),
                    np.linspace(0.0, 2.0, 2001), options=_opts(method, rtol=rtol, atol=atol))
        # the decay is resolved: x(2 h) is ~0 (exp(-200) and smaller)
        assert np.all(np.abs(sol.y_end[:, X]) < 10 * atol), sol.y_end[:, X]
    else:
        system = innate_system
        sol = solve(system, None, Protocol([lps_bolus("2 ng/kg")]), np.linspace(0, 24, 2401),
                    options=_opts(method, rtol=rtol, atol=atol))
    assert np.all(sol.status == Status.SUCCESS), sol.status
    nonneg = np.flatnonzero(system.nonnegative)
    values = sol.outputs[:, :, nonneg]
    assert np.all(sol.y_end[:, nonneg] >= 0.0), sol.y_end
    if values.min() < 0.0:
        pat, ti, si = np.unravel_index(values.argmin(), values.shape)
        pytest.fail(f"{case} {method} rtol={rtol}: {system.states[nonneg[si]]} = "
                    f"{values.min():.3g} < 0 at output index {ti} of patient {pat} "
                    f"({int((values < 0).sum())} negative outputs)")


@pytest.mark.parametrize("method", METHODS)
def test_step_values_nonnegative(toy_system, method):
    """The accepted step values (outputs only at segment ends, y_end) respect the domain."""
    k = np.array([1e2, 1e3, 1e4, 1e5])
    for rtol, atol in ((1e-2, 1e-3), (1e-3, 1e-6), (1e-6, 1e-10)):
        sol = solve(toy_system, {"k": k}, Protocol([Bolus("x", 1.0, 0.5)]), [0.0, 0.5, 2.0],
                    options=_opts(method, rtol=rtol, atol=atol))
        assert np.all(sol.status == Status.SUCCESS), sol.status
        assert np.all(sol.outputs[:, :, X] >= 0.0), sol.outputs[:, :, X]
        assert np.all(sol.y_end[:, X] >= 0.0)
        assert np.all(sol.y_end[:, X] < 10 * atol)


# --------------------------------------------------------------------------------------------
# 5. Dose mass balance
# --------------------------------------------------------------------------------------------
ORAL_TIMES = (2.0, 8.0, 14.0)
INFUSIONS = ((5.0, 2.5, 30.0), (16.3, 0.7, 10.0), (17.8, 0.7, 10.0))  # start, duration, amount
PK_EVENTS = (
    DrugDose("drug", 100.0, 0.0, route="iv"),
    Repeated(DrugDose("drug", 50.0, 2.0, route="oral"), every=6.0, count=3),
    DrugDose("drug", 30.0, 5.0, route="infusion", duration=2.5),
    Repeated(DrugDose("drug", 10.0, 16.3, route="infusion", duration=0.7), every=1.5, count=2),
)


def _dose_given(t):
    total = np.full_like(t, 100.0)
    for tb in ORAL_TIMES:
        total += 50.0 * (t >= tb)
    for start, dur, amount in INFUSIONS:
        total += amount * np.clip((t - start) / dur, 0.0, 1.0)
    return total


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("rtol", [1e-3, 1e-8])
def test_dose_mass_balance(pk_system, method, rtol):
    """gut + central + eliminated equals the total dose given so far at every output time,
    including the dose times themselves (post-dose) and during infusions; oral doses go to the
    gut (checked against its closed form)."""
    t = np.unique(np.concatenate([np.linspace(0.0, 24.0, 241),
                                  [*ORAL_TIMES, 5.0, 7.5, 16.3, 17.0, 17.8, 18.5]]))
    ka = np.array([DRUG_KA, 5.0, 0.2])
    ke = np.array([DRUG_KE, 0.1, 2.0])
    sol = solve(pk_system, {"drug_ka": ka, "drug_ke": ke, "sink_ke": ke}, Protocol(PK_EVENTS), t,
                options=_opts(method, rtol=rtol, atol=1e-10))
    assert np.all(sol.status == Status.SUCCESS), sol.status
    idx = [pk_system.outputs.index(n) for n in ("drug_gut", "drug_central", "eliminated")]
    total = sol.outputs[:, :, idx].sum(axis=-1)
    given = _dose_given(t)
    rel = np.abs(total - given) / given
    assert rel.max() < 1e-6, f"mass balance off by {rel.max():.3g} (relative)"
    # the observable is the concentration central / V
    conc = sol.outputs[:, :, pk_system.outputs.index("drug")]
    np.testing.assert_allclose(conc, sol.outputs[:, :, idx[1]] / 40.0, rtol=1e-14)
    # the i.v. bolus is in the central compartment at t = 0
    np.testing.assert_allclose(sol.outputs[:, 0, idx[1]], 100.0, rtol=1e-14)
    if rtol <= 1e-8:
        gut = sum(50.0 * np.exp(-ka[:, None] * (t - tb)) * (t >= tb) for tb in ORAL_TIMES)
        np.testing.assert_allclose(sol.outputs[:, :, idx[0]], gut, rtol=1e-6, atol=1e-9)


# --------------------------------------------------------------------------------------------
# 6. Per-patient failures
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
def test_failure_is_per_patient(toy_system, method):
    """Patient 2 blows up at t = 1/c = 2.22 h: it fails with a failure status, keeps its correct
    results before the blow-up and NaN after; the other patients are unaffected."""
    t = np.linspace(0.0, 4.0, 41)
    c = np.array([0.0, 0.1, 0.45, 0.2])
    opts = _opts(method, rtol=1e-8, atol=1e-10)
    sol = solve(toy_system, {"c": c}, Protocol(), t, options=opts)
    assert sol.status[2] in FAILED, sol.status
    ok = [0, 1, 3]
    assert np.all(sol.status[ok] == Status.SUCCESS), sol.status
    for i in ok:
        exact = toy_exact(t, c=c[i])
        np.testing.assert_allclose(sol.outputs[i], exact, rtol=1e-6)
    t_blow = 1.0 / c[2]
    before = t < 0.95 * t_blow
    exact = toy_exact(t[before], c=c[2])
    assert np.all(np.isfinite(sol.outputs[2, before]))
    np.testing.assert_allclose(sol.outputs[2, before], exact, rtol=1e-6)
    assert np.all(np.isnan(sol.outputs[2, t > t_blow]))
    # bitwise the same as solving the healthy patients without the failing one
    alone = solve(toy_system, {"c": c[ok]}, Protocol(), t, options=opts)
    np.testing.assert_array_equal(alone.outputs, sol.outputs[ok])
    np.testing.assert_array_equal(alone.n_steps, sol.n_steps[ok])


@pytest.mark.parametrize("method", METHODS)
def test_max_steps(toy_system, method):
    t = np.linspace(0.0, 4.0, 41)
    sol = solve(toy_system, None, Protocol(), t,
                options=_opts(method, rtol=1e-8, atol=1e-10, max_steps=10))
    assert sol.status[0] == Status.MAX_STEPS
    assert sol.n_steps[0] == 10
    done = np.isfinite(sol.outputs[0, :, 0])
    assert done[0] and not done[-1]
    assert np.all(done[: done.sum()]), "finite outputs must be a prefix"
    np.testing.assert_allclose(sol.outputs[0, done], toy_exact(t[done]), rtol=1e-6)
    assert np.all(np.isnan(sol.outputs[0, ~done]))


# --------------------------------------------------------------------------------------------
# 7. Discontinuities: stepping onto bolus times
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
def test_bolus_time_is_stepped_onto(toy_system, method):
    k, dose, tb = 3.0, 2.5, 1.2345
    t = np.unique(np.concatenate([np.linspace(0.0, 4.0, 17), [tb - 1e-7, tb, tb + 1e-7]]))
    sol = solve(toy_system, {"k": k}, Protocol([Bolus("x", dose, tb)]), t,
                options=_opts(method, rtol=1e-10, atol=1e-14))
    assert sol.status[0] == Status.SUCCESS
    exact = np.exp(-k * t) + dose * np.exp(-k * (t - tb)) * (t >= tb)
    x = sol.outputs[0, :, X]
    at = np.flatnonzero(t == tb)[0]
    assert x[at] == pytest.approx(np.exp(-k * tb) + dose, rel=1e-8), "not the post-dose value"
    assert x[at - 1] == pytest.approx(np.exp(-k * (tb - 1e-7)), rel=1e-8), "dose applied early"
    np.testing.assert_allclose(x, exact, rtol=1e-8)
    # the other species do not notice the dose
    np.testing.assert_allclose(sol.outputs[0, :, [U, V]].T, toy_exact(t, k=k)[:, [U, V]],
                               rtol=1e-8)


# --------------------------------------------------------------------------------------------
# 8. Parallel batch == sequential
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
def test_batch_equals_sequential(coupled_system, method):
    system = coupled_system
    rng = np.random.default_rng(20240611)
    params = system.p0 * np.exp(rng.normal(0.0, 0.2, (16, system.p0.size)))
    protocol = Protocol([lps_bolus("2 ng/kg", 1.0)], clock_start=8.0)
    t = np.linspace(0.0, 24.0, 97)
    opts = _opts(method)
    batch = solve(system, params, protocol, t, options=opts)
    assert np.all(batch.status == Status.SUCCESS), batch.status
    assert len(set(batch.n_steps.tolist())) > 1, "patients should differ"
    for i in range(params.shape[0]):
        one = solve(system, params[i:i + 1], protocol, t, options=opts)
        np.testing.assert_array_equal(one.outputs[0], batch.outputs[i], err_msg=f"patient {i}")
        np.testing.assert_array_equal(one.y_end[0], batch.y_end[i])
        assert one.n_steps[0] == batch.n_steps[i] and one.status[0] == batch.status[i]


# --------------------------------------------------------------------------------------------
# The one-patient call's shortcuts (docs/design/0035-latency.md)
# --------------------------------------------------------------------------------------------
def test_array_parameters_take_the_fast_path_with_the_same_checks(toy_system):
    from neuroimmune import SolverError
    from neuroimmune.solve import parameter_matrix

    P = np.tile(toy_system.p0, (3, 1))
    out = parameter_matrix(toy_system, P)
    assert out is not P and out.flags.c_contiguous and np.array_equal(out, P)
    c, k = toy_system.parameters.index("c"), toy_system.parameters.index("k")
    P[1, c] = -1.0  # the default is 0: either sign
    np.testing.assert_array_equal(parameter_matrix(toy_system, P), P)
    for bad in (np.nan, np.inf, -1.0):
        Q = P.copy()
        Q[2, k] = bad
        with pytest.raises(SolverError, match=r"params\[k\] of patient 2"):
            parameter_matrix(toy_system, Q)
    for t in ([], [0.0, np.nan], [-1.0, 0.0], [0.0, 2.0, 1.0]):
        with pytest.raises(SolverError, match="sorted array"):
            solve(toy_system, None, Protocol(), t)


def test_reused_schedules_give_each_protocol_its_own_segments(toy_system):
    from neuroimmune.solve import _SCHEDULES, _SCHEDULES_KEPT

    t = [0.0, 0.5, 1.0, 2.0]
    a = Protocol([Bolus("x", 1.0, 0.5)])
    first = solve(toy_system, None, a, t).outputs
    other = solve(toy_system, None, Protocol([Bolus("x", 2.0, 0.5)]), t).outputs
    assert not np.array_equal(first, other)
    np.testing.assert_array_equal(solve(toy_system, None, a, t).outputs, first)
    for dose in range(2 * _SCHEDULES_KEPT):  # older entries leave, results stay
        solve(toy_system, None, Protocol([Bolus("x", float(dose), 0.5)]), t)
    assert len(_SCHEDULES) <= _SCHEDULES_KEPT
    np.testing.assert_array_equal(solve(toy_system, None, a, t).outputs, first)
