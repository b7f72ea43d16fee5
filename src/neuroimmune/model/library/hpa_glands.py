"""Slow HPA adaptation: corticotroph and adrenal-cortex gland masses (Karin et al. 2020; Milo et
al. 2025) and glucocorticoid resistance of immune cells driven by chronic stress.

Gland masses (docs/sources/hpa_chronic.md A; literature.md 2.7). In the Karin/Milo model the
corticotroph mass P grows when CRH is above its normal level and the adrenal-cortex mass A grows
when ACTH is above its normal level; both turn over on a timescale of weeks. Here CRH and ACTH come
from the Bangsgaard & Ottesen 2017 module (hpa), which has a circadian rhythm, so the normal level
is the 24-h mean on the control limit cycle: because the mass equations are linear in the hormone,
the daily mean is what the weeks-long dynamics see. Time in hours::

    dP/dt = g_P P ( CRH/CRH_ref   (1 - P/K_P)/(1 - 1/K_P) - 1 )
    dA/dt = g_A A ( ACTH/ACTH_ref (1 - A/K_A)/(1 - 1/K_A) - 1 )

The carrying-capacity factor (as in the Milo 2025 code, there with K = 1e6) is normalised so that
P = A = 1 exactly when the hormones sit at their reference means; it keeps the masses below K and
the first-order form keeps them non-negative. The hpa module multiplies ACTH production by
``pituitary_mass`` and cortisol production by ``adrenal_mass`` (docs/design/0003).

Glucocorticoid resistance (docs/sources/hpa_chronic.md B). Immune-cell GR sensitivity falls while
psychological stress is on (repeated social stress, not a single episode, induces it in mice:
Avitsur et al. 2002; chronic stress in humans: Cohen et al. 2012) and while
cortisol stays above a threshold well above the normal circadian peak (ligand-induced GR
down-regulation), and recovers over weeks (still present 10 days after social disruption)::

    dG/dt = k_GR_rec (1 - G) - k_GR_down G ( stress + w_cort_GR relu(cortisol/C_GR_thr - 1) )

relu(x) = (x + |x|)/2. At rest (no stress, cortisol below C_GR_thr) G = 1 exactly; G stays in
(0, 1]. The innate module multiplies its glucocorticoid input by ``GR_sensitivity``.

Behaviour in the standard model + this module (tests/test_hpa_glands.py; docs/sources/
hpa_chronic.md C): daily 2-h stressors of intensity 1 for 6 weeks enlarge the corticotroph mass
(+11 %) and the adrenal cortex (+6 %), raise the 24-h mean cortisol and lower
GR_sensitivity to about 0.5. In B-O the hypothalamus pins the daily cortisol level, so after the
stress cortisol output returns within a week while CRH is suppressed and the glands shrink over
weeks: the cortisol response to an ACTH bolus stays raised (+4 % at 2 weeks, +1.5 % at 8 weeks),
and the TSST response deviates from control by a damped oscillation of about a week's period for
3-4 weeks. Pre-equilibrate for 200 days: the adrenal mode relaxes with a half-life of about 60 d.
"""

from __future__ import annotations

import math

import sympy as sp

from ..core import Input, Module, Parameter, Species, sym

KARIN_2020 = ("Karin O et al. A new model for the HPA axis explains dysregulation of stress "
              "hormones on the timescale of weeks. Mol Syst Biol 2020;16:e9510")
MILO_2025 = ("Milo T et al. Hormone circuit explains why most HPA drugs fail for mood disorders "
             "and predicts the few that work. Mol Syst Biol 2025;21:254-273, "
             "doi:10.1038/s44320-024-00083-0; code tomermilo/hpa-drugs (HPA_full, DEFAULT_PARS)")
_PROV = "provisional (modelling choice, no human number found; to be calibrated, issue #4): "

#: 24-h means of CRH and ACTH on the Bangsgaard-Ottesen control limit cycle in the standard model
#: at rest (TNF at the innate baseline 8.79 pg/mL adds 0.0077 to the CRH drive), computed by
#: ``reference_means()`` in tests/test_hpa_glands.py, with the bounded adrenal (design 0018); the
#: published hpa module alone (TNF = 0) gives 7.734 and 12.002 pg/mL.
CRH_REF = 10.5507
ACTH_REF = 14.6684
#: Resting 24-h mean cortisol of the same limit cycle (ug/dL); the default of the cortisol input.
CORTISOL_MEAN_REF = 4.035
HOURS_PER_DAY = 24.0


def _rate(half_life_days: float) -> float:
    return math.log(2) / (half_life_days * HOURS_PER_DAY)


_REF = ("24-h mean of the Bangsgaard-Ottesen control limit cycle (Bangsgaard & Ottesen 2017 "
        "Math Biosci 287:24, control parameters) in the standard model at rest (TNF at the innate "
        "baseline, as for cortisol_ref, docs/design/0002); reference_means() in "
        "tests/test_hpa_glands.py recomputes it [D]")


def hpa_glands() -> Module:
    """Corticotroph and adrenal-cortex masses (weeks) and immune-cell GR sensitivity."""
    params = [
        Parameter("CRH_ref", CRH_REF, "pg/mL", _REF + "; Karin 2020 normalises CRH to 1 at its "
                  "steady state", bounds=(5.0, 15.0),
                  description="CRH level at which the corticotroph mass neither grows nor shrinks"),
        Parameter("ACTH_ref", ACTH_REF, "pg/mL", _REF, bounds=(8.0, 20.0),
                  description="ACTH level at which the adrenal-cortex mass neither grows nor "
                  "shrinks"),
        Parameter("g_P", _rate(20.0), "1/h", "ln2 / 20 d [D]: corticotroph turnover half-life "
                  "20 d (" + MILO_2025 + "; the code cites Nolan et al. and Kataoka et al. and "
                  "the hair-cortisol fit; " + KARIN_2020 + " used 7 d)",
                  bounds=(_rate(60.0), _rate(5.0)),
                  description="corticotroph mass turnover rate constant"),
        Parameter("g_A", _rate(30.0), "1/h", "ln2 / 30 d [D]: adrenal-cortex turnover half-life "
                  "30 d (" + MILO_2025 + "; Karin 2020 used 14 d)",
                  bounds=(_rate(90.0), _rate(7.0)),
                  description="adrenal-cortex mass turnover rate constant"),
        Parameter("K_P", 3.0, "1", _PROV + "carrying capacity relative to normal; the Milo 2025 "
                  "code has an (inactive, 1e6) carrying capacity; chosen above the adrenal "
                  "enlargement seen in depression (about +38 % and +70 %, Rubin et al. 1996 "
                  "Biol Psychiatry 40:89; Rubin et al. 1995 Arch Gen Psychiatry 52:213)",
                  bounds=(1.5, 100.0), description="maximal corticotroph mass relative to normal"),
        Parameter("K_A", 3.0, "1", _PROV + "as K_P; adrenal volume +38 % in 35 depressed "
                  "patients (Rubin 1996), +70 % during vs after a depressive episode (Rubin "
                  "1995)", bounds=(1.5, 100.0),
                  description="maximal adrenal-cortex mass relative to normal"),
        Parameter("k_GR_rec", _rate(14.0), "1/h", _PROV + "recovery half-life 14 d [D]: "
                  "social-disruption glucocorticoid resistance persisted for at least 10 days "
                  "after the stress (Avitsur et al. 2002 J Neuroimmunol 124:54, mouse); in "
                  "macaques it persisted through 60 weeks of ongoing instability (Cole et al. "
                  "2009 Psychosom Med 71:591)", bounds=(_rate(60.0), _rate(3.0)),
                  description="recovery rate constant of immune-cell GR sensitivity"),
        Parameter("k_GR_down", 12.0 * _rate(14.0), "1/h", _PROV + "chosen so that 2 h a day of "
                  "stress intensity 1 lowers GR sensitivity towards 0.5 (steady state "
                  "k_GR_rec/(k_GR_rec + k_GR_down/12)), reaching about 0.8 after 6 daily "
                  "sessions and 0.5 after 6 weeks; a single session lowers it by about 5 % "
                  "(resistance after repeated but not acute social disruption, Avitsur 2002; "
                  "after six 2-h cycles, Stark et al. 2001 Am J Physiol 280:R1799; human "
                  "direction: recent long-term threatening stress goes with glucocorticoid "
                  "receptor resistance, Cohen et al. 2012 PNAS 109:5995, no dose-response "
                  "magnitude)", bounds=(0.0, 1.0),
                  description="loss rate of GR sensitivity per unit stress intensity"),
        Parameter("w_cort_GR", 0.0, "1", _PROV + "off by default. Ligand-induced GR "
                  "down-regulation by sustained hypercortisolism is plausible (depression with "
                  "hypercortisolism goes with glucocorticoid resistance, Pariante & Miller 2001 "
                  "Biol Psychiatry 49:391 [R]), but in mice the stress-induced resistance did not "
                  "track corticosterone (Avitsur et al. 2001 Horm Behav 39:247), and with the hpa "
                  "module's provisional stress gain a single 15-min TSST raises cortisol ten-fold "
                  "(to about 44 ug/dL), so an instantaneous cortisol threshold cannot separate "
                  "acute from chronic exposure; a value of 1 makes cortisol at twice C_GR_thr act "
                  "like stress intensity 1", bounds=(0.0, 10.0),
                  description="weight of supra-threshold cortisol in GR down-regulation"),
        Parameter("C_GR_thr", 10.0, "ug/dL", _PROV + "above the 08:00 peak of the "
                  "Bangsgaard-Ottesen control limit cycle (7.6 ug/dL) so the normal rhythm does "
                  "not down-regulate GR", bounds=(7.7, 50.0),
                  description="cortisol above which GR sensitivity is down-regulated"),
    ]
    s = {p.name: p.symbol for p in params}
    P, A, G = sym("pituitary_mass"), sym("adrenal_mass"), sym("GR_sensitivity")
    CRH, ACTH = sym("corticotroph_drive"), sym("adrenal_drive")
    COR, stress = sym("cortisol"), sym("stress")
    excess = COR / s["C_GR_thr"] - 1
    relu = (excess + sp.Abs(excess)) / 2
    rates = {
        "pituitary_mass": s["g_P"] * P * (CRH / s["CRH_ref"] * (1 - P / s["K_P"])
                                           / (1 - 1 / s["K_P"]) - 1),
        "adrenal_mass": s["g_A"] * A * (ACTH / s["ACTH_ref"] * (1 - A / s["K_A"])
                                         / (1 - 1 / s["K_A"]) - 1),
        "GR_sensitivity": (s["k_GR_rec"] * (1 - G)
                           - s["k_GR_down"] * G * (stress + s["w_cort_GR"] * relu)),
    }
    src = KARIN_2020 + "; " + MILO_2025
    species = (
        Species("pituitary_mass", "1", 1.0, "corticotroph (ACTH-secreting) cell mass relative to "
                "normal; multiplies ACTH production", source=src),
        Species("adrenal_mass", "1", 1.0, "adrenal cortex (zona fasciculata) mass relative to "
                "normal; multiplies cortisol production", source=src),
        Species("GR_sensitivity", "1", 1.0, "glucocorticoid-receptor sensitivity of immune cells "
                "relative to normal (< 1 = glucocorticoid resistance)",
                source="Cohen et al. 2012 PNAS 109:5995; Avitsur et al. 2002 J Neuroimmunol "
                "124:54"),
    )
    inputs = (
        Input("corticotroph_drive", "pg/mL", CRH_REF, "CRH-equivalent secretagogue drive "
              "(CRH, potentiated by vasopressin under stress) driving corticotroph growth"),
        Input("adrenal_drive", "pg/mL", ACTH_REF, "ACTH-equivalent drive (ACTH, with the "
              "splanchnic input under stress) driving adrenal-cortex growth"),
        Input("cortisol", "ug/dL", CORTISOL_MEAN_REF, "plasma total cortisol (sustained high "
              "levels down-regulate immune-cell GR)"),
        Input("stress", "1", 0.0, "psychological stress intensity (0 = none; a TSST is 1 for "
              "15 min)"),
    )
    return Module("hpa_glands", species, tuple(params), rates, inputs=inputs,
                  description="HPA gland masses (weeks) and immune-cell glucocorticoid "
                  "resistance under chronic stress",
                  citation=KARIN_2020 + "; " + MILO_2025)
