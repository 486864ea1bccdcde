"""PDFs that mix typed pages with scanned ones (a typed notice with a scanned,
stamped attachment): the scanned pages are recognised with ``--ocr`` and
reported as skipped without it; the typed pages keep their text layer."""

from __future__ import annotations

import json
from pathlib import Path

from test_ocr import PAGE, needs_ocr, render
from jianfu_audit.extract import extract
from jianfu_audit.extract.scanned import MIN_TEXT_CHARS, scanned_pages
from jianfu_audit.settings import Settings

TYPED = ["关于规范村级报表工作的通知", "各乡镇人民政府，县直有关单位："]
LAST = ["对未按时完成的乡镇实行一票否决。", "某某县人民政府办公室"]


def build(path: Path, pages: list[object]) -> Path:
    """A PDF page per entry: a list of typed lines (STSong-Light); a PIL image
    drawn over the whole page with a typed page number on top (as scanners' software
    stamps one); ``("form", image)``: the image inside a form XObject; or
    ``("logo", image)``: a typed title under the image drawn small."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for number, page in enumerate(pages, start=1):
        if isinstance(page, tuple) and page[0] == "logo":
            pdf.drawImage(ImageReader(page[1]), 72, height - 150, 60, 60)
            pdf.setFont("STSong-Light", 22)
            pdf.drawString(72, height - 200, "某某县人民政府文件")
        elif isinstance(page, tuple):
            pdf.beginForm(f"scan{number}")
            pdf.drawImage(ImageReader(page[1]), 0, 0, width, height)
            pdf.endForm()
            pdf.doForm(f"scan{number}")
        elif not isinstance(page, list):
            pdf.drawImage(ImageReader(page), 0, 0, width, height)
            pdf.setFont("STSong-Light", 10)
            pdf.drawString(width / 2, 20, f"— {number} —")
        else:
            pdf.setFont("STSong-Light", 14)
            for index, line in enumerate(page):
                pdf.drawString(72, height - 72 - index * 25, line)
        pdf.showPage()
    pdf.save()
    return path


def grey_page():
    """A blank scan: only its size matters when OCR is off."""
    from PIL import Image

    return Image.new("L", (827, 1169), 230)


def test_scanned_page_threshold() -> None:
    short, long = "— 2 —", "一" * MIN_TEXT_CHARS
    assert scanned_pages([long, short, short, long], [0.0, 1.0, 0.2, 1.0]) == [1]
    assert scanned_pages(["", " "], [0.0, 0.0]) == [0, 1]  # no text anywhere: every page


def test_without_ocr_the_scanned_page_is_skipped_and_reported(tmp_path: Path, cli) -> None:
    path = build(tmp_path / "mixed.pdf", [TYPED, grey_page(), LAST])
    document = extract(path, Settings())
    assert document.skipped_pages == [2] and document.ocr_pages == [] and "ocr" not in document.notes
    assert document.locate(document.text.index("一票否决")).page == 3
    assert "— 2 —" in document.text  # the typed page number on the scan is still read

    report = json.loads(cli("check", "-f", "json", path).stdout)
    entry = report["documents"][0]
    assert entry["error"] is None and entry["skipped_pages"] == [2] and entry["ocr_pages"] == [] and entry["ocr"] is False
    assert [f["page"] for f in entry["findings"] if f["rule"] == "veto-one-vote"] == [3]
    assert report["summary"]["scanned"] == 0 and report["summary"]["failed"] == 0

    text = cli("check", path).stdout
    assert "第 2 页没有可用的文本层（可能是扫描页），未检查；加 --ocr 可识别" in text


def test_short_typed_pages_with_a_small_image_or_none_are_not_scanned(tmp_path: Path) -> None:
    path = build(tmp_path / "logo.pdf", [("logo", grey_page()), ["附件"], TYPED])
    document = extract(path, Settings())
    assert document.skipped_pages == [] and document.text.startswith("某某县人民政府文件\n附件")


def test_image_inside_a_form_xobject_counts(tmp_path: Path) -> None:
    path = build(tmp_path / "form.pdf", [TYPED, ("form", grey_page())])
    assert extract(path, Settings()).skipped_pages == [2]


def test_every_page_scanned_is_an_error_even_with_page_numbers(tmp_path: Path, cli) -> None:
    path = build(tmp_path / "scan.pdf", [grey_page(), grey_page()])
    entry = json.loads(cli("check", "-f", "json", path).stdout)["documents"][0]
    assert entry["error_kind"] == "scanned" and "--ocr" in entry["error"]
    assert entry["skipped_pages"] == [] and entry["ocr_pages"] == []


@needs_ocr
def test_with_ocr_only_the_scanned_page_is_recognised(tmp_path: Path, cli) -> None:
    path = build(tmp_path / "mixed.pdf", [TYPED, render(PAGE), LAST])
    document = extract(path, Settings(ocr=True))
    assert document.ocr_pages == [2] and document.skipped_pages == [] and "ocr" in document.notes
    typed = [document.text[b.start : b.end] for b in document.blocks if b.page != 2]
    plain = extract(path, Settings())
    assert typed == [plain.text[b.start : b.end] for b in plain.blocks if b.page != 2]  # the text layer, as without OCR

    entry = json.loads(cli("check", "--ocr", "-f", "json", path).stdout)["documents"][0]
    assert entry["ocr"] is True and entry["ocr_pages"] == [2] and entry["skipped_pages"] == []
    assert [f["page"] for f in entry["findings"] if f["rule"] == "veto-one-vote"] == [2, 3]
    assert "第 2 页文字由 OCR 识别" in cli("check", "--ocr", path).stdout
