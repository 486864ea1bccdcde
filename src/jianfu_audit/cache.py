"""A private on-disk cache for slow, pure derivations: jieba's dictionary and
parsed rule files.

Entries are pickles in the user's own cache folder (``JIANFU_AUDIT_CACHE_DIR``,
else ``$XDG_CACHE_HOME/jianfu-audit`` or ``~/.cache/jianfu-audit``; on Windows
``%LOCALAPPDATA%\\jianfu-audit``), never in a shared temp folder: unpickling a file
another user could write would run their code. Each entry is named by a hash of
everything its value depends on, so a stale entry is never used; a missing,
foreign or damaged entry is recomputed, and a cache that cannot be written only
costs speed.

The folder is bounded: a rule file's group is named by its path, so rule files
at ever new paths (a pre-commit hook's temporary checkout, a CI workspace) would
otherwise leave one entry each for good. A used entry is touched, and storing an
entry removes the least recently used ones beyond ``MAX_ENTRIES``.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_MISSING = object()
MAX_ENTRIES = 128  # the bundled pack needs about 20 (one per rule file, jieba, the rule set…)


def cache_dir() -> Path:
    """The cache folder (it may not exist yet)."""
    configured = os.environ.get("JIANFU_AUDIT_CACHE_DIR")
    if configured:
        return Path(configured)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "jianfu-audit"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jianfu-audit"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def remember(group: str, key: str, compute: Callable[[], T]) -> T:
    """``compute()``, cached under ``group`` and ``key``.

    A group keeps one entry: storing a new one removes the group's others, so a
    rule file edited a hundred times leaves one entry, not a hundred.
    """
    path = cache_dir() / f"{group}-{digest(key)}.pickle"
    value = _load(path)
    if value is _MISSING:
        value = compute()
        _store(path, value, group)
    else:
        _touch(path)
    return value  # type: ignore[return-value]


def _touch(path: Path) -> None:
    """Mark ``path`` as just used (its modification time orders the pruning)."""
    try:
        os.utime(path)
    except OSError:
        pass


def _load(path: Path) -> object:
    try:
        with open(path, "rb") as stream:
            if hasattr(os, "getuid") and os.fstat(stream.fileno()).st_uid != os.getuid():
                return _MISSING
            return pickle.load(stream)
    except Exception:  # noqa: BLE001 - any unreadable entry is just recomputed
        return _MISSING


def _store(path: Path, value: object, group: str) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as stream:
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        for old in path.parent.glob(f"{group}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
        _prune(path.parent, MAX_ENTRIES)
    except Exception:  # noqa: BLE001 - an unwritable cache only costs speed
        return


def _prune(folder: Path, keep: int) -> None:
    """Remove the least recently used entries of ``folder`` beyond the newest ``keep``."""
    entries = []
    for entry in folder.glob("*.pickle"):
        try:
            entries.append((entry.stat().st_mtime_ns, entry))
        except OSError:  # removed meanwhile by another run
            continue
    entries.sort(reverse=True)
    for _, old in entries[keep:]:
        old.unlink(missing_ok=True)
