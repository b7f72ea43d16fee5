"""Sex steroids and the hypothalamic-pituitary-gonadal (HPG) axis, with their effects on monocytes
and on the stress drive of the HPA axis.

No published, parameterised ODE model couples the human HPG axis to the innate immune system (the
only multi-axis model with sex steroids is the qualitative logic model of Craddock et al. 2014,
literature.md 2.12), so the structure is a minimal feedback loop and the numbers come from
docs/sources/gonadal.md (human resting levels, half-lives, clearances, endotoxin and TNF
challenges). Time in hours. One model structure serves every subject: sex, cycle phase,
menopause, gonadectomy and age are parameter VALUES (``SUBJECTS`` and ``subject_parameters``), so
profiles reuse one compiled kernel; therapies are protocol events (``Infusion`` into
``estradiol`` or ``testosterone``; see ``transdermal_estradiol_rate`` and
``transdermal_testosterone_rate``).

Cytokine signal seen by the axis (an effect compartment of plasma TNF, pg/mL) and its factors,
each 1 at the innate module's resting TNF ``TNF_ref_HPG`` (docs/design/0002)::

    dTNF_HPG/dt = k_TNF_HPG (TNF - TNF_HPG)
    c_gonad = down(TNF_HPG; K_TNF_gonad, n) / down(TNF_ref_HPG; K_TNF_gonad, n)   Leydig/theca cells
    c_GnRH  = down(TNF_HPG; K_TNF_GnRH,  n) / down(TNF_ref_HPG; K_TNF_GnRH, n)   hypothalamus

Sex-steroid negative feedback (estradiol and testosterone, both sexes) and the axis::

    fb = estradiol / K_E2_fb + testosterone / K_T_fb
    dGnRH/dt = k_GnRH (GnRH_max GnRH_drive c_GnRH / (1 + fb^n_fb) - GnRH)      (1 = young man)
    dLH/dt   = k_LH  (LH0 GnRH - LH)
    dFSH/dt  = k_FSH (FSH0 GnRH (1 + a_inh) / (1 + a_inh inhibin) - FSH)
    s_LH     = [LH / (LH + K_LH_gonad)] / [LH0 / (LH0 + K_LH_gonad)]          gonadal stimulation
    gonads   = gonad_function exp(-20 gonadectomy)        (input: surgery during a protocol)
    g        = gonads c_gonad s_LH
    dtestosterone/dt = k_T  (T_adrenal + g P_T_gonad - testosterone)
    destradiol/dt    = k_E2 (E2_extragonadal + f_arom testosterone + g P_E2_gonad - estradiol)
    dprogesterone/dt = k_P4 (P4_adrenal + g P4_gonad - progesterone)
    inhibin          = gonads inhibin_gonad                 (observable, 1 = young man)

``GnRH_max`` = 1 + fb_man^n_fb, so GnRH = 1 at the young man's resting steroids. Exogenous
steroids enter the same plasma compartments (one-compartment PK with the hormone's own clearance):
an ``Infusion("estradiol", transdermal_estradiol_rate(100))`` is a 100 ug/day patch, an
``Infusion("testosterone", transdermal_testosterone_rate(50))`` a 50 mg/day 1 % gel. Peripheral
aromatisation (``f_arom``) makes testosterone therapy raise estradiol, as observed.

Hooks provided to the innate and HPA modules (docs/design/0003), each 1 at the young man's
resting testosterone, estradiol and progesterone (``T_ref_immune``, ``E2_ref_immune``,
``P4_ref_immune``; docs/design/0002). The androgen carries the sex difference; estradiol and
progesterone act on monocyte TNF/IL-6/IL-8 production with the per-decade effect sizes measured
across the menstrual cycle (log-linear, docs/design/0026-sex-steroids-on-monocytes.md;
docs/sources/gonadal.md C for the evidence and the conflicts)::

    sex_proinflammatory = (1 + s_T_pro down(T; K_T_immune, 1)) / (same at T_ref_immune)
                          x (E2 / E2_ref_immune)^a_E2_pro x (P4 / P4_ref_immune)^a_P4_pro
    sex_IL10            = (1 + s_T_IL10 up(T; K_T_immune, 1)) / (same at T_ref_immune)
    sex_stress_gain     = (1 + s_T_stress up(T; K_T_immune, 1)) / (same at T_ref_immune)
"""

from __future__ import annotations

import math

import sympy as sp

from ...units import MOLAR_MASS_G_PER_MOL
from ..core import Input, Module, Observable, Species, hill_down, hill_up, sym
from ._common import literature_parameter as _p
from .innate import TNF_REST

GONADAL_NOTES = "docs/sources/gonadal.md"
_PROV = "provisional (modelling choice, no human number found): "


#: ng/dL of testosterone per nmol/L (its molar mass, units.MOLAR_MASS_G_PER_MOL).
_T_NG_DL_PER_NMOL_L = MOLAR_MASS_G_PER_MOL["testosterone"] / 10.0

# --- resting targets (docs/sources/gonadal.md A) -------------------------------------------------
#: Young man (19-39 y), morning.
MAN = {"LH": 4.5, "FSH": 4.5, "testosterone": 600.0, "estradiol": 25.0, "progesterone": 0.15}
#: Woman, early-mid follicular phase (Anckaert 2021 medians; FSH Stricker 2006 [R]).
WOMAN_FOLLICULAR = {"LH": 7.1, "FSH": 6.5, "testosterone": 30.0, "estradiol": 54.0,
                    "progesterone": 0.3}
#: Woman, mid-luteal phase (Anckaert 2021 medians; FSH [R]).
WOMAN_LUTEAL = {"LH": 6.2, "FSH": 3.5, "testosterone": 30.0, "estradiol": 112.0,
                "progesterone": 9.1}
#: Man aged about 70 (Harman 2001: -0.124 nmol/L per year from 25 y; LH mildly higher [R]).
OLDER_MAN = {"LH": 6.0, "FSH": 7.0, "testosterone": 600.0 - 0.124 * 45 * _T_NG_DL_PER_NMOL_L,
             "estradiol": 23.0, "progesterone": 0.15}

# --- extragonadal production and shared constants -----------------------------------------------
T_ADRENAL = 15.0          # ng/dL: castrate testosterone after orchiectomy (Oefelein 2000)
E2_EXTRA = 6.0            # pg/mL: aromatised adrenal androstenedione (post-menopause, castrate)
P4_ADRENAL = 0.05         # ng/mL
E2_TESTIS = 5.0           # pg/mL: direct testicular estradiol in men (about 20 % of male E2)
F_AROM = (MAN["estradiol"] - E2_EXTRA - E2_TESTIS) / MAN["testosterone"]  # pg/mL per ng/dL
N_FB = 2.0
#: Feedback constants solved so that one axis gives the young man, the follicular woman (with
#: GnRH_drive = 1) and LH of about 30 IU/L without gonads (docs/sources/gonadal.md B2).
LH_NO_GONAD = 30.0
A_INH = 1.36              # FSH restraint by gonadal inhibin: castrate FSH about 70 IU/L
K_LH_GONAD = MAN["LH"]    # gonadal output at most x2 of rest (hCG stimulation)

# --- kinetics (docs/sources/gonadal.md A3) ------------------------------------------------------
T_HALF_H = {"GnRH": 4.0 / 60.0, "LH": 2.0, "FSH": 4.6, "testosterone": 1.5, "estradiol": 2.0,
            "progesterone": 0.5}
#: Metabolic clearance rates (L/day) for the therapy helpers.
MCR_E2_L_PER_DAY = 1250.0     # patch: +16 and +33 pg/mL at 20 and 40 ug/day
MCR_T_L_PER_DAY = 980.0       # 516 L/m2/day x 1.9 m2 (Saez 1972)


def _solve_feedback(man=MAN, follicular=WOMAN_FOLLICULAR, lh_castrate=LH_NO_GONAD, n=N_FB):
    """K_E2_fb, K_T_fb and GnRH_max such that GnRH_drive = 1 reproduces the young man's and the
    follicular woman's LH and the castrate LH (steady state, no cytokine suppression)."""
    e2_c = E2_EXTRA + F_AROM * T_ADRENAL
    # fixed point in GnRH_max: castrate feedback depends on the K's, which depend on GnRH_max
    gmax = lh_castrate / man["LH"]
    for _ in range(100):
        fb_m = (gmax - 1.0) ** (1.0 / n)
        fb_f = (gmax / (follicular["LH"] / man["LH"]) - 1.0) ** (1.0 / n)
        det = (man["estradiol"] * follicular["testosterone"]
               - follicular["estradiol"] * man["testosterone"])
        x = (fb_m * follicular["testosterone"] - fb_f * man["testosterone"]) / det   # 1/K_E2
        y = (man["estradiol"] * fb_f - follicular["estradiol"] * fb_m) / det         # 1/K_T
        fb_c = e2_c * x + T_ADRENAL * y
        gmax = lh_castrate / man["LH"] * (1.0 + fb_c**n)
    return 1.0 / x, 1.0 / y, gmax


K_E2_FB, K_T_FB, GNRH_MAX = _solve_feedback()

# --- immune and stress hooks (docs/sources/gonadal.md C) ----------------------------------------
K_T_IMMUNE = 300.0        # ng/dL
#: Estradiol and progesterone on monocyte TNF/IL-6/IL-8 production (docs/design/0026): CRP
#: change per 10-fold rise of the hormone within women followed over the menstrual cycle
#: (Gaskins et al. 2012 Am J Epidemiol 175:423, BioCycle, n = 259, up to 8 samples per cycle):
#: estradiol -24.3 % (95 % CI 19.3-29.0 % lower), luteal progesterone +19.4 % (95 % CI 8.4-31.5).
#: CRP is linear in IL-6 at resting IL-6 (acute_phase: K_IL6_CRP 930 >> 1 pg/mL), so the same
#: fraction is taken for the IL-6 (and TNF, IL-8) production of monocytes: an exponent a with
#: production x (C / C_ref)^a, a = log10(1 + change per decade).
E2_CRP_PER_DECADE = -0.243
E2_CRP_PER_DECADE_CI = (-0.193, -0.290)
P4_CRP_PER_DECADE = 0.194
P4_CRP_PER_DECADE_CI = (0.084, 0.315)
A_E2_PRO = math.log10(1.0 + E2_CRP_PER_DECADE)
A_P4_PRO = math.log10(1.0 + P4_CRP_PER_DECADE)


def ovarian_steroid_factor(e2: float, p4: float, *, a_e2: float = A_E2_PRO,
                           a_p4: float = A_P4_PRO) -> float:
    """The estradiol x progesterone part of ``sex_proinflammatory`` at plasma estradiol `e2`
    (pg/mL) and progesterone `p4` (ng/mL): 1 at the young man's levels."""
    return (e2 / MAN["estradiol"]) ** a_e2 * (p4 / MAN["progesterone"]) ** a_p4


#: Target values of the hooks in a woman (testosterone 30 ng/dL) relative to the young man.
#: WOMAN_PRO is the production factor of the cycle-average woman (geometric mean of the follicular
#: and luteal factors), WOMAN_IL10 the IL-10 factor: the composed model (standard + gonadal, LPS
#: 2 ng/kg) gave a woman with these factors TNF x1.46 (x1.39 with the 2026-12-07 calibrated set)
#: of a man's peak: TNF +45 %, IL-6 +43 % in women (medRxiv 2025, n = 110, cycle phase not
#: controlled; Engler 2016: higher TNF and IL-6 in women). Estradiol and progesterone now give the
#: cycle phases their own factors around that average; the androgen carries the rest
#: (WOMAN_PRO_ANDROGEN, docs/design/0026). The equal IL-10 is provisional: Engler 2016 found a
#: larger IL-10 rise in men (issue #16 report).
WOMAN_PRO = 1.20
#: The estradiol x progesterone factor of the follicular and luteal woman (ovarian_steroid_factor).
OVARIAN_FACTOR = {
    "woman-follicular": ovarian_steroid_factor(WOMAN_FOLLICULAR["estradiol"],
                                               WOMAN_FOLLICULAR["progesterone"]),
    "woman-luteal": ovarian_steroid_factor(WOMAN_LUTEAL["estradiol"],
                                           WOMAN_LUTEAL["progesterone"]),
}
#: The androgen part of WOMAN_PRO: WOMAN_PRO over the cycle-average (geometric mean) ovarian factor.
WOMAN_PRO_ANDROGEN = WOMAN_PRO / math.sqrt(OVARIAN_FACTOR["woman-follicular"]
                                           * OVARIAN_FACTOR["woman-luteal"])
WOMAN_IL10 = 0.50
WOMAN_STRESS = 0.75       # ACTH response to the TSST lower in women (Kirschbaum 1999), provisional


def _hook_gain(target: float, t_woman: float, *, rising: bool) -> float:
    """Coefficient s such that (1 + s h(T_woman)) / (1 + s h(T_man)) = target, where h is the
    falling (rising=False) or rising Hill function of testosterone with K_T_IMMUNE."""
    def h(t):
        return t / (t + K_T_IMMUNE) if rising else K_T_IMMUNE / (t + K_T_IMMUNE)
    hw, hm = h(t_woman), h(MAN["testosterone"])
    return (target - 1.0) / (hw - target * hm)


S_T_PRO = _hook_gain(WOMAN_PRO_ANDROGEN, WOMAN_FOLLICULAR["testosterone"], rising=False)
S_T_IL10 = _hook_gain(WOMAN_IL10, WOMAN_FOLLICULAR["testosterone"], rising=True)
S_T_STRESS = _hook_gain(WOMAN_STRESS, WOMAN_FOLLICULAR["testosterone"], rising=True)


def _s_lh(lh: float) -> float:
    return (lh / (lh + K_LH_GONAD)) / (MAN["LH"] / (MAN["LH"] + K_LH_GONAD))


def subject_parameters(target: dict, *, gonad_function: float = 1.0) -> dict:
    """Parameter values (gonadal outputs, inhibin, GnRH drive) whose resting steady state has the
    given LH, FSH (IU/L), testosterone (ng/dL), estradiol (pg/mL) and progesterone (ng/mL), with
    the shared constants of the module (steady-state algebra of the equations above)."""
    lh, fsh = target["LH"], target["FSH"]
    s = _s_lh(lh)
    t, e2, p4 = target["testosterone"], target["estradiol"], target["progesterone"]
    out = {
        "P_T_gonad": (t - T_ADRENAL) / s,
        "P_E2_gonad": (e2 - E2_EXTRA - F_AROM * t) / s,
        "P4_gonad": (p4 - P4_ADRENAL) / s,
    }
    gnrh = lh / MAN["LH"]
    fb = e2 / K_E2_FB + t / K_T_FB
    out["GnRH_drive"] = gnrh * (1.0 + fb**N_FB) / GNRH_MAX
    out["inhibin_gonad"] = (MAN["FSH"] * gnrh * (1.0 + A_INH) / fsh - 1.0) / A_INH
    bad = {k: v for k, v in out.items() if v < 0}
    if bad:
        raise ValueError(f"resting targets {target} need negative parameters {bad}")
    out["gonad_function"] = gonad_function
    return out


#: Subject parameter sets (profiles): each changes only free parameters of one model structure.
SUBJECTS = {
    "man": subject_parameters(MAN),
    "woman-follicular": subject_parameters(WOMAN_FOLLICULAR),
    "woman-luteal": subject_parameters(WOMAN_LUTEAL),
    "older-man": subject_parameters(OLDER_MAN),
}
SUBJECTS["postmenopausal-woman"] = {**SUBJECTS["woman-follicular"], "gonad_function": 0.0}
SUBJECTS["orchiectomy"] = {**SUBJECTS["man"], "gonad_function": 0.0}
SUBJECTS["ovariectomy"] = {**SUBJECTS["woman-follicular"], "gonad_function": 0.0}


def transdermal_estradiol_rate(ug_per_day: float, *, k_elim: float | None = None,
                         mcr_l_per_day: float = MCR_E2_L_PER_DAY) -> float:
    """Model infusion rate (pg/mL/h into ``estradiol``) of a transdermal estradiol patch releasing
    `ug_per_day` (zero-order absorption): the steady-state rise R/MCR times k_E2."""
    k = k_elim if k_elim is not None else math.log(2) / T_HALF_H["estradiol"]
    return ug_per_day * 1e6 / (mcr_l_per_day * 1e3) * k       # pg/mL rise x 1/h


def transdermal_testosterone_rate(mg_per_day: float, *, absorbed: float = 0.10,
                          k_elim: float | None = None,
                          mcr_l_per_day: float = MCR_T_L_PER_DAY) -> float:
    """Model infusion rate (ng/dL/h into ``testosterone``) of a testosterone gel applying
    `mg_per_day` of which the fraction `absorbed` (about 10 % for 1 % gels) reaches plasma."""
    k = k_elim if k_elim is not None else math.log(2) / T_HALF_H["testosterone"]
    return mg_per_day * absorbed * 1e6 / (mcr_l_per_day * 10.0) * k   # ng/dL rise x 1/h


def _k(name: str) -> float:
    return math.log(2) / T_HALF_H[name]




_SUBJ = ("subject parameter solved from the resting targets (subject_parameters(), "
         "docs/sources/gonadal.md B); young man: ")
_M = SUBJECTS["man"]


def gonadal() -> Module:
    """GnRH -> LH/FSH -> testosterone, estradiol, progesterone with sex-steroid and inhibin
    feedback, cytokine suppression, and the sex-steroid hooks on monocytes and the HPA axis.
    Defaults: a healthy young man (see ``SUBJECTS`` for women, menopause, gonadectomy, age)."""
    params = [
        # --- kinetics -----------------------------------------------------------------------
        _p("k_GnRH", _k("GnRH"), "1/h", source="ln2 / 4 min [D]: GnRH plasma half-life 2-4 min [R] "
           "(gonadal.md A3); the lumped hypothalamic drive follows its steroid and cytokine "
           "inputs within minutes", description="GnRH drive relaxation rate", bounds=(1, 100)),
        _p("k_LH", _k("LH"), "1/h",
           source="ln2 / 2 h [D]: LH half-life 136 min (single exponential, "
           "infused hLH in men); 125-164 min for the two glycoforms in women (Wide et al. 2022 "
           "JCEM 107:e4058) [V-abs]", description="LH elimination rate constant", bounds=(0.1, 2)),
        _p("k_FSH", _k("FSH"), "1/h", source="ln2 / 4.6 h [D]: FSH half-life 274 +- 45 min (single "
           "exponential; Urban et al. 1991 JCEM 73:818) [V-abs]",
           description="FSH elimination rate "
           "constant", bounds=(0.02, 0.5)),
        _p("k_T", _k("testosterone"), "1/h",
           source="ln2 / 1.5 h [D]: orchiectomy lowers testosterone "
           "to castrate levels (~5 % of normal) within a few hours [V-sec, ACNP 2000]; "
           "elimination half-life 2-4 h is also quoted [V-sec] (gonadal.md A3)",
           description="testosterone elimination rate constant", bounds=(0.1, 3)),
        _p("k_E2", _k("estradiol"), "1/h", source="ln2 / 2 h [D]: after removal of a patch serum "
           "estradiol returns to baseline within 12 h [V-sec] (gonadal.md A3)",
           description="estradiol elimination rate constant", bounds=(0.1, 3)),
        _p("k_P4", _k("progesterone"), "1/h", source=_PROV + "progesterone plasma half-life of the "
           "order of minutes to 1 h [R]; 30 min taken (progesterone is a readout, not fed back)",
           description="progesterone elimination rate constant", bounds=(0.2, 10)),
        # --- pituitary --------------------------------------------------------------------------
        _p("LH0", MAN["LH"], "IU/L",
           source="young man LH 4.5 IU/L (reference interval about 1.7-8.6 "
           "[R]; gonadal.md A1); LH per unit GnRH drive",
           description="LH at the young man's GnRH drive "
           "(GnRH = 1)", bounds=(1.5, 10)),
        _p("FSH0", MAN["FSH"], "IU/L", source="young man FSH 4.5 IU/L (reference interval about "
           "1.5-12.4 [R]; gonadal.md A1)",
           description="FSH at GnRH = 1 with the young man's inhibin",
           bounds=(1.5, 12)),
        _p("a_inh", A_INH, "1",
           source="chosen so that FSH without gonads is about 70 IU/L (castrate "
           "men and post-menopausal women, FSH 25-135 [R]), i.e. FSH rises more than LH after "
           "gonadectomy because inhibin is lost (gonadal.md B2)",
           description="strength of gonadal inhibin "
           "restraint of FSH (FSH x (1 + a_inh) without gonads)", bounds=(0.1, 10)),
        # --- hypothalamic feedback ----------------------------------------------------------
        _p("K_E2_fb", K_E2_FB, "pg/mL",
           source="[D] solved jointly with K_T_fb and GnRH_max so that "
           "one axis gives the young man (LH 4.5; E2 25, T 600), the follicular woman with "
           "GnRH_drive = 1 (LH 7.1; E2 54, T 30; Anckaert 2021) and LH 30 IU/L without gonads "
           "(castrate men, post-menopause [R]); estradiol then carries about a third of the "
           "male feedback, in line with LH rising on aromatase inhibition (Hayes et al. 2000 "
           "JCEM [R]) (gonadal.md B2)", description="estradiol giving unit feedback signal",
           bounds=(5, 300)),
        _p("K_T_fb", K_T_FB, "ng/dL", source="[D] see K_E2_fb",
           description="testosterone giving unit feedback "
           "signal", bounds=(50, 3000)),
        _p("n_fb", N_FB, "1", source=_PROV + "Hill exponent 2, so that the adrenal steroids left "
           "after gonadectomy exert little feedback (LH x6-7)",
           description="Hill exponent of sex-steroid "
           "feedback on GnRH", constant=True),
        _p("GnRH_max", GNRH_MAX, "1", source="[D] see K_E2_fb: GnRH drive without steroid feedback "
           "relative to the young man (LH of castrate men / young men, 30 / 4.5 [R]) x "
           "(1 + residual adrenal feedback)", description="GnRH drive without sex-steroid feedback",
           bounds=(2, 30)),
        _p("GnRH_drive", 1.0, "1", source=_SUBJ + "1. Women follicular "
           f"{SUBJECTS['woman-follicular']['GnRH_drive']:.2f}, luteal "
           f"{SUBJECTS['woman-luteal']['GnRH_drive']:.2f} (the luteal value lumps the E2/P4 "
           "priming that keeps LH near 6 IU/L despite high E2), older man "
           f"{SUBJECTS['older-man']['GnRH_drive']:.2f}",
           description="hypothalamic GnRH drive (1 = young "
           "man)", bounds=(0.0, 10.0)),
        # --- gonads -----------------------------------------------------------------------------
        _p("gonad_function", 1.0, "1",
           source="subject parameter: 1 = intact gonads, 0 = orchiectomy, "
           "ovariectomy or post-menopause (ovarian estradiol, progesterone and inhibin gone)",

           description="gonadal secretory capacity (fraction of the subject's normal)",
           bounds=(0.0, 2.0)),
        _p("K_LH_gonad", K_LH_GONAD, "IU/L",
           source=_PROV + "half-saturation at the young man's LH, so "
           "gonadal steroid output at most doubles under maximal LH (hCG stimulation roughly "
           "doubles testosterone [R])",
           description="LH giving half-maximal gonadal steroidogenesis",
           bounds=(1, 50)),
        _p("P_T_gonad", _M["P_T_gonad"], "ng/dL", source=_SUBJ + f"{_M['P_T_gonad']:.0f} (T 600 - "
           f"adrenal 15 ng/dL); women (ovary) "
           f"{SUBJECTS['woman-follicular']['P_T_gonad']:.1f}",
           description="gonadal testosterone output "
           "at the young man's LH, as plasma concentration", bounds=(0.0, 3000)),
        _p("P_E2_gonad", _M["P_E2_gonad"], "pg/mL",
           source=_SUBJ + f"{E2_TESTIS:g} (direct testicular "
           "estradiol, about 20 % of male E2; MacDonald et al. 1979 JCEM [R]); follicular woman "
           f"{SUBJECTS['woman-follicular']['P_E2_gonad']:.0f}, luteal "
           f"{SUBJECTS['woman-luteal']['P_E2_gonad']:.0f}",
           description="gonadal estradiol output at the "
           "young man's LH", bounds=(0.0, 1000)),
        _p("P4_gonad", _M["P4_gonad"], "ng/mL", source=_SUBJ + f"{_M['P4_gonad']:.2f}; follicular "
           f"woman {SUBJECTS['woman-follicular']['P4_gonad']:.2f}, luteal "
           f"{SUBJECTS['woman-luteal']['P4_gonad']:.1f} (corpus luteum)", description="gonadal "
           "progesterone output at the young man's LH", bounds=(0.0, 50)),
        _p("inhibin_gonad", 1.0, "1", source=_SUBJ + "1 (model unit); follicular woman "
           f"{SUBJECTS['woman-follicular']['inhibin_gonad']:.2f}, luteal "
           f"{SUBJECTS['woman-luteal']['inhibin_gonad']:.2f}", description="gonadal inhibin output "
           "restraining FSH (1 = young man)", bounds=(0.0, 20)),
        # --- extragonadal -------------------------------------------------------------------
        _p("T_adrenal", T_ADRENAL, "ng/dL",
           source="median testosterone 15 ng/dL (95 % CI 12-17) after "
           "bilateral orchiectomy, n = 35 (Oefelein et al. 2000 Urology 56:1021) [V-abs]",
           description="extragonadal (adrenal precursor) testosterone", bounds=(2, 50)),
        _p("E2_extragonadal", E2_EXTRA, "pg/mL",
           source="post-menopausal and castrate estradiol below "
           "about 10-20 pg/mL from aromatisation of adrenal androstenedione [R] (gonadal.md A1)",
           description="extragonadal estradiol (aromatised adrenal androgens)", bounds=(1, 20)),
        _p("f_arom", F_AROM, "pg/mL/(ng/dL)", source="[D] about 80 % of male estradiol comes from "
           "peripheral aromatisation (MacDonald et al. 1979 JCEM [R]): (25 - 6 - 5) pg/mL / "
           "600 ng/dL; testosterone therapy raises estradiol (AndroGel label [V-sec])",

           description="estradiol from peripheral aromatisation per unit testosterone",
           bounds=(0.002, 0.2)),
        _p("P4_adrenal", P4_ADRENAL, "ng/mL", source=_PROV + "adrenal progesterone, below the male "
           "level of about 0.1-0.2 ng/mL [R]",
           description="extragonadal progesterone", bounds=(0.005, 0.5)),
        # --- cytokine suppression ---------------------------------------------------------------
        _p("TNF_ref_HPG", TNF_REST, "pg/mL",
           source="baseline of the innate module (Windoloski 2024 "
           "optimised wTNF); cytokine factors are normalised there (docs/design/0002)",
           description="TNF at which the cytokine factors equal 1", bounds=(1, 20), tie="wTNF"),
        _p("k_TNF_HPG", 0.25, "1/h", source=_PROV + "effect-compartment delay chosen so that "
           "testosterone reaches its nadir 4-6 h after LPS (nadir at 6 h after 0.8 ng/kg LPS, "
           "Tremellen et al. 2018 Am J Physiol Endocrinol Metab [V-sec]; at 4 h after rhTNF "
           "50 ug/m2, van der Poll et al. 1993 Metabolism 42:303 [V-abs]) and is back near "
           "baseline by 12-24 h (Tremellen: recovered at 24 h)",
           description="rate at which the HPG axis follows plasma TNF", bounds=(0.05, 5)),
        _p("K_TNF_gonad", 60.0, "pg/mL",
           source=_PROV + "chosen so that LPS 2 ng/kg (TNF peak about "
           "270 pg/mL in the composed model) lowers testosterone by about 35 % at 4-6 h: "
           "-30 % at 6 h after 0.8 ng/kg LPS with LH and FSH unchanged (Tremellen et al. 2018 "
           "[V-sec]); -50 % at 4 h after rhTNF 50 ug/m2, 18.2 -> 9.1 nmol/L (van der Poll et "
           "al. 1993 [V-abs]). The composed model's TNF after 0.8 ng/kg is only about 27 pg/mL "
           "(the innate fit is steep below 2 ng/kg), so the human 0.8 ng/kg result is matched "
           "at the model's 2 ng/kg", description="effective TNF halving gonadal steroidogenesis",
           bounds=(5, 1000)),
        _p("K_TNF_GnRH", 60.0, "pg/mL",
           source=_PROV + "same half-effect as the gonadal site, which "
           "keeps LH within about 20 % of baseline while testosterone falls after LPS "
           "(Tremellen 2018: LH and FSH unchanged; without central suppression the falling "
           "testosterone would raise LH); IL-2 both blocks LH feed-forward and amplifies "
           "feedback in men (Veldhuis et al. 2016 JCEM 101:539) [V-abs]",
           description="effective TNF "
           "halving the GnRH drive", bounds=(5, 1000)),
        _p("n_TNF_HPG", 2.0, "1", source=_PROV + "Hill exponent as in the HPA and autonomic TNF "
           "couplings", description="Hill exponent of TNF acting on the HPG axis", constant=True),
        # --- hooks on monocytes and the HPA axis --------------------------------------------
        _p("T_ref_immune", MAN["testosterone"], "ng/dL",
           source="young man's resting testosterone (this "
           "module's default steady state): every hook equals 1 there (docs/design/0002)",
           description="testosterone at which the sex-steroid hooks equal 1", bounds=(300, 1000)),
        _p("K_T_immune", K_T_IMMUNE, "ng/dL",
           source=_PROV + "androgen effect half-maximal at about "
           "10 nmol/L, the hypogonadal threshold, between female and male levels",

           description="testosterone giving half-maximal androgen effects on monocytes and "
           "stress drive",
           bounds=(30, 3000)),
        _p("s_T_pro", S_T_PRO, "1",
           source=f"[D] chosen so that the androgen factor is {WOMAN_PRO_ANDROGEN:.3f} at a "
           f"woman's testosterone (30 ng/dL), i.e. sex_proinflammatory = {WOMAN_PRO} in the "
           "cycle-average woman (geometric mean of the follicular "
           f"{OVARIAN_FACTOR['woman-follicular']:.3f} and luteal "
           f"{OVARIAN_FACTOR['woman-luteal']:.3f} estradiol x progesterone factors), the "
           "production factor with which the composed model (standard + gonadal, LPS 2 ng/kg) "
           "gave a woman a TNF peak x1.46 of a man's (x1.39 with the 2026-12-07 calibrated set): "
           "TNF +45 %, IL-6 +43 % in women after 1 ng/kg "
           "LPS, n = 56 M / 54 F, cycle phase not controlled (medRxiv 2025 "
           "doi:10.1101/2025.02.04.25321661) [V-abs]; women "
           "had significantly larger TNF and IL-6 rises after 0.4 ng/kg, 14 M / 14 F (Engler et "
           "al. 2016 Brain Behav Immun 52:18) [V-abs]; androgen as carrier: "
           "testosterone replacement lowers TNF (Malkin et al. 2004 JCEM 89:3313 [R]); "
           "estradiol cannot carry it (inversely related to cytokines in women, medRxiv 2025; "
           "Gaskins et al. 2012); size provisional (gonadal.md C1; docs/design/0026)",
           description="maximal androgen-withdrawal enhancement of TNF/IL-6/"
           "IL-8 production", bounds=(0, 20)),
        _p("E2_ref_immune", MAN["estradiol"], "pg/mL",
           source="young man's resting estradiol (this module's default steady state): the "
           "estradiol factor of sex_proinflammatory equals 1 there (docs/design/0002)",
           description="estradiol at which its factor on monocyte production equals 1",
           bounds=(10, 40)),
        _p("P4_ref_immune", MAN["progesterone"], "ng/mL",
           source="young man's resting progesterone (this module's default steady state): the "
           "progesterone factor of sex_proinflammatory equals 1 there (docs/design/0002)",
           description="progesterone at which its factor on monocyte production equals 1",
           bounds=(0.05, 0.3)),
        _p("a_E2_pro", A_E2_PRO, "1",
           source=f"[D] log10(1 - 0.243) = {A_E2_PRO:.4f}: a 10-fold rise of estradiol went with "
           "24.3 % lower CRP (95 % CI 19.3-29.0) in 259 women followed over up to 2 menstrual "
           "cycles, up to 8 samples per cycle (Gaskins AJ et al. 2012 Am J Epidemiol 175:423, "
           "BioCycle) [V-abs]; 29 % lower per 10-fold urinary estrogen in 8 women, 11 cycles "
           "('C-reactive protein across the menstrual cycle', Am J Phys Anthropol 2008, "
           "doi:10.1002/ajpa.20785) [V-abs]; CRP is linear in resting "
           "IL-6, so the fraction is taken for monocyte IL-6 (and TNF, IL-8) production; "
           "direction as in vitro: 17beta-estradiol inhibits TNF release of PBMC from "
           "post-menopausal women dose-dependently, 1e-12 to 1e-6 M (J Bone Miner Res 1990;"
           "5:983, PMID 2281828) [V-abs] and LPS-induced CXCL8 of human monocytes through "
           "ER (Pioli PA et al. 2007 J Immunol 179:6284) [V-abs]; conflicting human in-vitro "
           "data in docs/design/0026",
           description="exponent of estradiol on monocyte TNF/IL-6/IL-8 production "
           "(x (E2/E2_ref)^a)", bounds=(-0.5, 0.5)),
        _p("a_P4_pro", A_P4_PRO, "1",
           source=f"[D] log10(1 + 0.194) = {A_P4_PRO:.4f}: a 10-fold rise of luteal "
           "progesterone went with 19.4 % higher CRP (95 % CI 8.4-31.5) (Gaskins AJ et al. 2012 "
           "Am J Epidemiol 175:423, BioCycle, n = 259) [V-abs]; 23 % higher per 10-fold urinary "
           "pregnanediol (Am J Phys Anthropol 2008, doi:10.1002/ajpa.20785) [V-abs]; direction "
           "as ex vivo: more TNF-producing monocytes after LPS in the luteal than in the "
           "follicular phase (Bouman A et al. 2001 Fertil Steril 76:555) [V-abs]; lower LPS-"
           "induced TNF, IL-6 and IL-1beta of whole blood in the follicular than the early "
           "luteal phase, 11 women (Neuroimmunomodulation 2012;19:171) [V-abs]; progesterone "
           "raised LPS-induced TNF of U937 monocytes (Jain SK et al., 'Progesterone, but not "
           "17beta-estradiol, increases TNF-alpha secretion in U937 monocytes') [V-abs]; valid "
           "up to luteal levels (pregnancy-level progesterone is anti-inflammatory; "
           "docs/design/0026)",
           description="exponent of progesterone on monocyte TNF/IL-6/IL-8 production "
           "(x (P4/P4_ref)^a)", bounds=(-0.5, 0.5)),
        _p("s_T_IL10", S_T_IL10, "1",
           source=f"[D] chosen so that sex_IL10 = {WOMAN_IL10} in a woman, "
           "with "
           "which the composed model gives equal IL-10 peaks (x0.99) despite her higher TNF "
           "and IL-6 (which drive IL-10 production): provisional: no admissible source "
           "gives equal IL-10 peaks (the earlier sources are reserved for the independent check, "
           "issue #16); the medRxiv 2025 abstract does not report IL-10, and Engler et al. "
           "2016 Brain Behav Immun 52:18 found the IL-10 rise significantly larger in men "
           "(0.4 ng/kg) [V-abs], i.e. direction supported (androgen raises IL-10), size not; "
           "testosterone raises IL-10 (Malkin 2004 [R]) (gonadal.md C2)",
           description="maximal androgen enhancement of IL-10 production", bounds=(0, 20)),
        _p("s_T_stress", S_T_STRESS, "1",
           source=f"[D] chosen so that sex_stress_gain = {WOMAN_STRESS} "
           "in a woman: ACTH responses to the TSST higher in men than in women in either "
           "cycle phase or on oral contraceptives, n = 81 (Kirschbaum et al. 1999 Psychosom "
           "Med 61:154) [V-abs]; men > women in cortisol (Childs et al. 2010 Psychophysiology) "
           "[V-abs]; size provisional, conflicts in gonadal.md C3", description="maximal androgen "
           "enhancement of the psychological-stress drive of CRH", bounds=(0, 50)),
    ]
    s = {p.name: p.symbol for p in params}
    GnRH, LH, FSH = sym("GnRH"), sym("LH"), sym("FSH")
    T, E2, P4, X = (sym(x) for x in ("testosterone", "estradiol", "progesterone", "TNF_HPG"))
    TNF = sym("TNF")

    n = s["n_TNF_HPG"]
    c_gonad = hill_down(X, s["K_TNF_gonad"], n) / hill_down(s["TNF_ref_HPG"], s["K_TNF_gonad"], n)
    c_gnrh = hill_down(X, s["K_TNF_GnRH"], n) / hill_down(s["TNF_ref_HPG"], s["K_TNF_GnRH"], n)
    fb = E2 / s["K_E2_fb"] + T / s["K_T_fb"]
    s_lh = ((LH / (LH + s["K_LH_gonad"])) / (s["LH0"] / (s["LH0"] + s["K_LH_gonad"])))
    gonads = s["gonad_function"] * sp.exp(-20 * sym("gonadectomy"))
    g = gonads * c_gonad * s_lh
    inhibin = gonads * s["inhibin_gonad"]
    Ki = s["K_T_immune"]

    rates = {
        "TNF_HPG": s["k_TNF_HPG"] * (TNF - X),
        "GnRH": s["k_GnRH"] * (s["GnRH_max"] * s["GnRH_drive"] * c_gnrh / (1 + fb**s["n_fb"])
                               - GnRH),
        "LH": s["k_LH"] * (s["LH0"] * GnRH - LH),
        "FSH": s["k_FSH"] * (s["FSH0"] * GnRH * (1 + s["a_inh"]) / (1 + s["a_inh"] * inhibin)
                             - FSH),
        "testosterone": s["k_T"] * (s["T_adrenal"] + g * s["P_T_gonad"] - T),
        "estradiol": s["k_E2"] * (s["E2_extragonadal"] + s["f_arom"] * T + g * s["P_E2_gonad"]
                                  - E2),
        "progesterone": s["k_P4"] * (s["P4_adrenal"] + g * s["P4_gonad"] - P4),
    }
    species = (
        Species("GnRH", "1", 1.0, "hypothalamic GnRH drive (pulse-averaged; 1 = young man)"),
        Species("LH", "IU/L", MAN["LH"], "plasma luteinizing hormone", source="gonadal.md A1"),
        Species("FSH", "IU/L", MAN["FSH"], "plasma follicle-stimulating hormone",
                source="gonadal.md A1"),
        Species("testosterone", "ng/dL", MAN["testosterone"], "plasma total testosterone "
                "(endogenous plus exogenous)", source="gonadal.md A1"),
        Species("estradiol", "pg/mL", MAN["estradiol"], "plasma estradiol (endogenous plus "
                "exogenous)", source="gonadal.md A1"),
        Species("progesterone", "ng/mL", MAN["progesterone"], "plasma progesterone",
                source="gonadal.md A1"),
        Species("TNF_HPG", "pg/mL", TNF_REST, "TNF signal seen by the hypothalamus and the "
                "gonads (effect compartment of plasma TNF)"),
    )
    inputs = (
        Input("TNF", "pg/mL", TNF_REST, "plasma TNF-alpha acting on the hypothalamus and the "
              "gonads"),
        Input("gonadectomy", "1", 0.0, "surgical removal of the gonads during a protocol (0 = "
              "intact; a Stressor of intensity 1 removes them: exp(-20) of their output is left)"),
    )
    observables = (
        Observable("inhibin", "1", inhibin, "gonadal inhibin restraining FSH (1 = young man)"),
        Observable("sex_proinflammatory", "1",
                   (1 + s["s_T_pro"] * hill_down(T, Ki, 1))
                   / (1 + s["s_T_pro"] * hill_down(s["T_ref_immune"], Ki, 1))
                   * (E2 / s["E2_ref_immune"]) ** s["a_E2_pro"]
                   * (P4 / s["P4_ref_immune"]) ** s["a_P4_pro"],
                   "sex-steroid factor on monocyte TNF, IL-6 and IL-8 production (1 = young man; "
                   "higher with low testosterone and with progesterone, lower with estradiol)"),
        Observable("sex_IL10", "1",
                   (1 + s["s_T_IL10"] * hill_up(T, Ki, 1))
                   / (1 + s["s_T_IL10"] * hill_up(s["T_ref_immune"], Ki, 1)),
                   "sex-steroid factor on monocyte IL-10 production (1 = young man)"),
        Observable("sex_stress_gain", "1",
                   (1 + s["s_T_stress"] * hill_up(T, Ki, 1))
                   / (1 + s["s_T_stress"] * hill_up(s["T_ref_immune"], Ki, 1)),
                   "sex-steroid factor on the psychological-stress drive of CRH (1 = young man)"),
    )
    return Module("gonadal", species, tuple(params), rates, inputs=inputs,
                  observables=observables,
                  description="hypothalamic-pituitary-gonadal axis (GnRH, LH, FSH, testosterone, "
                              "estradiol, progesterone) with cytokine suppression, androgen, "
                              "estradiol and progesterone effects on monocytes and the androgen "
                              "effect on the stress drive of the HPA axis",
                  citation=f"new module (no published ODE model; {GONADAL_NOTES}); Craddock et "
                           "al. 2014 PLoS ONE 9:e84839 (wiring)")
