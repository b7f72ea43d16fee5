"""The sickness weights `a_vaff_sick` and `a_CSF_sick` of brain_signalling
(docs/design/0038-sickness-output.md): non-negative least squares on the 2 ng/kg Sickness
Questionnaire time course of Lasselin et al. 2017 Brain Behav Immun 66:e33 (abstract; n = 22;
0-30 scale: 5.8 at baseline, 18.9, 19.8, 11.8, 10.4 at 1.5, 3, 5, 7 h).

The data are (score - 5.8) / 30; the regressors are (vagal_afferent - 1) and
(IL6_CSF / IL6_CSF0 - 1) of the composed standard model + brain_signalling after LPS 2 ng/kg at
08:00. The other single signals and pairs of the module (PGE2_brain, plasma IL-6, the
hypothalamic drive) are fitted too, for comparison (residual sum of squares).

    PYTHONPATH=src .venv/bin/python benchmarks/fit_sickness_lasselin.py
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import nnls

from neuroimmune import Protocol, compile_model, compose, lps_bolus, simulate
from neuroimmune.model.library import STANDARD
from neuroimmune.model.library.brain_signalling import IL6_CSF_REST, brain_signalling
from neuroimmune.scenarios import PREEQ_DAYS

HOURS = np.array([1.5, 3.0, 5.0, 7.0])
SCORE = np.array([18.9, 19.8, 11.8, 10.4])
BASELINE, RANGE = 5.8, 30.0


def main() -> None:
    model = compile_model(compose(*[f() for f in STANDARD], brain_signalling(),
                                  name="standard_brain"))
    t = np.arange(0.0, 30.0 + 1e-9, 0.05)
    ds = simulate(model, Protocol([lps_bolus(2.0, 0.0)], clock_start=8,
                                  preequilibrate_days=PREEQ_DAYS), t)

    def v(name):
        return ds[name].values[0]

    signals = {"vagal_afferent": v("vagal_afferent") - 1,
               "IL6_CSF": v("IL6_CSF") / IL6_CSF_REST - 1,
               "PGE2_brain": v("PGE2_brain") - 1,
               "IL6 (pg/mL)": v("IL6") - v("IL6")[0],
               "hypothalamic_cytokine_drive": v("hypothalamic_cytokine_drive") - 1}
    y = (SCORE - BASELINE) / RANGE
    idx = np.searchsorted(t, HOURS)
    print("data", np.round(y, 3))
    for k in (1, 2):
        for combo in itertools.combinations(signals, k):
            a = np.column_stack([signals[c][idx] for c in combo])
            w, rnorm = nnls(a, y)
            pred = sum(wi * signals[c] for wi, c in zip(w, combo))
            print(f"{' + '.join(combo):50s} w={np.round(w, 5)} rss={rnorm**2:.4f} "
                  f"fit={np.round(a @ w, 3)} peak {pred.max():.3f} at {t[pred.argmax()]:.2f} h")


if __name__ == "__main__":
    main()
