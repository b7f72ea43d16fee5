"""Cytokines acting on the brain: blood-brain barrier transport, brain-endothelial COX-2/PGE2,
vagal afferents, a hypothalamic cytokine drive, and the tryptophan -> kynurenine / serotonin
balance (IDO induced by cytokines, TDO induced by glucocorticoids).

No published, parameterised human ODE model of these routes was found (docs/sources/
brain_signalling.md), so the structure is a set of first-order relaxations to driven targets (the
house style of the autonomic module) and the numbers come from brain_signalling.md: resting
levels are human values, kinetics are human where available and rodent otherwise, and coupling
gains are provisional (chosen for the stated human time courses; to be calibrated, issue #4).
Time in hours. Inputs are plasma TNF, IL-6 and IL-1beta (pg/mL) and the cortisol-equivalent
``glucocorticoid`` (ug/dL; the hpa observable = cortisol + exogenous steroid, docs/design/0003).
Every drive is normalised at the resting input values (``*_base_bs``), so every multiplier equals
1 at rest (docs/design/0002).

Up-regulation terms, u(x; K, n) = x^n / (x^n + K^n); N[.] divides by the same expression at the
resting inputs::

    COX-2 (brain endothelium, relative to rest):
    dCOX2/dt = k_COX2 (1 + (N[1 + g_TNF_COX u(TNF) + g_IL1_COX u(IL1b) + g_IL6_COX u(IL6)] - 1)
                        g_GC / g_ref - COX2)
    PGE2_brain = a (1 - f_COX2 + f_COX2 COX2)      (observable, 1 at rest)

    g_GC = GC_COX2_factor (innate: glucocorticoid restraint of induced COX-2), g_ref its value
    during the fitted LPS fever (tied to the fever module's GC_COX2_fever_ref), a =
    COX_activity_fraction (COX inhibitors, both isoforms); docs/design/0030.

    BBB transport (saturable, Banks):  J(IL6) = Ki_IL6 Km_IL6 IL6 / (Km_IL6 + IL6)
    dIL6_CSF/dt = J(IL6) + [k_CSF IL6_CSF0 - J(IL6_base)] - k_CSF IL6_CSF
                  (constant intrathecal production: CSF IL-6 exceeds plasma IL-6 at rest)

    vagal_afferent = N[1 + g_IL1_vaff u(IL1b) + g_TNF_vaff u(TNF)]        (observable, 1 at rest)
    hypothalamic_cytokine_drive = (w_PGE2 PGE2_brain + w_vaff vagal_afferent
                                   + w_CSF IL6_CSF/IL6_CSF0) / (w_PGE2 + w_vaff + w_CSF)

    dIDO/dt = k_IDO (N[1 + g_TNF_IDO u(TNF) + g_IL6_IDO u(IL6)] - IDO)     (1 at rest)
    dTDO/dt = k_TDO (N[1 + g_GC_TDO u(glucocorticoid)] - TDO)             (1 at rest)
    dTrp/dt = k_Trp Trp0 - k_Trp Trp [1 - f_KP + f_KP ((1 - f_IDO) TDO + f_IDO IDO)]
    dKyn/dt = k_Kyn Kyn0 ((1 - f_IDO_Kyn) TDO + f_IDO_Kyn IDO) Trp/Trp0 - k_Kyn Kyn
    Kyn_Trp_ratio = Kyn / Trp;   serotonin_synthesis_index = Trp / Trp0

    sickness = a_vaff_sick (vagal_afferent - 1) + a_CSF_sick (IL6_CSF / IL6_CSF0 - 1)
               (observable, 0 at rest; rise of the Sickness Questionnaire score over its
                pre-LPS value as a fraction of the scale's 30 points; docs/design/0038)

At rest (every drive 1) Trp = Trp0 and Kyn = Kyn0 exactly, whatever the parameter values.
IFN-gamma, the main IDO inducer, is not in the model: TNF and IL-6 stand in for it (the IDO time
constant supplies the delay of the IFN-gamma / IDO transcription step). The serotonin index is
proportional to plasma tryptophan: albumin binding and competition with the other large neutral
amino acids at the BBB carrier (LAT1) are ignored, and brain tryptophan hydroxylase is taken to
work far below saturation. Meals are ignored (constant tryptophan supply).

``sickness`` is an output (it feeds nothing back). Its two routes are the fast vagal / IL-1beta
/ TNF signal (IL-1 receptor antagonist lessened LPS symptoms in humans) and the slower CSF IL-6
(Engler et al. 2017: CSF IL-6 rise and mood impairment); the two weights are least-squares fits
to the 2 ng/kg Sickness Questionnaire time course of Lasselin et al. 2017 (docs/design/0038). It
is linear and not capped: above about 0.8 the questionnaire itself saturates.

Intended use of ``hypothalamic_cytokine_drive`` (1 at rest): the lead may route the HPA module's
cytokine drive of CRH through it, e.g. ``s_drive_CRH (hypothalamic_cytokine_drive - 1)`` in place
of the direct TNF Hill term, and the autonomic module's vagal reflex through ``vagal_afferent``.
Until then this module only reads the immune/endocrine state and feeds nothing back, so composing
it leaves the standard model unchanged.
"""

from __future__ import annotations

import math

from ..core import Input, Module, Observable, Species, hill_up, sym
from ._common import literature_parameter as _p
from .fever import GC_COX2_FEVER_REF
from .innate import CORTISOL_REF, IL6_REST, TNF_REST
from .innate_extra import IL1B_REST

NOTES = "docs/sources/brain_signalling.md"
_PROV = "provisional (modelling choice, no human number found; to be calibrated, issue #4): "

#: Resting inputs are owned by the innate (TNF_REST = wTNF, IL6_REST = w6, CORTISOL_REF =
#: cortisol_ref) and innate_extra (IL1B_REST = w_IL1b) modules; the *_base_bs copies are tied to
#: those parameters when composed (docs/design/0006).
#: Glucocorticoid whose TDO drive equals the 24-h mean drive on the HPA limit cycle (ug/dL).
GC_TDO_MEAN = 3.93
#: Resting plasma tryptophan and kynurenine (umol/L).
TRP_REST = 60.0
KYN_REST = 1.8
IL6_CSF_REST = 2.5             # pg/mL
#: Brain -> blood clearance of intracerebral TNF (and IL-6), 0.01123 /min (rat).
K_CSF = 0.01123 * 60.0




def _normalised(base, terms):
    """(1 + sum g u(x)) / (1 + sum g u(x_rest)) for terms (g, x, x_rest, K, n)."""
    num = 1 + sum(g * hill_up(x, k, n) for g, x, _, k, n in terms)
    den = 1 + sum(g * hill_up(x0, k, n) for g, _, x0, k, n in terms)
    return base * num / den


def brain_signalling() -> Module:
    """Immune-to-brain signalling (BBB transport, COX-2/PGE2, vagal afferents) and the
    tryptophan-kynurenine-serotonin balance."""
    params = [
        # --- resting inputs (normalisation points, docs/design/0002) ------------------------
        _p("TNF_base_bs", TNF_REST, "pg/mL",
           source="baseline of the innate module (Windoloski et al. "
           "2024 optimised wTNF); every TNF drive is normalised there (docs/design/0002)",
           description="plasma TNF at which the brain-signalling drives equal their resting value",
           bounds=(1, 20), tie="wTNF"),
        _p("IL6_base_bs", IL6_REST, "pg/mL",
           source="baseline of the innate module (Windoloski et al. "
           "2024 optimised w6)",
           description="plasma IL-6 at which the drives equal their resting value",
           bounds=(0.1, 5), tie="w6"),
        _p("IL1b_base_bs", IL1B_REST, "pg/mL", source="resting IL1b of the innate_extra module: "
           "8.6 +- 0.5 pg/mL before E. coli LPS (Dorresteijn et al. 2005 Eur Cytokine Netw "
           "16:191) [V-abs, via innate_extra]; assay-dependent (serum IL-1beta < 1.0 pg/mL in "
           "the Mayo Clinic EIA reference [V-sec]); tied to innate_extra's w_IL1b when composed",

           description="plasma IL-1beta at which the drives equal their resting value",
           bounds=(0.1, 30),
           tie="w_IL1b"),
        _p("GC_base_bs", GC_TDO_MEAN, "ug/dL", source="the glucocorticoid level whose TDO drive "
           "equals the 24-h mean TDO drive on the HPA module's circadian limit cycle (mean "
           "cortisol 3.2 ug/dL, 08:00 value 7.1-7.6 ug/dL) [D]; so the 24-h mean TDO is 1 and "
           "the 24-h mean Trp and Kyn equal Trp0 and Kyn0 in the composed model (recompute if "
           "the HPA parameters or K_GC_TDO change)",
           description="glucocorticoid level at which TDO "
           "induction equals its resting value", bounds=(1, 25)),
        # --- brain endothelium: COX-2 and PGE2 ----------------------------------------------
        _p("k_COX2", 0.5, "1/h",
           source="rat brain: endothelial/leptomeningeal COX-2 mRNA appears 0.5 h "
           "after i.v. or i.p. LPS, peaks at 2 h and returns to basal by 24 h (Quan et al. 1998 "
           "Brain Res 802:189) [V-abs]; after i.p. IL-1beta it is maximal at 4 h and gone by 10 h "
           "(Cao et al. 1996 Brain Res 733:263) [V-abs]; turnover half-time 1.4 h [D]",
           description="turnover rate of induced brain-endothelial COX-2", bounds=(0.1, 3.0)),
        _p("GC_COX2_ref_bs", GC_COX2_FEVER_REF, "1", source="copy of the fever module's "
           "GC_COX2_fever_ref (tied to it when composed, docs/design/0006): the induction gains "
           "below were chosen for the nominal LPS response, glucocorticoid restraint included",
           description="glucocorticoid factor on induced COX-2 at which the induction has its "
           "nominal size", bounds=(0.3, 1.0), tie="GC_COX2_fever_ref"),
        _p("f_COX2", 0.1, "1",
           source=_PROV + "COX-2 is not detected in brain vessels at rest (Quan "
           "1998) [V-abs], so endothelial COX-2 is a small share of resting brain PGE2 synthesis "
           "(constitutive COX-1 and neuronal COX-2 make the rest)",
           description="share of resting brain PGE2 made by endothelial COX-2"),
        _p("g_TNF_COX", 120.0, "1",
           source=_PROV + "chosen so that a 2 ng/kg LPS bolus (TNF peak about "
           "270 pg/mL) raises brain PGE2 3-4-fold at 2-3 h, the order of the CSF PGE2 rise "
           "of LPS fever in rodents and rabbits [R]; TNF induces COX-2 in brain endothelium "
           "(Quan 1998 [V-abs] for LPS)",
           description="maximal endothelial COX-2 induction by TNF (relative "
           "to rest)", bounds=(0, 1200)),
        _p("K_TNF_COX", 200.0, "pg/mL", source=_PROV + "of the order of the TNF peak of a 2 ng/kg "
           "LPS challenge",
           description="TNF giving half-maximal COX-2 induction", bounds=(20, 2000)),
        _p("g_IL1_COX", 30.0, "1",
           source=_PROV + "circulating IL-1beta induces COX-2 mRNA in brain "
           "endothelial cells (Cao et al. 1996 Brain Res 733:263) [V-abs]; the LPS IL-1beta peak "
           "(25 pg/mL, Dorresteijn 2005) alone raises COX-2 about 10-fold",
           description="maximal endothelial COX-2 induction by IL-1beta", bounds=(0, 300)),
        _p("K_IL1_COX", 30.0, "pg/mL",
           source=_PROV + "above resting IL-1beta (8.6 pg/mL) and of the "
           "order of its LPS peak (25.3 +- 2.0 pg/mL after E. coli LPS, Dorresteijn 2005 via "
           "innate_extra)",
           description="IL-1beta giving half-maximal COX-2 induction", bounds=(3, 300)),
        _p("n_IL1_bs", 4.0, "1", source=_PROV + "steep, so that resting IL-1beta (8.6 pg/mL) acts "
           "little and the LPS peak (25 pg/mL) strongly: the plasma IL-1beta rise in "
           "endotoxemia is only about 3-fold", description="Hill exponent of IL-1beta drives",
           constant=True),
        _p("g_IL6_COX", 40.0, "1", source=_PROV + "IL-6 contributes to LPS fever through brain "
           "endothelial COX-2 (IL-6-deficient mice do not develop LPS fever) [R]; smaller gain "
           "than TNF", description="maximal endothelial COX-2 induction by IL-6", bounds=(0, 400)),
        _p("K_IL6_COX", 500.0, "pg/mL",
           source=_PROV + "of the order of the IL-6 peak of a 2 ng/kg LPS "
           "challenge", description="IL-6 giving half-maximal COX-2 induction", bounds=(50, 5000)),
        _p("n_bs", 2.0, "1",
           source=_PROV + "Hill exponent as in the HPA and autonomic TNF couplings",
           description="Hill exponent of cytokine drives in this module", constant=True),
        # --- blood-brain barrier transport of IL-6 ------------------------------------------
        _p("IL6_CSF0", IL6_CSF_REST, "pg/mL", source="healthy CSF IL-6 is detectable and exceeds "
           "plasma IL-6 (Maier et al. 2005 J Neurotrauma 22:822, normative paired CSF/plasma "
           "study) [V-abs]; value 2.5 pg/mL [R] (below the 10 pg/mL cut-off never exceeded in "
           "212 non-inflammatory neurological patients, Wullschleger et al. 2013 PLoS One "
           "8:e72399 [V-abs])", description="resting CSF IL-6", bounds=(0.5, 10)),
        _p("k_CSF", K_CSF, "1/h", source="intracerebroventricular [125I]-TNF left the rat brain by "
           "first-order kinetics at 0.01123 +- 0.0030 /min, virtually identical to the earlier "
           "clearance of [125I]-IL-6 (Neuroimmunomodulation 1998 5:261, PMID 9730694; "
           "authors not read) [V-abs]; x 60 [D]",
           description="brain/CSF -> blood clearance of IL-6",
           bounds=(0.1, 3.0)),
        _p("Ki_IL6", 0.018, "1/h", source=_PROV + "blood-to-brain unidirectional influx of "
           "saturably transported cytokines in mice is of the order of 10^-4 mL/g/min (Banks, "
           "Kastin & Gutierrez 1994 Neurosci Lett 179:53 for IL-6; Banks et al. 1995 "
           "Neuroimmunomodulation 2:241 review) [R]; 3e-4 mL/g/min x 60, brain water 1 mL/g "
           "[D]; with k_CSF this gives a transported CSF IL-6 of about 3 % of plasma IL-6 at "
           "steady state", description="blood-to-brain influx constant of IL-6 (linear range)",
           bounds=(0.001, 0.2)),
        _p("Km_IL6", 1.0e4, "pg/mL", source=_PROV + "transport is saturable (self-inhibition with "
           "microgram doses in mice, Banks 1994 [R]); half-saturation far above the plasma "
           "IL-6 of human endotoxemia, so transport is nearly linear there",
           description="plasma IL-6 half-saturating BBB transport", bounds=(1e3, 1e6)),
        # --- vagal afferents ----------------------------------------------------------------
        _p("g_IL1_vaff", 3.0, "1",
           source=_PROV + "portal IL-1beta (10-100 pg per rat) raises hepatic "
           "vagal afferent discharge dose-dependently for 70-100 min (Niijima 1996 J Auton Nerv "
           "Syst 61:287) [V-abs]; i.v. IL-1 raises gastric vagal afferent discharge, nodose "
           "neurons express IL-1R1 (Ek et al. 1998 J Neurosci 18:9471 [R citation], "
           "PMC6792875) [V-abs]; no human "
           "firing-rate number",
           description="maximal relative vagal afferent activation by IL-1beta",
           bounds=(0, 30)),
        _p("K_IL1_vaff", 20.0, "pg/mL",
           source=_PROV + "vagal sensors respond to picogram amounts of "
           "IL-1beta (Niijima 1996) [V-abs]; between resting (8.6) and LPS-peak (25) plasma "
           "IL-1beta",
           description="IL-1beta giving half-maximal afferent activation", bounds=(2, 200)),
        _p("g_TNF_vaff", 3.0, "1", source=_PROV + "TNF receptors on vagal afferents/paraganglia; "
           "same gain as IL-1beta", description="maximal relative vagal afferent activation by TNF",
           bounds=(0, 30)),
        _p("K_TNF_vaff", 100.0, "pg/mL", source=_PROV + "same TNF half-effect as the autonomic "
           "module's vagal reflex (K_TNF_vagal)", description="TNF giving half-maximal afferent "
           "activation", bounds=(10, 1000)),
        # --- hypothalamic cytokine drive ----------------------------------------------------
        _p("w_PGE2", 0.5, "1",
           source=_PROV + "PGE2 (EP3/EP1 on preoptic and PVN neurons) is the main "
           "mediator of blood-borne cytokine effects on fever and the HPA axis (COX inhibitors "
           "blunt both) [R]",
           description="weight of brain PGE2 in the hypothalamic cytokine drive"),
        _p("w_vaff", 0.3, "1", source=_PROV + "subdiaphragmatic vagotomy blocks some hypothalamic "
           "responses to low-dose intraperitoneal IL-1/LPS but not to intravenous doses [R]",
           description="weight of vagal afferents in the hypothalamic cytokine drive"),
        _p("w_CSF", 0.2, "1",
           source=_PROV + "direct action of blood-borne cytokines that cross the BBB "
           "is modest (Banks 1995 review [V-abs]: 'amount ... entering the brain is modest')",
           description="weight of CSF IL-6 in the hypothalamic cytokine drive"),
        # --- tryptophan / kynurenine --------------------------------------------------------
        _p("Trp0", TRP_REST, "umol/L",
           source="reference range 40-90 umol/L (Bevital LC-MS/MS, EDTA "
           "plasma) [V-sec]; midpoint of healthy values, consistent with the baseline "
           "Kyn/Trp of Padberg et al. 2012 (29.4 +- 6.8 umol/mmol) with Kyn0",
           description="resting plasma "
           "tryptophan", bounds=(40, 90)),
        _p("Kyn0", KYN_REST, "umol/L", source="reference range 1.0-3.3 umol/L (Bevital) [V-sec]; "
           "Kyn0/Trp0 = 30 umol/mmol, the baseline ratio 29.4 +- 6.8 of Padberg et al. 2012 Exp "
           "Transl Stroke Med 4:24 [V-abs] and the 15-30 nmol/umol of healthy adults < 50 y "
           "[V-sec]", description="resting plasma kynurenine", bounds=(1.0, 3.3)),
        _p("k_Trp", 0.15, "1/h",
           source=_PROV + "fractional disposal of plasma tryptophan at rest: a "
           "tryptophan-free amino-acid load lowers plasma Trp to about 35 % at 5-6 h (Life Sci "
           "1988 42:1551, PMID 3352467) [V-abs], i.e. 0.17-0.2 /h including the extra protein "
           "synthesis the load drives [D]; intake 900-1000 mg/day (Richard et al. 2009 Int J "
           "Tryptophan Res 2:45) [V-abs] over a free-Trp pool of 60 umol/L in 15-40 L gives "
           "0.08-0.2 /h [D]", description="fractional turnover of plasma tryptophan at rest",
           bounds=(0.03, 0.5)),
        _p("f_KP", 0.95, "1",
           source="about 95 % of tryptophan not used for protein is degraded along "
           "the kynurenine pathway (reviews, e.g. PMC5914531, PMC10671297) [V-abs]",

           description="share of tryptophan disposal through the kynurenine pathway",
           bounds=(0.8, 0.99)),
        _p("f_IDO", 0.1, "1", source=_PROV + "under basal conditions hepatic TDO degrades most "
           "tryptophan and extrahepatic IDO activity is low or undetectable (Badawy & Guillemin "
           "2019 Int J Tryptophan Res 12:1178646919868978) [V-abs]; 10 % [R]",
           description="IDO share of resting kynurenine-pathway flux", bounds=(0.01, 0.5)),
        _p("f_IDO_Kyn", 0.5, "1", source=_PROV + "the liver metabolises most of the kynurenine its "
           "TDO makes, whereas extrahepatic IDO releases kynurenine into plasma, so IDO's share "
           "of plasma kynurenine exceeds its share of tryptophan flux (Badawy & Guillemin 2019 "
           "discuss both sources) [R]",
           description="IDO share of resting kynurenine release into plasma",
           bounds=(0.05, 0.95)),
        _p("k_Kyn", 0.2, "1/h", source=_PROV + "plasma kynurenine half-life 3.5 h (no human number "
           "read); with k_IDO it places the Kyn/Trp peak 6-10 h after LPS (Padberg 2012: peak "
           "at 8 h after 4 ng/kg) [V-abs]",
           description="plasma kynurenine elimination rate constant",
           bounds=(0.1, 5.0)),
        _p("k_IDO", 0.1, "1/h",
           source=_PROV + "IDO1 induction is transcriptional and mainly driven "
           "by IFN-gamma, which follows TNF by hours; time constant 10 h chosen so that "
           "the Kyn/Trp ratio peaks 6-10 h after LPS (Padberg 2012: 8 h) [V-abs]",
           description="turnover rate of induced IDO activity", bounds=(0.02, 2.0)),
        _p("g_TNF_IDO", 3.5, "1", source=_PROV + "TNF as proxy of the IFN-gamma/TNF drive of IDO1 "
           "(TNF and IFN-gamma blockade prevent stress-induced IDO1 mRNA in mice, Kiank et al. "
           "2010 PLoS One 5:e11825) [V-abs]; chosen so that 2 ng/kg LPS raises Kyn/Trp by "
           "about 40 % (Padberg 2012: +50 % after 4 ng/kg, 44.0 +- 15.2 vs 29.4 +- 6.8) "
           "[V-abs]", description="maximal relative IDO induction by TNF", bounds=(0, 40)),
        _p("K_TNF_IDO", 100.0, "pg/mL", source=_PROV + "same TNF half-effect as the HPA and "
           "autonomic couplings",
           description="TNF giving half-maximal IDO induction", bounds=(10, 1000)),
        _p("g_IL6_IDO", 1.75, "1",
           source=_PROV + "IL-6 as second proxy of the IDO drive (Kyn and Trp "
           "changes after endotoxin correlate with IL-6 and TNF over time, Kruse et al. 2019 "
           "Psychoneuroendocrinology 109:104371) [V-abs]",
           description="maximal relative IDO induction by "
           "IL-6", bounds=(0, 20)),
        _p("K_IL6_IDO", 300.0, "pg/mL", source=_PROV + "of the order of the IL-6 peak of a 2 ng/kg "
           "LPS challenge",
           description="IL-6 giving half-maximal IDO induction", bounds=(30, 3000)),
        _p("k_TDO", math.log(2) / 2.3, "1/h", source="rat liver TDO protein half-life about 2.3 h "
           "(Schimke et al. 1965 J Biol Chem 240:322) [R]",
           description="turnover rate of hepatic TDO "
           "activity", bounds=(0.05, 2.0)),
        _p("g_GC_TDO", 4.0, "1", source=_PROV + "glucocorticoids induce hepatic TDO several-fold "
           "(hydrocortisone in rats, Knox 1951; reviewed by Badawy 1977 Life Sci 21:755) [R]; "
           "maximal 5-fold", description="maximal relative TDO induction by glucocorticoid",
           bounds=(0, 20)),
        _p("K_GC_TDO", 30.0, "ug/dL",
           source=_PROV + "half-effect at stress / hydrocortisone-therapy "
           "cortisol, so the circadian rhythm moves TDO by only about +-25 %",
           description="glucocorticoid giving half-maximal TDO induction", bounds=(3, 300)),
        # --- sickness output (docs/design/0038) ----------------------------------------------
        _p("a_vaff_sick", 0.165, "1", source="calibrated to dataset Lasselin et al. 2017 Brain "
           "Behav Immun 66:e33 (abstract; 2 ng/kg, n = 22, Sickness Questionnaire 0-30: 5.8 at "
           "baseline, 18.9, 19.8, 11.8, 10.4 at 1.5, 3, 5, 7 h) [V-abs]: non-negative least "
           "squares of (score - 5.8)/30 on (vagal_afferent - 1) and (IL6_CSF/IL6_CSF0 - 1) of "
           "the composed standard model + brain_signalling, LPS 2 ng/kg at 08:00 "
           "(docs/design/0038); vagal/IL-1 route: IL-1 receptor antagonist lessened LPS symptoms "
           "in humans (J Immunol 1995 154:1499) [V-abs]",
           description="sickness (fraction of the Sickness Questionnaire range) per unit relative "
           "rise of vagal afferent activity", bounds=(0, 1)),
        _p("a_CSF_sick", 0.0738, "1", source="calibrated to dataset Lasselin et al. 2017 Brain "
           "Behav Immun 66:e33 with a_vaff_sick (same fit, docs/design/0038); CSF IL-6 route: "
           "the LPS-induced rise of CSF IL-6 went with the mood impairment (Engler et al. 2017 "
           "Mol Psychiatry, 0.8 ng/kg) [V-abs], and the IL-6 rise predicts LPS sickness symptoms "
           "(Benson et al. 2017 Clin Pharmacol Ther 102:141, n = 128) [V-abs]",
           description="sickness (fraction of the Sickness Questionnaire range) per unit relative "
           "rise of CSF IL-6", bounds=(0, 1)),
    ]
    s = {p.name: p.symbol for p in params}
    TNF, IL6, IL1b, GC = sym("TNF"), sym("IL6"), sym("IL1b"), sym("glucocorticoid")
    COX2, IL6_CSF, IDO, TDO, Trp, Kyn = (sym(x) for x in ("COX2", "IL6_CSF", "IDO", "TDO", "Trp",
                                                          "Kyn"))
    n = s["n_bs"]
    cox_target = _normalised(1, [
        (s["g_TNF_COX"], TNF, s["TNF_base_bs"], s["K_TNF_COX"], n),
        (s["g_IL1_COX"], IL1b, s["IL1b_base_bs"], s["K_IL1_COX"], s["n_IL1_bs"]),
        (s["g_IL6_COX"], IL6, s["IL6_base_bs"], s["K_IL6_COX"], n)])
    vagal = _normalised(1, [
        (s["g_IL1_vaff"], IL1b, s["IL1b_base_bs"], s["K_IL1_vaff"], s["n_IL1_bs"]),
        (s["g_TNF_vaff"], TNF, s["TNF_base_bs"], s["K_TNF_vaff"], n)])
    ido_target = _normalised(1, [
        (s["g_TNF_IDO"], TNF, s["TNF_base_bs"], s["K_TNF_IDO"], n),
        (s["g_IL6_IDO"], IL6, s["IL6_base_bs"], s["K_IL6_IDO"], n)])
    tdo_target = _normalised(1, [(s["g_GC_TDO"], GC, s["GC_base_bs"], s["K_GC_TDO"], n)])

    def transport(x):
        return s["Ki_IL6"] * s["Km_IL6"] * x / (s["Km_IL6"] + x)

    pge2 = sym("COX_activity_fraction") * (1 - s["f_COX2"] + s["f_COX2"] * COX2)
    cox_target = 1 + (cox_target - 1) * sym("GC_COX2_factor") / s["GC_COX2_ref_bs"]
    w = s["w_PGE2"] + s["w_vaff"] + s["w_CSF"]
    drive = (s["w_PGE2"] * pge2 + s["w_vaff"] * vagal + s["w_CSF"] * IL6_CSF / s["IL6_CSF0"]) / w
    kp = (1 - s["f_IDO"]) * TDO + s["f_IDO"] * IDO
    rates = {
        "COX2": s["k_COX2"] * (cox_target - COX2),
        "IL6_CSF": (transport(IL6) + s["k_CSF"] * s["IL6_CSF0"] - transport(s["IL6_base_bs"])
                    - s["k_CSF"] * IL6_CSF),
        "IDO": s["k_IDO"] * (ido_target - IDO),
        "TDO": s["k_TDO"] * (tdo_target - TDO),
        "Trp": s["k_Trp"] * s["Trp0"] - s["k_Trp"] * Trp * (1 - s["f_KP"] + s["f_KP"] * kp),
        "Kyn": (s["k_Kyn"] * s["Kyn0"] * ((1 - s["f_IDO_Kyn"]) * TDO + s["f_IDO_Kyn"] * IDO)
                * Trp / s["Trp0"] - s["k_Kyn"] * Kyn),
    }
    species = (
        Species("COX2", "1", 1.0, "cyclooxygenase-2 expression of brain endothelial cells "
                "relative to rest (induced by plasma TNF, IL-1beta, IL-6)", source=NOTES),
        Species("IL6_CSF", "pg/mL", IL6_CSF_REST, "cerebrospinal-fluid / brain interstitial "
                "IL-6 (intrathecal production plus saturable BBB transport of plasma IL-6)",
                source="Maier et al. 2005 J Neurotrauma 22:822; " + NOTES),
        Species("IDO", "1", 1.0, "extrahepatic indoleamine 2,3-dioxygenase (IDO1) activity "
                "relative to rest (induced by cytokines; TNF and IL-6 as proxies of IFN-gamma)",
                source=NOTES),
        Species("TDO", "1", 1.0, "hepatic tryptophan 2,3-dioxygenase (TDO2) activity relative "
                "to rest (induced by glucocorticoids)", source=NOTES),
        Species("Trp", "umol/L", TRP_REST, "plasma total tryptophan",
                source="Bevital reference range 40-90 umol/L; " + NOTES),
        Species("Kyn", "umol/L", KYN_REST, "plasma kynurenine",
                source="Bevital reference range 1.0-3.3 umol/L; Padberg et al. 2012"),
    )
    inputs = (
        Input("TNF", "pg/mL", TNF_REST, "plasma TNF-alpha acting on brain endothelium, vagal "
              "afferents and IDO-expressing cells"),
        Input("IL6", "pg/mL", IL6_REST, "plasma IL-6 (BBB transport, endothelial COX-2, IDO)"),
        Input("IL1b", "pg/mL", IL1B_REST, "plasma IL-1beta acting on brain endothelium and "
              "vagal afferents"),
        Input("glucocorticoid", "ug/dL", CORTISOL_REF, "cortisol-equivalent glucocorticoid "
              "inducing hepatic TDO (hpa observable: cortisol + exogenous steroids)"),
        Input("COX_activity_fraction", "1", 1.0, "fraction of cyclooxygenase activity left by "
              "COX inhibitors (1 = none)", hook=True),
        Input("GC_COX2_factor", "1", GC_COX2_FEVER_REF, "share of cytokine-induced COX-2 left "
              "by glucocorticoid (innate module)", hook=True),
    )
    observables = (
        Observable("PGE2_brain", "1", pge2, "hypothalamic/brain PGE2 synthesis relative to rest "
                   "(the fever and HPA mediator of blood-borne cytokines)"),
        Observable("vagal_afferent", "1", vagal, "vagal afferent (paraganglia, nodose) activity "
                   "driven by plasma IL-1beta and TNF, relative to rest"),
        Observable("hypothalamic_cytokine_drive", "1", drive, "combined cytokine signal reaching "
                   "the hypothalamus (PGE2, vagal afferents, CSF IL-6), 1 at rest; intended to "
                   "drive CRH (and fever) in place of direct plasma-TNF terms"),
        Observable("Kyn_Trp_ratio", "1", Kyn / Trp, "plasma kynurenine/tryptophan ratio "
                   "(x 1000 = umol/mmol; about 0.03 at rest)"),
        Observable("sickness", "1", s["a_vaff_sick"] * (vagal - 1)
                   + s["a_CSF_sick"] * (IL6_CSF / s["IL6_CSF0"] - 1), "self-reported sickness "
                   "behaviour: rise of the Sickness Questionnaire score over its pre-challenge "
                   "value as a fraction of the scale's 30 points (0 at rest; output only)"),
        Observable("serotonin_synthesis_index", "1", Trp / s["Trp0"], "brain serotonin "
                   "synthesis relative to rest, proportional to tryptophan availability "
                   "(LNAA competition and albumin binding ignored)"),
    )
    return Module("brain_signalling", species, tuple(params), rates, inputs=inputs,
                  observables=observables,
                  description="immune-to-brain signalling (BBB transport of IL-6, endothelial "
                              "COX-2/PGE2, vagal afferents, hypothalamic cytokine drive) and the "
                              "tryptophan-kynurenine-serotonin balance (IDO, TDO)",
                  citation=f"new module (no published ODE model; {NOTES}); Padberg et al. 2012 "
                           "Exp Transl Stroke Med 4:24; Banks et al. 1995 "
                           "Neuroimmunomodulation 2:241; Quan et al. 1998 Brain Res 802:189")
