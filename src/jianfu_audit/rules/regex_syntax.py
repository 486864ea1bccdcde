"""Which rule regexes may run on Python's ``re`` instead of RE2.

RE2 guarantees linear time whatever the pattern, but every match costs one call
through its Python binding (about 1.6 µs here), and the word lists most rules
use (报送|上报|填报, 乡镇|街道|社区 …) match hundreds of times per notice: there,
Python's backtracking engine is several times faster. It is only safe when
backtracking cannot blow up, so a pattern runs on ``re`` only when

* it is made of literal characters, ``.``, character classes without ``\\d \\s \\w``
  style categories, groups without flags, alternation and *bounded* repetition
  (no ``*``, ``+``, ``{n,}``, anchors, look-arounds or back-references): on these
  RE2 and ``re`` mean the same and find the same leftmost-first matches;
* it cannot match the empty string (so both engines step through matches alike);
* the number of ways it can try to match from one position, computed from its
  syntax tree, is at most ``MAX_PATHS``: the work per character of text then has
  a fixed bound, and a whole search stays linear in the text.

Everything else — and any pattern a user writes that is not provably cheap —
stays on RE2.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

try:  # Python 3.11+: the parser behind ``re`` is ``re._parser``
    from re import _constants as sre
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

#: Most ways a pattern may try from one start position to run on ``re``.
MAX_PATHS = 256

_SINGLE = (sre.LITERAL, sre.NOT_LITERAL, sre.ANY)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)


@lru_cache(maxsize=None)
def backtracking(pattern: str) -> re.Pattern[str] | None:
    """``pattern`` (already expanded and folded) compiled by ``re`` when that is safe
    and equivalent to RE2 (see the module docstring), else None."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    if parsed.state.flags & ~(re.UNICODE) or parsed.getwidth()[0] == 0:
        return None
    if paths(list(parsed)) > MAX_PATHS:
        return None
    return re.compile(pattern)


def paths(items: list[tuple[Any, Any]]) -> float:
    """An upper bound on the ways ``items`` (a parsed sequence) can match from one
    position; infinite when a construct is unbounded or not allowed."""
    total = 1.0
    for op, argument in items:
        if op in _SINGLE:
            count = 1.0
        elif op is sre.IN:
            count = 1.0 if all(kind is not sre.CATEGORY for kind, _ in argument) else float("inf")
        elif op is sre.SUBPATTERN:
            _group, add_flags, del_flags, inner = argument
            count = paths(list(inner)) if not (add_flags or del_flags) else float("inf")
        elif op is sre.BRANCH:
            count = sum(paths(list(branch)) for branch in argument[1])
        elif op in _REPEATS:
            low, high, inner = argument
            if high is sre.MAXREPEAT:
                return float("inf")
            each = paths(list(inner))
            count = high - low + 1 if each == 1 else sum(each**k for k in range(low, min(high, 64) + 1))
        else:
            return float("inf")
        total *= count
        if total > MAX_PATHS:
            return float("inf")
    return total
