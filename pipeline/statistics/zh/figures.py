"""Chinese figures in a sentence: numbers with a unit or counter, ranks (第4位), ratios (3.7:30.6:65.7),
with their qualifiers (超过, 以上, 左右). Bare numbers (section numbers, citations, years, codes) are not figures."""
from __future__ import annotations

import re
from typing import Optional

from ..core import Figure, inside
from ..lexicon import Lexicon
from ..numbers import ARABIC_CORE, parse_number

_CN = "零〇一二两三四五六七八九十百千万亿"
_ARABIC_RE = re.compile(ARABIC_CORE)
_RANK_RE = re.compile(r"第\s*(" + ARABIC_CORE + f"|[{_CN}]+)" + r"\s*(位|名|大)?")
_RANK_LEAD = ("排名", "排在", "排", "居", "位居", "位列", "名列", "列", "位于", "跻身")
_RANK_SCOPE = ("全国", "全省", "全市", "全球", "世界", "国内", "中国", "西部", "全区")
_QUOTE_PAIRS = (("“", "”"), ("\"", "\""), ("《", "》"), ("「", "」"), ("『", "』"))
_VAGUE_BEFORE = ("数", "几", "上", "成", "若干")  # 数十家, 上百家: no figure to report


def masked_spans(text: str) -> list[tuple[int, int]]:
    """Spans whose numbers are not statistics: book titles 《…》, short quoted names “…”, citation
    brackets [1], figure/table references 表 3 / 图1, dates 2024-11-07, identifiers with hyphens."""
    out: list[tuple[int, int]] = []
    for a, b in _QUOTE_PAIRS:
        i = 0
        while True:
            i = text.find(a, i)
            if i < 0:
                break
            j = text.find(b, i + 1)
            if j < 0:
                break
            if a == "《" or j - i <= 16:
                out.append((i, j + 1))
            i = j + 1
    for m in re.finditer(r"\^?\[\[?\s*\d+(?:\s*[,，\-–]\s*\d+)*\s*\]\]?|［\d+］", text):
        out.append(m.span())
    for m in re.finditer(r"(?:附表|附图|表|图|Table|Fig\.?|Figure)\s*[0-9０-９]+(?:[.\-][0-9]+)*", text):
        out.append(m.span())
    for m in re.finditer(r"\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}|\d+(?:[\-–]\d+){2,}|\d{4}-\d{3,4}", text):
        out.append(m.span())
    return out



def _match_unit(text: str, pos: int, lex: Lexicon) -> Optional[str]:
    m = lex.unit_re.match(text, pos)
    return m.group() if m else None


def _prefix_cue(text: str, start: int, cues: list[str]) -> Optional[str]:
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


def find_figures(text: str, lex: Lexicon) -> list[Figure]:
    """All figures in a sentence, in order."""
    masked = masked_spans(text)
    figs: list[Figure] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    # ranks: 第4位, 第四大, 排名第三, 全国第2, 排名第 1
    for m in _RANK_RE.finditer(text):
        if inside(masked, m.start(), m.end()):
            continue
        num_txt, suffix = m.group(1), m.group(2)
        p = parse_number(num_txt)
        if p is None or p.value <= 0 or p.value != int(p.value):
            continue
        before = text[: m.start()].rstrip()
        led = any(before.endswith(w) for w in _RANK_LEAD)
        scoped = any(before.endswith(w) for w in _RANK_SCOPE)
        if scoped:
            b2 = before
            for w in _RANK_SCOPE:
                if b2.endswith(w):
                    b2 = b2[: -len(w)].rstrip()
                    break
            led = led or any(b2.endswith(w) for w in _RANK_LEAD)
        chained = bool(figs) and figs[-1].kind == "rank" and re.fullmatch(r"\s*(和|、|及|与|,|，)\s*",
                                                                           text[figs[-1].end:m.start()])
        after = text[m.end():m.end() + 2]
        if suffix == "大" and after.startswith(("类", "项", "批", "部", "块")):
            continue
        if not (suffix in ("位", "名") or suffix == "大" or led or scoped or chained):
            continue  # 第三条输电通道, 第14届, 第三次会议: ordinals, not ranks
        end = m.end() if suffix else m.start(1) + len(num_txt)
        flags = ["chinese_numeral"] if p.chinese else []
        figs.append(Figure(m.start(), end, float(p.value), "rank", flags=flags, kind="rank",
                         ext_start=m.start(), ext_end=end))
        taken.append((m.start(), end))

    # quantities written with Arabic digits (possibly followed by 万/亿 …)
    for m in _ARABIC_RE.finditer(text):
        a, b = m.start(), m.end()
        if not free(a, b) or inside(masked, a, b):
            continue
        prev = text[a - 1] if a else ""
        if prev.isascii() and (prev.isalpha() or prev in "._-/+") or prev in "第":
            continue  # 5G, PM2.5, G8.5, U19, 3.2.1, 第3
        if prev.isdigit():
            continue
        fig = _quantity(text, a, b, lex, masked)
        if fig:
            figs.append(fig)
            taken.append((fig.start, fig.end))
    # quantities in Chinese numerals: only with a magnitude (十/百/千/万/亿) and a measuring unit,
    # so 三大产业, 两地, 一批, 五个一工程 never count; 百分之五 always does.
    for m in re.finditer(f"百分之[{_CN}]+|[{_CN}]+", text):
        a, b = m.start(), m.end()
        if not free(a, b) or inside(masked, a, b):
            continue
        core = m.group()
        if text[a - 1:a] in ("第",) or (a and text[a - 1] in _VAGUE_BEFORE) or core[0] in "万亿":
            continue
        if core.startswith("百分之"):
            p = parse_number(core)
            if p:
                figs.append(Figure(a, b, p.value, "percent", flags=["chinese_numeral"], ext_start=a, ext_end=b))
                taken.append((a, b))
            continue
        if not any(c in core for c in "十百千万亿"):
            continue
        if len(core) < 2 or text[a - 1:a] == "每":
            continue  # 每千人, 千人计划: a denominator or a name, not a count
        # trim trailing magnitude chars that belong to a unit (千瓦, 百分点)
        while len(core) > 1 and _match_unit(text, a + len(core) - 1, lex) and core[-1] in "千百":
            core = core[:-1]
        fig = _quantity(text, a, a + len(core), lex, masked, chinese=True)
        if fig:
            figs.append(fig)
            taken.append((fig.start, fig.end))

    # ratios 3.7:30.6:65.7
    for m in re.finditer(rf"{ARABIC_CORE}(?:\s*[:：∶]\s*{ARABIC_CORE}){{1,}}", text):
        parts_txt = re.split(r"\s*[:：∶]\s*", m.group())
        clause_before = text[max(0, m.start() - 12):m.start()]
        if len(parts_txt) < 3 and not re.search(r"比|结构|之比|ratio", clause_before):
            continue
        if inside(masked, m.start(), m.end()):
            continue
        parts = [parse_number(t) for t in parts_txt]
        if any(p is None for p in parts):
            continue
        taken = [t for t in taken if not (m.start() <= t[0] < m.end())]
        figs = [f for f in figs if not (m.start() <= f.start < m.end())]
        figs.append(Figure(m.start(), m.end(), None, "ratio", parts=[p.value for p in parts], kind="ratio",
                         ext_start=m.start(), ext_end=m.end()))
        taken.append(m.span())
    figs.sort(key=lambda f: f.start)
    return figs


def _quantity(text: str, a: int, b: int, lex: Lexicon, masked, chinese: bool = False) -> Optional[Figure]:
    """The figure whose number core starts at `a` (digits end at `b`), or None when no unit follows."""
    flags: list[str] = ["chinese_numeral"] if chinese else []
    k = b
    core_end = b
    # a malformed grouping (1,00万 / 1.200.5): keep it, flagged, rather than split it into two numbers
    if not chinese and re.match(r"[,，.][0-9]", text[k:k + 2]) and not re.match(r"[,，][0-9]{3}", text[k:k + 4]):
        m2 = re.match(r"(?:[,，.][0-9]+)+", text[k:])
        if m2 and text[k] != "，":  # a full-width comma is a clause break, never a separator
            k += m2.end()
            core_end = k
            flags.append("malformed_number")
    # magnitudes after the digits: 万, 亿, 万亿, 千 — unless they start a unit (千瓦, 百分点)
    if not chinese:
        j = k
        while j < len(text) and text[j] in " \u3000":
            j += 1
        if j < len(text) and text[j] in "十百千万亿" and not _match_unit(text, j, lex):
            k = j
            while k < len(text) and text[k] in "十百千万亿" and not _match_unit(text, k, lex):
                k += 1
            core_end = k
    core = text[a:core_end]
    if "malformed_number" in flags:
        digits = re.sub(r"[,，]", "", text[a:b] + text[b:core_end].split(" ")[0])
        p = parse_number(re.sub(r"(?<=\d)\.(?=\d+\.)", "", digits)) if digits else None
    else:
        p = parse_number(core)
    if p is None:
        return None
    # qualifiers between the number and its unit: 1600多家, 400余家, 3万余人
    pos = core_end
    approx = "exact"
    j = pos
    while j < len(text) and text[j] in " \u3000":
        j += 1
    for inf in lex.cue("more_infix"):
        if text.startswith(inf, j) and _match_unit(text, j + len(inf), lex):
            approx = "more_than"
            j += len(inf)
            break
    while j < len(text) and text[j] in " \u3000":
        j += 1
    unit_s = _match_unit(text, j, lex)
    if unit_s is None:
        return _english_quantity(text, a, core_end, p.value, flags)
    u = lex.units[unit_s]
    if u.kind == "nonstat":
        return None
    if chinese and u.kind == "generic":
        return None  # 三个方面, 两个确立
    if u.kind == "generic" and any(text.startswith(w, j + len(unit_s)) for w in lex.cue("nonstat_following")):
        return None  # 从…6个方面提出
    if u.kind == "generic" and _prefix_cue(text, a, lex.cue("nonstat_prefix")):
        return None  # 以下9项工作
    if unit_s in lex.cue("nonstat_counter"):
        return None
    end = j + len(unit_s)
    value = p.value
    unit = u.unit
    counter = None
    if u.kind == "percent":
        if unit == "permille":
            unit, value = "percent", value / 10
            flags.append("permille")
    elif u.kind in ("strong", "generic"):
        counter = unit_s
        unit = "count"
    if u.kind == "percent" and value > 1000:
        flags.append("implausible_percent")
    return Figure(a, end, value, unit, counter=counter, approx=approx, flags=flags, ext_start=a, ext_end=end)


_EN_UNIT_RE = re.compile(r"\s*(?:(thousand|million|billion|trillion)\s+)?(yuan|RMB|CNY|US dollars|dollars|USD|percent|per cent|percentage points?)\b", re.I)


def _english_quantity(text: str, a: int, b: int, value: float, flags: list[str]) -> Optional[Figure]:
    m = _EN_UNIT_RE.match(text, b)
    if not m:
        return None
    mag = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}.get((m.group(1) or "").lower(), 1)
    w = m.group(2).lower()
    if w.startswith("percentage"):
        unit = "percentage_point"
    elif w.startswith("per"):
        unit = "percent"
    elif w in ("yuan", "rmb", "cny"):
        unit = "CNY"
    else:
        unit = "USD"
    v = parse_number(f"{text[a:b]}") if mag == 1 else parse_number(f"{text[a:b]} {m.group(1)}")
    if v is None:
        return None
    return Figure(a, m.end(), v.value, unit, flags=list(flags), ext_start=a, ext_end=m.end())


def qualify(text: str, fig: Figure, lex: Lexicon) -> None:
    """approx from the words right before/after the figure (超过65.2万辆, 5%左右, 40万人以上)."""
    if fig.kind != "quantity":
        return
    best = None  # the longest cue wins: 不超过 (less) over 超过 (more)
    for cat, approx in (("more_prefix", "more_than"), ("less_prefix", "less_than"), ("about_prefix", "about")):
        c = _prefix_cue(text, fig.start, lex.cue(cat))
        if c and (best is None or len(c) > len(best[0])):
            best = (c, approx)
    if best:
        c, approx = best
        if fig.approx == "exact":
            fig.approx = approx
        fig.ext_start = max(0, text.rfind(c, 0, fig.start))
    j = fig.end
    while j < len(text) and text[j] in " \u3000":
        j += 1
    for cat, approx in (("more_suffix", "more_than"), ("less_suffix", "less_than"), ("about_suffix", "about")):
        for c in lex.cue(cat):
            if c == "多":
                continue  # 多 after a unit starts a word (多功能) far more often than it qualifies
            if text.startswith(c, j):
                if fig.approx == "exact":
                    fig.approx = approx
                fig.ext_end = j + len(c)
                return

