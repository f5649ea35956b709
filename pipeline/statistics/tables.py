"""Statistics from table cells: unit from the cell, its row/column headers or the caption; year from a
year header or the caption; subject from a region row header; metric from the header naming a quantity."""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

from ..document import Document, Statistic, Table
from .context import find_years
from .core import PRODUCER, stat_context
from .lexicon import Lexicon, load_lexicon
from .numbers import parse_number


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)



_HEADER_UNIT_RE = re.compile(r"(?:[/／]\s*|[（(]\s*(?:单位[:：]?\s*)?)([^/／（）()]{1,8}?)\s*[）)]?\s*$")
_GENERIC_HEADERS = ("数值", "值", "数据", "合计", "总计", "指标", "数量", "")


def _unit_spec(s: str, lex: Lexicon) -> Optional[tuple[float, str, Optional[str]]]:
    """'亿元' → (1e8, 'CNY', None); '%' → (1, 'percent', None); '万辆' → (1e4, 'count', '辆')."""
    s = _nfkc(s).strip()
    mult = 1.0
    while s and s[0] in "十百千万亿" and not lex.unit_re.fullmatch(s):
        mult *= {"十": 10, "百": 100, "千": 1000, "万": 1e4, "亿": 1e8}[s[0]]
        s = s[1:]
    if not s:
        return None
    u = lex.units.get(s) or lex.units.get(_nfkc(s))
    if u is None:
        return None
    if u.kind in ("strong", "generic"):
        return mult, "count", s
    if u.kind == "pp":
        return mult, "percentage_point", None
    return mult, u.unit, None


def _split_header(h: str, lex: Lexicon) -> tuple[str, Optional[tuple[float, str, Optional[str]]]]:
    """'研发投入 GDP/亿元' → ('研发投入 GDP', (1e8, 'CNY', None))."""
    m = _HEADER_UNIT_RE.search(h)
    if m:
        spec = _unit_spec(m.group(1), lex)
        if spec:
            return h[: m.start()].strip(), spec
    m = re.search(r"单位[:：]\s*(\S+)", h)
    if m:
        spec = _unit_spec(m.group(1), lex)
        if spec:
            return h[: m.start()].strip(), spec
    return h.strip(), None


def _caption_topic(caption: str, lex: Lexicon) -> str:
    t = re.sub(r"^\s*(续?表|Table)\s*[0-9A-Za-z.\-]*\s*", "", caption)
    t = re.sub(r"[（(]?单位[:：][^）)]*[）)]?", "", t)
    t = re.sub(r"(1[89]|20)\d{2}\s*(年|—|-|–)?\s*((1[89]|20)\d{2}\s*年?)?", "", t)
    t = re.sub(r"^(全国|我国|中国)?(各|主要|部分|重点)?(地区|省份|城市|省市|区域)?", "", t.strip())
    return t.strip()


def extract_table_statistics(doc: Document, table: Table, lexicon: Optional[Lexicon] = None) -> list[Statistic]:
    """Numeric cells of a table as statistics: unit from the cell or its row/column header, year from
    the caption or a year column header, subject from the row header, metric from the column header
    (or the caption when the header is generic)."""
    lex = lexicon or load_lexicon()
    ctx = stat_context(doc, lex)
    grid = table.grid()
    hr, hc = max(table.header_rows, 0), max(table.header_cols, 0)
    cap_years = find_years(table.caption or "", ctx.get("year"), bare=True)
    cap_year = cap_years[0] if cap_years else None
    _, cap_spec = _split_header(table.caption or "", lex)
    topic = _caption_topic(table.caption or "", lex)
    out: list[Statistic] = []
    for cell in table.cells:
        if cell.row < hr or cell.col < hc:
            continue
        raw = cell.text.strip()
        if not raw:
            continue
        col_hdr = " / ".join(grid[r][cell.col] for r in range(hr) if grid[r][cell.col].strip())
        row_hdr = " / ".join(grid[cell.row][c] for c in range(hc) if grid[cell.row][c].strip())
        st = _cell_stat(raw, col_hdr, row_hdr, cap_spec, lex)
        if st is None:
            continue
        value, unit, counter, approx, flags = st
        # year: a year column header, else the caption's, else a year in the row header
        ys = find_years(col_hdr, ctx.get("year"), bare=True) or ([cap_year] if cap_year else []) or \
            find_years(row_hdr, ctx.get("year"), bare=True)
        year = ys[0].year if ys else None
        year_start = ys[0].year_start if ys else None
        col_name, _ = _split_header(col_hdr.split(" / ")[-1] if col_hdr else "", lex)
        row_name, _ = _split_header(row_hdr.split(" / ")[-1] if row_hdr else "", lex)
        col_is_year = bool(re.fullmatch(r"\s*(1[89]|20)\d{2}\s*年?\s*", col_name or ""))
        reg_m = lex.region_re.search(row_name or "")
        region_row = bool(reg_m) and lex.region(reg_m.group()) is not None
        if region_row:
            subject = row_name.strip()
            reg = lex.region(row_name.strip())
            subject = reg.canonical if reg else subject
            metric_src = col_name
        else:
            subject = ctx.get("region")
            metric_src = row_name if col_is_year or not col_name else col_name
        metric = _nfkc(metric_src or "").strip()
        if metric in _GENERIC_HEADERS or col_is_year and not row_name:
            metric = topic
        elif topic and _norm(metric) and _norm(metric) in _norm(topic) and len(topic) > len(metric):
            # 汽车本地配套率 under a caption "…新能源汽车本地配套率": the caption names it fully
            i = _norm(topic).find(_norm(metric))
            metric = _norm(topic)[: i + len(_norm(metric))]
            metric = re.sub(r"^(全国|我国|各|主要)*(地区|省份|城市)?", "", metric) or metric
        start, end = (cell.start, cell.end) if cell.start is not None else (0, len(cell.text))
        out.append(Statistic(
            source="table", span=cell.text, start=start, end=end, value=value, unit=unit,
            table_index=table.index, cell_row=cell.row, cell_col=cell.col, counter=counter, approx=approx,
            modality="actual", year=year, year_start=year_start, subject=subject,
            subject_text=row_name if region_row and subject != row_name else None,
            metric=metric or None, flags=flags, producer=PRODUCER))
    return out


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", _nfkc(s or ""))


def _cell_stat(raw: str, col_hdr: str, row_hdr: str, cap_spec, lex: Lexicon):
    s = _nfkc(raw).strip()
    approx = "exact"
    flags: list[str] = []
    m = re.match(r"^(>=|<=|≥|≤|>|<|约|超过|不足|近)\s*", s)
    if m:
        approx = {">": "more_than", ">=": "more_than", "≥": "more_than", "超过": "more_than",
                  "<": "less_than", "<=": "less_than", "≤": "less_than", "不足": "less_than",
                  "约": "about", "近": "about"}[m.group(1)]
        s = s[m.end():]
    m = re.search(r"\s*(以上|以下|左右)$", s)
    if m:
        approx = {"以上": "more_than", "以下": "less_than", "左右": "about"}[m.group(1)]
        s = s[: m.start()]
    # the cell's own unit (30%, 1.2万辆) wins over the headers'
    m = re.match(r"^(.*?[0-9一二三四五六七八九十])\s*([^\d\s.,]*)$", s)
    if not m:
        return None
    num_txt, tail = m.group(1), m.group(2)
    while tail and tail[0] in "万亿千百" and not lex.unit_re.fullmatch(tail):
        num_txt += tail[0]
        tail = tail[1:]
    p = parse_number(num_txt)
    if p is None:
        return None
    spec = _unit_spec(tail, lex) if tail else None
    if tail and spec is None:
        return None  # text cell
    if spec is None:
        _, spec = _split_header(col_hdr, lex)
    if spec is None:
        _, spec = _split_header(row_hdr, lex)
    if spec is None:
        spec = cap_spec
    if p.percent:
        spec = (1.0, "percent", None)
    if spec is None:
        flags.append("no_unit")
        return float(p.value), None, None, approx, flags
    mult, unit, counter = spec
    return float(p.value) * mult if mult != 1 else float(p.value), unit, counter, approx, flags

