"""CSV report: one row per finding (and one per clean or unreadable document).

Every row carries its document's burden score, so a spreadsheet can sort and
filter on it. UTF-8 without BOM; columns are fixed by ``COLUMNS``.
"""

from __future__ import annotations

import csv
from typing import IO

from jianfu_audit.pipeline import DocumentResult
from jianfu_audit.score import burden
from jianfu_audit.summary import Summary

COLUMNS = (
    "path", "score", "rule", "category", "severity", "line", "column", "end_line", "end_column",
    "page", "paragraph", "excerpt", "message", "suggestion", "citation", "error",
)


class Reporter:
    def __init__(self, out: IO[str], **_: object) -> None:
        self.writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        self.writer.writeheader()

    def document(self, result: DocumentResult) -> None:
        if result.error is not None:
            self.writer.writerow({"path": result.path, "error": result.error})
            return
        score = burden(result.findings).score
        if not result.findings:
            self.writer.writerow({"path": result.path, "score": score})
        for finding in result.findings:
            data = finding.to_json()
            row = {key: data[key] for key in COLUMNS if key in data and key != "citation"}
            row.update(path=result.path, score=score, citation="、".join(finding.citation))
            self.writer.writerow(row)

    def finish(self, summary: Summary) -> None:
        for path in summary.missing:
            self.writer.writerow({"path": path, "error": "路径不存在"})
