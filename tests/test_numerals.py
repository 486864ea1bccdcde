"""Chinese and Arabic numerals → int."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest

from jianfu_audit.rules.numerals import _common, to_int


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


def cn2an_value(text: str) -> int | None:
    """What cn2an itself makes of ``text`` (the way ``to_int`` calls it)."""
    import cn2an

    try:
        value = cn2an.cn2an(text, "normal")
    except ValueError:
        return None
    return int(value) if float(value).is_integer() else None


def test_common_forms_read_without_cn2an_agree_with_cn2an():
    """Every string of up to four characters over these digits and 十 that is read
    without cn2an (one digit, 十 forms, digit strings) gets cn2an's value, and so
    do longer digit strings."""
    alphabet = "零〇一二两三四五六七八九十"
    strings = ["".join(chars) for size in range(1, 5) for chars in itertools.product(alphabet, repeat=size)]
    strings += ["二〇二六〇三", "一九九八一二三一", "〇〇七"]
    read = [(text, _common(text)) for text in strings]
    read = [(text, value) for text, value in read if value is not None]
    assert len(read) > 16000
    assert [(text, cn2an_value(text)) for text, _ in read] == read


def test_a_notice_with_common_numerals_does_not_import_cn2an():
    code = (
        "import sys; from jianfu_audit.rules.numerals import to_int;"
        "print([to_int(t) for t in ('三', '二十三', '十', '二〇二六')], 'cn2an' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[3, 23, 10, 2026] False"
