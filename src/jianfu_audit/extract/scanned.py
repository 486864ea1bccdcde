"""Scanned pages in PDF and OFD files: which pages lack a usable text layer, and
how the document records whether they were recognised (``--ocr``) or skipped.

A page is scanned when its text layer holds fewer than ``MIN_TEXT_CHARS``
non-space characters while images cover at least ``MIN_IMAGE_SHARE`` of it: a
page number or a short label stamped on a scan does not make it a text page, and
a typed page with a small seal or logo is not a scan. When no page has any text
at all, every page counts as scanned.
"""

from __future__ import annotations

from jianfu_audit.document import Document

MIN_TEXT_CHARS = 20
MIN_IMAGE_SHARE = 0.5


def scanned_pages(texts: list[str], image_shares: list[float]) -> list[int]:
    """0-based indices of the pages without a usable text layer."""
    if not any(text.strip() for text in texts):
        return list(range(len(texts)))
    return [
        index
        for index, (text, share) in enumerate(zip(texts, image_shares, strict=True))
        if len("".join(text.split())) < MIN_TEXT_CHARS and share >= MIN_IMAGE_SHARE
    ]


def record(document: Document, scanned: list[int], ocr: bool) -> Document:
    """Note the scanned pages (1-based) as recognised or as skipped."""
    pages = [index + 1 for index in scanned]
    if ocr and pages:
        document.ocr_pages = pages
        document.notes.append("ocr")
    elif not ocr:
        document.skipped_pages = pages
    return document
