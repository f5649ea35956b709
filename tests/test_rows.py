"""The typed storage API (pipeline/index/rows.py) over the indexed default corpus."""
from __future__ import annotations

import shutil
import sqlite3

from pipeline.index import rows


def _conn(path) -> sqlite3.Connection:
    return sqlite3.connect(path)  # no row factory on purpose: the readers must not depend on it


def test_claims_come_with_their_sentence_in_reading_order(corpus_index):
    conn = _conn(corpus_index)
    claims = list(rows.iter_claims(conn, batch_size=7))
    assert len(claims) == conn.execute("SELECT count(*) FROM claims").fetchone()[0] > 0
    keys = [(c.doc_id, c.sentence.idx, c.claim_id) for c in claims]
    assert keys == sorted(keys)
    c = claims[0]
    assert isinstance(c.secondary, tuple) and isinstance(c.evidence, dict) and c.sentence.text
    assert c.sentence.sentence_id == conn.execute("SELECT sentence_id FROM claims WHERE claim_id=?",
                                                  (c.claim_id,)).fetchone()[0]
    one = claims[-1].doc_id
    assert [x.claim_id for x in rows.iter_claims(conn, doc_ids=[one])] == [x.claim_id for x in claims if x.doc_id == one]
    assert list(rows.iter_claims(conn, doc_ids=[])) == []
    problems = list(rows.iter_claims(conn, labels=["problem"]))
    assert problems and all(p.has("problem") for p in problems)


def test_statistics_rows_are_typed_and_table_cells_know_their_table(corpus_index):
    conn = _conn(corpus_index)
    stats = list(rows.iter_statistics(conn, batch_size=5))
    assert len(stats) == conn.execute("SELECT count(*) FROM statistics").fetchone()[0] > 0
    table_stats = [s for s in stats if s.source == "table"]
    assert table_stats and all(s.table_id and s.cell_id for s in table_stats)
    assert all(isinstance(s.parts, tuple) and (s.value is None or isinstance(s.value, float)) for s in stats)


def test_sentences_filter_by_kind_language_and_document(corpus_index):
    conn = _conn(corpus_index)
    body = list(rows.iter_sentences(conn, kinds=("body",), lang="en"))
    assert body and all(s.kind == "body" and s.lang == "en" for s in body)
    docs = [d.doc_id for d in rows.iter_documents(conn)]
    assert docs == sorted(docs) and len(docs) >= 3
    first = list(rows.iter_sentences(conn, doc_ids=docs[:1]))
    assert first and {s.doc_id for s in first} == {docs[0]} and [s.idx for s in first] == sorted(s.idx for s in first)
    assert all(isinstance(s.tokens, tuple) and isinstance(s.section_path, tuple) for s in first)


def test_links_round_trip_and_incremental_replacement(corpus_index, tmp_path):
    db = tmp_path / "ix.sqlite"
    shutil.copy(corpus_index, db)
    conn = _conn(db)
    before = list(rows.iter_links(conn))
    assert before and sum(rows.link_counts(conn).values()) == len(before)
    n = rows.write_links(conn, before, replace_docs=True)
    assert n == len(before) and list(rows.iter_links(conn)) == before
    doc = before[0].source_doc
    new = rows.LinkRow("x1", "same_issue", "C:a", "C:b", doc, doc, 0.5, evidence={"why": "test"})
    rows.write_links(conn, [new], replace_docs={doc})
    after = list(rows.iter_links(conn))
    assert new in after and all(doc not in (lk.source_doc, lk.target_doc) or lk == new for lk in after)
    assert len(after) == 1 + sum(1 for lk in before if doc not in (lk.source_doc, lk.target_doc))
    rows.delete_links(conn, relation="same_issue")
    assert all(lk.relation != "same_issue" for lk in rows.iter_links(conn))


def test_topics_round_trip(corpus_index, tmp_path):
    db = tmp_path / "ix.sqlite"
    shutil.copy(corpus_index, db)
    conn = _conn(db)
    topics = list(rows.iter_topics(conn))
    assert topics and all(t.terms and isinstance(t.terms[0][1], float) for t in topics)
    sid = next(rows.iter_sentences(conn)).sentence_id
    mine = [rows.TopicRow("zz-0", "zz", "test", (("a", 1.0),), 1.0, "nmf")]
    rows.write_topics(conn, mine, document_topics=[("d", "zz-0", 1.0)], sentence_topics=[(sid, "zz-0", 0.9)], lang="zz")
    assert list(rows.iter_topics(conn, lang="zz")) == mine
    assert len(list(rows.iter_topics(conn))) == len(topics) + 1  # other languages kept
    rows.write_topics(conn, [])
    assert list(rows.iter_topics(conn)) == [] and conn.execute("SELECT count(*) FROM sentence_topics").fetchone()[0] == 0
    rows.set_meta(conn, "k", "v")
    assert rows.get_meta(conn, "k") == "v" and rows.get_meta(conn, "missing") is None
