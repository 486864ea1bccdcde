"""Chinese and Arabic numerals → int."""

from __future__ import annotations

import pytest

from jianfu_audit.rules.numerals import to_int


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1),
        ("12", 12),
        ("１２", 12),  # full width
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("三十一", 31),
        ("一百零五", 105),
        ("壹", 1),
        ("伍", 5),
        ("拾贰", 12),
        ("二〇二五", 2025),
        ("二零二五", 2025),
        ("〇", 0),
    ],
)
def test_numerals(text: str, value: int) -> None:
    assert to_int(text) == value


@pytest.mark.parametrize("text", ["", "  ", "abc", "十十", "万", "3.5", "三点五"])
def test_not_a_whole_number(text: str) -> None:
    assert to_int(text) is None
