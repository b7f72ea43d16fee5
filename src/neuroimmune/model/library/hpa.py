"""HPA axis: Bangsgaard & Ottesen 2017 (CRH, ACTH, cortisol with a circadian CRH drive).

Equations (docs/literature.md section 2.4; VeVaPy re-implementation cparker-uc/VeVaPy), converted
from minutes to hours:
    dCRH/dt  = a0 + D(t) a1/(1 + a2 COR^2) CRH/(mu + CRH) - w1 CRH
    dACTH/dt = a3 CRH/(1 + a4 COR) - w2 ACTH
    dCOR/dt  = a5 ACTH^2 - w3 COR
with D(t) = c(t) the published circadian function of clock time. With the hooks the adrenal
output is bounded (``adrenal="bounded"``, docs/design/0018): basal + Vmax x a5 ACTH^2/(Vmax +
a5 ACTH^2), the published term below a measured capacity Vmax plus a measured ACTH-independent
basal secretion. Couplings (not in the source):
TNF adds hypothalamic drive (ITIS, Bangsgaard et al. 2017 Bull Math Biol 79:1487: TNF
up-regulates CRH through a Hill term) through a lagged signal S, the brain-endothelial
COX-2/PGE2 step, dS/dt = k_TNF_CRH (TNF^n/(TNF^n + K^n) - S); a psychological-stress signal adds
drive too and multiplies ACTH release per CRH by (1 + s_stress_ACTH stress), the vasopressin
co-released under stress (DeBold et al. 1984), and multiplies adrenal cortisol output per ACTH
by (1 + s_stress_adrenal stress), the splanchnic input to the adrenal cortex. Both signals are
zero at their defaults, so the module alone reproduces the published model. With the hooks, a
share f_GC_delayed of the cortisol feedback on CRH and ACTH release acts through a lagged
glucocorticoid signal (level-sensitive feedback is delayed by tens of minutes); its default 0
is the published instantaneous feedback.

Hooks (docs/design/0003, neutral at their defaults): exogenous hydrocortisone (``GC_exo``, plasma
concentration) adds to the endogenous cortisol (state ``endogenous_cortisol``) in the output
``cortisol``, what an assay measures; synthetic steroids add their free cortisol equivalent
(``GC_exo_free``); the feedback terms and immune cells see ``glucocorticoid``, the total cortisol
giving the same free glucocorticoid level (= cortisol when no drug is given).
``pituitary_mass`` and ``adrenal_mass`` (gland masses, weeks) multiply ACTH production and cortisol
production; ``sex_stress_gain`` multiplies the stress drive; ``hypothalamic_cytokine_drive``
(brain_signalling: PGE2, vagal afferents, CSF IL-6) adds CRH drive on top of the direct TNF route.
Plasma binding (observables, not in the source): free cortisol from mass action with
corticosteroid-binding globulin (one site) and albumin (linear), the quadratic of Coolens et al.
1987 with its constants written as binding constants; occupancy of the high-affinity
mineralocorticoid receptor (MR) and the glucocorticoid receptor (GR) by the free
cortisol-equivalent. Options, not the default (docs/design/0027): ``brain_barrier`` (synthetic
steroids reach the CRH feedback only at their brain share) and ``basal_acth`` (a basal pituitary
ACTH secretion that the feedback does not lower); ``clearance="free"`` (docs/design/0032): only
free cortisol is cleared (Dorin et al. 2012), so total clearance rises as CBG saturates.
"""

from __future__ import annotations

import functools
import math

import sympy as sp

from ...errors import ModelError, problem
from ...units import MOLAR_MASS_G_PER_MOL
from ..core import CLOCK, Input, Module, Observable, Parameter, Species, T, hill_up, sym
from ._common import library_parameter

BO_2017 = ("Bangsgaard EO, Ottesen JT. Math Biosci 2017;287:24-35, doi:10.1016/j.mbs.2016.10.007; "
           "control subject parameters as in VeVaPy (cparker-uc/VeVaPy), converted to hours")
_PROVISIONAL = ("provisional value: chosen so that a 2 ng/kg LPS bolus at 08:00 gives a "
                "several-fold ACTH rise (Schreiber 1993, literature.md 3.2); functional form from "
                "ITIS (Bangsgaard et al. 2017 Bull Math Biol 79:1487); to be calibrated (issue #4)")
_PER_MIN = 60.0
#: Plasma volume of the reference 70-kg man (mL): about 40 mL/kg, blood volume 70 mL/kg times
#: (1 - haematocrit 0.43) (Nadler, Hidalgo & Bloch 1962 Surgery 51:224).
PLASMA_VOLUME_ML = 40.0 * 70.0
#: Molar mass of tetracosactide (cosyntropin, ACTH 1-24), g/mol (DrugBank DB01284).
COSYNTROPIN_MOLAR_MASS = 2933.4


def cosyntropin_plasma_rise(ug: float, plasma_volume_ml: float = PLASMA_VOLUME_ML) -> float:
    """Rise of plasma ACTH (pg/mL of ACTH 1-39 equivalents) right after an i.v. bolus of `ug`
    micrograms of cosyntropin: the moles given, spread in the plasma volume, counted as ACTH
    1-39 (equipotent per mole at the adrenal MC2 receptor). 250 ug gives about 138,000 pg/mL."""
    moles = ug * 1e-6 / COSYNTROPIN_MOLAR_MASS
    return moles * MOLAR_MASS_G_PER_MOL["ACTH"] * 1e12 / plasma_volume_ml


_CAPACITY = ("provisional: a secretory ceiling, far above normal release (peak about 50 "
             "pg/mL/h in model units), so that the axis stays bounded when cortisol feedback "
             "is absent (adrenalectomy); the published model has none; not fitted")
_CAPACITY_ACTH = ("provisional: maximal ACTH release = w2 x 1,500 pg/mL, the order of plasma "
                  "ACTH in untreated primary adrenal insufficiency (often above 1,000 pg/mL) "
                  "[R]; lowers the normal circadian ACTH peak by about 2 % and the cortisol peak "
                  "by "
                  "about 4 % (tests/test_profiles_interventions.py)")
_ULTRADIAN = ("provisional: a sinusoidal stand-in for the ultradian (hourly) pulsatility, which "
              "arises from the pituitary-adrenal feedforward-feedback loop (Walker, Terry & "
              "Lightman 2010 Proc R Soc B 277:1627 [R]); amplitude chosen so that cortisol shows "
              "visible hourly oscillations on the circadian profile (0.2: 9 peaks a day, daily "
              "maximum 13 ug/dL instead of 8.2); not fitted")


_LAG = ("circulating TNF reaches the CRH neurons mainly through brain-endothelial COX-2 and "
        "PGE2: endothelial COX-2 mRNA appears 0.5 h after LPS, peaks at 2 h (Quan et al. 1998 "
        "Brain Res 802:189 [V-abs]) and its turnover half-time is about 1.4 h, as k_COX2 of "
        "brain_signalling (docs/sources/brain_signalling.md); not fitted")
_AVP = ("psychological stress releases vasopressin (AVP) with CRH from the parvocellular "
        "hypothalamus; AVP multiplies the ACTH response to CRH: given with ovine CRH to five men, "
        "peak ACTH 4-fold that of CRH alone (DeBold et al. 1984 J Clin Invest 73:533, "
        "doi:10.1172/jci111240 [V-abs]; 4-fold in vitro, Gillies et al. 1982 Nature 299:355 "
        "[V-abs]); bounds 1.1- to 4-fold at stress intensity 1; default: 2-fold, provisional; "
        "calibrated to the Nelson TSST cortisol curves (issue #4)")
_SPLANCHNIC = ("the splanchnic nerve raises adrenal cortisol output at a fixed plasma ACTH: in "
               "conscious calves with the pituitary stalk cut and ACTH clamped by infusion, 10 "
               "min of stimulation at 4 Hz raised right-adrenal cortisol output by about 400 on "
               "top of 500 ng/min/kg, 1.8-fold ('The effect of splanchnic nerve stimulation on "
               "adrenocortical activity in conscious calves', Edwards & Jones, J Physiol [V-abs]; "
               "review Edwards & Jones 1993 J Anat 183:291 [V-abs]); in hypophysectomised dogs "
               "cortisol secretion rises before the ACTH presentation rate (Engeland & Gann, "
               "Neuroendocrinology [V-abs]); glucocorticoids rise without ACTH in stressed humans "
               "and animals (Ulrich-Lai & Engeland 2002 [V-abs]; Bornstein et al. 2008 Trends "
               "Endocrinol Metab 19:175 [R]); bounds 0 to 2-fold at stress intensity 1; default "
               "1.5-fold, provisional; calibrated to the Nelson TSST cortisol curves (issue #4)")

_FEEDBACK_LAG = ("level-sensitive glucocorticoid feedback on ACTH secretion is delayed: in ten "
                 "adrenalectomised dogs given stepwise cortisol infusions (plateaus 4.2 and 6.1 "
                 "ug/dL), no effect for about 20 min, the maximal effect within 1 h and no fast "
                 "rate-sensitive component (scilit.com/publications/"
                 "a3644ab24d506db677d1a3374db09674 [V-abs]; the same design in a University of "
                 "Ottawa thesis: 'a delayed feedback of the order of 1 hour' [V-abs]); in healthy "
                 "people cortisol 15 mg i.v. over 2 h lowers ACTH from within 60 min (PMID 9203227 "
                 "[V-abs]); GR-mediated (RU486 blocks it, Life Sci 1996;59:1981 [V-abs]); fast, "
                 "delayed and slow feedback: Keller-Wood & Dallman 1984 Endocr Rev 5:1 [R]; "
                 "first-order lag, default rate 2 /h (time constant 30 min); bounds: time "
                 "constants 10-60 min")
_DELAYED_FEEDBACK = ("fraction of the level-sensitive feedback that is delayed; 0 keeps the "
                     "published instantaneous feedback (Bangsgaard & Ottesen 2017); the fast "
                     "rate-sensitive component in humans lasts only minutes (Carroll et al. 2019 "
                     "Neuroendocrinology, oCRH with frequent sampling: 7.5 min [V-abs]) while the "
                     "level-sensitive feedback acts after tens of minutes (k_GC_feedback); bounds "
                     "0-1, calibrated (issue #4)")


#: Adrenal cortisol output forms of ``hpa(adrenal=...)``.
ADRENAL_FORMS = ("bounded", "published")
#: Cortisol clearance forms of ``hpa(clearance=...)`` (docs/design/0032).
CLEARANCE_FORMS = ("lumped", "free")
#: nmol/L of cortisol per ug/dL (molar mass 362.46 g/mol, PubChem CID 5754).
_NMOL_PER_UGDL = 1e4 / MOLAR_MASS_G_PER_MOL["cortisol"]
_KEENAN_2004 = ("Keenan DM, Roelfsema F, Veldhuis JD. Am J Physiol Endocrinol Metab "
                "2004;287:E652, doi:10.1152/ajpendo.00167.2004 (32 healthy adults, ACTH and "
                "cortisol every 10 min for 24 h, deconvolution) [V-abs]")
_V_MAX = ("maximal cortisol secretion rate under cosyntropin 250 ug i.v., 0.44 +- 0.13 nmol/L/s "
          "(26.4 nmol/L/min; 21 healthy adults, frequent sampling, mass-action model; Dorin RI "
          "et al. 2012 J Clin Endocrinol Metab 97:1285, PMID 22337905 [V-abs]) = 57.4 ug/dL/h; "
          "a rate of appearance in serum, like the model's output (dCOR/dt); the model's "
          "clearance w3 is a lumped calibrated value, so the plateau V/w3 is a model "
          "consequence; 21 +- 2.3 nmol/L/min in 36 controls from 24-h profiles (Roelfsema et "
          "al. 2012 J Clin Endocrinol Metab 97:E1416, PMC3410358 [V-abs]); bounds Dorin's "
          "mean -+ 2 SD; not fitted (issue #17)")
_BASAL_ACTH = ("basal (non-pulsatile) ACTH secretion 0.27 +- 0.04 ug/L/day against 0.87 +- "
               "0.07 pulsatile, ACTH half-life 20 +- 1.3 min (" + _KEENAN_2004 + ") = 11.25 "
               "pg/mL/h; not suppressed by glucocorticoid: after 2 mg dexamethasone at 23:00 the "
               "morning ACTH of normal subjects lost its rise without falling significantly "
               "(Jungmann et al. 1982 Med Klin 77:22 [V-abs]); bounds mean -+ 2 SE; option "
               "basal_acth, not the default (docs/design/0027)")
#: 24-h mean cortisol (ug/dL) of the published module (hooks=False) on its limit cycle
#: (tests/test_hpa_clearance.py recomputes it).
PUBLISHED_MEAN_CORTISOL = 3.23
_FREE_CLEARANCE = ("measured: free cortisol half-life 2.2 +- 1.1 min (mean +- SD; 21 healthy "
                   "adults, cosyntropin 250 ug i.v. with frequent sampling; mass-action model "
                   "in which only free cortisol is cleared, CBG and albumin binding as Dorin et "
                   "al. 2009; Dorin RI et al. 2012 J Clin Endocrinol Metab 97:1285, PMID 22337905 "
                   "[V-abs]; the same study and model as cortisol_secretion_max): bounds mean -+ "
                   "1 SD (1.1-3.3 min); default: Bangsgaard & Ottesen's lumped w3 = 1.428 /h "
                   "carried over at their subject's 24-h mean cortisol 3.23 ug/dL (w3 / free "
                   "fraction there), so that the module at its defaults keeps the published "
                   "subject's clearance (free half-life 1.1 min: that subject clears fast, total "
                   "half-life 29 min against 49 min measured by Keenan et al. 2004); calibrated "
                   "(docs/design/0032)")
_BASAL = ("ACTH-independent (basal) cortisol secretion 0.10 +- 0.01 umol/L/day against 3.5 "
          "umol/L/day pulsatile (" + _KEENAN_2004 + ") = 0.151 ug/dL/h; not fitted (issue #17)")


def _adrenal_parameters() -> list[Parameter]:
    """Capacity and basal output of the bounded adrenal (docs/design/0018)."""
    to_ugdl_h = 60.0 / _NMOL_PER_UGDL  # nmol/L/min -> ug/dL/h
    return [
        Parameter("cortisol_secretion_max", 26.4 * to_ugdl_h, "ug/dL/h", _V_MAX,
                  bounds=(0.18 * 60 * to_ugdl_h, 0.70 * 60 * to_ugdl_h),
                  description="maximal ACTH-driven adrenal cortisol secretion"),
        Parameter("cortisol_basal_secretion", 100.0 / 24.0 / _NMOL_PER_UGDL, "ug/dL/h", _BASAL,
                  bounds=(90.0 / 24.0 / _NMOL_PER_UGDL, 110.0 / 24.0 / _NMOL_PER_UGDL),
                  description="ACTH-independent (basal) adrenal cortisol secretion"),
    ]


#: Literature bounds of the elimination rates (half-lives) for calibration: CRH 2-25 min (4 min in
#: Karin et al. 2020; 20.6 min in the Bangsgaard-Ottesen fit, model units); plasma ACTH half-life
#: about 10-25 min [R] (20 min in Karin et al. 2020, literature.md 2.7) up to the 34 min of the
#: Bangsgaard-Ottesen fit; total cortisol 66 min at normal levels, about 120 min under large loads
#: (Holland-Frei Cancer Medicine, NCBI Bookshelf NBK13300 [V-abs]) down to 25 min, below the
#: 29 min of the Bangsgaard-Ottesen fit (a lumped model value).
_W1_BOUNDS = (math.log(2) * 60.0 / 25.0, math.log(2) * 60.0 / 2.0)
_W2_BOUNDS = (math.log(2) * 60.0 / 40.0, math.log(2) * 60.0 / 10.0)
_W3_BOUNDS = (math.log(2) * 60.0 / 120.0, math.log(2) * 60.0 / 25.0)
#: Bangsgaard & Ottesen's cortisol elimination w3 (1/h).
_W3_PUBLISHED = 0.0238 * _PER_MIN


_p = library_parameter(source=BO_2017, fraction_bounds=False)


_BINDING = {
    "CBG_capacity": (700.0, "nmol/L", (400.0, 1200.0), "cortisol-binding capacity of CBG",
                     "normal CBG 30-52 mg/L (about 0.6-1.0 umol/L binding sites; one site per "
                     "52 kDa molecule); Coolens et al. 1987 J Steroid Biochem 26:197 used a "
                     "measured CBG in the same quadratic [R]"),
    "Kd_CBG": (30.0, "nmol/L", (10.0, 100.0), "cortisol dissociation constant of CBG at 37 degC",
               "CBG association constant about 3e7 /M at 37 degC (Dorin et al. 2009 Clin Biochem "
               "42:64, fixed CBG constant of the cubic solution) [R]"),
    "albumin_ratio": (4.35, "1", (1.0, 10.0), "albumin-bound / free cortisol",
                      "albumin 600 umol/L over the optimised albumin dissociation constant "
                      "137,800 nmol/L (Dorin et al. 2009 Clin Biochem 42:64) [V-abs]"),
    "Kd_MR": (0.5, "nmol/L", (0.1, 2.0), "free cortisol half-occupying MR",
              "MR binds cortisol about 10x more tightly than GR: Kd about 0.5 vs 5 nmol/L "
              "(Reul & de Kloet 1985 Endocrinology 117:2505, rat corticosterone) [R]; MR is "
              "largely constitutively occupied by cortisol (Funder 2007 Curr Hypertens Rep "
              "9:112) [V-abs]"),
    "Kd_GR": (5.0, "nmol/L", (1.0, 30.0), "free cortisol half-occupying GR",
              "Reul & de Kloet 1985 Endocrinology 117:2505 [R]: GR occupied mainly at the "
              "circadian peak and during stress"),
}


def unbound_fraction(total_nmol):
    """Free / total plasma cortisol at a total of `total_nmol` (nmol/L): the positive root of
    the Coolens et al. 1987 quadratic (one CBG site, albumin linear) with the hpa binding
    constants, in the form free of cancellation on each side of b = 0 (also at total 0)."""
    cbg, kd, a = (sym(x) for x in ("CBG_capacity", "Kd_CBG", "albumin_ratio"))
    b = (1 + a) * kd + cbg - total_nmol
    root = sp.sqrt(b**2 + 4 * (1 + a) * total_nmol * kd)
    return sp.Piecewise((2 * kd / (root + b), b >= 0),
                        ((root - b) / (2 * (1 + a) * total_nmol), True))


@functools.lru_cache(maxsize=1)
def _published_free_clearance() -> float:
    """Free-cortisol clearance (1/h) equal to the published w3 at PUBLISHED_MEAN_CORTISOL."""
    total = PUBLISHED_MEAN_CORTISOL * _NMOL_PER_UGDL
    values = {sym(n): v[0] for n, v in _BINDING.items()}
    return _W3_PUBLISHED / float(unbound_fraction(sp.Float(total)).subs(values))


def _binding_observables(cortisol_total, brain_barrier=False):
    """Free glucocorticoid (mass action with CBG and albumin), its total-cortisol equivalent and
    MR/GR occupancy. Synthetic steroids (input ``GC_exo_free``, free cortisol-equivalent) add to
    the free cortisol; ``glucocorticoid`` is the total cortisol that would give the same free
    level, so couplings fitted on total cortisol keep their meaning (it equals cortisol when no
    synthetic steroid is present)."""
    params = [Parameter(n, v, u, src, bounds=b, description=d)
              for n, (v, u, b, d, src) in _BINDING.items()]
    params.append(Parameter("cortisol_molar_per_mass", 1e4 / MOLAR_MASS_G_PER_MOL["cortisol"],
                            "nmol/L/(ug/dL)", "molar mass of cortisol 362.46 g/mol (PubChem CID "
                            "5754)", constant=True, description="cortisol nmol/L per ug/dL"))
    cbg, kd, a, kmr, kgr, mw = (sym(x) for x in ("CBG_capacity", "Kd_CBG", "albumin_ratio",
                                                 "Kd_MR", "Kd_GR", "cortisol_molar_per_mass"))
    total = cortisol_total * mw  # nmol/L
    fraction = sym("cortisol_unbound_fraction")
    free_cortisol = fraction * total
    free = free_cortisol + sym("GC_exo_free")
    f = sym("free_cortisol")
    # Without synthetic steroid the total-cortisol equivalent is the total itself; the branch
    # skips the binding arithmetic in that (usual) case (the compiler evaluates only one branch).
    equivalent = sp.Piecewise((cortisol_total, sym("GC_exo_free") <= 0),
                              ((f * (1 + a) + cbg * f / (kd + f)) / mw, True))
    obs: tuple[Observable, ...] = (
        Observable("cortisol_unbound_fraction", "1", unbound_fraction(total), "free / total "
                   "plasma cortisol (mass action with CBG and albumin)"),
        Observable("free_cortisol", "nmol/L", free, "free (unbound) plasma glucocorticoid in "
                   "cortisol equivalents: cortisol from mass action with CBG and albumin, plus "
                   "synthetic steroids"),
        Observable("glucocorticoid", "ug/dL", equivalent,
                   "cortisol-equivalent glucocorticoid: the total cortisol giving the same free "
                   "level (endogenous cortisol, hydrocortisone and synthetic steroids)"),
        Observable("CBG_bound_cortisol", "nmol/L", cbg * free_cortisol / (kd + free_cortisol),
                   "cortisol bound to corticosteroid-binding globulin (the rest of the bound "
                   "cortisol is on albumin)"),
        Observable("MR_occupancy", "1", f / (f + kmr), "fraction of mineralocorticoid "
                   "receptors occupied by glucocorticoid"),
        Observable("GR_occupancy", "1", f / (f + kgr), "fraction of glucocorticoid receptors "
                   "occupied by glucocorticoid"),
    )
    if brain_barrier:
        # behind the blood-brain barrier (hypothalamic CRH neurons) a synthetic steroid arrives
        # with its brain share GC_exo_free_brain (P-glycoprotein efflux, docs/design/0027);
        # cortisol's own brain access is part of the fitted hypothalamic feedback a2
        fb = free_cortisol + sym("GC_exo_free_brain")
        brain = sp.Piecewise((cortisol_total, sym("GC_exo_free_brain") <= 0),
                             ((fb * (1 + a) + cbg * fb / (kd + fb)) / mw, True))
        obs += (Observable("glucocorticoid_brain", "ug/dL", brain,
                           "cortisol-equivalent glucocorticoid behind the blood-brain barrier "
                           "(hypothalamic CRH neurons): as glucocorticoid, with synthetic "
                           "steroids at their brain share (= glucocorticoid without them)"),)
    return params, obs


def _clearance_parameter(clearance: str) -> Parameter:
    """w3 (published, total cortisol) or k_free_cortisol (free cortisol, docs/design/0032)."""
    if clearance == "lumped":
        return _p("w3", _W3_PUBLISHED, "1/h", description="cortisol elimination",
                  bounds=_W3_BOUNDS)
    return Parameter("k_free_cortisol", _published_free_clearance(), "1/h", _FREE_CLEARANCE,
                     bounds=(math.log(2) * _PER_MIN / 3.3, math.log(2) * _PER_MIN / 1.1),
                     description="elimination rate constant of free (unbound) plasma cortisol")


def hpa(*, tnf_coupling: bool = True, stress_input: bool = True, hooks: bool = True,
        ultradian: bool = False, capacity: bool = False, adrenal: str | None = None,
        brain_barrier: bool = False, basal_acth: bool = False,
        clearance: str = "lumped") -> Module:
    """CRH -> ACTH -> cortisol with cortisol feedback and a circadian drive of CRH; with `hooks`,
    exogenous glucocorticoid, gland-mass and sex-steroid inputs (neutral by default) and the
    plasma-binding and receptor-occupancy observables.

    `adrenal`: "published" is Bangsgaard & Ottesen's a5 ACTH^2; "bounded" generalises it to
    basal + Vmax x a5 ACTH^2/(Vmax + a5 ACTH^2), equal to it for a5 ACTH^2 << Vmax
    (docs/design/0018). Default "bounded" with `hooks`, "published" without. With hooks the state
    is ``endogenous_cortisol`` and ``cortisol`` is what an assay measures (plus hydrocortisone).

    `brain_barrier` (with `hooks`; not the default, docs/design/0027): the CRH feedback sees
    synthetic steroids only at their brain share (input ``GC_exo_free_brain``, P-glycoprotein
    efflux at the blood-brain barrier) while the pituitary, outside it, sees them fully; adds the
    observable ``glucocorticoid_brain`` and the lagged state ``glucocorticoid_feedback_brain``.
    Without a synthetic steroid it gives the same trajectories as the default.

    `clearance` (docs/design/0032): "lumped" (the default) clears total cortisol at the rate w3
    (Bangsgaard & Ottesen); "free" (with `hooks`; an option, not the default) clears only free
    cortisol, at k_free_cortisol (Dorin 2012), so total clearance rises as CBG saturates.
    Endogenous cortisol is cleared at its share of the free cortisol of the assay total
    (hydrocortisone competes for the same CBG). Its calibrated set is
    data/calibration_free_clearance.csv (``FREE_CLEARANCE_PATH``)."""
    if brain_barrier and not hooks:
        raise ModelError(problem("brain_barrier", "hooks=True (the synthetic-steroid inputs)",
                                 "hooks=False", "pass hooks=True or brain_barrier=False"))
    if clearance not in CLEARANCE_FORMS:
        raise ModelError(problem("clearance", f"one of {', '.join(map(repr, CLEARANCE_FORMS))}",
                                 clearance, "pass clearance='lumped' (w3 x total cortisol) or "
                                 "clearance='free' (free cortisol, CBG-saturable)"))
    if clearance == "free" and not hooks:
        raise ModelError(problem("clearance='free'", "hooks=True (the plasma-binding "
                                 "observables)", "hooks=False",
                                 "pass hooks=True or clearance='lumped'"))
    if adrenal is None:
        adrenal = "bounded" if hooks else "published"
    if adrenal not in ADRENAL_FORMS:
        raise ModelError(problem("adrenal", f"one of {', '.join(map(repr, ADRENAL_FORMS))}",
                                 adrenal, "pass adrenal='bounded' (measured capacity and "
                                 "basal output) or adrenal='published' (a5 ACTH^2)"))
    params = [
        _p("a0", 3.9031e-4 * _PER_MIN, "pg/mL/h", description="basal CRH production"),
        _p("a1", 6.839e12 * _PER_MIN, "pg/mL/h", description="maximal circadian CRH production"),
        _p("a2", 1.7809e9, "(ug/dL)**-2", description="cortisol feedback on CRH production"),
        _p("mu", 583.0, "pg/mL", description="CRH self-excitation half-saturation"),
        _p("w1", 0.0337 * _PER_MIN, "1/h", description="CRH elimination", bounds=_W1_BOUNDS),
        _p("a3", 2.2803e4 * _PER_MIN, "1/h", description="ACTH production per CRH"),
        _p("a4", 1.7745e5, "dL/ug", description="cortisol feedback on ACTH production"),
        _p("w2", 0.0205 * _PER_MIN, "1/h", description="ACTH elimination", bounds=_W2_BOUNDS),
        _p("a5", 4.617e-4 * _PER_MIN, "ug/dL/h/(pg/mL)**2",
           description="cortisol production per ACTH^2"),
        _clearance_parameter(clearance),
        _p("Nc", 0.5217, "1", description="amplitude of the circadian drive"),
        _p("circ_alpha", 300.0 / _PER_MIN, "h", description="circadian rise time constant"),
        _p("circ_beta", 950.0 / _PER_MIN, "h", description="circadian decline time constant"),
        _p("circ_eps", 0.01, "1", description="minimal circadian drive"),
        _p("circ_delta", 83.8 / _PER_MIN, "h", description="circadian phase shift", spread=3.0),
        _p("circ_period", 24.0, "h", description="circadian period", constant=True),
        _p("circ_k", 5.0, "1", description="circadian rise exponent", constant=True),
        _p("circ_l", 6.0, "1", description="circadian decline exponent", constant=True),
    ]
    if adrenal == "bounded":
        params += _adrenal_parameters()
    if basal_acth:
        params.append(Parameter("ACTH_basal_secretion", 270.0 / 24.0, "pg/mL/h", _BASAL_ACTH,
                                bounds=(190.0 / 24.0, 350.0 / 24.0),
                                description="basal (non-pulsatile) pituitary ACTH secretion, "
                                            "not lowered by glucocorticoid feedback"))
    s = {p.name: p.symbol for p in params}
    endogenous = "endogenous_cortisol" if hooks else "cortisol"
    CRH, ACTH, COR = sym("CRH"), sym("ACTH"), sym(endogenous)
    tm = sp.Mod(CLOCK - s["circ_delta"], s["circ_period"])
    circadian = s["Nc"] * (hill_up(tm, s["circ_alpha"], s["circ_k"])
                           * hill_up(s["circ_period"] - tm, s["circ_beta"], s["circ_l"])
                           + s["circ_eps"])
    drive = circadian
    if ultradian:
        params += [
            Parameter("ultradian_amplitude", 0.2, "1", _ULTRADIAN, bounds=(0.0, 1.0),
                      description="relative amplitude of the ultradian modulation of CRH drive"),
            Parameter("ultradian_period", 80.0 / _PER_MIN, "h", "interpulse interval of cortisol "
                      "secretory bursts about 80-90 min (Veldhuis et al. 1989 PNAS 86:1 [R]; "
                      "Walker, Terry & Lightman 2010 Proc R Soc B 277:1627 [R])",
                      bounds=(0.75, 2.0), description="period of the ultradian rhythm"),
        ]
        drive = drive * (1 + sym("ultradian_amplitude")
                         * sp.sin(2 * sp.pi * T / sym("ultradian_period")))
    inputs, lagged = [], {}
    if tnf_coupling:
        params += [
            Parameter("s_TNF_CRH", 3.0, "1", _PROVISIONAL + "; 3 (it was 1 before the lagged "
                      "signal): the lag smooths the 1-2-h TNF peak, and 3 restores the published "
                      "axis's cortisol peak after 2 ng/kg (about 21 ug/dL)", bounds=(0.01, 100),
                      description="maximal hypothalamic drive added by TNF"),
            Parameter("K_TNF_CRH", 100.0, "pg/mL", _PROVISIONAL, bounds=(1, 1000),
                      description="TNF giving half the maximal added drive"),
            Parameter("n_TNF_CRH", 2.0, "1", _PROVISIONAL, constant=True,
                      description="Hill exponent of TNF acting on the hypothalamus"),
            Parameter("k_TNF_CRH", 0.5, "1/h", _LAG, bounds=(0.1, 3.0),
                      description="rate at which the hypothalamic TNF signal follows plasma TNF"),
        ]
        signal = sym("hypothalamic_TNF_signal")
        drive = drive + sym("s_TNF_CRH") * signal
        # the route is PGE2-mediated: COX inhibitors scale it (hook, 1 without one; 0030)
        cox = sym("COX_activity_fraction") if hooks else 1
        lagged = {"hypothalamic_TNF_signal": sym("k_TNF_CRH") * (
            hill_up(sym("TNF"), sym("K_TNF_CRH"), sym("n_TNF_CRH")) * cox - signal)}
        inputs.append(Input("TNF", "pg/mL", 0.0, "plasma TNF-alpha reaching the hypothalamus"))
        if hooks:
            inputs.append(Input("COX_activity_fraction", "1", 1.0, "fraction of cyclooxygenase "
                                "activity left by COX inhibitors (1 = none)", hook=True))
            params.append(Parameter(
                "s_brain_CRH", 0.2, "1", "provisional: the indirect routes (brain endothelial "
                "PGE2, vagal afferents, CSF IL-6; brain_signalling module) add to the direct TNF "
                "route (circumventricular organs, ITIS form); 0.2 per unit rise of the "
                "hypothalamic cytokine drive adds about half of the direct route's drive at the "
                "2 ng/kg LPS peak (drive x3.1, docs/sources/brain_signalling.md); to be "
                "calibrated jointly with s_TNF_CRH (issue #4)", bounds=(0.0, 2.0),
                description="hypothalamic CRH drive added per unit rise of the brain cytokine "
                            "signal"))
            drive = drive + sym("s_brain_CRH") * (sym("hypothalamic_cytokine_drive") - 1)
            inputs.append(Input("hypothalamic_cytokine_drive", "1", 1.0, "cytokine signal "
                                "reaching the hypothalamus through PGE2, vagal afferents and the "
                                "CSF (1 = rest)", hook=True))
    if stress_input:
        params.append(Parameter("s_stress_CRH", 1.0, "1", _PROVISIONAL.replace(
            "a 2 ng/kg LPS bolus at 08:00 gives a several-fold ACTH rise (Schreiber 1993, "
            "literature.md 3.2)", "a stress intensity of 1 is a strong psychosocial stressor"),
            bounds=(0.01, 100), description="hypothalamic drive per unit stress intensity"))
        gain = sym("sex_stress_gain") if hooks else 1
        drive = drive + sym("s_stress_CRH") * gain * sym("stress")
        params.append(Parameter(
            "s_stress_ACTH", 1.0, "1", _AVP, bounds=(0.1, 3.0),
            description="potentiation of ACTH release per CRH per unit stress intensity "
                        "(vasopressin co-released with CRH)"))
        params.append(Parameter(
            "s_stress_adrenal", 0.5, "1", _SPLANCHNIC, bounds=(0.0, 1.0),
            description="rise of adrenal cortisol output per ACTH per unit stress intensity "
                        "(splanchnic sympathetic input to the adrenal cortex)"))
        inputs.append(Input("stress", "1", 0.0, "psychological stress intensity (0 = none)"))
    species = (
        Species("CRH", "pg/mL", 2.0, "hypothalamic corticotropin-releasing hormone (model units)",
                source=BO_2017),
        Species("ACTH", "pg/mL", 8.73, "plasma adrenocorticotropic hormone", source=BO_2017),
        Species(endogenous, "ug/dL", 1.16, "plasma total cortisol secreted by the adrenal "
                "cortex" + (" (an assay also measures hydrocortisone: output cortisol)"
                            if hooks else ""), source=BO_2017),
    ) + ((Species("hypothalamic_TNF_signal", "1", 0.0, "TNF signal reaching the CRH neurons "
                  "through brain-endothelial COX-2/PGE2 (0-1, lags plasma TNF)", source=_LAG),)
         if tnf_coupling else ()) + ((Species(
        "glucocorticoid_feedback", "ug/dL", 1.16, "glucocorticoid level seen by the delayed "
        "(genomic, level-sensitive) feedback on CRH and ACTH release (ACTH only with "
        "brain_barrier): lags the cortisol-equivalent glucocorticoid",
        source=_FEEDBACK_LAG),) if hooks else ()) + ((Species(
        "glucocorticoid_feedback_brain", "ug/dL", 1.16, "glucocorticoid level seen by the "
        "delayed feedback on CRH release behind the blood-brain barrier: lags the hypothalamic "
        "cortisol-equivalent glucocorticoid (= glucocorticoid_feedback without synthetic "
        "steroids)", source=_FEEDBACK_LAG),) if brain_barrier else ())
    G, pit, adr = COR, 1, 1
    G_brain = G  # the hypothalamus sees what the pituitary sees (brain_barrier: see below)
    observables: tuple[Observable, ...] = (
        Observable("glucocorticoid", "ug/dL", COR, "cortisol-equivalent glucocorticoid seen by "
                   "immune cells (endogenous cortisol)"),)
    if hooks:
        G = sym("glucocorticoid")
        if brain_barrier:
            G_brain = sym("glucocorticoid_brain")
        pit, adr = sym("pituitary_mass"), sym("adrenal_mass")
        inputs += [
            Input("GC_exo", "ug/dL", 0.0, "plasma hydrocortisone (exogenous cortisol), binding "
                  "like cortisol", hook=True),
            Input("GC_exo_free", "nmol/L", 0.0, "free cortisol equivalent of synthetic "
                  "glucocorticoids at GR", hook=True),
            Input("pituitary_mass", "1", 1.0, "corticotroph mass relative to normal", hook=True),
            Input("adrenal_mass", "1", 1.0, "adrenal cortex (fasciculata) mass relative to "
                  "normal", hook=True),
        ]
        if brain_barrier:
            inputs.append(Input("GC_exo_free_brain", "nmol/L", 0.0, "free cortisol equivalent "
                                "of synthetic glucocorticoids at GR behind the blood-brain "
                                "barrier (hypothalamus)", hook=True))
        if stress_input:
            inputs.append(Input("sex_stress_gain", "1", 1.0, "sex-steroid factor on the stress "
                                "drive of CRH (1 = young man)", hook=True))
        binding, observables = _binding_observables(sym("cortisol"), brain_barrier)
        params += binding
        observables = (Observable("cortisol", "ug/dL", COR + sym("GC_exo"), "plasma total "
                                  "cortisol as an assay measures it: endogenous cortisol plus "
                                  "hydrocortisone"),) + observables
        # level-sensitive feedback acts with a delay: a fraction f_GC_delayed of it through a
        # lagged glucocorticoid signal (f = 0: the published instantaneous feedback)
        params += [
            Parameter("f_GC_delayed", 0.0, "1", _DELAYED_FEEDBACK, bounds=(0.0, 1.0),
                      description="fraction of the cortisol feedback on CRH and ACTH release "
                                  "that acts through the delayed (genomic) signal"),
            Parameter("k_GC_feedback", 2.0, "1/h", _FEEDBACK_LAG, bounds=(1.0, 6.0),
                      description="rate at which the delayed feedback signal follows "
                                  "glucocorticoid"),
        ]
        lagged["glucocorticoid_feedback"] = sym("k_GC_feedback") * (G - sym(
            "glucocorticoid_feedback"))
        f_lag = sym("f_GC_delayed")
        if brain_barrier:
            lagged["glucocorticoid_feedback_brain"] = sym("k_GC_feedback") * (
                G_brain - sym("glucocorticoid_feedback_brain"))
            G_brain = (1 - f_lag) * G_brain + f_lag * sym("glucocorticoid_feedback_brain")
        G = (1 - f_lag) * G + f_lag * sym("glucocorticoid_feedback")
        if not brain_barrier:
            G_brain = G
    crh_release = drive * s["a1"] / (1 + s["a2"] * G_brain**2) * CRH / (s["mu"] + CRH)
    acth_release = pit * s["a3"] * CRH / (1 + s["a4"] * G)
    if stress_input:  # vasopressin co-released under stress potentiates CRH at the pituitary
        acth_release = acth_release * (1 + sym("s_stress_ACTH") * gain * sym("stress"))
    if capacity:
        params += [
            Parameter("CRH_release_max", 1000.0, "pg/mL/h", _CAPACITY, bounds=(100.0, 1e5),
                      description="maximal hypothalamic CRH release (model units)"),
            Parameter("ACTH_release_max", 1850.0, "pg/mL/h", _CAPACITY_ACTH,
                      bounds=(500.0, 1e4), description="maximal pituitary ACTH release"),
        ]
        crh_release = crh_release / (1 + crh_release / sym("CRH_release_max"))
        acth_release = acth_release / (1 + acth_release / sym("ACTH_release_max"))
    cortisol_release = s["a5"] * ACTH**2
    if stress_input:  # splanchnic nerves raise adrenal output per ACTH under stress
        cortisol_release = cortisol_release * (1 + sym("s_stress_adrenal") * gain * sym("stress"))
    if adrenal == "bounded":  # K^2 = Vmax/a5: a5 stays the low-ACTH gain
        vmax = s["cortisol_secretion_max"]
        cortisol_release = (s["cortisol_basal_secretion"]
                            + vmax * cortisol_release / (vmax + cortisol_release))
    cortisol_release = adr * cortisol_release
    if hooks and stress_input:  # what the hpa_glands module's gland masses grow with
        observables += (
            Observable("corticotroph_drive", "pg/mL", CRH * (
                1 + sym("s_stress_ACTH") * gain * sym("stress")), "CRH-equivalent secretagogue "
                "drive at the corticotrophs: the CRH level that would release the same ACTH "
                "without the vasopressin co-released under stress (= CRH at rest)"),
            Observable("adrenal_drive", "pg/mL", ACTH * sp.sqrt(
                1 + sym("s_stress_adrenal") * gain * sym("stress")), "ACTH-equivalent drive at "
                "the adrenal cortex: the ACTH level that would give the same cortisol output "
                "without the splanchnic input under stress (= ACTH at rest)"),
        )
    if basal_acth:
        acth_release = acth_release + pit * sym("ACTH_basal_secretion")
    # free clearance: the endogenous share of the free cortisol of the assay total is cleared
    clearance_rate = (s["w3"] if clearance == "lumped"
                      else s["k_free_cortisol"] * sym("cortisol_unbound_fraction"))
    rates = {
        "CRH": s["a0"] + crh_release - s["w1"] * CRH,
        "ACTH": acth_release - s["w2"] * ACTH,
        endogenous: cortisol_release - clearance_rate * COR,
        **lagged,
    }
    name = "hpa_capacity" if capacity else ("hpa_ultradian" if ultradian else "hpa")
    return Module(name, species, tuple(params), rates,
                  inputs=tuple(inputs), observables=observables,
                  description="hypothalamic-pituitary-adrenal axis with circadian CRH drive"
                  + (" and ultradian modulation" if ultradian else ""),
                  citation=BO_2017)


def hpa_ultradian() -> Module:
    """The Bangsgaard-Ottesen HPA module with an ultradian (about 80-min) modulation of the CRH
    drive: an alternative to ``hpa`` (module name ``hpa_ultradian``). It keeps the published
    a5 ACTH^2 output: the sinusoid's amplitude was chosen with it, and with the bounded adrenal
    the less resonant loop turns it into one pulse a day (docs/design/0018)."""
    return hpa(ultradian=True, adrenal="published")


def hpa_capacity() -> Module:
    """The Bangsgaard-Ottesen HPA module with saturable CRH and ACTH release (module name
    ``hpa_capacity``): bounded without cortisol, for adrenalectomy."""
    return hpa(capacity=True)
