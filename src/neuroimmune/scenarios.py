"""Scenarios: a model (library modules), a subject (parameter values), a protocol, a time grid
and the outputs to report. Built-in scenarios by name, or TOML files (see docs/scenarios.md)."""

from __future__ import annotations

import tokenize
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np
import sympy as sp
import xarray as xr

from .compile import System, compile_model
from .errors import NeuroimmuneError, ScenarioError, problem
from .model.core import CLOCK, T, Input, Module, Parameter, Species, compose
from .model.library import BY_NAME, STANDARD
from .model.library.autonomic import epinephrine_infusion_rate
from .model.library.glucocorticoids import dose_per_kg
from .model.library.gonadal import transdermal_estradiol_rate, transdermal_testosterone_rate
from .parameter_sets import APPLY_BY_DEFAULT, calibrated_set
from .profiles import get as get_profile
from .protocol import (Bolus, DrugDose, Infusion, Protocol, Repeated, Stressor, lps_bolus,
                       lps_infusion)
from .results import simulate
from .solve import SolverOptions
from .units import to_magnitude

#: Library modules a scenario can name, and the standard model.
MODULES: dict[str, Callable[[], Module]] = dict(BY_NAME)
STANDARD_MODULES = tuple(f().name for f in STANDARD)
#: Maximum pre-equilibration of built-in scenarios (the HPA limit cycle is reached in ~70 days).
PREEQ_DAYS = 120
#: Epinephrine infusion of van der Poll et al. 1996 J Clin Invest 97:713 (ng/kg/min).
EPI_NG_KG_MIN = 30.0
#: Y1 antagonist level of the lps-epinephrine-y1-antagonist scenario (nM): about 200 x its Ki.
Y1_ANTAGONIST_NM = 100.0
#: Hydrocortisone infusion of Barber 1993 / van der Poll 1996 (ug/kg/min).
HC_UG_KG_MIN = 3.0
#: Total plasma propranolol of the lps-propranolol scenario (ng/mL): the top of the effective
#: range 15-100 ng/mL (docs/sources/autonomic.md C; about 97 % beta2 occupancy by the free drug).
PROPRANOLOL_NG_ML = 100.0
DEFAULT_OUTPUTS = ("TNF", "IL6", "IL8", "IL10", "CRH", "ACTH", "cortisol", "temperature",
                   "heart_rate")
#: Days of daily stress in the chronic-stress scenarios (docs/sources/hpa_chronic.md).
CHRONIC_DAYS = 42
#: The gland masses relax with a half-life of about 60 days on the limit cycle, so scenarios
#: with hpa_glands pre-equilibrate longer (docs/sources/hpa_chronic.md C).
GLANDS_PREEQ_DAYS = 200
#: Drug modules shared by every drug scenario (one compiled model).
DRUGS = ("glucocorticoids", "biologics")
GLAND_OUTPUTS = DEFAULT_OUTPUTS + ("pituitary_mass", "adrenal_mass", "GR_sensitivity")
LEUKOCYTE_OUTPUTS = ("TNF", "IL6", "IL8", "IL10", "IL1b", "TGFb", "neutrophils", "tolerance",
                     "cortisol", "temperature", "heart_rate")
BRAIN_OUTPUTS = ("TNF", "IL6", "cortisol", "temperature", "PGE2_brain", "vagal_afferent",
                 "IL6_CSF", "hypothalamic_cytokine_drive", "Trp", "Kyn", "Kyn_Trp_ratio",
                 "serotonin_synthesis_index")
SEX_OUTPUTS = ("TNF", "IL6", "IL10", "cortisol", "LH", "FSH", "testosterone", "estradiol",
               "progesterone")
TISSUE_OUTPUTS = ("bacteria", "tissue_damage", "repair_macrophages", "PAMP", "monocytes_activated",
                  "TNF", "IL6", "IL10", "cortisol", "glucocorticoid", "temperature")


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    modules: tuple[str | Module, ...]
    protocol: Protocol
    t_end: float
    dt: float
    subject: dict = field(default_factory=dict)
    outputs: tuple[str, ...] = DEFAULT_OUTPUTS
    #: A subject profile (neuroimmune.profiles.PROFILES), applied before `subject`.
    profile: str = ""
    #: Apply the shipped calibrated parameter set (neuroimmune.parameter_sets) first: True =
    #: required, False = the modules' published values, None = parameter_sets.APPLY_BY_DEFAULT
    #: for models that have all its parameters.
    calibrated: bool | None = None

    def model(self) -> Module:
        mods = [MODULES[m]() if isinstance(m, str) else m for m in self.modules]
        return compose(*mods, name=self.name) if len(mods) > 1 else mods[0]

    def times(self) -> np.ndarray:
        n = int(round(self.t_end / self.dt))
        return np.linspace(0.0, n * self.dt, n + 1)

    def system(self) -> System:
        """The compiled model with the calibrated set's, then the profile's, then the subject's
        parameter values as its defaults."""
        model = self.model()
        if self.calibrated or (self.calibrated is None and APPLY_BY_DEFAULT
                               and calibrated_set().fits(model)):
            model = calibrated_set().apply(model)
        if self.profile:
            model = get_profile(self.profile).apply(model)
        params = {}
        for name, value in self.subject.items():
            try:
                par = model.parameter(name)
            except KeyError:
                raise ScenarioError(problem(f"scenario {self.name!r} subject parameter", "a "
                                            "parameter of the model (see `neuroimmune model`)",
                                            name, "check the spelling")) from None
            params[name] = to_magnitude(value, par.unit, f"subject.{name} (unit {par.unit})")
        missing = [o for o in self.outputs if o not in model.species_names
                   and o not in {x.name for x in model.observables}]
        if missing:
            raise ScenarioError(problem(f"scenario {self.name!r} outputs", "names of species or "
                                        "observables of the model", missing,
                                        "remove them or add the module that defines them"))
        if params:
            model = model.with_parameters(**params)
        return compile_model(model)

    def run(self, options: SolverOptions = SolverOptions()) -> xr.Dataset:
        ds = simulate(self.system(), self.protocol, self.times(), options=options)
        ds.attrs["scenario"] = self.name
        ds.attrs["scenario_description"] = self.description
        return ds


def _standard(name: str, description: str, events: tuple, clock: str, t_end: float,
              dt: float = 0.05, profile: str = "", extra: tuple[str, ...] = (),
              outputs: tuple[str, ...] = DEFAULT_OUTPUTS, subject: dict | None = None,
              preequilibrate_days: int = PREEQ_DAYS) -> Scenario:
    """A built-in scenario on the standard model (plus `extra` library modules), starting on the
    circadian limit cycle."""
    protocol = Protocol(events, clock_start=clock, preequilibrate_days=preequilibrate_days,
                        name=name)
    return Scenario(name, description, STANDARD_MODULES + extra, protocol, t_end, dt,
                    subject=subject or {}, profile=profile, outputs=outputs)


def _hydrocortisone_replacement(days: int) -> tuple:
    """Oral hydrocortisone 10 mg at 07:00, 5 mg at 12:00 and 5 mg at 17:00 (t = 0 at 07:00), a
    common thrice-daily replacement in adrenal insufficiency (15-25 mg/day in 2-3 doses; Endocrine
    Society 2016 guideline [R])."""
    return tuple(DrugDose("hydrocortisone", amount, 24.0 * d + at, route="oral")
                 for d in range(days) for amount, at in (("10 mg", 0.0), ("5 mg", 5.0),
                                                         ("5 mg", 10.0)))


def _chronic_stress(lps: bool) -> tuple:
    """Six weeks of daily 2-h stressors (09:00-11:00, intensity 1) from day 1; without LPS a
    TSST at 14:00 on day 0 and three days after the last stressor; with LPS, LPS 2 ng/kg at
    08:00 the morning after."""
    daily = tuple(Stressor(24.0 * d + 1.0, 2.0, 1.0) for d in range(1, CHRONIC_DAYS + 1))
    if lps:
        return daily + (lps_bolus("2 ng/kg", 24.0 * (CHRONIC_DAYS + 1)),)
    tsst = (Stressor(6.0, "15 min", 1.0), Stressor(24.0 * (CHRONIC_DAYS + 3) + 6.0, "15 min", 1.0))
    return (tsst[0],) + daily + (tsst[1],)


def _builtins() -> dict[str, Scenario]:
    lps = lps_bolus("2 ng/kg", 0.0)
    return {s.name: s for s in (
        _standard("lps-bolus", "LPS 2 ng/kg i.v. bolus at 08:00 in a healthy young man "
                  "(Janum/Windoloski endotoxemia protocol), 24 h", (lps,), "08:00", 24.0),
        _standard("circadian-day", "24 h of an unchallenged healthy man from midnight: "
                  "circadian CRH, ACTH and cortisol", (), "00:00", 24.0, 1.0 / 6.0),
        _standard("acute-stress", "15-min psychosocial stressor at 14:00 (TSST-like), 3 h",
                  (Stressor(0.5, "15 min", 1.0),), "13:30", 3.0, 1.0 / 12.0),
        _standard("lps-infusion", "LPS 1 ng/kg/h continuous infusion for 4 h from 08:00 "
                  "(Windoloski 2024 infusion protocol shape), 24 h",
                  (lps_infusion("1 ng/kg/h", 0.0, 4.0),), "08:00", 24.0),
        # --- interventions and subject profiles (tests/test_profiles_interventions.py) --------
        _standard("lps-vagotomy", "LPS 2 ng/kg at 08:00 after vagotomy (profile 'vagotomy': no "
                  "cholinergic anti-inflammatory reflex), 24 h", (lps,), "08:00", 24.0,
                  profile="vagotomy"),
        _standard("lps-vns", "1 h of vagus nerve stimulation (intensity 1) from 05:00, LPS 2 "
                  "ng/kg at 08:00 (Koopman 2016 timing: effect 3-4 h after stimulation), 27 h",
                  (Stressor(0.0, 1.0, 1.0, signal="vns"), lps_bolus("2 ng/kg", 3.0)),
                  "05:00", 27.0),
        _standard("lps-epinephrine", "epinephrine 30 ng/kg/min i.v. from 3 h before until 6 h "
                  "after LPS 2 ng/kg at 08:00 (van der Poll 1996 EPI-3), 27 h",
                  (Infusion("EPI", epinephrine_infusion_rate(EPI_NG_KG_MIN), 0.0, 9.0),
                   lps_bolus("2 ng/kg", 3.0)), "05:00", 27.0),
        _standard("lps-propranolol", f"propranolol held at {PROPRANOLOL_NG_ML:g} ng/mL (total "
                  "plasma, top of the 15-100 ng/mL effective range) from 07:00, LPS 2 ng/kg "
                  "at 08:00, 25 h",
                  (Stressor(0.0, 25.0, PROPRANOLOL_NG_ML, signal="propranolol"),
                   lps_bolus("2 ng/kg", 1.0)), "07:00", 25.0),
        _standard("lps-epinephrine-y1-antagonist", "as lps-epinephrine, with an NPY Y1 "
                  f"antagonist held at {Y1_ANTAGONIST_NM:g} nM (BIBP3226-like) throughout: the "
                  "NPY enhancement of the beta2 effect is blocked, 27 h",
                  (Infusion("EPI", epinephrine_infusion_rate(EPI_NG_KG_MIN), 0.0, 9.0),
                   Stressor(0.0, 27.0, Y1_ANTAGONIST_NM, signal="Y1_antagonist"),
                   lps_bolus("2 ng/kg", 3.0)), "05:00", 27.0),
        _standard("lps-adrenal-medulla-loss", "LPS 2 ng/kg at 08:00 without adrenomedullary "
                  "epinephrine (profile 'adrenal-medulla-loss'), 24 h", (lps,), "08:00", 24.0,
                  profile="adrenal-medulla-loss"),
        _standard("lps-gc-resistance", "LPS 2 ng/kg at 08:00 in a subject with glucocorticoid-"
                  "resistant monocytes (profile 'glucocorticoid-resistance'), 24 h", (lps,),
                  "08:00", 24.0, profile="glucocorticoid-resistance"),
        _standard("lps-evening", "LPS 2 ng/kg i.v. bolus at 20:00 (evening, low cortisol), 24 h",
                  (lps,), "20:00", 24.0),
        _standard("lps-repeated", "LPS 2 ng/kg at 08:00 on two consecutive days (endotoxin "
                  "tolerance protocol, Draisma 2009 shape), 48 h",
                  (Repeated(lps, 24.0, 2),), "08:00", 48.0),
        # --- drugs (glucocorticoids.py, biologics.py) -----------------------------------------
        _standard("lps-hydrocortisone", "hydrocortisone 3 ug/kg/min i.v. for 6 h (70 kg) started "
                  "at 08:00 just before LPS 2 ng/kg (Barber 1993; van der Poll 1996), 24 h",
                  (DrugDose("hydrocortisone", dose_per_kg(HC_UG_KG_MIN * 360.0), 0.0,
                            route="infusion", duration=6.0), lps), "08:00", 24.0,
                  extra=DRUGS, outputs=DEFAULT_OUTPUTS + ("glucocorticoid",)),
        _standard("dexamethasone-suppression", "overnight dexamethasone suppression test: 1 mg "
                  "orally at 23:00, cortisol at 08:00 next morning (t = 9 h), 24 h",
                  (DrugDose("dexamethasone", "1 mg", 0.0, route="oral"),), "23:00", 24.0, 0.25,
                  extra=DRUGS, outputs=("ACTH", "cortisol", "dexamethasone",
                                                       "glucocorticoid", "GR_occupancy")),
        _standard("lps-prednisolone", "prednisolone 30 mg orally at 06:00, LPS 2 ng/kg at "
                  "08:00 (de Kruif 2007 design, there with LPS 4 ng/kg), 26 h",
                  (DrugDose("prednisolone", "30 mg", 0.0, route="oral"), lps_bolus("2 ng/kg", 2.0)),
                  "06:00", 26.0, extra=DRUGS,
                  outputs=DEFAULT_OUTPUTS + ("prednisolone", "glucocorticoid")),
        _standard("lps-anti-tnf", "anti-TNF antibody 5 mg/kg i.v. (infliximab-like, 350 mg) at "
                  "06:00, LPS 2 ng/kg at 08:00, 26 h",
                  (DrugDose("anti_TNF", "350 mg", 0.0), lps_bolus("2 ng/kg", 2.0)), "06:00", 26.0,
                  extra=DRUGS, outputs=DEFAULT_OUTPUTS + ("TNF_bioactive_fraction",)),
        _standard("lps-anti-il6r", "anti-IL-6-receptor antibody 8 mg/kg i.v. (tocilizumab-like, "
                  "560 mg) at 06:00, LPS 2 ng/kg at 08:00, 26 h",
                  (DrugDose("anti_IL6R", "560 mg", 0.0), lps_bolus("2 ng/kg", 2.0)), "06:00",
                  26.0, extra=DRUGS,
                  outputs=DEFAULT_OUTPUTS + ("IL6_signalling_fraction",)),
        Scenario("adrenalectomy-hydrocortisone", "bilateral adrenalectomy (profile "
                 "'adrenalectomy', HPA with secretory capacity) on oral hydrocortisone 10 mg at "
                 "07:00, 5 mg at 12:00 and 17:00 daily; LPS 2 ng/kg at 08:00 on day 3, 72 h",
                 ("innate", "hpa_capacity", "fever", "autonomic", "glucocorticoids"),
                 Protocol(_hydrocortisone_replacement(3) + (lps_bolus("2 ng/kg", 49.0),),
                          clock_start="07:00", preequilibrate_days=PREEQ_DAYS,
                          name="adrenalectomy-hydrocortisone"),
                 72.0, 0.1, profile="adrenalectomy",
                 outputs=DEFAULT_OUTPUTS + ("hydrocortisone", "glucocorticoid", "EPI")),
        # --- chronic stress and HPA profiles (hpa_glands.py, profiles.py) ---------------------
        _standard("chronic-stress", "six weeks of daily 2-h psychosocial stress (09:00-11:00) "
                  "with a TSST at 14:00 before and three days after, then recovery to day 100: "
                  "gland masses and immune glucocorticoid resistance adapt over weeks",
                  _chronic_stress(lps=False), "08:00", 2400.0, 0.25, extra=("hpa_glands",),
                  outputs=GLAND_OUTPUTS, preequilibrate_days=GLANDS_PREEQ_DAYS),
        _standard("chronic-stress-lps", "LPS 2 ng/kg at 08:00 the morning after six weeks of "
                  "daily stress (glucocorticoid-resistant monocytes)", _chronic_stress(lps=True),
                  "08:00", 24.0 * (CHRONIC_DAYS + 2), 0.05, extra=("hpa_glands",),
                  outputs=GLAND_OUTPUTS, preequilibrate_days=GLANDS_PREEQ_DAYS),
        _standard("lps-chronic-stress", "LPS 2 ng/kg at 08:00 in a chronically stressed man "
                  "(profile 'chronic-stress': enlarged glands, glucocorticoid-resistant "
                  "monocytes), 24 h", (lps,), "08:00", 24.0, profile="chronic-stress",
                  preequilibrate_days=GLANDS_PREEQ_DAYS),
        _standard("depression-day", "24 h from midnight with the 'depression-hypercortisolaemic' "
                  "profile", (), "00:00", 24.0, 1.0 / 6.0,
                  profile="depression-hypercortisolaemic"),
        _standard("ptsd-day", "24 h from midnight with the 'ptsd-like' profile", (), "00:00",
                  24.0, 1.0 / 6.0, profile="ptsd-like"),
        # --- sex steroids (gonadal.py) --------------------------------------------------------
        _standard("estradiol-therapy", "transdermal estradiol 100 ug/day for 14 days from 08:00 "
                  "in a post-menopausal woman", (Infusion("estradiol",
                                                          transdermal_estradiol_rate(100.0), 0.0,
                                                          336.0),),
                  "08:00", 336.0, 1.0, extra=("gonadal",), outputs=SEX_OUTPUTS,
                  profile="postmenopausal-woman"),
        _standard("testosterone-therapy", "testosterone gel 50 mg/day (10 % absorbed) for 14 "
                  "days from 08:00 after orchiectomy",
                  (Infusion("testosterone", transdermal_testosterone_rate(50.0), 0.0, 336.0),),
                  "08:00", 336.0, 1.0, extra=("gonadal",), outputs=SEX_OUTPUTS,
                  profile="orchiectomy"),
        _standard("gonadectomy", "bilateral orchiectomy at 08:00 in a healthy young man (the "
                  "'gonadectomy' signal switched on after pre-equilibration), 14 days",
                  (Stressor(0.0, 336.0, 1.0, signal="gonadectomy"),), "08:00", 336.0, 1.0,
                  extra=("gonadal",), outputs=SEX_OUTPUTS),
        _standard("lps-woman", "LPS 2 ng/kg i.v. bolus at 08:00 in a healthy young woman "
                  "(follicular phase), 24 h", (lps,), "08:00", 24.0, extra=("gonadal",),
                  outputs=DEFAULT_OUTPUTS + SEX_OUTPUTS[4:], profile="healthy-woman"),
        _standard("lps-woman-luteal", "LPS 2 ng/kg i.v. bolus at 08:00 in a healthy young woman "
                  "in the luteal phase, 24 h", (lps,), "08:00", 24.0, extra=("gonadal",),
                  outputs=DEFAULT_OUTPUTS + SEX_OUTPUTS[4:], profile="woman-luteal"),
        _standard("lps-ovariectomy", "LPS 2 ng/kg i.v. bolus at 08:00 in a woman after bilateral "
                  "ovariectomy (surgical menopause), 24 h", (lps,), "08:00", 24.0,
                  extra=("gonadal",), outputs=DEFAULT_OUTPUTS + SEX_OUTPUTS[4:],
                  profile="ovariectomy"),
        _standard("lps-older-man", "LPS 2 ng/kg i.v. bolus at 08:00 in a man of about 70 years "
                  "(lower testosterone), 24 h", (lps,), "08:00", 24.0, extra=("gonadal",),
                  outputs=DEFAULT_OUTPUTS + SEX_OUTPUTS[4:], profile="older-man"),
        # --- IL-1beta, TGF-beta, neutrophils, endotoxin tolerance (innate_extra.py) ----------
        _standard("lps-leukocytes", "LPS 2 ng/kg at 08:00 with IL-1beta, TGF-beta1, neutrophils "
                  "and endotoxin tolerance (innate_extra), 24 h", (lps,), "08:00", 24.0,
                  extra=("innate_extra",), outputs=LEUKOCYTE_OUTPUTS),
        _standard("lps-repeated-5d", "LPS 2 ng/kg at 08:00 on 5 consecutive days with endotoxin "
                  "tolerance (Draisma et al. 2009 Crit Care Med 37:1261), 120 h",
                  (Repeated(lps, 24.0, 5),), "08:00", 120.0, extra=("innate_extra",),
                  outputs=LEUKOCYTE_OUTPUTS),
        _standard("lps-rechallenge-2wk", "LPS 2 ng/kg at 08:00 and again 2 weeks later (Kox et "
                  "al. 2011 Crit Care Med 39:1866 design): partly persisting tolerance, 15 d",
                  (lps, lps_bolus("2 ng/kg", 14 * 24.0)), "08:00", 15 * 24.0, 0.1,
                  extra=("innate_extra",), outputs=LEUKOCYTE_OUTPUTS),
        # --- cytokines acting on the brain (brain_signalling.py) ------------------------------
        _standard("lps-brain", "LPS 2 ng/kg i.v. bolus at 08:00 with the brain-side readouts "
                  "(PGE2, vagal afferents, CSF IL-6, kynurenine/tryptophan, serotonin synthesis "
                  "index), 48 h", (lps,), "08:00", 48.0, 0.25, extra=("brain_signalling",),
                  outputs=BRAIN_OUTPUTS),
        _standard("lps-infusion-kynurenine", "low-grade sustained inflammation: LPS 0.5 "
                  "ng/kg/h for 24 h from 08:00, kynurenine pathway and serotonin synthesis "
                  "index, 48 h", (lps_infusion("0.5 ng/kg/h", 0.0, 24.0),), "08:00", 48.0, 0.25,
                  extra=("brain_signalling",), outputs=BRAIN_OUTPUTS),
        # --- infection, injury, damage and repair (tissue.py) ---------------------------------
        _standard("infection", "replicating pathogen, inoculum 1 Mcell/mL at 08:00 (Reynolds "
                  "2006 P0, growth 0.3 /h): cleared within a day, damage repaired, 10 days",
                  (Bolus("bacteria", 1.0, 0.0),), "08:00", 240.0, 1.0, extra=("tissue",),
                  outputs=TISSUE_OUTPUTS),
        _standard("infection-persistent", "replicating pathogen growing at 0.6 /h (Reynolds "
                  "2006 septic set), inoculum 1 Mcell/mL at 08:00: monocyte pool exhausted, "
                  "pathogen and damage persist, 10 days", (Bolus("bacteria", 1.0, 0.0),),
                  "08:00", 240.0, 1.0, extra=("tissue",), outputs=TISSUE_OUTPUTS,
                  subject={"k_B": 0.6}),
        _standard("tissue-injury", "sterile tissue injury of 6 AU over 4 h from 08:00 (below the "
                  "self-sustaining threshold): repaired within about 10 days",
                  (Stressor(0.0, 4.0, 1.5, signal="injury"),), "08:00", 240.0, 2.0,
                  extra=("tissue",), outputs=TISSUE_OUTPUTS),
        _standard("tissue-injury-severe", "sterile tissue injury of 20 AU over 4 h from 08:00: "
                  "damage sustained by its own DAMPs (Reynolds 2006 aseptic outcome), 30 days",
                  (Stressor(0.0, 4.0, 5.0, signal="injury"),), "08:00", 720.0, 6.0,
                  extra=("tissue",), outputs=TISSUE_OUTPUTS),
        _standard("tissue-injury-hydrocortisone", "as tissue-injury, with plasma "
                  "hydrocortisone held at 40 ug/dL (GC_exo) for the whole 5 days: slower repair",
                  (Stressor(0.0, 4.0, 1.5, signal="injury"),
                   Stressor(0.0, 121.0, 40.0, signal="GC_exo")), "08:00", 120.0, 2.0,
                  extra=("tissue",), outputs=TISSUE_OUTPUTS),
    )}


BUILTIN = _builtins()


def load(spec: str) -> Scenario:
    """A built-in scenario by name, or a TOML scenario file by path."""
    if spec in BUILTIN:
        return BUILTIN[spec]
    path = Path(spec)
    if path.suffix.lower() == ".toml":
        if not path.is_file():
            raise ScenarioError(problem("scenario file", "an existing .toml file", spec,
                                        "check the path"))
        return from_toml(path)
    raise ScenarioError(problem("scenario", f"a built-in name ({', '.join(BUILTIN)}) or a path "
                                "to a .toml file", spec, "run `neuroimmune scenarios` to list them"))


_TOP_KEYS = {"name", "description", "modules", "module", "time", "profile", "subject", "events",
             "output", "calibrated"}


def from_toml(path: str | Path) -> Scenario:
    """Parse and validate a TOML scenario file (format in docs/scenarios.md)."""
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"scenario file {path}: not valid TOML ({exc}). Fix: correct the "
                            "syntax (see docs/scenarios.md)") from None
    where = f"scenario file {path.name}"
    unknown = sorted(set(doc) - _TOP_KEYS)
    if unknown:
        raise ScenarioError(problem(f"{where}: top-level keys", f"only {sorted(_TOP_KEYS)}",
                                    unknown, "remove or rename them"))
    custom = tuple(_custom_module(m, where) for m in _list(doc, "module", where))
    names = doc.get("modules", list(STANDARD_MODULES))
    if (not isinstance(names, list) or any(not isinstance(n, str) for n in names)
            or any(n not in MODULES for n in names)):
        raise ScenarioError(problem(f"{where}: modules", f"a list of names among {list(MODULES)}",
                                    names, "e.g. modules = [\"innate\", \"hpa\"]"))
    time = doc.get("time", {})
    if not isinstance(time, dict):
        raise ScenarioError(problem(f"{where}: [time]", "a table with end, step, clock_start, "
                                    "preequilibrate_days", time, "write a [time] section"))
    t_end = _number(time, "end", where + " [time]", 24.0, positive=True)
    dt = _number(time, "step", where + " [time]", 0.1, positive=True)
    protocol = Protocol(tuple(_event(e, where) for e in _list(doc, "events", where)),
                        clock_start=time.get("clock_start", 8.0),
                        preequilibrate_days=_integer(time, "preequilibrate_days",
                                                     where + " [time]", PREEQ_DAYS),
                        name=doc.get("name", path.stem))
    subject = doc.get("subject", {})
    if not isinstance(subject, dict):
        raise ScenarioError(problem(f"{where}: [subject]", "a table of parameter = value",
                                    subject, "write one `name = value` line per parameter"))
    profile = doc.get("profile", "")
    if not isinstance(profile, str):
        raise ScenarioError(problem(f"{where}: profile", "the name of a subject profile (a "
                                    "string)", profile, 'e.g. profile = "vagotomy"'))
    if profile:
        get_profile(profile)  # unknown names fail at load
    calibrated = doc.get("calibrated")
    if calibrated is not None and not isinstance(calibrated, bool):
        raise ScenarioError(problem(f"{where}: calibrated", "true or false", calibrated,
                                    "calibrated = false gives the modules' published values"))
    output = doc.get("output", {})
    outputs = tuple(output.get("variables", DEFAULT_OUTPUTS))
    modules = tuple(names) + custom
    if not modules:
        raise ScenarioError(problem(f"{where}: modules", "at least one module", [],
                                    "add modules = [\"innate\", \"hpa\"] or a [[module]] table"))
    scenario = Scenario(doc.get("name", path.stem), doc.get("description", ""), modules,
                        protocol, t_end, dt, subject, outputs, profile, calibrated)
    if "output" not in doc:
        model = scenario.model()
        available = set(model.species_names) | {o.name for o in model.observables}
        scenario = replace(scenario, outputs=tuple(o for o in DEFAULT_OUTPUTS if o in available)
                           or model.species_names)
    return scenario


def _list(doc, key, where):
    value = doc.get(key, [])
    if not isinstance(value, list) or any(not isinstance(v, dict) for v in value):
        raise ScenarioError(problem(f"{where}: {key}", "an array of tables ([[" + key + "]])",
                                    value, "see docs/scenarios.md"))
    return value


def _number(table, key, where, default, positive=False):
    value = table.get(key, default)
    number = (to_magnitude(value, "h", f"{where}.{key}") if isinstance(value, str)
              else value)
    if (isinstance(number, bool) or not isinstance(number, (int, float))
            or (positive and not number > 0)):
        raise ScenarioError(problem(f"{where}.{key}", "a number of hours > 0", value,
                                    f"e.g. {key} = 24"))
    return float(number)


def _integer(table, key, where, default):
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ScenarioError(problem(f"{where}.{key}", "a whole number >= 0", value,
                                    f"e.g. {key} = 3"))
    return value


_EVENT_FIELDS = {
    "lps_bolus": ({"dose"}, {"time"}),
    "lps_infusion": ({"rate"}, {"start", "duration"}),
    "bolus": ({"species", "amount"}, {"time"}),
    "infusion": ({"species", "rate"}, {"start", "duration"}),
    "stressor": ({"start", "duration"}, {"intensity", "signal"}),
    "drug": ({"drug", "amount"}, {"time", "route", "duration"}),
}


def _event(e: dict, where: str):
    kind = e.get("type")
    if kind not in _EVENT_FIELDS:
        raise ScenarioError(problem(f"{where}: event type", f"one of {list(_EVENT_FIELDS)}", kind,
                                    "set type = \"lps_bolus\" (for example)"))
    required, optional = _EVENT_FIELDS[kind]
    fields = set(e) - {"type", "repeat_every", "repeat_count"}
    if not required <= fields or not fields <= required | optional:
        raise ScenarioError(problem(f"{where}: {kind} event fields", f"required {sorted(required)}"
                                    f", optional {sorted(optional)}", sorted(fields),
                                    "fix the event table"))
    args = {k: v for k, v in e.items() if k in fields}
    event = {"lps_bolus": lambda: lps_bolus(**args), "lps_infusion": lambda: lps_infusion(**args),
             "bolus": lambda: Bolus(**args), "infusion": lambda: Infusion(**args),
             "stressor": lambda: Stressor(**args), "drug": lambda: DrugDose(**args)}[kind]()
    if "repeat_every" in e or "repeat_count" in e:
        return Repeated(event, e.get("repeat_every", 24.0),
                        _integer(e, "repeat_count", f"{where}: {kind} event", 1))
    return event


def _custom_module(m: dict, where: str) -> Module:
    """A user-defined module from a [[module]] table (rates as strings)."""
    try:
        name = m["name"]
        species = tuple(Species(**s) for s in m.get("species", []))
        params = tuple(Parameter(**{**p, "bounds": tuple(p["bounds"]) if "bounds" in p else None})
                       for p in m.get("parameters", []))
        inputs = tuple(Input(**i) for i in m.get("inputs", []))
        local = {"t": T, "clock": CLOCK, **{x.name: x.symbol for x in species + params + inputs}}
        rates = {k: sp.parse_expr(v, local_dict=local) for k, v in m.get("rates", {}).items()}
    except NeuroimmuneError:
        raise
    except (KeyError, TypeError, ValueError, SyntaxError, sp.SympifyError,
            tokenize.TokenError) as exc:
        raise ScenarioError(f"{where}: [[module]] {m.get('name', '?')!r} is malformed ({exc}). "
                            "Fix: see the module format in docs/scenarios.md") from None
    return Module(name, species, params, rates, inputs=inputs,
                  description=m.get("description", ""), citation=m.get("citation", ""))
