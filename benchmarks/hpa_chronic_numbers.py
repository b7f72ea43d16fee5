"""The chronic-stress figures quoted in docs/sources/hpa_chronic.md (calibrated axis): gland
masses and GR sensitivity at the end of week 6 and in recovery, mean hormones in week 6, the TSST
probe, and LPS the morning after. Run: .venv/bin/python benchmarks/hpa_chronic_numbers.py
"""

import numpy as np

from neuroimmune import scenarios

WEEK6_END = 42 * 24 + 12  # day 42, 20:00 (t = 0 at 08:00)


def main() -> None:
    ds = scenarios.simulate("chronic-stress")
    t = ds["time"].values

    def at(name: str, hour: float) -> float:
        return float(np.interp(hour, t, ds[name].values[0]))

    def day_mean(name: str, first: int, last: int) -> float:
        keep = (t >= 24 * first) & (t < 24 * (last + 1))
        return float(ds[name].values[0][keep].mean())

    def tsst_rise(day: int) -> float:
        start = 24 * day + 6
        x = ds["cortisol"].values[0][(t >= start) & (t <= start + 3)]
        return float(x.max() - x[0])

    print("end of week 6:", {n: round(at(n, WEEK6_END), 4)
                             for n in ("pituitary_mass", "adrenal_mass", "GR_sensitivity")})
    for name in ("cortisol", "ACTH", "CRH"):
        ratio = day_mean(name, 36, 42) / day_mean(name, 0, 0)
        print(f"{name}: week-6 mean / day-0 mean = {ratio:.3f}")
    for weeks in (2, 8):
        hour = WEEK6_END + 24 * 7 * weeks
        print(f"recovery {weeks} weeks:", {n: round(at(n, hour), 4)
                                            for n in ("pituitary_mass", "adrenal_mass",
                                                      "GR_sensitivity")})
    print(f"TSST cortisol rise day 45 / day 0 = {tsst_rise(45) / tsst_rise(0):.3f}")
    lps = scenarios.simulate("lps-bolus")
    chronic = scenarios.simulate("chronic-stress-lps")
    after = chronic["time"].values >= 24 * 43
    profile = scenarios.simulate("lps-chronic-stress")
    for name in ("TNF", "IL6", "IL10", "cortisol"):
        ref = float(lps[name].max())
        stressed = float(chronic[name].values[0][after].max()) / ref
        print(f"{name} peak: chronic-stress-lps {stressed:.3f}, lps-chronic-stress "
              f"{float(profile[name].max()) / ref:.3f} (x lps-bolus)")


if __name__ == "__main__":
    main()
