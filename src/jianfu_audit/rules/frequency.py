"""Frequencies: how often a demand recurs, as a count per year.

Recognised: 每日/每天/每个工作日/每周/每半月/每旬/每月/每季度/每半年/每年 (also
每两周, 每3个月), weekday and day-of-month lists (每周一、三、五 → 156, 每月5日、20日 → 24),
counts (每月1次, 每周不少于2次 → 104, 全年不少于六次 → 6), 逢X (逢周一, 逢双周,
逢五逢十), 一X一Y (一周一报, 一月一总结), period compounds of a report or check
(周报告, 月通报, 季排名, 月度评比) and 按月报送. 月底前 counts only as 每月底前:
without 每 it is a one-off deadline. ``annualise`` is called for every finding;
the ``frequency`` kind lets a rule require a frequency.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jianfu_audit.rules.dates import DAY
from jianfu_audit.rules.extra import DataSpan
from jianfu_audit.rules.numerals import NUMERAL, to_int
from jianfu_audit.rules.regex_syntax import Gate, overlapping
from jianfu_audit.segment import Analysis, Span, fold

PER_YEAR = {
    "日": 365, "天": 365, "工作日": 250, "周": 52, "星期": 52, "礼拜": 52, "旬": 36,
    "半月": 24, "半个月": 24, "月": 12, "季": 4, "季度": 4, "半年": 2, "学期": 2, "年": 1, "年度": 1,
}
_UNIT = r"(?P<unit>工作日|日|天|周|星期|礼拜|旬|半个?月|月|季度|季|半年|学期|年度|年)"
_WEEKDAYS = r"[一二三四五六日天1-7]"
_WEEKDAY_LIST = rf"(?P<days>{_WEEKDAYS}(?:[、,，和及与]?(?:周|星期)?{_WEEKDAYS})*)"
_BRIEF = r"[^，。；,;\n]{0,12}?"  # a few words, inside one clause
_COUNT = rf"(?:{_BRIEF}(?:不少于|不低于|至少|不超过|累计|共|各)?(?P<count>{NUMERAL})(?:次|遍|轮))?"

_PATTERNS = (
    # 每周一、三、五 / 每星期五
    ("weekdays", re.compile(rf"每(?:个)?(?:周|星期)(?!末){_WEEKDAY_LIST}")),
    # 每月5日、20日
    ("month_days", re.compile(rf"每(?:个)?月(?P<days>{DAY}[日号](?:[、,，和及]{DAY}[日号])*)")),
    # 每两周 / 每3个月 (+ count)
    ("every_n", re.compile(rf"每(?P<n>{NUMERAL})个?{_UNIT}{_COUNT}")),
    # 每周 / 每个工作日 / 每季度 (+ count)
    ("every", re.compile(rf"每个?{_UNIT}{_COUNT}")),
    # 逢周一 / 逢双周 / 逢1日、15日 / 逢五逢十
    ("on_weekdays", re.compile(rf"逢(?:周|星期){_WEEKDAY_LIST}")),
    ("on_alternate", re.compile(r"逢[单双]周")),
    ("on_month_days", re.compile(rf"逢(?P<days>{DAY}[日号](?:[、,，和及]逢?{DAY}[日号])*)")),
    ("on_digits", re.compile(r"逢(?P<digits>[一二三四五六七八九十](?:逢?[一二三四五六七八九十])*)(?![日号])")),
    # 按月报送 / 按季度通报
    ("by", re.compile(
        r"按(?P<unit>日|天|周|旬|月|季度|季|半年|年)"
        r"(?=报|上报|填报|更新|统计|通报|排名|考核|召开|开展|检查|督查|调度|汇总|总结)"
    )),
    # 一周一报 / 一月两次 / 两周一次
    ("one_per", re.compile(
        r"一(?P<unit>日|天|周|旬|月|季|年)一(?:报|查|检查|会|总结|通报|调度|考核|排名|评|督查|点评)"
    )),
    ("n_per", re.compile(rf"(?P<n>{NUMERAL})个?{_UNIT}(?P<count>{NUMERAL})次")),
    # 全年不少于六次
    ("yearly_count", re.compile(rf"全年{_BRIEF}(?:不少于|不低于|至少|累计|共)?(?P<count>{NUMERAL})(?:次|遍|轮)")),
    # 周报告 / 月通报 / 季排名 / 月度评比 (a period word right before a report or check)
    ("compound", re.compile(
        r"(?<![0-9零〇一二两三四五六七八九十年每本上下当次今明去全近半个])"
        r"(?P<unit>周|旬|月度|月|季度|季)"
        r"(?:报告|报表|通报|总结|排名|考核|调度|点评|例会|评比|督查|暗访|研判|报(?=制度|机制|[、，,；;。]))"
    )),
)
GATE = Gate(pattern for _, pattern in _PATTERNS)


@dataclass(frozen=True)
class Frequency:
    """One frequency found in a text: where, what it says, how many times a year."""

    start: int
    end: int
    text: str
    per_year: int

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "per_year": self.per_year}


def find_frequencies(text: str, folded: str | None = None, possible: frozenset[int] | None = None) -> list[Frequency]:
    """Every frequency in ``text``, left to right, without overlaps (longest first).
    ``folded``: ``fold(text)`` when the caller has it already; ``possible``: the
    forms (indices) that may match in it, when the caller knows (``sentence_frequencies``)."""
    folded = fold(text) if folded is None else folded
    found: list[Frequency] = []
    if possible is None:
        possible = GATE.possible(folded)
    # only the forms that one RE2 scan shows may match somewhere in the text
    for index in range(len(_PATTERNS)) if possible is None else sorted(possible):
        name, pattern = _PATTERNS[index]
        for match in pattern.finditer(folded):
            per_year = _per_year(name, match)
            if per_year:
                found.append(Frequency(match.start(), match.end(), text[match.start() : match.end()], per_year))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Frequency] = []
    for item in found:
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept


def sentence_frequencies(text: str, analysis: Analysis, sentence: Span) -> list[Frequency]:
    """``find_frequencies`` of one sentence of the analysed ``text``, trying only the forms
    that the rule pack's regex scan places in that sentence. The probes have no anchors,
    so a form that matches in the sentence matches in the stretch around it too."""
    places = analysis.memo("frequency-places", lambda: GATE.placed(analysis.matchable))
    possible = None if places is None else overlapping(places, sentence.start, sentence.end)
    return find_frequencies(
        text[sentence.start : sentence.end], analysis.text[sentence.start : sentence.end], possible
    )


def annualise(text: str, near: int | None = None) -> dict[str, Any] | None:
    """``{"text": "每周", "per_year": 52}`` for the frequency in ``text`` nearest to
    offset ``near`` (the highest one when ``near`` is None); None when there is none."""
    return nearest(find_frequencies(text), near)


def nearest(found: list[Frequency], near: int | None = None) -> dict[str, Any] | None:
    """``annualise`` over frequencies already found in a text."""
    if not found:
        return None
    if near is None:
        return max(found, key=lambda f: f.per_year).to_json()
    return min(found, key=lambda f: (_distance(f, near), f.start > near)).to_json()


def _distance(item: Frequency, offset: int) -> int:
    return 0 if item.start <= offset < item.end else min(abs(item.start - offset), abs(item.end - offset))


def _per_year(name: str, match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    count = to_int(groups["count"]) if groups.get("count") else 1
    if count is None or count <= 0:
        return None
    if name in ("weekdays", "on_weekdays"):
        return 52 * len(re.findall(_WEEKDAYS, match["days"]))
    if name in ("month_days", "on_month_days"):
        return 12 * len(re.findall(rf"{DAY}[日号]", match["days"]))
    if name == "on_alternate":
        return 26
    if name == "on_digits":
        digits = {(to_int(ch) or 0) % 10 for ch in match["digits"] if ch != "逢"}
        return 12 * sum(1 for day in range(1, 31) if day % 10 in digits)
    if name == "yearly_count":
        return count
    base = PER_YEAR[_unit(groups["unit"])]
    if name in ("every_n", "n_per"):
        n = to_int(groups["n"])
        if not n:
            return None
        return round(base * count / n)
    return base * count


def _unit(word: str) -> str:
    return {"月度": "月"}.get(word, word)


@dataclass(frozen=True)
class FrequencyKind:
    """Pattern kind ``frequency``: a recurring demand at least ``min_per_year`` times a year."""

    min_per_year: int = 1

    SCHEMA = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"min_per_year": {"type": "integer", "minimum": 1}},
    }

    @classmethod
    def from_spec(cls, spec: Any) -> FrequencyKind:
        return cls(int(spec.get("min_per_year", 1)))

    def find(self, analysis: Analysis, lo: int = 0, hi: int | None = None) -> Iterator[Span]:
        hi = len(analysis.text) if hi is None else hi
        for item in find_frequencies(analysis.text[lo:hi]):
            if item.per_year >= self.min_per_year:
                yield DataSpan(lo + item.start, lo + item.end, {"frequency": item.to_json()})

    def vocabulary(self) -> set[str]:
        return set()
