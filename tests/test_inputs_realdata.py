"""Record files of the shared real data index as documents (slow: they read whole folders)."""
from __future__ import annotations

import json

import pytest

from pipeline.extract import read_source
from pipeline.extract.sources import walk

from conftest import SHARED

TEXT = SHARED / "realdata/text"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not TEXT.is_dir(), reason="shared real data not present")]


def test_gov_work_reports_folder_is_101_documents_each_with_title_and_year():
    w = walk(TEXT / "zh/gov_work_reports")
    assert len(w.sources) == 101 and not w.rejected
    assert sorted({s.format for s in w.sources}) == ["jsonl", "txt"]
    # provincial_2025.jsonl repeats the 29 .txt files: indexed once, as the files, named as duplicates
    assert len(w.duplicates) == 29 and all(n.startswith("provincial_2025.jsonl#") for n, _ in w.duplicates)
    missing = []
    for s in w.sources:
        d = read_source(s)
        if not d.title or not d.year:
            missing.append(s.name)
    assert not missing


def test_abstracts_and_nber_index_as_documents():
    n_lines = sum(1 for line in open(TEXT / "scale/zh_sci_abstracts_dedup.jsonl", encoding="utf-8") if line.strip())
    assert len(walk(TEXT / "scale").sources) == n_lines == 12179
    w = walk(TEXT / "en/nber_si_abstracts")
    n_jsonl = sum(1 for _ in open(TEXT / "en/nber_si_abstracts/nber_si_abstracts_nonempty.jsonl", encoding="utf-8"))
    # every abstract once: the csv's rows without an abstract are rejected, its others repeat the jsonl
    assert n_jsonl - 10 <= len(w.sources) <= n_jsonl + 30
    assert all(r.startswith("empty text") for _, r in w.rejected)
    docs = [read_source(s) for s in w.sources[:50]]
    assert all(d.title and d.year for d in docs)


def test_1954_traditional_report_is_tagged_and_found_with_simplified_terms(tmp_path):
    from pipeline.api import Index
    from pipeline.settings import Settings

    src = TEXT / "zh/gov_work_reports/national_1954_2025_wikisource.jsonl"
    rows = [json.loads(line) for line in open(src, encoding="utf-8")]
    rec = next(r for r in rows if r["title"].startswith("1954年"))
    (tmp_path / "c").mkdir()
    (tmp_path / "c/r.jsonl").write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    Index.rebuild(tmp_path / "c", tmp_path / "ix.sqlite", Settings(jobs=1, stages=("claims", "statistics")))
    with Index.open(tmp_path / "ix.sqlite") as ix:
        hits = ix.query("宪法 颁布", limit=5)  # Simplified; the record writes 憲法 … 頒佈
        assert hits and "宪法" in hits[0].text
        assert len(ix.claims()) > 50
    import sqlite3

    from pipeline.extract.chinese import original_text

    conn = sqlite3.connect(tmp_path / "ix.sqlite")
    year, meta = conn.execute("SELECT year, meta FROM documents").fetchone()
    conn.close()
    meta = json.loads(meta)
    assert year == 1954 and meta["script"] == "traditional"
    # provenance: the sentence's offsets give back the original (Traditional) characters
    assert "憲法" in original_text(hits[0].text, meta, hits[0].start)
