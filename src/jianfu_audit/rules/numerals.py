"""Numbers as notices write them: 3, ３, 三, 叁, 十二, 二〇二五 → int.

Chinese numerals are converted by ``cn2an`` (a maintained converter that knows
大写 digits 壹贰叁, 〇/零 and 两); Arabic digits, full-width ones included, by ``int``.
Importing cn2an takes about 0.1 s, a sixth of checking one small notice, so the
forms almost every notice uses — one digit, 十 with digits (二十三) and digit
strings (二〇二六) — are read here first; ``tests/test_numerals.py`` checks every
string of these forms against cn2an.
"""

from __future__ import annotations

import re

from jianfu_audit.segment import fold

# One numeral, for use inside larger regular expressions.
DIGITS = r"[0-9０-９]+"
CHINESE = r"[零〇一二两三四五六七八九十百千万廿壹贰叁肆伍陆柒捌玖拾佰仟]+"
NUMERAL = rf"(?:{DIGITS}|{CHINESE})"


def to_int(text: str) -> int | None:
    """The value of one numeral, or None when ``text`` is not a whole number."""
    text = fold(text.strip())
    if not text:
        return None
    if text.isascii():
        return int(text) if text.isdigit() else None
    if (common := _common(text)) is not None:
        return common
    import cn2an  # 0.1 s to import: only when another Chinese numeral is met

    try:
        value = cn2an.cn2an(text, "normal")
    except ValueError:
        return None
    return int(value) if float(value).is_integer() else None


_DIGIT_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_TENS = re.compile("([一二三四五六七八九]?)十([一二三四五六七八九]?)")
_DIGIT_STRING = re.compile("[零〇一二三四五六七八九]+")


def _common(text: str) -> int | None:
    """The value of a one-digit numeral, a 十 form (十二, 二十, 二十三) or a digit
    string (二〇二六); None for anything else (left to cn2an)."""
    if len(text) == 1 and text in _DIGIT_VALUES:
        return _DIGIT_VALUES[text]
    if tens := _TENS.fullmatch(text):
        return _DIGIT_VALUES.get(tens[1], 1) * 10 + _DIGIT_VALUES.get(tens[2], 0)
    if _DIGIT_STRING.fullmatch(text):
        return int("".join(str(_DIGIT_VALUES[char]) for char in text))
    return None
