"""Autonomic nervous system: sympathoadrenal catecholamines, NPY and the vagal (cholinergic)
anti-inflammatory reflex, acting on monocytes through beta2-adrenergic and alpha7-nicotinic
receptor activations.

No published, parameterised ODE model of these pathways exists (docs/sources/autonomic.md E;
literature.md 2.13), so the structure follows the functional forms suggested in literature.md
2.13 and the numbers come from docs/sources/autonomic.md (human kinetics and resting levels).
Time in hours.

Drives (each 1 at rest at 08:00; TNF drives are normalised at the innate module's baseline
``TNF_ref``, as in docs/design/0002; h_X(TNF) = up(TNF; K_TNF_X, 2))::

    A = r_EPI - 1 + (1 + g_stress_EPI stress + g_TNF_EPI h_SNS(TNF))
                    / (1 + g_TNF_EPI h_SNS(TNF_ref))
    N = r_NE  - 1 + (1 + g_stress_NE  stress + g_TNF_NE  h_SNS(TNF))
                    / (1 + g_TNF_NE  h_SNS(TNF_ref))
    V = vagal_integrity (1 + g_TNF_vagal h_vag(TNF) + g_vns vns) / (1 + g_TNF_vagal h_vag(TNF_ref))

Day-night rhythm of the resting outflow (docs/design/0042; Linsell et al. 1985 cosinor of plasma
catecholamines), 1 at ANS_ref_clock (08:00, the clock of the immune references), relative
amplitude X_circ_amp and trough at X_circ_min_clock::

    r_X = c_X(clock) / c_X(ANS_ref_clock)
    c_X(u) = 1 - X_circ_amp cos(2 pi (u - X_circ_min_clock) / 24 h)

Propranolol (total plasma P, free fraction fu_prop) occupies beta receptors, x_P = fu_prop P /
KD_prop_b2, and beta-receptor-mediated catecholamine clearance falls with its occupancy::

    c = 1 - e_prop_CL x_P / (1 + x_P)

States::

    dEPI/dt = k_EPI (EPI0 adrenal_medulla A - c EPI)
    dNE/dt  = k_NE  (NE0 N - c NE)
    dNPY/dt = k_NPY (NPY0 (1 + m_NPY up(N; K_NPY_rel, n_NPY_rel)) / (1 + m_NPY up(1; ...)) - NPY)
    dACh/dt = k_ACh (ACh0 V - ACh)
    db2_desens/dt = k_b2_des up(o; K_b2_des, n_b2_des) (1 - b2_desens) - k_b2_res b2_desens

Receptor activations (observables, 0-1)::

    x  = (EPI + r_NE_b2 NE) / K_b2_EPI                   competitive with propranolol:
    o  = x / (1 + x + x_P)                               agonist occupancy of beta2
    y  = (NPY/K_NPY_Y1) / (1 + NPY/K_NPY_Y1 + Y1_antagonist/Ki_Y1_antag)     Y1 occupancy
    beta2_activation = o (1 - b2_desens) (1 + s_NPY_b2 y) / (1 + s_NPY_b2)
    a7_activation    = ACh / (ACh + K_a7)

``K_b2_EPI`` and ``K_a7`` are chosen so that at rest beta2_activation = 0.1 and a7_activation =
0.2, the reference values of the innate module (``beta2_ref``, ``a7_ref``), so composing this
module leaves the resting immune model unchanged (docs/design/0002); ``K_b2_EPI`` solves the
resting fixed point with the desensitisation and NPY factors (``resting_beta2_occupancy``).

Epinephrine infusion: ``Infusion("EPI", rate, start, duration)`` with rate in pg/mL/h. A rate R
in ng/kg/min raises steady-state plasma EPI by R / CL_E (CL_E = 61.5 mL/kg/min, the metabolic
clearance rate at steady state; Cryer et al. 1980), so in model units rate = R x 1000 x k_EPI /
CL_E pg/mL/h; 30 ng/kg/min (the rate of ``lps-epinephrine``, the reserved independent check) is
8,100 pg/mL/h and raises plasma EPI by about 0.49 ng/mL at steady state.
``epinephrine_infusion_rate(30)`` does the arithmetic.

Cardiac beta1 (heart rate, consumed by the fever module): x1 = a_b1_N c NE / NE0 + EPI /
K_b1_EPI, ``cardiac_beta1_activation`` = x1 / (1 + x1 + fu_prop P / KD_prop_b1) and
``cardiac_beta1_availability`` = (1 + x1) / (1 + x1 + fu_prop P / KD_prop_b1)
(docs/design/0012-heart-rate.md).

Interventions as subject parameters: ``vagal_integrity`` = 0 (vagotomy), ``adrenal_medulla`` = 0
(adrenalectomy). Drugs as plain plasma concentrations driven by a protocol (for example a long
``SignalStep("propranolol", 0, 48, 50.0)``): ``propranolol`` (ng/mL total), ``Y1_antagonist``
(nM, a BIBP3226-like competitive Y1 antagonist).

Behaviour in the composed model (innate + HPA + fever + autonomic; tests/test_autonomic.py). With
the TNF -> autonomic couplings switched off the LPS response equals that of the model without this
module (the normalisation). With them on, the endogenous epinephrine surge (x6, peak 1.7 h) and
the vagal reflex lower the TNF, IL-6 and IL-8 peaks by 20-30 % relative to the published immune
fit: new physiology, but the innate fit already contains its subjects' own surge, so the coupling
strengths (here and the innate module's E_b2_TNF, s_b2_IL10) await joint calibration (issue #4).
With the innate module's present constants no sustained beta2 activation raises the IL-10 peak
(the TNF -> monocyte feedback dominates the production factor), so an epinephrine-induced IL-10
rise appears only as a higher IL-10 production factor.
"""

from __future__ import annotations

import math

import sympy as sp

from ..core import Input, Module, Observable, Species, clock_cosine, hill_up, sym
from ._common import literature_parameter as _p
from .fever import BETA1_CARDIAC_REST, CIRCADIAN_PERIOD_H, G_BETA_HR
from .innate import A7_REST, BETA2_REST, TNF_REST

AUTONOMIC_NOTES = "docs/sources/autonomic.md"
_PROV = "provisional (modelling choice, no human number found; to be calibrated, issue #4): "

# Resting levels and kinetics (docs/sources/autonomic.md A-D).
EPI_REST = 40.0          # pg/mL, venous
NE_REST = 200.0          # pg/mL
NPY_REST = 15.0          # pmol/L
ACH_REST = 1.0           # AU
T_HALF_EPI_MIN = 2.5
T_HALF_NE_MIN = 2.4
T_HALF_NPY_MIN = 20.0
K_EPI = 60.0 * math.log(2) / T_HALF_EPI_MIN   # 1/h
#: Whole-body metabolic clearance rate of epinephrine, mL/kg/min: 50 ng/kg/min for 180 min
#: raised plasma epinephrine from 21 to 834 pg/mL in 5 normal subjects (Cryer, Rizza, Haymond &
#: Gerich 1980 Metabolism 29(11 Suppl 1):1114, doi:10.1016/0026-0495(80)90019-0): 50,000 / 813 =
#: 61.5 mL/kg/min, at steady state and with the plasma the model's EPI stands for (docs/design/
#: 0012-heart-rate.md; the arterial 35 mL/kg/min of Best & Halter 1982 came from 0.1-2 ug/min).
CL_E_ML_PER_KG_MIN = 50_000.0 / (834.0 - 21.0)
#: Resting receptor activations BETA2_REST, A7_REST (the innate module's beta2_ref, a7_ref) and
#: the TNF baseline TNF_REST (its wTNF) are imported from innate.py, their owner (docs/design/0006).
# Desensitisation and NPY/Y1 constants that enter the resting fixed point.
_K_DES, _K_DES_OCC, _N_DES, _K_RES = 0.07, 0.5, 3.0, 0.045
_K_NPY_Y1, _S_NPY_B2 = 20.0, 1.0
#: Day-night rhythm of the sympathoadrenal outflow: cosinor fits of 24-h plasma catecholamines in
#: young men on a normal sleep-wake day (Linsell et al. 1985; docs/design/0042).
_LINSELL = ("Linsell, Lightman, Mullen, Brown & Causon 1985 J Clin Endocrinol Metab 60:1210 "
            "(young men, normal day with sleep, cosinor; abstract)")
NE_CIRC_AMP, NE_CIRC_MIN_CLOCK = 111.0 / 413.0, 2.0 + 20.0 / 60.0
EPI_CIRC_AMP, EPI_CIRC_MIN_CLOCK = 14.0 / 43.0, 3.0 + 20.0 / 60.0
#: The rhythm is 1 at 08:00, the clock of the immune model's resting references (docs/design/0042).
ANS_REF_CLOCK = 8.0
#: Parameter values that switch the day-night rhythm off (the module before docs/design/0042).
NO_RHYTHM = {"NE_circ_amp": 0.0, "EPI_circ_amp": 0.0}
_R_NE_B2 = 1.0 / 30.0


def epinephrine_infusion_rate(ng_per_kg_per_min: float, *, k_elim: float = K_EPI,
                              clearance_ml_per_kg_min: float = CL_E_ML_PER_KG_MIN) -> float:
    """Model infusion rate (pg/mL/h into ``EPI``) for an epinephrine infusion in ng/kg/min: the
    steady-state rise R/CL_E (ng/mL) times the elimination rate constant."""
    return ng_per_kg_per_min * 1000.0 / clearance_ml_per_kg_min * k_elim


def _desensitised_at(occ: float, k_des=_K_DES, k_occ=_K_DES_OCC, n=_N_DES, k_res=_K_RES) -> float:
    drive = k_des * occ**n / (occ**n + k_occ**n)
    return drive / (drive + k_res)


def _npy_factor(npy=NPY_REST, k=_K_NPY_Y1, s=_S_NPY_B2) -> float:
    y = (npy / k) / (1.0 + npy / k)
    return (1.0 + s * y) / (1.0 + s)


def resting_beta2_occupancy(target: float = BETA2_REST) -> float:
    """Agonist occupancy o of beta2 at rest such that o (1 - D(o)) f_NPY = target, where D(o) is
    the steady desensitised fraction at occupancy o (bisection; the product rises with o on the
    branch below the desensitisation half-point)."""
    f = _npy_factor()
    lo, hi = 0.0, _K_DES_OCC
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid * (1.0 - _desensitised_at(mid)) * f < target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


# Cardiac beta1 (chronotropy): agonist index x1 = a_b1_N s + EPI / K_b1_EPI with the sympathetic
# nerve index s = c NE / NE0 (1 at rest), activation b1 = x1 / (1 + x1 + x_P1). At rest b1 equals
# the fever module's beta1_ref; +9 bpm when venous epinephrine rises from 0.49 to 2.85 nmol/L
# (50 ng/kg/min for 30 min, 7 young men; Clin Sci 1988 75:389, heart rate 58 -> 67 bpm).
_EPI_MW = 183.2  # g/mol
_DEPI_CLINSCI = (2.85 - 0.49) * _EPI_MW  # pg/mL
_DHR_CLINSCI = 67.0 - 58.0  # bpm


def _odds(b: float) -> float:
    return b / (1.0 - b)


_K_B1_EPI = _DEPI_CLINSCI / (_odds(BETA1_CARDIAC_REST + _DHR_CLINSCI / G_BETA_HR)
                             - _odds(BETA1_CARDIAC_REST))
_A_B1_N = _odds(BETA1_CARDIAC_REST) - EPI_REST / _K_B1_EPI

_OCC0 = resting_beta2_occupancy()
_D0 = _desensitised_at(_OCC0)
_K_B2_EPI = (EPI_REST + _R_NE_B2 * NE_REST) * (1.0 - _OCC0) / _OCC0
_K_A7 = ACH_REST * (1.0 - A7_REST) / A7_REST

_REST_B2 = (f"chosen so that at rest (EPI {EPI_REST:g}, NE {NE_REST:g} pg/mL, NPY {NPY_REST:g} "
            "pmol/L, steady desensitisation) beta2_activation equals the innate module's "
            f"beta2_ref = {BETA2_REST:g} (resting agonist occupancy {_OCC0:.4f}; "
            "docs/design/0002; recompute with resting_beta2_occupancy() if the resting levels, "
            "desensitisation or NPY constants change); the absolute monocyte beta2 affinity is "
            "not used (no human dose-response on LPS-TNF read, autonomic.md gap 1)")
_DES = (_PROV + "with the 30 ng/kg/min infusion (occupancy about 0.8) the desensitised fraction "
        "approaches 0.55 with a time constant of about 10 h (autonomic.md suggested tau_desens "
        "6-12 h): about 0.17 when LPS follows 3 h of infusion and 0.5 after 24 h. Direction: "
        "24-h isoproterenol pre-exposure increased the LPS response of monocytic cells and "
        "prevented TNF re-suppression by a second dose, with cAMP below basal (Severn et al. "
        "1992 J Immunol 148:3441, in vitro). How much of the beta2 effect survives 24 h in vivo "
        "has no admissible human source (the in-vivo epinephrine + LPS study is reserved for the "
        "independent check, issue #16), so both rates are provisional. Resensitisation time "
        "constant 22 h (no human number)")
_REST_A7 = (f"chosen so that resting ACh (1 AU) gives the innate module's a7_ref = {A7_REST:g} "
            "(docs/design/0002); ACh is in arbitrary units (no human macrophage concentration-"
            "response of acetylcholine read, autonomic.md gap 4)")




def autonomic() -> Module:
    """Sympathoadrenal (EPI, NE, NPY) and vagal (ACh) outflow, driven by psychological stress and
    by TNF, and the beta2/alpha7 receptor activations the innate module consumes."""
    params = [
        # --- resting levels and kinetics -----------------------------------------------------
        _p("EPI0", EPI_REST, "pg/mL",
           source="Zadik et al. 1980 JCEM 50:842 (24-h integrated 31 +- 15 "
           "pg/mL); Best & Halter 1982 JCEM 55:263 (venous 50 +- 7); autonomic.md A1: venous "
           "30-50 pg/mL, midpoint",
           description="resting plasma epinephrine (venous) at ANS_ref_clock (08:00; the 24-h "
           "mean is 12 % higher on the day-night rhythm, docs/design/0042)", bounds=(10, 110)),
        _p("k_EPI", K_EPI, "1/h",
           source="ln2 / 2.5 min [D]; E half-life 3.5 min (Abboud et al. 2009 "
           "Crit Care 13:R120), NE 2.4 min (Silverberg et al. 1978 Am J Physiol 234:E252); "
           "autonomic.md suggested k_E (range 12-20 /h)",
           description="epinephrine elimination rate constant",
           bounds=(10, 25)),
        _p("NE0", NE_REST, "pg/mL",
           source="Zadik 1980 (194 +- 106); Best & Halter 1982 (191 +- 37); "
           "Ensinger 1992 (199 +- 75) (autonomic.md A1)",
           description="resting plasma norepinephrine at ANS_ref_clock (08:00; the 24-h mean "
           "is 2 % higher on the day-night rhythm, docs/design/0042)",
           bounds=(70, 750)),
        _p("k_NE", 60.0 * math.log(2) / T_HALF_NE_MIN, "1/h", source="ln2 / 2.4 min [D]: NE plasma "
           "half-time 2.4 +- 0.7 min (Silverberg et al. 1978 Am J Physiol 234:E252)",
           description="norepinephrine elimination rate constant", bounds=(10, 30)),
        _p("NPY0", NPY_REST, "pmol/L",
           source="Pernow et al. 1986 Clin Physiol 6:561 (18 +- 3 pmol/L); "
           "Pernow et al. 1987 Life Sci 40:47 (12 +- 2 pmol/L); midpoint",
           description="resting plasma neuropeptide Y", bounds=(5, 40)),
        _p("k_NPY", 60.0 * math.log(2) / T_HALF_NPY_MIN, "1/h",
           source="ln2 / 20 min [D]: slow phase of "
           "the biphasic NPY half-life (4.1 and 20 min; Pernow et al. 1987 Life Sci 40:47); the "
           "slow phase because NPY rises and falls much more slowly than NA (Pernow 1986)",
           description="NPY elimination rate constant", bounds=(1, 11)),
        _p("ACh0", ACH_REST, "AU", source="model unit: resting splenic cholinergic output = 1 AU",
           description="resting splenic acetylcholine output", constant=True),
        _p("k_ACh", 0.07, "1/h",
           source="autonomic.md D / suggested values: one VNS session suppresses "
           "TNF production for up to ~24 h (Addorisio et al. 2019 Bioelectron Med; Koopman et "
           "al. 2016 PNAS 113:8284), effector decay 0.05-0.1 /h [D]; ACh here lumps the "
           "ChAT+ T-cell output, not the transmitter (ms half-life)",
           description="decay rate of the splenic cholinergic effector", bounds=(0.01, 1.0)),
        # --- sympathoadrenal drives ----------------------------------------------------------
        _p("g_stress_EPI", 1.0, "1",
           source="E about 2x during a TSST or public speaking (autonomic.md "
           "A4, [R]); catecholamine responses do not habituate (Schommer et al. 2003 Psychosom "
           "Med 65:450); stress intensity 1 = a TSST-like stressor, as in the HPA module",
           description="adrenomedullary drive added per unit stress intensity", bounds=(0.1, 10)),
        _p("g_stress_NE", 0.83, "1",
           source="psychiatric stress interview: plasma NE +83 % (Dimsdale "
           "1987 Psychosom Med 49:375)",
           description="sympathetic nerve drive added per unit stress",
           bounds=(0.1, 10)),
        _p("g_TNF_EPI", 6.0, "1", source=_PROV + "chosen so that a 2 ng/kg LPS bolus (TNF peak "
           "about 270 pg/mL in the composed model) gives a plasma epinephrine peak near 236 "
           "+- 59 pg/mL (Barber et al. 1993 J Immunol 150:1999) at about 1-2 h (literature.md "
           "3.2)",
           description="maximal adrenomedullary drive added by TNF", bounds=(0.1, 50)),
        _p("g_TNF_NE", 1.0, "1",
           source=_PROV + "NE roughly doubles at the LPS peak; human NE values "
           "after 2 ng/kg not verified (autonomic.md gap 2)",
           description="maximal sympathetic nerve drive added by TNF", bounds=(0.0, 20)),
        _p("K_TNF_SNS", 100.0, "pg/mL",
           source=_PROV + "same TNF half-effect as the TNF -> CRH coupling "
           "of the HPA module (ITIS form, Bangsgaard et al. 2017 Bull Math Biol 79:1487)",
           description="TNF giving half the maximal sympathetic drive", bounds=(10, 1000)),
        _p("n_TNF_ANS", 2.0, "1",
           source=_PROV + "Hill exponent as in the HPA module's TNF coupling",
           description="Hill exponent of TNF acting on autonomic centres", constant=True),
        _p("TNF_ref", TNF_REST, "pg/mL",
           source="baseline of the innate module (Windoloski et al. 2024 "
           "optimised wTNF); TNF drives are normalised there (docs/design/0002)",

           description="TNF at which the autonomic drives equal their resting value",
           bounds=(1, 20),
           tie="wTNF"),
        # --- day-night rhythm (docs/design/0042-autonomic-rhythm.md) --------------------------
        _p("NE_circ_amp", NE_CIRC_AMP, "1", source=_LINSELL + ": plasma noradrenaline, cosinor "
           "amplitude 111 +- 19 pg/mL on a mean of 413 +- 25 (111/413)", bounds=(0.0, 0.5),
           description="amplitude of the day-night rhythm of sympathetic nerve outflow, as a "
           "fraction of its 24-h mean (0 = no rhythm)"),
        _p("NE_circ_min_clock", NE_CIRC_MIN_CLOCK, "h", source=_LINSELL + ": noradrenaline "
           "trough at 02:20 +- 30 min", bounds=(0.0, 6.0),
           description="clock time of the trough of sympathetic nerve outflow"),
        _p("EPI_circ_amp", EPI_CIRC_AMP, "1", source=_LINSELL + ": plasma adrenaline, cosinor "
           "amplitude 14 +- 1.6 pg/mL on a mean of 43 +- 5.3 (14/43)", bounds=(0.0, 0.5),
           description="amplitude of the day-night rhythm of adrenomedullary outflow, as a "
           "fraction of its 24-h mean (0 = no rhythm)"),
        _p("EPI_circ_min_clock", EPI_CIRC_MIN_CLOCK, "h", source=_LINSELL + ": adrenaline "
           "trough at 03:20 +- 35 min", bounds=(0.0, 6.0),
           description="clock time of the trough of adrenomedullary outflow"),
        _p("ANS_circ_period", CIRCADIAN_PERIOD_H, "h", source="the 24-h day (entrained rhythm); "
           "tied to the fever module's T_circ_period, so the two rhythms share their clock "
           "factors",
           description="period of the day-night rhythm of the sympathoadrenal outflow",
           constant=True, tie="T_circ_period"),
        _p("ANS_ref_clock", ANS_REF_CLOCK, "h", source="the clock time of the resting references "
           "the receptor constants are set at: the innate module's 08:00 rest of the Janum "
           "subjects (wTNF, w6, cortisol_ref = the 08:00 cortisol); docs/design/0042",
           description="clock time at which the day-night rhythm of the sympathoadrenal outflow "
           "equals 1 (EPI0 and NE0 are the resting levels at this time)", constant=True),
        _p("adrenal_medulla", 1.0, "1", source="subject parameter: 1 = intact adrenal medulla, "
           "0 = adrenalectomy",
           description="adrenomedullary secretory capacity (fraction of normal)",
           bounds=(0.0, 2.0)),
        # --- NPY co-release ------------------------------------------------------------------
        _p("m_NPY", 4.22, "1",
           source="NPY x4.5 after 60 min of exercise raising NA x10 (Pernow et al. "
           "1986 Clin Physiol 6:561): steady state x5 at N = 10 [D] with the threshold below",
           description="maximal relative NPY co-release", bounds=(0.5, 20)),
        _p("K_NPY_rel", 4.5, "1",
           source=_PROV + "NPY co-release needs strong activation: no rise when "
           "NA doubles (handgrip, orthostasis), x4.5 when NA x10 (Pernow 1986); half-maximal at "
           "NE release 4-5x rest (autonomic.md suggested values)",
           description="sympathetic drive giving half-maximal NPY co-release", bounds=(2, 10)),
        _p("n_NPY_rel", 4.0, "1", source=_PROV + "steep threshold (no NPY rise at 2x drive)",
           description="Hill exponent of NPY co-release", constant=True),
        # --- vagal efferent ------------------------------------------------------------------
        _p("vagal_integrity", 1.0, "1", source="subject parameter: 1 = intact vagus, 0 = vagotomy",
           description="fraction of intact vagal efferent (splenic) pathway", bounds=(0.0, 1.0)),
        _p("g_TNF_vagal", 2.0, "1", source=_PROV + "afferent sensing of TNF raises vagal efferent "
           "output (inflammatory reflex; literature.md 2.13 suggested form). Human reflex gain "
           "unknown; HRV change after LPS does not track cytokines (Kox et al. 2011 Shock "
           "36:115), so the reflex is kept modest",
           description="maximal vagal efferent drive added by TNF", bounds=(0.0, 20)),
        _p("K_TNF_vagal", 100.0, "pg/mL",
           source=_PROV + "same TNF half-effect as the sympathetic and "
           "HPA couplings",
           description="TNF giving half the maximal vagal drive", bounds=(10, 1000)),
        _p("g_vns", 50.0, "1", source=_PROV + "chosen so that 1 h of stimulation at intensity 1 "
           "raises alpha7 activation from 0.2 to about 0.5 three hours later and lowers the "
           "TNF and IL-6 peaks of a 2 ng/kg LPS challenge by about 20 % (Koopman et al. 2016 PNAS "
           "113:8284: -39 % LPS-stimulated TNF; Addorisio 2019: -80 %); note that 30 min of "
           "transvenous VNS around LPS had no significant effect in 10 vs 10 subjects (Kox et "
           "al. 2015 Arthritis Res Ther 17:150)",
           description="vagal efferent drive added per unit VNS intensity", bounds=(1, 1000)),
        # --- beta2 receptor ------------------------------------------------------------------
        _p("K_b2_EPI", _K_B2_EPI, "pg/mL", source=_REST_B2,

           description="epinephrine giving half-maximal beta2 occupancy (no antagonist)",
           bounds=(30, 3000)),
        _p("r_NE_b2", _R_NE_B2, "1",
           source="beta2-adrenergic receptor binds epinephrine with about "
           "30-fold greater affinity than norepinephrine (UniProt P07550 ADRB2_HUMAN, function "
           "annotation) [V-sec]",
           description="affinity of NE at beta2 relative to EPI", bounds=(0.0, 1.0)),
        _p("fu_prop", 0.07, "1",
           source="propranolol 90-95 % protein bound (Shand 1976 Postgrad Med J "
           "52 Suppl 4:22): unbound fraction 0.05-0.10", description="unbound fraction of plasma "
           "propranolol", bounds=(0.03, 0.15)),
        _p("KD_prop_b2", 0.8 * 259.3 / 1000.0, "ng/mL",
           source="KD 0.8 nM at human beta2 (log KD -9.1; "
           "Baker 2005 Br J Pharmacol 144:317 Table 1 [R]) x 259.3 g/mol",
           description="propranolol "
           "dissociation constant at beta2 (free drug)", bounds=(0.02, 2.0)),
        _p("e_prop_CL", 1.0 - 20.0 / 35.0, "1",
           source="beta-blockade lowers E clearance from 35 to "
           "20 mL/kg/min (Best & Halter 1982 JCEM 55:263); NE clearance also falls (Cryer "
           "group 1980 Metabolism), assumed by the same fraction",
           description="maximal fractional fall "
           "of catecholamine clearance under beta-blockade", bounds=(0.0, 1.0)),
        # --- cardiac beta1 (chronotropy) ----------------------------------------------------
        _p("K_b1_EPI", _K_B1_EPI, "pg/mL", source="heart rate rose 58 -> 67 bpm when venous "
           "epinephrine rose 0.49 -> 2.85 nmol/L (50 ng/kg/min for 30 min, 7 young healthy men; "
           "Clin Sci 1988;75(4):389, 'Effect of intravenous infusion of adrenaline on' the "
           "responses to distal body subatmospheric pressure (title as in the stored abstract "
           "page; authors not verified), abstract), on the chronotropic range G_beta_HR and "
           "resting "
           "activation beta1_ref of the fever module: +9 bpm = G_beta_HR x the activation gained "
           "by +432 pg/mL",
           description="epinephrine giving half-maximal cardiac beta1 activation (nerves silent)",
           bounds=(300, 30000)),
        _p("a_b1_N", _A_B1_N, "1", source="chosen so that at rest (EPI 40 pg/mL, nerve index 1) "
           "the cardiac beta1 activation equals the fever module's beta1_ref (the 12-bpm fall of "
           "resting heart rate under propranolol); the nerve index c NE / NE0 is plasma NE "
           "spillover corrected for the propranolol-slowed clearance (1 at rest)",
           description="cardiac beta1 agonist index per unit sympathetic nerve activity",
           bounds=(0.01, 1.0)),
        _p("KD_prop_b1", 0.8 * 8.3 * 259.3 / 1000.0, "ng/mL",
           source="propranolol is 8.3-fold more selective for beta2 than beta1 (Baker 2005 Br J "
           "Pharmacol 144:317 Table 2): KD_prop_b2 0.8 nM x 8.3 = 6.6 nM x 259.3 g/mol",
           description="propranolol dissociation constant at beta1 (free drug)",
           bounds=(0.2, 20.0)),
        # --- beta2 desensitisation -----------------------------------------------------------
        _p("k_b2_des", _K_DES, "1/h", source=_DES, description="maximal beta2 desensitisation rate",
           bounds=(0.01, 1.0)),
        _p("K_b2_des", _K_DES_OCC, "1",
           source=_PROV + "desensitisation needs sustained high agonist "
           "occupancy (it acts on agonist-bound receptors, so propranolol prevents it)",

           description="agonist occupancy giving half-maximal desensitisation rate",
           bounds=(0.1, 0.9)),
        _p("n_b2_des", _N_DES, "1", source=_PROV + "steep, so that resting occupancy desensitises "
           f"little (resting desensitised fraction {_D0:.3f})",
           description="Hill exponent of desensitisation", constant=True),
        _p("k_b2_res", _K_RES, "1/h", source=_DES,
           description="beta2 resensitisation rate", bounds=(0.005, 0.5)),
        # --- NPY / Y1 ------------------------------------------------------------------------
        _p("K_NPY_Y1", _K_NPY_Y1, "pmol/L", source=_PROV + "NPY acts on human immune cells from 1 "
           "pmol/L (NK cells, Nair et al. 1993 PMID 8471799); half-effect placeholder 10-100 "
           "pmol/L (autonomic.md suggested values)",
           description="NPY giving half-maximal Y1 occupancy on "
           "immune cells", bounds=(1, 1000)),
        _p("s_NPY_b2", _S_NPY_B2, "1", source=_PROV + "literature.md 2.13: treat NPY as a co-"
           "transmitter that scales the sympathetic effect; no quantitative human monocyte "
           "data (autonomic.md gap 7)",
           description="maximal relative enhancement of the beta2 effect by "
           "Y1 activation", bounds=(0.0, 10)),
        _p("Ki_Y1_antag", 0.47, "nM",
           source="BIBP3226 Ki 0.47 +- 0.07 nM at human Y1 (Wieland et al. "
           "1995 J Pharmacol Exp Ther 275:143); plasma = free concentration assumed (no human "
           "PK, autonomic.md gap 8)",
           description="Y1 antagonist inhibition constant", bounds=(0.05, 50)),
        # --- alpha7 receptor -----------------------------------------------------------------
        _p("K_a7", _K_A7, "AU",
           source=_REST_A7, description="ACh giving half-maximal alpha7 activation",
           bounds=(0.5, 40)),
    ]
    s = {p.name: p.symbol for p in params}
    EPI, NE, NPY, ACh, D = (sym(x) for x in ("EPI", "NE", "NPY", "ACh", "b2_desens"))
    TNF, stress, vns = sym("TNF"), sym("stress"), sym("vns")
    prop, y1a = sym("propranolol"), sym("Y1_antagonist")

    n = s["n_TNF_ANS"]
    h_sns, h_sns0 = hill_up(TNF, s["K_TNF_SNS"], n), hill_up(s["TNF_ref"], s["K_TNF_SNS"], n)
    h_vag, h_vag0 = hill_up(TNF, s["K_TNF_vagal"], n), hill_up(s["TNF_ref"], s["K_TNF_vagal"], n)

    def rhythm(amp, t_min):  # cosine, relative amplitude amp, trough at t_min, 1 at ANS_ref_clock
        at_ref = 1 - amp * sp.cos(2 * sp.pi * (s["ANS_ref_clock"] - t_min) / s["ANS_circ_period"])
        return (1 - amp * clock_cosine(s["ANS_circ_period"], t_min)) / at_ref

    # the rhythm moves the resting outflow; stress and TNF drives add to it
    adrenal = (rhythm(s["EPI_circ_amp"], s["EPI_circ_min_clock"]) - 1
               + (1 + s["g_stress_EPI"] * stress + s["g_TNF_EPI"] * h_sns)
               / (1 + s["g_TNF_EPI"] * h_sns0))
    nerves = (rhythm(s["NE_circ_amp"], s["NE_circ_min_clock"]) - 1
              + (1 + s["g_stress_NE"] * stress + s["g_TNF_NE"] * h_sns)
              / (1 + s["g_TNF_NE"] * h_sns0))
    vagal = (s["vagal_integrity"] * (1 + s["g_TNF_vagal"] * h_vag + s["g_vns"] * vns)
             / (1 + s["g_TNF_vagal"] * h_vag0))
    x_prop = s["fu_prop"] * prop / s["KD_prop_b2"]
    clearance = 1 - s["e_prop_CL"] * x_prop / (1 + x_prop)
    npy_release = ((1 + s["m_NPY"] * hill_up(nerves, s["K_NPY_rel"], s["n_NPY_rel"]))
                   / (1 + s["m_NPY"] * hill_up(1, s["K_NPY_rel"], s["n_NPY_rel"])))
    x_b1 = s["a_b1_N"] * clearance * NE / s["NE0"] + EPI / s["K_b1_EPI"]
    x_prop_b1 = s["fu_prop"] * prop / s["KD_prop_b1"]
    x_ag = (EPI + s["r_NE_b2"] * NE) / s["K_b2_EPI"]
    occupancy = x_ag / (1 + x_ag + x_prop)
    y_npy = NPY / s["K_NPY_Y1"]
    y1 = y_npy / (1 + y_npy + y1a / s["Ki_Y1_antag"])
    npy_factor = (1 + s["s_NPY_b2"] * y1) / (1 + s["s_NPY_b2"])

    rates = {
        "EPI": s["k_EPI"] * (s["EPI0"] * s["adrenal_medulla"] * adrenal - clearance * EPI),
        "NE": s["k_NE"] * (s["NE0"] * nerves - clearance * NE),
        "NPY": s["k_NPY"] * (s["NPY0"] * npy_release - NPY),
        "ACh": s["k_ACh"] * (s["ACh0"] * vagal - ACh),
        "b2_desens": (s["k_b2_des"] * hill_up(occupancy, s["K_b2_des"], s["n_b2_des"]) * (1 - D)
                      - s["k_b2_res"] * D),
    }
    species = (
        Species("EPI", "pg/mL", EPI_REST, "plasma epinephrine (adrenal medulla)",
                source="Zadik 1980; Best & Halter 1982"),
        Species("NE", "pg/mL", NE_REST, "plasma norepinephrine (sympathetic nerve spillover)",
                source="Zadik 1980; Best & Halter 1982; Ensinger 1992"),
        Species("NPY", "pmol/L", NPY_REST, "plasma neuropeptide Y (co-released with NE under "
                "strong sympathetic drive)", source="Pernow 1986, 1987"),
        Species("ACh", "AU", ACH_REST, "splenic acetylcholine output of the vagal efferent -> "
                "splenic nerve -> ChAT+ T-cell route (1 = rest)"),
        Species("b2_desens", "1", _D0, "desensitised fraction of monocyte beta2-adrenergic "
                "receptors (slow; agonist-driven)"),
    )
    inputs = (
        Input("stress", "1", 0.0, "psychological stress intensity (0 = none)"),
        Input("TNF", "pg/mL", TNF_REST, "plasma TNF-alpha sensed by autonomic centres and vagal "
              "afferents"),
        Input("vns", "1", 0.0, "vagus nerve stimulation intensity (0 = off, 1 = clinical VNS)"),
        Input("propranolol", "ng/mL", 0.0, "total plasma propranolol"),
        Input("Y1_antagonist", "nM", 0.0, "plasma concentration of a Y1 receptor antagonist "
              "(BIBP3226-like)"),
    )
    observables = (
        Observable("beta2_activation", "1", occupancy * (1 - D) * npy_factor,
                   "beta2-adrenergic receptor activation of monocytes (0-1): EPI/NE occupancy "
                   "against propranolol x (1 - desensitisation) x NPY/Y1 factor"),
        Observable("a7_activation", "1", ACh / (ACh + s["K_a7"]),
                   "alpha7-nicotinic receptor activation of macrophages (0-1) by splenic ACh"),
        Observable("cardiac_beta1_activation", "1", x_b1 / (1 + x_b1 + x_prop_b1),
                   "cardiac (sinoatrial) beta1-adrenergic activation (0-1) by sympathetic nerves "
                   "and plasma epinephrine, competitive with propranolol"),
        Observable("cardiac_beta1_availability", "1", (1 + x_b1) / (1 + x_b1 + x_prop_b1),
                   "fraction of the cardiac beta1 response left under propranolol (1 = none)"),
    )
    return Module("autonomic", species, tuple(params), rates, inputs=inputs,
                  observables=observables,
                  description="sympathoadrenal catecholamines, NPY and the vagal "
                              "anti-inflammatory reflex (beta2 and alpha7 activation of monocytes)",
                  citation=f"new module (no published ODE model; {AUTONOMIC_NOTES}); Severn et "
                           "al. 1992 J Immunol 148:3441; Wang et al. 2003 Nature 421:384; "
                           "Rosas-Ballina et al. 2011 Science 334:98")
