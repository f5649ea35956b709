"""OCR for PDF pages without a usable text layer: options, text-layer quality, engines.

    options.py  OcrOptions (mode auto|off|force, engine, lang, dpi): the one set of OCR options
    quality.py  when `auto` OCRs a page (no text layer, a garbled one, an OCR layer without words)
    engines.py  rapidocr (default) and tesseract behind one `OcrEngine` interface

The PDF reader's hook (extract/pdf/ocr.py) rasterises the pages with pypdfium2, turns the engine's
lines into reader lines (so layout, structure, sentences, claims and statistics see OCR text like
any other) and records provenance (pages.ocr, documents.meta["ocr"], block hints).
"""
from __future__ import annotations

from .options import ENGINES, MODES, OcrOptions
from .quality import Thresholds, TextQuality, load_thresholds, measure, ocr_reason

__all__ = ["ENGINES", "MODES", "OcrOptions", "TextQuality", "Thresholds", "load_thresholds", "measure", "ocr_reason"]
