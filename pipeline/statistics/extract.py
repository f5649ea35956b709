"""Statistics extraction: figures in prose sentences (Chinese rules in zh/, English in en/) and in
table cells (tables.py) → `Statistic` records.

A figure is a number with a unit (亿元, 万辆, 家, %, 个百分点 …), a ratio (3.7:30.6:65.7) or a rank
(第4位, 排名第三, 第四大). Bare numbers (section numbers, citation markers, years, postal codes, page
ranges, DOIs, model names like 5G/PM2.5) have no unit and are never reported. Each figure gets a value in
base units, approx, direction, modality, year, subject and metric from the words around it; the cue
words live in models/statistics/*.tsv and the regions in models/gazetteer/*.tsv.
"""
from __future__ import annotations

from typing import Optional

from ..document import Document, Sentence, Statistic
from .core import STAT_KINDS, stat_context
from .en.patterns import is_english
from .en.sentence import extract_english
from .lexicon import Lexicon, load_lexicon
from .tables import extract_table_statistics, header_paths
from .zh.sentence import extract_chinese


def extract_sentence_statistics(doc: Document, sentence: Sentence, prev_sentence: Optional[Sentence] = None,
                                lexicon: Optional[Lexicon] = None) -> list[Statistic]:
    """Statistics in one sentence, offsets into doc.text; English sentences (no Chinese character)
    follow the English rules."""
    lex = lexicon or load_lexicon()
    ctx = stat_context(doc, lex)
    if ctx.get("glossary_from") is not None and sentence.start >= ctx["glossary_from"]:
        return []  # the notes of an appended glossary define terms; their numbers are not figures
    if is_english(sentence.text):
        return extract_english(doc, sentence, prev_sentence, lex, ctx)
    return extract_chinese(doc, sentence, prev_sentence, lex, ctx)


def annotate_statistics(doc: Document, lexicon: Optional[Lexicon] = None) -> None:
    """Fill doc.statistics from body/abstract/caption sentences and all tables."""
    lex = lexicon or load_lexicon()
    stat_context(doc, lex)
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
            rows, cols = header_paths(t)
            key = (st.cell_row if st.cell_row is not None else -1, st.cell_col if st.cell_col is not None else -1)
            d["table"] = t.caption
            d["row"] = " / ".join(rows.get(key, []))
            d["col"] = " / ".join(cols.get(key, []))
            d["cell"] = st.span
    return d
