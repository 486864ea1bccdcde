"""Pattern kinds: the one place that defines how each kind of rule matches.

Every kind turns its YAML spec into an object with ``find(analysis, lo, hi)``
(the spans it matches inside ``text[lo:hi]``) and ``vocabulary()`` (phrases to
keep whole in jieba). ``KINDS`` maps the YAML key to the class.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import re2

from jianfu_audit import cache
from jianfu_audit.segment import Analysis, Span, fold
from jianfu_audit.rules import regex_syntax
from jianfu_audit.rules.attachments import FormsKind
from jianfu_audit.rules.regex_syntax import backtracking, line_local, stretches, unit_local
from jianfu_audit.rules import deadline, frequency
from jianfu_audit.rules.deadline import DeadlineKind
from jianfu_audit.rules.frequency import FrequencyKind
from jianfu_audit.rules.length import LengthKind

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.max_mem = 64 << 20
_RE2_OPTIONS.log_errors = False  # reported as a RuleError, not logged by RE2 on stderr
_RE2_OPTIONS.never_capture = True  # only whole matches are used; submatches cost a second pass
_UNANCHORED = re2._re2.RE2.Anchor.UNANCHORED


class Pattern(Protocol):
    def find(self, analysis: Analysis, lo: int = 0, hi: int | None = None) -> Iterator[Span]: ...

    def vocabulary(self) -> set[str]: ...


@dataclass(frozen=True)
class Terms:
    """Any of a list of phrases, matched only on jieba token boundaries."""

    terms: tuple[str, ...]

    @classmethod
    def from_spec(cls, spec: Any) -> Terms:
        return cls(tuple(fold(term) for term in spec))

    def find(self, analysis: Analysis, lo: int = 0, hi: int | None = None) -> Iterator[Span]:
        for term in self.terms:
            yield from analysis.find_term(term, lo, hi)

    def vocabulary(self) -> set[str]:
        return set(self.terms)


@dataclass(frozen=True)
class Regex:
    """An RE2 regular expression (linear time: a user's pattern cannot hang the run)."""

    source: str

    @classmethod
    def from_spec(cls, spec: Any) -> Regex:
        compile_regex(spec)
        return cls(spec)

    def find(self, analysis: Analysis, lo: int = 0, hi: int | None = None) -> Iterator[Span]:
        hi = len(analysis.text) if hi is None else hi
        matchable = analysis.matchable
        if matchable is None:
            yield from self._search(analysis.text, lo, hi)
            return
        # Only where the document's RegexFilter scan says the regex may match.
        for start, end in matchable.ranges(self.source, lo, hi):
            yield from self._search(analysis.text, start, end)

    def unit_local(self, marks: str) -> bool:
        """Whether a search of one clause or sentence alone (``marks``: the characters
        that can end one) tells whether the whole-text search matches inside it."""
        return unit_local(expand(fold_regex(self.source)), marks)

    def _search(self, text: str, lo: int, hi: int) -> Iterator[Span]:
        """Every match in ``text[lo:hi]``, left to right, without overlaps."""
        simple = _backtracking(self.source)
        if simple is not None:  # provably cheap, and the same matches as RE2's
            for match in simple.finditer(text, lo, hi):
                yield Span(*match.span())
            return
        # Searched as UTF-8 bytes encoded once per text: given a str, the re2 module
        # re-encodes the whole text on every call, which made many scoped searches
        # quadratic in the document length. The loop is the re2 module's own ``finditer``
        # loop over bytes, on its compiled RE2 object, without building match objects
        # (a third of the search time on findings-heavy text).
        regexp = compile_regex(self.source)._regexp
        utf8 = utf8_text(text)
        pos, end = utf8.byte_offset(lo), utf8.byte_offset(hi)
        while pos <= end:
            start, stop = regexp.Match(_UNANCHORED, utf8.encoded, pos, end)[0]
            if start < 0:
                return
            if stop > start:
                yield Span(utf8.char_offset(start), utf8.char_offset(stop))
            if pos == end:
                return
            pos = pos + 1 if stop == pos else stop

    def vocabulary(self) -> set[str]:
        return set()


class Utf8Text:
    """A text in UTF-8 with a sparse map between character and byte offsets: the
    byte offset of every ``STEP``-th character, the rest counted from the nearest.
    (A full table of every character's offset took longer to build than the
    searches that use it.)"""

    STEP = 128

    def __init__(self, text: str) -> None:
        self.text = text
        self.encoded = text.encode("utf-8", "surrogatepass")
        marks = [0]
        for start in range(0, len(text) - self.STEP + 1, self.STEP):
            marks.append(marks[-1] + len(text[start : start + self.STEP].encode("utf-8", "surrogatepass")))
        self._marks = marks

    def byte_offset(self, char: int) -> int:
        """The byte offset of character ``char`` (0 ≤ char ≤ len(text))."""
        mark = char // self.STEP
        start = mark * self.STEP
        return self._marks[mark] + len(self.text[start:char].encode("utf-8", "surrogatepass"))

    def char_offset(self, byte: int) -> int:
        """The number of characters that start before byte ``byte``: the character
        offset of a byte that starts one (RE2 matches start and end on such bytes)."""
        mark = bisect_right(self._marks, byte) - 1
        return mark * self.STEP + len(self.encoded[self._marks[mark] : byte].translate(None, _CONTINUATION))


@lru_cache(maxsize=4)
def utf8_text(text: str) -> Utf8Text:
    """``Utf8Text`` of ``text``, kept for the few texts being checked."""
    return Utf8Text(text)


# UTF-8 continuation bytes (10xxxxxx): every other byte starts a character.
_CONTINUATION = bytes(range(0x80, 0xC0))


_COMPILED: dict[str, Any] = {}

#: Shorthands for ``regex`` patterns, expanded before compiling (documented in docs/rules.md).
MACROS: dict[str, str] = {
    # one character of the same sentence: never crosses 。；！？ or a line break
    "{_}": r"[^。;!?\n]",
    # one character of the same clause: never crosses ，either
    "{,}": r"[^。;!?\n,]",
    # one character of the same sentence that is not a negation (不 无 未 非 勿 免), or a
    # quantity word that only looks like one (不少于), or a word whose 免 negates nothing
    # (免疫, 免费): a gap between the parts of a demand must not hide "无需报送", "不得上报"
    "{~}": r"(?:[^。;!?\n不无未非勿免]|不少于|不低于|不超过|不定期|免疫|免费)",
    # a number in any notation a notice uses: 3, 三, 叁, 两, 十二 (full width is folded first)
    "{NUM}": "(?:[0-9一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰〇零]+)",
    # a recurrence: 每日/每周/每半月/每季度/每学期/按月/逐日/定期/实时 …
    "{FREQ}": "(?:每(?:日|天|周|星期|旬|半月|月|季度|季|半年|个?学期|年)|按(?:日|天|周|旬|月|季度|季|年)|逐(?:日|周|月)|定期|实时)",
    # a grassroots unit: 乡镇, 街道, 村(社区), 网格 …
    "{BASE}": r"(?:乡镇|街道|镇街|社区|村\(居\)|村级|各村|基层|网格|村委会|居委会|村民小组|村|镇|乡)",
}

_METACHARS = set("()[]{}.*+?|^$\\")


def fold_regex(source: str) -> str:
    """Fold a pattern like the text, escaping full-width marks that fold into metacharacters
    (a rule's ``（社区）`` must match the folded text's ``(社区)``, not open a group)."""
    out = []
    for char in source:
        folded = fold(char)
        out.append("\\" + folded if folded != char and folded in _METACHARS else folded)
    return "".join(out)


def expand(source: str) -> str:
    """The pattern with every macro replaced by its expansion."""
    for name, expansion in MACROS.items():
        source = source.replace(name, expansion)
    return source


@lru_cache(maxsize=None)
def _backtracking(source: str) -> Any:
    """The rule's regex on Python's ``re`` when that is safe (see ``backtracking``)."""
    return backtracking(expand(fold_regex(source)))


def compile_regex(source: str) -> Any:
    """Compile (and cache) an RE2 pattern; raise ``ValueError`` with RE2's reason."""
    if source not in _COMPILED:
        try:
            _COMPILED[source] = re2.compile(expand(fold_regex(source)), _RE2_OPTIONS)
        except re2.error as error:
            reason = error.args[0] if error.args else error
            if isinstance(reason, bytes):
                reason = reason.decode("utf-8", "replace")
            raise ValueError(f"正则表达式无效（RE2 语法）：{reason}") from None
    return _COMPILED[source]


class RegexFilter:
    """Where each of many regexes can match a text at all, from scans of RE2 sets.

    A rule pack has some 300 regexes and most of them match nothing in a given
    notice; scanning the text once for all of them is far cheaper than once each.
    Regexes whose matches stay inside one line (``line_local``, most of them) are
    also placed: their set is run over each stretch of about ``STRETCH``
    characters of whole lines, and such a regex is then searched only in the
    stretches where it may match; the others' set is run over the whole text.
    A set only rules regexes out, so it may accept more than they do: a bounded
    gap such as ``{~}{0,20}`` is unbounded in it, which makes it compile 4× faster.
    ``probes`` are RE2 patterns scanned along (a ``Gate``'s, as they are, each with
    whether it is placed by stretches): one scan of the text then serves the
    deadline and frequency finders too.
    """

    STRETCH = 200

    def __init__(self, sources: Iterable[str], probes: Iterable[tuple[str, bool]] = ()) -> None:
        self.sources = tuple(dict.fromkeys(sources))
        probes = dict(probes)
        self.probes = frozenset(probes)
        expanded = tuple(expand(fold_regex(s)) for s in self.sources)
        facts = _syntax_facts(expanded)
        regex_syntax.remember_backtracking({pattern: cheap for pattern, (_, cheap) in zip(expanded, facts)})
        # (name, is a probe, the pattern the set holds, whether it is placed by stretches)
        entries = [
            (source, False, expand(fold_regex(_GAP_BOUND.sub(r"\1*", source))), one_line)
            for source, (one_line, _) in zip(self.sources, facts)
        ]
        entries += [(probe, True, probe, one_line) for probe, one_line in probes.items()]
        self._local = [(name, probe) for name, probe, _, one_line in entries if one_line]
        self._other = [(name, probe) for name, probe, _, one_line in entries if not one_line]
        self._local_set = _search_set([pattern for _, _, pattern, one_line in entries if one_line])
        self._other_set = _search_set([pattern for _, _, pattern, one_line in entries if not one_line])

    def matching(self, text: str) -> Matchable | None:
        """Where the sources (and probes) may match in ``text``; None when that is unknown."""
        other = self._other_set.Match(text.encode("utf-8", "surrogatepass")) or ()
        if 0 not in other:
            return None
        places: dict[tuple[str, bool], list[tuple[int, int]]] = {}
        for start, end in stretches(text, self.STRETCH):
            hits = self._local_set.Match(text[start:end].encode("utf-8", "surrogatepass")) or ()
            if 0 not in hits:
                return None
            for index in hits:
                if index:
                    found = places.setdefault(self._local[index - 1], [])
                    if found and found[-1][1] == start:  # next to the last one: one search covers both
                        found[-1] = (found[-1][0], end)
                    else:
                        found.append((start, end))
        whole = [self._other[index - 1] for index in other if index]
        return Matchable(
            frozenset(name for name, probe in whole if not probe) | {name for name, probe in places if not probe},
            {name: tuple(found) for (name, probe), found in places.items() if not probe},
            self.probes,
            {name: ((0, len(text)),) for name, probe in whole if probe}
            | {name: tuple(found) for (name, probe), found in places.items() if probe},
        )


def gate_probes() -> list[tuple[str, bool]]:
    """The deadline and frequency finders' probes (``Gate.probe_facts``), for a rule
    pack's ``RegexFilter`` to scan along with its regexes."""
    return [*deadline.GATE.probe_facts(), *frequency.GATE.probe_facts()]


def _syntax_facts(patterns: tuple[str, ...]) -> list[tuple[bool, bool]]:
    """``line_local`` of each pattern and whether it may run on ``re`` (``backtracking``),
    kept in the on-disk cache: parsing a rule pack's regexes for these facts takes longer
    than the rest of a small notice's check (some 0.2 s)."""
    def facts() -> list[tuple[bool, bool]]:
        return [(line_local(pattern), backtracking(pattern) is not None) for pattern in patterns]

    try:
        code = Path(regex_syntax.__file__).read_bytes()
    except OSError:  # the code cannot be read to key the cache: work them out
        return facts()
    key = f"{sys.version}|{cache.digest(code.decode('utf-8'))}|" + "\n".join(patterns)
    return cache.remember("regex-syntax", key, facts)


def _search_set(patterns: list[str]) -> Any:
    """A compiled RE2 set of ``patterns``, led by a pattern that matches every text:
    its absence from a result means RE2 gave up (out of memory)."""
    regexes = re2.Set.SearchSet(_RE2_OPTIONS)
    regexes.Add("")
    for pattern in patterns:
        regexes.Add(pattern)
    regexes.Compile()
    return regexes


@dataclass(frozen=True)
class Matchable:
    """Where a rule pack's regexes may match in one text (``RegexFilter.matching``)."""

    sources: frozenset[str]  # the regexes that may match somewhere
    stretches: dict[str, tuple[tuple[int, int], ...]]  # line-local ones: the stretches where they may
    probed: frozenset[str] = frozenset()  # the probes scanned along (``RegexFilter.probes``)
    probes: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)  # where each may match

    def __contains__(self, source: object) -> bool:
        return source in self.sources

    def ranges(self, source: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
        """The parts of ``[lo, hi)`` where ``source`` may match."""
        if source not in self.sources:
            return
        stretches = self.stretches.get(source)
        if stretches is None:
            yield lo, hi
            return
        for start, end in stretches:
            if start >= hi:
                return
            if end > lo:
                yield max(start, lo), min(end, hi)


_GAP_BOUND = re2.compile(r"(\{[_,~]\})\{[0-9]+(?:,[0-9]*)?\}")  # {~}{0,20}, {_}{2,}, {,}{3}


def regex_sources(pattern: Pattern) -> Iterator[str]:
    """The ``regex`` sources in ``pattern`` (through ``any``)."""
    if isinstance(pattern, Regex):
        yield pattern.source
    elif isinstance(pattern, AnyOf):
        for part in pattern.patterns:
            yield from regex_sources(part)


def only_regexes(pattern: Pattern) -> frozenset[str] | None:
    """The sources of ``pattern`` when it is made of regexes alone (through ``any``),
    else None: a text where none of them may match has no match of ``pattern``."""
    if isinstance(pattern, Regex):
        return frozenset([pattern.source])
    if isinstance(pattern, AnyOf):
        parts = [only_regexes(part) for part in pattern.patterns]
        return None if any(part is None for part in parts) else frozenset().union(*parts)
    return None


@dataclass(frozen=True)
class Sequence:
    """Phrase groups in order, each within ``max_gap`` tokens of the previous one,
    all inside one clause or sentence (e.g. 每月 … 召开 … 会议)."""

    steps: tuple[Terms, ...]
    max_gap: int
    within: str

    @classmethod
    def from_spec(cls, spec: Any) -> Sequence:
        steps = spec["steps"] if isinstance(spec, dict) else spec
        options = spec if isinstance(spec, dict) else {}
        return cls(
            tuple(Terms.from_spec([step] if isinstance(step, str) else step) for step in steps),
            int(options.get("max_gap", 4)),
            options.get("within", "sentence"),
        )

    def find(self, analysis: Analysis, lo: int = 0, hi: int | None = None) -> Iterator[Span]:
        for first in sorted(self.steps[0].find(analysis, lo, hi), key=lambda s: s.start):
            scope = analysis.scope(self.within, first.start)
            end = self._chain(analysis, first, max(lo, scope.start), min(scope.end, hi or scope.end))
            if end is not None:
                yield Span(first.start, end)

    def _chain(self, analysis: Analysis, first: Span, lo: int, hi: int) -> int | None:
        """End offset of the shortest chain starting with ``first``, or None."""
        previous = first
        for step in self.steps[1:]:
            candidates = [
                span
                for span in step.find(analysis, previous.end, hi)
                if span.start - previous.end <= self.max_gap
                or analysis.tokens_between(previous.end, span.start) <= self.max_gap
            ]
            if not candidates:
                return None
            previous = min(candidates, key=lambda s: (s.start, s.end))
        return previous.end

    def vocabulary(self) -> set[str]:
        return set().union(*(step.vocabulary() for step in self.steps))


@dataclass(frozen=True)
class AnyOf:
    """Any of several patterns (of any kind)."""

    patterns: tuple[Pattern, ...]

    @classmethod
    def from_spec(cls, spec: Any) -> AnyOf:
        return cls(tuple(parse_pattern(item) for item in spec))

    def find(self, analysis: Analysis, lo: int = 0, hi: int | None = None) -> Iterator[Span]:
        for pattern in self.patterns:
            yield from pattern.find(analysis, lo, hi)

    def vocabulary(self) -> set[str]:
        return set().union(*(p.vocabulary() for p in self.patterns))


KINDS: dict[str, Any] = {
    "terms": Terms,
    "regex": Regex,
    "sequence": Sequence,
    "any": AnyOf,
    "deadline": DeadlineKind,
    "frequency": FrequencyKind,
    "length": LengthKind,
    "forms": FormsKind,
}


def parse_pattern(spec: dict[str, Any]) -> Pattern:
    """Build the pattern named by the single kind key in ``spec``."""
    kinds = [key for key in spec if key in KINDS]
    if len(kinds) != 1:
        raise ValueError("模式必须恰好包含一种类型：" + "、".join(KINDS))
    return KINDS[kinds[0]].from_spec(spec[kinds[0]])
