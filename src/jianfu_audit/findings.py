"""Findings: what a rule reports, with its place in the document."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    """Ordered severities; higher is worse."""

    info = 1
    warning = 2
    error = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name]


SEVERITY_NAMES = ("error", "warning", "info")

CATEGORIES = (
    "meeting", "document", "reporting", "trace", "app", "inspection", "veto",
    "deadline", "shifting", "campaign", "secondment", "publicity", "length",
)


#: Chinese names of the category codes, for reports people read.
CATEGORY_LABELS = {
    "meeting": "会议活动",
    "document": "发文",
    "reporting": "填表报数",
    "trace": "过度留痕",
    "app": "政务App与工作群",
    "inspection": "督查检查考核",
    "veto": "一票否决",
    "deadline": "时限过紧",
    "shifting": "责任转嫁",
    "campaign": "运动式要求",
    "secondment": "借调抽调",
    "publicity": "宣传报道",
    "length": "文风篇幅",
}


@dataclass
class Finding:
    """One flagged demand. ``start``/``end`` index into the extracted text."""

    rule: str
    category: str
    severity: Severity
    message: str
    suggestion: str
    citation: list[str]
    excerpt: str
    start: int
    end: int
    line: int
    column: int
    page: int | None
    paragraph: int | None
    context: str = ""
    location: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __reduce__(self) -> tuple[type[Finding], tuple[Any, ...]]:
        """Pickled as its field values: results cross process boundaries under
        ``--jobs``, and this loads some three times faster than an instance dict."""
        return Finding, tuple(getattr(self, name) for name in _FIELDS)

    def to_json(self) -> dict[str, Any]:
        """The JSON contract: the fixed keys first, then additive ones."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity.name,
            "message": self.message,
            "suggestion": self.suggestion,
            "citation": list(self.citation),
            "excerpt": self.excerpt,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "page": self.page,
            "paragraph": self.paragraph,
            "end_line": self.location.get("end_line", self.line),
            "end_column": self.location.get("end_column", self.column + len(self.excerpt)),
            "context": self.context,
        }
        for key in ("part", "table", "row", "cell"):
            if self.location.get(key) is not None:
                data[key] = self.location[key]
        data.update(self.extra)
        return data


_FIELDS = tuple(item.name for item in fields(Finding))
