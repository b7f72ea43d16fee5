"""Constitutive (LPS-independent) production of TNF and IL-6 for the innate module: the resting
cytokines ("baseline inflammation", issue #17; docs/design/0031-baseline-inflammation.md).

The published model (Windoloski 2024) holds the cytokines at decay floors: production
``kTNF wTNF`` and ``k6 w6`` without endotoxin, so TNF and IL-6 rest at ``wTNF`` and ``w6``. Here
that production belongs to resting tissue, adipose and immune cells and is moved by::

    c_TNF = g_GC,TNF^e                 x exp(r_age_TNF (subject_age - age_ref)) x basal_TNF_factor
    c_IL6 = g_GC,IL6^e x IL6_adrenergic x exp(r_age_IL6 (subject_age - age_ref)) x basal_IL6_factor
    dTNF/dt = ... + kTNF wTNF c_TNF - kTNF TNF        dIL6/dt = ... - k6 (IL6 - w6 c_IL6)

``e`` = ``e_GC_basal`` switches the glucocorticoid action on (1) or off (0, the default: see
its source). ``g_GC`` are the glucocorticoid factors of the activated monocytes
(_innate_glucocorticoid.py: free cortisol x GR sensitivity / resistance, one-site half-effects
of Waage 1988/1990), reused for want of a measured half-effect on constitutive production
(direction: glucocorticoids suppress the IL-6 release of human adipose tissue, Fried et al. 1998
J Clin Endocrinol Metab 83:847 [R]; hydrocortisone withdrawal raises plasma IL-6 in adrenal
insufficiency, Papanicolaou et al. 1996 J Clin Endocrinol Metab 81:2303 [R]);
``IL6_adrenergic`` is the lagged beta2 induction (innate.py). Every factor is 1 in the nominal
subject (a man of the Janum cohort's mean age, resting beta2), so the published fit is kept.
"""

from __future__ import annotations

import math

import sympy as sp

from ..core import Parameter, sym

#: Mean age of the Janum cohort (years), the subjects of the published innate fit.
JANUM_MEAN_AGE = 24.68

_AGE_REF = ("mean age of the Janum n=20 endotoxaemia cohort (Dobreva et al. 2021 J Physiol, "
            "load_pars_Init_Janum.m), the subjects whose resting cytokines are wTNF and w6")
_AGE = ("subject parameter: the Janum cohort's mean age (the nominal subject); profiles set "
        "others (older-man: 70 y, as its testosterone decline over 45 years, Harman 2001)")
#: ln(fold) of IL-6 over five decades of adult age: 2-4-fold, geometric midpoint 2.83.
_IL6_FOLD, _IL6_YEARS = 2.0 ** 1.5, 50.0
R_AGE_IL6 = math.log(_IL6_FOLD) / _IL6_YEARS
_R_AGE_IL6 = ("cross-sectional rise of plasma IL-6 with age in the general population: "
              "InCHIANTI, 1,343 people aged 20-102 (Ferrucci et al. 2005 Blood 105:2294, "
              "abstract: higher IL-6 with older age in men and women, partly explained by "
              "cardiovascular risk factors and disease, persisting in a low-risk subgroup); about "
              "1-2 pg/mL at 30-40 y and 3-5 pg/mL at 70-80 y, a 2-4-fold rise over five decades "
              "(summary of InCHIANTI and similar cohorts in the aging-biomarker wiki "
              "jadams5.github.io/aging_wiki, IL-6 page; the paper's age table not re-read [R]); "
              "geometric midpoint 2.83-fold / 50 y: ln 2.83 / 50 = 0.0208 per year [D] "
              f"(+{math.expm1(10 * R_AGE_IL6):.0%} per decade)")
#: TNF: about 1.5-fold between young adults and 81-year-olds (56 years).
R_AGE_TNF = math.log(1.5) / 56.0
_R_AGE_TNF = ("81-year-olds (n=130) had higher plasma TNF than young controls (n=44) "
              "(Bruunsgaard et al. 2000 Clin Exp Immunol 121:255, abstract); size about 1.5-fold "
              "[R, recalled from the paper, not re-read]: ln 1.5 / (81 - 25 y) = 0.0072 per year "
              "[D]; the age trend of TNF is weaker and less consistent than that of IL-6 "
              "(Ferrucci 2005 measured none significant for TNF [R])")
_FACTOR = ("1 = healthy subject: a subject factor on constitutive {} production beyond the "
           "modelled mechanisms (cortisol, beta2, age); profiles set it from measured group "
           "differences (depression-hypercortisolaemic: Alesci et al. 2005)")


_E_GC = ("opt-in [D] (docs/design/0031-baseline-inflammation.md): 1 applies the monocyte "
         "glucocorticoid factors (Waage 1988/1990 half-effects, no measurement for constitutive "
         "production) to constitutive TNF and IL-6; direction from Fried 1998 and Papanicolaou "
         "1996 [R]. Off (0) by default: with in-vitro potencies it moves resting IL-6/TNF by only "
         "1-3 % over the physiological cortisol range and changes no validation count, but it "
         "makes the resting cytokines follow the cortisol rhythm, so the couplings normalised at "
         "rest (docs/design/0002) are no longer exactly 1 on the resting day")


def baseline_parameters() -> list[Parameter]:
    """Age and the subject factors of constitutive TNF and IL-6 production."""
    return [
        Parameter("subject_age", JANUM_MEAN_AGE, "year", _AGE, bounds=(18.0, 100.0),
                  description="age of the subject"),
        Parameter("age_ref_cytokines", JANUM_MEAN_AGE, "year", _AGE_REF, constant=True,
                  description="age at which the age factors of resting TNF and IL-6 equal 1"),
        Parameter("r_age_IL6", R_AGE_IL6, "1/year", _R_AGE_IL6, bounds=(0.0, 0.05),
                  description="log-linear rise of constitutive IL-6 production per year of age"),
        Parameter("r_age_TNF", R_AGE_TNF, "1/year", _R_AGE_TNF, bounds=(0.0, 0.05),
                  description="log-linear rise of constitutive TNF production per year of age"),
        Parameter("e_GC_basal", 0.0, "1", _E_GC, bounds=(0.0, 1.0),
                  description="exponent of the glucocorticoid factors on constitutive TNF and "
                              "IL-6 production (0 = off, 1 = as activated monocytes)"),
        Parameter("basal_IL6_factor", 1.0, "1", _FACTOR.format("IL-6"), bounds=(0.1, 10.0),
                  description="subject factor on constitutive IL-6 production"),
        Parameter("basal_TNF_factor", 1.0, "1", _FACTOR.format("TNF"), bounds=(0.1, 10.0),
                  description="subject factor on constitutive TNF production"),
    ]


def baseline_factors(g_tnf_gc, g_6_gc, adrenergic_6):
    """(c_TNF, c_IL6): the factors on the published floors wTNF and w6 (1 in the nominal
    subject). ``g_*_gc`` are the glucocorticoid factors (1 without cortisol coupling),
    ``adrenergic_6`` the IL6_adrenergic state (1 without neural coupling)."""
    years = sym("subject_age") - sym("age_ref_cytokines")
    e = sym("e_GC_basal")
    c_tnf = g_tnf_gc**e * sp.exp(sym("r_age_TNF") * years) * sym("basal_TNF_factor")
    c_6 = g_6_gc**e * adrenergic_6 * sp.exp(sym("r_age_IL6") * years) * sym("basal_IL6_factor")
    return c_tnf, c_6

