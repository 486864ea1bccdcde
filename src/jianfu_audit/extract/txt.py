"""Plain-text notices in any common Chinese encoding."""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from jianfu_audit.document import Document, document_from_text
from jianfu_audit.errors import InputError
from jianfu_audit.extract import read_limited
from jianfu_audit.settings import Settings

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Detected legacy Chinese encodings are read with their superset so no character is lost.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030", "big5": "big5hkscs"}


def detect_encoding(data: bytes) -> str:
    """Name the encoding of ``data``: BOM, then strict UTF-8, then charset-normalizer."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError("无法识别文本编码（可能不是文本文件）")
    name = best.encoding.lower().replace("-", "_")
    return _SUPERSETS.get(name, name)


def decode(data: bytes) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``."""
    encoding = detect_encoding(data)
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        raise InputError(f"按 {encoding} 解码失败（文件可能已损坏）") from None


def document_from_bytes(data: bytes, path: str) -> Document:
    """Build a document from raw text bytes."""
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # UTF-16 without BOM is still possible; let the detector decide, but binary junk is not text.
        text, encoding = decode(data)
        if "\x00" in text:
            raise InputError("文件含有二进制内容，不是文本文件")
    else:
        text, encoding = decode(data)
    document = document_from_text(text, path)
    document.notes.append(f"encoding={encoding}")
    return document


def extract(path: Path, settings: Settings) -> Document:
    """Read a .txt file (never more than ``settings.max_bytes``)."""
    with open(path, "rb") as stream:
        data = read_limited(stream, settings.max_bytes)
    return document_from_bytes(data, str(path))
