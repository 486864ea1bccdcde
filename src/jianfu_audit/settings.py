"""Run settings: what the command line (and later the config file) decide."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jianfu_audit.findings import Severity


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
