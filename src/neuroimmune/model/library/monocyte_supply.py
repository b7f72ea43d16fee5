"""Monocyte supply from the bone marrow (module ``monocyte_supply``; docs/design/0039).

The innate module's resting pool (``monocytes_resting``, MR) renews only by the published logistic
proliferation k_MR MR (1 - MR/M_max) (Windoloski et al. 2024), about 0.5 % a day near rest, and
that term vanishes as MR does: a stimulus that lasts days (a persistent infection) empties the
pool for weeks. Human monocytes are instead made in the marrow and renewed daily: deuterium
labelling shows classical monocytes leaving the marrow after a post-mitotic 1.6 d and circulating
for about a day (Patel et al. 2017). This module adds that renewal through two hooks of the
innate module: a post-mitotic marrow reserve B (``marrow_monocyte_reserve``, 1 at rest) made at a
constant rate and released after its measured transit, and the turnover of the pool::

    dB/dt  = k_marrow (1 - B)                      (production 1, release k_marrow B)
    dMR/dt += k_mono (M_max B - MR)                (innate: monocyte_turnover = k_mono,
                                                    marrow_monocyte_release = B)

The pool rests at M_max (no LPS, no resting activation), where inflow and loss cancel, so the
resting state is unchanged; below it the marrow refills the pool at k_mono per hour of the
deficit. Production and release do not respond to infection here (emergency myelopoiesis and the
early release of marrow monocytes after LPS have no measured size in the stored sources; the
design note says what is missing), so B stays at 1.
"""

from __future__ import annotations

from ..core import Module, Observable, Species, sym
from ._common import literature_parameter as _p

#: Circulating lifespan of classical monocytes (h): about a day (Patel et al. 2017).
LIFESPAN_H = 24.0
#: Post-mitotic time of classical monocytes in the marrow (h): 1.6 d (Patel et al. 2017).
MARROW_TRANSIT_H = 1.6 * 24.0

_PATEL_2017 = ("Patel AA et al. J Exp Med 2017;214:1913 (deuterium-glucose labelling of human "
               "monocyte subsets: classical monocytes leave the marrow after a post-mitotic "
               "1.6 d and circulate for about a day; intermediate ~4 d, non-classical ~7 d) "
               "[V-abs]")


def monocyte_supply() -> Module:
    """Bone-marrow renewal of the innate module's resting monocytes (constant output)."""
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
    )
    B = sym("marrow_monocyte_reserve")
    species = (Species("marrow_monocyte_reserve", "1", 1.0, "post-mitotic monocytes in the "
                       "bone-marrow reserve relative to rest"),)
    observables = (
        Observable("marrow_monocyte_release", "1", B,
                   "monocyte release from the marrow relative to rest"),
        Observable("monocyte_turnover", "1/h", sym("k_mono"),
                   "renewal rate of resting monocytes by marrow output"),
    )
    return Module("monocyte_supply", species, params,
                  {"marrow_monocyte_reserve": sym("k_marrow") * (1 - B)},
                  observables=observables, description="bone-marrow renewal of resting monocytes",
                  citation="Patel et al. 2017 J Exp Med 214:1913")
