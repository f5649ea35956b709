"""Whole sentences on the shared real PDFs (issue 9, part 3): the figures of
benchmarks/sentence_quality.py as floors, so that a layout regression fails CI. Thresholds are the
issue's targets where reached (《社会》 paper ≤ 2% Chinese body sentences without end punctuation,
DMCA summary ≤ 5% English fragments) and the measured level plus a small margin elsewhere."""
from __future__ import annotations

import pytest

from pdf_fixtures import REALDATA

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not REALDATA.is_dir(), reason="shared real PDFs not present")]


@pytest.fixture(scope="module")
def seg():
    from pipeline.segment import Segmenter
    from pipeline.settings import DEFAULT_MODELS

    return Segmenter(DEFAULT_MODELS)


def _doc(seg, rel: str):
    from pipeline.extract import read_document
    from pipeline.extract.structure import annotate_structure

    path = REALDATA / rel
    if not path.exists():
        pytest.skip(f"{rel} not in the shared material")
    doc = read_document(path)
    annotate_structure(doc)
    seg.segment(doc)
    return doc


@pytest.mark.parametrize("rel,max_zh_pct,max_en_pct,min_body", [
    ("zh/zh_soc_journal_hong2017_redistribution_wellbeing_27p.pdf", 2.0, None, 250),
    ("en/en_us_copyright_office_dmca_summary_18p.pdf", None, 5.0, 200),
    ("en/en_us_federal_register_2020_17221_proposed_rule_15p.pdf", None, 18.0, 250),  # headings: structure decides
    ("en/en_us_nist_sp800_223_report_34p.pdf", None, 10.0, 350),
    ("en/en_acl2020_s2orc_2col_15p.pdf", None, 14.0, 180),
])
def test_body_sentences_are_whole(seg, rel, max_zh_pct, max_en_pct, min_body):
    from pipeline.segment.quality import sentence_quality

    q = sentence_quality(_doc(seg, rel))
    assert q.body >= min_body  # nothing lost on the way
    if max_zh_pct is not None:
        assert q.zh_unterminated_pct <= max_zh_pct, q.zh_examples
    if max_en_pct is not None:
        assert q.en_fragment_pct <= max_en_pct, q.en_examples


def test_the_page_break_sentence_of_the_shehui_paper_is_whole(seg):
    doc = _doc(seg, "zh/zh_soc_journal_hong2017_redistribution_wellbeing_27p.pdf")
    hit = [s for s in doc.sentences if "使得大多数中国人的收入相对恶化" in s.text]
    assert len(hit) == 1 and hit[0].kind == "body" and hit[0].page == 4
    # footnotes are out of the body, and their numbers with them
    assert not any(s.kind == "body" and s.text.startswith(("１．早在", "２．“主观幸福感”")) for s in doc.sentences)
    assert not any(s.kind == "body" and "。１而幸福感" in s.text for s in doc.sentences)


def test_federal_register_reads_three_columns_without_production_marks(seg):
    doc = _doc(seg, "en/en_us_federal_register_2020_17221_proposed_rule_15p.pdf")
    assert "DSKJLSW7X2PROD" not in doc.text and "VerDate" not in doc.text
    text = " ".join(doc.text.split())
    # a paragraph that runs from the second column into the third comes back in order
    assert "The data from the flight data recorders, as summarized in reports of the Ethiopian" in text


def test_broker_report_keeps_its_statement_as_a_table(seg):
    doc = _doc(seg, "zh/zh_broker_financial_statement_tables.pdf")
    (table,) = [t for t in doc.tables if t.n_rows >= 30]
    assert ["短期借款", "878", "727", "1,923", "4,449", "5,045", "4,588"] in table.grid()
    assert "请务必仔细阅读" not in " ".join(s.text for s in doc.sentences if s.kind == "body")
