"""Baselines (``baseline`` + ``check --baseline``) and configured suppressions."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from jianfu_audit.baseline import Baseline, document_key, finding_key, suppresses, triage
from jianfu_audit.findings import Finding, Severity
from jianfu_audit.pipeline import DocumentResult
from jianfu_audit.settings import Suppression

DRAFT = "关于做好保洁工作的通知\n各村每天拍照上传保洁情况。\n年度考核实行一票否决。\n"


def finding(rule: str = "t-photo", excerpt: str = "拍照上传", context: str = "各村每天拍照上传保洁情况。", line: int = 2) -> Finding:
    return Finding(
        rule=rule, category="trace", severity=Severity.warning, message="m", suggestion="s", citation=["RG-2024-10"],
        excerpt=excerpt, start=10 * line, end=10 * line + len(excerpt), line=line, column=3, page=None, paragraph=line,
        context=context,
    )


# ----------------------------------------------------------------- keys

def test_key_ignores_position_but_not_rule_excerpt_or_context():
    base = finding()
    assert finding_key(replace(base, line=40, start=900, end=904, column=1, paragraph=12)) == finding_key(base)
    assert finding_key(replace(base, rule="t-other")) != finding_key(base)
    assert finding_key(replace(base, excerpt="拍照留痕")) != finding_key(base)
    assert finding_key(replace(base, context="各村每月拍照上传保洁情况。")) != finding_key(base)


def test_key_survives_width_and_whitespace_changes():
    base = finding(rule="t-hours", excerpt="24小时内", context="请于24小时内报送。")
    reflowed = replace(base, context="请于24小时内\n报送 。")
    wide = replace(base, excerpt="２４小时内", context="请于２４小时内报送。")
    assert finding_key(reflowed) == finding_key(base) == finding_key(wide)
    assert finding_key(replace(base, context="请于48小时内报送。")) != finding_key(base)


def test_document_key_is_relative_to_the_baseline_folder(tmp_path):
    assert document_key(str(tmp_path / "a" / "b.txt"), tmp_path) == "a/b.txt"
    assert document_key("/elsewhere/x.txt", tmp_path) == "/elsewhere/x.txt"


# ----------------------------------------------------------------- triage

def result_with(*findings: Finding, path: str = "drafts/a.txt") -> DocumentResult:
    return DocumentResult(path, "txt", 100, findings=list(findings))


def test_baseline_is_a_multiset(tmp_path):
    twice = [finding(line=2), finding(line=5)]
    path = str(tmp_path / "drafts" / "a.txt")
    baseline = Baseline(tmp_path, {"drafts/a.txt": Counter({finding_key(twice[0]): 1})})
    kept = triage(result_with(*twice, path=path), (), baseline)
    assert kept.baselined == 1 and [f.line for f in kept.findings] == [5]
    assert triage(result_with(*twice, path=str(tmp_path / "other.txt")), (), baseline).baselined == 0


def test_config_suppressions_count_by_reason(tmp_path):
    archive = Suppression("历史存档", (), ("archive/*",), tmp_path)
    no_veto = Suppression("一票否决另行处理", ("veto", "t-veto*"), (), tmp_path)
    veto = replace(finding(), rule="t-veto", category="veto", excerpt="一票否决", context="实行一票否决。")
    path = str(tmp_path / "archive" / "old.txt")
    assert suppresses(archive, finding(), path) and not suppresses(archive, finding(), str(tmp_path / "new.txt"))
    assert suppresses(no_veto, veto, "x.txt") and not suppresses(no_veto, finding(), "x.txt")
    by_name = Suppression("按文件名", (), ("*.txt",), tmp_path)
    assert suppresses(by_name, finding(), "/anywhere/deep/x.txt")
    result = triage(result_with(finding(), veto, path=str(tmp_path / "new.txt")), (archive, no_veto), None)
    assert [f.rule for f in result.findings] == ["t-photo"]
    assert result.suppressed == {"一票否决另行处理": 1} and result.baselined == 0


def test_unreadable_results_pass_through():
    broken = DocumentResult("x.docx", "docx", error="坏了", error_kind="unreadable")
    assert triage(broken, (Suppression("x"),), None) is broken


# ----------------------------------------------------------------- through the CLI

@pytest.fixture
def office(tmp_path: Path, tiny_rules: Path) -> Path:
    (tmp_path / ".jianfu-audit.toml").write_text(f"rules = ['{tiny_rules.as_posix()}']\nselect = ['t-*']\n", encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.txt").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "drafts" / "clean.txt").write_text("今天天气很好。\n", encoding="utf-8")
    return tmp_path


def check_json(cli, *args) -> tuple[int, dict]:
    result = cli("check", *args, "-f", "json")
    return result.exit_code, json.loads(result.stdout)


def test_baseline_then_check_reports_only_new_findings(cli, office, monkeypatch):
    made = cli("baseline", office / "drafts", "-o", office / "baseline.json")
    assert made.exit_code == 0 and "2 处问题" in made.stderr
    data = json.loads((office / "baseline.json").read_text(encoding="utf-8"))
    assert list(data["documents"]) == ["drafts/a.txt"]
    assert {e["rule"] for e in data["documents"]["drafts/a.txt"]} == {"t-photo", "t-veto"}

    code, report = check_json(cli, office / "drafts", "--baseline", office / "baseline.json")
    assert code == 0 and report["summary"]["findings"] == 0
    assert report["summary"]["suppressed"] == {"total": 2, "baseline": 2, "config": 0, "reasons": {}}
    assert report["documents"][0]["suppressed"]["baseline"] == 2

    # An unrelated paragraph shifts every line: nothing revives.
    draft = office / "drafts" / "a.txt"
    draft.write_text("根据县委要求，现将有关事项通知如下。\n\n" + DRAFT, encoding="utf-8")
    code, report = check_json(cli, office / "drafts", "--baseline", office / "baseline.json")
    assert code == 0 and report["summary"]["findings"] == 0

    # A new demand is reported and fails the run; the old ones stay hidden.
    draft.write_text(draft.read_text(encoding="utf-8") + "各村每周五报送进度。\n", encoding="utf-8")
    code, report = check_json(cli, office / "drafts", "--baseline", office / "baseline.json")
    assert code == 1
    assert [f["rule"] for d in report["documents"] for f in d["findings"]] == ["t-village-report"]
    assert report["summary"]["suppressed"]["baseline"] == 2

    # Paths in the baseline are relative to its own folder, so the cwd does not matter.
    monkeypatch.chdir(office / "drafts")
    code, report = check_json(cli, "a.txt", "--baseline", "../baseline.json")
    assert report["summary"]["suppressed"]["baseline"] == 2


def test_editing_the_flagged_sentence_revives_it(cli, office):
    cli("baseline", office / "drafts", "-o", office / "baseline.json")
    draft = office / "drafts" / "a.txt"
    draft.write_text(DRAFT.replace("各村每天拍照上传", "各村每天两次拍照上传"), encoding="utf-8")
    code, report = check_json(cli, office / "drafts", "--baseline", office / "baseline.json")
    assert code == 1 and [f["rule"] for d in report["documents"] for f in d["findings"]] == ["t-photo"]


def test_config_suppressions_are_counted_in_json(cli, office):
    config = office / ".jianfu-audit.toml"
    config.write_text(config.read_text(encoding="utf-8") + "[[suppress]]\nreason = '一票否决由考核办统一清理'\nrules = ['veto']\n", encoding="utf-8")
    code, report = check_json(cli, office / "drafts")
    assert [f["rule"] for d in report["documents"] for f in d["findings"]] == ["t-photo"]
    assert report["summary"]["suppressed"] == {"total": 1, "baseline": 0, "config": 1, "reasons": {"一票否决由考核办统一清理": 1}}
    doc = next(d for d in report["documents"] if d["path"].endswith("a.txt"))
    assert doc["suppressed"]["reasons"] == {"一票否决由考核办统一清理": 1}


@pytest.mark.parametrize(("content", "expected"), [(None, "不存在"), ("{oops", "无法读取"), ('{"documents": {}}', "格式不对")])
def test_bad_baseline_file_is_one_line_exit_2(cli, office, content, expected):
    path = office / "baseline.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = cli("check", office / "drafts", "--baseline", path)
    assert result.exit_code == 2
    assert expected in result.stderr and "baseline.json" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_baseline_command_reports_unreadable_inputs(cli, office):
    (office / "drafts" / "broken.docx").write_bytes(b"not a zip")
    result = cli("baseline", office / "drafts", "-o", office / "baseline.json")
    assert result.exit_code == 2 and "broken.docx" in result.stderr
    assert "drafts/a.txt" in json.loads((office / "baseline.json").read_text(encoding="utf-8"))["documents"]


# ----------------------------------------------------------------- --date and --ocr, as for check

def test_baseline_with_the_date_check_uses_hides_its_deadline_findings(cli, tmp_path):
    """A baseline recorded without check's ``--date`` records other deadline findings."""
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "通知.txt").write_text("各乡镇于2025年10月9日前报送材料。\n", encoding="utf-8")
    select = ("--select", "deadline-too-short")
    dated, undated = tmp_path / "dated.json", tmp_path / "undated.json"
    assert cli("baseline", tmp_path / "drafts", "-o", dated, *select, "--date", "2025-10-06").exit_code == 0
    assert cli("baseline", tmp_path / "drafts", "-o", undated, *select).exit_code == 0
    recorded = json.loads(dated.read_text(encoding="utf-8"))["documents"]
    assert [e["rule"] for e in recorded["drafts/通知.txt"]] == ["deadline-too-short"]
    assert json.loads(undated.read_text(encoding="utf-8"))["documents"] == {}

    code, report = check_json(cli, tmp_path / "drafts", *select, "--date", "2025-10-06", "--baseline", dated)
    assert code == 0 and report["summary"]["findings"] == 0 and report["summary"]["suppressed"]["baseline"] == 1
    code, report = check_json(cli, tmp_path / "drafts", *select, "--date", "2025-10-06", "--baseline", undated)
    assert code == 1 and [f["rule"] for d in report["documents"] for f in d["findings"]] == ["deadline-too-short"]


def test_baseline_bad_date_is_one_line_exit_2(cli, office):
    result = cli("baseline", office / "drafts", "-o", office / "baseline.json", "--date", "10/06/2025")
    assert result.exit_code == 2 and "--date" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert not (office / "baseline.json").exists()
