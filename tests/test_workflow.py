"""A user's workflow over the index: claims, statistics, links, corrections, topics, the CLI listings."""
from __future__ import annotations

import json
import subprocess

from conftest import run_cli
from pipeline.api import Index


def _cli(*args: str) -> subprocess.CompletedProcess:
    return run_cli(*args)


def test_claims_carry_provenance_and_evidence(corpus_index):
    with Index.open(corpus_index) as ix:
        problems = ix.claims(kind="problem")
        assert len(problems) >= 20
        c = next(c for c in problems if "本地配套率仅为30%" in c["text"])
        assert c["doc_id"] == "001_921ccb2a7e0d9137" and c["start"] < c["end"]
        assert c["evidence"]  # why: heading, cues, model score
        assert ix.claims(kind="countermeasure", section="4.2")
        kinds = {r[0] for r in ix.conn.execute(
            "SELECT s.kind FROM claims c JOIN sentences s ON s.sentence_id = c.sentence_id")}
        assert kinds <= {"body", "abstract"}  # front matter, captions, references are never claims


def test_a_correction_survives_a_rebuild_and_reaches_training(small_corpus, tmp_path, settings):
    index = tmp_path / "ix.sqlite"
    Index.rebuild(small_corpus, index, settings)
    with Index.open(index) as ix:
        claim = ix.claims(kind="countermeasure")[0]
        res = ix.label(claim["claim_id"], "problem")
        assert res["previous"] == "countermeasure"
    f = small_corpus / "002_7ad54bd9955fce62.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    Index.rebuild(small_corpus, index, settings, full=True)
    with Index.open(index) as ix:
        again = [c for c in ix.claims() if c["claim_id"] == claim["claim_id"]][0]
        assert again["label"] == "problem" and again["corrected"] == 1
        assert ix.corrections() == [{"doc": claim["doc_id"], "text": claim["text"], "label": "problem"}]


def test_statistics_are_listed_with_their_sentence(corpus_index):
    with Index.open(corpus_index) as ix:
        rows = ix.stats(metric="汽车年产量")
        r = next(r for r in rows if r["span"] == "329.3万辆")
        assert r["value"] == 3293000 and r["unit"] == "count" and r["year"] == 2023
        assert "329.3万辆" in r["context"]
        cells = ix.stats(doc="001_921ccb2a7e0d9137")
        assert any(c["source"] == "table" and c["span"] == "1 570.82" and abs(c["value"] - 1.57082e11) < 1 for c in cells)


def test_links_and_show_both_directions(corpus_index):
    with Index.open(corpus_index) as ix:
        links = ix.links()
        rels = {l["relation"] for l in links}
        assert {"translation", "addresses", "same_metric"} <= rels
        tr = ix.links(relation="translation")[0]
        item = ix.item(tr["target_id"])
        assert any(x["id"] == tr["source_id"] and x["direction"] == "←" for x in item["links"]["translation"])


def test_topics_cover_sentences_and_documents(corpus_index):
    with Index.open(corpus_index) as ix:
        topics = ix.topics()
        assert len(topics) >= 2
        for t in topics:
            assert t["terms"] and t["label"] and 0 < t["prevalence"] <= 1
        n_body = ix.conn.execute("SELECT count(*) FROM sentences WHERE kind IN ('body','abstract') AND lang='zh'").fetchone()[0]
        n_topic = ix.conn.execute("SELECT count(*) FROM sentence_topics").fetchone()[0]
        assert n_topic >= 0.8 * n_body
        # each document's topic mix sums to 1 within each language's model
        for doc_id, lang, total in ix.conn.execute(
                "SELECT d.doc_id, t.lang, sum(d.weight) FROM document_topics d JOIN topics t ON t.topic_id = d.topic_id"
                " GROUP BY d.doc_id, t.lang"):
            assert abs(total - 1) < 0.02 or total == 0, (doc_id, lang, total)
        tid = topics[0]["topic_id"]
        assert all(c["topic_id"] == tid for c in ix.claims(topic=tid))


def test_cli_listings(corpus_index):
    r = _cli("claims", "--index", str(corpus_index), "--kind", "problem", "--limit", "3")
    assert r.returncode == 0 and "problem" in r.stdout and "§" in r.stdout
    r = _cli("stats", "--index", str(corpus_index), "--metric", "配套率", "--format", "json")
    rows = json.loads(r.stdout)
    assert rows and all("配套率" in x["metric"] for x in rows)
    r = _cli("links", "--index", str(corpus_index), "--relation", "translation", "--limit", "2")
    assert r.returncode == 0 and "translation" in r.stdout
    r = _cli("claims", "--index", str(corpus_index), "--kind", "nonsense")
    assert r.returncode == 1 and r.stderr.startswith("Error: unknown label 'nonsense'")
    r = _cli("show", "C:nope", "--index", str(corpus_index))
    assert r.returncode == 1 and "no claim, statistic or sentence" in r.stderr
    r = _cli("topics", "--index", str(corpus_index))
    assert r.returncode == 0 and "terms:" in r.stdout


def test_chinese_query_finds_english_sentences_through_the_glossary(corpus_index):
    with Index.open(corpus_index) as ix:
        hits = ix.query("产业集群", lang="en", limit=5)
        assert hits and all("cluster" in h.text.lower() for h in hits)
        assert not ix.query("产业集群", lang="en", limit=5, expand=False)


def test_links_graph_opens_as_graphml(corpus_index, tmp_path):
    import xml.etree.ElementTree as ET

    with Index.open(corpus_index) as ix:
        files = ix.export(tmp_path / "e", "jsonl")
        n_links = len(ix.links())
    graph = tmp_path / "e" / "links.graphml"
    assert graph in files
    root = ET.parse(graph).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    edges = root.findall(".//g:edge", ns)
    nodes = {n.get("id") for n in root.findall(".//g:node", ns)}
    assert len(edges) == n_links and all(e.get("source") in nodes and e.get("target") in nodes for e in edges)
    assert any("成渝" in (d.text or "") for d in root.iter("{http://graphml.graphdrawing.org/xmlns}data"))


def test_evaluate_names_skipped_gold_documents_and_scores_the_rest(corpus_index, tmp_path):
    """`litmine evaluate` on the default corpus: a gold document that is not indexed is named and
    skipped, the others are scored. The gold is the live dev gold cut down to the corpus's documents
    plus one document the index does not have, so the test does not depend on what the gold lists."""
    from conftest import CORPUS, gold_rows_docs, gold_subset

    corpus_docs = {p.stem for p in CORPUS.glob("*.txt")}
    absent = {"doc": "not_indexed_report", "lang": "zh", "text": "产业链韧性不足。", "label": "problem", "section": ""}
    gold = gold_subset(tmp_path / "gold", corpus_docs, extra_claims=[absent])
    claim_docs = {r["doc"] for r in map(json.loads, (gold / "claims.jsonl").read_text(encoding="utf-8").splitlines())}
    n_cells = len((gold / "table_cells.jsonl").read_text(encoding="utf-8").splitlines())
    assert claim_docs - {"not_indexed_report"} and n_cells, "the dev gold no longer covers the default corpus"

    r = _cli("evaluate", "--gold", str(gold), "--index", str(corpus_index), "--format", "json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["documents_skipped"] == ["not_indexed_report"]
    gold_docs = set().union(*(gold_rows_docs(json.loads(ln)) for f in gold.glob("*.jsonl")
                              for ln in f.read_text(encoding="utf-8").splitlines()))
    assert set(report["documents_scored"]) == gold_docs - {"not_indexed_report"}
    claims = report["claims"]
    assert claims["loo"] is True and set(claims["folds"]) == claim_docs - {"not_indexed_report"}
    assert 0 <= claims["overall"]["macro_f1"] <= 1
    assert report["statistics"]["table_cells"]["gold"] == n_cells
    assert set(report["links"]["relations"]) >= {"translation", "addresses", "same_issue", "same_metric"}
    text = _cli("evaluate", "--gold", str(gold), "--index", str(corpus_index)).stdout
    assert "Skipped (not in the index): not_indexed_report" in text and "leave-one-document-out" in text
    bad = _cli("evaluate", "--gold", str(tmp_path / "empty"), "--index", str(corpus_index))
    assert bad.returncode == 1 and bad.stderr.startswith("Error: gold directory")


def test_topic_fit_can_sweep_engines_and_says_which_won(corpus_index, tmp_path):
    import shutil
    import sqlite3

    from pipeline.settings import Settings
    from pipeline.topics.stage import fit_all

    db = tmp_path / "copy.sqlite"
    shutil.copy(corpus_index, db)
    conn = sqlite3.connect(db)
    results, notes = fit_all(conn, Settings(jobs=1, topic_engine="all"))
    zh = next(r for r in results if r.lang == "zh")
    assert zh.reason.startswith(f"engine {zh.engine} chosen (nmf K=")
    assert {row["engine"] for row in zh.sweep} >= {"nmf", "lda"}
    assert any(n.startswith("topics[zh]") for n in notes)
