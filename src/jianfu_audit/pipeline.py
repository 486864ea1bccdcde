"""The batch pipeline: inputs → documents → findings, one result per input.

``collect`` walks folders (following folder links once, so a link loop ends;
unreadable folders are kept as inputs that report why). ``run`` checks inputs
serially or in a process pool and always yields results in input order, with at
most a few results in flight, so memory stays flat however long the batch is.

A file may take at most ``Settings.timeout`` seconds. The limit is a timer
signal that interrupts Python code (a parser's loop, jieba, the rules); a pool
worker stuck in a parser's C code, which no signal interrupts, is also ended
``TIMEOUT_GRACE`` seconds later by a watchdog thread (``faulthandler``). The
marker it leaves while checking names the file, which is then reported as
timed out like the others, without being checked again.
"""

from __future__ import annotations

import faulthandler
import gc
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePath
from typing import TextIO

from jianfu_audit.document import Document
from jianfu_audit.errors import InputError
from jianfu_audit.extract import extract, extract_stdin, format_of
from jianfu_audit.findings import Finding, Severity
from jianfu_audit.rules.engine import check_document
from jianfu_audit.rules.model import RuleSet
from jianfu_audit.segment import tokenizer
from jianfu_audit.settings import Settings

STDIN = "-"
DEBUG_ENV = "JIANFU_AUDIT_DEBUG"  # set by ``--debug``: print tracebacks of unexpected errors
IN_FLIGHT_PER_JOB = 4  # results a worker may run ahead of the one being reported
TIMEOUT_GRACE = 10.0  # seconds past the time limit before a stuck worker process is ended


@dataclass
class DocumentResult:
    """The outcome for one input: its findings, or the reason it could not be read."""

    path: str
    format: str | None
    chars: int = 0
    error: str | None = None
    error_kind: str | None = None
    findings: list[Finding] = field(default_factory=list)
    document: Document | None = None
    baselined: int = 0  # findings hidden because the baseline already records them
    suppressed: dict[str, int] = field(default_factory=dict)  # config ignore reason → findings hidden

    def fails(self, fail_on: Severity | None) -> bool:
        """Whether a finding reaches the failing severity."""
        return fail_on is not None and any(f.severity >= fail_on for f in self.findings)


@dataclass
class Inputs:
    """Files to check, and the ones found but not supported."""

    files: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def display_path(path: str) -> str:
    """``path`` printable in any report: undecodable bytes of a file name become ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _matches(path: PurePath, patterns: Iterable[str]) -> bool:
    posix = path.as_posix()
    return any(fnmatchcase(posix, p) or fnmatchcase(path.name, p) for p in patterns)


def collect(paths: Iterable[str], settings: Settings) -> Inputs:
    """Expand files and folders (recursively; hidden entries skipped) into inputs."""
    inputs = Inputs()
    for raw in paths:
        if raw == STDIN:
            inputs.files.append(STDIN)
            continue
        root = Path(raw)
        if root.is_dir():
            candidates = sorted(_walk(root))
        elif root.exists() or root.is_symlink():
            candidates = [root]
        else:
            inputs.missing.append(display_path(raw))
            continue
        for path in candidates:
            relative = path.relative_to(root) if path != root else PurePath(path.name)
            # Config globs are anchored to the config folder, so also try the absolute path.
            if settings.include and not (_matches(relative, settings.include) or _matches(Path(os.path.abspath(path)), settings.include)):
                continue
            if _matches(relative, settings.exclude) or _matches(Path(os.path.abspath(path)), settings.exclude):
                continue
            if format_of(path) or path.is_dir():
                inputs.files.append(str(path))
            else:
                inputs.unsupported.append(display_path(str(path)))
    return inputs


def _walk(root: Path) -> Iterator[Path]:
    """Files under ``root``, hidden entries skipped. Folder links are followed, but a
    folder already walked (a link loop) is not entered again; a folder that cannot
    be listed is yielded itself, so that checking it reports why."""
    unreadable: list[str] = []
    seen: set[tuple[int, int]] = set()
    for directory, folders, files in os.walk(root, followlinks=True, onerror=lambda e: unreadable.append(e.filename)):
        try:
            info = os.stat(directory)
        except OSError:
            folders[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen:
            folders[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in files:
            if not name.startswith("."):
                yield Path(directory) / name
    yield from (Path(name) for name in unreadable if name)


def check_input(path: str, ruleset: RuleSet, settings: Settings) -> DocumentResult:
    """Extract and check one input; every error becomes part of the result.

    An unexpected exception (a parser's bug on a hostile file, or ours) is one line
    in the result too, so the batch goes on; ``--debug`` also prints its traceback.
    """
    shown = "<stdin>" if path == STDIN else display_path(path)
    fmt = "txt" if path == STDIN else format_of(Path(path))
    try:
        if path != STDIN and os.path.isdir(path):
            raise _folder_error(path)
        with time_limit(None if path == STDIN else settings.timeout):
            document = extract_stdin(settings) if path == STDIN else extract(Path(path), settings)
            document.path = shown
            findings = check_document(document, ruleset, settings)
    except FileTimeout:
        return _timed_out(shown, fmt, settings.timeout)
    except InputError as error:
        return DocumentResult(shown, fmt, error=str(error), error_kind=error.kind)
    except Exception as error:  # noqa: BLE001 - one bad input must not stop the batch
        if os.environ.get(DEBUG_ENV):
            traceback.print_exc()
        detail = (str(error).strip().splitlines() or [""])[0][:120]
        message = f"处理时出错（{type(error).__name__}：{detail}），已跳过；加 --debug 可查看详细信息"
        return DocumentResult(shown, fmt, error=message, error_kind="internal")
    return DocumentResult(shown, document.format, len(document.text), findings=findings, document=document)


class FileTimeout(BaseException):
    """A file's time limit ran out (a BaseException, like KeyboardInterrupt, so that
    a parser's ``except Exception`` does not swallow it)."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``FileTimeout`` when the block runs longer than ``seconds`` (none: no limit).

    Only where a timer signal can do it: the main thread, on a system with
    ``setitimer`` (not Windows); elsewhere the block runs without a limit.
    """
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise FileTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _timed_out(shown: str, fmt: str | None, seconds: float | None) -> DocumentResult:
    message = f"处理超过 {seconds:g} 秒仍未完成，已跳过（文件可能已损坏或构造异常；可用 --timeout 调整时限）"
    return DocumentResult(shown, fmt, error=message, error_kind="timeout")


def _folder_error(path: str) -> InputError:
    """Why a folder given as an input cannot be checked."""
    try:
        with os.scandir(path):
            pass
    except PermissionError:
        return InputError("无法打开文件夹（没有读取权限），其中的文件未检查")
    except OSError as error:
        return InputError(f"无法打开文件夹（{error.strerror or error}），其中的文件未检查")
    return InputError("这是一个文件夹，不是文件")


def default_jobs() -> int:
    """The number of cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def run(files: Iterable[str], ruleset: RuleSet, settings: Settings, jobs: int = 1) -> Iterator[DocumentResult]:
    """Check inputs, streaming results in input order.

    With ``jobs`` > 1 and more than one file, a pool of that many processes does
    the work; the results are the same, in the same order, as a serial run.
    The pool starts here, before the caller iterates (and, say, starts a
    progress bar's thread), so its workers are forked from a single thread.
    """
    paths = list(files)
    jobs = min(jobs, sum(1 for path in paths if path != STDIN))
    if jobs <= 1:
        return (check_input(path, ruleset, settings) for path in paths)
    return _parallel(paths, ruleset, settings, _Pool(jobs, ruleset, settings))


# ------------------------------------------------------------------ process pool

_worker_state: tuple[RuleSet, Settings, str | None] | None = None
_watchdog_output: TextIO | None = None  # where a worker's watchdog would write (nowhere)


def _init_worker(ruleset: RuleSet, settings: Settings, markers: str | None) -> None:
    """Runs once in each worker: keep the rules; Ctrl-C is the parent's to handle."""
    global _worker_state, _watchdog_output
    _worker_state = (ruleset, settings, markers)
    _watchdog_output = open(os.devnull, "w")  # noqa: SIM115 - for the worker's lifetime
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _check_in_worker(path: str) -> DocumentResult:
    """The task a worker runs for one input.

    While it checks, the worker leaves a marker (a file named by its process id,
    holding the input's path) in the pool's ``markers`` folder. A watchdog ends the
    worker when the time limit cannot interrupt it (stuck in C code); the parent
    then sees a lost worker and an old marker (``_Pool.overdue``).
    """
    assert _worker_state is not None
    ruleset, settings, markers = _worker_state
    marker = Path(markers, str(os.getpid())) if markers else None
    if marker is not None:
        try:
            marker.write_bytes(os.fsencode(path))
        except OSError:  # only a time-out in C code would then be reported as a crash
            marker = None
    if settings.timeout:
        faulthandler.dump_traceback_later(settings.timeout + TIMEOUT_GRACE, exit=True, file=_watchdog_output)
    try:
        return check_input(path, ruleset, settings)
    finally:
        if settings.timeout:
            faulthandler.cancel_dump_traceback_later()
        if marker is not None:
            marker.unlink(missing_ok=True)


def _resubmit(pool: _Pool, path: str, overdue: set[str]) -> Future[DocumentResult] | None:
    """``path``, in flight when a worker died, for the new pool: its result at once
    when it was the one stuck past the time limit (None: standard input)."""
    if path == STDIN:
        return None
    if path not in overdue:
        return pool.submit(path)
    future: Future[DocumentResult] = Future()
    future.set_result(pool.timed_out(path))
    return future


class _Pool:
    """A process pool that can be replaced when a worker dies (a parser crash, or
    the watchdog ending a worker stuck past the time limit)."""

    def __init__(self, jobs: int, ruleset: RuleSet, settings: Settings) -> None:
        tokenizer(ruleset.vocabulary())  # load jieba once; forked workers inherit it
        methods = multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        try:
            self.markers: str | None = tempfile.mkdtemp(prefix="jianfu-audit-workers-")
        except OSError:
            self.markers = None
        self.jobs, self.settings = jobs, settings
        self.initargs = (ruleset, settings, self.markers)
        self.executor = self._start(jobs)

    def _start(self, jobs: int) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(jobs, mp_context=self.context, initializer=_init_worker, initargs=self.initargs)
        if self.context.get_start_method() == "fork":
            # Fork every worker now, from this thread; frozen objects (the jieba
            # dictionary, the rules) are skipped by the workers' garbage collector,
            # so their memory stays shared instead of being copied page by page.
            gc.freeze()
            try:
                executor.submit(int).result()
            finally:
                gc.unfreeze()
        return executor

    def submit(self, path: str) -> Future[DocumentResult]:
        """Queue ``path`` on the pool."""
        return self.executor.submit(_check_in_worker, path)

    def overdue(self) -> set[str]:
        """The inputs that stopped workers were still checking past the time limit (the
        watchdog ended them; a check interrupted in time has removed its marker)."""
        if not self.settings.timeout or self.markers is None:
            return set()
        found = set()
        for marker in Path(self.markers).iterdir():
            try:
                if time.time() - marker.stat().st_mtime >= self.settings.timeout:
                    found.add(os.fsdecode(marker.read_bytes()))
            except OSError:  # removed meanwhile
                continue
        return found

    def timed_out(self, path: str) -> DocumentResult:
        return _timed_out(display_path(path), format_of(Path(path)), self.settings.timeout)

    def reopen(self) -> None:
        """A fresh pool after ``close`` (the old one lost a worker)."""
        self._clear_markers()
        self.executor = self._start(self.jobs)

    def isolated(self, path: str) -> DocumentResult:
        """Check ``path`` alone in a fresh process; a crash there is this file's fault."""
        executor = self._start(1)
        try:
            return executor.submit(_check_in_worker, path).result()
        except BrokenProcessPool:
            if path in self.overdue():
                return self.timed_out(path)
            return DocumentResult(
                display_path(path),
                format_of(Path(path)),
                error="处理该文件时进程意外退出（解析库在此文件上崩溃，文件可能已损坏），已跳过",
                error_kind="crashed",
            )
        finally:
            executor.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers (queued inputs are dropped)."""
        self.executor.shutdown(wait=True, cancel_futures=True)

    def shutdown(self) -> None:
        """Stop the workers for good and remove the markers folder."""
        self.close()
        if self.markers is not None:
            shutil.rmtree(self.markers, ignore_errors=True)

    def _clear_markers(self) -> None:
        """Remove the markers that stopped workers left behind."""
        if self.markers is not None:
            for marker in Path(self.markers).iterdir():
                marker.unlink(missing_ok=True)


def _parallel(paths: list[str], ruleset: RuleSet, settings: Settings, pool: _Pool) -> Iterator[DocumentResult]:
    """Results in input order with a bounded window of work in flight."""
    window = pool.jobs * IN_FLIGHT_PER_JOB
    todo = iter(paths)
    pending: deque[tuple[str, Future[DocumentResult] | None]] = deque()
    try:
        while True:
            while len(pending) < window and (path := next(todo, None)) is not None:
                pending.append((path, None if path == STDIN else pool.submit(path)))
            if not pending:
                return
            path, future = pending.popleft()
            if future is None:  # standard input is read here, in the parent
                yield check_input(path, ruleset, settings)
                continue
            try:
                result = future.result()
            except BrokenProcessPool:
                # A worker died. Inputs still being checked past the time limit were
                # ended by the watchdog; otherwise this input is checked alone to see
                # whether it is the cause. The other inputs in flight go to a new pool.
                pool.close()
                overdue = pool.overdue()
                result = pool.timed_out(path) if path in overdue else pool.isolated(path)
                pool.reopen()
                pending = deque((other, _resubmit(pool, other, overdue)) for other, _ in pending)
            yield result
    finally:
        pool.shutdown()
