"""Forms a notice asks the grassroots to fill, counted once per document.

A form is an item of the 附件说明 whose title ends with one of the rule's
``words`` (…表, …名册, …台账; a note in brackets such as （样表） counts too), an
attachment the body asks to fill by number (按附件1—6格式填报: each number once),
or a form named in the body (报送《项目进度表》). More than
``Settings.max_forms`` is flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jianfu_audit.rules.extra import DataSpan
from jianfu_audit.rules.layout import Line, layout
from jianfu_audit.segment import Analysis, Span
from jianfu_audit.settings import Settings

_REFERENCE = re.compile(r"附件\s*(?P<first>[0-9]+)(?P<rest>(?:\s*(?:[—\-–~至到]|[、,，和及])\s*[0-9]+)*)")
_FILL = re.compile(r"填|报|格式|汇总|登记")
_NAMED = re.compile(r"《(?P<name>[^《》\n]{1,40})》")
_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


@dataclass(frozen=True)
class FormsKind:
    """Pattern kind ``forms``: more forms to fill than ``Settings.max_forms``."""

    words: tuple[str, ...]

    SCHEMA = {
        "type": "object",
        "additionalProperties": False,
        "required": ["words"],
        "properties": {"words": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}},
    }

    @classmethod
    def from_spec(cls, spec: Any) -> FormsKind:
        return cls(tuple(spec["words"]))

    def is_form(self, name: str) -> bool:
        """Whether an attachment or document title names a form to fill."""
        note = _NOTE.search(name)
        bare = name[: note.start()] if note else name
        return bare.endswith(self.words) or bool(note and any(word in note[0] for word in self.words))

    def count(self, text: str) -> tuple[dict[str, str], Span | None]:
        """The forms in ``text`` (key → title, "" when only the number is known) and the first place named."""
        parts = layout(text)
        listed = {item.number: item for item in parts.attachments}
        forms = {f"附件{n}": item.name for n, item in listed.items() if self.is_form(item.name)}
        anchor = next((Span(i.line.start, i.line.end) for i in parts.attachments if self.is_form(i.name)), None)
        for line in parts.body:
            for match in _REFERENCE.finditer(line.text):
                if not _FILL.search(line.text):
                    continue
                for number in _numbers(match):
                    if number not in listed:
                        forms[f"附件{number}"] = ""
                        anchor = anchor or _at(line, match)
            for match in _NAMED.finditer(line.text):
                name = match["name"]
                if self.is_form(name) and name not in forms.values():
                    forms[name] = name
                    anchor = anchor or _at(line, match)
        return forms, anchor

    def find(self, analysis: Analysis, lo: int = 0, hi: int | None = None) -> Iterator[Span]:
        hi = len(analysis.text) if hi is None else hi
        limit = (analysis.settings or Settings()).max_forms
        forms, anchor = self.count(analysis.text)
        if len(forms) > limit and anchor is not None and lo <= anchor.start and anchor.end <= hi:
            names = [name or key for key, name in forms.items()]
            extra = {"forms": {"count": len(forms), "limit": limit, "names": names}}
            yield DataSpan(anchor.start, anchor.end, extra)

    def vocabulary(self) -> set[str]:
        return set()


def _numbers(match: re.Match[str]) -> list[int]:
    """附件1—6 → 1…6; 附件2、3 → 2, 3."""
    numbers = [int(match["first"])]
    for separator, number in re.findall(r"\s*([—\-–~至到]|[、,，和及])\s*([0-9]+)", match["rest"]):
        last, value = numbers[-1], int(number)
        if separator in "—-–~至到" and last < value <= last + 50:
            numbers.extend(range(last + 1, value + 1))
        else:
            numbers.append(value)
    return numbers


def _at(line: Line, match: re.Match[str]) -> Span:
    """``match`` (found in ``line.text``) as a span of the document."""
    return Span(line.start + match.start(), line.start + match.end())
