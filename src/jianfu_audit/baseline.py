"""Baselines and configured suppressions: findings already accepted are hidden, and counted.

A baseline records each finding under a key made of its rule, its normalised
excerpt and its normalised sentence context — not its line — so editing another
paragraph does not revive it. Keys are kept per document and as a multiset: two
identical sentences need two entries.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from jianfu_audit import __version__
from jianfu_audit.errors import UsageError
from jianfu_audit.findings import Finding
from jianfu_audit.pipeline import DocumentResult
from jianfu_audit.settings import Suppression

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

FORMAT_VERSION = 1
MARKER = "jianfu_audit_baseline"

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [MARKER, "documents"],
    "properties": {
        MARKER: {"const": FORMAT_VERSION},
        "documents": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {"type": "object", "required": ["key"], "properties": {"key": {"type": "string"}}},
            },
        },
    },
}


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    """The baseline file's schema validator (jsonschema is imported only when one is read)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(SCHEMA)


def normalise(text: str) -> str:
    """NFKC (full-width → half-width) without any whitespace: stable across re-extraction."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def finding_key(finding: Finding) -> str:
    """Line-independent identity of a finding: rule + normalised excerpt + context."""
    material = "\0".join((finding.rule, normalise(finding.excerpt), normalise(finding.context)))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:20]


def document_key(path: str, root: Path) -> str:
    """``path`` relative to ``root`` in POSIX form, or absolute when outside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


@dataclass(frozen=True)
class Baseline:
    """Accepted finding keys per document; paths are relative to ``root`` (the file's folder)."""

    root: Path
    documents: dict[str, Counter]

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"基线文件 {path} 不存在（用 jianfu-audit baseline 生成）") from None
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise UsageError(f"基线文件 {path} 无法读取（{error}）") from None
        error = next(iter(_validator().iter_errors(data)), None)
        if error is not None:
            where = "/".join(map(str, error.absolute_path)) or "顶层"
            raise UsageError(f"基线文件 {path} 格式不对（{where}），请用 jianfu-audit baseline 重新生成")
        documents = {doc: Counter(entry["key"] for entry in entries) for doc, entries in data["documents"].items()}
        return cls(Path(os.path.abspath(path.parent)), documents)

    def accepted(self, path: str) -> Counter:
        """A fresh copy of the accepted keys for the document at ``path``."""
        return Counter(self.documents.get(document_key(path, self.root), ()))


def baseline_json(results: Iterable[DocumentResult], root: Path) -> dict[str, Any]:
    """The baseline file content for ``results`` (readable documents with findings)."""
    documents = {
        document_key(result.path, root): [
            {"key": finding_key(f), "rule": f.rule, "line": f.line, "excerpt": f.excerpt} for f in result.findings
        ]
        for result in results
        if result.error is None and result.findings
    }
    return {MARKER: FORMAT_VERSION, "tool": {"name": "jianfu-audit", "version": __version__}, "documents": documents}


def suppresses(suppression: Suppression, finding: Finding, path: str) -> bool:
    """Whether a configured ignore covers ``finding`` in the document at ``path``."""
    rule_hit = not suppression.rules or any(
        name == finding.category or fnmatchcase(finding.rule, name) for name in suppression.rules
    )
    if not rule_hit:
        return False
    if not suppression.paths:
        return True
    relative = document_key(path, suppression.root)
    name = PurePath(path).name
    return any(fnmatchcase(relative if "/" in p else name, p) for p in suppression.paths)


def triage(result: DocumentResult, suppressions: Iterable[Suppression], baseline: Baseline | None) -> DocumentResult:
    """``result`` without the findings that are suppressed by config or recorded in the baseline,
    with those counted in ``suppressed`` (per reason) and ``baselined``."""
    suppressions = tuple(suppressions)
    if result.error is not None or (not suppressions and baseline is None):
        return result
    accepted = baseline.accepted(result.path) if baseline else Counter()
    reasons: Counter = Counter()
    kept: list[Finding] = []
    baselined = 0
    for finding in result.findings:
        reason = next((s.reason for s in suppressions if suppresses(s, finding, result.path)), None)
        key = finding_key(finding)
        if reason is not None:
            reasons[reason] += 1
        elif accepted[key] > 0:
            accepted[key] -= 1
            baselined += 1
        else:
            kept.append(finding)
    return replace(result, findings=kept, baselined=baselined, suppressed=dict(reasons))
