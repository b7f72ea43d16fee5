"""Exogenous glucocorticoids: hydrocortisone, dexamethasone and prednisolone (i.v. bolus, infusion
or oral dose with first-order absorption), acting on the HPA feedback and on immune cells through
the hpa module's hooks (docs/design/0003):

    GC_exo      = plasma hydrocortisone (it is cortisol: it binds CBG and albumin like cortisol)
    GC_exo_free = fu_dex * C_dex * RBA_dex + Cu_pred * RBA_pred   (free cortisol equivalent)

RBA_i is the steroid's glucocorticoid-receptor affinity relative to cortisol. ``GC_exo_free_brain``
counts dexamethasone at its brain share ``dex_brain_access`` (P-glycoprotein at the blood-brain
barrier); only ``hpa(brain_barrier=True)`` reads it (docs/design/0027). Hydrocortisone and
dexamethasone have one compartment each; dexamethasone hardly binds CBG, so its free fraction is
about constant. Prednisolone binds CBG (saturable, competing with cortisol) and albumin (linear):
its unbound drug has linear kinetics, so total clearance and volume rise with dose (Rose, Yurchak &
Jusko 1981; docs/design/0019). Cortisol's own binding ignores prednisolone on CBG (one-way
competition, docs/design/0019).

Dose with ``DrugDose("hydrocortisone" | "dexamethasone" | "prednisolone", "20 mg", time,
route="iv" | "oral" | "infusion", duration=...)``. A 70-kg adult is assumed where doses are per kg
(``dose_per_kg``). Simplifications (documented, not hidden): one compartment each (hydrocortisone
distribution is faster than the hours modelled), one oral absorption rate per drug (tablets; liquid
prednisolone is absorbed faster), no prednisone-prednisolone interconversion, no conversion of
cortisol to cortisone, endogenous and infused cortisol keep their own clearances
(Bangsgaard & Ottesen's fitted 29-min cortisol half-life is an effective HPA parameter, not
hydrocortisone pharmacokinetics; docs/sources/brain_and_drugs.md C).
"""

from __future__ import annotations

import math

import sympy as sp

from ..core import Input, Module, Observable, Parameter, Species, compose, sym
from .hpa import PLASMA_VOLUME_ML
from .pk import one_compartment_drug

#: Body weight for doses given per kg (the Janum/Barber/van der Poll subjects were young men).
BODY_WEIGHT_KG = 70.0

_HC = ("hydrocortisone: half-life about 1.5 h (Derendorf et al. 1991 J Clin Pharmacol 31:473 [R]; "
       "76.5 min mean, 40-225 min, in adrenal insufficiency); central volume 7-24 L i.v. and "
       "apparent volume 38.7-52.3 L (compiled PK notes, yers-m hydrocortisone page [V-sec]); "
       "check: 100 mg i.m./s.c. gives 97-110 ug/dL (Hahner et al. 2013 [V-abs]); constant "
       "i.v. cortisol reaches equilibrium in about 3 h (Peterson 1950s [V-abs]); oral F 1.0 "
       "below 20 mg")
_DEX = ("dexamethasone: total plasma clearance 247.5 mL/min (14.85 L/h) in 6 men, terminal "
        "half-life 201.5 min in men (142.3 min in women) after 8 mg i.v. (Tsuei, Moore, Ashley & "
        "McBride 1979 J Pharmacokinet Biopharm, doi:10.1007/BF01060016 [V-abs]); V = CL x t1/2 / "
        "ln 2 = 72 L; oral bioavailability 0.7-0.9, tmax 1-2 h (StatPearls, literature.md 3.9 "
        "[V-abs]; 0.78 in healthy volunteers as cited by Brophy et al. 1983 Eur J Clin Pharmacol "
        "24:103 [V-abs]; tmax 1.6-2.0 h, Eur J Clin Pharmacol 1986 30:225 [V-abs])")
_PRED = ("prednisolone: half-life 2.5-3 h, apparent volume 0.5-0.7 L/kg at therapeutic doses, "
         "oral bioavailability of prednisolone/prednisone 0.8-1.0 (Czock et al. 2005 Clin "
         "Pharmacokinet 44:61 [R]); 98.5 +- 4 % over 5-200 mg ('Dose-dependent prednisolone "
         "kinetics', 43 subjects [V-abs]); 1.055 for plain 10-mg tablets fasting (effect of "
         "food on enteric-coated prednisolone tablets [V-abs])")
_PRED_KA = ("prednisolone 20 mg as 5-mg tablets, 13 fasting healthy volunteers: absorption "
            "half-life 15.7 +- 7 min, i.e. ka = ln 2 / 0.262 h = 2.65 /h (20 +- 11.5 min after "
            "a light breakfast) (Scand J Urol Nephrol Suppl 1981 64:167 [V-abs]); plain 10-mg "
            "tablets peak at 0.98 h fasting (effect of food on enteric-coated prednisolone tablets "
            "[V-abs]); no lag time is reported for plain tablets (a lag only for enteric-coated "
            "ones: Morrison, Bradbrook & Rogers 1977 Br J Clin Pharmacol 4:597 [V-abs])")
_PRED_CLU = ("unbound prednisolone clearance from steady-state infusions in 10 healthy volunteers "
             "(Legler, Frey & Benet 1982 J Clin Endocrinol Metab 55:762 [V-abs]): rate / (fu x "
             "Css) = 5.5 ug/h/kg / (0.12 x 91 ng/mL) = 0.50 and 64 / (0.24 x 437) = 0.61 L/h/kg; "
             "0.55 L/h/kg here; the pharmacokinetics of unbound prednisolone are about "
             "dose-independent (Rose, Yurchak & Jusko 1981 J Pharmacokinet Biopharm 9:389 "
             "[V-abs])")
_PRED_VU = ("CLu x t1/2 / ln 2 with the dose-independent half-life 2.8 h (2.5-3 h, Czock et al. "
            "2005 [R]; 2.2 +- 0.5 h, Goodman & Gilman 12th ed. Table AII-1 [V-sec]; 3.5-3.7 h at "
            "20 and 100 mg, 'Dose-dependent prednisolone kinetics' [V-abs]); gives an apparent "
            "total volume of 0.4-0.6 L/kg at therapeutic doses (0.42 +- 0.11 L/kg, Goodman & "
            "Gilman; 0.5-0.7, Czock)")
_PRED_ALB = ("association constant of the albumin-prednisolone complex 2.26 +- 0.46 x 10^3 /M in "
             "12 healthy volunteers (Frey & Frey, 'Altered plasma protein-binding of prednisolone "
             "in patients with the nephrotic syndrome' [V-abs]; 2.3 x 10^3 /M in 17 patients, J "
             "Lab Clin Med 1981 97:487 [V-abs]) x plasma albumin 600 umol/L (hpa.py albumin_ratio, "
             "Dorin et al. 2009) = 1.36")
_PRED_CBG = ("association constant of the transcortin-prednisolone complex 2.9 x 10^7 /M (CV "
             "127 %, 17 patients on long-term prednisone, J Lab Clin Med 1981 97:487 [V-abs]), "
             "Kd = 34.5 nmol/L; cortisol displaces prednisolone competitively from the same sites "
             "without changing their capacity or affinity (Biochem Pharmacol 1982 31:289 "
             "[V-abs])")
_BINDING_COPY = ("copy of the hpa module's CBG capacity (tied to it when composed, "
                 "docs/design/0006): prednisolone binds the cortisol sites of CBG")
_RBA = ("glucocorticoid-receptor affinity relative to dexamethasone = 100: cortisol 10, "
        "prednisolone 19 (Rohdewald et al. 1987 Biopharm Drug Dispos 8:205 [R]); relative to "
        "cortisol: dexamethasone 10, prednisolone 1.9")

_DEX_BRAIN = ("dexamethasone is extruded from the brain by P-glycoprotein (mdr1a) at the "
              "blood-brain barrier; the pituitary lies outside it: in adrenalectomised mdr1a "
              "(-/-) mice cell nuclear uptake of [3H]-dexamethasone in the paraventricular "
              "nucleus and hippocampus was 10-fold that of wild-type mice, reaching pituitary "
              "levels, while the pituitary was unchanged (Meijer et al. 1998 Endocrinology "
              "139:1789, doi:10.1210/endo.139.4.5917 [V-abs]); cortisol is also a P-glycoprotein "
              "substrate, its brain uptake 3.5-fold in mdr1a (-/-) mice (Karssen et al. 2001 "
              "Endocrinology 142:2686, doi:10.1210/en.142.6.2686 [V-abs]); the model's "
              "hypothalamic feedback a2 is fitted to cortisol, so dexamethasone's brain share "
              "relative to cortisol's is 3.5 / 10 = 0.35; bounds 0.1 (dexamethasone alone "
              "restricted) to 1 (no difference); in situ perfusion confirms P-gp restricts "
              "dexamethasone in the hypothalamus (Mason, Pariante & Thomas 2008 Endocrinology "
              "149:5244 [V-abs]); prednisolone's brain share is not modelled (1)")

#: dexamethasone clearance, L/h (Tsuei et al. 1979, _DEX)
_DEX_CL = 247.5 * 60.0 / 1000.0


def _pk(name, half_life_h, volume_l, ka, f, source):
    return one_compartment_drug(name, ka=ka, ke=math.log(2) / half_life_h, volume=volume_l,
                                bioavailability=f, source=source)


def _prednisolone_unbound(amount_mg):
    """Unbound plasma prednisolone (nmol/L) from the amount in the body (mg): the root of
    A = (V_u + V_p (1 + NP)) Cu + V_p B Cu / (K + Cu), with K the CBG dissociation constant
    raised by cortisol's occupancy of the sites (competition, docs/design/0019)."""
    vu, vp, npr, b, kd, mw = (sym(x) for x in ("prednisolone_Vu", "plasma_volume_pred",
                                               "albumin_ratio_pred", "CBG_capacity_pred",
                                               "Kd_CBG_pred", "pred_molar_per_mass"))
    occupied = sym("CBG_bound_cortisol") / b
    k = kd / (1 - occupied)
    a = vu + vp * (1 + npr)
    amount = amount_mg * mw  # nmol
    lin = a * k + vp * b - amount
    root = sp.sqrt(lin**2 + 4 * a * amount * k)
    # both forms of the quadratic's positive root, each free of cancellation on its side
    cu = sp.Piecewise((2 * amount * k / (root + lin), lin >= 0), ((root - lin) / (2 * a), True))
    total = cu * (1 + npr) + b * cu / (k + cu)
    return cu, total


def _prednisolone_pk():
    """Prednisolone with saturable plasma binding (Rose, Yurchak & Jusko 1981 J Pharmacokinet
    Biopharm 9:389 design): linear kinetics of the unbound drug, total plasma concentration from
    binding to CBG (saturable, shared with cortisol) and albumin (linear)."""
    gut, body = sym("prednisolone_gut"), sym("prednisolone_central")
    cu, total = _prednisolone_unbound(body)
    mw = sym("pred_molar_per_mass")
    params = (
        Parameter("prednisolone_ka", 2.65, "1/h", _PRED_KA, bounds=(1.0, 5.0),
                  description="oral absorption rate (plain tablets, fasting)"),
        Parameter("prednisolone_F", 0.9, "1", _PRED, bounds=(0.0, 1.0),
                  description="oral bioavailability"),
        Parameter("prednisolone_CLu", 0.55 * BODY_WEIGHT_KG, "L/h", _PRED_CLU,
                  bounds=(0.4 * BODY_WEIGHT_KG, 0.7 * BODY_WEIGHT_KG),
                  description="clearance of unbound prednisolone"),
        Parameter("prednisolone_Vu", 0.55 * BODY_WEIGHT_KG * 2.8 / math.log(2), "L", _PRED_VU,
                  bounds=(80.0, 250.0), description="volume of distribution outside plasma, "
                  "referred to the unbound concentration"),
        Parameter("plasma_volume_pred", PLASMA_VOLUME_ML / 1000.0, "L", "about 40 mL/kg in a "
                  "70-kg man: blood 70 mL/kg x (1 - haematocrit 0.43) (Nadler, Hidalgo & Bloch "
                  "1962 Surgery 51:224; hpa.PLASMA_VOLUME_ML)", bounds=(2.3, 3.5),
                  description="plasma volume"),
        Parameter("albumin_ratio_pred", 2.26e3 * 600e-6, "1", _PRED_ALB, bounds=(0.8, 3.0),
                  description="albumin-bound / unbound prednisolone"),
        Parameter("Kd_CBG_pred", 1e9 / 2.9e7, "nmol/L", _PRED_CBG, bounds=(10.0, 100.0),
                  description="prednisolone dissociation constant of CBG"),
        Parameter("CBG_capacity_pred", 700.0, "nmol/L", _BINDING_COPY, tie="CBG_capacity",
                  bounds=(400.0, 1200.0), description="binding capacity of CBG (copy)"),
        Parameter("pred_molar_per_mass", 1e6 / 360.44, "nmol/L/(mg/L)", "molar mass of "
                  "prednisolone 360.44 g/mol (PubChem CID 5755)", constant=True,
                  description="prednisolone nmol/L per mg/L"),
    )
    species = (
        Species("prednisolone_gut", "mg", 0.0, "prednisolone in the gut (oral doses)"),
        Species("prednisolone_central", "mg", 0.0, "prednisolone in the body (plasma, bound "
                "and unbound, and tissues)"),
    )
    ka, f, clu = sym("prednisolone_ka"), sym("prednisolone_F"), sym("prednisolone_CLu")
    rates = {"prednisolone_gut": -ka * gut,
             "prednisolone_central": f * ka * gut - clu * cu / mw}
    obs = (
        Observable("prednisolone", "mg/L", total / mw, "total plasma prednisolone (unbound, "
                   "CBG- and albumin-bound)"),
        Observable("prednisolone_unbound", "mg/L", cu / mw, "unbound plasma prednisolone"),
        Observable("prednisolone_unbound_molar", "nmol/L", cu, "unbound plasma prednisolone"),
        Observable("prednisolone_CBG_bound", "mg/L",
                   (total - cu * (1 + sym("albumin_ratio_pred"))) / mw,
                   "prednisolone bound to corticosteroid-binding globulin"),
    )
    inputs = (Input("CBG_bound_cortisol", "nmol/L", 0.0, "cortisol on CBG (hpa module): the "
                    "sites it holds are not free for prednisolone"),)
    return Module("pk_prednisolone", species, params, rates, inputs=inputs, observables=obs,
                  description="prednisolone pharmacokinetics with saturable plasma binding",
                  citation=_PRED_CLU)


def dose_per_kg(amount_per_kg_ug: float, weight_kg: float = BODY_WEIGHT_KG) -> str:
    """A per-kg dose (ug/kg) as an absolute amount string for DrugDose (mg)."""
    return f"{amount_per_kg_ug * weight_kg / 1000.0:g} mg"


def glucocorticoids() -> Module:
    """Hydrocortisone, dexamethasone and prednisolone pharmacokinetics and their glucocorticoid
    action (observables GC_exo and GC_exo_free for the hpa module)."""
    pk = (
        _pk("hydrocortisone", 1.5, 40.0, 1.5, 1.0, _HC),
        _pk("dexamethasone", 201.5 / 60.0, _DEX_CL * 201.5 / 60.0 / math.log(2), 1.5, 0.8,
            _DEX),
        _prednisolone_pk(),
    )
    params = (
        Parameter("fu_dex", 0.23, "1", "dexamethasone about 77 % bound to plasma albumin, "
                  "little to CBG (Czock et al. 2005 [R])", bounds=(0.1, 0.4),
                  description="unbound fraction of plasma dexamethasone"),
        Parameter("RBA_dex", 10.0, "1", _RBA, bounds=(5.0, 30.0),
                  description="GR affinity of dexamethasone relative to cortisol"),
        Parameter("dex_brain_access", 0.35, "1", _DEX_BRAIN, bounds=(0.1, 1.0),
                  description="share of plasma dexamethasone's GR action that reaches the "
                              "hypothalamus behind the blood-brain barrier, relative to "
                              "cortisol's"),
        Parameter("RBA_pred", 1.9, "1", _RBA, bounds=(1.0, 5.0),
                  description="GR affinity of prednisolone relative to cortisol"),
        Parameter("dex_molar_per_mass", 1e6 / 392.46, "nmol/L/(mg/L)", "molar mass of "
                  "dexamethasone 392.46 g/mol (PubChem CID 5743)", constant=True,
                  description="dexamethasone nmol/L per mg/L"),
        Parameter("ugdL_per_mgL", 100.0, "ug/dL/(mg/L)", "unit conversion", constant=True,
                  description="ug/dL per mg/L"),
    )
    inputs = (
        Input("hydrocortisone", "mg/L", 0.0, "plasma hydrocortisone"),
        Input("dexamethasone", "mg/L", 0.0, "plasma dexamethasone"),
        Input("prednisolone_unbound_molar", "nmol/L", 0.0, "unbound plasma prednisolone"),
    )
    dex, pred = sym("dexamethasone"), sym("prednisolone_unbound_molar")
    dex_free_equiv = sym("fu_dex") * sym("RBA_dex") * sym("dex_molar_per_mass") * dex
    free_equiv = dex_free_equiv + sym("RBA_pred") * pred
    free_equiv_brain = sym("dex_brain_access") * dex_free_equiv + sym("RBA_pred") * pred
    action = Module(
        "glucocorticoid_action", (), params, {}, inputs=inputs,
        observables=(
            Observable("GC_exo", "ug/dL", sym("ugdL_per_mgL") * sym("hydrocortisone"),
                       "plasma hydrocortisone "
                       "(exogenous cortisol) for the hpa module"),
            Observable("GC_exo_free", "nmol/L", free_equiv, "free cortisol equivalent of "
                       "synthetic glucocorticoids at the glucocorticoid receptor"),
            Observable("GC_exo_free_brain", "nmol/L", free_equiv_brain, "free cortisol "
                       "equivalent of synthetic glucocorticoids at the glucocorticoid receptor "
                       "behind the blood-brain barrier (hypothalamus): dexamethasone at its "
                       "brain share"),
        ))
    return compose(*pk, action, name="glucocorticoids")
