"""The chronic-stress figures quoted in docs/sources/hpa_chronic.md (calibrated axis):
gland masses and GR sensitivity at the end of week 6 and in recovery, mean hormones in week 6,
the TSST probe, and LPS the morning after. Run: .venv/bin/python benchmarks/hpa_chronic_numbers.py
"""
import numpy as np
from neuroimmune import scenarios
ds = scenarios.simulate("chronic-stress")
t = ds.time.values
def at(v, h): return float(np.interp(h, t, ds[v].values[0]))
def daymean(v, d0, d1):
    m = (t >= 24*d0) & (t < 24*(d1+1)); return float(ds[v].values[0][m].mean())
end = 42*24+12
print("P", at("pituitary_mass", end), "A", at("adrenal_mass", end), "G", at("GR_sensitivity", end))
for v in ("cortisol", "ACTH", "CRH"):
    print(v, "week6/day0 mean ratio", daymean(v, 36, 42) / daymean(v, -0, 0))
for wk in (2, 8):
    h = 24*(42+7*wk)+12
    print(f"recovery {wk} wk: P", at("pituitary_mass", h), "A", at("adrenal_mass", h), "G", at("GR_sensitivity", h))
def resp(day):
    s = 24*day+6; m = (t >= s) & (t <= s+3); x = ds.cortisol.values[0][m]; return x.max()-x[0]
print("TSST response day45/day0", resp(45)/resp(0))
lps = scenarios.simulate("lps-bolus")
c = scenarios.simulate("chronic-stress-lps")
tt = c.time.values; s0 = 24*43
for v in ("TNF", "IL6", "IL10", "cortisol"):
    pk = c[v].values[0][tt >= s0].max(); ref = float(lps[v].max())
    print("chronic-stress-lps", v, pk/ref)
p = scenarios.simulate("lps-chronic-stress")
for v in ("TNF", "IL6", "IL10", "cortisol"):
    print("lps-chronic-stress profile", v, float(p[v].max())/float(lps[v].max()))
