"""Run every rule's embedded examples (``jianfu-audit rules test``)."""

from __future__ import annotations

from dataclasses import dataclass

from jianfu_audit.document import document_from_text
from jianfu_audit.rules.engine import rule_matches
from jianfu_audit.rules.model import Rule, RuleSet
from jianfu_audit.segment import analyse


@dataclass(frozen=True)
class ExampleFailure:
    rule: str
    source: str
    kind: str  # "positive" (missed) | "negative" (false alarm)
    text: str

    def describe(self) -> str:
        what = "正例未被检出" if self.kind == "positive" else "反例被误报"
        return f"{self.rule}（{self.source}）：{what}：{self.text}"


def flags(rule: Rule, ruleset: RuleSet, text: str) -> bool:
    """Whether ``rule`` fires anywhere in ``text``."""
    document = document_from_text(text, "<example>")
    analysis = analyse(document.text, ruleset.vocabulary())
    return any(True for _ in rule_matches(rule, analysis))


def test_rules(rules: list[Rule], ruleset: RuleSet) -> list[ExampleFailure]:
    """Every example that does not behave as declared."""
    failures: list[ExampleFailure] = []
    for rule in rules:
        for text in rule.examples.positive:
            if not flags(rule, ruleset, text):
                failures.append(ExampleFailure(rule.id, rule.source, "positive", text))
        for text in rule.examples.negative:
            if flags(rule, ruleset, text):
                failures.append(ExampleFailure(rule.id, rule.source, "negative", text))
    return failures
