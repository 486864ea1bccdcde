"""The Typer application object and options shared by several commands."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from jianfu_audit.errors import UsageError
from jianfu_audit.findings import Severity
from jianfu_audit.pipeline import default_jobs
from jianfu_audit.settings import Settings

app = typer.Typer(
    name="jianfu-audit",
    help="基层减负公文审计：找出公文中给基层增加形式主义负担的要求。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

RULES_OPTION = typer.Option(None, "--rules", help="额外的规则目录（可重复）。", metavar="DIR")
SELECT_OPTION = typer.Option(None, "--select", help="只运行这些规则编号、类别或通配（可重复，逗号分隔）。")
IGNORE_OPTION = typer.Option(None, "--ignore", help="不运行这些规则编号、类别或通配（可重复，逗号分隔）。")
CONFIG_OPTION = typer.Option(
    None, "--config", help="配置文件（默认从检查路径向上查找 .jianfu-audit.toml 或 pyproject.toml）。"
)
QUIET_OPTION = typer.Option(False, "--quiet", "-q", help="不显示进度条。")
DATE_OPTION = typer.Option(None, "--date", help="文件日期（YYYY-MM-DD），文中找不到成文日期时用于计算时限。")
OCR_OPTION = typer.Option(False, "--ocr", help="对扫描版 PDF 和图片做 OCR 文字识别（需 Tesseract 及简体中文模型）。")
JOBS_OPTION = typer.Option(None, "--jobs", "-j", metavar="N", help="并行检查的进程数（默认为 CPU 核数；1 表示不并行）。")
TIMEOUT_OPTION = typer.Option(
    None, "--timeout", metavar="SECONDS", help="单个文件的处理时限（秒），超时的文件报错跳过；0 表示不限（默认 600）。"
)


def split_names(values: list[str] | None) -> tuple[str, ...]:
    """Flatten repeated and comma-separated option values."""
    return tuple(v.strip() for value in values or [] for v in value.split(",") if v.strip())


def parse_severity(value: str, option: str, *, allow_never: bool = False) -> Severity | None:
    """Parse a severity name given on the command line."""
    if allow_never and value == "never":
        return None
    try:
        return Severity.parse(value)
    except KeyError:
        choices = "error、warning、info" + ("、never" if allow_never else "")
        raise UsageError(f"{option} 的取值 {value!r} 无效，应为 {choices}") from None


def parse_score(value: str | None) -> int | None:
    """Parse ``--max-score`` (an integer 0–100)."""
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > 100:
        raise UsageError(f"--max-score 的取值 {value!r} 无效，应为 0–100 的整数")
    return int(value)


_SIZE_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


def parse_size(value: str, option: str) -> int:
    """Parse a size such as ``50M``, ``200MB``, ``1.5G`` or ``4096`` (bytes)."""
    text = value.strip().upper().removesuffix("B")
    number, unit = (text[:-1], text[-1]) if text[-1:] in _SIZE_UNITS else (text, "")
    try:
        size = float(number)
    except ValueError:
        size = -1.0
    if not size >= 0 or size == float("inf"):
        raise UsageError(f"{option} 的取值 {value!r} 无效，应为字节数或带单位的大小，如 50M、1G（0 表示不限）")
    return int(size * _SIZE_UNITS[unit])


def parse_jobs(value: str | None) -> int:
    """Parse ``--jobs`` (a positive integer); the number of cores when not given."""
    if value is None:
        return default_jobs()
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise UsageError(f"--jobs 的取值 {value!r} 无效，应为正整数")
    return int(value)


def parse_timeout(value: str | None) -> float | None:
    """Parse ``--timeout`` (seconds, 0: no limit); the default limit when not given."""
    if value is None:
        return Settings.timeout
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise UsageError(f"--timeout 的取值 {value!r} 无效，应为秒数（0 表示不限）")
    return seconds or None


def parse_date(value: str | None) -> date | None:
    """Parse ``--date`` (YYYY-MM-DD)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--date 的取值 {value!r} 无效，应为 YYYY-MM-DD") from None


def rule_dirs(values: list[Path] | None) -> tuple[Path, ...]:
    return tuple(values or ())


def given_options(ctx: typer.Context) -> set[str]:
    """Parameters given on the command line, as opposed to left at their defaults."""
    sources = {name: ctx.get_parameter_source(name) for name in ctx.params}
    return {name for name, source in sources.items() if source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT")}


def rule_settings(
    select: list[str] | None, ignore: list[str] | None, severity: str, rules: list[Path] | None, **fields: object
) -> Settings:
    """Settings from the options every rule-running command shares, plus command-specific ``fields``."""
    return Settings(
        select=split_names(select),
        ignore=split_names(ignore),
        min_severity=parse_severity(severity, "--severity"),
        rule_dirs=rule_dirs(rules),
        **fields,
    )
