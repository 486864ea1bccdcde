"""Run rules over a document and turn matches into findings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase

from jianfu_audit.document import Document
from jianfu_audit.findings import Finding, Severity
from jianfu_audit.rules.extra import fill
from jianfu_audit.rules.frequency import Frequency, nearest, sentence_frequencies
from jianfu_audit.rules.model import Condition, Rule, RuleSet
from jianfu_audit.segment import Analysis, Span, analyse
from jianfu_audit.settings import Settings

_CONTEXT = 40  # characters of sentence shown on each side of a match


def selected(rule: Rule, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """Whether ``rule`` passes ``--select``/``--ignore`` (ids, categories or globs)."""

    def hit(names: Iterable[str]) -> bool:
        return any(name == rule.category or fnmatchcase(rule.id, name) for name in names)

    select = list(select)
    return (not select or hit(select)) and not hit(ignore)


def active_rules(ruleset: RuleSet, settings: Settings) -> list[Rule]:
    """The rules that run under ``settings``."""
    return [rule for rule in ruleset.rules if selected(rule, settings.select, settings.ignore)]


def rule_matches(rule: Rule, analysis: Analysis) -> Iterator[Span]:
    """Spans where ``rule`` fires: pattern found, ``inside`` holds, no exception holds.

    At most one match per rule per sentence (the first), so a long sentence that
    repeats a phrase is reported once.
    """
    if not rule.may_match(analysis):
        return
    unique = {(s.start, s.end): s for s in rule.pattern.find(analysis)}
    if not unique:
        return
    # Each exception is looked at only in the sentences where it can hold at all:
    # most matches have none of them nearby, and most exceptions hold nowhere in a
    # given text, so they are left out before the matches are looked at.
    exceptions = _live_exceptions(rule, analysis)
    seen_sentences: set[int] = set()
    for span in sorted(unique.values(), key=lambda s: (s.start, -s.end)):
        sentence = analysis.unit_index("sentence", span.start)
        if sentence in seen_sentences:
            continue
        if not all(condition.holds(analysis, span) for condition in rule.inside):
            continue
        if any(
            exception.holds(analysis, span)
            for exception, where in exceptions
            if where is None or sentence in where
        ):
            continue
        seen_sentences.add(sentence)
        yield span


def check_document(document: Document, ruleset: RuleSet, settings: Settings) -> list[Finding]:
    """All findings for ``document`` at or above the reporting severity, in text order."""
    rules = active_rules(ruleset, settings)
    analysis = analyse(document.text, ruleset.vocabulary(), settings)
    analysis.matchable = ruleset.regex_filter().matching(analysis.text)
    findings: list[Finding] = []
    frequencies: dict[int, list[Frequency]] = {}  # per sentence, shared by its findings
    for rule in rules:
        severity = settings.severity_overrides.get(rule.id, rule.severity)
        if severity < settings.min_severity:
            continue
        for span in rule_matches(rule, analysis):
            findings.append(make_finding(document, analysis, rule, span, severity, frequencies))
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    return findings


def _live_exceptions(rule: Rule, analysis: Analysis) -> list[tuple[Condition, frozenset[int] | None]]:
    """``rule``'s exceptions that can hold somewhere in the text, each with the sentences
    where it can (None: any). Rules share most exceptions: each is worked out once per text."""
    known: dict[int, frozenset[int] | None] = analysis.memo("exception-sentences", dict)
    live = []
    for exception in rule.exceptions:
        key = id(exception)
        if key in known:
            where = known[key]
        else:
            where = known[key] = exception.sentences(analysis)
        if where is None or where:
            live.append((exception, where))
    return live


def make_finding(
    document: Document,
    analysis: Analysis,
    rule: Rule,
    span: Span,
    severity: Severity,
    frequencies: dict[int, list[Frequency]],
) -> Finding:
    """A finding for ``span`` with its location, excerpt and sentence context
    (``frequencies``: the document's frequencies per sentence start, filled as needed)."""
    start, end = span.start, span.end
    where = document.locate(start)
    end_line, end_column = document.line_column(end)
    sentence = analysis.sentence_at(start)
    extra = dict(getattr(span, "extra", {}) or {})
    if "frequency" not in extra:
        found = frequencies.get(sentence.start)
        if found is None:
            found = frequencies[sentence.start] = sentence_frequencies(document.text, analysis, sentence)
        if frequency := nearest(found, start - sentence.start):
            extra["frequency"] = frequency
    lo = max(sentence.start, start - _CONTEXT)
    hi = min(sentence.end, end + _CONTEXT)
    location = {
        "end_line": end_line,
        "end_column": end_column,
        "part": where.part if where.part != "body" else None,
        "table": where.table,
        "row": where.row,
        "cell": where.cell,
    }
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=severity,
        message=fill(rule.message, extra),
        suggestion=fill(rule.suggestion, extra),
        citation=list(rule.citation),
        excerpt=document.text[start:end],
        start=start,
        end=end,
        line=where.line,
        column=where.column,
        page=where.page,
        paragraph=where.paragraph,
        context=document.text[lo:hi].strip(),
        location=location,
        extra=extra,
    )
