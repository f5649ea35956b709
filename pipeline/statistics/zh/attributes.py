"""Direction, year and modality of a Chinese figure from the words around it."""
from __future__ import annotations

import re
from typing import Optional

from ...document import Document
from ..context import YearExpr, find_years
from ..core import Figure
from ..lexicon import Lexicon
from .clauses import clause_bounds, clause_bounds_fig, fig_index_after, strip_figs


def direction_of(text: str, fig: Figure, figs: list[Figure], lex: Lexicon) -> Optional[str]:
    if fig.kind != "quantity":
        return None
    a, _ = clause_bounds_fig(text, fig)
    before = strip_figs(text[a:fig.ext_start], a, figs)
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



def years_for(text: str, fig: Figure, figs: list[Figure], years: list[YearExpr]) -> Optional[YearExpr]:
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
            idx = fig_index_after(text, figs, fig, k)
            if 0 <= idx < len(group):
                return group[idx]
            return None
    return near



def modality_of(text: str, fig: Figure, section_modality: Optional[str], year: Optional[YearExpr],
              doc_year: Optional[int], lex: Lexicon) -> str:
    before = text[: fig.start]
    if year is not None and doc_year and year.year < doc_year and section_modality == "target":
        return "actual"  # a past figure quoted among the tasks
    scope = before
    if section_modality == "actual":
        scope = text[clause_bounds(text, fig.start)[0]:fig.start]  # reviews: only the figure's clause
    if any(c in scope for c in lex.cue("target")):
        return "target"
    if section_modality is None and any(c in _without_obtained(before) for c in lex.cue("target_weak")):
        return "target"
    if re.search(r"(?<!截)(?:到|至)\s*20\d{2}\s*年", scope) and (
            not doc_year or not year or year.year >= doc_year):
        return "target"
    return section_modality or "actual"



_OBTAINED_RE = re.compile(r"争取(?:到|了|中央|国家|上级)?[^，,。；;]{0,12}?(?:资金|资助|补助|补贴|债券|专项|投资|项目)")


def _without_obtained(text: str) -> str:
    """The text without 争取到…资金 / 争取中央预算内投资: funds obtained are a reported fact, not a goal."""
    return _OBTAINED_RE.sub("", text)


def table_ref_year(doc: Document, text: str) -> Optional[int]:
    """如表 3 所示: the year in that table's caption."""
    for m in re.finditer(r"表\s*([0-9]+)", text):
        n = m.group(1)
        for t in doc.tables:
            if re.match(rf"\s*表\s*{n}(?![0-9])", t.caption or ""):
                ys = find_years(t.caption, doc.meta.get("year"), bare=True)
                if ys:
                    return ys[0].year
    return None

