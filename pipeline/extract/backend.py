"""Abstract input backends (Docling's model: one backend per input format) and what they share.

- `FileBackend`: one file → one Document (PDF, text, Word, HTML).
- `RecordBackend`: one file → many `Record`s (record files, bibliographic exports); each record
  becomes one Document through `record_document`, with its metadata in Document.title/year/date/
  authors/source and the rest (url, doi, keywords, other columns) in Document.meta.

A backend is built per file with the file's bytes and the `ReadOptions`; it never lets a
library exception escape (DocumentError with a one-line reason instead).
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Iterator

from ..document import Document
from ..errors import DocumentError, Msg

# The metadata roles a record column can fill (README: "Record files").
ROLES = ("text", "title", "year", "date", "authors", "source", "url", "id", "keywords", "doi")


@dataclass(frozen=True)
class ReadOptions:
    """Everything a backend may need, built once from Settings (hashable, picklable)."""

    password: str | None = None
    min_table_fields: int = 2
    # Record files: role → column name chosen by the user; other roles are auto-detected.
    columns: tuple[tuple[str, str], ...] = ()
    traditional: str = "auto"  # auto | off: convert Traditional Chinese to a Simplified processing copy
    models_dir: str = ""  # for data files readers use (models/metadata/)

    @classmethod
    def from_settings(cls, settings: Any) -> "ReadOptions":
        return cls(password=getattr(settings, "password", None),
                   min_table_fields=getattr(settings, "min_table_fields", 2),
                   columns=tuple(getattr(settings, "columns", ()) or ()),
                   traditional=getattr(settings, "traditional", "auto"),
                   models_dir=str(getattr(settings, "models_dir", "") or ""))

    def column(self, role: str) -> str | None:
        return dict(self.columns).get(role)


class DocumentBackend(ABC):
    """A reader for one input format, constructed per file (like Docling's AbstractDocumentBackend)."""

    formats: ClassVar[tuple[str, ...]] = ()  # registry names this backend reads (formats.py)

    def __init__(self, path: Path, data: bytes, options: ReadOptions, fmt: str):
        self.path = Path(path)
        self.data = data
        self.options = options
        self.format = fmt

    @classmethod
    def supported_formats(cls) -> tuple[str, ...]:
        return cls.formats


class FileBackend(DocumentBackend):
    """One file → one Document."""

    @abstractmethod
    def convert(self, doc_id: str, sha256: str) -> Document: ...


class RecordBackend(DocumentBackend):
    """One file → many records. `records()` yields every record, including unusable ones (with
    `Record.problem` set) so that the corpus walk can name each with a reason."""

    @abstractmethod
    def records(self) -> Iterator["Record"]: ...


@dataclass
class Record:
    number: int  # 1-based position in the file (line for JSON lines, row for CSV, entry for exports)
    text: str  # verbatim text of the text field (abstract for bibliographic exports)
    text_field: str = ""
    rec_id: str | None = None
    title: str = ""
    year: int | None = None
    date: str | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # url, doi, keywords, other columns
    problem: str | None = None  # why this record cannot be a document (the walk names it)
    unit: str = "record"  # "line" | "row" | "record": how a user finds it in the file
    positional: bool = False  # set by the walk when the id repeats within the file

    @property
    def key(self) -> str:
        """Locates the record in its file: its id when it has a unique one, else its position."""
        return f"id={self.rec_id}" if self.rec_id and not self.positional else f"{self.unit}{self.number}"

    @property
    def where(self) -> str:
        return f"{self.unit} {self.number}"

    def fingerprint(self) -> str:
        """Hash of the text alone, blind to whitespace and Unicode form: finds the same text twice."""
        return text_fingerprint(self.text)

    def content_hash(self) -> str:
        """Hash of everything that reaches the index (text + metadata): re-process when it changes."""
        blob = json.dumps([self.text, self.text_field, self.rec_id, self.title, self.year, self.date, self.authors,
                           self.source, self.meta], ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def metadata(self) -> dict[str, Any]:
        """The metadata another document may take over (a file duplicating this record, a PDF
        whose title matches it)."""
        out: dict[str, Any] = {k: v for k, v in (("title", self.title), ("year", self.year), ("date", self.date),
                                                  ("authors", self.authors), ("source", self.source)) if v}
        if self.meta:
            out["meta"] = dict(self.meta)
        return out


def text_fingerprint(text: str) -> str:
    norm = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def record_document(record: Record, doc_id: str, locator: str, fmt: str, options: ReadOptions) -> Document:
    """A record as a Document: its text laid out like a text file (one block per line), offsets into
    the record's text field, metadata into the document's fields."""
    from .text import lines_to_blocks

    text = record.text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise DocumentError(Msg.NO_TEXT)
    doc = Document(doc_id=doc_id, path=locator, format=fmt, sha256=record.content_hash(), text=text, encoding=None)
    doc.blocks, doc.tables = lines_to_blocks(text, options.min_table_fields)
    apply_metadata(doc, record.metadata())
    if doc.year is None:  # no year or date column: the title, a dated opening line, the session named
        from .dates import infer_date

        date, year, how = infer_date(doc.title, text, options.models_dir or _default_models())
        if year is not None:
            doc.year, doc.meta["year"], doc.meta["year_from"] = year, year, how
            doc.date = doc.date or date
    doc.meta["record"] = record.key
    if record.text_field:
        doc.meta["text_field"] = record.text_field
    return doc


def apply_metadata(doc: Document, md: dict[str, Any]) -> None:
    """Take over record metadata (title, year, date, authors, source, meta) where given."""
    if md.get("title"):
        doc.title = str(md["title"])
    if md.get("year") is not None:
        doc.year = int(md["year"])
        doc.meta["year"] = doc.year  # the statistics context reads the reference year from meta
    if md.get("date"):
        doc.date = str(md["date"])
        if doc.year is None:
            doc.year = int(doc.date[:4])
            doc.meta["year"] = doc.year
    if md.get("authors"):
        doc.authors = list(md["authors"])
    if md.get("source"):
        doc.source = str(md["source"])
    for k, v in (md.get("meta") or {}).items():
        doc.meta.setdefault(k, v)


def _default_models() -> str:
    from ..resources import MODELS_DIR

    return str(MODELS_DIR)


# ---- metadata values -------------------------------------------------------------------------
_DATE_RE = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?:\s*(?:[-/.年]\s*)(\d{1,2})(?:\s*(?:[-/.月]\s*)(\d{1,2}))?)?(?!\d)")
_MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                             "nov", "dec"))}
_EN_DATE_RE = re.compile(r"\b(?:(\d{1,2})\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*"
                         r"(?:(\d{1,2}),?\s+)?(1[5-9]\d\d|20\d\d)\b", re.I)


def parse_date(value: Any) -> tuple[str | None, int | None]:
    """('YYYY-MM-DD' | 'YYYY-MM' | 'YYYY' | None, year | None) from a date or year value in any
    of the usual spellings (2025, "2025-03-05", "2025/3/5", "2025年3月5日", "Mar 2025", "5 March 2025")."""
    if value is None or value == "":
        return None, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        y = int(value)
        return (str(y), y) if 1500 <= y <= 2099 else (None, None)
    s = unicodedata.normalize("NFKC", str(value)).strip()
    m = _DATE_RE.search(s)
    en = _EN_DATE_RE.search(s)
    if en and (not m or not m.group(2)):
        day = en.group(1) or en.group(3)
        y, mo = int(en.group(4)), _MONTHS[en.group(2).lower()[:3]]
        return (f"{y:04d}-{mo:02d}-{int(day):02d}" if day and 1 <= int(day) <= 31 else f"{y:04d}-{mo:02d}"), y
    if not m:
        return None, None
    y = int(m.group(1))
    mo = int(m.group(2)) if m.group(2) else None
    d = int(m.group(3)) if m.group(3) else None
    if mo is None or not 1 <= mo <= 12:
        return str(y), y
    if d is None or not 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}", y
    return f"{y:04d}-{mo:02d}-{d:02d}", y


_SPLIT_AUTHORS = re.compile(r"\s*(?:;|；|,|，|、|\band\b|\n)\s*")


def split_authors(value: Any) -> list[str]:
    """A list of names from a list or a delimited string ("张三;李四", "A. Smith; B. Jones").

    A single comma in a Western name ("Smith, John") is a surname separator, not a list: commas
    split only when there is no semicolon and more than one comma or no space around names."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    s = str(value).strip()
    if not s:
        return []
    if re.search(r"[;；、\n]", s):
        parts = re.split(r"\s*[;；、\n]\s*", s)
    elif re.search(r"[\u4e00-\u9fff]", s):
        parts = re.split(r"\s*[,，\s]\s*", s)
    elif s.count(",") == 1 and " and " not in s:
        parts = [s]  # "Smith, John"
    else:
        parts = _SPLIT_AUTHORS.split(s)
    return [p.strip() for p in parts if p and p.strip()]


def split_keywords(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [p.strip() for p in re.split(r"\s*[;；,，、\n]\s*", str(value)) if p.strip()]


# ---- PDF ----------------------------------------------------------------------------------------
class PdfBackend(FileBackend):
    """PDF via the pdf package (pypdfium2 text + our layout)."""

    formats = ("pdf",)

    def convert(self, doc_id: str, sha256: str) -> Document:
        from .pdf import read_pdf

        return read_pdf(self.path, doc_id, sha256, password=self.options.password, data=self.data)
