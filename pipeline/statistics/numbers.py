"""Number parsing for Chinese and English statistical prose.

`parse_number("1.68万亿")` → 1.68e12, `parse_number("1 707.6")` → 1707.6, `parse_number("一千六百")` →
1600, `parse_number("20.04％")` → 20.04 (percent). Arithmetic is done in Decimal and converted to float
once, so "1.68万亿" is exactly float(1680000000000) and format→parse round-trips.

`parse_number` parses a whole string (None when it is not one number); `NUMBER_CORE` is the regex the
extractor uses to find number cores in running text (verbatim characters, so offsets stay valid).
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from typing import Optional

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4,
             "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG = {"万": 10 ** 4, "萬": 10 ** 4, "亿": 10 ** 8, "億": 10 ** 8}
EN_MAG = {"thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12}

CN_NUM_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL) + "".join(CN_BIG)
MAGNITUDE_CHARS = "十百千万亿"  # the ones that follow Arabic digits in running text (1.68万亿, 3千)

_D = "[0-9０-９]"
# Arabic core as written: 1,100 / 1 707.6 (space groups of exactly three digits) / 20.04 / ２０.５
ARABIC_CORE = (rf"(?:{_D}{{1,3}}(?:[,，]{_D}{{3}})+(?!{_D})|{_D}{{1,3}}(?:[ \u00a0\u2009\u202f]{_D}{{3}})+(?!{_D})|{_D}+)"
               rf"(?:[.．]{_D}+)?")
_ARABIC_RE = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.\d+)?$|^\.\d+$")


@dataclass
class ParsedNumber:
    value: float
    text: str  # the input as given
    percent: bool = False  # a trailing % / ％ / 百分之
    chinese: bool = False  # written (partly) with Chinese numerals
    magnitude: int = 1  # the multiplier contributed by 万/亿/千/million… (1 when none)


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _arabic(s: str) -> Optional[Decimal]:
    """An Arabic number with optional thousands separators (',' or a space) and decimals."""
    s = s.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")
    if not _ARABIC_RE.match(s):
        return None
    try:
        return Decimal(s.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        return None


_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+|[%s]" % re.escape(CN_NUM_CHARS))


def _mixed(s: str) -> Optional[tuple[Decimal, bool, int]]:
    """Chinese numerals, optionally mixed with Arabic digits: 一千六百, 二十万亿, 3万4000, 1.68万亿,
    十五, 一万二 (= 12000), 二〇二三 (digit by digit). Returns (value, uses_chinese, magnitude) or None."""
    pos = 0
    tokens: list[str] = []
    while pos < len(s):
        m = _TOKEN.match(s, pos)
        if not m:
            return None
        tokens.append(m.group())
        pos = m.end()
    if not tokens:
        return None
    chinese = any(t in CN_DIGITS for t in tokens) or tokens[0] in CN_SMALL
    has_unit = any(t in CN_SMALL or t in CN_BIG for t in tokens)
    if not has_unit:
        # 二〇二三: digit by digit (only Chinese digits; "12" alone is handled by _arabic)
        if all(t in CN_DIGITS for t in tokens):
            return Decimal("".join(str(CN_DIGITS[t]) for t in tokens)), True, 1
        return None
    total = Decimal(0)  # everything above the current section
    section = Decimal(0)  # below 万
    num: Optional[Decimal] = None
    last_unit = 0  # the unit just before a bare trailing digit (三千五 = 3500)
    prev_digit = False
    big_seen: list[int] = []
    for t in tokens:
        if t in "零〇○" and has_unit:
            prev_digit = False  # 一百零五: 零 only marks a gap
            continue
        if t in CN_DIGITS:
            if prev_digit:  # 三四千: a range, not a number
                return None
            num = Decimal(CN_DIGITS[t])
            prev_digit = True
            continue
        if t[0].isdigit() or t[0] == ".":
            if num is not None:
                return None
            a = _arabic(t)
            if a is None:
                return None
            num = a
            prev_digit = True
            last_unit = 0
            continue
        prev_digit = False
        if t in CN_SMALL:
            u = CN_SMALL[t]
            if num is None and section == 0 and total == 0:
                num = Decimal(1)  # 十五: a leading 十 means 一十
            elif num is None:
                if t != "十":
                    return None
                num = Decimal(1)
            section += num * u
            num = None
            last_unit = u
        else:  # 万 / 亿
            u = CN_BIG[t]
            chunk = section + (num or 0)
            if chunk == 0 and total == 0:
                return None  # 万 alone is not a number
            if u == 10 ** 8:
                total = (total + chunk) * u  # 二十万亿: everything so far is multiplied
            else:
                if big_seen and big_seen[-1] == 10 ** 4:
                    return None  # 万万
                total = total + chunk * u
            big_seen.append(u)
            section = Decimal(0)
            num = None
            last_unit = u
    if num is not None:
        # 一万二 = 12000, 三千五 = 3500: a bare trailing Chinese digit right after a unit
        if last_unit >= 10 and tokens[-1] in CN_DIGITS and len(tokens) >= 2 and (
                tokens[-2] in CN_SMALL or tokens[-2] in CN_BIG):
            num = num * (Decimal(last_unit) / 10)
        section += num
    value = total + section
    # the multiplier written after the last digit (1.68万亿 → 10^12; 3万4000 → 1)
    magnitude = 1
    i = len(tokens) - 1
    while i >= 0 and tokens[i] in CN_BIG:
        magnitude *= CN_BIG[tokens[i]]
        i -= 1
    if i >= 1 and tokens[i] in CN_SMALL and tokens[i - 1][0].isdigit():
        magnitude *= CN_SMALL[tokens[i]]  # 3千万
    return value, chinese, magnitude


_POINT_RE = re.compile(r"(.+?)点([%s]+)([万亿萬億]*)" % "".join(k for k in CN_DIGITS if k != "两"))


def _point(s: str) -> Optional[tuple[Decimal, bool, int]]:
    """A Chinese decimal: 三十五点五 (35.5), 零点八 (0.8), 一点五亿 (1.5e8) — the digits after 点 are
    read one by one."""
    m = _POINT_RE.fullmatch(s)
    if not m:
        return None
    whole = _mixed(m.group(1))
    if whole is None or whole[2] != 1:  # 三万点五: a decimal comes before any magnitude
        return None
    frac = Decimal("0." + "".join(str(CN_DIGITS[c]) for c in m.group(2)))
    magnitude = 1
    for c in m.group(3):
        magnitude *= CN_BIG[c]
    return (whole[0] + frac) * magnitude, True, magnitude


def _to_float(d: Decimal) -> Optional[float]:
    try:
        f = float(d)
    except (OverflowError, ValueError):
        return None
    return f if math.isfinite(f) else None


def parse_number(text: str) -> Optional[ParsedNumber]:
    """Parse one number written as a whole string; None when the text is not exactly one number.
    Accepts Arabic (1,100 · 1 707.6 · ２０.５), Chinese numerals (一千六百, 二十万亿, 十五), mixes
    (3万4000, 1,100万, 1.68万亿), a leading sign (-, −, 负), a trailing %/％ or a leading 百分之, and
    English magnitudes (1.2 million). Never raises."""
    if not isinstance(text, str) or len(text) > 2000:
        return None
    s = _nfkc(text).strip()
    if not s:
        return None
    percent = False
    sign = 1
    if s[0] in "-−－" or s.startswith("负"):
        sign = -1
        s = s[1:].strip()
    elif s[0] == "+":
        s = s[1:].strip()
    s = re.sub(r"(?<=\d)\s+(?=[十百千万亿萬億])", "", s)  # 4.69 万 (typeset with a space)
    if s.startswith("百分之"):
        percent, s = True, s[3:]
    elif s.endswith("%"):
        percent, s = True, s[:-1].rstrip()
    if not s:
        return None
    with localcontext() as ctx:
        ctx.prec = 60
        ctx.Emax = 10 ** 6
        ctx.Emin = -10 ** 6
        value: Optional[Decimal] = None
        chinese = False
        magnitude = 1
        m = re.fullmatch(r"(.+?)\s*(thousand|million|billion|trillion)", s, flags=re.I)
        if m:
            a = _arabic(m.group(1))
            if a is not None:
                magnitude = EN_MAG[m.group(2).lower()]
                value = a * magnitude
        if value is None:
            a = _arabic(s)
            if a is not None:
                value = a
            else:
                # digit groups separated by spaces before a magnitude: 1 707.6亿
                r = _mixed(re.sub(r"(?<=\d)[ \u00a0\u2009\u202f](?=\d{3}(?!\d))", "", s)) or _point(s)
                if r is None:
                    return None
                value, chinese, magnitude = r
        try:
            f = _to_float(value * sign)
        except InvalidOperation:
            return None
    if f is None:
        return None
    return ParsedNumber(value=f, text=text, percent=percent, chinese=chinese, magnitude=magnitude)


def format_number(value: float, style: str = "plain") -> str:
    """Write a finite number so that `parse_number` reads back exactly `value`.
    style "plain": Arabic digits without exponent ("1680000000000"); "zh": with 万/亿/万亿 when the
    value is at least 1万 ("1.68万亿"). Raises ValueError for NaN/inf."""
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    d = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    if style == "zh" and abs(d) >= 10 ** 4:
        for unit, word in ((10 ** 12, "万亿"), (10 ** 8, "亿"), (10 ** 4, "万")):
            if abs(d) >= unit:
                q = d / unit
                return _plain(q) + word
    return _plain(d)


def _plain(d: Decimal) -> str:
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"
