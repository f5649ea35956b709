"""Match gold sentences to system sentences by text, never by offsets (gold/FORMAT.md).

Both sides are normalised (NFKC, all whitespace removed) so a gold sentence that a page break split
into two lines and a system sentence that rejoined them still meet. Segmentations may differ either
way: one system sentence may cover several gold sentences and one gold sentence may be spread over
several system sentences; we keep every system sentence that overlaps a gold sentence together with
how much of the gold text it covers, so callers can take the majority or require full coverage.
"""
from __future__ import annotations

import difflib
import sqlite3
import unicodedata
from dataclasses import dataclass

# A fuzzy match must cover at least this share of the gold text; below it the gold sentence is
# considered missed (the system dropped it, e.g. as front matter).
MIN_COVERAGE = 0.5


def normalize(text: str) -> str:
    """NFKC, whitespace removed: the comparison form of FORMAT.md."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class Overlap:
    system_index: int
    coverage: float  # share of the gold sentence's characters this system sentence covers


def _concat(texts: list[str]) -> tuple[str, list[tuple[int, int]]]:
    parts, spans, pos = [], [], 0
    for t in texts:
        parts.append(t)
        spans.append((pos, pos + len(t)))
        pos += len(t)
    return "".join(parts), spans


def _overlaps_for_span(start: int, end: int, spans: list[tuple[int, int]]) -> list[Overlap]:
    n = max(1, end - start)
    out = []
    for i, (s, e) in enumerate(spans):
        inter = min(end, e) - max(start, s)
        if inter > 0:
            out.append(Overlap(i, inter / n))
    return out


def match_sentences(gold_texts: list[str], system_texts: list[str]) -> dict[int, list[Overlap]]:
    """Map each gold index to the system sentences overlapping it (empty list: not found).

    Both lists are one document's sentences in reading order. Exact containment in the
    concatenated normalised system text is tried first, searching forward from the previous
    match so repeated sentences pair up in order; then anywhere; then a fuzzy alignment
    (difflib) for texts the system changed slightly (e.g. a stripped label or a dropped footnote
    marker).
    """
    gold_n = [normalize(g) for g in gold_texts]
    sys_n = [normalize(s) for s in system_texts]
    hay, spans = _concat(sys_n)
    result: dict[int, list[Overlap]] = {}
    cursor = 0
    for gi, g in enumerate(gold_n):
        if not g:
            result[gi] = []
            continue
        pos = hay.find(g, cursor)
        if pos < 0:
            pos = hay.find(g)
        if pos >= 0:
            result[gi] = _overlaps_for_span(pos, pos + len(g), spans)
            cursor = pos + len(g)
            continue
        result[gi] = _fuzzy(g, sys_n)
    return result


def _fuzzy(g: str, sys_n: list[str]) -> list[Overlap]:
    """Per system sentence: share of the gold characters found in matching blocks with it."""
    out = []
    for i, s in enumerate(sys_n):
        if not s:
            continue
        # cheap prefilter: shared character bigrams
        gb = {g[k:k + 2] for k in range(len(g) - 1)} or {g}
        sb = {s[k:k + 2] for k in range(len(s) - 1)} or {s}
        if len(gb & sb) < 0.3 * len(gb) and len(gb & sb) < 0.3 * len(sb):
            continue
        sm = difflib.SequenceMatcher(None, g, s, autojunk=False)
        covered = sum(b.size for b in sm.get_matching_blocks() if b.size >= 2)
        cov = covered / len(g)
        if cov > 0.1:
            out.append(Overlap(i, cov))
    if sum(o.coverage for o in out) < MIN_COVERAGE:
        return []
    return out


def best_match(overlaps: list[Overlap]) -> int | None:
    """The system sentence covering most of the gold sentence, None when unmatched."""
    if not overlaps:
        return None
    return max(overlaps, key=lambda o: (o.coverage, -o.system_index)).system_index


# A system sentence covering less of a gold sentence than this does not stand for it (links).
MIN_COVER = 0.3


class SentenceMatcher:
    """Gold text → the index's sentence ids, per document, cached (scoring and training of links)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.docs = {r[0] for r in conn.execute("SELECT doc_id FROM documents WHERE status IS NULL OR status='ok'")}
        self._sents: dict[str, list[tuple[str, str]]] = {}
        self._cache: dict[tuple[str, str], list[str]] = {}

    def sentences(self, doc: str) -> list[tuple[str, str]]:
        if doc not in self._sents:
            self._sents[doc] = [(r[0], r[1]) for r in self.conn.execute(
                "SELECT sentence_id, text FROM sentences WHERE doc_id=? ORDER BY idx", (doc,))]
        return self._sents[doc]

    def prime(self, doc: str, texts: list[str]) -> None:
        """Match all gold texts of one document at once (reading order helps repeated sentences)."""
        sents = self.sentences(doc)
        todo = [t for t in dict.fromkeys(texts) if (doc, t) not in self._cache]
        if not todo:
            return
        res = match_sentences(todo, [s for _, s in sents])
        for i, t in enumerate(todo):
            ov = res.get(i, [])
            best = max(ov, key=lambda o: o.coverage).coverage if ov else 0.0
            self._cache[(doc, t)] = sorted({sents[o.system_index][0] for o in ov
                                            if o.coverage >= MIN_COVER or o.coverage == best})

    def ids(self, doc: str, text: str) -> list[str]:
        if (doc, text) not in self._cache:
            self.prime(doc, [text])
        return self._cache[(doc, text)]
