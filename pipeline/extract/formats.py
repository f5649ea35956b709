"""The ONE registry of input formats: suffixes, content sniffing and the backend that reads each.

Everything that needs to know which files litmine reads (the corpus walk, the reader dispatch,
error messages, `--help`) asks this module, so adding a format is one row here plus its backend
(Docling's model: one backend per input format behind an abstract backend, see backend.py).

A format either turns one file into one document (pdf, txt, docx, html) or into many documents,
one per record (jsonl/csv/tsv record files, bibliographic exports).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class InputFormat:
    name: str  # stored in documents.format
    suffixes: tuple[str, ...]  # lower-case, with the dot; "" for formats found only by sniffing
    backend: str  # "module:Class" under pipeline.extract, imported on first use (CLI start-up stays fast)
    records: bool  # one file → many documents
    label: str  # what a user calls it


FORMATS: tuple[InputFormat, ...] = (
    InputFormat("pdf", (".pdf",), "backend:PdfBackend", False, "PDF"),
    InputFormat("txt", (".txt", ".text"), "text:TextBackend", False, "plain text"),
    InputFormat("md", (".md", ".markdown"), "text:TextBackend", False, "Markdown"),
    InputFormat("docx", (".docx",), "docx:DocxBackend", False, "Word"),
    InputFormat("html", (".html", ".htm", ".xhtml"), "html:HtmlBackend", False, "web page"),
    InputFormat("jsonl", (".jsonl", ".ndjson", ".json"), "records:JsonRecords", True, "JSON records"),
    InputFormat("csv", (".csv",), "records:DelimitedRecords", True, "CSV records"),
    InputFormat("tsv", (".tsv", ".tab"), "records:DelimitedRecords", True, "TSV records"),
    InputFormat("ris", (".ris",), "biblio:RisRecords", True, "RIS export"),
    InputFormat("endnote", (".enw",), "biblio:EndNoteRecords", True, "EndNote export"),
    InputFormat("refworks", (), "biblio:RefWorksRecords", True, "RefWorks export"),
    InputFormat("noteexpress", (), "biblio:NoteExpressRecords", True, "NoteExpress export"),
    InputFormat("cnki", (), "biblio:CnkiRecords", True, "CNKI export"),
    InputFormat("wos", (".ciw",), "biblio:WosRecords", True, "Web of Science plain text"),
    InputFormat("wos_tab", (), "biblio:WosTabRecords", True, "Web of Science tab-delimited"),
)
BY_NAME = {f.name: f for f in FORMATS}
BY_SUFFIX = {s: f for f in FORMATS for s in f.suffixes}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(s for f in FORMATS for s in f.suffixes)

# Bibliographic exports are usually saved as .txt (CNKI, Web of Science): the first lines say which.
_SNIFF: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("wos", re.compile(r"\A(?:FN (?:Clarivate|Thomson)[^\n]*\n)?(?:VR [^\n]*\n)?PT [A-Z]\b")),
    ("wos_tab", re.compile(r"\A(?:PT\tAU\t|PT\tAF?\t)")),
    ("ris", re.compile(r"\A(?:[^\n]*\n){0,3}TY  - ")),
    ("endnote", re.compile(r"\A(?:[^\n]*\n){0,3}%0 \S")),
    ("refworks", re.compile(r"\A(?:[^\n]*\n){0,3}RT [A-Za-z]")),
    ("noteexpress", re.compile(r"\A(?:[^\n]*\n){0,3}\{Reference Type\}:")),
    ("cnki", re.compile(r"\A(?:[^\n]*\n){0,3}(?:SrcDatabase-来源库|Title-题名)\s*[:：]")),
)
SNIFF_BYTES = 4096


def sniff(head: str) -> InputFormat | None:
    """A bibliographic export recognised from its first lines (None: not one)."""
    head = head.lstrip("\ufeff").replace("\r\n", "\n").lstrip("\n")
    for name, pattern in _SNIFF:
        if name in BY_NAME and pattern.match(head):
            return BY_NAME[name]
    return None


def detect(path: Path, head: bytes | None = None) -> InputFormat | None:
    """The format of a file: by suffix, then (for .txt/.tsv/unknown text) by its first bytes."""
    path = Path(path)
    fmt = BY_SUFFIX.get(path.suffix.lower())
    if fmt is not None and fmt.name not in ("txt", "tsv"):
        return fmt
    if head is None:
        try:
            with open(path, "rb") as fh:
                head = fh.read(SNIFF_BYTES)
        except OSError:
            return fmt
    text = _decode_head(head)
    if text is not None:
        found = sniff(text)
        if found is not None:
            return found
    return fmt


def _decode_head(head: bytes) -> str | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    cut = head[:head.rfind(b"\n") + 1] or head  # a multi-byte character may be cut at the end
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return cut.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def suffix_list() -> str:
    """For messages: '.pdf .txt …' (each suffix once, in registry order)."""
    return " ".join(SUPPORTED_SUFFIXES)


def backend_class(fmt: InputFormat) -> type:
    import importlib

    module, cls = fmt.backend.split(":")
    return getattr(importlib.import_module(f"pipeline.extract.{module}"), cls)
