"""The command line: exit codes, the JSON contract, batches, stdin, pipes, ``rules``.

Most runs use the test-owned rules (``--rules tests/fixtures/rules --select 't-*'``)
so they do not depend on what the bundled pack contains.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from conftest import SAMPLES, TINY_RULES, build_pdf, run_process
from jianfu_audit import __version__
from jianfu_audit.extract import extract

ONLY_TINY = ["--rules", str(TINY_RULES), "--select", "t-*"]
BURDEN = "关于做好迎检工作的通知\n各村每天拍照上传保洁情况。\n年度考核实行一票否决。\n"
INFO_ONLY = "请于2小时内报送。\n"
CLEAN = "关于调整夏季工作时间的通知\n食堂午餐时间调整为十一点四十分。\n"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def check_json(cli, *args, stdin: bytes = b""):
    result = cli("check", "--format", "json", *ONLY_TINY, *args, stdin=stdin)
    assert result.stdout, result.stderr
    return result.exit_code, json.loads(result.stdout)


# ------------------------------------------------------------------ exit codes

def test_exit_0_when_clean(cli, tmp_path):
    result = cli("check", *ONLY_TINY, write(tmp_path / "a.txt", CLEAN))
    assert result.exit_code == 0, result.stdout + result.stderr


def test_exit_1_when_findings_fail(cli, tmp_path):
    result = cli("check", *ONLY_TINY, write(tmp_path / "a.txt", BURDEN))
    assert result.exit_code == 1


def test_info_findings_do_not_fail_by_default(cli, tmp_path):
    path = write(tmp_path / "a.txt", INFO_ONLY)
    code, data = check_json(cli, path)
    assert [f["rule"] for f in data["documents"][0]["findings"]] == ["t-hours"]
    assert code == 0
    assert cli("check", *ONLY_TINY, "--fail-on", "info", path).exit_code == 1


def test_fail_on_never_and_error(cli, tmp_path):
    path = write(tmp_path / "a.txt", "各村每天拍照上传保洁情况。\n")  # a warning
    assert cli("check", *ONLY_TINY, "--fail-on", "never", path).exit_code == 0
    assert cli("check", *ONLY_TINY, "--fail-on", "error", path).exit_code == 0
    assert cli("check", *ONLY_TINY, "--fail-on", "warning", path).exit_code == 1


def test_severity_option_filters_the_report(cli, tmp_path):
    path = write(tmp_path / "a.txt", BURDEN + INFO_ONLY)
    _, data = check_json(cli, "--severity", "error", path)
    assert {f["severity"] for f in data["documents"][0]["findings"]} == {"error"}
    _, data = check_json(cli, "--severity", "info", path)
    assert {f["severity"] for f in data["documents"][0]["findings"]} == {"error", "warning", "info"}


@pytest.mark.parametrize(
    "args",
    [["--format", "xml"], ["--severity", "fatal"], ["--fail-on", "sometimes"], ["--no-such-option"], []],
    ids=["format", "severity", "fail-on", "unknown-option", "no-path"],
)
def test_usage_errors_exit_2(cli, tmp_path, args):
    path = write(tmp_path / "a.txt", CLEAN)
    result = cli("check", *args, *([path] if args else []))
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_path_exits_2_and_is_named(cli, tmp_path):
    good = write(tmp_path / "good.txt", BURDEN)
    code, data = check_json(cli, good, str(tmp_path / "nope.txt"))
    assert code == 2
    assert len(data["documents"]) == 1 and data["documents"][0]["findings"]
    assert str(tmp_path / "nope.txt") in json.dumps(data["summary"], ensure_ascii=False)


def test_unreadable_file_does_not_stop_the_batch(cli, tmp_path):
    build_pdf(tmp_path / "a-scan.pdf", [[]])
    write(tmp_path / "b-broken.docx", "not a zip")
    write(tmp_path / "c-good.txt", BURDEN)
    code, data = check_json(cli, tmp_path)
    assert code == 2
    documents = {Path(d["path"]).name: d for d in data["documents"]}
    assert set(documents) == {"a-scan.pdf", "b-broken.docx", "c-good.txt"}
    assert documents["a-scan.pdf"]["error"] and "扫描" in documents["a-scan.pdf"]["error"]
    assert documents["a-scan.pdf"]["findings"] == []
    assert documents["b-broken.docx"]["error"]
    assert documents["c-good.txt"]["error"] is None
    assert {f["rule"] for f in documents["c-good.txt"]["findings"]} == {"t-photo", "t-veto"}
    assert data["summary"]["documents"] == 3 and data["summary"]["failed"] == 2


def test_unreadable_file_in_text_output(cli, tmp_path):
    build_pdf(tmp_path / "scan.pdf", [[]])
    write(tmp_path / "good.txt", CLEAN)
    result = cli("check", *ONLY_TINY, tmp_path)
    assert result.exit_code == 2
    assert "scan.pdf" in result.stdout and "扫描" in result.stdout


# ------------------------------------------------------------------ JSON contract

FINDING_KEYS = {"rule", "category", "severity", "message", "suggestion", "citation", "excerpt",
                "start", "end", "line", "column", "page", "paragraph"}


def test_json_contract(cli, tmp_path):
    path = write(tmp_path / "a.txt", "标题\n\n　　各村每天拍照上传保洁情况，考核实行一票否决。\n请于2小时内报送。\n")
    code, data = check_json(cli, path)
    assert code == 1
    assert {"tool", "documents", "summary"} <= set(data)
    assert data["tool"]["name"] == "jianfu-audit" and data["tool"]["version"] == __version__
    (document,) = data["documents"]
    assert {"path", "format", "chars", "error", "findings"} <= set(document)
    assert document["path"] == str(path) and document["format"] == "txt" and document["error"] is None
    text = extract(path).text
    assert document["chars"] == len(text)
    findings = document["findings"]
    assert [f["rule"] for f in findings] == ["t-photo", "t-veto", "t-hours"]
    for finding in findings:
        assert FINDING_KEYS <= set(finding)
        assert finding["severity"] in ("error", "warning", "info")
        assert isinstance(finding["citation"], list) and all(isinstance(c, str) for c in finding["citation"])
        assert finding["message"] and finding["suggestion"]
        start, end = finding["start"], finding["end"]
        assert finding["excerpt"] == text[start:end]
        assert finding["line"] == text.count("\n", 0, start) + 1
        assert finding["column"] == start - (text.rfind("\n", 0, start) + 1) + 1
        assert finding["page"] is None and isinstance(finding["paragraph"], int)
    photo = findings[0]
    assert (photo["category"], photo["severity"], photo["line"], photo["column"], photo["paragraph"]) == (
        "trace", "warning", 3, 7, 2)
    summary = data["summary"]
    assert {"documents", "failed", "findings", "by_category", "by_severity"} <= set(summary)
    assert (summary["documents"], summary["failed"], summary["findings"]) == (1, 0, 3)
    assert summary["by_category"] == {"trace": 1, "veto": 1, "deadline": 1}
    assert summary["by_severity"] == {"error": 1, "warning": 1, "info": 1}


@pytest.mark.parametrize("name", ["03-burden-table.docx", "04-burden-grid.pdf", "02-burden-inspection-gbk.txt"])
def test_offsets_index_the_extract_output_for_every_format(cli, name):
    path = SAMPLES / name
    text = cli("extract", path).stdout
    result = cli("check", "--format", "json", "--fail-on", "never", path)
    assert result.exit_code == 0, result.stderr
    (document,) = json.loads(result.stdout)["documents"]
    assert document["chars"] == len(text)
    assert document["findings"], "the bundled veto rule should fire on this sample"
    for finding in document["findings"]:
        assert finding["excerpt"] == text[finding["start"] : finding["end"]]
        assert finding["line"] == text.count("\n", 0, finding["start"]) + 1
    if name.endswith(".pdf"):
        assert {f["page"] for f in document["findings"]} >= {2}
        assert document.get("pages") == 4


def test_docx_table_location_in_json(cli, tmp_path):
    from conftest import build_docx

    path = build_docx(tmp_path / "t.docx", header="页眉", body=["正文。", [["任务", "各村每天拍照上传。"]]])
    _, data = check_json(cli, path)
    (finding,) = data["documents"][0]["findings"]
    assert (finding["table"], finding["row"], finding["cell"]) == (1, 1, 2)


# ------------------------------------------------------------------ inputs

def test_folder_recursion_hidden_and_unsupported(cli, tmp_path):
    write(tmp_path / "a.txt", BURDEN)
    write(tmp_path / "sub" / "deeper" / "b.txt", BURDEN)
    write(tmp_path / ".hidden.txt", BURDEN)
    write(tmp_path / ".secret" / "c.txt", BURDEN)
    write(tmp_path / "sub" / "data.bin", "x")
    write(tmp_path / "sub" / "表格.xyz", "x")
    code, data = check_json(cli, tmp_path)
    paths = sorted(Path(d["path"]).relative_to(tmp_path).as_posix() for d in data["documents"])
    assert paths == ["a.txt", "sub/deeper/b.txt"]
    unsupported = data["summary"].get("unsupported")
    assert sorted(Path(p).name for p in unsupported) == ["data.bin", "表格.xyz"]
    text = cli("check", *ONLY_TINY, tmp_path).stdout
    assert "data.bin" in text and "表格.xyz" in text and ".hidden" not in text


def test_explicit_hidden_file_is_checked(cli, tmp_path):
    # hiding applies to folder walks; a file named on the command line is checked
    path = write(tmp_path / ".draft.txt", BURDEN)
    code, data = check_json(cli, path)
    assert [d["path"] for d in data["documents"]] == [str(path)]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--include", "*.txt"], ["a.txt", "keep/b.txt"]),
        (["--include", "keep/*"], ["keep/b.txt", "keep/c.docx"]),
        (["--exclude", "keep/*"], ["a.txt"]),
        (["--exclude", "*.docx"], ["a.txt", "keep/b.txt"]),
        (["--include", "*.txt", "--exclude", "a.*"], ["keep/b.txt"]),
        (["--include", "*.txt,*.docx", "--exclude", "b.txt"], ["a.txt", "keep/c.docx"]),
    ],
)
def test_include_exclude_globs(cli, tmp_path, options, expected):
    from conftest import build_docx

    write(tmp_path / "a.txt", CLEAN)
    write(tmp_path / "keep" / "b.txt", CLEAN)
    build_docx(tmp_path / "keep" / "c.docx", body=["正文。"])
    _, data = check_json(cli, *options, tmp_path)
    assert sorted(Path(d["path"]).relative_to(tmp_path).as_posix() for d in data["documents"]) == expected


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_stdin(cli, encoding):
    code, data = check_json(cli, "-", stdin=BURDEN.encode(encoding))
    assert code == 1
    (document,) = data["documents"]
    assert document["path"] == "<stdin>" and document["format"] == "txt"
    assert {f["rule"] for f in document["findings"]} == {"t-photo", "t-veto"}
    photo = next(f for f in document["findings"] if f["rule"] == "t-photo")
    assert BURDEN[photo["start"] : photo["end"]] == photo["excerpt"] == "拍照上传"


def test_stdin_together_with_files(cli, tmp_path):
    path = write(tmp_path / "a.txt", CLEAN)
    code, data = check_json(cli, path, "-", stdin=BURDEN.encode())
    assert [d["path"] for d in data["documents"]] == [str(path), "<stdin>"]
    assert code == 1


# ------------------------------------------------------------------ text output

def test_text_report_content(cli, tmp_path):
    path = write(tmp_path / "a.txt", BURDEN)
    result = cli("check", *ONLY_TINY, path)
    out = result.stdout
    assert f"{path}:2:5" in out  # file:line:column of 拍照上传
    assert "t-photo" in out and "t-veto" in out
    assert "要求拍照上传作为留痕。" in out and "删除拍照上传要求。" in out and "RG-2024-10" in out
    assert "各村每天拍照上传保洁情况。" in out
    assert "共检查 1 个文件" in out
    assert not ANSI.search(out)


def test_piped_text_output_has_no_ansi_codes(tmp_path):
    path = write(tmp_path / "a.txt", BURDEN)
    done = run_process([sys.executable, "-m", "jianfu_audit", "check", *ONLY_TINY, str(path)])
    out = done.stdout.decode("utf-8")
    assert done.returncode == 1, done.stderr.decode()
    assert "t-photo" in out
    assert not ANSI.search(out), repr(out[:200])


def test_python_dash_m_and_console_script(tmp_path):
    path = write(tmp_path / "a.txt", BURDEN)
    module = run_process([sys.executable, "-m", "jianfu_audit", "check", "-f", "json", *ONLY_TINY, str(path)])
    assert module.returncode == 1, module.stderr.decode()
    assert json.loads(module.stdout)["summary"]["findings"] == 2
    script = Path(sys.executable).with_name("jianfu-audit")
    if script.exists():
        done = run_process([str(script), "check", "-f", "json", *ONLY_TINY, str(path)])
        assert done.returncode == 1 and json.loads(done.stdout) == json.loads(module.stdout)
    helped = run_process([sys.executable, "-m", "jianfu_audit", "--help"])
    assert helped.returncode == 0 and "check" in helped.stdout.decode()


def test_output_file(cli, tmp_path):
    path = write(tmp_path / "a.txt", BURDEN)
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    result = cli("check", "-f", "json", "-o", target, *ONLY_TINY, path)
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["findings"] == 2


# ------------------------------------------------------------------ rules commands

def test_rules_list_bundled_and_extra(cli):
    result = cli("rules", "list", "--rules", TINY_RULES)
    assert result.exit_code == 0
    assert "veto-one-vote" in result.stdout and "t-photo" in result.stdout
    listed = json.loads(cli("rules", "list", "--format", "json", "--rules", TINY_RULES).stdout)
    by_id = {r["id"]: r for r in listed}
    assert {"veto-one-vote", "t-photo", "t-meeting", "t-hours"} <= set(by_id)
    assert by_id["t-photo"]["category"] == "trace" and by_id["t-photo"]["severity"] == "warning"
    assert by_id["t-photo"]["source"].endswith("basic.yaml")
    plain = json.loads(cli("rules", "list", "--format", "json").stdout)
    assert "t-photo" not in {r["id"] for r in plain}


def test_rules_show(cli):
    result = cli("rules", "show", "t-photo", "--rules", TINY_RULES)
    assert result.exit_code == 0
    for text in ("t-photo", "trace", "要求拍照上传作为留痕。", "删除拍照上传要求。", "RG-2024-10",
                 "各村每天拍照上传保洁情况。", "不得要求基层拍照上传。", "t-prohibition"):
        assert text in result.stdout, text


def test_rules_show_unknown_id(cli):
    result = cli("rules", "show", "no-such-rule")
    assert result.exit_code == 2 and "no-such-rule" in result.stderr


def test_rules_test_passes_on_good_examples(cli):
    result = cli("rules", "test", TINY_RULES)
    assert result.exit_code == 0, result.stdout
    assert "6 条规则" in result.stdout and "0 个失败" in result.stdout


def test_rules_test_reports_failing_examples(cli, tmp_path):
    folder = tmp_path / "bad"
    write(folder / "r.yaml", (
        "rules:\n"
        "  - id: u-photo\n"
        "    category: trace\n"
        "    severity: warning\n"
        "    message: 要求拍照上传。\n"
        "    suggestion: 删除。\n"
        "    citation: [RG-2024-10]\n"
        "    pattern: {terms: [拍照上传]}\n"
        "    examples:\n"
        "      positive: [各组每天拍照上传。, 各户拍照上传。]\n"
        "      negative: [各村拍照上传。, 会议在三楼召开。]\n"
    ))
    result = cli("rules", "test", folder)
    assert result.exit_code == 1
    assert "u-photo" in result.stdout and "各村拍照上传。" in result.stdout and "1 个失败" in result.stdout


def test_bundled_rules_pass_their_own_examples(cli):
    result = cli("rules", "test")
    assert result.exit_code == 0, result.stdout
