"""Fitting parameters of a model to data under one protocol (docs/fitting.md).

The likelihood: each measurement y_i of output o at time t_i is the model value m_i with
independent Gaussian noise, either additive (y = m + e, sd given per row or one sd per output
estimated) or proportional (log y = log m + e: log-normal, the sd of e is about the coefficient
of variation; given as sd/value per row or estimated per output). The cost minimised,
0.5 * sum(r_i^2) + sum over estimated sds of n_o * log(sd_o / sd_low), equals -log L up to a
constant: r_i = (m_i - y_i) / sd_i (additive) or (log m_i - log y_i) / sd_i (proportional), and
the second sum enters as one extra residual per estimated sd, sqrt(2 n_o log(sd_o / sd_low)).
The optimisation is the estimation engine (`neuroimmune.analysis.estimate`: multistart bounded
least squares on log-parameters). Its Jacobian comes from the forward sensitivity equations the
compiler generates (`compile_sensitivities`: dm/dp along the same solve, pre-equilibration
included), `gradient="fd"` keeps the engine's batched finite differences (also the fallback for
the stiff solver, which the sensitivity systems do not support); profile-likelihood intervals
and identifiability classes come from `estimate.profile_likelihood` (finite differences: with
the sensitivity Jacobian a product pair of the tests came out identifiable, not yet understood).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from ..compile import System, compile_sensitivities
from ..errors import NeuroimmuneError, problem
from ..model.sensitivity import sensitivity_name
from ..protocol import Protocol
from ..solve import SolverOptions, solve
from .estimate import LEVEL, Profile, estimate, profile_likelihood

NOISE_MODELS = ("additive", "proportional")
GRADIENTS = ("sensitivities", "fd")
#: Penalty residual of a failed solve (the engine's default is 1e3; fit keeps 1e6).
PENALTY = 1e6
#: Bounds of an estimated sd: additive, a fraction of the output's largest |value|;
#: proportional, the sd on the log scale.
SD_BOUNDS = {"additive": (1e-4, 10.0), "proportional": (1e-3, 10.0)}
#: Bounds of a parameter declared without (positive) bounds: value / 10 to value * 10.
DEFAULT_FOLD = 10.0
#: Where an estimated sd starts (same scale as SD_BOUNDS).
SD_START = {"additive": 0.1, "proportional": 0.2}


@dataclass(frozen=True)
class FitResult:
    parameters: dict[str, float]  # the fitted model parameters
    cost: float  # -log L + const: 0.5 * sum of squared residuals (+ the sd terms)
    success: bool
    message: str
    n_evaluations: int
    starts: pd.DataFrame  # one row per start: initial and final values, cost, success, nfev
    at_bound: dict[str, bool] = field(default_factory=dict)  # within 1 % (log width) of a bound
    #: estimated noise sds, "sd_<output>" -> value (additive: the output's unit; proportional:
    #: the log scale); empty when every row gave its sd
    noise: dict[str, float] = field(default_factory=dict)
    noise_model: str = "additive"
    profiles: dict[str, Profile] = field(default_factory=dict)  # when fit(profiles=True)
    bounds: dict[str, tuple[float, float]] = field(default_factory=dict)
    n_data: int = 0

    def table(self) -> pd.DataFrame:
        """One row per estimated quantity: parameter, kind (model or noise), value, lower and
        upper (the profile-likelihood interval; empty where open or not profiled),
        identifiability, at_bound, bound_low, bound_high, limited_by."""
        rows = []
        for name, value in {**self.parameters, **self.noise}.items():
            p = self.profiles.get(name)
            lo, hi = self.bounds.get(name, (np.nan, np.nan))
            rows.append({"parameter": name, "kind": "noise" if name in self.noise else "model",
                         "value": value, "lower": p.lower if p else np.nan,
                         "upper": p.upper if p else np.nan,
                         "identifiability": p.identifiability if p else "",
                         "at_bound": bool(self.at_bound.get(name, False)),
                         "bound_low": lo, "bound_high": hi,
                         "limited_by": " ".join(p.limited_by) if p else ""})
        return pd.DataFrame(rows)


def _data_arrays(system: System, data: pd.DataFrame):
    needed = {"output", "time", "value"}
    if not needed <= set(data.columns):
        raise NeuroimmuneError(problem("data columns", f"at least {sorted(needed)} (and "
                                       "optionally sd)", sorted(data.columns),
                                       "give one row per measurement"))
    unknown = sorted(set(data["output"]) - set(system.outputs))
    if unknown:
        raise NeuroimmuneError(problem("data output names", "outputs of the model", unknown,
                                       "rename the data columns to model names (TNF, IL6, ...)"))
    sd = data["sd"].to_numpy(float) if "sd" in data else np.full(len(data), np.nan)
    if np.any((~np.isfinite(sd) & ~np.isnan(sd)) | (sd <= 0)):
        raise NeuroimmuneError(problem("data sd", "finite values > 0 (or empty: estimated)",
                                       "zero, negative or infinite sd",
                                       "drop those rows or set sd"))
    times = np.unique(data["time"].to_numpy(float))
    t_idx = np.searchsorted(times, data["time"].to_numpy(float))
    o_idx = np.array([system.outputs.index(o) for o in data["output"]])
    return times, t_idx, o_idx, data["value"].to_numpy(float), sd


def parameter_bounds(system: System, parameters: list[str],
                     bounds: dict[str, tuple[float, float]] | None = None
                     ) -> dict[str, tuple[float, float]]:
    """The bounds each of `parameters` is fitted within (`bounds`, else `default_bounds`);
    errors name a parameter that is not a free one of the model or has no valid bounds."""
    unknown = [p for p in parameters if p not in system.parameters]
    if not parameters or unknown or len(set(parameters)) != len(parameters):
        near = [m for p in unknown for m in difflib.get_close_matches(p, system.parameters, 1)]
        raise NeuroimmuneError(problem("parameters", "distinct names of free parameters of the "
                                       "model", unknown or parameters,
                                       f"did you mean {near[0]!r}?" if near else
                                       "see `neuroimmune model`"))
    extra = sorted(set(bounds or {}) - set(parameters))
    if extra:
        raise NeuroimmuneError(problem("bounds", "bounds of fitted parameters only", extra,
                                       "add them to the fitted parameters or drop their bounds"))
    box = {}
    for name in parameters:
        value = float(system.p0[system.parameters.index(name)])
        b = (bounds or {}).get(name) or default_bounds(system, name, value)
        if b is None or not (0 < b[0] < b[1] < np.inf):
            raise NeuroimmuneError(problem(f"bounds of {name}", "0 < low < high", b,
                                           f"pass bounds={{{name!r}: (low, high)}} (CLI: "
                                           f"--bounds {name}=LOW:HIGH)"))
        box[name] = (float(b[0]), float(b[1]))
    return box


def default_bounds(system: System, name: str, value: float) -> tuple[float, float] | None:
    """The declared bounds of `name`; where none are declared or the lower one is 0, from
    value / DEFAULT_FOLD to value * DEFAULT_FOLD (the upper capped by a declared upper)."""
    declared = {p.name: p.bounds for p in system.model.parameters}.get(name)
    if declared is not None and declared[0] > 0:
        return (float(declared[0]), float(declared[1]))
    if not value > 0:
        return None
    high = value * DEFAULT_FOLD if declared is None else min(value * DEFAULT_FOLD, declared[1])
    return (value / DEFAULT_FOLD, high)


def _where(data: pd.DataFrame, i: int) -> str:
    return str(data["where"].iloc[i]) if "where" in data else f"row {i + 1}"


def _noise_terms(data: pd.DataFrame, y: np.ndarray, sd: np.ndarray, noise: str):
    """The per-row sd of the residuals (NaN where estimated) and the estimated sds: name ->
    (rows, bounds, start)."""
    if noise not in NOISE_MODELS:
        raise NeuroimmuneError(problem("noise", f"one of {list(NOISE_MODELS)}", noise,
                                       "additive: value = model + error; proportional: "
                                       "log(value) = log(model) + error"))
    if noise == "proportional":
        bad = np.flatnonzero(~(y > 0))
        if bad.size:
            raise NeuroimmuneError(problem(f"data {_where(data, int(bad[0]))}, column value",
                                           "a value > 0 (proportional noise is log-normal)",
                                           float(y[bad[0]]), "use --noise additive, or drop "
                                           "the rows at or below 0"))
        sd = sd / y  # an sd in the value's unit -> on the log scale (coefficient of variation)
    outputs = data["output"].to_numpy()
    estimated = {}
    lo_f, hi_f = SD_BOUNDS[noise]
    for o in dict.fromkeys(outputs[np.isnan(sd)]):
        rows = np.flatnonzero((outputs == o) & np.isnan(sd))
        scale = 1.0 if noise == "proportional" else float(np.max(np.abs(y[rows]))) or 1.0
        estimated[f"sd_{o}"] = (rows, (lo_f * scale, hi_f * scale), SD_START[noise] * scale)
    return sd, estimated


def fit(system: System, protocol: Protocol, data: pd.DataFrame, parameters: list[str], *,
        bounds: dict[str, tuple[float, float]] | None = None, starts: int = 8, seed: int = 0,
        options: SolverOptions = SolverOptions(rtol=1e-8, atol=1e-10),
        max_nfev: int = 200, noise: str = "additive", profiles: bool = False,
        level: float = LEVEL, progress: Callable[[str], None] | None = None,
        gradient: str = "sensitivities") -> FitResult:
    """Fit `parameters` (free parameters of `system`) to `data` (columns output, time, value,
    optionally sd; read_observations gives them in the model's units) under `protocol`.

    bounds: name -> (low, high), default `default_bounds` (the declared ones); noise: "additive"
    or "proportional" (module docstring: the likelihood); rows without sd get one sd per output,
    estimated with the parameters; profiles: also compute the profile likelihood of each
    parameter (`level` interval, identifiability class)."""
    if gradient not in GRADIENTS:
        raise NeuroimmuneError(problem("gradient", f"one of {list(GRADIENTS)}", gradient,
                                       "'sensitivities' (forward sensitivity equations) or 'fd' "
                                       "(finite differences)"))
    box = parameter_bounds(system, parameters, bounds)
    idx = np.array([system.parameters.index(p) for p in parameters])
    times, t_idx, o_idx, y, sd = _data_arrays(system, data)
    sd, estimated = _noise_terms(data, y, sd, noise)
    log_y = np.log(y) if noise == "proportional" else y
    box.update({n: b for n, (_, b, _) in estimated.items()})
    t_eval = np.union1d([0.0], times)
    t_pos = np.searchsorted(t_eval, times)[t_idx]
    k = len(parameters)

    def residuals(values: np.ndarray) -> np.ndarray:
        model, inverse = np.unique(values[:, :k], axis=0, return_inverse=True)
        P = np.tile(system.p0, (len(model), 1))
        P[:, idx] = model
        sol = solve(system, P, protocol, t_eval, options=options)
        m = sol.outputs[:, t_pos, o_idx]
        m[sol.status != 0] = np.nan  # a failed solve: the penalty
        if noise == "proportional":
            with np.errstate(divide="ignore", invalid="ignore"):
                m = np.where(m > 0, np.log(np.abs(m)), np.nan)
        m = m[inverse.ravel()]
        s = np.broadcast_to(sd, m.shape).copy()
        extra = []
        for j, (rows, (low, _), _) in enumerate(estimated.values()):
            s[:, rows] = values[:, k + j, None]
            extra.append(np.sqrt(2.0 * len(rows) * np.log(np.maximum(values[:, k + j], low)
                                                           / low)))
        return np.hstack([(m - log_y) / s, np.array(extra).T.reshape(len(values), -1)])

    def jacobian(x: np.ndarray) -> np.ndarray:
        """d residuals / d log-values from the sensitivity system (model part) and in closed
        form (estimated sds)."""
        values = np.exp(x)
        P = system.p0[None, :].copy()
        P[0, idx] = values[:k]
        sol = solve(sens, P, protocol, t_eval, options=options)
        r = residuals(values[None, :])[0]
        n = len(y)
        J = np.zeros((len(r), len(x)))
        if sol.status[0] != 0:
            return J  # a failed solve: flat penalty, no direction
        m = sol.outputs[0, t_pos, sens_out[o_idx]]  # by name: observables follow the sensitivities
        s_row = np.broadcast_to(sd, (n,)).copy()
        for j, (rows, _, _) in enumerate(estimated.values()):
            s_row[rows] = values[k + j]
        for j in range(k):
            dm = sol.outputs[0, t_pos, sens_cols[j][o_idx]] * values[j]  # d m / d log p
            if noise == "proportional":
                dm = dm / m
            J[:n, j] = dm / s_row
        for j, (rows, _, _) in enumerate(estimated.values()):
            J[rows, k + j] = -r[rows]
            extra = r[n + j]
            J[n + j, k + j] = len(rows) / extra if extra > 0 else 0.0
        return J

    jac = None
    if gradient == "sensitivities" and options.method == "dopri5":
        sens = compile_sensitivities(system.model, parameters)
        sens_cols = [np.array([sens.outputs.index(sensitivity_name(o, p))
                               for o in system.outputs]) for p in parameters]
        sens_out = np.array([sens.outputs.index(o) for o in system.outputs])
        jac = jacobian
    start = {**dict(zip(parameters, system.p0[idx])),
             **{n: s0 for n, (_, _, s0) in estimated.items()}}
    est = estimate(residuals, box, x0=[start], starts=starts, seed=seed, max_nfev=max_nfev,
                   penalty=PENALTY, progress=progress, jac=jac)
    found = {}
    if profiles:
        for name in parameters:
            found[name] = profile_likelihood(residuals, est, name, level=level, penalty=PENALTY)
            if progress:
                progress(f"profile {name}: {found[name].identifiability}")
    noise_values = {n: est.parameters[n] for n in estimated}
    return FitResult({p: est.parameters[p] for p in parameters}, est.cost, est.success,
                     est.message, est.n_evaluations + sum(p.n_evaluations for p in found.values()),
                     est.starts, est.at_bound, noise_values, noise, found, est.bounds, len(y))


def predict(system: System, protocol: Protocol, parameters: dict[str, float], outputs, t, *,
            options: SolverOptions = SolverOptions(rtol=1e-8, atol=1e-10)) -> pd.DataFrame:
    """The model's `outputs` at times `t` with `parameters` (long form: time, output, value);
    NaN after a failed solve."""
    sol = solve(system, parameters or None, protocol, np.asarray(t, float), options=options)
    return pd.concat([pd.DataFrame({"time": sol.t, "output": o,
                                    "value": sol.outputs[0, :, system.outputs.index(o)]})
                      for o in outputs], ignore_index=True)
