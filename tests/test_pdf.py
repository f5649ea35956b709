"""The PDF path: seed documents rendered as two-column journal PDFs come back intact (text, reading
order, tables, pages); real PDFs open with page provenance; bad files give one-line messages."""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline.errors import DocumentError, Msg
from pipeline.extract.pdf import read_pdf

from pdf_fixtures import REALDATA, cer, render_seed, squash

BAD = REALDATA / "bad"


def _read(path: Path, password: str | None = None):
    return read_pdf(path, path.stem, hashlib.sha256(path.read_bytes()).hexdigest(), password=password)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """Seeds 000 (one page), 001 and 004 rendered once per session: {prefix: (pdf, render metadata, Document)}."""
    out = tmp_path_factory.mktemp("pdf")
    result = {}
    for prefix in ("000", "001", "004"):
        pdf, meta = render_seed(prefix, out)
        result[prefix] = (pdf, meta, _read(pdf))
    return result


def _expected_text(meta) -> str:
    return "\n".join(meta["front"] + [t for _, t in meta["body"]])


# --------------------------------------------------------------------------- round trip

@pytest.mark.parametrize("prefix", ["000", "001", "004"])
def test_round_trip_character_error_rate_is_below_one_percent(rendered, prefix):
    _, meta, doc = rendered[prefix]
    assert doc.format == "pdf"
    assert cer(_expected_text(meta), doc.text) <= 0.01


@pytest.mark.parametrize("prefix", ["001", "004"])
def test_two_column_reading_order_follows_the_source(rendered, prefix):
    _, meta, doc = rendered[prefix]
    text = squash(doc.text)
    paragraphs = [t for t in meta["front"] + [t for _, t in meta["body"]] if len(squash(t)) >= 20]
    pos, out_of_order = 0, []
    for para in paragraphs:
        probe = squash(para)[:25]
        at = text.find(probe, pos)  # each paragraph must follow the one before it
        if at < 0:
            out_of_order.append(para[:30])
        else:
            pos = at + len(probe)
    assert len(out_of_order) <= 0.02 * len(paragraphs), out_of_order


def test_front_matter_is_full_width_and_first(rendered):
    _, meta, doc = rendered["001"]
    first = doc.blocks[0]
    assert doc.text[first.start:first.end] in meta["title"]
    assert first.hints["full_width"] and first.hints["font_size"] > 14
    abstract = next(b for b in doc.blocks if doc.text[b.start:b.end].startswith("摘要"))
    assert abstract.hints["full_width"] and abstract.page == 1
    # the abstract's last line (short, left half of the page) stays in the abstract
    assert doc.text[abstract.start:abstract.end].endswith("对策建议。")


def test_headings_are_blocks_of_their_own(rendered):
    _, meta, doc = rendered["001"]
    blocks = {doc.text[b.start:b.end] for b in doc.blocks}
    for kind, text in meta["body"]:
        if kind == "heading":
            assert text in blocks, text
    heading = next(b for b in doc.blocks if doc.text[b.start:b.end].startswith("3.2 产业链关键环节薄弱"))
    assert heading.hints["font_size"] > 10 and heading.hints["line_count"] == 1


def test_block_offsets_slice_the_text(rendered):
    _, _, doc = rendered["001"]
    assert doc.text == "\n".join(doc.text[b.start:b.end] for b in doc.blocks)
    assert all(b.bbox and b.page for b in doc.blocks)


# --------------------------------------------------------------------------- tables

def test_ruled_tables_come_back_as_cells_with_captions(rendered):
    _, meta, doc = rendered["001"]
    assert len(doc.tables) == len(meta["tables"]) == 3
    by_caption = {t.caption: t for t in doc.tables}
    for want in meta["tables"]:
        got = by_caption[want["caption"]]
        assert got.grid() == [r + [""] * (got.n_cols - len(r)) for r in want["rows"]]
    t3 = by_caption["表 3 2023 主要地区研发投入与其占该地区 GDP 比例"]
    assert t3.grid()[1] == ["成渝地区", "1 570.82", "3.0"]
    assert ">50" in [c.text for c in by_caption["表 2 全国各地区新能源汽车本地配套率"].cells]
    assert [t.index for t in doc.tables] == [0, 1, 2]


def test_table_text_is_not_in_the_prose_but_the_caption_is(rendered):
    _, meta, doc = rendered["001"]
    assert "1 570.82" not in doc.text and "1570.82" not in squash(doc.text)
    assert "荣昌高新技术产业开发区" not in doc.text
    blocks = {doc.text[b.start:b.end] for b in doc.blocks}
    for t in meta["tables"]:
        assert t["caption"] in blocks


# --------------------------------------------------------------------------- pages

def test_pages_and_block_provenance(rendered):
    pdf, meta, doc = rendered["001"]
    assert [p.number for p in doc.pages] == list(range(1, meta["pages"] + 1))
    notes = [b for b in doc.blocks if b.hints.get("footnote")]
    assert doc.pages[0].start == 0 and doc.pages[-1].end == (notes[0].start - 1 if notes else len(doc.text))
    assert_block_provenance(doc)
    # a paragraph known to be on page 1 and the last paragraph on the last page
    first_body = next(b for b in doc.blocks if doc.text[b.start:b.end].startswith("《成渝地区双城经济圈建设规划纲要》"))
    assert first_body.page == 1
    assert doc.blocks[-1].page == meta["pages"]


def test_running_headers_and_page_numbers_are_removed(rendered):
    _, meta, doc = rendered["001"]
    assert "Regional Industrial Economy Review" not in doc.text
    assert "2025 年第 14 期" not in doc.text
    lines = doc.text.split("\n")
    assert not [ln for ln in lines if re.fullmatch(r"\s*\d{1,3}\s*", ln)], "bare page numbers left in text"


# --------------------------------------------------------------------------- bad input

ERROR = {
    "bad_empty_0_bytes.pdf": Msg.EMPTY_FILE,
    "bad_encrypted_aes128_userpw_foo.pdf": Msg.PDF_ENCRYPTED,
    "bad_encrypted_rc4_40_userpw_foo.pdf": Msg.PDF_ENCRYPTED,
    "bad_encrypted_password_test_4p.pdf": Msg.PDF_ENCRYPTED,
    "bad_encrypted_no_id_opens_but_empty.pdf": Msg.PDF_NO_TEXT,  # opens, one image, no text
    "bad_malformed_pdfplumber_issue932.pdf": Msg.PDF_NO_TEXT,  # a scan whose text layer is one date
    "bad_scanned_image_only_zh_econ_book_2p.pdf": Msg.PDF_NO_TEXT,
    "bad_scanned_image_only_zh_econ_book_8p.pdf": Msg.PDF_NO_TEXT,
    "bad_scanned_image_only_zh_journal_cjc.pdf": Msg.PDF_NO_TEXT,
    "bad_zero_pages_pdfminer_175.pdf": Msg.PDF_NO_TEXT,  # pdfium finds 2 scanned pages
    "bad_zero_pages_pdfplumber_issue297.pdf": Msg.NO_TEXT,  # pdfium finds 1 blank page
    "bad_truncated_derived_en_naacl06_first60pct.pdf": Msg.PDF_CORRUPT.format(detail="truncated: no end-of-file marker"),
    "bad_truncated_derived_zh_hong2017_first40pct.pdf": Msg.PDF_CORRUPT.format(detail="truncated: no end-of-file marker"),
    "bad_zh_mojibake_textlayer_medical_journal.pdf": Msg.PDF_GARBLED,
}
TEXT = {  # readable despite the flaw: a phrase the Document must contain
    "bad_corrupted_zen_of_python.pdf": "Beautiful is better than ugly.",
    "bad_zh_bad_fonts_customs_form.pdf": "结汇退税",
    "bad_zh_duplicate_chars_71.pdf": "项目描述",
    "bad_zh_duplicate_chars_fakebold_842.pdf": "安徽安利合成革股份有限公司",
    "bad_zh_scanned_with_noisy_ocr_annual_report_6p.pdf": "2016",
}


def test_every_bad_file_is_covered():
    names = {p.name for p in BAD.glob("*.pdf")}
    assert names <= set(ERROR) | set(TEXT), f"no expectation for {names - set(ERROR) - set(TEXT)}"


@pytest.mark.parametrize("name", sorted(ERROR))
def test_bad_file_gives_its_one_line_message(name):
    path = BAD / name
    if not path.exists():
        pytest.skip(f"{name} not in shared material")
    with pytest.raises(DocumentError) as e:
        _read(path)
    assert str(e.value) == ERROR[name]
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("name", sorted(TEXT))
def test_flawed_but_readable_file_gives_text(name):
    path = BAD / name
    if not path.exists():
        pytest.skip(f"{name} not in shared material")
    doc = _read(path)
    assert TEXT[name] in doc.text
    assert doc.pages and all(b.page for b in doc.blocks)
    assert not re.search(r"安安|徽徽|项项目目|描描述述", doc.text), "overprinted chars not collapsed"


def test_ocr_text_layer_is_flagged():
    doc = _read(BAD / "bad_zh_scanned_with_noisy_ocr_annual_report_6p.pdf")
    assert any("OCR" in w for w in doc.warnings)


@pytest.mark.parametrize("name,password", [
    ("bad_encrypted_aes128_userpw_foo.pdf", "foo"),
    ("bad_encrypted_rc4_40_userpw_foo.pdf", "foo"),
    ("bad_encrypted_password_test_4p.pdf", "test"),
])
def test_password_opens_encrypted_pdf(name, password):
    doc = _read(BAD / name, password=password)
    assert doc.text.strip() and doc.pages
    with pytest.raises(DocumentError, match=re.escape(Msg.PDF_BAD_PASSWORD)):
        _read(BAD / name, password="wrong")


def test_html_saved_as_pdf_is_named(tmp_path):
    p = tmp_path / "download.pdf"
    p.write_text("<!DOCTYPE html><html><head><title>403</title></head><body>Forbidden</body></html>")
    with pytest.raises(DocumentError) as e:
        _read(p)
    assert str(e.value) == Msg.PDF_NOT_PDF.format(what="HTML")


def test_zero_page_pdf(tmp_path):
    import pypdfium2 as pdfium

    p = tmp_path / "zero.pdf"
    pdf = pdfium.PdfDocument.new()
    pdf.save(p)
    pdf.close()
    with pytest.raises(DocumentError) as e:
        _read(p)
    assert str(e.value) == Msg.PDF_ZERO_PAGES


def test_garbage_bytes_are_a_corrupt_pdf(tmp_path):
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises(DocumentError) as e:
        _read(p)
    assert str(e.value).startswith("corrupt or truncated PDF")


# --------------------------------------------------------------------------- real PDFs

REAL_SAMPLE = [
    "zh/zh_soc_journal_hong2017_redistribution_wellbeing_27p.pdf",
    "zh/zh_journal_cjc_template_2col.pdf",
    "zh/zh_econ_journal_mgmtworld2024_digital_virtual_p1.pdf",
    "en/en_acl2020_s2orc_2col_15p.pdf",
    "en/en_us_copyright_office_dmca_summary_18p.pdf",
    "en/en_table_us_senate_expenditures.pdf",
]


@pytest.mark.parametrize("rel", REAL_SAMPLE)
def test_real_pdf_yields_text_with_page_provenance(rel):
    path = REALDATA / rel
    if not path.exists():
        pytest.skip(f"{rel} not in shared material")
    doc = _read(path)
    assert len(squash(doc.text)) + sum(len(c.text) for t in doc.tables for c in t.cells) > 200
    assert [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))
    pages_with_text = {b.page for b in doc.blocks}
    assert len(pages_with_text) >= 0.8 * len(doc.pages)
    assert_block_provenance(doc)


def assert_block_provenance(doc) -> None:
    """Page spans cover the running text in page order. A block starts on its page; one cut by a
    column/page break ends on the page its hint `continues_on_page` names. Footnotes follow the last
    page's text, each with the page it was printed on."""
    notes = [b for b in doc.blocks if b.hints.get("footnote")]
    flow = [b for b in doc.blocks if not b.hints.get("footnote")]
    assert doc.blocks == flow + notes
    for b in flow:
        page = doc.pages[b.page - 1]
        assert page.start <= b.start < max(page.end, page.start + 1)
        assert doc.page_at(b.start) == b.page
        last = doc.pages[b.hints.get("continues_on_page", b.page) - 1]
        assert b.end <= last.end
    for b in notes:
        assert b.start > doc.pages[-1].end and 1 <= b.page <= len(doc.pages)


def test_real_chinese_article_reads_in_order():
    doc = _read(REALDATA / "zh/zh_soc_journal_hong2017_redistribution_wellbeing_27p.pdf")
    text = squash(doc.text)
    assert text.find("摘要") < text.find("参考文献")
    assert doc.blocks[0].page == 1
    # its Founder font maps Latin letters to CJK look-alikes ("犆犌犛犛"): they come back as Latin
    assert "CGSS" in doc.text and "犆犌犛犛" not in doc.text
    assert "Abstract" in doc.text
    # running headers (journal name / article title with page numbers) do not repeat in the text
    first_lines = Counter(doc.text[b.start:b.end] for b in doc.blocks if b.hints["line_count"] == 1)
    assert not [t for t, n in first_lines.items() if n >= 5 and len(t) > 4]


@pytest.mark.slow
def test_all_real_pdfs_open():
    for path in sorted(REALDATA.glob("[ze][hn]/*.pdf")):
        doc = _read(path)
        assert doc.pages, path.name


# --------------------------------------------------------------------------- layout: wide element mid-page

def _draw_column_paragraph(c, x: float, y: float, label: str, n_lines: int = 4) -> float:
    """Draw a justified 22-char-per-line paragraph (first line indented) at (x, y) going down."""
    body = "".join(f"{label}段落文字第{i}句内容" for i in range(20))
    chars_per_line = 22
    pos = 0
    for k in range(n_lines):
        indent = 2 if k == 0 else 0
        take = chars_per_line - indent
        c.drawString(x + indent * 10, y, body[pos:pos + take])
        pos += take
        y -= 14
    return y


def test_full_width_table_mid_page_splits_the_column_flow(tmp_path):
    """Above a wide table: left column then right; then below it: left then right."""
    from reportlab.pdfgen import canvas

    from pipeline.devtools.render_pdf import register_font

    path = tmp_path / "wide.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(register_font(), 10)  # embedded: the test does not depend on the host's fonts
    left, right = 50, 320
    # drawn out of reading order on purpose: the content stream order must not matter
    _draw_column_paragraph(c, right, 770, "乙")
    _draw_column_paragraph(c, left, 300, "丙")
    _draw_column_paragraph(c, left, 770, "甲")
    _draw_column_paragraph(c, right, 300, "丁")
    c.drawCentredString(297, 690, "表 9 跨栏宽表")
    xs, ys = [50, 215, 380, 545], [670, 645, 620, 595]
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for r in range(3):
        for k in range(3):
            c.drawString(xs[k] + 5, ys[r] - 17, f"格{r}{k} {r * 3 + k}.5")
    c.save()
    doc = _read(path)
    text = squash(doc.text)
    order = [text.find(f"{label}段落") for label in "甲乙丙丁"]
    assert -1 not in order and order == sorted(order), order
    assert text.find("表9跨栏宽表") < order[2]  # the caption sits between the two column runs
    (table,) = doc.tables
    assert table.caption == "表 9 跨栏宽表"
    assert table.grid()[2] == ["格20 6.5", "格21 7.5", "格22 8.5"]
    assert "格" not in doc.text
    para = {doc.text[b.start:b.end][:1]: b for b in doc.blocks}
    assert para["甲"].hints["column"] == 0 and para["乙"].hints["column"] == 1
    assert para["甲"].hints["line_count"] == 4


# --------------------------------------------------------------------------- pdfplumber fallback

def test_healthy_pages_never_pay_for_pdfplumber(rendered):
    from pipeline.extract.pdf import reader as pdfmod

    for _, _, doc in rendered.values():
        assert not any("pdfplumber" in w for w in doc.warnings)
        assert not any(b.hints.get("text_source") for b in doc.blocks)
    assert not pdfmod.looks_lost("正常的中文文本 normal text " * 20, 5)
    assert pdfmod.looks_lost("\ufffd\ue001 " * 30 + "abc", 5)  # mostly unmapped glyphs
    assert pdfmod.looks_lost("   ", 12)  # text objects drawn, no char came out
    assert not pdfmod.looks_lost("", 0)  # a scan: nothing to recover


def test_pdfplumber_fallback_feeds_the_same_layout(rendered, monkeypatch):
    """A page whose pdfium text looks lost is re-read with pdfplumber: same text, blocks, tables."""
    from pipeline.extract.pdf import reader as pdfmod

    pdf, meta, healthy = rendered["001"]
    monkeypatch.setattr(pdfmod, "looks_lost", lambda text, n_obj: True)
    monkeypatch.setattr(pdfmod, "better", lambda plumber, pdfium: True)
    doc = _read(pdf)
    assert any("re-read with pdfplumber" in w for w in doc.warnings)
    assert all(b.hints.get("text_source") == "pdfplumber" for b in doc.blocks)
    assert cer(_expected_text(meta), doc.text) <= 0.01
    assert [t.grid() for t in doc.tables] == [t.grid() for t in healthy.tables]
    assert [t.caption for t in doc.tables] == [t.caption for t in healthy.tables]
    assert "Regional Industrial Economy Review" not in doc.text


# --------------------------------------------------------------------------- three-line tables

def test_three_line_tables_round_trip(tmp_path):
    """三线表: top, header and bottom rules only. 001's tables come back cell for cell, captioned,
    and their text stays out of the prose."""
    from pdf_fixtures import render_seed

    pdf, meta = render_seed("001", tmp_path, table_style="three_line")
    doc = _read(pdf)
    assert len(doc.tables) == len(meta["tables"]) == 3
    by_caption = {t.caption: t for t in doc.tables}
    for want in meta["tables"]:
        got = by_caption[want["caption"]]
        assert got.grid() == [r + [""] * (got.n_cols - len(r)) for r in want["rows"]]
    t3 = by_caption["表 3 2023 主要地区研发投入与其占该地区 GDP 比例"]
    assert t3.grid()[1] == ["成渝地区", "1 570.82", "3.0"]
    assert ">50" in [c.text for c in by_caption["表 2 全国各地区新能源汽车本地配套率"].cells]
    assert "1 570.82" not in doc.text and "荣昌高新技术产业开发区" not in doc.text
    assert cer(_expected_text(meta), doc.text) <= 0.01


def test_latin_words_get_their_spaces_back():
    """hong2017's Founder font draws English without space chars ("paperanalyzesthe")."""
    doc = _read(REALDATA / "zh/zh_soc_journal_hong2017_redistribution_wellbeing_27p.pdf")
    assert "this paper analyzes the class differences" in doc.text
    assert "paperanalyzesthe" not in doc.text
    assert "CGSS２００５" in doc.text  # CJK-width digits keep their spacing
