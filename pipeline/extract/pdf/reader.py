"""The PDF backend: open the file (one-line errors), build each page (pdfium chars -> lines, rules ->
tables, pdfplumber where pdfium lost the text), check the text layer, assemble the `Document`.
Another page reader (e.g. OCR) plugs in as a `PageSource`."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional, Protocol

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.document.model import Document
from pipeline.errors import DocumentError, Msg

from .assemble import assemble
from .base import Line, PageData, View, inside
from .chars import page_lines
from .fallback import Plumber, better, looks_lost
from .figures import figure_areas
from .furniture import body_size, split_footnotes, strip_running
from ..ocr.options import OcrOptions
from .ocr import PdfOcr
from .tables import fill_cells, grids, is_figure, page_graphics, three_line_grids
from .textables import text_tables

_WEIRD = set("!\"#$&*+/:;<=>?@[\\]^_`{|}~")


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
             data: Optional[bytes] = None, ocr: Optional[OcrOptions] = None, models_dir: str = "") -> Document:
    """Read a PDF into a `Document` (format "pdf"). Raises `DocumentError` with a one-line `Msg`.
    `data`: the file's bytes when the caller has already read them (saves a second read).
    `ocr`: when (and how) to OCR pages without a usable text layer (None: never, as `--ocr off`)."""
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
        reader = PdfOcr(ocr, models_dir) if ocr is not None and ocr.enabled else None
        PdfBackend(data, password, ocr=reader).convert(doc)
    except DocumentError:
        raise
    except Exception as e:  # a file that trips pdfium or our layout code: one line, no traceback
        raise DocumentError(Msg.PDF_CORRUPT.format(detail=f"{type(e).__name__} while reading")) from None
    return doc


class PageSource(Protocol):
    """Another reading of one page's characters, asked only when pdfium's look lost (`looks_lost`):
    returns (lines, text, box) in the same form `chars.page_lines` gives, or None."""

    name: str

    def page_lines(self, i: int, view: View) -> Optional[tuple[list[Line], str, Any]]: ...

    def close(self) -> None: ...


class PdfBackend:
    """One PDF: `build` reads every page (pdfium chars -> lines, vector rules -> tables; a page whose
    chars look lost is re-read by the first `sources` entry that does better), `check` vets the text
    layer (refuse / warn), `assemble` lays the pages out into the `Document`, `enrich` adds what
    needs the whole document (nothing yet)."""

    def __init__(self, data: bytes, password: Optional[str],
                 sources: Optional[list[PageSource]] = None, ocr: Optional[PdfOcr] = None) -> None:
        self.data, self.password = data, password
        self.sources: list[PageSource] = sources if sources is not None else [Plumber(data, password)]
        self.ocr = ocr  # reads the pages without a usable text layer (pdf/ocr.py)

    def convert(self, doc: Document) -> Document:
        pages = self.build(doc)
        self.check(doc, pages)
        self.assemble(doc, pages)
        if self.ocr is not None:
            self.ocr.annotate(doc)
        return self.enrich(doc)

    def build(self, doc: Document) -> list[PageData]:
        pdf = _open(self.data, self.password)
        pages: list[PageData] = []
        try:
            n_pages = len(pdf)
            if n_pages == 0:
                raise DocumentError(Msg.PDF_ZERO_PAGES)
            for i in range(n_pages):
                pages.append(self._read_page(pdf, i, doc))
            if not any(p.n_chars for p in pages):
                if self.ocr is not None and self.ocr.pages:
                    raise DocumentError(Msg.OCR_NO_TEXT)
                raise DocumentError(Msg.PDF_NO_TEXT if any(p.n_images for p in pages) else Msg.NO_TEXT)
        except pdfium.PdfiumError as e:
            raise DocumentError(Msg.PDF_CORRUPT.format(detail=str(e).split("(")[0].strip() or "pdfium")) from None
        finally:
            pdf.close()
            for src in self.sources:
                src.close()
        return pages

    @staticmethod
    def check(doc: Document, pages: list[PageData]) -> None:
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
        reread = [p.number for p in pages if p.source == Plumber.name]
        if reread:
            doc.warnings.append(Msg.PDF_REREAD.format(pages=_ranges(reread)))

    @staticmethod
    def assemble(doc: Document, pages: list[PageData]) -> None:
        for p in pages:
            # boxes-and-arrows diagrams are ruled grids too: a grid captioned "Figure"/"图" is no table
            p.tables = [t for t in p.tables if not is_figure(t[0], p.lines)]
            if p.tables:
                p.lines = [ln for ln in p.lines if not any(inside(ln, bb) for bb, _ in p.tables)]
        strip_running(pages)
        split_footnotes(pages)
        assemble(doc, pages, body_size(pages))

    @staticmethod
    def enrich(doc: Document) -> Document:
        return doc

    def _read_page(self, pdf: pdfium.PdfDocument, i: int, doc: Document) -> PageData:
        page = pdf[i]
        try:
            width, height = page.get_size()
            pd = PageData(number=i + 1, width=round(width, 2), height=round(height, 2))
            tp = page.get_textpage()
            try:
                view = View(page)
                pd.lines, pd.n_chars, pd.invisible_text, text, box = page_lines(tp, view)
                pd.n_images, hs, vs, n_txt, drawn = page_graphics(page, view)
                if view.rot == 0 and looks_lost(text, n_txt):
                    for src in self.sources:
                        got = src.page_lines(i, view)
                        if got is not None and better(got[1], text):
                            pd.lines, text, box = got
                            pd.n_chars, pd.source = len(text), src.name
                            break
                why = self.ocr.reason(pd) if self.ocr is not None else None
                if why and self.ocr is not None and self.ocr.read(page, pd, why):
                    hs = vs = []  # OCR lines have no char boxes to cut ruled-table cells with
                pd.long_rules = [y for y, x0, x1 in hs if x1 - x0 >= 0.5 * pd.width]
                pd.short_rules = [(y, x0, x1) for y, x0, x1 in hs if 20 <= x1 - x0 < 0.5 * pd.width][:200]
                if pd.lines:
                    for grid in grids(hs, vs):
                        cells = fill_cells(grid, pd.lines, text, box)
                        if cells is not None:
                            pd.tables.append((grid[0], cells))
                    if len(hs) >= 2:
                        for grid in three_line_grids(hs, pd.lines, text, box, [bb for bb, _ in pd.tables]):
                            cells = fill_cells(grid, pd.lines, text, box)
                            if cells is not None:
                                pd.tables.append((grid[0], cells))
                    free = [ln for ln in pd.lines if not any(inside(ln, bb) for bb, _ in pd.tables)]
                    pd.tables.extend(text_tables(free))
                    pd.figures = figure_areas(drawn, pd.lines, pd.width, pd.height, [bb for bb, _ in pd.tables])
            finally:
                tp.close()
            return pd
        except pdfium.PdfiumError:
            doc.warnings.append(Msg.PDF_PAGE_SKIPPED.format(page=i + 1))
            return PageData(number=i + 1, width=0.0, height=0.0)
        finally:
            page.close()


def _ranges(nums: list[int]) -> str:
    return ", ".join(str(n) for n in nums[:10]) + (" …" if len(nums) > 10 else "")
