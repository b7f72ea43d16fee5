"""Innate immune response to endotoxin: Windoloski et al. 2024 (Brady 2018 / Dobreva 2021 family).

States: endotoxin (LPS), resting and activated monocytes/macrophages (``monocytes_resting``,
``monocytes_activated``; MR and MA in the source and in its parameter names), TNF, IL-6, IL-8,
IL-10. Equations as in bolus_model_RHS.m (github.com/msolufse/Inflammation_Bolus_Cont, MIT), see
docs/literature.md section 2.2; parameters are the published optimised bolus set.

Coupling to the autonomic nervous system (not in the source): beta2-adrenergic activation
(epinephrine) lowers TNF production (LPS-stimulated human blood and monocytes in vitro: Severn et
al. 1992, van der Poll & Lowry 1997 Am J Physiol; Elenkov et al. 2008) and raises the
activation-independent IL-10 production (Garbern & O'Keefe 2005, see the parameters' sources;
inert while that route is off, ``k10_LPS`` = 0, the default);
alpha7-nicotinic activation (vagal acetylcholine) lowers TNF and IL-6 production, not IL-10 (Wang
et al. 2003; Hamano et al. 2006; Addorisio et al. 2019). Inputs are receptor activations (0-1),
normalised at their resting value.

Coupling to the HPA axis (not in the source; ``_innate_glucocorticoid.py``, docs/design/
0016-glucocorticoid-immune-arm.md): the input ``glucocorticoid`` (endogenous cortisol
plus the total-cortisol equivalent of exogenous steroids) is converted to free cortisol with the
hpa module's plasma-binding law; a genomic GR signal ``GR_genomic`` follows free cortisol x
``GR_sensitivity`` / ``monocyte_GC_resistance`` with a 1-h lag and inhibits monocyte activation
and TNF, IL-6 and IL-8 production through one-site half-effects in free nmol/L (``IC_GC_act``,
``IC_GC_TNF``, ``IC_GC_IL6``, ``IC_GC_IL8``; LPS-stimulated human monocytes, Waage et al. 1988
and 1990). IL-10 of activated monocytes is not inhibited; GR raises the constitutive IL-10
production (the published floor ``w10``; ``s_GC_IL10``, ``K_GC_IL10``; Dandona 1999,
docs/design/0034-gc-il10.md; ``s_GC_IL10`` = 0 switches it off) and the activation-independent
LPS route (inert while that route is off, ``k10_LPS`` = 0, the default). Glucocorticoid
resistance of the cells (``monocyte_GC_resistance``, 1 = healthy; subject profiles raise it)
divides the free cortisol they respond to but not the reference level.

Beta-adrenergic induction of basal IL-6 release (``IL6_adrenergic``, not in the source): beta2
activation above rest raises the non-endotoxin IL-6 production with a lag of about 1 h
(adrenaline and isoprenaline infusions; the IL-6 rise after psychosocial stress). Each factor
equals 1 at the reference cortisol level ``cortisol_ref``, so the module alone (inputs at their
defaults) reproduces the published model exactly.

Constitutive production (``_innate_baseline.py``, docs/design/0031-baseline-inflammation.md; not
in the source): the published floors wTNF and w6 are the production of resting cells, moved by the
glucocorticoid factors, the adrenergic IL-6 induction, age (``subject_age``) and subject factors
(``basal_TNF_factor``, ``basal_IL6_factor``); all 1 in the nominal subject.

Further hooks (docs/design/0003; all neutral at their defaults): ``monocyte_turnover`` renews
the resting pool from the marrow's resting output, turnover x (Mmax - MR) (module
``monocyte_supply``, docs/design/0039-monocyte-supply.md, 0043); ``PAMP`` adds an
LPS-equivalent stimulus (pathogen, damage) to monocyte activation; ``sex_proinflammatory`` /
``sex_IL10`` and ``tolerance_TNF`` / ``tolerance_IL6`` / ``tolerance_IL10`` multiply production;
``TNF_bioactive_fraction`` (anti-TNF antibody) multiplies TNF production and baseline, i.e. the
free TNF at quasi-equilibrium with a fast-binding antibody; ``IL6_signalling_fraction`` (IL-6
receptor blockade) scales the IL-6 actions (on TNF, on itself and on IL-10).

Prostaglandin feedback (not in the source; docs/design/0030-prostaglandin-route.md): monocyte
PGE2 (cAMP) restrains LPS-induced TNF production, and COX inhibitors lift that brake. The
published fit already contains the brake at full COX activity, so TNF production per activated
monocyte is multiplied by r / (1 + (r - 1) a), r = r_COX_TNF, a = ``COX_activity_fraction`` (1
without a COX inhibitor): one-site inhibition by PGE2, taken proportional to COX activity; 1 at
a = 1, r at a = 0. The observable ``GC_COX2_factor`` is the glucocorticoid factor on induced
COX-2 (``_innate_glucocorticoid.py``), read by the fever and brain_signalling modules.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

import sympy as sp

from ..core import Input, Module, Observable, Parameter, Species, hill_down, hill_up, sym
from ._innate_baseline import baseline_factors, baseline_parameters
from ._innate_glucocorticoid import glucocorticoid_factors

WINDOLOSKI_2024 = ("Windoloski KA, Janum S, Berg RMG, Olufsen MS. Exp Physiol 2024, "
                   "doi:10.1113/EP091552; optimised bolus parameters (MeanBolusOptPars.mat)")
#: Production constants are per activated cell; the source treats cells as dimensionless.
_PER_CELL = {"kTNFM", "k6M", "k6TNF", "k8M", "k8TNF", "k10M", "k106"}
_UNIT_FIX = {"Mmax": "cell", "xME": "ng/kg"}
#: Plausible range of each published value for fitting: a factor 10 either way.
_BOUNDS_FACTOR = 10.0


@lru_cache(maxsize=None)
def _published_rows() -> tuple[dict[str, str], ...]:
    text = (resources.files("neuroimmune") / "data" /
            "windoloski2024_bolus_optimised_parameters.csv").read_text()
    return tuple(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def _published_value(name: str) -> float:
    return next(float(r["value"]) for r in _published_rows() if r["name"] == name)


# Reference operating points this module owns (docs/design/0006). Other library modules import
# these constants for their standalone defaults and tie their copies to the parameter named in
# the comment, so a changed or calibrated value here reaches them when composed.
#: Resting plasma cytokines (pg/mL): parameters wTNF, w6, w10 (Windoloski 2024 optimised set).
TNF_REST = _published_value("wTNF")
IL6_REST = _published_value("w6")
IL10_REST = _published_value("w10")
#: Resting pool of monocytes/macrophages: the carrying capacity (resting activation is 0).
MONOCYTES_REST = _published_value("Mmax")
#: Cortisol at which the glucocorticoid factors equal 1 (ug/dL): parameter cortisol_ref.
CORTISOL_REF = 7.6
#: Resting beta2-adrenergic and alpha7-nicotinic receptor activation: beta2_ref, a7_ref.
BETA2_REST = 0.1
A7_REST = 0.2


def _published_parameters() -> list[Parameter]:
    params = []
    for r in _published_rows():
        name, value = r["name"], float(r["value"])
        unit = "pg/mL/h/cell" if name in _PER_CELL else _UNIT_FIX.get(name, r["unit"])
        constant = name.startswith("h")
        if constant:
            value = round(value, 10)  # drop float noise of the .mat export (2.9999999999999996)
        bounds = None if constant else (value / _BOUNDS_FACTOR, value * _BOUNDS_FACTOR)
        params.append(Parameter(name, value, unit, WINDOLOSKI_2024, bounds=bounds,
                                description=r["description"] or _describe(name),
                                constant=constant))
    return params


def _describe(name: str) -> str:
    if name.startswith("x"):
        return "half-saturation constant"
    if name.startswith("h"):
        return "Hill exponent"
    return ""


_B2 = ("provisional: direction from LPS-stimulated human blood in vitro: adrenaline and "
       "isoproterenol inhibit TNF production through beta receptors (Severn et al. 1992 J Immunol "
       "148:3441); in whole blood epinephrine lowers TNF and enhances IL-10 (van der Poll & "
       "Lowry 1997 Am J Physiol 273:R1885); low epinephrine excretors make more TNF and less "
       "IL-10 ex vivo (Elenkov et al. 2008 J Immunol 181:1737) (abstracts, via the stored "
       "pages). Size: no admissible human in-vivo number (the in-vivo epinephrine + LPS study "
       "is reserved for the independent check, issue #16); to be calibrated (issue #4)")
_B2_IL10 = ("beta2/cAMP raises monocyte IL-10: epinephrine 10 uM raised LPS-induced IL-10 of "
            "THP-1 monocytes 3.9-fold (24.0 -> 93.7 pg/mL), abolished by propranolol and by "
            "adenylate-cyclase inhibition (Garbern & O'Keefe, J Investig Med 2005;53:S115, "
            "abstract); beta2 agonists enhance IL-10 of U937 monocytic cells (J Neuroimmunol "
            "1997;77:211, PMID 9258252). Taken as near-maximal activation 0.9 against rest 0.1: "
            "(1 + 0.9 s) / (1 + 0.1 s) = 3.9 gives s = 5.7 [D], on the activation-independent "
            "IL-10 route (docs/design/0016-glucocorticoid-immune-arm.md); inactive while "
            "k10_LPS = 0 (the default: that route is off, see k10_LPS)")
#: Activation-independent IL-10 production per resting monocyte (see _K10_LPS).
K10_LPS = 0.0
_K10_LPS = ("provisional [D]: monocytes make IL-10 on LPS sensing itself (TLR4 -> cAMP/CREB, "
            "p38), not only via the TNF-amplified activation of the source model: IL-10 "
            "production is 'relatively insensitive' to glucocorticoids while TNF falls (Visser J "
            "et al. Blood 1998;91:4255) and beta2/cAMP raises it while TNF falls (Garbern & "
            "O'Keefe 2005), which a purely activation-driven IL-10 cannot do. Size: a modelling "
            "choice, so the route is OFF (0) by default: any positive value moves the module "
            "alone "
            "away from the published Windoloski 2024 fit (2e-4 lowered its TNF peak 365.7 -> 342 "
            "pg/mL through the IL-10 feedback on activation) and let IL-10 escape the Draisma "
            "2009 day-5 tolerance; it stays a hook until a measured size exists (docs/design/"
            "0016)")
_A7 = ("acetylcholine inhibits macrophage TNF release through alpha7 (Wang et al. 2003 Nature "
       "421:384); nicotine via alpha7 lowers LPS-induced TNF but not IL-10 in human mononuclear "
       "cells (Hamano et al. 2006 Shock 26:358) (abstracts, via the stored pages); "
       "maximal inhibition 0.4-0.8: Koopman 2016 PNAS (-39 % TNF), Addorisio 2019 (-80 % TNF, "
       "-73 % "
       "IL-6) (docs/sources/autonomic.md D); midpoint taken")
_B2_IL6 = ("provisional [D]: beta-adrenergic stimulation raises plasma IL-6 from non-immune "
           "sources (adipose tissue, muscle) without endotoxin; isoprenaline infusion raised IL-6 "
           "a median 9-fold by 180 min (Mohamed-Ali et al. 2000 J Clin Endocrinol Metab), taken "
           "as near-maximal beta2 activation (0.9): ln 9 / (0.9 - 0.1) = 2.75; adrenaline infusion "
           "2-3-fold after 45 min (Sondergaard et al. 2000), psychosocial stress raises IL-6 "
           "modestly and propranolol blocks it in men (Steptoe et al. 2018 Brain Behav Immun "
           "70:369) (abstracts, via the stored pages)")
_B2_IL6_RATE = ("provisional [D]: induction time constant about 1 h: IL-6 raised 45 min into a "
                "1-h adrenaline infusion and still raised 1 h after it (Sondergaard et al. 2000); "
                "after a 2.5-h epinephrine infusion IL-6 peaked 1 h after its end (Steensberg et "
                "al. 2001) (abstracts, via the stored pages)")
_REST = ("resting activation of the autonomic module's receptors (the coupling factors equal 1 at "
         "rest, docs/design/0002)")


def _neural_coupling():
    """Beta2-adrenergic and alpha7-nicotinic receptor activation acting on monocytes."""
    b2, a7 = sym("beta2_activation"), sym("a7_activation")
    b2r, a7r, eb2, sb2, ea7 = (sym(x) for x in ("beta2_ref", "a7_ref", "E_b2_TNF", "s_b2_IL10",
                                                 "E_a7"))
    params = [
        Parameter("beta2_ref", BETA2_REST, "1", _REST, bounds=(0.0, 1.0),
                  description="beta2-adrenergic activation at rest"),
        Parameter("a7_ref", A7_REST, "1", _REST, bounds=(0.0, 1.0),
                  description="alpha7-nicotinic activation at rest"),
        Parameter("E_b2_TNF", 0.7, "1", _B2, bounds=(0.0, 1.0),
                  description="maximal inhibition of TNF production by beta2 activation"),
        Parameter("s_b2_IL10", 5.7, "1", _B2_IL10, bounds=(0.0, 30.0),
                  description="maximal relative enhancement of activation-independent IL-10 "
                              "production by beta2"),
        Parameter("E_a7", 0.6, "1", _A7, bounds=(0.4, 0.8),
                  description="maximal inhibition of TNF and IL-6 production by alpha7 activation"),
        Parameter("s_b2_IL6", 2.75, "1", _B2_IL6, bounds=(0.0, 10.0),
                  description="log-scale gain of basal IL-6 release per unit beta2 activation "
                              "above rest"),
        Parameter("k_b2_IL6", 1.0, "1/h", _B2_IL6_RATE, bounds=(0.25, 4.0),
                  description="rate of the adrenergic induction of basal IL-6 release"),
    ]
    inputs = (Input("beta2_activation", "1", BETA2_REST, "beta2-adrenergic receptor activation of "
                    "monocytes (0-1)"),
              Input("a7_activation", "1", A7_REST, "alpha7-nicotinic receptor activation of "
                    "macrophages (0-1)"))
    g_tnf = (1 - eb2 * b2) / (1 - eb2 * b2r)
    g_10 = (1 + sb2 * b2) / (1 + sb2 * b2r)
    g_a7 = (1 - ea7 * a7) / (1 - ea7 * a7r)
    # adrenergic induction of basal IL-6 release (relative, 1 at rest), relaxing to its target
    induced = sym("IL6_adrenergic")
    target = sp.exp(sym("s_b2_IL6") * (b2 - b2r))
    species = Species("IL6_adrenergic", "1", 1.0, "beta-adrenergic induction of basal IL-6 "
                      "release (1 at rest)")
    rate = sym("k_b2_IL6") * (target - induced)
    return params, inputs, g_tnf, g_10, g_a7, (species, induced, rate)


_HOOKS = (
    ("PAMP", "ng/kg", 0.0, "LPS-equivalent pathogen- or damage-associated stimulus of monocytes"),
    ("sex_proinflammatory", "1", 1.0, "sex-steroid factor on TNF, IL-6 and IL-8 production "
     "(1 = young man)"),
    ("sex_IL10", "1", 1.0, "sex-steroid factor on IL-10 production (1 = young man)"),
    ("tolerance_TNF", "1", 1.0, "endotoxin-tolerance factor on TNF production (1 = naive)"),
    ("tolerance_IL6", "1", 1.0, "endotoxin-tolerance factor on IL-6 and IL-8 production"),
    ("tolerance_IL10", "1", 1.0, "endotoxin-tolerance factor on IL-10 production"),
    ("TNF_bioactive_fraction", "1", 1.0, "fraction of TNF not neutralised by an anti-TNF "
     "antibody"),
    ("IL6_signalling_fraction", "1", 1.0, "fraction of IL-6 receptor signalling left under "
     "IL-6 receptor blockade"),
    ("COX_activity_fraction", "1", 1.0, "fraction of cyclooxygenase activity left by COX "
     "inhibitors (1 = none)"),
    ("monocyte_turnover", "1/h", 0.0, "renewal rate of resting monocytes by marrow output "
     "(monocyte_supply module; 0 = the published pool)"),
)
_PGE2_TNF = ("indomethacin raised LPS-induced TNF of murine macrophages 2-3-fold and PGE2 "
             "1e-7 M lowered it to basal levels (Kunkel SL et al. Biochem Biophys Res Commun "
             "1986;137:404 [V-abs]); PGE2 lowers LPS-induced TNF mRNA at transcription "
             "(Kunkel et al. J Biol Chem 1988;263:5380 [V-abs]); value the middle, 2.5; lower "
             "bound 1: 12 days of oral ibuprofen did not change ex-vivo LPS-induced TNF of "
             "human PBMC (Endres S et al. Immunology 1996;87:264 [V-abs]); no human in-vitro "
             "fold number was found")


def innate(*, cortisol_coupling: bool = True, neural_coupling: bool = True,
           hooks: bool = True) -> Module:
    """The endotoxin -> monocyte -> cytokine network, optionally with glucocorticoid inputs, with
    beta2-adrenergic and alpha7-nicotinic (vagal) receptor inputs and with the neutral hooks of
    docs/design/0003 (pathogen stimulus, sex steroids, tolerance, biologics)."""
    params = _published_parameters()
    s = {p.name: p.symbol for p in params}
    E, MR, MA = sym("LPS"), sym("monocytes_resting"), sym("monocytes_activated")
    TNF, IL6, IL8, IL10 = sym("TNF"), sym("IL6"), sym("IL8"), sym("IL10")
    species: tuple[Species, ...] = (
        Species("LPS", "ng/kg", 0.0, "circulating endotoxin (E. coli LPS) per kg body weight"),
        Species("monocytes_resting", "cell", 28200.0, "resting monocytes/macrophages (model "
                "units; MR in the source)",
                source=WINDOLOSKI_2024),
        Species("monocytes_activated", "cell", 0.0, "activated monocytes/macrophages (model "
                "units; MA in the source)"),
        Species("TNF", "pg/mL", _value(params, "wTNF"), "plasma TNF-alpha"),
        Species("IL6", "pg/mL", _value(params, "w6"), "plasma IL-6"),
        Species("IL8", "pg/mL", _value(params, "w8"), "plasma IL-8"),
        Species("IL10", "pg/mL", _value(params, "w10"), "plasma IL-10"),
    )
    inputs: tuple[Input, ...] = ()
    g_act = g_tnf_gc = g_6_gc = g_8_gc = h_gc_10 = c_10 = 1
    if cortisol_coupling:
        gc_params, gr_species, gr_rate, g = glucocorticoid_factors()
        params += [
            Parameter("cortisol_ref", CORTISOL_REF, "ug/dL", "08:00 cortisol of the HPA module "
                      "(Bangsgaard & Ottesen 2017 control parameters) on its limit cycle: the "
                      "source subjects received LPS in the morning, so the coupled model "
                      "matches the published immune fit at that clock time", bounds=(1, 25),
                      description="cortisol level at which the coupling factors equal 1"),
            *gc_params,
        ]
        inputs = (Input("glucocorticoid", "ug/dL", CORTISOL_REF, "cortisol-equivalent "
                        "glucocorticoid (endogenous cortisol plus exogenous steroids: the total "
                        "cortisol giving the same free level) seen by monocytes"),
                  Input("GR_sensitivity", "1", 1.0, "glucocorticoid-receptor sensitivity of "
                        "immune cells (1 = healthy; < 1 = glucocorticoid resistance)", hook=True))
        species = species + (gr_species,)
        g_act, g_tnf_gc, g_6_gc, g_8_gc, h_gc_10 = (g[k] for k in ("act", "TNF", "IL6", "IL8",
                                                                   "IL10"))
        c_10 = h_gc_10  # GR raises constitutive IL-10 (design 0034)
    g_b2_tnf = g_b2_10 = g_a7 = basal_6 = 1
    if neural_coupling:
        extra, neural_inputs, g_b2_tnf, g_b2_10, g_a7, adrenergic = _neural_coupling()
        params += extra
        inputs = inputs + neural_inputs
        species = species + (adrenergic[0],)
        basal_6 = adrenergic[1]
    f_tnf = f_6 = 1
    g_pge2 = 1
    pamp = 0
    m_tnf = m_6 = m_10 = 1
    supply = 0
    if hooks:
        inputs = inputs + tuple(Input(*h, hook=True) for h in _HOOKS)
        h = {name: sym(name) for name, *_ in _HOOKS}
        pamp = h["PAMP"]
        f_tnf, f_6 = h["TNF_bioactive_fraction"], h["IL6_signalling_fraction"]
        m_tnf = h["sex_proinflammatory"] * h["tolerance_TNF"]
        m_6 = h["sex_proinflammatory"] * h["tolerance_IL6"]
        m_10 = h["sex_IL10"] * h["tolerance_IL10"]
        # marrow renewal at its resting output (designs 0039, 0043): at rest the pool sits at
        # Mmax, where inflow = loss
        supply = h["monocyte_turnover"] * (s["Mmax"] - MR)
        params.append(Parameter("r_COX_TNF", 2.5, "1", _PGE2_TNF, bounds=(1.0, 3.0),
                                description="TNF production per activated monocyte under full "
                                            "COX inhibition, relative to none (PGE2 brake)"))
        r = sym("r_COX_TNF")
        g_pge2 = r / (1 + (r - 1) * h["COX_activity_fraction"])
    stimulus = E + pamp
    params += baseline_parameters()
    c_tnf, c_6 = baseline_factors(g_tnf_gc, g_6_gc, basal_6)
    params.append(Parameter("k10_LPS", K10_LPS, "pg/mL/h/cell", _K10_LPS, bounds=(0.0, 1e-3),
                            description="IL-10 production of LPS-sensing monocytes independent "
                                        "of their activation (per resting cell)"))
    k10_direct = sym("k10_LPS")
    IL6s = IL6 * f_6
    phi = (hill_up(stimulus, s["xME"], s["hME"]) * (s["kM"] + s["kMTNF"] * hill_up(TNF, s["xMTNF"],
           s["hMTNF"])) * hill_down(IL10, s["xM10"], s["hM10"]) * MR * g_act)
    rates = {
        "LPS": -s["kE"] * E,
        "monocytes_resting": s["kMR"] * MR * (1 - MR / s["Mmax"]) - phi + supply,
        "monocytes_activated": phi - s["kMA"] * MA,
        "TNF": f_tnf * (s["kTNFM"] * hill_down(IL6s, s["xTNF6"], s["hTNF6"])
                        * hill_down(IL10, s["xTNF10"], s["hTNF10"]) * MA * g_tnf_gc * g_b2_tnf
                        * g_a7 * m_tnf * g_pge2 + s["kTNF"] * s["wTNF"] * c_tnf)
                 - s["kTNF"] * TNF,
        "IL6": ((s["k6M"] + s["k6TNF"] * hill_up(TNF, s["x6TNF"], s["h6TNF"]))
                * hill_down(IL6s, s["x66"], s["h66"]) * hill_down(IL10, s["x610"], s["h610"])
                * MA * g_6_gc * g_a7 * m_6 - s["k6"] * (IL6 - s["w6"] * c_6)),
        "IL8": (MA * (s["k8M"] + s["k8TNF"] * hill_up(TNF, s["x8TNF"], s["h8TNF"]))
                * hill_down(IL10, s["x810"], s["h810"]) * g_8_gc * m_6 - s["k8"] * (IL8 - s["w8"])),
        # IL-10 from activated monocytes (published) plus the activation-independent route of
        # LPS-sensing resting monocytes, raised by GR and by beta2/cAMP signalling; the
        # constitutive floor w10 is raised by GR (c_10, design 0034)
        "IL10": ((s["k10M"] + s["k106"] * hill_up(IL6s, s["x106"], s["h106"])) * MA * m_10
                 + k10_direct * hill_up(stimulus, s["xME"], s["hME"]) * MR * h_gc_10 * g_b2_10
                 * m_10 - s["k10"] * (IL10 - s["w10"] * c_10)),
    }
    if neural_coupling:
        rates["IL6_adrenergic"] = adrenergic[2]
    if cortisol_coupling:
        rates["GR_genomic"] = gr_rate
    observables: tuple[Observable, ...] = ()
    if cortisol_coupling:
        observables = (Observable("GC_COX2_factor", "1", g["COX2"], "share of cytokine/LPS-"
                                  "induced COX-2 expression left by glucocorticoid (GR signal of "
                                  "monocytes; 1 at cortisol_ref)"),)
    return Module("innate", species, tuple(params), rates, inputs=inputs, observables=observables,
                  description="endotoxin, monocytes/macrophages and TNF, IL-6, IL-8, IL-10",
                  citation=WINDOLOSKI_2024)


def _value(params: list[Parameter], name: str) -> float:
    return next(p.value for p in params if p.name == name)
