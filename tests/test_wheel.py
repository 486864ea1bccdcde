"""Build the wheel, install it into a fresh virtual environment and run the
installed ``jianfu-audit`` from a folder outside the checkout: the bundled rule
pack must come from the wheel, not from the source tree.

Slow (about a minute): marked ``slow`` but not skipped, so CI runs it.
The fresh venv gets the *dependencies* from the running environment through a
``.pth`` line (offline and fast); the project itself only from the wheel.
"""

from __future__ import annotations

import json
import importlib.util
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, run_process

pytestmark = pytest.mark.slow


def _run(args: list, **kwargs) -> subprocess.CompletedProcess:
    done = run_process([str(a) for a in args], timeout=600, **kwargs)
    assert done.returncode == 0, (args, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace"))
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", out]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-isolation")  # use the installed backend: no download needed
    _run(command + [ROOT], cwd=out)
    (path,) = out.glob("jianfu_audit-*.whl")
    return path


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    home = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", home])
    python = home / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.decode().strip())
    # Dependencies from this environment (appended after the venv's own site-packages).
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (purelib / "_test_dependencies.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet", wheel])
    return home


def _script(venv: Path) -> Path:
    return venv / ("Scripts/jianfu-audit.exe" if sys.platform == "win32" else "bin/jianfu-audit")


def test_wheel_contains_package_and_every_bundled_rule(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "jianfu_audit/__init__.py" in names and "jianfu_audit/cli/__init__.py" in names
    rule_files = sorted(p.relative_to(ROOT / "rules").as_posix() for p in (ROOT / "rules").rglob("*.y*ml"))
    assert rule_files
    for name in rule_files:
        assert f"jianfu_audit/_bundled_rules/{name}" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "jianfu-audit = jianfu_audit.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_package_is_the_wheel_not_the_checkout(venv, tmp_path):
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    code = "import jianfu_audit, json; from jianfu_audit.rules.loader import bundled_rules_dir; " \
           "print(json.dumps([jianfu_audit.__file__, str(bundled_rules_dir())]))"
    module, rules = json.loads(_run([python, "-c", code], cwd=tmp_path).stdout)
    assert Path(module).resolve().is_relative_to(venv.resolve())
    assert Path(rules).resolve().is_relative_to(venv.resolve())
    assert not Path(rules).resolve().is_relative_to(ROOT.resolve())


def test_installed_cli_finds_the_bundled_rules(venv, tmp_path):
    outside = tmp_path / "收文"
    outside.mkdir()
    assert not outside.resolve().is_relative_to(ROOT.resolve())
    listed = _run([_script(venv), "rules", "list", "--format", "json"], cwd=outside)
    rules = json.loads(listed.stdout)
    assert "veto-one-vote" in {r["id"] for r in rules}
    assert all(Path(r["source"]).resolve().is_relative_to(venv.resolve()) for r in rules)
    text = _run([_script(venv), "rules", "list"], cwd=outside).stdout.decode()
    assert "veto-one-vote" in text

    for name in ("03-burden-table.docx", "04-burden-grid.pdf", "05-clean-jianfu.txt"):
        shutil.copy(SAMPLES / name, outside / name)
    done = run_process([_script(venv), "check", "--format", "json", "."], cwd=outside, timeout=600)
    assert done.returncode == 1, done.stderr.decode()
    data = json.loads(done.stdout)
    documents = {Path(d["path"]).name: d for d in data["documents"]}
    assert set(documents) == {"03-burden-table.docx", "04-burden-grid.pdf", "05-clean-jianfu.txt"}
    assert "veto-one-vote" in {f["rule"] for f in documents["04-burden-grid.pdf"]["findings"]}
    # The installed tool finds exactly what the checkout finds: same rules, same engine.
    from jianfu_audit.pipeline import check_input
    from jianfu_audit.rules.loader import load_rules
    from jianfu_audit.settings import Settings

    ruleset = load_rules()
    for name, document in documents.items():
        here = check_input(str(SAMPLES / name), ruleset, Settings())
        assert [(f["rule"], f["start"], f["end"]) for f in document["findings"]] == [
            (f.rule, f.start, f.end) for f in here.findings
        ], name
    tested = run_process([_script(venv), "rules", "test"], cwd=outside, timeout=600)
    assert tested.returncode == 0, tested.stdout.decode()
