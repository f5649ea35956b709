"""Document-level context for statistics: the region and date a document is about, its genre, and the
year/modality its top-level sections imply (a government work report's "一、2024年工作回顾" vs
"二、2025年工作安排"). Also the year expressions the rules share."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from ..document import Document
from .lexicon import Lexicon, load_lexicon
from .numbers import parse_number

_YEAR = r"([1１][89８９][0-9０-９]{2}|[2２][0０][0-9０-９]{2}|2100)"
# 2020—2023年 / 2018-2020年
YEAR_RANGE_RE = re.compile(_YEAR + r"\s*年?\s*[—–\-~～至到]\s*" + _YEAR + r"\s*年")
# 2023年 / 2023 年 / 2023年底 (not 2023年度报告 inside a title: handled by the caller's masking)
YEAR_RE = re.compile(r"(?<![0-9０-９.])" + _YEAR + r"\s*年")
# 一九五四年 / 二〇二三年: years written digit by digit in Chinese numerals
CN_YEAR_RE = re.compile(r"(?<![一二三四五六七八九〇零○十百千万])([一二][〇零○一二三四五六七八九]{3})\s*年")
CN_YEAR_RANGE_RE = re.compile(r"(?<![一二三四五六七八九〇零○])([一二][〇零○一二三四五六七八九]{3})\s*年?\s*[—–\-~～至到]\s*"
                              r"([一二][〇零○一二三四五六七八九]{3})\s*年")
# the year a change is measured against: 比2020年 / 较2020年 / 相比2020年 / 与2020年相比 / 同2019年相比
_BASE_BEFORE = re.compile(r"(?:比|较|相比|相较|对比|比较|相对于)\s*$")
_BASE_AROUND = re.compile(r"(?:与|同|和|跟)\s*$")
_BASE_AFTER = re.compile(r"\s*(?:同期|底|末|年底|年末)?\s*(?:相比|相较|比较|对比)")
BARE_YEAR_RE = re.compile(r"(?<![0-9０-９.])" + _YEAR + r"(?![0-9０-９.])")
# relative years: (regex, offset of year, offset of year_start or None)
_CN_N = r"[一二两三四五六七八九十]+|\d+"
RELATIVE_RE = re.compile(r"(过去|近|最近)(" + _CN_N + r")年|(" + _CN_N + r")年来|去年|今年|前年|明年|本年度|本年|上年")
# 十四五/“十四五” period names are plan names, not reference years: never matched here.


@dataclass
class YearExpr:
    start: int
    end: int
    year: int
    year_start: Optional[int] = None
    relative: bool = False
    base: bool = False  # the year a change is measured against (比2020年增长), never a reference year


def _cn_year(s: str) -> Optional[int]:
    p = parse_number(s)
    return int(p.value) if p and 1800 <= p.value <= 2100 else None


def is_base_year(text: str, start: int, end: int) -> bool:
    """Whether the year expression text[start:end] is a comparison's base (比2020年, 与2020年相比)."""
    before = text[max(0, start - 4):start]
    if _BASE_BEFORE.search(before):
        return True
    return bool(_BASE_AROUND.search(before) and _BASE_AFTER.match(text, end))


def find_years(text: str, doc_year: Optional[int], bare: bool = False, with_base: bool = False) -> list[YearExpr]:
    """Year expressions in `text`, in order. Relative ones (去年, 过去五年) only when `doc_year` is known.
    `bare`: also accept a 4-digit year without 年 (table captions, column headers). Base years of
    comparisons (比2020年, 与上年相比) are left out unless `with_base` (then flagged `base`)."""
    out = _find_years(text, doc_year, bare)
    for y in out:
        y.base = is_base_year(text, y.start, y.end)
    return out if with_base else [y for y in out if not y.base]


def _find_years(text: str, doc_year: Optional[int], bare: bool) -> list[YearExpr]:
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
        out.append(YearExpr(m.start(), m.end(), int(m.group(1))))
        taken.append((m.start(), m.end()))
    for m in CN_YEAR_RANGE_RE.finditer(text):
        c0, c1 = _cn_year(m.group(1)), _cn_year(m.group(2))
        if c0 and c1 and c0 < c1:
            out.append(YearExpr(m.start(), m.end(), c1, c0))
            taken.append((m.start(), m.end()))
    for m in CN_YEAR_RE.finditer(text):
        y = _cn_year(m.group(1))
        if y is not None and free(m.start(), m.end()):
            out.append(YearExpr(m.start(), m.end(), y))
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
            elif w in ("去年", "上年"):
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


def _date_year(date: Optional[str]) -> Optional[int]:
    m = re.match(r"(\d{4})", date or "")
    return int(m.group(1)) if m else None


def document_context(doc: Document, lexicon: Optional[Lexicon] = None) -> dict[str, Any]:
    """Region, reference year and genre of a document; fills doc.meta["region"], doc.meta["year"],
    doc.meta["genre"] (keeping values already there) and returns them with "sections":
    [(offset, year, year_start, modality)] for its top-level parts.

    The reference year is the document's date (Document.year / .date, set by the structure step from
    front matter, file names or records), else the year of its title or of a dated opening line —
    never a received/published date. A national document (国务院, 中华人民共和国 in the title) is about
    中国. In a government work report, a part whose heading names no year or cue (一、牢记殷殷嘱托…)
    takes the year its own text refers to most (过去一年/2024年 → the review, actual; 今年/2025年 →
    the tasks, target), else the year of the part before it."""
    lex = lexicon or load_lexicon()
    title = _title(doc)
    lines = [ln.strip() for ln in doc.text.splitlines() if ln.strip()][:8]
    opening = [ln for ln in lines if not re.match(r"^(收稿日期|作者简介|基金项目|DOI|doi|文章编号|中图分类号)", ln)]
    year = doc.year or _date_year(doc.date) or doc.meta.get("year")
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
        if region is None:
            region = detect_country(title, lex)
    genre = doc.meta.get("genre")
    if genre is None:
        genre = "gov_work_report" if "政府工作报告" in title else "paper"
    sections = _sections(doc, year, genre, lex)
    glossary = _GLOSSARY_RE.search(doc.text)
    doc.meta.setdefault("region", region)
    doc.meta.setdefault("year", year)
    doc.meta.setdefault("genre", genre)
    return {"region": region, "year": year, "genre": genre, "title": title, "sections": sections,
            "glossary_from": glossary.start() if glossary else None}


# a glossary appended to a report (名词解释 / 名词注释 on a line of its own): its numbered notes define
# terms ("1+3+8"政策体系, 包括3类…), their numbers are not figures
_GLOSSARY_RE = re.compile(r"(?m)^[^\n。，]{0,20}(?:名词解释|名词注释|名词释义|词语解释)[^\n。，]{0,6}$")


def detect_country(title: str, lex: Lexicon) -> Optional[str]:
    """中国 for a national document: the title names the country or the State Council."""
    if "国务院" in title or "中华人民共和国" in title:
        reg = lex.region("中国")
        return reg.canonical if reg else "中国"
    return None


def _is_heading_line(s: str, lex: Lexicon, report: bool = False) -> bool:
    """A top-level heading on its own line: 一、…, 第一部分…, or a short line naming a review/task
    part (2024年工作回顾, 过去五年的回顾, 今后五年的主要任务; in a report also 首先报告2001年的工作)."""
    if not s or len(s) > 40 or re.search(r"[。；;！!？?]", s):
        return False
    if _TOP_HEADING_RE.match(s):
        return True
    if len(s) > 24 or "，" in s:
        return False
    cues = lex.cue("actual_heading") + lex.cue("target_heading")
    return any(c in s for c in cues) or (report and bool(YEAR_RE.search(s)) and "工作" in s)


def _sections(doc: Document, year: Optional[int], genre: str, lex: Lexicon
              ) -> list[tuple[int, Optional[int], Optional[int], Optional[str]]]:
    heads: list[tuple[int, int, Optional[int], Optional[int], Optional[str]]] = []
    pos = 0
    for line in doc.text.splitlines(keepends=True):
        s = line.strip()
        if _is_heading_line(s, lex, genre == "gov_work_report"):
            heads.append((pos, pos + len(line), *heading_year_modality(s, year, lex)))
        pos += len(line)
    out: list[tuple[int, Optional[int], Optional[int], Optional[str]]] = []
    if genre == "gov_work_report" and year and not any(h[4] for h in heads):
        return _parts_by_change_point(doc.text, year)
    prev: tuple[Optional[int], Optional[int], Optional[str]] = (None, None, None)
    for i, (a, b, y, ys, mod) in enumerate(heads):
        if genre == "gov_work_report" and year and mod is None:
            if y == year:
                mod = "target"
            elif y == year - 1:
                mod = "actual"
            elif y is None:
                end = heads[i + 1][0] if i + 1 < len(heads) else len(doc.text)
                y, ys, mod = _part_from_text(doc.text[b:end], year) or prev
        out.append((a, y, ys, mod))
        if mod is not None:
            prev = (y, ys, mod)
    return out


def _parts_by_change_point(text: str, year: int) -> list[tuple[int, Optional[int], Optional[int], Optional[str]]]:
    """A report with no part headings: it reviews the past year, then sets this year's tasks. Each
    paragraph votes by the years it names (past vs this year); the split is where the votes before it
    are most "past" and after it most "present" (one change point)."""
    votes: list[tuple[int, int]] = []  # (offset, +1 past / -1 present)
    pos = 0
    for line in text.splitlines(keepends=True):
        for y in find_years(line, year):
            if y.year == year - 1 or (y.relative and y.year < year):
                votes.append((pos + y.start, 1))
            elif y.year == year:
                votes.append((pos + y.start, -1))
        pos += len(line)
    if not votes:
        return []
    # score(k) = past votes before k + present votes from k on; the best k is a vote's offset
    total_present = sum(1 for _, v in votes if v < 0)
    best, best_k, past_before, present_before = -1, None, 0, 0
    for off, v in votes:
        score = past_before + (total_present - present_before)
        if score > best:
            best, best_k = score, off
        past_before += v > 0
        present_before += v < 0
    if past_before > best:  # all of it reviews the past
        return [(0, year - 1, None, "actual")]
    k = text.rfind("\n", 0, best_k) + 1 if best_k else 0
    parts: list[tuple[int, Optional[int], Optional[int], Optional[str]]] = [(0, year - 1, None, "actual")] if k else []
    return parts + [(k, year, None, "target")]


def _part_from_text(text: str, year: int) -> Optional[tuple[Optional[int], Optional[int], Optional[str]]]:
    """A report part's year and modality from the years its text refers to (past vs this year)."""
    past = present = 0
    for y in find_years(text[:6000], year):
        if y.year == year - 1 or (y.relative and y.year < year):
            past += 1
        elif y.year == year:
            present += 1
    if past > present:
        return year - 1, None, "actual"
    if present > past:
        return year, None, "target"
    return None


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
