"""Calibration cost of the shipped calibrated set with the default hpa module and with
``hpa(basal_acth=True)`` swapped into the standard model (docs/design/0027): total and per block.

    PYTHONPATH=src .venv/bin/python benchmarks/basal_acth_cost.py
"""

from __future__ import annotations

from neuroimmune.model import library
from neuroimmune.model.library import hpa
from neuroimmune.validation import calibrate as cal


def cost() -> tuple[float, dict[str, float]]:
    values = cal.load_calibrated()
    pb = cal.calibration_problem()
    v = {k: x for k, x in values.items() if k in pb.parameters}
    return pb.cost(v), pb.block_costs(v)


if __name__ == "__main__":
    for label in ("default", "basal_acth"):
        if label == "basal_acth":
            library.BY_NAME["hpa"] = lambda: hpa(basal_acth=True)
        total, blocks = cost()
        print(f"{label}: cost {total:.4f}; " + ", ".join(f"{k} {x:.4g}" for k, x in
                                                         blocks.items()))
