"""Scanned OFD pages: ``ImageObject``s over a ``MultiMedia`` resource and no text.
They are recognised with ``--ocr`` (images read from the package within its size
limits), and reported as scanned or skipped without it."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from test_ocr import DPI, PAGE, needs_ocr, render
from test_ofd import OFD_XML, document_xml, page_xml, text_object
from jianfu_audit.errors import InputError
from jianfu_audit.extract import extract, ocr, ofd
from jianfu_audit.settings import Settings

RES = """<?xml version="1.0" encoding="UTF-8"?>
<ofd:Res xmlns:ofd="http://www.ofdspec.org/2016" BaseLoc="Res"><ofd:MultiMedias>
<ofd:MultiMedia ID="9" Type="Image" Format="PNG"><ofd:MediaFile>scan.png</ofd:MediaFile></ofd:MultiMedia>
</ofd:MultiMedias></ofd:Res>"""
SCAN = '<ofd:ImageObject ID="5" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="9"/>'
TYPED = [text_object(30, 40, "关于规范村级报表工作的通知"), text_object(30, 50, "对未按时完成的乡镇实行一票否决。")]


def png(image) -> bytes:
    data = io.BytesIO()
    image.save(data, "PNG", dpi=(DPI, DPI))
    return data.getvalue()


def write(path: Path, pages: list[list[str]], image: bytes) -> Path:
    """An OFD whose pages hold ``pages`` objects; resource 9 (``Doc_0/Res/scan.png``)
    is ``image``, listed in the DocumentRes file."""
    document = document_xml(len(pages)).replace(
        "</ofd:CommonData>", "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", OFD_XML)
        archive.writestr("Doc_0/Document.xml", document)
        archive.writestr("Doc_0/DocumentRes.xml", RES)
        archive.writestr("Doc_0/Res/scan.png", image)
        for index, objects in enumerate(pages):
            archive.writestr(f"Doc_0/Pages/Page_{index}/Content.xml", page_xml(objects))
    return path


def test_image_only_ofd_is_scanned_in_the_summary(tmp_path: Path, cli) -> None:
    path = write(tmp_path / "scan.ofd", [[SCAN], [SCAN, text_object(100, 290, "— 2 —", size=3.5)]], b"png")
    report = json.loads(cli("check", "-f", "json", path).stdout)
    entry = report["documents"][0]
    assert entry["error_kind"] == "scanned" and "--ocr" in entry["error"]
    assert report["summary"]["scanned"] == 1


def test_without_ocr_a_scanned_page_is_skipped(tmp_path: Path, cli) -> None:
    path = write(tmp_path / "mixed.ofd", [TYPED, [SCAN]], b"not decoded without --ocr")
    document = extract(path, Settings())
    assert document.skipped_pages == [2] and document.ocr_pages == []
    entry = json.loads(cli("check", "-f", "json", path).stdout)["documents"][0]
    assert entry["error"] is None and entry["skipped_pages"] == [2] and entry["ocr"] is False
    assert [f["page"] for f in entry["findings"] if f["rule"] == "veto-one-vote"] == [1]


def test_small_image_on_a_short_page_is_not_a_scan(tmp_path: Path) -> None:
    seal = '<ofd:ImageObject ID="6" Boundary="120 230 40 40" ResourceID="9"/>'
    path = write(tmp_path / "seal.ofd", [TYPED, [seal, text_object(30, 40, "某某县人民政府")]], b"png")
    assert extract(path, Settings()).skipped_pages == []


@pytest.mark.parametrize(
    ("objects", "image", "message"),
    [
        ([SCAN.replace('"9"', '"8"')], b"", "资源 8）在资源文件中找不到"),
        ([SCAN], b"JB2\x00 not an image Pillow reads", "无法解码"),
    ],
)
def test_bad_images_give_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, objects, image, message) -> None:
    monkeypatch.setattr(ocr, "require", lambda: None)
    with pytest.raises(InputError, match=message):
        extract(write(tmp_path / "bad.ofd", [TYPED, objects], image), Settings(ocr=True))


def test_oversized_image_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "require", lambda: None)
    monkeypatch.setattr(ofd, "MAX_PART_BYTES", 4000)
    path = write(tmp_path / "big.ofd", [TYPED, [SCAN]], bytes(5000))
    with pytest.raises(InputError) as caught:
        extract(path, Settings(ocr=True))
    assert caught.value.kind == "too-large" and "scan.png" in str(caught.value)


@needs_ocr
def test_with_ocr_the_page_image_is_recognised(tmp_path: Path, cli) -> None:
    path = write(tmp_path / "mixed.ofd", [TYPED, [SCAN]], png(render(PAGE)))
    document = extract(path, Settings(ocr=True))
    assert document.ocr_pages == [2] and "ocr" in document.notes
    assert document.text.startswith("关于规范村级报表工作的通知\n对未按时完成的乡镇实行一票否决。\n")
    entry = json.loads(cli("check", "--ocr", "-f", "json", path).stdout)["documents"][0]
    assert entry["ocr"] is True and entry["ocr_pages"] == [2] and entry["skipped_pages"] == []
    assert [f["page"] for f in entry["findings"] if f["rule"] == "veto-one-vote"] == [1, 2]


@needs_ocr
def test_image_only_ofd_with_ocr_reads_every_page_in_order(tmp_path: Path) -> None:
    path = write(tmp_path / "scan.ofd", [[SCAN], [SCAN]], png(render(PAGE)))
    document = extract(path, Settings(ocr=True))
    assert document.ocr_pages == [1, 2] and document.pages == 2
    assert [document.locate(i).page for i in (document.text.index("一票否决"), document.text.rindex("一票否决"))] == [1, 2]
