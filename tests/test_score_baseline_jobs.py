"""``score --jobs N`` and ``baseline --jobs N``: the shared process pool, with output
byte-identical to a serial run; ``--date`` and ``--ocr`` reach the settings as for ``check``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import SAMPLES
from jianfu_audit import pipeline
from jianfu_audit.cli import baseline as baseline_cli
from jianfu_audit.cli import score as score_cli


def command_output(cli, command: str, out: Path, *args: str) -> tuple[int, bytes]:
    """Exit code and what ``command`` wrote: stdout for ``score``, the file for ``baseline``."""
    if command == "baseline":
        out.parent.mkdir()
        result = cli("baseline", SAMPLES, "-o", out, *args)
        return result.exit_code, out.read_bytes()
    result = cli("score", SAMPLES, *args)
    return result.exit_code, result.stdout.encode()


@pytest.mark.parametrize(
    ("command", "args"),
    [("score", ["-f", "json"]), ("score", ["-f", "csv"]), ("score", ["-f", "table"]), ("baseline", [])],
)
def test_two_jobs_byte_identical_to_one(cli, tmp_path, command, args):
    serial = command_output(cli, command, tmp_path / "1" / "b.json", *args, "--jobs", "1")
    parallel = command_output(cli, command, tmp_path / "2" / "b.json", *args, "-j", "2")
    assert parallel == serial
    assert serial[1].count(b"01-burden-campaign.txt") == 1 and b"04-burden-grid.pdf" in serial[1]


@pytest.mark.parametrize("module", [score_cli, baseline_cli], ids=["score", "baseline"])
def test_jobs_reach_the_pool(cli, tmp_path, monkeypatch, module):
    """``--jobs`` goes to ``pipeline.run``; without it, one process per core as for ``check``."""
    seen: list[int] = []

    def spy(files, ruleset, settings, jobs=1):
        seen.append(jobs)
        return pipeline.run(files, ruleset, settings, 1)

    monkeypatch.setattr(module, "run", spy)
    name = module.__name__.rsplit(".", 1)[-1]
    out = ["-o", tmp_path / "b.json"] if name == "baseline" else ["-f", "json"]
    assert cli(name, SAMPLES, *out, "--jobs", "3").exit_code in (0, 1)
    assert cli(name, SAMPLES, *out).exit_code in (0, 1)
    assert seen == [3, pipeline.default_jobs()]


@pytest.mark.parametrize("command", ["score", "baseline"])
@pytest.mark.parametrize("value", ["0", "two"])
def test_bad_jobs_value_is_one_line_exit_2(cli, tmp_path, command, value):
    result = cli(command, SAMPLES, "-o", tmp_path / "out", "--jobs", value)
    assert result.exit_code == 2 and "--jobs" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("module", [score_cli, baseline_cli], ids=["score", "baseline"])
def test_date_and_ocr_reach_the_settings(cli, tmp_path, monkeypatch, module):
    """``--date`` and ``--ocr`` as in ``check``; without ``--ocr`` the config's ``ocr`` holds."""
    seen: list[tuple[date | None, bool]] = []

    def spy(files, ruleset, settings, jobs=1):
        seen.append((settings.document_date, settings.ocr))
        return pipeline.run(files, ruleset, settings, 1)

    monkeypatch.setattr(module, "run", spy)
    name = module.__name__.rsplit(".", 1)[-1]
    (tmp_path / "a.txt").write_text("会议在三楼召开。\n", encoding="utf-8")
    out = ["-o", tmp_path / "b.json"] if name == "baseline" else ["-f", "json"]
    assert cli(name, tmp_path / "a.txt", *out).exit_code == 0
    assert cli(name, tmp_path / "a.txt", *out, "--date", "2025-10-06", "--ocr").exit_code == 0
    (tmp_path / ".jianfu-audit.toml").write_text("ocr = true\n", encoding="utf-8")
    assert cli(name, tmp_path / "a.txt", *out).exit_code == 0
    assert seen == [(None, False), (date(2025, 10, 6), True), (None, True)]
