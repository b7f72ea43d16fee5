"""Subject profiles: documented parameter sets for kinds of subject (a healthy man, vagotomy, loss
of the adrenal medulla, glucocorticoid resistance, depression with high cortisol, PTSD-like, and
the sex-steroid subjects of the gonadal module: women, menopause, gonadectomy, age). A scenario
names one with ``profile = "..."``; its values are applied before the scenario's own
``[subject]`` values.

Every value has a source, or says "provisional:" and why. Profiles change only free (non-constant)
parameters, so a scenario with a profile reuses the compiled kernels of its model.

Not profiles, and why:

* **Bilateral adrenalectomy** needs the ``hpa_capacity`` module instead of ``hpa``: the
  published Bangsgaard-Ottesen axis has no ceiling on CRH and ACTH without cortisol (its circadian
  CRH production, a1 about 4e14 pg/mL/h, is held in check only by the cortisol feedback), so with
  ``a5 = 0`` its ACTH reaches 1e7-1e9 pg/mL. ``hpa_capacity`` adds saturable CRH and ACTH release
  (ACTH at most about 1,500 pg/mL) and the ``adrenalectomy`` profile says so (``module``).
* **Chronic stress** is both a protocol and a profile: the ``chronic-stress`` scenarios give six
  weeks of daily stressors to the standard model with the ``hpa_glands`` module, whose gland
  masses and immune GR sensitivity adapt over weeks; the ``chronic-stress`` profile is the state
  they reach, written as parameters of the standard model (ACTH and cortisol production scaled by
  the gland masses, the monocytes' cortisol half-effects divided by the GR sensitivity).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from .errors import ScenarioError, problem
from .model.core import Module
from .model.library.gonadal import SUBJECTS
from .model.library.hpa_sriram import FEEDBACK_HILL, GROUPS


@dataclass(frozen=True)
class Profile:
    """A named subject: parameter values (in each parameter's unit) and factors (multiplying
    the model's current value, e.g. the calibrated one), with a source for each."""

    name: str
    description: str
    parameters: Mapping[str, float] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    #: a library module the profile needs in the model (beyond the standard model), e.g.
    #: "gonadal"; applying the profile to a model without it is an error
    module: str = ""
    factors: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))
        object.__setattr__(self, "factors", MappingProxyType(dict(self.factors)))
        both = sorted(set(self.parameters) & set(self.factors))
        if both:
            raise ScenarioError(problem(f"profile {self.name!r}", "each parameter either as a "
                                        "value or as a factor", both, "keep one of the two"))
        bad = {k: v for k, v in self.factors.items() if not (v > 0 and v < float("inf"))}
        if bad:
            raise ScenarioError(problem(f"profile {self.name!r} factors", "finite numbers > 0",
                                        bad, "e.g. 1.3 for +30 %"))
        missing = sorted((set(self.parameters) | set(self.factors)) - set(self.sources))
        if missing:
            raise ScenarioError(problem(f"profile {self.name!r} sources", "a source for every "
                                        "parameter value", missing, "add a citation or "
                                        "'provisional: <reason>'"))

    def apply(self, model: Module) -> Module:
        """The model with this profile's values (unknown or constant parameters are errors)."""
        if self.module and self.module not in model.parts:
            raise ScenarioError(problem(f"profile {self.name!r} model", f"a model with the "
                                        f"{self.module!r} module", "+".join(model.parts),
                                        f"add the module that defines it: {self.module!r} to "
                                        "the scenario's modules"))
        for name in (*self.parameters, *self.factors):
            try:
                par = model.parameter(name)
            except KeyError:
                raise ScenarioError(problem(f"profile {self.name!r} parameter", "a parameter of "
                                            "the model (add the module that defines it)", name,
                                            "use a model with that module")) from None
            if par.constant:
                raise ScenarioError(problem(f"profile {self.name!r} parameter {name!r}", "a "
                                            "free (non-constant) parameter", "a structural "
                                            "constant", "profiles may not change constants"))
        values = dict(self.parameters)
        values.update({n: f * model.parameter(n).value for n, f in self.factors.items()})
        return model.with_parameters(**values) if values else model


_GC_FACTOR = 3.0
#: Glucocorticoid resistance of monocytes (innate module): divides the free cortisol that their
#: genomic GR signal follows (not the reference level), which acts like a factor on the
#: free-cortisol half-effects IC_GC_act/TNF/IL6/IL8 and K_GC_IL10 (the GR rise of constitutive
#: IL-10, docs/design/0034-gc-il10.md) relative to the healthy cell, so a resistant cell makes
#: more TNF/IL-6 and less constitutive IL-10 at every cortisol level.
_GC_RESISTANCE = "monocyte_GC_resistance"
_GC_SOURCE = ("provisional: the cells' GR signal sees a third of the free cortisol (as x3 the "
              "innate module's free-cortisol half-effects IC_GC_*, 750-920 nmol/L), a modelling "
              "choice; "
              "the concept is glucocorticoid resistance of monocytes, i.e. a weaker suppression "
              "of cytokine production by glucocorticoids after long-term threatening stress "
              "(Cohen et al. 2012 PNAS 109:5995); no human in-vivo factor is available, to be "
              "calibrated (issue #4)")

def _sriram_source(group: str) -> str:
    k_stress, k_i = GROUPS[group]
    normal = GROUPS["normal"]
    label = "PTSD" if group == "ptsd" else group
    return (f"provisional: Sriram et al. 2012 PLoS Comput Biol 8:e1002379 {label} group "
            f"(k_stress {k_stress:g}, k_i {k_i:g} vs normal {normal[0]:g}, {normal[1]:g}) mapped "
            "onto Bangsgaard-Ottesen 2017: Nc x k_stress ratio, a2 and a4 x (k_i,normal / k_i)"
            f"^{FEEDBACK_HILL:g} (Sriram's inhibition Hill exponent); Bangsgaard-Ottesen fits of "
            "depressed subjects are not public; docs/sources/hpa_chronic.md D")




def _sriram_factors(group: str) -> dict[str, float]:
    """Circadian drive x k_stress ratio; cortisol feedback constants x (k_i,normal / k_i)^n2
    (Sriram's GR feedback Hill exponent)."""
    (k_stress, k_i), (k_stress0, k_i0) = GROUPS[group], GROUPS["normal"]
    feedback = (k_i0 / k_i) ** FEEDBACK_HILL
    return {"Nc": k_stress / k_stress0, "a2": feedback, "a4": feedback}


def _sex_profile(name: str, description: str, subject: str, source: str,
                 extra: Mapping[str, tuple[float, str]] = MappingProxyType({})) -> Profile:
    """A profile of the gonadal module from its solved subject parameter sets (SUBJECTS), plus
    `extra` {parameter: (value, source)} of other modules."""
    values = dict(SUBJECTS[subject])
    text = (f"gonadal.py SUBJECTS[{subject!r}]: the steady state of the HPG module solved for "
            f"{source} (docs/sources/gonadal.md)")
    sources = dict.fromkeys(values, text)
    for par, (value, why) in extra.items():
        values[par], sources[par] = value, why
    return Profile(name, description, values, sources, module="gonadal")


#: End of week 6 of the built-in 'chronic-stress' scenario (standard model + hpa_glands; day 42,
#: 20:00): gland masses and immune GR sensitivity (tests/test_profiles_interventions.py checks).
_CHRONIC = {"pituitary_mass": 1.194, "adrenal_mass": 1.0957, "GR_sensitivity": 0.5058}
_CHRONIC_SOURCE = ("derived [D] from the built-in 'chronic-stress' scenario at the end of week 6 "
                   "(hpa_glands module: Karin et al. 2020 / Milo et al. 2025 gland masses, immune "
                   "GR sensitivity after Cohen et al. 2012; provisional "
                   "rates, docs/sources/hpa_chronic.md): {} multiplies {}")


#: Depression raises resting IL-6 and TNF (docs/design/0031-baseline-inflammation.md).
DEPRESSION_IL6 = 4.7 / 3.4
DEPRESSION_TNF = 1 + 0.54 / 0.61 * (DEPRESSION_IL6 - 1)
_DEPRESSION_IL6 = ("24-h mean plasma IL-6 (hourly sampling) 4.7 +- 0.3 in 9 patients with major "
                   "depression vs 3.4 +- 0.09 pg/mL in 9 matched controls (Alesci S et al. 2005 "
                   "J Clin Endocrinol Metab 90:2522, PMID 15705924; numbers via a quoting text "
                   "in the stored pages): 4.7 / 3.4 = 1.38; direction as the meta-analyses "
                   "(Osimo et al. 2020 Brain Behav Immun 87:901: IL-6 g = 0.61; Haapakoski et "
                   "al. 2015 Brain Behav Immun 49:206: d = 0.54). Alesci's patients were not "
                   "hypercortisolaemic; applied to this profile as the depression effect")
_DEPRESSION_TNF = ("derived [D]: no 24-h TNF comparison found; TNF is raised in depression with "
                   "a standardised effect 0.54 against 0.61 for IL-6 (Osimo et al. 2020 Brain "
                   "Behav Immun 87:901, Hedges g; Dowlati et al. 2010 Biol Psychiatry 67:446 [R]: "
                   "both higher), so the IL-6 excess (Alesci 2005, +38 %) x 0.54 / 0.61 = +34 % "
                   "(assumes equal between-subject CVs of the two cytokines)")
_OLDER_AGE = (70.0, "about 70 years: the young man (Janum cohort mean 24.7 y) plus the 45 years "
              "of testosterone decline of this profile (Harman et al. 2001 JCEM 86:724)")

PROFILES: dict[str, Profile] = {p.name: p for p in (
    Profile("healthy-man", "healthy young man: the standard model's defaults (the Janum / "
            "Windoloski 2024 endotoxemia subjects the innate module was fitted to)"),
    Profile("vagotomy", "complete vagal efferent (splenic) denervation: no cholinergic "
            "anti-inflammatory reflex and no effect of vagus nerve stimulation",
            {"vagal_integrity": 0.0},
            {"vagal_integrity": "autonomic module subject parameter (0 = vagotomy); the "
             "vagus-to-spleen circuit is needed for VNS to inhibit TNF in endotoxaemia (celiac "
             "nerve lesion or splenectomy abolish it: Huston et al. 2006 J Exp Med 203:1623; "
             "alpha7-deficient mice: Wang et al. 2003 Nature 421:384); no human data "
             "(docs/sources/autonomic.md D)"}),
    Profile("adrenal-medulla-loss", "no adrenomedullary epinephrine (the medullary part of a "
            "bilateral adrenalectomy; cortisol production intact, see the module docstring)",
            {"adrenal_medulla": 0.0},
            {"adrenal_medulla": "autonomic module subject parameter (0 = no adrenomedullary "
             "secretion): plasma epinephrine is essentially of adrenomedullary origin, "
             "norepinephrine of sympathetic nerves (docs/sources/autonomic.md A; Cryer 1980 N "
             "Engl J Med 303:436 [R, recalled, not re-read])"}),
    Profile("glucocorticoid-resistance", "monocytes less sensitive to cortisol: weaker "
            "cortisol inhibition of activation and of TNF/IL-6/IL-8 production, and weaker "
            "cortisol enhancement of IL-10 (all the cells' cortisol half-effects x3)",
            sources={_GC_RESISTANCE: _GC_SOURCE}, factors={_GC_RESISTANCE: _GC_FACTOR}),
    Profile("depression-hypercortisolaemic", "melancholic-type depression with high cortisol: "
            "stronger circadian CRH drive and weaker cortisol feedback (higher mean and nadir "
            "cortisol, resistance to suppression) and higher resting IL-6 and TNF",
            sources={**dict.fromkeys(("Nc", "a2", "a4"), _sriram_source("depressed")),
                     "basal_IL6_factor": _DEPRESSION_IL6, "basal_TNF_factor": _DEPRESSION_TNF},
            factors={**_sriram_factors("depressed"), "basal_IL6_factor": DEPRESSION_IL6,
                     "basal_TNF_factor": DEPRESSION_TNF}),
    Profile("ptsd-like", "PTSD-like HPA axis: low cortisol with enhanced feedback sensitivity",
            sources=dict.fromkeys(("Nc", "a2", "a4"), _sriram_source("ptsd")),
            factors=_sriram_factors("ptsd")),
    # --- sex steroids (need the gonadal module) ----------------------------------------------
    Profile("chronic-stress", "the adapted state after six weeks of daily psychosocial stress: "
            "larger corticotroph and adrenal mass and glucocorticoid-resistant monocytes, as "
            "parameters of the standard model",
            sources={"a3": _CHRONIC_SOURCE.format("pituitary_mass", "ACTH production a3"),
             "a5": _CHRONIC_SOURCE.format("adrenal_mass", "cortisol production a5"),
             "cortisol_secretion_max": _CHRONIC_SOURCE.format(
                 "adrenal_mass", "maximal cortisol secretion"),
             "cortisol_basal_secretion": _CHRONIC_SOURCE.format(
                 "adrenal_mass", "basal cortisol secretion"),
             _GC_RESISTANCE: _CHRONIC_SOURCE.format(
                 "GR_sensitivity", "the monocytes' cortisol half-effects (divided by it)")},
            factors={"a3": _CHRONIC["pituitary_mass"], "a5": _CHRONIC["adrenal_mass"],
                     "cortisol_secretion_max": _CHRONIC["adrenal_mass"],
                     "cortisol_basal_secretion": _CHRONIC["adrenal_mass"],
                     _GC_RESISTANCE: 1 / _CHRONIC["GR_sensitivity"]}),
    Profile("adrenalectomy", "bilateral adrenalectomy: no cortisol and no epinephrine "
            "production (needs the hpa_capacity module, and hydrocortisone replacement from the "
            "glucocorticoids module to be viable)",
            {"a5": 0.0, "cortisol_basal_secretion": 0.0, "adrenal_medulla": 0.0},
            {"a5": "surgical removal of the adrenal cortex: no cortisol secretion (a5 = 0)",
             "cortisol_basal_secretion": "surgical removal of the adrenal cortex: no basal "
             "cortisol secretion either",
             "adrenal_medulla": "surgical removal of the adrenal medulla: no epinephrine "
             "secretion (autonomic module subject parameter)"}, module="hpa_capacity"),
    _sex_profile("healthy-woman", "healthy young woman, follicular phase (sex-steroid effects on "
                 "monocytes and on the stress drive)", "woman-follicular",
                 "follicular-phase medians (Anckaert et al. 2021 Pract Lab Med 25:e00211)"),
    _sex_profile("woman-luteal", "healthy young woman, luteal phase", "woman-luteal",
                 "luteal-phase medians (Anckaert et al. 2021)"),
    _sex_profile("postmenopausal-woman", "post-menopausal woman (no ovarian steroids)",
                 "postmenopausal-woman", "no ovarian function: LH about 30 IU/L, E2 < 20 pg/mL "
                 "[R]"),
    _sex_profile("orchiectomy", "man after bilateral orchiectomy (castrate testosterone)",
                 "orchiectomy", "castrate testosterone 15 ng/dL (Oefelein et al. 2000 Urology "
                 "56:1021)"),
    _sex_profile("ovariectomy", "woman after bilateral ovariectomy", "ovariectomy",
                 "no ovarian function (as post-menopause)"),
    _sex_profile("older-man", "man of about 70 years (lower testosterone, higher LH; age raises "
                 "resting IL-6 and TNF)", "older-man", "testosterone falling 0.124 nmol/L per "
                 "year (Harman et al. 2001 JCEM 86:724)", {"subject_age": _OLDER_AGE}),
)}

#: The library module a profile needs beyond the standard model (for documentation and tests).
PROFILE_MODULES = {p.name: p.module for p in PROFILES.values() if p.module}


def apply_profiles(model: Module, names) -> Module:
    """The model with the named profiles applied in order (e.g. ["healthy-woman",
    "chronic-stress"]). Two profiles that set one parameter differently are an error."""
    profiles = [get(n) for n in names]
    seen: dict[str, tuple[str, str, float]] = {}
    for p in profiles:
        for kind, values in (("value", p.parameters), ("factor", p.factors)):
            for par, v in values.items():
                if par in seen and seen[par][1:] != (kind, v):
                    other, okind, ov = seen[par]
                    raise ScenarioError(problem(
                        f"profiles {other!r} and {p.name!r}", "profiles that set different "
                        "parameters (or the same value)", f"{par}: {okind} {ov:g} vs {kind} "
                        f"{v:g}", f"drop one of them, or set {par} in [subject]"))
                seen[par] = (p.name, kind, v)
    for p in profiles:
        model = p.apply(model)
    return model


def get(name: str) -> Profile:
    """The profile of that name; a ScenarioError lists the known ones otherwise."""
    try:
        return PROFILES[name]
    except (KeyError, TypeError):
        near = difflib.get_close_matches(str(name), PROFILES, n=1)
        raise ScenarioError(problem("subject profile", f"one of {list(PROFILES)}", name,
                                    f"did you mean {near[0]!r}?" if near else
                                    "check the spelling (neuroimmune.profiles.PROFILES)")) from None
