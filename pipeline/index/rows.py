"""Typed rows in and out of the index: what corpus stages (topics, links), scoring and export read
and write instead of running their own SQL.

Readers stream (`fetchmany(batch_size)`: a corpus of 100k claims never sits in memory twice), in a
deterministic order, optionally restricted to some documents (incremental corpus stages); JSON
columns come back decoded (tuples for lists, dicts for objects), NULL text as "". Writers take rows
of the same classes and own the statements, so a schema change is made here once.

    from pipeline.index import rows
    for c in rows.iter_claims(conn, doc_ids=changed, batch_size=2000):
        c.claim_id, c.label, c.sentence.text, c.sentence.section_path
    rows.write_links(conn, links, replace_docs=changed)  # or replace_docs=None: every link
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

BATCH = 1000
_CHUNK = 500  # ids per IN (...) clause: well under SQLite's default limit of 999 variables


def _tuple(raw: Any) -> tuple[str, ...]:
    """A JSON list column (or a legacy ';'-joined string) as a tuple of strings."""
    if not raw:
        return ()
    try:
        val = json.loads(raw)
    except (TypeError, ValueError):
        return tuple(x for x in str(raw).split(";") if x)
    return tuple(str(x) for x in val) if isinstance(val, list) else (str(val),)


def _obj(raw: Any) -> dict[str, Any]:
    try:
        val = json.loads(raw) if raw else {}
    except (TypeError, ValueError):
        return {}
    return val if isinstance(val, dict) else {}


def _floats(raw: Any) -> tuple[float, ...]:
    try:
        val = json.loads(raw) if raw else []
    except (TypeError, ValueError):
        return ()
    return tuple(float(x) for x in val) if isinstance(val, list) else ()


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class DocumentRow:
    doc_id: str
    path: str
    format: str
    sha256: str
    config_hash: str
    status: str
    title: str
    lang: str
    pages: int | None
    year: int | None
    date: str | None
    authors: tuple[str, ...]
    source: str | None


@dataclass(frozen=True)
class SentenceRow:
    sentence_id: str
    doc_id: str
    idx: int
    page: int | None
    start: int
    end: int
    section: str
    section_path: tuple[str, ...]
    lang: str
    kind: str
    text: str
    tokens: tuple[str, ...]
    block: int | None
    role: str


@dataclass(frozen=True)
class ClaimRow:
    claim_id: str
    doc_id: str
    label: str
    secondary: tuple[str, ...]
    confidence: float
    evidence: dict[str, Any]
    producer: str
    corrected: bool
    sentence: SentenceRow  # the sentence the claim is about

    def has(self, label: str) -> bool:
        return self.label == label or label in self.secondary


@dataclass(frozen=True)
class StatisticRow:
    stat_id: str
    doc_id: str
    source: str  # "text" | "table"
    sentence_id: str | None
    cell_id: str | None
    table_id: str | None  # of the cell, for table statistics
    page: int | None
    span: str
    start: int
    end: int
    value: float | None
    value_max: float | None
    parts: tuple[float, ...]
    unit: str
    counter: str
    approx: str
    direction: str
    modality: str
    year: int | None
    year_start: int | None
    base_year: int | None
    subject: str
    metric: str
    flags: tuple[str, ...]
    producer: str


@dataclass(frozen=True)
class LinkRow:
    link_id: str
    relation: str
    source_id: str
    target_id: str
    source_doc: str
    target_doc: str
    score: float
    conflict: bool = False
    evidence: dict[str, Any] = field(default_factory=dict)
    producer: str = ""


@dataclass(frozen=True)
class TopicRow:
    topic_id: str
    lang: str
    label: str
    terms: tuple[tuple[str, float], ...]  # (term, weight), strongest first
    prevalence: float
    engine: str


# ---- readers -------------------------------------------------------------------------------
def _stream(conn: sqlite3.Connection, sql: str, args: Sequence[Any], batch_size: int) -> Iterator[sqlite3.Row]:
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row  # whatever the connection's factory: rows by column name
    cur.execute(sql, tuple(args))
    while True:
        batch = cur.fetchmany(batch_size)
        if not batch:
            return
        yield from batch


def _select(conn: sqlite3.Connection, sql: str, order: str, doc_col: str, doc_ids: Iterable[str] | None,
            conds: Sequence[str] = (), args: Sequence[Any] = (), batch_size: int = BATCH) -> Iterator[sqlite3.Row]:
    """Rows of `sql` under `conds`, restricted to `doc_ids` (all when None) in chunks of ids, each
    chunk ordered by `order` (which starts with the document column: the whole stream is ordered)."""
    chunks: list[list[str] | None] = [None]
    if doc_ids is not None:
        ids = sorted(set(doc_ids))
        chunks = [ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK)]
    for part in chunks:
        where, values = list(conds), list(args)
        if part is not None:
            where.insert(0, f"{doc_col} IN ({','.join('?' * len(part))})")
            values = part + values
        stmt = sql + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY " + order
        yield from _stream(conn, stmt, values, batch_size)


def iter_documents(conn: sqlite3.Connection, *, doc_ids: Iterable[str] | None = None, ok_only: bool = True,
                   batch_size: int = BATCH) -> Iterator[DocumentRow]:
    """Documents in doc_id order; `ok_only` leaves out the ones that failed to process."""
    sql = ("SELECT d.doc_id, d.path, d.format, d.sha256, d.config_hash, d.status, d.title, d.lang, d.pages, d.year,"
           " d.date, d.authors, d.source FROM documents d")
    conds = ["(d.status IS NULL OR d.status='ok')"] if ok_only else []
    for r in _select(conn, sql, "d.doc_id", "d.doc_id", doc_ids, conds, (), batch_size):
        yield DocumentRow(r["doc_id"], r["path"] or "", r["format"] or "", r["sha256"] or "",
                          r["config_hash"] or "", r["status"] or "ok", r["title"] or "", r["lang"] or "",
                          r["pages"], r["year"], r["date"], _tuple(r["authors"]), r["source"])


_SENTENCE_COLS = ("s.sentence_id, s.doc_id, s.idx, s.page, s.start, s.\"end\" AS s_end, s.section, s.section_path,"
                  " s.lang, s.kind, s.text, s.tokens, s.block, s.role")


def _sentence(r: sqlite3.Row) -> SentenceRow:
    return SentenceRow(r["sentence_id"], r["doc_id"], int(r["idx"] or 0), r["page"], int(r["start"] or 0),
                       int(r["s_end"] or 0), r["section"] or "", _tuple(r["section_path"]), r["lang"] or "",
                       r["kind"] or "body", r["text"] or "", tuple((r["tokens"] or "").split()), r["block"],
                       r["role"] or "")


def iter_sentences(conn: sqlite3.Connection, *, doc_ids: Iterable[str] | None = None,
                   kinds: Sequence[str] | None = None, lang: str | None = None,
                   batch_size: int = BATCH) -> Iterator[SentenceRow]:
    """Sentences in (doc_id, reading order); `kinds` e.g. ("body", "abstract"), `lang` "zh"/"en"."""
    conds: list[str] = []
    args: list[Any] = []
    if kinds:
        conds.append(f"s.kind IN ({','.join('?' * len(kinds))})")
        args += list(kinds)
    if lang:
        conds.append("s.lang = ?")
        args.append(lang)
    sql = f"SELECT {_SENTENCE_COLS} FROM sentences s"
    for r in _select(conn, sql, "s.doc_id, s.idx", "s.doc_id", doc_ids, conds, args, batch_size):
        yield _sentence(r)


def iter_claims(conn: sqlite3.Connection, *, doc_ids: Iterable[str] | None = None, labels: Sequence[str] | None = None,
                batch_size: int = BATCH) -> Iterator[ClaimRow]:
    """Claims with their sentence, in (doc_id, sentence order, claim_id); `labels` keeps claims whose
    label or secondary label is one of them."""
    sql = (f"SELECT c.claim_id, c.label, c.secondary, c.confidence, c.evidence, c.producer, c.corrected,"
           f" {_SENTENCE_COLS} FROM claims c JOIN sentences s ON s.sentence_id = c.sentence_id")
    for r in _select(conn, sql, "c.doc_id, s.idx, c.claim_id", "c.doc_id", doc_ids, batch_size=batch_size):
        row = ClaimRow(r["claim_id"], r["doc_id"], r["label"] or "", _tuple(r["secondary"]),
                       float(r["confidence"] or 0.0), _obj(r["evidence"]), r["producer"] or "",
                       bool(r["corrected"]), _sentence(r))
        if not labels or any(row.has(lab) for lab in labels):
            yield row


def iter_statistics(conn: sqlite3.Connection, *, doc_ids: Iterable[str] | None = None,
                    batch_size: int = BATCH) -> Iterator[StatisticRow]:
    """Statistics in (doc_id, start, stat_id), with the table id of their cell."""
    sql = ("SELECT st.*, c.table_id AS cell_table FROM statistics st LEFT JOIN cells c ON c.cell_id = st.cell_id")
    for r in _select(conn, sql, "st.doc_id, st.start, st.stat_id", "st.doc_id", doc_ids, batch_size=batch_size):
        yield StatisticRow(
            r["stat_id"], r["doc_id"], r["source"] or "text", r["sentence_id"], r["cell_id"], r["cell_table"],
            r["page"], r["span"] or "", int(r["start"] or 0), int(r["end"] or 0),
            None if r["value"] is None else float(r["value"]),
            None if r["value_max"] is None else float(r["value_max"]), _floats(r["parts"]), r["unit"] or "",
            r["counter"] or "", r["approx"] or "exact", r["direction"] or "", r["modality"] or "",
            r["year"], r["year_start"], r["base_year"], r["subject"] or "", r["metric"] or "",
            _tuple(r["flags"]), r["producer"] or "")


def iter_links(conn: sqlite3.Connection, *, relation: str | None = None,
               batch_size: int = BATCH) -> Iterator[LinkRow]:
    """Links in (relation, source_id, target_id) order."""
    sql = "SELECT * FROM links" + (" WHERE relation = ?" if relation else "") + " ORDER BY relation, source_id, target_id"
    for r in _stream(conn, sql, [relation] if relation else [], batch_size):
        yield LinkRow(r["link_id"], r["relation"], r["source_id"], r["target_id"], r["source_doc"] or "",
                      r["target_doc"] or "", float(r["score"] or 0.0), bool(r["conflict"]), _obj(r["evidence"]),
                      r["producer"] or "")


def iter_topics(conn: sqlite3.Connection, *, lang: str | None = None) -> Iterator[TopicRow]:
    sql = "SELECT * FROM topics" + (" WHERE lang = ?" if lang else "") + " ORDER BY lang, topic_id"
    for r in _stream(conn, sql, [lang] if lang else [], BATCH):
        try:
            terms = tuple((str(t), float(w)) for t, w in json.loads(r["terms"] or "[]"))
        except (TypeError, ValueError):
            terms = ()
        yield TopicRow(r["topic_id"], r["lang"] or "", r["label"] or "", terms, float(r["prevalence"] or 0.0),
                       r["engine"] or "")


# ---- writers -------------------------------------------------------------------------------
def delete_links(conn: sqlite3.Connection, *, doc_ids: Iterable[str] | None = None,
                 relation: str | None = None) -> None:
    """Remove links: all, those touching `doc_ids` (either end), and/or of one relation."""
    rel = " AND relation = ?" if relation else ""
    if doc_ids is None:
        conn.execute("DELETE FROM links WHERE 1=1" + rel, [relation] if relation else [])
        return
    ids = sorted(set(doc_ids))
    for i in range(0, len(ids), _CHUNK):
        part = ids[i:i + _CHUNK]
        marks = ",".join("?" * len(part))
        conn.execute(f"DELETE FROM links WHERE (source_doc IN ({marks}) OR target_doc IN ({marks})){rel}",
                     part + part + ([relation] if relation else []))


def write_links(conn: sqlite3.Connection, links: Iterable[LinkRow], *,
                replace_docs: Iterable[str] | None | bool = None) -> int:
    """Insert (or replace, by link_id) `links`; returns how many. `replace_docs`: None (default) or
    False keeps the other links; True deletes every link first; a set of doc ids deletes the links
    touching those documents first (an incremental links stage)."""
    if replace_docs is True:
        delete_links(conn)
    elif replace_docs not in (None, False):
        delete_links(conn, doc_ids=replace_docs)  # type: ignore[arg-type]
    n = 0
    batch: list[tuple[Any, ...]] = []
    sql = ("INSERT OR REPLACE INTO links(link_id, relation, source_id, target_id, source_doc, target_doc, score,"
           " conflict, evidence, producer) VALUES (?,?,?,?,?,?,?,?,?,?)")
    for lk in links:
        batch.append((lk.link_id, lk.relation, lk.source_id, lk.target_id, lk.source_doc, lk.target_doc,
                      float(lk.score), int(lk.conflict), _dump(lk.evidence), lk.producer))
        if len(batch) >= BATCH:
            conn.executemany(sql, batch)
            n += len(batch)
            batch.clear()
    conn.executemany(sql, batch)
    return n + len(batch)


def link_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {r[0]: r[1] for r in conn.execute("SELECT relation, count(*) FROM links GROUP BY relation ORDER BY relation")}


def write_topics(conn: sqlite3.Connection, topics: Sequence[TopicRow], *,
                 document_topics: Iterable[tuple[str, str, float]] = (),
                 sentence_topics: Iterable[tuple[str, str, float]] = (), lang: str | None = None) -> None:
    """Replace the topics (of `lang`, or all) with `topics`, plus (doc_id, topic_id, weight) and
    (sentence_id, topic_id, prob) assignments."""
    if lang is None:
        for table in ("topics", "sentence_topics", "document_topics"):
            conn.execute(f"DELETE FROM {table}")
    else:
        conn.execute("DELETE FROM sentence_topics WHERE topic_id IN (SELECT topic_id FROM topics WHERE lang=?)", (lang,))
        conn.execute("DELETE FROM document_topics WHERE topic_id IN (SELECT topic_id FROM topics WHERE lang=?)", (lang,))
        conn.execute("DELETE FROM topics WHERE lang=?", (lang,))
    conn.executemany("INSERT INTO topics(topic_id, lang, label, terms, prevalence, engine) VALUES (?,?,?,?,?,?)",
                     [(t.topic_id, t.lang, t.label, json.dumps([list(x) for x in t.terms], ensure_ascii=False),
                       float(t.prevalence), t.engine) for t in topics])
    conn.executemany("INSERT OR REPLACE INTO document_topics(doc_id, topic_id, weight) VALUES (?,?,?)",
                     list(document_topics))
    conn.executemany("INSERT OR REPLACE INTO sentence_topics(sentence_id, topic_id, prob) VALUES (?,?,?)",
                     list(sentence_topics))


def iter_corrections(conn: sqlite3.Connection) -> Iterator[dict[str, str]]:
    """The user's label corrections as gold-like rows {doc, text, label} (what training reads)."""
    for r in _stream(conn, "SELECT doc_id, sentence_text, label FROM corrections ORDER BY claim_id", (), BATCH):
        yield {"doc": r["doc_id"], "text": r["sentence_text"], "label": r["label"]}


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return None if row is None else row[0]


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
