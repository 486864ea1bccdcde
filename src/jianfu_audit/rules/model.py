"""Rules, conditions and exceptions as loaded from YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jianfu_audit.findings import Severity
from jianfu_audit.rules.patterns import (
    Pattern,
    Regex,
    RegexFilter,
    Terms,
    gate_probes,
    only_regexes,
    parse_pattern,
    regex_sources,
)
from jianfu_audit.segment import UNIT_MARKS, Analysis, Span

_PATTERN_KEYS = ("terms", "regex", "sequence", "any")


def can_match(regex_only: frozenset[str] | None, analysis: Analysis) -> bool:
    """False when a pattern made of the regexes ``regex_only`` alone cannot match the
    text: the text's RE2 scan (``analysis.matchable``) rules all of them out."""
    matchable = analysis.matchable
    return regex_only is None or matchable is None or not regex_only.isdisjoint(matchable.sources)


@dataclass(frozen=True)
class Condition:
    """A pattern looked for around a match: in its clause, sentence or document,
    before it, after it or anywhere. Used both for ``inside`` (must hold) and for
    exceptions (``unless``: suppress the match when it holds).

    ``breakers`` cut the link: a prohibition before a match no longer applies when
    a ``但``/``仍须`` stands between them. ``breakers_before`` cut it from earlier on:
    found anywhere in the scope before the occurrence (``根据上级要求，本校……``:
    a school relaying an outside demand is no longer its own arrangement).
    ``quoted`` holds when the match lies in a quotation longer than the match by
    ``quote_min_extra`` characters (and, with a pattern, when that pattern
    introduces the quotation).
    """

    pattern: Pattern | None
    scope: str = "sentence"
    position: str = "any"
    breakers: Terms | None = None
    breakers_before: Terms | None = None
    quoted: bool = False
    quote_min_extra: int = 4
    id: str = ""
    description: str = ""
    # holds when the match's clause or sentence alone has a match (``Regex.unit_local``)
    unit_local: bool = False
    # the pattern's regex sources when it has nothing else (``only_regexes``)
    regex_only: frozenset[str] | None = None

    @classmethod
    def from_spec(cls, spec: dict[str, Any], default_position: str = "any") -> Condition:
        pattern_spec = {k: spec[k] for k in _PATTERN_KEYS if k in spec}
        pattern = parse_pattern(pattern_spec) if pattern_spec else None
        scope = spec.get("scope", "sentence")
        position = spec.get("position", default_position)
        quoted = bool(spec.get("quoted", False))
        return cls(
            pattern=pattern,
            scope=scope,
            position=position,
            breakers=Terms.from_spec(spec["breakers"]) if "breakers" in spec else None,
            breakers_before=Terms.from_spec(spec["breakers_before"]) if "breakers_before" in spec else None,
            quoted=quoted,
            quote_min_extra=int(spec.get("quote_min_extra", 4)),
            id=spec.get("id", ""),
            description=spec.get("description", ""),
            unit_local=(
                isinstance(pattern, Regex)
                and position == "any"
                and "breakers" not in spec
                and "breakers_before" not in spec
                and not quoted
                and scope in UNIT_MARKS
                and pattern.unit_local(UNIT_MARKS[scope])
            ),
            regex_only=only_regexes(pattern) if pattern is not None else None,
        )

    def holds(self, analysis: Analysis, match: Span) -> bool:
        """Whether the condition is met around ``match``."""
        if self.unit_local:
            return analysis.unit_has(self.pattern, self.scope, match.start)
        if self.pattern is not None and analysis.unit_index(self.scope, match.start) not in analysis.units_with(
            self.pattern, self.scope
        ):
            return False  # no occurrence inside the match's clause or sentence at all
        scope = analysis.scope(self.scope, match.start)
        if self.quoted:
            quote = analysis.in_quotes(match.start, match.end)
            # A quote that is only the flagged phrase (实行“一票否决”) names the burden;
            # only a longer quoted utterance is reported speech.
            if quote is None or quote.end - quote.start - 2 < match.end - match.start + self.quote_min_extra:
                return False
            if self.pattern is None:
                return True
            return any(
                occurrence.end <= quote.start
                for occurrence in analysis.occurrences(self.pattern, scope.start, quote.start)
            )
        assert self.pattern is not None
        if self.position == "any" and self.breakers is None and self.breakers_before is None:
            return True  # an occurrence lies in the scope (checked above)
        for occurrence in analysis.occurrences(self.pattern, scope.start, scope.end):
            if self._placed(occurrence, match) and not self._broken(analysis, occurrence, match):
                return True
        return False

    def sentences(self, analysis: Analysis) -> frozenset[int] | None:
        """Indices of the sentences where the condition can hold (None: any of them)."""
        if self.pattern is None or self.scope not in ("clause", "sentence"):
            return None
        if not can_match(self.regex_only, analysis):
            return frozenset()
        return analysis.units_with(self.pattern, "sentence")

    def _placed(self, occurrence: Span, match: Span) -> bool:
        # "Before" includes an occurrence that starts before the match and runs into it:
        # the negation "不排名" negates the match "排名".
        if self.position == "before":
            return occurrence.start < match.start and occurrence.end <= match.end
        if self.position == "after":
            return occurrence.end > match.end and occurrence.start >= match.start
        return True

    def _broken(self, analysis: Analysis, occurrence: Span, match: Span) -> bool:
        if self.breakers_before is not None:
            scope = analysis.scope(self.scope, match.start)
            if any(True for _ in self.breakers_before.find(analysis, scope.start, occurrence.start)):
                return True
        if self.breakers is None:
            return False
        # A breaker inside the match counts too: in "不得……，名单请于……报县" the
        # "请" that starts a new demand lies within the matched demand itself, and in
        # "不统一制定方案，请各乡镇……制定实施方案" the negation runs into the match.
        if occurrence.end <= match.start or occurrence.start < match.start < occurrence.end < match.end:
            lo, hi = occurrence.end, match.end
        elif occurrence.start >= match.end:
            lo, hi = match.start, occurrence.start
        else:
            return False  # the negation covers the match or lies inside it: nothing between them
        return any(True for _ in self.breakers.find(analysis, lo, hi))

    def vocabulary(self) -> set[str]:
        words = set(self.pattern.vocabulary()) if self.pattern else set()
        for breakers in (self.breakers, self.breakers_before):
            words |= breakers.vocabulary() if breakers else set()
        return words


@dataclass(frozen=True)
class Examples:
    positive: tuple[str, ...]
    negative: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """One rule: a pattern, its conditions and exceptions, and what to tell the user."""

    id: str
    category: str
    severity: Severity
    message: str
    suggestion: str
    citation: tuple[str, ...]
    pattern: Pattern
    inside: tuple[Condition, ...]
    exceptions: tuple[Condition, ...]
    examples: Examples
    source: str
    name: str = ""
    description: str = ""
    spec: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # the pattern's regex sources when it has nothing else (``only_regexes``)
    regex_only: frozenset[str] | None = field(default=None, compare=False, repr=False)

    def vocabulary(self) -> set[str]:
        words = set(self.pattern.vocabulary())
        for condition in (*self.inside, *self.exceptions):
            words |= condition.vocabulary()
        return words

    def may_match(self, analysis: Analysis) -> bool:
        """False when the text's regex scan (``analysis.matchable``) already shows that
        the pattern, made of regexes alone, matches nowhere."""
        return can_match(self.regex_only, analysis)

    def regexes(self) -> set[str]:
        """The regex sources of the pattern and of every condition."""
        patterns = [self.pattern, *(c.pattern for c in (*self.inside, *self.exceptions) if c.pattern)]
        return {source for pattern in patterns for source in regex_sources(pattern)}


@dataclass(frozen=True)
class Clause:
    """One policy clause that rules cite (the registry in ``rules/clauses.yaml``)."""

    id: str
    source: str  # the document's title
    category: str
    summary: str  # what the clause asks, in the project's own words
    detectable: bool
    reason: str = ""  # why it cannot be detected from a notice's wording


@dataclass
class RuleSet:
    """All loaded rules plus the named exceptions they may refer to."""

    rules: list[Rule]
    exceptions: dict[str, Condition]
    defaults: tuple[str, ...]
    sources: list[str] = field(default_factory=list)
    clauses: dict[str, Clause] = field(default_factory=dict)
    _vocabulary: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)
    _regex_filter: RegexFilter | None = field(default=None, init=False, repr=False, compare=False)

    def vocabulary(self) -> frozenset[str]:
        """Every phrase the rules name (computed once: the rule list is not changed after loading)."""
        if self._vocabulary is None:
            self._vocabulary = frozenset().union(*(rule.vocabulary() for rule in self.rules))
        return self._vocabulary

    def regex_filter(self) -> RegexFilter:
        """RE2 sets over every regex of the rules and the deadline and frequency
        finders' probes (built on first use)."""
        if self._regex_filter is None:
            self._regex_filter = RegexFilter(sorted(set().union(*(rule.regexes() for rule in self.rules))), gate_probes())
        return self._regex_filter

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)
