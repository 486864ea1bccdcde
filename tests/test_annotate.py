"""``annotate``: one Word comment per finding, anchored on exactly the flagged words."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from lxml import etree
from typer.testing import CliRunner

from conftest import REVIEW_RULES
from test_ocr import DPI, PAGE, needs_ocr, render
from jianfu_audit.annotate import AUTHOR, annotate, output_name
from jianfu_audit.cli import app
from jianfu_audit.extract import extract
from jianfu_audit.pipeline import check_input
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.settings import Settings

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(REVIEW_RULES, folder / "test.yaml")
    return folder


def check(path: Path, rules_dir: Path):
    return check_input(str(path), load_rules([rules_dir], bundled=False), Settings())


def anchored(path: Path) -> list[str]:
    """The text between each comment's range start and end, in comment-id order."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    open_ids: set[str] = set()
    texts: dict[str, str] = {}
    for element in root.iter():
        if element.tag == W + "commentRangeStart":
            open_ids.add(element.get(W + "id"))
            texts.setdefault(element.get(W + "id"), "")
        elif element.tag == W + "commentRangeEnd":
            open_ids.discard(element.get(W + "id"))
        elif element.tag in (W + "t", W + "tab"):
            for ident in open_ids:
                texts[ident] += element.text or "" if element.tag == W + "t" else "\t"
    return [texts[key] for key in sorted(texts, key=int)]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_notice(path: Path) -> None:
    """A notice whose flagged words are split over runs, after a tab, in tables and a header."""
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "页眉也要实行一票否决"
    word.add_paragraph("关于<script>alert(1)</script>的通知")
    paragraph = word.add_paragraph()
    paragraph.add_run("各乡镇\t要召开动员")
    paragraph.add_run("部署").bold = True
    paragraph.add_run("会，")
    paragraph.add_run().add_break(WD_BREAK.LINE)
    paragraph.add_run("年度考核实行一票否决。")
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "考核"
    table.cell(0, 1).text = "出现问题一票否决。"
    nested = table.cell(0, 0).add_table(rows=1, cols=1)
    nested.cell(0, 0).text = "第一段"
    nested.cell(0, 0).add_paragraph("嵌套表格里也召开动员部署会。")
    word.save(str(path))


def test_docx_comment_per_finding_on_exact_words(tmp_path: Path, rules_dir: Path) -> None:
    source = tmp_path / "通知.docx"
    make_notice(source)
    before = digest(source)
    result = check(source, rules_dir)
    assert [(f.rule, f.location.get("part")) for f in result.findings] == [
        ("test-veto", "header"), ("test-meeting", None), ("test-veto", None),
        ("test-meeting", "table"), ("test-veto", "table"),
    ]
    target = tmp_path / output_name(source)
    assert annotate(source, result.document, result.findings, target) == 5
    assert digest(source) == before
    comments = list(docx.Document(str(target)).comments)
    assert len(comments) == 5
    assert {c.author for c in comments} == {AUTHOR}
    # the header finding cannot be anchored in the header (Word has no comments there)
    assert "页眉" in comments[0].text and "原文「一票否决」" in comments[0].text
    assert anchored(target)[1:] == [f.excerpt for f in result.findings[1:]]
    for comment, finding in zip(comments, result.findings):
        assert finding.message in comment.text
        assert "建议：" + finding.suggestion in comment.text
        assert "依据：TEST-2024-C3、TEST-2024-C4" in comment.text or finding.rule != "test-veto"
    # the copy reads exactly like the original
    assert extract(target).text == extract(source).text


def test_markup_stays_text(tmp_path: Path, rules_dir: Path) -> None:
    source = tmp_path / "通知.txt"
    source.write_text("关于<script>alert(1)</script>的通知\n年度考核<b>实行一票否决</b>。\n", encoding="utf-8")
    result = check(source, rules_dir)
    target = tmp_path / "out.docx"
    annotate(source, result.document, result.findings, target)
    xml = zipfile.ZipFile(target).read("word/document.xml").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml and "<script>" not in xml
    assert [p.text for p in docx.Document(str(target)).paragraphs][:2] == [
        "关于<script>alert(1)</script>的通知", "年度考核<b>实行一票否决</b>。"
    ]


def test_text_input_becomes_docx_with_same_comments(tmp_path: Path, rules_dir: Path) -> None:
    source = tmp_path / "通知.txt"
    text = "关于开展工作的通知\n\n各乡镇\t要召开动员部署会。\n年度考核实行一票否决。\n"
    source.write_text(text, encoding="utf-8")
    before = digest(source)
    result = check(source, rules_dir)
    target = tmp_path / output_name(source)
    assert target.name == "通知.txt.审阅.docx"
    assert annotate(source, result.document, result.findings, target) == 2
    assert digest(source) == before
    word = docx.Document(str(target))
    assert [p.text for p in word.paragraphs] == text.split("\n")
    assert len(word.comments) == 2
    assert anchored(target) == ["动员部署会", "一票否决"]


def test_pdf_input_becomes_docx(tmp_path: Path, rules_dir: Path) -> None:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    source = tmp_path / "通知.pdf"
    pdf = canvas.Canvas(str(source))
    pdf.setFont("STSong-Light", 14)
    pdf.drawString(72, 760, "各乡镇要召开动员部署会。")
    pdf.drawString(72, 730, "年度考核实行一票否决。")
    pdf.save()
    result = check(source, rules_dir)
    assert len(result.findings) == 2
    target = tmp_path / output_name(source)
    annotate(source, result.document, result.findings, target)
    assert len(docx.Document(str(target)).comments) == 2
    assert anchored(target) == [f.excerpt for f in result.findings]


def test_numbered_word_sample(tmp_path: Path) -> None:
    """Word's automatic list numbers are in the extracted text but not in the runs."""
    source = SAMPLES / "03-burden-table.docx"
    result = check_input(str(source), load_rules(), Settings())
    assert any(f.paragraph is not None and "一票否决" in f.excerpt for f in result.findings)
    target = tmp_path / output_name(source)
    annotate(source, result.document, result.findings, target)
    body = [f for f in result.findings if f.location.get("part") not in ("header", "footer")]
    assert len(docx.Document(str(target)).comments) == len(result.findings)
    assert anchored(target)[: len(body)] == [f.excerpt for f in body]


def test_folder_mode(tmp_path: Path, rules_dir: Path) -> None:
    folder = tmp_path / "文件夹"
    (folder / "子目录").mkdir(parents=True)
    make_notice(folder / "甲.docx")
    (folder / "子目录" / "乙.txt").write_text("年度考核实行一票否决。\n", encoding="utf-8")
    (folder / "旧.审阅.docx").write_bytes((folder / "甲.docx").read_bytes())  # an earlier output
    (folder / "说明.xyz").write_text("一票否决", encoding="utf-8")
    result = CliRunner().invoke(app, ["annotate", str(folder), "--rules", str(rules_dir), "--select", "test-*"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "文件夹.审阅"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.docx")) == [
        "子目录/乙.txt.审阅.docx", "甲.审阅.docx"
    ]
    assert len(docx.Document(str(out / "甲.审阅.docx")).comments) == 5
    assert len(docx.Document(str(out / "子目录" / "乙.txt.审阅.docx")).comments) == 1
    assert "说明.xyz" in result.output


def test_refuses_to_overwrite_the_original(tmp_path: Path, rules_dir: Path) -> None:
    source = tmp_path / "通知.docx"
    make_notice(source)
    before = digest(source)
    result = CliRunner().invoke(app, ["annotate", str(source), "-o", str(source), "--rules", str(rules_dir)])
    assert result.exit_code != 0
    assert digest(source) == before


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"not a zip")
    result = CliRunner().invoke(app, ["annotate", str(broken)])
    assert result.exit_code == 2
    assert "无法读取" in result.output
    assert not (tmp_path / "坏.审阅.docx").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="需要 LibreOffice（libreoffice-writer）")
def test_libreoffice_reads_the_comments(tmp_path: Path, rules_dir: Path) -> None:
    source = tmp_path / "通知.docx"
    make_notice(source)
    result = check(source, rules_dir)
    target = tmp_path / "通知.审阅.docx"
    annotate(source, result.document, result.findings, target)
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "odt", "--outdir", str(tmp_path / "odt"), str(target)],
        check=True, capture_output=True, timeout=300,
    )
    content = zipfile.ZipFile(tmp_path / "odt" / "通知.审阅.odt").read("content.xml").decode()
    assert content.count("<office:annotation ") + content.count("<office:annotation>") == 5
    assert content.count("<office:annotation-end ") == 5  # each comment spans its words


def comment_rules(path: Path) -> list[str]:
    """The rule id that ends the first line of each comment."""
    return [re.search(r"（([\w-]+)）$", c.text.split("\n")[0]).group(1) for c in docx.Document(str(path)).comments]


@pytest.mark.parametrize(
    ("date_args", "rules"),
    [([], ["deadline-undated"]), (["--date", "2025-10-06"], ["deadline-too-short"]), (["--date", "2025-09-01"], [])],
)
def test_date_option_decides_deadline_comments_as_for_check(cli, tmp_path: Path, date_args: list[str], rules: list[str]) -> None:
    """No date in the text: ``--date`` is the reference (2025-10-06 is in the National Day holiday)."""
    source = tmp_path / "通知.txt"
    source.write_text("各乡镇于2025年10月9日前报送材料。\n", encoding="utf-8")
    checked = json.loads(cli("check", source, "--select", "deadline", "-f", "json", *date_args).stdout)
    assert [f["rule"] for f in checked["documents"][0]["findings"]] == rules
    result = cli("annotate", source, "--select", "deadline", *date_args)
    assert result.exit_code == 0, result.stderr
    assert comment_rules(tmp_path / output_name(source)) == rules


def test_bad_date_is_one_line_exit_2(cli, tmp_path: Path) -> None:
    source = tmp_path / "通知.txt"
    source.write_text("请于10月9日前报送。\n", encoding="utf-8")
    result = cli("annotate", source, "--date", "2025-13-01")
    assert result.exit_code == 2 and "--date" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / output_name(source)).exists()


@needs_ocr
def test_ocr_option_and_config_read_an_image(cli, tmp_path: Path) -> None:
    source = tmp_path / "scan.png"
    render(PAGE).save(source, dpi=(DPI, DPI))
    target = tmp_path / output_name(source)
    without = cli("annotate", source)
    assert without.exit_code == 2 and "--ocr" in without.stdout and not target.exists()

    assert cli("annotate", source, "--ocr").exit_code == 0
    assert "veto-one-vote" in comment_rules(target)
    assert any("一票否决" in text for text in anchored(target))

    target.unlink()
    (tmp_path / ".jianfu-audit.toml").write_text("ocr = true\n", encoding="utf-8")
    assert cli("annotate", source).exit_code == 0
    assert "veto-one-vote" in comment_rules(target)
