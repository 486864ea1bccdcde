"""JUnit XML report, for GitLab's unit test report and Jenkins' JUnit plugin.

One ``<testsuite>`` per document, one failing ``<testcase>`` per finding (named
``rule line:column`` so GitLab, which keys cases by class name and name, keeps
them all), one passing case for a clean document and an ``<error>`` for one that
could not be read. GitLab ignores the ``message`` attribute, so the full details
are also the element's text. Scores go in the suite's ``<properties>``.
"""

from __future__ import annotations

import re
from typing import IO
from xml.etree.ElementTree import Element, SubElement, tostring

from jianfu_audit.findings import Finding
from jianfu_audit.pipeline import DocumentResult
from jianfu_audit.score import burden
from jianfu_audit.summary import Summary

CLEAN_CASE = "基层负担检查"
# Characters XML 1.0 cannot carry (form feeds from PDFs, vertical tabs from Word…).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    """``text`` without characters that would make the XML invalid."""
    return _INVALID_XML.sub("", text)


def details(finding: Finding) -> str:
    return (
        f"第{finding.line}行第{finding.column}列 [{finding.severity.name}] {finding.message}\n"
        f"原文：{finding.context or finding.excerpt}\n"
        f"建议：{finding.suggestion}\n"
        f"依据：{'、'.join(finding.citation)}"
    )


def suite(result: DocumentResult) -> Element:
    """The ``<testsuite>`` for one document."""
    path = clean(result.path)
    node = Element("testsuite", name=path, time="0")
    failures = errors = 0
    if result.error is not None:
        case = SubElement(node, "testcase", classname=path, name=CLEAN_CASE, file=path, time="0")
        SubElement(case, "error", message=clean(f"无法读取：{result.error}"), type=result.error_kind or "unreadable").text = clean(result.error)
        errors = 1
    else:
        weight = burden(result.findings)
        properties = SubElement(node, "properties")
        SubElement(properties, "property", name="score", value=str(weight.score))
        for category, count in weight.by_category.items():
            SubElement(properties, "property", name=f"category.{category}", value=str(count))
        for finding in result.findings:
            case = SubElement(
                node, "testcase", classname=path, name=f"{finding.rule} {finding.line}:{finding.column}",
                file=path, line=str(finding.line), time="0",
            )
            failure = SubElement(case, "failure", message=clean(f"{finding.rule}：{finding.message}"), type=finding.rule)
            failure.text = clean(details(finding))
            failures += 1
        if not result.findings:
            SubElement(node, "testcase", classname=path, name=CLEAN_CASE, file=path, time="0")
    cases = max(failures + errors, 1)
    node.attrib.update(tests=str(cases), failures=str(failures), errors=str(errors), skipped="0")
    return node


class Reporter:
    """Streams ``<testsuites>`` with one suite per document."""

    def __init__(self, out: IO[str], **_: object) -> None:
        self.out = out
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="jianfu-audit">\n')

    def document(self, result: DocumentResult) -> None:
        self.out.write("  " + tostring(suite(result), encoding="unicode") + "\n")

    def finish(self, summary: Summary) -> None:
        for path in summary.missing:
            node = Element("testsuite", name=clean(path), tests="1", failures="0", errors="1", skipped="0", time="0")
            case = SubElement(node, "testcase", classname=clean(path), name=CLEAN_CASE, time="0")
            SubElement(case, "error", message="路径不存在", type="missing")
            self.out.write("  " + tostring(node, encoding="unicode") + "\n")
        self.out.write("</testsuites>\n")
