"""OCR of scanned notices: a page of Chinese text is rendered here (PIL + a CJK
font from Debian), saved as an image or an image-only PDF, and read back through
Tesseract end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jianfu_audit.errors import InputError
from jianfu_audit.extract import extract, ocr
from jianfu_audit.segment import fold
from jianfu_audit.settings import Settings

FONTS = [
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),  # Debian fonts-wqy-zenhei
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),  # Debian fonts-noto-cjk
]
FONT = next((font for font in FONTS if font.exists()), None)
DPI = 200
FONT_PX = 44  # 16 pt (公文 3 号字) at 200 dpi

PAGE = [
    "关于进一步规范村级报表工作的通知",
    "各乡镇人民政府，县直有关单位：",
    "　　为落实基层减负要求，现将有关事项通知如下。",
    "　　一、各村（社区）每周报送工作台账，实行一票否决。",
    "　　二、各乡镇须在三日内完成自查，并将材料报县委办。",
    "　　三、严禁层层加码，不得要求基层重复填报数据。",
    "　　四、工作群每日打卡的做法一律取消。",
    "某某县人民政府办公室",
    "2024年3月1日",
]
#: lowest character accuracy accepted on PAGE (measured: see docs/formats.md)
MIN_ACCURACY = 0.95

needs_ocr = pytest.mark.skipif(
    ocr.missing() is not None or FONT is None,
    reason="needs tesseract-ocr, tesseract-ocr-chi-sim, pytesseract and a CJK font",
)


def render(lines: list[str]):
    """An A4 page at ``DPI`` with ``lines`` in black on white."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), FONT_PX)
    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    for number, line in enumerate(lines):
        draw.text((200, 250 + number * FONT_PX * 2), line, font=font, fill=0)
    return page


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, left in enumerate(a, start=1):
        current = [i]
        for j, right in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left != right)))
        previous = current
    return previous[-1]


def accuracy(reference: str, recognised: str) -> float:
    """1 − edit distance / reference length, whitespace ignored."""
    reference, recognised = "".join(reference.split()), "".join(recognised.split())
    return 1 - edit_distance(reference, recognised) / len(reference)


@needs_ocr
def test_image_end_to_end(tmp_path: Path, cli) -> None:
    path = tmp_path / "scan.png"
    render(PAGE).save(path, dpi=(DPI, DPI))
    result = cli("check", "--ocr", "-f", "json", path)
    document = json.loads(result.stdout)["documents"][0]
    assert document["error"] is None
    assert document["ocr"] is True
    veto = [f for f in document["findings"] if f["rule"] == "veto-one-vote"]
    assert veto and "一票否决" in veto[0]["excerpt"] and veto[0]["page"] == 1


@needs_ocr
def test_scanned_pdf_needs_ocr_flag_then_is_read(tmp_path: Path, cli) -> None:
    path = tmp_path / "scan.pdf"
    blank, text = render([]), render(PAGE)
    blank.save(path, "PDF", resolution=DPI, save_all=True, append_images=[text])

    without = json.loads(cli("check", "-f", "json", path).stdout)["documents"][0]
    assert without["error_kind"] == "scanned" and "--ocr" in without["error"]

    document = json.loads(cli("check", "--ocr", "-f", "json", path).stdout)["documents"][0]
    assert document["error"] is None and document["ocr"] is True and document["format"] == "pdf"
    assert [f["page"] for f in document["findings"] if f["rule"] == "veto-one-vote"] == [2]


@needs_ocr
def test_extract_ocr_prints_what_check_saw(tmp_path: Path, cli) -> None:
    path = tmp_path / "scan.tif"
    render(PAGE).save(path, dpi=(DPI, DPI))
    printed = cli("extract", "--ocr", path).stdout
    assert printed == extract(path, Settings(ocr=True)).text
    assert "一票否决" in printed


@needs_ocr
def test_character_accuracy(tmp_path: Path) -> None:
    path = tmp_path / "page.png"
    render(PAGE).save(path, dpi=(DPI, DPI))
    document = extract(path, Settings(ocr=True))
    reference = "".join(PAGE)
    raw = accuracy(reference, document.text)
    folded = accuracy(fold(reference), fold(document.text))  # as the rules see it
    print(f"OCR character accuracy: raw {raw:.4f}, width-folded {folded:.4f}")
    assert folded >= MIN_ACCURACY
    assert "ocr" in document.notes and document.pages == 1


def test_image_without_ocr_flag_says_how(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff")
    with pytest.raises(InputError) as caught:
        extract(path, Settings())
    assert caught.value.kind == "scanned" and "--ocr" in str(caught.value)


def test_missing_tesseract_names_the_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG")
    with pytest.raises(InputError, match="tesseract-ocr-chi-sim"):
        ocr.extract(path, Settings(ocr=True))


def test_missing_chinese_model_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    pytesseract = pytest.importorskip("pytesseract")
    monkeypatch.setattr(ocr.shutil, "which", lambda name: "/usr/bin/tesseract")
    monkeypatch.setattr(pytesseract, "get_languages", lambda config="": ["eng", "osd"])
    assert "tesseract-ocr-chi-sim" in (ocr.missing() or "")


def test_spaces_between_chinese_characters_are_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    pytesseract = pytest.importorskip("pytesseract")
    monkeypatch.setattr(pytesseract, "image_to_string", lambda *a, **k: "实 行 一 票 否 决 ， 2024 年 PDF file\n")
    assert ocr.recognise(object()) == "实行一票否决，2024年PDF file\n"


@needs_ocr
def test_not_an_image_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.png"
    path.write_text("这不是图片", encoding="utf-8")
    with pytest.raises(InputError, match="不是有效的图片"):
        ocr.extract(path, Settings(ocr=True))  # the reader itself, behind extract()'s content sniffing
