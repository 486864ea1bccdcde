"""``--jobs N``: the same results in the same order as a serial run, a bounded
window of work in flight (memory stays flat), and a crashing worker costs only
its own file."""

from __future__ import annotations

import json
import os
import pickle
import signal
import tempfile
import time
from pathlib import Path

import pytest

from conftest import TINY_RULES, build_docx, build_pdf
from jianfu_audit import pipeline
from jianfu_audit.pipeline import IN_FLIGHT_PER_JOB, check_input, collect, run
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.settings import Settings

ONLY_TINY = ["--rules", str(TINY_RULES), "--select", "t-*"]
DEMANDS = ["各村每天拍照上传保洁情况。", "年度考核实行一票否决。", "请于2小时内报送。", "各乡镇每周一召开调度会。"]


@pytest.fixture(scope="module")
def ruleset():
    return load_rules([TINY_RULES], bundled=False)


def mixed_batch(root: Path, count: int) -> Path:
    """``count`` notices in txt, docx and pdf (some broken), of varied length."""
    root.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        lines = [f"第{index}号通知"] + [DEMANDS[(index + k) % len(DEMANDS)] for k in range(index % 7 + 1)]
        name = root / f"{index:03d}"
        if index % 11 == 5:
            name.with_suffix(".docx").write_bytes(b"not a zip at all")
        elif index % 3 == 0:
            name.with_suffix(".txt").write_text("\n".join(lines), encoding="utf-8")
        elif index % 3 == 1:
            build_docx(name.with_suffix(".docx"), body=lines)
        else:
            build_pdf(name.with_suffix(".pdf"), [lines])
    return root


def summary_of(results) -> list[tuple]:
    return [
        (r.path, r.format, r.chars, r.error, r.error_kind, [f.to_json() for f in r.findings])
        for r in results
    ]


def test_two_jobs_equal_serial_run(tmp_path, ruleset):
    files = collect([str(mixed_batch(tmp_path, 36))], Settings()).files
    serial = summary_of(run(files, ruleset, Settings(), jobs=1))
    parallel = summary_of(run(files, ruleset, Settings(), jobs=2))
    assert parallel == serial
    assert [row[0] for row in parallel] == files
    assert any(row[3] for row in serial) and any(row[5] for row in serial)


def test_findings_cross_the_process_boundary_unchanged(tmp_path):
    """Findings are pickled as their field values (``Finding.__reduce__``)."""
    notice = tmp_path / "notice.txt"
    notice.write_text("关于迎检的通知\n各村每天拍照上传保洁情况，请于今日下午5点前报送。\n", encoding="utf-8")
    findings = check_input(str(notice), load_rules(), Settings()).findings
    assert findings and any(finding.extra for finding in findings)
    copies = pickle.loads(pickle.dumps(findings, pickle.HIGHEST_PROTOCOL))
    assert copies == findings
    assert [copy.to_json() for copy in copies] == [finding.to_json() for finding in findings]


def test_order_holds_when_the_first_input_is_the_slowest(tmp_path, ruleset):
    (tmp_path / "000-long.txt").write_text("\n".join(DEMANDS * 3000), encoding="utf-8")
    for index in range(1, 12):
        (tmp_path / f"{index:03d}.txt").write_text(DEMANDS[index % 4], encoding="utf-8")
    files = collect([str(tmp_path)], Settings()).files
    results = list(run(files, ruleset, Settings(), jobs=2))
    assert [r.path for r in results] == files
    assert summary_of(results) == summary_of(check_input(f, ruleset, Settings()) for f in files)


def test_cli_json_identical_for_jobs_1_and_2(cli, tmp_path):
    folder = mixed_batch(tmp_path / "in", 24)
    outputs = [cli("check", "--format", "json", *ONLY_TINY, "--jobs", jobs, folder) for jobs in ("1", "2")]
    assert outputs[0].exit_code == outputs[1].exit_code == 2
    assert outputs[0].stdout == outputs[1].stdout
    assert len(json.loads(outputs[0].stdout)["documents"]) == 24


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_bad_jobs_value(cli, tmp_path, value):
    path = tmp_path / "a.txt"
    path.write_text(DEMANDS[0], encoding="utf-8")
    result = cli("check", "--jobs", value, path)
    assert result.exit_code == 2 and "--jobs" in result.stderr and "Traceback" not in result.stderr


def _touch_then_check(marks: str, path: str, ruleset, settings):
    Path(marks, Path(path).name).touch()
    return check_input(path, ruleset, settings)


def test_work_in_flight_is_bounded(tmp_path, ruleset, monkeypatch):
    """Workers run at most ``jobs × IN_FLIGHT_PER_JOB`` inputs ahead of the reader,
    so a slow reader never makes the batch pile up in memory."""
    folder, marks = tmp_path / "in", tmp_path / "marks"
    folder.mkdir()
    marks.mkdir()
    for index in range(60):
        (folder / f"{index:03d}.txt").write_text(DEMANDS[index % 4], encoding="utf-8")
    files = collect([str(folder)], Settings()).files
    original = pipeline.check_input
    monkeypatch.setattr(pipeline, "check_input", lambda p, r, s: _touch_then_check(str(marks), p, r, s) if p != "-" else original(p, r, s))
    results = run(files, ruleset, Settings(), jobs=2)
    first = next(results)
    time.sleep(1.5)  # plenty for two workers to run far ahead if nothing held them back
    started = len(os.listdir(marks))
    assert first.path == files[0]
    assert started <= 2 * IN_FLIGHT_PER_JOB + 1
    assert len(list(results)) == 59
    assert len(os.listdir(marks)) == 60


def _crash_on_bad(path: str, ruleset, settings):
    if path.endswith("crash.txt"):
        os._exit(3)  # a parser segfault looks like this to the pool
    return check_input(path, ruleset, settings)


def test_a_crashing_worker_costs_only_its_file(tmp_path, ruleset, monkeypatch):
    for index in range(10):
        (tmp_path / f"{index:03d}.txt").write_text(DEMANDS[index % 4], encoding="utf-8")
    (tmp_path / "004-crash.txt").write_text(DEMANDS[0], encoding="utf-8")
    files = collect([str(tmp_path)], Settings()).files
    monkeypatch.setattr(pipeline, "check_input", _crash_on_bad)
    results = list(run(files, ruleset, Settings(), jobs=2))
    assert [r.path for r in results] == files
    crashed = [r for r in results if r.error_kind == "crashed"]
    assert [Path(r.path).name for r in crashed] == ["004-crash.txt"]
    assert "崩溃" in crashed[0].error
    assert all(r.error is None and r.findings for r in results if r not in crashed)


def test_stdin_among_files_is_read_by_the_parent(cli, tmp_path):
    for index in range(4):
        (tmp_path / f"{index}.txt").write_text(DEMANDS[index], encoding="utf-8")
    args = ["check", "--format", "json", *ONLY_TINY, "--jobs", "2", tmp_path / "0.txt", "-", tmp_path / "1.txt", tmp_path / "2.txt"]
    result = cli(*args, stdin="年度考核实行一票否决。".encode())
    paths = [Path(d["path"]).name for d in json.loads(result.stdout)["documents"]]
    assert paths == ["0.txt", "<stdin>", "1.txt", "2.txt"]
    stdin_doc = json.loads(result.stdout)["documents"][1]
    assert [f["rule"] for f in stdin_doc["findings"]] == ["t-veto"]


needs_timer = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="the time limit needs setitimer (not on Windows)")


def _slow_extract(stuck_in_c: bool, starts: Path | None = None):
    """An extractor that takes 30 s on ``*slow.txt``: in Python code, or as if stuck in a
    parser's C code (the timer signal blocked, so only the watchdog can end it). Each
    start on such a file adds a line to ``starts``."""
    original = pipeline.extract

    def extract(path, settings):
        if path.name.endswith("slow.txt"):
            if starts is not None:
                with open(starts, "a") as log:
                    log.write("start\n")
            if stuck_in_c:
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(30)
        return original(path, settings)

    return extract


@needs_timer
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_over_the_time_limit_costs_only_itself(tmp_path, ruleset, monkeypatch, jobs):
    for index in range(6):
        (tmp_path / f"{index:03d}.txt").write_text(DEMANDS[index % 4], encoding="utf-8")
    (tmp_path / "003-slow.txt").write_text(DEMANDS[0], encoding="utf-8")
    files = collect([str(tmp_path)], Settings()).files
    monkeypatch.setattr(pipeline, "extract", _slow_extract(stuck_in_c=False))
    started = time.monotonic()
    results = list(run(files, ruleset, Settings(timeout=0.5), jobs=jobs))
    assert time.monotonic() - started < 20
    assert [r.path for r in results] == files
    late = [r for r in results if r.error_kind == "timeout"]
    assert [Path(r.path).name for r in late] == ["003-slow.txt"]
    assert "超过 0.5 秒" in late[0].error and "--timeout" in late[0].error
    assert all(r.error is None and r.findings for r in results if r not in late)


@needs_timer
def test_a_worker_stuck_where_no_signal_reaches_is_ended_by_the_watchdog(tmp_path, ruleset, monkeypatch):
    for index in range(4):
        (tmp_path / f"{index:03d}.txt").write_text(DEMANDS[index % 4], encoding="utf-8")
    (tmp_path / "001-slow.txt").write_text(DEMANDS[0], encoding="utf-8")
    files = collect([str(tmp_path)], Settings()).files
    starts = tmp_path.parent / f"{tmp_path.name}-starts.log"
    monkeypatch.setattr(pipeline, "extract", _slow_extract(stuck_in_c=True, starts=starts))
    monkeypatch.setattr(pipeline, "TIMEOUT_GRACE", 0.5)
    temporary = tmp_path.parent / f"{tmp_path.name}-tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    results = list(run(files, ruleset, Settings(timeout=0.5), jobs=2))
    assert list(temporary.iterdir()) == []  # the workers' markers folder is removed
    assert [r.path for r in results] == files
    assert [Path(r.path).name for r in results if r.error_kind == "timeout"] == ["001-slow.txt"]
    assert all(r.error is None for r in results if not r.path.endswith("slow.txt"))
    # The worker's marker named the file: it is not checked again (another full wait) to find the culprit.
    assert starts.read_text().splitlines() == ["start"]


@pytest.mark.parametrize("value", ["abc", "-1", "inf"])
def test_bad_timeout_value(cli, tmp_path, value):
    (tmp_path / "a.txt").write_text(DEMANDS[0], encoding="utf-8")
    result = cli("check", "--timeout", value, tmp_path)
    assert result.exit_code == 2 and "--timeout" in result.stderr and "Traceback" not in result.stderr


def test_timeout_zero_means_no_limit():
    from jianfu_audit.cli.app import parse_timeout

    assert parse_timeout("0") is None
    assert parse_timeout("2.5") == 2.5
    assert parse_timeout(None) == Settings.timeout


@needs_timer
def test_cli_reports_a_timed_out_file_in_json_and_exits_2(cli, tmp_path):
    (tmp_path / "a.txt").write_text("\n".join(DEMANDS * 50), encoding="utf-8")
    result = cli("check", "-f", "json", "--jobs", "1", "--timeout", "0.0001", tmp_path)
    assert result.exit_code == 2
    (document,) = json.loads(result.stdout)["documents"]
    assert document["error_kind"] == "timeout" and document["score"] is None
    assert json.loads(result.stdout)["summary"]["failed"] == 1
