"""Render a seed text document to a journal-like two-column PDF (test and benchmark fixtures).

Layout: running header and page number on every page; page 1 starts with a full-width title,
authors, abstract and keywords; the body runs in two columns; tab-separated lines (with the
"表 N …" caption line above them) become ruled tables. The text is set in an embedded subset of
WenQuanYi Micro Hei (devtools/fonts/, see make_font.py): the PDF carries its glyphs and
ToUnicode map, so what pypdfium2 and pdfplumber extract does not depend on the host's fonts.

    python -m pipeline.devtools.render_pdf ../shared/seeds/*.txt --out outputs/pdf
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

FONT = "LitmineCJK"  # the name reportlab registers the embedded subset under
FONT_FILE = Path(__file__).resolve().parent / "fonts" / "wqy-microhei-subset.ttf"
JOURNAL = "区域产业经济研究  Regional Industrial Economy Review"
PAGE_W, PAGE_H = 595.27, 841.89  # A4 in points
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 54.0, 64.0, 60.0
GUTTER = 18.0

HEADING_RE = re.compile(
    r"^(\d+(\.\d+)*\.?\s*\S|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)"
    r"|参考文献|References\b|Abstract\b|摘要$|关键词$|结论|结语)"
)
CAPTION_RE = re.compile(r"^(表|图|Table|Fig\.?|Figure)\s*\d")
KEYWORDS_RE = re.compile(r"^(关键词|关键字|Key\s*words|Keywords)", re.I)


def _classify(paragraphs: list[str]) -> list[tuple[str, Any]]:
    """(kind, payload) items in source order: kind in front/heading/caption/body/table."""
    items: list[tuple[str, Any]] = []
    i = 0
    while i < len(paragraphs):
        p = paragraphs[i]
        if "\t" in p:
            rows = []
            while i < len(paragraphs) and "\t" in paragraphs[i]:
                rows.append(paragraphs[i].split("\t"))
                i += 1
            items.append(("table", rows))
            continue
        if CAPTION_RE.match(p) and len(p) < 80:
            items.append(("caption", p))
        elif HEADING_RE.match(p) and len(p) <= 40:
            items.append(("heading", p))
        else:
            items.append(("body", p))
        i += 1
    # Front matter: title .. keywords line (and the line after a bare "关键词" label).
    end = 1 if items else 0
    for k, (_, text) in enumerate(items[:15]):
        if isinstance(text, str) and KEYWORDS_RE.match(text):
            end = k + 1
            if len(text) <= 8 and k + 1 < len(items):
                end = k + 2
            break
    return [("front", t) if k < end and kind != "table" else (kind, t) for k, (kind, t) in enumerate(items)]


def register_font() -> str:
    """Register the embedded CJK font with reportlab (once) and return its name for setFont/styles."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
    return FONT


def missing_glyphs(text: str) -> list[str]:
    """Characters of `text` the embedded font cannot draw (they would come out as empty boxes)."""
    from reportlab.pdfbase import pdfmetrics

    charmap = pdfmetrics.getFont(register_font()).face.charToGlyph
    return sorted({ch for ch in text if ch.isprintable() and not ch.isspace() and ord(ch) not in charmap})


def _styles() -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    base = dict(fontName=FONT, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", fontSize=17, leading=24, alignment=TA_CENTER, spaceAfter=8, **base),
        "front": ParagraphStyle("front", fontSize=9, leading=13, alignment=TA_JUSTIFY, spaceAfter=5, **base),
        "heading": ParagraphStyle("heading", fontSize=11, leading=16, alignment=TA_LEFT, spaceBefore=6,
                                  spaceAfter=3, **base),
        "caption": ParagraphStyle("caption", fontSize=8.5, leading=12, alignment=TA_CENTER, spaceBefore=4,
                                  spaceAfter=2, **base),
        "body": ParagraphStyle("body", fontSize=9.5, leading=14, alignment=TA_JUSTIFY, firstLineIndent=19,
                               spaceAfter=0, **base),
        "cell": ParagraphStyle("cell", fontSize=7.5, leading=9.5, alignment=TA_CENTER, **base),
    }


def render_pdf(txt_path: Path, out_pdf: Path, table_style: str = "ruled") -> dict[str, Any]:
    """Render `txt_path` to `out_pdf`. `table_style`: "ruled" (a full grid) or "three_line" (三线表 /
    booktabs: a thick rule above and below the table, a thin one under the header row, no
    vertical rules: the usual style of Chinese journals). Returns what the PDF should give back on extraction:
    {"title", "front": [...], "body": [(kind, text), ...] (headings, captions, paragraphs in source
    order, tables excluded), "tables": [{"caption", "rows"}], "pages", "header"}."""
    from reportlab.lib import colors
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table, TableStyle
    from reportlab.platypus.flowables import KeepTogether

    if table_style not in ("ruled", "three_line"):
        raise ValueError(f"table_style must be 'ruled' or 'three_line', not {table_style!r}")

    register_font()
    raw = Path(txt_path).read_text(encoding="utf-8-sig")
    missing = missing_glyphs(raw)
    if missing:
        raise ValueError(f"{txt_path}: the embedded font has no glyph for {''.join(missing[:20])!r}"
                         " (extend RANGES in pipeline/devtools/make_font.py and rebuild the font)")
    paragraphs = [ln.rstrip("\r") if "\t" in ln else ln.strip() for ln in raw.splitlines() if ln.strip()]
    items = _classify(paragraphs)
    st = _styles()
    text_w = PAGE_W - 2 * MARGIN_X
    col_w = (text_w - GUTTER) / 2

    def para(text: str, style: str) -> Paragraph:
        return Paragraph(escape(text), st[style])

    # Front matter is laid out first so its height fixes where page 1's columns start.
    front_flow = []
    meta: dict[str, Any] = {"title": "", "front": [], "body": [], "tables": [], "header": JOURNAL}
    for k, (kind, text) in enumerate(items):
        if kind == "front":
            style = "title" if k == 0 else "front"
            if k == 0:
                meta["title"] = text
            meta["front"].append(text)
            front_flow.append(para(text, style))
    front_h = sum(f.wrap(text_w, PAGE_H)[1] + f.getSpaceAfter() + f.getSpaceBefore() for f in front_flow) + 14

    body_flow: list[Any] = []
    pending_caption: Paragraph | None = None
    for kind, payload in items:
        if kind == "front":
            continue
        if kind == "table":
            rows = payload
            ncols = max(len(r) for r in rows)
            data = [[para(c.strip(), "cell") for c in r] + [""] * (ncols - len(r)) for r in rows]
            tbl = Table(data, colWidths=[col_w / ncols] * ncols, repeatRows=0)
            rules = ([("GRID", (0, 0), (-1, -1), 0.5, colors.black)] if table_style == "ruled" else
                     [("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black),
                      ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                      ("LINEBELOW", (0, -1), (-1, -1), 1.0, colors.black)])
            tbl.setStyle(TableStyle(rules + [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]))
            cap_text = meta["body"][-1][1] if pending_caption is not None else ""
            meta["tables"].append({"caption": cap_text, "rows": [[c.strip() for c in r] for r in rows]})
            group = ([pending_caption] if pending_caption is not None else []) + [tbl]
            if pending_caption is not None:
                body_flow.pop()  # the caption travels with its table
            body_flow.append(KeepTogether(group))
            pending_caption = None
            continue
        p = para(payload, kind)
        body_flow.append(p)
        meta["body"].append((kind, payload))
        pending_caption = p if kind == "caption" else None

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(MARGIN_X, PAGE_H - 36, JOURNAL)
        canvas.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 36, "2025 年第 14 期")
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN_X, PAGE_H - 40, PAGE_W - MARGIN_X, PAGE_H - 40)
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(PAGE_W / 2, 32, str(doc.page))
        canvas.restoreState()

    body_h = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
    first_cols_h = body_h - front_h

    def cols(top_h: float, prefix: str) -> list[Frame]:
        return [Frame(MARGIN_X + i * (col_w + GUTTER), MARGIN_BOTTOM, col_w, top_h, id=f"{prefix}{i}",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0) for i in range(2)]

    front_frame = Frame(MARGIN_X, MARGIN_BOTTOM + first_cols_h, text_w, front_h, id="front",
                        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    doc = BaseDocTemplate(str(out_pdf), pagesize=(PAGE_W, PAGE_H), leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                          topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=meta["title"] or out_pdf.stem,
                          invariant=1)
    from reportlab.platypus.doctemplate import FrameBreak, NextPageTemplate

    doc.addPageTemplates([
        PageTemplate(id="first", frames=[front_frame] + cols(first_cols_h, "f"), onPage=decorate),
        PageTemplate(id="later", frames=cols(body_h, "c"), onPage=decorate),
    ])
    story = front_flow + [NextPageTemplate("later"), FrameBreak()] + body_flow
    doc.build(story)
    meta["pages"] = doc.page
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.devtools.render_pdf", description=__doc__.split("\n")[0])
    ap.add_argument("src", nargs="+", type=Path, help="seed .txt files")
    ap.add_argument("--out", type=Path, required=True, help="output directory")
    ap.add_argument("--table-style", choices=("ruled", "three_line"), default="ruled")
    args = ap.parse_args(argv)
    for src in args.src:
        out = args.out / (src.stem + ".pdf")
        meta = render_pdf(src, out, table_style=args.table_style)
        print(f"{out}  {meta['pages']} pages, {len(meta['tables'])} tables")
    return 0


if __name__ == "__main__":
    sys.exit(main())
