"""Calibration of the standard model (issue #4): the shipped parameter set.

A documented, rerunnable procedure (docs/calibration.md):

    from neuroimmune.validation.calibrate import run_calibration, write_calibrated, load_calibrated
    result = run_calibration(starts=8, seed=0, max_nfev=150, screen_nfev=20, workers=2)  # ~2 min
    write_calibrated(result, "calibration_standard.csv")   # a path is required
    load_calibrated()                   # {name: value} of the shipped file

The shipped set is regenerated from a checkout with
`neuroimmune calibrate --out src/neuroimmune/data/calibration_standard.csv`.

Free parameters: FREE_PARAMETERS (the HPA axis and the couplings these data inform), within their
declared literature bounds; everything else keeps its published or documented value. Scenarios
apply the shipped set (neuroimmune.parameter_sets). Data (calibration set; the validation
targets.csv is the test set and is never used):

1. LPS 2 ng/kg bolus at 08:00 (scenario ``lps-bolus``): mean and SD over the 20 individual curves
   of lps_bolus_2ngkg_n20_individual_windoloski2024 (TNF, IL-6, IL-8, IL-10), absolute residuals
   (model - mean) / SD; the SD is floored at 5 % of the peak of the mean curve.
2. 24-h mean cortisol and ACTH of Carroll 2007 controls (clock = the file's minutes after
   midnight) and 24-h mean cortisol of Yehuda 1996 controls (clock = 10:00 + the file's minutes),
   scenario ``circadian-day``: absolute residuals with an SD of PROFILE_REL_SD x each value.
3. TSST cortisol of the 15 healthy Nelson subjects (scenario ``acute-stress``, stressor onset
   t = 0.5 h = the file's 30 min; file minutes map to scenario hours directly): the rise above each
   subject's pre-stress baseline (mean of 0, 15 and 30 min), mean and SD over subjects, residuals
   (model rise - mean rise) / SD at the post-onset times.
4. Peak cortisol and epinephrine after LPS 2 ng/kg (Barber et al. 1993, LPS-alone group; mean and
   SE; lps_2ngkg_hormone_peaks_barber1993): the model's maximum over 0-8 h (scenario
   ``lps-bolus``).
5. Entrainment (no data): hourly cortisol of ``circadian-day`` 1, 4 and 30 days later minus
   today's, value 0 (PERIODIC_LAGS_DAYS, PERIODIC_REL_SD), so the fitted axis has a stable 24-h
   limit cycle.

Each data block (one variable of one dataset) is divided by sqrt(its number of points), so the
cost is 0.5 * the sum over blocks of the mean squared z-score: a 145-point 24-h profile does not
outweigh an 8-point TSST curve.

Pre-equilibration: the nominal limit-cycle state of each scenario (default parameters, the
scenario's own 120-day pre-equilibration) is computed once; every candidate parameter set then
runs PREEQ_DAYS whole unperturbed days from it before the protocol. A fixed number of days (no
convergence test) keeps the residuals a smooth function of the parameters, so finite-difference
Jacobians are not polluted by the stopping rule. The final parameter set is checked with the full
pre-equilibration (``CalibrationResult.cost_full_preeq``).

Optimiser: scipy.optimize.least_squares ('trf') on the log-parameters within the declared bounds
or the narrower literature CALIBRATION_BOUNDS (ACTH half-life 10-25 min); a declared lower bound
of 0 becomes upper / 1000 on the log scale. Jacobians by forward finite differences solved as
one batch of virtual patients. Starts: the defaults; then the defaults moved along the
cortisol-scale symmetry of the axis (CORTISOL_SCALE) so that the mean 24-h cortisol
equals the mean of the profile data (the published control subject's cortisol is about half the
group means; ``amplitude_matched_start``); then Latin-hypercube points (seeded). The calibration
starts from the modules' own values (``calibrated=False``), never from the shipped set.

Tied parameter (TIES): cortisol_ref, the cortisol at which the monocyte couplings equal 1, is not
fitted but set for each candidate to its own 08:00 cortisol in ``circadian-day``.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..analysis.estimate import at_bound, estimate
from ..compile import System, compile_sensitivities
from ..errors import NeuroimmuneError, problem
from ..model.sensitivity import sensitivity_name
from ..parameter_sets import CALIBRATED_PATH, read_parameter_set, write_parameter_set
from ..protocol import Protocol
from ..solve import SolverOptions, solve
from .datasets import load_dataset

#: The parameters the calibration data inform: the HPA axis (circadian CRH production a1 and its
#: rise/decline times, cortisol feedback a2/a4, ACTH and cortisol production a3/a5, CRH, ACTH and
#: cortisol elimination w1-w3 within literature half-lives), the stress and TNF drives of CRH
#: (s_stress_CRH, s_TNF_CRH), the vasopressin potentiation of ACTH release under stress
#: (s_stress_ACTH) and the splanchnic rise of adrenal cortisol output per ACTH under stress
#: (s_stress_adrenal), TNF -> adrenal epinephrine (g_TNF_EPI), the TNF -> vagal reflex
#: (g_TNF_vagal, K_TNF_vagal), the delayed share of the cortisol feedback and its lag
#: (f_GC_delayed, k_GC_feedback), and the phase (circ_delta) and minimal level (circ_eps) of the
#: circadian drive, which Bangsgaard & Ottesen fitted per subject. The other provisional
#: couplings (cortisol and beta2 actions on monocytes, K_TNF_CRH) are not identified by these
#: data and keep their documented values; cortisol_ref is tied (TIES).
FREE_PARAMETERS: tuple[str, ...] = (
    "a1", "a2", "a3", "a4", "a5", "w1", "w2", "w3", "circ_alpha", "circ_beta", "circ_delta",
    "circ_eps", "s_stress_CRH", "s_stress_ACTH", "s_stress_adrenal", "s_TNF_CRH", "g_TNF_EPI",
    "g_TNF_vagal", "K_TNF_vagal", "f_GC_delayed", "k_GC_feedback")
#: Calibration bounds narrower than the declared ones: {name: (low, high)}. w2 (ACTH
#: elimination): the declared range reaches the 34-min half-life of the Bangsgaard-Ottesen fit (a
#: lumped model value, kept valid so that the module reproduces the published model); measured
#: plasma half-lives of ACTH in healthy people are 10-25 min (i.v. ACTH about 14 min in normal
#: subjects, 31-33 min only in uraemia and hypothyroidism: Matsukura 1967 Folia Endocrinol Jpn
#: 43:527 [V-abs]; about 15 min, Haynes & Larner in Goodman & Gilman [R]), so the calibration
#: keeps to those.
CALIBRATION_BOUNDS: dict[str, tuple[float, float]] = {
    "w2": (math.log(2) * 60.0 / 25.0, math.log(2) * 60.0 / 10.0)}
#: The cortisol-scale symmetry of the Bangsgaard-Ottesen axis: cortisol -> s x cortisol with CRH
#: and ACTH unchanged when a5 -> s a5, a2 -> a2 / s^2 and a4 -> a4 / s. {name: exponent of s}.
#: With the bounded adrenal (measured capacity and basal output, not scaled) it is approximate;
#: it only places a start.
CORTISOL_SCALE: dict[str, int] = {"a5": 1, "a2": -2, "a4": -1}
#: SD of each 24-h profile residual as a fraction of the data value at that time: a coefficient
#: of variation (no SD in the digitised mean profiles; about the between-subject CV of hourly
#: cortisol in healthy men, which is multiplicative, so night values weigh as much as morning
#: ones; [D] modelling choice).
PROFILE_REL_SD = 0.25
#: Window (h after LPS) in which the peak of a 'peak' block is taken.
LPS_PEAK_WINDOW_H = 8.0
#: SD floor of the LPS data: fraction of the peak of the mean curve (assay/digitisation noise).
LPS_SD_FLOOR = 0.05
#: Whole unperturbed days each candidate runs from the nominal limit-cycle state.
PREEQ_DAYS = 30
#: Entrainment: the change of hourly cortisol after the PREEQ_DAYS, `lag` days later for each
#: lag (1 and 4 days catch beats, whichever phase of their envelope; 30 days catches a limit
#: cycle that is slowly unstable, which a candidate starting near the nominal cycle leaves only
#: after weeks), with an SD of PERIODIC_REL_SD x the mean Carroll profile ([D] modelling choice:
#: the unperturbed model subject must sit on a stable 24-h limit cycle; 2 % is far below the
#: between-day variation of real cortisol, so the term constrains only the model's own drift).
PERIODIC_LAGS_DAYS = (1, 4, 30)
PERIODIC_REL_SD = 0.02
#: Log-scale floor for a declared lower bound of 0: upper bound / LOG_FLOOR.
LOG_FLOOR = 1000.0
OPTIONS = SolverOptions(rtol=1e-8, atol=1e-10)
#: The shipped calibrated set (read only: nothing writes into the installed package).
DEFAULT_PATH = CALIBRATED_PATH
COMMAND = ("neuroimmune calibrate --starts {starts} --seed {seed} --max-nfev {max_nfev} "
           "--screen {screen} --finalists {finalists} --gradient {gradient}")
#: The shipped procedure's screening round: every start runs SCREEN_NFEV evaluations, then the
#: FINALISTS best go on to max_nfev (docs/calibration.md: the last starts of a full multistart
#: rarely overtake a better start after this many; the run fits the 2-minute budget of #16).
SCREEN_NFEV = 20
FINALISTS = 2
_LPS = "lps_bolus_2ngkg_n20_individual_windoloski2024"
_CARROLL = "cortisol_acth_24h_carroll2007_controls"
_TSST = "tsst_cortisol_nelson_vevapy_individual"
_YEHUDA = "cortisol_24h_yehuda1996_controls"
_BARBER = "lps_2ngkg_hormone_peaks_barber1993"
#: Data the published modules the model uses were fitted to (not read by calibration_blocks, but
#: just as much in-sample): the Janum n=20 LPS study, to which Windoloski 2024 fitted the innate
#: cytokine module and Dobreva 2021 the fever and heart-rate module.
PUBLISHED_FIT_DATASETS = (_LPS, "lps_bolus_2ngkg_janum_dobreva2021")


def calibration_datasets() -> tuple[str, ...]:
    """The packaged datasets calibration_blocks() reads (each block's source names its file)."""
    from .datasets import dataset_names

    names = set(dataset_names())
    read = {b.source.split(":", 1)[0].strip() for b in calibration_blocks()}
    return tuple(sorted(read & names))


_KINDS = ("absolute", "shape", "rise", "peak", "periodic")


@dataclass(frozen=True)
class Tie:
    """A parameter that is not fitted but set from the candidate model itself: `output` of
    `scenario` at `time` (h). The scenario itself runs with the parameter's default."""

    parameter: str
    scenario: str
    output: str
    time: float
    reason: str = ""


#: cortisol_ref, the cortisol at which the monocyte couplings equal 1, is the axis's own 08:00
#: cortisol: the Janum subjects received LPS at about 08:00, so the published immune fit is the
#: coupled model's at that clock time, whatever the calibrated axis's cortisol level.
TIES: tuple[Tie, ...] = (
    Tie("cortisol_ref", "circadian-day", "cortisol", 8.0, "the calibrated axis's own 08:00 "
        "cortisol (circadian-day), so the monocyte couplings equal 1 at the clock time of the "
        "Janum LPS challenge and the published immune fit is kept"),)


#: Reference points of modules outside the standard model that are properties of the axis's
#: resting limit cycle: hpa_glands' gland masses neither grow nor shrink at the 24-h mean CRH and
#: ACTH (Karin et al. 2020 normalise to the steady state). Derived from the calibrated
#: circadian day, written as optional rows (applied to models that have the parameter), so the
#: chronic-stress scenarios run on the same calibrated axis as every other scenario.
DERIVED_MEANS: tuple[tuple[str, str], ...] = (("CRH_ref", "CRH"), ("ACTH_ref", "ACTH"))
DERIVED_SCENARIO = "circadian-day"


def derived_references(values: Mapping[str, float]) -> dict[str, tuple[float, str]]:
    """{parameter: (24-h mean of its output, unit)} on the circadian day with `values` (the
    fitted and tied parameters) applied to the published modules (1-min grid, trapezoid
    rule)."""
    from .. import scenarios
    from ..scenarios import BUILTIN

    sc = replace(BUILTIN[DERIVED_SCENARIO], calibrated=False, subject=dict(values))
    system = scenarios.system(sc)
    t = np.linspace(0.0, 24.0, 24 * 60 + 1)
    sol = solve(system, None, sc.protocol, t)
    if sol.status[0] != 0 or not sol.preequilibration_converged[0]:
        raise NeuroimmuneError(problem(f"derived references ({DERIVED_SCENARIO})", "a converged "
                                       "24-h limit cycle", "a failed or unconverged run",
                                       "check the calibrated values"))
    out = {}
    for name, output in DERIVED_MEANS:
        k = system.outputs.index(output)
        out[name] = (float(np.trapezoid(sol.outputs[0, :, k], t) / 24.0), system.output_units[k])
    return out


@dataclass(frozen=True)
class Block:
    """One calibration data block: a variable of a dataset on a scenario's time axis.

    kind 'absolute': residual (model(t) - value) / sd.
    kind 'shape':    residual (model(t) / mean_t model - value) / sd (value already normalised).
    kind 'rise':     residual (model(t) - mean model(baseline_times) - value) / sd.
    kind 'peak':     residual (max over `times` of model - value) / sd; one value.
    kind 'periodic': residual (model(baseline_times) - model(times) - value) / sd, with
                     baseline_times = times + whole days: day-to-day change on the limit cycle.
    """

    name: str
    scenario: str
    output: str
    times: np.ndarray
    values: np.ndarray
    sd: np.ndarray
    kind: str = "absolute"
    baseline_times: np.ndarray = field(default_factory=lambda: np.zeros(0))
    source: str = ""

    def __post_init__(self) -> None:
        n = len(self.times)
        if self.kind not in _KINDS:
            raise NeuroimmuneError(problem(f"block {self.name!r} kind",
                                           " or ".join(map(repr, _KINDS)), self.kind,
                                           "choose one of them"))
        m = 1 if self.kind == "peak" else n
        if n == 0 or len(self.values) != m or len(self.sd) != m:
            raise NeuroimmuneError(problem(f"block {self.name!r} data", "equal, non-zero numbers "
                                           "of times, values and sd", (n, len(self.values),
                                                                       len(self.sd)),
                                           "give one value and sd per time"))
        if not (np.all(np.isfinite(self.times)) and np.all(self.times >= 0)
                and np.all(np.isfinite(self.values))):
            raise NeuroimmuneError(problem(f"block {self.name!r} times/values", "finite numbers, "
                                           "times >= 0 h", "NaN, inf or negative time",
                                           "drop the missing points"))
        if np.any(~np.isfinite(self.sd) | (self.sd <= 0)):
            raise NeuroimmuneError(problem(f"block {self.name!r} sd", "finite values > 0",
                                           "zero, negative or missing sd", "floor the sd"))
        if self.kind == "rise" and len(self.baseline_times) == 0:
            raise NeuroimmuneError(problem(f"block {self.name!r} baseline_times", "the times of "
                                           "the pre-challenge baseline", "none",
                                           "give baseline_times for a 'rise' block"))
        if self.kind == "periodic" and len(self.baseline_times) != n:
            raise NeuroimmuneError(problem(f"block {self.name!r} baseline_times", "one later "
                                           "time (times + whole days) per time",
                                           len(self.baseline_times),
                                           "give baseline_times = times + 24 h"))

    def transform(self, y: np.ndarray, yb: np.ndarray | None = None) -> np.ndarray:
        """Model outputs (patients, times) at `times` (and baseline (patients, k)) -> the
        quantity compared with `values`."""
        if self.kind == "shape":
            return y / np.mean(y, axis=1, keepdims=True)
        if self.kind == "rise":
            assert yb is not None  # rise blocks have baseline times (checked on construction)
            return y - np.mean(yb, axis=1, keepdims=True)
        if self.kind == "peak":
            return np.max(y, axis=1, keepdims=True)
        if self.kind == "periodic":
            return yb - y
        return y


@dataclass(frozen=True)
class CalibrationProblem:
    """Which parameters (with log-scale bounds), which data blocks, on which scenarios."""

    parameters: tuple[str, ...]
    bounds: dict[str, tuple[float, float]]
    defaults: dict[str, float]
    units: dict[str, str]
    blocks: tuple[Block, ...]
    preequilibrate_days: int = PREEQ_DAYS
    ties: tuple[Tie, ...] = ()
    options: SolverOptions = OPTIONS
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict:
        """Pickled without the compiled systems (a worker process sets them up again)."""
        return {**{f.name: getattr(self, f.name) for f in fields(self)}, "_cache": {}}

    def __setstate__(self, state: dict) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    # -- scenarios -------------------------------------------------------------------------
    def scenarios(self) -> list[str]:
        """Scenario names, the sources of ties first."""
        sources = sorted({t.scenario for t in self.ties})
        return sources + sorted({b.scenario for b in self.blocks} - set(sources))

    def _times(self, name: str) -> np.ndarray:
        """Output times of scenario `name`: 0, its blocks' (and baselines') times, its ties'."""
        times = [0.0]
        for b in self.blocks:
            if b.scenario == name:
                times.extend(b.times)
                times.extend(b.baseline_times)
        times.extend(t.time for t in self.ties if t.scenario == name)
        return np.unique(np.asarray(times, float))

    def _setup(self, name: str):
        """(system, protocol without pre-equilibration, output times, nominal start state)."""
        if name not in self._cache:
            from .. import scenarios
            from ..scenarios import BUILTIN

            # the published/provisional values: the shipped calibrated set is not the start
            sc = replace(BUILTIN[name], calibrated=False)
            system = scenarios.system(sc)
            t_eval = self._times(name)
            rest = Protocol(clock_start=sc.protocol.clock_start,
                            preequilibrate_days=sc.protocol.preequilibrate_days)
            nominal = solve(system, None, rest, [0.0], options=self.options)
            if nominal.status[0] != 0:
                raise NeuroimmuneError(problem(f"pre-equilibration of {name!r}", "a successful "
                                               "solve at the default parameters",
                                               int(nominal.status[0]), "check the model"))
            protocol = replace(sc.protocol, preequilibrate_days=0)
            self._cache[name] = (system, protocol, t_eval, nominal.y_end[0])
        return self._cache[name]

    def parameter_matrix(self, values) -> tuple[System, np.ndarray]:
        """values: mapping name -> value, or array (n, len(parameters)) in linear scale."""
        system = self._setup(self.scenarios()[0])[0]
        if isinstance(values, Mapping):
            # a tied parameter's value comes from the model: accepted and ignored
            unknown = sorted(set(values) - set(self.parameters)
                             - {t.parameter for t in self.ties})
            if unknown:
                raise NeuroimmuneError(problem("calibration values", "names among the free "
                                               f"parameters {list(self.parameters)}", unknown,
                                               "check the names"))
            row = np.array([float(values.get(p, self.defaults[p])) for p in self.parameters])
            X = row[None, :]
        else:
            X = np.array(values, dtype=float, ndmin=2)
            if X.ndim != 2 or X.shape[1] != len(self.parameters):
                raise NeuroimmuneError(problem("calibration values", "an array of shape (n, "
                                               f"{len(self.parameters)})", np.shape(values),
                                               "one column per free parameter"))
        if not np.all(np.isfinite(X)) or np.any(X < 0):
            raise NeuroimmuneError(problem("calibration values", "finite values >= 0",
                                           X.tolist(), "stay within the bounds"))
        idx = [system.parameters.index(p) for p in self.parameters]
        P = np.tile(system.p0, (len(X), 1))
        P[:, idx] = X
        return system, P

    # -- model predictions and residuals -------------------------------------------------
    def _outputs(self, P: np.ndarray, names: Sequence[str]) -> dict:
        """{scenario: (outputs (n, times, outputs), times, system)} for the parameter rows P, tie
        sources first; a failed solve gives NaN."""
        out: dict[str, tuple] = {}
        for name in names:
            system, protocol, t_eval, y_nom = self._setup(name)
            P_run = self._with_ties(P, out, system, name)
            rest = Protocol(clock_start=protocol.clock_start)
            y0 = np.tile(y_nom, (len(P), 1))
            ok = np.ones(len(P), bool)
            if self.preequilibrate_days:
                pre = solve(system, P_run, rest, [24.0 * self.preequilibrate_days], y0=y0,
                            options=self.options)
                ok &= pre.status == 0
                y0 = np.where(ok[:, None], pre.y_end, y0)
            sol = solve(system, P_run, protocol, t_eval, y0=y0, options=self.options)
            ok &= sol.status == 0
            o = sol.outputs.copy()
            o[~ok] = np.nan
            out[name] = (o, t_eval, system)
        return out

    def predictions(self, values) -> list[np.ndarray]:
        """The transformed model quantity of each block, each of shape (n, block points); a
        failed solve gives NaN."""
        _, P = self.parameter_matrix(values)
        return self._block_predictions(self._outputs(P, self.scenarios()))

    def _block_predictions(self, out: dict) -> list[np.ndarray]:
        """The transformed model quantity of each block from the scenario outputs `out`."""
        preds = []
        for b in self.blocks:
            o, t_eval, system = out[b.scenario]
            k = system.outputs.index(b.output)
            y = o[:, np.searchsorted(t_eval, b.times), k]
            yb = (o[:, np.searchsorted(t_eval, b.baseline_times), k] if b.baseline_times.size
                  else None)
            preds.append(b.transform(y, yb))
        return preds

    def _with_ties(self, P: np.ndarray, out: dict, system: System, name: str) -> np.ndarray:
        """P with each tie whose source has run (`out`) set, except in the source itself."""
        P = P.copy()
        for tie in self.ties:
            if tie.scenario != name and tie.scenario in out:
                o, t_eval, _ = out[tie.scenario]
                value = o[:, np.searchsorted(t_eval, tie.time), system.outputs.index(tie.output)]
                k = system.parameters.index(tie.parameter)
                # a failed source solve already gives that candidate NaN residuals
                P[:, k] = np.where(np.isfinite(value), value, P[:, k])
        return P

    def tied_values(self, values: Mapping[str, float]) -> dict[str, float]:
        """{parameter: value} of the ties for one candidate."""
        if not self.ties:
            return {}
        system, P = self.parameter_matrix(dict(values))
        out = self._outputs(P, sorted({t.scenario for t in self.ties}))
        P = self._with_ties(P, out, system, "")
        return {t.parameter: float(P[0, system.parameters.index(t.parameter)])
                for t in self.ties}

    def _weighted(self, preds: list[np.ndarray]) -> np.ndarray:
        """(prediction - value) / sd / sqrt(block points), blocks side by side."""
        return np.hstack([(p - b.values) / b.sd / math.sqrt(len(b.values))
                          for p, b in zip(preds, self.blocks)])

    def residuals(self, values) -> np.ndarray:
        """Weighted residuals, shape (n, total points) (or (total points,) for a mapping):
        (prediction - value) / sd / sqrt(block points). A failed solve gives 1e3 per point."""
        r = np.nan_to_num(self._weighted(self.predictions(values)), nan=1e3, posinf=1e3,
                          neginf=-1e3)
        return r[0] if isinstance(values, Mapping) else r

    def cost(self, values) -> float:
        return float(0.5 * np.sum(self.residuals(dict(values)) ** 2))

    def block_costs(self, values) -> dict[str, float]:
        r = self.residuals(dict(values))
        out, i = {}, 0
        for b in self.blocks:
            n = len(b.values)
            out[b.name] = float(0.5 * np.sum(r[i:i + n] ** 2))
            i += n
        return out

    def synthetic(self, values: Mapping[str, float]) -> "CalibrationProblem":
        """The same problem with every block's values replaced by the model's own predictions at
        `values` (same sd): for checking the residual function and parameter recovery."""
        preds = self.predictions(dict(values))
        if any(not np.all(np.isfinite(p)) for p in preds):
            raise NeuroimmuneError(problem("synthetic data", "a successful solve", "a failed "
                                           "solve", "choose parameter values within the bounds"))
        blocks = tuple(replace(b, values=p[0].copy()) for p, b in zip(preds, self.blocks))
        return replace(self, blocks=blocks)

    def subset(self, parameters: Sequence[str]) -> "CalibrationProblem":
        """The same data with only `parameters` free (the others at their defaults)."""
        unknown = [p for p in parameters if p not in self.parameters]
        if not parameters or unknown:
            raise NeuroimmuneError(problem("parameters", f"names among {list(self.parameters)}",
                                           unknown or list(parameters), "check the names"))
        # the defaults of the dropped parameters stay in the system's p0; keep the cache
        return replace(self, parameters=tuple(parameters),
                       bounds={p: self.bounds[p] for p in parameters},
                       defaults={p: self.defaults[p] for p in parameters},
                       units={p: self.units[p] for p in parameters})

    def total_points(self) -> int:
        return sum(len(b.values) for b in self.blocks)

    # -- the Jacobian from forward sensitivities --------------------------------------------
    def _sens_setup(self, name: str):
        """(sensitivity system, its parameter names, start state, columns of d output / d p):
        the free parameters, then every tied one. The names are the same for every scenario,
        so scenarios of one model share one compiled sensitivity system (a tied parameter's
        column is unused in the scenario the tie takes its value from)."""
        key = ("sensitivities", name, self.parameters)
        if key not in self._cache:
            system, _, _, y_nom = self._setup(name)
            free = {p.name for p in system.model.parameters if not p.constant}
            names = list(dict.fromkeys([*self.parameters, *(
                t.parameter for t in self.ties if t.scenario != name or t.parameter in free)]))
            sens = compile_sensitivities(system.model, names)
            y0 = np.concatenate([y_nom, np.zeros(sens.n_states - system.n_states)])
            cols = np.array([[sens.outputs.index(sensitivity_name(o, n)) for n in names]
                             for o in system.outputs])
            self._cache[key] = (sens, names, y0, cols)
        return self._cache[key]

    def jacobian(self, log_values: np.ndarray) -> np.ndarray:
        """d residuals / d log-parameters (total points, parameters) of one candidate, from the
        forward sensitivity equations along the same solves as `residuals` (ties chained:
        d tied / d p is the source scenario's sensitivity at the tie's time). A failed solve
        gives zero rows (its residuals are the constant penalty)."""
        values = np.exp(np.asarray(log_values, float))
        _, P = self.parameter_matrix(values[None, :])
        k = len(self.parameters)
        out: dict[str, tuple] = {}
        grads: dict[str, np.ndarray] = {}
        for name in self.scenarios():
            system, protocol, t_eval, _ = self._setup(name)
            sens, names, y0, cols = self._sens_setup(name)
            P_run = self._with_ties(P, out, system, name)
            rest = Protocol(clock_start=protocol.clock_start)
            ok = True
            if self.preequilibrate_days:
                pre = solve(sens, P_run, rest, [24.0 * self.preequilibrate_days],
                            y0=y0[None, :], options=self.options)
                ok = pre.status[0] == 0
                y0 = pre.y_end[0]
            sol = solve(sens, P_run, protocol, t_eval, y0=y0[None, :], options=self.options)
            ok = ok and sol.status[0] == 0
            # the system's outputs by name: the sensitivity states come before the observables
            o = sol.outputs[0][:, [sens.outputs.index(v) for v in system.outputs]]
            S = sol.outputs[0][:, cols]  # (times, outputs, names)
            if not ok:
                o, S = np.full_like(o, np.nan), np.zeros_like(S)
            total = S[:, :, :k].copy()
            for tie in self.ties:
                if tie.scenario == name:
                    continue
                src_o, src_t, src_sys = out[tie.scenario]
                d_tie = grads[tie.scenario][np.searchsorted(src_t, tie.time),
                                            src_sys.outputs.index(tie.output)]
                total += S[:, :, names.index(tie.parameter), None] * d_tie[None, None, :]
            out[name] = (o[None], t_eval, system)
            grads[name] = total
        rows = []
        for b in self.blocks:
            o, t_eval, system = out[b.scenario]
            i = system.outputs.index(b.output)
            it = np.searchsorted(t_eval, b.times)
            y, dy = o[0, it, i], grads[b.scenario][it, i]
            dyb = (grads[b.scenario][np.searchsorted(t_eval, b.baseline_times), i]
                   if b.baseline_times.size else None)
            if b.kind == "shape":
                m = np.mean(y)
                d = (dy * m - y[:, None] * np.mean(dy, axis=0)) / m ** 2
            elif b.kind == "rise":
                assert dyb is not None  # rise blocks have baseline times (checked on creation)
                d = dy - np.mean(dyb, axis=0)
            elif b.kind == "peak":
                d = dy[[int(np.argmax(y))]] if np.all(np.isfinite(y)) else np.zeros((1, k))
            elif b.kind == "periodic":
                d = dyb - dy
            else:
                d = dy
            rows.append(d / b.sd[:, None] / math.sqrt(len(b.values)))
        J = np.vstack(rows) * values[None, :]
        return np.nan_to_num(J, nan=0.0, posinf=0.0, neginf=0.0)


@dataclass(frozen=True)
class CalibrationResult:
    parameters: dict[str, float]
    previous: dict[str, float]
    cost: float  # 0.5 * sum of squared weighted residuals (fixed-day pre-equilibration)
    cost_full_preeq: float  # the same with each scenario's full 120-day pre-equilibration
    preeq_converged: bool  # every scenario's full pre-equilibration met its convergence test
    initial_cost: float
    block_costs: dict[str, float]
    success: bool
    message: str
    n_evaluations: int
    starts: pd.DataFrame
    seed: int
    max_nfev: int
    problem: CalibrationProblem = field(repr=False)
    date: str = ""
    #: The tied parameters' values at the best point (TIES).
    tied: dict[str, float] = field(default_factory=dict)
    #: How the Jacobian was computed: "sensitivities" or "fd".
    gradient: str = "sensitivities"
    #: The screening round (None: every start ran max_nfev) and how many starts went on.
    screen_nfev: int | None = None
    finalists: int = FINALISTS


# -- data ----------------------------------------------------------------------------------------
def calibration_blocks() -> tuple[Block, ...]:
    """The three calibration datasets as data blocks (see the module docstring)."""
    blocks = []
    lps = load_dataset(_LPS)
    for col in ("TNF", "IL6", "IL8", "IL10"):
        g = lps.groupby("time_h")[col]
        mean, sd = g.mean(), g.std(ddof=1)
        sd = np.maximum(sd.to_numpy(float), LPS_SD_FLOOR * mean.max())
        blocks.append(Block(f"lps_{col}", "lps-bolus", col, mean.index.to_numpy(float),
                            mean.to_numpy(float), sd, "absolute",
                            source=f"{_LPS}: mean and SD of 20 subjects"))
    car = load_dataset(_CARROLL).dropna()
    t = car["min_after_midnight"].to_numpy(float) / 60.0
    keep = t <= 24.0
    for col, out in (("cortisol_ug_dL", "cortisol"), ("ACTH_pg_mL", "ACTH")):
        v = car[col].to_numpy(float)[keep]
        blocks.append(Block(f"carroll_{out}", "circadian-day", out, t[keep], v,
                            PROFILE_REL_SD * v, "absolute",
                            source=f"{_CARROLL}: 24-h mean profile"))
    hours = np.arange(0.0, 24.0)
    sd = PERIODIC_REL_SD * car["cortisol_ug_dL"].mean()
    for lag in PERIODIC_LAGS_DAYS:
        blocks.append(Block(f"periodic_cortisol_{lag}d", "circadian-day", "cortisol", hours,
                            np.zeros(hours.size), np.full(hours.size, sd), "periodic",
                            baseline_times=hours + 24.0 * lag,
                            source=f"entrainment: hourly cortisol {lag} day(s) later equals "
                                   "today's (24-h limit cycle)"))
    yeh = load_dataset(_YEHUDA).dropna()
    clock = np.mod(10.0 + yeh["min_after_1000h"].to_numpy(float) / 60.0, 24.0)
    order = np.argsort(clock)
    v = yeh["cortisol_ug_dL"].to_numpy(float)[order]
    blocks.append(Block("yehuda_cortisol", "circadian-day", "cortisol", clock[order], v,
                        PROFILE_REL_SD * v, "absolute",
                        source=f"{_YEHUDA}: 24-h mean profile (clock = 10:00 + file minutes)"))
    peaks = load_dataset(_BARBER).set_index("variable")
    window = np.round(np.arange(0.0, LPS_PEAK_WINDOW_H + 1e-9, 0.1), 10)
    for var in ("cortisol", "EPI"):
        blocks.append(Block(f"barber_{var}_peak", "lps-bolus", var, window,
                            np.array([peaks.loc[var, "peak_mean"]], float),
                            np.array([peaks.loc[var, "peak_se"]], float), "peak",
                            source=f"{_BARBER}: LPS-alone peak, mean and SE"))
    tsst = load_dataset(_TSST)
    tsst = tsst[tsst["group"] == "healthy"]
    cols = [c for c in tsst.columns if c.startswith("t") and c.endswith("min")]
    minutes = np.array([float(c[1:-3]) for c in cols])
    pre = minutes <= 30.0
    values = tsst[cols].to_numpy(float)
    rise = values - values[:, pre].mean(axis=1, keepdims=True)
    post = ~pre
    blocks.append(Block("tsst_cortisol", "acute-stress", "cortisol", minutes[post] / 60.0,
                        rise[:, post].mean(axis=0), rise[:, post].std(axis=0, ddof=1), "rise",
                        baseline_times=minutes[pre] / 60.0,
                        source=f"{_TSST}: healthy subjects (n={len(tsst)}), rise above the "
                               "0-30 min baseline, mean and SD"))
    return tuple(blocks)


def _log_bounds(name: str, bounds) -> tuple[float, float]:
    if bounds is None:
        raise NeuroimmuneError(problem(f"bounds of {name}", "declared literature bounds",
                                       None, "declare bounds on the Parameter"))
    lo, hi = float(bounds[0]), float(bounds[1])
    if not (math.isfinite(hi) and hi > 0 and 0 <= lo < hi):
        raise NeuroimmuneError(problem(f"bounds of {name}", "0 <= low < high", bounds,
                                       "fix the declared bounds"))
    return (lo if lo > 0 else hi / LOG_FLOOR, hi)


def calibration_problem(parameters: Sequence[str] = FREE_PARAMETERS,
                        blocks: Sequence[Block] | None = None, *,
                        preequilibrate_days: int = PREEQ_DAYS,
                        ties: Sequence[Tie] = TIES) -> CalibrationProblem:
    """The calibration problem: free parameters with their declared bounds (log scale; narrower
    ones from CALIBRATION_BOUNDS), the calibration data blocks on the standard-model scenarios,
    and the tied parameters."""
    from .. import scenarios
    from ..scenarios import BUILTIN

    parameters = tuple(parameters)
    blocks = calibration_blocks() if blocks is None else tuple(blocks)
    if not blocks:
        raise NeuroimmuneError(problem("blocks", "at least one data block", "none",
                                       "use calibration_blocks()"))
    unknown_sc = sorted({b.scenario for b in blocks} - set(BUILTIN))
    if unknown_sc:
        raise NeuroimmuneError(problem("block scenarios", "built-in scenario names", unknown_sc,
                                       "see `neuroimmune scenarios`"))
    model = scenarios.model(BUILTIN[blocks[0].scenario])
    for b in blocks:
        sc = BUILTIN[b.scenario]
        if sc.modules != BUILTIN[blocks[0].scenario].modules or sc.profiles or sc.subject:
            raise NeuroimmuneError(problem(f"scenario of block {b.name!r}", "a scenario on the "
                                           "same model without a profile or subject",
                                           b.scenario, "calibrate one model at a time"))
        if b.output not in set(model.species_names) | {o.name for o in model.observables}:
            raise NeuroimmuneError(problem(f"output of block {b.name!r}", "a species or "
                                           "observable of the model", b.output,
                                           "use model names (TNF, IL6, cortisol, ...)"))
    declared = {p.name: p for p in model.parameters}
    bad = [p for p in parameters if p not in declared or declared[p].constant]
    if not parameters or bad or len(set(parameters)) != len(parameters):
        raise NeuroimmuneError(problem("calibration parameters", "distinct names of free "
                                       "(non-constant) parameters of the standard model",
                                       bad or list(parameters), "see `neuroimmune model`"))
    ties = tuple(ties)
    outputs = set(model.species_names) | {o.name for o in model.observables}
    for t in ties:
        if (t.parameter not in declared or t.parameter in parameters or t.scenario not in BUILTIN
                or t.output not in outputs or not t.time >= 0):
            raise NeuroimmuneError(problem(f"tie of {t.parameter!r}", "a model parameter that "
                                           "is not free, set from a model output of a built-in "
                                           "scenario at a time >= 0", t,
                                           "fix the Tie or drop the parameter from `parameters`"))
    if not isinstance(preequilibrate_days, int) or preequilibrate_days < 0:
        raise NeuroimmuneError(problem("preequilibrate_days", "an integer >= 0",
                                       preequilibrate_days, "e.g. 30"))
    return CalibrationProblem(
        parameters,
        {p: _log_bounds(p, CALIBRATION_BOUNDS.get(p, declared[p].bounds)) for p in parameters},
        {p: float(declared[p].value) for p in parameters},
        {p: declared[p].unit for p in parameters}, blocks, preequilibrate_days, ties)


# -- optimisation --------------------------------------------------------------------------------
def run_calibration(problem_: CalibrationProblem | None = None, *, starts: int = 6,
                    seed: int = 0, max_nfev: int = 40, x0: Mapping[str, float] | None = None,
                    progress=None, gradient: str = "sensitivities", workers: int = 1,
                    screen_nfev: int | None = None, finalists: int = FINALISTS
                    ) -> CalibrationResult:
    """Multistart bounded least squares on the log-parameters (the estimation engine,
    neuroimmune.analysis.estimate). Start 0 is the defaults (or `x0`), start 1 the same moved
    along the cortisol-scale symmetry (`amplitude_matched_start`); the others are Latin-hypercube
    points within the bounds (seeded). gradient: the Jacobian from the forward sensitivity
    equations (`CalibrationProblem.jacobian`) or "fd" (the engine's finite differences);
    workers, screen_nfev, finalists: as in `estimate` (starts in parallel processes; a
    screening round of screen_nfev evaluations after which the `finalists` best go on)."""
    if gradient not in ("sensitivities", "fd"):
        raise NeuroimmuneError(problem("gradient", "'sensitivities' or 'fd'", gradient,
                                       "e.g. gradient='fd'"))
    pb = problem_ or calibration_problem()
    if not isinstance(starts, int) or starts < 1:
        raise NeuroimmuneError(problem("starts", "an integer >= 1", starts, "e.g. starts=4"))
    if not isinstance(max_nfev, int) or max_nfev < 1:
        raise NeuroimmuneError(problem("max_nfev", "an integer >= 1", max_nfev,
                                       "e.g. max_nfev=40"))
    start = dict(pb.defaults, **(x0 or {}))
    given = [start] + ([amplitude_matched_start(pb, start)] if starts > 1 else [])
    if not isinstance(workers, int) or workers < 1:
        raise NeuroimmuneError(problem("workers", "an integer >= 1", workers, "e.g. workers=2"))
    if workers > 1 and gradient == "sensitivities":
        # compile (or load) the sensitivity kernels once here: the workers then read the cache
        pb.jacobian(np.log([min(max(start[p], pb.bounds[p][0]), pb.bounds[p][1])
                            for p in pb.parameters]))
    est = estimate(pb.residuals, pb.bounds, x0=given, starts=starts, seed=seed,
                   max_nfev=max_nfev, progress=progress,
                   jac=pb.jacobian if gradient == "sensitivities" else None,
                   workers=workers, screen_nfev=screen_nfev, finalists=finalists)
    values = est.parameters
    return CalibrationResult(values, dict(pb.defaults), est.cost,
                             *full_preequilibration(pb, values),
                             float(est.starts["initial_cost"].iloc[0]),
                             pb.block_costs(values), est.success, est.message,
                             est.n_evaluations, est.starts, seed, max_nfev, pb,
                             _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                             pb.tied_values(values), gradient, screen_nfev, finalists)


def amplitude_matched_start(pb: CalibrationProblem,
                            values: Mapping[str, float] | None = None) -> dict[str, float]:
    """`values` (default: the defaults) moved along CORTISOL_SCALE so that the model's mean
    cortisol over the 24-h profile blocks equals the data's mean (the free parameters of the
    symmetry only)."""
    values = dict(pb.defaults, **(values or {}))
    blocks = [(i, b) for i, b in enumerate(pb.blocks)
              if b.kind == "absolute" and b.output == "cortisol" and b.scenario == "circadian-day"]
    if not blocks:
        return values
    preds = pb.predictions(values)
    model = sum(float(np.sum(preds[i])) for i, _ in blocks)
    data = sum(float(np.sum(b.values)) for _, b in blocks)
    if not (np.isfinite(model) and model > 0):
        return values
    scale = data / model
    for name, exponent in CORTISOL_SCALE.items():
        if name in values and name in pb.parameters:
            lo, hi = pb.bounds[name]
            values[name] = float(np.clip(values[name] * scale ** exponent, lo, hi))
    return values


def full_preequilibration(pb: CalibrationProblem,
                          values: Mapping[str, float]) -> tuple[float, bool]:
    """The cost with each scenario's own full pre-equilibration (120 days, convergence test)
    instead of the fixed days from the nominal state, and whether every pre-equilibration met
    its convergence test (a 24-h limit cycle)."""
    from ..scenarios import BUILTIN

    system, P = pb.parameter_matrix(dict(values))
    out: dict[str, tuple[np.ndarray, np.ndarray, System]] = {}
    converged = True
    for name in pb.scenarios():  # tie sources first
        t = pb._times(name)
        sol = solve(system, pb._with_ties(P, out, system, name),
                    replace(BUILTIN[name], calibrated=False).protocol, t, options=pb.options)
        if sol.status[0] != 0:
            return math.inf, False
        converged &= bool(sol.preequilibration_converged[0])
        out[name] = (sol.outputs, t, system)
    r = pb._weighted(pb._block_predictions(out))[0]
    return float(0.5 * np.sum(r ** 2)), converged


# -- the shipped file ------------------------------------------------------------------------------
#: Starts whose final cost is within this fraction of the best give the spread columns.
SPREAD_COST_RTOL = 0.01


def start_spread(result: CalibrationResult) -> dict[str, tuple[float, float]]:
    """Per parameter, the range of final values over the starts whose cost is within
    SPREAD_COST_RTOL of the best: a crude identifiability measure (a wide range = the data do
    not determine the parameter)."""
    s = result.starts
    good = s[s["cost"] <= result.cost * (1 + SPREAD_COST_RTOL)]
    return {p: (float(good[f"{p}.final"].min()), float(good[f"{p}.final"].max()))
            for p in result.parameters}


def write_calibrated(result: CalibrationResult, path: str | Path) -> Path:
    """Write the calibrated set with its provenance header ('#' lines) to `path` (required:
    the shipped file is replaced only on purpose, from a checkout). Written atomically, with a
    '# rows: N' header line that read_parameter_set checks, so a file cut short is refused."""
    if path is None or not str(path):
        raise NeuroimmuneError(problem("write_calibrated path", "a .csv file path", path,
                                       "e.g. write_calibrated(result, 'calibration.csv')"))
    path = Path(path)
    pb = result.problem
    header = [
        "Calibrated parameter set of the standard model (innate + hpa + fever + autonomic); "
        "issue #4, neuroimmune.validation.calibrate (docs/calibration.md).",
        "procedure: multistart bounded least squares (scipy least_squares trf) on log-parameters "
        "within the declared bounds or CALIBRATION_BOUNDS (lower bound 0 -> upper/1000); "
        "residuals weighted by data SD "
        f"(24-h profiles: {PROFILE_REL_SD:g} x each value), "
        "each block / sqrt(points); candidates run "
        f"{pb.preequilibrate_days} days from the nominal 120-day limit-cycle state.",
        "data: " + "; ".join(sorted({b.source for b in pb.blocks})),
        "command: " + COMMAND.format(starts=len(result.starts), seed=result.seed,
                                     max_nfev=result.max_nfev, gradient=result.gradient,
                                     screen=result.screen_nfev or 0,
                                     finalists=result.finalists),
        f"seed: {result.seed}; starts: {len(result.starts)}; max_nfev: {result.max_nfev}; "
        f"screen: {result.screen_nfev or 0}; finalists: {result.finalists}; "
        f"gradient: {result.gradient}; evaluations: {result.n_evaluations}",
        f"initial cost (defaults): {result.initial_cost:.6g}; final cost: {result.cost:.6g}; "
        f"final cost with full pre-equilibration: {result.cost_full_preeq:.6g}; full "
        "pre-equilibration converged (24-h limit cycle): "
        f"{'yes' if result.preeq_converged else 'NO'}",
        "block costs: " + ", ".join(f"{k}={v:.4g}" for k, v in result.block_costs.items()),
        *(f"tied (not fitted): {t.parameter} = {t.output} of {t.scenario} at {t.time:g} h: "
          f"{t.reason}" for t in pb.ties),
        "derived (optional rows, applied to models that have them): "
        + ", ".join(f"{p} = 24-h mean {o} of {DERIVED_SCENARIO}" for p, o in DERIVED_MEANS)
        + " with this set: the resting operating point of the hpa_glands module",
        f"date: {result.date}",
        "Scenarios of the standard model apply this set unless they set calibrated = false "
        "(neuroimmune.parameter_sets); "
        "validation targets (targets.csv) were not used.",
    ]
    spread = start_spread(result)
    n_good = int((result.starts["cost"] <= result.cost * (1 + SPREAD_COST_RTOL)).sum())
    header.insert(-2, f"spread_low/spread_high: range of the final values over the {n_good} "
                  f"starts with a cost within {SPREAD_COST_RTOL:.0%} of the best (a wide range = "
                  "not identified by these data); at_bound: the value lies within 1 % (log "
                  "scale) of a bound")
    rows = []
    for p in pb.parameters:
        v, (lo, hi) = result.parameters[p], pb.bounds[p]
        at = at_bound(v, (lo, hi))
        rows.append({"name": p, "value": f"{v:.6g}", "unit": pb.units[p],
                     "previous_value": f"{result.previous[p]:.6g}", "lower": f"{lo:.6g}",
                     "upper": f"{hi:.6g}", "spread_low": f"{spread[p][0]:.4g}",
                     "spread_high": f"{spread[p][1]:.4g}", "at_bound": str(at).lower()})
    if pb.ties:
        from .. import scenarios
        from ..scenarios import BUILTIN

        declared = {p.name: p for p in scenarios.model(BUILTIN[pb.scenarios()[0]]).parameters}
    for tie in pb.ties:
        v, par = result.tied[tie.parameter], declared[tie.parameter]
        assert par.bounds is not None  # a tied parameter is a free one, declared with bounds
        lo, hi = par.bounds
        rows.append({"name": tie.parameter, "value": f"{v:.6g}", "unit": par.unit,
                     "previous_value": f"{par.value:.6g}", "lower": f"{lo:.6g}",
                     "upper": f"{hi:.6g}", "spread_low": f"{v:.4g}",
                     "spread_high": f"{v:.4g}", "at_bound": "false"})
    for name, (v, unit) in derived_references({**result.parameters, **result.tied}).items():
        rows.append({"name": name, "value": f"{v:.6g}", "unit": unit, "previous_value": "",
                     "lower": "", "upper": "", "spread_low": f"{v:.4g}",
                     "spread_high": f"{v:.4g}", "at_bound": "false", "optional": "true"})
    for row in rows:
        row.setdefault("optional", "false")
    return write_parameter_set(path, pd.DataFrame(rows), header)


def calibration_header(path: str | Path | None = None) -> str:
    path = Path(path) if path is not None else DEFAULT_PATH
    return "\n".join(line[1:].strip() for line in path.read_text().splitlines()
                     if line.startswith("#"))


def load_calibrated(path: str | Path | None = None) -> dict[str, float]:
    """The fitted and tied values {name: value} of the shipped (or given) file (not its
    optional derived rows, which belong to modules outside the standard model)."""
    ps = read_parameter_set(path)
    return {n: v for n, v in ps.values.items() if n not in ps.optional}


# -- effect on the validation targets ------------------------------------------------------------
def validation_comparison(values: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Every validation target with the defaults and with `values` (default: the shipped set)
    written into each scenario's subject: id, value/passed before and after."""
    from .. import scenarios
    from .harness import evaluate, load_targets, scenarios_needed, validation_scenario

    values = load_calibrated() if values is None else dict(values)
    targets = load_targets()
    names = scenarios_needed(targets)
    uncalibrated = {n: replace(validation_scenario(n), calibrated=False) for n in names}
    before = {n: scenarios.simulate(sc) for n, sc in uncalibrated.items()}
    after = {n: scenarios.simulate(replace(sc, subject={**sc.subject, **values}))
             for n, sc in uncalibrated.items()}
    rows = []
    for b, a in zip(evaluate(targets, before), evaluate(targets, after)):
        rows.append({"id": b.id, "quantity": b.quantity, "statistic": b.statistic,
                     "lower": b.lower, "upper": b.upper, "before": b.value,
                     "passed_before": b.passed, "after": a.value, "passed_after": a.passed})
    return pd.DataFrame(rows)


__all__ = ["FREE_PARAMETERS", "CALIBRATION_BOUNDS", "TIES", "Tie", "Block", "CalibrationProblem",
           "CalibrationResult", "calibration_blocks", "calibration_problem", "run_calibration",
           "amplitude_matched_start", "full_preequilibration", "write_calibrated",
           "load_calibrated", "start_spread", "calibration_header", "validation_comparison"]
