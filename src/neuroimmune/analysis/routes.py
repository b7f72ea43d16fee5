"""Channel ablation: how much of an effect each neuro-immune route carries (issue #17).

A route (HPA -> immune, sympathetic -> immune, vagal -> immune, cytokines -> brain, sex
steroids) is cut by setting its coupling parameters to their neutral values: the receiving cells
then respond as if the messenger stayed at its resting (reference) level, so the route carries no
change. The model equations are not touched. ``ROUTES`` is the one table that names those
parameters (docs/routes.md; docs/design/0011-routes-channel-ablation.md).

``ablate_routes`` runs the intact model, each route cut alone and every route cut at once as the
patients of ONE batch solve and reports a per-patient statistic (``--output TNF.peak``, the
statistics of ``neuroimmune.analysis.population.STATISTICS``) for each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..compile import System
from ..errors import ModelError, NeuroimmuneError, problem
from ..model.library import REPLACES
from ..protocol import Protocol
from ..solve import SolverOptions, solve
from .population import summarise
from .sensitivity import parse_statistic

#: A half-effect constant "at infinity": a factor k^n / (x^n + k^n) normalised at its reference
#: differs from 1 by about (x / k)^n: below 1e-20 for the Hill factors (n = 2), about 1e-9 for
#: the one-site glucocorticoid factors (free cortisol up to ~1,000 nmol/L), far below what the
#: solver resolves (RESOLUTION). Used where a route has no gain to set to zero.
NO_EFFECT = 1e12

#: Changes within RESOLUTION x the solver's rtol x |intact value| are below what the batch solve
#: resolves (each patient takes its own adaptive steps, so a route that cannot reach the output
#: still differs by the integration error, about 1e-7 relative): their share is 0.
RESOLUTION = 10.0

INTACT = "intact"
ALL_ROUTES = "all routes cut"
NOT_IN_MODEL = "not in this model"


@dataclass(frozen=True)
class Cut:
    """One parameter of `module` set to `neutral` to cut a route, and why that value is neutral."""

    module: str
    parameter: str
    neutral: float
    reason: str


@dataclass(frozen=True)
class Route:
    """A neuro-immune route: in a model when every messenger in `carriers` is provided (a species
    or observable of the model) and at least one module of `cuts` is composed."""

    name: str
    description: str
    carriers: tuple[str, ...]
    cuts: tuple[Cut, ...]


_GAIN0 = "gain 0: the coupling factor is 1 (its normalisation at rest keeps 1 at any level)"
_K_INF = ("half-effect constant -> infinity (NO_EFFECT): the normalised Hill factor equals 1 at "
          "any level of the messenger")

ROUTES: tuple[Route, ...] = (
    Route("HPA -> immune", "cortisol (glucocorticoid) acting on monocytes, IL-1beta, neutrophil "
          "release and tissue repair", ("glucocorticoid",), (
              Cut("innate", "IC_GC_act", NO_EFFECT, _K_INF + " (monocyte activation; free "
                  "cortisol through the genomic GR signal)"),
              Cut("innate", "IC_GC_TNF", NO_EFFECT, _K_INF + " (TNF production)"),
              Cut("innate", "IC_GC_IL6", NO_EFFECT, _K_INF + " (IL-6 production)"),
              Cut("innate", "IC_GC_IL8", NO_EFFECT, _K_INF + " (IL-8 production)"),
              Cut("innate", "s_GC_IL10", 0.0, _GAIN0 + " (GR enhancement of constitutive "
                  "and activation-independent IL-10 production)"),
              Cut("innate_extra", "K_GC_IL1b", NO_EFFECT, _K_INF + " (IL-1beta production)"),
              Cut("innate_extra", "s_GC_N", 0.0, _GAIN0 + " (neutrophil release)"),
              Cut("tissue", "K_GC_rep", NO_EFFECT, _K_INF + " (tissue repair)"),
          )),
    Route("sympathetic -> immune", "epinephrine/norepinephrine (with NPY) acting on monocyte "
          "beta2-adrenergic receptors", ("beta2_activation",), (
              Cut("innate", "E_b2_TNF", 0.0, _GAIN0 + " (TNF inhibition)"),
              Cut("innate", "s_b2_IL10", 0.0, _GAIN0 + " (IL-10 enhancement)"),
              Cut("innate", "s_b2_IL6", 0.0, "gain 0: the adrenergic IL-6 release target is "
                  "exp(0) = 1, its resting value"),
          )),
    Route("vagal -> immune", "vagal efferent (splenic acetylcholine) acting on macrophage "
          "alpha7-nicotinic receptors", ("a7_activation",), (
              Cut("innate", "E_a7", 0.0, _GAIN0 + " (TNF and IL-6 inhibition)"),
          )),
    Route("cytokines -> brain", "plasma cytokines acting on the hypothalamus (CRH, GnRH, fever), "
          "autonomic centres and vagal afferents, and brain signalling", ("TNF",), (
              Cut("hpa", "s_TNF_CRH", 0.0, "gain 0: no TNF drive of CRH"),
              Cut("hpa", "s_brain_CRH", 0.0, "gain 0: no CRH drive from the brain cytokine "
                  "signal (brain_signalling)"),
              Cut("autonomic", "g_TNF_EPI", 0.0, _GAIN0 + " (adrenomedullary drive)"),
              Cut("autonomic", "g_TNF_NE", 0.0, _GAIN0 + " (sympathetic nerve drive)"),
              Cut("autonomic", "g_TNF_vagal", 0.0, _GAIN0 + " (vagal reflex afferent arm)"),
              Cut("fever", "k_t", 0.0, "gain 0: the temperature set point keeps only its "
                  "circadian course (T_base + rhythm)"),
              Cut("gonadal", "K_TNF_GnRH", NO_EFFECT, _K_INF + " (hypothalamic GnRH; TNF on "
                  "the gonads themselves stays)"),
              Cut("brain_signalling", "g_TNF_COX", 0.0, _GAIN0 + " (endothelial COX-2)"),
              Cut("brain_signalling", "g_IL1_COX", 0.0, _GAIN0 + " (endothelial COX-2)"),
              Cut("brain_signalling", "g_IL6_COX", 0.0, _GAIN0 + " (endothelial COX-2)"),
              Cut("brain_signalling", "Ki_IL6", 0.0, "no blood-to-brain IL-6 transport: CSF "
                  "IL-6 stays at its intrathecal resting level"),
              Cut("brain_signalling", "g_IL1_vaff", 0.0, _GAIN0 + " (vagal afferents)"),
              Cut("brain_signalling", "g_TNF_vaff", 0.0, _GAIN0 + " (vagal afferents)"),
              Cut("brain_signalling", "g_TNF_IDO", 0.0, _GAIN0 + " (IDO, kynurenine)"),
              Cut("brain_signalling", "g_IL6_IDO", 0.0, _GAIN0 + " (IDO, kynurenine)"),
          )),
    Route("sex steroids", "testosterone, estradiol and progesterone acting on monocyte cytokine "
          "production, and testosterone on the stress drive of CRH", ("sex_proinflammatory",), (
              Cut("gonadal", "s_T_pro", 0.0, _GAIN0 + " (androgen factor of "
                  "sex_proinflammatory)"),
              Cut("gonadal", "a_E2_pro", 0.0, "exponent 0: the estradiol factor (E2/E2_ref)^a of "
                  "sex_proinflammatory is 1 at any estradiol"),
              Cut("gonadal", "a_P4_pro", 0.0, "exponent 0: the progesterone factor (P4/P4_ref)^a "
                  "of sex_proinflammatory is 1 at any progesterone"),
              Cut("gonadal", "s_T_IL10", 0.0, _GAIN0 + ": sex_IL10 = 1"),
              Cut("gonadal", "s_T_stress", 0.0, _GAIN0 + ": sex_stress_gain = 1"),
          )),
)


def route_names() -> list[str]:
    return [r.name for r in ROUTES]


def _composed(system: System, module: str) -> bool:
    """Whether `module`, or an alternative that replaces it (hpa_ultradian for hpa), is in."""
    return any(part == module or REPLACES.get(part) == module for part in system.model.parts)


def overrides(system: System, route: Route) -> dict[str, float] | None:
    """The parameter values that cut `route` in `system`; None when the route is not in the
    model. A parameter the table names but a composed module lacks is a ModelError (the table
    and the library disagree)."""
    if any(c not in system.outputs for c in route.carriers):
        return None
    out = {}
    for cut in route.cuts:
        if not _composed(system, cut.module):
            continue
        if cut.parameter not in system.parameters:
            raise ModelError(problem(f"route {route.name!r}", f"parameter {cut.parameter!r} "
                                     f"among the free parameters of module {cut.module!r}",
                                     "it missing", "update ROUTES in neuroimmune/analysis/"
                                     "routes.py (and docs/routes.md) to the module's coupling "
                                     "parameters"))
        out[cut.parameter] = cut.neutral
    return out or None


def ablate_routes(system: System, protocol: Protocol, t: np.ndarray, output: str, *,
                  routes: list[str] | None = None,
                  options: SolverOptions = SolverOptions()) -> pd.DataFrame:
    """`output` ("VARIABLE.STATISTIC", e.g. "TNF.peak") with the model intact, with each route
    cut alone and with every route cut at once, from one batch solve (one patient per row).

    Columns: route, status ("intact", "cut", "not in this model" or "solve failed"),
    parameters (the overrides), value, change (value - intact), change_pct (of |intact|),
    share (|change| / the sum of |change| over the single routes; 0 for every route when no
    route changes the output by more than the resolution). attrs: output, unit, intact,
    resolution (RESOLUTION x rtol x |intact|: smaller changes get share 0), interaction (the
    change with every route cut minus the sum of the single routes' changes)."""
    name, stat = parse_statistic(system, output)
    chosen = route_names() if routes is None else list(routes)
    unknown = [r for r in chosen if r not in route_names()]
    if unknown or not chosen or len(set(chosen)) < len(chosen):
        raise NeuroimmuneError(problem("routes", f"names among {route_names()}, each once",
                                       unknown or chosen, "leave routes out for every route"))
    table = {r.name: r for r in ROUTES}
    cuts = {r: overrides(system, table[r]) for r in chosen}
    present = [r for r in chosen if cuts[r] is not None]
    rows: list[tuple[str, dict[str, float]]] = [(INTACT, {})]
    rows += [(r, cuts[r] or {}) for r in present]
    if len(present) > 1:
        rows.append((ALL_ROUTES, {k: v for r in present for k, v in (cuts[r] or {}).items()}))
    P = np.tile(system.p0, (len(rows), 1))
    for i, (_, cut) in enumerate(rows):
        for p, v in cut.items():
            P[i, system.parameters.index(p)] = v
    sol = solve(system, P, protocol, t, options=options)
    values = np.asarray(summarise(system, sol, [name])[f"{name}.{stat}"], dtype=float)
    if sol.status[0] != 0 or not np.isfinite(values[0]):
        raise NeuroimmuneError(problem(f"routes of {output}", "the intact model to solve",
                                       f"status {int(sol.status[0])}", "run `neuroimmune "
                                       "simulate` on the scenario to see why"))
    intact = float(values[0])
    resolution = RESOLUTION * options.rtol * abs(intact)
    frame = _frame(rows, values, sol.status, intact, chosen, present, resolution)
    unit = system.output_units[system.outputs.index(name)]
    frame.attrs.update(output=output, variable=name, statistic=stat, intact=intact,
                       unit="h" if stat == "time_to_peak" else
                       (f"{unit}*h" if stat == "auc" else unit),
                       resolution=resolution, interaction=_interaction(frame))
    return frame


def _frame(rows, values, status, intact, chosen, present, resolution) -> pd.DataFrame:
    by_row = {r: i for i, (r, _) in enumerate(rows)}
    records = []
    for r in [INTACT] + chosen + ([ALL_ROUTES] if ALL_ROUTES in by_row else []):
        if r not in by_row:
            records.append(dict(route=r, status=NOT_IN_MODEL, parameters="", value=np.nan))
            continue
        i = by_row[r]
        ok = status[i] == 0 and np.isfinite(values[i])
        records.append(dict(route=r, status=(INTACT if r == INTACT else "cut") if ok else
                            "solve failed", parameters=" ".join(f"{k}={v:g}" for k, v in
                                                                rows[i][1].items()),
                            value=float(values[i]) if ok else np.nan))
    frame = pd.DataFrame.from_records(records)
    frame["change"] = frame["value"] - intact
    with np.errstate(all="ignore"):
        frame["change_pct"] = 100.0 * frame["change"] / abs(intact) if intact else np.nan
    single = frame["route"].isin(present) & frame["status"].eq("cut")
    carried = frame["change"].abs().where(frame["change"].abs() > resolution, 0.0)
    total = float(carried[single].sum())
    frame["share"] = np.nan
    failed = frame["route"].isin(present) & frame["status"].eq("solve failed")
    if not failed.any():  # shares of a sum with a route missing would look complete but lie
        frame.loc[single, "share"] = carried[single] / total if total > 0 else 0.0
    return frame


def _interaction(frame: pd.DataFrame) -> float:
    both = frame[frame["route"] == ALL_ROUTES]
    single = frame[frame["status"].eq("cut") & (frame["route"] != ALL_ROUTES)]
    failed = frame["status"].eq("solve failed").any()
    if both.empty or not both["status"].eq("cut").all() or failed:
        return float("nan")
    return float(both["change"].iloc[0] - single["change"].sum())
