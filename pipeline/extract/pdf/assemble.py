"""Pages -> `Document`: reading-order groups into paragraph blocks with reader hints, page spans,
tables with their captions."""
from __future__ import annotations

from collections import Counter
from typing import Any

from pipeline.document.model import Block, Document, Page, Table

from .base import TABLE_CAPTION_RE, Line, PageData, caption_distance, join_lines
from .layout import continues, paragraphs, reading_order, right_edge

def assemble(doc: Document, pages: list[PageData]) -> None:
    parts: list[str] = []
    pos = 0
    for p in pages:
        groups, two_col = reading_order(p)
        page_start = pos
        if p.lines:
            x_min = min(ln.x0 for ln in p.lines)
            x_max = max(ln.x1 for ln in p.lines)
        else:
            x_min, x_max = 0.0, p.width
        text_w = max(x_max - x_min, 1.0)
        # column edges from all lines of that column on the page (a short run says little)
        edges: dict[Any, tuple[float, float]] = {}
        for key in (0, 1, None):
            sel = [ln for g in groups for ln in g if (ln.col if two_col and not ln.full else None) == key]
            if sel:
                edges[key] = (min(ln.x0 for ln in sel), right_edge(sel))
        page_blocks: list[Block] = []
        paras: list[tuple[Any, list[Line], float, float]] = []
        for g in groups:
            key = g[0].col if two_col and not g[0].full else None
            left, right = edges.get(key, (x_min, x_max))
            for k, para in enumerate(paragraphs(g, left, right)):
                if k == 0 and paras and continues(paras[-1], key, para[0], left):
                    paras[-1][1].extend(para)  # a paragraph running on into the next column
                else:
                    paras.append((key, para, left, right))
        for key, para, left, right in paras:
            if True:
                text = join_lines([ln.text for ln in para])
                if not text:
                    continue
                bb = (round(min(ln.x0 for ln in para), 2), round(min(ln.top for ln in para), 2),
                      round(max(ln.x1 for ln in para), 2), round(max(ln.bottom for ln in para), 2))
                full = (para[0].full if two_col else (bb[2] - bb[0]) >= 0.6 * text_w)
                mid = (left + right) / 2
                hints = {
                    "font_size": Counter(ln.size for ln in para).most_common(1)[0][0],
                    "bold": sum(ln.bold for ln in para) * 2 > len(para),
                    "full_width": bool(full),
                    "column": key,
                    "line_count": len(para),
                    "centered": abs((bb[0] + bb[2]) / 2 - mid) < 0.06 * (right - left) and bb[0] > left + 2 * para[0].size,
                }
                if p.source != "pypdfium2":
                    hints["text_source"] = p.source
                if parts:
                    pos += 1  # the "\n" joining blocks (and pages)
                page_blocks.append(Block(start=pos, end=pos + len(text), page=p.number, bbox=bb, hints=hints))
                parts.append(text)
                pos += len(text)
        doc.blocks.extend(page_blocks)
        start = page_blocks[0].start if page_blocks else page_start
        doc.pages.append(Page(number=p.number, start=start, end=pos, width=p.width, height=p.height))
        _attach_tables(doc, p, page_blocks, parts)
    doc.text = "\n".join(parts)
    for t in doc.tables:
        t.index = doc.tables.index(t)


def _attach_tables(doc: Document, p: PageData, blocks: list[Block], parts: list[str]) -> None:
    first = len(parts) - len(blocks)
    for bb, cells in sorted(p.tables, key=lambda t: (t[0][1], t[0][0])):
        caption = ""
        best = None
        for k, b in enumerate(blocks):
            text = parts[first + k]
            if not TABLE_CAPTION_RE.match(text) or b.bbox is None:
                continue
            d = caption_distance(b.bbox, bb)  # above the table (Chinese style) or below it
            if d is not None and (best is None or d < best[0]):
                best = (d, text, b)
        if best:
            caption = best[1]
            best[2].hints["table_caption"] = True
        header_rows = 1
        doc.tables.append(Table(index=len(doc.tables), page=p.number, caption=caption, cells=cells,
                                bbox=tuple(round(v, 2) for v in bb), header_rows=header_rows, header_cols=1))
