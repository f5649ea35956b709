"""Counts by year (CiteSpace's / BERTopic's "over time"): how often a term is used, or how much a
topic weighs, in each year's documents, normalised by how much text each year has."""
from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

from ..errors import LitmineError, Msg
from .common import Filters, candidate_sql, documents, iter_sentences, term_pattern


@dataclass
class TrendRow:
    series: str  # the term, or the topic id
    year: int
    documents: int  # documents of that year (after the filters)
    sentences: int  # their sentences
    hits: int  # term: occurrences; topic: sentences assigned to the topic
    documents_with: int  # documents that use the term / have the topic as a sentence's topic
    per_10k: float  # hits per 10,000 sentences of that year
    weight: float | None = None  # topic only: mean share of the topic in that year's documents

    def as_dict(self) -> dict:
        return asdict(self)


def trends(conn: sqlite3.Connection, terms: list[str] | None = None, *, topic: str | None = None,
           filters: Filters | None = None) -> list[TrendRow]:
    """Python twin of `litmine trends`: one row per (term or topic, year) over the years the dated
    documents cover (a year with no use of the term gives a row with 0). Undated documents are
    left out (`documents.year` is empty)."""
    if not terms and topic is None:
        raise LitmineError(Msg.TRENDS_WHAT)
    filters = filters or Filters()
    docs = documents(conn)
    year_of = {d: i.year for d, i in docs.items() if i.year is not None}
    if not year_of:
        raise LitmineError(Msg.NO_YEARS)
    # the base: documents and sentences per year after the filters
    doc_years: dict[int, set[str]] = defaultdict(set)
    sentences: Counter[int] = Counter()
    for r in iter_sentences(conn, filters, columns="s.doc_id"):
        y = year_of.get(r["doc_id"])
        if y is not None:
            doc_years[y].add(r["doc_id"])
            sentences[y] += 1
    years = sorted(doc_years)
    out: list[TrendRow] = []
    for term in terms or []:
        pattern = term_pattern(term)
        hits: Counter[int] = Counter()
        with_term: dict[int, set[str]] = defaultdict(set)
        extra, args = candidate_sql(term.strip())
        for r in iter_sentences(conn, filters, extra, args, columns="s.doc_id, s.text"):
            y = year_of.get(r["doc_id"])
            if y is None:
                continue
            n = len(pattern.findall(r["text"] or ""))
            if n:
                hits[y] += n
                with_term[y].add(r["doc_id"])
        out += [TrendRow(term.strip(), y, len(doc_years[y]), sentences[y], hits[y], len(with_term[y]),
                         _per10k(hits[y], sentences[y])) for y in years]
    if topic is not None:
        out += _topic_rows(conn, str(topic), filters, year_of, doc_years, sentences, years)
    return out


def _topic_rows(conn: sqlite3.Connection, topic: str, filters: Filters, year_of: dict[str, int],
                doc_years: dict[int, set[str]], sentences: Counter[int], years: list[int]) -> list[TrendRow]:
    ids = [r[0] for r in conn.execute("SELECT topic_id FROM topics WHERE topic_id=? OR topic_id LIKE '%-' || ?"
                                      " ORDER BY topic_id", (topic, topic))]
    if not ids:
        known = ", ".join(r[0] for r in conn.execute("SELECT topic_id FROM topics ORDER BY lang, topic_id")) or "none"
        raise LitmineError(Msg.TOPIC_MISSING.format(topic=topic, known=known))
    out = []
    for tid in ids:
        weights: dict[str, float] = {r[0]: float(r[1]) for r in conn.execute(
            "SELECT doc_id, weight FROM document_topics WHERE topic_id=?", (tid,))}
        hits: Counter[int] = Counter()
        with_topic: dict[int, set[str]] = defaultdict(set)
        for r in iter_sentences(conn, filters, "s.sentence_id IN (SELECT sentence_id FROM sentence_topics"
                                " WHERE topic_id = ?)", [tid], columns="s.doc_id"):
            y = year_of.get(r["doc_id"])
            if y is not None:
                hits[y] += 1
                with_topic[y].add(r["doc_id"])
        for y in years:
            ds = doc_years[y]
            mean = sum(weights.get(d, 0.0) for d in ds) / len(ds) if ds else 0.0
            out.append(TrendRow(tid, y, len(ds), sentences[y], hits[y], len(with_topic[y]),
                                _per10k(hits[y], sentences[y]), round(mean, 4)))
    return out


def _per10k(n: int, total: int) -> float:
    return round(n * 10000 / total, 2) if total else 0.0
