"""Biologics: an anti-TNF antibody (infliximab-like) and an IL-6-receptor antibody
(tocilizumab-like), each with one-compartment i.v. pharmacokinetics, acting through the innate and
fever modules' hooks (docs/design/0003):

    TNF_bioactive_fraction  = 1 / (1 + C_antiTNF / K_TNF_neut)
    IL6_signalling_fraction = 1 / (1 + C_antiIL6R / K_IL6R_block)

Antibody binding is fast compared with the hours modelled, so the free TNF is at quasi-equilibrium
with the antibody: the innate module multiplies TNF production and its baseline by the free
fraction (free TNF is what its consumers sense). IL-6-receptor blockade leaves plasma IL-6 free but
removes its actions (on TNF, on its own production, on IL-10 and on the temperature set point);
plasma IL-6 rises under the blockade, as observed clinically, because its autoinhibition goes.
Dose with ``DrugDose("anti_TNF" | "anti_IL6R", "350 mg", time)`` (route "iv" or "infusion").
"""

from __future__ import annotations

import math

from ..core import Input, Module, Observable, Parameter, compose, sym
from .pk import one_compartment_drug

_IFX = ("infliximab: central volume about 3 L, terminal half-life 8-9.5 days (Klotz et al. 2007 "
        "Clin Pharmacokinet 46:645 [R]); 5 mg/kg gives a peak near 120 ug/mL [R]")
_TCZ = ("tocilizumab: central volume about 3.5 L, half-life about 11 days at 8 mg/kg "
        "(concentration-dependent; Actemra prescribing information [R])")


def biologics() -> Module:
    """Anti-TNF and anti-IL-6-receptor antibodies and the fractions of TNF and IL-6 activity
    they leave."""
    pk = (
        one_compartment_drug("anti_TNF", ka=1.0, ke=math.log(2) / (9.0 * 24.0), volume=3.0,
                             bioavailability=1.0, source=_IFX),
        one_compartment_drug("anti_IL6R", ka=1.0, ke=math.log(2) / (11.0 * 24.0), volume=3.5,
                             bioavailability=1.0, source=_TCZ),
    )
    params = (
        Parameter("K_TNF_neut", 0.015, "mg/L", "infliximab binds soluble TNF with a dissociation "
                  "constant of the order of 100 pmol/L (x 149 kDa = 0.015 mg/L) [R]; any "
                  "therapeutic level (>1 mg/L) neutralises > 98 % of TNF",
                  bounds=(0.001, 0.15), description="antibody level neutralising half the TNF"),
        Parameter("K_IL6R_block", 0.1, "mg/L", "provisional: soluble IL-6 receptor is "
                  "saturated and IL-6 signalling (CRP) suppressed at serum tocilizumab >= 1 "
                  "ug/mL (Nishimoto et al. 2008 Blood 112:3959 [R]); half-block placed 10x lower",
                  bounds=(0.01, 1.0), description="antibody level blocking half the IL-6 "
                  "receptor signalling"),
    )
    inputs = (Input("anti_TNF", "mg/L", 0.0, "plasma anti-TNF antibody"),
              Input("anti_IL6R", "mg/L", 0.0, "plasma anti-IL-6-receptor antibody"))
    action = Module(
        "biologic_action", (), params, {}, inputs=inputs,
        observables=(
            Observable("TNF_bioactive_fraction", "1",
                       1 / (1 + sym("anti_TNF") / sym("K_TNF_neut")),
                       "fraction of TNF not neutralised by the anti-TNF antibody"),
            Observable("IL6_signalling_fraction", "1",
                       1 / (1 + sym("anti_IL6R") / sym("K_IL6R_block")),
                       "fraction of IL-6 receptor signalling left by the IL-6R antibody"),
        ))
    return compose(*pk, action, name="biologics")
