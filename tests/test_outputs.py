"""Machine outputs of ``check``: SARIF, JUnit, GitHub annotations, CSV, line — and the progress bar."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml

from conftest import clean_env
from test_ocr import needs_ocr

SCHEMA = Path(__file__).parent / "schemas" / "sarif-2.1.0-rtm.5.json"
HEAVY = "各村每周五报送进度。\n年度考核实行一票否决。\n会议在三楼召开。\n"
ASTRAL = "𠀀𠀀年度考核实行一票否决。\n"  # two characters outside the BMP before the match


@pytest.fixture
def drafts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a burden-heavy draft (Chinese name), an astral-plane one, a clean one; cwd = folder."""
    (tmp_path / "关于报送进度的通知.txt").write_text(HEAVY, encoding="utf-8")
    (tmp_path / "astral.txt").write_text(ASTRAL, encoding="utf-8")
    (tmp_path / "clean.txt").write_text("今天天气很好。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(cli, tiny_rules, fmt: str, *paths: str, extra: tuple[str, ...] = ()):
    return cli("check", *(paths or ["."]), "--rules", tiny_rules, "--select", "t-*", "-f", fmt, *extra)


# ----------------------------------------------------------------- SARIF

def sarif_of(cli, tiny_rules, *paths: str) -> dict:
    return json.loads(run(cli, tiny_rules, "sarif", *paths).stdout)


def test_sarif_validates_against_the_schema(cli, drafts, tiny_rules):
    (drafts / "broken.docx").write_bytes(b"not a zip")
    log = sarif_of(cli, tiny_rules)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1


def test_sarif_schema_check_is_real():
    """The vendored schema and format checker do reject what code scanning would reject."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
    bad_column = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "columnKind": "bytes"}]}
    bad_uri = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "artifacts": [{"location": {"uri": "a b\\c"}}]}]}
    assert list(validator.iter_errors(bad_column))
    assert list(validator.iter_errors(bad_uri))


def test_sarif_rule_metadata_and_physical_locations(cli, drafts, tiny_rules):
    run_ = sarif_of(cli, tiny_rules)["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    rules = run_["tool"]["driver"]["rules"]
    veto = next(r for r in rules if r["id"] == "t-veto")
    assert veto["name"] == "一票否决"
    assert veto["fullDescription"]["text"] == "设置一票否决。"
    assert "RG-2024-Q1" in veto["help"]["text"] and "删除一票否决" in veto["help"]["text"]
    assert veto["defaultConfiguration"]["level"] == "error"
    assert {r["id"] for r in rules} == {r["ruleId"] for r in run_["results"]}
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
        assert result["partialFingerprints"]["jianfuKey/v1"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]}
    assert "%E5%85%B3%E4%BA%8E%E6%8A%A5%E9%80%81%E8%BF%9B%E5%BA%A6%E7%9A%84%E9%80%9A%E7%9F%A5.txt" in uris
    assert {unquote(u) for u in uris} >= {"关于报送进度的通知.txt", "astral.txt"}
    assert all(u.isascii() for u in uris)


def test_sarif_columns_are_code_points_not_utf16_or_bytes(cli, drafts, tiny_rules):
    results = sarif_of(cli, tiny_rules, "astral.txt")["runs"][0]["results"]
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    index = ASTRAL.index("一票否决")
    assert index == 8  # UTF-16 would count 10, UTF-8 bytes 30
    assert (region["startColumn"], region["endColumn"]) == (index + 1, index + 1 + 4)
    assert region["snippet"]["text"] == "一票否决"


def test_sarif_reports_unreadable_files_and_scores(cli, drafts, tiny_rules):
    (drafts / "broken.docx").write_bytes(b"not a zip")
    log = sarif_of(cli, tiny_rules)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False and invocation["exitCode"] == 2
    notes = invocation["toolExecutionNotifications"]
    assert len(notes) == 1 and "broken.docx" in notes[0]["message"]["text"]
    scores = {unquote(a["location"]["uri"]): a["properties"]["score"] for a in log["runs"][0]["artifacts"]}
    assert scores["clean.txt"] == 0 and scores["关于报送进度的通知.txt"] > 0


# ----------------------------------------------------------------- JUnit

def test_junit_parses_with_counts_and_unique_case_names(cli, drafts, tiny_rules):
    (drafts / "broken.docx").write_bytes(b"not a zip")
    result = run(cli, tiny_rules, "junit")
    xml = JUnitXml.fromstring(result.stdout.encode("utf-8"))
    suites = {suite.name: suite for suite in xml}
    assert set(suites) == {"关于报送进度的通知.txt", "astral.txt", "clean.txt", "broken.docx"}
    heavy = suites["关于报送进度的通知.txt"]
    cases = list(heavy)
    assert heavy.tests == len(cases) == heavy.failures == 3
    assert len({(c.classname, c.name) for c in cases}) == 3  # GitLab keys cases by class name + name
    failure = next(r for c in cases for r in c.result if isinstance(r, Failure) and r.type == "t-veto")
    assert "建议：删除一票否决。" in failure.text and "RG-2024-Q1" in failure.text
    clean = suites["clean.txt"]
    assert clean.tests == 1 and clean.failures == 0 and list(clean)[0].is_passed
    broken = list(suites["broken.docx"])[0]
    assert suites["broken.docx"].errors == 1 and isinstance(broken.result[0], Error)
    score = {p.name: p.value for p in heavy.properties()}["score"]
    assert int(score) > 0


def test_junit_drops_characters_xml_cannot_carry(cli, tmp_path, tiny_rules, monkeypatch):
    from jianfu_audit.report.junit import clean

    assert clean("第一页\f第\x00二\x1b页\ufffe") == "第一页第二页"
    monkeypatch.chdir(tmp_path)
    name = "通知\x1b副本.txt"  # control characters can occur in file names
    (tmp_path / name).write_text(HEAVY, encoding="utf-8")
    result = run(cli, tiny_rules, "junit", name)
    assert "\x1b" not in result.stdout
    xml = JUnitXml.fromstring(result.stdout.encode("utf-8"))
    assert [(s.name, s.failures) for s in xml] == [("通知副本.txt", 3)]


# ----------------------------------------------------------------- GitHub

ANNOTATION = re.compile(r"^::(error|warning|notice) ((?:[a-zA-Z]+=[^,:]*,?)+)::(.*)$")


def test_github_annotations(cli, drafts, tiny_rules):
    lines = run(cli, tiny_rules, "github").stdout.splitlines()
    veto = next(line for line in lines if "t-veto" in line)
    match = ANNOTATION.match(veto)
    assert match and match[1] == "error"
    props = dict(p.split("=", 1) for p in match[2].split(","))
    assert props["file"] in ("astral.txt", "关于报送进度的通知.txt")
    assert {"line", "endLine", "col", "endColumn", "title"} <= set(props)
    assert "%0A" in match[3] and "\n" not in match[3]
    levels = {ANNOTATION.match(line)[1] for line in lines if line.startswith("::")}
    assert levels == {"error", "warning", "notice"}  # info findings → notice
    assert lines[-1].startswith("jianfu-audit：共检查 3 个文件")


def test_github_escapes_properties_and_data(tmp_path, cli, tiny_rules, monkeypatch):
    from jianfu_audit.report.github import command

    assert command("error", "50% 完成\r\n下一行", file="a,b:c.txt") == "::error file=a%2Cb%3Ac.txt::50%25 完成%0D%0A下一行"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a,b.txt").write_text(HEAVY, encoding="utf-8")
    assert "file=a%2Cb.txt," in run(cli, tiny_rules, "github", "a,b.txt").stdout


# ----------------------------------------------------------------- CSV and line

def test_csv_rows(cli, drafts, tiny_rules):
    rows = list(csv.DictReader(io.StringIO(run(cli, tiny_rules, "csv").stdout)))
    heavy = [r for r in rows if r["path"] == "关于报送进度的通知.txt"]
    assert [r["rule"] for r in heavy] == ["t-village-report", "t-veto", "t-meeting-room"]
    assert heavy[1]["line"] == "2" and heavy[1]["column"] == "7" and heavy[1]["excerpt"] == "一票否决"
    assert len({r["score"] for r in heavy}) == 1 and int(heavy[0]["score"]) > 0
    clean = [r for r in rows if r["path"] == "clean.txt"]
    assert clean == [{**clean[0], "score": "0", "rule": ""}]


def test_line_format(cli, drafts, tiny_rules):
    lines = run(cli, tiny_rules, "line").stdout.splitlines()
    assert "关于报送进度的通知.txt:2:7: t-veto [error] 设置一票否决。 原文：“一票否决”" in lines
    assert all(re.match(r"^[^:]+:\d+:\d+: [a-z0-9-]+ \[(error|warning|info)\] ", line) for line in lines)
    assert not any(line.startswith("clean.txt") for line in lines)


def test_output_file(cli, drafts, tiny_rules):
    target = drafts / "out" / "report.sarif"
    target.parent.mkdir()
    result = run(cli, tiny_rules, "sarif", "关于报送进度的通知.txt", extra=("--output", str(target)))
    assert result.stdout == "" and result.exit_code == 1
    assert json.loads(target.read_text(encoding="utf-8"))["runs"][0]["results"]


# ----------------------------------------------------------------- one score everywhere

def test_every_format_carries_the_same_score(cli, drafts, tiny_rules):
    name = "关于报送进度的通知.txt"
    expected = {d["path"]: d["score"] for d in json.loads(run(cli, tiny_rules, "json").stdout)["documents"]}
    assert expected[name] > 0 and expected["clean.txt"] == 0
    sarif = {unquote(a["location"]["uri"]): a["properties"]["score"] for a in sarif_of(cli, tiny_rules)["runs"][0]["artifacts"]}
    junit = {s.name: int({p.name: p.value for p in s.properties()}["score"]) for s in JUnitXml.fromstring(run(cli, tiny_rules, "junit").stdout.encode())}
    table = {r["path"]: int(r["score"]) for r in csv.DictReader(io.StringIO(run(cli, tiny_rules, "csv").stdout))}
    github = dict(re.findall(r"::notice file=([^,]+),title=jianfu-audit 负担分::负担分 (\d+)/100", run(cli, tiny_rules, "github").stdout))
    scored = {d["path"]: d["score"] for d in json.loads(cli("score", ".", "--rules", tiny_rules, "--select", "t-*", "-f", "json").stdout)["documents"]}
    text = dict(re.findall(r"^(\S+)（\d+ 处，负担分 (\d+)）$", run(cli, tiny_rules, "text").stdout, flags=re.MULTILINE))
    assert sarif == junit == table == scored == expected
    assert {k: int(v) for k, v in text.items()} == {k: v for k, v in expected.items() if v}
    assert {k: int(v) for k, v in github.items()} == {k: v for k, v in expected.items() if v}


# ----------------------------------------------------------------- progress bar

def run_with_tty_stderr(args: list[str], cwd: Path) -> tuple[str, str]:
    """Run the CLI with stderr on a pseudo-terminal and stdout on a pipe."""
    master, slave = pty.openpty()
    env = {**clean_env(), "TERM": "xterm-256color", "COLUMNS": "100"}
    process = subprocess.Popen([sys.executable, "-m", "jianfu_audit", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    stdout = process.communicate(timeout=120)[0]
    os.close(master)
    return stdout.decode("utf-8"), b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only(drafts, tiny_rules):
    args = ["check", ".", "--rules", str(tiny_rules), "--select", "t-*", "-f", "line"]
    stdout, stderr = run_with_tty_stderr(args, drafts)
    assert "检查中" in stderr and "3/3" in stderr
    assert "检查中" not in stdout and "t-veto" in stdout
    _, quiet = run_with_tty_stderr([*args, "--quiet"], drafts)
    assert "检查中" not in quiet
    _, single = run_with_tty_stderr(["check", "clean.txt", "-f", "line"], drafts)
    assert "检查中" not in single


def test_no_progress_bar_when_stderr_is_a_pipe(cli, drafts, tiny_rules):
    result = run(cli, tiny_rules, "line")
    assert result.stderr == ""


# ----------------------------------------------------------------- partly scanned documents

@pytest.fixture
def scans(tmp_path: Path) -> Path:
    """A typed PDF with a scanned page 2, a PDF of scans only, and a clean text file."""
    from test_pdf_pages import LAST, TYPED, build, grey_page

    build(tmp_path / "mixed.pdf", [TYPED, grey_page(), LAST])
    build(tmp_path / "scan.pdf", [grey_page(), grey_page()])
    (tmp_path / "clean.txt").write_text("今天天气很好。\n", encoding="utf-8")
    return tmp_path


def test_summary_counts_documents_with_skipped_scanned_pages(cli, scans, tmp_path):
    """``summary.partly_scanned`` (read, scanned pages skipped) next to ``summary.scanned`` (unreadable)."""
    report = json.loads(cli("check", scans, "-f", "json").stdout)
    summary = report["summary"]
    assert (summary["scanned"], summary["partly_scanned"], summary["failed"], summary["exit_code"]) == (1, 1, 1, 2)
    skipped = {Path(d["path"]).name: d["skipped_pages"] for d in report["documents"]}
    assert skipped == {"clean.txt": [], "mixed.pdf": [2], "scan.pdf": []}

    sarif = json.loads(cli("check", scans, "-f", "sarif").stdout)
    assert sarif["runs"][0]["properties"]["summary"] == summary
    text = cli("check", scans).stdout.strip().splitlines()[-1]
    assert "（其中 1 个为无文本层的扫描件）；1 个文件中有扫描页未检查（加 --ocr 可识别）" in text

    scored = cli("score", scans, "-f", "json")
    assert json.loads(scored.stdout)["summary"] == {**summary, "fail_on": "never", "flagged": 0}
    assert "1 个文件中有扫描页未检查、未计分（加 --ocr 可识别）" in cli("score", scans).stdout
    recorded = cli("baseline", scans, "-o", tmp_path / "baseline.json")
    assert "1 个文件中有扫描页未检查，其中的问题未记入基线（加 --ocr 可识别）" in recorded.stderr

    (scans / "scan.pdf").unlink()
    (scans / "mixed.pdf").unlink()
    summary = json.loads(cli("check", scans, "-f", "json").stdout)["summary"]
    assert summary["partly_scanned"] == 0 and summary["scanned"] == 0
    assert "扫描页" not in cli("check", scans).stdout


@needs_ocr
def test_score_and_baseline_ocr_read_the_scanned_page(cli, tmp_path):
    """``--ocr`` as in ``check``: the scanned page is recognised, scored and recorded."""
    from test_ocr import PAGE, render
    from test_pdf_pages import LAST, TYPED, build

    path = build(tmp_path / "mixed.pdf", [TYPED, render(PAGE), LAST])
    plain = json.loads(cli("score", path, "--select", "veto-one-vote", "-f", "json").stdout)
    read = json.loads(cli("score", path, "--select", "veto-one-vote", "-f", "json", "--ocr").stdout)
    assert (plain["documents"][0]["findings"], plain["summary"]["partly_scanned"]) == (1, 1)
    assert (read["documents"][0]["findings"], read["summary"]["partly_scanned"]) == (2, 0)  # page 2 too
    out = tmp_path / "baseline.json"
    assert cli("baseline", path, "-o", out, "--select", "veto-one-vote", "--ocr").exit_code == 0
    assert [e["rule"] for e in json.loads(out.read_text(encoding="utf-8"))["documents"]["mixed.pdf"]] == ["veto-one-vote"] * 2
