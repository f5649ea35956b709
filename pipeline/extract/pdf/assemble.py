"""Pages -> `Document`: reading-order paragraphs become blocks with reader hints; page spans; tables
with their captions; footnotes at the end.

A paragraph cut by a column or page break is one block: when the last paragraph of a column or
page runs on (its last line fills the column, or it stops mid-sentence) and the next column or page
starts with a line that is not indented and set in the same font, the two are joined. Captions and
figure text between the two halves ("floats") move out of the way: those of the earlier page before
the paragraph, those of the later page after it, so page spans stay in order. Footnotes leave the
page flow (furniture.py) and are appended after the last page, one block each (hint `footnote`),
with their page number; the superscript markers that point to them are dropped from the body.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Optional

from pipeline.document.model import Block, Document, Page, Table
from pipeline.extract.references import REFERENCES_HEADING_RE, group_entries

from .base import (
    CAPTION_RE,
    HEADING_RE,
    SENTENCE_END_RE,
    TABLE_CAPTION_RE,
    TOC_LINE_RE,
    BBox,
    Line,
    PageData,
    caption_distance,
    inside,
    is_cjk,
    join_lines,
)
from .furniture import CHECKBOX_RE, TABLE_NOTE_RE, UNIT_LINE_RE
from .layout import BULLET_RE, paragraphs, reading_order, right_edge

_END_RE = SENTENCE_END_RE
_SUP_RE = re.compile(r" ?([⁰¹²³⁴⁵⁶⁷⁸⁹]+)(?= |$)|([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")


@dataclass
class _Para:
    page: PageData
    key: Optional[int]  # column index, None for full-width / one-column text
    lines: list[Line]
    left: float
    right: float
    n_cols: int = 1
    text_w: float = 1.0
    body_size: float = 0.0
    role: str = ""  # "" running text, else a float: "caption", "note", "figure" (see _role)
    note: bool = False  # a footnote
    more: list["_Para"] = field(default_factory=list)  # its continuation in later columns / pages

    def parts(self) -> list["_Para"]:
        return [self] + self.more


def _role(lines: list[Line], body_size: float, figures: Optional[list[BBox]] = None) -> str:
    """"" for running text; "caption", "note" (under a table or figure) or "figure" (labels and
    numbers of a figure or an unruled table) for floats, which may sit between the two halves of
    a paragraph cut by a column or page break."""
    text = "".join(ln.text for ln in lines)
    if TOC_LINE_RE.search(lines[-1].text):
        return "toc"  # (also "Fig. 1. Architecture ........ 3" in a list of figures)
    if CAPTION_RE.match(lines[0].text):
        return "caption"
    if TABLE_NOTE_RE.match(lines[0].text) and lines[0].size < body_size - 0.5:
        return "note"
    if len(text) <= 40 and (UNIT_LINE_RE.match(text) or len(CHECKBOX_RE.findall(text)) >= 2):
        return "note" if UNIT_LINE_RE.match(text) else "figure"  # a table's unit line, a form's check boxes
    if figures and all(any(inside(ln, f) for f in figures) for ln in lines):
        words = len(text.split())
        if not (words >= 8 and _END_RE.search(text.strip())):  # prose set inside a figure stays prose
            return "figure"
    if HEADING_RE.match(text) or any(ln.bold for ln in lines) or _END_RE.search(text.strip()):
        return ""
    letters = sum(1 for ch in text if ch.isalpha())
    if letters < 0.3 * max(len(text), 1):
        return "figure"  # numbers and symbols
    if len(text) < 40 and (letters < 0.5 * len(text) or lines[0].size < body_size - 0.8):
        return "figure"
    return ""


def _ends_sentence(para: _Para) -> bool:
    last = para.parts()[-1]
    return bool(_END_RE.search(last.lines[-1].text.strip()))


def _runs_on(prev: _Para, nxt: _Para, same_page: bool, flow_pages: set[int]) -> bool:
    """Does `nxt` (first paragraph of a later column or page) continue `prev`?"""
    tail = prev.parts()[-1]
    last, first = tail.lines[-1], nxt.lines[0]
    em = max(last.size, 1.0)
    if same_page:
        # a later column of the same page, starting higher up than where the paragraph stopped
        if not (tail.key is not None and nxt.key is not None and nxt.key > tail.key and first.top < last.top):
            return False
    elif any(n in flow_pages for n in range(tail.page.number + 1, nxt.page.number)):
        return False  # pages in between hold running text (pages of tables or figures do not)
    indented = first.x0 > nxt.left + 0.8 * em and abs(first.x0 - last.x0) > 0.8 * em  # (a list item runs on)
    if (indented or abs(first.size - last.size) > 0.8 or first.bold != last.bold
            or CAPTION_RE.match(tail.lines[0].text) or CAPTION_RE.match(first.text) or HEADING_RE.match(first.text)):
        return False
    if not _ends_sentence(prev):  # stopped mid-sentence: unless the next word would have fitted
        return first.text[:1].islower() or not _would_fit(first, tail.right - last.x1, em)
    # a sentence ended at the bottom: only a full last line runs on into the next column
    return same_page and last.x1 >= tail.right - 2.0 * em


def _would_fit(first: Line, room: float, em: float) -> bool:
    """Would the first word of `first` have fitted into `room` at the end of the line before?"""
    if is_cjk(first.text[0]):
        return room > 2.0 * em
    word = first.text.split(" ", 1)[0]
    return room > 0.55 * em * len(word) + 1.2 * em


def _page_paras(p: PageData, body_size: float) -> list[_Para]:
    groups, n_cols = reading_order(p)
    if p.lines:
        x_min, x_max = min(ln.x0 for ln in p.lines), max(ln.x1 for ln in p.lines)
    else:
        x_min, x_max = 0.0, p.width
    # column edges from all lines of that column on the page (a short run says little)
    edges: dict[Any, tuple[float, float]] = {}
    keys = {None if ln.full or n_cols == 1 else ln.col for g in groups for ln in g}
    for key in keys:
        sel = [ln for g in groups for ln in g if (None if ln.full or n_cols == 1 else ln.col) == key]
        if sel:
            edges[key] = (min(ln.x0 for ln in sel), right_edge(sel))
    out: list[_Para] = []
    for g in groups:
        key = None if g[0].full or n_cols == 1 else g[0].col
        left, right = edges.get(key, (x_min, x_max))
        for para in paragraphs(g, left, right):
            role = _role(para, body_size, p.figures)
            prev = out[-1] if out else None
            if (not role and prev is not None and prev.role and prev.key == key and para[0].size < body_size - 0.5
                    and 0 <= para[0].top - prev.lines[-1].bottom <= 2 * para[0].size):
                role = "note"  # small print right under a table or figure belongs to it
            out.append(_Para(p, key, para, left, right, n_cols, max(x_max - x_min, 1.0), body_size, role=role))
    return out


def _flow(paras: list[_Para]) -> list[_Para]:
    """Join paragraphs that run on across columns and pages; move floats out of the way."""
    out: list[_Para] = []
    open_i: Optional[int] = None  # index in `out` of the paragraph that may run on
    held: list[_Para] = []  # floats met while a paragraph is open
    flow_pages = {p.page.number for p in paras if not p.role}
    for para in paras:
        if para.role:
            if open_i is None:
                out.append(para)
            else:
                held.append(para)
            continue
        if open_i is not None:
            prev = out[open_i]
            tail = prev.parts()[-1]
            same_page = tail.page.number == para.page.number
            if _runs_on(prev, para, same_page, flow_pages):
                prev.more.append(para)
                # floats of the page the paragraph started on go before it, the others after it
                before = [f for f in held if f.page.number < para.page.number]
                after = [f for f in held if f.page.number >= para.page.number]
                out[open_i:open_i] = before
                open_i += len(before)
                held = after
                continue
            out.extend(held)
            held = []
        out.append(para)
        open_i = len(out) - 1
    out.extend(held)
    return out


def _reference_entries(flow: list[_Para]) -> list[_Para]:
    """After a "参考文献 / References" heading, one paragraph per entry (references.group_entries),
    while the paragraphs keep the list's type size and no heading intervenes."""
    out: list[_Para] = []
    k = 0
    while k < len(flow):
        para = flow[k]
        out.append(para)
        k += 1
        if para.role or len(para.lines) > 2 or not REFERENCES_HEADING_RE.match(" ".join(ln.text for ln in para.lines)):
            continue
        region: list[_Para] = []
        while k < len(flow) and not flow[k].role and not _heading_like(flow[k]):
            if region and abs(flow[k].lines[0].size - region[0].lines[0].size) > 0.5:
                break
            region.append(flow[k])
            k += 1
        if region:
            out.extend(_regroup(region))
    return out


def _regroup(region: list[_Para]) -> list[_Para]:
    items = [(part, ln) for para in region for part in para.parts() for ln in part.lines]
    size = statistics.median(ln.size for _, ln in items)
    margin: dict[tuple[int, Optional[int]], float] = {}
    for part, ln in items:
        key = (part.page.number, part.key)
        margin[key] = min(margin.get(key, ln.x0), ln.x0)
    groups = group_entries([ln.text for _, ln in items],
                           [ln.x0 - margin[(part.page.number, part.key)] for part, ln in items], size)
    out: list[_Para] = []
    for g in groups:
        entry: Optional[_Para] = None
        for i in g:
            part, ln = items[i]
            if entry is not None and entry.parts()[-1].page is part.page and entry.parts()[-1].key == part.key:
                entry.parts()[-1].lines.append(ln)
                continue
            piece = _Para(part.page, part.key, [ln], part.left, part.right, part.n_cols, part.text_w, part.body_size)
            if entry is None:
                entry = piece
            else:
                entry.more.append(piece)
        if entry is not None:
            out.append(entry)
    return out


def _text(para: _Para) -> tuple[str, list[tuple[int, int]]]:
    """The paragraph's text and, per part, (page number, offset where the part starts)."""
    text, starts = "", []
    for part in para.parts():
        t = join_lines([ln.text for ln in part.lines])
        t = _drop_marks(t, part.page.note_marks)
        if not t:
            continue
        if text:
            if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and t[0].islower():
                text = text[:-1]  # a word hyphenated across the break
            elif not (is_cjk(text[-1]) or is_cjk(t[0])):
                text += " "
        starts.append((part.page.number, len(text)))
        text += t
    return text, starts


def _drop_marks(text: str, marks: set[str]) -> str:
    if not marks:
        return text
    def drop(m: re.Match) -> str:
        mark = m.group(1) or m.group(2)
        return "" if unicodedata.normalize("NFKC", mark) in marks else m.group()

    return _SUP_RE.sub(drop, text)


def _hints(para: _Para) -> dict[str, Any]:
    lines, p = para.lines, para.page
    bb = _bbox(lines)
    full = para.key is None and (para.n_cols > 1 or (bb[2] - bb[0]) >= 0.6 * para.text_w)
    mid = (para.left + para.right) / 2
    hints: dict[str, Any] = {
        "font_size": Counter(ln.size for ln in lines).most_common(1)[0][0],
        "bold": sum(ln.bold for ln in lines) * 2 > len(lines),
        "full_width": bool(full),
        "column": para.key,
        "line_count": sum(len(q.lines) for q in para.parts()),
        "centered": abs((bb[0] + bb[2]) / 2 - mid) < 0.06 * (para.right - para.left) and bb[0] > para.left + 2 * lines[0].size,
    }
    if para.n_cols > 2:
        hints["columns"] = para.n_cols
    if _heading_like(para):
        hints["heading"] = True
    if para.more:
        hints["continues_on_page"] = para.more[-1].page.number  # a paragraph cut by a column/page break
    if para.note:
        hints["footnote"] = True
        hints["layout"] = "footnote"
    elif para.role:
        hints["layout"] = para.role
    if p.source != "pypdfium2":
        hints["text_source"] = p.source
    return hints


def _heading_like(para: _Para) -> bool:
    """Set apart like a heading: one or two lines of bold type (not smaller than the body), short, not a
    sentence. (Larger type alone is no heading: author names and mastheads are set large too.)"""
    lines = para.lines
    if para.more or para.role or para.note or len(lines) > 2:
        return False
    text = " ".join(ln.text for ln in lines).strip()
    if not text or len(text) > 120 or (SENTENCE_END_RE.search(text) and not text.endswith(("?", "？"))):
        return False
    if BULLET_RE.match(text) or not any(ch.isalpha() for ch in text):
        return False
    if all(ln.bold for ln in lines) and max(ln.size for ln in lines) >= 0.85 * para.body_size:
        return True
    # one line in title case ("(a) Comments Due Date", "Examining the AD Docket", "ESTIMATED COSTS")
    words = re.findall(r"[^\W\d_][\w'’\-]*", text)
    caps = [w for w in words if w[0].isupper()]
    small = sum(1 for w in words if w.lower() in _SMALL_WORDS)
    shouted = text.upper() == text and len(words) >= 2  # "ESTIMATED COSTS"
    return (len(lines) == 1 and len(words) <= 12 and (len(words) >= 3 or shouted)  # two words: a name?
            and not text.endswith((",", "，", ";")) and not any(is_cjk(ch) for ch in text)
            and len(caps) + small == len(words) and len(caps) >= 2)


# words a title-case heading leaves in lower case
_SMALL_WORDS = frozenset("a an the and or nor but of in on at to for by with from into as vs per via".split())


def _bbox(lines: list[Line]) -> BBox:
    return (round(min(ln.x0 for ln in lines), 2), round(min(ln.top for ln in lines), 2),
            round(max(ln.x1 for ln in lines), 2), round(max(ln.bottom for ln in lines), 2))


def assemble(doc: Document, pages: list[PageData], body_size: float = 0.0) -> None:
    paras: list[_Para] = []
    for p in pages:
        paras.extend(_page_paras(p, body_size))
    flow = _reference_entries(_flow(paras))
    notes = [_Para(p, None, note, 0.0, p.width, note=True) for p in pages for note in p.footnotes]
    parts: list[str] = []
    pos = 0
    span: dict[int, list[int]] = {}  # page number -> [start, end] of its text
    page_blocks: dict[int, list[tuple[Block, str]]] = {}
    for para in flow + notes:
        text, starts = _text(para)
        if not text:
            continue
        if parts:
            pos += 1  # the "\n" joining blocks (and pages)
        block = Block(start=pos, end=pos + len(text), page=para.page.number, bbox=_bbox(para.lines),
                      hints=_hints(para))
        if para.role == "figure":
            block.kind = "table"  # figure labels, rows of an unruled table: no sentences (structure keeps it)
        elif para.note or para.role == "toc":
            block.kind = "front_matter"  # footnotes, table-of-contents entries: no running text
        doc.blocks.append(block)
        page_blocks.setdefault(para.page.number, []).append((block, text))
        parts.append(text)
        if not para.note:
            for k, (number, off) in enumerate(starts):
                end = starts[k + 1][1] if k + 1 < len(starts) else len(text)
                sp = span.setdefault(number, [pos + off, pos + end])
                sp[0], sp[1] = min(sp[0], pos + off), max(sp[1], pos + end)
        pos += len(text)
    last = 0
    for p in pages:
        start, end = span.get(p.number, [last, last])
        doc.pages.append(Page(number=p.number, start=start, end=end, width=p.width, height=p.height))
        last = end
        _attach_tables(doc, p, page_blocks.get(p.number, []))
    doc.text = "\n".join(parts)
    for i, t in enumerate(doc.tables):
        t.index = i


def _attach_tables(doc: Document, p: PageData, blocks: list[tuple[Block, str]]) -> None:
    for bb, cells in sorted(p.tables, key=lambda t: (t[0][1], t[0][0])):
        caption = ""
        best = None
        for b, text in blocks:
            if not TABLE_CAPTION_RE.match(text) or b.bbox is None:
                continue
            d = caption_distance(b.bbox, bb)  # above the table (Chinese style) or below it
            if d is not None and (best is None or d < best[0]):
                best = (d, text, b)
        if best:
            caption = best[1]
            best[2].hints["table_caption"] = True
        doc.tables.append(Table(index=len(doc.tables), page=p.number, caption=caption, cells=cells,
                                bbox=tuple(round(v, 2) for v in bb), header_rows=1, header_cols=1))  # type: ignore[arg-type]
