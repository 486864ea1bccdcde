"""HTML report: self-contained, escaped, highlights exactly the flagged words."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import lxml.html
import pytest
from typer.testing import CliRunner

from conftest import REVIEW_RULES
from jianfu_audit.cli import app
from jianfu_audit.findings import Finding, Severity
from jianfu_audit.pipeline import check_input
from jianfu_audit.report import html
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.score import burden
from jianfu_audit.settings import Settings
from jianfu_audit.summary import Summary

OVERLAP_RULE = """\
rules:
  - id: test-veto-phrase
    category: trace
    severity: info
    message: 重叠的规则。
    suggestion: 换个说法。
    citation: [TEST-2024-D4]
    pattern: {regex: "实行一票否"}
    examples: {positive: [实行一票否决。, 须实行一票否决。], negative: [不得否决。, 一票通过。]}
"""

NOTICE = """\
关于<script>window.pwned = 1</script>开展工作的通知
各乡镇要逐级召开动员部署会。
各村每日报送进展，<img src=x onerror="window.pwned = 1">。
对工作不力的实行一票否决。
"""


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(REVIEW_RULES, folder / "test.yaml")
    (folder / "overlap.yaml").write_text(OVERLAP_RULE, encoding="utf-8")
    return folder


def report(paths: list[Path], rules_dir: Path) -> tuple[str, list]:
    """Render the page for ``paths``; also return the results."""
    ruleset = load_rules([rules_dir], bundled=False)
    out = io.StringIO()
    reporter = html.Reporter(out)
    summary = Summary()
    results = []
    for path in paths:
        result = check_input(str(path), ruleset, Settings())
        summary.add(result)
        reporter.document(result)
        results.append(result)
    reporter.finish(summary)
    return out.getvalue(), results


@pytest.fixture
def notice(tmp_path: Path) -> Path:
    path = tmp_path / "通知.txt"
    path.write_text(NOTICE, encoding="utf-8")
    return path


def test_markup_from_documents_shows_as_text(tmp_path: Path, rules_dir: Path, notice: Path) -> None:
    odd_name = tmp_path / "<svg onload=alert(1)>.txt"
    odd_name.write_text("一票否决", encoding="utf-8")
    page, _ = report([notice, odd_name], rules_dir)
    tree = lxml.html.fromstring(page)
    assert len(tree.xpath("//script")) == 1  # the report's own
    assert "pwned" not in tree.xpath("//script")[0].text
    assert not tree.xpath("//img | //svg | //*[@onerror] | //*[@onload]")
    text = tree.xpath("//div[@class='text']")[0].text_content()
    assert "<script>window.pwned = 1</script>" in text
    assert '<img src=x onerror="window.pwned = 1">' in text
    assert "<svg onload=alert(1)>" in tree.xpath("//table[@id='docs']")[0].text_content()


def test_page_is_self_contained(rules_dir: Path, notice: Path) -> None:
    page, _ = report([notice], rules_dir)
    tree = lxml.html.fromstring(page)
    assert not tree.xpath("//link | //img | //iframe | //object | //embed | //script[@src]")
    for element in tree.iter():
        for name, value in element.attrib.items():
            assert not value.strip().lower().startswith(("http:", "https:", "//")), (name, value)
    policy = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in policy


def test_highlights_cover_each_excerpt_exactly(rules_dir: Path, notice: Path) -> None:
    page, [result] = report([notice], rules_dir)
    tree = lxml.html.fromstring(page)
    assert [f.rule for f in result.findings] == ["test-meeting", "test-report", "test-veto-phrase", "test-veto"]
    for index, finding in enumerate(result.findings):
        ident = f"d1-f{index}"
        marks = tree.xpath(f"//mark[contains(concat(' ', @data-f, ' '), ' {ident} ')]")
        assert "".join(m.text_content() for m in marks) == finding.excerpt
        item = tree.get_element_by_id(ident)
        assert item.get("data-category") == finding.category
        assert item.get("data-severity") == finding.severity.name
        assert finding.message in item.text_content()
        assert finding.suggestion in item.text_content()
        assert finding.citation[0] in item.text_content()
    overlap = tree.xpath("//mark[@data-f='d1-f2 d1-f3']")[0]
    assert overlap.text_content() == "一票否"
    assert "sev-error" in overlap.get("class")  # the worse of the two
    # the document text is shown whole, highlights included
    assert tree.xpath("//div[@class='text']")[0].text_content() == result.document.text


def test_segments_split_at_every_edge() -> None:
    def finding(start: int, end: int) -> Finding:
        return Finding("r", "veto", Severity.error, "m", "s", ["X-1"], "", start, end, 1, 1, None, None)

    pieces = html.segments("abcdefgh", [finding(1, 4), finding(3, 6)])
    assert pieces == [("a", []), ("bc", [0]), ("d", [0, 1]), ("ef", [1]), ("gh", [])]
    assert html.segments("", []) == []


def test_summary_chart_table_and_unreadable_file(tmp_path: Path, rules_dir: Path, notice: Path) -> None:
    broken = tmp_path / "坏文件.docx"
    broken.write_bytes(b"not a zip")
    page, results = report([notice, broken], rules_dir)
    tree = lxml.html.fromstring(page)
    bars = {b.get("data-category"): b.xpath(".//span[@class='bar-count']")[0].text for b in tree.xpath("//div[@class='bar']")}
    assert bars == {"meeting": "1", "reporting": "1", "trace": "1", "veto": "1"}
    labels = [b.xpath(".//span[@class='bar-label']")[0].text for b in tree.xpath("//div[@class='bar']")]
    assert labels == ["会议活动", "填表报数", "过度留痕", "一票否决"]
    rows = tree.xpath("//table[@id='docs']/tbody/tr")
    assert len(rows) == 2
    score = burden(results[0].findings).score
    assert score > 0
    assert [c.text_content().strip() for c in rows[0].xpath("td")][1:3] == [str(score), "4"]
    assert "无法读取" in rows[1].text_content()
    assert results[1].error in tree.get_element_by_id("d2").text_content()
    filters = tree.xpath("//form[@id='filters']//input/@value")
    assert filters == ["error", "warning", "info", "meeting", "reporting", "trace", "veto"]


def test_check_command_writes_html(tmp_path: Path, rules_dir: Path, notice: Path) -> None:
    target = tmp_path / "报告.html"
    result = CliRunner().invoke(
        app, ["check", str(notice), "--rules", str(rules_dir), "--select", "test-*", "--format", "html", "-o", str(target)]
    )
    assert result.exit_code == 1, result.output  # warnings and errors fail by default
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert len(lxml.html.fromstring(page).xpath("//li[@class and contains(@class, 'finding')]")) == 4
