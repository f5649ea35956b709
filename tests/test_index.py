"""End to end on corpus/: rebuild (incremental, atomic), query (recall of short words), export."""
from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, run_cli
from pipeline.api import Index
from pipeline.errors import LitmineError

CONTRACT = {
    "documents": "doc_id, path, format, sha256, title, lang, pages, status, error, year, date, authors, source",
    "sentences": "sentence_id, doc_id, page, start, end, section, lang, kind, text",
    "claims": "claim_id, sentence_id, doc_id, page, start, end, section, lang, text, label, secondary, confidence, "
              "evidence, topic_id",
    "statistics": "stat_id, doc_id, source, sentence_id, cell_id, page, span, start, end, value, value_max, parts, unit, "
                  "counter, approx, direction, modality, year, year_start, base_year, subject, metric, flags",
    "table_cells": "cell_id, doc_id, table_id, caption, page, row, col, row_header, col_header, text",
    "links": "link_id, relation, source_id, target_id, source_doc, target_doc, score, conflict, evidence",
    "topics": "topic_id, lang, label, terms, prevalence",
    "document_topics": "doc_id, topic_id, weight",
}


def test_rebuild_indexes_every_seed(corpus_index):
    with Index.open(corpus_index) as ix:
        docs = ix.documents()
        assert [d["doc_id"] for d in docs] == sorted(p.stem for p in CORPUS.glob("*.txt"))
        assert all(d["status"] == "ok" and d["n_sentences"] > 10 for d in docs)
        n = ix.conn.execute("SELECT count(*) FROM sentences WHERE kind IN ('body','abstract')").fetchone()[0]
        assert n > 300
        assert ix.conn.execute("SELECT count(*) FROM cells").fetchone()[0] > 50
        assert ix.conn.execute("SELECT value FROM meta WHERE key='config_hash'").fetchone()[0]


def test_short_chinese_words_inside_longer_words_are_found(corpus_index):
    """Recall of 2-character terms against a plain substring scan (the issue's 27% miss of plain jieba)."""
    with Index.open(corpus_index) as ix:
        total = found = 0
        for term in ["产业", "协同", "创新", "集群", "人才", "金融", "配套", "同质", "链"]:
            expected = {r[0] for r in ix.conn.execute(
                "SELECT sentence_id FROM sentences WHERE kind NOT IN ('reference','front_matter') AND text LIKE ?",
                (f"%{term}%",))}
            got = {h.sentence_id for h in ix.query(term, limit=100000)}
            total += len(expected)
            found += len(expected & got)
            assert got <= expected | got  # no crash, sane
        assert total > 500
        assert found / total == 1.0, f"recall {found / total:.3f}"


def test_query_ranks_highlights_and_filters(corpus_index):
    with Index.open(corpus_index) as ix:
        hits = ix.query("产业同质化", limit=5)
        assert hits and "同质化" in hits[0].text
        assert "[同质化]" in hits[0].highlighted or "[产业同质化]" in hits[0].highlighted
        en = ix.query("innovations", lang="en", limit=5)  # lemma: innovation
        assert en and all(h.lang == "en" for h in en) and all("innovation" in h.text.lower() for h in en)
        only_001 = ix.query("产业链", doc="001_921ccb2a7e0d9137", limit=50)
        assert only_001 and {h.doc_id for h in only_001} == {"001_921ccb2a7e0d9137"}
        sec = ix.query("研发投入", section="3.3", limit=50)
        assert sec and all("3.3" in h.section or "3.3" in json.dumps(h.as_dict(), ensure_ascii=False) for h in sec)
        excl = ix.query("产业链 -汽车", limit=200)
        assert excl and not any("汽车" in h.text for h in excl)
        either = {h.sentence_id for h in ix.query("卡脖子 OR 受制于人", limit=50)}
        assert len(either) >= 2


@pytest.mark.parametrize("q,msg", [('"产业链', "unbalanced quote"), ("", "empty query"), ("-汽车", "excluded")])
def test_malformed_queries_give_one_line_errors(corpus_index, q, msg):
    with Index.open(corpus_index) as ix:
        with pytest.raises(LitmineError, match=msg):
            ix.query(q)


def test_fts_syntax_in_user_input_is_harmless(corpus_index):
    with Index.open(corpus_index) as ix:
        for q in ["AND", "NEAR(产业 链)", "产业*", "col:产业", "(((", "^创新", "a:b:c", "产业 OR", "OR 产业"]:
            try:
                ix.query(q)  # results, or a one-line LitmineError; never an FTS/SQLite exception
            except LitmineError as exc:
                assert "\n" not in str(exc)


def test_incremental_rebuild_touches_only_what_changed(small_corpus, tmp_path, settings):
    index = tmp_path / "ix.sqlite"
    s1 = Index.rebuild(small_corpus, index, settings)
    assert (s1.processed, s1.documents) == (2, 2)
    s2 = Index.rebuild(small_corpus, index, settings)
    assert (s2.processed, s2.skipped_unchanged) == (0, 2)
    f = small_corpus / "003_e59572d61d3faf91.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\n新增一句：区域研发投入不足。\n", encoding="utf-8")
    s3 = Index.rebuild(small_corpus, index, settings)
    assert (s3.processed, s3.skipped_unchanged) == (1, 1)
    with Index.open(index) as ix:
        assert ix.query("新增一句", limit=5)
    (small_corpus / "002_7ad54bd9955fce62.txt").unlink()
    s4 = Index.rebuild(small_corpus, index, settings)
    assert s4.removed == 1 and s4.documents == 1
    s5 = Index.rebuild(small_corpus, index, settings, full=True)
    assert s5.processed == 1


def test_a_rebuild_killed_halfway_leaves_the_previous_index_intact(small_corpus, tmp_path, settings, monkeypatch):
    from pipeline.index import store

    index = tmp_path / "ix.sqlite"
    Index.rebuild(small_corpus, index, settings)
    before = index.read_bytes()
    (small_corpus / "new.txt").write_text("标题\n\n新文档的正文。\n", encoding="utf-8")

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "write_rows", boom)
    with pytest.raises(KeyboardInterrupt):
        Index.rebuild(small_corpus, index, settings.replace(jobs=1))
    assert index.read_bytes() == before
    assert not list(tmp_path.glob(".ix.sqlite.tmp-*"))
    with Index.open(index) as ix:
        assert len(ix.documents()) == 2 and ix.query("产业", limit=1)


def test_bad_files_are_recorded_and_the_rest_indexed(tmp_path, settings):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_text("标题\n\n产业协同是区域协同的核心内容。\n", encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "fake.pdf").write_text("<!DOCTYPE html><html><body>not a pdf</body></html>")
    (corpus / "notes.xyz").write_text("hello")
    (corpus / "binary.txt").write_bytes(bytes(range(128, 256)) * 50)
    summary = Index.rebuild(corpus, tmp_path / "ix.sqlite", settings)
    failed = dict(summary.failed)
    assert set(failed) == {"empty.txt", "fake.pdf", "binary.txt"}
    assert failed["empty.txt"] == "empty file"
    assert all("\n" not in m and "Traceback" not in m for m in failed.values())
    # an unsupported type is rejected by the walk: named with its reason, never processed
    assert dict(summary.rejected)["notes.xyz"].startswith("unsupported file type '.xyz'")
    assert summary.processed == 4 and "1 rejected" in summary.lines()[1]
    with Index.open(tmp_path / "ix.sqlite") as ix:
        assert ix.query("产业协同", limit=1)[0].doc_id == "good"
        assert {e["doc_id"] for e in ix.errors()} >= {"empty", "fake", "binary"}


def test_export_follows_the_contract_in_every_format(corpus_index, tmp_path):
    with Index.open(corpus_index) as ix:
        for fmt in ("jsonl", "csv", "parquet", "xlsx"):
            ix.export(tmp_path / fmt, fmt)
        with pytest.raises(LitmineError, match="--force"):
            ix.export(tmp_path / "csv", "csv")
        ix.export(tmp_path / "csv", "csv", force=True)
    for table, cols in CONTRACT.items():
        need = [c.strip() for c in cols.split(",")]
        with open(tmp_path / "csv" / f"{table}.csv", encoding="utf-8") as fh:
            assert fh.read(1) == "\ufeff"  # BOM: Excel shows Chinese
        with open(tmp_path / "csv" / f"{table}.csv", encoding="utf-8-sig") as fh:
            header = next(csv.reader(fh))
        assert header[:len(need)] == need, table
        import pyarrow.parquet as pq

        assert pq.read_schema(tmp_path / "parquet" / f"{table}.parquet").names[:len(need)] == need
    rows = [json.loads(l) for l in (tmp_path / "jsonl" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any("成渝" in r["text"] for r in rows)
    assert "\\u" not in (tmp_path / "jsonl" / "sentences.jsonl").read_text(encoding="utf-8")
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "xlsx" / "litmine.xlsx")
    assert set(CONTRACT) <= set(wb.sheetnames)
    ws = wb["sentences"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")


def _dump(index: Path) -> list:
    conn = sqlite3.connect(index)
    out = []
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sentences_fts_%'"
                                " ORDER BY name"):
        out.append((name, conn.execute(f"SELECT * FROM \"{name}\" ORDER BY 1").fetchall()))
    return out


@pytest.mark.slow
def test_same_input_gives_identical_index_and_exports(corpus_index, tmp_path, settings):
    other = tmp_path / "again.sqlite"
    Index.rebuild(CORPUS, other, settings.replace(jobs=1))
    assert _dump(other) == _dump(corpus_index)
    for name, ix_path in (("a", corpus_index), ("b", other)):
        with Index.open(ix_path) as ix:
            ix.export(tmp_path / name, "jsonl")
            ix.export(tmp_path / f"{name}x", "xlsx")
    for f in sorted((tmp_path / "a").iterdir()):
        assert f.read_bytes() == (tmp_path / "b" / f.name).read_bytes(), f.name
    assert (tmp_path / "ax" / "litmine.xlsx").read_bytes() == (tmp_path / "bx" / "litmine.xlsx").read_bytes()


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=cwd)


def _process(*args: str) -> subprocess.CompletedProcess:
    """The real entry point (`python -m pipeline`): one test runs it as a user would."""
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_cli_errors_are_one_line_without_traceback(tmp_path):
    r = _process("rebuild", str(tmp_path / "nope"), "--index", str(tmp_path / "x.sqlite"))
    assert r.returncode != 0 and r.stderr.startswith("Error: corpus path does not exist")
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = _cli("query", "产业", "--index", str(tmp_path / "missing.sqlite"))
    assert r.returncode == 1 and "litmine rebuild" in r.stderr and "Traceback" not in r.stderr


def test_cli_rebuild_query_export_and_strict(tmp_path, corpus_index):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_text("标题\n\n产业协同是区域协同的核心内容。\n", encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    ix = tmp_path / "ix.sqlite"
    r = _cli("rebuild", str(corpus), "--index", str(ix), "--jobs", "1")
    assert r.returncode == 0, r.stderr
    assert "empty.txt: empty file" in r.stdout and "1 failed" in r.stdout
    assert _cli("rebuild", str(corpus), "--index", str(ix), "--strict", "--ocr", "off").returncode == 1
    r = _cli("query", "产业协同", "--index", str(corpus_index), "--format", "json", "--limit", "3")
    data = json.loads(r.stdout)
    assert len(data) == 3 and all(d["doc_id"] and d["start"] < d["end"] for d in data)
    assert "\\u" not in r.stdout
    r = _cli("query", "--help")
    assert "example" in r.stdout
    r = _cli("export", "--index", str(corpus_index), "--format", "csv", "--out", str(tmp_path / "e"))
    assert r.returncode == 0 and (tmp_path / "e" / "claims.csv").exists()
    r = _cli("export", "--index", str(corpus_index), "--format", "csv", "--out", str(tmp_path / "e"))
    assert r.returncode == 1 and "--force" in r.stderr


def test_every_bad_pdf_is_reported_in_one_line_and_nothing_else_is_lost(tmp_path):
    from conftest import BAD_PDFS

    corpus = tmp_path / "c"
    corpus.mkdir()
    for p in BAD_PDFS.glob("*.pdf"):
        (corpus / p.name).write_bytes(p.read_bytes())
    (corpus / "good.txt").write_text("标题\n\n产业协同是区域协同的核心内容。\n", encoding="utf-8")
    ix = tmp_path / "ix.sqlite"
    # --ocr off: the scans would be OCR'd (tests/test_ocr.py reads them); here they are one-line reports
    r = _cli("rebuild", str(corpus), "--index", str(ix), "--jobs", "2", "--ocr", "off")
    assert r.returncode == 0 and "Traceback" not in r.stderr + r.stdout
    with Index.open(ix) as index:
        docs = {d["doc_id"]: d for d in index.documents()}
        assert set(docs) == {p.stem for p in corpus.iterdir()}
        assert docs["good"]["status"] == "ok" and index.query("产业协同", limit=1)
        failed = {k: d["error"] for k, d in docs.items() if d["status"] == "failed"}
    assert failed["bad_empty_0_bytes"] == "empty file"
    assert failed["bad_encrypted_aes128_userpw_foo"].startswith("encrypted PDF")
    assert failed["bad_scanned_image_only_zh_journal_cjc"].startswith("no text layer (scanned?)")
    assert "truncated" in failed["bad_truncated_derived_zh_hong2017_first40pct"]
    for name, msg in failed.items():
        assert f"{name}.pdf: {msg}" in r.stdout and "\n" not in msg
    assert _cli("rebuild", str(corpus), "--index", str(ix), "--strict", "--ocr", "off").returncode == 1


def test_password_opens_encrypted_pdfs(tmp_path):
    from conftest import BAD_PDFS

    corpus = tmp_path / "c"
    corpus.mkdir()
    src = BAD_PDFS / "bad_encrypted_aes128_userpw_foo.pdf"
    (corpus / src.name).write_bytes(src.read_bytes())
    r = _cli("rebuild", str(corpus), "--index", str(tmp_path / "ix.sqlite"), "--password", "foo")
    assert r.returncode == 0 and "0 failed" in r.stdout
    with Index.open(tmp_path / "ix.sqlite") as ix:
        assert any("Secret" in s["text"] for s in ix.sentences())
