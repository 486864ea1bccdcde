"""The rule engine on a tiny test-owned rule pack (tests/fixtures/rules), so these
tests hold whatever the bundled pack contains."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianfu_audit.document import document_from_text
from jianfu_audit.findings import Severity
from jianfu_audit.rules.engine import check_document
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.segment import analyse
from jianfu_audit.settings import Settings


def findings(ruleset, text: str, **settings):
    return check_document(document_from_text(text, "<test>"), ruleset, Settings(**settings))


def rule_ids(ruleset, text: str, **settings) -> list[str]:
    return [f.rule for f in findings(ruleset, text, **settings)]


# ------------------------------------------------------------------ terms

def test_term_matches_as_a_whole_token(tiny_ruleset):
    result = findings(tiny_ruleset, "会议在三楼召开。")
    assert [(f.rule, f.excerpt, f.start, f.end) for f in result] == [("t-meeting-room", "会议", 0, 2)]


def test_term_inside_a_longer_word_is_not_matched(tiny_ruleset):
    text = "请到三楼会议室领取材料。"
    assert "会议" in text  # a plain substring search would flag this
    tokens = [t.word for t in analyse(text, tiny_ruleset.vocabulary()).tokens]
    assert "会议室" in tokens
    assert rule_ids(tiny_ruleset, text) == []


def test_term_is_found_between_cjk_characters_without_spaces(tiny_ruleset):
    # regex \b never holds between two CJK characters; token boundaries do
    result = findings(tiny_ruleset, "各村每天拍照上传保洁情况。")
    assert [(f.rule, f.excerpt) for f in result] == [("t-photo", "拍照上传")]


def test_rule_phrases_stay_one_jieba_token(tiny_ruleset):
    tokens = [t.word for t in analyse("入户走访须拍照留痕。", tiny_ruleset.vocabulary()).tokens]
    assert "拍照留痕" in tokens


def test_only_the_blocks_a_question_falls_in_are_segmented():
    text = "各村每周报送台账。乡镇干部走访群众，了解情况。会议要求报送材料。"
    analysis = analyse(text, frozenset({"报送", "台账"}))
    assert analysis.boundaries._cuts == {}  # nothing segmented up front
    assert [(s.start, s.end) for s in analysis.find_term("台账", 0, 9)] == [(6, 8)]
    assert list(analysis.boundaries._cuts) == [0]  # the block 各村每周报送台账 alone
    assert len(analysis.find_term("报送")) == 2
    assert list(analysis.boundaries._cuts) == [0, 3]  # never the middle sentence's two blocks


def test_phrases_are_found_on_token_boundaries_whatever_their_length():
    vocabulary = frozenset({"但", "不得", "不得报送", "报送"})
    analysis = analyse("甲乙但丙丁。不得报送。", vocabulary)
    assert [t.word for t in analysis.tokens][-2:] == ["不得报送", "。"]
    assert [(s.start, s.end) for s in analysis.find_term("但")] == [(2, 3)]
    assert [(s.start, s.end) for s in analysis.find_term("不得报送")] == [(6, 10)]
    assert analysis.find_term("不得报送", 7) == []  # starts before the range
    assert analysis.find_term("不得") == analysis.find_term("报送") == []  # inside one token
    # one-character phrases only: nothing to scan for in one pass, still found when asked
    only_short = analyse("甲乙但丙。", frozenset({"但"}))
    assert [(s.start, s.end) for s in only_short.find_term("但")] == [(2, 3)]


def test_full_width_text_is_folded_but_offsets_are_kept(tiny_ruleset):
    text = "请各村于２４小时内报送。"
    result = {f.rule: f for f in findings(tiny_ruleset, text)}
    hours = result["t-hours"]
    assert hours.excerpt == "２４小时内" == text[hours.start : hours.end]


# ------------------------------------------------------------------ regex / any

@pytest.mark.parametrize(
    ("text", "excerpt"),
    [("请于2小时内报送。", "2小时内"), ("请于12个小时内报送。", "12个小时内")],
)
def test_regex_kind(tiny_ruleset, text, excerpt):
    assert [f.excerpt for f in findings(tiny_ruleset, text) if f.rule == "t-hours"] == [excerpt]


def test_regex_kind_no_match(tiny_ruleset):
    assert "t-hours" not in rule_ids(tiny_ruleset, "请于3个工作日内报送。")


def test_any_kind_combines_terms_and_regex(tiny_ruleset):
    assert rule_ids(tiny_ruleset, "年度考核实行一票否决。") == ["t-veto"]
    result = findings(tiny_ruleset, "各村要签订安全生产责任状。")
    assert [(f.rule, f.excerpt) for f in result] == [("t-veto", "签订安全生产责任状")]


# ------------------------------------------------------------------ sequence

def test_sequence_within_max_gap(tiny_ruleset):
    result = findings(tiny_ruleset, "各乡镇每周一召开调度会。")
    assert [(f.rule, f.excerpt) for f in result] == [("t-meeting", "每周一召开调度会")]


def test_sequence_gap_too_large(tiny_ruleset):
    text = "每周组织各乡镇分管领导和村党组织书记在县里召开调度会。"
    assert "t-meeting" not in rule_ids(tiny_ruleset, text)


def test_sequence_needs_the_order(tiny_ruleset):
    assert "t-meeting" not in rule_ids(tiny_ruleset, "召开调度会每周。")


def test_sequence_does_not_cross_sentences(tiny_ruleset):
    assert "t-meeting" not in rule_ids(tiny_ruleset, "每周学习一次。召开调度会。")


def test_sequence_max_gap_is_counted_in_tokens(tmp_path: Path):
    rules = _write_rule(tmp_path, "sequence: {steps: [每周, 召开], max_gap: 0}")
    assert rule_ids(rules, "每周召开。") == ["x-rule"]
    assert rule_ids(rules, "每周一召开。") == []


# ------------------------------------------------------------------ inside

def test_inside_condition_must_hold(tiny_ruleset):
    assert "t-village-report" in rule_ids(tiny_ruleset, "各村每周五报送进度。")
    assert "t-village-report" in rule_ids(tiny_ruleset, "报送进度的是各乡镇。")
    assert "t-village-report" not in rule_ids(tiny_ruleset, "县局向省厅报送进度。")


def test_inside_condition_is_limited_to_its_scope(tiny_ruleset):
    assert "t-village-report" not in rule_ids(tiny_ruleset, "各村已完成。县局向省厅报送进度。")


# ------------------------------------------------------------------ exceptions

@pytest.mark.parametrize(
    "text",
    [
        "不得要求基层拍照上传。",
        "严禁以任何形式要求村干部每天拍照上传。",  # prohibition at a distance in the same sentence
        "不再要求各村拍照上传，也不搞材料评比。",
    ],
)
def test_prohibition_before_suppresses(tiny_ruleset, text):
    assert rule_ids(tiny_ruleset, text) == []


def test_prohibition_after_the_demand_does_not_suppress(tiny_ruleset):
    assert rule_ids(tiny_ruleset, "各村每天拍照上传，不得拖延。") == ["t-photo"]


def test_prohibition_in_another_sentence_does_not_suppress(tiny_ruleset):
    assert rule_ids(tiny_ruleset, "不得拖延。各村每天拍照上传。") == ["t-photo"]


@pytest.mark.parametrize("text", ["不得推诿，但各村每天仍要拍照上传。", "不得推诿，各村仍须拍照上传。"])
def test_breaker_cancels_the_prohibition(tiny_ruleset, text):
    assert rule_ids(tiny_ruleset, text) == ["t-photo"]


def test_optional_wording_in_the_same_clause(tiny_ruleset):
    assert rule_ids(tiny_ruleset, "各村可以拍照上传。") == []
    assert rule_ids(tiny_ruleset, "鼓励各村拍照上传。") == []


def test_optional_wording_in_another_clause_does_not_suppress(tiny_ruleset):
    assert rule_ids(tiny_ruleset, "时间可以自行安排，各村须拍照上传。") == ["t-photo"]


def test_quoted_speech_is_not_a_demand(tiny_ruleset):
    assert rule_ids(tiny_ruleset, "基层干部反映“每天都要拍照上传，忙不过来”。") == []


def test_quote_without_an_introducing_word_is_still_a_demand(tiny_ruleset):
    assert rule_ids(tiny_ruleset, "通知要求“各村每天都要拍照上传工作情况”。") == ["t-photo"]


def test_short_quote_naming_the_burden_is_still_a_demand(tiny_ruleset):
    assert rule_ids(tiny_ruleset, "考核实行“一票否决”。") == ["t-veto"]


def test_commentary_suppresses(tiny_ruleset):
    assert rule_ids(tiny_ruleset, "一些地方要求每天拍照上传。") == []


def test_emergency_reporting_is_exempt(tiny_ruleset):
    assert rule_ids(tiny_ruleset, "发生突发事件时，各村须拍照上传现场情况。") == []


def test_rule_specific_unless_and_ignore_defaults(tiny_ruleset):
    # t-meeting-room adds its own exception (视频) and drops the commentary default
    assert rule_ids(tiny_ruleset, "会议以视频形式召开。") == []
    assert rule_ids(tiny_ruleset, "一些地方的会议太长。") == ["t-meeting-room"]
    assert rule_ids(tiny_ruleset, "一些地方要求拍照上传。") == []


def test_one_finding_per_rule_per_sentence(tiny_ruleset):
    result = findings(tiny_ruleset, "各村拍照上传，各组也拍照上传。各户拍照上传。")
    assert [(f.rule, f.start) for f in result] == [("t-photo", 2), ("t-photo", 17)]


# ------------------------------------------------------------------ findings

def test_finding_location_and_excerpt(tiny_ruleset):
    text = "第一段没有问题。\n\n各村每天拍照上传。"
    (finding,) = findings(tiny_ruleset, text)
    assert finding.excerpt == text[finding.start : finding.end] == "拍照上传"
    assert (finding.line, finding.column, finding.paragraph, finding.page) == (3, 5, 2, None)
    assert finding.severity is Severity.warning
    assert finding.context == "各村每天拍照上传。"


def test_findings_are_in_text_order(tiny_ruleset):
    text = "会议实行一票否决。各村拍照上传。"
    assert rule_ids(tiny_ruleset, text) == ["t-meeting-room", "t-veto", "t-photo"]


# ------------------------------------------------------------------ filters

TEXT_ALL = "会议要求各村每周一召开调度会，2小时内拍照上传，实行一票否决。"


def test_all_rules_fire_on_the_filter_text(tiny_ruleset):
    assert set(rule_ids(tiny_ruleset, TEXT_ALL)) == {"t-meeting-room", "t-meeting", "t-hours", "t-photo", "t-veto"}


@pytest.mark.parametrize(
    ("minimum", "expected"),
    [
        (Severity.info, {"t-meeting-room", "t-meeting", "t-hours", "t-photo", "t-veto"}),
        (Severity.warning, {"t-meeting", "t-photo", "t-veto"}),
        (Severity.error, {"t-veto"}),
    ],
)
def test_severity_filter(tiny_ruleset, minimum, expected):
    assert set(rule_ids(tiny_ruleset, TEXT_ALL, min_severity=minimum)) == expected


def test_severity_override_changes_the_reported_severity(tiny_ruleset):
    result = findings(tiny_ruleset, TEXT_ALL, severity_overrides={"t-hours": Severity.error}, min_severity=Severity.error)
    assert {(f.rule, f.severity) for f in result} == {("t-veto", Severity.error), ("t-hours", Severity.error)}


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        (("t-photo",), (), {"t-photo"}),
        (("meeting",), (), {"t-meeting", "t-meeting-room"}),
        (("t-meeting*",), (), {"t-meeting", "t-meeting-room"}),
        (("veto", "t-photo"), (), {"t-veto", "t-photo"}),
        ((), ("meeting",), {"t-hours", "t-photo", "t-veto"}),
        ((), ("t-*",), set()),
        (("meeting",), ("t-meeting-room",), {"t-meeting"}),
        (("no-such-rule",), (), set()),
    ],
)
def test_select_and_ignore(tiny_ruleset, select, ignore, expected):
    assert set(rule_ids(tiny_ruleset, TEXT_ALL, select=select, ignore=ignore)) == expected


# ------------------------------------------------------------------ helpers

def _write_rule(folder: Path, pattern: str):
    (folder / "r.yaml").write_text(
        "rules:\n"
        "  - id: x-rule\n"
        "    category: meeting\n"
        "    severity: warning\n"
        "    message: 测试\n"
        "    suggestion: 测试\n"
        "    citation: [RG-2024-04]\n"
        f"    pattern: {{{pattern}}}\n"
        "    examples: {positive: [甲, 乙], negative: [丙, 丁]}\n",
        encoding="utf-8",
    )
    return load_rules([folder], bundled=False)
