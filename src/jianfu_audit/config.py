"""Configuration files: ``.jianfu-audit.toml`` or ``[tool.jianfu-audit]`` in ``pyproject.toml``.

The nearest file is found by walking up from the first checked path (as ruff
does); ``--config`` names one explicitly. The table is validated against
``SCHEMA`` (unknown keys and bad values are errors naming the key), turned into
``Settings``, and command-line options given explicitly override it.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jianfu_audit.errors import UsageError
from jianfu_audit.findings import CATEGORIES, SEVERITY_NAMES, Severity
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.rules.model import RuleSet
from jianfu_audit.settings import Settings, Suppression

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAME = ".jianfu-audit.toml"
PYPROJECT = "pyproject.toml"
TOOL_KEY = "jianfu-audit"

_NAMES = {"type": "array", "items": {"type": "string", "minLength": 1}}
_DATES = {"type": "array", "items": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}}

#: The configuration table (top level of ``.jianfu-audit.toml``).
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "select": _NAMES,
        "ignore": _NAMES,
        "severity": {"enum": list(SEVERITY_NAMES)},
        "fail_on": {"enum": [*SEVERITY_NAMES, "never"]},
        "max_score": {"type": "integer", "minimum": 0, "maximum": 100},
        "severity_overrides": {"type": "object", "additionalProperties": {"enum": list(SEVERITY_NAMES)}},
        "rules": _NAMES,
        "include": _NAMES,
        "exclude": _NAMES,
        "deadline_min_workdays": {"type": "integer", "minimum": 0, "maximum": 365},
        "extra_holidays": _DATES,
        "extra_workdays": _DATES,
        "max_forms": {"type": "integer", "minimum": 0, "maximum": 100},
        "ocr": {"type": "boolean"},
        "suppress": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["reason"],
                "properties": {"reason": {"type": "string", "minLength": 1}, "rules": _NAMES, "paths": _NAMES},
            },
        },
    },
}


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    """The schema validator (jsonschema is imported only when something is validated:
    it takes 0.05 s, and a cached rule set or a run without a config file needs none)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(SCHEMA)
_TYPE_NAMES = {"string": "字符串", "array": "列表", "object": "表", "integer": "整数"}
_FAIL_ON: dict[str, Severity | None] = {"never": None, **{name: Severity.parse(name) for name in SEVERITY_NAMES}}


def find_config(start: Path) -> Path | None:
    """The nearest ``.jianfu-audit.toml``, or ``pyproject.toml`` with a ``[tool.jianfu-audit]``
    table, in ``start`` or a folder above it."""
    start = Path(os.path.abspath(start))
    for folder in (start if start.is_dir() else start.parent, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
        if has_table(folder / PYPROJECT):
            return folder / PYPROJECT
    return None


def has_table(pyproject: Path) -> bool:
    """Whether ``pyproject`` exists and has a ``[tool.jianfu-audit]`` table."""
    return pyproject.is_file() and TOOL_KEY in _parse(pyproject).get("tool", {})


def read_config(path: Path) -> dict[str, Any]:
    """The validated configuration table of ``path`` (dates as ISO strings)."""
    data = _parse(path)
    if path.name == PYPROJECT:
        if TOOL_KEY not in data.get("tool", {}):
            raise UsageError(f"配置文件 {path} 中没有 [tool.{TOOL_KEY}] 表")
        data = data["tool"][TOOL_KEY]
    data = _iso_dates(data)
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        error = errors[0]
        raise UsageError(f"配置文件 {path}：配置项 {_key(error)}：{_explain(error)}")
    for key in ("extra_holidays", "extra_workdays"):
        for index, value in enumerate(data.get(key, [])):
            try:
                date.fromisoformat(value)
            except ValueError:
                raise UsageError(f"配置文件 {path}：配置项 {key}[{index}]：日期 {value!r} 不存在") from None
    return data


def settings_from(table: dict[str, Any], root: Path) -> Settings:
    """Settings for a validated table; relative paths and globs are taken from ``root``."""
    defaults = Settings()
    return Settings(
        select=tuple(table.get("select", ())),
        ignore=tuple(table.get("ignore", ())),
        severity_overrides={rule: Severity.parse(name) for rule, name in table.get("severity_overrides", {}).items()},
        min_severity=Severity.parse(table["severity"]) if "severity" in table else defaults.min_severity,
        fail_on=_FAIL_ON[table["fail_on"]] if "fail_on" in table else defaults.fail_on,
        rule_dirs=tuple(root / folder for folder in table.get("rules", ())),
        include=tuple(anchor(p, root) for p in table.get("include", ())),
        exclude=tuple(anchor(p, root) for p in table.get("exclude", ())),
        deadline_min_workdays=table.get("deadline_min_workdays", defaults.deadline_min_workdays),
        extra_holidays=tuple(date.fromisoformat(d) for d in table.get("extra_holidays", ())),
        extra_workdays=tuple(date.fromisoformat(d) for d in table.get("extra_workdays", ())),
        max_score=table.get("max_score"),
        max_forms=table.get("max_forms", defaults.max_forms),
        ocr=table.get("ocr", defaults.ocr),
        suppressions=tuple(
            Suppression(s["reason"], tuple(s.get("rules", ())), tuple(s.get("paths", ())), root)
            for s in table.get("suppress", ())
        ),
    )


def anchor(pattern: str, root: Path) -> str:
    """A glob with a ``/`` is relative to the config folder; one without matches file names."""
    return (root / pattern).as_posix() if "/" in pattern else pattern


#: Settings fields a config file sets, and the command-line option that overrides each.
CONFIGURED: dict[str, str | None] = {
    "select": "select",
    "ignore": "ignore",
    "min_severity": "severity",
    "fail_on": "fail_on",
    "include": "include",
    "exclude": "exclude",
    "max_score": "max_score",
    "severity_overrides": None,
    "deadline_min_workdays": None,
    "extra_holidays": None,
    "extra_workdays": None,
    "max_forms": None,
    "ocr": "ocr",
    "suppressions": None,
}


def merge(cli: Settings, given: set[str], configured: Settings) -> Settings:
    """``cli`` with every configured value whose option was not given on the command line;
    rule folders from both, the configured ones first."""
    values = {name: getattr(configured, name) for name, option in CONFIGURED.items() if option not in given}
    return replace(cli, **values, rule_dirs=configured.rule_dirs + cli.rule_dirs)


def load_settings(paths: Sequence[str], config: Path | None, cli: Settings, given: set[str]) -> Settings:
    """Merge the given (``--config``) or nearest config file into the command-line settings
    ``cli``; ``given`` names the options that were given explicitly."""
    if config is not None and not config.is_file():
        raise UsageError(f"配置文件 {config} 不存在")
    first = next((p for p in paths if p != "-"), ".")
    path = config or find_config(Path(first))
    if path is None:
        return cli
    return merge(cli, given, settings_from(read_config(path), Path(os.path.abspath(path.parent))))


def resolve(paths: Sequence[str], config: Path | None, cli: Settings, given: set[str]) -> tuple[Settings, RuleSet]:
    """The merged settings and the rules they load, with rule names checked."""
    settings = load_settings(paths, config, cli, given)
    ruleset = load_rules(settings.rule_dirs)
    check_names(settings, ruleset)
    return settings, ruleset


def check_names(settings: Settings, ruleset: RuleSet) -> None:
    """Reject rule names that match nothing, so a typo does not silently do nothing."""
    ids = [rule.id for rule in ruleset.rules]

    def known(name: str) -> bool:
        return name in CATEGORIES or any(fnmatchcase(rule_id, name) for rule_id in ids)

    for key, names in (
        ("select", settings.select),
        ("ignore", settings.ignore),
        *(("suppress.rules", s.rules) for s in settings.suppressions),
    ):
        for name in names:
            if not known(name):
                raise UsageError(f"{key} 中的 {name!r} 不是规则编号或类别，也不匹配任何规则（用 jianfu-audit rules list 查看）")
    for rule_id in settings.severity_overrides:
        if rule_id not in ids:
            raise UsageError(f"severity_overrides 中的 {rule_id!r} 不是规则编号（用 jianfu-audit rules list 查看）")


def _parse(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise UsageError(f"无法读取配置文件 {path}（{error.strerror}）") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"配置文件 {path}：TOML 语法错误：{_toml_message(str(error))}") from None


def _toml_message(message: str) -> str:
    """``Invalid value (at line 3, column 9)`` → ``第 3 行第 9 列：Invalid value``."""
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if match is None:
        return message
    return f"第 {match[1]} 行第 {match[2]} 列：" + message[: match.start()].strip()


def _iso_dates(value: Any) -> Any:
    """TOML dates → ISO strings, so the schema sees JSON types only."""
    if isinstance(value, dict):
        return {k: _iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso_dates(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _key(error: ValidationError) -> str:
    """``suppress[0].reason`` style path of the offending key."""
    parts: list[str] = []
    for part in error.absolute_path:
        parts.append(f"[{part}]" if isinstance(part, int) else ("." if parts else "") + str(part))
    if error.validator == "additionalProperties":
        extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
        parts.append(("." if parts else "") + extra[0])
    return "".join(parts) or "（顶层）"


def _explain(error: ValidationError) -> str:
    validator, value = error.validator, error.validator_value
    if validator == "additionalProperties":
        allowed = error.schema.get("properties")
        return "未知的配置项" + ("（可用：" + "、".join(allowed) + "）" if allowed else "")
    if validator == "enum":
        return f"取值 {error.instance!r} 无效，应为 " + "、".join(map(str, value))
    if validator == "type":
        return f"类型错误，应为{_TYPE_NAMES.get(value, value)}"
    if validator == "required":
        return "缺少 " + "、".join(name for name in value if name not in error.instance)
    if validator in ("minimum", "maximum"):
        low, high = error.schema.get("minimum"), error.schema.get("maximum")
        return f"数值 {error.instance!r} 超出范围 {low}–{high}"
    if validator == "minLength":
        return "不能为空"
    if validator == "pattern":
        return f"{error.instance!r} 不是 YYYY-MM-DD 格式的日期"
    return error.message

