"""No parameter, profile, catalog entry or validation target takes its value or direction from a
study that issue #16 reserves for an independent check (neuroimmune.validation.reserved)."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from neuroimmune.model.library import EXTRA, STANDARD
from neuroimmune.profiles import PROFILES
from neuroimmune.validation.reserved import RESERVED, reserved_mentions


def _rows(package: str, name: str) -> list[dict[str, str]]:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def _library_sources() -> list[tuple[str, str]]:
    out = []
    for factory in STANDARD + EXTRA:
        module = factory()
        out.append((f"{module.name} (module citation)", module.citation))
        out.extend((f"{module.name}.{p.name}", p.source) for p in module.parameters)
        out.extend((f"{module.name}.{s.name} (species)", s.source) for s in module.species)
    return out


def _offences(items: list[tuple[str, str]]) -> list[str]:
    return [f"{where}: {', '.join(found)}" for where, text in items
            if (found := reserved_mentions(text or ""))]


def test_library_sources_name_no_reserved_study():
    assert not _offences(_library_sources())


def test_profile_sources_name_no_reserved_study():
    items = [(f"profile {p.name}.{k}", v) for p in PROFILES.values() for k, v in p.sources.items()]
    items += [(f"profile {p.name} (description)", p.description) for p in PROFILES.values()]
    assert not _offences(items)


@pytest.mark.parametrize("name", ["catalog_entities.csv", "catalog_receptors.csv"])
def test_catalog_sources_name_no_reserved_study(name):
    items = [(f"{name} {r[next(iter(r))]}", " ".join(v or "" for v in r.values()))
             for r in _rows("neuroimmune.data", name)]
    assert not _offences(items)


def test_validation_targets_come_from_no_reserved_study():
    items = [(f"targets.csv {r['id']}", " ".join(v or "" for v in r.values()))
             for r in _rows("neuroimmune.validation.data", "targets.csv")]
    assert not _offences(items)


@pytest.mark.parametrize(("text", "hit"), [
    ("van der Poll et al. 1996 J Clin Invest 97:713", True),
    ("van der Poll 1996 EPI-3", True),
    ("van der Poll 1996", True),  # ambiguous: must name the paper
    ("van der Poll et al. 1996 J Infect Dis 174:1356", False),
    ("van der Poll 1996 JCEM (1784 vs 162 pg/mL)", False),
    ("van der Poll 1997 Blood 89:3727", False),
    ("Borovikova et al. 2000 Nature 405:458", True),
    ("Miller, Cohen & Ritchey 2002 Health Psychol 21:531", True),
    ("Cohen et al. 2012 PNAS 109:5995", False),
    ("Coyle 2006 Shock 26:538 (men +2.1)", False),
    ("no difference in Coyle et al. 2006 Shock 26:538", True),
    ("van Eijk et al. 2007 Crit Care Med 35:1464", True),
    ("Steptoe et al. 2018 Brain Behav Immun 70:369", False),
    ("Steptoe 2001 Clin Sci", True),
    ("Steensberg et al. 2001", False),
    ("Steensberg 2003 Am J Physiol", True),
    ("Krabbe et al. 2001 Clin Exp Immunol", False),
    ("Tsigos 1999", True),
    ("hydrocortisone 12 h before LPS (Barber 1993)", True),
    ("hydrocortisone just before LPS (Barber 1993)", False),
    ("Windoloski 2024 continuous-infusion arm", True),
    ("Windoloski et al. 2024 optimised bolus parameters", False),
    ("Carroll 2007 controls", False),
    ("Carroll 2007 depressed patients", True),
    ("Pollmaecher 1996 J Infect Dis", True),
])
def test_patterns_find_the_reserved_papers_and_only_them(text, hit):
    assert bool(reserved_mentions(text)) is hit


def test_every_reserved_study_has_a_distinct_name():
    assert len({s.name for s in RESERVED}) == len(RESERVED)


def test_calibration_blocks_read_no_reserved_study():
    """The calibration's data blocks (their sources name dataset and cohort) and the published
    fits the model uses are not reserved studies."""
    from neuroimmune.validation import calibrate as cal

    items = [(f"calibration block {b.name}", b.source) for b in cal.calibration_blocks()]
    items += [(f"calibration dataset {n}", n) for n in cal.calibration_datasets()]
    items += [(f"published fit {n}", n) for n in cal.PUBLISHED_FIT_DATASETS]
    assert items and not _offences(items)
