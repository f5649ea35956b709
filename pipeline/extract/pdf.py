"""PDF reader: reading-order text, pages, paragraph blocks with layout hints, and ruled tables.

Text and layout come from pypdfium2 (fast: a handful of C calls per *line*, not per char).
Ruled tables are cut into cells from the page's own vector rules (pdfium path segments), the
geometry pdfplumber's `find_tables()` uses, without paying pdfminer's full page parse (that costs
as much as pdfplumber's `extract_text()` and would cap the speed-up near 1x on table pages).
Steps: lines per page -> drop running headers/footers/page numbers (position +
repetition) -> columns and reading order (full-width elements split the column flow) ->
paragraphs (vertical gap, indentation, short last line, font change, heading/caption patterns)
-> `Document`.
"""
from __future__ import annotations

import bisect
import ctypes
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.document.model import Block, Cell, Document, Page, Table
from pipeline.errors import DocumentError, Msg

BBox = tuple[float, float, float, float]

HEADING_RE = re.compile(
    r"^(\d{1,2}(\.\d{1,2}){0,3}\.?\s*[^\d\s.%．]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]"
    r"|第[一二三四五六七八九十\d]{1,3}[章节部分]|摘\s*要|Abstract\b|ABSTRACT\b|关键词|Key\s*words|Keywords"
    r"|参考文献|References\b|REFERENCES\b|致谢|Acknowledg|结\s*语|结\s*论|引\s*言|Introduction\b|Conclusions?\b)"
)
CAPTION_RE = re.compile(r"^\s*(续?表|图|Table|TABLE|Tab\.|Fig\.|Figure|FIGURE)\s*[\dA-Z]+")
TABLE_CAPTION_RE = re.compile(r"^\s*(续?表|Table|TABLE|Tab\.)\s*[\dA-Z]+")
FIGURE_RE = re.compile(r"^\s*(图|Fig\.|Figure|FIGURE)\s*[\dA-Z]+")
PAGE_NUMBER_RE = re.compile(
    r"^[-—–·•\s]*(第\s*)?(\d{1,4}|[ivxlcdm]{1,6}|[IVXLCDM]{1,6})(\s*页)?(\s*(/|of|共)\s*\d{1,4}\s*页?)?[-—–·•\s]*$"
    r"|^(Page|PAGE|p\.)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?$"
)
_WEIRD = set("!\"#$&*+/:;<=>?@[\\]^_`{|}~")


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF
            or 0x3000 <= o <= 0x303F or 0x20000 <= o <= 0x2FFFF)


_CJK_CLASS = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_SPACE_RE = re.compile(rf"(?<=[{_CJK_CLASS}]) +(?=[{_CJK_CLASS}])")

# Founder (方正) fonts in Chinese journals map Latin letters to rare CJK chars whose GBK code is
# 0xA0, ASCII + 0x80 ("CGSS" -> "犆犌犛犛"); undo it on lines that hold several of them.
_LOOKALIKE = {ord(bytes([0xA0, b]).decode("gbk")): chr(b - 0x80) for b in range(0xA1, 0xFF)}
_LOOKALIKE_RE = re.compile("[" + "".join(chr(c) for c in _LOOKALIKE) + "]")


@dataclass
class _Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    col: Optional[int] = None  # 0/1 on a two-column page, None otherwise
    full: bool = False  # spans the column gutter
    ia: int = 0  # pdfium char range [ia, ib) (for cutting table cells)
    ib: int = 0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class _PageData:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    n_chars: int = 0
    n_images: int = 0
    invisible_text: bool = False  # OCR layer over a scan
    source: str = "pypdfium2"  # the library whose chars the lines come from
    long_rules: list[float] = field(default_factory=list)  # y of horizontal rules >= half the page wide
    tables: list[tuple[BBox, list[Cell]]] = field(default_factory=list)


# --------------------------------------------------------------------------- opening / errors

def _sniff(head: bytes) -> str:
    h = head.lstrip().lower()
    if h.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in h[:512]:
        return "HTML"
    if h.startswith(b"<?xml") or h.startswith(b"<"):
        return "XML/HTML"
    if h.startswith(b"pk\x03\x04"):
        return "a ZIP/Office file"
    if h.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old MS Office file"
    if h.startswith((b"\x89png", b"\xff\xd8\xff", b"gif8")):
        return "an image"
    try:
        head[:256].decode("utf-8")
        return "plain text"
    except UnicodeDecodeError:
        return "binary data"


def _open(data: bytes, password: Optional[str]) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as e:
        # pdfium's error code is process-global and can be stale, so check the bytes agree.
        if getattr(e, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD and b"/Encrypt" in data:
            raise DocumentError(Msg.PDF_BAD_PASSWORD if password else Msg.PDF_ENCRYPTED) from None
        tail = data[-2048:]
        if (b"%%EOF" in tail and re.search(rb"/Count\s*0\b", data) and re.search(rb"/Type\s*/Pages\b", data)
                and not re.search(rb"/Type\s*/Page\b(?!s)", data)):
            raise DocumentError(Msg.PDF_ZERO_PAGES) from None  # pdfium refuses page-less files
        detail = "truncated: no end-of-file marker" if b"%%EOF" not in tail else "cannot parse the file structure"
        raise DocumentError(Msg.PDF_CORRUPT.format(detail=detail)) from None
    except Exception as e:  # any other library failure is still a bad file, never a traceback
        raise DocumentError(Msg.PDF_CORRUPT.format(detail=type(e).__name__)) from None


# --------------------------------------------------------------------------- lines from pdfium

def _char_text(tp: pdfium.PdfTextPage, n: int) -> str:
    text = tp.get_text_range(0, n)
    if len(text) == n:
        return text
    # Rare: pdfium's text view differs from its char list; rebuild 1:1 so indices stay valid.
    out = []
    for k in range(n):
        u = pdfium_c.FPDFText_GetUnicode(tp.raw, k)
        out.append(chr(u) if 0 < u < 0x110000 and not 0xD800 <= u < 0xE000 else " ")
    return "".join(out)


def _font_bold(raw: Any, k: int, buf: Any, flags: Any) -> bool:
    if pdfium_c.FPDFText_GetFontWeight(raw, k) >= 600:
        return True
    n = pdfium_c.FPDFText_GetFontInfo(raw, k, buf, len(buf), flags)
    name = bytes(buf[: max(0, n - 1)]).decode("latin-1", "replace")
    return bool(re.search(r"Bold|Black|Heavy|Semibold|Demi|Hei|,B\b", name))


class _View:
    """Maps PDF user space (y up, page /Rotate ignored) to the displayed page (y down from the top),
    so landscape pages read like they look."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        l, b, r, t = page.get_mediabox()
        self.l, self.b, self.w, self.h = l, b, r - l, t - b
        self.rot = page.get_rotation() % 360

    def pt(self, x: float, y: float) -> tuple[float, float]:
        x, y = x - self.l, y - self.b
        if self.rot == 90:
            return y, x
        if self.rot == 180:
            return self.w - x, y
        if self.rot == 270:
            return self.h - y, self.w - x
        return x, self.h - y

    def rect(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        x0, y0 = self.pt(left, bottom)
        x1, y1 = self.pt(right, top)
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _page_lines(tp: pdfium.PdfTextPage, view: _View) -> tuple[list[_Line], int, bool, str, Any]:
    """Lines of one page from pdfium: its own line breaks, split again at gaps wider than 1.5 em."""
    n = tp.count_chars()
    if n <= 0:
        return [], 0, False, "", None
    raw = tp.raw
    text = _char_text(tp, n)
    rect = pdfium_c.FS_RECTF()
    mtx = pdfium_c.FS_MATRIX()
    buf = (ctypes.c_ubyte * 128)()
    flags = ctypes.c_int()
    cache: dict[int, tuple[float, float, float, float]] = {}
    unrotated = view.rot == 0
    ox, top_y = view.l, view.b + view.h
    get_box = pdfium_c.FPDFText_GetLooseCharBox

    def box(k: int) -> tuple[float, float, float, float]:
        b = cache.get(k)
        if b is None:
            get_box(raw, k, rect)
            if unrotated:  # the common case, inlined: this runs for many chars
                b = (rect.left - ox, top_y - rect.top, rect.right - ox, top_y - rect.bottom)
            else:
                b = view.rect(rect.left, rect.bottom, rect.right, rect.top)
            cache[k] = b
        return b

    dl, dr, db, dt = (ctypes.c_double() for _ in range(4))
    refs = (ctypes.byref(dl), ctypes.byref(dr), ctypes.byref(db), ctypes.byref(dt))

    def ink(k: int) -> tuple[float, float]:
        """Horizontal extent of the glyph's ink (loose boxes of CJK fonts are a full em wide)."""
        pdfium_c.FPDFText_GetCharBox(raw, k, *refs)
        if unrotated:
            return dl.value, dr.value
        x0, _t, x1, _b = view.rect(dl.value, db.value, dr.value, dt.value)
        return x0, x1

    def style(a: int, h: float) -> tuple[float, bool]:
        # Effective size = font size x the text matrix's vertical scale (many PDFs set Tf 1 and
        # scale the matrix); glyph boxes vary with the glyph, so they are only the fallback.
        size = pdfium_c.FPDFText_GetFontSize(raw, a)
        if pdfium_c.FPDFText_GetMatrix(raw, a, mtx):
            size *= math.hypot(mtx.c, mtx.d)
        if not (0.3 * h <= size <= 3 * h) and h > 0:
            size = h
        return size, _font_bold(raw, a, buf, flags)

    invisible = False
    first = _NON_SPACE_RE.search(text)
    if first:
        obj = pdfium_c.FPDFText_GetTextObject(raw, first.start())
        invisible = bool(obj) and pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
    page_w = view.w if view.rot in (0, 180) else view.h
    return _build_lines(text, box, ink, style, page_w), n, invisible, text, box


_NON_SPACE_RE = re.compile(r"\S")
_LINE_RE = re.compile(r"[^\r\n]+")
_SPACES_RE = re.compile(r"\s+")
_LATIN_RE = re.compile(r"[A-Za-z]")
_LATIN_PAIR_RE = re.compile(r"[A-Za-z][^\s\u2e80-\u9fff]*[A-Za-z]")
_LONG_LATIN_RE = re.compile(r"[A-Za-z]{13,}")  # longer than nearly every English word: spaces missing?


def _build_lines(text: str, box: Any, ink: Any, style: Any, page_w: float) -> list[_Line]:
    """Lines from a page's chars, whichever library read them. `text` holds one char per index
    ("\r"/"\n" between lines), `box(k)` its loose box (x0, top, x1, bottom; top-based), `ink(k)` the
    horizontal extent of its glyph, `style(k, line height)` (font size, bold) of a line starting at k.
    A line's chars are split again at gaps wider than 1.5 em (column gutter, table cell)."""
    lines: list[_Line] = []
    latin: list[tuple[int, str]] = []  # (line index, raw text) of lines with Latin words, not yet spaced
    spaceless = False  # a line here turned out to lack spaces between words: check them all

    def clean(s: str) -> str:
        return _CJK_SPACE_RE.sub("", s.replace("\x02", "-").replace("\ufffe", ""))

    def emit(a: int, b: int) -> None:  # chars [a, b) with no leading/trailing space
        nonlocal spaceless
        b0, b1 = box(a), box(b - 1)
        h = max(b0[3] - b0[1], b1[3] - b1[1])
        size, bold = style(a, h)
        s = text[a:b]
        if len(_LOOKALIKE_RE.findall(s)) >= 3:
            s = s.translate(_LOOKALIKE)
        if b - a >= 12 and ((s.count(" ") * 15 < b - a and len(_LATIN_RE.findall(s)) >= 12)
                            or any(_space_words(m.group(), a + m.start(), ink, size)[1]
                                   for m in _LONG_LATIN_RE.finditer(s))):
            # a text layer without spaces between Latin words? (a word of 13+ letters is checked
            # alone first: in healthy English text it is just a long word, and cheap to look at)
            s, added = _space_words(s, a, ink, size)
            spaceless = spaceless or added >= 2
        elif not spaceless and _LATIN_PAIR_RE.search(s):
            latin.append((len(lines), s))
        elif spaceless and _LATIN_PAIR_RE.search(s):
            s = _space_words(s, a, ink, size)[0]
        lines.append(_Line(clean(s), min(b0[0], b1[0]), min(b0[1], b1[1]), max(b0[2], b1[2]), max(b0[3], b1[3]),
                           round(size, 1), bold, ia=a, ib=b))

    for m in _LINE_RE.finditer(text):
        a, b = m.span()
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        a, b = a + lead, b - trail
        if a >= b:
            continue
        start = a
        f, g = box(a), box(b - 1)
        if a == b - 1 or (0 <= g[2] - f[0] < 0.45 * page_w):
            emit(a, b)  # narrower than half the page: cannot straddle a column gutter, skip the gap checks
            continue
        for sp in _SPACES_RE.finditer(text, a, b):
            left, right = sp.start() - 1, sp.end()
            bl, br = box(left), box(right)
            em = max(bl[3] - bl[1], 1.0)
            if br[0] - bl[2] > 1.5 * em or br[0] < bl[0]:  # column gutter / cell gap / jump back
                emit(start, left + 1)
                start = right
        emit(start, b)
    if spaceless:  # lines before the first long unspaced run ("Departmentof" is short)
        for i, raw in latin:
            ln = lines[i]
            ln.text = clean(_space_words(raw, ln.ia, ink, ln.size)[0])
    return lines


def _space_words(s: str, a: int, ink: Any, size: float) -> tuple[str, int]:
    """Insert the spaces a text layer left out between Latin words ("paperanalyzesthe"); returns the
    text and how many were inserted. Only between two Latin letters whose glyphs are a word gap
    apart: wider than the line's usual letter gap (its median, which justification shifts) by
    0.18 em, about a quarter em between glyph edges in plain text, and, where the line has spaces
    of its own, at least half their usual width. So CJK text, numbers ("1 570.82"), punctuation
    and URLs are left as they are."""
    letter_gaps: list[float] = []
    space_gaps: list[float] = []
    cand: list[tuple[int, float]] = []
    prev = -1  # index of the previous visible char
    prev_x1 = 0.0
    after_space = False
    for i, ch in enumerate(s):
        if ch.isspace():
            after_space = prev >= 0
            continue
        if ch in "\x02\ufffe":
            continue
        x0, x1 = ink(a + i)
        if x1 <= x0:
            continue  # no glyph (generated char)
        if prev >= 0:
            gap = x0 - prev_x1
            both = ("a" <= ch <= "z" or "A" <= ch <= "Z") and ("a" <= s[prev] <= "z" or "A" <= s[prev] <= "Z")
            if after_space:
                space_gaps.append(gap)
            elif both:
                letter_gaps.append(gap)
                if prev == i - 1:
                    cand.append((i, gap))
        prev, prev_x1, after_space = i, x1, False
    if len(letter_gaps) < 3:
        return s, 0
    limit = max(0.1 * size, statistics.median(letter_gaps) + 0.18 * size)
    if space_gaps:
        limit = max(limit, 0.5 * statistics.median(space_gaps))
    cut = [i for i, gap in cand if gap > limit]
    if not cut:
        return s, 0
    out, last = [], 0
    for i in cut:
        out.append(s[last:i])
        last = i
    out.append(s[last:])
    return " ".join(out), len(cut)


_Seg = tuple[float, float, float]  # horizontal: (y, x0, x1); vertical: (x, y0, y1); top-based y


def _page_graphics(page: pdfium.PdfPage, view: _View) -> tuple[int, list[_Seg], list[_Seg], int]:
    """(image count, horizontal rules, vertical rules, text object count) from the page's objects
    (forms included); rules come from path objects."""
    hs: list[_Seg] = []
    vs: list[_Seg] = []
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
                for j in range(nseg):
                    seg = get_seg(obj, j)
                    seg_point(seg, px_ref, py_ref)
                    x, y = px.value, py.value
                    pt = (a * x + c * y + e, b * x + d * y + f)
                    st = seg_type(seg)
                    if st == lineto and prev is not None:
                        add(prev[0], prev[1], pt[0], pt[1])
                    if st == moveto:
                        start = pt
                    prev = pt
                    if seg_close(seg) and start is not None:
                        add(pt[0], pt[1], start[0], start[1])

    walk(page.raw, False, (1, 0, 0, 1, 0, 0))
    return n_img, hs, vs, n_txt


# --------------------------------------------------------------------------- ruled tables

def _merge_segs(segs: list[_Seg]) -> list[_Seg]:
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


def _grids(hs: list[_Seg], vs: list[_Seg]) -> list[tuple[BBox, list[tuple[int, int, BBox]]]]:
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
    comps: dict[int, tuple[list[_Seg], list[_Seg]]] = {}
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

        def v_border(x: float, ya: float, yb: float) -> bool:
            mid = (ya + yb) / 2
            return any(abs(v[0] - x) <= tol and v[1] - tol <= mid <= v[2] + tol for v in cv)

        def h_border(y: float, xa: float, xb: float) -> bool:
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


def _three_line_grids(hs: list[_Seg], lines: list[_Line], text: str, box: Any,
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
    merged: list[_Seg] = []
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


def _has_table_caption(bb: BBox, lines: list[_Line]) -> bool:
    for ln in lines:
        if _inside(ln, bb) or not TABLE_CAPTION_RE.match(ln.text):
            continue
        d = _caption_distance((ln.x0, ln.top, ln.x1, ln.bottom), bb)
        if d is not None and d <= 45:
            return True
    return False


def _three_line_cells(bb: BBox, mids: list[float], inner: list[_Line], text: str,
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


def _fill_cells(grid: tuple[BBox, list[tuple[int, int, BBox]]], lines: list[_Line], text: str,
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
            elif rows[-1] and not (_is_cjk(rows[-1][-1][-1]) and _is_cjk(ln.text[0])):
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
            x0, top, x1, bottom = box(k)
            cx, cy = (x0 + x1) / 2, (top + bottom) / 2
            idx = cell_at(cx, cy)
            if idx is not None:
                rows = parts.setdefault(idx, [])
                if not rows or cy - last_top.get(idx, cy) > 0.6 * (bottom - top):
                    rows.append([])
                    space = False
                cur = rows[-1]
                if space and cur and not (_is_cjk(cur[-1][-1]) and _is_cjk(ch)):
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
        cells.append(Cell(row=r, col=c, text=_join_lines(["".join(x) for x in rows]),
                          bbox=tuple(round(v, 2) for v in cb)))  # type: ignore[arg-type]
    return cells


def _join_lines(parts: list[str]) -> str:
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if not out:
            out = p
        elif out.endswith(("-", "\x02")) and len(out) > 1 and out[-2].isalpha() and p[0].islower():
            out = out[:-1] + p  # de-hyphenate "inter-\nnational"
        elif _is_cjk(out[-1]) or _is_cjk(p[0]):
            out += p
        else:
            out += " " + p
    return out


# --------------------------------------------------------------------------- headers / footers

def _strip_running(pages: list[_PageData]) -> None:
    """Drop page numbers and lines repeated in the top/bottom band of several pages."""
    def band(p: _PageData, ln: _Line) -> Optional[str]:
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

    def ruled_off(p: _PageData, ln: _Line, zone: str) -> bool:
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

def _gutter(lines: list[_Line], x_min: float, x_max: float) -> Optional[float]:
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


def _merge_rows(lines: list[_Line], max_gap_em: float = 1.0) -> list[_Line]:
    """Re-join fragments of one visual line (superscripts, font switches) that pdfium split."""
    lines = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    out: list[_Line] = []
    for ln in lines:
        for prev in reversed(out[-4:]):
            overlap = min(prev.bottom, ln.bottom) - max(prev.top, ln.top)
            hmin = min(prev.bottom - prev.top, ln.bottom - ln.top)
            gap = ln.x0 - prev.x1
            if hmin > 0 and overlap >= 0.5 * hmin and -1 <= gap <= max_gap_em * max(prev.size, ln.size):
                sep = "" if (gap < 0.15 * prev.size or _is_cjk(prev.text[-1]) or _is_cjk(ln.text[0])) else " "
                prev.text = prev.text + sep + ln.text
                prev.x1, prev.top, prev.bottom = ln.x1, min(prev.top, ln.top), max(prev.bottom, ln.bottom)
                prev.size = max(prev.size, ln.size)
                break
        else:
            out.append(ln)
    return out


def _reading_order(p: _PageData) -> tuple[list[list[_Line]], bool]:
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
    seps: list[tuple[float, float, Optional[_Line]]] = [(ln.top, ln.bottom, ln) for ln in lines if ln.full]
    seps += [(bb[1], bb[3], None) for bb, _ in p.tables if bb[0] < g - 1 and bb[2] > g + 1]
    seps.sort(key=lambda s: s[0])
    groups: list[list[_Line]] = []
    cols = [sorted((ln for ln in lines if ln.col == c), key=lambda ln: ln.top) for c in (0, 1)]
    idx = [0, 0]
    full_run: list[_Line] = []

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


def _promote_lonely(lines: list[_Line]) -> None:
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


def _paragraphs(group: list[_Line], left: float, right: float) -> list[list[_Line]]:
    """Split a run of lines (one column, in order) into paragraphs."""
    gaps = [b.top - a.bottom for a, b in zip(group, group[1:]) if 0 <= b.top - a.bottom < 3 * a.size]
    typical = statistics.median(gaps) if gaps else 3.0
    width = max(right - left, 1.0)
    mid = (left + right) / 2

    def centered(ln: _Line) -> bool:
        return ln.x0 > left + 2 * ln.size and abs(ln.cx - mid) < 0.06 * width

    # Margins near each line: an abstract or a quotation is narrower than the column, and its lines
    # must not all look indented / ending early against the column's edges.
    n = len(group)
    near_left = [min(min(o.x0 for o in group[max(0, i - 3):i + 4]), right) for i in range(n)]
    near_right = [max(max(o.x1 for o in group[max(0, i - 3):i + 4]), left) for i in range(n)]
    paras: list[list[_Line]] = []
    for i, ln in enumerate(group):
        if not paras:
            paras.append([ln])
            continue
        prev = paras[-1][-1]
        em = max(prev.size, 1.0)
        both_centered = centered(prev) and centered(ln)
        short_end = 2.0 * em if _is_cjk(prev.text[-1]) else 4 * em
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


# --------------------------------------------------------------------------- garbled text

def _garbled(text: str) -> bool:
    """Broken font encodings come out as ASCII-symbol soup ('! !"#$ % & ( )*+'), PUA or U+FFFD."""
    n = len(text) - len(_WS_RE.findall(text))  # regex counts: C speed, this sees every char
    if n < 40:
        return False
    weird = len(_WEIRD_RE.findall(text))
    letters = len(_LETTER_RE.findall(text))
    return weird > 0.15 * n and letters < 0.5 * n


_WS_RE = re.compile(r"\s")
_WEIRD_RE = re.compile("[" + re.escape("".join(sorted(_WEIRD))) + "\ue000-\uf8ff\ufffd\x00-\x1f]")
_LETTER_RE = re.compile(r"[^\W\d_]")


# --------------------------------------------------------------------------- public API

def read_pdf(path: Path, doc_id: str, sha256: str, password: Optional[str] = None, *,
             data: Optional[bytes] = None) -> Document:
    """Read a PDF into a `Document` (format "pdf"). Raises `DocumentError` with a one-line `Msg`.
    `data`: the file's bytes when the caller has already read them (saves a second read)."""
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            raise DocumentError(Msg.PDF_CORRUPT.format(detail=e.strerror or type(e).__name__)) from None
    if not data or (len(data) < 4096 and not data.strip()):
        raise DocumentError(Msg.EMPTY_FILE)
    if b"%PDF-" not in data[:1024]:
        raise DocumentError(Msg.PDF_NOT_PDF.format(what=_sniff(data[:1024])))

    doc = Document(doc_id=doc_id, path=str(path), format="pdf", sha256=sha256)
    try:
        _read_into(doc, data, password)
    except DocumentError:
        raise
    except Exception as e:  # a file that trips pdfium or our layout code: one line, no traceback
        raise DocumentError(Msg.PDF_CORRUPT.format(detail=f"{type(e).__name__} while reading")) from None
    return doc


def _read_into(doc: Document, data: bytes, password: Optional[str]) -> None:
    pdf = _open(data, password)
    pages: list[_PageData] = []
    fallback = _Plumber(data, password)
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise DocumentError(Msg.PDF_ZERO_PAGES)
        for i in range(n_pages):
            pages.append(_read_page(pdf, i, doc, fallback))
        if not any(p.n_chars for p in pages):
            raise DocumentError(Msg.PDF_NO_TEXT if any(p.n_images for p in pages) else Msg.NO_TEXT)
    except pdfium.PdfiumError as e:
        raise DocumentError(Msg.PDF_CORRUPT.format(detail=str(e).split("(")[0].strip() or "pdfium")) from None
    finally:
        pdf.close()
        fallback.close()

    # Garbled text layers: refuse the file when most text pages are garbage, else warn.
    bad = [p.number for p in pages if p.lines and _garbled(" ".join(ln.text for ln in p.lines))]
    text_pages = [p for p in pages if p.lines]
    if text_pages and len(bad) >= 0.5 * len(text_pages):
        raise DocumentError(Msg.PDF_GARBLED)
    if bad:
        doc.warnings.append(f"pages {_ranges(bad)}: {Msg.PDF_GARBLED}")
    tiny = sum(len(ln.text) for p in pages for ln in p.lines)
    if tiny < 20 and any(p.n_images for p in pages):
        raise DocumentError(Msg.PDF_NO_TEXT)  # a scan with a stray date/stamp in its text layer
    scanned = [p.number for p in pages if not p.n_chars and p.n_images]
    if scanned:
        doc.warnings.append(f"pages {_ranges(scanned)}: {Msg.PDF_NO_TEXT}")
    ocr = [p.number for p in pages if p.invisible_text]
    if ocr:
        doc.warnings.append(Msg.PDF_OCR_LAYER.format(pages=_ranges(ocr)))
    reread = [p.number for p in pages if p.source != "pypdfium2"]
    if reread:
        doc.warnings.append(Msg.PDF_REREAD.format(pages=_ranges(reread)))

    for p in pages:
        # boxes-and-arrows diagrams are ruled grids too: a grid captioned "Figure"/"图" is no table
        p.tables = [t for t in p.tables if not _is_figure(t[0], p.lines)]
        if p.tables:
            p.lines = [ln for ln in p.lines if not any(_inside(ln, bb) for bb, _ in p.tables)]
    _strip_running(pages)
    _assemble(doc, pages)


def _read_page(pdf: pdfium.PdfDocument, i: int, doc: Document, fallback: "_Plumber") -> _PageData:
    page = pdf[i]
    try:
        width, height = page.get_size()
        pd = _PageData(number=i + 1, width=round(width, 2), height=round(height, 2))
        tp = page.get_textpage()
        try:
            view = _View(page)
            pd.lines, pd.n_chars, pd.invisible_text, text, box = _page_lines(tp, view)
            pd.n_images, hs, vs, n_txt = _page_graphics(page, view)
            if view.rot == 0 and _looks_lost(text, n_txt):
                got = fallback.page_lines(i, view)
                if got is not None and _better(got[1], text):
                    pd.lines, text, box = got
                    pd.n_chars, pd.source = len(text), "pdfplumber"
            pd.long_rules = [y for y, x0, x1 in hs if x1 - x0 >= 0.5 * pd.width]
            if pd.lines:
                for grid in _grids(hs, vs):
                    cells = _fill_cells(grid, pd.lines, text, box)
                    if cells is not None:
                        pd.tables.append((grid[0], cells))
                if len(hs) >= 2:
                    for grid in _three_line_grids(hs, pd.lines, text, box, [bb for bb, _ in pd.tables]):
                        cells = _fill_cells(grid, pd.lines, text, box)
                        if cells is not None:
                            pd.tables.append((grid[0], cells))
        finally:
            tp.close()
        return pd
    except pdfium.PdfiumError:
        doc.warnings.append(Msg.PDF_PAGE_SKIPPED.format(page=i + 1))
        return _PageData(number=i + 1, width=0.0, height=0.0)
    finally:
        page.close()


# --------------------------------------------------------------------------- pdfplumber fallback

# Chars pdfium gives when it cannot map a glyph to Unicode: U+FFFD, private use, C0 controls
# (\x02 is its own hyphen marker, \t\n\r are layout).
_LOST_RE = re.compile("[\ufffd\ue000-\uf8ff\x00\x01\x03-\x08\x0b\x0c\x0e-\x1f]")
_GOOD_RE = re.compile(r"[^\W_]")  # letters, digits, CJK (private-use chars are not \w)


def _looks_lost(text: str, n_text_objects: int) -> bool:
    """Cheap check on pdfium's page text (one C-speed regex pass; no pdfplumber): did pdfium lose
    this page's characters? Either a fifth or more of its chars are unmapped glyphs (U+FFFD /
    private use / controls), or the page draws text objects but pdfium produced no char at all.
    Healthy pages never qualify, so pdfplumber is only ever paid for on broken ones. (On the
    shared real PDFs no page qualifies: hong2017's worst page has 9% private-use chars, its
    significance stars, which pdfplumber cannot map either.)"""
    if not text.strip():
        return n_text_objects > 0
    lost = len(_LOST_RE.findall(text))
    return lost >= 20 and lost >= 0.2 * len(text.strip())


def _better(plumber_text: str, pdfium_text: str) -> bool:
    """Take pdfplumber's reading only when it recovers clearly more real chars, or the same ones
    with far fewer unmapped glyphs (a mojibake layer reads as garbage in both libraries)."""
    good_pl, good_pd = len(_GOOD_RE.findall(plumber_text)), len(_GOOD_RE.findall(pdfium_text))
    lost_pl, lost_pd = len(_LOST_RE.findall(plumber_text)), len(_LOST_RE.findall(pdfium_text))
    return good_pl >= 1.1 * good_pd + 10 or (good_pl >= good_pd and 2 * lost_pl < lost_pd)


class _Plumber:
    """pdfplumber (pdfminer) over the same bytes, opened on the first page that needs it."""

    def __init__(self, data: bytes, password: Optional[str]) -> None:
        self.data, self.password = data, password
        self.pdf: Any = None
        self.failed = False

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()
            self.pdf = None

    def page_lines(self, i: int, view: _View) -> Optional[tuple[list[_Line], str, Any]]:
        if self.failed:
            return None
        try:
            if self.pdf is None:
                import io
                import logging

                import pdfplumber

                logging.getLogger("pdfminer").setLevel(logging.ERROR)
                self.pdf = pdfplumber.open(io.BytesIO(self.data), password=self.password or "")
            page = self.pdf.pages[i]
            chars = page.dedupe_chars().chars  # overprinted "fake bold" comes back once
        except Exception:  # pdfminer fails on files pdfium reads: keep pdfium's reading
            self.failed = True
            return None
        return _plumber_lines(chars, view)


def _plumber_lines(chars: list[dict], view: _View) -> Optional[tuple[list[_Line], str, Any]]:
    """pdfplumber chars -> the same (text, box, style) view of a page that pdfium gives, then the
    same line builder. Content-stream order; a new line where the baseline moves or x jumps back,
    a space where chars are more than 0.2 em apart (pdfium generates those spaces itself)."""
    out: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []
    styles: list[tuple[float, bool]] = []
    prev: Optional[tuple[float, float, float, float]] = None
    prev_style = (0.0, False)
    for c in chars:
        t = c.get("text") or ""
        if not t or not c.get("upright", True):
            continue
        b = (float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]))
        size = float(c.get("size") or (b[3] - b[1]) or 1.0)
        st = (size, bool(re.search(r"Bold|Black|Heavy|Semibold|Demi|Hei|,B\b", c.get("fontname") or "")))
        if prev is not None:
            if abs(b[3] - prev[3]) > 0.5 * size or b[0] < prev[0] - 0.5 * size:
                out.append("\n")
                boxes.append(prev)
                styles.append(prev_style)
            elif b[0] - prev[2] > 0.2 * size:
                out.append(" ")
                boxes.append((prev[2], prev[1], b[0], prev[3]))
                styles.append(prev_style)
        for ch in t:  # ligatures: every char of the glyph gets its box, indices stay 1:1
            out.append(ch)
            boxes.append(b)
            styles.append(st)
        prev, prev_style = b, st
    if not out:
        return None
    text = "".join(out)

    def box(k: int) -> tuple[float, float, float, float]:
        return boxes[k]

    def ink(k: int) -> tuple[float, float]:
        return boxes[k][0], boxes[k][2]

    def style(k: int, _h: float) -> tuple[float, bool]:
        return styles[k]

    return _build_lines(text, box, ink, style, view.w), text, box


def _caption_distance(ln_box: BBox, bb: BBox) -> Optional[float]:
    """How far a caption line is from a table/figure box (above preferred), None if not adjacent."""
    if min(ln_box[2], bb[2]) - max(ln_box[0], bb[0]) <= 0:
        return None
    above = bb[1] - ln_box[3]
    below = ln_box[1] - bb[3]
    if -2 <= above <= 60:
        return above
    if -2 <= below <= 40:
        return below + 30
    return None


def _is_figure(bb: BBox, lines: list[_Line]) -> bool:
    best: Optional[tuple[float, bool]] = None
    for ln in lines:
        if _inside(ln, bb) or not (CAPTION_RE.match(ln.text) or FIGURE_RE.match(ln.text)):
            continue
        d = _caption_distance((ln.x0, ln.top, ln.x1, ln.bottom), bb)
        if d is not None and (best is None or d < best[0]):
            best = (d, bool(FIGURE_RE.match(ln.text)))
    return bool(best and best[1])


def _inside(ln: _Line, bb: BBox) -> bool:
    return bb[0] - 2 <= ln.cx <= bb[2] + 2 and bb[1] - 2 <= ln.cy <= bb[3] + 2


def _ranges(nums: list[int]) -> str:
    return ", ".join(str(n) for n in nums[:10]) + (" …" if len(nums) > 10 else "")


def _assemble(doc: Document, pages: list[_PageData]) -> None:
    parts: list[str] = []
    pos = 0
    for p in pages:
        groups, two_col = _reading_order(p)
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
                edges[key] = (min(ln.x0 for ln in sel), _right_edge(sel))
        page_blocks: list[Block] = []
        paras: list[tuple[Any, list[_Line], float, float]] = []
        for g in groups:
            key = g[0].col if two_col and not g[0].full else None
            left, right = edges.get(key, (x_min, x_max))
            for k, para in enumerate(_paragraphs(g, left, right)):
                if k == 0 and paras and _continues(paras[-1], key, para[0], left):
                    paras[-1][1].extend(para)  # a paragraph running on into the next column
                else:
                    paras.append((key, para, left, right))
        for key, para, left, right in paras:
            if True:
                text = _join_lines([ln.text for ln in para])
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


def _continues(prev: tuple[Any, list[_Line], float, float], key: Any, first: _Line, left: float) -> bool:
    pkey, plines, _pleft, pright = prev
    last = plines[-1]
    em = max(last.size, 1.0)
    return (pkey == 0 and key == 1 and first.top < last.top  # left column bottom -> right column top
            and last.x1 >= pright - 2.0 * em and first.x0 <= left + 0.8 * em
            and abs(first.size - last.size) <= 0.8 and first.bold == last.bold
            and not CAPTION_RE.match(plines[0].text) and not CAPTION_RE.match(first.text)
            and not HEADING_RE.match(first.text))


def _right_edge(lines: list[_Line]) -> float:
    # The justified margin: the most common right end (rounded), not a stray long line.
    ends = Counter(round(ln.x1) for ln in lines)
    top = max(ends.values())
    common = [x for x, c in ends.items() if c >= max(2, top // 2)]
    return float(max(common)) if common else max(ln.x1 for ln in lines)


def _attach_tables(doc: Document, p: _PageData, blocks: list[Block], parts: list[str]) -> None:
    first = len(parts) - len(blocks)
    for bb, cells in sorted(p.tables, key=lambda t: (t[0][1], t[0][0])):
        caption = ""
        best = None
        for k, b in enumerate(blocks):
            text = parts[first + k]
            if not TABLE_CAPTION_RE.match(text) or b.bbox is None:
                continue
            d = _caption_distance(b.bbox, bb)  # above the table (Chinese style) or below it
            if d is not None and (best is None or d < best[0]):
                best = (d, text, b)
        if best:
            caption = best[1]
            best[2].hints["table_caption"] = True
        header_rows = 1
        doc.tables.append(Table(index=len(doc.tables), page=p.number, caption=caption, cells=cells,
                                bbox=tuple(round(v, 2) for v in bb), header_rows=header_rows, header_cols=1))
