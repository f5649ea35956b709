"""One Chinese quantity: the number written at a position (Arabic or Chinese numerals, with 万/亿
magnitudes, 多/余/几 qualifiers and a range's second bound) and the unit or counter after it.

1600多家 → 1600 家 (more_than) · 3400多万人次 → 3.4e7 人次 (more_than) · 两百多万高校师生 → 2e6 师生 ·
3-5亿元 → 3e8 CNY, value_max 5e8 · 5.0%—5.5% → 5.0 %, value_max 5.5 · 十几亿元 → 1e9 (more_than) ·
6.2倍 / 增长二点一倍 → count 倍 · 突破千亿元 → 1e11 CNY.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..core import Figure
from ..lexicon import Lexicon
from ..numbers import ARABIC_CORE, parse_number

MAGNITUDES = "十百千万亿"
CN_DIGITS = "零〇一二两三四五六七八九"
_BIG = {"万": 10 ** 4, "亿": 10 ** 8}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_RANGE_SEP = "—–-~～"
_ARABIC_AT = re.compile(ARABIC_CORE)
_CN_AT = re.compile(f"[{CN_DIGITS}{MAGNITUDES}]+(?:点[{CN_DIGITS}]+)?")
_SPACE = " \u3000"
# the noun phrase of a count with no measure word (6100万湖北人民): it ends at a clause break, a
# conjunction or 的, or where a verb takes over (first two-character word after the noun found in
# the lexicon's verb list)
_NP_STOP = "，,。；;：:、（）()“”《》和及与的并等"


@dataclass
class Number:
    """A number core read at a position: value (magnitudes applied), end offset, qualifiers."""

    end: int
    value: float
    magnitude: int  # 1 when no 万/亿/千… was written after the digits
    approx: str = "exact"
    chinese: bool = False
    malformed: bool = False


def match_unit(text: str, pos: int, lex: Lexicon) -> Optional[str]:
    m = lex.unit_re.match(text, pos)
    return m.group() if m else None


def _skip_space(text: str, j: int) -> int:
    while j < len(text) and text[j] in _SPACE:
        j += 1
    return j


def _magnitudes(text: str, j: int, lex: Lexicon) -> tuple[int, int, bool]:
    """(end, multiplier, more) of magnitude characters at j (万, 亿, 万亿, 千万, 万多亿) that do not
    start a unit; `more` when 多/余 sits between them (3万多亿元)."""
    k = j
    more = False
    while k < len(text) and text[k] in MAGNITUDES and not match_unit(text, k, lex):
        k += 1
        if k + 1 < len(text) and text[k] in "多余" and text[k + 1] in "万亿" and not match_unit(text, k + 1, lex):
            more = True
            k += 1
    run = text[j:k].replace("多", "").replace("余", "")
    if not run:
        return j, 1, False
    p = parse_number("1" + run)
    if p is None:
        return j, 1, False
    return k, int(p.value), more


def read_arabic(text: str, a: int, lex: Lexicon) -> Optional[Number]:
    """The Arabic number starting at `a`: digits, a malformed grouping (1,00万), 多/余 before a
    magnitude (3400多万), magnitudes (1.68万亿)."""
    m = _ARABIC_AT.match(text, a)
    if not m:
        return None
    b = m.end()
    k = b
    malformed = False
    # a malformed grouping (1,00万 / 1.200.5): keep it, flagged, rather than split it into two numbers
    if re.match(r"[,，.][0-9]", text[k:k + 2]) and not re.match(r"[,，][0-9]{3}", text[k:k + 4]):
        m2 = re.match(r"(?:[,，.][0-9]+)+", text[k:])
        if m2 and text[k] != "，":  # a full-width comma is a clause break, never a separator
            k += m2.end()
            malformed = True
    digits = re.sub(r"(?<=\d)\.(?=\d+\.)", "", re.sub(r"[,，]", "", text[a:k])) if malformed else text[a:b]
    approx = "exact"
    j = _skip_space(text, k)
    if j < len(text) and text[j] in "多余" and j + 1 < len(text) and text[j + 1] in "万亿千百" \
            and not match_unit(text, j + 1, lex):
        approx = "more_than"  # 3400多万, 630余万
        j += 1
    end, mult, more = _magnitudes(text, j, lex)
    if mult == 1:
        end, approx = k, "exact"
        p = parse_number(digits)
    else:
        # Decimal arithmetic: 1.68万亿 is exactly 1.68e12
        p = parse_number(digits + text[j:end].replace("多", "").replace("余", ""))
        if more:
            approx = "more_than"
    if p is None:
        return None
    return Number(end, p.value, mult, approx, malformed=malformed)


def read_chinese(text: str, a: int, end: int, lex: Lexicon) -> Optional[Number]:
    """A number in Chinese numerals between a and end, with 多/几/余 before its magnitude
    (两百多万, 十几亿) and 数/几 before it (数十亿)."""
    core = text[a:end]
    approx = "exact"
    vague = core[:1] in ("数", "几")
    if vague:
        core = core[1:]
    m = re.fullmatch(f"([{CN_DIGITS}{MAGNITUDES}]+?)([多几余])([{MAGNITUDES}]+)", core)
    if m:
        head = parse_number(m.group(1))
        tail = parse_number("1" + m.group(3))
        if head is None or tail is None:
            return None
        value, mult, approx = head.value * tail.value, int(tail.value), "more_than"
    else:
        p = parse_number(core)
        if p is None:
            return None
        value, mult = p.value, p.magnitude
    if vague:
        approx = "more_than"
    return Number(end, value, mult, approx, chinese=True)


def chinese_span(text: str, a: int, lex: Lexicon) -> int:
    """End of a Chinese-numeral number starting at `a` (数/几 prefix, 多/几/余 inside), trimmed so a
    unit starting with a magnitude character (千瓦, 百分点) is left to the unit."""
    j = a + 1 if text[a:a + 1] in ("数", "几") else a
    m = _CN_AT.match(text, j)
    if not m:
        return a
    end = m.end()
    m2 = re.match(f"[多几余][{MAGNITUDES}]+", text[end:])
    if m2 and "点" not in m.group():
        end += m2.end()
    while end - a > 1 and text[end - 1] in "千百" and match_unit(text, end - 1, lex):
        end -= 1
    return end


def _range_end(text: str, first: Number, lex: Lexicon, chinese: bool, unit_before: bool
               ) -> Optional[tuple[int, Number]]:
    """A range's upper bound right after `first` (2—3家, 3-5亿元, 5%—10%, 三至五年)."""
    j = first.end
    if j >= len(text):
        return None
    sep = text[j]
    if sep in _RANGE_SEP:
        j += 1
    elif text.startswith(("至", "到"), j) and not unit_before:
        j += 1
    else:
        return None
    if sep == "-" and (first.end < 2 or not text[first.end - 1].isdigit()):
        return None
    j = _skip_space(text, j)
    if chinese:
        e = chinese_span(text, j, lex)
        second = read_chinese(text, j, e, lex) if e > j else None
    else:
        second = read_arabic(text, j, lex) if _ARABIC_AT.match(text, j) else None
    if second is None:
        return None
    return j, second


def quantity(text: str, a: int, lex: Lexicon, chinese: bool = False, end: Optional[int] = None) -> Optional[Figure]:
    """The figure whose number starts at `a`, or None when neither a unit nor a counted noun follows."""
    num = read_chinese(text, a, end, lex) if chinese and end is not None else read_arabic(text, a, lex)
    if num is None:
        return None
    flags: list[str] = ["chinese_numeral"] if chinese else []
    if num.malformed:
        flags.append("malformed_number")
    value, value_max, approx = num.value, None, num.approx
    j = _skip_space(text, num.end)
    unit_s = _unit_after(text, j, lex)
    # ranges: the bound after the separator (its magnitude applies to a bare first bound)
    rng = _range_end(text, num if unit_s is None else Number(j + len(unit_s[1]), 0, 1), lex, chinese,
                     unit_s is not None)
    if rng is not None:
        k, second = rng
        j2 = _skip_space(text, second.end)
        unit2 = _unit_after(text, j2, lex)
        same_unit = unit_s is None or (unit2 is not None and unit2[1] == unit_s[1])
        if unit2 is not None and same_unit:
            lo = value
            if num.magnitude == 1 and second.magnitude != 1:  # 3-5亿元: the magnitude is written once
                p_lo = parse_number(text[a:num.end] + text[second.end - len(_mag_suffix(text, second)):second.end])
                lo = p_lo.value if p_lo else value
            if second.value > lo:
                value, value_max = lo, second.value
                unit_s, j = unit2, j2
                if second.approx != "exact" and approx == "exact":
                    approx = second.approx
    if unit_s is None:
        if not chinese and num.magnitude == 1 and text[num.end:num.end + 1] == "大":
            noun = counted_noun(text, num.end + 1, lex)  # 4大功能类平台: the noun after 大 is counted
            if noun:
                return Figure(a, num.end + 1, value, "count", counter=noun, flags=flags, ext_start=a,
                              ext_end=num.end + 1)
        return _bare_count(text, a, num, flags, lex) or _english_quantity(text, a, num, flags)
    infix, unit_word = unit_s
    if infix:
        approx = "more_than"
    u = lex.units[unit_word]
    if u.kind == "nonstat":
        return None
    if chinese and u.kind == "generic":
        return None  # 三个方面, 两个确立
    after_unit = j + len(infix) + len(unit_word)
    if u.kind == "generic" and any(text.startswith(w, after_unit) for w in lex.cue("nonstat_following")):
        return None  # 从…6个方面提出
    if u.kind == "generic" and prefix_cue(text, a, lex.cue("nonstat_prefix")):
        return None  # 以下9项工作
    if unit_word in lex.cue("nonstat_counter"):
        return None
    end_ = after_unit
    unit = u.unit
    counter = None
    if u.kind == "percent":
        if unit == "permille":
            unit, value = "percent", value / 10
            value_max = value_max / 10 if value_max is not None else None
            flags.append("permille")
    elif u.kind in ("strong", "generic"):
        counter = unit_word
        unit = "count"
        if text.startswith("多", end_) and unit_word == "倍":
            approx, end_ = "more_than", end_ + 1  # 1倍多
    if u.kind == "percent" and value > 1000:
        flags.append("implausible_percent")
    return Figure(a, end_, value, unit, counter=counter, approx=approx, flags=flags, ext_start=a, ext_end=end_,
                  value_max=value_max)


def _mag_suffix(text: str, num: Number) -> str:
    """The magnitude characters that end a number (亿 in 5亿, 万亿 in 3万亿)."""
    i = num.end
    while i > 0 and text[i - 1] in MAGNITUDES:
        i -= 1
    return text[i:num.end]


def _unit_after(text: str, j: int, lex: Lexicon) -> Optional[tuple[str, str]]:
    """(infix, unit) at j: 家, 多家 (1600多家), 余人 (400余人)."""
    u = match_unit(text, j, lex)
    if u:
        return "", u
    for inf in lex.cue("more_infix"):
        if text.startswith(inf, j):
            k = _skip_space(text, j + len(inf))
            u = match_unit(text, k, lex)
            if u:
                return text[j:k], u
    return None


def _bare_count(text: str, a: int, num: Number, flags: list[str], lex: Lexicon) -> Optional[Figure]:
    """A count written with 万/亿 and no measure word: the noun after it is the counter
    (6100万湖北人民, 两百多万高校师生); before a qualifier or a break, the noun just before it
    (农村贫困人口减少1000万以上)."""
    if num.magnitude < 10 ** 4:
        return None
    if text[num.end:num.end + 1] in ("不", "要", "别", "莫"):
        return None  # 千万不要: an adverb
    noun = counted_noun(text, num.end, lex)
    if not noun and re.match(r"\s*(?:以上|以下|左右|以内|[，,。；;、])", text[num.end:num.end + 3]):
        noun = _noun_before(text, a, lex)
    if not noun:
        return None
    return Figure(a, num.end, num.value, "count", counter=noun, approx=num.approx, flags=list(flags),
                  ext_start=a, ext_end=num.end)


def _noun_before(text: str, a: int, lex: Lexicon) -> str:
    """The noun right before a figure once its verb and qualifier are dropped (人口减少 → 人口)."""
    before = text[max(0, a - 12):a].rstrip()
    changed = True
    while changed:
        changed = False
        for c in lex.cue("more_prefix") + lex.cue("less_prefix") + lex.cue("about_prefix") + lex.cue("up") + \
                lex.cue("down") + lex.cue("level") + ["达", "为", "有", "共", "了", "再", "控制在", "只有"]:
            if c and before.endswith(c):
                before, changed = before[: -len(c)], True
                break
    m = re.search(r"[\u4e00-\u9fff]{2,}$", before)
    if not m:
        return ""
    w = m.group()[-2:]
    return "" if w in lex.np_breaks or w[-1] in "的年是在要将" else w


def counted_noun(text: str, pos: int, lex: Lexicon) -> str:
    """The noun phrase counted at `pos` (湖北人民备受鼓舞 → 人民, 高校师生大规模推进 → 高校师生): Chinese
    characters up to a break, a region name in front dropped, cut at the first verb/adverb that follows
    a non-verb (the words of models/statistics/np_breaks.txt; leading ones like 外出务工 modify the noun)."""
    j = pos
    while j < len(text) and "\u4e00" <= text[j] <= "\u9fff" and text[j] not in _NP_STOP and j - pos < 12:
        j += 1
    np = text[pos:j]
    m = lex.region_re.match(np)
    if m and len(np) > m.end():
        np = np[m.end():]
    if not np or np[0] in "年月日天级倍以左多余不" + MAGNITUDES + CN_DIGITS:
        return ""  # 千亿级, 20万以上, 一百万年以来: no counted noun
    breaks = lex.np_breaks
    i, prev_break, cut, lead = 0, False, len(np), 0
    while i < len(np):
        w = next((np[i:i + n] for n in (4, 3, 2) if np[i:i + n] in breaks), "")
        if w:
            if i == 0 and breaks[w] not in ("v", "vi", "b"):
                return ""  # 千万不可…, 8300万增加到: an adverb, preposition or conjunction, no noun
            if i > lead and not prev_break:
                cut = i
                break
            if i == lead:
                lead = i + len(w)  # leading verbs modify the noun: 外出务工经商人员
            prev_break, i = True, i + len(w)
        else:
            prev_break, i = False, i + 1
    if cut - lead < 2:
        return ""
    return np[:min(cut, lead + 8)]


def prefix_cue(text: str, start: int, cues: list[str]) -> Optional[str]:
    """A cue ending right before `start` (spaces and 了/为 allowed in between)."""
    j = start
    while j > 0 and text[j - 1] in " \u3000\u00a0":
        j -= 1
    before = text[:j]
    for tail in ("", "了", "为", "达"):
        if tail and not before.endswith(tail):
            continue
        b = before[: len(before) - len(tail)] if tail else before
        b = b.rstrip()
        for c in cues:
            if b.endswith(c):
                return c
    return None


_EN_UNIT_RE = re.compile(r"\s*(?:(thousand|million|billion|trillion)\s+)?(yuan|RMB|CNY|US dollars|dollars|USD|percent|"
                         r"per cent|percentage points?)\b", re.I)


def _english_quantity(text: str, a: int, num: Number, flags: list[str]) -> Optional[Figure]:
    """An English unit after digits inside a Chinese sentence (30 billion yuan)."""
    if num.magnitude != 1:
        return None
    m = _EN_UNIT_RE.match(text, num.end)
    if not m:
        return None
    w = m.group(2).lower()
    if w.startswith("percentage"):
        unit = "percentage_point"
    elif w.startswith("per"):
        unit = "percent"
    elif w in ("yuan", "rmb", "cny"):
        unit = "CNY"
    else:
        unit = "USD"
    v = parse_number(text[a:num.end]) if not m.group(1) else parse_number(f"{text[a:num.end]} {m.group(1)}")
    if v is None:
        return None
    return Figure(a, m.end(), v.value, unit, flags=list(flags), ext_start=a, ext_end=m.end())
