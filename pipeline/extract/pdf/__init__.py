"""PDF reader: reading-order text, pages, paragraph blocks with layout hints, and ruled tables.

One backend (`reader.py`) builds each page, then assembles the document:

    chars.py     pypdfium2 characters -> lines (look-alike glyphs, missing word spaces)
    fallback.py  pdfplumber re-reads a page whose pdfium characters look lost
    tables.py    vector rules -> ruled / three-line tables (cells cut from the page's own rules)
    layout.py    running headers/footers out, columns and reading order, paragraphs
    assemble.py  pages -> Document blocks (with reader hints), page spans, captioned tables

Text and layout come from pypdfium2 (fast: a handful of C calls per *line*, not per char).
"""
from __future__ import annotations

from .reader import read_pdf

__all__ = ["read_pdf"]
