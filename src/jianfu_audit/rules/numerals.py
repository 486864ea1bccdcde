"""Numbers as notices write them: 3, ３, 三, 叁, 十二, 二〇二五 → int.

Chinese numerals are converted by ``cn2an`` (a maintained converter that knows
大写 digits 壹贰叁, 〇/零 and 两); Arabic digits, full-width ones included, by ``int``.
"""

from __future__ import annotations

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
    import cn2an  # 0.1 s to import: only when a Chinese numeral is actually met

    try:
        value = cn2an.cn2an(text, "normal")
    except ValueError:
        return None
    return int(value) if float(value).is_integer() else None
