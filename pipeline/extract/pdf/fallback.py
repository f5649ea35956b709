"""pdfplumber (pdfminer) as a per-page fallback for pages whose pdfium characters look lost."""
from __future__ import annotations

import re
from typing import Any, Optional

from .base import Line, View
from .chars import build_lines

# Chars pdfium gives when it cannot map a glyph to Unicode: U+FFFD, private use, C0 controls
# (\x02 is its own hyphen marker, \t\n\r are layout).
_LOST_RE = re.compile("[\ufffd\ue000-\uf8ff\x00\x01\x03-\x08\x0b\x0c\x0e-\x1f]")
_GOOD_RE = re.compile(r"[^\W_]")  # letters, digits, CJK (private-use chars are not \w)


def looks_lost(text: str, n_text_objects: int) -> bool:
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


def better(plumber_text: str, pdfium_text: str) -> bool:
    """Take pdfplumber's reading only when it recovers clearly more real chars, or the same ones
    with far fewer unmapped glyphs (a mojibake layer reads as garbage in both libraries)."""
    good_pl, good_pd = len(_GOOD_RE.findall(plumber_text)), len(_GOOD_RE.findall(pdfium_text))
    lost_pl, lost_pd = len(_LOST_RE.findall(plumber_text)), len(_LOST_RE.findall(pdfium_text))
    return good_pl >= 1.1 * good_pd + 10 or (good_pl >= good_pd and 2 * lost_pl < lost_pd)


class Plumber:
    """pdfplumber (pdfminer) over the same bytes, opened on the first page that needs it."""

    name = "pdfplumber"

    def __init__(self, data: bytes, password: Optional[str]) -> None:
        self.data, self.password = data, password
        self.pdf: Any = None
        self.failed = False

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()
            self.pdf = None

    def page_lines(self, i: int, view: View) -> Optional[tuple[list[Line], str, Any]]:
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
        return plumber_lines(chars, view)


def plumber_lines(chars: list[dict], view: View) -> Optional[tuple[list[Line], str, Any]]:
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

    return build_lines(text, box, ink, style, view.w), text, box
