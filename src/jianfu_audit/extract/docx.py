"""Word .docx notices through python-docx: headers, body paragraphs and tables
in document order (cell by cell), then footers."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from jianfu_audit.document import Document, DocumentBuilder
from jianfu_audit.errors import InputError
from jianfu_audit.extract.numbering import ListNumberer
from jianfu_audit.settings import Settings

#: what python-docx, zipfile and lxml raise on a damaged or hostile package
_BROKEN = (PackageNotFoundError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, KeyError, ValueError, IndexError)


def extract(path: Path, settings: Settings) -> Document:
    """Read a .docx file.

    python-docx parses XML with ``resolve_entities=False`` and libxml2 refuses
    entity amplification, so DTD tricks (billion laughs, external entities) end
    as a parse error here, never as expansion or a file read.
    """
    try:
        word = docx.Document(str(path))
        builder = DocumentBuilder()
        numberer = ListNumberer(word)
        for part, container in _header_footer_parts(word, "header"):
            _add_items(builder, container.iter_inner_content(), part, numberer)
        tables = _add_items(builder, word.iter_inner_content(), "body", numberer)
        for part, container in _header_footer_parts(word, "footer"):
            _add_items(builder, container.iter_inner_content(), part, numberer, tables)
    except etree.LxmlError as error:
        raise InputError(f"不是有效的 .docx 文件（文档 XML 损坏或含不安全的声明：{_first_line(error)}）") from None
    except _BROKEN as error:
        raise InputError(f"不是有效的 .docx 文件（{type(error).__name__}：{_first_line(error)}）") from None
    return builder.build(str(path), "docx")


def _first_line(error: BaseException) -> str:
    """The first line of an exception message, at most 80 characters."""
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:80]


def _header_footer_parts(word: Any, kind: str) -> Iterator[tuple[str, Any]]:
    """Distinct, non-linked headers (or footers) of every section."""
    seen: set[int] = set()
    for section in word.sections:
        for attribute in (kind, f"first_page_{kind}", f"even_page_{kind}"):
            container = getattr(section, attribute)
            if container.is_linked_to_previous:
                continue
            element = id(container._element)
            if element not in seen:
                seen.add(element)
                yield kind, container


def _add_items(
    builder: DocumentBuilder,
    items: Iterator[Paragraph | Table],
    part: str,
    numberer: ListNumberer,
    tables: int = 0,
) -> int:
    """Add paragraphs and tables; return the running table count."""
    for item in items:
        if isinstance(item, Paragraph):
            builder.add(numberer.prefix(item) + item.text, part=part)
        else:
            tables += 1
            _add_table(builder, item, tables, part, numberer)
    return tables


def _add_table(
    builder: DocumentBuilder, table: Table, index: int, part: str, numberer: ListNumberer
) -> None:
    """Add every distinct cell of ``table`` (merged cells once), row by row."""
    for row_number, row in enumerate(table.rows, start=1):
        seen: set[int] = set()
        for cell_number, cell in enumerate(row.cells, start=1):
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            for item in cell.iter_inner_content():
                if isinstance(item, Paragraph):
                    builder.add(
                        numberer.prefix(item) + item.text,
                        part="table" if part == "body" else part,
                        table=index,
                        row=row_number,
                        cell=cell_number,
                    )
                else:  # nested table: flatten into the same cell
                    for nested_row in item.rows:
                        for nested_cell in nested_row.cells:
                            builder.add(
                                nested_cell.text,
                                part="table",
                                table=index,
                                row=row_number,
                                cell=cell_number,
                            )
