"""Readers (text, docx, pdf) and structure detection. `read_document` dispatches on the file type."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..document import Document
from ..errors import DocumentError, Msg


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(path: Path, *, password: str | None = None, min_table_fields: int = 2,
                  doc_id: str | None = None) -> Document:
    """Read one file into a Document (text, pages, blocks, tables). Raises DocumentError with a
    one-line reason for anything unreadable; never lets a library exception escape."""
    path = Path(path)
    doc_id = doc_id or path.stem
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(Msg.CANNOT_READ.format(detail=exc.strerror or exc)) from None
    digest = sha256_bytes(data)
    suffix = path.suffix.lower()
    if len(data) == 0:
        raise DocumentError(Msg.EMPTY_FILE)
    if suffix == ".pdf":
        from .pdf import read_pdf

        return read_pdf(path, doc_id, digest, password=password, data=data)
    if suffix in (".txt", ".md", ".markdown", ".text"):
        from .text import read_text

        return read_text(path, doc_id, digest, data=data, min_table_fields=min_table_fields)
    if suffix == ".docx":
        from .docx import read_docx

        return read_docx(path, doc_id, digest, min_table_fields=min_table_fields)
    raise DocumentError(Msg.UNKNOWN_FORMAT.format(ext=suffix or "(none)"))
