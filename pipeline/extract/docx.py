"""Word (.docx) reader: paragraphs and tables in document order, via python-docx.

The document is laid out as text the same way a text file is (one paragraph a line, a table as
tab-separated lines after its caption), so structure detection and offsets work identically;
paragraph styles ("Heading 2", "Title") are passed on as hints.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..document import Document
from ..errors import DocumentError, Msg
from .backend import FileBackend
from .text import lines_to_blocks


def read_docx(path: Path, doc_id: str, sha256: str, min_table_fields: int = 2) -> Document:
    if path.stat().st_size == 0:
        raise DocumentError(Msg.EMPTY_FILE)
    try:
        import docx  # python-docx
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph

        d = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(Msg.DOCX_CORRUPT.format(detail=type(exc).__name__)) from None
    except Exception as exc:  # python-docx raises assorted lxml/opc errors on broken packages
        raise DocumentError(Msg.DOCX_CORRUPT.format(detail=str(exc).splitlines()[0][:80])) from None

    lines: list[str] = []
    styles: list[str] = []
    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, d)
            for part in para.text.split("\n"):
                lines.append(part.replace("\t", " "))
                styles.append(para.style.name if para.style is not None else "")
        elif tag == "tbl":
            for row in DocxTable(child, d).rows:
                cells = [c.text.replace("\t", " ").replace("\n", " ").strip() for c in row.cells]
                if len(cells) == 1:
                    cells.append("")  # a one-column table still reads as a table row
                lines.append("\t".join(cells))
                styles.append("table")
    text = "\n".join(lines)
    if not text.strip():
        raise DocumentError(Msg.NO_TEXT)
    doc = Document(doc_id=doc_id, path=str(path), format="docx", sha256=sha256, text=text, encoding=None)
    doc.blocks, doc.tables = lines_to_blocks(text, min_table_fields)
    # line start offset -> style, so blocks get their paragraph style as a hint
    starts, pos = {}, 0
    for line, style in zip(lines, styles):
        starts[pos] = style
        pos += len(line) + 1
    for b in doc.blocks:
        line_start = text.rfind("\n", 0, b.start) + 1
        style = starts.get(line_start, "")
        if style.lower().startswith(("heading", "title")):
            b.hints["style"] = style
    return doc


class DocxBackend(FileBackend):
    """Word .docx."""

    formats = ("docx",)

    def convert(self, doc_id: str, sha256: str) -> Document:
        return read_docx(self.path, doc_id, sha256, min_table_fields=self.options.min_table_fields)
