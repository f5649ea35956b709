"""The PDF reader's OCR hook: pages without a usable text layer are rasterised with pypdfium2 and read
by the OCR engine (extract/ocr/); its lines become reader `Line`s in PDF points, so columns, reading
order, paragraphs, running headers, structure, sentences, claims and statistics treat them like
any other text. After assembly, provenance is recorded:

    Page.ocr                     the producer (engine, version, models) of an OCR'd page -> pages.ocr
    Block.hints                  text_source (engine name) and ocr_confidence (mean of its lines)
    documents.meta["ocr"]        producer, mode, dpi, pages [[page, reason, mean confidence]] and
                                 lines [[page, start, end, confidence]] (offsets into the document
                                 text; null when the line left the text: running header, page number)
    documents.warnings           one line naming the OCR'd pages, why, and the mean confidence
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any, Optional

import pypdfium2 as pdfium

from pipeline.document.model import Document
from pipeline.errors import DocumentError, LitmineError, Msg
from pipeline.paths import DEFAULT_MODELS

from ..ocr.engines import OcrEngine, OcrLine, get_engine
from ..ocr.options import OcrOptions
from ..ocr.quality import load_thresholds, ocr_reason
from .base import Line, PageData

# rapidocr's detection box (unclipped by 1.6) and tesseract's word boxes are taller than the type:
# body text set at 10 pt gives boxes of ~14 pt (measured on the rendered seeds)
_BOX_TO_SIZE = 0.72
# a poster-size page at full dpi would be a 50-megapixel image: cap its longer side (an A4 page at
# 300 dpi is 3508 px), text on such pages is set large enough to read at the lower resolution
MAX_SIDE_PX = 3600


@dataclass
class _PageOcr:
    reason: str
    lines: list[tuple[str, float]] = field(default_factory=list)  # (text, confidence) in reading order


class PdfOcr:
    """One document's OCR: decides per page (`reason`), reads the page image (`read`), records the
    provenance (`annotate`). The engine is built on the first page that needs it, so a PDF with a
    healthy text layer never loads a model."""

    def __init__(self, options: OcrOptions, models_dir: str = "") -> None:
        self.options = options
        self.thresholds = load_thresholds(models_dir or str(DEFAULT_MODELS))
        self.pages: dict[int, _PageOcr] = {}
        self.failed: list[str] = []
        self._engine: Optional[OcrEngine] = None

    @property
    def engine(self) -> OcrEngine:
        if self._engine is None:
            try:
                self._engine = get_engine(self.options)
            except LitmineError as exc:  # the rest of the corpus goes on: this document fails
                raise DocumentError(str(exc)) from None
        return self._engine

    def reason(self, pd: PageData) -> Optional[str]:
        """Why this page should be OCR'd (None: keep its text layer). Judged on the page's lines, the
        text as the reader gives it (look-alike glyph fonts already mapped back: 犆犌犛犛 -> CGSS)."""
        if self.options.mode == "force":
            return "forced"
        if self.options.mode == "off":
            return None
        text = " ".join(ln.text for ln in pd.lines)
        return ocr_reason(text, pd.n_images, pd.invisible_text, self.thresholds)

    def read(self, page: pdfium.PdfPage, pd: PageData, reason: str) -> bool:
        """OCR one page into `pd.lines` (True), or keep its text layer when the engine fails (False)."""
        engine = self.engine
        scale = min(self.options.dpi / 72, MAX_SIDE_PX / max(pd.width, pd.height, 1.0))
        try:
            bitmap = page.render(scale=scale)
            try:
                image = bitmap.to_numpy()
                got = engine.read(image)
            finally:
                bitmap.close()
        except LitmineError as exc:
            self.failed.append(Msg.OCR_PAGE_FAILED.format(page=pd.number, detail=str(exc)))
            return False
        except Exception as exc:  # an engine crash on one page: keep what the PDF had
            self.failed.append(Msg.OCR_PAGE_FAILED.format(page=pd.number, detail=type(exc).__name__))
            return False
        lines = to_lines(got, scale)
        pd.lines = [ln for ln, _ in lines]
        pd.n_chars = sum(len(ln.text) for ln in pd.lines)
        pd.source = engine.name
        pd.invisible_text = False  # whatever OCR layer the PDF had is replaced
        pd.tables = []
        self.pages[pd.number] = _PageOcr(reason, [(ln.text, conf) for ln, conf in lines])
        return True

    def annotate(self, doc: Document) -> None:
        for msg in self.failed:
            doc.warnings.append(msg)
        if not self.pages:
            return
        producer = self.engine.producer
        spans = {p.number: p for p in doc.pages}
        rows: list[list[Any]] = []
        page_rows: list[list[Any]] = []
        for number, info in sorted(self.pages.items()):
            span = spans.get(number)
            if span is not None:
                span.ocr = producer
            used: set[int] = set()
            for text, conf in info.lines:
                at = _locate(doc.text, text, span.start if span else 0, span.end if span else len(doc.text), used)
                rows.append([number, at, at + len(text) if at is not None else None, conf])
            confs = [c for _, c in info.lines]
            page_rows.append([number, info.reason, round(statistics.fmean(confs), 4) if confs else None])
        for b in doc.blocks:
            if b.page in self.pages:
                inside = [r[3] for r in rows if r[0] == b.page and r[1] is not None and b.start <= r[1] < b.end]
                if inside:
                    b.hints["ocr_confidence"] = round(statistics.fmean(inside), 4)
        doc.meta["ocr"] = {"producer": producer, "mode": self.options.mode, "dpi": self.options.dpi,
                           "pages": page_rows, "lines": rows}
        all_conf = [c for info in self.pages.values() for _, c in info.lines]
        reasons = sorted({info.reason for info in self.pages.values()})
        numbers = sorted(self.pages)
        doc.warnings.append(Msg.OCR_PAGES.format(
            pages=", ".join(map(str, numbers[:10])) + (" …" if len(numbers) > 10 else ""), producer=producer,
            reasons=", ".join(reasons), confidence=statistics.fmean(all_conf) if all_conf else 0.0))


def to_lines(got: list[OcrLine], scale: float) -> list[tuple[Line, float]]:
    """Engine lines (pixels) -> reader lines (PDF points, top-based), top to bottom, left to right.
    Lines whose box height is within a fifth of the page's median share one size (body text), so
    layout does not split paragraphs on the jitter of detection boxes; taller lines keep their own."""
    if not got:
        return []
    heights = [(b.box[3] - b.box[1]) / scale for b in got]
    median_h = statistics.median(heights)
    out = []
    for ol, h in zip(got, heights):
        x0, top, x1, bottom = (v / scale for v in ol.box)
        size_h = median_h if abs(h - median_h) <= 0.2 * median_h else h
        size = round(size_h * _BOX_TO_SIZE * 2) / 2
        out.append((Line(ol.text, round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2), size, False),
                    ol.confidence))
    out.sort(key=lambda t: (round(t[0].cy / max(t[0].size, 1.0) / 0.6), t[0].x0))
    return out


def _locate(text: str, line: str, start: int, end: int, used: set[int]) -> Optional[int]:
    """Where an OCR line sits in the document text (its first unused occurrence on its page)."""
    at = text.find(line, start, end + 1)
    while at != -1 and at in used:
        at = text.find(line, at + 1, end + 1)
    if at == -1:
        return None
    used.add(at)
    return at
