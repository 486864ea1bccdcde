"""The document model shared by every input format.

An extractor turns a file into one plain ``text`` plus a list of ``Block``s that
say where each stretch of that text came from (page, paragraph, table cell…).
Findings carry character offsets into ``text``; ``Document.locate`` turns an
offset into a location a person or an editor can jump to.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class Block:
    """One paragraph-like unit of extracted text, ``text[start:end]``."""

    start: int
    end: int
    paragraph: int
    page: int | None = None
    part: str = "body"  # body | header | footer | table
    table: int | None = None
    row: int | None = None
    cell: int | None = None


class Location(NamedTuple):
    """Where an offset lies: 1-based line/column in ``text`` plus its block (a named
    tuple: one is made for every finding)."""

    line: int
    column: int
    paragraph: int | None
    page: int | None = None
    part: str = "body"
    table: int | None = None
    row: int | None = None
    cell: int | None = None


@dataclass
class Document:
    """Extracted text of one input with an offset → location map."""

    path: str
    format: str
    text: str
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    notes: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # pages whose text Tesseract recognised
    skipped_pages: list[int] = field(default_factory=list)  # scanned pages left unread (no --ocr)

    def __post_init__(self) -> None:
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(self.text) if ch == "\n"]
        self._block_starts = [b.start for b in self.blocks]

    def locate(self, offset: int) -> Location:
        """Return the location of character ``offset`` (clamped into the text)."""
        offset = max(0, min(offset, len(self.text)))
        line, column = self.line_column(offset)
        block = self.block_at(offset)
        if block is None:
            return Location(line=line, column=column, paragraph=None)
        return Location(
            line=line,
            column=column,
            paragraph=block.paragraph,
            page=block.page,
            part=block.part,
            table=block.table,
            row=block.row,
            cell=block.cell,
        )

    def line_column(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of character ``offset`` (within the text)."""
        line_index = bisect.bisect_right(self._line_starts, offset) - 1
        return line_index + 1, offset - self._line_starts[line_index] + 1

    def block_at(self, offset: int) -> Block | None:
        """The block containing ``offset``, or the nearest one before it."""
        index = bisect.bisect_right(self._block_starts, offset) - 1
        return self.blocks[index] if index >= 0 else None


class DocumentBuilder:
    """Accumulates blocks one line each; extractors use it so offsets stay exact."""

    def __init__(self) -> None:
        self._chunks: list[str] = []
        self._blocks: list[Block] = []
        self._length = 0
        self._paragraphs = 0

    def add(
        self,
        text: str,
        *,
        page: int | None = None,
        part: str = "body",
        table: int | None = None,
        row: int | None = None,
        cell: int | None = None,
        new_paragraph: bool = True,
    ) -> None:
        """Append one block of text on a line of its own; empty text is skipped."""
        text = clean_text(text)
        if not text.strip():
            return
        if self._chunks:
            self._chunks.append("\n")
            self._length += 1
        if new_paragraph or not self._blocks:
            self._paragraphs += 1
        start = self._length
        self._chunks.append(text)
        self._length += len(text)
        self._blocks.append(
            Block(start, self._length, self._paragraphs, page, part, table, row, cell)
        )

    def build(self, path: str, format: str, *, pages: int | None = None) -> Document:
        """Finish the document."""
        return Document(path, format, "".join(self._chunks), self._blocks, pages=pages)


def clean_text(text: str) -> str:
    """Normalise line breaks and drop control characters, keeping everything else."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ch >= " " and ch != "\x7f")


def document_from_text(text: str, path: str, format: str = "txt") -> Document:
    """Build a document from plain text: each non-empty line is one paragraph.

    The text is kept exactly (after line-break normalisation), so blank lines stay
    and offsets match what ``extract`` prints.
    """
    text = clean_text(text)
    blocks: list[Block] = []
    position = 0
    paragraph = 0
    for line in text.split("\n"):
        if line.strip():
            paragraph += 1
            blocks.append(Block(position, position + len(line), paragraph))
        position += len(line) + 1
    return Document(path, format, text, blocks)
