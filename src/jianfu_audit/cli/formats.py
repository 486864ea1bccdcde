"""``jianfu-audit formats``: every input format, whether it can be read here, and
what to install for the ones that cannot."""

from __future__ import annotations

import importlib
import json
import sys
from dataclasses import asdict, dataclass

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from jianfu_audit.cli.app import app
from jianfu_audit.errors import UsageError
from jianfu_audit.extract import FORMATS

LABELS = {
    "txt": "纯文本",
    "docx": "Word 文档",
    "pdf": "PDF（文字版）",
    "ofd": "OFD 版式文件",
    "office": "旧版 Word/WPS/RTF/ODT",
    "ocr": "图片（OCR）",
    "html": "网页",
    "markdown": "Markdown",
}

#: The OCR row for scanned PDF and OFD pages, which have no reader of their own.
SCANNED = "扫描版 PDF / OFD（OCR）"


@dataclass
class FormatStatus:
    """One row: a reader module, its suffixes, and what it still needs."""

    name: str
    module: str
    suffixes: list[str]
    available: bool
    install: str | None


def statuses() -> list[FormatStatus]:
    """Availability of every reader in ``FORMATS`` plus OCR for scanned PDF and OFD
    pages (whole scans, or the scanned pages of a typed file)."""
    suffixes: dict[str, list[str]] = {}
    for suffix, (_, module) in FORMATS.items():
        suffixes.setdefault(module, []).append(suffix)
    rows = [_status(LABELS.get(module, module), module, found) for module, found in suffixes.items()]
    rows.append(_status(SCANNED, "ocr", [".pdf", ".ofd"]))
    return rows


def _status(name: str, module: str, suffixes: list[str]) -> FormatStatus:
    try:
        loaded = importlib.import_module(f"jianfu_audit.extract.{module}")
    except ImportError as error:
        return FormatStatus(name, module, suffixes, False, f"缺少 Python 包 {error.name}：请重新安装 jianfu-audit")
    missing = getattr(loaded, "missing", lambda: None)()
    return FormatStatus(name, module, suffixes, missing is None, missing)


@app.command()
def formats(
    format: str = typer.Option("text", "--format", "-f", help="text：表格；json：机器可读。"),
) -> None:
    """列出支持的输入格式、本机是否可用，以及缺少时需要安装什么。"""
    if format not in ("text", "json"):
        raise UsageError(f"--format 的取值 {format!r} 无效，应为 text、json")
    rows = statuses()
    if format == "json":
        sys.stdout.write(json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=1) + "\n")
        return
    table = Table(title="支持的输入格式")
    for column in ("格式", "扩展名", "本机"):
        table.add_column(column)
    table.add_column("缺少时需安装", overflow="fold")
    for row in rows:
        state = Text("可用", style="green") if row.available else Text("不可用", style="red")
        table.add_row(row.name, " ".join(row.suffixes), state, Text(row.install or ""))  # hints hold [ocr]
    console = Console(highlight=False)
    console.print(table)
    console.print(
        "旧版 Word/WPS/RTF/ODT 经 LibreOffice 转换后读取；图片、扫描版 PDF / OFD，以及文字版 PDF / OFD 中夹带的扫描页，"
        "需加 --ocr 才识别（check、score、baseline、annotate、extract 均可用）。"
    )
