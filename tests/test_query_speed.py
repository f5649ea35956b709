"""Query start-up: the cached lexicon gives the index's own words without loading jieba's whole
dictionary or spaCy; the query path imports neither the rebuild machinery nor the linking rules."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from pipeline.index.querytok import QueryTokenizer, lexicon_path
from pipeline.settings import DEFAULT_MODELS

QUERIES = ["产业同质化", "成渝地区双城经济圈", "协同创新 人才", "研发投入", "新能源汽车产业链", "卡脖子", "数字化转型",
           "industrial clusters", "supply chains", "innovation", "R&D investment", "policy-makers'", "GDP增长",
           "5G基站", "产业 cluster", "一是加强", "“双碳”目标", "U.S. industries", "don't", "２０２５年ＧＤＰ"]


@pytest.fixture(scope="module")
def segmenter():
    from pipeline.segment import Segmenter

    return Segmenter(DEFAULT_MODELS)


def test_query_tokens_equal_the_segmenters(segmenter):
    qt = QueryTokenizer(DEFAULT_MODELS)
    assert lexicon_path(DEFAULT_MODELS).exists()
    for q in QUERIES:
        assert qt.query_terms(q) == segmenter.query_terms(q), q
    # the lexicon is the dictionary's: spot-check frequencies and prefixes against jieba's own
    for w in ("产业", "产业链", "成渝地区双城经济圈", "成渝地", "不存在的词语组合"):
        assert qt.jieba.FREQ.get(w) == segmenter.jieba.FREQ.get(w), w


def test_query_command_loads_neither_spacy_nor_the_rebuild_or_linking_rules(corpus_index):
    code = (
        "import sys, json\n"
        "from pipeline.api import Index\n"
        f"ix = Index.open({str(corpus_index)!r})\n"
        "hits = ix.query('产业集群 innovation', limit=3)\n"
        "print(json.dumps([len(hits)] + sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('spacy', 'sklearn', 'gensim') or m in ('pipeline.rebuild', 'pipeline.linking.stage',"
        " 'pipeline.build'))))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    n, *loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert n > 0
    assert loaded == []


def test_hit_decoration_uses_indexes(corpus_index):
    """Claims and statistics of a hit (and the glossary's keyword lists) are found through an
    index, not a scan of the sentences per hit."""
    import sqlite3

    conn = sqlite3.connect(corpus_index)
    for sql, args in (("SELECT claim_id FROM claims WHERE sentence_id=?", ("x",)),
                      ("SELECT stat_id FROM statistics WHERE sentence_id=?", ("x",)),
                      # the glossary's corpus keyword pairs, read on a query's first expansion
                      ("SELECT doc_id, lang, text FROM sentences WHERE kind='keywords' ORDER BY doc_id, idx", ())):
        plan = " ".join(str(r[-1]) for r in conn.execute("EXPLAIN QUERY PLAN " + sql, args))
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
    conn.close()


def test_the_lexicon_cache_keeps_only_the_newest_few(tmp_path):
    import os

    from pipeline.index import querytok

    for i in range(querytok.KEEP + 3):
        p = tmp_path / f"query-lexicon-{i:016x}.sqlite"
        p.write_bytes(b"x")
        os.utime(p, (1000 + i, 1000 + i))
    querytok.write_lexicon(tmp_path / "query-lexicon-new.sqlite", {"产业": 5, "产": 0}, 5, {"clusters": "cluster"})
    left = sorted(p.name for p in tmp_path.glob("query-lexicon-*.sqlite"))
    assert len(left) == querytok.KEEP and "query-lexicon-new.sqlite" in left
    assert "query-lexicon-0000000000000000.sqlite" not in left  # the oldest went first
