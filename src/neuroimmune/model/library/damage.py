"""Pathogen, phagocytes, tissue damage and anti-inflammation: Reynolds et al. 2006 reduced model.

Equations (docs/literature.md section 2.1; BioModels BIOMD0000000714, ``HealthyOutcome``), time in
hours as in the source, with P = pathogen, N* = activated phagocytes, D = damage and
C_A = slow anti-inflammatory mediators:
    f(x)    = x / (1 + (C_A/c_inf)^2)                  anti-inflammatory damping
    R       = f(k_nn N* + k_np P + k_nd D)              activation rate of resting phagocytes
    f_s(x)  = x^6 / (x_dn^6 + x^6)
    dP/dt   = k_pg P (1 - P/p_inf) - k_pm s_m P/(mu_m + k_mp P) - k_pn f(N*) P
    dN*/dt  = s_nr R/(mu_nr + R) - mu_n N*
    dD/dt   = k_dn f_s(f(N*)) - mu_d D
    dC_A/dt = s_c + k_cn f(N* + k_cnd D)/(K + f(N* + k_cnd D)) - mu_c C_A
with P0 = 1, N*0 = 0, D0 = 0 and C_A0 = s_c/mu_c = 0.125.

Units. The source gives P in 10^6 cells per cc (here Mcell/mL) and N*, D and C_A in their own
arbitrary "units" (here all AU). The quasi-steady-state reductions behind the equations fix the
remaining units: the local non-specific response M = s_m/(mu_m + k_mp P) (AU), so k_mp P is a rate
and k_pm M P a pathogen flux; resting phagocytes N_R = s_nr/(mu_nr + R) with activation flux
R N_R, so R (and mu_nr) are rates per hour and k_np converts Mcell/mL into a rate. ``K`` is the
source's implicit 1 (one AU) in f/(1 + f); it is a structural constant here so that the rate law
passes the unit checker. The 2 of the damping and the 6 of f_s are fixed structural exponents
(integer literals, see _N_DAMP).

With the published parameters the module gives the paper's three outcomes over 0-500 h: healthy
(P cleared within 24 h, D returns to about 0), septic death with k_pg = 0.6 (P about 4.9, D about
17.5) and aseptic death with P0 = 4 (P cleared, D about 17.4).
"""

from __future__ import annotations

import sympy as sp

from ..core import Module, Species, hill_up, sym
from ._common import library_parameter

REYNOLDS_2006 = ("Reynolds A, Rubin J, Clermont G, Day J, Vodovotz Y, Ermentrout GB. A reduced "
                 "mathematical model of the acute inflammatory response: I. J Theor Biol "
                 "2006;242:220-236 (PMID 16584750); 'HealthyOutcome' parameter set of BioModels "
                 "BIOMD0000000714, time in hours")
_STRUCTURAL = ("structural constant of the source equations (Reynolds et al. 2006, J Theor Biol "
               "242:220; BioModels BIOMD0000000714)")
#: The source's exponents of the damping (C_A/c_inf)^2 and of f_s, fixed by the model structure.
#: Integer sympy literals, not constant Parameters: the compiler writes constant Parameters as
#: floats, and sympy differentiates x**6.0 to 6.0*x**6.0/x, which makes the generated Jacobian
#: divide by N* (0 at the start) and breaks the implicit solver.
_N_DAMP = sp.Integer(2)
_N_DN = sp.Integer(6)
#: Plausible range of each published value: a factor 10 either way (the parameters are
#: "physiologically plausible" choices, not fits).
_BOUNDS_FACTOR = 10.0


_p = library_parameter(source=REYNOLDS_2006, fraction_bounds=False)


def damage() -> Module:
    """Reynolds 2006 four-variable acute inflammation model: pathogen, activated phagocytes,
    tissue damage and slow anti-inflammatory mediators (C_A)."""
    params = (
        _p("rey_kpg", 0.3, "1/h", description="pathogen growth rate"),
        _p("rey_pinf", 20.0, "Mcell/mL",
           description="maximal pathogen population (carrying capacity)"),
        _p("rey_kpm", 0.6, "1/AU/h",
           description="pathogen killing by the non-specific local response"),
        _p("rey_sm", 0.005, "AU/h", description="source of the non-specific local response"),
        _p("rey_mum", 0.002, "1/h", description="decay rate of the non-specific local response"),
        _p("rey_kmp", 0.01, "mL/Mcell/h",
           description="exhaustion of the local response by pathogen"),
        _p("rey_kpn", 1.8, "1/AU/h", description="pathogen killing by activated phagocytes"),
        _p("rey_knp", 0.1, "mL/Mcell/h",
           description="activation of resting phagocytes by pathogen"),
        _p("rey_knn", 0.01, "1/AU/h",

           description="activation of resting phagocytes by activated phagocytes (their "
           "cytokines)"),
        _p("rey_knd", 0.02, "1/AU/h",
           description="activation of resting phagocytes by tissue damage"),
        _p("rey_snr", 0.08, "AU/h", description="source of resting phagocytes"),
        _p("rey_munr", 0.12, "1/h", description="decay rate of resting phagocytes"),
        _p("rey_mun", 0.05, "1/h", description="decay rate of activated phagocytes"),
        _p("rey_kdn", 0.35, "AU/h",
           description="maximal rate of tissue damage by activated phagocytes"),
        _p("rey_xdn", 0.06, "AU",
           description="damped N* level giving half-maximal damage production"),
        _p("rey_mud", 0.02, "1/h", description="repair (decay) rate of tissue damage"),
        _p("rey_cinf", 0.28, "AU",
           description="C_A level that halves every pro-inflammatory signal"),
        _p("rey_sc", 0.0125, "AU/h", description="basal source of anti-inflammatory mediators"),
        _p("rey_kcn", 0.04, "AU/h",
           description="maximal production of C_A by phagocytes and damage"),
        _p("rey_kcnd", 48.0, "1", description="weight of damage relative to N* in C_A production"),
        _p("rey_muc", 0.1, "1/h", description="decay rate of anti-inflammatory mediators"),
        _p("rey_KCA", 1.0, "AU",
           description="half-saturation of C_A production (the source's implicit 1 in "
           "f/(1 + f))", constant=True, source=_STRUCTURAL),
    )
    s = {p.name: p.symbol for p in params}
    P, N, D, CA = sym("pathogen"), sym("phagocytes"), sym("damage"), sym("anti_inflammation")

    def f(x):
        """Damping of a pro-inflammatory signal by the anti-inflammatory mediators."""
        return x / (1 + (CA / s["rey_cinf"]) ** _N_DAMP)

    R = f(s["rey_knn"] * N + s["rey_knp"] * P + s["rey_knd"] * D)
    fN = f(N)
    fC = f(N + s["rey_kcnd"] * D)
    rates = {
        "pathogen": (s["rey_kpg"] * P * (1 - P / s["rey_pinf"])
                     - s["rey_kpm"] * s["rey_sm"] * P / (s["rey_mum"] + s["rey_kmp"] * P)
                     - s["rey_kpn"] * fN * P),
        "phagocytes": s["rey_snr"] * R / (s["rey_munr"] + R) - s["rey_mun"] * N,
        "damage": s["rey_kdn"] * hill_up(fN, s["rey_xdn"], _N_DN) - s["rey_mud"] * D,
        "anti_inflammation": (s["rey_sc"] + s["rey_kcn"] * fC / (s["rey_KCA"] + fC)
                              - s["rey_muc"] * CA),
    }
    species = (
        Species("pathogen", "Mcell/mL", 1.0, "pathogen load (10^6 cells per mL)",
                source=REYNOLDS_2006),
        Species("phagocytes", "AU", 0.0, "activated phagocytes N* (model units)",
                source=REYNOLDS_2006),
        Species("damage", "AU", 0.0, "tissue damage D (model units)", source=REYNOLDS_2006),
        Species("anti_inflammation", "AU", 0.125,
                "slow anti-inflammatory mediators C_A (cortisol, IL-10, TGF-beta lumped; model "
                "units); 0.125 = s_c/mu_c, the resting level", source=REYNOLDS_2006),
    )
    return Module("damage", species, params, rates,
                  description="pathogen, activated phagocytes, tissue damage and slow "
                              "anti-inflammation (healthy, septic and aseptic outcomes)",
                  citation=REYNOLDS_2006)
