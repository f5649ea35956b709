"""The PDF fixtures carry their fonts: extraction must not depend on the host's Chinese fonts (a
machine with fonts-wqy or Noto CJK installed would hide a regression, so check the files)."""
from __future__ import annotations

import re

import pytest

from pdf_fixtures import render_seed

STANDARD_14 = {b"Helvetica", b"Times-Roman", b"Courier", b"Symbol", b"ZapfDingbats"}


@pytest.mark.parametrize("table_style", ["ruled", "three_line"])
def test_seed_renderings_embed_every_font_they_use(tmp_path, table_style):
    out, meta = render_seed("001", tmp_path, table_style=table_style)
    pdf = out.read_bytes()
    fonts = set(re.findall(rb"/BaseFont\s*/([\w+\-]+)", pdf)) - STANDARD_14
    assert fonts, "no font found"
    # every other font is a subset (XXXXXX+Name) with its TrueType program and a ToUnicode map
    assert all(re.fullmatch(rb"[A-Z]{6}\+\w+", f) for f in fonts), fonts
    assert pdf.count(b"/FontFile2") == len(fonts) and pdf.count(b"/ToUnicode") >= len(fonts)
    assert b"STSong" not in pdf and meta["pages"] >= 2


def test_the_renderer_refuses_text_its_font_cannot_draw(tmp_path):
    from pipeline.devtools.render_pdf import missing_glyphs, render_pdf

    assert missing_glyphs("产业集群 industrial clusters 3.5% ① ㎡ 濟") == []
    src = tmp_path / "x.txt"
    src.write_text("标题\n正文含有一个表情😀。\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no glyph"):
        render_pdf(src, tmp_path / "x.pdf")
