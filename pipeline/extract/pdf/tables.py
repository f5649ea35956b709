"""Ruled and three-line tables from the page's own vector rules (pdfium path segments): the geometry
pdfplumber's `find_tables()` uses, without paying pdfminer's full page parse."""
from __future__ import annotations

import bisect
import ctypes
import statistics
from typing import Any, Optional

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.document.model import Cell

from .base import (
    CAPTION_RE,
    FIGURE_RE,
    TABLE_CAPTION_RE,
    BBox,
    Line,
    View,
    caption_distance,
    inside,
    is_cjk,
    join_lines,
)
from .chars import DUP

Seg = tuple[float, float, float]  # horizontal: (y, x0, x1); vertical: (x, y0, y1); top-based y


def page_graphics(page: pdfium.PdfPage, view: View) -> tuple[int, list[Seg], list[Seg], int, list[BBox]]:
    """(image count, horizontal rules, vertical rules, text object count, boxes of the images and
    paths) from the page's objects (forms included); rules come from path objects."""
    hs: list[Seg] = []
    vs: list[Seg] = []
    boxes: list[BBox] = []
    fl, fb, fr, ft = (ctypes.c_float() for _ in range(4))
    bound_refs = (ctypes.byref(fl), ctypes.byref(fb), ctypes.byref(fr), ctypes.byref(ft))

    def add_box(ctm: tuple, x0: float, y0: float, x1: float, y1: float) -> None:
        a, b, c, d, e, f = ctm
        xs, ys = [], []
        for x, y in ((x0, y0), (x1, y1), (x0, y1), (x1, y0)):
            vx, vy = view.pt(a * x + c * y + e, b * x + d * y + f)
            xs.append(vx)
            ys.append(vy)
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    n_img = n_txt = 0
    budget = [20000]  # path segments we are willing to walk (maps and charts can hold 100k)
    m = pdfium_c.FS_MATRIX()
    px, py = ctypes.c_float(), ctypes.c_float()

    def mul(a: tuple, b: tuple) -> tuple:  # a then b, PDF matrix order (a b c d e f)
        return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
                a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])

    def add(ux0: float, uy0: float, ux1: float, uy1: float) -> None:
        x0, t0 = view.pt(ux0, uy0)
        x1, t1 = view.pt(ux1, uy1)
        if abs(t1 - t0) < 1.0 and abs(x1 - x0) >= 3:
            hs.append(((t0 + t1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) < 1.0 and abs(t1 - t0) >= 3:
            vs.append(((x0 + x1) / 2, min(t0, t1), max(t0, t1)))

    # bound once: this loop makes several C calls per path segment
    get_type = pdfium_c.FPDFPageObj_GetType
    get_seg, seg_point = pdfium_c.FPDFPath_GetPathSegment, pdfium_c.FPDFPathSegment_GetPoint
    seg_type, seg_close = pdfium_c.FPDFPathSegment_GetType, pdfium_c.FPDFPathSegment_GetClose
    lineto, moveto = pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_MOVETO
    px_ref, py_ref = ctypes.byref(px), ctypes.byref(py)
    image, form, path = pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM, pdfium_c.FPDF_PAGEOBJ_PATH

    def walk(container: Any, in_form: bool, ctm: tuple) -> None:
        nonlocal n_img, n_txt
        if in_form:
            count, get = pdfium_c.FPDFFormObj_CountObjects(container), pdfium_c.FPDFFormObj_GetObject
        else:
            count, get = pdfium_c.FPDFPage_CountObjects(container), pdfium_c.FPDFPage_GetObject
        for k in range(count):
            obj = get(container, k)
            typ = get_type(obj)
            if typ not in (image, form, path):
                n_txt += 1  # text objects: the bulk, only counted
                continue
            if typ == image:
                n_img += 1
                if pdfium_c.FPDFPageObj_GetBounds(obj, *bound_refs):
                    add_box(ctm, fl.value, fb.value, fr.value, ft.value)
            elif typ == form:
                pdfium_c.FPDFPageObj_GetMatrix(obj, m)
                sub = mul((m.a, m.b, m.c, m.d, m.e, m.f), ctm)
                walk(obj, True, sub)
            else:  # a path: its straight axis-aligned pieces are candidate table rules (thin filled
                # rectangles too: their long edges come out as two close rules, merged later)
                nseg = pdfium_c.FPDFPath_CountSegments(obj)
                if nseg <= 0 or budget[0] <= 0:
                    continue
                budget[0] -= nseg
                pdfium_c.FPDFPageObj_GetMatrix(obj, m)
                a, b, c, d, e, f = mul((m.a, m.b, m.c, m.d, m.e, m.f), ctm)
                start = prev = None
                lo_x = lo_y = float("inf")
                hi_x = hi_y = float("-inf")
                for j in range(nseg):
                    seg = get_seg(obj, j)
                    seg_point(seg, px_ref, py_ref)
                    x, y = px.value, py.value
                    pt = (a * x + c * y + e, b * x + d * y + f)
                    lo_x, hi_x = min(lo_x, pt[0]), max(hi_x, pt[0])
                    lo_y, hi_y = min(lo_y, pt[1]), max(hi_y, pt[1])
                    st = seg_type(seg)
                    if st == lineto and prev is not None:
                        add(prev[0], prev[1], pt[0], pt[1])
                    if st == moveto:
                        start = pt
                    prev = pt
                    if seg_close(seg) and start is not None:
                        add(pt[0], pt[1], start[0], start[1])
                if lo_x <= hi_x:
                    add_box((1, 0, 0, 1, 0, 0), lo_x, lo_y, hi_x, hi_y)

    walk(page.raw, False, (1, 0, 0, 1, 0, 0))
    return n_img, hs, vs, n_txt, boxes


# --------------------------------------------------------------------------- ruled tables

def _merge_segs(segs: list[Seg]) -> list[Seg]:
    """Join collinear pieces (a rule drawn cell by cell, or a rectangle's edge twice)."""
    out: list[list[float]] = []
    for pos, a, b in sorted(segs):
        if out and abs(out[-1][0] - pos) <= 1.0 and a <= out[-1][2] + 1.5:
            out[-1][2] = max(out[-1][2], b)
        else:
            out.append([pos, a, b])
    return [tuple(o) for o in out]  # type: ignore[misc]


def _cluster(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def grids(hs: list[Seg], vs: list[Seg]) -> list[tuple[BBox, list[tuple[int, int, BBox]]]]:
    """Ruled tables: connected horizontal+vertical rules -> (bbox, [(row, col, cell bbox)])."""
    if len(hs) < 2 or len(vs) < 2:
        return []
    hs, vs = _merge_segs(hs), _merge_segs(vs)
    if len(hs) * len(vs) > 250000:
        return []  # a drawing, not a table
    tol = 2.0
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(hs):
        for j, (x, y0, y1) in enumerate(vs):
            if x0 - tol <= x <= x1 + tol and y0 - tol <= y <= y1 + tol:
                parent[find(i)] = find(len(hs) + j)
    comps: dict[int, tuple[list[Seg], list[Seg]]] = {}
    for i, h in enumerate(hs):
        comps.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        comps.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    tables = []
    for ch, cv in comps.values():
        if len(ch) < 2 or len(cv) < 2:
            continue
        ys, xs = _cluster([h[0] for h in ch]), _cluster([v[0] for v in cv])
        if len(ys) < 2 or len(xs) < 2 or (len(ys) - 1) * (len(xs) - 1) < 2:
            continue

        def v_border(x: float, ya: float, yb: float, cv: list = cv) -> bool:
            mid = (ya + yb) / 2
            return any(abs(v[0] - x) <= tol and v[1] - tol <= mid <= v[2] + tol for v in cv)

        def h_border(y: float, xa: float, xb: float, ch: list = ch) -> bool:
            mid = (xa + xb) / 2
            return any(abs(h[0] - y) <= tol and h[1] - tol <= mid <= h[2] + tol for h in ch)

        nr, nc = len(ys) - 1, len(xs) - 1
        taken = [[False] * nc for _ in range(nr)]
        cells = []
        for r in range(nr):
            for c in range(nc):
                if taken[r][c]:
                    continue
                c2 = c + 1  # merged cells: extend while the border between is missing
                while c2 < nc and not v_border(xs[c2], ys[r], ys[r + 1]):
                    c2 += 1
                r2 = r + 1
                while r2 < nr and not h_border(ys[r2], xs[c], xs[c2]):
                    r2 += 1
                for rr in range(r, r2):
                    for cc in range(c, c2):
                        taken[rr][cc] = True
                cells.append((r, c, (xs[c], ys[r], xs[c2], ys[r2])))
        # a table has at least 2 logical rows and columns (a framed paragraph has not)
        if len({c[0] for c in cells}) >= 2 and len({c[1] for c in cells}) >= 2:
            tables.append(((xs[0], ys[0], xs[-1], ys[-1]), cells))
    return tables


def three_line_grids(hs: list[Seg], lines: list[Line], text: str, box: Any,
                      taken: list[BBox]) -> list[tuple[BBox, list[tuple[int, int, BBox]]]]:
    """Three-line tables (三线表 / booktabs): only horizontal rules, a top and a bottom rule of the
    same extent (a thinner one under the header between them, optional), no vertical rules.
    Columns are the x ranges that the chars of the body rows leave empty in every row; rows are
    the text lines between the rules (a line closer to the one above than the usual row pitch
    continues its row). Plain rules are no table: the pair must enclose >= 2 rows and >= 2
    columns and carry a "表 N" / "Table N" caption just above (or below), so running-header rules,
    footnote separators and framed boxes are left alone."""
    captions = [ln for ln in lines if TABLE_CAPTION_RE.match(ln.text)]
    if not captions:
        return []  # no "表 N" / "Table N" line on the page: no three-line table to look for
    rules = [h for h in _merge_segs(hs) if h[2] - h[1] >= 60]
    rules = [h for h in rules if not any(bb[0] - 3 <= h[1] and h[2] <= bb[2] + 3 and bb[1] - 3 <= h[0] <= bb[3] + 3
                                         for bb in taken)]
    # collapse a thick rule drawn as a filled rectangle (two edges close together)
    merged: list[Seg] = []
    for h in sorted(rules):
        if merged and h[0] - merged[-1][0] <= 2.5 and abs(h[1] - merged[-1][1]) <= 3 and abs(h[2] - merged[-1][2]) <= 3:
            continue
        merged.append(h)
    out: list[tuple[BBox, list[tuple[int, int, BBox]]]] = []
    used: set[int] = set()
    for i, top in enumerate(merged):
        if i in used:
            continue
        x0, x1 = top[1], top[2]
        same: list[int] = []  # rules of the same extent below, up to the next table's caption
        for j in range(i + 1, len(merged)):
            h = merged[j]
            if j in used or abs(h[1] - x0) > 3 or abs(h[2] - x1) > 3:
                continue
            if any(top[0] < c.cy < h[0] and min(c.x1, x1) - max(c.x0, x0) > 0 for c in captions):
                break
            same.append(j)
        for k in range(len(same) - 1, -1, -1):  # the farthest rule first: inner ones are header rules
            bottom = merged[same[k]]
            inner = [ln for ln in lines if x0 - 2 <= ln.cx <= x1 + 2 and top[0] < ln.cy < bottom[0]]
            if not inner or not _has_table_caption((x0, top[0], x1, bottom[0]), captions):
                continue
            mids = [merged[j][0] for j in same[:k]]
            grid = _three_line_cells((x0, top[0], x1, bottom[0]), mids, inner, text, box)
            if grid is None:
                continue
            out.append(grid)
            used.update([i] + same[:k + 1])
            break
    return out


def _has_table_caption(bb: BBox, lines: list[Line]) -> bool:
    for ln in lines:
        if inside(ln, bb) or not TABLE_CAPTION_RE.match(ln.text):
            continue
        d = caption_distance((ln.x0, ln.top, ln.x1, ln.bottom), bb)
        if d is not None and d <= 45:
            return True
    return False


def _three_line_cells(bb: BBox, mids: list[float], inner: list[Line], text: str,
                      box: Any) -> Optional[tuple[BBox, list[tuple[int, int, BBox]]]]:
    x0, top, x1, bottom = bb
    head_y = mids[0] if mids else None
    # rows: baselines of the inner lines, top to bottom
    rows: list[list[float]] = []  # [top, bottom] per visual row
    for ln in sorted(inner, key=lambda ln: ln.cy):
        if rows and ln.cy < rows[-1][1] - 0.3 * (ln.bottom - ln.top):
            rows[-1][0], rows[-1][1] = min(rows[-1][0], ln.top), max(rows[-1][1], ln.bottom)
        else:
            rows.append([ln.top, ln.bottom])
    if len(rows) < 2:
        return None
    # wrapped cells: a row much closer to the one above than the usual pitch continues it
    pitches = [b[0] - a[0] for a, b in zip(rows, rows[1:])]
    usual = statistics.median(pitches)
    logical: list[list[float]] = [rows[0]]
    for r, pitch in zip(rows[1:], pitches):
        crosses = head_y is not None and logical[-1][1] < head_y < r[0]
        if pitch < 0.85 * usual and not crosses and len(rows) >= 3:
            logical[-1][1] = r[1]
        else:
            logical.append(r)
    if len(logical) < 2:
        return None
    # columns: x ranges no body char covers (header cells may span several columns)
    spans: list[tuple[float, float]] = []
    sizes = []
    for ln in inner:
        if head_y is not None and ln.cy < head_y and len(logical) > 2:
            continue
        sizes.append(ln.size)
        for k in range(ln.ia, ln.ib):
            if not text[k].isspace():
                b = box(k)
                spans.append((b[0], b[2]))
    if not spans:
        return None
    em = statistics.median(sizes) if sizes else 8.0
    spans.sort()
    cols: list[list[float]] = [list(spans[0])]
    for a, b in spans[1:]:
        if a - cols[-1][1] > 0.8 * em:
            cols.append([a, b])
        else:
            cols[-1][1] = max(cols[-1][1], b)
    if len(cols) < 2:
        return None
    xs = [x0] + [(a[1] + b[0]) / 2 for a, b in zip(cols, cols[1:])] + [x1]
    ys = [top] + [(a[1] + b[0]) / 2 for a, b in zip(logical, logical[1:])] + [bottom]
    if head_y is not None:  # the header rule is a row border
        k = min(range(1, len(ys) - 1), key=lambda j: abs(ys[j] - head_y), default=None)
        if k is not None and abs(ys[k] - head_y) < 0.5 * em + 2:
            ys[k] = head_y
    cells = [(r, c, (xs[c], ys[r], xs[c + 1], ys[r + 1])) for r in range(len(ys) - 1) for c in range(len(xs) - 1)]
    return (x0, top, x1, bottom), cells


def fill_cells(grid: tuple[BBox, list[tuple[int, int, BBox]]], lines: list[Line], text: str,
                box: Any) -> Optional[list[Cell]]:
    """Cell texts from the chars whose centres fall in each cell; None when the grid holds no text."""
    bb, spec = grid
    # grid lines and which cell owns each grid unit (merged cells own several): O(log n) per char
    xs = sorted({v for _r, _c, cb in spec for v in (cb[0], cb[2])})
    ys = sorted({v for _r, _c, cb in spec for v in (cb[1], cb[3])})
    owner: dict[tuple[int, int], int] = {}
    for idx, (_r, _c, cb) in enumerate(spec):
        for ri in range(ys.index(cb[1]), ys.index(cb[3])):
            for ci in range(xs.index(cb[0]), xs.index(cb[2])):
                owner[(ri, ci)] = idx
    parts: dict[int, list[list[str]]] = {}
    last_top: dict[int, float] = {}

    def cell_at(x: float, y: float) -> Optional[int]:
        return owner.get((bisect.bisect_right(ys, y) - 1, bisect.bisect_right(xs, x) - 1))

    for ln in lines:
        if not (bb[0] - 2 <= ln.cx <= bb[2] + 2 and bb[1] - 2 <= ln.cy <= bb[3] + 2):
            continue
        first = cell_at(ln.x0 + 0.5, ln.cy)
        if first is not None and first == cell_at(ln.x1 - 0.5, ln.cy):
            # the whole line fragment sits in one cell (the usual case): no per-char boxes needed
            rows = parts.setdefault(first, [])
            if not rows or ln.cy - last_top.get(first, ln.cy) > 0.6 * (ln.bottom - ln.top):
                rows.append([])
            elif rows[-1] and not (is_cjk(rows[-1][-1][-1]) and is_cjk(ln.text[0])):
                rows[-1].append(" ")
            rows[-1].append(ln.text)
            last_top[first] = ln.cy
            continue
        space = False
        for k in range(ln.ia, ln.ib):
            ch = text[k]
            if ch.isspace():
                space = True
                continue
            if ch == DUP:  # an overprinted copy (chars.dedupe_overprint)
                continue
            if ch == "\ufffe":
                ch = "-"  # pdfium's soft hyphen at a line end: joined like one ("Representa-tion")
            x0, top, x1, bottom = box(k)
            cx, cy = (x0 + x1) / 2, (top + bottom) / 2
            idx = cell_at(cx, cy)
            if idx is not None:
                rows = parts.setdefault(idx, [])
                if not rows or cy - last_top.get(idx, cy) > 0.6 * (bottom - top):
                    rows.append([])
                    space = False
                cur = rows[-1]
                if space and cur and not (is_cjk(cur[-1][-1]) and is_cjk(ch)):
                    cur.append(" ")
                cur.append(ch.replace("\x02", "-"))
                last_top[idx] = cy
            space = False
    filled = [sum(len(x) for x in rows) for rows in parts.values() if rows]
    if (len(filled) < 2 or sum(filled) / len(filled) > 200 or len(filled) < 0.4 * len(spec)
            or (max(filled) > 300 and max(filled) > 0.5 * sum(filled))):
        # empty grid, prose in a frame, boxes of a page layout (mostly empty "cells"), or a ruled
        # header over an unruled body that lands in one giant cell: leave that text to the prose
        return None
    cells = []
    for idx, (r, c, cb) in enumerate(spec):
        rows = parts.get(idx, [])
        cells.append(Cell(row=r, col=c, text=join_lines(["".join(x) for x in rows]),
                          bbox=tuple(round(v, 2) for v in cb)))  # type: ignore[arg-type]
    return cells


def is_figure(bb: BBox, lines: list[Line]) -> bool:
    best: Optional[tuple[float, bool]] = None
    for ln in lines:
        if inside(ln, bb) or not (CAPTION_RE.match(ln.text) or FIGURE_RE.match(ln.text)):
            continue
        d = caption_distance((ln.x0, ln.top, ln.x1, ln.bottom), bb)
        if d is not None and (best is None or d < best[0]):
            best = (d, bool(FIGURE_RE.match(ln.text)))
    return bool(best and best[1])
