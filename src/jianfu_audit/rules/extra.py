"""Data that a computed kind hands to the finding, and rule messages that quote it.

A kind that computes something (a deadline gap, a length, a form count) yields
``DataSpan``s; the engine copies ``extra`` into the finding's JSON and fills
``{placeholders}`` in the rule's message and suggestion from it, so a YAML
message can say "仅 {deadline.workdays} 个工作日".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jianfu_audit.segment import Span

_PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)*)\}")


@dataclass(frozen=True)
class DataSpan(Span):
    """A match that carries data for the finding (additive JSON keys)."""

    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def fill(template: str, extra: dict[str, Any]) -> str:
    """Replace ``{key}`` / ``{key.sub}`` with values from ``extra`` (lists joined with 、);
    unknown ones stay as written."""
    if "{" not in template:
        return template

    def value(match: re.Match[str]) -> str:
        current: Any = extra
        for key in match[1].split("."):
            if not isinstance(current, dict) or key not in current:
                return match[0]
            current = current[key]
        if isinstance(current, list):
            return "、".join(map(str, current))
        return "" if current is None else str(current)

    return _PLACEHOLDER.sub(value, template)
