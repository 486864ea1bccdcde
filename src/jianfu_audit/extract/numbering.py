"""Rebuild the visible text of Word's automatic list numbers.

python-docx exposes a paragraph's ``w:numPr`` and the numbering part but not the
rendered number, so this module counts list items and formats them with the
level's ``numFmt`` and ``lvlText`` (e.g. ``%1、`` with ``chineseCounting`` → ``一、``).
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

_CHINESE_DIGITS = "〇一二三四五六七八九"


def chinese_number(value: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (enough for list numbering)."""
    if value < 10:
        return _CHINESE_DIGITS[value]
    if value < 100:
        tens, units = divmod(value, 10)
        head = "" if tens == 1 else _CHINESE_DIGITS[tens]
        return head + "十" + (_CHINESE_DIGITS[units] if units else "")
    return str(value)


def _format(value: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional",
               "taiwaneseCounting", "chineseLegalSimplified"):
        return chinese_number(value)
    if fmt == "lowerLetter":
        return chr(ord("a") + (value - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (value - 1) % 26)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    if fmt == "decimalEnclosedCircle" and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if fmt == "none":
        return ""
    return str(value)


class ListNumberer:
    """Tracks counters per numbering definition and level across a document."""

    def __init__(self, word: Any) -> None:
        self._levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self._counters: dict[str, list[int]] = {}
        self._by_style: dict[str | None, Any] = {}  # style id → inherited numPr (python-docx's lookup is slow)
        try:
            numbering = word.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {
            a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))
        }
        for num in numbering.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            definition = abstract.get(ref.get(qn("w:val"))) if ref is not None else None
            if definition is None:
                continue
            for level in definition.findall(qn("w:lvl")):
                fmt = level.find(qn("w:numFmt"))
                text = level.find(qn("w:lvlText"))
                start = level.find(qn("w:start"))
                self._levels[(num.get(qn("w:numId")), int(level.get(qn("w:ilvl"), "0")))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )

    def prefix(self, paragraph: Paragraph) -> str:
        """The rendered list number of ``paragraph`` (with its trailing text), or ''."""
        ppr = paragraph._p.pPr
        numpr = ppr.numPr if ppr is not None else None
        if numpr is None or numpr.numId is None:
            style_id = paragraph._p.style
            if style_id not in self._by_style:
                self._by_style[style_id] = _style_numpr(paragraph)  # e.g. Word's "List Number" style
            numpr = self._by_style[style_id]
        if numpr is None or numpr.numId is None:
            return ""
        num_id = str(numpr.numId.val)
        level = int(numpr.ilvl.val) if numpr.ilvl is not None else 0
        if (num_id, level) not in self._levels:
            return ""
        fmt, template, start = self._levels[(num_id, level)]
        if fmt == "bullet":
            return ""
        counters = self._counters.setdefault(num_id, [])
        while len(counters) <= level:
            counters.append(0)
        del counters[level + 1 :]
        counters[level] += 1
        text = template
        for index in range(level, -1, -1):
            lvl_fmt, _, lvl_start = self._levels.get((num_id, index), ("decimal", "", 1))
            value = lvl_start + (counters[index] - 1 if index < len(counters) else 0)
            text = text.replace(f"%{index + 1}", _format(value, lvl_fmt))
        return text


def _style_numpr(paragraph: Paragraph) -> Any:
    """The ``w:numPr`` a paragraph inherits from its style (or the style's bases)."""
    try:
        style = paragraph.style
    except (AttributeError, KeyError, NotImplementedError, ValueError):
        return None
    seen: set[int] = set()
    while style is not None and id(style.element) not in seen:
        seen.add(id(style.element))
        ppr = style.element.pPr
        if ppr is not None and ppr.numPr is not None and ppr.numPr.numId is not None:
            return ppr.numPr
        style = style.base_style
    return None
