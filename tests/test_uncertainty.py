"""The uncertainty engine (neuroimmune.analysis.uncertainty): emcee wiring against posteriors
known exactly, likelihood profiles and their classification (Raue et al. 2009)."""

import numpy as np
import pytest

from neuroimmune.analysis.uncertainty import (
    PROFILE_THRESHOLD,
    classify,
    laplace_covariance,
    profile,
    sample,
)
from neuroimmune.errors import NeuroimmuneError

T = np.linspace(0.0, 4.0, 12)
SIGMA = 0.05
Y = np.exp(-0.7 * T) + SIGMA * np.random.default_rng(1).standard_normal(T.size)
BOUNDS = {"k": (0.05, 5.0)}


def decay(X):
    """Weighted residuals of y = exp(-k t) with Gaussian noise SD SIGMA, one row per k."""
    return (np.exp(-X[:, :1] * T) - Y) / SIGMA


def grid_posterior():
    """Mean and SD of k under a flat prior on log k within BOUNDS, by quadrature."""
    logk = np.linspace(np.log(BOUNDS["k"][0]), np.log(BOUNDS["k"][1]), 200_001)
    k = np.exp(logk)
    ll = -0.5 * np.sum(((np.exp(-k[:, None] * T) - Y) / SIGMA) ** 2, axis=1)
    w = np.exp(ll - ll.max())
    w /= w.sum()
    mean = float(np.sum(w * k))
    return mean, float(np.sqrt(np.sum(w * (k - mean) ** 2)))


def test_emcee_recovers_the_posterior_of_an_exponential_decay():
    mean, sd = grid_posterior()
    s = sample(decay, BOUNDS, {"k": 0.7}, walkers=16, steps=2500, burn=500, keep=4000, seed=3)
    draws = np.exp(s.chain[s.burn:].reshape(-1))
    tau = float(np.max(s.autocorr))
    n_eff = draws.size / tau
    assert 2.0 < tau < 50.0 and 0.2 < np.mean(s.acceptance) < 0.9
    # Monte Carlo error of the mean: sd / sqrt(effective samples); 4 of them is ~1e-4 false alarm
    assert abs(draws.mean() - mean) < 4 * sd / np.sqrt(n_eff)
    assert draws.std() == pytest.approx(sd, rel=0.05)
    # the kept members are draws from the same posterior
    assert s.members["k"].mean() == pytest.approx(mean, abs=4 * sd / np.sqrt(len(s.members)
                                                                        / tau))
    assert list(s.members.columns) == ["member", "log_likelihood", "k"]
    assert np.all(s.members["log_likelihood"] <= 0)
    # seeded: the same chain again
    again = sample(decay, BOUNDS, {"k": 0.7}, walkers=16, steps=30, seed=3)
    first = sample(decay, BOUNDS, {"k": 0.7}, walkers=16, steps=30, seed=3)
    np.testing.assert_array_equal(again.chain, first.chain)
    assert "acceptance fraction" in s.diagnostics() and "autocorrelation" in s.diagnostics()


def test_emcee_recovers_a_correlated_gaussian_and_respects_the_bounds():
    """Linear-Gaussian in log space: residuals A x - b with x = log p; the posterior is Gaussian
    with covariance (A^T A)^-1 (the bounds are far away)."""
    A = np.array([[1.0, 0.9], [0.0, 0.5], [0.3, -0.2]]) * 10.0
    x_true = np.array([0.2, -0.3])
    b = A @ x_true

    def res(P):
        return np.log(P) @ A.T - b

    bounds = {"a": (np.exp(-3), np.exp(3)), "b": (np.exp(-3), np.exp(3))}
    s = sample(res, bounds, {"a": np.exp(0.2), "b": np.exp(-0.3)}, walkers=32, steps=1500,
               burn=300, seed=0)
    x = s.chain[s.burn:].reshape(-1, 2)
    cov = np.linalg.inv(A.T @ A)
    np.testing.assert_allclose(x.mean(axis=0), x_true, atol=0.1 * np.sqrt(np.diag(cov)).max()
                               + 0.01)
    np.testing.assert_allclose(np.cov(x.T), cov, rtol=0.15, atol=0.02 * cov.max())
    # a bound the posterior presses against: no sample leaves the box
    tight = {"a": (np.exp(0.15), np.exp(3)), "b": bounds["b"]}
    s = sample(res, tight, {"a": np.exp(0.2), "b": np.exp(-0.3)}, walkers=32, steps=200, seed=1)
    assert np.all(s.chain[..., 0] >= 0.15)


def test_laplace_covariance_gives_the_prior_width_to_uninformed_directions():
    J = np.array([[10.0, 0.0], [0.0, 0.0]])  # the second parameter does not enter
    cov = laplace_covariance(J, np.array([-1.0, -1.0]), np.array([1.0, 1.0]))
    assert cov[0, 0] == pytest.approx(1 / (100 + 3), rel=1e-9)
    assert cov[1, 1] == pytest.approx(4 / 12, rel=1e-9)


def test_sample_refuses_bad_settings():
    with pytest.raises(NeuroimmuneError, match="walkers"):
        sample(decay, BOUNDS, {"k": 0.7}, walkers=3, steps=10)
    with pytest.raises(NeuroimmuneError, match="burn"):
        sample(decay, BOUNDS, {"k": 0.7}, walkers=4, steps=10, burn=10)
    with pytest.raises(NeuroimmuneError, match="x0"):
        sample(decay, BOUNDS, {}, walkers=4, steps=10)


def test_profiles_classify_identifiable_practical_and_structural():
    """r = (log a + log b - 1, log c - 0.5) / s_i: a and b only through their product
    (structural), c well determined; and a weakly informed d (practical)."""
    def res(P):
        x = np.log(P)
        return np.column_stack([(x[:, 0] + x[:, 1] - 1.0) / 0.01, (x[:, 2] - 0.5) / 0.1,
                                (x[:, 3] - 0.0) / 3.0])

    bounds = {n: (np.exp(-2.0), np.exp(2.0)) for n in "abcd"}
    bounds["b"] = (np.exp(-4.0), np.exp(4.0))  # b can make up for a over a's whole range
    best = {"a": np.exp(0.5), "b": np.exp(0.5), "c": np.exp(0.5), "d": 1.0}
    pc = profile(res, bounds, best, "c", max_nfev=20)
    assert pc.classification == "identifiable"
    # the 95 % interval of a Gaussian with SD 0.1 in log c: +- 1.96 x 0.1
    assert np.log(pc.interval[0]) == pytest.approx(0.5 - 0.196, abs=0.02)
    assert np.log(pc.interval[1]) == pytest.approx(0.5 + 0.196, abs=0.02)
    pa = profile(res, bounds, best, "a", max_nfev=30)
    assert pa.classification == "structurally non-identifiable", pa.table
    assert pa.max_delta < 0.05
    pd_ = profile(res, bounds, best, "d", max_nfev=20)
    assert pd_.classification == "practically non-identifiable"
    assert 0.05 < pd_.max_delta < PROFILE_THRESHOLD
    assert pd_.reaches_bound == (True, True) and not pd_.at_bound
    # steps that stop short of the bounds: the bounds are still evaluated
    short = profile(res, bounds, best, "a", steps=(0.1,), max_nfev=30)
    assert list(short.table["value"][[0, len(short.table) - 1]]) == pytest.approx(
        [np.exp(-2.0), np.exp(2.0)])
    assert short.classification == "structurally non-identifiable"
    # the analytic Jacobian (d r / d log p) gives the same interval as finite differences
    def jac(x):
        return np.array([[100.0, 100.0, 0.0, 0.0], [0.0, 0.0, 10.0, 0.0],
                         [0.0, 0.0, 0.0, 1 / 3.0]])

    pj = profile(res, bounds, best, "c", max_nfev=20, jac=jac)
    assert pj.interval == pytest.approx(pc.interval, rel=1e-3)
    # at a bound: flagged, and the interval ends at that bound
    at = profile(res, bounds, {**best, "d": np.exp(-2.0)}, "d", max_nfev=20)
    assert at.at_bound and at.reaches_bound[0] and at.interval[0] == pytest.approx(np.exp(-2))


def test_classify():
    assert classify(10.0, (False, False)) == "identifiable"
    assert classify(10.0, (True, False)) == "practically non-identifiable"
    assert classify(0.5, (True, True)) == "practically non-identifiable"
    assert classify(0.001, (True, True)) == "structurally non-identifiable"
