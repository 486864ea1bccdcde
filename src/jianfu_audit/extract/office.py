"""Old Word, WPS, RTF and OpenDocument notices, converted by LibreOffice.

The input is copied into a temporary folder and converted there with
``soffice --headless --convert-to docx`` (its own throw-away user profile, a
timeout), then read by the .docx extractor; the input file and its folder are
never touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from jianfu_audit.document import Document
from jianfu_audit.errors import InputError
from jianfu_audit.extract import docx
from jianfu_audit.settings import Settings

TIMEOUT_SECONDS = 120
_CANDIDATES = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)
INSTALL_HINT = (
    "请安装 LibreOffice（Debian/Ubuntu：apt install libreoffice-writer；"
    "Windows/macOS：从 LibreOffice 官网安装），安装后确保 soffice 在 PATH 中"
)


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return found or next((c for c in _CANDIDATES if Path(c).is_file()), None)


def missing() -> str | None:
    """What to install before this format can be read, or None."""
    return None if soffice() else INSTALL_HINT


def extract(path: Path, settings: Settings) -> Document:
    """Convert ``path`` to .docx in a temporary folder and read that."""
    program = soffice()
    if program is None:
        raise InputError(f"读取 {path.suffix} 文件需要 LibreOffice：{INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="jianfu-office-") as folder:
        work = Path(folder)
        source = work / f"input{path.suffix.lower()}"
        shutil.copyfile(path, source)
        converted = _convert(program, source, work)
        document = docx.extract(converted, settings)
    document.path = str(path)
    document.format = path.suffix.lower().lstrip(".")
    document.notes.append("converted=libreoffice")
    return document


def _convert(program: str, source: Path, work: Path) -> Path:
    """Run LibreOffice; return the .docx it wrote or raise ``InputError``."""
    command = [
        program,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--convert-to",
        "docx",
        "--outdir",
        str(work / "out"),
        str(source),
    ]
    new_group = {"start_new_session": True} if sys.platform != "win32" else {}
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **new_group
    )
    try:
        output, _ = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise InputError(f"LibreOffice 转换超时（超过 {TIMEOUT_SECONDS} 秒），文件可能过大或已损坏") from None
    except BaseException:  # the file's time limit, Ctrl-C: LibreOffice must not outlive the check
        _kill(process)
        raise
    converted = work / "out" / "input.docx"
    if process.returncode != 0 or not converted.is_file():
        lines = output.decode(errors="replace").splitlines()
        reason = next((line.strip() for line in lines if "Error" in line), "")
        raise InputError("LibreOffice 无法转换该文件（文件可能已损坏或加密）" + (f"：{reason}" if reason else ""))
    return converted


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Stop LibreOffice and the processes it started."""
    if sys.platform != "win32":
        os.killpg(process.pid, signal.SIGKILL)
    else:
        process.kill()
    process.wait()
