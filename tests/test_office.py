""".doc/.wps/.rtf/.odt through LibreOffice: real conversions where soffice is
installed (CI installs libreoffice-writer), and the error paths with stand-ins."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jianfu_audit.errors import InputError
from jianfu_audit.extract import extract, office
from jianfu_audit.settings import Settings

needs_soffice = pytest.mark.skipif(office.soffice() is None, reason="LibreOffice (soffice) is not installed")
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="stand-in scripts are POSIX shell")

LINES = ["关于规范村级报表的通知", "各村（社区）每周报送工作台账，实行一票否决。"]


def rtf(lines: list[str]) -> bytes:
    """An RTF document; every character escaped as \\uN? (signed 16-bit)."""
    def escape(text: str) -> str:
        return "".join(f"\\u{n if n < 32768 else n - 65536}?" for n in map(ord, text))

    body = "".join(escape(line) + "\\par\n" for line in lines)
    return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 SimSun;}}\\f0\n" + body + "}").encode("ascii")


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The notice as .rtf, and as .doc/.odt converted from it by LibreOffice."""
    if office.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("office")
    source = folder / "notice.rtf"
    source.write_bytes(rtf(LINES))
    made = {".rtf": source}
    for suffix in ("doc", "odt"):
        subprocess.run(
            [office.soffice(), "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
             "--convert-to", suffix, "--outdir", str(folder), str(source)],
            check=True, capture_output=True, timeout=120,
        )
        made[f".{suffix}"] = folder / f"notice.{suffix}"
    # Kingsoft WPS Writer files are Word 97 binaries under another name
    made[".wps"] = folder / "notice.wps"
    made[".wps"].write_bytes(made[".doc"].read_bytes())
    return made


@needs_soffice
@pytest.mark.parametrize("suffix", [".rtf", ".doc", ".wps", ".odt"])
def test_converts_and_reads(samples: dict[str, Path], suffix: str) -> None:
    document = extract(samples[suffix], Settings())
    assert document.text.split("\n") == LINES
    assert document.format == suffix.lstrip(".")
    assert document.path == str(samples[suffix])
    assert "converted=libreoffice" in document.notes


@needs_soffice
def test_check_finds_burden_in_doc(samples: dict[str, Path], tmp_path: Path) -> None:
    from jianfu_audit.pipeline import check_input
    from jianfu_audit.rules.loader import load_rules

    result = check_input(str(samples[".doc"]), load_rules(()), Settings())
    assert result.error is None and result.format == "doc"
    veto = [f for f in result.findings if f.rule == "veto-one-vote"]
    assert veto and veto[0].paragraph == 2


@needs_soffice
def test_input_and_its_folder_are_untouched(tmp_path: Path) -> None:
    path = tmp_path / "收文 通知.rtf"
    path.write_bytes(rtf(LINES))
    os.chmod(tmp_path, stat.S_IRUSR | stat.S_IXUSR)  # read-only folder: no lock or output files
    try:
        before = path.read_bytes()
        assert "一票否决" in extract(path, Settings()).text
        assert path.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir()] == [path.name]
    finally:
        os.chmod(tmp_path, stat.S_IRWXU)


def test_missing_libreoffice_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    monkeypatch.setattr(office, "soffice", lambda: None)
    assert office.missing() == office.INSTALL_HINT
    with pytest.raises(InputError, match="libreoffice-writer"):
        extract(path, Settings())


def stand_in(tmp_path: Path, script: str) -> str:
    program = tmp_path / "soffice"
    program.write_text("#!/bin/sh\n" + script + "\n")
    program.chmod(0o755)
    return str(program)


@posix_only
def test_timeout_kills_the_converter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "child.pid"
    # the stand-in starts a child (as soffice starts soffice.bin) and hangs
    program = stand_in(tmp_path, f"sleep 60 & echo $! > {marker}\nwait")
    monkeypatch.setattr(office, "soffice", lambda: program)
    monkeypatch.setattr(office, "TIMEOUT_SECONDS", 1)
    path = tmp_path / "slow.doc"
    path.write_bytes(b"x")
    started = time.monotonic()
    with pytest.raises(InputError, match="超时"):
        extract(path, Settings())
    assert time.monotonic() - started < 30
    child = int(marker.read_text())
    time.sleep(0.2)
    assert not running(child)  # the whole process group is gone


def running(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie waiting for its reaper does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat_file = Path(f"/proc/{pid}/stat")
    return not stat_file.exists() or stat_file.read_text().rpartition(")")[2].split()[0] != "Z"


@posix_only
def test_conversion_failure_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = stand_in(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 0")
    monkeypatch.setattr(office, "soffice", lambda: program)
    path = tmp_path / "broken.wps"
    path.write_bytes(b"\x00\x01")
    with pytest.raises(InputError, match="无法转换.*source file could not be loaded"):
        extract(path, Settings())
