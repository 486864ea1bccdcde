"""JSON report — the public contract (extend by adding keys, never rename)."""

from __future__ import annotations

import json
from typing import IO, Any

from jianfu_audit import __version__
from jianfu_audit.pipeline import DocumentResult
from jianfu_audit.score import burden
from jianfu_audit.summary import Summary, suppressed_json


def document_json(result: DocumentResult) -> dict[str, Any]:
    """One entry of ``documents``."""
    data: dict[str, Any] = {
        "path": result.path,
        "format": result.format,
        "chars": result.chars,
        "error": result.error,
        "findings": [finding.to_json() for finding in result.findings],
    }
    if result.error_kind:
        data["error_kind"] = result.error_kind
    if result.document is not None and result.document.pages is not None:
        data["pages"] = result.document.pages
    data["ocr"] = result.document is not None and "ocr" in result.document.notes
    data["ocr_pages"] = result.document.ocr_pages if result.document is not None else []
    data["skipped_pages"] = result.document.skipped_pages if result.document is not None else []
    weight = burden(result.findings).to_json()
    data["score"] = weight["score"] if result.error is None else None
    data["by_category"] = weight["by_category"]
    data["annual"] = weight["annual"]
    data["suppressed"] = suppressed_json(result.baselined, result.suppressed)
    return data


class Reporter:
    """Streams ``{"tool", "documents": [...], "summary"}`` as documents arrive."""

    def __init__(self, out: IO[str], **_: object) -> None:
        self.out = out
        self.count = 0
        tool = json.dumps({"name": "jianfu-audit", "version": __version__}, ensure_ascii=False)
        out.write('{"tool": ' + tool + ',\n "documents": [')

    def document(self, result: DocumentResult) -> None:
        separator = ",\n  " if self.count else "\n  "
        self.out.write(separator + json.dumps(document_json(result), ensure_ascii=False))
        self.count += 1

    def finish(self, summary: Summary) -> None:
        self.out.write("\n ],\n \"summary\": " + json.dumps(summary.to_json(), ensure_ascii=False) + "}\n")
