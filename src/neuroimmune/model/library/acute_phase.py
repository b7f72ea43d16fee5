"""Hepatic acute-phase response: plasma C-reactive protein driven by IL-6 (module ``acute_phase``;
docs/design/0023-crp.md).

CRP is made by hepatocytes on IL-6 signalling (STAT3/C/EBP transcription, hours) and cleared
from plasma by first-order catabolism whose fractional rate is the same in health and disease
(Vigushin, Pepys & Hawkins 1993 J Clin Invest 91:1351: half-life 19 h, "the synthesis rate of CRP
is thus the only significant determinant of its plasma level"). Hence two states, time in hours::

    IL6s            = IL6 IL6_signalling_fraction
    dCRP_synthesis/dt = k_ind (up(IL6s; K_IL6_CRP, 1) / up(IL6_ref_CRP; K_IL6_CRP, 1)
                               - CRP_synthesis)
    dCRP/dt         = k_CRP (CRP0 CRP_synthesis - CRP)

``CRP_synthesis`` is the hepatic synthesis rate relative to rest (1 at the resting IL-6
``IL6_ref_CRP``, a copy of the innate module's w6 tied to it; docs/design/0006); saturable in
IL-6, so the largest steady-state CRP is CRP0 (1 + K_IL6_CRP / IL6_ref_CRP). With IL-6 gone,
synthesis stops and CRP falls with the measured 19-h half-life. IL-6-receptor blockade
(``IL6_signalling_fraction`` of the biologics module) scales the IL-6 the liver sees. CRP feeds
nothing back. Numbers and how the IL-6 -> CRP gain was sized: docs/design/0023-crp.md.
"""

from __future__ import annotations

import math

from ..core import Input, Module, Species, hill_up, sym
from ._common import literature_parameter as _p
from .innate import IL6_REST

CRP_NOTES = "docs/design/0023-crp.md"
#: Resting plasma CRP (mg/L) of a healthy adult.
CRP_REST = 1.0
#: Plasma half-life of CRP (h).
CRP_HALF_LIFE_H = 19.0
#: Half-time of the hepatic synthesis response to a step in IL-6 (h).
INDUCTION_HALF_TIME_H = 12.0
#: IL-6 giving half-maximal hepatic CRP synthesis (pg/mL); sized to the LPS 2 ng/kg response.
K_IL6_CRP = 930.0

_GAIN = ("[D] sized with k_ind so that LPS 2 ng/kg at 08:00 in the standard model + "
         "acute_phase gives a CRP peak of 35 mg/L about a day after the challenge (model: "
         "34.7 mg/L at 25.2 h): human endotoxemia with 2 ng/kg E. coli O:113 raises CRP to "
         "about 30-50 mg/L at 24 h [R, not verified: Radboud endotoxemia studies]; LPS raises "
         "CRP dose-dependently from 0.5 to 2 ng/kg (Dillingh et al. 2014 J Inflamm 11:28 "
         "[V-abs, no number]); in the model's IL-6 range (peak 0.7 ng/mL) synthesis is nearly "
         f"linear in IL-6; {CRP_NOTES}")


def acute_phase() -> Module:
    """Plasma C-reactive protein made by the liver on IL-6 (acute-phase output)."""
    params = [
        _p("CRP0", CRP_REST, "mg/L", source="healthy adults 29-75 y: geometric mean 0.98 mg/L "
           "(-1 SD 0.34, +1 SD 2.85), n = 3605 of the Stanislas cohort (Chenillot et al. 2000 "
           "Clin Chem Lab Med 38:1003 [V-abs]); median 1.2 mg/L in 176 blood donors "
           "(hs-CRP, J Clin Lab Anal 2013, PMID 23426911 [V-abs])",
           description="resting plasma CRP", bounds=(0.3, 3.0)),
        _p("k_CRP", math.log(2) / CRP_HALF_LIFE_H, "1/h", source="ln2 / 19 h: plasma clearance "
           "of 125I-CRP monoexponential, half-life 19 h, the same in 8 healthy subjects and 35 "
           "patients, fractional catabolic rate independent of the CRP level (Vigushin, Pepys & "
           "Hawkins 1993 J Clin Invest 91:1351 [V-abs])",
           description="CRP plasma elimination rate constant", bounds=(0.02, 0.06)),
        _p("k_ind", math.log(2) / INDUCTION_HALF_TIME_H, "1/h", source="provisional: serum "
           "CRP begins to rise 4-8 h after tissue damage and peaks within 24-72 h (Health "
           "Navigator NZ / healthify.nz CRP test page [V-sec]; peak 36-50 h in infection, "
           "secondary [V-sec]); the hepatic synthesis response (IL-6 -> STAT3 and C/EBP "
           "transcription, secretion) taken as first order with half-time 12 h [D], the "
           "shortest that puts the peak after an LPS bolus (IL-6 gone by 8 h) past 24 h",
           description="rate constant of the hepatic CRP synthesis response to IL-6",
           bounds=(0.02, 0.5)),
        _p("K_IL6_CRP", K_IL6_CRP, "pg/mL", source=_GAIN,
           description="plasma IL-6 giving half-maximal hepatic CRP synthesis",
           bounds=(10.0, 1000.0)),
        _p("IL6_ref_CRP", IL6_REST, "pg/mL", source="resting plasma IL-6 of the innate module "
           "(Windoloski et al. 2024 optimised w6; Janum n = 20 baseline 0.6 +- 0.3 pg/mL)",
           description="IL-6 at which hepatic CRP synthesis is at rest", bounds=(0.1, 5.0),
           tie="w6"),
    ]
    s = {p.name: p.symbol for p in params}
    IL6s = sym("IL6") * sym("IL6_signalling_fraction")
    S, CRP = sym("CRP_synthesis"), sym("CRP")
    drive = hill_up(IL6s, s["K_IL6_CRP"], 1) / hill_up(s["IL6_ref_CRP"], s["K_IL6_CRP"], 1)
    rates = {
        "CRP_synthesis": s["k_ind"] * (drive - S),
        "CRP": s["k_CRP"] * (s["CRP0"] * S - CRP),
    }
    species = (
        Species("CRP", "mg/L", CRP_REST, "plasma C-reactive protein (hepatic acute-phase "
                "protein)", source="Chenillot et al. 2000 Clin Chem Lab Med 38:1003; half-life "
                "Vigushin, Pepys & Hawkins 1993 J Clin Invest 91:1351"),
        Species("CRP_synthesis", "1", 1.0, "hepatic CRP synthesis rate relative to rest "
                "(IL-6-induced, lags plasma IL-6 by hours)", source=f"[D] {CRP_NOTES}"),
    )
    inputs = (
        Input("IL6", "pg/mL", IL6_REST, "plasma IL-6 (innate module)"),
        Input("IL6_signalling_fraction", "1", 1.0, "fraction of IL-6 receptor signalling left "
              "under IL-6 receptor blockade (biologics module)", hook=True),
    )
    return Module("acute_phase", species, tuple(params), rates, inputs=inputs,
                  description="plasma C-reactive protein made by the liver on IL-6 "
                              "(acute-phase output; no feedback)",
                  citation=f"new module ({CRP_NOTES}); Vigushin, Pepys & Hawkins 1993 J Clin "
                           "Invest 91:1351")
