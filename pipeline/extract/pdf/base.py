"""Shared pieces of the PDF reader: a text line and a page as the reader sees them, the view from
PDF user space to the displayed page, and the caption/heading/page-number patterns."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

import pypdfium2 as pdfium

from pipeline.document.model import Cell

BBox = tuple[float, float, float, float]

HEADING_RE = re.compile(
    r"^(\d{1,2}(\.\d{1,2}){0,3}\.?\s*[^\d\s.%．]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]"
    r"|第[一二三四五六七八九十\d]{1,3}[章节部分]|摘\s*要|Abstract\b|ABSTRACT\b|关键词|Key\s*words|Keywords"
    r"|参考文献|References\b|REFERENCES\b|致谢|Acknowledg|结\s*语|结\s*论|引\s*言|Introduction\b|Conclusions?\b)"
)
# "表 2", "Figure 3a:", "图1-2": a label, a number, then a separator or the line end ("图1显示…" and
# "Table 2 shows…" without one are sentences; the separator check covers the first)
_CAP_NUM = r"(?:\s*\d+|\s+[A-Z]{1,2}\b|\s+[IVX]{1,5}\b)(?:[.\-–]\d+)*[a-z]?(?=[\s:：.．、\-—–|,，(（]|$)"
CAPTION_RE = re.compile(r"^\s*(续?表|图|Table|TABLE|Tab\.|Fig\.|Figure|FIGURE)" + _CAP_NUM)
TABLE_CAPTION_RE = re.compile(r"^\s*(续?表|Table|TABLE|Tab\.)" + _CAP_NUM)
FIGURE_RE = re.compile(r"^\s*(图|Fig\.|Figure|FIGURE)" + _CAP_NUM)
# text that stops on one of these (closing quotes/brackets allowed) ends a sentence
SENTENCE_END_RE = re.compile(r"[。！？!?；;：:….．][”’\"'」』）)\]】]*\s*$")
# a table-of-contents entry: dot leaders (or a long gap) then a page number
TOC_LINE_RE = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|\. \. \. )\s*[\dIVXivx]{1,4}\s*$")
PAGE_NUMBER_RE = re.compile(
    r"^[-—–·•\s]*(第\s*)?(\d{1,4}|[ivxlcdm]{1,6}|[IVXLCDM]{1,6})(\s*页)?(\s*(/|of|共)\s*(\d{1,4}|[IVXLCDMivxlcdm]{1,6})\s*页?)?[-—–·•\s]*$"
    r"|^(Page|PAGE|p\.)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?$"
)


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF
            or 0x3000 <= o <= 0x303F or 0x20000 <= o <= 0x2FFFF)


@dataclass
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    col: Optional[int] = None  # column (0 = leftmost) on a multi-column page, None otherwise
    full: bool = False  # spans a column gutter
    ia: int = 0  # pdfium char range [ia, ib) (for cutting table cells)
    ib: int = 0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class PageData:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    n_chars: int = 0
    n_images: int = 0
    invisible_text: bool = False  # OCR layer over a scan
    source: str = "pypdfium2"  # the library whose chars the lines come from
    long_rules: list[float] = field(default_factory=list)  # y of horizontal rules >= half the page wide
    short_rules: list[tuple[float, float, float]] = field(default_factory=list)  # (y, x0, x1) of narrower ones
    footnotes: list[list[Line]] = field(default_factory=list)  # notes at the page foot, out of the flow
    note_marks: set[str] = field(default_factory=set)  # their markers ("1", "*"), to drop from the body
    tables: list[tuple[BBox, list[Cell]]] = field(default_factory=list)
    figures: list[BBox] = field(default_factory=list)  # captioned drawings/images (figures.py)


class View:
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


def join_lines(parts: list[str]) -> str:
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if not out:
            out = p
        elif out.endswith(("-", "\x02")) and len(out) > 1 and out[-2].isalpha() and p[0].islower():
            out = out[:-1] + p  # de-hyphenate "inter-\nnational"
        elif is_cjk(out[-1]) or is_cjk(p[0]):
            out += p
        else:
            out += " " + p
    return out


def caption_distance(ln_box: BBox, bb: BBox) -> Optional[float]:
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


def inside(ln: Line, bb: BBox) -> bool:
    return bb[0] - 2 <= ln.cx <= bb[2] + 2 and bb[1] - 2 <= ln.cy <= bb[3] + 2
