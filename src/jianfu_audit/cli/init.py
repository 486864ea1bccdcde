"""``jianfu-audit init``: write a commented starter configuration."""

from __future__ import annotations

from pathlib import Path

import typer

from jianfu_audit.cli.app import app
from jianfu_audit.config import CONFIG_NAME, PYPROJECT, TOOL_KEY, has_table
from jianfu_audit.errors import UsageError

STARTER = """\
# jianfu-audit 配置（由 jianfu-audit init 生成，说明见 docs/config.md）。
# 命令行上给出的选项优先于这里的设置；--rules 在这里的 rules 之后追加。

# 只运行这些规则：规则编号、类别或通配（如 "veto"、"meeting-*"）；空表示全部。
select = []
# 不运行这些规则：规则编号、类别或通配。
ignore = []
# 报告的最低级别：error、warning、info。
severity = "info"
# 问题达到该级别即以退出码 1 结束：error、warning、info、never。
fail_on = "warning"
# 任一文件负担分（0–100）超过该值即以退出码 1 结束；去掉 # 启用。
# max_score = 60
# 额外的规则目录（相对本文件所在目录）。
rules = []
# 只检查 / 不检查的文件：不含 / 的通配匹配文件名，含 / 的相对本文件所在目录。
include = []
exclude = []
# 办理时限少于多少个工作日即报告。
deadline_min_workdays = 3
# 法定节假日安排之外另行放假、调休上班的日期（YYYY-MM-DD）。
extra_holidays = []
extra_workdays = []

# 调整单条规则的级别：去掉 # 启用。
# [{table}severity_overrides]
# veto-one-vote = "warning"

# 有理由地忽略某些文件或规则的问题；被忽略的问题计入 JSON 输出的 suppressed，不会悄悄消失。
# [[{table}suppress]]
# reason = "历史存档文件，仅供查阅"
# paths = ["存档/*"]
# rules = ["meeting", "reporting"]
"""


def starter(pyproject: bool) -> str:
    """The starter text, as a file of its own or as a ``pyproject.toml`` table."""
    if pyproject:
        return f"\n[tool.{TOOL_KEY}]\n" + STARTER.format(table=f"tool.{TOOL_KEY}.")
    return STARTER.format(table="")


@app.command()
def init(
    directory: Path = typer.Argument(Path("."), help="写入配置的目录。"),
    pyproject: bool = typer.Option(False, "--pyproject", help=f"追加到 {PYPROJECT} 的 [tool.{TOOL_KEY}] 表，而不是新建 {CONFIG_NAME}。"),
    force: bool = typer.Option(False, "--force", help=f"覆盖已有的 {CONFIG_NAME}。"),
) -> None:
    """生成带注释的配置文件 .jianfu-audit.toml（或追加到 pyproject.toml）。"""
    if not directory.is_dir():
        raise UsageError(f"目录 {directory} 不存在")
    if pyproject:
        target = directory / PYPROJECT
        if has_table(target):
            raise UsageError(f"{target} 中已有 [tool.{TOOL_KEY}] 表")
        existing = target.read_text(encoding="utf-8").rstrip("\n") + "\n" if target.is_file() else ""
        target.write_text((existing + starter(True)).lstrip("\n"), encoding="utf-8")
    else:
        target = directory / CONFIG_NAME
        if target.exists() and not force:
            raise UsageError(f"{target} 已存在（用 --force 覆盖）")
        target.write_text(starter(False), encoding="utf-8")
    typer.echo(f"已写入 {target}。")
