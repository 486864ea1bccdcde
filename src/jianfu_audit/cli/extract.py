"""``jianfu-audit extract``: print the text exactly as the checker sees it."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import typer

from jianfu_audit.cli.app import app
from jianfu_audit.errors import InputError, UsageError
from jianfu_audit.extract import extract as extract_file
from jianfu_audit.extract import extract_stdin
from jianfu_audit.settings import Settings


@app.command()
def extract(
    file: str = typer.Argument(..., help="要提取的文件，或 - 表示标准输入。"),
    format: str = typer.Option("text", "--format", "-f", help="text：纯文本；json：文本及每段的位置。"),
    ocr: bool = typer.Option(False, "--ocr", help="对扫描版 PDF 和图片做 OCR（与 check --ocr 得到同样的文本）。"),
) -> None:
    """输出检查时使用的纯文本（检查结果中的 start/end 偏移即指向这段文本）。"""
    if format not in ("text", "json"):
        raise UsageError(f"--format 的取值 {format!r} 无效，应为 text、json")
    try:
        document = extract_stdin() if file == "-" else extract_file(Path(file), Settings(ocr=ocr))
    except InputError as error:
        raise UsageError(f"{file}：{error}") from None
    if format == "text":
        sys.stdout.write(document.text)
        if sys.stdout.isatty() and not document.text.endswith("\n"):
            sys.stdout.write("\n")
        return
    data = {
        "path": document.path,
        "format": document.format,
        "chars": len(document.text),
        "pages": document.pages,
        "text": document.text,
        "blocks": [asdict(block) for block in document.blocks],
    }
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
