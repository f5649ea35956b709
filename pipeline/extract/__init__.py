"""Readers and structure detection.

`read_source` reads one Source of the corpus walk (sources.py) with the backend the format
registry (formats.py) names; `read_document` does the same for a path or a record locator
(`file.jsonl#id=…`, as stored in documents.path).
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from ..document import Document
from ..errors import DocumentError, Msg
from .backend import ReadOptions, apply_metadata
from .records import record_document
from .formats import backend_class, detect, suffix_list

if TYPE_CHECKING:
    from .sources import Source


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_source(source: "Source", options: ReadOptions | None = None) -> Document:
    """Read one document of the corpus (a file or one record of a file). Raises DocumentError with
    a one-line reason for anything unreadable; never lets a library exception escape."""
    options = options or ReadOptions()
    if source.record is not None:
        doc = record_document(source.record, source.doc_id, source.locator, source.format, options)
    else:
        doc = _read_file(Path(source.path), source.doc_id, options)
        if source.metadata:
            apply_metadata(doc, source.metadata)
        elif source.candidates:
            from .sources import match_reference

            md = match_reference(doc.text, source.candidates)
            if md:
                apply_metadata(doc, md)
    return _finish(doc, options)


def read_document(path: Path | str, *, password: str | None = None, min_table_fields: int = 2,
                  doc_id: str | None = None, options: ReadOptions | None = None) -> Document:
    """Read one file, or one record given as `file#key`, into a Document."""
    options = options or ReadOptions(password=password, min_table_fields=min_table_fields)
    path = Path(path)
    if not path.exists() and "#" in str(path):
        from .sources import find_record

        loc = str(path)  # file#key, where the key may hold "/" (a DOI) or "#"
        cut = next((i for i in range(len(loc)) if loc[i] == "#" and Path(loc[:i]).is_file()), loc.rfind("#"))
        file, key = Path(loc[:cut]), loc[cut + 1:]
        fmt = detect(file)
        record = find_record(file, key, options)
        doc = record_document(record, doc_id or f"{file.stem}#{key}", str(path), fmt.name if fmt else "", options)
        return _finish(doc, options)
    return _finish(_read_file(path, doc_id or path.stem, options), options)


def _read_file(path: Path, doc_id: str, options: ReadOptions) -> Document:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(Msg.CANNOT_READ.format(detail=exc.strerror or exc)) from None
    if len(data) == 0:
        raise DocumentError(Msg.EMPTY_FILE)
    fmt = detect(path, data[:4096])
    if fmt is None:
        raise DocumentError(Msg.UNKNOWN_FORMAT.format(ext=path.suffix.lower() or "(none)", supported=suffix_list()))
    if fmt.records:
        # a record file read as one document: its first usable record (the walk reads them all)
        from .sources import read_records

        for rec in read_records(path, fmt, options, data=data):
            if not rec.problem:
                return record_document(rec, doc_id, f"{path}#{rec.key}", fmt.name, options)
        raise DocumentError(Msg.RECORD_NONE)
    backend = backend_class(fmt)(path, data, options, fmt.name)
    doc = backend.convert(doc_id, sha256_bytes(data))
    return doc


def _finish(doc: Document, options: ReadOptions) -> Document:
    """Steps every format shares after reading: a Simplified processing copy of Traditional text."""
    if options.traditional != "off":
        from .chinese import simplify_document

        simplify_document(doc)
    return doc
