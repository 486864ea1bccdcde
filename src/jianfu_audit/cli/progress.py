"""A progress bar (rich) on stderr while a batch is checked."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

T = TypeVar("T")


def progress(items: Iterable[T], total: int, *, quiet: bool = False, pause: bool = False) -> Iterator[T]:
    """Yield ``items``, counting them on a transient bar on stderr.

    No bar for a single input, with ``quiet``, or when stderr is not a terminal.
    With ``pause`` (the report goes to the same terminal) the bar is taken down
    while the caller handles each item, so report lines and bar never interleave.
    """
    console = Console(stderr=True)
    if quiet or total < 2 or not console.is_terminal:
        yield from items
        return
    bar = Progress(
        TextColumn("检查中"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True,
    )
    task = bar.add_task("", total=total)
    with bar:
        for item in items:
            bar.advance(task)
            if pause:
                bar.stop()
            yield item
            if pause:
                bar.start()
