"""PDF notices: the text layer, page by page, through pdfplumber.

Visual lines that merely wrap (the line runs to the right margin and does not end
a sentence) are joined so that a demand split across two lines is still one
sentence; each resulting paragraph keeps its page number.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from jianfu_audit.document import Document, DocumentBuilder
from jianfu_audit.errors import InputError
from jianfu_audit.settings import Settings

_SENTENCE_END = "。！？；：!?;:」』”）)"
_FULL_LINE = 0.85  # a line at least this share of the page's longest line is a wrapped line


def extract(path: Path, settings: Settings) -> Document:
    """Read a .pdf file; a PDF without a text layer is an error of kind ``scanned``."""
    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, PDFPasswordIncorrect):
            raise InputError("PDF 已加密，需要密码才能打开", kind="encrypted") from None
        raise InputError(f"不是有效的 PDF 文件（{type(cause).__name__}）") from None
    except (PSException, ValueError, KeyError, TypeError) as error:
        raise InputError(f"不是有效的 PDF 文件（{type(error).__name__}）") from None
    if settings.ocr and not any(text.strip() for text in pages):
        from jianfu_audit.extract.ocr import ocr_pdf

        return ocr_pdf(path, settings)
    return document_from_pages(pages, str(path))


def document_from_pages(pages: list[str], path: str) -> Document:
    """Build the document from per-page text; raise when no page has text."""
    if not any(text.strip() for text in pages):
        raise InputError(
            f"PDF 没有文本层（共 {len(pages)} 页，可能是扫描件），无法检查；请提供文字版或启用 OCR（--ocr）",
            kind="scanned",
        )
    builder = DocumentBuilder()
    for number, text in enumerate(pages, start=1):
        for paragraph in join_wrapped_lines(text.split("\n")):
            builder.add(paragraph, page=number)
    return builder.build(path, "pdf", pages=len(pages))


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Merge lines that wrap at the margin into paragraphs."""
    lines = [line.strip() for line in lines if line.strip()]
    if not lines:
        return []
    longest = max(len(line) for line in lines)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        current += line
        wrapped = len(line) >= _FULL_LINE * longest and not line.endswith(tuple(_SENTENCE_END))
        if not wrapped:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs
