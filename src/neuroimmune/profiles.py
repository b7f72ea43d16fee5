"""Subject profiles: documented parameter sets for kinds of subject (a healthy man, vagotomy, loss
of the adrenal medulla, glucocorticoid resistance, depression with high cortisol, PTSD-like, and
the sex-steroid subjects of the gonadal module: women, menopause, gonadectomy, age). A scenario
names one with ``profile = "..."``; its values are applied before the scenario's own
``[subject]`` values.

Every value has a source, or says "provisional:" and why. Profiles change only free (non-constant)
parameters, so a scenario with a profile reuses the compiled kernels of its model.

Not profiles, and why:

* **Bilateral adrenalectomy.** ``adrenal_medulla = 0`` removes epinephrine, and hydrocortisone
  replacement now exists (``glucocorticoids`` module), but the Bangsgaard-Ottesen axis has no
  ceiling on CRH and ACTH without cortisol: its circadian CRH production (a1, about 4e14 pg/mL/h)
  is held in check only by the cortisol feedback (a2 cortisol^2), so with ``a5 = 0`` and the
  overnight trough of oral hydrocortisone the model's CRH and ACTH reach 1e7-1e9 pg/mL instead of
  the hundreds of pg/mL of treated adrenal insufficiency. The profile is therefore
  ``adrenal-medulla-loss`` (epinephrine gone, cortisol intact), not adrenalectomy.
* **Chronic stress.** A persistent stress drive is an input over time (the ``stress`` signal),
  i.e. a protocol, not a parameter of the subject: the ``chronic-stress`` scenarios give six
  weeks of daily stressors to the standard model with the ``hpa_glands`` module, whose gland
  masses and immune GR sensitivity adapt over weeks. The static consequence on monocytes is the
  ``glucocorticoid-resistance`` profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from .errors import ScenarioError, problem
from .model.core import Module
from .model.library.gonadal import SUBJECTS


@dataclass(frozen=True)
class Profile:
    """A named subject: parameter values (in each parameter's unit) and a source for each."""

    name: str
    description: str
    parameters: Mapping[str, float] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))
        missing = sorted(set(self.parameters) - set(self.sources))
        if missing:
            raise ScenarioError(problem(f"profile {self.name!r} sources", "a source for every "
                                        "parameter value", missing, "add a citation or "
                                        "'provisional: <reason>'"))

    def apply(self, model: Module) -> Module:
        """The model with this profile's values (unknown or constant parameters are errors)."""
        for name in self.parameters:
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
        return model.with_parameters(**self.parameters) if self.parameters else model


_GC_FACTOR = 3.0
_K_CORT = 100.0  # innate module's K_cort_act and K_cort_prod (ug/dL)
_GC_SOURCE = ("provisional: x3 the innate module's half-effect (100 ug/dL), a modelling choice; "
              "the concept is glucocorticoid resistance of monocytes, i.e. a weaker suppression "
              "of LPS-stimulated cytokine production by glucocorticoids (Miller, Cohen & Ritchey "
              "2002 Health Psychol 21:531, chronic caregiving stress; Cohen et al. 2012 PNAS "
              "109:5995); no human in-vivo factor is available, to be calibrated (issue #4)")

def _sriram_source(group: str, k_stress: float, k_i: float) -> str:
    return (f"provisional: Sriram et al. 2012 PLoS Comput Biol 8:e1002379 {group} group (k_stress "
            f"{k_stress:g}, k_i {k_i:g} vs normal 10.1, 1.51) mapped onto Bangsgaard-Ottesen 2017: "
            "Nc x k_stress ratio, a2 and a4 x (k_i,normal / k_i)^5.1 (Sriram's inhibition Hill "
            "exponent); Bangsgaard-Ottesen fits of depressed subjects are not public; "
            "docs/sources/hpa_chronic.md D")


def _sex_profile(name: str, description: str, subject: str, source: str) -> Profile:
    """A profile of the gonadal module from its solved subject parameter sets (SUBJECTS)."""
    values = SUBJECTS[subject]
    text = (f"gonadal.py SUBJECTS[{subject!r}]: the steady state of the HPG module solved for "
            f"{source} (docs/sources/gonadal.md)")
    return Profile(name, description, values, dict.fromkeys(values, text))


PROFILES: dict[str, Profile] = {p.name: p for p in (
    Profile("healthy-man", "healthy young man: the standard model's defaults (the Janum / "
            "Windoloski 2024 endotoxemia subjects the innate module was fitted to)"),
    Profile("vagotomy", "complete vagal efferent (splenic) denervation: no cholinergic "
            "anti-inflammatory reflex and no effect of vagus nerve stimulation",
            {"vagal_integrity": 0.0},
            {"vagal_integrity": "autonomic module subject parameter (0 = vagotomy); vagotomy "
             "abolishes the VNS inhibition of TNF and exaggerates endotoxaemia TNF in rats "
             "(Borovikova et al. 2000 Nature 405:458); no human data (docs/sources/autonomic.md "
             "D)"}),
    Profile("adrenal-medulla-loss", "no adrenomedullary epinephrine (the medullary part of a "
            "bilateral adrenalectomy; cortisol production intact, see the module docstring)",
            {"adrenal_medulla": 0.0},
            {"adrenal_medulla": "autonomic module subject parameter (0 = no adrenomedullary "
             "secretion): plasma epinephrine is essentially of adrenomedullary origin, "
             "norepinephrine of sympathetic nerves (docs/sources/autonomic.md A; Cryer 1980 N "
             "Engl J Med 303:436 [R, recalled, not re-read])"}),
    Profile("glucocorticoid-resistance", "monocytes less sensitive to cortisol: weaker "
            "cortisol inhibition of activation and of TNF/IL-6/IL-8 production, and weaker "
            "cortisol enhancement of IL-10 (K_cort_prod also sets that half-effect)",
            {"K_cort_act": _GC_FACTOR * _K_CORT, "K_cort_prod": _GC_FACTOR * _K_CORT},
            {"K_cort_act": _GC_SOURCE, "K_cort_prod": _GC_SOURCE}),
    Profile("depression-hypercortisolaemic", "melancholic-type depression with high cortisol: "
            "stronger circadian CRH drive and weaker cortisol feedback (higher mean and nadir "
            "cortisol, resistance to suppression)",
            {"Nc": 0.7077, "a2": 1.3256e9, "a4": 1.3208e5},
            dict.fromkeys(("Nc", "a2", "a4"), _sriram_source("depressed", 13.7, 1.6))),
    Profile("ptsd-like", "PTSD-like HPA axis: low cortisol with enhanced feedback sensitivity",
            {"Nc": 0.9039, "a2": 6.5415e9, "a4": 6.5179e5},
            dict.fromkeys(("Nc", "a2", "a4"), _sriram_source("PTSD", 17.5, 1.17))),
    # --- sex steroids (need the gonadal module) ----------------------------------------------
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
    _sex_profile("older-man", "man of about 70 years (lower testosterone, higher LH)",
                 "older-man", "testosterone falling 0.124 nmol/L per year (Harman et al. 2001 "
                 "JCEM 86:724)"),
)}

#: The library module a profile needs beyond the standard model (for documentation and tests).
PROFILE_MODULES = {name: "gonadal" for name in ("healthy-woman", "woman-luteal",
                                                "postmenopausal-woman", "orchiectomy",
                                                "ovariectomy", "older-man")}


def get(name: str) -> Profile:
    """The profile of that name; a ScenarioError lists the known ones otherwise."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ScenarioError(problem("subject profile", f"one of {list(PROFILES)}", name,
                                    "check the spelling (neuroimmune.profiles.PROFILES)")) from None
