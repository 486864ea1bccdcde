"""Notices saved from government websites (.html/.htm).

The page is decoded by its byte-order mark or declared charset (w3lib, which
reads ``<meta charset>``/``http-equiv`` and widens GB2312/GBK to GB18030), else
by detection; trafilatura then keeps the article text and drops navigation,
headers, footers and scripts. The page title comes first when the body lacks it.
"""

from __future__ import annotations

from pathlib import Path

import trafilatura
from trafilatura.settings import use_config
from w3lib.encoding import html_to_unicode

from jianfu_audit.document import Document, DocumentBuilder
from jianfu_audit.errors import InputError
from jianfu_audit.extract.txt import detect_encoding
from jianfu_audit.settings import Settings

# trafilatura falls back to the whole page below 250 characters of article text,
# a threshold tuned for English; a short Chinese notice is far denser.
_CONFIG = use_config()
_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", "50")


def extract(path: Path, settings: Settings) -> Document:
    """Read an .html/.htm file."""
    encoding, page = html_to_unicode(None, path.read_bytes(), auto_detect_fun=_detect)
    result = trafilatura.bare_extraction(
        page,
        include_tables=True,
        include_comments=False,
        favor_recall=True,
        with_metadata=True,
        config=_CONFIG,
    )
    title = (result.title or "").strip() if result else ""
    body = result.text if result and result.text else trafilatura.html2txt(page)
    builder = DocumentBuilder()
    if title and title not in body[: len(title) * 2]:
        builder.add(title)
    for line in body.split("\n"):
        builder.add(line)
    document = builder.build(str(path), "html")
    if not document.text.strip():
        raise InputError("网页中没有找到正文文字")
    document.notes.append(f"encoding={encoding}")
    return document


def _detect(data: bytes) -> str | None:
    """Fallback when the page declares no charset: the plain-text detector."""
    try:
        return detect_encoding(data)
    except InputError:
        return None
