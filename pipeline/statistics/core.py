"""The shared core of the statistics rules: the figure record both languages fill, the document
context cache, the section year/modality lookup and the `Statistic` built from a figure.

Chinese rules live in zh/, English ones in en/; tables.py reads table cells; extract.py runs them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..document import Document, Sentence, Statistic
from .context import document_context, heading_year_modality
from .lexicon import Lexicon

VERSION = "0.1"
PRODUCER = f"stats-rules/{VERSION}"
STAT_KINDS = ("body", "abstract", "caption")


@dataclass
class Figure:
    """A figure found in a sentence, before its attributes are read from the words around it."""

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
    value_max: Optional[float] = None  # upper bound of a range (2—3家, 5–10%)


def inside(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    """Whether [a, b) lies inside one of `spans`."""
    return any(s <= a and b <= e for s, e in spans)


def section_info(doc: Document, sentence: Sentence, ctx: dict, lex: Lexicon
                 ) -> tuple[Optional[int], Optional[int], Optional[str]]:
    """(year, year_start, modality) of the part a sentence sits in: from its headings, else the document's
    top-level parts (context.py), else the section role the structure step gave it."""
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
    # the part's role from the structure step (review / tasks / targets) when no heading said it
    doc_year = ctx.get("year")
    if mod is None and ctx.get("genre") == "gov_work_report" and doc_year:
        if sentence.role == "review":
            year, ys, mod = (year or doc_year - 1), ys, "actual"
        elif sentence.role in ("tasks", "targets"):
            year, ys, mod = (year or doc_year), ys, "target"
    return year, ys, mod


def stat_context(doc: Document, lex: Lexicon) -> dict:
    ctx = doc.meta.get("_stat_ctx")
    if ctx is None:
        ctx = document_context(doc, lex)
        doc.meta["_stat_ctx"] = ctx
    return ctx


def text_statistic(text: str, sentence: Sentence, f: Figure, *, direction: Optional[str], modality: str,
                   year: Optional[int], year_start: Optional[int], subject: Optional[str],
                   subject_text: Optional[str], metric: Optional[str], base_year: Optional[int] = None) -> Statistic:
    """The record for one figure `f` of a prose sentence (shared by the Chinese and English rules)."""
    flags = list(f.flags)
    if subject_text and subject is None:
        flags.append("unresolved_deictic")
    return Statistic(
        source="text", span=text[f.start:f.end], start=sentence.start + f.start,
        end=sentence.start + f.end, value=f.value, unit=f.unit, sentence_index=sentence.index,
        parts=list(f.parts), counter=f.counter, approx=f.approx, direction=direction,
        modality=modality, year=year, year_start=year_start, subject=subject,
        subject_text=subject_text, metric=metric, flags=flags, producer=PRODUCER, value_max=f.value_max,
        base_year=base_year)

