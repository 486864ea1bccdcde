"""The parts of a notice as a reader sees them: header (title, 文号, 主送机关),
body, 附件说明, 落款 and 成文日期, and whatever follows the 成文日期 (the
attachments themselves).

Header: the leading lines up to and including the 主送 line (a short line ending
in a colon among the first few), or, without one, the leading lines that carry no
punctuation. Trailer: from the last line that is only a date (成文日期) back over
short unpunctuated lines (落款, attachment titles) and lines starting with 附件,
抄送, 联系人 or (此件…). Everything between is the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from jianfu_audit.rules.dates import DATE_LINE

_MAX_HEADER_LINES = 8
_SHORT = 40  # an unpunctuated line at most this long is a heading, a signature or a title
_LINE = re.compile(r"[^\n]+")
_SENTENCE = re.compile(r"[。；;！!？?]")
_PUNCTUATED = re.compile(r"[。；;！!？?，,]")
_ADDRESSEE = re.compile(r"[:：]\s*$")
_TRAILER_START = re.compile(r"\s*(?:附件|抄送|联系人|联系电话|\(此件|（此件)")
_ATTACHMENT = re.compile(
    r"\s*(?:附件\s*(?P<n>[0-9]+)?\s*[:：]?)?\s*(?:(?P<m>[0-9]+)\s*[．.、]\s*)?(?P<name>\S.*?)\s*$"
)


class Line(NamedTuple):
    """One non-empty line without its surrounding spaces, and where that lies in the text
    (a named tuple: a long notice has thousands of them, built on every check)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Attachment:
    """One item of the 附件说明: its number and title."""

    number: int
    name: str
    line: Line


@dataclass(frozen=True)
class Layout:
    title: str
    body: tuple[Line, ...]
    attachments: tuple[Attachment, ...]


@lru_cache(maxsize=16)
def layout(text: str) -> Layout:
    """Split ``text`` into header, body and trailer (see the module docstring)."""
    lines = _lines(text)
    header = _header_end(lines)
    last = len(lines)
    dates = [i for i, line in enumerate(lines) if i >= header and DATE_LINE.fullmatch(line.text)]
    if dates:
        last = dates[-1]
    end = last
    while end > header and _trailer_line(lines[end - 1]):
        end -= 1
    body = tuple(lines[header:end]) or tuple(lines)
    title = "".join(line.text for line in lines[:header] if not _ADDRESSEE.search(line.text))
    return Layout(title, body, _attachments(lines[end:last]))


def _lines(text: str) -> list[Line]:
    lines = []
    for match in _LINE.finditer(text):
        raw = match[0]
        content = raw.strip()
        if content:
            start = match.start() + raw.index(content)
            lines.append(Line(start, start + len(content), content))
    return lines


def _header_end(lines: list[Line]) -> int:
    for index, line in enumerate(lines[:_MAX_HEADER_LINES]):
        if _ADDRESSEE.search(line.text) and not _SENTENCE.search(line.text) and "如下" not in line.text:
            return index + 1  # the 主送 line (commas allowed: 各乡镇，各部门：)
        if _PUNCTUATED.search(line.text):
            return index
    return 0


def _trailer_line(line: Line) -> bool:
    return bool(_TRAILER_START.match(line.text)) or (len(line.text) <= _SHORT and not _SENTENCE.search(line.text))


def _attachments(lines: list[Line]) -> tuple[Attachment, ...]:
    """The numbered items of the 附件说明 among the trailer ``lines``."""
    items: list[Attachment] = []
    started = False
    for line in lines:
        started = started or line.text.startswith("附件")
        if not started:
            continue
        match = _ATTACHMENT.fullmatch(line.text)
        numbered = match and (match["n"] or match["m"])
        if not line.text.startswith("附件") and not numbered:
            break  # the 落款 after the list
        if match:
            number = int(match["n"] or match["m"] or len(items) + 1)
            items.append(Attachment(number, match["name"], line))
    return tuple(items)
