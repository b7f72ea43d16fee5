"""Glucocorticoid action on monocytes for the innate module (issue #17; docs/design/
0016-glucocorticoid-immune-arm.md).

Monocytes respond to *free* glucocorticoid (CBG- and albumin-bound cortisol excluded), through
the glucocorticoid receptor (GR), with a genomic delay::

    F      = free(glucocorticoid)                     free cortisol equivalent (nmol/L), from the
                                                      cortisol-equivalent input by the hpa
                                                      module's binding law (cortisol plus drugs)
    F_ref  = free(cortisol_ref)                       the same at the reference cortisol
    dGR_genomic/dt = k_GC_genomic (F GR_sensitivity / monocyte_GC_resistance / F_ref
                                   - GR_genomic)        (1 at rest in a healthy subject)
    S      = GR_genomic F_ref                         the free level the cells' genes respond to
    g_x    = (1 + F_ref / IC_GC_x) / (1 + S / IC_GC_x)  x = act, TNF, IL6, IL8, COX2 (1 at rest)
    h_GC10 = (1 + s_GC_IL10 up(S; K_GC_IL10, 1)) / (1 + s_GC_IL10 up(F_ref; K_GC_IL10, 1))

``free()`` is the mass-action CBG/albumin binding of the hpa module (same quadratic, its
constants tied to the hpa module's when composed, docs/design/0006), so for a synthetic steroid
the input -- the total cortisol giving the same free level -- maps back to the steroid's free
cortisol equivalent. The GR signal is relative to the reference so that the module rests at
1 wherever the owner's ``cortisol_ref`` lies. Each inhibition is hyperbolic (one binding site),
with its half-effect in free cortisol measured in LPS-stimulated human monocytes (serum-poor
culture: the added cortisol is free). IL-10 from activated monocytes is not inhibited (Visser
1998); instead GR *raises* constitutive IL-10 production: ``h_GC10`` multiplies the
published floor w10 (Mozo 2004; size from the plasma IL-10 rise after 100 mg
hydrocortisone i.v., Dandona 1999; docs/design/0034-gc-il10.md). ``h_GC10`` also raises the
activation-independent LPS route of innate.py, which is off by default (``k10_LPS`` = 0: no
measured size). ``g_COX2`` is the share of cytokine/LPS-induced COX-2 left by
glucocorticoid (LPS-stimulated human whole blood); the innate module publishes it as the
observable ``GC_COX2_factor`` for the brain-endothelial PGE2 route of the fever module
(docs/design/0030-prostaglandin-route.md).
"""

from __future__ import annotations

import sympy as sp

from ...units import MOLAR_MASS_G_PER_MOL
from ..core import Parameter, Species, hill_up, sym

_WAAGE_1988 = ("Waage A et al. Immunology 1988;63:299 (PMID 3350575): in LPS-stimulated human "
               "monocytes cortisol 1e-6 M left TNF at 48 +/- 8 % of control (dexamethasone "
               "1e-6 M: 21 %); one-site inhibition 1/(1 + C/IC50) = 0.48 gives IC50 = 920 nM "
               "[D]; in culture medium without CBG the added cortisol is free")
_WAAGE_1990 = ("Waage A et al. Eur J Immunol 1990;20:2439: dexamethasone 1e-9 to 1e-6 M inhibited "
               "IL-6 by 10-90 % (log-midpoint about 3e-8 M) and 'cortisol had a similar effect, "
               "but was about 25 times less potent', i.e. IC50 about 750 nM cortisol [D]; IL-6 is "
               "no more sensitive than TNF (DeRijk et al. 1997 J Clin Endocrinol Metab 82:2182 "
               "report IL-6 as the resistant cytokine [R, not re-read])")
_IL8 = ("provisional: hydrocortisone inhibits LPS-induced IL-8 in human whole blood dose-"
        "dependently (van der Poll & Lowry 1997 Infect Immun 65:2378, no IC50 in the abstract); "
        "taken equal to the IL-6 value (Waage 1990)")
_ACT = ("provisional: no separate measurement of glucocorticoid action on monocyte activation "
        "(CD14/TLR4 signalling) was found; the TNF half-effect (Waage 1988) is used, since the "
        "activated-monocyte count of the model is what the in-vitro TNF output integrates")
_GENOMIC = ("provisional [D]: glucocorticoid action on monocyte cytokines is genomic and needs "
            "time: dexamethasone added at, or within 1 h of, LPS left TNF at 49-72 % of control "
            "against 21 % after 48 h pre-incubation (Waage 1988, PMID 3350575); added 6 h after "
            "LPS it no longer lowered TNF or IL-6 in whole blood (Horton & Remick 2010 Clin "
            "Vaccine Immunol 17:979, PMC2884436); a 1-h time constant lets a steroid given with "
            "LPS act on the production of the first hours")
_IL10 = ("glucocorticoids raise constitutive IL-10 of monocytes, dose-related, in proportion to "
         "steroid potency and reversed by RU486 (Mozo L et al. Clin Exp Allergy 2004;34:406, "
         "doi:10.1111/j.1365-2222.2004.01824.x, abstract; no fold change given); LPS-induced IL-10 "
         "in whole blood 'relatively insensitive or even stimulated' by dexamethasone and "
         "hydrocortisone (Visser J et al. Blood 1998;91:4255, abstract)")
_S_IL10 = (_IL10 + "; size from Dandona P et al. J Clin Endocrinol Metab 1999;84:1141 (abstract): "
           "100 mg hydrocortisone i.v. at 08-09 h, 7 healthy subjects, no endotoxin: plasma IL-10 "
           "3.0 +- 1.3 pg/mL at 2 h, 9 +- 4.2 at 4 h, 3.7 +- 1.8 at 8 h, '436 % of the basal at "
           "peak effect'; the standard model with the same dose at 08:30 gives IL-10(4 h) / "
           "IL-10(0) = 4.33 at s = 14 with K_GC_IL10 = 920 nmol/L [D] (benchmarks/"
           "gc_il10_dandona.py; docs/design/0034-gc-il10.md); lower bound 5.5, just below the s = "
           "5.6 that the ratio of the group means, 9 / 3.7 (the 8-h value, 'restored to "
           "baseline') = 2.4 [D], needs")
_K_IL10 = ("provisional: no concentration series of the GR rise of monocyte IL-10 was found "
           "(Mozo L et al. Clin Exp Allergy 2004;34:406: 'dose-related, proportional to the "
           "steroid potency', no numbers in the abstract); the cortisol half-effect on GR output "
           "of LPS-stimulated human monocytes, IC_GC_TNF (Waage A et al. Immunology 1988;63:299) "
           "is used, as for IC_GC_act; Dandona 1999 fits any K of 50-920 nmol/L (s 10-14), but "
           "K = 50 makes resting IL-10 follow the cortisol rhythm (daily mean -22 %, night "
           "2.0 pg/mL), K = 920 by -5 % (benchmarks/gc_il10_dandona.py, design 0034)")
_COX2 = ("dexamethasone 2 uM inhibited LPS-induced PGE2 (monocyte COX-2) in human whole blood "
         "by 96 +- 4 % (n = 3; Patrignani P et al. J Pharmacol Exp Ther 1994;271:1705 [V-abs]); "
         "free cortisol equivalent 2000 nM x fu_dex 0.23 x RBA_dex 10 = 4600 nM (glucocorticoids "
         "module), one-site 1/(1 + C/IC50) = 0.04 gives IC50 = 4600/24 = 190 nM [D]; a single "
         "near-maximal point, so bounds 20-400 nM (92 % inhibition gives 400); 'nanomolar "
         "concentrations of cortisol' suppressed whole-blood LPS-induced PGE2 (Santini G et al. "
         "Clin Pharmacol Ther 2001;70:475, PMID 11719735 [V-abs]); COX-2 is more "
         "glucocorticoid-sensitive than TNF (IC_GC_TNF 920 nM)")
_BINDING_COPY = ("copy of the hpa module's plasma-binding constant of the same meaning (tied to "
                 "it when composed, docs/design/0006); value and source there")


def _free(total_ugdl, cbg, kd, a, mw):
    """Free cortisol (nmol/L) from total cortisol (ug/dL): the hpa module's quadratic."""
    total = total_ugdl * mw
    b = (1 + a) * kd + cbg - total
    return (sp.sqrt(b**2 + 4 * (1 + a) * total * kd) - b) / (2 * (1 + a))


def glucocorticoid_factors():
    """Parameters, the GR_genomic species and its rate, and the factors (g_act, g_TNF, g_IL6,
    g_IL8, h_GC10, g_COX2) of the innate module's glucocorticoid coupling. Inputs
    ``glucocorticoid``, ``GR_sensitivity`` and the parameter ``cortisol_ref`` are the innate
    module's."""
    params = [
        Parameter("CBG_capacity_mono", 700.0, "nmol/L", _BINDING_COPY, tie="CBG_capacity",
                  bounds=(400.0, 1200.0), description="cortisol-binding capacity of CBG (copy)"),
        Parameter("Kd_CBG_mono", 30.0, "nmol/L", _BINDING_COPY, tie="Kd_CBG",
                  bounds=(10.0, 100.0), description="cortisol dissociation constant of CBG "
                  "(copy)"),
        Parameter("albumin_ratio_mono", 4.35, "1", _BINDING_COPY, tie="albumin_ratio",
                  bounds=(1.0, 10.0), description="albumin-bound / free cortisol (copy)"),
        Parameter("cortisol_nmol_per_ugdl", 1e4 / MOLAR_MASS_G_PER_MOL["cortisol"],
                  "nmol/L/(ug/dL)", "molar mass of cortisol 362.46 g/mol (PubChem CID 5754)",
                  constant=True, description="cortisol nmol/L per ug/dL"),
        Parameter("k_GC_genomic", 1.0, "1/h", _GENOMIC, bounds=(0.25, 4.0),
                  description="rate of the genomic glucocorticoid signal of monocytes"),
        Parameter("IC_GC_act", 920.0, "nmol/L", _ACT, bounds=(50.0, 5000.0),
                  description="free cortisol halving monocyte activation"),
        Parameter("IC_GC_TNF", 920.0, "nmol/L", _WAAGE_1988, bounds=(50.0, 5000.0),
                  description="free cortisol halving TNF production per activated monocyte"),
        Parameter("IC_GC_IL6", 750.0, "nmol/L", _WAAGE_1990, bounds=(50.0, 5000.0),
                  description="free cortisol halving IL-6 production per activated monocyte"),
        Parameter("IC_GC_IL8", 750.0, "nmol/L", _IL8, bounds=(50.0, 5000.0),
                  description="free cortisol halving IL-8 production per activated monocyte"),
        Parameter("IC_GC_COX2", 190.0, "nmol/L", _COX2, bounds=(20.0, 400.0),
                  description="free cortisol halving cytokine/LPS-induced COX-2 expression"),
        Parameter("s_GC_IL10", 14.0, "1", _S_IL10, bounds=(5.5, 50.0),
                  description="maximal relative enhancement of activation-independent IL-10 "
                              "production by GR"),
        Parameter("K_GC_IL10", 920.0, "nmol/L", _K_IL10, bounds=(50.0, 5000.0),
                  description="free cortisol giving half the GR enhancement of IL-10"),
        Parameter("monocyte_GC_resistance", 1.0, "1", "healthy monocytes (1); subject "
                  "profiles raise it (neuroimmune.profiles: glucocorticoid resistance, "
                  "chronic stress)", bounds=(0.1, 10.0),
                  description="glucocorticoid resistance of monocytes: divides the free "
                              "glucocorticoid their GR sees, relative to the healthy cell"),
    ]
    s = {p.name: p.symbol for p in params}
    binding = (s["CBG_capacity_mono"], s["Kd_CBG_mono"], s["albumin_ratio_mono"],
               s["cortisol_nmol_per_ugdl"])
    free = _free(sym("glucocorticoid"), *binding)
    free_ref = _free(sym("cortisol_ref"), *binding)
    X = sym("GR_genomic")
    species = Species("GR_genomic", "1", 1.0, "genomic glucocorticoid-receptor signal of "
                      "monocytes: lagged free glucocorticoid x GR sensitivity, relative to the "
                      "free level at cortisol_ref (1 at rest)", source=_GENOMIC)
    target = free * sym("GR_sensitivity") / s["monocyte_GC_resistance"] / free_ref
    rate = s["k_GC_genomic"] * (target - X)
    S = X * free_ref

    def down(ic):
        return (1 + free_ref / ic) / (1 + S / ic)

    k10, s10 = s["K_GC_IL10"], s["s_GC_IL10"]
    h10 = (1 + s10 * hill_up(S, k10, 1)) / (1 + s10 * hill_up(free_ref, k10, 1))
    factors = {"act": down(s["IC_GC_act"]), "TNF": down(s["IC_GC_TNF"]),
               "IL6": down(s["IC_GC_IL6"]), "IL8": down(s["IC_GC_IL8"]), "IL10": h10,
               "COX2": down(s["IC_GC_COX2"])}
    return params, species, rate, factors
