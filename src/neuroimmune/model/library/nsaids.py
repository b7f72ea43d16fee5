"""Cyclooxygenase (COX) inhibitors: oral ibuprofen, acting through the ``COX_activity_fraction``
hook of the fever, innate, hpa and brain_signalling modules (docs/design/0003, docs/design/
0030-prostaglandin-route.md):

    COX_activity_fraction = 1 / (1 + C_ibuprofen / IC50_COX_ibuprofen)

C_ibuprofen is the total plasma concentration and IC50 the human whole-blood COX-2 assay value
(LPS-stimulated PGE2 in whole blood: the drug is measured in the presence of plasma proteins, so
the total concentration is the one to compare). Ibuprofen is non-selective (whole-blood COX-1
IC50 7.6 uM, COX-2 7.2 uM), so the one fraction stands for both isoforms. Inhibition is
reversible and competitive, so it follows the plasma concentration without delay.

Pharmacokinetics: one compartment with first-order oral absorption (``one_compartment_drug``);
F is folded into the apparent volume (V/F). Ibuprofen's total clearance rises a little with dose
(saturable albumin binding) and it has a small distribution phase: both ignored, so the AUC of
400 mg comes out about 1.45 x the non-compartmental AUC of the same study (docs/design/0030).
Dose with ``DrugDose("ibuprofen", "800 mg", time, route="oral")``.
"""

from __future__ import annotations

import math

from ..core import Input, Module, Observable, Parameter, compose, sym
from .pk import one_compartment_drug

#: Molar mass of ibuprofen (C13H18O2), g/mol (PubChem CID 3672).
IBUPROFEN_G_PER_MOL = 206.28
#: Al-Tamimi, Jaber & Sulaiman 2025 Int J Appl Pharm 17(5) (doi:10.22159/ijap.2025v17i5.55640)
#: [V-abs]: 400 mg tablet, fasting healthy Arabic men: Cmax 26.1 +- 4.7 ug/mL, tmax 1.98 +-
#: 0.56 h, t1/2 2.29 +- 0.42 h, CL/F 3.9 L/h, Vd/F 12.6 L.
_TMAX_H, _CMAX_MG_L, _HALF_LIFE_H, _DOSE_MG = 1.98, 26.1, 2.29, 400.0
IBUPROFEN_KE = math.log(2) / _HALF_LIFE_H


def _ka_from_tmax(tmax: float, ke: float) -> float:
    """Absorption rate whose one-compartment peak time is `tmax` (bisection on ka > ke)."""
    lo, hi = ke * 1.0001, 50.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if math.log(mid / ke) / (mid - ke) > tmax else (lo, mid)
    return 0.5 * (lo + hi)


IBUPROFEN_KA = _ka_from_tmax(_TMAX_H, IBUPROFEN_KE)
#: V/F giving the mean Cmax at the mean tmax for the 400-mg dose.
IBUPROFEN_V = _DOSE_MG / _CMAX_MG_L * IBUPROFEN_KA / (IBUPROFEN_KA - IBUPROFEN_KE) * (
    math.exp(-IBUPROFEN_KE * _TMAX_H) - math.exp(-IBUPROFEN_KA * _TMAX_H))

_PK = ("ibuprofen 400 mg oral, fasting healthy men (Al-Tamimi, Jaber & Sulaiman 2025 Int J Appl "
       "Pharm 17(5), doi:10.22159/ijap.2025v17i5.55640 [V-abs]): t1/2 2.29 h gives ke; ka is the "
       "absorption rate whose peak time is the mean tmax 1.98 h and V/F the volume giving the "
       "mean Cmax 26.1 ug/mL there [D]; F folded into V/F (F = 1)")
_IC50 = ("Warner TD et al. Proc Natl Acad Sci USA 1999;96:7563 (PMID 10377455), human whole "
         "blood assay: ibuprofen IC50 7.2 uM for COX-2 (LPS-induced PGE2) and 7.6 uM for COX-1 "
         "[V-sec: table values quoted by a vendor page; the PNAS abstract gives no numbers]; "
         "x 206.28 g/mol = 1.49 mg/L total plasma ibuprofen; bounds: intact human cells 3.5 uM "
         "(IL-1-stimulated synovial cells, Kawai et al. 1998 Eur J Pharmacol, doi:10.1016/"
         "s0014-2999(98)00078-8 [V-abs]) and the washed-monocyte COX-2 assay 20 uM (Warner "
         "1999 [V-sec])")


def nsaids() -> Module:
    """Oral ibuprofen and the fraction of cyclooxygenase activity it leaves."""
    pk = one_compartment_drug("ibuprofen", ka=IBUPROFEN_KA, ke=IBUPROFEN_KE, volume=IBUPROFEN_V,
                              bioavailability=1.0, source=_PK)
    ic50 = 7.2e-3 * IBUPROFEN_G_PER_MOL
    params = (Parameter("IC50_COX_ibuprofen", ic50, "mg/L", _IC50,
                        bounds=(3.5e-3 * IBUPROFEN_G_PER_MOL, 20e-3 * IBUPROFEN_G_PER_MOL),
                        description="total plasma ibuprofen halving cyclooxygenase activity "
                                    "(human whole blood, COX-2)"),)
    action = Module(
        "cox_inhibition", (), params, {},
        inputs=(Input("ibuprofen", "mg/L", 0.0, "total plasma ibuprofen"),),
        observables=(Observable("COX_activity_fraction", "1",
                                1 / (1 + sym("ibuprofen") / sym("IC50_COX_ibuprofen")),
                                "fraction of cyclooxygenase (COX-1 and COX-2) activity left by "
                                "COX inhibitors"),))
    return compose(pk, action, name="nsaids")
