"""Statistics from table cells: unit from the cell, its row/column headers or the caption; year from a
year header or the caption; subject from a region row header; metric from the header naming a quantity."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
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


def _unit_spec(s: str, lex: Lexicon) -> Optional[tuple[int, str, Optional[str]]]:
    """'亿元' → (1e8, 'CNY', None); '%' → (1, 'percent', None); '万辆' → (1e4, 'count', '辆')."""
    s = _nfkc(s).strip()
    mult = 1
    while s and s[0] in "十百千万亿" and not lex.unit_re.fullmatch(s):
        mult *= {"十": 10, "百": 100, "千": 1000, "万": 10 ** 4, "亿": 10 ** 8}[s[0]]
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


def header_paths(table: Table) -> tuple[dict[tuple[int, int], list[str]], dict[tuple[int, int], list[str]]]:
    """Row and column header paths of each data cell, outermost first. A blank row-header cell inherits
    the one above it (a merged cell: 第一产增加值 (亿元) over the 成都 and 重庆 rows), a blank
    column-header cell the one to its left (a header spanning several columns)."""
    grid = table.grid()
    hr, hc = max(table.header_rows, 0), max(table.header_cols, 0)
    cols = [list(r) for r in grid[:hr]]
    for row in cols:
        for c in range(1, len(row)):
            if not row[c].strip() and c >= hc:
                row[c] = row[c - 1] if c - 1 >= hc else ""
    rows: dict[tuple[int, int], list[str]] = {}
    colp: dict[tuple[int, int], list[str]] = {}
    carry = [""] * max(hc, 1)
    for r in range(hr, len(grid)):
        for c in range(hc):
            if c < len(grid[r]) and grid[r][c].strip():
                carry[c] = grid[r][c]
                for k in range(c + 1, hc):
                    carry[k] = ""
        for c in range(hc, len(grid[r])):
            rows[(r, c)] = [x for x in carry[:hc] if x.strip()]
            colp[(r, c)] = [row[c] for row in cols if c < len(row) and row[c].strip()]
    return rows, colp


_YEAR_HEADER = re.compile(r"\s*((?:1[89]|20)\d{2})\s*年?(?:末|底|度)?\s*")


def _table_note_spec(doc: Document, table: Table, lex: Lexicon) -> Optional[tuple[float, str, Optional[str]]]:
    """"单位：亿元" written on its own line just above or below the table (outside the caption)."""
    if table.start is None or table.end is None:
        return None
    near = doc.text[max(0, table.start - 60):table.start] + "\n" + doc.text[table.end:table.end + 60]
    m = re.search(r"单位[:：]\s*([^\s，,；;。)）]{1,8})", near)
    return _unit_spec(m.group(1), lex) if m else None


def _classify(headers: list[str], lex: Lexicon) -> tuple[Optional[int], Optional[str], Optional[str], list[str],
                                                       Optional[tuple[float, str, Optional[str]]]]:
    """(year, region header, canonical region, quantity names, unit) from one header path."""
    year = region_h = region = None
    names: list[str] = []
    spec = None
    for h in headers:
        name, sp = _split_header(h, lex)
        spec = sp or spec
        y = _YEAR_HEADER.fullmatch(_nfkc(name))
        if y:
            year = int(y.group(1))
            continue
        reg = lex.region(name.strip())
        if reg is None:
            m = lex.region_re.fullmatch(name.strip())
            reg = lex.region(m.group()) if m else None
        if reg is not None:
            region_h, region = name.strip(), reg.canonical
            continue
        if name.strip():
            names.append(name.strip())
    return year, region_h, region, names, spec


def extract_table_statistics(doc: Document, table: Table, lexicon: Optional[Lexicon] = None) -> list[Statistic]:
    """Numeric cells of a table as statistics. Each header of the cell's row and column paths is read
    for what it names: a year (2020), a region (成都 → 成都市: the subject) or a quantity (第一产增加值
    (亿元): the metric, and its unit). The unit comes from the cell itself, else from a header of its
    row or column path, else the caption, else a 单位：… note next to the table; the year from a year
    header, else the caption's; the metric from a quantity header (the column's first), else the
    caption's topic."""
    lex = lexicon or load_lexicon()
    ctx = stat_context(doc, lex)
    hr, hc = max(table.header_rows, 0), max(table.header_cols, 0)
    cap_years = find_years(table.caption or "", ctx.get("year"), bare=True)
    cap_year = cap_years[0] if len(cap_years) == 1 else None
    _, cap_spec = _split_header(table.caption or "", lex)
    cap_spec = cap_spec or _table_note_spec(doc, table, lex)
    topic = _caption_topic(table.caption or "", lex)
    rows, cols = header_paths(table)
    out: list[Statistic] = []
    for cell in table.cells:
        if cell.row < hr or cell.col < hc:
            continue
        raw = cell.text.strip()
        if not raw:
            continue
        row_path, col_path = rows.get((cell.row, cell.col), []), cols.get((cell.row, cell.col), [])
        cy, creg_h, creg, cnames, cspec = _classify(col_path, lex)
        ry, rreg_h, rreg, rnames, rspec = _classify(row_path, lex)
        st = _cell_stat(raw, cspec or rspec or cap_spec, lex)
        if st is None:
            continue
        value, unit, counter, approx, flags = st
        if cy or ry:
            year, year_start = (cy or ry), None
        elif cap_year is not None:
            year, year_start = cap_year.year, cap_year.year_start
        else:
            year = year_start = None
        subject = rreg or creg or ctx.get("region")
        region_h = rreg_h or creg_h
        metric = _metric(cnames, rnames, topic)
        start, end = (cell.start, cell.end) if cell.start is not None and cell.end is not None else (0, len(cell.text))
        out.append(Statistic(
            source="table", span=cell.text, start=start, end=end, value=value, unit=unit,
            table_index=table.index, cell_row=cell.row, cell_col=cell.col, counter=counter, approx=approx,
            modality="actual", year=year, year_start=year_start, subject=subject,
            subject_text=region_h if region_h and subject != region_h else None,
            metric=metric or None, flags=flags, producer=PRODUCER))
    return out


def _metric(cnames: list[str], rnames: list[str], topic: str) -> str:
    """The quantity a cell measures: its column's quantity header, else its row's, else the caption's
    topic; a header the caption names more fully (汽车本地配套率 under …新能源汽车本地配套率) takes the
    caption's words."""
    cq = [_nfkc(n).strip() for n in cnames if _nfkc(n).strip() not in _GENERIC_HEADERS]
    rq = [_nfkc(n).strip() for n in rnames if _nfkc(n).strip() not in _GENERIC_HEADERS]
    metric = cq[-1] if cq else (rq[-1] if rq else "")
    if not metric:
        return topic
    if topic and _norm(metric) in _norm(topic) and len(topic) > len(metric):
        i = _norm(topic).find(_norm(metric))
        full = _norm(topic)[: i + len(_norm(metric))]
        return re.sub(r"^(全国|我国|各|主要)*(地区|省份|城市)?", "", full) or metric
    return metric


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", _nfkc(s or ""))


def _cell_stat(raw: str, header_spec, lex: Lexicon):
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
        spec = header_spec
    if p.percent:
        spec = (1, "percent", None)
    if spec is None:
        flags.append("no_unit")
        return float(p.value), None, None, approx, flags
    mult, unit, counter = spec
    if mult == 1:
        return float(p.value), unit, counter, approx, flags
    return float(Decimal(repr(p.value)) * Decimal(mult)), unit, counter, approx, flags
