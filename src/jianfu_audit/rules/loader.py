"""Load and validate YAML rule files; every problem becomes a ``RuleError``
naming the file, the line and the field."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import re2
import ruamel.yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from jianfu_audit import cache
from jianfu_audit.errors import RuleError
from jianfu_audit.findings import Severity
from jianfu_audit.rules.model import Clause, Condition, Examples, Rule, RuleSet
from jianfu_audit.rules.patterns import only_regexes, parse_pattern
from jianfu_audit.rules.schema import RULE_FILE

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    """The schema validator (jsonschema is imported only when something is validated:
    it takes 0.05 s, and a cached rule set or a run without a config file needs none)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(RULE_FILE)


def bundled_rules_dir() -> Path:
    """The rule pack shipped with the package (wheel) or the checkout's ``rules/``."""
    packaged = resources.files("jianfu_audit") / "_bundled_rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "rules"


def rule_files(directory: Path) -> list[Path]:
    """YAML files in ``directory`` (recursively), in a stable order."""
    if directory.is_file():
        return [directory]
    if not directory.is_dir():
        raise RuleError(str(directory), None, None, "规则目录不存在")
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load_rules(extra_dirs: Iterable[Path] = (), *, bundled: bool = True) -> RuleSet:
    """Load the bundled pack (unless ``bundled`` is false) and every extra folder.

    Building the rules (schema checks, compiling every regex to validate it) takes
    longer than checking a small notice, so a rule set built from unchanged files
    by unchanged code comes from the private cache. A rule file with an error is
    never cached: its error is reported again on every run.
    """
    directories = ([bundled_rules_dir()] if bundled else []) + list(extra_dirs)
    files = [path for directory in directories for path in rule_files(directory)]
    stamp = "\0".join(f"{path.resolve()}\0{_read_text(path)}" for path in files)
    try:
        code = _code_stamp()
    except OSError:  # the package cannot be looked at to key the cache: build it
        return _build_rules(directories, files)
    return cache.remember("ruleset", f"{code}\0{directories}\0{stamp}", lambda: _build_rules(directories, files))


def _code_stamp() -> str:
    """What a built rule set depends on besides the rule files: this package's code
    (every module's size and time of change) and the libraries that build it."""
    package = Path(__file__).resolve().parents[1]
    modules = sorted(package.rglob("*.py"))
    stats = ";".join(f"{module.relative_to(package)}:{module.stat().st_size}:{module.stat().st_mtime_ns}" for module in modules)
    return f"{sys.version}|{re2.__name__}:{_version('google-re2')}|{ruamel.yaml.__version__}|{_version('jsonschema')}|{stats}"


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


def _build_rules(directories: list[Path], files: list[Path]) -> RuleSet:
    """Read, check and build every rule file (see ``load_rules``)."""
    documents = [(path, read_yaml(path)) for path in files]
    exceptions: dict[str, Condition] = {}
    defaults: list[str] = []
    for path, data in documents:
        for index, spec in enumerate(data.get("exceptions", [])):
            if spec["id"] in exceptions:
                raise RuleError(str(path), _line(data, ["exceptions", index]), "id", f"例外 {spec['id']} 重复定义")
            exceptions[spec["id"]] = _build(path, data, ["exceptions", index], lambda: Condition.from_spec(spec, "before"))
        for index, name in enumerate(data.get("defaults", [])):
            if name not in defaults:
                defaults.append(name)
    for path, data in documents:
        for index, name in enumerate(data.get("defaults", [])):
            if name not in exceptions:
                raise RuleError(str(path), _line(data, ["defaults", index]), "defaults", f"未定义的例外：{name}")
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path, data in documents:
        for index, spec in enumerate(data.get("rules", [])):
            where = ["rules", index]
            if spec["id"] in seen:
                raise RuleError(str(path), _line(data, where + ["id"]), "id", f"规则编号 {spec['id']} 与 {seen[spec['id']]} 重复")
            seen[spec["id"]] = str(path)
            rules.append(_rule(path, data, where, spec, exceptions, tuple(defaults)))
    return RuleSet(rules, exceptions, tuple(defaults), [str(d) for d in directories], load_clauses(documents))


def load_clauses(documents: list[tuple[Path, Any]]) -> dict[str, Clause]:
    """The clause registry (``clauses`` with their ``sources``) from every rule file."""
    sources: dict[str, str] = {}
    for _, data in documents:
        sources.update(data.get("sources", {}))
    clauses: dict[str, Clause] = {}
    for path, data in documents:
        for index, spec in enumerate(data.get("clauses", [])):
            where = ["clauses", index]
            if spec["id"] in clauses:
                raise RuleError(str(path), _line(data, where + ["id"]), "id", f"条款 {spec['id']} 重复登记")
            if spec["source"] not in sources:
                raise RuleError(str(path), _line(data, where + ["source"]), "source", f"未登记的来源：{spec['source']}")
            clauses[spec["id"]] = Clause(
                spec["id"], sources[spec["source"]], spec["category"], " ".join(spec["summary"].split()),
                spec["detectable"], " ".join(spec.get("reason", "").split()),
            )
    return clauses


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RuleError(str(path), None, None, f"无法读取（{error}）") from None


def read_yaml(path: Path) -> Any:
    """Parse and schema-check one rule file."""
    text = _read_text(path)
    try:
        # Parsing keeps line numbers and is slow (0.2 s for the bundled pack); the
        # parsed tree of an unchanged file comes from the private cache.
        group = "rules-" + cache.digest(str(path.resolve()))
        data = cache.remember(group, f"{ruamel.yaml.__version__}|{text}", lambda: YAML(typ="rt").load(text))
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise RuleError(str(path), mark.line + 1 if mark else None, None, f"YAML 语法错误：{problem}") from None
    except RecursionError:
        raise RuleError(str(path), None, None, "YAML 嵌套层数过多，无法读取") from None
    if data is None:
        return {}
    _reject_aliases(path, data)
    errors = sorted(_validator().iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        error = _deepest(errors[0])
        path_parts = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {})
            path_parts += [key for key in error.instance if key not in allowed][:1]  # point at the unknown key
        raise RuleError(str(path), _line(data, path_parts), _field(path_parts), _explain(error))
    return data


def _reject_aliases(path: Path, data: Any) -> None:
    """Refuse YAML aliases (``*name``): a node reached twice can nest exponentially
    (an alias bomb) and would hang schema checks and pattern building."""
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, (dict, list)):
            if id(node) in seen:
                lc = getattr(node, "lc", None)
                line = lc.line + 1 if lc is not None and lc.line is not None else None
                raise RuleError(str(path), line, None, "不支持 YAML 锚点和别名（&名称/*名称）：请直接写出内容")
            seen.add(id(node))
            stack.extend(node.values() if isinstance(node, dict) else node)


def _deepest(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, the most specific sub-error."""
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return error


def _rule(path: Path, data: Any, where: list, spec: dict, exceptions: dict[str, Condition], defaults: tuple[str, ...]) -> Rule:
    unless: list[Condition] = []
    ignored = set(spec.get("ignore_defaults", []))
    if "*" in ignored:  # a whole-document measure (length, form count): no sentence context applies
        ignored = set(defaults)
    for name in ignored - set(defaults):
        raise RuleError(str(path), _line(data, where + ["ignore_defaults"]), "ignore_defaults", f"不是默认例外：{name}")
    for name in defaults:
        if name not in ignored:
            unless.append(exceptions[name])
    for index, item in enumerate(spec.get("unless", [])):
        if isinstance(item, str):
            if item not in exceptions:
                raise RuleError(str(path), _line(data, where + ["unless", index]), "unless", f"未定义的例外：{item}")
            unless.append(exceptions[item])
        else:
            unless.append(_build(path, data, where + ["unless", index], lambda item=item: Condition.from_spec(item, "before")))
    inside = tuple(
        _build(path, data, where + ["inside", i], lambda c=c: Condition.from_spec(c)) for i, c in enumerate(spec.get("inside", []))
    )
    pattern = _build(path, data, where + ["pattern"], lambda: parse_pattern(spec["pattern"]))
    return Rule(
        id=spec["id"],
        category=spec["category"],
        severity=Severity.parse(spec["severity"]),
        message=spec["message"].strip(),
        suggestion=spec["suggestion"].strip(),
        citation=tuple(spec["citation"]),
        pattern=pattern,
        inside=inside,
        exceptions=tuple(unless),
        examples=Examples(tuple(spec["examples"]["positive"]), tuple(spec["examples"]["negative"])),
        source=str(path),
        name=spec.get("name", ""),
        description=spec.get("description", "").strip(),
        spec=spec,
        regex_only=only_regexes(pattern),
    )


def _build(path: Path, data: Any, where: list, factory: Any) -> Any:
    try:
        return factory()
    except ValueError as error:
        raise RuleError(str(path), _line(data, where), _field(where), str(error)) from None


def _line(data: Any, parts: list) -> int | None:
    """1-based line of the node at ``parts`` (or of its nearest ancestor)."""
    line = None
    node = data
    for part in parts:
        lc = getattr(node, "lc", None)
        try:
            if lc is not None:
                line = (lc.key(part) if isinstance(part, str) else lc.item(part))[0] + 1
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return line


def _field(parts: list) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "（文件顶层）"


def _explain(error: ValidationError) -> str:
    """A Chinese one-liner for a schema violation."""
    validator, value = error.validator, error.validator_value
    if validator == "required":
        missing = [name for name in value if name not in (error.instance or {})]
        return "缺少必填字段：" + "、".join(missing)
    if validator == "additionalProperties":
        allowed = error.schema.get("properties", {})
        extra = [k for k in error.instance if k not in allowed]
        return "未知字段：" + "、".join(map(str, extra)) + "（允许：" + "、".join(allowed) + "）"
    if validator == "enum":
        return f"取值 {error.instance!r} 无效，应为：" + "、".join(map(str, value))
    if validator == "type":
        names = {"string": "字符串", "array": "列表", "object": "映射", "integer": "整数", "boolean": "布尔值"}
        wanted = value if isinstance(value, list) else [value]
        return "类型错误，应为" + "或".join(names.get(v, v) for v in wanted)
    if validator == "minItems":
        return f"至少需要 {value} 项"
    if validator == "maxItems":
        return f"最多 {value} 项"
    if validator == "minLength":
        return "不能为空"
    if validator == "pattern":
        return f"格式不符合 {value}：{error.instance!r}"
    if validator in ("minProperties", "maxProperties"):
        return "模式必须恰好包含一种类型（terms、regex、sequence、any）"
    if validator == "anyOf":
        return "缺少匹配内容（terms、regex、sequence 或 quoted 之一）"
    if validator in ("minimum", "maximum"):
        return f"数值超出范围：{error.instance!r}"
    return error.message
