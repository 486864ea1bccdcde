"""Document length against the limits of RG-2024-02 (one finding per document).

Counting rule: the body only (see ``layout``: no title, 文号, 主送, 附件说明,
落款, 成文日期, nor the attachments after it), and every character that is not
white space counts as one 字 — Chinese characters, punctuation, digits and
letters alike, as the "字符数（不计空格）" figure of a word processor.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jianfu_audit.rules.extra import DataSpan
from jianfu_audit.rules.layout import layout
from jianfu_audit.segment import Analysis, Span

_PHRASES = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}


def count_chars(text: str) -> int:
    """字 in ``text``: every character except white space (``str.isspace``, what ``\\s`` matches)."""
    return len("".join(text.split()))


@dataclass(frozen=True)
class LengthKind:
    """Pattern kind ``length``: a body longer than ``limit`` 字, or ``special_limit``
    when the title announces a special task; titles with ``exempt_titles`` words
    (comprehensive documents) have no limit."""

    limit: int
    special_limit: int
    special_titles: tuple[str, ...] = ()
    exempt_titles: tuple[str, ...] = ()

    SCHEMA = {
        "type": "object",
        "additionalProperties": False,
        "required": ["limit"],
        "properties": {
            "limit": {"type": "integer", "minimum": 1},
            "special_limit": {"type": "integer", "minimum": 1},
            "special_titles": _PHRASES,
            "exempt_titles": _PHRASES,
        },
    }

    @classmethod
    def from_spec(cls, spec: Any) -> LengthKind:
        limit = int(spec["limit"])
        return cls(
            limit,
            int(spec.get("special_limit", limit)),
            tuple(spec.get("special_titles", ())),
            tuple(spec.get("exempt_titles", ())),
        )

    def find(self, analysis: Analysis, lo: int = 0, hi: int | None = None) -> Iterator[Span]:
        hi = len(analysis.text) if hi is None else hi
        parts = layout(analysis.text)
        if not parts.body or any(word in parts.title for word in self.exempt_titles):
            return
        special = any(word in parts.title for word in self.special_titles)
        limit = self.special_limit if special else self.limit
        chars = sum(count_chars(line.text) for line in parts.body)
        first = parts.body[0]
        end = min(first.end, analysis.sentence_at(first.start).end)
        if chars > limit and lo <= first.start and end <= hi:
            kind = "部署专项工作或具体任务的文件" if special else "地方和部门文件"
            yield DataSpan(first.start, end, {"length": {"chars": chars, "limit": limit, "document_type": kind}})

    def vocabulary(self) -> set[str]:
        return set()
