"""``jianfu-audit formats``: every format, whether it is available, what to install."""

from __future__ import annotations

import json

import pytest

from jianfu_audit.cli.formats import SCANNED
from jianfu_audit.extract import FORMATS, ocr, office


def rows(cli) -> dict[str, dict]:
    result = cli("formats", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {row["name"]: row for row in json.loads(result.stdout)}


def test_every_suffix_is_listed_once(cli) -> None:
    listed = [s for name, row in rows(cli).items() if name != SCANNED for s in row["suffixes"]]
    assert sorted(listed) == sorted(FORMATS)


def test_ocr_row_covers_scanned_pdf_and_ofd_pages(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """OCR reads whole scans and the scanned pages of typed files, in PDF and OFD alike."""
    row = rows(cli)[SCANNED]
    assert SCANNED == "扫描版 PDF / OFD（OCR）"
    assert row["module"] == "ocr" and row["suffixes"] == [".pdf", ".ofd"]
    monkeypatch.setenv("COLUMNS", "250")
    text = cli("formats").stdout
    assert "扫描版 PDF / OFD（OCR）" in text and "文字版 PDF / OFD 中夹带的扫描页" in text
    assert "check、score、baseline、annotate、extract" in text


def test_availability_reflects_this_machine(cli) -> None:
    table = rows(cli)
    for name in ("纯文本", "Word 文档", "PDF（文字版）", "OFD 版式文件", "网页", "Markdown"):
        assert table[name]["available"] is True and table[name]["install"] is None
    assert table["旧版 Word/WPS/RTF/ODT"]["available"] is (office.soffice() is not None)
    assert table["图片（OCR）"]["available"] is (ocr.missing() is None)
    assert table[SCANNED]["available"] is (ocr.missing() is None)


def test_missing_tools_say_what_to_install(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "soffice", lambda: None)
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    table = rows(cli)
    assert table["旧版 Word/WPS/RTF/ODT"]["available"] is False
    assert "libreoffice-writer" in table["旧版 Word/WPS/RTF/ODT"]["install"]
    for name in ("图片（OCR）", SCANNED):
        assert table[name]["available"] is False
        assert "tesseract-ocr-chi-sim" in table[name]["install"]
    monkeypatch.setenv("COLUMNS", "250")
    text = cli("formats").stdout
    assert "不可用" in text and "libreoffice-writer" in text and ".wps" in text
    assert "pip install 'jianfu-audit[ocr]'" in text  # shown as text, not read as markup


def test_bad_output_format_is_a_usage_error(cli) -> None:
    result = cli("formats", "--format", "xml")
    assert result.exit_code == 2 and "--format" in result.stderr
