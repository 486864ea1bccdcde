"""jieba, started quickly and kept linear on hostile text.

Start-up: jieba caches its prefix dictionary (~500,000 entries) with ``marshal``
in the shared temp folder; loading it is most of a small check's wall time
(0.56–0.74 s measured here). ``pickle`` loads the same dictionary in 0.17 s, so
``base_tokenizer`` keeps a pickled copy in the user's own cache folder (never a
shared one: unpickling a file another user could write would be unsafe), keyed by
jieba's version and dictionary file. Tokens are unchanged: it is the same dict.

Hostile text: jieba's HMM step for unknown words is quadratic in the length of a
run of single characters (400,000 identical characters took 430 s), so
``tokenize`` cuts runs of jieba's "Han" characters longer than ``MAX_RUN`` (no
punctuation, space or symbol for 500 characters, which real notices never have).
Text without such runs is tokenized exactly as jieba does.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)

MAX_RUN = 500
# jieba's own block pattern (jieba.re_han_default): it cuts each such run separately.
_RUN = re.compile("[\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]{" + str(MAX_RUN + 1) + ",}")
_base: tuple[dict[str, int], int] | None = None


def cache_dir() -> Path:
    """Where the dictionary cache lives: ``JIANFU_AUDIT_CACHE_DIR``, else the user's cache folder."""
    configured = os.environ.get("JIANFU_AUDIT_CACHE_DIR")
    if configured:
        return Path(configured)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "jianfu-audit"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jianfu-audit"


def _cache_file() -> Path:
    source = Path(jieba.__file__).with_name("dict.txt")
    info = source.stat()
    key = f"{jieba.__version__}|{source}|{info.st_size}|{info.st_mtime_ns}|{pickle.HIGHEST_PROTOCOL}"
    return cache_dir() / f"jieba-{hashlib.sha256(key.encode()).hexdigest()[:16]}.pickle"


def _load(path: Path) -> tuple[dict[str, int], int] | None:
    """The cached dictionary, if present, ours and intact."""
    try:
        with open(path, "rb") as stream:
            if hasattr(os, "getuid") and os.fstat(stream.fileno()).st_uid != os.getuid():
                return None
            freq, total = pickle.load(stream)
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
        return None
    return (freq, total) if isinstance(freq, dict) and isinstance(total, int) else None


def _store(path: Path, data: tuple[dict[str, int], int]) -> None:
    """Write the cache atomically; a read-only home only costs speed."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as stream:
            pickle.dump(data, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(stream.name, path)
    except OSError:
        return


def base_tokenizer() -> jieba.Tokenizer:
    """A ready jieba tokenizer with its own copy of the default dictionary."""
    global _base
    if _base is None:
        path = _cache_file()
        _base = _load(path)
        if _base is None:
            fresh = jieba.Tokenizer()
            fresh.initialize()  # jieba's own cache or dictionary file
            _base = (fresh.FREQ, fresh.total)
            _store(path, _base)
    instance = jieba.Tokenizer()
    instance.FREQ, instance.total = dict(_base[0]), _base[1]
    instance.initialized = True
    return instance


def tokenize(cutter: jieba.Tokenizer, text: str) -> Iterator[tuple[str, int, int]]:
    """``cutter.tokenize(text)``, with overlong character runs cut every ``MAX_RUN``."""
    cuts = [
        position
        for run in _RUN.finditer(text)
        for position in range(run.start() + MAX_RUN, run.end(), MAX_RUN)
    ]
    start = 0
    for end in [*cuts, len(text)]:
        for word, lo, hi in cutter.tokenize(text[start:end]):
            yield word, lo + start, hi + start
        start = end
