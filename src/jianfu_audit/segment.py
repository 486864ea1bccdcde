"""Segmentation: width folding, jieba token boundaries (each block segmented when a
rule first asks about it), sentences, clauses, quotes.

Everything here works on the *folded* text, which has exactly the same length as
the extracted text, so every offset found here is an offset into ``extract``'s
output.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

import ahocorasick

from jianfu_audit.jieba_setup import MAX_RUN, base_tokenizer, tokenize

if TYPE_CHECKING:
    import jieba

T = TypeVar("T")

# Full-width ASCII → half-width; ideographic space → space. One character each way.
_FOLD = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "})

_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』\"')）]*|\n|(?<![0-9A-Za-z])\.(?![0-9])")
_CLAUSE_END = re.compile(r"[，,；;]|[：:](?![0-9])")
# Every character an end mark matched above can contain, per unit: a match made of
# other characters only never runs from one unit into the next.
UNIT_MARKS = {"sentence": "。！？!?”’」』\"')）\n."}
UNIT_MARKS["clause"] = UNIT_MARKS["sentence"] + "，,；;：:"
_QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", "《": "》"}


def fold(text: str) -> str:
    """Fold full-width ASCII to half-width (same length, offsets unchanged)."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)``."""

    start: int
    end: int

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


@dataclass(frozen=True)
class Token:
    word: str
    start: int
    end: int


# jieba's block pattern (jieba.re_han_default): jieba segments each run of these
# characters on its own, and makes every other character a token of its own, except
# that "\r\n" is one token. So a run's tokens do not depend on the rest of the text.
_BLOCK = re.compile("[\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]+")


class Boundaries:
    """Where jieba's tokens of ``text`` start and end, segmenting a block only when a
    question falls inside it: a rule asks about a few places per sentence, and most
    blocks of a notice hold none of the rules' words. The answers are the same as
    from ``tokenize`` over the whole text (runs over ``MAX_RUN`` are cut the same way).
    """

    def __init__(self, cutter: jieba.Tokenizer, text: str) -> None:
        self.cutter = cutter
        self._text = text
        self._starts: list[int] = []
        self._ends: list[int] = []
        for run in _BLOCK.finditer(text):
            start, end = run.span()
            while end - start > MAX_RUN:
                self._starts.append(start)
                self._ends.append(start + MAX_RUN)
                start += MAX_RUN
            self._starts.append(start)
            self._ends.append(end)
        self._cuts: dict[int, tuple[list[int], frozenset[int]]] = {}

    def _block_at(self, offset: int) -> int:
        """Index of the block holding ``offset`` (-1: none)."""
        index = bisect.bisect_right(self._starts, offset) - 1
        return index if index >= 0 and offset < self._ends[index] else -1

    def _cut(self, index: int) -> tuple[list[int], frozenset[int]]:
        """The start offsets of the tokens of block ``index``, as a list and a set."""
        found = self._cuts.get(index)
        if found is None:
            position = self._starts[index]
            starts = []
            for word in self.cutter.cut(self._text[position : self._ends[index]]):
                starts.append(position)
                position += len(word)
            found = self._cuts[index] = (starts, frozenset(starts))
        return found

    def at(self, offset: int) -> bool:
        """True when a token starts or ends at ``offset``."""
        index = self._block_at(offset)
        if index >= 0:
            return offset == self._starts[index] or offset in self._cut(index)[1]
        return not (0 < offset < len(self._text) and self._text[offset - 1 : offset + 1] == "\r\n")

    def coverage(self) -> tuple[int, int]:
        """Characters in the blocks segmented so far, and in all blocks."""
        lengths = [end - start for start, end in zip(self._starts, self._ends)]
        return sum(lengths[index] for index in self._cuts), sum(lengths)

    def between(self, start: int, end: int) -> int:
        """How many tokens lie in ``[start, end)``, both token boundaries."""
        count = 0
        position = start
        while position < end:
            index = self._block_at(position)
            if index >= 0:
                stop = min(end, self._ends[index])
                starts = self._cut(index)[0]
                count += bisect.bisect_left(starts, stop) - bisect.bisect_left(starts, position)
            else:
                following = bisect.bisect_right(self._starts, position)
                stop = min(end, self._starts[following] if following < len(self._starts) else end)
                count += stop - position - self._text.count("\r\n", position, stop)
            position = stop
        return count


@dataclass
class Analysis:
    """Folded text with tokens, sentences, clauses and quoted spans."""

    text: str
    boundaries: Boundaries
    sentences: list[Span]
    clauses: list[Span]
    quotes: list[Span]
    settings: Any = None  # the run's Settings, for kinds that need them (dates, thresholds)
    # the rules' phrases: all their occurrences are found in one pass over the tokens
    vocabulary: frozenset[str] = frozenset()
    # where the rules' regexes may match (rules.patterns.Matchable; None: unknown, search everywhere)
    matchable: Any = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._sentence_starts = [s.start for s in self.sentences]
        self._clause_starts = [c.start for c in self.clauses]
        self._terms: dict[str, _Occurrences] | None = None
        self._found: dict[int, tuple[Any, list[int], list[Span]]] = {}
        self._units: dict[tuple[int, str], frozenset[int]] = {}
        self._unit_has: dict[tuple[int, str, int], bool] = {}
        self._memo: dict[Hashable, Any] = {}

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, worked out once per text: document-wide facts that several
        rules need (the reference date of the deadlines)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def sentence_at(self, offset: int) -> Span:
        return _span_at(self.sentences, self._sentence_starts, offset, len(self.text))

    def clause_at(self, offset: int) -> Span:
        return _span_at(self.clauses, self._clause_starts, offset, len(self.text))

    def scope(self, name: str, offset: int) -> Span:
        """The clause, sentence or whole document around ``offset``."""
        if name == "clause":
            return self.clause_at(offset)
        if name == "sentence":
            return self.sentence_at(offset)
        return Span(0, len(self.text))

    def unit_index(self, scope: str, offset: int) -> int:
        """Index of the clause or sentence around ``offset`` (0: the whole document)."""
        if scope == "clause":
            return bisect.bisect_right(self._clause_starts, offset) - 1
        if scope == "sentence":
            return bisect.bisect_right(self._sentence_starts, offset) - 1
        return 0

    @property
    def tokens(self) -> list[Token]:
        """All of jieba's tokens (segments the whole text: for tests and tools, not rules)."""
        cutter = self.boundaries.cutter
        return [Token(w, s, e) for w, s, e in tokenize(cutter, self.text)]

    def on_boundaries(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` starts and ends on token boundaries."""
        return self.boundaries.at(start) and self.boundaries.at(end)

    def tokens_between(self, start: int, end: int) -> int:
        """How many tokens lie in ``[start, end)`` (both on token boundaries)."""
        return self.boundaries.between(start, end)

    def find_term(self, term: str, lo: int = 0, hi: int | None = None) -> list[Span]:
        """Occurrences of ``term`` in ``text[lo:hi]`` that align with token boundaries.

        Every phrase of the vocabulary is found in one pass over the text, the
        first time any term is asked for (rules and their exceptions ask for the
        same terms in many ranges); other terms, and one-character phrases (too
        frequent to collect unasked), are searched for when first asked. Whether
        an occurrence lies on token boundaries is settled only when a question
        covers it, so the blocks that no rule asks about are never segmented.
        """
        if self._terms is None:
            self._terms = self._index()
        found = self._terms.get(term)
        if found is None:
            found = self._terms[term] = _Occurrences(
                [] if term in self.vocabulary and len(term) > 1 else _find_all(self.text, term), len(term)
            )
        hi = len(self.text) if hi is None else hi
        return found.within(max(lo, 0), hi - len(term), self.on_boundaries)

    def _index(self) -> dict[str, _Occurrences]:
        """Every occurrence of each vocabulary phrase of two or more characters, by
        phrase (one Aho–Corasick scan of the text for all of them)."""
        automaton = _automaton(self.vocabulary)
        if automaton is None:
            return {}
        starts: dict[str, list[int]] = {}
        for last, (phrase, back) in automaton.iter(self.text):
            entry = starts.get(phrase)
            if entry is None:
                entry = starts[phrase] = []
            entry.append(last - back)
        return {phrase: _Occurrences(found, len(phrase)) for phrase, found in starts.items()}

    def occurrences(self, pattern: Any, lo: int, hi: int) -> list[Span]:
        """Matches of ``pattern`` lying inside ``[lo, hi)``.

        The pattern is searched once over the whole text and the result kept:
        exceptions and ``inside`` conditions ask the same patterns around every
        candidate match, which made their search the engine's largest cost.
        """
        entry = self._found.get(id(pattern))
        if entry is None:
            unique = {(s.start, s.end): s for s in pattern.find(self)}
            spans = sorted(unique.values(), key=lambda s: (s.start, s.end))
            entry = self._found[id(pattern)] = (pattern, [s.start for s in spans], spans)
        _, starts, spans = entry
        window = spans[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]
        return [span for span in window if span.end <= hi]

    def units_with(self, pattern: Any, scope: str) -> frozenset[int]:
        """Indices (``unit_index``) of the clauses, sentences or document holding a whole
        match of ``pattern``: where a condition on that pattern can hold at all."""
        key = (id(pattern), scope)
        units = self._units.get(key)
        if units is None:
            spans = self.occurrences(pattern, 0, len(self.text))
            if scope in ("clause", "sentence"):
                bounds = self.clauses if scope == "clause" else self.sentences
                indexed = ((self.unit_index(scope, span.start), span) for span in spans)
                units = frozenset(i for i, span in indexed if span.end <= bounds[i].end)
            else:
                units = frozenset([0] if spans else [])
            self._units[key] = units
        return units

    def unit_has(self, pattern: Any, scope: str, offset: int) -> bool:
        """Whether the clause or sentence around ``offset`` holds a match of ``pattern``,
        searched in that unit alone: for patterns whose matches cannot cross a unit's
        end mark (``Condition.unit_local``), the same answer as ``units_with`` without
        searching the whole text."""
        index = self.unit_index(scope, offset)
        key = (id(pattern), scope, index)
        found = self._unit_has.get(key)
        if found is None:
            unit = self.scope(scope, offset)
            found = self._unit_has[key] = next(iter(pattern.find(self, unit.start, unit.end)), None) is not None
        return found

    def in_quotes(self, start: int, end: int) -> Span | None:
        """The quotation that contains ``[start, end)``, if any."""
        for quote in self.quotes:
            if quote.start < start and end <= quote.end:
                return quote
        return None


class _Occurrences:
    """The occurrences of one term, each checked against token boundaries when first asked for."""

    __slots__ = ("starts", "length", "kept")

    def __init__(self, starts: list[int], length: int) -> None:
        self.starts = starts
        self.length = length
        self.kept: list[Span | bool | None] = [None] * len(starts)

    def within(self, lo: int, last: int, aligned: Callable[[int, int], bool]) -> list[Span]:
        """The aligned occurrences starting in ``[lo, last]``."""
        starts, kept, length = self.starts, self.kept, self.length
        spans = []
        for index in range(bisect.bisect_left(starts, lo), bisect.bisect_right(starts, last)):
            span = kept[index]
            if span is None:
                start = starts[index]
                span = kept[index] = Span(start, start + length) if aligned(start, start + length) else False
            if span:
                spans.append(span)
        return spans


def _find_all(text: str, term: str) -> list[int]:
    """Start offsets of every occurrence of ``term`` (overlapping ones included)."""
    found = []
    position = text.find(term)
    while position != -1:
        found.append(position)
        position = text.find(term, position + 1)
    return found


@lru_cache(maxsize=8)
def _automaton(vocabulary: frozenset[str]) -> ahocorasick.Automaton | None:
    """An Aho–Corasick automaton of the phrases of ``vocabulary`` longer than one
    character (None when there are none); each match gives the phrase and its
    length minus one."""
    phrases = [phrase for phrase in vocabulary if len(phrase) > 1]
    if not phrases:
        return None
    automaton = ahocorasick.Automaton()
    for phrase in phrases:
        automaton.add_word(phrase, (phrase, len(phrase) - 1))
    automaton.make_automaton()
    return automaton


def _span_at(spans: list[Span], starts: list[int], offset: int, length: int) -> Span:
    index = bisect.bisect_right(starts, offset) - 1
    return spans[index] if index >= 0 else Span(0, length)


@lru_cache(maxsize=8)
def tokenizer(vocabulary: frozenset[str]) -> jieba.Tokenizer:
    """A jieba tokenizer that keeps every phrase in ``vocabulary`` as one token."""
    instance = base_tokenizer()
    for word in sorted(vocabulary):
        if len(word) > 1:
            instance.add_word(word)
            instance.suggest_freq(word, tune=True)
    return instance


def split(text: str, pattern: re.Pattern[str]) -> list[Span]:
    """Split ``text`` into spans ending after each ``pattern`` match (separator included)."""
    spans: list[Span] = []
    start = 0
    for match in pattern.finditer(text):
        if match.end() > start:
            spans.append(Span(start, match.end()))
            start = match.end()
    if start < len(text):
        spans.append(Span(start, len(text)))
    return spans


def find_quotes(text: str) -> list[Span]:
    """Spans of text inside paired quotation marks (marks included)."""
    quotes: list[Span] = []
    stack: list[tuple[str, int]] = []
    ascii_open: int | None = None
    for index, char in enumerate(text):
        if char == "\n":
            stack.clear()
            ascii_open = None
        elif char in _QUOTE_PAIRS:
            stack.append((_QUOTE_PAIRS[char], index))
        elif stack and char == stack[-1][0]:
            _, start = stack.pop()
            quotes.append(Span(start, index + 1))
        elif char == '"':
            if ascii_open is None:
                ascii_open = index
            else:
                quotes.append(Span(ascii_open, index + 1))
                ascii_open = None
    return sorted(quotes, key=lambda s: (s.start, -s.end))


def analyse(text: str, vocabulary: frozenset[str] = frozenset(), settings: Any = None) -> Analysis:
    """Segment ``text`` for rule matching."""
    folded = fold(text)
    boundaries = Boundaries(tokenizer(vocabulary), folded)
    sentences = split(folded, _SENTENCE_END)
    clauses = [
        Span(sentence.start + part.start, sentence.start + part.end)
        for sentence in sentences
        for part in split(folded[sentence.start : sentence.end], _CLAUSE_END)
    ]
    return Analysis(folded, boundaries, sentences, clauses, find_quotes(folded), settings, vocabulary)
