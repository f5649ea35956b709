"""Export: one table per entity, the same columns in every format (shared/gold/FORMAT.md contract).

CSV is UTF-8 with BOM (Excel shows Chinese); XLSX has one sheet per table, frozen header and
autofilter; JSONL keeps lists/objects as JSON; Parquet via pyarrow. Rows are ordered by stable
keys and files carry no timestamps, so identical input gives byte-identical exports.
"""
from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path
from typing import Any, Iterable

from ..errors import LitmineError, Msg

FORMATS = ("csv", "xlsx", "jsonl", "parquet")
LIST_COLUMNS = {"secondary", "parts", "flags", "terms", "authors"}
OBJECT_COLUMNS = {"evidence"}

# table -> (SQL, columns). Contract columns first; extra columns after them.
TABLES: dict[str, tuple[str, list[str]]] = {
    "documents": ("SELECT doc_id, path, format, sha256, title, lang, pages, status, error, year, date, authors, source,"
                  " encoding, n_sentences"
                  " FROM documents ORDER BY doc_id", []),
    "sentences": ('SELECT sentence_id, doc_id, page, start, "end", section, lang, kind, text, section_path'
                  " FROM sentences ORDER BY doc_id, idx", []),
    "references": ('SELECT ref_id, doc_id, page, start, "end", text FROM refs ORDER BY doc_id, idx', []),
    "claims": ('SELECT c.claim_id, c.sentence_id, c.doc_id, s.page, s.start, s."end", s.section, s.lang, s.text,'
               " c.label, c.secondary, c.confidence, c.evidence, st.topic_id, c.producer, c.corrected"
               " FROM claims c JOIN sentences s ON s.sentence_id = c.sentence_id"
               " LEFT JOIN sentence_topics st ON st.sentence_id = c.sentence_id ORDER BY c.doc_id, s.idx", []),
    "statistics": ('SELECT stat_id, doc_id, source, sentence_id, cell_id, page, span, start, "end", value, parts,'
                   " unit, counter, approx, direction, modality, year, year_start, subject, metric, flags,"
                   " subject_text, producer FROM statistics ORDER BY doc_id, source DESC, start, stat_id", []),
    "table_cells": ("SELECT c.cell_id, c.doc_id, c.table_id, t.caption, c.page, c.row, c.col, c.row_header,"
                    ' c.col_header, c.text, c.start, c."end" FROM cells c JOIN tables t ON t.table_id = c.table_id'
                    " ORDER BY c.doc_id, t.idx, c.row, c.col", []),
    "links": ("SELECT link_id, relation, source_id, target_id, source_doc, target_doc, score, conflict, evidence,"
              " producer FROM links ORDER BY relation, source_id, target_id", []),
    "topics": ("SELECT topic_id, lang, label, terms, prevalence, engine FROM topics ORDER BY lang, topic_id", []),
    "document_topics": ("SELECT doc_id, topic_id, weight FROM document_topics ORDER BY doc_id, topic_id", []),
    "errors": ("SELECT doc_id, path, stage, message FROM errors ORDER BY doc_id, stage, message", []),
}


def read_table(conn: sqlite3.Connection, name: str) -> tuple[list[str], list[dict[str, Any]]]:
    sql, _ = TABLES[name]
    cur = conn.execute(sql)
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
        rows.append(row)
    return cols, rows


def _flat(value: Any, col: str) -> Any:
    """Cell value for CSV/XLSX: lists `;`-joined, objects as JSON."""
    if isinstance(value, list):
        return ";".join(_term_str(v) for v in value)
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
    targets = [out_dir / "litmine.xlsx"] if fmt == "xlsx" else [out_dir / f"{n}.{fmt}" for n in names]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise LitmineError(Msg.OUT_EXISTS.format(path=existing[0]))
    out_dir.mkdir(parents=True, exist_ok=True)
    data = {n: read_table(conn, n) for n in names}
    written: list[Path] = []
    if fmt == "jsonl":
        for n, (_cols, rows) in data.items():
            p = out_dir / f"{n}.jsonl"
            with open(p, "w", encoding="utf-8", newline="\n") as fh:
                for r in rows:
                    fh.write(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n")
            written.append(p)
    elif fmt == "csv":
        for n, (cols, rows) in data.items():
            p = out_dir / f"{n}.csv"
            with open(p, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(cols)
                for r in rows:
                    w.writerow(["" if r[c] is None else _flat(r[c], c) for c in cols])
            written.append(p)
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        for n, (cols, rows) in data.items():
            p = out_dir / f"{n}.parquet"
            arrays = {}
            for c in cols:
                vals = [r[c] for r in rows]
                if c in OBJECT_COLUMNS:
                    vals = [json.dumps(v, ensure_ascii=False, sort_keys=True) for v in vals]
                elif c in LIST_COLUMNS:
                    vals = [[_term_str(x) for x in v] if isinstance(v, list) else [] for v in vals]
                arrays[c] = vals
            table = pa.table(arrays) if rows else pa.table({c: pa.array([], pa.string()) for c in cols})
            pq.write_table(table, p)
            written.append(p)
    else:
        written.append(_write_xlsx(out_dir / "litmine.xlsx", data))
    if fmt != "xlsx" and "links" in names and data["links"][1]:
        from .graph import write_graphml

        written.append(write_graphml(conn, out_dir / "links.graphml", force=True))
    return written


def _write_xlsx(path: Path, data: dict[str, tuple[list[str], list[dict[str, Any]]]]) -> Path:
    import datetime

    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    fixed = datetime.datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    for n, (cols, rows) in data.items():
        ws = wb.create_sheet(n[:31])
        ws.append(cols)
        for r in rows:
            ws.append([_xlsx_safe(_flat(r[c], c)) for c in cols])
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(cols)))}{max(1, len(rows) + 1)}"
        for i, c in enumerate(cols, 1):
            ws.column_dimensions[get_column_letter(i)].width = 60 if c in ("text", "evidence", "caption") else 16
    buf = io.BytesIO()
    wb.save(buf)
    _rezip_deterministic(buf.getvalue(), path)
    return path


def _xlsx_safe(v: Any) -> Any:
    if isinstance(v, str):
        # control characters are illegal in XLSX cells
        return "".join(ch for ch in v if ch in "\t\n" or ord(ch) >= 32)
    return v


def _rezip_deterministic(blob: bytes, path: Path) -> None:
    """openpyxl stamps the zip entries with the current time; fix them so exports are reproducible."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps "modified" at save time whatever the workbook says
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>2000-01-01T00:00:00Z\g<2>",
                              data)
            dst.writestr(zi, data)
