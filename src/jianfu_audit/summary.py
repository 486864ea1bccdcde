"""Batch totals, accumulated as results stream by."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from jianfu_audit.findings import CATEGORIES, SEVERITY_NAMES, Severity
from jianfu_audit.pipeline import DocumentResult
from jianfu_audit.score import burden


@dataclass
class Summary:
    """Counts over a batch. ``failed`` counts documents that could not be read."""

    fail_on: Severity | None = Severity.warning
    documents: int = 0
    failed: int = 0
    flagged: int = 0
    scanned: int = 0  # unreadable: no usable text layer at all (error kind ``scanned``)
    partly_scanned: int = 0  # read, but some scanned pages were skipped (no ``--ocr``)
    findings: int = 0
    by_category: Counter = field(default_factory=Counter)
    by_severity: Counter = field(default_factory=Counter)
    unsupported: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    max_score: int | None = None
    over_score: int = 0  # documents whose burden score exceeds max_score
    highest_score: int = 0
    baselined: int = 0
    suppressed: Counter = field(default_factory=Counter)  # config ignore reason → findings

    def add(self, result: DocumentResult) -> None:
        self.documents += 1
        if result.error is not None:
            self.failed += 1
            self.scanned += result.error_kind == "scanned"
        elif result.document is not None and result.document.skipped_pages:
            self.partly_scanned += 1
        if result.fails(self.fail_on):
            self.flagged += 1
        self.findings += len(result.findings)
        self.by_category.update(f.category for f in result.findings)
        self.by_severity.update(f.severity.name for f in result.findings)
        score = burden(result.findings).score
        self.highest_score = max(self.highest_score, score)
        if self.max_score is not None and score > self.max_score:
            self.over_score += 1
        self.baselined += result.baselined
        self.suppressed.update(result.suppressed)

    @property
    def exit_code(self) -> int:
        """2 when any input could not be read, else 1 when findings fail or a score
        exceeds ``max_score``, else 0."""
        if self.failed or self.missing:
            return 2
        return 1 if self.flagged or self.over_score else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "failed": self.failed,
            "findings": self.findings,
            "by_category": {c: self.by_category[c] for c in CATEGORIES if self.by_category[c]},
            "by_severity": {s: self.by_severity[s] for s in SEVERITY_NAMES if self.by_severity[s]},
            "flagged": self.flagged,
            "scanned": self.scanned,
            "partly_scanned": self.partly_scanned,
            "unsupported": list(self.unsupported),
            "missing": list(self.missing),
            "fail_on": self.fail_on.name if self.fail_on else "never",
            "max_score": self.max_score,
            "over_max_score": self.over_score,
            "highest_score": self.highest_score,
            "suppressed": suppressed_json(self.baselined, self.suppressed),
            "exit_code": self.exit_code,
        }


def suppressed_json(baselined: int, reasons: dict[str, int]) -> dict[str, Any]:
    """Hidden findings, counted so that nothing disappears silently."""
    config = sum(reasons.values())
    return {"total": baselined + config, "baseline": baselined, "config": config, "reasons": dict(reasons)}
