"""What a regex's syntax proves: which ones may run on Python's ``re`` (only
provably cheap ones, with exactly the matches RE2 finds) and which ones never
match across a line break (searched only where the RE2 set places them)."""

from __future__ import annotations

import re
import time
from unittest.mock import patch

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from jianfu_audit.rules import patterns
from jianfu_audit.rules.deadline import _PATTERNS as DEADLINE_PATTERNS
from jianfu_audit.rules.frequency import _PATTERNS as FREQUENCY_PATTERNS
from jianfu_audit.rules.regex_syntax import (
    _CASELESS_ALIKE,
    MAX_PATHS,
    Gate,
    backtracking,
    line_local,
    paths,
    stretches,
    unit_local,
    without_lookarounds,
)
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.rules.patterns import Matchable, Regex, RegexFilter, expand, fold_regex
from jianfu_audit.segment import UNIT_MARKS, analyse

SOURCES = load_rules().regex_filter().sources
CHEAP = [source for source in SOURCES if patterns._backtracking(source) is not None]


@pytest.mark.parametrize(
    "pattern",
    [
        "报送|上报|填报",
        "交[县市区镇乡]|交街道",
        "(每周|每月)[^。\\n]{0,10}(报送|上报)",
        "村\\(居\\)",
        "a.b",
        "(扣|加){1,2}分",
        "下载(?i:app)|(?i:qq)群",  # letters that both engines fold alike
    ],
)
def test_cheap_patterns_run_on_re(pattern):
    assert isinstance(backtracking(pattern), re.Pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        "(a+)+$",  # unbounded and nested: the textbook catastrophic pattern
        "a*b",  # unbounded repetition
        "[^。]+报送",
        "(a|ab)" * 12,  # bounded, but 4,096 ways to try from every position
        "(?:[^。]{0,30}){0,30}报",  # nested bounded gaps
        "\\d{2}",  # \\d, \\s, \\w mean other things in re and RE2
        "[\\s，]报",
        "(?m)^报送",  # flags and anchors
        "(?i)app",
        "(?i:ig)",  # re also folds i with ı and İ, RE2 does not
        "(?i:a.)",
        "报送$",
        "\\b报送",
        "a{0,3}",  # can match the empty string
        "报|",
        "(",  # not even a regex
    ],
)
def test_other_patterns_stay_on_re2(pattern):
    assert backtracking(pattern) is None


def test_paths_counts_the_ways_to_try():
    parse = re._parser.parse if hasattr(re, "_parser") else __import__("sre_parse").parse
    assert paths(list(parse("ab|cd|e"))) == 1  # they start differently: one goes on
    assert paths(list(parse("(ab|cd)[^x]{0,9}(ef|gh|ij)"))) == 10  # the gap's length varies
    assert paths(list(parse("报|报送|报送材料"))) == 3  # all three can match at once
    assert paths(list(parse("报送|报告"))) == 1  # same start, but only one can match
    assert paths(list(parse("a[bc]x|a[bd]y"))) == 2  # not plain words: both may go on
    assert paths(list(parse(expand("{~}")))) == 1  # a character, or one of four words with 不
    assert paths(list(parse("(a|ab){0,20}"))) == float("inf")  # 2**20 ways, far over the bound
    assert MAX_PATHS < 2**12


def test_the_bundled_word_lists_run_on_re():
    # The point of the shortcut: the pack's most frequent regexes are plain word lists.
    assert len(CHEAP) >= 40
    assert any(source.startswith("乡镇|街道|社区") for source in CHEAP)


def test_a_hostile_text_stays_linear_on_a_cheap_pattern():
    pattern = backtracking("(a|aa|aaa)[ab]{0,20}(c|ac)")
    assert pattern is not None
    text = "a" * 200_000
    started = time.perf_counter()
    assert list(pattern.finditer(text)) == []
    assert time.perf_counter() - started < 5  # a fixed amount of work per character


alphabet = st.sampled_from(
    list("报送上填乡镇街道社区村居（）()每周月日前，。；\n不得可12三a ") + ["报送", "乡镇", "每周", "不得", "下载", "APP", "app", "Qq群"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(alphabet, max_size=60).map("".join), st.integers(0, 40), st.integers(0, 70))
def test_re_finds_what_re2_finds(text, lo, hi):
    analysis = analyse(text)
    lo, hi = min(lo, len(analysis.text)), min(max(hi, lo), len(analysis.text))
    for source in CHEAP:
        fast = list(Regex(source).find(analysis, lo, hi))
        with patch.object(patterns, "_backtracking", lambda source: None):
            slow = list(Regex(source).find(analysis, lo, hi))
        assert fast == slow, source


def test_caseless_letters_fold_alike_in_both_engines():
    # Only cased characters can take part in (?i) matching: compare them all.
    cased = "".join(chr(c) for c in range(0x3000) if chr(c).lower() != chr(c) or chr(c).upper() != chr(c))
    for code in _CASELESS_ALIKE:
        pattern = f"(?i:{chr(code)})"
        ours = [m.group() for m in re.finditer(pattern, cased)]
        theirs = [m.group() for m in re2.finditer(pattern, cased)]
        assert ours == theirs, chr(code)
    assert ord("i") not in _CASELESS_ALIKE and re.match("(?i:i)", "ı") and not re2.match("(?i:i)", "ı")


def test_every_cheap_bundled_pattern_is_within_the_bound():
    for source in CHEAP:
        parse = re._parser.parse if hasattr(re, "_parser") else __import__("sre_parse").parse
        assert paths(list(parse(expand(fold_regex(source))))) <= MAX_PATHS


@pytest.mark.parametrize(
    "pattern",
    [
        "报送|上报",
        "[^。;!?\\n]{0,20}报送",
        "每.{1,5}报",
        "[^\\n]+",
        "\\S+报",
        "(a|b\\d)c",
        expand("{FREQ}{~}{0,20}报送"),
        "(?m)^报送",  # anchors and \\b hold alike: a stretch is bounded by line breaks
        "挂牌$",
        "(?i:app){~}{0,5}下载",
        "问[::]",  # a class that happens to start with a colon is no POSIX class
    ],
)
def test_line_local_patterns(pattern):
    assert line_local(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        "报送\\n",
        "[^。]{0,20}报送",  # a negated class without \\n takes a line break
        "\\s*报",
        "\\D报",
        "(?s).报",
        "[[:space:]]报",  # RE2's POSIX class, read differently by re
        "a{,3}b",
        "报?",  # can match the empty string
        "\\pN报",  # RE2-only syntax re cannot parse
    ],
)
def test_patterns_that_may_cross_lines(pattern):
    assert not line_local(pattern)


def test_stretches_are_whole_lines_of_at_least_the_size():
    text = "第一行\n第二行比较长一些\n三\n\n最后一行没有换行"
    parts = list(stretches(text, 5))
    assert "".join(text[a:b] for a, b in parts) == text
    assert all(text[b - 1] == "\n" for a, b in parts[:-1])
    assert all(b - a >= 5 for a, b in parts[:-1])
    assert list(stretches("", 5)) == []


def test_matchable_ranges_clip_stretches_to_the_search_range():
    matchable = Matchable(frozenset({"x", "y"}), {"x": ((0, 10), (20, 30), (40, 50))})
    assert list(matchable.ranges("x", 5, 45)) == [(5, 10), (20, 30), (40, 45)]
    assert list(matchable.ranges("x", 10, 20)) == []
    assert list(matchable.ranges("y", 3, 7)) == [(3, 7)]  # not line-local: the whole range
    assert list(matchable.ranges("z", 0, 50)) == []  # matches nowhere
    assert "x" in matchable and "z" not in matchable


def test_a_match_across_lines_is_still_found():
    # "[^。]" takes the line break: that regex must be searched across stretches.
    crossing, local = "报送[^。]{0,5}材料", "报送{_}{0,5}材料"
    regex_filter = RegexFilter([crossing, local])
    text = "请报送\n材料。\n" + "请各村报送材料。\n" * 3
    with patch.object(RegexFilter, "STRETCH", 4):
        analysis = analyse(text)
        analysis.matchable = regex_filter.matching(analysis.text)
    found = {source: [text[s.start : s.end] for s in Regex(source).find(analysis)] for source in (crossing, local)}
    assert found[crossing] == ["报送\n材料", "报送材料", "报送材料", "报送材料"]
    assert found[local] == ["报送材料"] * 3
    # the local one is searched only in the last three lines (adjacent stretches merged)
    assert analysis.matchable.stretches[local] == ((8, len(text)),)
    assert crossing not in analysis.matchable.stretches


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("前(?![后夕])", "前"),
        ("(?:(?<=[于在到])|(?P<which>本月))日", "(?:|(?P<which>本月))日"),
        ("即日起(?![^，。(]{0,2}(?:至|到))", "即日起"),
        ("[(?=]x(?<!\\()", "[(?=]x"),  # a class and an escaped bracket are not groups
    ],
)
def test_without_lookarounds(pattern, expected):
    assert without_lookarounds(pattern) == expected


GATED = [*DEADLINE_PATTERNS.values(), *(pattern for _, pattern in FREQUENCY_PATTERNS)]
words = st.sampled_from(
    ["每周", "每月", "5日", "前", "今天", "下午", "5点", "3个工作日", "内", "即日起", "至", "周五", "月底",
     "逢", "一", "三", "按月", "报送", "，", "。", "\n", "国庆节", "限期", "2", "天", "全年", "不少于", "次"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(words, max_size=14).map("".join))
def test_a_gate_never_rules_out_a_form_that_matches(text):
    possible = Gate(GATED).possible(text)
    assert possible is not None
    for index, pattern in enumerate(GATED):
        if pattern.search(text):
            assert index in possible, pattern.pattern


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(words, st.just("\n"), st.just("截止时间：")), max_size=24).map("".join))
def test_deadlines_found_through_the_gate_are_all_there_are(text):
    from jianfu_audit.rules import deadline

    with patch.object(Gate, "STRETCH", 6):
        gated = deadline.find_deadlines(text)
    with patch.object(Gate, "ranges", lambda self, text: None):
        every = deadline.find_deadlines(text)
    assert gated == every


def test_look_aheads_must_stay_in_the_line_look_behinds_need_not():
    assert line_local("前(?![后夕])")
    assert line_local("(?<=[于在\\n])日")
    assert not line_local("前(?!\\n)")
    assert not line_local("前(?=\\s*报)")


SENTENCE_MARKS = UNIT_MARKS["sentence"]


@pytest.mark.parametrize(
    ("pattern", "marks", "expected"),
    [
        ("报|提交|上交", SENTENCE_MARKS, True),
        ("交[县市区镇乡]|(?i:qq)群", SENTENCE_MARKS, True),
        ("乡镇|社区{1,3}", SENTENCE_MARKS, True),
        ("村\\(", SENTENCE_MARKS, True),  # an opening bracket ends nothing
        ("居\\(村\\)", SENTENCE_MARKS, False),  # a closing one may close a sentence's quote
        ("扣[0-9]+\\.[0-9]分", SENTENCE_MARKS, False),  # "." can end a sentence
        ("稿，件", SENTENCE_MARKS, True),
        ("稿，件", UNIT_MARKS["clause"], False),  # but it ends a clause
        ("报.送", SENTENCE_MARKS, False),  # any character
        ("报[^。]送", SENTENCE_MARKS, False),  # a negated class
        ("报送$", SENTENCE_MARKS, False),  # anchors and look-arounds
        ("\\b报送", SENTENCE_MARKS, False),
        ("报(?=送)", SENTENCE_MARKS, False),
    ],
)
def test_unit_local_patterns(pattern, marks, expected):
    assert unit_local(pattern, marks) is expected


def test_the_marks_are_all_that_ends_a_unit():
    # Every character the splitting regexes end a unit with is listed.
    text = "".join(chr(c) for c in range(0x20, 0x10000) if not 0xD800 <= c < 0xE000) + "\n"
    closings = "".join(f"甲{end}{close}乙" for end in "。！？!?" for close in ["", *"”’」』\"')）"])
    analysis = analyse(text.replace(".", "。.x") + closings + "丙；丁：戊，己;庚:辛,壬")
    for kind in ("sentence", "clause"):
        for unit in getattr(analysis, kind + "s")[:-1]:
            assert analysis.text[unit.end - 1] in UNIT_MARKS[kind], (kind, analysis.text[unit.end - 3 : unit.end])
