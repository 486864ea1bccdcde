"""The engine's shortcuts change no finding: the RE2 set that rules regexes out
(and with them whole rules), the sentences where exceptions can hold at all,
``Condition.holds``'s early answers (among them the one-unit search of
``unit_local`` conditions), the one-pass index of the rules' phrases, segmenting
only the blocks a question falls in and Python's ``re`` for provably cheap regexes
give exactly what evaluating everything the long way gives."""

from __future__ import annotations

import json
import re
import re._constants as sre_constants
import re._parser as sre_parser
from contextlib import contextmanager
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianfu_audit.document import document_from_text
from jianfu_audit.rules import deadline, engine, frequency, patterns
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.rules.model import Condition
from jianfu_audit.rules.patterns import RegexFilter, compile_regex
from jianfu_audit.segment import Analysis, Span, Token, analyse, fold
from jianfu_audit.settings import Settings

RULESET = load_rules()
PHRASES = sorted({text for rule in RULESET.rules for text in (*rule.examples.positive, *rule.examples.negative)})
texts = st.lists(
    st.one_of(st.sampled_from(PHRASES), st.sampled_from(["", "\n", "，", "。", "！", "？", "；", "：", "“", "”", "不", "但"]), st.text(max_size=8)),
    max_size=12,
).map("".join)


def holds_long_way(condition: Condition, analysis: Analysis, match: Span) -> bool:
    """``Condition.holds`` without its early answers (the engine's original evaluation)."""
    scope = analysis.scope(condition.scope, match.start)
    if condition.quoted:
        quote = analysis.in_quotes(match.start, match.end)
        if quote is None or quote.end - quote.start - 2 < match.end - match.start + condition.quote_min_extra:
            return False
        if condition.pattern is None:
            return True
        return any(o.end <= quote.start for o in analysis.occurrences(condition.pattern, scope.start, quote.start))
    return any(
        condition._placed(o, match) and not condition._broken(analysis, o, match)
        for o in analysis.occurrences(condition.pattern, scope.start, scope.end)
    )


def whole_tokens(analysis: Analysis) -> list[Token]:
    """jieba's tokens of the whole text, segmented at once."""
    return analysis.memo("whole tokens", lambda: analysis.tokens)


def find_term_long_way(analysis: Analysis, term: str, lo: int = 0, hi: int | None = None) -> list[Span]:
    """``Analysis.find_term`` by searching the text for the one term every time and
    checking it against the tokens of the whole text."""
    hi = len(analysis.text) if hi is None else hi
    tokens = whole_tokens(analysis)
    starts, ends = {t.start for t in tokens}, {t.end for t in tokens}
    found = (Span(m.start(), m.start() + len(term)) for m in re.finditer(f"(?={re.escape(term)})", analysis.text))
    return [s for s in found if lo <= s.start and s.end <= hi and s.start in starts and s.end in ends]


def tokens_between_long_way(analysis: Analysis, start: int, end: int) -> int:
    """``Analysis.tokens_between`` by counting the whole text's tokens."""
    return sum(start <= t.start < end for t in whole_tokens(analysis))


def findings_json(text: str) -> str:
    findings = engine.check_document(document_from_text(text, "<t>"), RULESET, Settings())
    return json.dumps([f.to_json() for f in findings], ensure_ascii=False)


class NoFilter:
    def matching(self, text: str) -> None:
        return None


@contextmanager
def long_way():
    """Every shortcut switched off."""
    with (
        patch.object(RULESET, "regex_filter", lambda: NoFilter()),
        patch.object(Condition, "sentences", lambda condition, analysis: None),
        patch.object(Condition, "holds", holds_long_way),
        patch.object(Analysis, "find_term", find_term_long_way),
        patch.object(Analysis, "tokens_between", tokens_between_long_way),
        patch.object(patterns, "_backtracking", lambda source: None),
    ):
        yield


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts.map(lambda text: text.replace("；", "；\n")))
def test_shortcuts_give_the_same_findings(text):
    with patch.object(RegexFilter, "STRETCH", 8):
        fast = findings_json(text)
    with long_way():
        slow = findings_json(text)
    assert fast == slow


@settings(max_examples=200, deadline=None)
@given(texts.map(lambda text: text.replace("。", "。\n")))
def test_regex_filter_never_rules_out_a_match(text):
    folded = fold(text)
    with patch.object(RegexFilter, "STRETCH", 8):  # many stretches even in a short text
        matchable = RULESET.regex_filter().matching(folded)
    assert matchable is not None
    for source in RULESET.regex_filter().sources:
        encoded = folded.encode("utf-8", "surrogatepass")
        for match in compile_regex(source).finditer(encoded):
            assert source in matchable, source
            # and the stretch it lies in is one where the regex is searched
            start = len(encoded[: match.start()].decode("utf-8", "surrogatepass"))
            end = start + len(match.group().decode("utf-8", "surrogatepass"))
            assert any(lo <= start and end <= hi for lo, hi in matchable.ranges(source, 0, len(folded))), source


def test_a_rule_of_regexes_none_of_which_can_match_is_not_searched():
    rule = RULESET.get("veto-pledge")
    assert rule is not None and rule.regex_only  # made of regexes alone
    analysis = analyse("今天天气很好。", RULESET.vocabulary())
    analysis.matchable = RULESET.regex_filter().matching(analysis.text)
    assert not rule.may_match(analysis)
    with patch.object(type(rule.pattern), "find", side_effect=AssertionError("searched")):
        assert list(engine.rule_matches(rule, analysis)) == []
    demand = analyse("各村要层层签订安全生产责任书。", RULESET.vocabulary())
    demand.matchable = RULESET.regex_filter().matching(demand.text)
    assert rule.may_match(demand) and list(engine.rule_matches(rule, demand))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab报送\n。😀é\ud800"), max_size=600))
def test_utf8_offsets_match_a_full_table(text):
    utf8 = patterns.Utf8Text(text)
    assert utf8.encoded == text.encode("utf-8", "surrogatepass")
    starts = [len(text[:i].encode("utf-8", "surrogatepass")) for i in range(len(text) + 1)]
    assert [utf8.byte_offset(i) for i in range(len(text) + 1)] == starts
    for i, byte in enumerate(starts):
        assert utf8.char_offset(byte) == i


@settings(max_examples=150, deadline=None)
@given(texts.map(lambda text: text.replace("。", "。\n")))
def test_gate_probes_scanned_with_the_rules_give_the_gates_own_answer(text):
    folded = fold(text)
    matchable = RULESET.regex_filter().matching(folded)
    for gate in (deadline.GATE, frequency.GATE):
        assert gate.placed(matchable) == gate.ranges(folded)
    assert deadline.GATE.placed(RegexFilter(["x"]).matching(folded)) is None  # not scanned: no answer


def _anchors(items) -> bool:
    """Whether a parsed pattern has an anchor or word boundary anywhere."""
    for op, arg in items:
        if op is sre_constants.AT:
            return True
        children = arg if isinstance(arg, (list, tuple)) else [arg]
        for child in children:
            if isinstance(child, sre_parser.SubPattern) and _anchors(child):
                return True
            if isinstance(child, (list, tuple)) and any(isinstance(c, sre_parser.SubPattern) and _anchors(c) for c in child):
                return True
    return False


def test_frequency_probes_have_no_anchors():
    # sentence_frequencies relies on this: a probe that matches in a sentence then
    # matches in the stretch around it too
    assert _anchors(sre_parser.parse("a(b|^c)")) and _anchors(sre_parser.parse(r"x\b"))
    assert not any(_anchors(sre_parser.parse(probe)) for probe in frequency.GATE.probes)
