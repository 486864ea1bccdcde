"""Write a reviewed copy of a notice: one Word comment per finding.

A .docx input is copied and each finding becomes a comment anchored on exactly
the flagged words (runs are split at the excerpt's edges). Any other input
(.txt, .pdf…) becomes a new .docx holding the extracted text, one paragraph per
line, with the same comments. The input file is only ever read.

Findings carry offsets into the extracted text, so for a .docx this module walks
the Word paragraphs in the order ``extract/docx.py`` does and pairs them with the
document's blocks by their text; a finding whose words cannot be placed (for
instance in a page header, where Word allows no comments) is attached to the
first paragraph of the body with its location spelled out.
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from jianfu_audit.document import Document, clean_text
from jianfu_audit.extract.numbering import ListNumberer
from jianfu_audit.findings import Finding
from jianfu_audit.report.text import LABELS, location_label

AUTHOR = "jianfu-audit"
INITIALS = "JA"
SUFFIX = ".审阅.docx"

# Run children that python-docx counts in ``Run.text``; everything else has no text.
_TEXT_TAGS = {qn(f"w:{tag}") for tag in ("t", "tab", "br", "cr", "noBreakHyphen", "ptab")}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# Where one character of the extracted text lives: a paragraph and an offset into
# its ``text``; None for characters Word generates (list numbers).
Place = tuple[Any, int] | None


@dataclass
class Unit:
    """A stretch of extracted text that comes from Word paragraphs."""

    start: int
    places: list[Place]


def output_name(path: Path) -> str:
    """``通知.docx`` → ``通知.审阅.docx``; other inputs keep their suffix: ``通知.pdf.审阅.docx``."""
    return (path.stem if path.suffix.lower() == ".docx" else path.name) + SUFFIX


def comment_text(finding: Finding) -> str:
    """The comment body: message, suggestion and citation, one paragraph each."""
    lines = [f"【{LABELS[finding.severity.name]}】{finding.message}（{finding.rule}）"]
    if finding.suggestion:
        lines.append("建议：" + finding.suggestion)
    if finding.citation:
        lines.append("依据：" + "、".join(finding.citation))
    return "\n".join(lines)


def annotate(source: Path, document: Document, findings: list[Finding], target: Path) -> int:
    """Write ``target`` with one comment per finding; return the number of comments."""
    if document.format == "docx":
        word = docx.Document(str(source))
        units = list(_align(_docx_units(word), document))
    else:
        word = docx.Document()
        word.core_properties.title = source.name
        units = list(_text_units(word, document.text))
    starts = [unit.start for unit in units]
    for finding in findings:
        text = comment_text(finding)
        runs = _anchor(units, starts, finding)
        if runs is None:
            where = location_label(finding) or f"第{finding.line}行"
            text = f"位置：{where}，原文「{finding.excerpt}」\n" + text
            runs = _fallback(word, source)
        word.add_comment(list(runs), text=text, author=AUTHOR, initials=INITIALS)
    target.parent.mkdir(parents=True, exist_ok=True)
    word.save(str(target))
    return len(findings)


def _fallback(word: Any, source: Path) -> tuple[Run, Run]:
    """The first run of the body with text, for findings that cannot be placed."""
    run = next((Run(r, None) for p in word.paragraphs for r in _runs(p._p) if r.text), None)
    if run is None:  # nothing to anchor on: add a line naming the source
        run = word.add_paragraph().add_run(f"（{source.name}）")
    return run, run


# -- pairing extracted text with Word paragraphs ---------------------------------


def _text_units(word: Any, text: str) -> Iterator[Unit]:
    """Write ``text`` into ``word``, one paragraph per line, and yield their units."""
    position = 0
    for line in text.split("\n"):
        paragraph = word.add_paragraph()
        if line:
            paragraph.add_run(line)
            yield Unit(position, [(paragraph._p, i) for i in range(len(line))])
        position += len(line) + 1


def _docx_units(word: Any) -> Iterator[tuple[str, list[Place]]]:
    """Text and places of every block, in the order ``extract/docx.py`` adds them."""
    numberer = ListNumberer(word)
    for container in _containers(word, "header"):
        yield from _items(container.iter_inner_content(), numberer, in_body=False)
    yield from _items(word.iter_inner_content(), numberer, in_body=True)
    for container in _containers(word, "footer"):
        yield from _items(container.iter_inner_content(), numberer, in_body=False)


def _containers(word: Any, kind: str) -> Iterator[Any]:
    seen: set[int] = set()
    for section in word.sections:
        for attribute in (kind, f"first_page_{kind}", f"even_page_{kind}"):
            container = getattr(section, attribute)
            if not container.is_linked_to_previous and id(container._element) not in seen:
                seen.add(id(container._element))
                yield container


def _items(items: Iterator[Any], numberer: ListNumberer, *, in_body: bool) -> Iterator[tuple[str, list[Place]]]:
    for item in items:
        if isinstance(item, Paragraph):
            yield _unit_text(numberer.prefix(item), [item], in_body)
        elif isinstance(item, Table):
            yield from _table(item, numberer, in_body)


def _table(table: Table, numberer: ListNumberer, in_body: bool) -> Iterator[tuple[str, list[Place]]]:
    for row in table.rows:
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            for item in cell.iter_inner_content():
                if isinstance(item, Paragraph):
                    yield _unit_text(numberer.prefix(item), [item], in_body)
                else:  # nested table: the extractor takes each cell's text whole
                    for nested_row in item.rows:
                        for nested_cell in nested_row.cells:
                            yield _unit_text("", nested_cell.paragraphs, in_body)


def _unit_text(prefix: str, paragraphs: list[Paragraph], in_body: bool) -> tuple[str, list[Place]]:
    """The cleaned text as the extractor builds it, and where each character lives."""
    raw = prefix
    places: list[Place] = [None] * len(prefix)
    for index, paragraph in enumerate(paragraphs):
        if index:
            raw += "\n"
            places.append(None)
        text = paragraph.text
        raw += text
        places.extend((paragraph._p, i) if in_body else None for i in range(len(text)))
    cleaned, kept = [], []
    i = 0
    while i < len(raw):  # the same steps as ``clean_text``, remembering sources
        step = 2 if raw.startswith("\r\n", i) else 1
        char = "\n" if raw[i] in "\r\x0b" else raw[i]
        if clean_text(char):
            cleaned.append(char)
            kept.append(places[i])
        i += step
    return "".join(cleaned), kept


def _align(units: Iterator[tuple[str, list[Place]]], document: Document) -> Iterator[Unit]:
    """Pair each non-empty unit with the next block of the same text."""
    blocks = document.blocks
    index = 0
    for text, places in units:
        if not text.strip():
            continue
        for ahead in range(index, len(blocks)):
            block = blocks[ahead]
            if document.text[block.start : block.end] == text:
                yield Unit(block.start, places)
                index = ahead + 1
                break


# -- anchoring a finding on runs -------------------------------------------------


def _anchor(units: list[Unit], starts: list[int], finding: Finding) -> tuple[Run, Run] | None:
    """First and last run covering the finding's words, splitting runs as needed."""
    placed = [p for p in (_place(units, starts, o) for o in range(finding.start, finding.end)) if p]
    if not placed:
        return None
    (first_p, begin), (last_p, end) = placed[0], placed[-1]
    _cut(last_p, end + 1)
    _cut(first_p, begin)
    first = next((r for r, lo, hi in _spans(first_p) if lo >= begin and hi > lo), None)
    last = next((r for r, lo, hi in reversed(_spans(last_p)) if hi <= end + 1 and hi > lo), None)
    if first is None or last is None:
        return None
    return Run(first, None), Run(last, None)


def _place(units: list[Unit], starts: list[int], offset: int) -> Place:
    index = bisect.bisect_right(starts, offset) - 1
    if index < 0:
        return None
    unit = units[index]
    relative = offset - unit.start
    return unit.places[relative] if relative < len(unit.places) else None


def _runs(p: Any) -> list[Any]:
    """The runs whose text makes up ``Paragraph.text`` (hyperlinked runs included)."""
    return p.xpath("./w:r | ./w:hyperlink/w:r")


def _spans(p: Any) -> list[tuple[Any, int, int]]:
    """Each run of paragraph ``p`` with its ``[lo, hi)`` range in the paragraph text."""
    spans, position = [], 0
    for r in _runs(p):
        length = len(r.text)
        spans.append((r, position, position + length))
        position += length
    return spans


def _cut(p: Any, offset: int) -> None:
    """Make ``offset`` a run boundary in paragraph ``p`` by splitting the run across it."""
    for r, lo, hi in _spans(p):
        if lo < offset < hi:
            _split(r, offset - lo)
            return


def _split(r: Any, at: int) -> None:
    """Split run ``r`` after ``at`` characters; the second half follows it."""
    right = copy.deepcopy(r)
    position = 0
    for left_child, right_child in zip(list(r), list(right)):
        if left_child.tag == qn("w:rPr"):
            continue
        length = len(str(left_child)) if left_child.tag in _TEXT_TAGS else 0
        if position + length <= at and position < at:
            right.remove(right_child)
        elif position >= at:
            r.remove(left_child)
        else:  # a w:t that straddles the cut
            text = left_child.text
            left_child.text, right_child.text = text[: at - position], text[at - position :]
            left_child.set(_XML_SPACE, "preserve")
            right_child.set(_XML_SPACE, "preserve")
        position += length
    r.addnext(right)
