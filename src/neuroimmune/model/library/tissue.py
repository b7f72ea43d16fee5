"""Tissue damage and repair, a replicating pathogen and tissue injury, coupled to the innate and
HPA modules (module ``tissue``).

Structure after Reynolds et al. 2006 (J Theor Biol 242:220; the ``damage`` module), but
the phagocytes, cytokines and anti-inflammatory mediators are those of the standard model: the
pathogen and the damaged tissue shed pathogen- and damage-associated molecular patterns (PAMPs,
DAMPs) that the innate module sees as LPS-equivalent endotoxin (its input ``PAMP``, added to LPS in
monocyte activation, docs/design/0003); activated monocytes/macrophages (MA below: the innate
module's species ``monocytes_activated``) kill the pathogen and, above a threshold, damage tissue
(Reynolds' f_s(N*) sigmoid); a pro-resolving (M2-like) repair macrophage population, driven by
IL-10, TGF-beta and the damage itself and held back by persistent inflammation, repairs the tissue;
glucocorticoid excess slows that repair (wound-healing delay). No published, parameterised model
couples these to the human endotoxemia model, so the numbers are Reynolds' where his variables map
onto ours and provisional elsewhere (docs/sources/tissue.md). Time in hours.

Equations (B = bacteria, D = tissue_damage, R = repair_macrophages; up(x; K, n) = x^n/(x^n+K^n),
dn = 1 - up)::

    dB/dt = k_B B (1 - B/B_max) - q_local B / (1 + B/B_sat) - k_kill MA B
    dD/dt = k_dmg up(MA; MA_dmg, 6) + k_dmg_B up(B; B_dmg, 1) + injury
            - (mu_D + k_rep R g_GC) D
    dR/dt = k_R (S_R dn(MA; K_MA_R, 1) - R)
    S_R   = (1 + s_IL10_R up(IL10; K_IL10_R, 1) + s_TGF_R up(TGFb; K_TGF_R, 1)
               + s_D_R up(D; K_D_R, 1))
            / (1 + s_IL10_R up(IL10_ref; K_IL10_R, 1) + s_TGF_R up(TGFb_ref; K_TGF_R, 1))
    g_GC  = dn(glucocorticoid; K_GC_rep, 2) / dn(GC_ref; K_GC_rep, 2)
    PAMP  = r_PAMP_B B + r_DAMP D                                (observable, ng/kg LPS-equivalent)

At rest B = 0 and D = 0, so PAMP = 0 and the innate module is untouched: composing this module is
neutral until an infection (``Bolus("bacteria", ...)``) or an injury (``Bolus("tissue_damage",
...)`` or ``SignalStep("injury", start, duration, rate)``) happens. R = 1 at rest when IL-10
and TGF-beta are at their reference levels and MA = 0 (it follows the circadian glucocorticoid
only through g_GC, which acts on repair, not on R).

Outcomes in the coupled model (standard model + tissue, pre-equilibrated, event at 08:00;
tests/test_tissue.py, docs/sources/tissue.md E):

* resolution: ``Bolus("bacteria", 1.0)`` (Reynolds' P0) with k_B = 0.3 /h: the PAMPs give an
  LPS-like response (TNF peak about 270 pg/mL, fever 38.4 C), the activated monocytes clear the
  pathogen within a day, damage peaks at about 2 AU and is repaired within 10 days;
* persistent infection: the same inoculum with k_B = 0.6 /h (Reynolds' septic growth rate), or
  an inoculum of 8 Mcell/mL or more: the monocyte burst does not clear the pathogen before the
  innate module's monocyte pool is exhausted (it regrows at 0.006 /h); the pathogen stays near
  its carrying capacity and damages tissue directly (about 10 AU), cytokines return near
  baseline (immunoparalysis);
* persistent sterile damage (aseptic): a sterile injury of 8-30 AU; its DAMPs keep about 12
  activated monocytes, above the damage threshold (6), so damage settles at about 19 AU with TNF
  about twice its baseline, a steady state. Injuries up to 7 AU are repaired; injuries of 40 AU
  or more ignite the innate TNF loop, exhaust the monocyte pool and are then repaired (a
  non-monotonic dose response inherited from the innate module's monocyte pool). Unlike
  Reynolds' model, a large inoculum does not leave aseptic damage here: its monocyte burst
  leaves too few monocytes to sustain the DAMP loop.

Glucocorticoid excess (hydrocortisone held at 40 ug/dL through the hpa module's ``GC_exo``)
slows repair of a 6-AU injury (damage on day 3: 2.4 vs 1.4 AU) although it also suppresses the
monocytes; an IL-10 infusion (plasma IL-10 about 100 pg/mL) speeds it (0.8 vs 1.4 AU on day 3)
and, given on days 10-15, resolves the persistent sterile damage.
"""

from __future__ import annotations

import sympy as sp

from ..core import Input, Module, Observable, Species, hill_down, hill_up, sym
from ._common import library_parameter
from .innate import CORTISOL_REF, IL10_REST
from .innate_extra import TGFB_REST

REYNOLDS_2006 = ("Reynolds A, Rubin J, Clermont G, Day J, Vodovotz Y, Ermentrout GB. J Theor Biol "
                 "2006;242:220-236 (BioModels BIOMD0000000714, HealthyOutcome set)")
TISSUE_NOTES = "docs/sources/tissue.md"
_PROV = "provisional: "
_CONCEPT = " (conceptual, as Reynolds 2006; to be calibrated, issue #4)"
#: Resting references of the inputs (the repair drive equals 1 there) are owned by the innate
#: (IL10_REST = w10, CORTISOL_REF = cortisol_ref) and innate_extra (TGFB_REST = TGFb0) modules;
#: IL10_ref, TGFb_ref and GC_ref are tied to those parameters when composed (docs/design/0006).
#: Reynolds' damage sigmoid exponent (integer literal, see damage.py _N_DN).
_N_DMG = sp.Integer(6)
_N_GC = sp.Integer(2)


_p = library_parameter(fraction_bounds=False)


def tissue() -> Module:
    """Replicating pathogen, tissue damage (inflammatory and traumatic) and its repair by
    pro-resolving macrophages, exchanging PAMP/DAMP, MA, IL-10, TGF-beta and glucocorticoid with
    the standard model."""
    params = [
        # --- pathogen -----------------------------------------------------------------------
        _p("k_B", 0.3, "1/h", source="Reynolds 2006 k_pg (pathogen growth rate; 0.6 /h gives his "
           "septic outcome)", description="pathogen growth rate", bounds=(0.01, 3.0)),
        _p("B_max", 20.0, "Mcell/mL", source="Reynolds 2006 p_inf",
           description="pathogen carrying capacity"),
        _p("q_local", 1.5, "1/h", source="Reynolds 2006: k_pm s_m / mu_m = 0.6 x 0.005 / 0.002 [D] "
           "(non-specific local response at low load)",
           description="maximal per-capita pathogen clearance by the local non-specific response"),
        _p("B_sat", 0.2, "Mcell/mL",
           source="Reynolds 2006: mu_m / k_mp = 0.002 / 0.01 [D] (the local "
           "response is exhausted by pathogen)",
           description="pathogen load halving the local clearance "
           "rate"),
        _p("k_kill", 3e-4, "1/cell/h", source=_PROV + "Reynolds' k_pn = 1.8 /AU/h with 1 AU of N* "
           "taken as 6000 activated monocytes of the innate module (its MA peaks at about 2400 "
           "after 2 ng/kg LPS, 3300 after the 1 Mcell/mL inoculum): killing is then strong "
           "enough to clear a pathogen growing at 0.3 /h but not one growing at 0.6 /h, "
           "Reynolds' healthy and septic growth rates" + _CONCEPT,
           description="pathogen killing per activated monocyte"),
        _p("r_PAMP_B", 1.0, "ng/kg/(Mcell/mL)", source=_PROV + "LPS-equivalent PAMP load per unit "
           "pathogen load: 1 Mcell/mL (Reynolds' inoculum) acts like about 1 ng/kg of "
           "circulating endotoxin, i.e. half the Janum/Windoloski bolus" + _CONCEPT,
           description="PAMP shed per unit pathogen load (LPS-equivalent)"),
        # --- damage -------------------------------------------------------------------------
        _p("k_dmg", 0.35, "AU/h", source="Reynolds 2006 k_dn",
           description="maximal rate of inflammatory tissue "
           "damage by activated monocytes"),
        _p("MA_dmg", 6.0, "cell", source=_PROV + "activated monocytes giving half-maximal damage "
           "(Reynolds' x_dn threshold, exponent 6): low enough that the few activated cells the "
           "innate module can sustain (its monocyte pool regrows at 0.006 /h) keep a large "
           "damage self-sustaining via DAMPs" + _CONCEPT,
           description="activated monocytes giving half-maximal inflammatory damage"),
        _p("k_dmg_B", 0.3, "AU/h",
           source=_PROV + "direct damage by the pathogen (toxins, invasion), "
           "so that an uncontrolled infection damages tissue even after the monocyte pool is "
           "exhausted (Reynolds' septic outcome has high D)" + _CONCEPT,
           description="maximal rate of tissue damage by the pathogen itself"),
        _p("B_dmg", 1.0, "Mcell/mL", source=_PROV + "pathogen load giving half-maximal direct "
           "damage" + _CONCEPT, description="pathogen load giving half-maximal direct damage"),
        _p("mu_D", 0.005, "1/h", source=_PROV + "repair independent of macrophages; with k_rep the "
           "resting repair rate is Reynolds' mu_d = 0.02 /h" + _CONCEPT,
           description="basal (macrophage-independent) tissue repair rate"),
        _p("k_rep", 0.015, "1/h",
           source=_PROV + "repair by pro-resolving macrophages at their resting "
           "level; mu_D + k_rep = Reynolds' mu_d = 0.02 /h (damage half-life 35 h)" + _CONCEPT,
           description="tissue repair rate per unit repair-macrophage activity"),
        _p("r_DAMP", 0.01, "ng/kg/AU",
           source=_PROV + "LPS-equivalent DAMP release per unit damage: "
           "chosen so that 2 ng/kg LPS (damage about 1.5 AU) resolves while a sterile damage "
           "of 8-30 AU sustains itself at about 19 AU (Reynolds' aseptic outcome); the DAMPs "
           "then keep about 12 activated monocytes, below the innate module's TNF ignition"
           + _CONCEPT,
           description="DAMP released per unit tissue damage (LPS-equivalent)"),
        # --- repair macrophages -------------------------------------------------------------
        _p("k_R", 0.03, "1/h",
           source=_PROV + "pro-resolving macrophages accumulate over days (wound "
           "macrophages peak on days 2-5 of the inflammatory phase, docs/sources/tissue.md C): "
           "time constant 33 h" + _CONCEPT,
           description="turnover rate of the repair-macrophage activity"),
        _p("s_D_R", 2.0, "1",
           source=_PROV + "damage (efferocytosis of dead cells and debris) recruits "
           "and reprograms macrophages to a pro-resolving phenotype; up to x3 the resting "
           "repair activity" + _CONCEPT,
           description="maximal repair-macrophage drive added by damage"),
        _p("K_D_R", 5.0, "AU", source=_PROV + "damage giving half the damage-driven recruitment"
           + _CONCEPT, description="damage giving half-maximal recruitment of repair macrophages"),
        _p("s_IL10_R", 2.0, "1",
           source=_PROV + "IL-10 (with IL-4/IL-13) polarises macrophages to the "
           "M2 phenotype (docs/sources/tissue.md C)" + _CONCEPT,
           description="maximal repair-macrophage drive added by IL-10"),
        _p("K_IL10_R", 30.0, "pg/mL",
           source=_PROV + "about the IL-10 peak of a 2 ng/kg LPS challenge "
           "(40-75 pg/mL), so the resting level gives a small drive" + _CONCEPT,
           description="IL-10 giving half-maximal drive of repair macrophages"),
        _p("IL10_ref", IL10_REST, "pg/mL",
           source="baseline of the innate module (Windoloski et al. "
           "2024 optimised w10); the drive is normalised there (docs/design/0002)",

           description="IL-10 at which the repair drive equals its resting value", bounds=(1, 20),
           tie="w10"),
        _p("s_TGF_R", 1.0, "1", source=_PROV + "TGF-beta drives the repair (M2c) phenotype and "
           "fibroblast repair" + _CONCEPT,
           description="maximal repair-macrophage drive added by TGF-beta"),
        _p("K_TGF_R", TGFB_REST, "pg/mL", source=_PROV + "half effect at the resting active plasma "
           "TGF-beta1" + _CONCEPT,
           description="TGF-beta giving half-maximal drive of repair macrophages",
           bounds=(1.0, 100.0)),
        _p("TGFb_ref", TGFB_REST, "pg/mL", source="active TGF-beta1 in healthy controls 3-16 pg/mL "
           "(total 1.0 +- 0.6 ng/mL) with ex-vivo platelet release prevented (Transl Res "
           "2018;192:15, PMID 29175264) [V-abs]; midpoint, as the innate_extra module's TGFb0; "
           "tied to the innate_extra module's TGFb0 when composed (docs/design/0006)",

           description="TGF-beta at which the repair drive equals its resting value",
           bounds=(3.0, 16.0),
           tie="TGFb0"),
        _p("K_MA_R", 10.0, "cell", source=_PROV + "persistent inflammation (activated monocytes) "
           "delays the switch to pro-resolving macrophages; half at 10 activated cells, so "
           "the low-grade activation of chronic damage halves it and an LPS-sized burst "
           "abolishes it for hours" + _CONCEPT,
           description="activated monocytes halving the repair-macrophage drive"),
        # --- glucocorticoid -----------------------------------------------------------------
        _p("K_GC_rep", 40.0, "ug/dL",
           source=_PROV + "glucocorticoids delay wound healing (fibroblast "
           "proliferation, collagen synthesis; Anstead 1998 Adv Wound Care 11:277); half "
           "inhibition at hydrocortisone-infusion levels, so that a sustained cortisol of "
           "20 ug/dL slows repair by about 17 % (caregiver stress: punch-biopsy healing 24 % "
           "slower, 48.7 vs 39.3 days, Kiecolt-Glaser et al. 1995 Lancet 346:1194)" + _CONCEPT,

           description="glucocorticoid giving half-maximal inhibition of tissue repair",
           bounds=(5, 400)),
        _p("GC_ref", CORTISOL_REF, "ug/dL",
           source="08:00 cortisol of the HPA module (as the innate "
           "module's cortisol_ref): the repair factor equals 1 there (docs/design/0002)",
           description="glucocorticoid level at which the repair factor equals 1", bounds=(1, 25),
           tie="cortisol_ref"),
    ]
    s = {p.name: p.symbol for p in params}
    B, D, R = sym("bacteria"), sym("tissue_damage"), sym("repair_macrophages")
    MA, IL10, TGFb, GC, injury = (sym(x) for x in ("monocytes_activated", "IL10", "TGFb",
                                                    "glucocorticoid", "injury"))

    def drive(il10, tgfb, d):
        return (1 + s["s_IL10_R"] * hill_up(il10, s["K_IL10_R"], 1)
                + s["s_TGF_R"] * hill_up(tgfb, s["K_TGF_R"], 1)
                + s["s_D_R"] * hill_up(d, s["K_D_R"], 1))

    s_r = (drive(IL10, TGFb, D) / drive(s["IL10_ref"], s["TGFb_ref"], 0)
           * hill_down(MA, s["K_MA_R"], 1))
    g_gc = hill_down(GC, s["K_GC_rep"], _N_GC) / hill_down(s["GC_ref"], s["K_GC_rep"], _N_GC)
    rates = {
        "bacteria": (s["k_B"] * B * (1 - B / s["B_max"])
                     - s["q_local"] * B / (1 + B / s["B_sat"]) - s["k_kill"] * MA * B),
        "tissue_damage": (s["k_dmg"] * hill_up(MA, s["MA_dmg"], _N_DMG)
                          + s["k_dmg_B"] * hill_up(B, s["B_dmg"], 1) + injury
                          - (s["mu_D"] + s["k_rep"] * R * g_gc) * D),
        "repair_macrophages": s["k_R"] * (s_r - R),
    }
    species = (
        Species("bacteria", "Mcell/mL", 0.0, "replicating pathogen load at the site of "
                "infection (10^6 cells per mL, as Reynolds 2006); 0 = no infection",
                source=REYNOLDS_2006),
        Species("tissue_damage", "AU", 0.0, "tissue damage (model units as Reynolds' D; 0 = "
                "intact tissue): caused by activated monocytes, the pathogen and injury, "
                "repaired by pro-resolving macrophages", source=REYNOLDS_2006),
        Species("repair_macrophages", "1", 1.0, "pro-resolving (M2-like) repair macrophage "
                "activity relative to rest (1 = resting tissue-resident level)",
                source=TISSUE_NOTES),
    )
    inputs = (
        Input("monocytes_activated", "cell", 0.0, "activated monocytes/macrophages (innate "
              "module)"),
        Input("IL10", "pg/mL", IL10_REST, "IL-10 driving pro-resolving macrophages"),
        Input("TGFb", "pg/mL", TGFB_REST, "plasma active TGF-beta1 driving repair"),
        Input("glucocorticoid", "ug/dL", CORTISOL_REF, "cortisol-equivalent glucocorticoid "
              "(endogenous cortisol + exogenous) slowing tissue repair"),
        Input("injury", "AU/h", 0.0, "rate of traumatic/sterile tissue injury (0 = none; "
              "driven by a Stressor)"),
    )
    observables = (
        Observable("PAMP", "ng/kg", s["r_PAMP_B"] * B + s["r_DAMP"] * D,
                   "pathogen- and damage-associated molecular patterns, as LPS-equivalent "
                   "endotoxin seen by monocytes (innate module input PAMP)"),
    )
    return Module("tissue", species, tuple(params), rates, inputs=inputs,
                  observables=observables,
                  description="replicating pathogen, tissue damage and repair by pro-resolving "
                              "macrophages (PAMP/DAMP feedback on the innate module)",
                  citation=f"new module after Reynolds et al. 2006 J Theor Biol 242:220 "
                           f"({TISSUE_NOTES})")
