"""Measure the rule pack on a labelled corpus (``jianfu-audit eval``).

Two corpus shapes are read:

* a JSON Lines file, one item a line: ``{"id", "text", "labels", "kind"}``;
* a folder of whole notices with ``labels.json``:
  ``{"notice_01.txt": {"categories": [...], "demands": 0}, ...}``.

A category counts as predicted for an item when a finding of severity error or
warning carries it. Scoring is a pure function of (items, predictions).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jianfu_audit.document import Document, document_from_text
from jianfu_audit.errors import InputError, UsageError
from jianfu_audit.extract import extract
from jianfu_audit.findings import Finding, Severity
from jianfu_audit.rules.engine import check_document
from jianfu_audit.rules.model import RuleSet
from jianfu_audit.settings import Settings

LABELS_FILE = "labels.json"


@dataclass(frozen=True)
class Item:
    """One labelled text: a corpus line or a whole notice."""

    id: str
    labels: frozenset[str]
    text: str = ""
    kind: str = ""
    path: Path | None = None  # whole notices are extracted from this file
    demands: int | None = None  # labelled number of demand sentences (notices)


@dataclass(frozen=True)
class Prediction:
    """What the checker said about one item."""

    categories: frozenset[str]
    rules: dict[str, tuple[str, ...]]  # category → rule ids that predicted it
    evidence: dict[str, str]  # category → the sentence of its first finding
    demand_sentences: int  # distinct sentences (ending in 。) with a predicting finding


@dataclass
class Score:
    """True/false positives and misses for one category (or the micro total)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "support": self.tp + self.fn,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


@dataclass(frozen=True)
class Error:
    """A miss (labelled, not predicted) or a false alarm (predicted, not labelled)."""

    id: str
    category: str
    text: str
    kind: str = ""
    rules: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "category": self.category, "kind": self.kind, "text": self.text}
        if self.rules:
            data["rules"] = list(self.rules)
        return data


@dataclass
class Report:
    """Everything ``eval`` prints."""

    corpus: str
    items: int
    categories: dict[str, Score]
    micro: Score
    unlabelled: int
    unlabelled_flagged: int
    misses: list[Error] = field(default_factory=list)
    false_alarms: list[Error] = field(default_factory=list)
    demands: list[dict[str, Any]] = field(default_factory=list)  # notices: labelled vs found

    @property
    def false_alarm_rate(self) -> float | None:
        return self.unlabelled_flagged / self.unlabelled if self.unlabelled else None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "corpus": self.corpus,
            "items": self.items,
            "categories": {name: score.to_json() for name, score in self.categories.items()},
            "micro": self.micro.to_json(),
            "unlabelled": self.unlabelled,
            "unlabelled_flagged": self.unlabelled_flagged,
            "false_alarm_rate": _round(self.false_alarm_rate),
            "misses": [e.to_json() for e in self.misses],
            "false_alarms": [e.to_json() for e in self.false_alarms],
        }
        if self.demands:
            data["demands"] = self.demands
        return data


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def load_corpus(path: Path) -> list[Item]:
    """Read a JSON Lines corpus or a folder of notices with ``labels.json``."""
    if path.is_dir():
        return _load_folder(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"无法读取语料 {path}（{error}）") from None
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            items.append(
                Item(str(data["id"]), frozenset(data.get("labels") or ()), str(data["text"]), str(data.get("kind", "")))
            )
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise UsageError(f"语料 {path} 第 {number} 行格式错误（需要 id、text、labels）：{error}") from None
    return items


def _load_folder(folder: Path) -> list[Item]:
    labels_path = folder / LABELS_FILE
    try:
        labels = json.loads(labels_path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"文件夹语料需要可读的 {labels_path}（{error}）") from None
    items = []
    for name, entry in sorted(labels.items()):
        if not isinstance(entry, dict) or not (folder / name).is_file():
            raise UsageError(f"{labels_path} 中的 {name!r} 无效或文件不存在")
        items.append(
            Item(name, frozenset(entry.get("categories") or ()), path=folder / name, demands=entry.get("demands"))
        )
    return items


def document_of(item: Item, settings: Settings) -> Document:
    """The document the checker sees for ``item``."""
    if item.path is None:
        return document_from_text(item.text, item.id)
    try:
        return extract(item.path, settings)
    except InputError as error:
        raise UsageError(f"无法读取 {item.path}：{error}") from None


def predict(findings: Iterable[Finding], document: Document) -> Prediction:
    """Categories predicted by error/warning findings."""
    rules: dict[str, list[str]] = {}
    evidence: dict[str, str] = {}
    sentences: set[int] = set()
    for finding in findings:
        if finding.severity < Severity.warning:
            continue
        evidence.setdefault(finding.category, finding.context)
        ids = rules.setdefault(finding.category, [])
        if finding.rule not in ids:
            ids.append(finding.rule)
        sentences.add(document.text.count("。", 0, finding.start))
    return Prediction(frozenset(rules), {k: tuple(v) for k, v in rules.items()}, evidence, len(sentences))


def run(items: list[Item], ruleset: RuleSet, settings: Settings) -> list[tuple[Item, Prediction]]:
    """Check every item; return it with its prediction."""
    results = []
    for item in items:
        document = document_of(item, settings)
        results.append((item, predict(check_document(document, ruleset, settings), document)))
    return results


def score(corpus: str, results: list[tuple[Item, Prediction]], categories: Iterable[str]) -> Report:
    """Per-category and micro scores, false-alarm rate, misses and false alarms."""
    scores = {name: Score() for name in categories}
    micro = Score()
    misses: list[Error] = []
    false_alarms: list[Error] = []
    demands: list[dict[str, Any]] = []
    unlabelled = flagged = 0
    for item, prediction in results:
        for name in sorted(item.labels | prediction.categories):
            entry = scores.setdefault(name, Score())
            if name in item.labels and name in prediction.categories:
                entry.tp += 1
                micro.tp += 1
            elif name in item.labels:
                entry.fn += 1
                micro.fn += 1
                misses.append(Error(item.id, name, item.text, item.kind))
            else:
                entry.fp += 1
                micro.fp += 1
                text = item.text or prediction.evidence[name]  # whole notices: the flagged sentence
                false_alarms.append(Error(item.id, name, text, item.kind, prediction.rules[name]))
        if not item.labels:
            unlabelled += 1
            flagged += bool(prediction.categories)
        if item.demands is not None:
            demands.append({"id": item.id, "labelled": item.demands, "found": prediction.demand_sentences})
    return Report(corpus, len(results), scores, micro, unlabelled, flagged, misses, false_alarms, demands)
