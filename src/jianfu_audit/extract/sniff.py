"""What a file really is, decided from its bytes rather than its name.

``identify`` reads the first bytes of a file and, for zip packages, the central
directory only (names and *declared* sizes: nothing is decompressed), so a zip
bomb or an oversized part is refused before any parser touches it. Python's
``zipfile`` never returns more than an entry's declared size (a part that lies
about its size fails its CRC check), so checking the declared sizes is enough.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from jianfu_audit.errors import InputError

HEAD_BYTES = 4096
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_RATIO = 100  # declared unpacked size / file size, checked above MIN_RATIO_CHECK
MIN_RATIO_CHECK = 16 * 1024 * 1024
NO_LIMIT_UNPACKED = 2 * 1024**3  # unpacked cap when --max-bytes 0 turns the file limit off
UNPACKED_FACTOR = 10  # a package may unpack to this many times --max-bytes

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # empty archive
    (_OLE, "ole"),
    (b"{\\rtf", "rtf"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"BM", "bmp?"),
    (b"\x7fELF", "binary"),
    (b"MZ", "exe?"),
    (b"7z\xbc\xaf\x27\x1c", "archive"),
    (b"Rar!\x1a\x07", "archive"),
    (b"\x1f\x8b", "archive"),
    (b"BZh", "bzip2?"),
)

#: content kind → (Chinese description, advice)
LABELS: dict[str, tuple[str, str]] = {
    "pdf": ("PDF 文档", "请把扩展名改为 .pdf"),
    "docx": ("Word 文档（.docx）", "请把扩展名改为 .docx"),
    "ofd": ("OFD 版式文件", "请把扩展名改为 .ofd"),
    "doc": ("旧版 Word 格式（.doc/.wps 二进制文件）", "请用 Word 或 WPS 另存为 .docx"),
    "ole": ("旧版 Office 二进制文件（Excel/PowerPoint 等）", "不是公文文档，请确认文件"),
    "encrypted-office": ("设置了打开密码的 Office 文档", "请去掉打开密码后另存为 .docx"),
    "rtf": ("RTF 格式", "请用 Word 或 WPS 另存为 .docx"),
    "odt": ("OpenDocument 文本（.odt）", "请另存为 .docx"),
    "xlsx": ("Excel 表格（.xlsx）", "不是公文文档，请确认文件"),
    "pptx": ("PowerPoint 演示文稿（.pptx）", "不是公文文档，请确认文件"),
    "zip": ("zip 压缩包", "请解压后再检查其中的文件"),
    "image": ("图片", "图片需加 --ocr 才能识别文字"),
    "archive": ("压缩包（7z/rar/gzip）", "请解压后再检查其中的文件"),
    "binary": ("可执行程序或其他二进制文件", "不是公文文档，请确认文件"),
}

#: declared format → content kinds that format's reader accepts (None: no signature, i.e. text)
EXPECTED: dict[str, frozenset[str | None]] = {
    "txt": frozenset({None}),
    "markdown": frozenset({None}),
    "html": frozenset({None}),
    "docx": frozenset({"docx"}),
    "pdf": frozenset({"pdf"}),
    "ofd": frozenset({"ofd"}),
    "image": frozenset({"image"}),
    # LibreOffice does its own type detection for these.
    "doc": frozenset({"doc", "rtf", "odt", None}),
    "wps": frozenset({"doc", "rtf", None}),
    "rtf": frozenset({"rtf", "doc", None}),
    "odt": frozenset({"odt"}),
}

#: content kinds read by content when the name says otherwise (self-describing formats)
READ_BY_CONTENT: dict[str, str] = {"pdf": "pdf", "docx": "docx", "ofd": "ofd", "image": "image"}


@dataclass(frozen=True)
class Sniffed:
    """The content kind of a file (None: no known signature, so text or unknown)."""

    kind: str | None
    size: int


def human_size(size: float) -> str:
    """12345678 → '11.8 MB'."""
    for unit in ("字节", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "字节" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def kind_of_head(head: bytes) -> str | None:
    """The content kind told by the first bytes alone (zip and OLE need more)."""
    # PDF readers accept the header anywhere in the first 1024 bytes; a text that
    # merely mentions "%PDF-" is not a PDF, so what precedes it must not be text.
    position = head.find(b"%PDF-", 0, 1024)
    if position >= 0:
        prefix = head[:position]
        if not prefix.strip(b"\xef\xbb\xbf \t\r\n") or any(b < 9 or 13 < b < 32 for b in prefix):
            return "pdf"
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            if kind == "bmp?":
                return "image" if len(head) > 14 and head[6:10] == b"\0\0\0\0" else None
            if kind == "exe?":
                return "binary" if b"\x00" in head[:64] else None
            if kind == "bzip2?":
                return "archive" if head[3:4].isdigit() else None
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    return None


def identify(path: Path, size: int, max_bytes: int) -> Sniffed:
    """Read the head of ``path`` (and a zip's directory) and name its content kind.

    Raises ``InputError`` for packages that are damaged, a zip bomb or too large.
    """
    with open(path, "rb") as stream:
        head = stream.read(HEAD_BYTES)
    kind = kind_of_head(head)
    if kind == "zip":
        kind = _zip_kind(path, size, max_bytes)
    elif kind == "ole":
        kind = _ole_kind(path, max_bytes)
    return Sniffed(kind, size)


def _zip_kind(path: Path, size: int, max_bytes: int) -> str:
    """docx, ofd, odt, xlsx, pptx or zip, after checking the declared sizes."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            mimetype = _small_entry(archive, "mimetype")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        raise InputError("zip 结构损坏或文件不完整（可能下载未完成），无法读取") from None
    check_zip_sizes(entries, size, max_bytes)
    if any(info.flag_bits & 0x1 for info in entries):
        raise InputError("压缩包中的内容已加密（设置了密码），无法读取", kind="encrypted")
    names = {info.filename.lstrip("/").lower() for info in entries}
    if "word/document.xml" in names or ("[content_types].xml" in names and any(n.startswith("word/") for n in names)):
        return "docx"
    if "ofd.xml" in names:
        return "ofd"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "odt"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    return "zip"


def _small_entry(archive: zipfile.ZipFile, name: str) -> bytes:
    """The content of a tiny entry such as ODF's ``mimetype`` (else b'')."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return b""
    return archive.read(info) if info.file_size <= 256 else b""


def check_zip_sizes(entries: list[zipfile.ZipInfo], size: int, max_bytes: int) -> None:
    """Refuse a package by its declared sizes: too many entries, too large unpacked,
    or a compression ratio no real document has."""
    if len(entries) > MAX_ZIP_ENTRIES:
        raise InputError(f"压缩包内有 {len(entries)} 个条目，超过上限 {MAX_ZIP_ENTRIES}，已拒绝读取", kind="too-large")
    unpacked = sum(info.file_size for info in entries)
    limit = UNPACKED_FACTOR * max_bytes if max_bytes else NO_LIMIT_UNPACKED
    if unpacked > limit:
        raise InputError(
            f"压缩包声明解压后共 {human_size(unpacked)}，超过上限 {human_size(limit)}（可能是 zip 炸弹），已拒绝读取",
            kind="too-large",
        )
    if unpacked > MIN_RATIO_CHECK and unpacked > MAX_ZIP_RATIO * max(size, 1):
        raise InputError(
            f"压缩包压缩比约 {unpacked // max(size, 1)} 倍，远超正常文档（可能是 zip 炸弹），已拒绝读取",
            kind="too-large",
        )


def _ole_kind(path: Path, max_bytes: int) -> str:
    """encrypted-office, ole (Excel/PowerPoint) or doc, from the UTF-16 stream names
    in the file; an OLE file that names neither is taken for an old Word file."""
    limit = max_bytes or NO_LIMIT_UNPACKED
    with open(path, "rb") as stream:
        data = stream.read(limit)
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "encrypted-office"
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if any(name.encode("utf-16-le") in data for name in ("Workbook", "PowerPoint Document")):
        return "ole"
    return "doc"


def resolve(declared: str, sniffed: Sniffed, suffix: str, known: set[str]) -> str:
    """The format to read a file with, given the format its name declares.

    The declared format when the content agrees (or when its expectations are not
    known here); the content's own format when that is a self-describing format
    the tool reads; otherwise an ``InputError`` that says what the file really is.
    """
    expected = EXPECTED.get(declared)
    kind = sniffed.kind
    if expected is None or kind in expected:
        return declared
    if kind == "encrypted-office":
        raise InputError("Word 文档设置了打开密码（已加密），无法读取；请去掉打开密码后另存为 .docx", kind="encrypted")
    target = READ_BY_CONTENT.get(kind or "")
    if target in known:
        return target
    if kind is None:
        raise InputError(f"不是有效的 {suffix} 文件（文件头不符，可能是文本文件或已损坏）")
    label, advice = LABELS[kind]
    if kind == "doc" and declared == "docx":
        raise InputError("旧版 Word 格式，请另存为 .docx（文件实际是 .doc/.wps 二进制格式，只是扩展名为 .docx）")
    raise InputError(f"文件内容是{label}，与扩展名 {suffix} 不符；{advice}")
