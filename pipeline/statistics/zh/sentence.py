"""Statistics in one Chinese sentence: figures, then their year, direction, subject, metric, modality."""
from __future__ import annotations

import re
from typing import Any, Optional

from ...document import Document, Sentence, Statistic
from ..context import find_years
from ..core import Figure, inside, section_info, text_statistic
from ..lexicon import Lexicon
from .attributes import direction_of, modality_of, table_ref_year, years_for
from .figures import find_figures, masked_spans, qualify
from .metric import metric_of
from .subject import mentions_in, subject_of


def extract_chinese(doc: Document, sentence: Sentence, prev_sentence: Optional[Sentence], lex: Lexicon,
                    ctx: dict[str, Any]) -> list[Statistic]:
    """Statistics in one sentence, offsets into doc.text."""
    text = sentence.text
    figs = find_figures(text, lex)
    if not figs:
        return []
    for f in figs:
        qualify(text, f, lex)
    doc_year = ctx.get("year")
    region = ctx.get("region")
    years = [y for y in find_years(text, doc_year) if not inside(masked_spans(text), y.start, y.end)] or \
        find_years(text, doc_year)
    mentions = mentions_in(text, lex)
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
        direction = direction_of(text, f, figs, lex)
        subject, subject_text = subject_of(text, f, figs, mentions, region, lex)
        base, metric = metric_of(text, f, figs, mentions, years, direction, lex, done)
        done.append((f, base))
        modality = modality_of(text, f, sec_mod, y, doc_year, lex)
        out.append(text_statistic(text, sentence, f, direction=direction, modality=modality, year=year,
                                  year_start=year_start, subject=subject, subject_text=subject_text, metric=metric))
    return out

