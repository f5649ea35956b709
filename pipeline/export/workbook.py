"""The findings workbook (`litmine export --format xlsx` → litmine.xlsx) for Excel users: a guide
sheet explaining every column in Chinese and English, then one sheet per table (the contract's
names) with bold, larger, wrapped headers, widths fitted to the content, long text wrapped, frozen
header and filters; a claim's full evidence on its own sheet.

Strings starting with = + - @ are written as text with Excel's quote prefix: a sentence that
happens to start with "=" or "-" is never run as a formula (CSV/formula injection)."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any, Callable

from .columns import COLUMNS, TABLES

SHEET_ORDER = ("documents", "claims", "statistics", "links", "evidence", "topics", "document_topics", "sentences",
               "references", "table_cells", "errors")
WIDE = {"text", "context", "linked", "evidence", "caption", "message", "source_text", "target_text", "title",
        "section", "terms", "source_title", "target_title", "path", "subject_text", "heading", "section_path"}
FORMULA_START = ("=", "+", "-", "@")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters are illegal in XLSX cells


def write_workbook(path: Path, data: dict[str, tuple[list[str], list[dict[str, Any]]]],
                   flat: Callable[[Any, str, str], Any]) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    head_font = Font(bold=True, size=12)
    head_fill = PatternFill("solid", fgColor="DCE6F1")
    head_align = Alignment(wrap_text=True, vertical="center")
    wrap = Alignment(wrap_text=True, vertical="top")

    def header(ws: Any, cols: list[str]) -> None:
        cells = []
        for c in cols:
            cell = WriteOnlyCell(ws, value=c)
            cell.font, cell.fill, cell.alignment = head_font, head_fill, head_align
            cells.append(cell)
        ws.row_dimensions[1].height = 22
        ws.append(cells)

    # the guide: every column of every sheet, both languages
    guide = wb.create_sheet("guide")
    guide_cols = ["sheet", "column", "说明", "description"]
    for i, w in enumerate((16, 18, 48, 60), 1):
        guide.column_dimensions[get_column_letter(i)].width = w
    guide.freeze_panes = "A2"
    header(guide, guide_cols)
    names = [n for n in SHEET_ORDER if n in data] + [n for n in data if n not in SHEET_ORDER]
    for n in names:
        zh, en = TABLES.get(n, ("", ""))
        guide.append([_cell(guide, n, wrap), _cell(guide, "(sheet)", wrap), _cell(guide, zh, wrap),
                      _cell(guide, en, wrap)])
        for c in data[n][0]:
            czh, cen = COLUMNS.get(c, ("", ""))
            guide.append([n, c, _cell(guide, czh, wrap), _cell(guide, cen, wrap)])

    for n in names:
        cols, rows = data[n]
        ws = wb.create_sheet(n[:31])
        values = [[_clean(flat(r[c], c, n)) if r[c] is not None else None for c in cols] for r in rows]
        for i, c in enumerate(cols, 1):
            ws.column_dimensions[get_column_letter(i)].width = _width(c, [v[i - 1] for v in values[:400]])
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(cols)))}{max(1, len(rows) + 1)}"
        header(ws, cols)
        wide = [c in WIDE for c in cols]
        for vals in values:
            ws.append([_cell(ws, v, wrap if w else None) for v, w in zip(vals, wide)])
    buf = io.BytesIO()
    wb.save(buf)
    _rezip_deterministic(buf.getvalue(), path)
    return path


def _cell(ws: Any, value: Any, align: Any = None) -> Any:
    """A plain value, or a styled cell when it needs wrapping or must stay text."""
    from openpyxl.cell import WriteOnlyCell

    risky = isinstance(value, str) and value.startswith(FORMULA_START)
    if align is None and not risky:
        return value
    cell = WriteOnlyCell(ws, value=value)
    if align is not None:
        cell.alignment = align
    if risky:
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _clean(v: Any) -> Any:
    return _ILLEGAL.sub("", v) if isinstance(v, str) else v


def _display_width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _width(col: str, sample: list[Any]) -> float:
    longest = max([_display_width(col) + 2] + [_display_width(str(v)) for v in sample if v is not None])
    cap = 70 if col in WIDE else 40
    return float(max(8, min(cap, longest + 2)))


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
                # openpyxl stamps "created"/"modified" at save time whatever the workbook says
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            dst.writestr(zi, data)
