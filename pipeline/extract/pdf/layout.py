"""Page layout: running headers/footers and page numbers out, columns and reading order (full-width
elements split the column flow), paragraphs (gap, indent, short last line, font change, patterns)."""
from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from typing import Any, Optional

from .base import CAPTION_RE, HEADING_RE, PAGE_NUMBER_RE, Line, PageData, is_cjk

# --------------------------------------------------------------------------- headers / footers

def strip_running(pages: list[PageData]) -> None:
    """Drop page numbers and lines repeated in the top/bottom band of several pages."""
    def band(p: PageData, ln: Line) -> Optional[str]:
        if ln.bottom < 0.11 * p.height:
            return "top"
        if ln.top > 0.89 * p.height:
            return "bottom"
        return None

    def norm(s: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", s))

    counts: Counter = Counter()
    for p in pages:
        counts.update({(band(p, ln), norm(ln.text)) for ln in p.lines if band(p, ln)})
    with_text = sum(1 for p in pages if p.lines)
    need = max(2, int(0.3 * with_text))
    sizes = [ln.size for p in pages for ln in p.lines]
    body_size = statistics.median(sizes) if sizes else 0.0

    def ruled_off(p: PageData, ln: Line, zone: str) -> bool:
        # A small line cut off from the body by a long rule (the usual running-header rule):
        # a header even on a single page, where repetition cannot tell.
        if ln.size > body_size or not p.long_rules:
            return False
        if zone == "top":
            return any(0 <= y - ln.bottom <= 10 for y in p.long_rules)
        return any(0 <= ln.top - y <= 10 for y in p.long_rules)

    for p in pages:
        keep = []
        for ln in p.lines:
            zone = band(p, ln)
            if zone and (PAGE_NUMBER_RE.match(ln.text) or (with_text >= 2 and counts[(zone, norm(ln.text))] >= need)
                         or ruled_off(p, ln, zone)):
                continue
            keep.append(ln)
        p.lines = keep


# --------------------------------------------------------------------------- layout

def _gutter(lines: list[Line], x_min: float, x_max: float) -> Optional[float]:
    """x of a column gutter near the middle if the page is two-column, else None."""
    if len(lines) < 6:
        return None
    w = x_max - x_min
    # lines crossing each candidate x (every 2 pt over the middle 30%): a difference array, not
    # a scan of all lines per candidate
    x_lo = x_min + 0.35 * w
    steps = int(0.3 * w / 2 + 1e-9) + 1
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
    g = (run[0] + run[-1]) / 2
    left = sum(1 for ln in lines if ln.x1 <= g + 1)
    right = sum(1 for ln in lines if ln.x0 >= g - 1)
    if left >= 3 and right >= 3 and min(left, right) >= 0.2 * (left + right) and lo <= 0.5 * (left + right):
        return g
    return None


def _merge_rows(lines: list[Line], max_gap_em: float = 1.0) -> list[Line]:
    """Re-join fragments of one visual line (superscripts, font switches) that pdfium split."""
    lines = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    out: list[Line] = []
    for ln in lines:
        for prev in reversed(out[-4:]):
            overlap = min(prev.bottom, ln.bottom) - max(prev.top, ln.top)
            hmin = min(prev.bottom - prev.top, ln.bottom - ln.top)
            gap = ln.x0 - prev.x1
            if hmin > 0 and overlap >= 0.5 * hmin and -1 <= gap <= max_gap_em * max(prev.size, ln.size):
                sep = "" if (gap < 0.15 * prev.size or is_cjk(prev.text[-1]) or is_cjk(ln.text[0])) else " "
                prev.text = prev.text + sep + ln.text
                prev.x1, prev.top, prev.bottom = ln.x1, min(prev.top, ln.top), max(prev.bottom, ln.bottom)
                prev.size = max(prev.size, ln.size)
                break
        else:
            out.append(ln)
    return out


def reading_order(p: PageData) -> tuple[list[list[Line]], bool]:
    """Groups of lines (one per column run / full-width run) in reading order; and two-column flag."""
    # Fragments closer than a column gutter belong to one line whatever the columns turn out to be.
    lines = p.lines = _merge_rows(p.lines, 0.6)
    if not lines:
        return [], False
    x_min = min(ln.x0 for ln in lines)
    x_max = max(ln.x1 for ln in lines)
    g = _gutter(lines, x_min, x_max)
    if g is None:
        return [_merge_rows(lines)], False
    for ln in lines:
        if ln.x1 <= g + 1:
            ln.col = 0
        elif ln.x0 >= g - 1:
            ln.col = 1
        else:
            ln.full = True
    _promote_lonely(lines)
    # Full-width tables split the column flow too (their text is not in `lines`).
    seps: list[tuple[float, float, Optional[Line]]] = [(ln.top, ln.bottom, ln) for ln in lines if ln.full]
    seps += [(bb[1], bb[3], None) for bb, _ in p.tables if bb[0] < g - 1 and bb[2] > g + 1]
    seps.sort(key=lambda s: s[0])
    groups: list[list[Line]] = []
    cols = [sorted((ln for ln in lines if ln.col == c), key=lambda ln: ln.top) for c in (0, 1)]
    idx = [0, 0]
    full_run: list[Line] = []

    def flush_cols(limit: float) -> None:
        for c in (0, 1):
            run = []
            while idx[c] < len(cols[c]) and cols[c][idx[c]].cy < limit:
                run.append(cols[c][idx[c]])
                idx[c] += 1
            if run:
                groups.append(_merge_rows(run))

    for top, _bottom, ln in seps:
        pending = any(idx[c] < len(cols[c]) and cols[c][idx[c]].cy < top for c in (0, 1))
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
    return groups, True


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
    paras: list[list[Line]] = []
    for i, ln in enumerate(group):
        if not paras:
            paras.append([ln])
            continue
        prev = paras[-1][-1]
        em = max(prev.size, 1.0)
        both_centered = centered(prev) and centered(ln)
        short_end = 2.0 * em if is_cjk(prev.text[-1]) else 4 * em
        ln_short = ln.x1 < near_right[i] - 2 * em
        brk = (
            ln.top - prev.bottom > typical + 0.45 * em
            or ln.top < prev.top - 0.5 * em  # went back up: another flow
            or abs(ln.size - prev.size) > max(0.8, 0.08 * prev.size)
            or ln.bold != prev.bold
            or (not both_centered and ln.x0 > near_left[i] + 0.8 * em)  # indented first line
            or (not both_centered and prev.x1 < near_right[i - 1] - short_end)  # previous line ended early
            or bool(CAPTION_RE.match(ln.text))
            or bool(CAPTION_RE.match(paras[-1][0].text) and prev.x1 < near_right[i - 1] - em)
            or (bool(HEADING_RE.match(ln.text)) and (ln_short or ln.bold or ln.size > prev.size))
        )
        if brk:
            paras.append([ln])
        else:
            paras[-1].append(ln)
    return paras


def continues(prev: tuple[Any, list[Line], float, float], key: Any, first: Line, left: float) -> bool:
    pkey, plines, _pleft, pright = prev
    last = plines[-1]
    em = max(last.size, 1.0)
    return (pkey == 0 and key == 1 and first.top < last.top  # left column bottom -> right column top
            and last.x1 >= pright - 2.0 * em and first.x0 <= left + 0.8 * em
            and abs(first.size - last.size) <= 0.8 and first.bold == last.bold
            and not CAPTION_RE.match(plines[0].text) and not CAPTION_RE.match(first.text)
            and not HEADING_RE.match(first.text))


def right_edge(lines: list[Line]) -> float:
    # The justified margin: the most common right end (rounded), not a stray long line.
    ends = Counter(round(ln.x1) for ln in lines)
    top = max(ends.values())
    common = [x for x, c in ends.items() if c >= max(2, top // 2)]
    return float(max(common)) if common else max(ln.x1 for ln in lines)
