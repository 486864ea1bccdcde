"""SARIF 2.1.0 report, for code scanning (GitHub) and other SARIF viewers.

Columns are character (code point) columns of the extracted text, declared with
``columnKind: unicodeCodePoints``. Paths under the working directory are relative
URIs against ``%SRCROOT%``; every finding carries the baseline key as a partial
fingerprint so viewers can follow it across edits. Results stream; the rule
list, artifacts (with each document's burden score) and invocation come last.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from jianfu_audit import __version__
from jianfu_audit.baseline import finding_key
from jianfu_audit.findings import Finding, Severity
from jianfu_audit.pipeline import DocumentResult
from jianfu_audit.rules.model import Rule, RuleSet
from jianfu_audit.score import burden
from jianfu_audit.summary import Summary

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/jianfu-audit/"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}


def artifact_location(path: str) -> dict[str, Any]:
    """A percent-encoded URI: relative to ``%SRCROOT%`` (the working directory) when below it."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(Path.cwd())
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}


def _help(suggestion: str, citation: list[str] | tuple[str, ...]) -> dict[str, str]:
    cited = "、".join(citation)
    return {
        "text": f"建议：{suggestion}\n依据：{cited}",
        "markdown": f"**建议**：{suggestion}\n\n**依据**：{cited}",
    }


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """Rule metadata: name, short and full description, help with the citation."""
    full = rule.message + ("\n\n" + rule.description if rule.description else "")
    return {
        "id": rule.id,
        "name": rule.name or rule.id,
        "shortDescription": {"text": rule.name or rule.message},
        "fullDescription": {"text": full},
        "help": _help(rule.suggestion, rule.citation),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"category": rule.category, "tags": [rule.category], "citation": list(rule.citation)},
    }


def finding_descriptor(finding: Finding) -> dict[str, Any]:
    """Metadata from the finding itself, for a rule missing from the rule set given."""
    return {
        "id": finding.rule,
        "name": finding.rule,
        "shortDescription": {"text": finding.message},
        "fullDescription": {"text": finding.message},
        "help": _help(finding.suggestion, finding.citation),
        "properties": {"category": finding.category, "tags": [finding.category], "citation": list(finding.citation)},
    }


def result_json(finding: Finding, rule_index: int, location: dict[str, Any]) -> dict[str, Any]:
    """One SARIF result with its physical location (1-based, end column exclusive)."""
    data = finding.to_json()
    region = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": data["end_line"],
        "endColumn": data["end_column"],
        "snippet": {"text": finding.excerpt},
    }
    properties = {k: data[k] for k in ("category", "page", "paragraph", "citation") if data[k] is not None}
    properties.update(finding.extra)
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": f"{finding.message}原文：“{finding.excerpt}”。建议：{finding.suggestion}"},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
        "partialFingerprints": {"jianfuKey/v1": finding_key(finding)},
        "properties": properties,
    }


class Reporter:
    def __init__(self, out: IO[str], ruleset: RuleSet | None = None, **_: object) -> None:
        self.out = out
        self.known = {rule.id: rule for rule in (ruleset.rules if ruleset else [])}
        self.rules: list[dict[str, Any]] = []  # descriptors of the rules that fired, in order
        self.index: dict[str, int] = {}
        self.artifacts: list[dict[str, Any]] = []
        self.notifications: list[dict[str, Any]] = []
        self.count = 0
        head = {"$schema": SCHEMA_URI, "version": "2.1.0"}
        out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "runs": [{"results": [')

    def document(self, result: DocumentResult) -> None:
        location = artifact_location(result.path)
        if result.error is not None:
            self.notifications.append(_notification(f"{result.path}：无法读取：{result.error}", location))
            return
        weight = burden(result.findings).to_json()
        del weight["findings"]
        properties = {"format": result.format, "chars": result.chars, **weight, "suppressed": result.baselined + sum(result.suppressed.values())}
        self.artifacts.append({"location": location, "properties": properties})
        location = {**location, "index": len(self.artifacts) - 1}
        for finding in result.findings:
            if finding.rule not in self.index:
                self.index[finding.rule] = len(self.rules)
                rule = self.known.get(finding.rule)
                self.rules.append(rule_descriptor(rule) if rule else finding_descriptor(finding))
            separator = ",\n  " if self.count else "\n  "
            self.out.write(separator + json.dumps(result_json(finding, self.index[finding.rule], location), ensure_ascii=False))
            self.count += 1

    def finish(self, summary: Summary) -> None:
        for path in summary.missing:
            self.notifications.append(_notification(f"路径不存在：{path}", None))
        run_tail = {
            "tool": {"driver": {"name": "jianfu-audit", "version": __version__, "informationUri": INFORMATION_URI, "rules": self.rules}},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
            "artifacts": self.artifacts,
            "invocations": [
                {
                    "executionSuccessful": summary.exit_code != 2,
                    "exitCode": summary.exit_code,
                    "toolExecutionNotifications": self.notifications,
                }
            ],
            "properties": {"summary": summary.to_json()},
        }
        self.out.write("\n ], " + json.dumps(run_tail, ensure_ascii=False)[1:-1] + "}]}\n")


def _notification(text: str, location: dict[str, Any] | None) -> dict[str, Any]:
    data: dict[str, Any] = {"level": "error", "message": {"text": text}}
    if location is not None:
        data["locations"] = [{"physicalLocation": {"artifactLocation": location}}]
    return data
