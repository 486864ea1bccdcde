"""Invalid rule files: a RuleError naming file, line and field — and from the CLI,
one line on stderr, exit code 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import rule_yaml
from jianfu_audit.errors import RuleError
from jianfu_audit.rules.loader import load_rules

GOOD = rule_yaml()


def write(folder: Path, text: str, name: str = "r.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(folder: Path) -> RuleError:
    with pytest.raises(RuleError) as info:
        load_rules([folder], bundled=False)
    return info.value


def test_good_file_loads(tmp_path):
    write(tmp_path, GOOD)
    ruleset = load_rules([tmp_path], bundled=False)
    assert [r.id for r in ruleset.rules] == ["x-rule"]
    assert ruleset.rules[0].source == str(tmp_path / "r.yaml")


# (name, edit of GOOD, expected line, expected field, words the message must contain)
CASES = [
    ("yaml-syntax", ("terms: [会议]", "terms: [会议"), 10, None, ["YAML"]),
    ("unknown-key", ("    severity: warning\n", "    severity: warning\n    colour: red\n"), 5, "rules[0].colour", ["colour"]),
    ("wrong-type", ("citation: [RG-2024-04]", "citation: RG-2024-04"), 7, "rules[0].citation", ["列表"]),
    ("missing-field", ("    suggestion: 测试建议\n", ""), 2, "rules[0]", ["suggestion"]),
    ("bad-category", ("category: meeting", "category: meetings"), 3, "rules[0].category", ["meetings"]),
    ("bad-severity", ("severity: warning", "severity: fatal"), 4, "rules[0].severity", ["fatal"]),
    ("bad-id", ("id: x-rule", "id: X Rule"), 2, "rules[0].id", ["X Rule"]),
    ("invalid-regex", ("terms: [会议]", "regex: '会议(('"), 8, "rules[0].pattern", ["正则", "missing )"]),
    ("two-kinds", ("terms: [会议]", "terms: [会议]\n      regex: 会议"), 8, "rules[0].pattern", ["一种"]),
    ("unknown-kind", ("terms: [会议]", "words: [会议]"), 9, "rules[0].pattern.words", ["words"]),
    ("few-examples", ("positive: [会议在三楼召开。, 会议由县长主持。]", "positive: [会议在三楼召开。]"), 11,
     "rules[0].examples.positive", ["2"]),
    ("gap-type", ("terms: [会议]", "sequence: {steps: [每周, 会议], max_gap: many}"), 9,
     "rules[0].pattern.sequence.max_gap", ["整数"]),
    ("undefined-exception", ("    pattern:\n", "    unless: [no-such]\n    pattern:\n"), 8, "unless", ["no-such"]),
    ("duplicate-key", ("    severity: warning\n", "    severity: warning\n    severity: error\n"), 5, None, ["severity"]),
]


@pytest.mark.parametrize(("edit", "line", "field", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_error_names_file_line_field(tmp_path, edit, line, field, words):
    old, new = edit
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    error = load_error(tmp_path)
    assert error.path == str(path)
    assert error.line == line
    assert error.field is None if field is None else (error.field or "").endswith(field)
    message = str(error)
    assert message.startswith(f"规则文件 {path}:{line}：")
    for word in words:
        assert word in message
    assert "\n" not in message


def test_top_level_must_be_a_mapping(tmp_path):
    path = write(tmp_path, "- a\n- b\n")
    error = load_error(tmp_path)
    assert error.path == str(path) and "映射" in str(error)


def test_unknown_top_level_key(tmp_path):
    write(tmp_path, "rule: []\n")
    assert "rule" in str(load_error(tmp_path))


def test_duplicate_id_across_files(tmp_path):
    first = write(tmp_path, GOOD, "a.yaml")
    second = write(tmp_path, GOOD, "b.yaml")
    error = load_error(tmp_path)
    assert error.path == str(second) and error.line == 2 and error.field == "id"
    assert "x-rule" in str(error) and str(first) in str(error)


def test_duplicate_exception_id(tmp_path):
    exception = "exceptions:\n  - id: e-one\n    terms: [不得]\n"
    write(tmp_path, exception, "a.yaml")
    path = write(tmp_path, exception, "b.yaml")
    error = load_error(tmp_path)
    assert error.path == str(path) and error.line == 2 and "e-one" in str(error)


def test_default_naming_an_undefined_exception(tmp_path):
    path = write(tmp_path, "defaults: [nowhere]\n")
    error = load_error(tmp_path)
    assert (error.path, error.line, error.field) == (str(path), 1, "defaults")


def test_missing_rule_folder(tmp_path):
    error = load_error(tmp_path / "nope")
    assert "不存在" in str(error)


def test_empty_file_is_fine(tmp_path):
    write(tmp_path, "")
    assert load_rules([tmp_path], bundled=False).rules == []


def test_bundled_rules_load_and_are_complete():
    ruleset = load_rules()
    assert ruleset.rules, "the bundled pack has no rules"
    for rule in ruleset.rules:
        assert rule.message and rule.suggestion and rule.citation
        assert len(rule.examples.positive) >= 2 and len(rule.examples.negative) >= 2


# ------------------------------------------------------------------ CLI

@pytest.mark.parametrize(
    "edit",
    [("terms: [会议]", "terms: [会议"), ("terms: [会议]", "regex: '会议(('"), ("    severity: warning\n", "    colour: red\n")],
    ids=["yaml-syntax", "invalid-regex", "unknown-key"],
)
@pytest.mark.parametrize("command", ["check", "rules-list", "rules-test"])
def test_cli_reports_rule_error_in_one_line(cli, tmp_path, edit, command):
    rules = tmp_path / "rules"
    path = write(rules, GOOD.replace(*edit))
    notice = tmp_path / "n.txt"
    notice.write_text("会议在三楼召开。\n", encoding="utf-8")
    args = {
        "check": ["check", "--rules", rules, notice],
        "rules-list": ["rules", "list", "--rules", rules],
        "rules-test": ["rules", "test", rules],
    }[command]
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and "Traceback" not in result.stderr


def test_real_process_prints_no_traceback_and_no_library_log(tmp_path):
    """The RE2 library must not write its own log lines next to ours."""
    import sys

    from conftest import run_process

    rules = tmp_path / "rules"
    path = write(rules, GOOD.replace("terms: [会议]", "regex: '会议(('"))
    done = run_process([sys.executable, "-m", "jianfu_audit", "rules", "list", "--rules", str(rules)])
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 2
    assert stderr.strip().splitlines() == [stderr.strip()], stderr
    assert str(path) in stderr and "Traceback" not in stderr
