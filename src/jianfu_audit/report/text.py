"""Terminal report (rich): grouped by file, severity colours, highlighted excerpt.

Colour is used only when the output is a terminal (rich's own detection, which
also honours ``NO_COLOR``), so the report stays clean in a pipe.
"""

from __future__ import annotations

from typing import IO

from rich.console import Console
from rich.text import Text

from jianfu_audit.findings import Finding
from jianfu_audit.pipeline import DocumentResult
from jianfu_audit.score import burden
from jianfu_audit.summary import Summary

STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def location_label(finding: Finding) -> str:
    """Human location: page, paragraph and table cell where known."""
    parts = []
    if finding.page is not None:
        parts.append(f"第{finding.page}页")
    if finding.paragraph is not None:
        parts.append(f"第{finding.paragraph}段")
    table = finding.location.get("table")
    if table is not None:
        parts.append(f"表{table} 第{finding.location['row']}行第{finding.location['cell']}格")
    part = finding.location.get("part")
    if part in ("header", "footer"):
        parts.append("页眉" if part == "header" else "页脚")
    return " ".join(parts)


def pages_label(pages: list[int]) -> str:
    """``第 2、3 页``."""
    return "第 " + "、".join(map(str, pages)) + " 页"


def skipped_notice(result: DocumentResult) -> Text | None:
    """The warning that scanned pages were not checked, if any were skipped."""
    if result.document is None or not result.document.skipped_pages:
        return None
    pages = pages_label(result.document.skipped_pages)
    return Text(f"  注意：{pages}没有可用的文本层（可能是扫描页），未检查；加 --ocr 可识别", style="yellow")


def highlighted(finding: Finding) -> Text:
    """The sentence context with the matched words emphasised."""
    context = finding.context or finding.excerpt
    text = Text(context)
    index = context.find(finding.excerpt)
    if index >= 0:
        text.stylize("bold reverse", index, index + len(finding.excerpt))
    return text


class Reporter:
    def __init__(self, out: IO[str], **_: object) -> None:
        self.console = Console(file=out, highlight=False, soft_wrap=True, emoji=False)

    def document(self, result: DocumentResult) -> None:
        console = self.console
        if result.error is not None:
            console.print(Text(result.path, style="bold"), Text("无法读取：" + result.error, style="bold red"))
            return
        skipped = skipped_notice(result)
        if not result.findings:
            console.print(Text(result.path, style="bold"), Text("未发现问题", style="green"))
            if skipped:
                console.print(skipped)
            return
        score = burden(result.findings).score
        ocr = ""
        if result.document is not None and result.document.ocr_pages:
            partial = len(result.document.ocr_pages) < (result.document.pages or 0)
            ocr = f"，{pages_label(result.document.ocr_pages) if partial else ''}文字由 OCR 识别"
        console.print(Text(f"{result.path}（{len(result.findings)} 处，负担分 {score}{ocr}）", style="bold underline"))
        if skipped:
            console.print(skipped)
        for finding in result.findings:
            severity = finding.severity.name
            head = Text("  ")
            head.append(f"{result.path}:{finding.line}:{finding.column}", style="bold")
            head.append(" ")
            head.append(LABELS[severity], style=STYLES[severity])
            head.append(f" {finding.rule}", style="magenta")
            label = location_label(finding)
            if label:
                head.append(f" （{label}）", style="dim")
            console.print(head)
            console.print(Text("    " + finding.message))
            console.print(Text("    原文：").append(highlighted(finding)))
            console.print(Text("    建议：" + finding.suggestion, style="green"))
            console.print(Text("    依据：" + "、".join(finding.citation), style="dim"))
        console.print()

    def finish(self, summary: Summary) -> None:
        counts = "、".join(
            f"{LABELS[s]} {summary.by_severity[s]}" for s in ("error", "warning", "info") if summary.by_severity[s]
        )
        line = f"共检查 {summary.documents} 个文件，发现 {summary.findings} 处问题"
        if counts:
            line += f"（{counts}）"
        if summary.failed:
            line += f"；{summary.failed} 个文件无法读取"
            if summary.scanned:
                line += f"（其中 {summary.scanned} 个为无文本层的扫描件）"
        if summary.partly_scanned:
            line += f"；{summary.partly_scanned} 个文件中有扫描页未检查（加 --ocr 可识别）"
        if summary.unsupported:
            line += f"；跳过 {len(summary.unsupported)} 个不支持的文件：" + "、".join(summary.unsupported)
        if summary.missing:
            line += "；路径不存在：" + "、".join(summary.missing)
        hidden = summary.baselined + sum(summary.suppressed.values())
        if hidden:
            line += f"；另有 {hidden} 处已由基线或配置忽略（明细见 --format json 的 suppressed）"
        if summary.over_score:
            line += f"；{summary.over_score} 个文件负担分超过上限 {summary.max_score}"
        style = "bold red" if summary.exit_code else "bold green"
        self.console.print(Text(line + "。", style=style))
