"""Extraction: turn an input file into a ``Document``.

Each format lives in its own module exposing
``extract(path: Path, settings: Settings) -> Document``.
``FORMATS`` maps file suffixes to those modules; it is the one place that says
which formats exist.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from jianfu_audit.document import Document
from jianfu_audit.errors import InputError
from jianfu_audit.settings import Settings

#: suffix → (format name, module under ``jianfu_audit.extract``)
FORMATS: dict[str, tuple[str, str]] = {
    ".txt": ("txt", "txt"),
    ".text": ("txt", "txt"),
    ".docx": ("docx", "docx"),
    ".pdf": ("pdf", "pdf"),
    ".ofd": ("ofd", "ofd"),
    ".doc": ("doc", "office"),
    ".wps": ("wps", "office"),
    ".rtf": ("rtf", "office"),
    ".odt": ("odt", "office"),
    ".png": ("image", "ocr"),
    ".jpg": ("image", "ocr"),
    ".jpeg": ("image", "ocr"),
    ".tif": ("image", "ocr"),
    ".tiff": ("image", "ocr"),
    ".html": ("html", "html"),
    ".htm": ("html", "html"),
    ".md": ("markdown", "markdown"),
    ".markdown": ("markdown", "markdown"),
}


def format_of(path: Path) -> str | None:
    """The format name for ``path`` by its suffix, or None when unsupported."""
    entry = FORMATS.get(path.suffix.lower())
    return entry[0] if entry else None


def extract(path: Path, settings: Settings | None = None) -> Document:
    """Extract ``path``; raise ``InputError`` with a Chinese message on failure."""
    entry = FORMATS.get(path.suffix.lower())
    if entry is None:
        raise InputError(f"不支持的文件格式：{path.suffix or '（无扩展名）'}", kind="unsupported")
    module = importlib.import_module(f"jianfu_audit.extract.{entry[1]}")
    try:
        return module.extract(path, settings or Settings())
    except InputError:
        raise
    except PermissionError:
        raise InputError("没有读取权限") from None
    except FileNotFoundError:
        raise InputError("文件不存在") from None
    except IsADirectoryError:
        raise InputError("这是一个文件夹，不是文件") from None
    except OSError as error:
        raise InputError(f"读取失败：{error.strerror or error}") from None


def extract_stdin() -> Document:
    """Read text from standard input (any common Chinese encoding)."""
    from jianfu_audit.extract.txt import document_from_bytes

    return document_from_bytes(sys.stdin.buffer.read(), "<stdin>")
