"""Statistics in one Chinese sentence: figures, then their year, direction, subject, metric, modality."""
from __future__ import annotations

import re
from typing import Any, Optional

from ...document import Document, Sentence, Statistic
from ..context import YearExpr, find_years
from ..core import Figure, inside, section_info, text_statistic
from ..lexicon import Lexicon
from ..numbers import parse_number
from .attributes import direction_of, modality_of, table_ref_year, years_for
from .clauses import clause_bounds
from .figures import find_figures, masked_spans, qualify
from .metric import metric_of, topic_phrase
from .subject import mentions_in, subject_of


def extract_chinese(doc: Document, sentence: Sentence, prev_sentence: Optional[Sentence], lex: Lexicon,
                    ctx: dict[str, Any]) -> list[Statistic]:
    """Statistics in one sentence, offsets into doc.text."""
    text = sentence.text
    figs = find_figures(text, lex)
    if not figs:
        if ctx.get("genre") == "paper" and (t := topic_phrase(text, lex)):
            ctx["last_metric"] = t
        return []
    for f in figs:
        qualify(text, f, lex)
    doc_year = ctx.get("year")
    region = ctx.get("region")
    masked = masked_spans(text)
    all_years = [y for y in find_years(text, doc_year, with_base=True) if not inside(masked, y.start, y.end)] or \
        find_years(text, doc_year, with_base=True)
    years = [y for y in all_years if not y.base]
    bases = [y for y in all_years if y.base]
    mentions = mentions_in(text, lex, region)
    sec_year, sec_ys, sec_mod = section_info(doc, sentence, ctx, lex)
    prev_year = None
    # a sentence opening with 其中/同期…, or the second half of one broken by a page break, keeps the
    # previous sentence's year
    broken = prev_sentence is not None and prev_sentence.kind == sentence.kind and \
        not re.search(r"[。！？!?；;：:]\s*$", prev_sentence.text) and prev_sentence.end <= sentence.start
    if prev_sentence is not None and (broken or any(text.lstrip().startswith(c) for c in lex.cue("anaphora"))):
        py = find_years(prev_sentence.text, doc_year)
        prev_year = py[-1] if py else None
    ref_year = table_ref_year(doc, text)
    topic = _topic(text, mentions, lex) if ctx.get("genre") == "paper" else ""
    prev_topic = ctx.get("last_metric", "")
    out = []
    done: list[tuple[Figure, str]] = []
    for f in figs:
        y = years_for(text, f, figs, years)
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
        clause = text[clause_bounds(text, f.start)[0]:f.start]
        if y is None and _HORIZON_RE.search(text[:f.start]):
            year, year_start = None, (sec_year or doc_year)  # 用3—5年时间…: a horizon from now, no single year
        elif year is not None and (c := _STREAK_RE.search(clause)):
            n = parse_number(c.group(1))
            if n and 1 < n.value < 100:
                year_start = year - int(n.value) + 1  # 连续12年稳定在500亿斤以上
        direction = direction_of(text, f, figs, lex)
        subject, subject_text = subject_of(text, f, figs, mentions, region, lex)
        base, metric = metric_of(text, f, figs, mentions, years + [_with_comparison(text, b) for b in bases],
                                 direction, lex, done, topic, prev_topic)
        done.append((f, base))
        modality = modality_of(text, f, sec_mod, y, doc_year, lex)
        out.append(text_statistic(text, sentence, f, direction=direction, modality=modality, year=year,
                                  year_start=year_start, subject=subject, subject_text=subject_text, metric=metric,
                                  base_year=_base_year(text, f, bases, year) if direction else None))
    heads = lex.metric.get("head", [])
    named = [m for f, m in done if m and m not in heads]
    if named:
        ctx["last_metric"] = _strip_topic(named[-1])
    return out


def _strip_topic(m: str) -> str:
    return re.sub(r"(增速|降幅|排名|增幅|增长率|占比|比重|比例)$", "", m)


def _topic(text: str, mentions: list, lex: Lexicon) -> str:
    """The noun phrase a sentence opens with after its place name (重庆装备制造业已形成… → 装备制造业):
    what a paper's sentence is about."""
    field = re.match(r"\s*(?:在|从|就)([^，,。；;：:]{2,16}?(?:领域|方面|行业|产业))\s*[，,]", text)
    if field:
        return field.group(1)  # 在汽车设计研发领域,…相关人才占比
    lead = [x for x in mentions if x.start <= 2 and x.deictic is None]
    if not lead:
        return ""
    rest = text[lead[0].end:]
    cut = re.search(r"[已在是将正于的，,。；;、]|已经|目前|形成|拥有|实现|达到|共有|有", rest)
    np = rest[: cut.start()] if cut else ""
    return np if 2 <= len(np) <= 10 else ""


_HORIZON_RE = re.compile(r"用\s*[0-9一二三四五六七八九十两]+(?:\s*[—\-~～至到]\s*[0-9一二三四五六七八九十]+)?\s*年(?:时间|左右)?"
                         r"|(?<![0-9])[0-9一二三四五六七八九十两]+\s*年内")
_STREAK_RE = re.compile(r"连续\s*([0-9]+|[一二两三四五六七八九十]+)\s*年")


def _with_comparison(text: str, b: YearExpr) -> YearExpr:
    """A base year with its comparison words (比2020年, 与上年同期相比), dropped whole from metrics."""
    m = re.search(r"(?:比|较|相比|相较|对比|比较|相对于|与|同|和|跟)\s*$", text[:b.start])
    m2 = re.match(r"\s*(?:同期|底|末)?\s*(?:相比|相较|比较|对比)?", text[b.end:])
    return YearExpr(m.start() if m else b.start, b.end + (m2.end() if m2 else 0), b.year, base=True)


def _base_year(text: str, f: Figure, bases: list[YearExpr], year: Optional[int]) -> Optional[int]:
    """The year a change is measured against: 比2020年 / 与2020年相比 in the figure's clause or the one
    before; 比上年 / 同比 → the year before the figure's."""
    a = clause_bounds(text, f.start)[0]
    a = clause_bounds(text, a - 1)[0] if a > 0 else a
    near = [b for b in bases if a <= b.start and b.end <= f.start]
    if near:
        b = near[-1]
        if b.relative and year is not None:
            return year - 1  # 比上年: the year before the figure's own
        return b.year if b.year != year else None
    if year is not None and "同比" in text[a:f.start]:
        return year - 1
    return None

