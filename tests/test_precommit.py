"""The pre-commit hook, run by the real ``pre-commit`` tool in a temporary git repository.

The hook comes from this repository's ``.pre-commit-hooks.yaml``; only its
``language`` is switched to ``unsupported`` (run from PATH) so that the test uses
the installed package instead of building a fresh environment from the network.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pre_commit.clientlib import load_manifest

from conftest import ROOT, build_docx, clean_env

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git 未安装")

MANIFEST = ROOT / ".pre-commit-hooks.yaml"
HEAVY = "关于做好保洁工作的通知\n各村每天拍照上传保洁情况。\n年度考核实行一票否决。\n"
CLEAN = "关于召开座谈会的通知\n请各单位按时参加。\n"


def test_manifest_is_valid_for_pre_commit():
    hooks = load_manifest(str(MANIFEST))
    assert [h["id"] for h in hooks] == ["jianfu-audit"]
    hook = hooks[0]
    assert hook["language"] == "python" and hook["entry"] == "jianfu-audit check"
    files = re.compile(hook["files"])
    assert all(files.search(n) for n in ("a.txt", "通知.DOCX", "x/y.pdf"))
    assert not any(files.search(n) for n in ("a.md", "a.doc", "txt"))


@pytest.fixture
def repo(tmp_path: Path, tiny_rules: Path):
    """A git repository with the hook installed; returns a ``run(*args)`` helper."""
    work = tmp_path / "office"
    work.mkdir()
    env = {
        **clean_env(),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
    }

    def run(*args: str) -> subprocess.CompletedProcess:
        """Run a command in the repository; ``stdout`` holds stdout and stderr (git hooks print to stderr)."""
        return subprocess.run(args, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)

    hook = {**load_manifest(str(MANIFEST))[0], "language": "unsupported"}
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (work / ".pre-commit-config.yaml").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    (work / ".jianfu-audit.toml").write_text(f"rules = ['{tiny_rules.as_posix()}']\nselect = ['t-*']\n", encoding="utf-8")
    assert run("git", "init", "-q").returncode == 0
    installed = run(sys.executable, "-m", "pre_commit", "install")
    assert installed.returncode == 0, installed.stdout
    return work, run


def test_commit_of_a_burden_heavy_draft_is_refused(repo):
    work, run = repo
    (work / "座谈会通知.txt").write_text(CLEAN, encoding="utf-8")
    (work / "读书笔记.md").write_text(HEAVY, encoding="utf-8")  # not a document type the hook checks
    run("git", "add", ".")
    first = run("git", "commit", "-q", "-m", "clean draft")
    assert first.returncode == 0, first.stdout
    assert "Passed" in first.stdout

    (work / "保洁通知.txt").write_text(HEAVY, encoding="utf-8")
    run("git", "add", "保洁通知.txt")
    refused = run("git", "commit", "-q", "-m", "heavy draft")
    assert refused.returncode != 0
    assert "Failed" in refused.stdout and "- exit code: 1" in refused.stdout
    assert "t-veto" in refused.stdout and "t-photo" in refused.stdout
    assert run("git", "rev-list", "--count", "HEAD").stdout.strip() == "1"


def test_word_drafts_are_checked_too(repo):
    work, run = repo
    build_docx(work / "通知.docx", body=["关于做好保洁工作的通知", "年度考核实行一票否决。"])
    run("git", "add", ".")
    refused = run("git", "commit", "-q", "-m", "docx")
    assert refused.returncode != 0 and "t-veto" in refused.stdout

    build_docx(work / "通知.docx", body=["关于召开座谈会的通知", "请各单位按时参加。"])
    run("git", "add", ".")
    accepted = run("git", "commit", "-q", "-m", "docx fixed")
    assert accepted.returncode == 0, accepted.stdout
