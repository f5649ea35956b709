"""Tables without rules: rows of figures aligned in columns (financial statements, regression
tables continued on a page without their top rule, expense listings). pdfplumber's "text"
strategy finds them from word alignment; here from the line fragments the reader already has
(a pdfium line is split at gaps wider than 1.5 em, so a table row arrives as one fragment per cell).

A table is a run of at least three consecutive visual rows that each hold three or more fragments,
most of them numbers; rows of two fragments inside the run (a label and one figure, a header) join
it when they line up with its columns. Columns are the x spans the run's fragments cover; a cell is
the text of the fragments of one row whose middle falls in a column. Prose never qualifies: its
lines are single fragments (or, on multi-column pages, fragments of words, not numbers).
"""
from __future__ import annotations

import re
import statistics

from pipeline.document.model import Cell

from .base import BBox, Line, is_cjk

_NUMERIC_RE = re.compile(r"^[\s(（\[]*[-+−–—]?\s*[$¥€£]?\s*[\d０-９][\d０-９,，.．:：/\s]*[%％‰EeFfAa]?[*∗†‡\ue000-\uf8ff]*[)）\]]*[*∗†‡\ue000-\uf8ff]*\s*$")


def _numeric(text: str) -> bool:
    t = text.strip()
    return bool(t) and (bool(_NUMERIC_RE.match(t)) or t in ("-", "—", "–", "－", "/", "n.a.", "N/A", "NA"))


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Visual rows: fragments whose vertical extents overlap by half, left to right."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: (ln.cy, ln.x0)):
        if rows:
            last = rows[-1]
            top, bottom = min(o.top for o in last), max(o.bottom for o in last)
            h = min(bottom - top, ln.bottom - ln.top)
            beside = not any(min(o.x1, ln.x1) - max(o.x0, ln.x0) > 0 for o in last)  # not under one
            if h > 0 and beside and min(bottom, ln.bottom) - max(top, ln.top) >= 0.5 * h:
                last.append(ln)
                continue
        rows.append([ln])
    for r in rows:
        r.sort(key=lambda ln: ln.x0)
    return rows


def _strong(row: list[Line]) -> bool:
    """Three or more cells, mostly figures."""
    nums = sum(1 for ln in row if _numeric(ln.text))
    return len(row) >= 3 and nums >= 2 and nums >= 0.5 * (len(row) - 1)


def _figures(row: list[Line]) -> bool:
    """A row of figures only (one fragment may hold several: "(0.006)(0.006)(0.007)")."""
    tokens = [t for ln in row for t in _TOKEN_RE.findall(ln.text)]
    return len(tokens) >= 3 and all(_numeric(t) for t in tokens)


def _columns(rows: list[list[Line]]) -> list[list[float]]:
    """x spans covered by the fragments of the rows (overlapping spans merged)."""
    spans = sorted([ln.x0, ln.x1] for r in rows for ln in r)
    cols: list[list[float]] = []
    for a, b in spans:
        if cols and a <= cols[-1][1] + 1.0:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    return cols


def _place(ln: Line, cols: list[list[float]]) -> list[tuple[int, str]]:
    """(column, text) pieces of a fragment: the column it lies in, or, for a fragment spanning k
    columns whose text splits into k figures ("2018 2019 2020", "(0.006)(0.006)"), one per column.
    [] when it does not line up."""
    w = max(ln.x1 - ln.x0, 0.1)
    hit = [i for i, (a, b) in enumerate(cols) if min(b, ln.x1) - max(a, ln.x0) >= 0.6 * w]
    if len(hit) == 1 and not any(i != hit[0] and min(b, ln.x1) - max(a, ln.x0) > 2 for i, (a, b) in enumerate(cols)):
        return [(hit[0], ln.text)]
    span = [i for i, (a, b) in enumerate(cols) if b >= ln.x0 - 2 and a <= ln.x1 + 2]
    tokens = _TOKEN_RE.findall(ln.text)
    if len(span) >= 2 and len(tokens) == len(span) and all(_numeric(t) for t in tokens):
        return list(zip(span, tokens))
    return []


_TOKEN_RE = re.compile(r"[(（][^)）]*[)）][*∗†‡\ue000-\uf8ff]*|[^\s(（]+")


def _fits(row: list[Line], cols: list[list[float]]) -> bool:
    """Every fragment lines up with the columns, and no two share one."""
    seen: set[int] = set()
    for ln in row:
        placed = _place(ln, cols)
        if not placed or any(c in seen for c, _ in placed):
            return False
        seen.update(c for c, _ in placed)
    return True


def text_tables(lines: list[Line]) -> list[tuple[BBox, list[Cell]]]:
    """Unruled tables among a page's lines: (bbox, cells) each."""
    rows = _rows(lines)
    out: list[tuple[BBox, list[Cell]]] = []
    i = 0
    while i < len(rows):
        if not _strong(rows[i]):
            i += 1
            continue
        # the run: rows of figures, with up to two rows of one or two fragments between them
        # (a cell wrapped onto a second line, a subtotal label)
        j = last = i
        while j + 1 < len(rows) and _close(rows[j], rows[j + 1]):
            nxt = rows[j + 1]
            if _strong(nxt) or _figures(nxt):
                last = j = j + 1
            elif len(nxt) <= 2 and j + 1 - last <= 2:
                j += 1
            else:
                break
        run = rows[i:last + 1]
        cols = _columns([r for r in run if _strong(r) or (len(r) == 1 and not _figures(r))])
        fit = 0
        while fit < len(run) and _fits(run[fit], cols):
            fit += 1
        run = run[:fit]
        while run and not (_strong(run[-1]) or _figures(run[-1])):
            run.pop()
        if len(cols) < 3 or sum(1 for r in run if _strong(r)) < 3:
            i = last + 1
            continue
        a, b = i, i + len(run) - 1
        # rows of two or more fragments right above or below that line up with the columns
        while a - 1 >= 0 and len(rows[a - 1]) >= 2 and _close(rows[a - 1], rows[a]) and _fits(rows[a - 1], cols):
            a -= 1
        while b + 1 < len(rows) and len(rows[b + 1]) >= 2 and _close(rows[b], rows[b + 1]) and _fits(rows[b + 1], cols):
            b += 1
        out.append(_build(rows[a:b + 1], cols))
        i = b + 1
    return out


def _close(upper: list[Line], lower: list[Line]) -> bool:
    """Consecutive rows of one table: no more than about one empty row apart."""
    h = statistics.median(ln.bottom - ln.top for ln in upper + lower)
    return min(ln.top for ln in lower) - max(ln.bottom for ln in upper) <= 2.6 * h


def _build(rows: list[list[Line]], cols: list[list[float]]) -> tuple[BBox, list[Cell]]:
    # a lone fragment under a row of figures, in a column other than the first, is that cell
    # wrapped onto a second line
    logical: list[list[Line]] = []
    for row in rows:
        if (logical and len(row) == 1 and _strong(logical[-1]) and not _numeric(row[0].text)
                and len(_place(row[0], cols)) == 1 and _place(row[0], cols)[0][0] > 0):
            logical[-1] = logical[-1] + row
        else:
            logical.append(list(row))
    rows = logical
    cells = []
    for r, row in enumerate(rows):
        texts: dict[int, list[str]] = {}
        for ln in sorted(row, key=lambda ln: (ln.top, ln.x0)):
            for c, piece in _place(ln, cols):
                texts.setdefault(c, []).append(piece)
        for c in range(len(cols)):
            parts = texts.get(c, [])
            text = ""
            for p in parts:
                text += ("" if not text or is_cjk(text[-1]) or is_cjk(p[0]) else " ") + p
            top = min(ln.top for ln in row)
            bottom = max(ln.bottom for ln in row)
            cells.append(Cell(row=r, col=c, text=text, bbox=(round(cols[c][0], 2), round(top, 2),
                                                                round(cols[c][1], 2), round(bottom, 2))))
    all_lines = [ln for row in rows for ln in row]
    bb = (min(ln.x0 for ln in all_lines), min(ln.top for ln in all_lines),
          max(ln.x1 for ln in all_lines), max(ln.bottom for ln in all_lines))
    return bb, cells
