"""Deadlines: the reference date, each deadline form, working days with the
official calendar (holidays, make-up days, years without data), the rules in
rules/deadline.yaml, and recall/precision on the shared dev corpus when present."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from jianfu_audit.document import document_from_text
from jianfu_audit.findings import Severity
from jianfu_audit.rules.dates import WorkCalendar, reference_date
from jianfu_audit.rules.deadline import find_deadlines
from jianfu_audit.rules.engine import check_document
from jianfu_audit.rules.loader import load_rules
from jianfu_audit.segment import fold
from jianfu_audit.settings import Settings

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev.jsonl"


@pytest.fixture(scope="module")
def ruleset():
    return load_rules()


def deadline_findings(ruleset, text: str, **settings):
    settings.setdefault("select", ("deadline",))
    document = document_from_text(text, "<test>")
    return check_document(document, ruleset, Settings(**settings))


def flagged(ruleset, text: str, **settings) -> bool:
    return any(f.severity >= Severity.warning for f in deadline_findings(ruleset, text, **settings))


# ------------------------------------------------------------ reference date

@pytest.mark.parametrize(
    ("text", "day", "source"),
    [
        ("关于报送材料的通知\n各乡镇：\n请于3月5日前报送。\n县政府办公室\n2025年3月3日", date(2025, 3, 3), "成文日期"),
        ("请于3月5日前报送。\n县政府办公室\n二〇二五年三月三日", date(2025, 3, 3), "成文日期"),
        ("印发日期：2025年6月12日。请各村于6月13日前报送。", date(2025, 6, 12), "标注日期"),
        ("通知时间：2025年1月6日16时。请于1月7日12时前报送。", date(2025, 1, 6), "标注日期"),
        ("（2025年4月7日印发）请于2小时内反馈。", date(2025, 4, 7), "括注日期"),
        ("(2024年11月8日，星期五)请于下周一前提交。", date(2024, 11, 8), "括注日期"),
        ("（二〇二五年七月一日）各社区3日内完成。", date(2025, 7, 1), "括注日期"),
        ("县委于2025年5月6日召开会议，请于5月30日前反馈。", date(2025, 5, 6), "文中日期"),
    ],
)
def test_reference_date(text: str, day: date, source: str) -> None:
    found = reference_date(text)
    assert found is not None and (found.day, found.source) == (day, source)


def test_a_deadline_date_is_not_the_reference() -> None:
    assert reference_date("请于2025年6月3日前报送，自2025年6月1日起施行。") is None


def test_date_option_is_the_fallback_only() -> None:
    assert reference_date("请于6月3日前报送。", date(2025, 6, 2)).source == "--date"
    assert reference_date("（2025年6月1日）请于6月3日前报送。", date(2025, 6, 2)).day == date(2025, 6, 1)


# ------------------------------------------------------------ deadline forms

@pytest.mark.parametrize(
    ("text", "reference", "due", "workdays"),
    [
        # 2025-06-02 is a Monday; 2025-06-06 a Friday
        ("请于6月5日前报送", date(2025, 6, 2), date(2025, 6, 5), 3),
        ("请于6月4日上午10时前报送", date(2025, 6, 2), date(2025, 6, 4), 1),
        ("请于6月4日下午5点前报送", date(2025, 6, 2), date(2025, 6, 4), 2),
        ("请于六月四日前报送", date(2025, 6, 2), date(2025, 6, 4), 2),
        ("请于4日17时前报送", date(2025, 6, 2), date(2025, 6, 4), 2),
        ("请于本月10日前报送", date(2025, 6, 2), date(2025, 6, 10), 6),
        ("请于下月3日前报送", date(2025, 6, 20), date(2025, 7, 3), 9),
        ("截止时间：6月3日12时", date(2025, 6, 2), date(2025, 6, 3), 1),
        ("请于今日下午5点前报送", date(2025, 6, 2), date(2025, 6, 2), 0),
        ("请于当天下班前报送", date(2025, 6, 2), date(2025, 6, 2), 0),
        ("请于明天上午上班前报送", date(2025, 6, 2), date(2025, 6, 3), 0),
        ("请于明早7点前报送", date(2025, 6, 2), date(2025, 6, 3), 0),
        ("请于明晚8点前报送", date(2025, 6, 2), date(2025, 6, 3), 1),
        ("请于次日报送", date(2025, 6, 6), date(2025, 6, 7), 0),
        ("请于本周五前报送", date(2025, 6, 2), date(2025, 6, 6), 4),
        ("请于下周一上午8:30前提交", date(2025, 6, 6), date(2025, 6, 9), 0),
        ("请于下周二前报送", date(2025, 6, 6), date(2025, 6, 10), 2),
        ("请于两个工作日内反馈", date(2025, 6, 6), date(2025, 6, 10), 2),
        ("请于24小时内报送", date(2025, 6, 2), date(2025, 6, 3), 0),
        ("请于72小时内报送", date(2025, 6, 2), date(2025, 6, 5), 2),
        ("请于2小时内报送", date(2025, 6, 2), date(2025, 6, 2), 0),
        ("3日内完成", date(2025, 7, 1), date(2025, 7, 4), 3),
        ("限期2天完成", date(2025, 6, 2), date(2025, 6, 4), 2),
        ("请于月底前报送", date(2025, 6, 27), date(2025, 6, 30), 1),
        ("请立即组织排查", date(2025, 6, 2), date(2025, 6, 2), 0),
        ("请于端午节前报送", date(2025, 5, 29), date(2025, 5, 31), 1),  # 5月31日—6月2日 off
        ("请于国庆节前报送", date(2025, 9, 26), date(2025, 10, 1), 3),  # 9月28日 (Sunday) worked
        ("请于1月5日前报送", date(2025, 12, 29), date(2026, 1, 5), 4),  # next year; 1月1日 off, 1月4日 worked
        # a bare date with a time of day, then the act (no 前)
        ("6月9日上午报送排查台账", date(2025, 6, 6), date(2025, 6, 9), 0),
        ("6月4日17时报县", date(2025, 6, 2), date(2025, 6, 4), 2),
    ],
)
def test_deadline_forms(text: str, reference: date, due: date, workdays: int) -> None:
    found = find_deadlines(fold(text))
    assert len(found) == 1, found
    measured_due, measured = found[0].workdays(reference, WorkCalendar())
    assert (measured_due.day, measured) == (due, workdays)


@pytest.mark.parametrize(
    "text",
    [
        "每月5日前报送",
        "每周五下午4点前报送",
        "各乡镇于每周一上午11时前报送",
        "每年6月30日前报送",
        "6月5日前后报送",
        "马上就办",
        "自即日起至6月30日",
        "6月9日报送",  # a bare date without a time of day stays a date
        "2025年3月12日报道",
    ],
)
def test_recurring_or_vague_times_are_not_deadlines(text: str) -> None:
    assert find_deadlines(fold(text)) == ()


def test_a_day_already_past_is_no_deadline() -> None:
    (found,) = find_deadlines(fold("对5月31日前建成的设施开展排查"))
    assert found.workdays(date(2025, 6, 2), WorkCalendar()) is None


# ------------------------------------------------------------ calendar

def test_national_day_holiday_leaves_no_working_day(ruleset) -> None:
    (finding,) = deadline_findings(ruleset, "（2025年9月30日）请各乡镇于10月8日前报送节日期间工作情况。")
    assert finding.rule == "deadline-too-short"
    assert finding.extra["deadline"]["workdays"] == 0  # 10月1日—8日 are days off
    assert finding.extra["deadline"]["calendar"] == "official"
    assert "0 个工作日" in finding.message


def test_make_up_workday_counts() -> None:
    # 2025-02-08 is a Saturday worked in exchange for the Spring Festival holiday.
    assert WorkCalendar().count(date(2025, 2, 5), date(2025, 2, 8), True) == 3
    assert WorkCalendar().count(date(2025, 2, 12), date(2025, 2, 15), True) == 2


def test_year_without_official_data_falls_back_to_weekends_and_says_so(ruleset) -> None:
    text = "（2027年3月5日）请各村于3月8日前报送春耕生产情况统计表。"  # a Friday, due Monday
    (finding,) = deadline_findings(ruleset, text)
    deadline = finding.extra["deadline"]
    assert (deadline["workdays"], deadline["calendar"]) == (1, "weekends")
    assert "2027 年" in finding.message and "只按周末计算" in finding.message


def test_configured_holidays_and_workdays(ruleset) -> None:
    text = "（2027年3月1日）请各村于3月4日前报送统计表。"  # Monday → Thursday: 3 working days
    assert not flagged(ruleset, text)
    assert flagged(ruleset, text, extra_holidays=(date(2027, 3, 2),))
    saturday = "（2027年3月4日）请各村于3月8日前报送统计表。"  # Thu → Mon: Fri, Mon
    assert flagged(ruleset, saturday)
    assert not flagged(ruleset, saturday, extra_workdays=(date(2027, 3, 6),))


# ------------------------------------------------------------ rules

def test_short_deadline_finding_carries_the_figures(ruleset) -> None:
    (finding,) = deadline_findings(ruleset, "（2025年3月3日）请各乡镇于今日下午5点前将摸排结果报县农业农村局。")
    data = finding.to_json()
    assert data["severity"] == "warning" and data["category"] == "deadline"
    assert data["excerpt"] == "今日下午5点前"
    assert data["deadline"] == {
        "text": "今日下午5点前",
        "reference_date": "2025-03-03",
        "reference_source": "括注日期",
        "due": "2025-03-03",
        "workdays": 0,
        "min_workdays": 3,
        "calendar": "official",
        "note": "",
    }
    assert "{" not in data["message"] and "2025-03-03" in data["message"]


def test_threshold_comes_from_settings(ruleset) -> None:
    text = "（2025年6月2日）请于6月5日前报送工作总结。"  # 3 working days
    assert not flagged(ruleset, text)
    assert flagged(ruleset, text, deadline_min_workdays=4)


def test_whole_area_tasks_need_more_time(ruleset) -> None:
    assert flagged(ruleset, "（二〇二五年七月一日）各社区3日内完成全部入户任务并上传走访照片。")
    assert not flagged(ruleset, "（二〇二五年七月一日）各社区3日内完成排查并报送结果。")


def test_without_any_date_the_gap_is_not_guessed(ruleset) -> None:
    (finding,) = deadline_findings(ruleset, "请各村于今日17时前报送外出务工人员名册。")
    assert (finding.rule, finding.severity) == ("deadline-undated", Severity.info)
    assert "--date" in finding.message
    assert finding.extra["deadline"]["reference_date"] is None


def test_date_option_is_used_when_the_text_has_no_date(ruleset) -> None:
    (finding,) = deadline_findings(ruleset, "请各村于今日17时前报送名册。", document_date=date(2025, 3, 3))
    assert finding.rule == "deadline-too-short"
    assert finding.extra["deadline"]["reference_source"] == "--date"


@pytest.mark.parametrize(
    "text",
    [
        "（2025年7月22日）台风预计今晚登陆，请沿海各乡镇立即组织人员转移，转移情况于今日20时前报县防指。",
        "（2025年6月2日）发生生产安全事故后，单位负责人应当在1小时内向县应急管理局报告。",
        "（2025年3月3日）各部门布置工作不得要求基层当天报送材料。",
        "（2025年5月6日）请各乡镇于5月30日前反馈修改意见。",
        "（2025年6月2日）本通知自即日起施行。",
        "（2025年6月2日）自即日起，每周一上午召开调度会，请各村汇报进展。",
        "（2025年3月3日）各乡镇于每周五下午4点前报送本周工作进展。",
        "（2025年8月1日）帮扶干部每次走访须与帮扶对象合影，照片当日上传至帮扶管理系统。",
        "（2025年8月1日）各村召开会议后，于会议结束次日报送会议记录。",
    ],
)
def test_not_flagged(ruleset, text: str) -> None:
    assert not flagged(ruleset, text)


def test_whole_notice_measured_from_its_signing_date(ruleset) -> None:
    notice = "\n".join(
        [
            "云溪镇关于报送春耕备耕情况的通知",
            "各村（社区）：",
            "　　为做好春耕备耕工作，请各村于4月9日上午10时前将本村情况报镇农业办。",
            "　　各村要在4月30日前完成农资储备情况核查。",
            "　　附件：春耕备耕情况统计表",
            "云溪镇人民政府",
            "2025年4月8日",
        ]
    )
    findings = deadline_findings(ruleset, notice)
    assert [(f.excerpt, f.line) for f in findings] == [("4月9日上午10时前", 3)]
    assert findings[0].extra["deadline"]["reference_source"] == "成文日期"


# ------------------------------------------------------------ measured on the shared corpus

@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
def test_deadline_precision_and_recall_on_dev_corpus(ruleset) -> None:
    tp = fp = fn = 0
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        predicted = flagged(ruleset, item["text"])
        actual = "deadline" in item["labels"]
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    assert precision >= 0.95 and recall >= 0.9, (precision, recall)


@pytest.mark.parametrize(
    "text",
    [
        "（2025年8月1日）请各村在本通知印发后次日内报送看守人员名单。",
        "（2025年8月1日）通知下发后次日上午报送名单。",
    ],
)
def test_a_day_after_the_notice_itself_is_issued_is_a_deadline(ruleset, text: str) -> None:
    # 印发后 / 下发后 count from the notice, unlike 会议结束后 or 走访后 (an event of the task)
    assert flagged(ruleset, text)
