"""Full-text query over the index: ranked sentences with provenance and highlighted matches.

Query syntax (never passed raw to FTS5, so no user input can cause an FTS syntax error):
  words are ANDed · "a phrase" · a OR b · -word excludes.
A Chinese term matches through two columns: jieba search-mode words (ranking) OR the phrase of its
CJK character bigrams (recall: 产业 inside 产业链, or across a jieba word boundary). A single CJK
character falls back to a substring scan.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..errors import LitmineError, Msg
from ..segment import cjk_bigrams, normalise

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class QueryTerm:
    text: str
    negate: bool = False
    alternatives: list[str] = field(default_factory=list)  # OR group (text is the first)


def parse_query(q: str) -> list[QueryTerm]:
    if q is None or not q.strip():
        raise LitmineError(Msg.QUERY_EMPTY)
    if q.count('"') % 2:
        raise LitmineError(Msg.QUERY_QUOTES.format(query=q))
    raw = re.findall(r'(-?)"([^"]*)"|(\S+)', normalise(q))
    terms: list[QueryTerm] = []
    pending_or = False
    for neg, phrase, word in raw:
        if word == "OR" and terms:
            pending_or = True
            continue
        if word.startswith("-") and len(word) > 1:
            neg, word = "-", word[1:]
        text = (phrase if phrase else word).strip()
        text = re.sub(r"[\"*^(){}:]+", " ", text).strip()
        if not text:
            continue
        if pending_or and terms and not neg:
            terms[-1].alternatives.append(text)
        else:
            terms.append(QueryTerm(text=text, negate=bool(neg), alternatives=[text]))
        pending_or = False
    if not terms:
        raise LitmineError(Msg.QUERY_EMPTY)
    if all(t.negate for t in terms):
        raise LitmineError(Msg.QUERY_ONLY_NOT)
    return terms


def _fts_quote(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def _term_expr(text: str, segmenter) -> tuple[str | None, list[str]]:
    """FTS5 expression for one term, and the surface strings to highlight."""
    if _CJK.search(text):
        parts = []
        words = [w for w in segmenter.query_terms(text) if w.strip()] if segmenter else [text]
        if words:
            parts.append("words : (" + " AND ".join(_fts_quote(w) for w in words) + ")")
        grams = list(cjk_bigrams(text))
        cjk_chars = len(_CJK.findall(text))
        if grams and len(grams) == cjk_chars - 1 and not re.search(r"[A-Za-z0-9]", text):
            parts.append("grams : " + _fts_quote(" ".join(grams)))
        if cjk_chars == 1 and len(text.strip()) == 1:
            return None, [text]
        return "(" + " OR ".join(parts) + ")", [text] + words
    words = segmenter.query_terms(text) if segmenter else text.lower().split()
    if not words:
        return None, [text]
    return "words : " + _fts_quote(" ".join(words)), [text] + words


@dataclass
class Hit:
    sentence_id: str
    doc_id: str
    page: int | None
    start: int
    end: int
    section: str
    lang: str
    kind: str
    text: str
    score: float
    highlighted: str
    label: str | None = None
    confidence: float | None = None
    topic_id: str | None = None
    statistics: list[dict[str, Any]] = field(default_factory=list)
    links: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def search(conn: sqlite3.Connection, q: str, *, segmenter=None, doc: str | None = None, lang: str | None = None,
           section: str | None = None, kind: str | None = None, topic: str | None = None,
           limit: int = 20, highlight: tuple[str, str] = ("[", "]"), glossary=None) -> list[Hit]:
    """Python twin of `litmine query`. With a bilingual `glossary` (linking/), each term also matches
    its other-language and synonym surfaces, so a Chinese query finds English sentences too."""
    from ..document import LABELS

    if kind and kind not in LABELS:
        raise LitmineError(Msg.BAD_KIND.format(value=kind, choices=", ".join(LABELS)))
    if limit < 1:
        limit = 1
    terms = parse_query(q)
    pos_exprs: list[str] = []
    neg_exprs: list[str] = []
    like_terms: list[tuple[str, bool]] = []
    marks: list[str] = []
    if glossary is not None:
        from ..linking.glossary import expand_query_terms

        for t in terms:
            t.alternatives = expand_query_terms(t.alternatives, glossary)
    for t in terms:
        alts = []
        for alt in t.alternatives:
            expr, surface = _term_expr(alt, segmenter)
            if expr is None:
                like_terms.append((alt, t.negate))
            else:
                alts.append(expr)
            if not t.negate:
                marks += surface
        if alts:
            (neg_exprs if t.negate else pos_exprs).append("(" + " OR ".join(alts) + ")")
    where: list[str] = []
    params: list[Any] = []
    if pos_exprs:
        match = " AND ".join(pos_exprs)
        if neg_exprs:
            match += " NOT " + " NOT ".join(neg_exprs)
        base = ("SELECT s.*, bm25(sentences_fts, 2.0, 1.0) AS score FROM sentences_fts"
                " JOIN sentences s ON s.rowid = sentences_fts.rowid WHERE sentences_fts MATCH ?")
        params.append(match)
    else:
        base = "SELECT s.*, 0.0 AS score FROM sentences s WHERE s.kind NOT IN ('reference','front_matter')"
        for expr in neg_exprs:
            where.append("s.rowid NOT IN (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?)")
            params.append(expr)
    for text, neg in like_terms:
        where.append(("s.text NOT LIKE ?" if neg else "s.text LIKE ?"))
        params.append(f"%{text}%")
    if doc:
        where.append("s.doc_id = ?")
        params.append(doc)
    if lang:
        where.append("s.lang = ?")
        params.append(lang)
    if section:
        where.append("s.section_path LIKE ?")
        params.append(f"%{section}%")
    if kind:
        where.append("s.sentence_id IN (SELECT sentence_id FROM claims WHERE label = ?)")
        params.append(kind)
    if topic is not None:
        # "zh-3", or a bare number meaning that topic in any language
        where.append("s.sentence_id IN (SELECT sentence_id FROM sentence_topics WHERE topic_id = ?"
                     " OR topic_id LIKE '%-' || ?)")
        params += [str(topic), str(topic)]
    sql = base + "".join(" AND " + w for w in where) + " ORDER BY score, s.doc_id, s.idx LIMIT ?"
    params.append(limit)
    try:
        rows = conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        raise LitmineError(Msg.QUERY_FAILED.format(detail=exc)) from None
    hits = []
    for r in rows:
        hits.append(Hit(sentence_id=r["sentence_id"], doc_id=r["doc_id"], page=r["page"], start=r["start"],
                        end=r["end"], section=r["section"], lang=r["lang"], kind=r["kind"], text=r["text"],
                        score=round(-float(r["score"]), 4), highlighted=highlight_text(r["text"], marks, highlight)))
    _decorate(conn, hits)
    return hits


def highlight_text(text: str, marks: list[str], brackets: tuple[str, str] = ("[", "]")) -> str:
    """Wrap every occurrence of the matched words (longest first, case-insensitive) in brackets."""
    marks = sorted({m for m in marks if m and m.strip()}, key=len, reverse=True)
    if not marks:
        return text
    norm = normalise(text)
    if len(norm) != len(text):  # NFKC changed lengths: search the verbatim text only
        norm = text
    spans: list[tuple[int, int]] = []
    low = norm.lower()
    for m in marks:
        ml = m.lower()
        i = low.find(ml)
        while i >= 0:
            if not any(s < i + len(ml) and i < e for s, e in spans):
                spans.append((i, i + len(ml)))
            i = low.find(ml, i + 1)
    out, pos = [], 0
    for s, e in sorted(spans):
        out += [text[pos:s], brackets[0], text[s:e], brackets[1]]
        pos = e
    out.append(text[pos:])
    return "".join(out)


def _decorate(conn: sqlite3.Connection, hits: list[Hit]) -> None:
    """Claim label, topic, statistics and link counts of each hit (later stages' tables)."""
    for h in hits:
        row = conn.execute("SELECT claim_id, label, confidence FROM claims WHERE sentence_id=?", (h.sentence_id,)).fetchone()
        ids = [h.sentence_id]
        if row:
            h.label, h.confidence = row["label"], row["confidence"]
            ids.append(row["claim_id"])
        t = conn.execute("SELECT topic_id FROM sentence_topics WHERE sentence_id=?", (h.sentence_id,)).fetchone()
        h.topic_id = t[0] if t else None
        stats = conn.execute("SELECT stat_id, span, value, unit, year, subject, metric FROM statistics"
                             " WHERE sentence_id=? ORDER BY start", (h.sentence_id,)).fetchall()
        h.statistics = [dict(s) for s in stats]
        ids += [s["stat_id"] for s in stats]
        marks = ",".join("?" * len(ids))
        h.links = conn.execute(f"SELECT count(*) FROM links WHERE source_id IN ({marks}) OR target_id IN ({marks})",
                               ids + ids).fetchone()[0]

