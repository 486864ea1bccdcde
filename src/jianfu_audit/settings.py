"""Run settings: what the command line (and later the config file) decide."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jianfu_audit.findings import Severity


@dataclass(frozen=True)
class Suppression:
    """A configured ignore with its reason: findings of ``rules`` (ids, categories or
    globs; all when empty) in files matching ``paths`` (globs relative to ``root``;
    all when empty) are counted as suppressed instead of reported."""

    reason: str
    rules: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    root: Path = Path(".")


@dataclass
class Settings:
    """Everything that changes what is checked or reported."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    min_severity: Severity = Severity.info
    fail_on: Severity | None = Severity.warning
    rule_dirs: tuple[Path, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    document_date: date | None = None
    deadline_min_workdays: int = 3
    ocr: bool = False  # OCR scanned PDFs and images (Tesseract)
    extra_holidays: tuple[date, ...] = ()
    extra_workdays: tuple[date, ...] = ()
    max_forms: int = 3  # more forms to fill than this in one notice is flagged
    max_score: int | None = None
    max_bytes: int = 50 * 1024 * 1024  # larger input files are refused (0: no limit)
    timeout: float | None = 600.0  # seconds one input may take (None or 0: no limit)
    suppressions: tuple[Suppression, ...] = ()
