"""The table of docs/design/0016-glucocorticoid-immune-arm.md: cytokine peaks of the glucocorticoid
and adrenergic scenarios relative to `lps-bolus`, each peak taken from its scenario's LPS on.

    PYTHONPATH=src .venv/bin/python benchmarks/gc_arm_peaks.py
"""

from __future__ import annotations

from neuroimmune import scenarios

#: scenario -> time of its LPS injection (h after the scenario's start)
SCENARIOS = {"lps-hydrocortisone": 6.0, "lps-prednisolone": 0.0, "lps-epinephrine": 0.0,
             "lps-gc-resistance": 0.0, "lps-chronic-stress": 0.0}
VARIABLES = ("TNF", "IL6", "IL10")


def peaks(name: str, onset: float) -> dict[str, float]:
    ds = scenarios.simulate(name)
    after = ds.sel(time=slice(onset, None))
    return {v: float(after[v].max()) for v in VARIABLES}


if __name__ == "__main__":
    base = peaks("lps-bolus", 0.0)
    print("| scenario | " + " | ".join(VARIABLES) + " (peak / lps-bolus peak) |")
    print("|---|" + "---|" * len(VARIABLES))
    print("| lps-bolus (absolute peaks, pg/mL) | "
          + " | ".join(f"{base[v]:.3g}" for v in VARIABLES) + " |")
    for name, onset in SCENARIOS.items():
        p = peaks(name, onset)
        print(f"| {name} | " + " | ".join(f"{p[v] / base[v]:.2f}" for v in VARIABLES) + " |")
