"""kwic / freq / cooc / trends over a dated index (pipeline/analysis/), their CLI commands and the
graph files they write."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from pipeline.api import Index
from pipeline.errors import LitmineError

from conftest import ROOT


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_documents_of_the_fixture_have_years(dated_index):
    with Index.open(dated_index) as ix:
        years = [r[0] for r in ix.conn.execute("SELECT year FROM documents WHERE year IS NOT NULL")]
    assert len(set(years)) >= 6


def test_kwic_gives_every_use_with_context_and_provenance(dated_index):
    with Index.open(dated_index) as ix:
        lines = ix.kwic("社会主义", width=12)
        n = sum(s["text"].count("社会主义") for s in ix.sentences() if s["kind"] not in ("reference", "front_matter"))
        assert len(lines) == n > 0
        for ln in lines[:50]:
            sent = ix.conn.execute("SELECT text, start FROM sentences WHERE sentence_id=?", (ln.sentence_id,)).fetchone()
            assert sent["text"][ln.start - sent["start"]:ln.end - sent["start"]] == "社会主义" == ln.keyword
            assert len(ln.left) <= 12 and len(ln.right) <= 12 and ln.title and ln.year
        right = ix.kwic("社会主义", width=12, sort="right")
        assert [x.right for x in right] == sorted(x.right for x in right)
        # Latin terms match whole words, case-insensitively
        en = ix.kwic("cluster", lang="en")
        assert en and all(x.keyword.lower() == "cluster" for x in en)
        assert not ix.kwic("clust", lang="en")


def test_freq_counts_words_without_stopwords_per_year(dated_index):
    with Index.open(dated_index) as ix:
        rows = ix.freq(by="year", top=10)
        stop = ix.freq(top=200)
    years = {r.group for r in rows}
    assert len(years) >= 6 and all(g.isdigit() or g == "unknown" for g in years)
    terms = {r.term for r in stop}
    assert "的" not in terms and "我们" not in terms and not any(t.isdigit() for t in terms)
    top = stop[0]
    assert top.rank == 1 and top.count >= stop[1].count and top.documents >= 1
    with Index.open(dated_index) as ix:
        assert top.term not in {r.term for r in ix.freq(top=200, stopwords=[top.term])}
        with pytest.raises(LitmineError, match="stopword file"):
            ix.freq(stopwords=ROOT / "no-such-file.txt")


def test_cooc_network_reads_back_in_networkx(dated_index, tmp_path):
    import networkx as nx

    with Index.open(dated_index) as ix:
        net = ix.cooc(top_terms=40, max_edges=60)
    assert 0 < len(net.edges) <= 60 and len(net.nodes) <= 40
    best = net.edges[0]
    assert best["jaccard"] == max(e["jaccard"] for e in net.edges) and 0 < best["jaccard"] <= 1
    for suffix, read in ((".graphml", nx.read_graphml), (".gexf", nx.read_gexf)):
        g = read(net.write(tmp_path / f"cooc{suffix}"))
        assert g.number_of_edges() == len(net.edges) and not g.is_directed()
        assert g.has_edge(best["source"], best["target"])
        with pytest.raises(LitmineError, match="--force"):
            net.write(tmp_path / f"cooc{suffix}")
    with pytest.raises(LitmineError, match="graphml or .gexf"):
        net.write(tmp_path / "cooc.txt")


def test_trends_count_a_term_per_year_and_a_topic(dated_index):
    with Index.open(dated_index) as ix:
        rows = ix.trends(["社会主义"])
        by_year = {r.year: r for r in rows}
        for y, r in by_year.items():
            n = sum(t.count("社会主义") for (t,) in ix.conn.execute(
                "SELECT s.text FROM sentences s JOIN documents d USING(doc_id) WHERE d.year=? AND s.kind NOT IN"
                " ('reference','front_matter')", (y,)))
            assert r.hits == n and r.documents >= 1
        assert rows == sorted(rows, key=lambda r: r.year)
        topic = ix.conn.execute("SELECT topic_id FROM topics WHERE lang='zh' ORDER BY topic_id").fetchone()[0]
        trows = ix.trends(topic=topic)
        assert trows and all(r.series == topic and 0 <= (r.weight or 0) <= 1 for r in trows)
        assert sum(r.hits for r in trows) == ix.conn.execute(
            "SELECT count(*) FROM sentence_topics st JOIN sentences s USING(sentence_id) JOIN documents d"
            " USING(doc_id) WHERE st.topic_id=? AND d.year IS NOT NULL AND s.kind NOT IN ('reference','front_matter')",
            (topic,)).fetchone()[0]
        with pytest.raises(LitmineError, match="no topic"):
            ix.trends(topic="zh-999")
        with pytest.raises(LitmineError, match="give a term"):
            ix.trends()


def test_cli_commands_have_examples_and_csv_json(dated_index, tmp_path):
    for command in ("kwic", "freq", "cooc", "trends", "serve"):
        out = _cli(command, "--help").stdout
        assert "example:" in out and f"litmine {command}" in out
    res = _cli("kwic", "社会主义", "--index", str(dated_index), "--format", "csv", "--limit", "5")
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 5 and all(r["keyword"] == "社会主义" for r in rows)
    res = _cli("trends", "社会主义", "--index", str(dated_index), "--format", "json", "--plot", str(tmp_path / "t.png"))
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout[res.stdout.index("["):])
    assert data and {"series", "year", "hits", "per_10k"} <= set(data[0])
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
    res = _cli("cooc", "--index", str(dated_index), "--out", str(tmp_path / "c.gexf"))
    assert res.returncode == 0 and "c.gexf" in res.stdout
    res = _cli("freq", "--index", str(dated_index), "--by", "label", "--format", "json")
    assert {r["group"] for r in json.loads(res.stdout)} <= {"problem", "countermeasure", "achievement", "background"}
    bad = _cli("trends", "--topic", "zh-999", "--index", str(dated_index))
    assert bad.returncode == 1 and bad.stderr.startswith("Error: no topic") and "Traceback" not in bad.stderr
