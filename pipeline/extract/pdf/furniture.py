"""Page furniture and footnotes: what is printed on a page but is not its running text.

Furniture is dropped: page numbers, running headers/footers (repeated in the top/bottom band of
several pages, or cut off by a rule), marks in the side margins (vertical text such as production
stamps, "jbell on DSK…PROD with PROPOSALS", "arXiv:… [cs.CL]"; lines repeated in a margin), and
line numbers. Footnotes are kept but taken out of the page's flow (`PageData.footnotes`): lines set
smaller than the body at the foot of the page (nothing of body size below them) that start with a
note marker or sit under a short separator rule; their numbers (`PageData.note_marks`) let the
assembler drop the matching superscript markers from the body text.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from typing import Optional

from .base import CAPTION_RE, PAGE_NUMBER_RE, Line, PageData
from .layout import column_gutters

# A footnote starts with its marker: a superscript number, "1." / "１．" / "1 " / "(1)" / "[1]",
# a circled number, or a symbol (*, †, ‡, §, ¶).
NOTE_START_RE = re.compile(
    r"^\s*(?:(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})|(?P<num>[0-9０-９]{1,3})(?:[.．、)）]|\s|(?=[^\W\d_]))"
    r"|[(（\[［](?P<par>[0-9０-９]{1,3})[)）\]］]|(?P<circ>[①-⑳])|(?P<sym>[*∗†‡§¶]))"
)
# notes under a table or figure: they belong to it, not to the page foot
_TRAILING_SUP_RE = re.compile(r"\s([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})$")
TABLE_NOTE_RE = re.compile(r"^\s*(?:注[:：]|注\s*\d|资料来源|数据来源|来源[:：]|Notes?[:.：]|Sources?[:：])", re.I)
# a unit line over a table ("单位：元", "Unit: USD million")
UNIT_LINE_RE = re.compile(r"^\s*(?:(?:货币)?单位[:：]|(?:Units?|Currency)[:：]|\(?in (?:thousands|millions|billions)\b)", re.I)
# a form's check boxes ("√ 适用 □ 不适用", "☐ Yes ☒ No")
CHECKBOX_RE = re.compile(r"[□☐☑☒■√✓✔]")
_NUM_ONLY_RE = re.compile(r"^\s*[0-9０-９]{1,4}\s*$")


def body_size(pages: list[PageData]) -> float:
    """The size of the running text: the most common line size, weighted by characters."""
    weight: Counter = Counter()
    for p in pages:
        for ln in p.lines:
            weight[ln.size] += len(ln.text)
    return weight.most_common(1)[0][0] if weight else 0.0


def note_number(text: str) -> Optional[str]:
    """The marker a footnote line starts with, as plain text ("1", "*", "①"), or None. (A superscript
    drawn after its line's text comes last in the char sequence: "Pub. L. No. 105-304 …). ¹".)"""
    m = NOTE_START_RE.match(text)
    if not m:
        tail = _TRAILING_SUP_RE.search(text)
        return unicodedata.normalize("NFKC", tail.group(1)) if tail else None
    for key in ("sup", "num", "par"):
        if m.group(key):
            return unicodedata.normalize("NFKC", m.group(key))
    return m.group("circ") or m.group("sym")


# --------------------------------------------------------------------------- running furniture

def strip_running(pages: list[PageData]) -> None:
    """Drop page numbers, running headers/footers, margin marks and line numbers."""
    def band(p: PageData, ln: Line) -> Optional[str]:
        if ln.bottom < 0.11 * p.height:
            return "top"
        if ln.top > 0.89 * p.height:
            return "bottom"
        if ln.x1 < 0.12 * p.width:
            return "left"
        if ln.x0 > 0.88 * p.width:
            return "right"
        return None

    def norm(s: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)))

    counts: Counter = Counter()
    for p in pages:
        counts.update({(band(p, ln), norm(ln.text)) for ln in p.lines if band(p, ln)})
    with_text = sum(1 for p in pages if p.lines)
    need = max(2, int(0.3 * with_text))
    sizes = [ln.size for p in pages for ln in p.lines]
    size = statistics.median(sizes) if sizes else 0.0

    def ruled_off(p: PageData, ln: Line, zone: str) -> bool:
        # A small line cut off from the body by a long rule (the usual running-header rule):
        # a header even on a single page, where repetition cannot tell. (Not a footnote under
        # its separator rule.)
        if ln.size > size or not p.long_rules or zone not in ("top", "bottom"):
            return False
        if zone == "top":
            return any(0 <= y - ln.bottom <= 10 for y in p.long_rules)
        return not note_number(ln.text) and any(0 <= ln.top - y <= 10 for y in p.long_rules)

    for p in pages:
        numbers = _line_numbers(p)
        keep = []
        for ln in p.lines:
            zone = band(p, ln)
            if id(ln) in numbers or _margin_mark(p, ln):
                continue
            page_number = zone in ("top", "bottom") and PAGE_NUMBER_RE.match(unicodedata.normalize("NFKC", ln.text))
            if zone and (page_number or (with_text >= 2 and counts[(zone, norm(ln.text))] >= need)
                         or ruled_off(p, ln, zone)):
                continue
            keep.append(ln)
        p.lines = keep


def _margin_mark(p: PageData, ln: Line) -> bool:
    """Vertical text in a side margin (production stamps, arXiv ids): a line much taller than wide."""
    h, w = ln.bottom - ln.top, ln.x1 - ln.x0
    in_margin = ln.x1 < 0.15 * p.width or ln.x0 > 0.85 * p.width
    return in_margin and len(ln.text.strip()) >= 4 and h > 3 * max(w, 1.0)


def _line_numbers(p: PageData) -> set[int]:
    """Line numbers of a manuscript: a column of bare numbers in a side margin, counting up."""
    out: set[int] = set()
    for side in ("left", "right"):
        cand = [ln for ln in p.lines if _NUM_ONLY_RE.match(ln.text)
                and (ln.x1 < 0.15 * p.width if side == "left" else ln.x0 > 0.85 * p.width)]
        if len(cand) < 5:
            continue
        cand.sort(key=lambda ln: ln.top)
        values = [int(unicodedata.normalize("NFKC", ln.text)) for ln in cand]
        steps = sum(1 for a, b in zip(values, values[1:]) if 1 <= b - a <= 5)  # 1, 2, 3 … or 5, 10, 15 …
        if steps >= 0.8 * (len(values) - 1):
            out.update(id(ln) for ln in cand)
    return out


# --------------------------------------------------------------------------- footnotes

def split_footnotes(pages: list[PageData]) -> None:
    """Move each page's footnotes out of `p.lines` into `p.footnotes` (one list of lines per note)."""
    size = body_size(pages)
    if not size:
        return
    for p in pages:
        _page_footnotes(p, size)


def _page_footnotes(p: PageData, size: float) -> None:
    small = [ln for ln in p.lines if ln.size <= 0.92 * size and ln.top > 0.45 * p.height]
    if not small:
        return
    big = [ln for ln in p.lines if ln.size > 0.95 * size]
    # the note area: small lines with no body-size line below them in the same horizontal span
    foot = [ln for ln in small
            if not any(b.top > ln.bottom - 1 and min(b.x1, ln.x1) - max(b.x0, ln.x0) > 0 for b in big)]
    if not foot:
        return
    foot.sort(key=lambda ln: (ln.top, ln.x0))
    # walk up from the page foot while lines stay close (a gap of more than 2 lines ends the area)
    area = [foot[-1]]
    for ln in reversed(foot[:-1]):
        if area[-1].top - ln.bottom > 2.5 * max(ln.size, 1.0):
            break
        area.append(ln)
    area.reverse()
    # Grouped into notes: a line that starts with a marker starts a note (in reading order, so a
    # two-column foot is read column by column).
    gutters = column_gutters(area) if len(area) >= 6 else []
    cols = {id(ln): sum(1 for g in gutters if ln.x0 >= g - 1) for ln in area}
    area.sort(key=lambda ln: (cols[id(ln)], ln.top, ln.x0))
    top = area[0]
    # a footnote separator: a short rule starting at (or a little left of) the notes' left edge, right above them
    left = min(ln.x0 for ln in area)
    rule = any(y < top.top and top.top - y <= 2.5 * max(top.size, 1.0) and x1 - x0 < 0.6 * p.width
               and left - 4 * max(top.size, 1.0) <= x0 <= left + 10 for y, x0, x1 in p.short_rules)
    first = note_number(top.text)
    if CAPTION_RE.match(top.text) or (TABLE_NOTE_RE.match(top.text) and not rule):
        return
    if first is None and not rule:
        return
    notes: list[list[Line]] = []
    for ln in area:
        if note_number(ln.text) is not None or not notes:
            notes.append([ln])
        else:
            notes[-1].append(ln)
    ids = {id(ln) for ln in area}
    p.lines = [ln for ln in p.lines if id(ln) not in ids]
    p.footnotes.extend(notes)
    for note in notes:
        mark = note_number(note[0].text)
        if mark:
            p.note_marks.add(mark)
