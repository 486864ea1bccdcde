"""Command-line interface: ``jianfu-audit`` and ``python -m jianfu_audit``."""

from __future__ import annotations

import sys

from rich.console import Console

from jianfu_audit.cli import check, extract, rules  # noqa: F401  (register commands)
from jianfu_audit.cli.app import app
from jianfu_audit.errors import JianfuError

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: run the app; user errors print one Chinese line and exit 2."""
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
    try:
        app()
    except JianfuError as error:
        if debug:
            raise
        Console(stderr=True, highlight=False).print(f"[bold red]错误：[/]{error}", markup=True)
        sys.exit(2)
