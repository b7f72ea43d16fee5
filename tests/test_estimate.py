"""The estimation engine (neuroimmune.analysis.estimate): recovers known parameters of a closed
form and of the innate model from noise-free and noisy synthetic data, keeps its bookkeeping
honest, and is the engine under fit, fit_twins and run_calibration."""

import numpy as np
import pandas as pd
import pytest

from neuroimmune import NeuroimmuneError, Protocol, lps_bolus, solve
from neuroimmune.analysis import estimate as E

T = np.linspace(0.0, 4.0, 9)


def _decay(values):
    """A exp(-k t) for rows (A, k): an answer known without any ODE solver."""
    values = np.atleast_2d(values)
    return values[:, :1] * np.exp(-values[:, 1:] * T)


def _decay_jac(x):
    """d residual / d log-parameter of _decay at the log-point x = (log A, log k)."""
    A, k = np.exp(x)
    e = np.exp(-k * T)
    return np.column_stack([A * e, -A * T * k * e])


def test_recovers_a_closed_form_and_counts_what_it_solves():
    data = _decay([3.0, 0.7])[0]
    rows = []

    def residuals(values):
        rows.append(len(values))
        return _decay(values) - data

    est = E.estimate(residuals, {"A": (0.1, 10.0), "k": (0.01, 5.0)}, x0=[{"A": 1.0, "k": 2.0}],
                     starts=3, seed=0)
    assert est.parameters["A"] == pytest.approx(3.0, rel=1e-6)
    assert est.parameters["k"] == pytest.approx(0.7, rel=1e-6)
    assert est.cost < 1e-12 and est.success
    assert est.n_evaluations == sum(rows)
    assert est.at_bound == {"A": False, "k": False}
    s = est.starts
    assert list(s["start"]) == [0, 1, 2] and (s["nfev"] >= 1).all()
    assert s.loc[0, "A.initial"] == 1.0 and s.loc[0, "k.initial"] == pytest.approx(2.0)
    # the per-start table reports the cost at each start point (computed here independently)
    r0 = _decay([1.0, 2.0])[0] - data
    assert s.loc[0, "initial_cost"] == pytest.approx(0.5 * r0 @ r0, rel=1e-6)
    assert s["cost"].min() == est.cost


def test_an_analytic_jacobian_gives_the_same_answer():
    data = _decay([3.0, 0.7])[0]

    jac = _decay_jac

    box = {"A": (0.1, 10.0), "k": (0.01, 5.0)}
    fd = E.estimate(lambda v: _decay(v) - data, box, starts=2, seed=1)
    an = E.estimate(lambda v: _decay(v) - data, box, starts=2, seed=1, jac=jac)
    for name in box:
        assert an.parameters[name] == pytest.approx(fd.parameters[name], rel=1e-6)


def test_a_jacobian_that_overflows_falls_back_to_finite_differences():
    """Sensitivities at an extreme parameter can overflow (the identifiability profiles of
    2026-12-07 stopped on one); that evaluation uses finite differences instead."""
    data = _decay([3.0, 0.7])[0]
    box = {"A": (0.1, 10.0), "k": (0.01, 5.0)}
    calls = []

    def bad(x):
        calls.append(x)
        J = _decay_jac(x)
        return np.full_like(J, np.inf) if len(calls) % 2 else J * 1e160

    fd = E.estimate(lambda v: _decay(v) - data, box, starts=2, seed=1)
    est = E.estimate(lambda v: _decay(v) - data, box, starts=2, seed=1, jac=bad)
    assert calls and est.success
    for name in box:
        assert est.parameters[name] == pytest.approx(fd.parameters[name], rel=1e-6)


def test_starts_are_the_callers_then_seeded_latin_hypercube_points_within_bounds():
    data = _decay([3.0, 0.7])[0]
    box = {"A": (0.1, 10.0), "k": (0.01, 5.0)}

    def run(seed, x0=()):
        return E.estimate(lambda v: _decay(v) - data, box, x0=x0, starts=4, seed=seed,
                          max_nfev=3).starts

    a, b, c = run(5), run(5), run(6)
    cols = ["A.initial", "k.initial"]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    assert not np.allclose(a[cols], c[cols])
    for name, (lo, hi) in box.items():
        assert a[f"{name}.initial"].between(lo, hi).all()
    # a given start outside the bounds is clipped into them; a missing name starts mid-range
    s = run(0, x0=[{"A": 100.0}])
    assert s.loc[0, "A.initial"] == pytest.approx(10.0)
    assert s.loc[0, "k.initial"] == pytest.approx(np.sqrt(0.01 * 5.0))


def test_a_value_outside_the_bounds_ends_at_the_bound_and_is_flagged():
    data = _decay([3.0, 4.0])[0]
    est = E.estimate(lambda v: _decay(v) - data, {"A": (0.1, 10.0), "k": (0.01, 2.0)},
                     starts=2)
    assert est.parameters["k"] == pytest.approx(2.0, rel=1e-3)
    assert est.at_bound["k"]
    assert E.at_bound(2.0, (0.01, 2.0)) and not E.at_bound(0.1, (0.01, 2.0))


def test_failed_evaluations_are_penalised_not_raised():
    data = _decay([3.0, 0.7])[0]

    def residuals(values):
        r = _decay(values) - data
        r[values[:, 1] > 3.0] = np.nan  # "the solver failed" above k = 3
        return r

    est = E.estimate(residuals, {"A": (0.1, 10.0), "k": (0.01, 5.0)}, x0=[{"A": 1.0, "k": 4.5}],
                     starts=3)
    assert est.starts.loc[0, "initial_cost"] == pytest.approx(0.5 * len(T) * E.PENALTY ** 2)
    assert est.parameters["k"] == pytest.approx(0.7, rel=1e-4)  # from another start


def test_bad_input_is_named():
    f = lambda v: _decay(v)  # noqa: E731
    cases = [(dict(bounds={"A": (1.0, 0.5)}), "bounds"), (dict(bounds={}), "bounds"),
             (dict(bounds={"A": (0.0, 1.0)}), "bounds"),
             (dict(bounds={"A": (0.1, 1.0)}, starts=0), "starts"),
             (dict(bounds={"A": (0.1, 1.0)}, max_nfev=0), "max_nfev")]
    for kwargs, needle in cases:
        with pytest.raises(NeuroimmuneError, match=needle):
            E.estimate(f, **kwargs)


class _DecayResiduals:
    """Residuals of the closed form as a picklable object (worker processes import it)."""

    def __init__(self, data):
        self.data = data

    def __call__(self, values):
        return _decay(values) - self.data


def test_workers_give_the_same_estimate_as_one_process():
    res = _DecayResiduals(_decay([3.0, 0.7])[0])
    box = {"A": (0.1, 10.0), "k": (0.01, 5.0)}
    one = E.estimate(res, box, starts=4, seed=3, max_nfev=30)
    two = E.estimate(res, box, starts=4, seed=3, max_nfev=30, workers=2)
    pd.testing.assert_frame_equal(one.starts, two.starts)  # bitwise: each start runs alone
    assert one.parameters == two.parameters and one.n_evaluations == two.n_evaluations


def test_screening_runs_every_start_briefly_and_only_the_finalists_to_the_end():
    calls = []
    data = _decay([3.0, 0.7])[0]

    def residuals(values):
        calls.append(len(values))
        return _decay(values) - data

    box = {"A": (0.1, 10.0), "k": (0.01, 5.0)}
    est = E.estimate(residuals, box, starts=5, seed=2, max_nfev=40, screen_nfev=2, finalists=2,
                     tol=1e-14)
    s = est.starts
    assert s["continued"].sum() == 2
    assert (s.loc[~s["continued"], "nfev"] <= 2).all()  # screened out after 2 evaluations
    assert (s.loc[s["continued"], "nfev"] > 2).all()
    # the finalists are the two best screened starts: none left behind beat them at screening
    assert s.loc[s["continued"], "screen_cost"].max() <= s.loc[~s["continued"],
                                                               "screen_cost"].min()
    assert (s.loc[~s["continued"], "screen_cost"] == s.loc[~s["continued"], "cost"]).all()
    assert (s.loc[s["continued"], "cost"] <= s.loc[s["continued"], "screen_cost"]).all()
    assert est.parameters["A"] == pytest.approx(3.0, rel=1e-6)
    assert est.n_evaluations == sum(calls)
    full = E.estimate(residuals, box, starts=5, seed=2, max_nfev=40, tol=1e-14)
    assert est.n_evaluations < full.n_evaluations


def test_workers_need_residuals_that_pickle_and_screening_below_max_nfev():
    box = {"A": (0.1, 10.0), "k": (0.01, 5.0)}
    with pytest.raises(NeuroimmuneError, match="workers.*does not pickle"):
        E.estimate(lambda v: _decay(v), box, starts=2, workers=2)
    for kwargs, needle in ((dict(workers=0), "workers"), (dict(finalists=0), "finalists"),
                           (dict(screen_nfev=50, max_nfev=50), "screen_nfev")):
        with pytest.raises(NeuroimmuneError, match=needle):
            E.estimate(lambda v: _decay(v), box, **kwargs)


# -- the innate model ------------------------------------------------------------------------------
TRUE = {"kTNF": 2.1, "k6": 0.45}
TIMES = np.array([0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0])
OUTPUTS = ("TNF", "IL6", "IL10")


def _innate_problem(system, noise, seed):
    """Residuals over (kTNF, k6) against synthetic data of the model at TRUE (sd 5 % + 1)."""
    protocol = Protocol([lps_bolus(2.0)], clock_start=8)
    idx = [system.parameters.index(p) for p in TRUE]
    k = [system.outputs.index(o) for o in OUTPUTS]
    y = solve(system, TRUE, protocol, TIMES).outputs[0][:, k]
    sd = 0.05 * y + 1.0
    data = y + noise * sd * np.random.default_rng(seed).standard_normal(y.shape)

    def residuals(values):
        P = np.tile(system.p0, (len(values), 1))
        P[:, idx] = values
        sol = solve(system, P, protocol, TIMES)
        return ((sol.outputs[:, :, k] - data) / sd).reshape(len(values), -1)

    return residuals


def test_recovers_innate_parameters_from_noise_free_data(innate_system):
    residuals = _innate_problem(innate_system, 0.0, 0)
    est = E.estimate(residuals, {p: (v / 10, v * 10) for p, v in TRUE.items()}, starts=2, seed=3)
    for name, value in TRUE.items():
        assert est.parameters[name] == pytest.approx(value, rel=1e-3), name
    assert est.cost < 1e-6


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_noisy_data_give_close_estimates_that_beat_the_truth(innate_system, seed):
    residuals = _innate_problem(innate_system, 1.0, seed)
    est = E.estimate(residuals, {p: (v / 10, v * 10) for p, v in TRUE.items()}, starts=2,
                     seed=seed)
    for name, value in TRUE.items():
        assert est.parameters[name] == pytest.approx(value, rel=0.15), (seed, name)
    # a least-squares minimum is no worse than the true parameters on the same noisy data
    r_true = residuals(np.array([list(TRUE.values())]))[0]
    assert est.cost <= 0.5 * r_true @ r_true * (1 + 1e-9)


# -- the callers ---------------------------------------------------------------------------------
@pytest.fixture
def spy(monkeypatch):
    """Record every call of the engine made through fit and the calibration."""
    import neuroimmune.analysis.fit as fit_module
    import neuroimmune.validation.calibrate as cal_module

    calls = []

    def wrapped(*args, **kwargs):
        calls.append(kwargs)
        return E.estimate(*args, **kwargs)

    monkeypatch.setattr(fit_module, "estimate", wrapped)
    monkeypatch.setattr(cal_module, "estimate", wrapped)
    return calls


def test_fit_and_twins_use_the_engine(innate_system, spy):
    from neuroimmune.analysis.fit import fit
    from neuroimmune.analysis.twins import fit_twins

    protocol = Protocol([lps_bolus(2.0)], clock_start=8)
    data = pd.DataFrame({"output": "TNF", "time": [1.0, 2.0], "value": [200.0, 300.0]})
    res = fit(innate_system, protocol, data, ["kTNF"], starts=2, max_nfev=3)
    assert len(spy) == 1 and spy[0]["starts"] == 2 and list(res.starts["start"]) == [0, 1]
    twins = fit_twins(["kTNF"], subjects=[1, 2], starts=1, max_nfev=2, system=innate_system)
    assert len(spy) == 3 and len(twins.table) == 2


def test_calibration_uses_the_engine(spy):
    from neuroimmune.validation import calibrate as cal

    pb = cal.calibration_problem().subset(("g_TNF_EPI",))
    res = cal.run_calibration(pb, starts=1, max_nfev=2, gradient="fd")
    assert len(spy) == 1 and spy[0]["max_nfev"] == 2
    assert res.initial_cost == pytest.approx(pb.cost(pb.defaults), rel=1e-8)


# -- profile likelihood ---------------------------------------------------------------------------
def test_a_profile_of_a_closed_form_gives_the_exact_interval():
    """r = (log x - log 2) / 0.1: -log L rises as 0.5 (log(x/2) / 0.1)^2, so the 95 % interval
    is 2 exp(+-0.1 sqrt(2 * 1.9207)) and x is identifiable; a second parameter y with its own
    datum is re-optimised along the way and does not change it."""
    def residuals(values):
        return np.column_stack([(np.log(values[:, 0]) - np.log(2.0)) / 0.1,
                                (np.log(values[:, 1]) - np.log(5.0)) / 0.2])

    est = E.estimate(residuals, {"x": (0.1, 50.0), "y": (0.1, 50.0)}, starts=2)
    p = E.profile_likelihood(residuals, est, "x")
    half = 0.1 * np.sqrt(2 * E.threshold())
    assert E.threshold() == pytest.approx(3.8415 / 2, abs=1e-4)
    assert p.identifiability == E.IDENTIFIABLE
    assert p.lower == pytest.approx(2.0 * np.exp(-half), rel=2e-3)  # linear interpolation
    assert p.upper == pytest.approx(2.0 * np.exp(half), rel=2e-3)
    assert np.all(np.diff(p.values) > 0) and p.costs.min() == pytest.approx(est.cost, abs=1e-9)


def test_a_product_is_flat_and_a_one_sided_rise_is_open():
    """Data on a * b only: both profiles are flat (structurally non-identifiable). Data that
    only say c <= 1 (a residual zero below 1): practically non-identifiable, open below."""
    def product(values):
        return np.atleast_2d((values[:, 0] * values[:, 1] - 2.0) / 0.1).T

    est = E.estimate(product, {"a": (0.1, 10.0), "b": (0.01, 100.0)}, x0=[{"a": 1, "b": 1}])
    for name in ("a", "b"):
        p = E.profile_likelihood(product, est, name)
        assert p.identifiability == E.STRUCTURAL, (name, p)
        assert np.isnan(p.lower) and np.isnan(p.upper)

    def one_sided(values):
        return np.atleast_2d(np.maximum(np.log(values[:, 0]), 0.0) / 0.1).T

    est = E.estimate(one_sided, {"c": (0.01, 10.0)}, x0=[{"c": 0.5}])
    p = E.profile_likelihood(one_sided, est, "c")
    assert p.identifiability == E.PRACTICAL
    assert np.isnan(p.lower) and p.upper == pytest.approx(np.exp(0.1 * np.sqrt(2 * 1.9207)),
                                                          rel=5e-3)
    with pytest.raises(NeuroimmuneError, match="profile parameter"):
        E.profile_likelihood(one_sided, est, "d")


def test_a_profile_with_an_analytic_jacobian_matches_finite_differences():
    """The profile's re-optimisations take the full problem's Jacobian (sensitivities in fit and
    the identifiability table) and give the finite-difference profile."""
    data = _decay([3.0, 0.7])[0]

    jac = _decay_jac

    box = {"A": (0.1, 10.0), "k": (0.01, 5.0)}
    est = E.estimate(lambda v: _decay(v) - data + 0.01, box, x0=[{"A": 3.0, "k": 0.7}])
    fd = E.profile_likelihood(lambda v: _decay(v) - data + 0.01, est, "k")
    an = E.profile_likelihood(lambda v: _decay(v) - data + 0.01, est, "k", jac=jac)
    assert an.lower == pytest.approx(fd.lower, rel=1e-4)
    assert an.upper == pytest.approx(fd.upper, rel=1e-4)
    sub = E.fixed_jacobian(jac, 1, 0.7)
    assert np.allclose(sub(np.log([2.0])), jac(np.log([2.0, 0.7]))[:, :1])
