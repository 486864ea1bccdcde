"""docs/rules.md and docs/coverage.md are generated from the rule files and kept current."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jianfu_audit.rules.loader import load_rules
from jianfu_audit.rulesdoc import coverage_markdown, main, outputs, rules_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs"


@lru_cache(maxsize=1)
def bundled():
    return load_rules()


def test_generated_docs_are_current():
    for name, content in outputs(bundled()).items():
        on_disk = (DOCS / name).read_text(encoding="utf-8")
        assert on_disk == content, f"docs/{name} is stale: run python -m jianfu_audit.rulesdoc"


def test_check_mode_reports_stale_files_without_writing(tmp_path, capsys):
    assert main(["--check", "--out", str(tmp_path)]) == 1
    assert "rulesdoc" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
    assert main(["--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["coverage.md", "rules.md"]
    assert main(["--check", "--out", str(tmp_path)]) == 0


def test_every_rule_is_documented_with_why_example_wording_and_exceptions():
    ruleset = bundled()
    text = rules_markdown(ruleset)
    for rule in ruleset.rules:
        start = text.index(f'<a id="rule-{rule.id}"></a>')
        end = text.find('<a id="', start + 1)
        section = text[start:end]
        assert rule.suggestion in section, rule.id
        assert rule.examples.positive[0].splitlines()[0][:40] in section, rule.id
        for cid in rule.citation:
            assert f"**{cid}**" in section and ruleset.clauses[cid].summary[:10] in section, (rule.id, cid)
        assert "遵循的例外" in section
    for name in ruleset.exceptions:
        assert f'<a id="exception-{name}"></a>' in text


def test_coverage_lists_every_clause_and_the_undetectable_with_a_reason():
    ruleset = bundled()
    text = coverage_markdown(ruleset)
    for clause in ruleset.clauses.values():
        row = next(line for line in text.splitlines() if line.startswith(f"| {clause.id} |"))
        if clause.detectable:
            assert "rules.md#rule-" in row and "尚未覆盖" not in row, clause.id
        else:
            assert "无法从文本识别" in row, clause.id
    assert "全部覆盖" in text
