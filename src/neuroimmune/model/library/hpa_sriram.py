"""HPA axis as an autonomous circadian oscillator: Sriram, Rodriguez-Fernandez & Doyle 2012.

Equations (docs/literature.md section 2.6; VeVaPy re-implementation cparker-uc/VeVaPy,
``Sriram-2012.py``), time in hours as in the source, with the feedback acting through the
glucocorticoid-receptor state GR (not through cortisol directly):
    inh      = k_i^n2 / (k_i^n2 + GR^n2)
    dCRH/dt  = k_stress inh - V_S3 CRH/(K_m1 + CRH) - K_d1 CRH
    dACTH/dt = K_P2 CRH inh - V_S4 ACTH/(K_m2 + ACTH) - K_d2 ACTH
    dCORT/dt = K_P3 ACTH - V_S5 CORT/(K_m3 + CORT) - K_d3 CORT
    dGR/dt   = K_b CORT (G_tot - GR) + V_S2 GR^n1/(K1^n1 + GR^n1) - K_d5 GR
Parameter names carry the prefix ``sr_`` (``sr_k_stress`` is k_stress) so that the module can be
composed with others. The three groups of the paper (normal, depressed, PTSD) differ only in
k_stress and k_i; ``hpa_sriram(group)`` sets them, and because both are free parameters one
compiled model serves all groups (pass ``{"sr_k_stress": ..., "sr_k_i": ...}`` as params).

Parameter values: the normal-subject set and the group values of k_stress and k_i are flagged [R]
in docs/literature.md (recalled, not checked against the paper's Table 1); every value lies inside
the optimisation bounds of the VeVaPy re-implementation, which are used as the parameters'
bounds here, and together they reproduce the published behaviour (tests/test_published_hpa.py).
Check them against Table 1 of the paper before relying on them.

Units. Cortisol is in ug/dL, as the Yehuda et al. 1996 data the paper fits (the model cortisol
ranges over about 1.7-22.7 ug/dL in the normal group). The concentrations of CRH, ACTH and GR
are model quantities whose units could not be confirmed from the source available here; they are
in arbitrary units (AU), and the rate constants carry the matching units (K_P3 converts ACTH AU
into ug/dL of cortisol, K_b is per ug/dL of cortisol per hour). Initial values are those of the
VeVaPy re-implementation, (CRH, ACTH, CORT, GR)(0) = (1, 1, 12, 2); the limit cycle is reached
within about 300 h.

With the published parameters (0-400 h, statistics over 300-400 h) the cortisol oscillation has
a period of 24.08 h (normal), 24.34 h (depressed) and 23.32 h (PTSD), in ug/dL: normal
1.70-22.67 (mean 12.0), depressed 4.75-22.34 (mean 13.8), PTSD 0.63-16.86 (mean 7.5).
"""

from __future__ import annotations

from ...errors import ModelError, problem
from ..core import Module, Observable, Species, hill_down, hill_up, sym
from ._common import library_parameter

SRIRAM_2012 = ("Sriram K, Rodriguez-Fernandez M, Doyle FJ III. Modeling cortisol dynamics in the "
               "neuro-endocrine axis distinguishes normal, depression, and post-traumatic stress "
               "disorder (PTSD) in humans. PLoS Comput Biol 2012;8(2):e1002379, "
               "doi:10.1371/journal.pcbi.1002379; parameter values flagged [R] in "
               "docs/literature.md 2.6 (equations as in the VeVaPy re-implementation "
               "cparker-uc/VeVaPy, Sriram-2012.py); time in hours")
_BOUNDS = "; bounds: optimisation bounds of the VeVaPy re-implementation (Sriram-2012.py)"
_VEVAPY_Y0 = ("initial value of the VeVaPy re-implementation (cparker-uc/VeVaPy, Sriram-2012.py), "
              "used in docs/literature.md 'Reproduction protocols'")

#: Group-specific stress drive k_stress (AU/h) and GR feedback threshold k_i (AU), [R].
GROUPS: dict[str, tuple[float, float]] = {
    "normal": (10.1, 1.51),
    "depressed": (13.7, 1.6),
    "ptsd": (17.5, 1.17),
}
#: Hill exponent n2 of the GR feedback on CRH and ACTH production, [R]. GROUPS and FEEDBACK_HILL
#: are the owners of the Sriram values: other modules (profiles.py) import them (docs/design/0006).
FEEDBACK_HILL = 5.1


_p = library_parameter(source=SRIRAM_2012 + _BOUNDS, fraction_bounds=False)


def hpa_sriram(group: str = "normal") -> Module:
    """Sriram 2012 CRH -> ACTH -> cortisol -> GR oscillator for one subject group: 'normal',
    'depressed' or 'ptsd' (the groups differ only in k_stress and k_i)."""
    key = group.lower() if isinstance(group, str) else group
    if key not in GROUPS:
        raise ModelError(problem("hpa_sriram(group)", f"one of {sorted(GROUPS)}", group,
                                 "choose the subject group, e.g. hpa_sriram('ptsd'), or start from "
                                 "hpa_sriram('normal').with_parameters(sr_k_stress=..., sr_k_i=...)"
                                 ))
    k_stress, k_i = GROUPS[key]
    params = (
        _p("sr_k_stress", k_stress, "AU/h",
           description=f"hypothalamic CRH production (stress drive), {key} "
           "group", bounds=(5.0, 20.0)),
        _p("sr_k_i", k_i, "AU",
           description=f"GR level halving CRH and ACTH production, {key} group",
           bounds=(0.5, 3.0)),
        _p("sr_V_S3", 3.25, "AU/h",
           description="maximal saturable CRH elimination", bounds=(3.0, 4.0)),
        _p("sr_K_m1", 1.74, "AU", description="CRH elimination half-saturation", bounds=(1.0, 2.0)),
        _p("sr_K_P2", 8.3, "1/h", description="ACTH production per CRH", bounds=(7.0, 11.0)),
        _p("sr_V_S4", 0.907, "AU/h",
           description="maximal saturable ACTH elimination", bounds=(0.5, 1.5)),
        _p("sr_K_m2", 0.112, "AU", description="ACTH elimination half-saturation",
           bounds=(0.08, 2.0)),
        _p("sr_K_P3", 0.945, "ug/dL/h/AU",
           description="cortisol production per ACTH", bounds=(0.5, 1.2)),
        _p("sr_V_S5", 0.00535, "ug/dL/h", description="maximal saturable cortisol elimination",
           bounds=(0.001, 0.008)),
        _p("sr_K_m3", 0.0768, "ug/dL",
           description="cortisol elimination half-saturation", bounds=(0.03, 0.08)),
        _p("sr_K_d1", 0.00379, "1/h",
           description="first-order CRH elimination", bounds=(0.002, 0.005)),
        _p("sr_K_d2", 0.00916, "1/h",
           description="first-order ACTH elimination", bounds=(0.001, 0.01)),
        _p("sr_K_d3", 0.356, "1/h", description="first-order cortisol elimination",
           bounds=(0.1, 0.5)),
        _p("sr_n1", 5.43, "1", source=SRIRAM_2012,
           description="Hill exponent of GR self-induction (dimerisation)", constant=True),
        _p("sr_n2", FEEDBACK_HILL, "1", source=SRIRAM_2012,
           description="Hill exponent of GR feedback on CRH and ACTH production",
           constant=True),
        _p("sr_K_b", 0.0202, "dL/ug/h",
           description="cortisol binding to free GR", bounds=(0.008, 0.05)),
        _p("sr_G_tot", 3.28, "AU", description="total glucocorticoid receptor", bounds=(2.0, 5.0)),
        _p("sr_V_S2", 0.0509, "AU/h", description="maximal GR self-induction", bounds=(0.01, 0.07)),
        _p("sr_K1", 0.645, "AU", description="GR self-induction half-saturation",
           bounds=(0.2, 0.7)),
        _p("sr_K_d5", 0.0854, "1/h", description="GR elimination", bounds=(0.04, 0.09)),
    )
    s = {p.name[3:]: p.symbol for p in params}
    CRH, ACTH, COR, GR = sym("CRH"), sym("ACTH"), sym("cortisol"), sym("GR")
    inh = hill_down(GR, s["k_i"], s["n2"])
    rates = {
        "CRH": s["k_stress"] * inh - s["V_S3"] * CRH / (s["K_m1"] + CRH) - s["K_d1"] * CRH,
        "ACTH": s["K_P2"] * CRH * inh - s["V_S4"] * ACTH / (s["K_m2"] + ACTH) - s["K_d2"] * ACTH,
        "cortisol": s["K_P3"] * ACTH - s["V_S5"] * COR / (s["K_m3"] + COR) - s["K_d3"] * COR,
        "GR": s["K_b"] * COR * (s["G_tot"] - GR) + s["V_S2"] * hill_up(GR, s["K1"], s["n1"])
        - s["K_d5"] * GR,
    }
    species = (
        Species("CRH", "AU", 1.0, "hypothalamic corticotropin-releasing hormone (model units)",
                source=_VEVAPY_Y0),
        Species("ACTH", "AU", 1.0, "adrenocorticotropic hormone (model units)", source=_VEVAPY_Y0),
        Species("cortisol", "ug/dL", 12.0, "plasma cortisol", source=_VEVAPY_Y0),
        Species("GR", "AU", 2.0, "cortisol-bound glucocorticoid receptor (model units)",
                source=_VEVAPY_Y0),
    )
    # Immune cells see cortisol through the same named messenger as with the standard HPA module
    # (docs/design/0003); the exogenous-glucocorticoid hook stays with the standard module.
    glucocorticoid = Observable("glucocorticoid", "ug/dL", COR, "cortisol-equivalent "
                                "glucocorticoid seen by immune cells (endogenous cortisol)")
    return Module("hpa_sriram", species, params, rates, observables=(glucocorticoid,),
                  description=f"HPA axis as a GR-feedback circadian oscillator ({key} group)",
                  citation=SRIRAM_2012)
