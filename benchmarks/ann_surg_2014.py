"""Ann Surg 2014;259:999 Table 1 (LPS 0.1, 0.5 and 1 ng/kg, n = 5 per dose; leukocytes and the
differential at 0, 3, 6 and 24 h) and the batch read-out of a blood count, shared by the fits of
the neutrophil block (fit_neutrophils.py) and the blood-monocyte block (fit_monocytes.py)."""
import numpy as np

from neuroimmune import solve

LEUKOCYTES = {1.0: [6.8, 11.4, 10.9, 6.8], 0.5: [6.0, 11.5, 10.9, 6.8],
              0.1: [6.0, 7.3, 8.4, 6.2]}                      # 1e9/L
NEUTROPHIL_PCT = {1.0: [55.9, 92.7, 86.8, 57.6], 0.5: [59.2, 87.0, 82.9, 56.2],
                  0.1: [58.9, 76.0, 73.3, 61.5]}
MONOCYTE_PCT = {1.0: [7.9, 2.3, 5.1, 8.4], 0.5: [8.0, 3.8, 6.9, 9.4], 0.1: [7.2, 6.7, 5.4, 7.7]}
HOURS = (3, 6, 24)


def ratios(percent: dict) -> dict:
    """Dose -> the count (leukocytes x %) at 3, 6 and 24 h over the count at 0 h."""
    return {d: [w * f / (LEUKOCYTES[d][0] * percent[d][0])
                for w, f in zip(LEUKOCYTES[d], percent[d])][1:] for d in LEUKOCYTES}


def blood_count(model, params, protocol, t, output: str) -> np.ndarray:
    """(candidates, times) of `output`; a failed candidate's row is NaN (the estimation engine's
    penalty then applies)."""
    sol = solve(model, params, protocol, t)
    out = sol.outputs[:, :, model.outputs.index(output)].copy()
    out[sol.status != 0] = np.nan
    return out
