"""Document-level context for statistics: the region and date a document is about, its genre, and the
year/modality its top-level sections imply (a government work report's "一、2024年工作回顾" vs
"二、2025年工作安排"). Also the year expressions the rules share."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..document import Document
from .lexicon import Lexicon, load_lexicon
from .numbers import parse_number

_YEAR = r"(1[89]\d{2}|20\d{2}|2100)"
# 2020—2023年 / 2018-2020年
YEAR_RANGE_RE = re.compile(_YEAR + r"\s*年?\s*[—–\-~～至到]\s*" + _YEAR + r"\s*年")
# 2023年 / 2023 年 / 2023年底 (not 2023年度报告 inside a title: handled by the caller's masking)
YEAR_RE = re.compile(r"(?<![0-9０-９.])" + _YEAR + r"\s*年")
BARE_YEAR_RE = re.compile(r"(?<![0-9０-９.])" + _YEAR + r"(?![0-9０-９.])")
# relative years: (regex, offset of year, offset of year_start or None)
_CN_N = r"[一二两三四五六七八九十]+|\d+"
RELATIVE_RE = re.compile(r"(过去|近|最近)(" + _CN_N + r")年|(" + _CN_N + r")年来|去年|今年|前年|明年|本年度|本年")
# 十四五/“十四五” period names are plan names, not reference years: never matched here.


@dataclass
class YearExpr:
    start: int
    end: int
    year: int
    year_start: Optional[int] = None
    relative: bool = False


def find_years(text: str, doc_year: Optional[int], bare: bool = False) -> list[YearExpr]:
    """Year expressions in `text`, in order. Relative ones (去年, 过去五年) only when `doc_year` is known.
    `bare`: also accept a 4-digit year without 年 (table captions, column headers)."""
    out: list[YearExpr] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in YEAR_RANGE_RE.finditer(text):
        y0, y1 = int(m.group(1)), int(m.group(2))
        if y0 < y1:
            out.append(YearExpr(m.start(), m.end(), y1, y0))
            taken.append((m.start(), m.end()))
    for m in YEAR_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        after = text[m.end():m.end() + 1]
        before = text[max(0, m.start() - 1):m.start()]
        if after and after in "度" and text[m.end():m.end() + 2] != "度末":
            pass  # 2023年度 is still that year
        if before in ("比", "较"):
            continue  # 比2020年增长: a base year, not the figure's
        out.append(YearExpr(m.start(), m.end(), int(m.group(1))))
        taken.append((m.start(), m.end()))
    if bare:
        for m in BARE_YEAR_RE.finditer(text):
            if free(m.start(), m.end()):
                out.append(YearExpr(m.start(), m.end(), int(m.group(1))))
                taken.append((m.start(), m.end()))
    if doc_year:
        for m in RELATIVE_RE.finditer(text):
            if not free(m.start(), m.end()):
                continue
            w = m.group(0)
            n_txt = m.group(2) or m.group(3)
            if n_txt:
                p = parse_number(n_txt)
                n = int(p.value) if p else 0
                if n <= 0 or n > 50:
                    continue
                if m.group(1) in ("过去",) or m.group(3):
                    ys = doc_year - n if n > 1 else None
                    out.append(YearExpr(m.start(), m.end(), doc_year - 1, ys, True))
                else:  # 近五年 / 最近3年: the period up to the document's year
                    out.append(YearExpr(m.start(), m.end(), doc_year - 1, doc_year - n if n > 1 else None, True))
            elif w == "去年":
                out.append(YearExpr(m.start(), m.end(), doc_year - 1, None, True))
            elif w == "前年":
                out.append(YearExpr(m.start(), m.end(), doc_year - 2, None, True))
            elif w == "明年":
                out.append(YearExpr(m.start(), m.end(), doc_year + 1, None, True))
            else:  # 今年 / 本年 / 本年度
                out.append(YearExpr(m.start(), m.end(), doc_year, None, True))
    # 过去一年 / 一年来 in a report dated Y: Y-1 (handled above with n = 1)
    out.sort(key=lambda y: y.start)
    return out


_TOP_HEADING_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+[部章]分?)")
_DATE_LINE_RE = re.compile(_YEAR + r"\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")


def _title(doc: Document) -> str:
    if doc.title:
        return doc.title
    for line in doc.text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def detect_region(text: str, lex: Lexicon) -> Optional[str]:
    """The first gazetteer region named in `text` (national words excepted), as its canonical name."""
    for m in lex.region_re.finditer(text):
        reg = lex.region(m.group())
        if reg and reg.type != "country":
            return reg.canonical
    return None


def document_context(doc: Document, lexicon: Optional[Lexicon] = None) -> dict:
    """Region, year and genre of a document from its title and opening lines; fills doc.meta["region"],
    doc.meta["year"], doc.meta["genre"] (keeping values already there) and returns them with
    "sections": [(offset, year, year_start, modality)] for its top-level headings.
    The year is the document's own (a report's title year, a dated opening line), never a received /
    published date."""
    lex = lexicon or load_lexicon()
    title = _title(doc)
    lines = [ln.strip() for ln in doc.text.splitlines() if ln.strip()][:8]
    opening = [ln for ln in lines if not re.match(r"^(收稿日期|作者简介|基金项目|DOI|doi|文章编号|中图分类号)", ln)]
    year = doc.meta.get("year")
    if year is None:
        m = re.search(_YEAR + r"\s*年", title)
        if m:
            year = int(m.group(1))
        else:
            for ln in opening[:4]:
                m = _DATE_LINE_RE.search(ln)
                if m and len(ln) < 80:
                    year = int(m.group(1))
                    break
    region = doc.meta.get("region")
    if region is None:
        region = detect_region(title, lex)
        if region is None:
            for ln in opening[:5]:
                if len(ln) < 60:
                    region = detect_region(ln, lex)
                    if region:
                        break
    genre = doc.meta.get("genre")
    if genre is None:
        genre = "gov_work_report" if "政府工作报告" in title else "paper"
    # Top-level headings: the year and modality of what follows them.
    sections: list[tuple[int, Optional[int], Optional[int], Optional[str]]] = []
    pos = 0
    for line in doc.text.splitlines(keepends=True):
        s = line.strip()
        if s and len(s) <= 40 and _TOP_HEADING_RE.match(s) and "。" not in s:
            sections.append((pos, *heading_year_modality(s, year, lex)))
        pos += len(line)
    doc.meta.setdefault("region", region)
    doc.meta.setdefault("year", year)
    doc.meta.setdefault("genre", genre)
    return {"region": region, "year": year, "genre": genre, "title": title, "sections": sections}


def heading_year_modality(heading: str, doc_year: Optional[int], lex: Lexicon
                          ) -> tuple[Optional[int], Optional[int], Optional[str]]:
    """(year, year_start, modality) a heading implies: "2024年工作回顾" → (2024, None, "actual"),
    "2025年工作安排" → (2025, None, "target"); (None, None, None) when it implies nothing."""
    ys = find_years(heading, doc_year)
    year = ys[0].year if ys else None
    year_start = ys[0].year_start if ys else None
    modality = None
    if any(c in heading for c in lex.cue("target_heading")):
        modality = "target"
        if year is None:
            year = doc_year
    elif any(c in heading for c in lex.cue("actual_heading")):
        modality = "actual"
        if year is None and doc_year:
            year = doc_year - 1
    return year, year_start, modality
