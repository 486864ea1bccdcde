"""OFD notices (GB/T 33190, the national fixed-layout format).

An OFD file is a zip of XML: ``OFD.xml`` names each document's ``Document.xml``,
which lists the pages and template pages; a page's ``Content.xml`` holds
``TextObject``s whose ``TextCode``s carry the text and its position (millimetres,
origin top left). Text runs are grouped into lines by baseline, lines are read top
to bottom and left to right, and a line that runs to the right margin is joined
with the next unless that one is indented (a new paragraph). Every part is size-checked before it is read and parsed
with defusedxml (no DTDs, no entities).

A page with little or no text under ``ImageObject``s (see ``extract.scanned``) is
a scanned page: with ``--ocr`` its images, found through the ``MultiMedia``
entries of the document's and the page's resource files, are recognised top to
bottom; without it the page is skipped, and an OFD of only such pages is an error
of kind ``scanned``.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from jianfu_audit.document import Document, DocumentBuilder
from jianfu_audit.errors import InputError
from jianfu_audit.extract.pdf import join_wrapped_lines
from jianfu_audit.extract.scanned import record, scanned_pages
from jianfu_audit.settings import Settings

MAX_PART_BYTES = 32 * 1024 * 1024  # one XML part, uncompressed
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all parts read from one file


@dataclass(frozen=True)
class _Run:
    """One ``TextCode`` placed on the page: origin, estimated right end, font size."""

    x: float
    y: float
    end: float
    size: float
    text: str
    upright: bool = True


@dataclass(frozen=True)
class _Image:
    """One ``ImageObject``: its box on the page (millimetres) and resource ID."""

    x: float
    y: float
    width: float
    height: float
    resource: str


@dataclass(frozen=True)
class _Page:
    """One page: text lines, images, the share of the page they cover, and the
    resource files (part names) its images may come from."""

    lines: list[_Run]
    images: list[_Image]
    image_share: float
    resources: tuple[str, ...]


def extract(path: Path, settings: Settings) -> Document:
    """Read an .ofd file, its scanned pages through OCR when enabled."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise InputError("不是有效的 OFD 文件（不是 zip 压缩包）") from None
    with archive:
        package = _Package(archive)
        try:
            pages = [page for root in _doc_roots(package) for page in _pages(package, root)]
            texts = ["".join(line.text for line in page.lines) for page in pages]
            scanned = scanned_pages(texts, [page.image_share for page in pages])
            recognised = _recognise(package, pages, scanned) if settings.ocr and scanned else {}
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
            raise InputError(f"OFD 压缩包已损坏（{error}）") from None
    builder = DocumentBuilder()
    for number, page in enumerate(pages, start=1):
        text = recognised.get(number - 1)
        for paragraph in _paragraphs(page.lines) if text is None else join_wrapped_lines(text.split("\n")):
            builder.add(paragraph, page=number)
    document = builder.build(str(path), "ofd", pages=len(pages))
    if settings.ocr and not document.text.strip():
        raise InputError(f"OFD 中没有文字，OCR 也未识别出文字（共 {len(pages)} 页），无法检查", kind="scanned")
    if not settings.ocr and len(scanned) == len(pages):
        raise InputError(
            f"OFD 中没有文字（共 {len(pages)} 页，可能是扫描件），无法检查；请提供文字版或启用 OCR（--ocr）",
            kind="scanned",
        )
    return record(document, scanned, settings.ocr)


class _Package:
    """The zip archive: resolves OFD locations and reads XML parts within limits."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = {info.filename.lstrip("/").lower(): info for info in archive.infolist()}
        self.total = 0

    def resolve(self, base: str, location: str) -> str:
        """A ``BaseLoc``/``DocRoot`` relative to ``base`` (or absolute) as a part name."""
        location = location.strip().replace("\\", "/")
        if location.startswith("/"):
            return posixpath.normpath(location.lstrip("/"))
        name = posixpath.normpath(posixpath.join(base, location))
        if name.lower() not in self.names and location.lower() in self.names:
            return posixpath.normpath(location)  # some producers write package-relative paths
        return name

    def read(self, name: str) -> bytes:
        """The bytes of part ``name``; refuse it before reading when it is too large."""
        info = self.names.get(name.lower())
        if info is None:
            raise InputError(f"OFD 文件缺少 {name}，无法读取")
        self.total += info.file_size
        if info.file_size > MAX_PART_BYTES or self.total > MAX_TOTAL_BYTES:
            raise InputError(
                f"OFD 文件中的 {name} 过大（解压后 {info.file_size} 字节），已拒绝读取",
                kind="too-large",
            )
        return self.archive.read(info)

    def xml(self, name: str) -> Element:
        """Parse the part ``name`` (size-checked as by ``read``)."""
        data = self.read(name)
        try:
            return fromstring(data, forbid_dtd=True)
        except (ParseError, DefusedXmlException) as error:
            raise InputError(f"OFD 文件中的 {name} 不是有效的 XML（{type(error).__name__}）") from None


def _local(element: Element) -> str:
    """Tag name without its namespace (producers differ in prefixes)."""
    return element.tag.rpartition("}")[2]


def _children(element: Element, name: str) -> Iterator[Element]:
    return (e for e in element.iter() if _local(e) == name)


def _doc_roots(package: _Package) -> Iterator[str]:
    """Part names of every document's ``Document.xml``, in package order."""
    roots = [e.text for e in _children(package.xml("OFD.xml"), "DocRoot") if e.text]
    if not roots:
        raise InputError("OFD.xml 中没有 DocRoot，不是有效的 OFD 文件")
    return (package.resolve("", root) for root in roots)


def _pages(package: _Package, document_name: str) -> Iterator[_Page]:
    """Each page of one document, templates included."""
    document = package.xml(document_name)
    base = posixpath.dirname(document_name)
    templates = {
        e.get("ID"): package.resolve(base, e.get("BaseLoc", ""))
        for e in _children(document, "TemplatePage")
    }
    resources = [
        package.resolve(base, e.text) for tag in ("PublicRes", "DocumentRes") for e in _children(document, tag) if e.text
    ]
    size = _box_area(document)
    for page in _children(document, "Page"):
        if not page.get("BaseLoc"):
            continue
        name = package.resolve(base, page.get("BaseLoc", ""))
        content = package.xml(name)
        parts = [content] + [
            package.xml(templates[use.get("TemplateID")])
            for use in _children(content, "Template")
            if use.get("TemplateID") in templates
        ]
        images = [image for part in parts for image in _images(part)]
        area = _box_area(content) or size or 210.0 * 297.0  # A4 when no PhysicalBox is given
        own = [package.resolve(posixpath.dirname(name), e.text) for e in _children(content, "PageRes") if e.text]
        yield _Page(
            _lines([run for part in parts for run in _runs(part)]),
            images,
            min(sum(image.width * image.height for image in images) / area, 1.0),
            (*resources, *own),
        )


def _box_area(element: Element) -> float:
    """The area of the first ``PhysicalBox`` under ``element``, 0 if none."""
    box = next((_numbers(e.text, 4) for e in _children(element, "PhysicalBox")), [])
    return abs(box[2] * box[3]) if len(box) == 4 else 0.0


def _images(page: Element) -> Iterator[_Image]:
    """Every ``ImageObject`` of the page that names a resource."""
    for item in _children(page, "ImageObject"):
        box = _numbers(item.get("Boundary"), 4)
        if len(box) == 4 and item.get("ResourceID"):
            yield _Image(box[0], box[1], abs(box[2]), abs(box[3]), item.get("ResourceID", ""))


def _media(package: _Package, resource: str) -> dict[str, str]:
    """``MultiMedia`` ID → part name of its file, from one resource file."""
    root = package.xml(resource)
    base = package.resolve(posixpath.dirname(resource), root.get("BaseLoc", ""))
    return {
        item.get("ID", ""): package.resolve(base, file.text)
        for item in _children(root, "MultiMedia")
        for file in _children(item, "MediaFile")
        if file.text
    }


def _recognise(package: _Package, pages: list[_Page], scanned: list[int]) -> dict[int, str]:
    """OCR text of the scanned pages (0-based index → text), images top to bottom."""
    from jianfu_audit.extract import ocr

    ocr.require()
    parsed: dict[str, dict[str, str]] = {}
    texts: dict[int, str] = {}
    for index in scanned:
        media: dict[str, str] = {}
        for resource in pages[index].resources:
            if resource not in parsed:
                parsed[resource] = _media(package, resource)
            media.update(parsed[resource])
        recognised = []
        for image in sorted(pages[index].images, key=lambda i: (i.y, i.x)):
            where = f"OFD 第 {index + 1} 页的图片（资源 {image.resource}）"
            if image.resource not in media:
                raise InputError(f"{where}在资源文件中找不到，无法读取")
            picture = ocr.decode(package.read(media[image.resource]), where)
            recognised.append(ocr.recognise(picture, round(picture.width * 25.4 / image.width) if image.width else 0))
        texts[index] = "\n".join(recognised)
    return texts


def _numbers(value: str | None, limit: int = 6) -> list[float]:
    """Up to ``limit`` space-separated numbers; ``g N v`` repeats ``v`` N times (DeltaX)."""
    tokens = iter((value or "").split())
    numbers: list[float] = []
    try:
        for token in tokens:
            if len(numbers) >= limit:
                break
            if token == "g":
                count, step = int(next(tokens)), float(next(tokens))
                numbers += [step] * min(count, limit - len(numbers))
            else:
                numbers.append(float(token))
    except (ValueError, StopIteration):
        return []
    return numbers


def _runs(page: Element) -> Iterator[_Run]:
    """Every ``TextCode`` of the page with its position on the page."""
    for item in _children(page, "TextObject"):
        box = _numbers(item.get("Boundary")) or [0.0, 0.0]
        ctm = _numbers(item.get("CTM"))
        a, b, c, d, e, f = ctm if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        scale = abs(a * d - b * c) ** 0.5 or 1.0
        size = (_numbers(item.get("Size")) or [3.5])[0]
        x = y = 0.0
        for code in _children(item, "TextCode"):
            text = code.text or ""
            x = (_numbers(code.get("X")) or [x])[0]
            y = (_numbers(code.get("Y")) or [y])[0]
            gaps = max(len(text) - 1, 0)
            advances = _numbers(code.get("DeltaX"), limit=gaps)
            width = (sum(advances) + size * (gaps - len(advances) + 1)) * scale
            left = box[0] + a * x + c * y + e
            top = box[1] + b * x + d * y + f
            if text.strip():
                yield _Run(left, top, left + width, size * scale, text, b == 0 and c == 0)


def _lines(runs: list[_Run]) -> list[_Run]:
    """Group runs sharing a baseline into lines, top to bottom; rotated text stands alone."""
    groups: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x)):
        head = groups[-1][0] if groups else None
        if (
            head is not None
            and run.upright
            and head.upright
            and abs(run.y - head.y) <= 0.5 * min(run.size, head.size)
        ):
            groups[-1].append(run)
        else:
            groups.append([run])
    return [_merge(group) for group in groups]


def _merge(line: list[_Run]) -> _Run:
    """Join a line's runs left to right; a wide gap (a column) becomes one space."""
    line.sort(key=lambda r: r.x)
    text, end = line[0].text, line[0].end
    for run in line[1:]:
        if run.x - end > run.size:
            text += " "
        text += run.text
        end = max(end, run.end)
    return _Run(line[0].x, line[0].y, end, max(r.size for r in line), text, line[0].upright)


def _paragraphs(lines: list[_Run]) -> list[str]:
    """Join a line with the next when it spans the text width (left margin or
    paragraph indent to right margin) and the next one starts at the left margin:
    Chinese paragraphs open with an indent, titles are centred."""
    upright = [line for line in lines if line.upright] or lines
    if not upright:
        return []
    left = min(line.x for line in upright)
    right = max(line.end for line in upright)
    paragraphs: list[str] = []
    current = ""
    for line, following in zip(lines, lines[1:] + [None]):
        current += line.text
        wraps = (
            following is not None
            and line.upright
            and following.upright
            and line.x <= left + 2.5 * line.size
            and line.end >= right - 1.5 * line.size
            and following.x < left + line.size
        )
        if not wraps:
            paragraphs.append(current)
            current = ""
    return paragraphs
