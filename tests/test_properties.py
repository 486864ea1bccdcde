"""Property-based tests (hypothesis): arbitrary Unicode never crashes the pipeline,
and every finding points exactly into the checked text."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianfu_audit.document import document_from_text
from jianfu_audit.errors import InputError
from jianfu_audit.extract.txt import document_from_bytes
from jianfu_audit.jieba_setup import MAX_RUN, base_tokenizer, tokenize
from jianfu_audit.rules.engine import check_document
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.segment import Boundaries
from jianfu_audit.settings import Settings

RULESET = load_rules()  # the bundled pack: every pattern kind the product ships
PHRASES = sorted({example for rule in RULESET.rules for example in rule.examples.positive})
SEPARATORS = ["", "\n", "，", "。", "；", "“", "”", "《", "》", " ", "\u3000", "\r\n", "\t"]

# Demand sentences from the rules' own examples, cut and glued with arbitrary text,
# so that findings occur and land next to odd characters.
fragments = st.one_of(
    st.text(max_size=40),
    st.sampled_from(PHRASES),
    st.sampled_from(PHRASES).flatmap(lambda p: st.integers(0, len(p)).map(lambda i: p[i:])),
    st.sampled_from(SEPARATORS),
)
texts = st.lists(fragments, max_size=25).map("".join)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_offsets(text: str) -> int:
    document = document_from_text(text, "<property>")
    findings = check_document(document, RULESET, Settings())
    for finding in findings:
        assert 0 <= finding.start <= finding.end <= len(document.text)
        assert finding.excerpt == document.text[finding.start : finding.end]
        where = document.locate(finding.start)
        assert (finding.line, finding.column) == (where.line, where.column)
        json.dumps(finding.to_json(), ensure_ascii=False).encode("utf-8")
    return len(findings)


@PROPERTY
@given(texts)
def test_arbitrary_text_never_crashes_and_offsets_hold(text):
    check_offsets(text)


def test_the_strategy_does_produce_findings():
    """Guards the property above against testing only texts without findings."""
    assert check_offsets("\n".join(PHRASES[:20])) > 0


@PROPERTY
@given(st.binary(max_size=600))
def test_arbitrary_bytes_are_text_or_an_input_error(data):
    try:
        document = document_from_bytes(data, "<bytes>")
    except InputError as error:
        assert str(error)
        return
    check_offsets(document.text)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("的了是一二村镇报送台账会议否决"), min_size=MAX_RUN + 1, max_size=3 * MAX_RUN))
def test_cut_runs_still_cover_the_text(text):
    tokens = list(tokenize(base_tokenizer(), text))
    assert "".join(word for word, _, _ in tokens) == text
    assert all(text[start:end] == word for word, start, end in tokens)


def assert_boundaries_match_whole_text(text: str) -> None:
    """``Boundaries``, segmenting block by block when asked, answers as the tokens of
    the whole text do: where tokens start or end, and how many lie between two of them."""
    cutter = base_tokenizer()
    tokens = list(tokenize(cutter, text))
    edges = {0, len(text)} | {start for _, start, _ in tokens} | {end for _, _, end in tokens}
    lazy = Boundaries(cutter, text)
    assert [offset for offset in range(len(text) + 1) if lazy.at(offset)] == sorted(edges)
    ordered = sorted(edges)
    for i, start in enumerate(ordered):
        for end in ordered[i : i + 12]:
            assert Boundaries(cutter, text).between(start, end) == sum(start <= s < end for _, s, _ in tokens)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["报送", "台账", "一票否决", "会议", "APP", "2026", "5.8%", "a-b", "\r\n", "\r", "\n", " ", "，", "。", "“", "."]),
            st.text(alphabet=st.sampled_from("的了是一村镇报送台账会议否决ab1.\r\n \t，"), max_size=12),
            st.text(max_size=6),
        ),
        max_size=16,
    ).map("".join)
)
def test_block_by_block_boundaries_are_the_whole_texts(text):
    assert_boundaries_match_whole_text(text)


@settings(max_examples=20, deadline=None)
@given(st.text(alphabet=st.sampled_from("的了是一村镇报送台账会议否决"), min_size=MAX_RUN + 1, max_size=3 * MAX_RUN))
def test_block_by_block_boundaries_cut_long_runs_alike(text):
    cutter = base_tokenizer()
    lazy = Boundaries(cutter, "。" + text + "\r\n")
    edges = {end + 1 for _, _, end in tokenize(cutter, text)} | {1}
    assert {offset for offset in range(1, len(text) + 2) if lazy.at(offset)} == edges


@pytest.mark.parametrize(
    "text",
    ["各村每周须上报工作台账，并对一票否决事项实行严格考核。", "关于开展“三送”活动的通知\n请于6月10日前报送。\n", "abc 123 测试"],
)
def test_short_texts_tokenize_exactly_as_jieba(text):
    import jieba

    cutter = base_tokenizer()
    assert list(tokenize(cutter, text)) == list(jieba.Tokenizer().tokenize(text))
