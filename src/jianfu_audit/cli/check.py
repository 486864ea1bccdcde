"""``jianfu-audit check``: check files, folders or stdin."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import typer

from jianfu_audit.baseline import Baseline, triage
from jianfu_audit.cli.app import (
    CONFIG_OPTION, DATE_OPTION, IGNORE_OPTION, JOBS_OPTION, OCR_OPTION, QUIET_OPTION, RULES_OPTION, SELECT_OPTION,
    TIMEOUT_OPTION, app, given_options, parse_date, parse_jobs, parse_score, parse_severity, parse_size, parse_timeout,
    rule_settings, split_names,
)
from jianfu_audit.cli.progress import progress
from jianfu_audit.config import resolve
from jianfu_audit.errors import UsageError
from jianfu_audit.pipeline import collect, run
from jianfu_audit.report import FORMATS, reporter
from jianfu_audit.settings import Settings
from jianfu_audit.summary import Summary


@app.command()
def check(
    ctx: typer.Context,
    paths: list[str] = typer.Argument(..., help="文件、文件夹（递归），或 - 表示标准输入。"),
    format: str = typer.Option("text", "--format", "-f", help="输出格式：" + "、".join(FORMATS)),
    output: Path | None = typer.Option(None, "--output", "-o", help="写入文件而不是标准输出。"),
    rules: list[Path] | None = RULES_OPTION,
    select: list[str] | None = SELECT_OPTION,
    ignore: list[str] | None = IGNORE_OPTION,
    severity: str = typer.Option("info", "--severity", help="报告的最低级别：error、warning、info。"),
    fail_on: str = typer.Option("warning", "--fail-on", help="达到该级别即以退出码 1 结束：error、warning、info、never。"),
    include: list[str] | None = typer.Option(None, "--include", help="只检查匹配的文件（glob，可重复）。"),
    exclude: list[str] | None = typer.Option(None, "--exclude", help="排除匹配的文件（glob，可重复）。"),
    on_date: str | None = DATE_OPTION,
    config: Path | None = CONFIG_OPTION,
    baseline: Path | None = typer.Option(None, "--baseline", help="基线文件：其中记录的问题不再报告，只对新问题失败。"),
    max_score: str | None = typer.Option(None, "--max-score", metavar="N", help="任一文件负担分超过该值（0–100）即以退出码 1 结束。"),
    quiet: bool = QUIET_OPTION,
    ocr: bool = OCR_OPTION,
    jobs: str | None = JOBS_OPTION,
    max_bytes: str | None = typer.Option(None, "--max-bytes", metavar="SIZE", help="单个文件的大小上限，如 50M、1G；0 表示不限（默认 50M）。"),
    timeout: str | None = TIMEOUT_OPTION,
) -> None:
    """检查公文，报告给基层增加负担的要求。"""
    if format not in FORMATS:
        raise UsageError(f"--format 的取值 {format!r} 无效，应为 " + "、".join(FORMATS))
    settings = rule_settings(
        select,
        ignore,
        severity,
        rules,
        fail_on=parse_severity(fail_on, "--fail-on", allow_never=True),
        include=split_names(include),
        exclude=split_names(exclude),
        document_date=parse_date(on_date),
        max_score=parse_score(max_score),
        ocr=ocr,
        max_bytes=Settings.max_bytes if max_bytes is None else parse_size(max_bytes, "--max-bytes"),
        timeout=parse_timeout(timeout),
    )
    workers = parse_jobs(jobs)
    settings, ruleset = resolve(paths, config, settings, given_options(ctx))
    accepted = Baseline.load(baseline) if baseline else None
    inputs = collect(paths, settings)
    summary = Summary(fail_on=settings.fail_on, unsupported=inputs.unsupported, missing=inputs.missing, max_score=settings.max_score)
    target = open(output, "w", encoding="utf-8") if output else nullcontext(sys.stdout)
    with target as out:
        report = reporter(format, out, ruleset=ruleset)
        pause = output is None and sys.stdout.isatty()
        for result in progress(run(inputs.files, ruleset, settings, workers), len(inputs.files), quiet=quiet, pause=pause):
            result = triage(result, settings.suppressions, accepted)
            summary.add(result)
            report.document(result)
        report.finish(summary)
    raise typer.Exit(summary.exit_code)
