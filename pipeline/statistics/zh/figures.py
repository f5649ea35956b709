"""Chinese figures in a sentence: numbers with a unit or counter, ranks (第4位), ratios (3.7:30.6:65.7),
with their qualifiers (超过, 以上, 左右). Bare numbers (section numbers, citations, years, codes) are not figures."""
from __future__ import annotations

import re

from ..core import Figure, inside
from ..lexicon import Lexicon
from ..numbers import ARABIC_CORE, parse_number
from .quantity import CN_DIGITS, chinese_span, prefix_cue, quantity

_CN = "零〇一二两三四五六七八九十百千万亿"
_ARABIC_RE = re.compile(ARABIC_CORE)
_RANK_RE = re.compile(r"第\s*(" + ARABIC_CORE + f"|[{_CN}]+)" + r"\s*(位|名|大)?")
_RANK_LEAD = ("排名", "排在", "排", "居", "位居", "稳居", "跃居", "跃升至", "升至", "位列", "名列", "列", "位于", "跻身")
# top-N places and lists: 居全国前5位, 前三名, 世界500强, 百强县 (rank, less_than); 居…首位 (rank 1)
_TOP_RE = re.compile(r"前\s*(" + ARABIC_CORE + r"|[一二两三四五六七八九十百]+)\s*(位|名|强)")
_STRONG_RE = re.compile(r"(?<![0-9０-９.])(" + ARABIC_CORE + r"|[十百千]|[一二三四五六七八九]?十)\s*强")
_RANK_SCOPE = ("全国", "全省", "全市", "全球", "世界", "国内", "中国", "西部", "全区")
_QUOTE_PAIRS = (("“", "”"), ("\"", "\""), ("《", "》"), ("「", "」"), ("『", "』"))
_VAGUE_BEFORE = ("数", "几", "上", "成", "若干")  # 几个, 上百家: no figure to report (数十亿元 is read)
_CN_RE = re.compile(f"百分之[{_CN}]+(?:点[{CN_DIGITS}]+)?|(?:[数几](?=[十百千万亿]))?[{_CN}]+")


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

    for m in list(_TOP_RE.finditer(text)) + list(_STRONG_RE.finditer(text)):
        a, b = m.span()
        p = parse_number(m.group(1))
        if p is None or p.value <= 0 or not free(a, b) or inside(masked, a, b):
            continue
        if m.re is _STRONG_RE and re.match(r"[县市镇区村企]", text[b:b + 1]) is None and \
                not re.search(r"(世界|全国|中国|全球|百|企业)\s*$", text[max(0, a - 4):a]):
            continue  # 500强 only as a list (世界500强, 百强县)
        flags = ["chinese_numeral"] if p.chinese else []
        figs.append(Figure(a, b, float(p.value), "rank", approx="less_than", flags=flags, kind="rank",
                           ext_start=a, ext_end=b))
        taken.append((a, b))
    for m in re.finditer("首位", text):
        a, b = m.span()
        clause = re.split(r"[，,。；;：:]", text[max(0, a - 16):a])[-1]
        if free(a, b) and any(w in clause for w in _RANK_LEAD):
            figs.append(Figure(a, b, 1.0, "rank", kind="rank", ext_start=a, ext_end=b))
            taken.append((a, b))

    # quantities written with Arabic digits (possibly followed by 万/亿 …)
    for m in _ARABIC_RE.finditer(text):
        a, b = m.start(), m.end()
        if not free(a, b) or inside(masked, a, b):
            continue
        prev = text[a - 1] if a else ""
        if prev and (prev.isascii() and (prev.isalpha() or prev in "._-/+") or prev in "第" or prev.isdigit()):
            continue  # 5G, PM2.5, G8.5, U19, 3.2.1, 第3
        fig = quantity(text, a, lex)
        if fig and free(fig.start, fig.end):
            figs.append(fig)
            taken.append((fig.start, fig.end))
    # quantities in Chinese numerals: only with a magnitude (十/百/千/万/亿) and a measuring unit,
    # so 三大产业, 两地, 一批, 五个一工程 never count; 百分之五 always does.
    for m in _CN_RE.finditer(text):
        a = m.start()
        if m.group().startswith("百分之"):
            b = m.end()
            if free(a, b) and not inside(masked, a, b) and (p := parse_number(m.group())):
                figs.append(Figure(a, b, p.value, "percent", flags=["chinese_numeral"], ext_start=a, ext_end=b))
                taken.append((a, b))
            continue
        b = chinese_span(text, a, lex)
        if b <= a or not free(a, b) or inside(masked, a, b):
            continue
        core = text[a:b]
        if text[a - 1:a] == "第" or (a and text[a - 1] in _VAGUE_BEFORE) or core[0] in "万亿":
            continue
        if not any(c in core for c in "十百千万亿点") or len(core) < 2 or text[a - 1:a] == "每":
            continue  # 每千人, 千人计划: a denominator or a name, not a count
        fig = quantity(text, a, lex, chinese=True, end=b)
        if fig and free(fig.start, fig.end):
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
        parsed = [parse_number(t) for t in parts_txt]
        parts = [p for p in parsed if p is not None]
        if len(parts) < len(parsed):
            continue
        taken = [t for t in taken if not (m.start() <= t[0] < m.end())]
        figs = [f for f in figs if not (m.start() <= f.start < m.end())]
        figs.append(Figure(m.start(), m.end(), None, "ratio", parts=[p.value for p in parts if p is not None], kind="ratio",
                         ext_start=m.start(), ext_end=m.end()))
        taken.append(m.span())
    figs.sort(key=lambda f: f.start)
    return figs


def qualify(text: str, fig: Figure, lex: Lexicon) -> None:
    """approx from the words right before/after the figure (超过65.2万辆, 5%左右, 40万人以上)."""
    if fig.kind != "quantity":
        return
    best = None  # the longest cue wins: 不超过 (less) over 超过 (more)
    for cat, approx in (("more_prefix", "more_than"), ("less_prefix", "less_than"), ("about_prefix", "about")):
        c = prefix_cue(text, fig.start, lex.cue(cat))
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

