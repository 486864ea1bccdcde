"""Extraction: every format gives one text plus an offset → location map, and
``jianfu-audit extract`` prints exactly that text."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from conftest import build_docx, build_pdf
from jianfu_audit.document import document_from_text
from jianfu_audit.errors import InputError
from jianfu_audit.extract import extract, format_of
from jianfu_audit.extract.pdf import join_wrapped_lines

NOTICE = "关于开展农村人居环境整治的通知\n各乡镇：\n为加快补齐短板，请于6月10日前报送进展情况。\n"


def lines_of(document) -> list[str]:
    return [document.text[b.start : b.end] for b in document.blocks]


# ------------------------------------------------------------------ txt

@pytest.mark.parametrize(
    ("name", "data", "encoding"),
    [
        ("utf8", NOTICE.encode("utf-8"), "utf-8"),
        ("utf8-bom", codecs.BOM_UTF8 + NOTICE.encode("utf-8"), "utf-8-sig"),
        ("gbk", NOTICE.encode("gbk"), "gb18030"),
        ("gb18030", NOTICE.encode("gb18030"), "gb18030"),
        ("utf16-le-bom", codecs.BOM_UTF16_LE + NOTICE.encode("utf-16-le"), "utf-16"),
        ("utf16-be-bom", codecs.BOM_UTF16_BE + NOTICE.encode("utf-16-be"), "utf-16"),
    ],
    ids=lambda v: v if isinstance(v, str) and v.isascii() else None,
)
def test_txt_encodings(tmp_path, name, data, encoding):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    document = extract(path)
    assert document.text == NOTICE  # no BOM, no mojibake
    assert document.format == "txt"
    assert f"encoding={encoding}" in document.notes


def test_txt_gb18030_characters_outside_gbk(tmp_path):
    text = "䶮𠀀字样出现在通知中，各乡镇：请按要求报送材料。"
    path = tmp_path / "rare.txt"
    path.write_bytes(text.encode("gb18030"))
    assert extract(path).text == text


def test_txt_gbk_is_not_read_as_another_legacy_encoding(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("关于会议的通知".encode("gbk"))
    assert extract(path).text == "关于会议的通知"


def test_txt_lines_and_paragraphs(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("第一段。\r\n\r\n第二段，要求报送。\r\n第三段。".encode("utf-8"))
    document = extract(path)
    assert document.text == "第一段。\n\n第二段，要求报送。\n第三段。"
    offset = document.text.index("报送")
    where = document.locate(offset)
    assert (where.line, where.column, where.paragraph, where.page) == (3, 7, 2, None)
    assert document.locate(document.text.index("第三段")).paragraph == 3


def test_txt_binary_junk_is_an_input_error(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(InputError):
        extract(path)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as info:
        extract(tmp_path / "nope.txt")
    assert "不存在" in str(info.value)


def test_document_locate_clamps_and_maps_every_offset():
    text = "甲乙丙\n丁戊\n\n己"
    document = document_from_text(text, "<t>")
    for offset in range(len(text) + 1):
        where = document.locate(offset)
        line_start = text.rfind("\n", 0, offset) + 1
        assert where.line == text.count("\n", 0, offset) + 1
        assert where.column == offset - line_start + 1
    assert document.locate(-5).line == 1
    assert document.locate(10_000).line == 4


# ------------------------------------------------------------------ docx

@pytest.fixture
def word_notice(tmp_path) -> Path:
    return build_docx(
        tmp_path / "notice.docx",
        header="云溪县测试局文件",
        footer="云溪县测试局办公室印发",
        body=[
            "关于测试的通知",
            ("numbered", "各乡镇每周召开调度会。"),
            ("numbered", "各村每天拍照上传。"),
            [["任务", "要求"], ["报送", "每日报送日报表。"], ["留痕", "建立纸质台账。"]],
            "请遵照执行。",
        ],
    )


def test_docx_order_header_body_table_footer(word_notice):
    document = extract(word_notice)
    assert document.format == "docx"
    assert lines_of(document) == [
        "云溪县测试局文件",
        "关于测试的通知",
        "1.各乡镇每周召开调度会。",
        "2.各村每天拍照上传。",
        "任务", "要求", "报送", "每日报送日报表。", "留痕", "建立纸质台账。",
        "请遵照执行。",
        "云溪县测试局办公室印发",
    ]
    assert document.text == "\n".join(lines_of(document))


def test_docx_locations(word_notice):
    document = extract(word_notice)

    def at(phrase: str):
        return document.locate(document.text.index(phrase))

    assert at("云溪县测试局文件").part == "header"
    assert at("云溪县测试局办公室印发").part == "footer"
    body = at("关于测试的通知")
    assert (body.part, body.table) == ("body", None)
    cell = at("每日报送日报表")
    assert (cell.part, cell.table, cell.row, cell.cell) == ("table", 1, 2, 2)
    cell = at("纸质台账")
    assert (cell.table, cell.row, cell.cell) == (1, 3, 2)
    assert at("留痕").cell == 1
    after = at("请遵照执行")
    assert (after.part, after.table) == ("body", None)


def test_docx_second_table_and_merged_cells(tmp_path):
    import docx

    word = docx.Document()
    first = word.add_table(rows=1, cols=2)
    first.cell(0, 0).text = "甲"
    first.cell(0, 1).text = "乙"
    second = word.add_table(rows=2, cols=3)
    merged = second.cell(0, 0).merge(second.cell(0, 2))
    merged.text = "合并单元格"
    second.cell(1, 2).text = "丙"
    path = tmp_path / "merged.docx"
    word.save(str(path))
    document = extract(path)
    assert document.text.count("合并单元格") == 1  # a merged cell is read once
    where = document.locate(document.text.index("合并单元格"))
    assert (where.table, where.row, where.cell) == (2, 1, 1)
    where = document.locate(document.text.index("丙"))
    assert (where.table, where.row, where.cell) == (2, 2, 3)


def test_docx_direct_numbering_chinese_counting():
    """The bundled sample numbers its items with w:numPr (一、二、三、)."""
    document = extract(Path(__file__).resolve().parents[1] / "samples" / "03-burden-table.docx")
    numbered = [line for line in lines_of(document) if line[:2] in ("一、", "二、", "三、", "四、")]
    assert [line[:2] for line in numbered] == ["一、", "二、", "三、", "四、"]
    assert numbered[0].startswith("一、提高思想认识。")


def test_invalid_docx_is_an_input_error(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(InputError):
        extract(path)


# ------------------------------------------------------------------ pdf

LONG = "各乡镇要在收到通知后立即召开专题会议传达学习，并于当日下班前将会议照片和记录报送县委办公室备查。"


def test_pdf_pages_and_wrapped_lines(tmp_path):
    first, second = LONG[:30], LONG[30:]
    path = build_pdf(tmp_path / "n.pdf", [["第一页标题", first, second], ["第二页：实行一票否决。", "落款"]])
    document = extract(path)
    assert document.format == "pdf" and document.pages == 2
    assert LONG in document.text  # the wrapped demand is one paragraph again
    where = document.locate(document.text.index("会议照片"))
    assert where.page == 1
    assert document.locate(document.text.index("一票否决")).page == 2
    assert document.locate(document.text.index("落款")).page == 2
    assert document.locate(document.text.index("第一页标题")).page == 1


def test_pdf_full_width_punctuation_and_digits_survive(tmp_path):
    line = "（一）请于６月１０日前报送“台账”。"
    document = extract(build_pdf(tmp_path / "p.pdf", [[line]]))
    assert document.text == line


def test_pdf_short_lines_are_not_glued_to_the_page_number(tmp_path):
    """A page of short lines (an attachment form) must not become one paragraph."""
    pages = [[LONG[:30], LONG[30:]], ["附件", "联络员名单", "姓名 职务 电话", "— 2 —"]]
    document = extract(build_pdf(tmp_path / "a.pdf", pages))
    page_two = [line for line, block in zip(lines_of(document), document.blocks) if block.page == 2]
    assert page_two == ["附件", "联络员名单", "姓名 职务 电话", "— 2 —"]


def test_join_wrapped_lines():
    lines = ["一二三四五六七八九十", "一二三四五六七八九十", "尾。", "短行", "一二三四五六七八九。", "下一段"]
    assert join_wrapped_lines(lines) == ["一二三四五六七八九十一二三四五六七八九十尾。", "短行", "一二三四五六七八九。", "下一段"]


def test_scanned_pdf_is_reported_as_scanned(tmp_path):
    path = build_pdf(tmp_path / "scan.pdf", [[], []])
    with pytest.raises(InputError) as info:
        extract(path)
    assert info.value.kind == "scanned"
    assert "扫描" in str(info.value) and "2" in str(info.value)


def test_broken_pdf_is_an_input_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    with pytest.raises(InputError) as info:
        extract(path)
    assert info.value.kind != "scanned"


def test_format_of():
    assert format_of(Path("a.TXT")) == "txt"
    assert format_of(Path("a.docx")) == "docx"
    assert format_of(Path("a.pdf")) == "pdf"
    assert format_of(Path("a.bin")) is None


# ------------------------------------------------------------------ extract CLI

def _sample_files(tmp_path: Path) -> list[Path]:
    txt = tmp_path / "gbk.txt"
    txt.write_bytes("第一行\r\n第二行：实行一票否决。\r\n".encode("gbk"))
    docx_path = build_docx(tmp_path / "w.docx", header="页眉", footer="页脚", body=["正文。", [["甲", "乙"]]])
    pdf_path = build_pdf(tmp_path / "p.pdf", [["第一页。"], ["第二页。"]])
    return [txt, docx_path, pdf_path]


@pytest.mark.parametrize("index", [0, 1, 2], ids=["txt", "docx", "pdf"])
def test_extract_cli_prints_exactly_the_checked_text(cli, tmp_path, index):
    path = _sample_files(tmp_path)[index]
    result = cli("extract", path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == extract(path).text


def test_extract_cli_json_blocks_index_the_text(cli, tmp_path):
    path = _sample_files(tmp_path)[1]
    result = cli("extract", path, "--format", "json")
    data = json.loads(result.stdout)
    assert data["text"] == extract(path).text and data["chars"] == len(data["text"])
    assert [data["text"][b["start"] : b["end"]] for b in data["blocks"]] == ["页眉", "正文。", "甲", "乙", "页脚"]
    assert [b["part"] for b in data["blocks"]] == ["header", "body", "table", "table", "footer"]


def test_extract_cli_stdin(cli):
    result = cli("extract", "-", stdin="标准输入的通知。\n".encode("gb18030"))
    assert result.exit_code == 0 and result.stdout == "标准输入的通知。\n"


def test_extract_cli_unreadable_file_exits_2(cli, tmp_path):
    result = cli("extract", build_pdf(tmp_path / "scan.pdf", [[]]))
    assert result.exit_code == 2 and result.stdout == ""
    assert "扫描" in result.stderr and len(result.stderr.strip().splitlines()) == 1
