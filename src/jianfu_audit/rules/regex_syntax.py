"""What a rule regex's syntax proves: whether it may run on Python's ``re``,
whether its matches stay inside one line, and whether they stay inside one
clause or sentence.

Both facts are read from the pattern's syntax tree (as Python's ``re`` parses
it). Anything the tree does not prove — a construct not listed here, syntax
RE2 and ``re`` read differently, a pattern ``re`` cannot parse — gets the safe
answer: RE2, and a search of the whole range.

**Python's re.** RE2 guarantees linear time whatever the pattern, but every
match costs one call through its Python binding (about 1.6 µs here), and the
word lists most rules use (报送|上报|填报, 乡镇|街道|社区 …) match hundreds of
times per notice: there, Python's backtracking engine is several times faster.
It is only safe when backtracking cannot blow up, so a pattern runs on ``re``
only when

* it is made of literal characters, ``.``, character classes without ``\\d \\s \\w``
  style categories, groups without flags (or only ``(?i:…)`` around ASCII letters
  other than i, which both engines fold to the same letters, as in ``(?i:app)``),
  alternation and *bounded* repetition
  (no ``*``, ``+``, ``{n,}``, anchors, look-arounds or back-references): on these
  RE2 and ``re`` mean the same and find the same leftmost-first matches;
* it cannot match the empty string (so both engines step through matches alike);
* the number of ways it can try to match from one position, computed from the
  tree, is at most ``MAX_PATHS``: the work per character of text then has a
  fixed bound, and a whole search stays linear in the text.

**One line.** A pattern that can match neither a line break nor the empty
string finds in a text exactly the matches it finds in each run of whole lines
searched separately: the engine then searches only the stretches of text where
the RE2 set says it may match. Anchors and ``\\b`` do not matter: a stretch
starts and ends at a line break, RE2 searches a stretch with the whole text
around it, and ``re`` is never given a pattern that has them.

**One clause or sentence.** A pattern made only of literal characters and
classes of listed characters (no ``.``, negated classes, anchors or
look-arounds) none of which can end a clause or sentence finds, searched in one
unit alone, a match exactly when the whole-text search finds one inside that
unit: no match can run across the unit's end mark, and nothing outside the unit
changes what matches inside it (``unit_local``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import re2

try:  # Python 3.11+: the parser behind ``re`` is ``re._parser``
    from re import _constants as sre
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

#: Most ways a pattern may try from one start position to run on ``re``.
MAX_PATHS = 256

_SINGLE = (sre.LITERAL, sre.NOT_LITERAL, sre.ANY)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)
_NEWLINE = ord("\n")
# Letters that (?i) makes match exactly their two ASCII cases, or the same extra
# characters (K: Kelvin sign, s: long s), in both engines; re also folds i with ı and İ.
_CASELESS_ALIKE = frozenset(map(ord, "abcdefghjklmnopqrstuvwxyzABCDEFGHJKLMNOPQRSTUVWXYZ"))
# Classes written alike in both engines whose members include a line break.
_CATEGORY_HAS_NEWLINE = {
    sre.CATEGORY_SPACE: True,
    sre.CATEGORY_NOT_SPACE: False,
    sre.CATEGORY_DIGIT: False,
    sre.CATEGORY_NOT_DIGIT: True,
    sre.CATEGORY_WORD: False,
    sre.CATEGORY_NOT_WORD: True,
}
# RE2 syntax that ``re`` parses without error but reads differently:
# POSIX classes ([[:space:]]) and ``{,n}`` (a literal in RE2, a repeat in re).
_READ_DIFFERENTLY = re.compile(r"\[:\^?[A-Za-z]+:\]|\{,")


@lru_cache(maxsize=None)
def _parse(pattern: str) -> Any:
    """The syntax tree of ``pattern``, or None when the facts here cannot be read from it."""
    if _READ_DIFFERENTLY.search(pattern):
        return None
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None
    if parsed.getwidth()[0] == 0:
        return None  # a pattern that can match the empty string
    return parsed


# Verdicts of ``backtracking`` already worked out (kept in the on-disk cache by
# ``patterns.RegexFilter``): the pattern is then compiled without being analysed again.
_KNOWN: dict[str, bool] = {}


def remember_backtracking(verdicts: dict[str, bool]) -> None:
    """Record whether each pattern may run on ``re``, as ``backtracking`` decided it."""
    _KNOWN.update(verdicts)


@lru_cache(maxsize=None)
def backtracking(pattern: str) -> re.Pattern[str] | None:
    """``pattern`` (already expanded and folded) compiled by ``re`` when that is safe
    and equivalent to RE2 (see the module docstring), else None."""
    known = _KNOWN.get(pattern)
    if known is not None:
        return re.compile(pattern) if known else None
    parsed = _parse(pattern)
    if parsed is None or parsed.state.flags & ~re.UNICODE or paths(list(parsed)) > MAX_PATHS:
        return None  # inline flags (?i) (?m) … are left to RE2 too
    return re.compile(pattern)


def paths(items: list[tuple[Any, Any]]) -> float:
    """An upper bound on the ways ``items`` (a parsed sequence) can match from one
    position; infinite when a construct is unbounded or not allowed."""
    total = 1.0
    for op, argument in items:
        if op in _SINGLE:
            count = 1.0
        elif op is sre.IN:
            count = 1.0 if all(kind is not sre.CATEGORY for kind, _ in argument) else float("inf")
        elif op is sre.SUBPATTERN:
            _group, add_flags, del_flags, inner = argument
            alike = not (add_flags or del_flags) or _caseless_letters(add_flags, del_flags, list(inner))
            count = paths(list(inner)) if alike else float("inf")
        elif op is sre.BRANCH:
            count = _branch_paths([list(branch) for branch in argument[1]])
        elif op in _REPEATS:
            low, high, inner = argument
            if high is sre.MAXREPEAT:
                return float("inf")
            each = paths(list(inner))
            count = high - low + 1 if each == 1 else sum(each**k for k in range(low, min(high, 64) + 1))
        else:
            return float("inf")
        total *= count
        if total > MAX_PATHS:
            return float("inf")
    return total


def _caseless_letters(add_flags: int, del_flags: int, items: list[tuple[Any, Any]]) -> bool:
    """Whether a group is ``(?i:…)`` around letters that both engines fold alike."""
    return add_flags == re.IGNORECASE and not del_flags and all(
        op is sre.LITERAL and argument in _CASELESS_ALIKE for op, argument in items
    )


def _branch_paths(branches: list[list[tuple[Any, Any]]]) -> float:
    """The ways an alternation can match from one position: only alternatives that
    can start with the same character can both go on, and of several plain words
    only those that are prefixes of one another (报, 报送, 报送材料) can all match."""
    firsts = [_first_chars(branch) for branch in branches]
    words = [_word(branch) for branch in branches]
    ways = [paths(branch) for branch in branches]
    worst = 0.0
    for first in firsts:
        together = [i for i, other in enumerate(firsts) if _overlap(first, other)]
        alike = {words[i] for i in together if words[i] is not None}
        chain = max((sum(1 for other in alike if word.startswith(other)) for word in alike), default=0)
        worst = max(worst, chain + sum(ways[i] for i in together if words[i] is None))
    return worst


# The characters a match can start with: (negated, chars), or None for "any character".
_Chars = tuple[bool, frozenset[int]] | None
_MAX_RANGE = 512  # a wider range is not expanded: treated as any character


def _first_chars(items: list[tuple[Any, Any]]) -> _Chars:
    if not items:
        return None
    op, argument = items[0]
    if op is sre.LITERAL:
        return False, frozenset([argument])
    if op is sre.NOT_LITERAL:
        return True, frozenset([argument])
    if op is sre.IN:
        return _class_chars(argument)
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, inner = argument
        return None if add_flags or del_flags else _first_chars(list(inner))
    if op in _REPEATS and argument[0] >= 1:
        return _first_chars(list(argument[2]))
    if op is sre.BRANCH:
        found = [_first_chars(list(branch)) for branch in argument[1]]
        if any(chars is None or chars[0] for chars in found):
            return None
        return False, frozenset().union(*(chars[1] for chars in found if chars))
    return None


def _class_chars(items: list[tuple[Any, Any]]) -> _Chars:
    negated, chars = False, set()
    for kind, value in items:
        if kind is sre.NEGATE:
            negated = True
        elif kind is sre.LITERAL:
            chars.add(value)
        elif kind is sre.RANGE and value[1] - value[0] < _MAX_RANGE:
            chars.update(range(value[0], value[1] + 1))
        else:
            return None
    return negated, frozenset(chars)


def _overlap(one: _Chars, other: _Chars) -> bool:
    if one is None or other is None:
        return True
    (one_negated, one_chars), (other_negated, other_chars) = one, other
    if one_negated and other_negated:
        return True
    if one_negated:
        return bool(other_chars - one_chars)
    if other_negated:
        return bool(one_chars - other_chars)
    return bool(one_chars & other_chars)


def _word(items: list[tuple[Any, Any]]) -> str | None:
    """The plain word an alternative is (only literal characters), else None."""
    if items and all(op is sre.LITERAL for op, _ in items):
        return "".join(chr(code) for _, code in items)
    return None


@lru_cache(maxsize=None)
def line_local(pattern: str) -> bool:
    """Whether every match of ``pattern`` (expanded and folded) lies inside one line,
    so that searching line by line finds exactly what one whole search finds."""
    parsed = _parse(pattern)
    return parsed is not None and not parsed.state.flags & re.DOTALL and not _crosses_lines(list(parsed))


@lru_cache(maxsize=None)
def unit_local(pattern: str, marks: str) -> bool:
    """Whether ``pattern`` (expanded and folded) can only match characters that are
    listed, none of them in ``marks`` (the characters that can end a unit), and has
    no anchors or look-arounds: searching one unit alone then tells whether the
    whole-text search has a match inside it."""
    parsed = _parse(pattern)
    return parsed is not None and _only_listed(list(parsed), frozenset(map(ord, marks)))


def _only_listed(items: list[tuple[Any, Any]], marks: frozenset[int]) -> bool:
    for op, argument in items:
        if op is sre.LITERAL:
            listed = argument not in marks
        elif op is sre.IN:
            chars = _class_chars(argument)
            listed = chars is not None and not chars[0] and not chars[1] & marks
        elif op is sre.SUBPATTERN:
            listed = _only_listed(list(argument[3]), marks)
        elif op is sre.BRANCH:
            listed = all(_only_listed(list(branch), marks) for branch in argument[1])
        elif op in _REPEATS:
            listed = _only_listed(list(argument[2]), marks)
        else:
            listed = False  # . [^…] ^ $ \b look-arounds back-references: not judged
        if not listed:
            return False
    return True


def _crosses_lines(items: list[tuple[Any, Any]]) -> bool:
    """Whether ``items`` may match a line break (or use a construct not judged here)."""
    for op, argument in items:
        if op is sre.LITERAL:
            crosses = argument == _NEWLINE
        elif op is sre.NOT_LITERAL:
            crosses = argument != _NEWLINE
        elif op is sre.ANY:
            crosses = False  # DOTALL is ruled out
        elif op is sre.IN:
            crosses = _class_has_newline(argument)
        elif op is sre.AT:
            crosses = False  # ^ $ \b: a stretch starts and ends at a line break, and RE2 sees around it
        elif op is sre.SUBPATTERN:
            _group, add_flags, del_flags, inner = argument
            crosses = bool((add_flags | del_flags) & re.DOTALL) or _crosses_lines(list(inner))
        elif op is sre.BRANCH:
            crosses = any(_crosses_lines(list(branch)) for branch in argument[1])
        elif op in _REPEATS:
            crosses = _crosses_lines(list(argument[2]))
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            # a look-behind sees the same text either way; a look-ahead must stay in the line
            direction, inner = argument
            crosses = direction > 0 and _crosses_lines(list(inner))
        else:
            crosses = True  # back-references and the like: not judged
        if crosses:
            return True
    return False


def _class_has_newline(items: list[tuple[Any, Any]]) -> bool:
    negated = False
    member = False
    for kind, value in items:
        if kind is sre.NEGATE:
            negated = True
        elif kind is sre.LITERAL:
            member = member or value == _NEWLINE
        elif kind is sre.RANGE:
            member = member or value[0] <= _NEWLINE <= value[1]
        elif kind is sre.CATEGORY and value in _CATEGORY_HAS_NEWLINE:
            member = member or _CATEGORY_HAS_NEWLINE[value]
        else:
            return True
    return member != negated


def without_lookarounds(pattern: str) -> str:
    """``pattern`` with every look-around group removed: a pattern RE2 accepts
    (it has none) that matches wherever ``pattern`` does, and maybe elsewhere."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), index):
            index = _group_end(pattern, index)
            continue
        step = 2 if pattern[index] == "\\" else 1
        if pattern[index] == "[":
            step = _class_end(pattern, index) - index
        out.append(pattern[index : index + step])
        index += step
    return "".join(out)


def _group_end(pattern: str, start: int) -> int:
    """The index after the ``)`` that closes the group opened at ``start``."""
    depth = 0
    index = start
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = _class_end(pattern, index)
            continue
        depth += char == "("
        depth -= char == ")"
        index += 1
        if depth == 0:
            return index
    raise ValueError(f"unbalanced group in {pattern!r}")


def _class_end(pattern: str, start: int) -> int:
    """The index after the ``]`` that closes the class opened at ``start``."""
    index = start + 1
    if pattern.startswith("^", index):
        index += 1
    if pattern.startswith("]", index):
        index += 1  # a leading ] is a member
    while index < len(pattern) and pattern[index] != "]":
        index += 2 if pattern[index] == "\\" else 1
    return index + 1


def stretches(text: str, size: int) -> Iterator[tuple[int, int]]:
    """``text`` cut after line breaks into stretches of at least ``size`` characters."""
    start = 0
    while start < len(text):
        cut = text.find("\n", start + size - 1)
        end = len(text) if cut == -1 else cut + 1
        yield start, end
        start = end


class Gate:
    """Which of several Python regexes may match a text, and where, from scans of an
    RE2 ``Set`` of their look-around-free supersets (``without_lookarounds``, the
    gate's ``probes``): the others need not be run at all, and a line-local one only
    in the stretches of whole lines where the set matched (as ``RegexFilter`` does
    for rule regexes). When a rule pack's ``RegexFilter`` scanned the probes along
    with its regexes, ``placed`` reads the same answer off its result instead."""

    STRETCH = 200

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        options = re2.Options()
        options.never_capture = True
        options.log_errors = False
        self._set = re2.Set.SearchSet(options)
        self._set.Add("")  # matches every text: its absence means RE2 gave up
        patterns = list(patterns)
        self.probes = tuple(without_lookarounds(pattern.pattern) for pattern in patterns)
        for probe in self.probes:
            self._set.Add(probe)
        self._set.Compile()
        self._local = [line_local(pattern.pattern) for pattern in patterns]

    def possible(self, text: str) -> frozenset[int] | None:
        """Indices of the patterns that may match ``text``; None when that is unknown."""
        hits = self._set.Match(text.encode("utf-8", "surrogatepass")) or ()
        if 0 not in hits:
            return None
        return frozenset(index - 1 for index in hits if index)

    def ranges(self, text: str) -> list[list[tuple[int, int]]] | None:
        """For each pattern, the parts of ``text`` to run it on; None when unknown."""
        possible = self.possible(text)
        if possible is None:
            return None
        found: list[list[tuple[int, int]]] = [[] for _ in self._local]
        local = {index for index in possible if self._local[index]}
        for index in possible - local:
            found[index].append((0, len(text)))
        for start, end in stretches(text, self.STRETCH) if local else ():
            hits = self._set.Match(text[start:end].encode("utf-8", "surrogatepass")) or ()
            if 0 not in hits:
                return None
            for index in local.intersection(hit - 1 for hit in hits):
                places = found[index]
                if places and places[-1][1] == start:
                    places[-1] = (places[-1][0], end)
                else:
                    places.append((start, end))
        return found

    def probe_facts(self) -> list[tuple[str, bool]]:
        """Each probe with whether it is placed by stretches (for ``RegexFilter``)."""
        return list(zip(self.probes, self._local))

    def placed(self, matchable: Any) -> list[list[tuple[int, int]]] | None:
        """``ranges`` of the text that ``matchable`` (a ``RegexFilter`` result) describes,
        when its scan included this gate's probes; None when it did not."""
        if matchable is None or not matchable.probed.issuperset(self.probes):
            return None
        return [list(matchable.probes.get(probe, ())) for probe in self.probes]


def overlapping(places: list[list[tuple[int, int]]], lo: int, hi: int) -> frozenset[int]:
    """Indices of the patterns whose ``places`` (``Gate.ranges``) reach into ``[lo, hi)``."""
    return frozenset(index for index, ranges in enumerate(places) if any(s < hi and lo < e for s, e in ranges))
