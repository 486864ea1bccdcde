"""Generate ``docs/rules.md`` (every rule, the way ruff documents its rules) and
``docs/coverage.md`` (policy clause → rules) from the rule files.

    python -m jianfu_audit.rulesdoc            # rewrite both files
    python -m jianfu_audit.rulesdoc --check    # exit 1 when they are stale

Everything shown comes from the YAML: a rule's ``description``, ``message``,
``suggestion``, ``citation``, examples and exceptions, and the clause registry
(``rules/clauses.yaml``) for what each cited clause asks and why a clause cannot
be detected. Pure functions of a ``RuleSet``, so a test can compare them with
the files in the repository.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from jianfu_audit.findings import CATEGORIES, CATEGORY_LABELS
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.rules.model import Rule, RuleSet
from jianfu_audit.rules.patterns import MACROS

DOCS = Path(__file__).resolve().parents[2] / "docs"
HEADER = "<!-- 本文件由 `python -m jianfu_audit.rulesdoc` 根据 rules/ 生成，请勿手工修改。Generated; do not edit. -->\n"
_EXAMPLE_CHARS = 160
_EXAMPLE_LINES = 6

_MACRO_NOTES = {
    "{_}": "同一句中的任意一个字（不跨越。；！？和换行）",
    "{,}": "同一分句中的任意一个字（还不跨越逗号）",
    "{~}": "同一句中不是否定词（不、无、未、非、勿、免）的一个字，或“不少于”“不低于”“不超过”“不定期”“免疫”“免费”（其中的否定字并不否定）；用作要求各部分之间的间隔，保证“无需……报送”不被当成“报送”",
    "{NUM}": "任何写法的数字：3、３、三、叁、两、十二",
    "{FREQ}": "表示周期的词：每日、每周、每半月、每季度、每学期、按月、逐日、定期、实时……",
    "{BASE}": "基层单位：乡镇、街道、村（社区）、村级、网格……",
}


def _prose(text: str) -> str:
    """One line: YAML folding puts a space at each line break, which Chinese does not want."""
    return re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", " ".join(text.split()))


def _anchor(kind: str, name: str) -> str:
    return f"{kind}-{name}"


def _source(rule: Rule) -> str:
    return "rules/" + Path(rule.source).name


def _example(text: str, rule: Rule) -> list[str]:
    """An example as Markdown: a quote, or the head of a long (whole-document) one."""
    if "\n" not in text and len(text) <= _EXAMPLE_CHARS:
        return [f"> {text}"]
    lines = text.splitlines()[:_EXAMPLE_LINES]
    head = [line if len(line) <= _EXAMPLE_CHARS else line[:_EXAMPLE_CHARS] + "……" for line in lines]
    return ["```text", *head, "……", "```", f"（示例全文见 `{_source(rule)}`。）"]


def _inline_exception(spec: dict[str, Any]) -> str:
    """One line describing an exception a rule defines for itself."""
    where = {"clause": "同一分句", "sentence": "同一句", "document": "全文"}[spec.get("scope", "sentence")]
    position = {"before": "之前", "after": "之后", "any": ""}[spec.get("position", "before")]
    if spec.get("description"):
        return f"本规则另设的例外（{where}{position}）：{_prose(spec['description'])}"
    what = "、".join(
        f"{key} `{value}`" if isinstance(value, str) else f"{key} {'、'.join(map(str, value))}"
        for key, value in spec.items()
        if key in ("terms", "regex")
    )
    return f"本规则另设的例外：{where}{position}出现 {what} 时不报告"


def _exceptions(rule: Rule, ruleset: RuleSet) -> list[str]:
    lines = []
    ignored = set(rule.spec.get("ignore_defaults", []))
    if "*" in ignored:
        ignored = set(ruleset.defaults)
    for name in ruleset.defaults:
        if name not in ignored:
            lines.append(f"[{name}](#{_anchor('exception', name)})")
    extra = []
    for item in rule.spec.get("unless", []):
        if isinstance(item, str):
            lines.append(f"[{item}](#{_anchor('exception', item)})")
        else:
            extra.append(_inline_exception(item))
    text = ["- 遵循的例外：" + ("、".join(lines) if lines else "无共享例外")]
    if ignored:
        text.append("- 不套用的默认例外：" + "、".join(sorted(ignored)))
    text += [f"- {line}" for line in extra]
    return text


def _why(rule: Rule, ruleset: RuleSet) -> list[str]:
    lines = []
    for cid in rule.citation:
        clause = ruleset.clauses.get(cid)
        if clause is None:
            lines.append(f"  - **{cid}**")
        else:
            lines.append(f"  - **{cid}** {clause.source}：{_prose(clause.summary)}")
    return lines


def rule_section(rule: Rule, ruleset: RuleSet) -> list[str]:
    """The Markdown section for one rule."""
    out = [
        f'<a id="{_anchor("rule", rule.id)}"></a>',
        f"### {rule.id} {rule.name}".rstrip(),
        "",
        f"- 类别：{rule.category}（{CATEGORY_LABELS.get(rule.category, rule.category)}）；级别：{rule.severity.name}；"
        f"规则文件：`{_source(rule)}`",
        f"- 检查什么：{_prose(rule.description or rule.message)}",
        f"- 提示：{rule.message}",
        "- 为什么（依据，要点为本项目转述）：",
        *_why(rule, ruleset),
        f"- 更好的写法：{rule.suggestion}",
        *_exceptions(rule, ruleset),
        "",
        "会被报告的写法：",
        "",
    ]
    for text in rule.examples.positive:
        out += [*_example(text, rule), ""]
    out += ["不会报告的写法：", ""]
    for text in rule.examples.negative:
        out += [*_example(text, rule), ""]
    return out


def rules_markdown(ruleset: RuleSet) -> str:
    """``docs/rules.md``."""
    by_category = {name: [r for r in ruleset.rules if r.category == name] for name in CATEGORIES}
    out = [
        HEADER,
        "# 规则说明 / Rule reference",
        "",
        f"内置规则共 {len(ruleset.rules)} 条。每条规则说明它检查什么、为什么（引用的条款及其要点）、会被报告的写法、"
        "更好的写法，以及它遵循的例外。条款要点是本项目的转述，不是原文；条款全表及覆盖情况见 [coverage.md](coverage.md)。",
        "",
        "English: every bundled rule with what it catches, why (the policy clauses it cites, summarised in our own words), "
        "flagged and clean examples, the better wording and the exceptions it honours. Generated from `rules/*.yaml` by "
        "`python -m jianfu_audit.rulesdoc`; a test fails when this file is stale.",
        "",
        "## 目录",
        "",
        "| 类别 | 规则 | 级别 | 名称 |",
        "|---|---|---|---|",
    ]
    for name, rules in by_category.items():
        for rule in rules:
            out.append(f"| {name} | [{rule.id}](#{_anchor('rule', rule.id)}) | {rule.severity.name} | {rule.name} |")
    out.append("")
    for name, rules in by_category.items():
        if not rules:
            continue
        out += [f"## {name}（{CATEGORY_LABELS.get(name, name)}）", ""]
        for rule in rules:
            out += rule_section(rule, ruleset)
    out += [
        "## 例外 / Exceptions",
        "",
        "例外在 YAML 中声明一次、由引擎统一判断：匹配所在的分句、句子或全文中出现例外的模式（并满足位置要求）时，"
        "这处匹配不报告。默认例外对每条规则生效，规则可以用 `ignore_defaults` 去掉、用 `unless` 追加。",
        "",
        "English: exceptions are declared once in YAML and evaluated by the engine; the defaults apply to every rule.",
        "",
    ]
    for name, condition in ruleset.exceptions.items():
        default = "（默认）" if name in ruleset.defaults else ""
        out += [f'<a id="{_anchor("exception", name)}"></a>', f"### {name}{default}", "", _prose(condition.description), ""]
    out += [
        "## 正则简写 / Regex shorthands",
        "",
        "`regex` 模式中可以使用下列简写，编译前展开（定义见 `src/jianfu_audit/rules/patterns.py` 的 `MACROS`）。"
        "规则中的全角括号等标点会先折叠为半角并转义，与检查时折叠过的正文一致。",
        "",
        "| 简写 | 含义 |",
        "|---|---|",
    ]
    for name in MACROS:
        out.append(f"| `{name}` | {_MACRO_NOTES.get(name, '')} |")
    return "\n".join(out).rstrip() + "\n"


def coverage_markdown(ruleset: RuleSet) -> str:
    """``docs/coverage.md``: every registered clause with the rules citing it."""
    citing: dict[str, list[str]] = {}
    for rule in ruleset.rules:
        for cid in rule.citation:
            citing.setdefault(cid, []).append(rule.id)
    clauses = list(ruleset.clauses.values())
    detectable = [c for c in clauses if c.detectable]
    uncovered = [c.id for c in detectable if c.id not in citing]
    out = [
        HEADER,
        "# 条款覆盖表 / Clause coverage",
        "",
        f"条款登记表（`rules/clauses.yaml`）共 {len(clauses)} 条，其中可从公文措辞识别的 {len(detectable)} 条，"
        f"已有规则引用的 {len(detectable) - len(uncovered)} 条"
        + (f"，尚未覆盖：{'、'.join(uncovered)}。" if uncovered else "，全部覆盖。")
        + "要点为本项目转述，措辞以官方文本为准。",
        "",
        "English: every clause of the policy digest with the bundled rules citing it, or the reason it cannot be "
        "detected from a notice's wording. Generated from the rules; a test fails when a detectable clause has no rule.",
        "",
        "| 条款 | 类别 | 要点 | 规则 |",
        "|---|---|---|---|",
    ]
    for clause in clauses:
        if clause.detectable:
            rules = citing.get(clause.id, [])
            cell = "、".join(f"[{r}](rules.md#{_anchor('rule', r)})" for r in rules) if rules else "**尚未覆盖**"
        else:
            cell = f"无法从文本识别：{_prose(clause.reason)}"
        out.append(f"| {clause.id} | {clause.category} | {_prose(clause.summary)} | {cell} |")
    return "\n".join(out) + "\n"


def outputs(ruleset: RuleSet) -> dict[str, str]:
    """File name → generated content."""
    return {"rules.md": rules_markdown(ruleset), "coverage.md": coverage_markdown(ruleset)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jianfu_audit.rulesdoc", description="生成 docs/rules.md 和 docs/coverage.md。")
    parser.add_argument("--check", action="store_true", help="只检查文件是否最新，过期时以 1 退出。")
    parser.add_argument("--out", type=Path, default=DOCS, help="输出目录（默认：仓库的 docs/）。")
    args = parser.parse_args(argv)
    stale = []
    for name, content in outputs(load_rules()).items():
        path = args.out / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == content:
            continue
        stale.append(str(path))
        if not args.check:
            path.write_text(content, encoding="utf-8")
    if args.check and stale:
        print("规则文档已过期，请运行 python -m jianfu_audit.rulesdoc：" + "、".join(stale), file=sys.stderr)
        return 1
    for path in stale:
        print(f"已更新 {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
