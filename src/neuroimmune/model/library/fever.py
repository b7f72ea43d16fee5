"""Cytokines acting on the brain: fever and heart rate (Dobreva et al. 2021).

Equations from the published code (Dobreva A et al. J Physiol 2021, "A physiological model of the
inflammatory-thermal-pain-cardiovascular interactions during an endotoxin challenge";
RunModelMatlabCode/model.m, read in the unzipped fork willov/Inflammation-and-Cardiovascular-
Dynamics; see docs/sources/brain_and_drugs.md A.1-A.2), Janum parameter set:

    set point  F = k_t (T_M - T_base) [P - k_10 up(|IL10 - s_10|)] + T_base + C(clock)
    P = (k_TNF up(|TNF - s_TNF|) + k_6 up(|IL6 - s_6|)) a g / g_ref     (PGE2_fever_drive)
    dT/dt = (F - T) / tau_T
    dH_T/dt = (k_h (H_max - H_base) up(|T - T_base - R(clock)|; dT_half, 2) - H_T) / tau_H
    heart_rate = H_base + H_T (1 - f_b + f_b a1) + G_beta (b1 - b1_ref)   (observable)

Cytokines raise the hypothalamic temperature set point by their rise above baseline, through
brain-endothelial COX-2 and PGE2 (not in the source; docs/design/0030-prostaglandin-route.md):
Dobreva's TNF and IL-6 terms are read as the cytokine induction of PGE2 synthesis P, which is
scaled by ``COX_activity_fraction`` a (1 without a COX inhibitor; 0 removes PGE2 synthesis and
with it the fever) and by the glucocorticoid factor on induced COX-2, ``GC_COX2_factor`` g
(innate module; held at g_ref when it is not composed), relative to g_ref, the factor during
the febrile response the published set was fitted to, so that the nominal LPS fever stays the
published one (a reparametrisation, not a refit). COX-2 induction is quasi-steady: its delay
is part of the fitted tau_T. IL-10's antipyretic term does not go through PGE2. Heart rate
is the resting rate plus a thermal part H_T (Dobreva's temperature term, re-expressed as a rise
over H_base) plus adrenergic chronotropy: ``b1`` is the cardiac beta1 activation by sympathetic
nerves and plasma epinephrine against propranolol, provided by the autonomic module
(``cardiac_beta1_activation``; a hook held at its resting value ``b1_ref`` when that module is
not composed, so the fever module alone keeps its published form). G_beta is the chronotropic
range of full beta activation, maximal minus intrinsic heart rate; b1_ref the resting share,
from the fall of resting heart rate under beta-blockade (docs/design/0012-heart-rate.md).
A share f_b of the thermal part is itself beta-adrenergic (heat-induced tachycardia 22 bpm/degC,
14 under propranolol; Apte et al. 1992) and scales with ``a1``, the fraction of the beta1
response propranolol leaves (``cardiac_beta1_availability``, 1 without the autonomic module).
The thermal gain k_h is refitted to the Janum heart-rate means (the data Dobreva fitted) with
the adrenergic part present.

Circadian rhythm (not in the source; docs/design/0020-temperature-rhythm.md): the set point
carries C = -A (cos y - w tau_T sin y), y = w (clock - t_min), w = 2 pi / 24 h, the cosine
whose lagged response is the sourced core-temperature rhythm R = -A cos y (minimum at t_min,
amplitude A; mean 0, so T_base stays the 24-h mean). The thermal heart-rate part answers the
rise over R (fever), not the rhythm.

Differences from the source: the baroreflex factor on heart rate is 1 (no blood-pressure model;
in the source it stays above 0.9 during the Janum LPS challenge), and the cytokine thresholds s_*
are the baselines of the immune module it is composed with (the source used each subject's first
data point, which is the same idea): s_TNF, s_6, s_10 are tied to the innate module's wTNF, w6,
w10 (docs/design/0006).
"""

from __future__ import annotations

import sympy as sp

from ..core import Input, Module, Observable, Species, clock_cosine, clock_sine, hill_up, sym
from ._common import library_parameter
from ._innate_baseline import JANUM_MEAN_AGE
from .innate import IL6_REST, IL10_REST, TNF_REST

DOBREVA_2021 = ("Dobreva A, Brady-Nicholls R, Larripa K, Puelz C, Mehlsen J, Olufsen MS. J Physiol "
                "2021 (arXiv:1908.07611); Janum parameter set, load_pars_Init_Janum.m")
_BASELINE = ("baseline of the innate module (Windoloski et al. 2024 optimised w); the source uses "
             "the subject's first data point")
_JANUM = "Janum n=20 mean at t = 0 (lps_bolus_2ngkg_janum_dobreva2021.csv)"

#: Mean age of the Janum cohort (years), used by the age formulas of maximal and intrinsic rate.
AGE_Y = JANUM_MEAN_AGE
#: Maximal heart rate 207 - 0.7 age (Dobreva 2021's H_max), bpm.
H_MAX = 207.0 - 0.7 * AGE_Y
#: Intrinsic heart rate after propranolol + atropine, 118.1 - 0.57 age (Jose & Collison 1970
#: Am Heart J 79:488, >400 healthy subjects), bpm.
H_INTRINSIC = 118.1 - 0.57 * AGE_Y
#: Chronotropic range of full beta-adrenergic activation: maximal minus intrinsic rate, bpm.
G_BETA_HR = H_MAX - H_INTRINSIC
#: Fall of resting heart rate under beta-blockade, bpm: oral propranolol in 10 normal
#: volunteers, 68 +- 3.3 -> 56 +- 2.8 bpm (LeWinter MM, Crawford MH, Karliner JS, O'Rourke RA,
#: "Effects of oral propranolol in normal subjects", Clin Pharmacol Ther 1975;17:709, PMID
#: 1139862); Cumming & Mir 1970 Br Heart J
#: 32:766: 81 -> 71 bpm at age 16 (propranolol 0.2 mg/kg i.v.).
HR_BETA_REST = 12.0
#: Resting cardiac beta1 activation: the share of the chronotropic range in use at rest.
BETA1_CARDIAC_REST = HR_BETA_REST / G_BETA_HR


_p = library_parameter(source=DOBREVA_2021, spread=3.0, fraction_bounds=False)

#: Period of the temperature rhythm (h): entrained to the 24-h day.
CIRCADIAN_PERIOD_H = 24.0
#: Clock time of the minimum of the core-temperature rhythm, h after midnight: 05:02 (neither-
#: types; Baehr, Revelle & Eastman 2000).
T_CIRC_MIN_CLOCK = 5.0 + 2.0 / 60.0
#: Cosine amplitude of the core-temperature rhythm, degC (half the peak-to-trough range): the
#: middle of the 0.2-0.7 degC range of Huang et al. 2021.
T_CIRC_AMP = 0.45
_BAEHR_2000 = ("Baehr EK, Revelle W, Eastman CI. J Sleep Res 2000;9:117 [V-abs]: ambulatory "
               "core body temperature of 101 young men and 71 young women over 6 days, cosine "
               "fit per day: average Tmin 05:02 for neither-types (03:50 morning-types, 06:01 "
               "evening-types), men about 0.5 h later than women; the bounds are the morning- "
               "and evening-type means")
_HUANG_2021 = ("Huang Q, Komarzynski S, Bolborea M, Finkenstaedt B, Levi FA. Front Physiol "
               "2021;12:659973 [V-abs]: core temperature by ingestible pill during daily routine "
               "in 33 subjects aged 21-78 y, cosinor amplitudes 0.2-0.7 degC (mesors 36.6-37.5 "
               "degC); value the middle of that range, bounds the range")

#: Thermal heart-rate gain: Dobreva's 0.24705 refitted (least squares) to the Janum n=20 heart-
#: rate means 0-5.1 h with the adrenergic part present (the same data the published module was
#: fitted to; docs/design/0012-heart-rate.md).
K_H = 0.205
_K_H_SOURCE = (DOBREVA_2021 + "; refitted to the Janum n=20 heart-rate means (0-5.1 h, "
               "lps_bolus_2ngkg_janum_dobreva2021) with beta-adrenergic chronotropy present "
               "(published 0.24705 attributed the whole rise to temperature): "
               "benchmarks/fit_k_h.py, the scan's minimum with the shipped set of 2026-12-06")


#: Glucocorticoid factor on induced COX-2 (innate GC_COX2_factor) during the fitted febrile
#: response: set by benchmarks/fit_gc_cox2_fever_ref.py so that the nominal 2 ng/kg LPS fever
#: peak rise equals the one of the published set point (docs/design/0030).
GC_COX2_FEVER_REF = 0.915
_GC_REF = ("reparametrisation, not a fit to data: the published set point was fitted to fevers "
           "in which endogenous cortisol already restrained COX-2; g_ref makes the nominal "
           "2 ng/kg LPS peak rise equal to that of the published set point "
           "(benchmarks/fit_gc_cox2_fever_ref.py; docs/design/0030)")


def fever() -> Module:
    """Body temperature driven by TNF, IL-6 and IL-10; heart rate from temperature and cardiac
    beta1 activation."""
    params = (
        _p("tau_T", 1.69321, "h", description="temperature time constant (optimised)"),
        _p("k_t", 0.5, "1", description="overall fever gain"),
        _p("T_max", 39.5, "degC", description="temperature scale of the set point (not a ceiling)",
           spread=1.1),
        _p("T_base", 36.825, "degC", description="baseline body temperature (24-h mean of "
           "the circadian rhythm)", source=_JANUM, spread=1.1),
        _p("k_tTNF", 1.5, "1", description="TNF weight on the set point"),
        _p("x_tTNF", 185.0, "pg/mL", description="TNF rise giving half its effect"),
        _p("h_tTNF", 0.75, "1", description="Hill exponent (TNF on temperature)", constant=True),
        _p("k_t6", 2.66637, "1", description="IL-6 weight on the set point (optimised)"),
        _p("x_t6", 560.0, "pg/mL", description="IL-6 rise giving half its effect"),
        _p("h_t6", 0.75, "1", description="Hill exponent (IL-6 on temperature)", constant=True),
        _p("k_t10", 0.0625, "1", description="IL-10 weight (lowers the set point)"),
        _p("x_t10", 34.772, "pg/mL", description="IL-10 rise giving half its effect"),
        _p("h_t10", 1.0, "1", description="Hill exponent (IL-10 on temperature)", constant=True),
        _p("GC_COX2_fever_ref", GC_COX2_FEVER_REF, "1", source=_GC_REF, bounds=(0.3, 1.0),
           description="glucocorticoid factor on induced COX-2 during the fitted febrile "
           "response (the PGE2 route equals the published set point there)"),
        _p("s_TNF", TNF_REST, "pg/mL", description="TNF threshold", source=_BASELINE, tie="wTNF"),
        _p("s_6", IL6_REST, "pg/mL", description="IL-6 threshold", source=_BASELINE, tie="w6"),
        _p("s_10", IL10_REST, "pg/mL", description="IL-10 threshold", source=_BASELINE, tie="w10"),
        _p("tau_H", 0.5, "h", description="time constant of the thermal heart-rate part"),
        _p("k_h", K_H, "1", description="thermal heart-rate gain", source=_K_H_SOURCE),
        _p("H_max", H_MAX, "bpm", description="maximal heart rate, 207 - 0.7 x age "
           "(mean age 24.68 y)", spread=1.5),
        _p("H_base", 60.5574, "bpm", description="baseline heart rate", source=_JANUM, spread=1.5),
        _p("dT_HR_half", 0.552, "delta_degC",
           description="temperature rise giving half the heart-rate "
           "response, |x_ht - T_m| = |36.3 - 36.852| degC"),
        _p("h_ht", 2.0, "1",
           description="Hill exponent (temperature on heart rate)", constant=True),
        _p("G_beta_HR", G_BETA_HR, "bpm", source="maximal heart rate 207 - 0.7 age (Dobreva's "
           "H_max) minus intrinsic heart rate 118.1 - 0.57 age after propranolol + atropine "
           "(Jose & Collison 1970 Am Heart J 79:488) at age 24.68 y: the rise that full "
           "beta-adrenergic activation adds to the denervated rate",
           description="heart-rate range of cardiac beta1 activation (0 -> 1)", spread=1.5),
        _p("beta1_ref", BETA1_CARDIAC_REST, "1", source="resting heart rate falls by 12 bpm under "
           "beta-blockade (oral propranolol, 10 normal volunteers: 68 -> 56 bpm, LeWinter, "
           "Crawford, Karliner & O'Rourke 1975 Clin Pharmacol Ther 17:709; Cumming & Mir 1970 "
           "Br Heart J 32:766: 81 -> 71 bpm), divided by G_beta_HR",
           description="resting cardiac beta1 activation (the autonomic module's resting value)"),
        _p("T_circ_amp", T_CIRC_AMP, "delta_degC", source=_HUANG_2021, bounds=(0.2, 0.7),
           description="cosine amplitude of the circadian core-temperature rhythm (set point "
           "mean unchanged: T_base is the 24-h mean)"),
        _p("T_circ_min_clock", T_CIRC_MIN_CLOCK, "h", source=_BAEHR_2000,
           bounds=(3.0 + 50.0 / 60.0, 6.0 + 1.0 / 60.0),
           description="clock time of the minimum of the circadian core-temperature rhythm "
           "(maximum 12 h later)"),
        _p("T_circ_period", CIRCADIAN_PERIOD_H, "h", source="the 24-h day (entrained rhythm)",
           description="period of the circadian temperature rhythm", constant=True),
        _p("f_beta_thermal", 1.0 - 14.0 / 22.0, "1", source="heat exposure in 10 healthy men: "
           "heart rate rose 22 bpm per degC core temperature on placebo and 14 bpm per degC after "
           "120 mg oral propranolol (Apte, Dikshit & Prasad 1992 Indian J Physiol Pharmacol "
           "36:149): 1 - 14/22; propranolol also prevented the heart-rate rise of typhoid-vaccine "
           "fever ('Metabolic and febrile responses to typhoid vaccine in humans', "
           "J Appl Physiol 1992 72(6), abstract)",
           description="beta-adrenergic share of the thermal heart-rate rise"),
    )
    s = {p.name: p.symbol for p in params}
    T, H = sym("temperature"), sym("hr_thermal")
    TNF, IL10 = sym("TNF"), sym("IL10")
    IL6 = sym("IL6") * sym("IL6_signalling_fraction")  # IL-6 receptor blockade hook (0003)
    cytokines = (s["k_tTNF"] * hill_up(sp.Abs(TNF - s["s_TNF"]), s["x_tTNF"], s["h_tTNF"])
                 + s["k_t6"] * hill_up(sp.Abs(IL6 - s["s_6"]), s["x_t6"], s["h_t6"]))
    pge2 = (cytokines * sym("COX_activity_fraction") * sym("GC_COX2_factor")
            / s["GC_COX2_fever_ref"])
    drive = pge2 - s["k_t10"] * hill_up(sp.Abs(IL10 - s["s_10"]), s["x_t10"], s["h_t10"])
    # circadian rhythm: the set-point cosine whose lagged response (tau_T) is the sourced
    # temperature rhythm -A cos(y); y = 0 at the clock time of the minimum
    cos_y = clock_cosine(s["T_circ_period"], s["T_circ_min_clock"])
    sin_y = clock_sine(s["T_circ_period"], s["T_circ_min_clock"])
    omega_tau = 2 * sp.pi * s["tau_T"] / s["T_circ_period"]
    rhythm = -s["T_circ_amp"] * cos_y
    set_point = (s["k_t"] * (s["T_max"] - s["T_base"]) * drive + s["T_base"]
                 - s["T_circ_amp"] * (cos_y - omega_tau * sin_y))
    hr_thermal_set = (s["k_h"] * (s["H_max"] - s["H_base"])
                      * hill_up(sp.Abs(T - s["T_base"] - rhythm), s["dT_HR_half"], s["h_ht"]))
    thermal = H * (1 - s["f_beta_thermal"]
                   + s["f_beta_thermal"] * sym("cardiac_beta1_availability"))
    heart_rate = (s["H_base"] + thermal
                  + s["G_beta_HR"] * (sym("cardiac_beta1_activation") - s["beta1_ref"]))
    species = (
        # a Celsius temperature has no bound at 0 (an offset unit): not flagged non-negative
        Species("temperature", "degC", 36.825, "core body temperature", source=_JANUM,
                nonnegative=False),
        Species("hr_thermal", "bpm", 0.0, "thermal part of the heart rate: rise over the "
                "resting rate driven by body temperature",
                source=DOBREVA_2021 + "; the temperature term of its heart-rate equation, "
                "re-expressed as a rise over the resting rate (0 at normal body temperature; "
                "docs/design/0012-heart-rate.md)",
                # >= 0 by its equation; not enforced: it rests at ~0 under the temperature
                # rhythm, where rejecting each rounding-level undershoot stalls the solver
                nonnegative=False),
    )
    inputs = (
        Input("TNF", "pg/mL", TNF_REST, "plasma TNF-alpha acting on the hypothalamus"),
        Input("IL6", "pg/mL", IL6_REST, "plasma IL-6 acting on the hypothalamus"),
        Input("IL10", "pg/mL", IL10_REST, "plasma IL-10 acting on the hypothalamus"),
        Input("IL6_signalling_fraction", "1", 1.0, "fraction of IL-6 receptor signalling left "
              "under IL-6 receptor blockade (1 = none)", hook=True),
        Input("COX_activity_fraction", "1", 1.0, "fraction of cyclooxygenase activity left by COX "
              "inhibitors (1 = none)", hook=True),
        Input("GC_COX2_factor", "1", GC_COX2_FEVER_REF, "share of cytokine-induced COX-2 left by "
              "glucocorticoid (innate module; held at the fitted febrile value when it is not "
              "composed)", hook=True),
        Input("cardiac_beta1_activation", "1", BETA1_CARDIAC_REST, "cardiac beta1-adrenergic "
              "activation by sympathetic nerves and epinephrine (0-1; resting value when the "
              "autonomic module is not composed)", hook=True),
        Input("cardiac_beta1_availability", "1", 1.0, "fraction of the cardiac beta1 response "
              "left under beta-blockade (1 = no blocker)", hook=True),
    )
    rates = {"temperature": (set_point - T) / s["tau_T"],
             "hr_thermal": (hr_thermal_set - H) / s["tau_H"]}
    observables = (Observable("heart_rate", "bpm", heart_rate, "heart rate: resting rate + "
                              "thermal part + beta-adrenergic chronotropy"),
                   Observable("PGE2_fever_drive", "1", pge2, "cytokine-induced hypothalamic "
                              "PGE2 synthesis in set-point units (0 at rest)"))
    return Module("fever", species, params, rates, inputs=inputs, observables=observables,
                  description="fever (cytokine-driven temperature set point) and heart rate",
                  citation=DOBREVA_2021)
