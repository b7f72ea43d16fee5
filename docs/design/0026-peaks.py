"""LPS 2 ng/kg peaks by subject with the shipped calibrated set (standard + gonadal), for
docs/design/0026-sex-steroids-on-monocytes.md: PYTHONPATH=src python docs/design/0026-peaks.py"""
import dataclasses

from neuroimmune import scenarios

V = ("TNF", "IL6", "IL8", "IL10", "cortisol", "temperature")
C = ("TNF", "IL6", "IL8", "IL10")
cases = {"man (lps-bolus)": ("lps-bolus", None, 0.0),
         "man + gonadal module": ("lps-woman", "healthy-man", 0.0),
         "woman, follicular (lps-woman)": ("lps-woman", None, 0.0),
         "woman, luteal (lps-woman-luteal)": ("lps-woman-luteal", None, 0.0),
         "post-menopausal (lps-ovariectomy)": ("lps-ovariectomy", None, 0.0)}
if "lps-estradiol-therapy" in scenarios.BUILTIN:
    cases["post-menopausal + E2 100 ug/d (lps-estradiol-therapy)"] = ("lps-estradiol-therapy",
                                                                     None, 48.0)
rows = {}
for label, (name, prof, t_lps) in cases.items():
    sc = scenarios.BUILTIN[name]
    if prof:
        sc = dataclasses.replace(sc, profiles=(prof,))
    extra = ("sex_proinflammatory",) if "gonadal" in sc.modules else ()
    sc = dataclasses.replace(sc, outputs=(*sc.outputs, *extra))
    ds = scenarios.simulate(sc).sel(time=slice(t_lps, None))
    r = {v: float(ds[v].values[0].max()) for v in V}
    for v in ("sex_proinflammatory", "estradiol", "progesterone", "testosterone"):
        if v in ds:
            r[v] = float(ds[v].values[0, 0])    # at the time of LPS
    rows[label] = r
man = rows["man (lps-bolus)"]
for k, r in rows.items():
    print(f"{k:56s} " + " ".join(f"{n}={v:.4g}" for n, v in r.items()))
print("ratios to the man (lps-bolus):")
for k, r in rows.items():
    print(f"{k:56s} " + " ".join(f"{n}={r[n] / man[n]:.3f}" for n in C))
fol, lut = rows["woman, follicular (lps-woman)"], rows["woman, luteal (lps-woman-luteal)"]
print("luteal / follicular: " + " ".join(f"{n}={lut[n] / fol[n]:.3f}" for n in C))
