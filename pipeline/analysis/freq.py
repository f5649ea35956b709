"""Word frequencies per document, year or claim label (KH Coder's / ROST CM's frequency lists):
the index's tokens, cleaned of numbers, punctuation, single characters and stopwords."""
from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import LitmineError, Msg
from .common import Filters, TokenCleaner, documents, iter_sentences

GROUPS = ("none", "doc", "year", "label")


@dataclass
class FreqRow:
    group: str  # "all", a doc_id, a year or a claim label
    rank: int
    term: str
    count: int  # occurrences in the group
    per_10k: float  # occurrences per 10,000 counted words of the group
    documents: int  # documents of the group that use the term

    def as_dict(self) -> dict:
        return asdict(self)


def freq(conn: sqlite3.Connection, *, by: str = "none", top: int = 50, min_count: int = 2,
         filters: Filters | None = None, stopwords: Path | list[str] | None = None,
         stopwords_dir: Path | None = None) -> list[FreqRow]:
    """Python twin of `litmine freq`: the `top` most frequent words of each group (`by`: none, doc,
    year, label), words occurring fewer than `min_count` times left out. `stopwords` adds words (a
    file, one per line, or a list) to models/stopwords/<lang>.txt."""
    if by not in GROUPS:
        raise LitmineError(Msg.BAD_FORMAT.format(value=by, choices=", ".join(GROUPS)))
    cleaner = TokenCleaner(stopwords_dir, stopwords)
    years = {d.doc_id: d.year for d in documents(conn).values()}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    doc_sets: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    totals: Counter[str] = Counter()
    labels = _labels(conn) if by == "label" else {}
    for r in iter_sentences(conn, filters or Filters()):
        if by == "doc":
            group = r["doc_id"]
        elif by == "year":
            y = years.get(r["doc_id"])
            group = str(y) if y is not None else "unknown"
        elif by == "label":
            group = labels.get(r["sentence_id"], "")
            if not group:
                continue
        else:
            group = "all"
        words = cleaner.clean(r["tokens"], r["lang"])
        if not words:
            continue
        counts[group].update(words)
        totals[group] += len(words)
        seen = doc_sets[group]
        for w in set(words):
            seen[w].add(r["doc_id"])
    out: list[FreqRow] = []
    for group in sorted(counts, key=_group_key):
        ranked = sorted(((w, n) for w, n in counts[group].items() if n >= min_count), key=lambda x: (-x[1], x[0]))
        for rank, (w, n) in enumerate(ranked[:top] if top else ranked, 1):
            out.append(FreqRow(group, rank, w, n, round(n * 10000 / totals[group], 2), len(doc_sets[group][w])))
    return out


def _labels(conn: sqlite3.Connection) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute("SELECT sentence_id, label FROM claims")}


def _group_key(g: str) -> tuple[int, str]:
    # years in order, "unknown" last; other groups alphabetically
    return (0, g.zfill(6)) if g.isdigit() else (1 if g == "unknown" else 0, g)
