"""Cytokines acting on the brain: fever and heart rate (Dobreva et al. 2021).

Equations from the published code (Dobreva A et al. J Physiol 2021, "A physiological model of the
inflammatory-thermal-pain-cardiovascular interactions during an endotoxin challenge";
RunModelMatlabCode/model.m, read in the unzipped fork willov/Inflammation-and-Cardiovascular-
Dynamics; see docs/sources/brain_and_drugs.md A.1-A.2), Janum parameter set:

    set point  F = k_t (T_M - T_base) [k_TNF up(|TNF - s_TNF|) + k_6 up(|IL6 - s_6|)
                                       - k_10 up(|IL10 - s_10|)] + T_base
    dT/dt = (F - T) / tau_T
    H_set = k_h (H_max - H_base) up(|T - T_base|; dT_half, 2) + H_base
    dH/dt = (H_set - H) / tau_H

Cytokines raise the hypothalamic temperature set point by their rise above baseline; heart rate
follows the temperature rise. Differences from the source: the baroreflex factor on heart rate is
1 (no blood-pressure model; in the source it stays above 0.9 during the Janum LPS challenge), and
the cytokine thresholds s_* are the baselines of the immune module it is composed with (the source
used each subject's first data point, which is the same idea): s_TNF, s_6, s_10 are tied to the
innate module's wTNF, w6, w10 (docs/design/0006).
"""

from __future__ import annotations

import sympy as sp

from ..core import Input, Module, Species, hill_up, sym
from ._common import library_parameter
from .innate import IL6_REST, IL10_REST, TNF_REST

DOBREVA_2021 = ("Dobreva A, Brady-Nicholls R, Larripa K, Puelz C, Mehlsen J, Olufsen MS. J Physiol "
                "2021 (arXiv:1908.07611); Janum parameter set, load_pars_Init_Janum.m")
_BASELINE = ("baseline of the innate module (Windoloski et al. 2024 optimised w); the source uses "
             "the subject's first data point")
_JANUM = "Janum n=20 mean at t = 0 (lps_bolus_2ngkg_janum_dobreva2021.csv)"


_p = library_parameter(source=DOBREVA_2021, spread=3.0, fraction_bounds=False)


def fever() -> Module:
    """Body temperature and heart rate driven by TNF, IL-6 and IL-10."""
    params = (
        _p("tau_T", 1.69321, "h", description="temperature time constant (optimised)"),
        _p("k_t", 0.5, "1", description="overall fever gain"),
        _p("T_max", 39.5, "degC", description="temperature scale of the set point (not a ceiling)",
           spread=1.1),
        _p("T_base", 36.825, "degC",
           description="baseline body temperature", source=_JANUM, spread=1.1),
        _p("k_tTNF", 1.5, "1", description="TNF weight on the set point"),
        _p("x_tTNF", 185.0, "pg/mL", description="TNF rise giving half its effect"),
        _p("h_tTNF", 0.75, "1", description="Hill exponent (TNF on temperature)", constant=True),
        _p("k_t6", 2.66637, "1", description="IL-6 weight on the set point (optimised)"),
        _p("x_t6", 560.0, "pg/mL", description="IL-6 rise giving half its effect"),
        _p("h_t6", 0.75, "1", description="Hill exponent (IL-6 on temperature)", constant=True),
        _p("k_t10", 0.0625, "1", description="IL-10 weight (lowers the set point)"),
        _p("x_t10", 34.772, "pg/mL", description="IL-10 rise giving half its effect"),
        _p("h_t10", 1.0, "1", description="Hill exponent (IL-10 on temperature)", constant=True),
        _p("s_TNF", TNF_REST, "pg/mL", description="TNF threshold", source=_BASELINE, tie="wTNF"),
        _p("s_6", IL6_REST, "pg/mL", description="IL-6 threshold", source=_BASELINE, tie="w6"),
        _p("s_10", IL10_REST, "pg/mL", description="IL-10 threshold", source=_BASELINE, tie="w10"),
        _p("tau_H", 0.5, "h", description="heart-rate time constant"),
        _p("k_h", 0.24705, "1", description="heart-rate gain (optimised)"),
        _p("H_max", 207.0 - 0.7 * 24.68, "bpm", description="maximal heart rate, 207 - 0.7 x age "
           "(mean age 24.68 y)", spread=1.5),
        _p("H_base", 60.5574, "bpm", description="baseline heart rate", source=_JANUM, spread=1.5),
        _p("dT_HR_half", 0.552, "delta_degC",
           description="temperature rise giving half the heart-rate "
           "response, |x_ht - T_m| = |36.3 - 36.852| degC"),
        _p("h_ht", 2.0, "1",
           description="Hill exponent (temperature on heart rate)", constant=True),
    )
    s = {p.name: p.symbol for p in params}
    T, H = sym("temperature"), sym("heart_rate")
    TNF, IL10 = sym("TNF"), sym("IL10")
    IL6 = sym("IL6") * sym("IL6_signalling_fraction")  # IL-6 receptor blockade hook (0003)
    drive = (s["k_tTNF"] * hill_up(sp.Abs(TNF - s["s_TNF"]), s["x_tTNF"], s["h_tTNF"])
             + s["k_t6"] * hill_up(sp.Abs(IL6 - s["s_6"]), s["x_t6"], s["h_t6"])
             - s["k_t10"] * hill_up(sp.Abs(IL10 - s["s_10"]), s["x_t10"], s["h_t10"]))
    set_point = s["k_t"] * (s["T_max"] - s["T_base"]) * drive + s["T_base"]
    hr_set = (s["k_h"] * (s["H_max"] - s["H_base"])
              * hill_up(sp.Abs(T - s["T_base"]), s["dT_HR_half"], s["h_ht"]) + s["H_base"])
    species = (
        Species("temperature", "degC", 36.825, "core body temperature", source=_JANUM),
        Species("heart_rate", "bpm", 60.5574, "heart rate", source=_JANUM),
    )
    inputs = (
        Input("TNF", "pg/mL", TNF_REST, "plasma TNF-alpha acting on the hypothalamus"),
        Input("IL6", "pg/mL", IL6_REST, "plasma IL-6 acting on the hypothalamus"),
        Input("IL10", "pg/mL", IL10_REST, "plasma IL-10 acting on the hypothalamus"),
        Input("IL6_signalling_fraction", "1", 1.0, "fraction of IL-6 receptor signalling left "
              "under IL-6 receptor blockade (1 = none)", hook=True),
    )
    rates = {"temperature": (set_point - T) / s["tau_T"],
             "heart_rate": (hr_set - H) / s["tau_H"]}
    return Module("fever", species, params, rates, inputs=inputs,
                  description="fever (cytokine-driven temperature set point) and heart rate",
                  citation=DOBREVA_2021)
