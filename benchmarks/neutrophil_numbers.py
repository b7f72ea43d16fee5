"""The innate_extra neutrophil numbers of docs/sources/innate_extra.md F: blood count and marrow
reserve after LPS 0.1-2 ng/kg and after hydrocortisone 200 mg i.v. Run from the repository root
with PYTHONPATH=src .venv/bin/python benchmarks/neutrophil_numbers.py."""
import numpy as np

from neuroimmune import Protocol, lps_bolus, solve
from neuroimmune.scenarios import load, system

LPS_MODEL = system(load("lps-leukocytes"))
T = np.arange(0, 24.0001, 0.02)
BLOOD = LPS_MODEL.outputs.index("neutrophils")
MARROW = LPS_MODEL.outputs.index("neutrophils_marrow")

for dose in (0.1, 0.5, 0.8, 1.0, 2.0):
    protocol = Protocol([lps_bolus(dose, 0.0)], clock_start=8, preequilibrate_days=120)
    y = solve(LPS_MODEL, None, protocol, T).outputs[0]
    n, reserve, early = y[:, BLOOD], y[:, MARROW], T <= 1.5
    print(f"LPS {dose} ng/kg: rise {n.max() - n[0]:+.1f} cell/nL at {T[n.argmax()]:.1f} h; "
          f"nadir x{n[early].min() / n[0]:.2f} at {T[early][n[early].argmin()]:.1f} h; "
          f"24 h x{n[-1] / n[0]:.2f}; reserve down to x{reserve.min() / reserve[0]:.2f}; "
          f"resting reserve {reserve[0]:.0f} cell/nL ({reserve[0] / n[0]:.1f} x blood)")

hc = load("src/neuroimmune/validation/data/protocols/hydrocortisone-200mg-iv.toml")
hc_model = system(hc)
n = solve(hc_model, None, hc.protocol, hc.times()).outputs[0, :, hc_model.outputs.index(
    "neutrophils")]
print(f"hydrocortisone 200 mg i.v.: rise {n.max() - n[0]:+.2f} cell/nL (x{n.max() / n[0]:.2f}) "
      f"at {hc.times()[n.argmax()]:.1f} h, {n[-1]:.2f} at 24 h")
