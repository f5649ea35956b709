"""Bibliographic exports and web pages (hand-written fixtures in tests/fixtures/inputs, see README)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract import read_document, read_source
from pipeline.extract.formats import detect
from pipeline.extract.sources import walk

FIX = Path(__file__).parent / "fixtures" / "inputs"
TITLE_ZH = "成渝地区双城经济圈产业协同发展研究"


def _docs(name):
    w = walk([FIX / name])
    return w, [read_source(s) for s in w.sources]


@pytest.mark.parametrize("name,fmt", [("export.ris", "ris"), ("savedrecs.txt", "wos"),
                                      ("savedrecs_tab.txt", "wos_tab"), ("cnki_endnote.txt", "endnote"),
                                      ("cnki_refworks.txt", "refworks"), ("cnki_noteexpress.txt", "noteexpress"),
                                      ("cnki_custom.txt", "cnki"), ("policy_page.html", "html")])
def test_formats_are_recognised_by_suffix_or_first_lines(name, fmt):
    assert detect(FIX / name).name == fmt


def test_ris_references_become_documents_with_their_metadata():
    w, docs = _docs("export.ris")
    assert w.rejected == [("export.ris#record 3", "empty text (abstract)")]  # no abstract: named, not indexed
    zh = next(d for d in docs if d.title == TITLE_ZH)
    assert (zh.authors, zh.source, zh.year, zh.date) == (["王晓明", "李红"], "经济地理", 2022, "2022-05-20")
    assert zh.meta["doi"] == "10.15957/j.cnki.jjdl.2022.05.002" and zh.meta["keywords"] == ["产业协同", "双城经济圈"]
    assert zh.text.startswith("成渝地区产业同质化竞争问题突出") and zh.format == "ris"
    en = next(d for d in docs if d.title.startswith("Regional"))
    assert en.authors == ["Smith, John A.", "Chen, Wei"] and en.source == "Regional Studies" and en.year == 2021
    assert en.doc_id == "10.1080_00343404.2021.0000001"  # the DOI, made safe for ids
    assert read_document(en.path).title == en.title  # the locator (with a "/" in the DOI) reads it again


def test_web_of_science_plain_text_and_tab_delimited():
    _, docs = _docs("savedrecs.txt")
    a = next(d for d in docs if d.meta["doi"] == "10.1111/rsp3.00000")
    assert a.title == "Industrial agglomeration and regional innovation: Evidence from the Yangtze River Delta"
    assert a.authors == ["Zhang, Lei", "Wang, Hui"] and a.source == "REGIONAL SCIENCE POLICY AND PRACTICE"
    assert (a.year, a.date) == (2020, "2020-03") and "8.5% while" in a.text  # continuation lines joined
    assert a.meta["keywords"][:2] == ["industrial agglomeration", "regional innovation"]
    assert a.doc_id == "WOS_000520000000001"
    b = next(d for d in docs if d is not a)
    assert b.date == "2019-06-15"
    _, tab = _docs("savedrecs_tab.txt")
    t = next(d for d in tab if d.doc_id == "WOS_000520000000001")
    assert t.authors == ["Zhang, Lei", "Wang, Hui"] and t.year == 2020 and t.text.startswith("Industrial")


@pytest.mark.parametrize("name", ["cnki_endnote.txt", "cnki_refworks.txt", "cnki_noteexpress.txt",
                                  "cnki_custom.txt"])
def test_cnki_exports_give_the_same_reference(name):
    _, docs = _docs(name)
    d = next(d for d in docs if d.title == TITLE_ZH)
    assert d.authors == ["王晓明", "李红"] and d.source == "经济地理" and d.year == 2022
    assert "配套率" in d.meta["keywords"] and d.text.startswith("成渝地区产业同质化竞争问题突出")


def test_a_pdf_or_word_file_takes_the_metadata_of_the_reference_with_its_title(tmp_path):
    import docx

    c = tmp_path / "c"
    c.mkdir()
    (c / "refs.ris").write_bytes((FIX / "export.ris").read_bytes())
    for name in ("paper.docx", f"{TITLE_ZH}_王晓明.docx"):
        d = docx.Document()
        d.add_paragraph("经济地理 第42卷")
        d.add_paragraph(TITLE_ZH if name == "paper.docx" else "正文另起")
        d.add_paragraph("成渝地区产业协同水平不高，需要建立利益共享机制。")
        d.save(c / name)
    w = walk(c)
    docs = {s.path.name: read_source(s) for s in w.sources if s.format == "docx"}
    for name in docs:  # by the title on the first page, and by the file name (CNKI's 题名_作者.pdf)
        assert (docs[name].title, docs[name].year, docs[name].authors) == (TITLE_ZH, 2022, ["王晓明", "李红"])
        assert docs[name].meta["metadata_from"].startswith("refs.ris#")


def test_html_main_text_without_boilerplate_with_title_and_date():
    _, (d,) = _docs("policy_page.html")
    assert d.title == "关于推动成渝地区双城经济圈建设的实施意见" and (d.year, d.date) == (2024, "2024-03-15")
    assert "产业同质化竞争" in d.text and "备案号" not in d.text and "首页" not in d.text
    assert d.tables and d.tables[0].grid()[1] == ["配套率", "60%"]
    assert d.meta["extracted_by"].startswith("trafilatura")


def test_a_broken_export_is_rejected_with_its_reason(tmp_path):
    p = tmp_path / "x.ris"
    p.write_text("this is not RIS at all\n", encoding="utf-8")
    w = walk([p])
    assert not w.sources and w.rejected[0][0] == "x.ris" and "RIS" in w.rejected[0][1]
