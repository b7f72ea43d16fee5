"""HPA axis: Bangsgaard & Ottesen 2017 (CRH, ACTH, cortisol with a circadian CRH drive).

Equations (docs/literature.md section 2.4; VeVaPy re-implementation cparker-uc/VeVaPy), converted
from minutes to hours:
    dCRH/dt  = a0 + D(t) a1/(1 + a2 COR^2) CRH/(mu + CRH) - w1 CRH
    dACTH/dt = a3 CRH/(1 + a4 COR) - w2 ACTH
    dCOR/dt  = a5 ACTH^2 - w3 COR
with D(t) = c(t) the published circadian function of clock time. Couplings (not in the source):
TNF adds hypothalamic drive (ITIS, Bangsgaard et al. 2017 Bull Math Biol 79:1487: TNF
up-regulates CRH through a Hill term), and a psychological-stress signal adds drive too. Both are
zero at their defaults, so the module alone reproduces the published model.
"""

from __future__ import annotations

import sympy as sp

from ..core import CLOCK, Input, Module, Parameter, Species, hill_up, sym

BO_2017 = ("Bangsgaard EO, Ottesen JT. Math Biosci 2017;287:24-35, doi:10.1016/j.mbs.2016.10.007; "
           "control subject parameters as in VeVaPy (cparker-uc/VeVaPy), converted to hours")
_PROVISIONAL = ("provisional value: chosen so that a 2 ng/kg LPS bolus at 08:00 gives a "
                "several-fold ACTH rise (Schreiber 1993, literature.md 3.2); functional form from "
                "ITIS (Bangsgaard et al. 2017 Bull Math Biol 79:1487); to be calibrated (issue #4)")
_PER_MIN = 60.0


def _p(name, value, unit, description, *, constant=False, source=BO_2017, spread=10.0):
    bounds = None if constant else (value / spread, value * spread)
    return Parameter(name, value, unit, source, bounds=bounds, description=description,
                     constant=constant)


def bangsgaard_ottesen_hpa(*, tnf_coupling: bool = True, stress_input: bool = True) -> Module:
    """CRH -> ACTH -> cortisol with cortisol feedback and a circadian drive of CRH."""
    params = [
        _p("a0", 3.9031e-4 * _PER_MIN, "pg/mL/h", "basal CRH production"),
        _p("a1", 6.839e12 * _PER_MIN, "pg/mL/h", "maximal circadian CRH production"),
        _p("a2", 1.7809e9, "(ug/dL)**-2", "cortisol feedback on CRH production"),
        _p("mu", 583.0, "pg/mL", "CRH self-excitation half-saturation"),
        _p("w1", 0.0337 * _PER_MIN, "1/h", "CRH elimination"),
        _p("a3", 2.2803e4 * _PER_MIN, "1/h", "ACTH production per CRH"),
        _p("a4", 1.7745e5, "dL/ug", "cortisol feedback on ACTH production"),
        _p("w2", 0.0205 * _PER_MIN, "1/h", "ACTH elimination"),
        _p("a5", 4.617e-4 * _PER_MIN, "ug/dL/h/(pg/mL)**2", "cortisol production per ACTH^2"),
        _p("w3", 0.0238 * _PER_MIN, "1/h", "cortisol elimination"),
        _p("Nc", 0.5217, "1", "amplitude of the circadian drive"),
        _p("circ_alpha", 300.0 / _PER_MIN, "h", "circadian rise time constant"),
        _p("circ_beta", 950.0 / _PER_MIN, "h", "circadian decline time constant"),
        _p("circ_eps", 0.01, "1", "minimal circadian drive"),
        _p("circ_delta", 83.8 / _PER_MIN, "h", "circadian phase shift", spread=3.0),
        _p("circ_period", 24.0, "h", "circadian period", constant=True),
        _p("circ_k", 5.0, "1", "circadian rise exponent", constant=True),
        _p("circ_l", 6.0, "1", "circadian decline exponent", constant=True),
    ]
    s = {p.name: p.symbol for p in params}
    CRH, ACTH, COR = sym("CRH"), sym("ACTH"), sym("cortisol")
    tm = sp.Mod(CLOCK - s["circ_delta"], s["circ_period"])
    circadian = s["Nc"] * (hill_up(tm, s["circ_alpha"], s["circ_k"])
                           * hill_up(s["circ_period"] - tm, s["circ_beta"], s["circ_l"])
                           + s["circ_eps"])
    drive = circadian
    inputs = []
    if tnf_coupling:
        params += [
            Parameter("s_TNF_CRH", 1.0, "1", _PROVISIONAL, bounds=(0.01, 100),
                      description="maximal hypothalamic drive added by TNF"),
            Parameter("K_TNF_CRH", 100.0, "pg/mL", _PROVISIONAL, bounds=(1, 1000),
                      description="TNF giving half the maximal added drive"),
            Parameter("n_TNF_CRH", 2.0, "1", _PROVISIONAL, constant=True,
                      description="Hill exponent of TNF acting on the hypothalamus"),
        ]
        drive = drive + sym("s_TNF_CRH") * hill_up(sym("TNF"), sym("K_TNF_CRH"), sym("n_TNF_CRH"))
        inputs.append(Input("TNF", "pg/mL", 0.0, "plasma TNF-alpha reaching the hypothalamus"))
    if stress_input:
        params.append(Parameter("s_stress_CRH", 1.0, "1", _PROVISIONAL.replace(
            "a 2 ng/kg LPS bolus at 08:00 gives a several-fold ACTH rise (Schreiber 1993, "
            "literature.md 3.2)", "a stress intensity of 1 is a strong psychosocial stressor"),
            bounds=(0.01, 100), description="hypothalamic drive per unit stress intensity"))
        drive = drive + sym("s_stress_CRH") * sym("stress")
        inputs.append(Input("stress", "1", 0.0, "psychological stress intensity (0 = none)"))
    species = (
        Species("CRH", "pg/mL", 2.0, "hypothalamic corticotropin-releasing hormone (model units)",
                source=BO_2017),
        Species("ACTH", "pg/mL", 8.73, "plasma adrenocorticotropic hormone", source=BO_2017),
        Species("cortisol", "ug/dL", 1.16, "plasma total cortisol", source=BO_2017),
    )
    rates = {
        "CRH": s["a0"] + drive * s["a1"] / (1 + s["a2"] * COR**2) * CRH / (s["mu"] + CRH)
        - s["w1"] * CRH,
        "ACTH": s["a3"] * CRH / (1 + s["a4"] * COR) - s["w2"] * ACTH,
        "cortisol": s["a5"] * ACTH**2 - s["w3"] * COR,
    }
    return Module("hpa", species, tuple(params), rates, inputs=tuple(inputs),
                  description="hypothalamic-pituitary-adrenal axis with circadian CRH drive",
                  citation=BO_2017)
