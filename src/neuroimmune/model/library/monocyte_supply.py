"""Monocyte supply from the bone marrow (module ``monocyte_supply``; docs/design/0039).

The innate module's resting pool (``monocytes_resting``, MR) renews only by the published logistic
proliferation k_MR MR (1 - MR/M_max) (Windoloski et al. 2024), about 0.5 % a day near rest, and
that term vanishes as MR does: a stimulus that lasts days (a persistent infection) empties the
pool for weeks. Human monocytes are instead made in the marrow and renewed daily: deuterium
labelling shows classical monocytes leaving the marrow after a post-mitotic 1.6 d and circulating
for about a day (Patel et al. 2017). This module adds that renewal through the innate module's
hook ``monocyte_turnover``, at the marrow's resting output::

    dMR/dt += k_mono (M_max - MR)                  (innate: monocyte_turnover = k_mono)

The pool rests at M_max (no LPS, no resting activation), where inflow and loss cancel, so the
resting state is unchanged; below it the marrow refills the pool at k_mono per hour of the
deficit.

Blood monocytes and their early release after LPS (docs/design/0043): blood monocytes Mb
(``monocytes_blood``, cell/nL) come from a post-mitotic marrow reserve B
(``marrow_monocyte_reserve``, 1 at rest, made at a constant rate and released after its measured
transit) and leave the blood at k_mono,
faster while LPS marginates them (the monocytopenia of human endotoxemia); an LPS-sensed release
signal S (standing for CCL2 and the other release mediators) raises the release, which restores
the blood count from the marrow (Patel et al. 2017: restoration "by the early release of
classical monocytes from bone marrow")::

    R = (1 + s_rel_M S) B,   dS/dt = k_rel_M (H(LPS + PAMP) - S),   H(x) = x / (x + K_LPS_M)
    dB/dt  = k_marrow (1 - R)
    dMb/dt = k_mono (Mb0 R - (1 + s_mar_M H(LPS + PAMP)) Mb)

The early release is not passed on to the innate pool: with the same relative inflow that pool
(which LPS depletes by 30 %, while the blood count falls by more than half) would overfill: the
2 ng/kg IL-10 peak would be 71 pg/mL against 44 without the supply and in its calibration data
(0043). Production does not
respond (emergency myelopoiesis has no measured human size in the stored sources).
"""

from __future__ import annotations

from ..core import Input, Module, Observable, Species, hill_up, sym
from ._common import literature_parameter as _p

#: Circulating lifespan of classical monocytes (h): about a day (Patel et al. 2017).
LIFESPAN_H = 24.0
#: Post-mitotic time of classical monocytes in the marrow (h): 1.6 d (Patel et al. 2017).
MARROW_TRANSIT_H = 1.6 * 24.0
#: Blood monocytes at rest (cell/nL): Ann Surg 2014;259:999 Table 1, leukocytes x % monocytes
#: before LPS or placebo, mean of the four groups (6.8 x 7.9 %, 6.0 x 8.0 %, 6.0 x 7.2 %,
#: 6.9 x 7.0 %) [V-page].
MONOCYTES_BLOOD_REST = (6.8 * 7.9 + 6.0 * 8.0 + 6.0 * 7.2 + 6.9 * 7.0) / 400.0

# Calibrated constants of the blood block (docs/design/0043; benchmarks/fit_monocytes.py).
S_MAR_M = 67.55
S_REL_M = 493.5
K_REL_M = 0.0546

_PATEL_2017 = ("Patel AA et al. J Exp Med 2017;214:1913 (deuterium-glucose labelling of human "
               "monocyte subsets: classical monocytes leave the marrow after a post-mitotic "
               "1.6 d and circulate for about a day; intermediate ~4 d, non-classical ~7 d) "
               "[V-abs]")


_ANN_SURG = ("Ann Surg 2014;259:999 Table 1 (LPS 0.1, 0.5 and 1 ng/kg, n = 5 per dose; "
             "leukocytes x % monocytes at 0, 3, 6, 24 h [V-page])")
_CAL_M = ("calibrated: least squares to the blood monocyte counts after LPS 0.1, 0.5 and 1 ng/kg, "
          "each at its own dose, as ratios to 0 h at 3, 6 and 24 h (" + _ANN_SURG + "; 1 ng/kg "
          "x0.49, x1.03, x1.06; 0.5 ng/kg x0.91, x1.57, x1.33; 0.1 ng/kg x1.13, x1.05, x1.11; "
          "SD 0.3 each); benchmarks/fit_monocytes.py, docs/design/0043")
_PROV = "provisional (modelling choice, no human number found): "


def monocyte_supply() -> Module:
    """Bone-marrow renewal of the innate module's resting monocytes (at the marrow's resting
    output), and blood monocytes with their LPS margination and early marrow release (production
    constant)."""
    params = (
        _p("k_mono", 1.0 / LIFESPAN_H, "1/h", source="1 / 1 d: circulating lifespan of "
           "classical monocytes, 85 % of blood monocytes (" + _PATEL_2017 + "); lower bound "
           "1/4 d: older whole-population labelling gave a blood residence of 2-4 d (as cited "
           "by Tak et al. 2017 Blood 130:1474); upper bound 1/12 h (wide)",
           bounds=(1.0 / 96.0, 1.0 / 12.0),
           description="renewal rate of the resting monocyte pool by marrow output"),
        _p("k_marrow", 1.0 / MARROW_TRANSIT_H, "1/h", source="1 / 1.6 d: post-mitotic interval "
           "of classical monocytes in the marrow (" + _PATEL_2017 + "); bounds 1/4 d to 1/12 h "
           "(wide: the abstract gives no spread)", bounds=(1.0 / 96.0, 1.0 / 12.0),
           description="release rate of post-mitotic monocytes from the marrow reserve"),
        _p("Mb0", MONOCYTES_BLOOD_REST, "cell/nL", source=_ANN_SURG + ": mean of the four "
           "groups before LPS or placebo", bounds=(0.2, 1.0),
           description="blood monocyte count at which release balances removal"),
        _p("s_mar_M", S_MAR_M, "1", source=_CAL_M, bounds=(1.0, 1000.0),
           description="maximal relative increase of blood monocyte removal (margination) by "
           "LPS"),
        _p("s_rel_M", S_REL_M, "1", source=_CAL_M, bounds=(0.01, 5000.0),
           description="maximal relative increase of marrow monocyte release by the LPS-sensed "
           "release signal"),
        _p("k_rel_M", K_REL_M, "1/h", source=_CAL_M, bounds=(0.05, 20.0),
           description="rate constant of the LPS-sensed monocyte release signal"),
        _p("K_LPS_M", 1.0, "ng/kg", source=_PROV + "LPS (+ PAMP) half-effect near the plasma "
           "endotoxin of a 2 ng/kg bolus within its first hour, as K_LPS_N of the neutrophils "
           "(innate_extra)", bounds=(0.05, 20.0),
           description="LPS giving half-maximal monocyte margination and release signal"),
        _p("n_LPS_M", 1.0, "1", source=_PROV + "hyperbolic, as n_LPS_N of the neutrophils "
           "(innate_extra)", bounds=(0.5, 6.0),
           description="Hill exponent of LPS on monocyte margination and release signal"),
    )
    s = {p.name: p.symbol for p in params}
    B, Mb = sym("marrow_monocyte_reserve"), sym("monocytes_blood")
    S = sym("monocyte_release_signal")
    sensed = hill_up(sym("LPS") + sym("PAMP"), s["K_LPS_M"], s["n_LPS_M"])
    release = (1 + s["s_rel_M"] * S) * B
    species = (
        Species("marrow_monocyte_reserve", "1", 1.0, "post-mitotic monocytes in the "
                "bone-marrow reserve relative to rest"),
        Species("monocytes_blood", "cell/nL", MONOCYTES_BLOOD_REST, "blood monocyte count "
                "(all subsets, with the kinetics of classical monocytes)", source=_ANN_SURG),
        Species("monocyte_release_signal", "1", 0.0, "LPS-sensed signal of early marrow "
                "monocyte release (standing for CCL2 and the other release mediators)"),
    )
    observables = (
        Observable("marrow_monocyte_output", "1", release,
                   "monocyte release from the marrow into the blood relative to rest"),
        Observable("monocyte_turnover", "1/h", sym("k_mono"),
                   "renewal rate of resting monocytes by marrow output"),
    )
    rates = {
        "marrow_monocyte_reserve": s["k_marrow"] * (1 - release),
        "monocytes_blood": s["k_mono"] * (s["Mb0"] * release
                                          - (1 + s["s_mar_M"] * sensed) * Mb),
        "monocyte_release_signal": s["k_rel_M"] * (sensed - S),
    }
    inputs = (
        Input("LPS", "ng/kg", 0.0, "circulating endotoxin (innate module)"),
        Input("PAMP", "ng/kg", 0.0, "LPS-equivalent pathogen- or damage-associated stimulus "
              "(tissue module)"),
    )
    return Module("monocyte_supply", species, params, rates, inputs=inputs,
                  observables=observables,
                  description="bone-marrow renewal of resting monocytes; blood monocytes",
                  citation="Patel et al. 2017 J Exp Med 214:1913")
