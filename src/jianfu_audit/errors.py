"""User-facing errors. Messages are Chinese and never need a traceback."""

from __future__ import annotations


class JianfuError(Exception):
    """Base class: ``str(error)`` is the message shown to the user."""


class InputError(JianfuError):
    """An input file could not be read; the batch goes on without it."""

    def __init__(self, message: str, *, kind: str = "unreadable") -> None:
        super().__init__(message)
        self.kind = kind  # unreadable | scanned | encrypted | unsupported | too-large


class RuleError(JianfuError):
    """A rule file is invalid: names the file, the line and the field."""

    def __init__(self, path: str, line: int | None, field: str | None, message: str) -> None:
        self.path, self.line, self.field, self.detail = path, line, field, message
        where = f"{path}:{line}" if line else path
        what = f"字段 {field}：" if field else ""
        super().__init__(f"规则文件 {where}：{what}{message}")


class UsageError(JianfuError):
    """Bad command-line or configuration input (exit code 2)."""
