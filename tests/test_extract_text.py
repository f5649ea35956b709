"""Readers for text and Word files, and structure detection on the real seed documents."""
from __future__ import annotations

import pytest

from pipeline.errors import DocumentError
from pipeline.extract import read_document
from pipeline.extract.structure import annotate_structure, heading_level

from conftest import CORPUS, REPORT_2025

SEED_003 = CORPUS / "003_e59572d61d3faf91.txt"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le"])
def test_encodings_are_detected_without_mojibake(tmp_path, encoding):
    original = SEED_003.read_text(encoding="utf-8")
    if encoding == "gbk":
        original = original.encode("gbk", errors="ignore").decode("gbk")
    p = tmp_path / f"doc_{encoding}.txt"
    p.write_bytes(original.encode(encoding))
    doc = read_document(p)
    assert doc.text == original.replace("\r\n", "\n")
    assert "成渝地区产业协同发展的战略分析" in doc.text


def test_undecodable_and_empty_files_give_one_line_errors(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(128, 256)) * 40 + b"\x00\x01\x02\x03" * 10)
    with pytest.raises(DocumentError) as e:
        read_document(junk)
    assert "decode" in str(e.value) and "\n" not in str(e.value)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(DocumentError, match="empty file"):
        read_document(empty)
    odd = tmp_path / "notes.xyz"
    odd.write_text("hello")
    with pytest.raises(DocumentError, match="unsupported file type '.xyz'"):
        read_document(odd)


def test_tab_separated_lines_become_a_table_with_caption_and_headers():
    doc = read_document(CORPUS / "001_921ccb2a7e0d9137.txt")
    by_caption = {t.caption: t for t in doc.tables}
    t2 = by_caption["表 2 全国各地区新能源汽车本地配套率"]
    grid = t2.grid()
    assert grid[0] == ["地区", "汽车本地配套率/%"]
    assert grid[-1] == ["长三角地区", ">50"]
    cell = next(c for c in t2.cells if c.text == ">50")
    assert doc.text[cell.start:cell.end] == ">50"  # offsets point into the file
    t3 = by_caption["表 3 2023 主要地区研发投入与其占该地区 GDP 比例"]
    assert ["成渝地区", "1 570.82", "3.0"] in t3.grid()


def test_table_row_headers_inherit_from_the_row_above():
    from pipeline.index.store import headers_of

    doc = read_document(CORPUS / "004_b342d979af3a06c1.txt")
    t1 = doc.tables[0]
    assert t1.caption.startswith("表 1")
    assert t1.header_rows == 1 and t1.header_cols == 2
    row_h, col_h = headers_of(t1)
    cell = next(c for c in t1.cells if c.text == "1803.33")
    assert row_h[(cell.row, cell.col)] == "第一产增加值 (亿元) / 重庆"
    assert col_h[(cell.row, cell.col)] == "2020"


def test_docx_paragraphs_headings_and_tables(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("成渝地区产业协同研究", level=0)
    d.add_paragraph("摘要：本文分析成渝地区产业协同的问题。")
    d.add_heading("3 存在的问题", level=1)
    d.add_paragraph("区域研发投入不足，创新资源集聚不足。产业结构同质化。")
    d.add_paragraph("表 1 主要地区研发投入")
    tbl = d.add_table(rows=2, cols=2)
    tbl.cell(0, 0).text, tbl.cell(0, 1).text = "地区", "研发投入/亿元"
    tbl.cell(1, 0).text, tbl.cell(1, 1).text = "成渝地区", "1 570.82"
    p = tmp_path / "paper.docx"
    d.save(p)
    doc = read_document(p)
    annotate_structure(doc)
    kinds = {doc.text[b.start:b.end]: b.kind for b in doc.blocks}
    assert kinds["成渝地区产业协同研究"] == "title"
    assert kinds["3 存在的问题"] == "heading"
    assert doc.tables[0].caption == "表 1 主要地区研发投入"
    assert doc.tables[0].grid()[1] == ["成渝地区", "1 570.82"]
    body = next(b for b in doc.blocks if doc.text[b.start:b.end].startswith("区域研发"))
    assert body.kind == "body" and body.section_path == ["3 存在的问题"]


def test_corrupt_docx_is_a_document_error(tmp_path):
    p = tmp_path / "broken.docx"
    p.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(DocumentError, match="corrupt .docx"):
        read_document(p)


@pytest.mark.parametrize("line,level", [
    ("3 成渝双城经济圈三大产业集群协同发展存在的问题", 1), ("3.2 产业链关键环节薄弱,协作配套能力待加强", 2),
    ("2.2.1 区域联动成效显著,协同发展格局初显", 3), ("一、2024年工作回顾", 1), ("（一）提振信心稳定预期，全方位扩大有效需求", 2),
    ("2023年,成渝地区电子信息产业集群产值规模达到1.68万亿元。", None), ("1.4万台(套)", None),
    ("（一）综合施策，经济运行稳中有进。以“两重”政策为牵引，持续扩大投资。", None),
])
def test_heading_levels(line, level):
    assert heading_level(line) == level


def test_structure_of_a_journal_paper(processor):
    doc = processor.process(CORPUS / "001_921ccb2a7e0d9137.txt")
    assert doc.title.startswith("成渝地区双城经济圈电子信息")
    kinds = {}
    for s in doc.sentences:
        kinds.setdefault(s.kind, []).append(s.text)
    assert any(t.startswith("协同发展是成渝地区") for t in kinds["abstract"])  # "摘要:" label stripped
    assert any(t.startswith("Coordinated development is") for t in kinds["abstract"])  # English abstract after refs
    assert any("中图分类号" in t for t in kinds["front_matter"])
    assert len(doc.references) == 12 and doc.references[0].text.startswith("[1]")
    assert not any("[J]" in t for t in kinds["body"])  # reference entries are not prose
    s = next(s for s in doc.sentences if s.text.startswith("成渝地区的新能源汽车本地配套率仅为30%"))
    assert s.section_path == ["3 成渝双城经济圈三大产业集群协同发展存在的问题", "3.2 产业链关键环节薄弱,协作配套能力待加强"]
    # the table rows are cells, not sentences
    assert not any(s.text.startswith("珠三角地区\t45") for s in doc.sentences)


def test_author_bio_in_the_middle_of_the_text_is_front_matter(tmp_path, processor):
    p = tmp_path / "paper.txt"
    p.write_text("成渝地区产业协同研究\n\n1 引言\n\n产业协同是区域协同的核心内容。\n\n"
                 "作者简介：张三（1980—），男，四川成都人，博士，研究方向为区域经济。\n\n"
                 "2 存在的问题\n\n区域研发投入不足。\n", encoding="utf-8")
    doc = processor.process(p)
    kinds = {s.text: s.kind for s in doc.sentences}
    assert kinds["作者简介：张三（1980—），男，四川成都人，博士，研究方向为区域经济。"] == "front_matter"
    assert kinds["区域研发投入不足。"] == "body"


def test_government_report_structure(processor):
    doc = processor.process(REPORT_2025)
    assert doc.title == "2025年陕西省政府工作报告"
    texts = {s.text: s for s in doc.sentences}
    assert "各位代表！" not in {t for t, s in texts.items() if s.kind == "body"}
    lead = next(s for s in doc.sentences if s.text.startswith("（一）综合施策，经济运行稳中有进。"))
    assert lead.kind == "body" and lead.section == "一、2024年工作回顾"


@pytest.mark.parametrize("line,hints,level", [
    ("三、谁更幸福？", None, 1),
    ("2https://arxiv.org", None, None),  # a footnote marker glued to a URL
    ("7pronounced “stork”", None, None),
    ("２．显著性水平：＃p＜０．１，p＜０．０５，p＜０．０１", None, None),  # a table note
    ("2.1 Processing PDFs", None, 2),
    ("1 Introduction", {"font_size": 7.0, "body_size": 10.0}, None),  # set smaller than the body: a note
    ("1 Introduction", {"font_size": 12.0, "body_size": 10.0}, 1),
])
def test_heading_rules_for_pdf_lines(line, hints, level):
    assert heading_level(line, hints) == level


def test_structure_of_a_real_chinese_journal_pdf(processor):
    from conftest import SHARED

    doc = processor.process(SHARED / "realdata/pdf/zh/zh_soc_journal_hong2017_redistribution_wellbeing_27p.pdf")
    assert doc.title == "再分配与幸福感阶层差异的变迁（２００５—２０１３）"  # not the journal masthead
    headings = [s.text for s in doc.sentences if s.kind == "heading"]
    assert headings[:3] == ["一、中国人幸福吗？", "（一）社会变迁与幸福感", "（二）幸福感的阶层差异与社会政策"]
    assert headings[-1].startswith("参考文献")
    # one reference per entry (81 in the list), not one per printed line
    from pipeline.extract.references import starts_entry
    assert 75 <= len(doc.references) <= 90
    assert sum(starts_entry(r.text) for r in doc.references) >= 0.95 * len(doc.references)
    assert all(s.page is not None for s in doc.sentences)
    body = next(s for s in doc.sentences if s.kind == "body" and s.section_path[:1] == ["三、谁更幸福？"])
    assert body.page >= 14


@pytest.mark.parametrize("encoding,text", [
    ("cp1252", "The café’s naïve résumé — “quoted” text about Zürich and São Paulo. "),
    ("big5", "成渝地區雙城經濟圈產業協同發展，研發投入不足。"),
])
def test_legacy_encodings_decode_without_mojibake(tmp_path, encoding, text):
    p = tmp_path / f"{encoding}.txt"
    p.write_bytes((text * 5).encode(encoding))
    doc = read_document(p)
    # Traditional text is processed as a character-aligned Simplified copy; the original is kept
    from pipeline.extract.chinese import original_text

    assert original_text(doc.text, doc.meta) == text * 5
    assert len(doc.text) == len(text * 5)
