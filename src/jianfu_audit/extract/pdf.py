"""PDF notices: the text layer, page by page.

PDFium (through pypdfium2) reads the text layer: tens of times faster than
pdfplumber's layout analysis on Chinese text (see docs/performance.md), tolerant
of damaged files, and it opens PDFs encrypted with an empty user password.
PDFium keeps the content-stream order of lines, which is the reading order for
almost every notice; on a page whose lines mostly run bottom-to-top in that
order, pdfplumber, which sorts characters by their position, reads the page.

PDFium adds a space where characters stand far apart; such a generated space
between two Chinese characters (letter-spaced titles, justified lines) is dropped,
while spaces written in the file are kept.
Visual lines that merely wrap (the line runs to the right margin and does not end
a sentence) are joined so that a demand split across two lines is still one
sentence; each resulting paragraph keeps its page number.

Pages without a usable text layer (see ``extract.scanned``; images are measured
here, top-level or inside a form XObject) are recognised with ``--ocr``, the
other pages keep their text layer; without ``--ocr`` they are skipped and listed
in ``Document.skipped_pages``, and a PDF of only such pages is an error of kind
``scanned``.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pypdfium2 as pdfium

from jianfu_audit.document import Document, DocumentBuilder
from jianfu_audit.errors import InputError
from jianfu_audit.extract.scanned import MIN_TEXT_CHARS, record, scanned_pages
from jianfu_audit.settings import Settings

MAX_PAGES = 5000
_SENTENCE_END = "。！？；：!?;:」』”）)"
_FULL_LINE = 0.85  # a line at least this share of the page's longest line is a wrapped line
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}])")
_LINE_STEP = 2.0  # points a line's top must move to count as going up or down the page
_LOAD_ERRORS = {
    pdfium.raw.FPDF_ERR_PASSWORD: ("PDF 设置了打开密码（已加密），无法读取；请提供未加密的文件", "encrypted"),
    pdfium.raw.FPDF_ERR_SECURITY: ("PDF 使用了不支持的加密方式，无法读取", "encrypted"),
    pdfium.raw.FPDF_ERR_FORMAT: ("不是有效的 PDF 文件（文件已损坏或不完整）", "unreadable"),
}


def extract(path: Path, settings: Settings) -> Document:
    """Read a .pdf file, its scanned pages through OCR when enabled."""
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        message, kind = _LOAD_ERRORS.get(error.err_code, (f"无法打开 PDF（{error}）", "unreadable"))
        raise InputError(message, kind=kind) from None
    try:
        if len(pdf) > MAX_PAGES:
            raise InputError(f"PDF 共 {len(pdf)} 页，超过上限 {MAX_PAGES} 页，已拒绝读取", kind="too-large")
        pages = [_page_text(pdf, index) for index in range(len(pdf))]
    finally:
        pdf.close()
    reordered = [index for index, (_, in_order, _) in enumerate(pages) if not in_order]
    texts = [text for text, _, _ in pages]
    for index, text in _layout_texts(path, reordered).items():
        texts[index] = text
    scanned = scanned_pages(texts, [share for _, _, share in pages])
    if settings.ocr and scanned:
        from jianfu_audit.extract.ocr import recognise_pdf_pages

        for index, text in zip(scanned, recognise_pdf_pages(path, scanned), strict=True):
            texts[index] = text
        if not any(text.strip() for text in texts):
            raise InputError(f"OCR 未识别出文字（共 {len(texts)} 页），无法检查", kind="scanned")
    elif len(scanned) == len(texts):
        raise InputError(
            f"PDF 没有可用的文本层（共 {len(texts)} 页，可能是扫描件），无法检查；请提供文字版或启用 OCR（--ocr）",
            kind="scanned",
        )
    recognised = scanned if settings.ocr else []
    return record(document_from_pages(texts, str(path), recognised), scanned, settings.ocr)


def _page_text(pdf: pdfium.PdfDocument, index: int) -> tuple[str, bool, float]:
    """The text of page ``index``, whether its lines run down the page, and,
    for a page with little text, the share of it covered by images."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        raise InputError(f"PDF 第 {index + 1} 页已损坏，无法读取") from None
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_bounded()
            if _CJK_SPACE.search(text):
                text = _without_generated_spaces(textpage)
            tops = [textpage.get_rect(i)[3] for i in range(textpage.count_rects())]
        finally:
            textpage.close()
        share = _image_share(page) if len("".join(text.split())) < MIN_TEXT_CHARS else 0.0
    finally:
        page.close()
    return text.replace("\r\n", "\n"), runs_down(tops), share


def _image_share(page: pdfium.PdfPage) -> float:
    """How much of the page images cover (overlaps counted twice, at most 1)."""
    width, height = page.get_size()
    area = 0.0
    for item in page.get_objects(max_depth=0):
        if item.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE or (
            item.type == pdfium.raw.FPDF_PAGEOBJ_FORM
            and any(True for _ in page.get_objects([pdfium.raw.FPDF_PAGEOBJ_IMAGE], form=item))
        ):
            left, bottom, right, top = (ctypes.c_float() for _ in range(4))
            if pdfium.raw.FPDFPageObj_GetBounds(item, left, bottom, right, top):
                area += (right.value - left.value) * (top.value - bottom.value)
    return min(area / (width * height), 1.0) if width * height > 0 else 0.0


def _without_generated_spaces(textpage: pdfium.PdfTextPage) -> str:
    """The page's characters, less the spaces PDFium generated between Chinese characters."""
    chars = [pdfium.raw.FPDFText_GetUnicode(textpage, i) for i in range(textpage.count_chars())]
    text = "".join(chr(c) if 0 < c <= 0x10FFFF else "\ufffd" for c in chars)
    drop = {
        match.start() + offset
        for match in _CJK_SPACE.finditer(text)
        for offset in range(match.end() - match.start())
        if pdfium.raw.FPDFText_IsGenerated(textpage, match.start() + offset) == 1
    }
    return "".join(char for index, char in enumerate(text) if index not in drop)


def runs_down(tops: list[float]) -> bool:
    """False when most steps between consecutive text lines go up the page
    (PDF y grows upwards), i.e. the content stream is not in reading order."""
    up = sum(1 for a, b in pairwise(tops) if b > a + _LINE_STEP)
    down = sum(1 for a, b in pairwise(tops) if b < a - _LINE_STEP)
    return up < 2 or up <= down


def _layout_texts(path: Path, indices: list[int]) -> dict[int, str]:
    """Text of the given pages in positional order (pdfplumber); {} if it fails."""
    if not indices:
        return {}
    import pdfplumber

    try:
        with pdfplumber.open(path, pages=[index + 1 for index in indices]) as pdf:
            return {index: page.extract_text() or "" for index, page in zip(indices, pdf.pages)}
    except Exception:  # noqa: BLE001 - PDFium already read the page; its order is the fallback
        return {}


def document_from_pages(pages: list[str], path: str, recognised: list[int]) -> Document:
    """Build the document from per-page text; the usual line width is measured on
    the text-layer pages only, so OCR (``recognised`` indices) leaves them as they were."""
    builder = DocumentBuilder()
    measured = (text for index, text in enumerate(pages) if index not in recognised)
    full = typical_full_line([line for text in measured for line in text.split("\n")])
    for number, text in enumerate(pages, start=1):
        for paragraph in join_wrapped_lines(text.split("\n"), full):
            builder.add(paragraph, page=number)
    return builder.build(path, "pdf", pages=len(pages))


def typical_full_line(lines: list[str]) -> int:
    """The most common length of lines that run on without ending a sentence.

    Justified Chinese body text wraps every line at the same number of characters,
    so this is the body's line width. A page of short lines (an attachment form,
    a signature block) is measured against it instead of against its own longest line.
    """
    lengths = Counter(
        len(line) for line in (raw.strip() for raw in lines) if len(line) >= 8 and not line.endswith(tuple(_SENTENCE_END))
    )
    return lengths.most_common(1)[0][0] if lengths else 0


def join_wrapped_lines(lines: list[str], full_line: int = 0) -> list[str]:
    """Merge lines that wrap at the margin into paragraphs.

    A line is wrapped when it is nearly as long as the page's longest line and the
    document's usual full line (``full_line``), and does not end a sentence.
    """
    lines = [line.strip() for line in lines if line.strip()]
    if not lines:
        return []
    longest = max(full_line, max(len(line) for line in lines))
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
