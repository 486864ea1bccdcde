"""``jianfu-audit rules list|show|test``."""

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
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.rules.model import Rule
from jianfu_audit.rules.testing import test_rules

rules_app = typer.Typer(help="列出、查看、测试规则。", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


def rule_summary(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id,
        "category": rule.category,
        "severity": rule.severity.name,
        "name": rule.name,
        "message": rule.message,
        "suggestion": rule.suggestion,
        "citation": list(rule.citation),
        "source": rule.source,
        "examples": {"positive": list(rule.examples.positive), "negative": list(rule.examples.negative)},
        "exceptions": [c.id or "（规则内定义）" for c in rule.exceptions],
    }


@rules_app.command("list")
def list_rules(
    rules: list[Path] | None = RULES_OPTION,
    format: str = typer.Option("text", "--format", "-f", help="text 或 json。"),
) -> None:
    """列出内置规则和额外规则。"""
    ruleset = load_rules(rule_dirs(rules))
    if format == "json":
        sys.stdout.write(json.dumps([rule_summary(r) for r in ruleset.rules], ensure_ascii=False, indent=1) + "\n")
        return
    table = Table("编号", "类别", "级别", "说明", "依据")
    for rule in ruleset.rules:
        table.add_row(rule.id, rule.category, rule.severity.name, rule.name or rule.message, "、".join(rule.citation))
    console = Console(highlight=False, soft_wrap=True)
    console.print(table)
    console.print(f"共 {len(ruleset.rules)} 条规则。")


@rules_app.command("show")
def show_rule(
    rule_id: str = typer.Argument(..., metavar="ID", help="规则编号。"),
    rules: list[Path] | None = RULES_OPTION,
) -> None:
    """查看一条规则：说明、建议、依据、例外和示例。"""
    ruleset = load_rules(rule_dirs(rules))
    rule = ruleset.get(rule_id)
    if rule is None:
        raise UsageError(f"没有编号为 {rule_id} 的规则（用 jianfu-audit rules list 查看全部）")
    console = Console(highlight=False, soft_wrap=True)
    console.print(Text(f"{rule.id}  {rule.name}", style="bold"))
    for label, value in (
        ("类别", rule.category),
        ("级别", rule.severity.name),
        ("说明", rule.message),
        ("建议", rule.suggestion),
        ("依据", "、".join(rule.citation)),
        ("例外", "、".join(c.id or "（规则内定义）" for c in rule.exceptions) or "无"),
        ("文件", rule.source),
    ):
        console.print(Text(f"{label}：", style="bold").append(value))
    if rule.description:
        console.print(rule.description)
    console.print(Text("应检出：", style="bold red"))
    for text in rule.examples.positive:
        console.print("  ✗ " + text)
    console.print(Text("不应检出：", style="bold green"))
    for text in rule.examples.negative:
        console.print("  ✓ " + text)


@rules_app.command("test")
def test(directory: Path | None = typer.Argument(None, metavar="[DIR]", help="只测试该目录中的规则。")) -> None:
    """运行每条规则的示例：正例必须检出，反例不得检出。"""
    ruleset = load_rules(rule_dirs([directory] if directory else None))
    if directory is None:
        chosen = ruleset.rules
    else:
        root = str(directory)
        chosen = [rule for rule in ruleset.rules if rule.source.startswith(root)]
    failures = test_rules(chosen, ruleset)
    console = Console(highlight=False, soft_wrap=True)
    for failure in failures:
        console.print(Text("失败 ", style="bold red").append(failure.describe()))
    examples = sum(len(r.examples.positive) + len(r.examples.negative) for r in chosen)
    style = "bold red" if failures else "bold green"
    console.print(Text(f"{len(chosen)} 条规则，{examples} 个示例，{len(failures)} 个失败。", style=style))
    raise typer.Exit(1 if failures else 0)
