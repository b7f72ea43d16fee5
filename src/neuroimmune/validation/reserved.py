"""Studies reserved for an independent check (issue #16): never a target, a calibration block or a
parameter source.

The issue keeps these studies out of everything the model is built or tuned from, so that a later
comparison with them is an honest out-of-sample test. A scenario may still reproduce a reserved
protocol (``lps-epinephrine`` is van der Poll 1996's EPI-3 arm, ``lps-infusion`` the shape of the
Copenhagen continuous-infusion arm): its text then says it is the reserved independent check.

``RESERVED`` is the one list of them, each with a regular expression (case-insensitive) that
finds a citation of it in a source string. tests/test_reserved_studies.py applies them to every
library module's parameter, species and module sources, the profiles' sources, the catalog CSVs
and validation/data/targets.csv, and fails on any match. The patterns name the year (and, where
an author has other admissible papers of that year, the journal or arm), so that e.g. Steptoe
2018, Steensberg 2001, van der Poll 1996 J Infect Dis or the Barber 1993 arm with hydrocortisone
given just before LPS do not match. An unqualified "van der Poll 1996" matches too: say which
paper is meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["RESERVED", "ReservedStudy", "reserved_mentions"]


@dataclass(frozen=True)
class ReservedStudy:
    """A reserved study: a short name and the pattern that finds a citation of it."""

    name: str
    pattern: str

    def search(self, text: str) -> re.Match[str] | None:
        return re.search(self.pattern, text, flags=re.IGNORECASE)


_GAP = r"[^;]{0,60}?"  # within one citation (citations are separated by ';')

#: The reserved studies of issue #16.
RESERVED: tuple[ReservedStudy, ...] = (
    ReservedStudy("Copenhagen endotoxemia study, continuous-infusion arm (Berg; Windoloski 2024)",
                  r"(Windoloski|Berg|Copenhagen)" + _GAP + r"continuous[- ]infusion"
                  r"|continuous[- ]infusion" + _GAP + r"(Windoloski|Berg\b|Copenhagen)"),
    ReservedStudy("van der Poll 1996 J Clin Invest 97:713 (epinephrine before LPS)",
                  r"van der Poll" + _GAP + r"1996" + _GAP
                  + r"(J Clin Invest|JCI\b|97:\s?713|EPI-(3|24))|\b97:\s?713"),
    ReservedStudy("van der Poll 1996, paper not named (say which: the J Clin Invest one is "
                  "reserved)",
                  r"van der Poll( et al\.?)? 1996(?![^;]{0,25}(JCEM|J Clin Endocrinol|"
                  r"J Infect Dis|81:\s?3604|174:\s?1356|J Clin Invest|JCI\b|97:\s?713))"),
    ReservedStudy("Pollmaecher 1996 J Infect Dis (time of day of LPS)",
                  r"Pollm(ä|ae|a)cher" + _GAP + r"1996"),
    ReservedStudy("van Eijk 2007 Crit Care Med (sex comparison)", r"van Eijk" + _GAP + r"2007"),
    ReservedStudy("Coyle 2006 Shock, the women (sex comparison); cite only its men, saying so",
                  r"Coyle" + _GAP + r"2006(?![^;]{0,30}\bmen\b)"),
    ReservedStudy("Borovikova 2000 Nature (vagus nerve stimulation)",
                  r"Borovikova" + _GAP + r"2000|Borovikova"),
    ReservedStudy("Carroll 2007, the depressed groups",
                  r"Carroll" + _GAP + r"2007" + _GAP + r"(depress|melanchol|patients)"),
    ReservedStudy("Miller 2002 Health Psychol (glucocorticoid sensitivity in chronic stress)",
                  r"Miller" + _GAP + r"2002|Health Psychol[^;]{0,10}21:\s?531"),
    ReservedStudy("Barber 1993 / van der Poll 1996: glucocorticoid 12 h or more before LPS",
                  r"(Barber|van der Poll)" + _GAP + r"(12|144)[- ]?h(ours?)? (before|prior)"
                  r"|(12|144)[- ]?h(ours?)? (before|prior)" + _GAP + r"(Barber|van der Poll)"),
    ReservedStudy("Puder 2001 J Clin Endocrinol Metab", r"Puder" + _GAP + r"2001"),
    ReservedStudy("Krabbe 2005 Brain Behav Immun", r"Krabbe" + _GAP + r"2005"),
    ReservedStudy("Mullington 2000 Am J Physiol", r"Mullington" + _GAP + r"2000"),
    ReservedStudy("Martich 1991 J Exp Med", r"Martich" + _GAP + r"1991"),
    ReservedStudy("Tsigos 1997 Neuroendocrinology and its 1999 IL-6 dose-response companion",
                  r"Tsigos" + _GAP + r"(1997|1999)"),
    ReservedStudy("Stouthard 1995 Am J Physiol", r"Stouthard" + _GAP + r"1995"),
    ReservedStudy("Starkie 2003 FASEB J", r"Starkie" + _GAP + r"2003"),
    ReservedStudy("Steensberg 2003 Am J Physiol Endocrinol Metab",
                  r"Steensberg" + _GAP + r"2003"),
    ReservedStudy("Steptoe 2001 Clin Sci", r"Steptoe" + _GAP + r"2001"),
    ReservedStudy("Watabe 1985 Endocrinol Jpn", r"Watabe" + _GAP + r"1985"),
    ReservedStudy("Crowley 1993 J Endocrinol", r"Crowley" + _GAP + r"1993"),
)


def reserved_mentions(text: str) -> list[str]:
    """Names of the reserved studies that ``text`` cites (empty if none)."""
    return [study.name for study in RESERVED if study.search(text)]
