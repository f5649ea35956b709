"""Page layout: columns and reading order (full-width elements split the column flow), paragraphs
(gap, indent, short last line, font change, patterns)."""
from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from typing import Optional

from .base import (
    CAPTION_RE,
    HEADING_RE,
    SENTENCE_END_RE,
    TOC_LINE_RE,
    Line,
    PageData,
    is_cjk,
)

# --------------------------------------------------------------------------- layout

def _gutter(lines: list[Line], x_min: float, x_max: float, span: float = 0.3) -> Optional[float]:
    """x of a column gutter in the middle `span` of [x_min, x_max] (the widest x run that the fewest
    lines cross, closest to the middle), or None when the lines do not form columns there."""
    if len(lines) < 6:
        return None
    w = x_max - x_min
    # lines crossing each candidate x (every 2 pt over the middle span): a difference array, not
    # a scan of all lines per candidate
    x_lo = x_min + (0.5 - span / 2) * w
    steps = int(span * w / 2 + 1e-9) + 1
    diff = [0] * (steps + 1)
    for ln in lines:  # crosses x_lo + 2k when x0 < x - 1 and x1 > x + 1
        k0 = max(0, math.floor((ln.x0 + 1 - x_lo) / 2) + 1)
        k1 = min(steps - 1, math.ceil((ln.x1 - 1 - x_lo) / 2) - 1)
        if k0 <= k1:
            diff[k0] += 1
            diff[k1 + 1] -= 1
    best: list[tuple[int, float]] = []
    crossing = 0
    for k in range(steps):
        crossing += diff[k]
        best.append((crossing, x_lo + 2 * k))
    lo = min(c for c, _ in best)
    xs = [x for c, x in best if c == lo]
    # centre of the widest run of equally empty positions closest to the middle
    runs: list[list[float]] = [[xs[0]]]
    for x in xs[1:]:
        if x - runs[-1][-1] <= 2.01:
            runs[-1].append(x)
        else:
            runs.append([x])
    run = max(runs, key=lambda r: (len(r), -abs((r[0] + r[-1]) / 2 - (x_min + w / 2))))
    # the run may go on beyond the scanned span: follow it to find the gutter's real middle
    a, b = run[0], run[-1]
    while a - 2 > x_min and _crossing(lines, a - 2) <= lo:
        a -= 2
    while b + 2 < x_max and _crossing(lines, b + 2) <= lo:
        b += 2
    g = (a + b) / 2
    left = sum(1 for ln in lines if ln.x1 <= g + 1)
    right = sum(1 for ln in lines if ln.x0 >= g - 1)
    if left >= 3 and right >= 3 and min(left, right) >= 0.2 * (left + right) and lo <= 0.5 * (left + right):
        return g
    return None


def _crossing(lines: list[Line], x: float) -> int:
    return sum(1 for ln in lines if ln.x0 < x - 1 and ln.x1 > x + 1)


def column_gutters(lines: list[Line]) -> list[float]:
    """x of the gutters between columns of text, left to right ([] for one column)."""
    if not lines:
        return []
    return _gutters(lines, min(ln.x0 for ln in lines), max(ln.x1 for ln in lines))


def _gutters(lines: list[Line], x_min: float, x_max: float, depth: int = 0) -> list[float]:
    """Column gutters, left to right: the page's middle gutter (two columns), then, recursively, a
    gutter inside either side when that side is itself set in columns of running text (the three
    columns of the Federal Register). Inner gutters must leave columns of text on both sides: each
    at least 12 em wide, with most of its lines filling it (not a table's narrow columns)."""
    g = _gutter(lines, x_min, x_max, 0.3 if depth == 0 else 0.6)
    if g is None and depth == 0:
        g = _inner_gutter(lines, x_min, x_max)  # three columns: no gutter in the middle third
    if g is None:
        return []
    if depth > 0 and not (_text_column(lines, x_min, g) and _text_column(lines, g, x_max)):
        return []
    if depth >= 2:
        return [g]
    left = [ln for ln in lines if ln.x1 <= g + 1]
    right = [ln for ln in lines if ln.x0 >= g - 1]
    out = []
    if left:
        out += _gutters(left, min(ln.x0 for ln in left), max(ln.x1 for ln in left), depth + 1)
    out.append(g)
    if right:
        out += _gutters(right, min(ln.x0 for ln in right), max(ln.x1 for ln in right), depth + 1)
    return out


def _inner_gutter(lines: list[Line], x_min: float, x_max: float) -> Optional[float]:
    """A gutter near a third of the width, for pages of three columns, whose middle column covers the
    middle of the page."""
    w = x_max - x_min
    for lo, hi in ((x_min, x_min + 0.55 * w), (x_min + 0.45 * w, x_max)):
        sub = [ln for ln in lines if ln.x0 >= lo - 1 and ln.x1 <= hi + 1]
        g = _gutter(sub, lo, hi, 0.5) if sub else None
        if g is not None and _text_column(lines, lo, g) and _text_column(lines, g, hi):
            return g
    return None


def _text_column(lines: list[Line], lo: float, hi: float) -> bool:
    inside = [ln for ln in lines if ln.x0 >= lo - 1 and ln.x1 <= hi + 1]
    if len(inside) < 5:
        return False
    em = statistics.median(ln.size for ln in inside)
    width = max(ln.x1 for ln in inside) - min(ln.x0 for ln in inside)
    wide = sum(1 for ln in inside if ln.x1 - ln.x0 >= 0.6 * width)
    return width >= 12 * em and wide >= 0.4 * len(inside)


BULLET_RE = re.compile(r"^\s*[•·▪■●◆◦○►✓]\s*\S")
ENUM_RE = re.compile(r"^\s*(?:\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})\)|\d{1,2}\.\s|[①-⑳])")
ITEM_END_RE = re.compile(r"(?:[.;:；：。]|\b(?:and|or))\s*$")
_MARKER_RE = re.compile(r"^\s*(?:[•·▪■●◆◦○\-–*!]|\(?[0-9a-zA-Z]{1,2}[.)]|[①-⑳]|\d{1,2}(?:\.\d{1,2}){0,3}\.?)\s*$")


def _merge_rows(lines: list[Line], max_gap_em: float = 1.0) -> list[Line]:
    """Re-join fragments of one visual line (superscripts, font switches) that pdfium split."""
    lines = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    out: list[Line] = []
    for ln in lines:
        for prev in reversed(out[-4:]):
            overlap = min(prev.bottom, ln.bottom) - max(prev.top, ln.top)
            hmin = min(prev.bottom - prev.top, ln.bottom - ln.top)
            gap = ln.x0 - prev.x1
            if hmin <= 0 or overlap < 0.5 * hmin:
                continue
            limit = max_gap_em * max(prev.size, ln.size)
            if -1 <= gap <= limit:
                sep = "" if (gap < 0.15 * prev.size or is_cjk(prev.text[-1]) or is_cjk(ln.text[0])) else " "
                prev.text = prev.text + sep + ln.text
                prev.x1 = ln.x1
            elif -1 <= prev.x0 - ln.x1 <= (4 * prev.size if _MARKER_RE.match(ln.text) else limit):
                # a fragment just left of the line, set a little higher; a list bullet further left
                back = prev.x0 - ln.x1
                if ln.text.strip() == "!":
                    ln.text = "•"  # a bullet glyph some fonts map to "!"
                sep = "" if (back < 0.15 * prev.size or is_cjk(ln.text[-1]) or is_cjk(prev.text[0])) else " "
                prev.text = ln.text + sep + prev.text
                prev.x0, prev.ia = ln.x0, ln.ia
            else:
                continue
            prev.top, prev.bottom = min(prev.top, ln.top), max(prev.bottom, ln.bottom)
            prev.size = max(prev.size, ln.size)
            break
        else:
            out.append(ln)
    return out


def reading_order(p: PageData) -> tuple[list[list[Line]], int]:
    """Groups of lines (one per column run / full-width run) in reading order, and the number of
    columns. Columns are read left to right between full-width elements (titles, wide tables), which
    split the column flow."""
    # Fragments closer than a column gutter belong to one line whatever the columns turn out to be.
    lines = p.lines = _merge_rows(p.lines, 0.6)
    if not lines:
        return [], 1
    gs = column_gutters(lines)
    if not gs:
        return [_merge_rows(lines)], 1
    edges = [-math.inf] + gs + [math.inf]
    n_cols = len(gs) + 1
    for ln in lines:
        for c in range(n_cols):
            if ln.x0 >= edges[c] - 1 and ln.x1 <= edges[c + 1] + 1:
                ln.col = c
                break
        else:
            ln.full = True
    _promote_lonely(lines)
    # Full-width tables split the column flow too (their text is not in `lines`).
    seps: list[tuple[float, float, Optional[Line]]] = [(ln.top, ln.bottom, ln) for ln in lines if ln.full]
    seps += [(bb[1], bb[3], None) for bb, _ in p.tables if any(bb[0] < g - 1 and bb[2] > g + 1 for g in gs)]
    seps.sort(key=lambda s: s[0])
    groups: list[list[Line]] = []
    cols = [sorted((ln for ln in lines if ln.col == c), key=lambda ln: ln.top) for c in range(n_cols)]
    idx = [0] * n_cols
    full_run: list[Line] = []

    def flush_cols(limit: float) -> None:
        for c in range(n_cols):
            run = []
            while idx[c] < len(cols[c]) and cols[c][idx[c]].cy < limit:
                run.append(cols[c][idx[c]])
                idx[c] += 1
            if run:
                groups.append(_merge_rows(run))

    for top, _bottom, ln in seps:
        pending = any(idx[c] < len(cols[c]) and cols[c][idx[c]].cy < top for c in range(n_cols))
        if pending:
            if full_run:
                groups.append(_merge_rows(full_run))
                full_run = []
            flush_cols(top)
        if ln is not None:
            full_run.append(ln)
        elif full_run:
            groups.append(_merge_rows(full_run))
            full_run = []
    if full_run:
        groups.append(_merge_rows(full_run))
    flush_cols(float("inf"))
    return groups, n_cols


def _promote_lonely(lines: list[Line]) -> None:
    """A short line under full-width text with nothing beside it in the other column (the last line
    of a full-width abstract, a keywords line) is full-width too, not the start of a column."""
    ordered = sorted(lines, key=lambda ln: ln.top)
    for i, ln in enumerate(ordered):
        if ln.full:
            continue
        em = max(ln.size, 1.0)
        above = [o for o in ordered[:i] if o.full and 0 <= ln.top - o.bottom <= 2.5 * em]
        if not above:
            continue
        beside = any(o.col is not None and o.col != ln.col and o.top < ln.bottom + em and o.bottom > ln.top - em
                     for o in ordered)
        if not beside:
            ln.full, ln.col = True, None


def paragraphs(group: list[Line], left: float, right: float) -> list[list[Line]]:
    """Split a run of lines (one column, in order) into paragraphs."""
    gaps = [b.top - a.bottom for a, b in zip(group, group[1:]) if 0 <= b.top - a.bottom < 3 * a.size]
    typical = statistics.median(gaps) if gaps else 3.0
    width = max(right - left, 1.0)
    mid = (left + right) / 2

    def centered(ln: Line) -> bool:
        return ln.x0 > left + 2 * ln.size and abs(ln.cx - mid) < 0.06 * width

    # Margins near each line: an abstract or a quotation is narrower than the column, and its lines
    # must not all look indented / ending early against the column's edges.
    n = len(group)
    near_left = [min(min(o.x0 for o in group[max(0, i - 3):i + 4]), right) for i in range(n)]
    near_right = [max(max(o.x1 for o in group[max(0, i - 3):i + 4]), left) for i in range(n)]
    hanging = _hanging_indent(group, near_left, near_right)
    paras: list[list[Line]] = []
    for i, ln in enumerate(group):
        if not paras:
            paras.append([ln])
            continue
        prev = paras[-1][-1]
        em = max(prev.size, 1.0)
        both_centered = centered(prev) and centered(ln)
        if is_cjk(prev.text[-1]) or is_cjk(ln.text[0]):
            short_end = 2.0 * em
        else:  # the next line's first word would have fitted: the line was ended on purpose
            word = ln.text.split(" ", 1)[0]
            short_end = max(1.5 * em, 0.55 * em * len(word) + 1.2 * em)
        ln_short = ln.x1 < near_right[i] - 2 * em
        # a full line that stops mid-sentence runs on, whatever the next line's indent or weight
        # (a bold lead-in label, a hanging indent)
        runs_on = prev.x1 >= near_right[i - 1] - min(short_end, 4 * em) and not SENTENCE_END_RE.search(prev.text)
        if hanging[i] is not None:  # a reference list: an entry starts where a line is not indented
            if hanging[i]:
                paras.append([ln])
            else:
                paras[-1].append(ln)
            continue
        brk = (
            bool(TOC_LINE_RE.search(prev.text))  # a table-of-contents entry is a paragraph of its own
            or ln.top - prev.bottom > typical + 0.45 * em
            or ln.top < prev.top - 0.5 * em  # went back up: another flow
            or abs(ln.size - prev.size) > max(0.8, 0.08 * prev.size)
            or (ln.bold != prev.bold and not runs_on)
            or (not both_centered and not runs_on and ln.x0 > near_left[i] + 0.8 * em)  # indented first line
            or (not both_centered and prev.x1 < near_right[i - 1] - short_end)  # previous line ended early
            or bool(CAPTION_RE.match(ln.text))
            or bool(BULLET_RE.match(ln.text))  # a list item starts a paragraph of its own
            or (bool(ENUM_RE.match(ln.text)) and bool(ITEM_END_RE.search(prev.text)))
            or bool(CAPTION_RE.match(paras[-1][0].text) and prev.x1 < near_right[i - 1] - em)
            or (bool(HEADING_RE.match(ln.text)) and ((ln_short and not runs_on) or ln.bold or ln.size > prev.size))
        )
        if brk:
            paras.append([ln])
        else:
            paras[-1].append(ln)
    return paras


def _hanging_indent(group: list[Line], near_left: list[float], near_right: list[float]) -> list[Optional[bool]]:
    """Per line: True/False (starts/continues an entry) inside runs set with a hanging indent (reference
    lists: an entry's first line at the margin, the rest indented), None elsewhere. Runs are lines of
    one type size. A run qualifies when at least two of its lines are indented by about the same
    1-4.5 em, the line before each is full (it wrapped) and mostly does not end a sentence: before
    the indented first line of an ordinary paragraph stands the last line of the one before."""
    n = len(group)
    out: list[Optional[bool]] = [None] * n
    start = 0
    while start < n:
        end = start
        while end + 1 < n and abs(group[end + 1].size - group[start].size) <= 0.3:
            end += 1
        idx = range(start, end + 1)
        indented = [i for i in idx if i > start and 0.8 * group[i].size < group[i].x0 - near_left[i] < 4.5 * group[i].size]
        wrapped = [i for i in indented if group[i - 1].x1 >= near_right[i - 1] - 2 * group[i - 1].size
                   and group[i - 1].x0 <= near_left[i - 1] + 0.5 * group[i - 1].size]
        ended = sum(1 for i in wrapped if SENTENCE_END_RE.search(group[i - 1].text))
        steps = [round(group[i].x0 - near_left[i]) for i in wrapped]
        if (len(wrapped) >= 2 and len(wrapped) >= 0.7 * len(indented) and ended < 0.5 * len(wrapped)
                and max(steps) - min(steps) <= 3):
            for i in idx:
                out[i] = group[i].x0 <= near_left[i] + 0.5 * group[i].size
        start = end + 1
    return out


def right_edge(lines: list[Line]) -> float:
    # The justified margin: the most common right end (rounded), not a stray long line.
    ends = Counter(round(ln.x1) for ln in lines)
    top = max(ends.values())
    common = [x for x, c in ends.items() if c >= max(2, top // 2)]
    return float(max(common)) if common else max(ln.x1 for ln in lines)
