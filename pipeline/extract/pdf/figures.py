"""Figures: the areas of a page covered by drawings and images that carry a figure caption
("Figure 3:", "Fig. 2.", "图 1"). Text inside them (axis ticks, node labels, code in a screenshot)
is the figure's, not running text; the assembler keeps it out of the sentences.

Graphics boxes (images, vector paths) lying close together are merged into areas; an area counts
as a figure when a figure caption sits right above or below it, so decorated text boxes, page
frames and table rules are left alone.
"""
from __future__ import annotations

from .base import FIGURE_RE, BBox, Line, caption_distance, inside


def _merge(boxes: list[BBox], gap: float) -> list[BBox]:
    """Union of boxes that overlap or lie within `gap` of each other."""
    areas = [list(b) for b in sorted(boxes)]
    changed = True
    while changed:
        changed = False
        out: list[list[float]] = []
        for b in areas:
            for a in out:
                if b[0] <= a[2] + gap and a[0] <= b[2] + gap and b[1] <= a[3] + gap and a[1] <= b[3] + gap:
                    a[0], a[1], a[2], a[3] = min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])
                    changed = True
                    break
            else:
                out.append(b)
        areas = out
    return [(a[0], a[1], a[2], a[3]) for a in areas]


def figure_areas(boxes: list[BBox], lines: list[Line], width: float, height: float,
                 tables: list[BBox]) -> list[BBox]:
    """Areas of the page that are captioned figures. Page-size backgrounds, thin rules and
    boxes of detected tables do not count as drawing."""
    page_area = max(width * height, 1.0)
    drawn = [b for b in boxes
             if (b[2] - b[0]) * (b[3] - b[1]) < 0.6 * page_area and (b[2] - b[0] > 3 and b[3] - b[1] > 3)
             and not any(t[0] - 2 <= b[0] and b[2] <= t[2] + 2 and t[1] - 2 <= b[1] and b[3] <= t[3] + 2
                         for t in tables)]
    if len(boxes) > 5000:
        drawn = drawn[:5000]  # a map or a dense chart: its first pieces outline it well enough
    captions = [ln for ln in lines if FIGURE_RE.match(ln.text)]
    if not drawn or not captions:
        return []
    out = []
    for area in _merge(drawn, 6.0):
        w, h = area[2] - area[0], area[3] - area[1]
        if w < 30 or h < 20:
            continue
        for cap in captions:
            if inside(cap, area):
                continue
            d = caption_distance((cap.x0, cap.top, cap.x1, cap.bottom), area)
            if d is not None:
                out.append(area)
                break
    return out
