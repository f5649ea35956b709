"""Rule-based statistics extraction from prose sentences and table cells.

A figure is a number with a unit (亿元, 万辆, 家, %, 个百分点 …), a ratio (3.7:30.6:65.7) or a rank
(第4位, 排名第三, 第四大). Bare numbers (section numbers, citation markers, years, postal codes, page
ranges, DOIs, model names like 5G/PM2.5) have no unit and are never reported. Each figure gets a value in
base units, approx, direction, modality, year, subject and metric from the words around it; the cue
words live in models/statistics/*.tsv and the regions in models/gazetteer/*.tsv.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Optional

from ..document import Document, Sentence, Statistic, Table
from .context import document_context, find_years, heading_year_modality, YearExpr
from .lexicon import Lexicon, load_lexicon
from .numbers import ARABIC_CORE, parse_number

VERSION = "0.1"
PRODUCER = f"stats-rules/{VERSION}"
STAT_KINDS = ("body", "abstract", "caption")

_CN = "零〇一二两三四五六七八九十百千万亿"
_CLAUSE_SEP = "，,；;：:。！？!?\n"
_ARABIC_RE = re.compile(ARABIC_CORE)
_RANK_RE = re.compile(r"第\s*(" + ARABIC_CORE + f"|[{_CN}]+)" + r"\s*(位|名|大)?")
_RANK_LEAD = ("排名", "排在", "排", "居", "位居", "位列", "名列", "列", "位于", "跻身")
_RANK_SCOPE = ("全国", "全省", "全市", "全球", "世界", "国内", "中国", "西部", "全区")
_QUOTE_PAIRS = (("“", "”"), ("\"", "\""), ("《", "》"), ("「", "」"), ("『", "』"))
_VAGUE_BEFORE = ("数", "几", "上", "成", "若干")  # 数十家, 上百家: no figure to report
_ENUM_VERBS = ("攻克", "新建", "建设", "新增", "引进", "招引", "培育", "创建", "打造", "实施", "改造",
               "建成", "完成", "开展", "举办", "落实", "推进", "认定", "获批", "设立", "组建", "布局")
_AFTER_STOPS = ("启动", "获得", "荣获", "获", "入选", "落地", "建成", "开工", "投运", "投产", "纳入",
                "达到", "达", "实现", "增长", "下降", "的", "，", "、", "(", "（")


@dataclass
class _Fig:
    start: int  # within the sentence
    end: int
    value: Optional[float]
    unit: str
    counter: Optional[str] = None
    parts: list[float] = field(default_factory=list)
    approx: str = "exact"
    flags: list[str] = field(default_factory=list)
    kind: str = "quantity"  # quantity · rank · ratio
    ext_start: int = 0  # span with qualifiers (超过…以上), for metric stripping
    ext_end: int = 0


# ------------------------------------------------------------------------------------------------
# figures


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _masked(text: str) -> list[tuple[int, int]]:
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


def _in(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(s <= a and b <= e for s, e in spans)


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


def find_figures(text: str, lex: Lexicon) -> list[_Fig]:
    """All figures in a sentence, in order."""
    masked = _masked(text)
    figs: list[_Fig] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    # ranks: 第4位, 第四大, 排名第三, 全国第2, 排名第 1
    for m in _RANK_RE.finditer(text):
        if _in(masked, m.start(), m.end()):
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
        figs.append(_Fig(m.start(), end, float(p.value), "rank", flags=flags, kind="rank",
                         ext_start=m.start(), ext_end=end))
        taken.append((m.start(), end))

    # quantities written with Arabic digits (possibly followed by 万/亿 …)
    for m in _ARABIC_RE.finditer(text):
        a, b = m.start(), m.end()
        if not free(a, b) or _in(masked, a, b):
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
        if not free(a, b) or _in(masked, a, b):
            continue
        core = m.group()
        if text[a - 1:a] in ("第",) or (a and text[a - 1] in _VAGUE_BEFORE) or core[0] in "万亿":
            continue
        if core.startswith("百分之"):
            p = parse_number(core)
            if p:
                figs.append(_Fig(a, b, p.value, "percent", flags=["chinese_numeral"], ext_start=a, ext_end=b))
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
        if _in(masked, m.start(), m.end()):
            continue
        parts = [parse_number(t) for t in parts_txt]
        if any(p is None for p in parts):
            continue
        taken = [t for t in taken if not (m.start() <= t[0] < m.end())]
        figs = [f for f in figs if not (m.start() <= f.start < m.end())]
        figs.append(_Fig(m.start(), m.end(), None, "ratio", parts=[p.value for p in parts], kind="ratio",
                         ext_start=m.start(), ext_end=m.end()))
        taken.append(m.span())
    figs.sort(key=lambda f: f.start)
    return figs


def _quantity(text: str, a: int, b: int, lex: Lexicon, masked, chinese: bool = False) -> Optional[_Fig]:
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
    return _Fig(a, end, value, unit, counter=counter, approx=approx, flags=flags, ext_start=a, ext_end=end)


_EN_UNIT_RE = re.compile(r"\s*(?:(thousand|million|billion|trillion)\s+)?(yuan|RMB|CNY|US dollars|dollars|USD|percent|per cent|percentage points?)\b", re.I)


def _english_quantity(text: str, a: int, b: int, value: float, flags: list[str]) -> Optional[_Fig]:
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
    return _Fig(a, m.end(), v.value, unit, flags=list(flags), ext_start=a, ext_end=m.end())


def _qualify(text: str, fig: _Fig, lex: Lexicon) -> None:
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


# ------------------------------------------------------------------------------------------------
# clauses, direction, modality, year, subject, metric


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    a = pos
    while a > 0 and text[a - 1] not in _CLAUSE_SEP:
        a -= 1
    b = pos
    while b < len(text) and text[b] not in _CLAUSE_SEP:
        b += 1
    return a, b


def _clause_bounds_fig(text: str, fig: _Fig) -> tuple[int, int]:
    a, _ = _clause_bounds(text, fig.start)
    _, b = _clause_bounds(text, max(fig.start, fig.end - 1))
    return a, b


def _strip_figs(seg: str, seg_off: int, figs: list[_Fig], marker: str = "\x00") -> str:
    """Replace earlier figures (with their qualifiers) inside `seg` by a marker."""
    chars = list(seg)
    for f in figs:
        for i in range(max(f.ext_start, seg_off), min(f.ext_end, seg_off + len(seg))):
            chars[i - seg_off] = marker
    return re.sub(f"{marker}+", marker, "".join(chars))


def _direction(text: str, fig: _Fig, figs: list[_Fig], lex: Lexicon) -> Optional[str]:
    if fig.kind != "quantity":
        return None
    a, _ = _clause_bounds_fig(text, fig)
    before = _strip_figs(text[a:fig.ext_start], a, figs)
    rate = fig.unit in ("percent", "percentage_point")
    rate_only = set(lex.cue("rate_only"))
    cues = [(c, "up") for c in lex.cue("up") if rate or c not in rate_only] + \
           [(c, "down") for c in lex.cue("down") if rate or c not in rate_only] + \
           [(c, None) for c in lex.cue("level")]
    best = None
    for c, d in cues:
        i = before.rfind(c)
        if i >= 0 and (best is None or i + len(c) > best[0] + len(best[1]) or
                       (i + len(c) == best[0] + len(best[1]) and len(c) > len(best[1]))):
            best = (i, c, d)
    if fig.unit == "percentage_point":
        for c, d in [(c, "up") for c in lex.cue("compare_up")] + [(c, "down") for c in lex.cue("compare_down")]:
            i = before.rfind(c)
            if i >= 0 and (best is None or i > best[0]):
                return d
    if best is None:
        return None
    i, c, d = best
    between = before[i + len(c):]
    for f in lex.cue("filler"):
        between = between.replace(f, "")
    if re.fullmatch(r"[\s\x00、和及与,，]*", between):
        return d
    return None


def _fig_index_after(text: str, figs: list[_Fig], fig: _Fig, anchor: int) -> int:
    """Position of `fig` among the figures after `anchor` in the same sentence (0-based)."""
    after = [f for f in figs if f.start >= anchor]
    return after.index(fig) if fig in after else -1


def _years_for(text: str, fig: _Fig, figs: list[_Fig], years: list[YearExpr]) -> Optional[YearExpr]:
    """The year expression governing a figure in its sentence: distributed by 分别 over a list of
    years (2021年与2022年…分别为20.04%和16.68%), else the nearest one before it."""
    before = [y for y in years if y.end <= fig.start]
    if not before:
        return None
    near = before[-1]
    # a coordinated list of years ending at `near`: 2021年与2022年 / 2021、2022年
    group = [near]
    for y in reversed(before[:-1]):
        gap = text[y.end:group[0].start]
        if re.fullmatch(r"\s*(与|和|、|及|至)\s*", gap):
            group.insert(0, y)
        else:
            break
    if len(group) > 1:
        k = text.find("分别", near.end, fig.start)
        if k >= 0:
            idx = _fig_index_after(text, figs, fig, k)
            if 0 <= idx < len(group):
                return group[idx]
            return None
    return near


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    canonical: Optional[str]
    deictic: Optional[str] = None


def _mentions(text: str, lex: Lexicon) -> list[_Mention]:
    out = []
    for m in lex.region_re.finditer(text):
        w = m.group()
        if w in lex.deictic:
            out.append(_Mention(m.start(), m.end(), w, None, lex.deictic[w]))
            continue
        reg = lex.region(w)
        if reg is None or reg.type == "country":
            continue  # 全国/中国: the scope of a rank or share, not the subject
        tail = re.split(r"[，,。；;、：:“”《》（）()\s]", text[m.end():m.end() + 8])[0]
        if any(sfx in tail for sfx in lex.cue("name_suffix")):
            continue  # 延安博物馆, 西安咸阳国际机场: part of a name
        before = text[max(0, m.start() - 3):m.start()]
        if re.search(r"(占|相当于|仅占|占到)$", before):
            m_obj = _Mention(m.start(), m.end(), w, reg.canonical, "denominator")
            out.append(m_obj)
            continue
        out.append(_Mention(m.start(), m.end(), w, reg.canonical))
    return out


def _resolve(men: _Mention, mentions: list[_Mention], region: Optional[str], text: str
             ) -> tuple[Optional[str], Optional[str]]:
    """(subject, subject_text) for a mention; deictic words resolve to the document's region."""
    if men.deictic == "doc":
        return region, men.text
    if men.deictic == "pair":
        prior = [m for m in mentions if m.end <= men.start and m.canonical and m.deictic is None]
        names: list[_Mention] = []
        for m in reversed(prior):
            if all(m.canonical != n.canonical for n in names):
                names.insert(0, m)
            if len(names) == 2:
                break
        if len(names) == 2:
            a, b = names
            joined = text[a.start:b.end]
            if re.fullmatch(r".{1,12}?(和|与|、|及).{1,12}", joined) and len(joined) <= a.end - a.start + b.end - b.start + 1:
                return joined, men.text
            return f"{a.text}和{b.text}", men.text
        return region, men.text
    sub = men.canonical
    return sub, (men.text if men.text != sub else None)


def _entity(clause: str, lex: Lexicon) -> Optional[str]:
    """A named entity opening a clause and acting as its subject: “重庆空港工业园区配套产业园”在…挂牌,
    汽车产业链供需信息对接平台已聚焦… ; None for example lists (…等项目) and verb-led clauses."""
    sfx = "|".join(re.escape(x) for x in lex.cue("entity_suffix"))
    m = re.match(r"\s*(?:其中\s*[,，]?\s*)?(?:“([^”]{2,30})”|([^，,。；;“”等]{2,30}?(?:" + sfx + r")))"
                 r"(?=在|已|共|于|将|初具|目前|挂牌|实现|累计|$)", clause)
    if not m:
        return None
    name = m.group(1) or m.group(2)
    if m.group(2) and any(name.startswith(v) for v in _ENUM_VERBS + ("加快", "推动", "支持", "依托")):
        return None
    return name


def _subject(text: str, fig: _Fig, figs: list[_Fig], mentions: list[_Mention], region: Optional[str],
             lex: Lexicon) -> tuple[Optional[str], Optional[str]]:
    a, b = _clause_bounds_fig(text, fig)
    # 排名第 1 的上海: the region right after a rank
    if fig.kind == "rank":
        m = re.match(r"\s*的\s*", text[fig.end:])
        if m:
            for men in mentions:
                if men.start == fig.end + m.end() and men.deictic != "denominator":
                    return _resolve(men, mentions, region, text)
    usable = [m for m in mentions if m.deictic != "denominator"]
    # 重庆和成都分别排名全国第 3 和第 17: regions distributed over figures by 分别
    k = text.find("分别", 0, fig.start)
    if k >= 0:
        grp = [m for m in usable if m.end <= k and m.deictic is None]
        if len(grp) >= 2:
            g = [grp[-1]]
            for m in reversed(grp[:-1]):
                if re.fullmatch(r"\s*(和|与|、|及)\s*", text[m.end:g[0].start]):
                    g.insert(0, m)
                else:
                    break
            if len(g) >= 2 and re.fullmatch(r"[^，,；;。]*", text[g[-1].end:k]):
                idx = _fig_index_after(text, figs, fig, k)
                same_kind = [f for f in figs if f.start >= k][: len(g)]
                if 0 <= idx < len(g) and fig in same_kind:
                    return _resolve(g[idx], mentions, region, text)
    in_clause = [m for m in usable if a <= m.start and m.end <= fig.start and "等" not in text[m.end:fig.start]]
    if in_clause:
        return _resolve(in_clause[-1], mentions, region, text)
    ent = _entity(text[a:fig.start], lex)
    if ent is None and a > 0:  # a subjectless clause (促成相互合作达400余家) after one naming an entity
        lead = re.sub(r"^\s*其中\s*[,，]\s*", "", text)
        ent = _entity(lead[: _clause_bounds(lead, 0)[1]], lex)
    if ent:
        return ent, None
    has_denominator = any(m.deictic == "denominator" and a <= m.start < fig.start for m in mentions)
    denominators = {m.canonical for m in mentions if m.deictic == "denominator" and a <= m.start < fig.start}
    # the topic of an earlier clause: walk back over clauses naming no region; the first that names one
    # gives the subject if the region opens it (重庆装备制造业已形成…,有规上企业1100多家,从业人员为18万人)
    ca = a
    while ca > 0:
        pa, _ = _clause_bounds(text, ca - 1)
        in_prev = [m for m in usable if pa <= m.start < ca - 1]
        if not in_prev:
            ca = pa
            continue
        m = in_prev[0]
        lead = text[pa:m.start]
        listed = re.match(r"\s*[、和与及]", text[m.end:m.end + 2])  # 武汉东湖、襄阳、宜昌3家高新区: a list
        if (lead.strip() == "" or re.fullmatch(r"\s*(而|但|其中|同期|同时|在|此外|截至目前|目前)*\s*", lead)) \
                and not listed and not (has_denominator and (m.canonical in denominators or lead.strip())):
            return _resolve(m, mentions, region, text)
        break
    return region, None


def _strip_words(s: str, prefixes: list[str], suffixes: list[str]) -> str:
    changed = True
    while changed and s:
        changed = False
        s2 = s.strip(" \u3000,，、;；:：“”\"'()（）\x00")
        if s2 != s:
            s, changed = s2, True
        for p in prefixes:
            if s.startswith(p) and len(s) > len(p):
                s, changed = s[len(p):], True
                break
        for q in suffixes:
            if s.endswith(q) and len(s) > len(q):
                s, changed = s[: -len(q)], True
                break
    return s


def _metric(text: str, fig: _Fig, figs: list[_Fig], mentions: list[_Mention], years: list[YearExpr],
            direction: Optional[str], lex: Lexicon, done: list[tuple[_Fig, str]]) -> tuple[str, Optional[str]]:
    """(base, metric): the quantity a figure measures, from the words before it in its clause (or the
    noun after its counter: 创建503个省级示范村). `done` holds (figure, base) of the sentence's earlier
    figures: a figure only compared with another place (远低于上海的 22.97%) takes its neighbour's."""
    a, b = _clause_bounds_fig(text, fig)
    drop = [(y.start, y.end) for y in years] + [(m.start, m.end) for m in mentions if m.deictic != "denominator"]
    others = [(f.ext_start, f.ext_end) for f in figs if f is not fig]
    chars = []
    for i in range(a, fig.ext_start):
        if any(s0 <= i < e0 for s0, e0 in others):
            chars.append("\x00")
        elif not any(s0 <= i < e0 for s0, e0 in drop):
            chars.append(text[i])
    seg = re.sub("\x00+", "\x00", "".join(chars))
    dir_cues = lex.cue("up") + lex.cue("down") + lex.cue("level")
    pre, suf = lex.metric.get("strip_prefix", []), lex.metric.get("strip_suffix", [])
    heads = lex.metric.get("head", [])
    compare = lex.cue("compare_word")

    def clean(t: str) -> str:
        t = _strip_words(t, pre, suf)
        for c in dir_cues:
            if t.endswith(c) and len(t) > len(c):
                t = t[: -len(c)]
                break
        t = _strip_words(t, pre, suf)
        if t.count("（") > t.count("）"):
            t += "）"
        if t.count("(") > t.count(")"):
            t += ")"
        return t

    def bare(t: str) -> bool:
        t = clean(t)
        for w in compare + lex.cue("filler") + dir_cues + ["和", "及", "与", "、", "的", "(", "（"]:
            t = t.replace(w, "")
        return not t.strip(" \x00")

    pieces = seg.split("\x00")
    k = len(pieces) - 1
    cur = pieces[k]
    # "地区生产总值35538亿元、增长5.3%": only a verb before this figure → the name shared with the last one
    while bare(cur) and k > 0 and not (fig.unit == "count" and _after_noun(text, fig, b)):
        k -= 1
        cur = pieces[k]
    base = clean(cur) if not bare(cur) else ""
    # distributive lists: 太阳能电池、集成电路圆片产量分别增长57.2%、36.7%
    k0 = text.find("分别", a, fig.start)
    if k0 >= 0:
        lead = "".join(ch for i, ch in enumerate(text[a:k0], a)
                       if not any(s0 <= i < e0 for s0, e0 in drop + others))
        items = [clean(i) for i in re.split(r"[、和及与]", clean(lead)) if clean(i)]
        idx = _fig_index_after(text, figs, fig, k0)
        if len(items) >= 2 and 0 <= idx < len(items):
            head = next((h for h in heads if items[-1].endswith(h) and len(items[-1]) > len(h)), "")
            item = items[idx]
            if head and not any(item.endswith(h) for h in heads):
                item += head
            base = item
    # 新增广翼智能、陕硬航空等科技成果转化企业: drop the examples, keep the verb and the noun
    if "等" in base:
        verb = next((v for v in _ENUM_VERBS if base.startswith(v)), "")
        base = verb + base.rsplit("等", 1)[1].lstrip("一批")
    # 创建503个省级示范村 / 45家整车企业和1600多家配套企业: the noun after the counter
    after = _after_noun(text, fig, b)
    if after and fig.kind == "rank" and text[fig.end - 1] == "大":
        base = after  # 第四大电子信息产业聚集地
    elif after and fig.unit == "count" and "\x00" not in seg[len(seg.rstrip()) - 1:] and k == len(pieces) - 1:
        base = base + after  # 靶向攻关100项关键核心技术 → 靶向攻关关键核心技术
    # 仅占广东省的 8.7% / 占全国总量的 5.75%: a share of something, named after the previous figure
    m_share = re.match(r"^(仅|约)?占(.+)$", base)
    if m_share and done:
        prev = next((m for f, m in reversed(done) if m), "")
        base = _strip_rate(prev) + "占" + m_share.group(2) + "比重"
    # 在汽车设计研发领域,重庆和成都分别排名…: the topic clause before names the field
    if not base and not done:
        ca, _ = _clause_bounds(text, max(0, a - 2)) if a > 1 else (0, 0)
        topic = text[ca:a - 1] if a > 1 else ""
        mt = re.match(r"^\s*(在|从|就)(.{2,20}?)(领域|方面|行业|产业)?\s*$", topic)
        if mt:
            base = mt.group(2) + (mt.group(3) or "")
    # 其中对中亚五国增长48.1%: a qualifier of the previous figure's metric
    if base[:1] in ("对", "向") and done:
        prev = next((m for f, m in reversed(done) if f.unit == fig.unit and m), "")
        base = base + _strip_rate(prev)
    if not base and done:
        base = next((m for f, m in reversed(done) if f.unit == fig.unit and f.kind == fig.kind and m), "")
    if not base:
        return "", None
    metric = base
    if fig.kind == "rank" and "排名" not in metric:
        metric = re.sub(r"(全国|全省|全球|世界|国内|中国)$", "", metric) or metric
        scope = re.search(r"(全国|全省|全球|世界|国内|中国)\s*$", text[max(0, fig.start - 4):fig.start])
        metric += ("全国" if scope and scope.group(1) in ("全国", "国内", "中国") else scope.group(1) if scope else "") + "排名"
    if fig.unit == "percent" and direction == "up" and not re.search(r"(增速|增幅|增长率|涨幅)$", metric):
        metric += "增速"
    elif fig.unit == "percent" and direction == "down" and not re.search(r"(降幅|下降率)$", metric):
        metric += "降幅"
    return base, metric[:40]


def _strip_rate(m: str) -> str:
    return re.sub(r"(增速|降幅|排名)$", "", m)


def _after_noun(text: str, fig: _Fig, clause_end: int) -> str:
    """The noun right after a figure's counter, up to a verb or separator ("" when none)."""
    after = text[fig.ext_end:clause_end]
    if not after or not re.match(r"[\u4e00-\u9fff“]", after):
        return ""
    cut = len(after)
    for s_ in _AFTER_STOPS:
        i = after.find(s_)
        if 0 <= i < cut:
            cut = i
    m = re.search(r"[和及与][0-9０-９一二三四五六七八九十两]", after[:cut])
    if m:
        cut = m.start()  # 45家整车企业和1600多家配套企业: the next figure's noun is not ours
    noun = after[:cut].strip()
    return noun if len(noun) >= 2 else ""


def _modality(text: str, fig: _Fig, section_modality: Optional[str], year: Optional[YearExpr],
              doc_year: Optional[int], lex: Lexicon) -> str:
    before = text[: fig.start]
    if year is not None and doc_year and year.year < doc_year and section_modality == "target":
        return "actual"  # a past figure quoted among the tasks
    scope = before
    if section_modality == "actual":
        scope = text[_clause_bounds(text, fig.start)[0]:fig.start]  # reviews: only the figure's clause
    if any(c in scope for c in lex.cue("target")):
        return "target"
    if section_modality is None and any(c in before for c in lex.cue("target_weak")):
        return "target"
    if re.search(r"(?<!截)(?:到|至)\s*20\d{2}\s*年", scope) and (
            not doc_year or not year or year.year >= doc_year):
        return "target"
    return section_modality or "actual"


def _section_info(doc: Document, sentence: Sentence, ctx: dict, lex: Lexicon
                  ) -> tuple[Optional[int], Optional[int], Optional[str]]:
    year = ys = mod = None
    for h in reversed(sentence.section_path or []):
        y, s, m = heading_year_modality(h, ctx.get("year"), lex)
        if year is None and y is not None:
            year, ys = y, s
        if mod is None and m is not None:
            mod = m
    if year is None or mod is None:
        cur = None
        for off, y, s, m in ctx.get("sections", []):
            if off <= sentence.start:
                cur = (y, s, m)
        if cur:
            if year is None and cur[0] is not None:
                year, ys = cur[0], cur[1]
            if mod is None:
                mod = cur[2]
    return year, ys, mod


def _table_ref_year(doc: Document, text: str) -> Optional[int]:
    """如表 3 所示: the year in that table's caption."""
    for m in re.finditer(r"表\s*([0-9]+)", text):
        n = m.group(1)
        for t in doc.tables:
            if re.match(rf"\s*表\s*{n}(?![0-9])", t.caption or ""):
                ys = find_years(t.caption, doc.meta.get("year"), bare=True)
                if ys:
                    return ys[0].year
    return None


def _context(doc: Document, lex: Lexicon) -> dict:
    ctx = doc.meta.get("_stat_ctx")
    if ctx is None:
        ctx = document_context(doc, lex)
        doc.meta["_stat_ctx"] = ctx
    return ctx


def extract_sentence_statistics(doc: Document, sentence: Sentence, prev_sentence: Optional[Sentence] = None,
                                lexicon: Optional[Lexicon] = None) -> list[Statistic]:
    """Statistics in one sentence, offsets into doc.text."""
    lex = lexicon or load_lexicon()
    ctx = _context(doc, lex)
    text = sentence.text
    from . import english  # English sentences (no Chinese character) follow english.py's rules
    if english.is_english(text):
        return english.extract_english(doc, sentence, prev_sentence, lex, ctx)
    figs = find_figures(text, lex)
    if not figs:
        return []
    for f in figs:
        _qualify(text, f, lex)
    doc_year = ctx.get("year")
    region = ctx.get("region")
    years = [y for y in find_years(text, doc_year) if not _in(_masked(text), y.start, y.end)] or \
        find_years(text, doc_year)
    mentions = _mentions(text, lex)
    sec_year, sec_ys, sec_mod = _section_info(doc, sentence, ctx, lex)
    prev_year = None
    # a sentence opening with 其中/同期…, or the second half of one broken by a page break, keeps the
    # previous sentence's year
    broken = prev_sentence is not None and prev_sentence.kind == sentence.kind and \
        not re.search(r"[。！？!?；;：:]\s*$", prev_sentence.text) and prev_sentence.end <= sentence.start
    if prev_sentence is not None and (broken or any(text.lstrip().startswith(c) for c in lex.cue("anaphora"))):
        py = find_years(prev_sentence.text, doc_year)
        prev_year = py[-1] if py else None
    ref_year = _table_ref_year(doc, text)
    out = []
    done: list[tuple[_Fig, str]] = []
    for f in figs:
        y = _years_for(text, f, figs, years)
        if y is None and years and any(yy.end <= f.start for yy in years):
            year, year_start = None, None  # distributed list that does not cover this figure
        elif y is not None:
            year, year_start = y.year, y.year_start
        elif ref_year is not None:
            year, year_start = ref_year, None
        elif prev_year is not None:
            year, year_start = prev_year.year, prev_year.year_start
        else:
            year, year_start = sec_year, sec_ys
        direction = _direction(text, f, figs, lex)
        subject, subject_text = _subject(text, f, figs, mentions, region, lex)
        base, metric = _metric(text, f, figs, mentions, years, direction, lex, done)
        done.append((f, base))
        modality = _modality(text, f, sec_mod, y, doc_year, lex)
        out.append(text_statistic(text, sentence, f, direction=direction, modality=modality, year=year,
                                  year_start=year_start, subject=subject, subject_text=subject_text, metric=metric))
    return out


def text_statistic(text: str, sentence: Sentence, f, *, direction, modality, year, year_start, subject,
                   subject_text, metric) -> Statistic:
    """The record for one figure `f` of a prose sentence (shared by the Chinese and English rules)."""
    flags = list(f.flags)
    if subject_text and subject is None:
        flags.append("unresolved_deictic")
    return Statistic(
        source="text", span=text[f.start:f.end], start=sentence.start + f.start,
        end=sentence.start + f.end, value=f.value, unit=f.unit, sentence_index=sentence.index,
        parts=list(f.parts), counter=f.counter, approx=f.approx, direction=direction,
        modality=modality, year=year, year_start=year_start, subject=subject,
        subject_text=subject_text, metric=metric, flags=flags, producer=PRODUCER)


# ------------------------------------------------------------------------------------------------
# tables

_HEADER_UNIT_RE = re.compile(r"(?:[/／]\s*|[（(]\s*(?:单位[:：]?\s*)?)([^/／（）()]{1,8}?)\s*[）)]?\s*$")
_GENERIC_HEADERS = ("数值", "值", "数据", "合计", "总计", "指标", "数量", "")


def _unit_spec(s: str, lex: Lexicon) -> Optional[tuple[float, str, Optional[str]]]:
    """'亿元' → (1e8, 'CNY', None); '%' → (1, 'percent', None); '万辆' → (1e4, 'count', '辆')."""
    s = _nfkc(s).strip()
    mult = 1.0
    while s and s[0] in "十百千万亿" and not lex.unit_re.fullmatch(s):
        mult *= {"十": 10, "百": 100, "千": 1000, "万": 1e4, "亿": 1e8}[s[0]]
        s = s[1:]
    if not s:
        return None
    u = lex.units.get(s) or lex.units.get(_nfkc(s))
    if u is None:
        return None
    if u.kind in ("strong", "generic"):
        return mult, "count", s
    if u.kind == "pp":
        return mult, "percentage_point", None
    return mult, u.unit, None


def _split_header(h: str, lex: Lexicon) -> tuple[str, Optional[tuple[float, str, Optional[str]]]]:
    """'研发投入 GDP/亿元' → ('研发投入 GDP', (1e8, 'CNY', None))."""
    m = _HEADER_UNIT_RE.search(h)
    if m:
        spec = _unit_spec(m.group(1), lex)
        if spec:
            return h[: m.start()].strip(), spec
    m = re.search(r"单位[:：]\s*(\S+)", h)
    if m:
        spec = _unit_spec(m.group(1), lex)
        if spec:
            return h[: m.start()].strip(), spec
    return h.strip(), None


def _caption_topic(caption: str, lex: Lexicon) -> str:
    t = re.sub(r"^\s*(续?表|Table)\s*[0-9A-Za-z.\-]*\s*", "", caption)
    t = re.sub(r"[（(]?单位[:：][^）)]*[）)]?", "", t)
    t = re.sub(r"(1[89]|20)\d{2}\s*(年|—|-|–)?\s*((1[89]|20)\d{2}\s*年?)?", "", t)
    t = re.sub(r"^(全国|我国|中国)?(各|主要|部分|重点)?(地区|省份|城市|省市|区域)?", "", t.strip())
    return t.strip()


def extract_table_statistics(doc: Document, table: Table, lexicon: Optional[Lexicon] = None) -> list[Statistic]:
    """Numeric cells of a table as statistics: unit from the cell or its row/column header, year from
    the caption or a year column header, subject from the row header, metric from the column header
    (or the caption when the header is generic)."""
    lex = lexicon or load_lexicon()
    ctx = _context(doc, lex)
    grid = table.grid()
    hr, hc = max(table.header_rows, 0), max(table.header_cols, 0)
    cap_years = find_years(table.caption or "", ctx.get("year"), bare=True)
    cap_year = cap_years[0] if cap_years else None
    _, cap_spec = _split_header(table.caption or "", lex)
    topic = _caption_topic(table.caption or "", lex)
    out: list[Statistic] = []
    for cell in table.cells:
        if cell.row < hr or cell.col < hc:
            continue
        raw = cell.text.strip()
        if not raw:
            continue
        col_hdr = " / ".join(grid[r][cell.col] for r in range(hr) if grid[r][cell.col].strip())
        row_hdr = " / ".join(grid[cell.row][c] for c in range(hc) if grid[cell.row][c].strip())
        st = _cell_stat(raw, col_hdr, row_hdr, cap_spec, lex)
        if st is None:
            continue
        value, unit, counter, approx, flags = st
        # year: a year column header, else the caption's, else a year in the row header
        ys = find_years(col_hdr, ctx.get("year"), bare=True) or ([cap_year] if cap_year else []) or \
            find_years(row_hdr, ctx.get("year"), bare=True)
        year = ys[0].year if ys else None
        year_start = ys[0].year_start if ys else None
        col_name, _ = _split_header(col_hdr.split(" / ")[-1] if col_hdr else "", lex)
        row_name, _ = _split_header(row_hdr.split(" / ")[-1] if row_hdr else "", lex)
        col_is_year = bool(re.fullmatch(r"\s*(1[89]|20)\d{2}\s*年?\s*", col_name or ""))
        reg_m = lex.region_re.search(row_name or "")
        region_row = bool(reg_m) and lex.region(reg_m.group()) is not None
        if region_row:
            subject = row_name.strip()
            reg = lex.region(row_name.strip())
            subject = reg.canonical if reg else subject
            metric_src = col_name
        else:
            subject = ctx.get("region")
            metric_src = row_name if col_is_year or not col_name else col_name
        metric = _nfkc(metric_src or "").strip()
        if metric in _GENERIC_HEADERS or col_is_year and not row_name:
            metric = topic
        elif topic and _norm(metric) and _norm(metric) in _norm(topic) and len(topic) > len(metric):
            # 汽车本地配套率 under a caption "…新能源汽车本地配套率": the caption names it fully
            i = _norm(topic).find(_norm(metric))
            metric = _norm(topic)[: i + len(_norm(metric))]
            metric = re.sub(r"^(全国|我国|各|主要)*(地区|省份|城市)?", "", metric) or metric
        start, end = (cell.start, cell.end) if cell.start is not None else (0, len(cell.text))
        out.append(Statistic(
            source="table", span=cell.text, start=start, end=end, value=value, unit=unit,
            table_index=table.index, cell_row=cell.row, cell_col=cell.col, counter=counter, approx=approx,
            modality="actual", year=year, year_start=year_start, subject=subject,
            subject_text=row_name if region_row and subject != row_name else None,
            metric=metric or None, flags=flags, producer=PRODUCER))
    return out


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", _nfkc(s or ""))


def _cell_stat(raw: str, col_hdr: str, row_hdr: str, cap_spec, lex: Lexicon):
    s = _nfkc(raw).strip()
    approx = "exact"
    flags: list[str] = []
    m = re.match(r"^(>=|<=|≥|≤|>|<|约|超过|不足|近)\s*", s)
    if m:
        approx = {">": "more_than", ">=": "more_than", "≥": "more_than", "超过": "more_than",
                  "<": "less_than", "<=": "less_than", "≤": "less_than", "不足": "less_than",
                  "约": "about", "近": "about"}[m.group(1)]
        s = s[m.end():]
    m = re.search(r"\s*(以上|以下|左右)$", s)
    if m:
        approx = {"以上": "more_than", "以下": "less_than", "左右": "about"}[m.group(1)]
        s = s[: m.start()]
    # the cell's own unit (30%, 1.2万辆) wins over the headers'
    m = re.match(r"^(.*?[0-9一二三四五六七八九十])\s*([^\d\s.,]*)$", s)
    if not m:
        return None
    num_txt, tail = m.group(1), m.group(2)
    while tail and tail[0] in "万亿千百" and not lex.unit_re.fullmatch(tail):
        num_txt += tail[0]
        tail = tail[1:]
    p = parse_number(num_txt)
    if p is None:
        return None
    spec = _unit_spec(tail, lex) if tail else None
    if tail and spec is None:
        return None  # text cell
    if spec is None:
        _, spec = _split_header(col_hdr, lex)
    if spec is None:
        _, spec = _split_header(row_hdr, lex)
    if spec is None:
        spec = cap_spec
    if p.percent:
        spec = (1.0, "percent", None)
    if spec is None:
        flags.append("no_unit")
        return float(p.value), None, None, approx, flags
    mult, unit, counter = spec
    return float(p.value) * mult if mult != 1 else float(p.value), unit, counter, approx, flags


# ------------------------------------------------------------------------------------------------


def annotate_statistics(doc: Document, lexicon: Optional[Lexicon] = None) -> None:
    """Fill doc.statistics from body/abstract/caption sentences and all tables."""
    lex = lexicon or load_lexicon()
    _context(doc, lex)
    stats: list[Statistic] = []
    prev = None
    for s in doc.sentences:
        if s.kind in STAT_KINDS:
            stats.extend(extract_sentence_statistics(doc, s, prev, lex))
        prev = s
    for t in doc.tables:
        stats.extend(extract_table_statistics(doc, t, lex))
    doc.statistics = stats
    doc.meta.pop("_stat_ctx", None)


def statistic_record(doc: Document, st: Statistic) -> dict:
    """A statistic as the flat dict `score_statistics` and exports read."""
    d = {"doc": doc.doc_id, "source": st.source, "span": st.span, "value": st.value, "parts": st.parts,
         "unit": st.unit, "counter": st.counter, "approx": st.approx, "direction": st.direction,
         "modality": st.modality, "year": st.year, "year_start": st.year_start, "subject": st.subject,
         "subject_text": st.subject_text, "metric": st.metric, "flags": st.flags, "start": st.start,
         "end": st.end}
    if st.source == "text" and st.sentence_index is not None:
        sent = next((s for s in doc.sentences if s.index == st.sentence_index), None)
        d["sentence"] = sent.text if sent else ""
    elif st.source == "table" and st.table_index is not None:
        t = next((t for t in doc.tables if t.index == st.table_index), None)
        if t is not None:
            g = t.grid()
            d["table"] = t.caption
            d["row"] = " / ".join(g[st.cell_row][c] for c in range(t.header_cols) if g[st.cell_row][c].strip())
            d["col"] = " / ".join(g[r][st.cell_col] for r in range(t.header_rows) if g[r][st.cell_col].strip())
            d["cell"] = st.span
    return d
