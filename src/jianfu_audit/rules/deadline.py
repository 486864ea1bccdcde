"""Deadlines: every time limit in a notice and the working days it leaves.

``find_deadlines`` recognises absolute dates (3月4日前, 15日17时前, 6月底前, 年内,
截止时间为…; 春节前/国庆节前 from the official calendar), days relative to the
notice (今日/今天/当天/今晚/明日/次日/明早…前, 下班前), weekdays (本周五前,
下周一上午8:30前), durations (3个工作日内, 24小时内, 3日内, 限期2天) and immediacy
(立即, 马上, 第一时间, 即日起). Recurring times (每月5日前, 每周五前) are
frequencies, and days counted from an event (走访后当日) are not the notice's.

``Deadline.due`` turns one into a due day, and ``Deadline.workdays`` counts the
full working days left: working days after the reference date and before the due
day, plus the due day itself when the time runs to its afternoon or end (3月4日前,
下午5点前, 下班前) — a morning deadline (上午10时前, 明早) leaves nothing of that day.
N个工作日内 leaves N; N小时内 leaves the working days wholly inside those hours.

The ``deadline`` pattern kind flags deadlines shorter than the threshold
(``Settings.deadline_min_workdays``, raised to ``wide.min_workdays`` when the
sentence asks for a task over a whole area, e.g. 全部入户) or, with
``when: undated``, reports the deadlines it could not measure for want of a date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from jianfu_audit.rules.dates import (
    DAY,
    FESTIVAL,
    MONTH,
    YEAR,
    Reference,
    WorkCalendar,
    festival_start,
    make_date,
    reference_date,
)
from jianfu_audit.rules.extra import DataSpan
from jianfu_audit.rules.frequency import find_frequencies
from jianfu_audit.rules.numerals import NUMERAL, to_int
from jianfu_audit.rules.regex_syntax import Gate
from jianfu_audit.segment import Analysis, Span
from jianfu_audit.settings import Settings

_PART = r"(?P<part>上午|下午|中午|晚上|傍晚|早上|一早|凌晨|早|晚)?"
_CLOCK = (
    r"(?:(?P<hour>[0-9]{1,2}|[一二三四五六七八九十]{1,3})"
    r"(?::[0-9]{2}|[时点](?:[0-9]{1,2}分|[一二三四五]?十[一二三四五六七八九]?分|半)?))?"
)
_SHIFT = r"(?P<shift>上班|下班)?"
_MOMENT = _PART + _CLOCK + _SHIFT
_BEFORE = r"(?:之前|以前|前(?![后夕])|为止)"
_VERB = r"(?=报送|上报|报|反馈|提交|完成|上传|录入|报回)"
# a verb straight after a time of day (上午, 17时, 8:30): only then does a bare date set a deadline
_TIMED_VERB = r"(?<=[午晚早晨上时点分半0-9])" + _VERB
_RELATIVE = {
    "今天": 0, "今日": 0, "今晚": 0, "今夜": 0, "今早": 0, "本日": 0, "当天": 0, "当日": 0, "当晚": 0,
    "明天": 1, "明日": 1, "明早": 1, "明晨": 1, "明晚": 1, "次日": 1, "翌日": 1, "后天": 2,
}
_MORNING = ("上午", "早上", "凌晨", "早", "晨")
_EVENING = ("下午", "晚上", "傍晚", "晚", "夜")
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "7": 6}
_UNIT_DAYS = {"日": 1, "天": 1, "周": 7, "星期": 7, "个星期": 7}
_DURATION = rf"(?P<n>{NUMERAL}|半)(?P<unit>个工作日|个小时|小时|分钟|日|天|个星期|星期|周|个月)"

_PATTERNS = {
    "date": re.compile(
        rf"(?:(?P<year>{YEAR})年)?(?P<month>{MONTH})月(?P<day>{DAY})[日号](?:\([^()\n]{{1,6}}\))?{_MOMENT}"
        # 6月5日前, or a time of day followed by the act itself: 7月7日上午报送
        rf"(?:{_BEFORE}|{_TIMED_VERB})"
    ),
    "cutoff": re.compile(
        rf"截止(?:时间|日期)?\s*[:：]?\s*(?:为|是|到)?(?:(?P<year>{YEAR})年)?(?P<month>{MONTH})月(?P<day>{DAY})[日号]{_MOMENT}"
    ),
    "day_of_month": re.compile(
        rf"(?:(?<=[于在到])|(?P<which>本月|当月|下个?月|次月))(?P<day>{DAY})[日号]{_MOMENT}{_BEFORE}"
    ),
    "period_end": re.compile(
        rf"(?:(?P<month>{MONTH})月|(?P<this_month>本月|当月|(?<![0-9个零〇一二两三四五六七八九十半每])月)"
        r"|(?P<year_end>今年|本年|(?<![0-9零〇一二三四五六七八九十半每])年))(?:底前|底之前|末前|内|以内)"
    ),
    "relative": re.compile(rf"(?P<rel>{'|'.join(_RELATIVE)}){_MOMENT}(?:{_BEFORE}|之?内|{_VERB})"),
    "shift": re.compile(r"(?<=[于在请])(?P<part>上午|下午)?(?P<shift>下班)前"),
    "weekday": re.compile(
        rf"(?P<rel>本|这|下个?)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7]){_MOMENT}{_BEFORE}"
    ),
    "this_week": re.compile(r"(?:本周|这周)之?内"),
    "festival": re.compile(rf"(?P<festival>{FESTIVAL})(?:节|假期|长假|小长假)?(?:放假)?{_BEFORE}"),
    "duration": re.compile(rf"{_DURATION}(?:之内|以内|内)"),
    "duration_limit": re.compile(rf"限(?:期|时)?{_DURATION}"),
    "immediate": re.compile(r"立即|立刻|马上(?!就办)|即刻|第一时间"),
    "start": re.compile(r"即日起(?![^，。；,;\n]{0,2}(?:至|到))"),
}


GATE = Gate(_PATTERNS.values())


@dataclass(frozen=True)
class Due:
    """When a deadline falls: the day, and whether part of that day still counts."""

    day: date
    counts_due_day: bool
    workdays: int | None = None  # fixed by the wording itself (N个工作日内)


@dataclass(frozen=True)
class Deadline:
    """One time limit found in the text."""

    start: int
    end: int
    text: str
    form: str
    groups: tuple[tuple[str, str | None], ...]

    def due(self, reference: date, calendar_: WorkCalendar) -> Due | None:
        """The due day when the notice is dated ``reference`` (None for a day that does not exist)."""
        g = dict(self.groups)
        counts = _counts_due_day(g)
        if self.form in ("date", "cutoff"):
            day = make_date(g["year"], g["month"], g["day"], reference.year)
            if day is None:
                return None
            return Due(_roll_year(day, reference) if not g["year"] else day, counts)
        if self.form == "day_of_month":
            which = g["which"] or ""
            month = _add_months(reference.replace(day=1), 1 if which.startswith(("下", "次")) else 0)
            day = make_date(None, str(month.month), g["day"], month.year)
            if day is None:
                return None
            return Due(_add_months(day, 1) if day < reference and not which else day, counts)
        if self.form == "period_end":
            if g["year_end"]:
                return Due(date(reference.year, 12, 31), True)
            first = make_date(str(reference.year), g["month"] or str(reference.month), "1")
            if first is None:
                return None
            last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
            return Due(_roll_year(last, reference), True)
        if self.form == "relative":
            return Due(reference + timedelta(days=_RELATIVE[g["rel"]]), counts)
        if self.form == "weekday":
            target = _WEEKDAY.get(g["wd"], (to_int(g["wd"]) or 1) - 1)
            monday = reference - timedelta(days=reference.weekday())
            if g["rel"] and g["rel"].startswith("下"):
                return Due(monday + timedelta(days=7 + target), counts)
            day = monday + timedelta(days=target)
            if not g["rel"] and day < reference:
                day += timedelta(days=7)
            return Due(day, counts)
        if self.form == "this_week":
            return Due(reference + timedelta(days=6 - reference.weekday()), True)
        if self.form == "festival":
            start = festival_start(g["festival"], reference)
            return Due(start, False) if start else None
        if self.form.startswith("duration"):
            return _duration(g["n"], g["unit"], reference, calendar_)
        return Due(reference, False)  # shift (下班前 today), immediate, start

    def workdays(self, reference: date, calendar_: WorkCalendar) -> tuple[Due, int] | None:
        """The due day and the full working days it leaves after ``reference``."""
        due = self.due(reference, calendar_)
        if due is None or due.day < reference:
            return None  # a day already past is mentioned, not set as a deadline
        if due.workdays is not None:
            return due, due.workdays
        return due, calendar_.count(reference, due.day, due.counts_due_day)


def _counts_due_day(g: dict[str, str | None]) -> bool:
    """Whether the due day itself is (half) available: not for a morning deadline."""
    when = (g.get("part") or "") + (g.get("rel") or "")
    if any(word in when for word in _MORNING) or g.get("shift") == "上班":
        return False
    hour = to_int(g["hour"]) if g.get("hour") else None
    return hour is None or hour >= 12 or any(word in when for word in _EVENING)


def _roll_year(day: date, reference: date) -> date:
    """A month-day without a year that lies well before the reference is next year's."""
    if day < reference - timedelta(days=31):
        return day.replace(year=day.year + 1) if not (day.month == 2 and day.day == 29) else day
    return day


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _duration(n_text: str, unit: str, reference: date, calendar_: WorkCalendar) -> Due:
    n = 0.5 if n_text == "半" else float(to_int(n_text) or 0)
    if unit == "个工作日":
        whole = int(n)
        return Due(calendar_.add_workdays(reference, whole), True, whole)
    if unit in ("小时", "个小时", "分钟"):
        hours = n if unit != "分钟" else n / 60
        # Only days wholly inside the hours count: 24小时 from a morning ends the next morning.
        return Due(reference + timedelta(days=int(hours // 24)), False)
    if unit == "个月":
        return Due(_add_months(reference, int(n)), True)
    return Due(reference + timedelta(days=int(n * _UNIT_DAYS[unit])), n >= 1)


_EVENT_DAYS = ("当天", "当日", "当晚", "次日", "翌日")
_EVENT = re.compile(r"每次|结束|完毕|(?<!通知)(?<!印发)(?<!下发)(?<!发布)后")


def _event_relative(text: str, match: re.Match[str]) -> bool:
    """走访后当日上传 / 会议结束次日报送: the day counts from an event, not from the notice."""
    if match.groupdict().get("rel") not in _EVENT_DAYS:
        return False
    sentence_start = max(text.rfind(mark, 0, match.start()) for mark in "。！？!?\n") + 1
    return bool(_EVENT.search(text, sentence_start, match.start()))


def _recurring(text: str, start: int) -> bool:
    """每月5日前 / 逢周五前: the time recurs, so it is a frequency, not a deadline."""
    return bool(re.search(r"[每逢]个?(?:年|月|周|星期)?$", text[max(0, start - 4) : start]))


def _matches(text: str, form: str, pattern: re.Pattern[str], lo: int, hi: int) -> Iterator[Deadline]:
    """The deadlines of one form in ``text[lo:hi]`` (not recurring, not counted from an event)."""
    for match in pattern.finditer(text, lo, hi):
        if not (_recurring(text, match.start()) or _event_relative(text, match)):
            groups = tuple(sorted(match.groupdict().items()))
            yield Deadline(match.start(), match.end(), match[0], form, groups)


def find_deadlines(text: str, places: list[list[tuple[int, int]]] | None = None) -> tuple[Deadline, ...]:
    """Every time limit in ``text`` (folded), left to right, longest first on overlap.
    ``places``: where each form may match (``GATE.ranges``), when the caller has it."""
    found: list[Deadline] = []
    if places is None:
        places = GATE.ranges(text)  # where each form may match, from RE2 scans
    for index, (form, pattern) in enumerate(_PATTERNS.items()):
        for lo, hi in [(0, len(text))] if places is None else places[index]:
            found.extend(_matches(text, form, pattern, lo, hi))
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[Deadline] = []
    for item in found:
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return tuple(kept)


@dataclass(frozen=True)
class DeadlineKind:
    """Pattern kind ``deadline``: a time limit too short to work to, or one that
    cannot be measured because the notice has no date (``when: undated``)."""

    when: str = "short"
    wide_terms: tuple[str, ...] = ()
    wide_min_workdays: int = 0

    SCHEMA = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "when": {"enum": ["short", "undated"]},
            "wide": {
                "type": "object",
                "additionalProperties": False,
                "required": ["terms", "min_workdays"],
                "properties": {
                    "terms": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                    "min_workdays": {"type": "integer", "minimum": 1, "maximum": 60},
                },
            },
        },
    }

    @classmethod
    def from_spec(cls, spec: Any) -> DeadlineKind:
        wide = spec.get("wide", {})
        return cls(spec.get("when", "short"), tuple(wide.get("terms", ())), int(wide.get("min_workdays", 0)))

    def find(self, analysis: Analysis, lo: int = 0, hi: int | None = None) -> Iterator[Span]:
        settings = analysis.settings or Settings()
        hi = len(analysis.text) if hi is None else hi
        reference = analysis.memo(
            "reference_date", lambda: reference_date(analysis.text, settings.document_date, folded=True)
        )
        if (reference is None) != (self.when == "undated"):
            return
        calendar_ = WorkCalendar.from_settings(settings)
        for item in _deadlines(analysis):
            if not (lo <= item.start and item.end <= hi) or _superseded(analysis, item):
                continue
            if reference is None:
                yield DataSpan(item.start, item.end, {"deadline": {"text": item.text, "reference_date": None}})
                continue
            threshold = self._threshold(analysis, item, settings)
            measured = item.workdays(reference.day, calendar_)
            if measured is None:
                continue
            due, workdays = measured
            if workdays < threshold:
                data = _describe(item, reference, due, workdays, threshold, calendar_)
                yield DataSpan(item.start, item.end, {"deadline": data})

    def _threshold(self, analysis: Analysis, item: Deadline, settings: Settings) -> int:
        sentence = analysis.sentence_at(item.start)
        words = analysis.text[sentence.start : sentence.end]
        if any(term in words for term in self.wide_terms):
            return max(settings.deadline_min_workdays, self.wide_min_workdays)
        return settings.deadline_min_workdays

    def vocabulary(self) -> set[str]:
        return set()


def _deadlines(analysis: Analysis) -> tuple[Deadline, ...]:
    """``find_deadlines`` of the analysed text, worked out once, placed by the rule
    pack's regex scan when that included the deadline forms."""
    return analysis.memo("deadlines", lambda: find_deadlines(analysis.text, GATE.placed(analysis.matchable)))


def _superseded(analysis: Analysis, item: Deadline) -> bool:
    """即日起 only says when a task starts: it is no deadline when its sentence
    sets a real one or makes the task recurring."""
    if item.form != "start":
        return False
    sentence = analysis.sentence_at(item.start)
    words = analysis.text[sentence.start : sentence.end]
    others = [d for d in _deadlines(analysis) if sentence.start <= d.start < sentence.end and d is not item]
    return bool(others) or bool(find_frequencies(words))


def _describe(
    item: Deadline, reference: Reference, due: Due, workdays: int, threshold: int, calendar_: WorkCalendar
) -> dict[str, Any]:
    """The finding's ``deadline`` object (and the note the message quotes)."""
    years = calendar_.unofficial_years(reference.day, due.day)
    note = ""
    if years:
        listed = "、".join(str(y) for y in years)
        note = f"（{listed} 年的法定节假日和调休安排尚未收录，只按周末计算；可在配置中补充节假日和调休上班日）"
    return {
        "text": item.text,
        "reference_date": reference.day.isoformat(),
        "reference_source": reference.source,
        "due": due.day.isoformat(),
        "workdays": workdays,
        "min_workdays": threshold,
        "calendar": "weekends" if years else "official",
        "note": note,
    }
