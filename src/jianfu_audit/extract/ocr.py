"""Scanned notices: images (.png/.jpg/.tif) and the scanned pages of PDF and OFD
files, through Tesseract OCR with the simplified-Chinese model.

OCR runs only when enabled (``--ocr``); the document then carries the note
``ocr`` and lists the recognised pages in ``ocr_pages`` so reports can mark
findings that rest on recognised text. PDF pages are rendered with pypdfium2 at
``RESOLUTION`` dpi; OFD page images are decoded with Pillow. Tesseract's spaces
between Chinese characters are removed; wrapped lines are joined as for PDF.
"""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from jianfu_audit.document import Document, DocumentBuilder
from jianfu_audit.errors import InputError
from jianfu_audit.extract.pdf import join_wrapped_lines
from jianfu_audit.extract.scanned import record
from jianfu_audit.settings import Settings

if TYPE_CHECKING:
    from PIL.Image import Image
    from pypdfium2 import PdfPage

LANGUAGE = "chi_sim"
RESOLUTION = 300  # dpi used to render PDF pages
PAGE_TIMEOUT_SECONDS = 180
INSTALL_HINT = (
    "请安装 Tesseract 及简体中文模型（Debian/Ubuntu：apt install tesseract-ocr tesseract-ocr-chi-sim）"
    "和 Python 包（pip install 'jianfu-audit[ocr]'）"
)
_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_CJK_SPACES = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")


def missing() -> str | None:
    """What to install before OCR can run, or None."""
    if importlib.util.find_spec("pytesseract") is None or shutil.which("tesseract") is None:
        return INSTALL_HINT
    import pytesseract

    try:
        if LANGUAGE not in pytesseract.get_languages(config=""):
            return "Tesseract 缺少简体中文模型：请安装 tesseract-ocr-chi-sim（或把 chi_sim.traineddata 放入 tessdata 目录）"
    except (pytesseract.TesseractError, OSError):
        return INSTALL_HINT
    return None


def extract(path: Path, settings: Settings) -> Document:
    """Read an image (every frame of a multi-page TIFF) through OCR."""
    if not settings.ocr:
        raise InputError("图片需要 OCR 识别后才能检查：请加上 --ocr 选项", kind="scanned")
    require()
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            dpi = round(float(image.info.get("dpi", (0, 0))[0]))
            pages = [recognise(frame.convert("L"), dpi) for frame in ImageSequence.Iterator(image)]
    except UnidentifiedImageError:
        raise InputError("不是有效的图片文件（无法识别图片格式）") from None
    except Image.DecompressionBombError:
        raise InputError("图片像素过多，已拒绝处理", kind="too-large") from None
    return document_from_ocr(pages, str(path), "image")


def recognise_pdf_pages(path: Path, indices: list[int]) -> list[str]:
    """OCR the PDF pages with the given 0-based indices."""
    require()
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError as error:
        raise InputError(f"PDF 无法渲染，不能进行 OCR（{error}）") from None
    try:
        return [recognise(_render(pdf[index]), RESOLUTION) for index in indices]
    finally:
        pdf.close()


def decode(data: bytes, where: str) -> Image:
    """An embedded image (the first frame) as grayscale; ``where`` names it in errors."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.convert("L")
    except (UnidentifiedImageError, OSError, ValueError):  # unknown format (e.g. JBIG2) or damaged data
        raise InputError(f"{where}无法解码（格式不受支持或已损坏），不能进行 OCR") from None
    except Image.DecompressionBombError:
        raise InputError(f"{where}像素过多，已拒绝处理", kind="too-large") from None


def _render(page: PdfPage) -> Image:
    """One PDF page as a grayscale image at ``RESOLUTION`` dpi."""
    return page.render(scale=RESOLUTION / 72, grayscale=True).to_pil()


def recognise(image: Image, dpi: int = 0) -> str:
    """OCR one page; spaces Tesseract puts between Chinese characters are removed."""
    import pytesseract

    config = f"--dpi {dpi}" if dpi >= 70 else ""
    try:
        text = pytesseract.image_to_string(image, lang=LANGUAGE, config=config, timeout=PAGE_TIMEOUT_SECONDS)
    except RuntimeError:  # pytesseract's timeout
        raise InputError(f"OCR 超时（单页超过 {PAGE_TIMEOUT_SECONDS} 秒）") from None
    except pytesseract.TesseractError as error:
        raise InputError(f"Tesseract 识别失败：{error.message.strip() or error.status}") from None
    return _CJK_SPACES.sub("", text)


def document_from_ocr(pages: list[str], path: str, format: str) -> Document:
    """Build the document from recognised page text, marked with the note ``ocr``."""
    builder = DocumentBuilder()
    for number, text in enumerate(pages, start=1):
        for paragraph in join_wrapped_lines(text.split("\n")):
            builder.add(paragraph, page=number)
    document = builder.build(path, format, pages=len(pages))
    if not document.text.strip():
        raise InputError(f"OCR 未识别出文字（共 {len(pages)} 页），无法检查", kind="scanned")
    return record(document, list(range(len(pages))), ocr=True)


def require() -> None:
    """Raise the install hint when Tesseract or its Chinese model is missing."""
    hint = missing()
    if hint:
        raise InputError(f"OCR 不可用：{hint}")
