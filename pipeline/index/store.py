"""Where a processed Document is stored: rows for every entity, with content-derived ids."""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..document import Document, Statistic, Table
from ..segment import cjk_bigrams
from .schema import PER_DOC_TABLES


def jdump(obj: Any) -> str:
    """Deterministic JSON, Chinese never ASCII-escaped."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sentence_id(doc_id: str, start: int, end: int) -> str:
    return f"{doc_id}:{start}-{end}"


def claim_id(doc_id: str, start: int, end: int) -> str:
    return f"C:{doc_id}:{start}-{end}"


def table_id(doc_id: str, idx: int) -> str:
    return f"{doc_id}:t{idx}"


def cell_id(doc_id: str, table_idx: int, row: int, col: int) -> str:
    return f"{doc_id}:t{table_idx}:r{row}c{col}"


def stat_id(doc_id: str, st: Statistic) -> str:
    if st.source == "table" and st.table_index is not None:
        return f"S:{doc_id}:t{st.table_index}:r{st.cell_row}c{st.cell_col}:{st.start}-{st.end}"
    return f"S:{doc_id}:{st.start}-{st.end}"


def delete_document(conn: sqlite3.Connection, doc_id: str) -> None:
    rowids = [r[0] for r in conn.execute("SELECT rowid FROM sentences WHERE doc_id=?", (doc_id,))]
    conn.executemany("DELETE FROM sentences_fts WHERE rowid=?", [(r,) for r in rowids])
    conn.execute("DELETE FROM sentences WHERE doc_id=?", (doc_id,))
    for t in PER_DOC_TABLES:
        conn.execute(f"DELETE FROM {t} WHERE doc_id=?", (doc_id,))


def record_failure(conn: sqlite3.Connection, doc_id: str, path: str, fmt: str, sha: str, message: str,
                   config_hash: str) -> None:
    delete_document(conn, doc_id)
    conn.execute(
        "INSERT INTO documents(doc_id, path, format, sha256, title, lang, pages, status, error, encoding, config_hash,"
        " n_sentences, meta, warnings) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (doc_id, path, fmt, sha, "", None, None, "failed", message, None, config_hash, 0, "{}", "[]"))
    conn.execute("INSERT INTO errors(doc_id, path, stage, message) VALUES (?,?,?,?)", (doc_id, path, "extract", message))


def headers_of(table: Table) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], str]]:
    """Row header path and column header of each cell (merged/blank row headers inherit from above)."""
    grid = table.grid()
    hr, hc = table.header_rows, table.header_cols
    row_h: dict[tuple[int, int], str] = {}
    col_h: dict[tuple[int, int], str] = {}
    carry = [""] * max(hc, 1)
    for r, row in enumerate(grid):
        if r >= hr:
            for c in range(hc):
                if c < len(row) and row[c]:
                    carry[c] = row[c]
                    for k in range(c + 1, hc):
                        carry[k] = ""
        for c in range(len(row)):
            if r >= hr and c >= hc:
                row_h[(r, c)] = " / ".join(x for x in carry[:hc] if x)
                col_h[(r, c)] = " / ".join(grid[k][c] for k in range(hr) if c < len(grid[k]) and grid[k][c])
    return row_h, col_h


_INSERTS = {
    "documents": "INSERT INTO documents(doc_id, path, format, sha256, title, lang, pages, status, error, encoding,"
                 " config_hash, n_sentences, meta, warnings, year, date, authors, source)"
                 " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "pages": 'INSERT INTO pages(doc_id, page, start, "end", width, height, ocr) VALUES (?,?,?,?,?,?,?)',
    "errors": "INSERT INTO errors(doc_id, path, stage, message) VALUES (?,?,?,?)",
    "sections": "INSERT OR REPLACE INTO sections(section_id, doc_id, level, heading, path, page, start)"
                " VALUES (?,?,?,?,?,?,?)",
    "sentences": 'INSERT INTO sentences(sentence_id, doc_id, idx, page, start, "end", section, section_path, lang,'
                 " kind, text, tokens, block, role) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "fts": "INSERT INTO sentences_fts(rowid, words, grams) SELECT rowid, ?, ? FROM sentences WHERE sentence_id = ?",
    "refs": 'INSERT INTO refs(ref_id, doc_id, idx, page, start, "end", text) VALUES (?,?,?,?,?,?,?)',
    "tables": 'INSERT INTO tables(table_id, doc_id, idx, page, caption, n_rows, n_cols, header_rows, header_cols,'
              ' start, "end") VALUES (?,?,?,?,?,?,?,?,?,?,?)',
    "cells": 'INSERT INTO cells(cell_id, doc_id, table_id, row, col, text, page, start, "end", row_header,'
             " col_header) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "claims": "INSERT INTO claims(claim_id, sentence_id, doc_id, label, secondary, confidence, evidence, producer)"
              " VALUES (?,?,?,?,?,?,?,?)",
    "statistics": 'INSERT INTO statistics(stat_id, doc_id, source, sentence_id, cell_id, page, span, start, "end",'
                  " value, parts, unit, counter, approx, direction, modality, year, year_start, subject,"
                  " subject_text, metric, flags, producer, value_max, base_year)"
                  " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
}


def document_rows(doc: Document, config_hash: str) -> dict[str, object]:
    """Every row a processed document contributes to the index, as plain tuples per table.

    Built in the worker process: tuples pickle far faster than the Document's objects, so the
    parent only runs executemany (it is the one process that cannot be parallelised).
    """
    d = doc.doc_id
    rows: dict[str, list[tuple]] = {k: [] for k in _INSERTS}
    rows["documents"].append((d, doc.path, doc.format, doc.sha256, doc.title, doc.lang, doc.n_pages, "ok", None,
                              doc.encoding, config_hash, len(doc.sentences), jdump(doc.meta), jdump(doc.warnings),
                              doc.year if doc.year is not None else doc.meta.get("year"), doc.date,
                              jdump(doc.authors), doc.source))
    rows["pages"] = [(d, p.number, p.start, p.end, p.width, p.height, p.ocr or None) for p in doc.pages]
    rows["errors"] = [(d, doc.path, "warning", w) for w in doc.warnings]
    for b in doc.blocks:
        if b.kind == "heading":
            rows["sections"].append((f"{d}:h{b.start}", d, len(b.section_path), doc.text[b.start:b.end].strip(),
                                     " > ".join(b.section_path), b.page, b.start))
    sent_ids = {}
    for s in doc.sentences:
        sid = sentence_id(d, s.start, s.end)
        sent_ids[s.index] = sid
        rows["sentences"].append((sid, d, s.index, s.page, s.start, s.end, s.section, jdump(s.section_path), s.lang,
                                  s.kind, s.text, " ".join(s.tokens), s.block_index, s.role))
        if s.kind not in ("reference", "front_matter"):
            rows["fts"].append((" ".join(s.search_tokens or s.tokens), " ".join(cjk_bigrams(s.text)), sid))
    rows["refs"] = [(f"{d}:r{r.index}", d, r.index, r.page, r.start, r.end, r.text) for r in doc.references]
    for t in doc.tables:
        tid = table_id(d, t.index)
        rows["tables"].append((tid, d, t.index, t.page, t.caption, t.n_rows, t.n_cols, t.header_rows, t.header_cols,
                               t.start, t.end))
        row_h, col_h = headers_of(t)
        rows["cells"] += [(cell_id(d, t.index, c.row, c.col), d, tid, c.row, c.col, c.text, t.page, c.start, c.end,
                           row_h.get((c.row, c.col), ""), col_h.get((c.row, c.col), "")) for c in t.cells]
    for c in doc.claims:
        s = doc.sentences[c.sentence_index]
        rows["claims"].append((claim_id(d, s.start, s.end), sent_ids[c.sentence_index], d, c.label,
                               jdump(c.secondary), round(float(c.confidence), 6), jdump(c.evidence), c.producer))
    seen = set()
    for st in doc.statistics:
        sid = stat_id(d, st)
        if sid in seen:
            continue
        seen.add(sid)
        page = None
        if st.sentence_index is not None:
            page = doc.sentences[st.sentence_index].page
        elif st.table_index is not None:
            page = doc.tables[st.table_index].page
        rows["statistics"].append((
            sid, d, st.source, sent_ids.get(st.sentence_index) if st.sentence_index is not None else None,
            cell_id(d, st.table_index, st.cell_row or 0, st.cell_col or 0) if st.table_index is not None else None,
            page, st.span, st.start, st.end, st.value, jdump(st.parts), st.unit, st.counter, st.approx,
            st.direction, st.modality, st.year, st.year_start, st.subject, st.subject_text, st.metric,
            jdump(st.flags), st.producer, st.value_max, st.base_year))
    return {"doc_id": d, "pages": doc.n_pages or 0, "rows": rows}


def write_rows(conn: sqlite3.Connection, payload: dict[str, Any], *, new: bool = False) -> None:
    """Replace a document's rows in the index with `payload` (from document_rows). `new`: the
    caller knows the index holds no rows of this document (a fresh index): nothing to delete."""
    if not new:
        delete_document(conn, payload["doc_id"])
    for table, sql in _INSERTS.items():  # dict order: sentences before their FTS rows
        rows = payload["rows"].get(table)
        if rows:
            conn.executemany(sql, rows)


def write_document(conn: sqlite3.Connection, doc: Document, config_hash: str) -> None:
    write_rows(conn, document_rows(doc, config_hash))
