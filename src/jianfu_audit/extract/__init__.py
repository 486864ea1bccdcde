"""Extraction: turn an input file into a ``Document``.

Each format lives in its own module exposing
``extract(path: Path, settings: Settings) -> Document``.
``FORMATS`` maps file suffixes to those modules; it is the one place that says
which formats exist.
"""

from __future__ import annotations

import importlib
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from jianfu_audit.document import Document
from jianfu_audit.errors import InputError
from jianfu_audit.extract import sniff
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
    """Extract ``path``; raise ``InputError`` with a Chinese message on failure.

    Only regular files within ``settings.max_bytes`` are read. The content decides:
    a file whose bytes are another format than its name says is read by its
    content when that is a format read here, else refused with what it really is.
    """
    settings = settings or Settings()
    suffix = path.suffix.lower()
    entry = FORMATS.get(suffix)
    if entry is None:
        raise InputError(f"不支持的文件格式：{path.suffix or '（无扩展名）'}", kind="unsupported")
    try:
        size = regular_file_size(path, settings.max_bytes)
        found = sniff.identify(path, size, settings.max_bytes)
        name = sniff.resolve(entry[0], found, suffix, {fmt for fmt, _ in FORMATS.values()})
        module_name = entry[1] if name == entry[0] else next(m for fmt, m in FORMATS.values() if fmt == name)
        module = importlib.import_module(f"jianfu_audit.extract.{module_name}")
        document = module.extract(path, settings)
    except InputError:
        raise
    except PermissionError:
        raise InputError("没有读取权限") from None
    except FileNotFoundError:
        raise InputError("文件不存在（可能是失效的符号链接，或已被移走）") from None
    except IsADirectoryError:
        raise InputError("这是一个文件夹，不是文件") from None
    except OSError as error:
        raise InputError(f"读取失败：{error.strerror or error}") from None
    if name != entry[0]:
        document.notes.append(f"read-as={name}")
    return document


def regular_file_size(path: Path, max_bytes: int) -> int:
    """The size of ``path``; refuse folders, devices, pipes, empty and oversized files."""
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise InputError("这是一个文件夹，不是文件")
    if not stat.S_ISREG(info.st_mode):
        raise InputError("不是普通文件（设备、管道或套接字），已跳过")
    if info.st_size == 0:
        raise InputError("文件为空（0 字节）", kind="empty")
    if max_bytes and info.st_size > max_bytes:
        raise InputError(
            f"文件大小 {sniff.human_size(info.st_size)}，超过上限 {sniff.human_size(max_bytes)}"
            "（可用 --max-bytes 调整，0 表示不限）",
            kind="too-large",
        )
    return info.st_size


def read_limited(stream: BinaryIO, max_bytes: int) -> bytes:
    """Read ``stream`` to the end, but never more than ``max_bytes`` (0: no limit)."""
    data = stream.read(max_bytes + 1) if max_bytes else stream.read()
    if max_bytes and len(data) > max_bytes:
        raise InputError(f"输入超过上限 {sniff.human_size(max_bytes)}（可用 --max-bytes 调整）", kind="too-large")
    return data


def extract_stdin(settings: Settings | None = None) -> Document:
    """Read text from standard input (any common Chinese encoding)."""
    from jianfu_audit.extract.txt import document_from_bytes

    data = read_limited(sys.stdin.buffer, (settings or Settings()).max_bytes)
    return document_from_bytes(data, "<stdin>")
