"""The topics report (topics/report.py) over dated documents, and `litmine topics report`, which
writes it again from the saved model without refitting."""
from __future__ import annotations

import re
import shutil

import pytest

from pipeline.api import Index
from pipeline.errors import LitmineError


def test_report_again_from_the_index_has_years_examples_and_titles(dated_index, tmp_path):
    out = tmp_path / "again.html"
    with Index.open(dated_index) as ix:
        assert ix.topics_report(out) == out
        docs = {d["doc_id"]: d for d in ix.documents()}
        years = dict(ix.conn.execute("SELECT doc_id, year FROM documents"))
        zh_topics = [t for t in ix.topics() if t["lang"] == "zh"]
    html = out.read_text("utf-8")
    assert "主题随年份" in html  # prevalence over the years: the documents are dated
    assert "<script" not in html and "http://" not in html and "https://" not in html
    for t in zh_topics:
        assert t["terms"][0][0] in html and t["label"] in html
    # the document table: every zh document by title and year, in year order
    zh_part = html.split("English")[0]
    rows = re.findall(r'<tr><td class="doc" title="([^"]+)">[^<]*</td><td>(\d*)</td>', zh_part)
    assert rows and all(docs[d]["lang"] == "zh" for d, _ in rows)
    got = [int(y) for _, y in rows if y]
    assert got == sorted(got) and {int(y) for _, y in rows if y} == {y for d, y in years.items()
                                                                    if y and d in dict(rows)}
    # example sentences name their source document and year
    assert re.search(r'<li>[^<]+ <span class="src">— [^<]+\((19|20)\d\d\)</span></li>', html)


def test_report_needs_a_saved_model(dated_index, tmp_path):
    copy = tmp_path / "alone" / "ix.sqlite"
    copy.parent.mkdir()
    shutil.copy(dated_index, copy)
    with Index.open(copy) as ix, pytest.raises(LitmineError, match="no topic model saved"):
        ix.topics_report()
