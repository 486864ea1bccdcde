"""One finding a line — ``path:line:col: RULE [severity] message`` — for editors and grep.

Documents that cannot be read (and missing paths) get one ``path: 错误：…`` line.
Only findings are listed; the burden score is in the other formats.
"""

from __future__ import annotations

from typing import IO

from jianfu_audit.findings import Finding
from jianfu_audit.pipeline import DocumentResult
from jianfu_audit.summary import Summary


def one_line(path: str, finding: Finding) -> str:
    message = " ".join(f"{finding.message} 原文：“{finding.excerpt}”".split())
    return f"{path}:{finding.line}:{finding.column}: {finding.rule} [{finding.severity.name}] {message}"


class Reporter:
    def __init__(self, out: IO[str], **_: object) -> None:
        self.out = out

    def document(self, result: DocumentResult) -> None:
        if result.error is not None:
            self.out.write(f"{result.path}: 错误：无法读取（{' '.join(result.error.split())}）\n")
        for finding in result.findings:
            self.out.write(one_line(result.path, finding) + "\n")

    def finish(self, summary: Summary) -> None:
        for path in summary.missing:
            self.out.write(f"{path}: 错误：路径不存在\n")
