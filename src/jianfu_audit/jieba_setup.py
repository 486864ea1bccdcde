"""jieba, started quickly and kept linear on hostile text.

Start-up: jieba caches its prefix dictionary (~500,000 entries) with ``marshal``
in the shared temp folder; loading it is most of a small check's wall time
(0.56–0.74 s measured here). ``pickle`` loads the same dictionary in 0.17 s, so
``base_tokenizer`` keeps a pickled copy in the project's private cache (see
``jianfu_audit.cache``), keyed by jieba's version and dictionary file. Tokens
are unchanged: it is the same dictionary. jieba is imported without
``pkg_resources`` (60 ms), which it only needs to open its own data files.

Hostile text: jieba's HMM step for unknown words is quadratic in the length of a
run of single characters (400,000 identical characters took 430 s), so
``tokenize`` cuts runs of jieba's "Han" characters longer than ``MAX_RUN`` (no
punctuation, space or symbol for 500 characters, which real notices never have).
Text without such runs is tokenized exactly as jieba does.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# jieba imports pkg_resources (60 ms, a fifth of the CLI's import time) only to open
# its own data files; when that import fails it opens them from its folder instead.
_BLOCKED = "pkg_resources" not in sys.modules
if _BLOCKED:
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]
try:
    import jieba
finally:
    if _BLOCKED:
        del sys.modules["pkg_resources"]

from jianfu_audit import cache  # noqa: E402 - after jieba's import above

jieba.setLogLevel(logging.WARNING)


def _jieba_data(*parts: str) -> BinaryIO:
    """One of jieba's data files (its own fallback asks for the working directory,
    which fails when that folder has been deleted)."""
    return open(Path(jieba.__file__).parent.joinpath(*parts), "rb")


jieba.get_module_res = _jieba_data

MAX_RUN = 500
# jieba's own block pattern (jieba.re_han_default): it cuts each such run separately.
_RUN = re.compile("[\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]{" + str(MAX_RUN + 1) + ",}")
_base: tuple[dict[str, int], int] | None = None


def _dictionary() -> tuple[dict[str, int], int]:
    """jieba's prefix dictionary and its total, as ``Tokenizer.initialize`` builds them."""
    fresh = jieba.Tokenizer()
    fresh.initialize()  # jieba's own marshal cache, or the dictionary file
    return fresh.FREQ, fresh.total


def base_tokenizer() -> jieba.Tokenizer:
    """A ready jieba tokenizer with its own copy of the default dictionary."""
    global _base
    if _base is None:
        source = Path(jieba.__file__).with_name("dict.txt")
        info = source.stat()
        _base = cache.remember("jieba", f"{jieba.__version__}|{source}|{info.st_size}|{info.st_mtime_ns}", _dictionary)
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
