"""``jianfu-audit eval``: precision, recall and F1 of the rule pack on a labelled corpus."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from jianfu_audit.cli.app import RULES_OPTION, app, rule_dirs
from jianfu_audit.errors import UsageError
from jianfu_audit.evaluate import Error, Report, Score, load_corpus, run, score
from jianfu_audit.findings import CATEGORIES
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.settings import Settings


@app.command("eval")
def eval_command(
    corpus: Path = typer.Argument(..., help="JSON Lines 语料（id、text、labels、kind），或含 labels.json 的通知文件夹。"),
    format: str = typer.Option("text", "--format", "-f", help="text 或 json。"),
    rules: list[Path] | None = RULES_OPTION,
    limit: int = typer.Option(50, "--limit", help="文本输出中最多列出的漏报、误报条数（0 表示全部）。"),
) -> None:
    """在标注语料上评测规则：各类别精确率、召回率、F1，误报率，并列出漏报和误报。"""
    if format not in ("text", "json"):
        raise UsageError(f"--format 的取值 {format!r} 无效，应为 text、json")
    settings = Settings()
    ruleset = load_rules(rule_dirs(rules))
    results = run(load_corpus(corpus), ruleset, settings)
    present = {name for item, prediction in results for name in item.labels | prediction.categories}
    report = score(str(corpus), results, [name for name in CATEGORIES if name in present])
    if format == "json":
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=1) + "\n")
    else:
        print_report(report, Console(highlight=False, soft_wrap=True), limit)


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _row(name: str, entry: Score) -> list[str]:
    return [name, str(entry.tp + entry.fn), str(entry.tp), str(entry.fp), str(entry.fn),
            _cell(entry.precision), _cell(entry.recall), _cell(entry.f1)]


def print_report(report: Report, console: Console, limit: int) -> None:
    """The human-readable evaluation: score table, false-alarm rate, errors."""
    table = Table("类别", "标注数", "命中", "误报", "漏报", "精确率", "召回率", "F1", title=f"评测：{report.corpus}（{report.items} 条）")
    for name, entry in report.categories.items():
        table.add_row(*_row(name, entry))
    table.add_section()
    table.add_row(*_row("合计（micro）", report.micro), style="bold")
    console.print(table)
    rate = report.false_alarm_rate
    console.print(
        f"无标注条目 {report.unlabelled} 条，其中被报出 {report.unlabelled_flagged} 条，误报率 "
        + ("—" if rate is None else f"{rate:.1%}")
    )
    for entry in report.demands:
        console.print(f"{entry['id']}：标注要求句 {entry['labelled']} 句，检出 {entry['found']} 句")
    _errors(console, "漏报", report.misses, limit)
    _errors(console, "误报", report.false_alarms, limit)


def _errors(console: Console, title: str, errors: list[Error], limit: int) -> None:
    if not errors:
        return
    console.print(Text(f"{title}（{len(errors)}）：", style="bold"))
    shown = errors if limit <= 0 else errors[:limit]
    for error in shown:
        line = Text(f"  {error.id} ", style="bold").append(f"[{error.category}]", style="magenta")
        if error.rules:
            line.append(" " + ",".join(error.rules), style="dim")
        line.append(" " + " ".join(error.text.split())[:120])
        console.print(line)
    if len(shown) < len(errors):
        console.print(f"  ……另有 {len(errors) - len(shown)} 条（用 --limit 0 查看全部）")
