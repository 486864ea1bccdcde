"""Command-line interface: ``jianfu-audit`` and ``python -m jianfu_audit``."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.text import Text

from jianfu_audit.cli import annotate, baseline, check, eval, extract, formats, init, rules, score  # noqa: F401  (register commands)
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
        # One line whatever the width (soft_wrap), and the message as plain text:
        # paths and fields such as rules[0] must not be read as console markup.
        Console(stderr=True, highlight=False, soft_wrap=True).print(Text("错误：", style="bold red") + Text(str(error)))
        sys.exit(2)
