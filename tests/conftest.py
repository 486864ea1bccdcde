"""Shared fixtures: paths, a tiny rule pack, in-process CLI runs, document builders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY_RULES = FIXTURES / "rules"
REVIEW_RULES = FIXTURES / "review" / "rules.yaml"


def rule_yaml(pattern: str = "terms: [会议]", rule_id: str = "x-rule") -> str:
    """A one-rule YAML file whose ``pattern:`` mapping is ``pattern`` (on line 9)."""
    return f"""\
rules:
  - id: {rule_id}
    category: meeting
    severity: warning
    message: 测试说明
    suggestion: 测试建议
    citation: [RG-2024-04]
    pattern:
      {pattern}
    examples:
      positive: [会议在三楼召开。, 会议由县长主持。]
      negative: [会议室在三楼。, 没有相关内容。]
"""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes tens of seconds (builds a wheel, makes a venv); runs in CI")
    # The tests' rule files live at new temporary paths on every run: their cache
    # entries go to a folder of this session (inherited by the CLI subprocesses),
    # not to the user's own cache.
    config.stash[_CACHE_KEY] = tempfile.mkdtemp(prefix="jianfu-audit-test-cache-")
    os.environ["JIANFU_AUDIT_CACHE_DIR"] = config.stash[_CACHE_KEY]


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CACHE_KEY in config.stash:
        shutil.rmtree(config.stash[_CACHE_KEY], ignore_errors=True)


_CACHE_KEY = pytest.StashKey[str]()


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_main(args: list[str], stdin: bytes = b"", monkeypatch: pytest.MonkeyPatch | None = None) -> CliResult:
    """Run ``jianfu_audit.cli.main`` in this process, as the console script would.

    Goes through ``main`` (not the bare Typer app) so user errors are turned into
    one line and exit code 2 exactly as for a real user.
    """
    from typer.testing import CliRunner

    from jianfu_audit.cli import main

    runner = CliRunner()
    code = 0
    saved = sys.argv
    with runner.isolation(input=stdin) as (out, err, _):
        sys.argv = ["jianfu-audit", *args]
        try:
            main()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        finally:
            sys.argv = saved
            sys.stdout.flush()
            sys.stderr.flush()
        stdout = out.getvalue().decode("utf-8")
        stderr = err.getvalue().decode("utf-8")
    return CliResult(code, stdout, stderr)


@pytest.fixture
def cli():
    """``cli(*args, stdin=b"")`` → CliResult (in-process, through ``main``)."""

    def invoke(*args: str, stdin: bytes = b"") -> CliResult:
        return run_main([str(a) for a in args], stdin)

    return invoke


def clean_env() -> dict[str, str]:
    """The environment for subprocesses: no forced colour, UTF-8 I/O."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "CLICOLOR_FORCE", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_process(args: list[str], *, stdin: bytes = b"", cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run a real process with pipes (not a terminal) for stdin/stdout/stderr."""
    return subprocess.run(args, input=stdin, capture_output=True, cwd=cwd, env=clean_env(), timeout=timeout)


@pytest.fixture(scope="session")
def tiny_rules() -> Path:
    """A small rule folder owned by the tests (independent of the bundled pack)."""
    return TINY_RULES


@pytest.fixture(scope="session")
def tiny_ruleset(tiny_rules: Path):
    from jianfu_audit.rules.loader import load_rules

    return load_rules([tiny_rules], bundled=False)


# --------------------------------------------------------------- builders

def build_docx(path: Path, *, header: str | None = None, footer: str | None = None,
               body: list = ()) -> Path:
    """Write a .docx. ``body`` items: a string (paragraph), ``("numbered", text)``
    (auto-numbered with Word's "List Number" style) or a list of rows (a table)."""
    import docx

    word = docx.Document()
    section = word.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    for item in body:
        if isinstance(item, str):
            word.add_paragraph(item)
        elif isinstance(item, tuple) and item[0] == "numbered":
            word.add_paragraph(item[1], style="List Number")
        else:
            table = word.add_table(rows=len(item), cols=len(item[0]))
            for row, values in zip(table.rows, item):
                for cell, value in zip(row.cells, values):
                    cell.text = value
    word.save(str(path))
    return path


def build_pdf(path: Path, pages: list[list[str]], *, font_size: float = 14) -> Path:
    """Write a PDF whose page ``i`` shows the lines ``pages[i]`` (CID font STSong-Light).

    An empty list makes a page with only a drawn rectangle (no text layer).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    _, height = A4
    for lines in pages:
        if not lines:
            pdf.rect(72, 300, 300, 400, fill=1)
        pdf.setFont("STSong-Light", font_size)
        y = height - 72
        for line in lines:
            pdf.drawString(72, y, line)
            y -= font_size * 1.8
        pdf.showPage()
    pdf.save()
    return path
