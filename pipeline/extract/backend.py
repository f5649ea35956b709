"""Abstract input backends (Docling's model: one backend per input format) and what they share.

- `FileBackend`: one file → one Document (PDF, text, Word, HTML).
- `RecordBackend`: one file → many `Record`s (record files, bibliographic exports); each record
  becomes one Document through `records.record_document`, with its metadata in Document.title/year/date/
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
from .ocr.options import OcrOptions

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
    ocr: OcrOptions = field(default_factory=OcrOptions)  # PDF pages without a usable text layer

    @classmethod
    def from_settings(cls, settings: Any) -> "ReadOptions":
        return cls(password=getattr(settings, "password", None),
                   min_table_fields=getattr(settings, "min_table_fields", 2),
                   columns=tuple(getattr(settings, "columns", ()) or ()),
                   traditional=getattr(settings, "traditional", "auto"),
                   models_dir=str(getattr(settings, "models_dir", "") or ""),
                   ocr=OcrOptions.coerce(getattr(settings, "ocr", None)))

    def column(self, role: str) -> str | None:
        return dict(self.columns).get(role)


class DocumentBackend(ABC):  # noqa: B024  (shared constructor; the abstract methods are on its two kinds)
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


# ---- metadata values -------------------------------------------------------------------------
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

        return read_pdf(self.path, doc_id, sha256, password=self.options.password, data=self.data,
                        ocr=self.options.ocr, models_dir=self.options.models_dir)
