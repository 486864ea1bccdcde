"""Command-line interface: ``jianfu-audit`` and ``python -m jianfu_audit``."""

from __future__ import annotations

import os
import sys

from rich.console import Console
from rich.text import Text

from jianfu_audit.cli import annotate, baseline, check, eval, extract, formats, init, rules, score  # noqa: F401  (register commands)
from jianfu_audit.cli.app import app
from jianfu_audit.errors import JianfuError
from jianfu_audit.pipeline import DEBUG_ENV

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: run the app; user errors print one Chinese line and exit 2.

    A traceback is shown only with ``--debug`` (which also makes the batch print
    the traceback of any input that fails unexpectedly); otherwise even an
    unexpected error is one line.
    """
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
        os.environ[DEBUG_ENV] = "1"
    try:
        app()
    except JianfuError as error:
        if debug:
            raise
        _fail(str(error))
    except BrokenPipeError:  # the reader (e.g. ``| head``) went away: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as error:  # no traceback for users unless --debug
        if debug:
            raise
        detail = (str(error).strip().splitlines() or [""])[0]
        _fail(f"内部错误（{type(error).__name__}：{detail}）；加 --debug 可查看详细信息")
    finally:
        if debug:
            os.environ.pop(DEBUG_ENV, None)


def _fail(message: str) -> None:
    """Print one error line on stderr and exit 2."""
    # One line whatever the width (soft_wrap), and the message as plain text:
    # paths and fields such as rules[0] must not be read as console markup.
    Console(stderr=True, highlight=False, soft_wrap=True).print(Text("错误：", style="bold red") + Text(message))
    sys.exit(2)
