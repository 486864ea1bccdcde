"""``jianfu-audit annotate``: a reviewed copy of a notice, with Word comments."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.text import Text

from jianfu_audit.baseline import triage
from jianfu_audit.cli.app import (
    CONFIG_OPTION, DATE_OPTION, IGNORE_OPTION, OCR_OPTION, RULES_OPTION, SELECT_OPTION, app, given_options,
    parse_date, rule_settings, split_names,
)
from jianfu_audit.config import resolve
from jianfu_audit.errors import UsageError
from jianfu_audit.pipeline import check_input, collect


@app.command("annotate")
def annotate_command(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="公文文件，或文件夹（递归处理其中的公文）。"),
    output: Path | None = typer.Option(
        None, "--output", "-o",
        help="输出文件（输入为文件时）或输出文件夹（输入为文件夹时）。默认：文件旁的“名称.审阅.docx”，文件夹旁的“名称.审阅”文件夹。",
    ),
    rules: list[Path] | None = RULES_OPTION,
    select: list[str] | None = SELECT_OPTION,
    ignore: list[str] | None = IGNORE_OPTION,
    severity: str = typer.Option("info", "--severity", help="批注的最低级别：error、warning、info。"),
    include: list[str] | None = typer.Option(None, "--include", help="文件夹中只处理匹配的文件（glob，可重复）。"),
    exclude: list[str] | None = typer.Option(None, "--exclude", help="文件夹中排除匹配的文件（glob，可重复）。"),
    on_date: str | None = DATE_OPTION,
    config: Path | None = CONFIG_OPTION,
    ocr: bool = OCR_OPTION,
) -> None:
    """生成带批注的审阅稿：每处问题一条 Word 批注（原文件不改动）。"""
    from jianfu_audit.annotate import SUFFIX, annotate, output_name  # python-docx: load only when used

    settings = rule_settings(
        select, ignore, severity, rules,
        include=split_names(include),
        exclude=split_names(exclude),
        document_date=parse_date(on_date),
        ocr=ocr,
    )
    if not path.exists():
        raise UsageError(f"路径不存在：{path}")
    settings, ruleset = resolve([str(path)], config, settings, given_options(ctx))
    unsupported: list[str] = []
    if path.is_dir():
        target_dir = output or path.with_name(path.name + SUFFIX.removesuffix(".docx"))
        inputs = collect([str(path)], settings)
        unsupported = inputs.unsupported
        files = [Path(f) for f in inputs.files if not f.endswith(SUFFIX)]  # skip earlier outputs
        jobs = [(f, target_dir / f.relative_to(path).with_name(output_name(f))) for f in files]
    else:
        jobs = [(path, output or path.with_name(output_name(path)))]
    for source, target in jobs:
        if target.resolve() == source.resolve():
            raise UsageError(f"输出文件不能与原文件相同：{target}")
    console = Console(highlight=False, soft_wrap=True)
    failed = 0
    for source, target in jobs:
        result = triage(check_input(str(source), ruleset, settings), settings.suppressions, None)
        if result.document is None:
            failed += 1
            console.print(Text(f"{source}：无法读取：{result.error}", style="bold red"))
            continue
        count = annotate(source, result.document, result.findings, target)
        console.print(f"{source} → {target}（{count} 条批注）")
    if unsupported:
        console.print(Text(f"跳过 {len(unsupported)} 个不支持的文件：" + "、".join(unsupported), style="dim"))
    console.print(Text(f"共处理 {len(jobs)} 个文件" + (f"，{failed} 个无法读取。" if failed else "。"),
                       style="bold red" if failed else "bold green"))
    raise typer.Exit(2 if failed else 0)
