"""Burden score: how heavily a document's demands weigh on grassroots units (0–100).

Every reported finding weighs ``WEIGHTS[severity] × f`` points, where ``f`` is the
demand's annualised frequency (``extra["frequency"]["per_year"]``, 1 when unknown),
clamped to ``[1, MAX_PER_YEAR]``. The points ``P`` of a document map onto 0–100 by
``score = round(100 × P / (P + HALF_POINTS))``: 0 for a clean document, 50 at
``HALF_POINTS``, approaching 100 as demands pile up. Every output format reads
these numbers from :func:`burden`, so they are the same everywhere.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jianfu_audit.findings import CATEGORIES, Finding, Severity

WEIGHTS: dict[Severity, int] = {Severity.error: 10, Severity.warning: 4, Severity.info: 1}
MAX_PER_YEAR = 365  # a demand counts at most once a day
HALF_POINTS = 100  # points at which the score reaches 50
ANNUAL_CATEGORIES = ("meeting", "reporting", "inspection")  # counted per year as well


@dataclass(frozen=True)
class Burden:
    """The burden of one document (or of a batch, for the totals)."""

    score: int
    points: float
    findings: int
    by_category: dict[str, int]
    annual: dict[str, float]  # meeting/reporting/inspection occurrences per year

    def to_json(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "points": number(self.points),
            "findings": self.findings,
            "by_category": dict(self.by_category),
            "annual": {k: number(v) for k, v in self.annual.items()},
        }


def per_year(finding: Finding) -> float:
    """The finding's annualised frequency, clamped to ``[1, MAX_PER_YEAR]`` (1 when unknown)."""
    frequency = finding.extra.get("frequency")
    value = frequency.get("per_year") if isinstance(frequency, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return 1.0
    return float(min(max(value, 1), MAX_PER_YEAR))


def normalise(total: float) -> int:
    """Map burden points onto 0–100 (half-up rounding)."""
    return math.floor(100 * total / (total + HALF_POINTS) + 0.5)


def burden(findings: Iterable[Finding]) -> Burden:
    """Score, points, per-category counts and annual counts of ``findings``."""
    findings = list(findings)
    yearly = [per_year(f) for f in findings]
    total = sum(WEIGHTS[f.severity] * times for f, times in zip(findings, yearly))
    counts = Counter(f.category for f in findings)
    annual: dict[str, float] = dict.fromkeys(ANNUAL_CATEGORIES, 0)
    for finding, times in zip(findings, yearly):
        if finding.category in annual:
            annual[finding.category] += times
    return Burden(
        score=normalise(total),
        points=total,
        findings=len(findings),
        by_category={c: counts[c] for c in CATEGORIES if counts[c]},
        annual=annual,
    )


def number(value: float) -> int | float:
    """``52.0`` → ``52``; other values rounded to one decimal, for display and JSON."""
    rounded = round(float(value), 1)
    return int(rounded) if rounded.is_integer() else rounded
