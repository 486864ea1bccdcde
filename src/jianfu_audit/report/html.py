"""HTML report: one self-contained page for a whole batch.

The page carries its own CSS and JavaScript (templates/), loads nothing from the
network (a Content-Security-Policy forbids it) and works on a phone. Everything
taken from a document goes through Jinja2's autoescaping, so a notice containing
markup shows it as text.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import IO, Any

from jinja2 import Environment, PackageLoader

from jianfu_audit import __version__
from jianfu_audit.findings import CATEGORIES, CATEGORY_LABELS, SEVERITY_NAMES, Finding
from jianfu_audit.pipeline import DocumentResult
from jianfu_audit.report.text import LABELS, location_label
from jianfu_audit.score import burden
from jianfu_audit.summary import Summary

_ENVIRONMENT = Environment(
    loader=PackageLoader("jianfu_audit.report", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def category_label(code: str) -> str:
    return CATEGORY_LABELS.get(code, code)


def segments(text: str, findings: list[Finding]) -> list[tuple[str, list[int]]]:
    """Cut ``text`` at every finding edge; each piece lists the findings that cover it."""
    cuts = sorted({0, len(text), *(f.start for f in findings), *(f.end for f in findings)})
    return [
        (text[lo:hi], [i for i, f in enumerate(findings) if f.start <= lo and hi <= f.end])
        for lo, hi in zip(cuts, cuts[1:])
    ]


def finding_view(finding: Finding, ident: str) -> dict[str, Any]:
    where = location_label(finding)
    return {
        "id": ident,
        "rule": finding.rule,
        "category": finding.category,
        "category_label": category_label(finding.category),
        "severity": finding.severity.name,
        "severity_label": LABELS[finding.severity.name],
        "message": finding.message,
        "suggestion": finding.suggestion,
        "citation": "、".join(finding.citation),
        "excerpt": finding.excerpt,
        "where": f"第{finding.line}行第{finding.column}列" + (f"（{where}）" if where else ""),
    }


def document_view(result: DocumentResult, number: int) -> dict[str, Any]:
    """What the template needs of one document; the Document itself is not kept."""
    ident = f"d{number}"
    findings = [finding_view(f, f"{ident}-f{i}") for i, f in enumerate(result.findings)]
    pieces = []
    if result.document is not None:
        for text, covering in segments(result.document.text, result.findings):
            marks = [findings[i] for i in covering]
            worst = max((result.findings[i].severity for i in covering), default=None)
            pieces.append({
                "text": text,
                "ids": " ".join(m["id"] for m in marks),
                "severity": worst.name if worst else "",
                "title": "\n".join(m["message"] for m in marks),
            })
    severities = Counter(f.severity.name for f in result.findings)
    return {
        "id": ident,
        "path": result.path,
        "format": result.format or "",
        "chars": result.chars,
        "error": result.error,
        "findings": findings,
        "pieces": pieces,
        "severities": {s: severities[s] for s in SEVERITY_NAMES},
        "score": None if result.error else burden(result.findings).score,
    }


def render(documents: list[dict[str, Any]], summary: Summary) -> str:
    """The whole page."""
    categories = [(c, summary.by_category[c]) for c in CATEGORIES if summary.by_category[c]]
    top = max((n for _, n in categories), default=1)
    chart = [
        {"code": c, "label": category_label(c), "count": n, "percent": round(100 * n / top)}
        for c, n in categories
    ]
    return _ENVIRONMENT.get_template("report.html.j2").render(
        documents=documents,
        summary=summary,
        chart=chart,
        severities=[(s, LABELS[s], summary.by_severity[s]) for s in SEVERITY_NAMES],
        top_score=max((d["score"] for d in documents if d["score"] is not None), default=None),
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
        version=__version__,
    )


class Reporter:
    """Collects one light view per document and writes the page at the end."""

    def __init__(self, out: IO[str], **_: object) -> None:
        self.out = out
        self.documents: list[dict[str, Any]] = []

    def document(self, result: DocumentResult) -> None:
        self.documents.append(document_view(result, len(self.documents) + 1))

    def finish(self, summary: Summary) -> None:
        self.out.write(render(self.documents, summary))
