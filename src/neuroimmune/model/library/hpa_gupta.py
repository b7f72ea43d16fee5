"""GR-dimer bistability of the HPA axis: Gupta, Aslakson, Gurbaxani & Vernon 2007 (dimensionless).

Equations (docs/literature.md section 2.5; BioModels MODEL1006230111 and MODEL1006230036), with
c = CRH, a = ACTH, r = pituitary glucocorticoid receptor, o = cortisol, all dimensionless, and
F(t) the stress drive of the hypothalamus (F = 1 during a stress pulse, 0 otherwise):
    dc/dtau = (1 + F)/(1 + o/k_i1) - k_cd c
    da/dtau = c/(1 + o r/k_i2) - k_ad a
    dr/dtau = (o r)^2/(k + (o r)^2) + k_cr - k_rd r
    do/dtau = a - o
with k_i1 = k_i2 = 0.1, k_cd = 1, k_ad = 10, k = 0.001, k_cr = 0.05, k_rd = 0.9.

Time. The paper scales time by cortisol clearance, tau = k_od t, so one dimensionless time unit is
the mean residence time of cortisol (1/k_od). Model time here is hours, so every rate is divided by
the structural constant ``gupta_time_unit`` = 1 h: one dimensionless time unit is taken to be one
hour and dimensionless times of the paper equal hours numerically (F = 1 for tau < 1 is a 1-h
stressor). This is a modelling choice, not the paper's: it amounts to a cortisol clearance rate
k_od = 1/h (plasma cortisol half-life about 0.7 h, the physiological value being about 1-1.5 h).
To put the model on another clock, change ``gupta_time_unit`` (for example to 1/k_od in hours).

Names carry the prefix ``gupta_`` so that the module can sit beside a dimensional HPA module. The
stress drive F is the signal ``stress`` (an Input, 0 by default), so a
``Stressor(start, duration, 1.0)`` in a Protocol is one stress pulse of the paper.

Reproduced behaviour (initial state (0.6, 0.055, 0.08, 0.055), 0-200 h): without stress or after
one 1-h pulse the state returns to the low-GR steady state (c, a, r, o) = (0.6261, 0.0597, 0.0809,
0.0597); after six 4-h pulses every 8 h it stays in the high-GR, low-cortisol state (0.6601,
0.0515, 0.5482, 0.0515), the paper's hypocortisolism (CFS/PTSD-like).
"""

from __future__ import annotations

from ..core import Input, Module, Parameter, Species, sym
from ._common import library_parameter

GUPTA_2007 = ("Gupta S, Aslakson E, Gurbaxani BM, Vernon SD. Inclusion of the glucocorticoid "
              "receptor in a hypothalamic pituitary adrenal axis model reveals bistability. "
              "Theor Biol Med Model 2007;4:8, doi:10.1186/1742-4682-4-8; dimensionless "
              "equations and parameters as in BioModels MODEL1006230111/MODEL1006230036")
_TIME_CHOICE = ("modelling choice (not in the source, which scales time by cortisol clearance): "
                "one dimensionless time unit of Gupta et al. 2007 is taken to be one hour")
#: Plausible range of each published value: a factor 10 either way (conceptual model, no fit).
_BOUNDS_FACTOR = 10.0


_p = library_parameter(source=GUPTA_2007, fraction_bounds=False)


def hpa_gupta() -> Module:
    """Gupta 2007 dimensionless CRH -> ACTH -> cortisol model with GR homodimer self-induction in
    the pituitary (bistable: a low-GR normal state and a high-GR hypocortisolism state)."""
    params = (
        _p("gupta_k_i1", 0.1, "1",
           description="cortisol level halving hypothalamic CRH production"),
        _p("gupta_k_i2", 0.1, "1",
           description="cortisol-GR complex level halving pituitary ACTH production"),
        _p("gupta_k_cd", 1.0, "1",
           description="CRH degradation rate (relative to cortisol clearance)"),
        _p("gupta_k_ad", 10.0, "1",
           description="ACTH degradation rate (relative to cortisol clearance)"),
        _p("gupta_k", 0.001, "1",
           description="squared cortisol-GR level of half-maximal GR self-induction"),
        _p("gupta_k_cr", 0.05, "1", description="basal GR synthesis"),
        _p("gupta_k_rd", 0.9, "1",
           description="GR degradation rate (relative to cortisol clearance)"),
        Parameter("gupta_time_unit", 1.0, "h", _TIME_CHOICE, constant=True,
                  description="duration of one dimensionless time unit of the source"),
    )
    s = {p.name[len("gupta_"):]: p.symbol for p in params}
    c, a, r, o = sym("gupta_CRH"), sym("gupta_ACTH"), sym("gupta_GR"), sym("gupta_cortisol")
    F = sym("stress")
    tu = s["time_unit"]
    rates = {
        "gupta_CRH": ((1 + F) / (1 + o / s["k_i1"]) - s["k_cd"] * c) / tu,
        "gupta_ACTH": (c / (1 + o * r / s["k_i2"]) - s["k_ad"] * a) / tu,
        "gupta_GR": ((o * r) ** 2 / (s["k"] + (o * r) ** 2) + s["k_cr"] - s["k_rd"] * r) / tu,
        "gupta_cortisol": (a - o) / tu,
    }
    species = (
        Species("gupta_CRH", "1", 0.6, "hypothalamic CRH (dimensionless)", source=GUPTA_2007),
        Species("gupta_ACTH", "1", 0.055, "plasma ACTH (dimensionless)", source=GUPTA_2007),
        Species("gupta_GR", "1", 0.08, "pituitary glucocorticoid receptor (dimensionless)",
                source=GUPTA_2007),
        Species("gupta_cortisol", "1", 0.055, "plasma cortisol (dimensionless)",
                source=GUPTA_2007),
    )
    inputs = (Input("stress", "1", 0.0, "stress drive F(t) of the hypothalamus (1 during a "
                                         "stress pulse of the source, 0 = none)"),)
    return Module("hpa_gupta", species, params, rates, inputs=inputs,
                  description="dimensionless HPA axis with GR homodimerisation (bistable)",
                  citation=GUPTA_2007)
