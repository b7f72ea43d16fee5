"""Exogenous glucocorticoids: hydrocortisone, dexamethasone and prednisolone, each with
one-compartment pharmacokinetics (i.v. bolus, infusion or oral dose with first-order
absorption), acting on the HPA feedback and on immune cells through the hpa module's hooks
(docs/design/0003):

    GC_exo      = plasma hydrocortisone (it is cortisol: it binds CBG and albumin like cortisol)
    GC_exo_free = sum over synthetic steroids of fu_i * C_i * RBA_i   (free cortisol equivalent)

RBA_i is the steroid's glucocorticoid-receptor affinity relative to cortisol and fu_i its unbound
plasma fraction; dexamethasone hardly binds CBG, so its free fraction is roughly constant. The hpa
module adds GC_exo to cortisol before plasma binding, adds GC_exo_free to the free level, and hands
the total-cortisol equivalent (``glucocorticoid``) to the feedback terms and to monocytes.

Dose with ``DrugDose("hydrocortisone" | "dexamethasone" | "prednisolone", "20 mg", time,
route="iv" | "oral" | "infusion", duration=...)``. A 70-kg adult is assumed where doses are per kg
(``dose_per_kg``). Simplifications (documented, not hidden): one compartment each (hydrocortisone
distribution is faster than the hours modelled), dose-independent prednisolone binding (in reality
its free fraction rises with dose), no conversion of cortisol to cortisone, endogenous and infused
cortisol keep their own clearances (Bangsgaard & Ottesen's fitted 29-min cortisol half-life is an
effective HPA parameter, not hydrocortisone pharmacokinetics; docs/sources/brain_and_drugs.md C).
"""

from __future__ import annotations

import math

from ..core import Input, Module, Observable, Parameter, compose, sym
from .pk import one_compartment_drug

#: Body weight for doses given per kg (the Janum/Barber/van der Poll subjects were young men).
BODY_WEIGHT_KG = 70.0

_HC = ("hydrocortisone: half-life about 1.5 h (Derendorf et al. 1991 J Clin Pharmacol 31:473 [R]; "
       "76.5 min mean, 40-225 min, in adrenal insufficiency); central volume 7-24 L i.v. and "
       "apparent volume 38.7-52.3 L (compiled PK notes, yers-m hydrocortisone page [V-sec]); "
       "check: 100 mg i.m./s.c. gives 97-110 ug/dL (Hahner et al. 2013 [V-abs]); constant "
       "i.v. cortisol reaches equilibrium in about 3 h (Peterson 1950s [V-abs]); oral F 1.0 "
       "below 20 mg")
_DEX = ("dexamethasone: oral bioavailability 0.7-0.9, tmax 1-2 h, plasma half-life 4-5 h "
        "(StatPearls, literature.md 3.9 [V-abs]); volume about 0.8 L/kg (Czock et al. 2005 Clin "
        "Pharmacokinet 44:61 [R])")
_PRED = ("prednisolone: half-life 2.5-3 h, apparent volume 0.5-0.7 L/kg at therapeutic doses, "
         "oral bioavailability of prednisolone/prednisone 0.8-1.0 (Czock et al. 2005 Clin "
         "Pharmacokinet 44:61 [R])")
_RBA = ("glucocorticoid-receptor affinity relative to dexamethasone = 100: cortisol 10, "
        "prednisolone 19 (Rohdewald et al. 1987 Biopharm Drug Dispos 8:205 [R]); relative to "
        "cortisol: dexamethasone 10, prednisolone 1.9")


def _pk(name, half_life_h, volume_l, ka, f, source):
    return one_compartment_drug(name, ka=ka, ke=math.log(2) / half_life_h, volume=volume_l,
                                bioavailability=f, source=source)


def dose_per_kg(amount_per_kg_ug: float, weight_kg: float = BODY_WEIGHT_KG) -> str:
    """A per-kg dose (ug/kg) as an absolute amount string for DrugDose (mg)."""
    return f"{amount_per_kg_ug * weight_kg / 1000.0:g} mg"


def glucocorticoids() -> Module:
    """Hydrocortisone, dexamethasone and prednisolone pharmacokinetics and their glucocorticoid
    action (observables GC_exo and GC_exo_free for the hpa module)."""
    pk = (
        _pk("hydrocortisone", 1.5, 40.0, 1.5, 1.0, _HC),
        _pk("dexamethasone", 4.0, 0.8 * BODY_WEIGHT_KG, 1.5, 0.8, _DEX),
        _pk("prednisolone", 2.8, 0.6 * BODY_WEIGHT_KG, 2.0, 0.9, _PRED),
    )
    params = (
        Parameter("fu_dex", 0.23, "1", "dexamethasone about 77 % bound to plasma albumin, "
                  "little to CBG (Czock et al. 2005 [R])", bounds=(0.1, 0.4),
                  description="unbound fraction of plasma dexamethasone"),
        Parameter("fu_pred", 0.25, "1", "prednisolone binds CBG and albumin non-linearly: "
                  "unbound 0.1-0.4 over therapeutic concentrations (Czock et al. 2005 [R]); "
                  "a mid value, dose-independent here", bounds=(0.05, 0.5),
                  description="unbound fraction of plasma prednisolone"),
        Parameter("RBA_dex", 10.0, "1", _RBA, bounds=(5.0, 30.0),
                  description="GR affinity of dexamethasone relative to cortisol"),
        Parameter("RBA_pred", 1.9, "1", _RBA, bounds=(1.0, 5.0),
                  description="GR affinity of prednisolone relative to cortisol"),
        Parameter("dex_molar_per_mass", 1e6 / 392.46, "nmol/L/(mg/L)", "molar mass of "
                  "dexamethasone 392.46 g/mol (PubChem CID 5743)", constant=True,
                  description="dexamethasone nmol/L per mg/L"),
        Parameter("pred_molar_per_mass", 1e6 / 360.44, "nmol/L/(mg/L)", "molar mass of "
                  "prednisolone 360.44 g/mol (PubChem CID 5755)", constant=True,
                  description="prednisolone nmol/L per mg/L"),
        Parameter("ugdL_per_mgL", 100.0, "ug/dL/(mg/L)", "unit conversion", constant=True,
                  description="ug/dL per mg/L"),
    )
    inputs = (
        Input("hydrocortisone", "mg/L", 0.0, "plasma hydrocortisone"),
        Input("dexamethasone", "mg/L", 0.0, "plasma dexamethasone"),
        Input("prednisolone", "mg/L", 0.0, "plasma prednisolone"),
    )
    dex, pred = sym("dexamethasone"), sym("prednisolone")
    free_equiv = (sym("fu_dex") * sym("RBA_dex") * sym("dex_molar_per_mass") * dex
                  + sym("fu_pred") * sym("RBA_pred") * sym("pred_molar_per_mass") * pred)
    action = Module(
        "glucocorticoid_action", (), params, {}, inputs=inputs,
        observables=(
            Observable("GC_exo", "ug/dL", sym("ugdL_per_mgL") * sym("hydrocortisone"),
                       "plasma hydrocortisone "
                       "(exogenous cortisol) for the hpa module"),
            Observable("GC_exo_free", "nmol/L", free_equiv, "free cortisol equivalent of "
                       "synthetic glucocorticoids at the glucocorticoid receptor"),
        ))
    return compose(*pk, action, name="glucocorticoids")
