"""Plain text / Markdown reader: encoding detection, one block per line, tab-separated tables.

`Document.text` is the decoded file with newlines normalised to "\\n" (and a BOM dropped), so the
offsets a user sees point into the file as any editor shows it.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..document import Block, Cell, Document, Table
from ..errors import DocumentError, Msg
from .backend import FileBackend

CAPTION_RE = re.compile(r"^\s*(?:[|*#\s]*)(表\s*\d+|Table\s+\d+|图\s*\d+|Fig(?:ure|\.)?\s*\d+)", re.I)
TABLE_CAPTION_RE = re.compile(r"^\s*(?:[|*#\s]*)(表\s*\d+|Table\s+\d+)", re.I)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode text bytes; returns (text, encoding). Never returns mojibake silently.

    Order matters: BOMs are certain; UTF-16 without BOM shows as many NULs; strict UTF-8 rarely
    passes by accident; GB18030 (a superset of GBK/GB2312) is the usual Chinese legacy encoding.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16"), "utf-16"
    if len(data) >= 4 and data.count(b"\x00") > len(data) // 4:
        even_nuls = data[0::2].count(0)
        odd_nuls = data[1::2].count(0)
        enc = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _looks_like_text(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding:
            text, enc = str(best), best.encoding
            # Among single-byte Western code pages the detector's pick is close to a coin toss
            # (naïve → naďve under cp1250); Windows-1252 is by far the most common, so prefer it
            # whenever it decodes the bytes.
            if re.match(r"(cp125\d|latin|iso8859|mac)", enc.lower().replace("-", "").replace("_", "")) \
                    and not best.encoding.lower().endswith("1252"):
                try:
                    text, enc = data.decode("cp1252"), "cp1252"
                except UnicodeDecodeError:
                    pass
            if _looks_like_text(text):
                return text, enc
    except Exception:  # the detector is a last resort; its failure is "undecodable"
        pass
    raise DocumentError(Msg.UNDECODABLE)


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad / len(text) < 0.01


def read_text(path: Path, doc_id: str, sha256: str, data: bytes | None = None, min_table_fields: int = 2) -> Document:
    data = path.read_bytes() if data is None else data
    if not data.strip():
        raise DocumentError(Msg.EMPTY_FILE)
    text, encoding = decode_bytes(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise DocumentError(Msg.NO_TEXT)
    fmt = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    doc = Document(doc_id=doc_id, path=str(path), format=fmt, sha256=sha256, text=text, encoding=encoding)
    doc.blocks, doc.tables = lines_to_blocks(text, min_table_fields)
    return doc


def lines_to_blocks(text: str, min_table_fields: int = 2, page: int | None = None,
                    base: int = 0) -> tuple[list[Block], list[Table]]:
    """One block per non-empty line; runs of tab-separated lines become a Table.

    Table rows are kept as blocks of kind "table" (so their offsets stay visible) but are never
    split into sentences: their numbers are read from the cells.
    """
    blocks: list[Block] = []
    tables: list[Table] = []
    current: Table | None = None
    pos = 0
    for line in text.split("\n"):
        start, end = base + pos, base + pos + len(line)
        pos += len(line) + 1
        if not line.strip():
            continue
        fields = line.split("\t")
        is_row = "\t" in line and sum(1 for f in fields if f.strip()) >= 1 and len(fields) >= min_table_fields
        if is_row:
            if current is None:
                caption = _caption_above(text, blocks, base)
                current = Table(index=len(tables), page=page, caption=caption, start=start)
                tables.append(current)
            row = current.n_rows
            col_pos = start
            for c, field_text in enumerate(fields):
                lead = len(field_text) - len(field_text.lstrip())
                stripped = field_text.strip()
                current.cells.append(Cell(row=row, col=c, text=stripped,
                                          start=col_pos + lead, end=col_pos + lead + len(stripped)))
                col_pos += len(field_text) + 1
            current.end = end
            blocks.append(Block(start=start, end=end, page=page, kind="table"))
            continue
        if current is not None:
            _finish_table(current)
            current = None
        # trim whitespace so block offsets cover the visible line
        lead = len(line) - len(line.lstrip())
        blocks.append(Block(start=start + lead, end=start + len(line.rstrip()), page=page))
    if current is not None:
        _finish_table(current)
    return blocks, tables


def _caption_above(text: str, blocks: list[Block], base: int) -> str:
    # The caption is one of the two lines above (a zh caption may follow an en one: 004's "Table 1." then "表 1.")
    for b in reversed(blocks[-2:]):
        line = text[b.start - base:b.end - base]
        if TABLE_CAPTION_RE.match(line):
            return line.strip().strip("|* ").strip()
    return ""


def _finish_table(table: Table) -> None:
    """Decide header rows/cols: a first row without numbers is a header; leading text columns are row headers."""
    grid = table.grid()
    if not grid:
        return
    numeric = re.compile(r"^[\s><≥≤约~—\-+]*[\d０-９][\d０-９.,，\s%％]*$")
    # a first row of labels or years ("2020", "2021年") is a header row
    first_is_header = all(not numeric.match(x) or re.fullmatch(r"(?:19|20)\d{2}\s*年?", x) for x in grid[0] if x)
    table.header_rows = 1 if first_is_header else 0
    body = grid[table.header_rows:] or grid
    n_cols = len(grid[0])
    hc = 0
    for c in range(n_cols):
        col_vals = [r[c] for r in body if c < len(r) and r[c]]
        if col_vals and not any(numeric.match(v) for v in col_vals):
            hc += 1
        else:
            break
    table.header_cols = hc


class TextBackend(FileBackend):
    """Plain text and Markdown."""

    formats = ("txt", "md")

    def convert(self, doc_id: str, sha256: str) -> Document:
        return read_text(self.path, doc_id, sha256, data=self.data, min_table_fields=self.options.min_table_fields)
