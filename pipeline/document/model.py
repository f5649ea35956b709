"""The data model every stage reads and writes. Data only: no I/O, no NLP.

Flow (one package per stage, each adds to the same `Document`):

    extract/   file  -> Document(text, pages, blocks, tables)        (readers: text, docx, pdf)
    extract/structure/     blocks -> block.kind, section_path, role; title, year/date, authors, source
    segment/   blocks -> sentences (offsets, lang, tokens)
    tagging/   sentences -> claims          statistics/  sentences + cells -> statistics
    index/     Document -> SQLite           topics/, linking/  corpus-level, over the index

Offsets: `start`/`end` are character offsets into `Document.text`, the document's extracted text
(for a text file: its decoded content, verbatim; for a PDF: the reading-order text we assemble).
`page` is 1-based, None for formats without pages.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

# Sentence / block kinds: the `kind` values of the export contract (shared/gold/FORMAT.md).
KINDS = ("body", "abstract", "title", "heading", "keywords", "caption", "front_matter", "reference")
# Kinds whose sentences are claims (tagged problem/countermeasure/achievement/background).
CLAIM_KINDS = ("body", "abstract")
LABELS = ("problem", "countermeasure", "achievement", "background")
# Section roles: what a part of a document does. Reports: review (what was done), problems,
# tasks (what will be done), targets; papers: introduction, literature, method, findings,
# problems, countermeasures, conclusion; any: background, front, appendix, references.
ROLES = ("review", "problems", "tasks", "targets", "introduction", "literature", "method", "findings",
         "countermeasures", "conclusion", "background", "front", "appendix", "references")


@dataclass
class Page:
    number: int  # 1-based
    start: int
    end: int
    width: float | None = None
    height: float | None = None
    ocr: str = ""  # producer (engine, version, models) when the page's text was read by OCR


@dataclass
class Block:
    """A paragraph-like unit of the extracted text (a line of a text file, a paragraph of a PDF)."""

    start: int
    end: int
    page: Optional[int] = None
    bbox: Optional[tuple[float, float, float, float]] = None  # x0, top, x1, bottom in PDF points
    kind: str = "body"
    section_path: list[str] = field(default_factory=list)  # headings above, outermost first
    lang: str = "zh"
    # Reader hints for structure detection, e.g. {"font_size": 14.0, "bold": True, "full_width": True}
    hints: dict[str, Any] = field(default_factory=dict)
    # Role of the part this block sits in (ROLES below; "" when unknown), set by structure.
    role: str = ""


@dataclass
class Cell:
    row: int  # 0-based within the table
    col: int
    text: str  # verbatim
    start: Optional[int] = None  # offsets into Document.text when the table text is part of it
    end: Optional[int] = None
    bbox: Optional[tuple[float, float, float, float]] = None


@dataclass
class Table:
    index: int  # 0-based order within the document
    page: Optional[int]
    caption: str  # verbatim caption ("表 2 全国各地区新能源汽车本地配套率"), "" when none found
    cells: list[Cell] = field(default_factory=list)
    start: Optional[int] = None  # span of the table's text in Document.text, if it is in it
    end: Optional[int] = None
    bbox: Optional[tuple[float, float, float, float]] = None
    header_rows: int = 1  # how many leading rows are column headers
    header_cols: int = 1  # how many leading columns are row headers

    @property
    def n_rows(self) -> int:
        return 1 + max((c.row for c in self.cells), default=-1)

    @property
    def n_cols(self) -> int:
        return 1 + max((c.col for c in self.cells), default=-1)

    def grid(self) -> list[list[str]]:
        g = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for c in self.cells:
            g[c.row][c.col] = c.text
        return g


@dataclass
class Sentence:
    start: int
    end: int
    text: str  # verbatim: Document.text[start:end]
    kind: str
    lang: str  # zh | en | mixed
    page: Optional[int]
    section_path: list[str]
    block_index: int
    tokens: list[str] = field(default_factory=list)  # normalised tokens (jieba / spaCy lemmas)
    search_tokens: list[str] = field(default_factory=list)  # full-text index terms (jieba search mode)
    index: int = 0  # position in the document
    role: str = ""  # section role of the block it belongs to (ROLES), "" when unknown

    @property
    def section(self) -> str:
        """Nearest heading above, verbatim ("" when none) — the gold's `section`."""
        return self.section_path[-1] if self.section_path else ""


@dataclass
class Reference:
    index: int
    text: str
    start: int
    end: int
    page: Optional[int] = None


@dataclass
class Claim:
    sentence_index: int
    label: str
    secondary: list[str] = field(default_factory=list)
    confidence: float = 0.0
    evidence: dict[str, Any] = field(default_factory=dict)  # heading, cues, model score, rule
    producer: str = ""  # rule/model name and version


@dataclass
class Statistic:
    source: str  # "text" | "table"
    span: str
    start: int  # offsets into Document.text (or the cell's own text when the cell has none)
    end: int
    value: Optional[float]  # lower bound for a range ("5–10%" → 5)
    unit: Optional[str]
    sentence_index: Optional[int] = None
    table_index: Optional[int] = None
    cell_row: Optional[int] = None
    cell_col: Optional[int] = None
    parts: list[float] = field(default_factory=list)
    counter: Optional[str] = None
    approx: str = "exact"
    direction: Optional[str] = None
    modality: str = "actual"
    year: Optional[int] = None
    year_start: Optional[int] = None
    value_max: Optional[float] = None  # upper bound of a range, else None
    base_year: Optional[int] = None  # the year a change is measured against (相比2020年…), never the reference year
    subject: Optional[str] = None
    subject_text: Optional[str] = None
    metric: Optional[str] = None
    flags: list[str] = field(default_factory=list)
    producer: str = ""


@dataclass
class Document:
    doc_id: str  # file stem
    path: str
    format: str  # txt | md | docx | pdf
    sha256: str
    text: str = ""
    encoding: Optional[str] = None
    pages: list[Page] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    title: str = ""
    lang: str = "zh"
    # Document metadata (export contract): reference year, ISO date (YYYY-MM-DD / YYYY-MM / YYYY),
    # issuing body or authors, venue (journal, publisher, site). None/[] when unknown.
    year: Optional[int] = None
    date: Optional[str] = None
    authors: list[str] = field(default_factory=list)
    source: Optional[str] = None
    sentences: list[Sentence] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    statistics: list[Statistic] = field(default_factory=list)
    # Document-level facts later stages use: e.g. {"year": 2025, "region": "陕西省"}
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def page_at(self, offset: int) -> Optional[int]:
        """1-based page containing a character offset, None when the format has no pages."""
        for p in self.pages:
            if p.start <= offset < p.end or (offset == p.end and p is self.pages[-1]):
                return p.number
        return None

    @property
    def n_pages(self) -> Optional[int]:
        return len(self.pages) if self.pages else None
