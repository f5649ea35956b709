"""Record files as corpora: JSON lines / JSON arrays, CSV and TSV — one document per record.

Columns are matched to roles (text, title, year, date, authors, source, url, id, keywords, doi) by
name, in English and Chinese (`ALIASES`); any role can be named by the user instead
(`--column text=abstract`, Settings.columns). Without a named or recognised text column the
longest free-text column is taken when its values read like prose (mean ≥ 80 characters);
otherwise the file is rejected with the list of its columns. Columns that fill no role are kept
in Document.meta.
"""
from __future__ import annotations

import csv
import io
import json
import re
import sys
from typing import Any, Iterator

from ..errors import DocumentError, Msg
from ..document import Document
from .backend import ROLES, ReadOptions, Record, RecordBackend, apply_metadata, split_authors, split_keywords
from .dates import infer_date, parse_date
from .text import decode_bytes, lines_to_blocks

# Column names per role, compared case-, space-, underscore- and hyphen-blind; earlier wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "abstract", "body", "fulltext", "full text", "article", "summary", "sentence",
             "description", "正文", "内容", "全文", "摘要", "文本", "内容摘要"),
    "title": ("title", "headline", "article title", "name", "标题", "题名", "篇名", "名称", "题目"),
    "year": ("year", "pub year", "publication year", "py", "年份", "年度", "年", "发表年份", "出版年"),
    "date": ("date", "published", "publish date", "pub date", "publication date", "issued", "datetime", "time",
             "发布日期", "日期", "发布时间", "发表时间", "时间", "成文日期"),
    "authors": ("authors", "author", "creator", "creators", "issuer", "作者", "发文机关", "发布机构", "发文单位"),
    "source": ("source", "journal", "venue", "publisher", "periodical", "site", "来源", "期刊", "刊名", "文献来源",
               "出版物"),
    "url": ("url", "link", "href", "uri", "网址", "链接"),
    "id": ("id", "doc id", "docid", "uid", "record id", "identifier", "编号"),
    "keywords": ("keywords", "keyword", "tags", "关键词", "关键字"),
    "doi": ("doi",),
}
MIN_PROSE_CHARS = 80  # mean length for an unnamed column to count as the text
SAMPLE = 200  # records looked at to find the columns


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(name)).strip().lower()


def match_columns(columns: list[str], sample: list[dict[str, Any]], chosen: dict[str, str]) -> dict[str, str]:
    """role → column. User-chosen columns must exist; the rest by alias; text falls back to the
    longest prose column. Raises DocumentError when there is no text column."""
    by_norm = {_norm(c): c for c in reversed(columns)}  # first spelling wins
    out: dict[str, str] = {}
    for role, name in chosen.items():
        if name not in columns and _norm(name) not in by_norm:
            raise DocumentError(Msg.RECORD_NO_COLUMN.format(role=role, name=name, columns=_list(columns)))
        out[role] = name if name in columns else by_norm[_norm(name)]
    used = set(out.values())
    for role in ROLES:
        if role in out:
            continue
        for alias in ALIASES[role]:
            col = by_norm.get(_norm(alias))
            if col is not None and col not in used:
                out[role] = col
                used.add(col)
                break
    if "text" not in out:
        best, best_len = None, 0.0
        for c in columns:
            if c in used:
                continue
            vals = [v for v in (r.get(c) for r in sample) if isinstance(v, str)]
            if not vals or len(vals) < len(sample) / 2:
                continue
            mean = sum(len(v) for v in vals) / len(sample)
            if mean > best_len:
                best, best_len = c, mean
        if best is None or best_len < MIN_PROSE_CHARS:
            raise DocumentError(Msg.RECORD_NO_TEXT_COLUMN.format(columns=_list(columns)))
        out["text"] = best
    return out


def _list(columns: list[str]) -> str:
    shown = ", ".join(str(c) for c in columns[:12])
    return shown + (", …" if len(columns) > 12 else "")


def make_record(row: dict[str, Any], cols: dict[str, str], number: int, unit: str) -> Record:
    """A Record from one row, given the role → column mapping."""
    def get(role: str) -> Any:
        c = cols.get(role)
        return row.get(c) if c is not None else None

    text = get("text")
    if isinstance(text, list):
        text = "\n".join(str(t) for t in text)
    text = "" if text is None else str(text)
    rec_id = get("id")
    rec_id = str(rec_id).strip() if rec_id not in (None, "") and not isinstance(rec_id, (dict, list)) else None
    title = get("title")
    title = " ".join(str(title).split()) if title not in (None, "") and not isinstance(title, (dict, list)) else ""
    date, year = parse_date(get("date"))
    _, y = parse_date(get("year"))
    year = y if y is not None else year
    authors = split_authors(get("authors"))
    source = get("source")
    source = str(source).strip() if source not in (None, "") and not isinstance(source, (dict, list)) else None
    meta: dict[str, Any] = {}
    if get("url"):
        meta["url"] = str(get("url")).strip()
    if get("doi"):
        meta["doi"] = str(get("doi")).strip()
    if get("keywords"):
        meta["keywords"] = split_keywords(get("keywords"))
    used = set(cols.values())
    for k, v in row.items():
        if k not in used and v not in (None, "", [], {}):
            meta[str(k)] = v
    rec = Record(number=number, text=text, text_field=cols["text"], rec_id=rec_id, title=title, year=year, date=date,
                 authors=authors, source=source, meta=meta, unit=unit)
    if not any(ch.isalnum() for ch in text):  # "", "-", "N/A"-like placeholders: no text to mine
        rec.problem = Msg.RECORD_EMPTY.format(column=cols["text"])
    return rec


class JsonRecords(RecordBackend):
    """JSON lines (one object a line) or a JSON array of objects (or {"data": [...]})."""

    formats = ("jsonl",)

    def _rows(self) -> Iterator[tuple[int, Any, str | None]]:
        self.unit = "record"
        text, _ = decode_bytes(self.data)
        stripped = text.lstrip()
        if stripped.startswith("["):  # a JSON array: the whole file is one value
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise DocumentError(Msg.RECORD_BAD_JSON.format(where=f"line {exc.lineno}", detail=exc.msg)) from None
            for i, row in enumerate(_array_of_records(value), 1):
                yield i, row, None
            return
        if stripped.startswith("{") and "\n" in stripped.rstrip():
            try:  # a pretty-printed object holding the records ({"data": [...]})
                value = json.loads(text)
                rows = _array_of_records(value)
                for i, row in enumerate(rows, 1):
                    yield i, row, None
                return
            except json.JSONDecodeError:
                pass  # JSON lines
        self.unit = "line"
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line), None
            except json.JSONDecodeError as exc:
                yield n, None, Msg.RECORD_BAD_JSON.format(where=f"line {n}", detail=exc.msg)

    def records(self) -> Iterator[Record]:
        rows = list(self._rows())
        unit = self.unit
        good = [r for _, r, err in rows if err is None and isinstance(r, dict)]
        if not good:
            if rows and rows[0][2]:
                raise DocumentError(rows[0][2])
            raise DocumentError(Msg.RECORD_NONE)
        columns: list[str] = []
        for r in good[:SAMPLE]:
            columns += [k for k in r if k not in columns]
        cols = match_columns(columns, good[:SAMPLE], dict(self.options.columns))
        for n, row, err in rows:
            if err is not None:
                yield Record(number=n, text="", problem=err, unit=unit)
            elif not isinstance(row, dict):
                yield Record(number=n, text="", problem=Msg.RECORD_NOT_OBJECT, unit=unit)
            else:
                yield make_record(row, cols, n, unit)


def _array_of_records(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        lists = [v for v in value.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if len(lists) == 1:
            return lists[0]
        return [value]
    raise DocumentError(Msg.RECORD_NONE)


class DelimitedRecords(RecordBackend):
    """CSV / TSV with a header row (a first row of long values is data: columns are then numbered)."""

    formats = ("csv", "tsv")

    def records(self) -> Iterator[Record]:
        text, _ = decode_bytes(self.data)
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # abstracts and reports exceed the 128 KB default
        first = text.split("\n", 1)[0]
        if self.format == "tsv" or ("\t" in first and first.count("\t") >= first.count(",")):
            delim = "\t"
        else:
            counts = {d: first.count(d) for d in (",", ";", "|")}
            delim = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        try:
            rows = list(reader)
        except csv.Error as exc:
            raise DocumentError(Msg.RECORD_BAD_CSV.format(detail=str(exc)[:80])) from None
        rows = [r for r in rows if any(c.strip() for c in r)]
        if not rows:
            raise DocumentError(Msg.RECORD_NONE)
        header = [c.strip().lstrip("\ufeff") for c in rows[0]]
        has_header = all(len(c) <= 40 for c in header) and len(set(header)) == len(header) and all(header)
        if has_header:
            columns, body, first_row = header, rows[1:], 2
        else:
            columns = [f"column {i}" for i in range(1, max(len(r) for r in rows) + 1)]
            body, first_row = rows, 1
        dicts = [dict(zip(columns, r)) for r in body]
        cols = match_columns(columns, dicts[:SAMPLE], dict(self.options.columns))
        for i, row in enumerate(dicts):
            yield make_record(row, cols, first_row + i, "row")


def _default_models() -> str:
    from ..paths import DEFAULT_MODELS

    return str(DEFAULT_MODELS)


def record_document(record: Record, doc_id: str, locator: str, fmt: str, options: ReadOptions) -> Document:
    """A record as a Document: its text laid out like a text file (one block per line), offsets into
    the record's text field, metadata into the document's fields."""
    text = record.text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise DocumentError(Msg.NO_TEXT)
    doc = Document(doc_id=doc_id, path=locator, format=fmt, sha256=record.content_hash(), text=text, encoding=None)
    doc.blocks, doc.tables = lines_to_blocks(text, options.min_table_fields)
    apply_metadata(doc, record.metadata())
    if doc.year is None:  # no year or date column: the title, a dated opening line, the session named
        date, year, how = infer_date(doc.title, text, options.models_dir or _default_models())
        if year is not None:
            doc.year, doc.meta["year"], doc.meta["year_from"] = year, year, how
            doc.date = doc.date or date
    doc.meta["record"] = record.key
    if record.text_field:
        doc.meta["text_field"] = record.text_field
    return doc
