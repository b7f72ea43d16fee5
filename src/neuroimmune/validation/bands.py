"""Accepted bands derived from a study's own spread by a written rule (targets.csv `band_rule`).

A target row carries the published value, its spread, the kind of spread and n; `band` turns
them into [lower, upper]. Rules (docs/validation.md, "Bands"):

- ``mean +- 2 SEM``: the model's value is the population mean, so the band is where the study's
  mean lies with about 95 % confidence (SEM = SD / sqrt(n) when the SD is published).
- ``published interval``: the study's own interval (95 % CI, IQR, range or reference range) is
  the band; `lower` and `upper` are copied from the paper.

Older targets (T01-T33) state their rule in words; `band` is for rows whose rule is one of these.
"""

from __future__ import annotations

import math

from ..errors import NeuroimmuneError, problem

SPREAD_KINDS = ("SD", "SEM")
INTERVAL_KINDS = ("95% CI", "IQR", "range", "reference range")
MEAN_2SEM = "mean +- 2 SEM"
PUBLISHED = "published interval"
BAND_RULES = (MEAN_2SEM, PUBLISHED)


def sem(spread: float, kind: str, n: float) -> float:
    """The standard error of a published mean from its SD (with n) or its SEM."""
    if kind == "SEM":
        return float(spread)
    if kind == "SD":
        if not (n >= 2):
            raise NeuroimmuneError(problem("n", "a group size >= 2 to turn an SD into an SEM",
                                           n, "give the study's n"))
        return float(spread) / math.sqrt(n)
    raise NeuroimmuneError(problem("spread_kind", f"one of {SPREAD_KINDS}", kind,
                                   f"for {INTERVAL_KINDS} use the rule {PUBLISHED!r}"))


def band(rule: str, value: float, spread: float, kind: str, n: float) -> tuple[float, float]:
    """[lower, upper] of a `mean +- 2 SEM` rule (a published interval is its own band)."""
    if rule != MEAN_2SEM:
        raise NeuroimmuneError(problem("band_rule", f"{MEAN_2SEM!r} (a {PUBLISHED!r} is copied, "
                                       "not derived)", rule, "use one of " + str(BAND_RULES)))
    half = 2.0 * sem(spread, kind, n)
    return value - half, value + half


def rounded(x: float, digits: int = 3) -> float:
    """`x` to `digits` significant figures (how targets.csv writes a derived band)."""
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - int(math.floor(math.log10(abs(x)))))
