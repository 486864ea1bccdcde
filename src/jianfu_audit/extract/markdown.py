"""Markdown notices (.md): the text without its markup, through markdown-it-py.

Each heading, paragraph, list item and code block becomes one paragraph; table
cells keep their table/row/cell numbers; line breaks inside a paragraph are
dropped (Chinese text wraps without spaces); embedded HTML is reduced to text.
"""

from __future__ import annotations

from pathlib import Path

import trafilatura
from markdown_it import MarkdownIt
from markdown_it.token import Token

from jianfu_audit.document import Document, DocumentBuilder
from jianfu_audit.extract.txt import decode
from jianfu_audit.settings import Settings

_INLINE_TEXT = {"text", "code_inline"}


def extract(path: Path, settings: Settings) -> Document:
    """Read a .md file in any common Chinese encoding."""
    source, encoding = decode(path.read_bytes())
    builder = DocumentBuilder()
    table = row = cell = 0
    for token in MarkdownIt("commonmark").enable("table").parse(source):
        if token.type == "table_open":
            table, row = table + 1, 0
        elif token.type == "tr_open":
            row, cell = row + 1, 0
        elif token.type in ("th_open", "td_open"):
            cell += 1
        elif token.type == "table_close":
            row = 0
        elif token.type == "inline":
            where = {"part": "table", "table": table, "row": row, "cell": cell} if row else {}
            builder.add(_inline_text(token), **where)
        elif token.type in ("fence", "code_block"):
            builder.add(token.content.rstrip("\n"))
        elif token.type == "html_block":
            builder.add(trafilatura.html2txt(f"<html><body>{token.content}</body></html>"))
    document = builder.build(str(path), "markdown")
    document.notes.append(f"encoding={encoding}")
    return document


def _inline_text(token: Token) -> str:
    """Plain text of an inline token: text and code kept, markup and breaks dropped."""
    return "".join(child.content for child in token.children or [] if child.type in _INLINE_TEXT)
