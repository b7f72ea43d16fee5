"""The time of day of an LPS challenge: an out-of-sample check against a study reserved for an
independent check (docs/validation.md, "Studies reserved for an independent check"; no parameter,
bound, direction or calibration block was taken from it).

Pollmaecher et al. 1996 J Infect Dis 174:1040 (abstract, PMID 8896506). Healthy men received
Salmonella abortus equi endotoxin 0.8 ng/kg i.v. at 09:00 or at 19:00, placebo-controlled, with 11 h
of sampling:
- the time of day did not affect the rise of plasma TNF or IL-6;
- after the evening injection, the rises of rectal temperature, plasma ACTH and cortisol were
  "about twice" those after the morning one.

The abstract gives no n, SD or values, so these are tests, not validation targets (a target
needs a band from a mean and its SEM or a published interval).

**How the words become bands.** Ratios are compared on a log2 scale:
- "about twice" reads as a ratio nearer to 2 than to 1 or 4, i.e. [2**0.5, 2**1.5] =
  [1.41, 2.83];
- "did not affect" reads as nearer to 1 than to 2 or 1/2, i.e. [0.71, 1.41].
This reading is a choice made here; nothing was fitted to it.

**In the model**, the rise is the largest difference between the LPS run and a placebo run that
starts at the same clock time (both from the 120-day limit cycle, the shipped calibrated set),
over the 11 h. The dose is 0.8 ng/kg of the model's reference endotoxin (E. coli O113); the
study's Salmonella endotoxin is more potent per ng, so only ratios are compared.

**Values today** (evening / morning):

| output | ratio | band | |
|---|---|---|---|
| cortisol | 2.57 | about twice | passes |
| TNF | 1.06 | unchanged | passes |
| IL-6 | 1.06 | unchanged | passes |
| ACTH | 3.63 | about twice | fails: too large |
| temperature | 1.08 | about twice | fails: no time-of-day gating of fever |

The HPA gating comes from the low evening cortisol, whose feedback is weaker. The model has no
glucocorticoid (or other time-of-day) action on the fever route, so fever is the same morning and
evening. The authors ascribe the evening excess to weaker suppression of the effects of TNF and
IL-6 by endogenous glucocorticoids.
"""

import math

import numpy as np
import pytest

from neuroimmune import scenarios
from neuroimmune.protocol import Protocol, lps_bolus
from neuroimmune.results import simulate

ABOUT_TWICE = (2 ** 0.5, 2 ** 1.5)
UNCHANGED = (2 ** -0.5, 2 ** 0.5)
HOURS = np.arange(0.0, 11.0 + 1e-9, 0.05)


@pytest.fixture(scope="module")
def evening_over_morning() -> dict[str, float]:
    """Evening (19:00) over morning (09:00) rise of each output after LPS 0.8 ng/kg."""
    system = scenarios.system(scenarios.load("lps-bolus"))
    rises = {}
    for clock in (9.0, 19.0):
        runs = [simulate(system, Protocol(events, clock_start=clock, preequilibrate_days=120),
                         HOURS) for events in ([lps_bolus(0.8)], [])]
        lps, placebo = runs
        rises[clock] = {v: float((lps[v].values[0] - placebo[v].values[0]).max())
                        for v in ("ACTH", "cortisol", "temperature", "TNF", "IL6")}
    return {v: rises[19.0][v] / rises[9.0][v] for v in rises[9.0]}


def _within(ratio: float, band: tuple[float, float]) -> bool:
    return math.isfinite(ratio) and band[0] <= ratio <= band[1]


def test_evening_lps_about_doubles_the_cortisol_rise(evening_over_morning):
    assert _within(evening_over_morning["cortisol"], ABOUT_TWICE), evening_over_morning


@pytest.mark.parametrize("output", ["TNF", "IL6"])
def test_the_time_of_day_leaves_the_cytokine_rise_unchanged(evening_over_morning, output):
    assert _within(evening_over_morning[output], UNCHANGED), evening_over_morning


@pytest.mark.xfail(strict=True, reason="the model's evening ACTH rise is 3.6 times the morning "
                   "one, above 'about twice' (2.83 at most): its HPA gating by the low evening "
                   "cortisol is too strong")
def test_evening_lps_about_doubles_the_acth_rise(evening_over_morning):
    assert _within(evening_over_morning["ACTH"], ABOUT_TWICE), evening_over_morning


@pytest.mark.xfail(strict=True, reason="no time-of-day (glucocorticoid) gating of the fever "
                   "route: the evening fever is 1.08 times the morning one")
def test_evening_lps_about_doubles_the_fever(evening_over_morning):
    assert _within(evening_over_morning["temperature"], ABOUT_TWICE), evening_over_morning
