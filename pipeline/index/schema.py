"""SQLite schema of the index. One row per entity; ids derived from content (doc id + offsets).

Bump SCHEMA_VERSION on any change: an index of another version is rebuilt from scratch.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import LitmineError, Msg

SCHEMA_VERSION = 5

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
  doc_id TEXT PRIMARY KEY, path TEXT, format TEXT, sha256 TEXT, title TEXT, lang TEXT, pages INTEGER,
  status TEXT, error TEXT, encoding TEXT, config_hash TEXT, n_sentences INTEGER, meta TEXT, warnings TEXT,
  year INTEGER, date TEXT, authors TEXT, source TEXT);
CREATE TABLE IF NOT EXISTS pages (
  doc_id TEXT, page INTEGER, start INTEGER, "end" INTEGER, width REAL, height REAL, ocr TEXT,
  PRIMARY KEY (doc_id, page));
CREATE TABLE IF NOT EXISTS sections (
  section_id TEXT PRIMARY KEY, doc_id TEXT, level INTEGER, heading TEXT, path TEXT, page INTEGER, start INTEGER);
CREATE TABLE IF NOT EXISTS sentences (
  rowid INTEGER PRIMARY KEY, sentence_id TEXT UNIQUE, doc_id TEXT, idx INTEGER, page INTEGER, start INTEGER,
  "end" INTEGER, section TEXT, section_path TEXT, lang TEXT, kind TEXT, text TEXT, tokens TEXT, block INTEGER,
  role TEXT);
CREATE INDEX IF NOT EXISTS sentences_doc ON sentences(doc_id, idx);
CREATE INDEX IF NOT EXISTS sentences_keywords ON sentences(doc_id, idx) WHERE kind = 'keywords';
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5(words, grams, tokenize = 'unicode61 remove_diacritics 0');
CREATE TABLE IF NOT EXISTS refs (
  ref_id TEXT PRIMARY KEY, doc_id TEXT, idx INTEGER, page INTEGER, start INTEGER, "end" INTEGER, text TEXT);
CREATE TABLE IF NOT EXISTS tables (
  table_id TEXT PRIMARY KEY, doc_id TEXT, idx INTEGER, page INTEGER, caption TEXT, n_rows INTEGER, n_cols INTEGER,
  header_rows INTEGER, header_cols INTEGER, start INTEGER, "end" INTEGER);
CREATE TABLE IF NOT EXISTS cells (
  cell_id TEXT PRIMARY KEY, doc_id TEXT, table_id TEXT, row INTEGER, col INTEGER, text TEXT, page INTEGER,
  start INTEGER, "end" INTEGER, row_header TEXT, col_header TEXT);
CREATE INDEX IF NOT EXISTS cells_doc ON cells(doc_id);
CREATE TABLE IF NOT EXISTS errors (doc_id TEXT, path TEXT, stage TEXT, message TEXT);
CREATE TABLE IF NOT EXISTS claims (
  claim_id TEXT PRIMARY KEY, sentence_id TEXT, doc_id TEXT, label TEXT, secondary TEXT, confidence REAL,
  evidence TEXT, producer TEXT, corrected INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS claims_doc ON claims(doc_id);
CREATE INDEX IF NOT EXISTS claims_sentence ON claims(sentence_id);
CREATE TABLE IF NOT EXISTS statistics (
  stat_id TEXT PRIMARY KEY, doc_id TEXT, source TEXT, sentence_id TEXT, cell_id TEXT, page INTEGER, span TEXT,
  start INTEGER, "end" INTEGER, value REAL, parts TEXT, unit TEXT, counter TEXT, approx TEXT, direction TEXT,
  modality TEXT, year INTEGER, year_start INTEGER, subject TEXT, subject_text TEXT, metric TEXT, flags TEXT,
  producer TEXT, value_max REAL, base_year INTEGER);
CREATE INDEX IF NOT EXISTS stats_doc ON statistics(doc_id);
CREATE INDEX IF NOT EXISTS stats_sentence ON statistics(sentence_id);
CREATE TABLE IF NOT EXISTS corrections (
  claim_id TEXT PRIMARY KEY, doc_id TEXT, sentence_text TEXT, label TEXT, previous TEXT);
CREATE TABLE IF NOT EXISTS topics (
  topic_id TEXT PRIMARY KEY, lang TEXT, label TEXT, terms TEXT, prevalence REAL, engine TEXT);
CREATE TABLE IF NOT EXISTS sentence_topics (sentence_id TEXT PRIMARY KEY, topic_id TEXT, prob REAL);
CREATE TABLE IF NOT EXISTS document_topics (doc_id TEXT, topic_id TEXT, weight REAL, PRIMARY KEY (doc_id, topic_id));
CREATE TABLE IF NOT EXISTS links (
  link_id TEXT PRIMARY KEY, relation TEXT, source_id TEXT, target_id TEXT, source_doc TEXT, target_doc TEXT,
  score REAL, conflict INTEGER, evidence TEXT, producer TEXT);
CREATE INDEX IF NOT EXISTS links_src ON links(source_id);
CREATE INDEX IF NOT EXISTS links_tgt ON links(target_id);
CREATE TABLE IF NOT EXISTS links_cache (doc_id TEXT PRIMARY KEY, fp TEXT, inputs TEXT, data BLOB);
"""
# links_cache: the links stage's rows of its similarity space per document (derived data, keyed by
# the document's fingerprint and the stage's inputs hash; dropping it only costs time). Indexes
# made before it was declared here gain it on their next links run (linking/stage.py), so adding
# it needs no schema version bump.

# Tables holding per-document rows (deleted when a document is re-processed or removed).
PER_DOC_TABLES = ("documents", "pages", "sections", "refs", "tables", "cells", "errors", "claims", "statistics")


def connect(path: str, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    else:
        conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


def open_index(path: str | Path, *, readonly: bool = True) -> sqlite3.Connection:
    """A connection to an existing index of this schema version; one-line LitmineError otherwise."""
    path = Path(path)
    if not path.exists():
        raise LitmineError(Msg.INDEX_MISSING.format(path=path))
    try:
        conn = connect(str(path), readonly=readonly)
        version = schema_version(conn)
    except sqlite3.DatabaseError:
        raise LitmineError(Msg.INDEX_OLD.format(path=path, found="unreadable")) from None
    if version != SCHEMA_VERSION:
        conn.close()
        raise LitmineError(Msg.INDEX_OLD.format(path=path, found=version))
    return conn


def create(conn: sqlite3.Connection) -> None:
    from .views import create_views

    conn.executescript(SCHEMA)
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    create_views(conn)  # browse views for `litmine serve` and SQL clients (views.py)


def schema_version(conn: sqlite3.Connection) -> int | None:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    except sqlite3.DatabaseError:
        return None
    return int(row[0]) if row else None
