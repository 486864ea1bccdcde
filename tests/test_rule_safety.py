"""A user's rule file cannot crash or hang a run.

Malformed YAML, unknown keys and wrong types become one ``RuleError`` naming the
file (tests/test_rule_loading.py checks the line and field of each); here the
hostile cases: YAML alias bombs, absurd nesting, bytes that are not UTF-8, and
regular expressions built to backtrack forever. Rule regexes are compiled by
RE2, a linear-time engine: there is no backtracking to exploit, and patterns
that need it (back-references, look-around) are refused when the rules load.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import rule_yaml
from jianfu_audit.document import document_from_text
from jianfu_audit.errors import RuleError
from jianfu_audit.rules.engine import check_document
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.settings import Settings

def write_rules(folder: Path, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "user.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def load_error(folder: Path) -> RuleError:
    started = time.perf_counter()
    with pytest.raises(RuleError) as info:
        load_rules([folder], bundled=False)
    assert time.perf_counter() - started < 10
    assert "\n" not in str(info.value)
    return info.value


def regex_rule(pattern: str) -> str:
    return rule_yaml(rule_id="user-rule", pattern="regex: '" + pattern.replace("'", "''") + "'")


# ------------------------------------------------------------------ malformed files

@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("rules: [", "YAML"),
        ("rules:\n  - id: a\n   bad: indent\n", "YAML"),
        ("rules: {id: a}\n", "列表"),
        ("rules:\n  - just a string\n", "映射"),
        (rule_yaml(rule_id="user-rule", pattern="terms: [会议]").replace("message: 测试说明", "message: 12"), "字符串"),
        (rule_yaml(rule_id="user-rule", pattern="terms: [会议]").replace("    severity", "    colour: red\n    severity"), "colour"),
        (rule_yaml(rule_id="user-rule", pattern="terms: 会议"), "列表"),
        (rule_yaml(rule_id="user-rule", pattern="sequence: {steps: [每周, 会议], within: page}"), "page"),
        (rule_yaml(rule_id="user-rule", pattern="any: [{terms: [会议]}, {colour: red}]"), "colour"),
    ],
    ids=["unclosed", "indent", "rules-not-list", "rule-not-mapping", "message-int", "unknown-key",
         "terms-not-list", "bad-within", "unknown-nested-kind"],
)
def test_malformed_rule_files_are_one_named_error(tmp_path, text, words):
    path = write_rules(tmp_path, text)
    error = load_error(tmp_path)
    assert error.path == str(path) and words in str(error)


def test_rule_file_that_is_not_utf8(tmp_path):
    write_rules(tmp_path, rule_yaml(rule_id="user-rule", pattern="terms: [会议]").encode("gb18030"))
    assert "无法读取" in str(load_error(tmp_path))


def test_yaml_alias_bomb_is_refused(tmp_path):
    """Nine aliases per level, eight levels: 43 million patterns if expanded
    (this hung the loader for minutes before aliases were refused)."""
    nested = "&p0 {terms: [会议]}" + ", *p0" * 8
    for level in range(1, 9):
        nested = f"&p{level} {{any: [{nested}]}}" + (f", *p{level}" * 8 if level < 8 else "")
    write_rules(tmp_path, rule_yaml(rule_id="user-rule", pattern=nested.removeprefix("&p8 ")[1:-1]))
    error = load_error(tmp_path)
    assert "别名" in str(error) and error.line == 9


def test_deep_nesting_is_refused(tmp_path):
    write_rules(tmp_path, "rules: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "嵌套" in str(load_error(tmp_path))


# ------------------------------------------------------------------ regular expressions

@pytest.mark.parametrize(
    "pattern",
    [r"(会议)\1", "会议(?=通知)", "(?<=召开)会议", "(?P<x>会)(?P=x)", "会议++", "会{1001}"],
    ids=["backreference", "lookahead", "lookbehind", "named-backreference", "possessive", "huge-repeat"],
)
def test_backtracking_only_syntax_is_refused_at_load(tmp_path, pattern):
    write_rules(tmp_path, regex_rule(pattern))
    error = load_error(tmp_path)
    assert "RE2" in str(error) and error.field.endswith("pattern")


CATASTROPHIC = [r"(a+)+$", r"(a|aa)*b", r"(.*a){20}x", r"(会+)+议$", r"([^，]*，)*结束$"]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_regex_runs_in_linear_time(tmp_path, pattern):
    """Each of these takes exponential time in a backtracking engine on this text."""
    write_rules(tmp_path, regex_rule(pattern))
    ruleset = load_rules([tmp_path], bundled=False)
    text = "a" * 20_000 + "会" * 20_000 + "，" * 5_000 + "b\n" + "会议" * 100 + "。"
    started = time.perf_counter()
    check_document(document_from_text(text, "<hostile>"), ruleset, Settings())
    assert time.perf_counter() - started < 10


def test_catastrophic_regex_in_an_exception_is_linear_too(tmp_path):
    text = rule_yaml(rule_id="user-rule", pattern="terms: [会议]").replace(
        "    pattern:", "    unless:\n      - regex: '(a+)+$'\n        scope: document\n    pattern:"
    )
    write_rules(tmp_path, text)
    ruleset = load_rules([tmp_path], bundled=False)
    document = document_from_text("a" * 30_000 + "b\n" + "会议在三楼召开。\n" * 200, "<hostile>")
    started = time.perf_counter()
    findings = check_document(document, ruleset, Settings())
    assert time.perf_counter() - started < 10
    assert len(findings) == 200


def test_many_scoped_regex_searches_stay_linear(tmp_path):
    """Thousands of matches, each checked by a scoped regex condition: the text is
    encoded for RE2 once, not once per search (that was quadratic: 4× the text
    took 16× the time)."""
    text = rule_yaml(rule_id="user-rule", pattern="regex: '会议'").replace(
        "    pattern:", "    inside:\n      - regex: '召开'\n        scope: sentence\n    pattern:"
    )
    write_rules(tmp_path, text)
    ruleset = load_rules([tmp_path], bundled=False)

    def seconds(count: int) -> float:
        document = document_from_text("会议在三楼召开。" * count, "<many>")
        started = time.perf_counter()
        findings = check_document(document, ruleset, Settings())
        assert len(findings) == count
        assert all(document.text[f.start : f.end] == "会议" for f in findings)
        return time.perf_counter() - started

    small, large = seconds(4_000), seconds(16_000)
    assert large < 8 * small + 0.5


def test_rule_regex_offsets_with_characters_outside_the_bmp(tmp_path):
    write_rules(tmp_path, regex_rule("会议"))
    ruleset = load_rules([tmp_path], bundled=False)
    document = document_from_text("𠀀𪚥 召开会议。😀会议", "<astral>")
    findings = check_document(document, ruleset, Settings())
    assert [document.text[f.start : f.end] for f in findings] == ["会议", "会议"]
    assert [f.start for f in findings] == [5, 9]
