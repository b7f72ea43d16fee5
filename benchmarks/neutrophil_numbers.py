import numpy as np
from neuroimmune import Protocol, lps_bolus, solve
from neuroimmune.scenarios import load, system
m = system(load("lps-leukocytes")); T = np.arange(0, 24.0001, 0.02)
i = m.outputs.index("neutrophils")
for d in (0.1, 0.5, 0.8, 1.0, 2.0):
    n = solve(m, None, Protocol([lps_bolus(d, 0.0)], clock_start=8, preequilibrate_days=120), T).outputs[0, :, i]
    e = T <= 1.5
    print(d, "rise %+.1f at %.1f h; nadir x%.2f at %.1f h; 24 h x%.2f" % (n.max()-n[0], T[n.argmax()], n[e].min()/n[0], T[e][n[e].argmin()], n[-1]/n[0]))
hc = load("src/neuroimmune/validation/data/protocols/hydrocortisone-200mg-iv.toml"); mh = system(hc)
n = solve(mh, None, hc.protocol, hc.times()).outputs[0, :, mh.outputs.index("neutrophils")]
t = hc.times(); print("HC rise %+.2f (x%.2f) at %.1f h, %.2f at 24 h" % (n.max()-n[0], n.max()/n[0], t[n.argmax()], n[-1]))
j = m.outputs.index("neutrophils_marrow")
for d in (0.1, 0.5, 0.8, 1.0, 2.0):
    y = solve(m, None, Protocol([lps_bolus(d, 0.0)], clock_start=8, preequilibrate_days=120), T).outputs[0]
    print(d, "reserve min x%.2f; resting reserve %.0f (%.1f x blood)" % (y[:, j].min()/y[0, j], y[0, j], y[0, j]/y[0, i]))
