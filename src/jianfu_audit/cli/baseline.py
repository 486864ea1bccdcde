"""``jianfu-audit baseline``: record the current findings so that ``check --baseline`` reports only new ones."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import typer
from rich.console import Console
from rich.text import Text

from jianfu_audit.baseline import baseline_json, triage
from jianfu_audit.cli.app import (
    CONFIG_OPTION, DATE_OPTION, IGNORE_OPTION, JOBS_OPTION, OCR_OPTION, QUIET_OPTION, RULES_OPTION, SELECT_OPTION,
    TIMEOUT_OPTION, app, given_options, parse_date, parse_jobs, parse_timeout, rule_settings,
)
from jianfu_audit.cli.progress import progress
from jianfu_audit.config import resolve
from jianfu_audit.errors import UsageError
from jianfu_audit.pipeline import collect, run
from jianfu_audit.summary import Summary


@app.command()
def baseline(
    ctx: typer.Context,
    paths: list[str] = typer.Argument(..., help="文件或文件夹（递归）。"),
    output: Path = typer.Option(Path("jianfu-audit-baseline.json"), "--output", "-o", help="基线文件（其中的路径相对该文件所在目录）。"),
    config: Path | None = CONFIG_OPTION,
    rules: list[Path] | None = RULES_OPTION,
    select: list[str] | None = SELECT_OPTION,
    ignore: list[str] | None = IGNORE_OPTION,
    severity: str = typer.Option("info", "--severity", help="记录的最低级别：error、warning、info。"),
    on_date: str | None = DATE_OPTION,
    quiet: bool = QUIET_OPTION,
    ocr: bool = OCR_OPTION,
    jobs: str | None = JOBS_OPTION,
    timeout: str | None = TIMEOUT_OPTION,
) -> None:
    """记录当前的全部问题；之后 check --baseline 只报告、只因新问题失败（--date、--ocr 应与 check 相同）。"""
    cli = rule_settings(
        select, ignore, severity, rules, document_date=parse_date(on_date), ocr=ocr, timeout=parse_timeout(timeout)
    )
    workers = parse_jobs(jobs)
    settings, ruleset = resolve(paths, config, cli, given_options(ctx))
    inputs = collect(paths, settings)
    summary = Summary(fail_on=None, unsupported=inputs.unsupported, missing=inputs.missing)
    results = []
    for result in progress(run(inputs.files, ruleset, settings, workers), len(inputs.files), quiet=quiet):
        result = triage(result, settings.suppressions, None)
        summary.add(result)
        results.append(replace(result, document=None))
    data = baseline_json(results, Path(os.path.abspath(output.parent)))
    try:
        output.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"无法写入基线文件 {output}（{error.strerror}）") from None
    console = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
    console.print(f"已把 {len(data['documents'])} 个文件中的 {summary.findings} 处问题记入基线 {output}。")
    for result in results:
        if result.error is not None:
            console.print(Text("无法读取 ", style="bold red").append(f"{result.path}：{result.error}（未记入基线）"))
    for path in summary.missing:
        console.print(Text("路径不存在 ", style="bold red").append(path))
    if summary.partly_scanned:
        notice = f"注意：{summary.partly_scanned} 个文件中有扫描页未检查，其中的问题未记入基线（加 --ocr 可识别）"
        console.print(Text(notice, style="yellow"))
    raise typer.Exit(summary.exit_code)
