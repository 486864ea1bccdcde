"""Reports: one module per output format, each with a ``Reporter`` class.

A reporter receives results one at a time (``document``) and the totals at the
end (``finish``), so batches stream instead of being held in memory.
"""

from __future__ import annotations

import importlib
from typing import IO, Protocol

from jianfu_audit.pipeline import DocumentResult
from jianfu_audit.summary import Summary

#: ``--format`` name → module under ``jianfu_audit.report``
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "csv": "csv_report",
    "line": "line",
    "html": "html",
}


class Reporter(Protocol):
    def document(self, result: DocumentResult) -> None: ...

    def finish(self, summary: Summary) -> None: ...


def reporter(name: str, out: IO[str], **options: object) -> Reporter:
    """The reporter for format ``name`` writing to ``out``."""
    module = importlib.import_module(f"jianfu_audit.report.{FORMATS[name]}")
    return module.Reporter(out, **options)
