"""GitHub Actions workflow commands: one annotation per finding.

``::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`` (warning →
``::warning``, info → ``::notice``), escaped as the Actions runner expects:
``%``, CR and LF in the message; additionally ``:`` and ``,`` in properties.
"""

from __future__ import annotations

from typing import IO

from jianfu_audit.findings import Finding, Severity
from jianfu_audit.pipeline import DocumentResult
from jianfu_audit.score import burden
from jianfu_audit.summary import Summary

COMMANDS = {Severity.error: "error", Severity.warning: "warning", Severity.info: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    """``::name k=v,…::message`` with both parts escaped."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def annotation(path: str, finding: Finding) -> str:
    data = finding.to_json()
    message = f"{finding.message}\n原文：{finding.excerpt}\n建议：{finding.suggestion}\n依据：{'、'.join(finding.citation)}"
    return command(
        COMMANDS[finding.severity], message,
        file=path, line=finding.line, endLine=data["end_line"], col=finding.column, endColumn=data["end_column"],
        title=f"jianfu-audit {finding.rule}",
    )


class Reporter:
    def __init__(self, out: IO[str], **_: object) -> None:
        self.out = out

    def document(self, result: DocumentResult) -> None:
        if result.error is not None:
            self.out.write(command("error", f"无法读取：{result.error}", file=result.path, title="jianfu-audit") + "\n")
            return
        for finding in result.findings:
            self.out.write(annotation(result.path, finding) + "\n")
        if result.findings:
            score = burden(result.findings).score
            self.out.write(command("notice", f"负担分 {score}/100，{len(result.findings)} 处问题", file=result.path, title="jianfu-audit 负担分") + "\n")

    def finish(self, summary: Summary) -> None:
        for path in summary.missing:
            self.out.write(command("error", f"路径不存在：{path}", title="jianfu-audit") + "\n")
        self.out.write(
            f"jianfu-audit：共检查 {summary.documents} 个文件，发现 {summary.findings} 处问题，"
            f"最高负担分 {summary.highest_score}，退出码 {summary.exit_code}。\n"
        )
