"""Dates in notices: the reference date a deadline runs from, and working days.

The reference date is the notice's 成文日期 (the last line that is only a date,
usually the last line or the one before the attachments), else a labelled date
(印发日期：…), else a date in brackets
（2025年3月3日）, else the first other full date in the text, else ``--date``.

Working days follow the official holiday and make-up-day calendar of the
``chinesecalendar`` package. It is published a year at a time: for a year it has
no data for, only weekends count as days off, and the result says so. The
user's ``extra_holidays`` / ``extra_workdays`` override both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from jianfu_audit.rules.numerals import to_int
from jianfu_audit.segment import fold
from jianfu_audit.settings import Settings

YEAR = r"(?:[0-9]{4}|[零〇一二三四五六七八九]{4})"
MONTH = r"(?:[0-9]{1,2}|十[一二]?|[一二三四五六七八九])"
DAY = r"(?:[0-9]{1,2}|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
DATE = rf"(?P<year>{YEAR})\s*年\s*(?P<month>{MONTH})\s*月\s*(?P<day>{DAY})\s*[日号]"

_DATE = re.compile(DATE)
DATE_LINE = re.compile(rf"[\s()（）]*{DATE}[\s()（）]*")
_LABELLED = re.compile(rf"(?:印发|成文|发文|发布|签发|下发|通知)(?:日期|时间)\s*[:：]?\s*{DATE}")
_BRACKETED = re.compile(rf"\(\s*{DATE}[^()\n]{{0,12}}\)")
# A date followed by these is a deadline or a start, not the day the notice was written.
_NOT_REFERENCE = re.compile(r"\s*(?:[前起止内]|之前|以前|开始|为止|至|到|—|-|~)")


@dataclass(frozen=True)
class Reference:
    """The date deadlines are measured from, and where it was found."""

    day: date
    source: str  # 成文日期 | 标注日期 | 括注日期 | 文中日期 | --date


def make_date(year: str | None, month: str, day: str, default_year: int | None = None) -> date | None:
    """A date from numeral strings (Arabic or Chinese); None when it does not exist."""
    y = to_int(year) if year else default_year
    m, d = to_int(month), to_int(day)
    if y is None or m is None or d is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _from_match(match: re.Match[str]) -> date | None:
    return make_date(match["year"], match["month"], match["day"])


def reference_date(text: str, fallback: date | None = None, *, folded: bool = False) -> Reference | None:
    """The notice's reference date (see the module docstring), or ``fallback`` as ``--date``
    (``folded``: ``text`` is already width-folded, as an analysis's text is)."""
    found = _reference_in_text(text if folded else fold(text))
    if found is not None:
        return found
    return Reference(fallback, "--date") if fallback else None


@lru_cache(maxsize=16)
def _reference_in_text(text: str) -> Reference | None:
    for line in reversed(text.split("\n")):
        match = DATE_LINE.fullmatch(line) if line.strip() else None
        if match and (day := _from_match(match)):
            return Reference(day, "成文日期")
    for pattern, source in ((_LABELLED, "标注日期"), (_BRACKETED, "括注日期")):
        for match in pattern.finditer(text):
            if day := _from_match(match):
                return Reference(day, source)
    for match in _DATE.finditer(text):
        if _NOT_REFERENCE.match(text, match.end()):
            continue
        if day := _from_match(match):
            return Reference(day, "文中日期")
    return None


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: the official calendar, the user's additions, weekends as a last resort."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings | None) -> WorkCalendar:
        if settings is None:
            return cls()
        return cls(frozenset(settings.extra_holidays), frozenset(settings.extra_workdays))

    def is_workday(self, day: date) -> bool:
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        official = _official_workday(day)
        return day.weekday() < 5 if official is None else official

    def count(self, after: date, until: date, include_until: bool) -> int:
        """Working days strictly after ``after`` and before ``until`` (``until`` too when asked)."""
        total = 0
        day = after + timedelta(days=1)
        while day < until or (include_until and day == until):
            total += self.is_workday(day)
            day += timedelta(days=1)
        return total

    def add_workdays(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself for 0)."""
        day = start
        while count > 0:
            day += timedelta(days=1)
            count -= self.is_workday(day)
        return day

    def unofficial_years(self, start: date, end: date) -> list[int]:
        """Years in ``[start, end]`` the official calendar has no data for."""
        return [y for y in range(start.year, end.year + 1) if _official_workday(date(y, 6, 1)) is None]


_FESTIVALS = {
    "元旦": chinese_calendar.Holiday.new_years_day,
    "春节": chinese_calendar.Holiday.spring_festival,
    "清明": chinese_calendar.Holiday.tomb_sweeping_day,
    "五一": chinese_calendar.Holiday.labour_day,
    "劳动节": chinese_calendar.Holiday.labour_day,
    "端午": chinese_calendar.Holiday.dragon_boat_festival,
    "中秋": chinese_calendar.Holiday.mid_autumn_festival,
    "国庆": chinese_calendar.Holiday.national_day,
}
FESTIVAL = "|".join(_FESTIVALS)


def festival_start(name: str, after: date) -> date | None:
    """First day off of the next official holiday ``name`` (春节, 国庆…) after ``after``;
    None when the official calendar has no data that far."""
    value = _FESTIVALS[name].value
    days = [day for day, holiday in chinese_calendar.holidays.items() if holiday == value and day > after]
    return min(days, default=None)


@lru_cache(maxsize=4096)
def _official_workday(day: date) -> bool | None:
    """Whether ``day`` is a working day in the official calendar; None when it has no data
    (kept: chinese_calendar checks its data range on every call, some 20 µs)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None
