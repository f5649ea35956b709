"""Export: one table per entity, the same columns in every format (shared/gold/FORMAT.md contract,
contract columns first, then columns for readers: document title and year, the context sentence,
the text of linked items).

CSV is UTF-8 with BOM (Excel shows Chinese); XLSX is the findings workbook (workbook.py); JSONL
keeps lists/objects as JSON; Parquet via pyarrow with integer years and offsets. In the flat
formats (CSV, XLSX) a claim's `evidence` is one readable line and the full record is the
`evidence` table, so claims.csv stays small. Rows are ordered by stable keys and files carry no
timestamps: identical input gives byte-identical exports. Every format also writes the links graph
(links.graphml, links.gexf) when there are links.
"""
from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any, Iterable

from ..errors import LitmineError, Msg

FORMATS = ("csv", "xlsx", "jsonl", "parquet")
LIST_COLUMNS = {"secondary", "parts", "flags", "terms", "authors", "cues"}
OBJECT_COLUMNS = {"evidence"}
INT_COLUMNS = {"page", "start", "end", "pages", "n_sentences", "year", "year_start", "base_year", "doc_year", "row",
               "col", "corrected", "source_year", "target_year"}
FLOAT_COLUMNS = {"value", "value_max", "confidence", "score", "prevalence", "weight", "model_score"}
BOOL_COLUMNS = {"conflict"}
LINKED_PER_ITEM = 5  # linked items quoted per claim/statistic (the strongest first)

# table -> SQL. Contract columns first (FORMAT.md); extra columns after them.
TABLES: dict[str, str] = {
    "documents": "SELECT doc_id, path, format, sha256, title, lang, pages, status, error, year, date, authors, source,"
                 " encoding, n_sentences FROM documents ORDER BY doc_id",
    "sentences": 'SELECT sentence_id, doc_id, page, start, "end", section, lang, kind, text, section_path, role'
                 " FROM sentences ORDER BY doc_id, idx",
    "references": 'SELECT ref_id, doc_id, page, start, "end", text FROM refs ORDER BY doc_id, idx',
    "claims": 'SELECT c.claim_id, c.sentence_id, c.doc_id, s.page, s.start, s."end", s.section, s.lang, s.text,'
              " c.label, c.secondary, c.confidence, c.evidence, st.topic_id, c.producer, c.corrected,"
              " d.title, d.year, s.role, '' AS linked"
              " FROM claims c JOIN sentences s ON s.sentence_id = c.sentence_id"
              " LEFT JOIN documents d ON d.doc_id = c.doc_id"
              " LEFT JOIN sentence_topics st ON st.sentence_id = c.sentence_id ORDER BY c.doc_id, s.idx",
    "statistics": 'SELECT st.stat_id, st.doc_id, st.source, st.sentence_id, st.cell_id, st.page, st.span, st.start,'
                  ' st."end", st.value, st.value_max, st.parts, st.unit, st.counter, st.approx, st.direction,'
                  " st.modality, st.year, st.year_start, st.base_year, st.subject, st.metric, st.flags,"
                  " st.subject_text, st.producer, d.title, d.year AS doc_year, s.section,"
                  " COALESCE(s.text, t.caption || ' | ' || c.row_header || ' × ' || c.col_header || ': ' || c.text)"
                  " AS context, '' AS linked"
                  " FROM statistics st LEFT JOIN documents d ON d.doc_id = st.doc_id"
                  " LEFT JOIN sentences s ON s.sentence_id = st.sentence_id LEFT JOIN cells c ON c.cell_id = st.cell_id"
                  " LEFT JOIN tables t ON t.table_id = c.table_id"
                  " ORDER BY st.doc_id, st.source DESC, st.start, st.stat_id",
    "table_cells": "SELECT c.cell_id, c.doc_id, c.table_id, t.caption, c.page, c.row, c.col, c.row_header,"
                   ' c.col_header, c.text, c.start, c."end" FROM cells c JOIN tables t ON t.table_id = c.table_id'
                   " ORDER BY c.doc_id, t.idx, c.row, c.col",
    "links": "SELECT l.link_id, l.relation, l.source_id, l.target_id, l.source_doc, l.target_doc, l.score, l.conflict,"
             " l.evidence, l.producer, '' AS source_text, '' AS target_text, a.title AS source_title,"
             " a.year AS source_year, b.title AS target_title, b.year AS target_year FROM links l"
             " LEFT JOIN documents a ON a.doc_id = l.source_doc LEFT JOIN documents b ON b.doc_id = l.target_doc"
             " ORDER BY l.relation, l.source_id, l.target_id",
    "topics": "SELECT topic_id, lang, label, terms, prevalence, engine FROM topics ORDER BY lang, topic_id",
    "document_topics": "SELECT doc_id, topic_id, weight FROM document_topics ORDER BY doc_id, topic_id",
    "errors": "SELECT doc_id, path, stage, message FROM errors ORDER BY doc_id, stage, message",
    "evidence": "SELECT c.claim_id, c.doc_id, c.label, c.evidence FROM claims c JOIN sentences s"
                " ON s.sentence_id = c.sentence_id ORDER BY c.doc_id, s.idx",
}


def read_table(conn: sqlite3.Connection, name: str, texts: dict[str, str] | None = None,
               linked: dict[str, list[tuple[str, str]]] | None = None) -> tuple[list[str], list[dict[str, Any]]]:
    cur = conn.execute(TABLES[name])
    cols = [d[0] for d in cur.description]
    rows = []
    for r in cur.fetchall():
        row = dict(zip(cols, r))
        for c in cols:
            if c in LIST_COLUMNS or c in OBJECT_COLUMNS:
                v = row[c]
                try:
                    row[c] = json.loads(v) if isinstance(v, str) and v else ([] if c in LIST_COLUMNS else {})
                except json.JSONDecodeError:
                    row[c] = v
        if "conflict" in row and row["conflict"] is not None:
            row["conflict"] = bool(row["conflict"])
        if name == "evidence":
            _evidence_columns(row)
        if texts is not None and name == "links":
            row["source_text"] = texts.get(row["source_id"], "")
            row["target_text"] = texts.get(row["target_id"], "")
        if linked is not None and "linked" in row:
            own = row.get("claim_id") or row.get("stat_id") or ""
            row["linked"] = [f"{rel}: {text}" for rel, text in linked.get(own, [])]
        rows.append(row)
    if name == "evidence":
        cols = ["claim_id", "doc_id", "label", "rule", "decided_by", "cues", "heading", "model_label", "model_score",
                "evidence"]
    return cols, rows


def _evidence_columns(row: dict[str, Any]) -> None:
    ev = row["evidence"] if isinstance(row["evidence"], dict) else {}
    row["rule"] = ev.get("rule", "")
    row["decided_by"] = ev.get("decided_by", "")
    row["cues"] = [c.get("cue", "") for c in ev.get("cues", []) if isinstance(c, dict)]
    row["heading"] = ev.get("heading", "")
    row["model_label"] = ev.get("model_label", "")
    row["model_score"] = ev.get("model_score")


def evidence_summary(ev: Any) -> str:
    """A claim's evidence as one line a reader scans: rule, heading class, cue words, model."""
    if not isinstance(ev, dict):
        return "" if ev is None else str(ev)
    parts = [f"rule={ev['rule']}"] if ev.get("rule") else []
    if ev.get("heading_class"):
        parts.append(f"heading={ev['heading_class']}")
    cues = [c.get("cue", "") for c in ev.get("cues", []) if isinstance(c, dict)]
    if cues:
        parts.append("cues: " + "、".join(cues[:6]))
    if ev.get("model_label"):
        score = ev.get("model_score")
        parts.append(f"model={ev['model_label']}" + (f" {score:.2f}" if isinstance(score, (int, float)) else ""))
    return "; ".join(parts)


def item_texts(conn: sqlite3.Connection) -> dict[str, str]:
    """claim_id / stat_id -> the text a reader recognises it by (for the ends of links)."""
    ids = {r[0] for r in conn.execute("SELECT source_id FROM links UNION SELECT target_id FROM links")}
    out: dict[str, str] = {}
    if not ids:
        return out
    for cid, text in conn.execute("SELECT c.claim_id, s.text FROM claims c JOIN sentences s"
                                  " ON s.sentence_id = c.sentence_id"):
        if cid in ids:
            out[cid] = text or ""
    for sid, span, metric, subject, year in conn.execute("SELECT stat_id, span, metric, subject, year FROM statistics"):
        if sid in ids:
            out[sid] = " ".join(str(x) for x in (span, metric, subject, year) if x)
    return out


def linked_items(conn: sqlite3.Connection, texts: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """item id -> [(relation, text of the other end)], strongest first, at most LINKED_PER_ITEM."""
    out: dict[str, list[tuple[str, str]]] = {}
    for rel, a, b in conn.execute("SELECT relation, source_id, target_id FROM links ORDER BY score DESC, link_id"):
        for own, other in ((a, b), (b, a)):
            got = out.setdefault(own, [])
            if len(got) < LINKED_PER_ITEM:
                got.append((rel, texts.get(other, other)))
    return out


def _flat(value: Any, col: str, table: str = "") -> Any:
    """Cell value for CSV/XLSX: lists `;`-joined, a claim's evidence as one line, objects as JSON."""
    if col == "evidence" and table == "claims":
        return evidence_summary(value)
    if isinstance(value, list):
        sep = " | " if col == "linked" else ";"
        return sep.join(_term_str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _term_str(v: Any) -> str:
    if isinstance(v, (list, tuple)) and len(v) == 2:
        return f"{v[0]}:{v[1]}"
    return str(v)


def export(conn: sqlite3.Connection, out_dir: Path, fmt: str, *, force: bool = False,
           tables: Iterable[str] | None = None) -> list[Path]:
    """Python twin of `litmine export`. Returns the files written."""
    if fmt not in FORMATS:
        raise LitmineError(Msg.BAD_FORMAT.format(value=fmt, choices=", ".join(FORMATS)))
    names = list(tables or TABLES)
    out_dir = Path(out_dir)
    has_links = conn.execute("SELECT 1 FROM links LIMIT 1").fetchone() is not None
    targets = [out_dir / "litmine.xlsx"] if fmt == "xlsx" else [out_dir / f"{n}.{fmt}" for n in names]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise LitmineError(Msg.OUT_EXISTS.format(path=existing[0]))
    out_dir.mkdir(parents=True, exist_ok=True)
    texts = item_texts(conn)
    linked = linked_items(conn, texts)
    data = {n: read_table(conn, n, texts, linked) for n in names}
    written: list[Path] = []
    if fmt == "jsonl":
        for n, (cols, rows) in data.items():
            p = out_dir / f"{n}.jsonl"
            with open(p, "w", encoding="utf-8", newline="\n") as fh:
                for r in rows:
                    fh.write(json.dumps({c: r[c] for c in cols}, ensure_ascii=False) + "\n")
            written.append(p)
    elif fmt == "csv":
        for n, (cols, rows) in data.items():
            p = out_dir / f"{n}.csv"
            with open(p, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(cols)
                for r in rows:
                    w.writerow(["" if r[c] is None else _flat(r[c], c, n) for c in cols])
            written.append(p)
    elif fmt == "parquet":
        written += [_write_parquet(out_dir / f"{n}.parquet", cols, rows) for n, (cols, rows) in data.items()]
    else:
        from .workbook import write_workbook

        written.append(write_workbook(out_dir / "litmine.xlsx", data, _flat))
    if "links" in names and has_links:
        from .graph import write_links

        written += write_links(conn, out_dir, force=True)
    return written


def _write_parquet(path: Path, cols: list[str], rows: list[dict[str, Any]]) -> Path:
    """Explicit column types: a year is an integer even when every value of a column is empty."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays = {}
    for c in cols:
        vals = [r[c] for r in rows]
        if c in OBJECT_COLUMNS:
            arrays[c] = pa.array([json.dumps(v, ensure_ascii=False, sort_keys=True) for v in vals], pa.string())
        elif c in LIST_COLUMNS or c == "linked":
            arrays[c] = pa.array([[_term_str(x) for x in v] if isinstance(v, list) else [] for v in vals],
                                 pa.list_(pa.string()))
        elif c in INT_COLUMNS:
            arrays[c] = pa.array([None if v is None or v == "" else int(v) for v in vals], pa.int64())
        elif c in FLOAT_COLUMNS:
            arrays[c] = pa.array([None if v is None or v == "" else float(v) for v in vals], pa.float64())
        elif c in BOOL_COLUMNS:
            arrays[c] = pa.array([None if v is None else bool(v) for v in vals], pa.bool_())
        else:
            arrays[c] = pa.array([None if v is None else str(v) for v in vals], pa.string())
    pq.write_table(pa.table(arrays), path)
    return path
