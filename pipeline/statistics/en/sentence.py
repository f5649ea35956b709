"""Statistics in one English sentence.

"Industrial output reached 1.68 trillion yuan in 2023, up 20.04% from 2022." →
1.68e12 CNY (year 2023, metric "industrial output") and 20.04 percent (up, year 2023 — 2022 is the
base year). Bare numbers (years, section/table numbers, citations [12], page ranges, DOIs) have no
unit and are never reported.
"""
from __future__ import annotations

from typing import Optional

from ...document import Document, Sentence, Statistic
from ..core import Figure, section_info, text_statistic
from ..lexicon import Lexicon
from .attributes import direction_en, mentions_en, metric_en, modality_en, subject_en, years_for_en
from .figures import clause_of, find_figures_en, masked_en, qualify_en, split_clauses, years_en
from .patterns import patterns


def extract_english(doc: Document, sentence: Sentence, prev_sentence: Optional[Sentence], lex: Lexicon,
                    ctx: dict) -> list[Statistic]:
    """Statistics in one English sentence, offsets into doc.text."""
    P = patterns(lex)
    text = sentence.text
    masked = masked_en(text)
    figs = find_figures_en(text, lex, masked)
    if not figs:
        return []
    for f in figs:
        qualify_en(text, f, P)
    doc_year, region = ctx.get("year"), ctx.get("region")
    years, base_spans = years_en(text, P, masked, doc_year)
    clauses = split_clauses(text)
    mentions = mentions_en(text, P)
    sec_year, sec_ys, sec_mod = section_info(doc, sentence, ctx, lex)
    prev_year = None
    if prev_sentence is not None and P.anaphora_re.search(text):
        py, _ = years_en(prev_sentence.text, P, masked_en(prev_sentence.text), doc_year)
        prev_year = py[-1] if py else None
    out: list[Statistic] = []
    done: list[tuple[Figure, str]] = []
    for f in figs:
        clause = clause_of(clauses, f.start)
        clause = (clause[0], clause_of(clauses, max(f.start, f.end - 1))[1])
        year: Optional[int]
        year_start: Optional[int]
        y = years_for_en(f, clause, figs, years, text)
        if y is not None:
            year, year_start = y.year, y.year_start
        elif prev_year is not None:
            year, year_start = prev_year.year, prev_year.year_start
        else:
            year, year_start = sec_year, sec_ys
        direction = direction_en(text, f, clause, figs, P)
        subject, subject_text = subject_en(text, f, clause, mentions, figs, region, P)
        if subject_text and subject_text == subject:
            subject_text = None
        base, metric = metric_en(text, f, clause, figs, mentions, years, direction, P, done)
        done.append((f, base))
        modality = modality_en(text, f, clause, y, doc_year, sec_mod, P)
        base_year = None
        if direction:  # up 20.04% from 2022 / compared with 2019: the base of the change, in its clause
            near = [int(text[a:b]) for a, b in base_spans if clause[0] <= a < clause[1]]
            base_year = near[0] if near and near[0] != year else None
        out.append(text_statistic(text, sentence, f, direction=direction, modality=modality, year=year,
                                  year_start=year_start, subject=subject, subject_text=subject_text, metric=metric,
                                  base_year=base_year))
    return out
