"""``jianfu-audit score``: burden scores over a folder, highest first, with totals."""

from __future__ import annotations

import csv
import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

import typer
from rich.console import Console
from rich.table import Table

from jianfu_audit import __version__
from jianfu_audit.baseline import triage
from jianfu_audit.cli.app import (
    CONFIG_OPTION, DATE_OPTION, IGNORE_OPTION, JOBS_OPTION, OCR_OPTION, QUIET_OPTION, RULES_OPTION, SELECT_OPTION,
    TIMEOUT_OPTION, app, given_options, parse_date, parse_jobs, parse_score, parse_timeout, rule_settings,
)
from jianfu_audit.cli.progress import progress
from jianfu_audit.config import resolve
from jianfu_audit.errors import UsageError
from jianfu_audit.findings import CATEGORIES, CATEGORY_LABELS
from jianfu_audit.pipeline import DocumentResult, collect, run
from jianfu_audit.score import ANNUAL_CATEGORIES, burden, number
from jianfu_audit.summary import Summary

SCORE_FORMATS = ("table", "csv", "json")
ANNUAL_LABELS = {"meeting": "年会议", "reporting": "年报表", "inspection": "年检查"}


def row(result: DocumentResult) -> dict[str, Any]:
    """A document's path, burden (score, points, counts) or the reason it could not be read."""
    data: dict[str, Any] = {"path": result.path, "error": result.error}
    if result.error is None:
        data.update(burden(result.findings).to_json())
    return data


def ranked(table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Highest score first, then by path; unreadable documents last."""
    return sorted(table, key=lambda r: (r["error"] is not None, -r.get("score", 0), r["path"]))


def totals(table: list[dict[str, Any]]) -> dict[str, Any]:
    """Sums over the readable documents, with the mean and highest score."""
    read = [row for row in table if row["error"] is None]
    scores = [row["score"] for row in read]
    return {
        "documents": len(read),
        "findings": sum(row["findings"] for row in read),
        "by_category": {c: n for c in CATEGORIES if (n := sum(row["by_category"].get(c, 0) for row in read))},
        "annual": {c: number(sum(row["annual"][c] for row in read)) for c in ANNUAL_CATEGORIES},
        "mean_score": number(sum(scores) / len(scores)) if scores else 0,
        "max_score": max(scores, default=0),
    }


def write_json(out: IO[str], table: list[dict[str, Any]], total: dict[str, Any], summary: Summary) -> None:
    data = {
        "tool": {"name": "jianfu-audit", "version": __version__},
        "documents": table,
        "totals": total,
        "summary": summary.to_json(),
    }
    out.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def write_csv(out: IO[str], table: list[dict[str, Any]], total: dict[str, Any]) -> None:
    """Fixed columns: every category and every annual count, then a 合计 row."""
    annual = [f"annual_{c}" for c in ANNUAL_CATEGORIES]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["path", "score", "points", "findings", *CATEGORIES, *annual, "error"])
    for row in table:
        if row["error"] is not None:
            writer.writerow([row["path"], *[""] * (3 + len(CATEGORIES) + len(annual)), row["error"]])
            continue
        counts = [row["by_category"].get(c, 0) for c in CATEGORIES]
        writer.writerow([row["path"], row["score"], row["points"], row["findings"], *counts, *row["annual"].values(), ""])
    counts = [total["by_category"].get(c, 0) for c in CATEGORIES]
    writer.writerow(["合计", "", "", total["findings"], *counts, *total["annual"].values(), ""])


def write_table(out: IO[str], table: list[dict[str, Any]], total: dict[str, Any], summary: Summary) -> None:
    """A rich table; only the categories that occur get a column."""
    present = [c for c in CATEGORIES if c in total["by_category"]]
    grid = Table("文件", "负担分", "问题", *(CATEGORY_LABELS.get(c, c) for c in present), *ANNUAL_LABELS.values())
    grid.columns[0].overflow = "fold"  # never cut a path short
    for column in grid.columns[1:]:
        column.justify = "right"
    for row in table:
        if row["error"] is not None:
            grid.add_row(row["path"], "—", "无法读取：" + row["error"])
            continue
        style = "bold red" if summary.max_score is not None and row["score"] > summary.max_score else None
        cells = [str(row["by_category"].get(c, "")) for c in present]
        annual = [str(row["annual"][c] or "") for c in ANNUAL_CATEGORIES]
        grid.add_row(row["path"], str(row["score"]), str(row["findings"]), *cells, *annual, style=style)
    grid.add_section()
    cells = [str(total["by_category"][c]) for c in present]
    annual = [str(total["annual"][c]) for c in ANNUAL_CATEGORIES]
    grid.add_row("合计", f"最高 {total['max_score']}", str(total["findings"]), *cells, *annual, style="bold")
    # Not a terminal (a file, a CI log): wide enough that no column is squeezed.
    width = None if out.isatty() else 10_000
    console = Console(file=out, width=width, highlight=False, soft_wrap=True, markup=False)
    console.print(grid)
    line = f"共 {total['documents']} 个文件，平均负担分 {total['mean_score']}，最高 {total['max_score']}"
    if summary.max_score is not None:
        line += f"；{summary.over_score} 个文件超过上限 {summary.max_score}"
    if summary.failed or summary.missing:
        line += f"；{summary.failed} 个文件无法读取" + ("，路径不存在：" + "、".join(summary.missing) if summary.missing else "")
    if summary.partly_scanned:
        line += f"；{summary.partly_scanned} 个文件中有扫描页未检查、未计分（加 --ocr 可识别）"
    console.print(line + "。")


@app.command()
def score(
    ctx: typer.Context,
    paths: list[str] = typer.Argument(..., help="文件或文件夹（递归）。"),
    format: str = typer.Option("table", "--format", "-f", help="输出格式：table、csv、json。"),
    output: Path | None = typer.Option(None, "--output", "-o", help="写入文件而不是标准输出。"),
    config: Path | None = CONFIG_OPTION,
    rules: list[Path] | None = RULES_OPTION,
    select: list[str] | None = SELECT_OPTION,
    ignore: list[str] | None = IGNORE_OPTION,
    severity: str = typer.Option("info", "--severity", help="计入的最低级别：error、warning、info。"),
    max_score: str | None = typer.Option(None, "--max-score", metavar="N", help="任一文件负担分超过该值即以退出码 1 结束。"),
    on_date: str | None = DATE_OPTION,
    quiet: bool = QUIET_OPTION,
    ocr: bool = OCR_OPTION,
    jobs: str | None = JOBS_OPTION,
    timeout: str | None = TIMEOUT_OPTION,
) -> None:
    """按负担分（0–100）列出文件，附各类问题数、年化会议/报表/检查次数和合计。"""
    if format not in SCORE_FORMATS:
        raise UsageError(f"--format 的取值 {format!r} 无效，应为 " + "、".join(SCORE_FORMATS))
    cli = rule_settings(
        select, ignore, severity, rules,
        max_score=parse_score(max_score),
        document_date=parse_date(on_date),
        ocr=ocr,
        timeout=parse_timeout(timeout),
    )
    workers = parse_jobs(jobs)
    settings, ruleset = resolve(paths, config, cli, given_options(ctx))
    inputs = collect(paths, settings)
    summary = Summary(fail_on=None, unsupported=inputs.unsupported, missing=inputs.missing, max_score=settings.max_score)
    table = []
    for result in progress(run(inputs.files, ruleset, settings, workers), len(inputs.files), quiet=quiet):
        result = triage(result, settings.suppressions, None)
        summary.add(result)
        table.append(row(result))
    table = ranked(table)
    total = totals(table)
    with open(output, "w", encoding="utf-8", newline="") if output else nullcontext(sys.stdout) as out:
        if format == "json":
            write_json(out, table, total, summary)
        elif format == "csv":
            write_csv(out, table, total)
        else:
            write_table(out, table, total, summary)
    raise typer.Exit(summary.exit_code)

