"""Characters of a page from pypdfium2 and the lines they make (one C call per line, not per char):
look-alike glyph repair, spaces a text layer left out between Latin words, CJK spacing."""
from __future__ import annotations

import ctypes
import math
import re
import statistics
from typing import Any, Optional

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .base import Line, View

_CJK_CLASS = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_SPACE_RE = re.compile(rf"(?<=[{_CJK_CLASS}]) +(?=[{_CJK_CLASS}])")

# Founder (方正) fonts in Chinese journals map Latin letters to rare CJK chars whose GBK code is
# 0xA0, ASCII + 0x80 ("CGSS" -> "犆犌犛犛"); undo it on lines that hold several of them.
_LOOKALIKE = {ord(bytes([0xA0, b]).decode("gbk")): chr(b - 0x80) for b in range(0xA1, 0xFF)}
_LOOKALIKE_RE = re.compile("[" + "".join(chr(c) for c in _LOOKALIKE) + "]")


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


def page_lines(tp: pdfium.PdfTextPage, view: View) -> tuple[list[Line], int, bool, str, Any]:
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

    ox_, oy_ = ctypes.c_double(), ctypes.c_double()
    origin_refs = (ctypes.byref(ox_), ctypes.byref(oy_))

    def raised(k: int, ref: int) -> bool:
        """Superscript: set at most 0.9 the size of the char beside it, its baseline raised by
        0.12 em or more (baselines of two fonts on one line differ by up to ~0.15 em, but then the
        sizes match)."""
        sizes, ys = [], []
        for q in (k, ref):
            size = pdfium_c.FPDFText_GetFontSize(raw, q)
            if pdfium_c.FPDFText_GetMatrix(raw, q, mtx):
                size *= math.hypot(mtx.c, mtx.d)
            pdfium_c.FPDFText_GetCharOrigin(raw, q, *origin_refs)
            sizes.append(size)
            ys.append(view.pt(ox_.value, oy_.value)[1])
        return 0 < sizes[0] <= 0.9 * sizes[1] and ys[1] - ys[0] >= 0.12 * sizes[1]

    invisible = False
    first = _NON_SPACE_RE.search(text)
    if first:
        obj = pdfium_c.FPDFText_GetTextObject(raw, first.start())
        invisible = bool(obj) and pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
    page_w, page_h = (view.w, view.h) if view.rot in (0, 180) else (view.h, view.w)
    text = dedupe_overprint(text, box)
    return build_lines(text, box, ink, style, page_w, page_h, raised), n, invisible, text, box


_NON_SPACE_RE = re.compile(r"\S")
_LINE_RE = re.compile(r"[^\r\n]+")
_SPACES_RE = re.compile(r"\s+")
_LATIN_RE = re.compile(r"[A-Za-z]")
_LATIN_PAIR_RE = re.compile(r"[A-Za-z][^\s\u2e80-\u9fff]*[A-Za-z]")
_LONG_LATIN_RE = re.compile(r"[A-Za-z]{13,}")  # longer than nearly every English word: spaces missing?


def build_lines(text: str, box: Any, ink: Any, style: Any, page_w: float,
                page_h: float = math.inf, raised: Optional[Any] = None) -> list[Line]:
    """Lines from a page's chars, whichever library read them. `text` holds one char per index
    ("\r"/"\n" between lines), `box(k)` its loose box (x0, top, x1, bottom; top-based), `ink(k)` the
    horizontal extent of its glyph, `style(k, line height)` (font size, bold) of a line starting at k.
    A line's chars are split again at gaps wider than 1.5 em (column gutter, table cell). Lines
    wholly outside the page are dropped; raised small digits become superscript digits (¹²³: a
    footnote marker or an exponent, decided later); `raised(k, ref)` tells (default: from boxes)."""
    lines: list[Line] = []
    if raised is None:
        def raised(k: int, ref: int) -> bool:
            return is_raised(box(k), box(ref))
    latin: list[tuple[int, str]] = []  # (line index, raw text) of lines with Latin words, not yet spaced
    spaceless = False  # a line here turned out to lack spaces between words: check them all

    def clean(s: str) -> str:
        return _CJK_SPACE_RE.sub("", s.replace("\x02", "-").replace("\ufffe", "").replace(DUP, ""))

    def emit(a: int, b: int) -> None:  # chars [a, b) with no leading/trailing space
        nonlocal spaceless
        b0, b1 = box(a), box(b - 1)
        if min(b0[2], b1[2]) < 0 or min(b0[0], b1[0]) > page_w or min(b0[3], b1[3]) < 0 or min(b0[1], b1[1]) > page_h:
            return  # drawn off the page (a clipped leftover): not visible, not text
        h = max(b0[3] - b0[1], b1[3] - b1[1])
        size, bold = style(a, h)
        if b - a >= 8:  # the line's own style, not that of a run-in label ("SUMMARY:") or a marker
            end = style(b - 1, h)
            if end != (size, bold):  # start and end disagree: the middle decides
                styles = [(size, bold), style((a + b) // 2, h), end]
                size = sorted(st[0] for st in styles)[1]
                bold = sum(st[1] for st in styles) >= 2
        s = text[a:b]
        if _SUP_CAND_RE.search(s):
            s = _superscripts(s, a, raised)
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
        s = clean(s)
        if not s.strip():
            return  # only overprinted copies
        if s.startswith("! ") and len(s) > 3 and s[2].isalpha():
            s = "•" + s[1:]  # a bullet glyph some fonts map to "!" (no sentence starts with "!")
        # the right end: a mark drawn late (a superscript placed back after a word) can end the
        # char sequence without being the rightmost glyph
        x1 = max(b0[2], b1[2])
        if text[b - 1].isdigit() or b1[2] <= b0[2]:
            x1 = max([x1, *(box(k)[2] for k in range(max(a, b - 4), b - 1))])
        lines.append(Line(s, min(b0[0], b1[0]), min(b0[1], b1[1]), x1, max(b0[3], b1[3]),
                          round(size, 1), bold, ia=a, ib=b))

    for a, b in _rows_of(text, box):
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


def _rows_of(text: str, box: Any) -> list[tuple[int, int]]:
    """The library's lines, each split again where its chars drop to another row (pdfium now and
    then runs the last line of a column on into a line printed further down the page)."""
    out = []
    for m in _LINE_RE.finditer(text):
        a, b = m.span()
        f, g = box(a), box(b - 1)
        h = max(f[3] - f[1], g[3] - g[1], 1.0)
        if (b - a < 2 or abs(g[1] - f[1]) <= 1.2 * h or abs(g[3] - f[3]) <= 1.2 * h
                or g[2] <= g[0] or f[2] <= f[0]):
            out.append((a, b))
            continue
        start = a
        prev = f
        for k in range(a + 1, b):
            cur = box(k)
            if cur[2] > cur[0] and abs(cur[1] - prev[1]) > 0.8 * h:
                out.append((start, k))
                start = k
            if cur[2] > cur[0]:
                prev = cur
        out.append((start, b))
    return out


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
        if ch in "\x02\ufffe\uffff":
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


# --------------------------------------------------------------------------- superscripts

SUPERSCRIPT = str.maketrans("0123456789０１２３４５６７８９", "⁰¹²³⁴⁵⁶⁷⁸⁹⁰¹²³⁴⁵⁶⁷⁸⁹")
_DIGITS = "0-9０-９"
# a run of 1-3 digits right after a non-digit, non-space char, or at the start of a line before a
# letter ("¹ The Pub. L." / "(DMCA)¹" / "。¹而"): the only places a footnote marker can be
_SUP_CAND_RE = re.compile(rf"(?:(?<=[^\s{_DIGITS}.,．，:/\-])|(?<=[^\s{_DIGITS}:/\-] )|^)[{_DIGITS}]{{1,3}}(?![{_DIGITS}.．,，:/])")


def is_raised(small: tuple[float, float, float, float], ref: tuple[float, float, float, float]) -> bool:
    """Is a glyph box set smaller and higher than the text beside it (a superscript)?"""
    h, rh = small[3] - small[1], ref[3] - ref[1]
    return 0 < h < 0.85 * rh and small[3] < ref[3] - 0.15 * rh


def _superscripts(s: str, a: int, raised: Any) -> str:
    """Digits set as superscripts in `s` (chars [a, a+len)) rewritten as superscript digits (1:1,
    so char indices stay valid)."""
    out = s
    for m in _SUP_CAND_RE.finditer(s):
        i, j = m.span()
        ref = i - 1 if i > 0 else j
        if 0 < ref < len(s) and ref == i - 1 and s[ref] == " ":
            ref -= 1  # "reports ⁷ of": a space before the marker
        if ref < 0 or ref >= len(s) or s[ref].isspace():
            continue
        if raised(a + i, a + ref):
            out = out[:i] + out[i:j].translate(SUPERSCRIPT) + out[j:]
    return out


# --------------------------------------------------------------------------- overprinting

DUP = "\uffff"  # an overprinted copy (a Unicode noncharacter): dropped by the line cleaner and table cells


def dedupe_overprint(text: str, box: Any) -> str:
    """Fake bold and shadow effects draw the same glyphs twice or more at (nearly) the same place
    ("安安安安徽徽徽徽", a whole run repeated). As pdfplumber's `dedupe_chars`: a char equal to an
    earlier char of its line whose box sits within 1 pt of it is a copy. Candidates are found from
    the text (a doubled char, a repeated 3-char run) so that only they cost box look-ups; copies
    become U+FFFF, keeping char indices valid."""
    chars: Optional[list[str]] = None
    for m in _LINE_RE.finditer(text):
        a, b = m.span()
        # a run drawn twice packs twice the chars into its width: only such lines are searched for
        # repeated runs (a repeated 3-char run is common in any text)
        runs = b - a >= 6 and _packed(text, a, b, box)
        seen: dict[str, int] = {text[a:a + 3]: a}
        k = a + 1
        while k < b:
            ch = text[k]
            j = -1
            if ch == text[k - 1] and ch.isalpha() and ch != "f":  # "ff" is a ligature: one glyph, two chars
                j = k - 1
            elif runs and k + 3 <= b:
                tri = text[k:k + 3]
                j = seen.get(tri, -1)
                if j < 0 and not tri.isspace():
                    seen[tri] = k
            if j >= 0 and _same_place(box(j), box(k)):
                if chars is None:
                    chars = list(text)
                n = 0  # the copy runs as long as chars repeat at the same place
                while k + n < b and text[k + n] == text[j + n] and (n == 0 or _same_place(box(j + n), box(k + n))):
                    chars[k + n] = DUP
                    n += 1
                k += max(n, 1)
                continue
            k += 1
    return "".join(chars) if chars is not None else text


def _packed(text: str, a: int, b: int, box: Any) -> bool:
    """Are chars [a, b) set in well under the width their number needs (about an em per CJK char,
    half an em per other char)?"""
    f, g = box(a), box(b - 1)
    h = max(f[3] - f[1], g[3] - g[1], 1.0)
    seg = text[a:b]
    cjk = len(_CJK_CHARS_RE.findall(seg))
    need = h * (cjk + 0.45 * (len(seg) - cjk))
    return abs(g[2] - f[0]) < 0.75 * need


_CJK_CHARS_RE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _same_place(p: tuple[float, float, float, float], q: tuple[float, float, float, float]) -> bool:
    w = max(p[2] - p[0], q[2] - q[0], 0.1)
    return abs(p[0] - q[0]) <= min(1.0, 0.3 * w) and abs(p[1] - q[1]) <= 1.0 and abs(p[3] - q[3]) <= 1.0
