"""`litmine serve` (pipeline/serve/): Datasette over the index, read-only, with bilingual metadata,
facets, Chinese full-text search, canned queries and links from a claim to what it is linked to.
Driven through Datasette's own ASGI client; the CLI test starts the real server on 127.0.0.1."""
from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import quote

import pytest

from conftest import ROOT
from pipeline.api import Index


@pytest.fixture(scope="module")
def ds(corpus_index):
    from pipeline.serve import datasette_app

    app = datasette_app(corpus_index)
    asyncio.run(app.invoke_startup())
    return app


def get(ds, path: str):
    return asyncio.run(ds.client.get(path))


def test_metadata_describes_tables_and_columns_in_both_languages(ds, corpus_index):
    meta = ds.metadata()
    tables = meta["databases"][corpus_index.stem]["tables"]
    claims = tables["claim_view"]
    assert claims["facets"] == ["label", "document", "year", "topic"]
    assert "论断" in claims["description"] and "Claims" in claims["description"]
    assert "类别" in claims["columns"]["label"] and "Label" in claims["columns"]["label"]
    assert tables["statistic_view"]["facets"] == ["unit", "subject", "metric", "year", "document"]
    page = get(ds, f"/{corpus_index.stem}/claim_view").text
    assert "类别" in page and "/litmine-static/litmine.css" in page
    css = get(ds, "/litmine-static/litmine.css")
    assert css.status_code == 200 and "LitmineCJK" in css.text
    font = get(ds, "/litmine-fonts/wqy-microhei-subset.ttf")
    assert font.status_code == 200 and len(font.content) > 1_000_000


def test_facet_counts_match_the_index(ds, corpus_index):
    data = get(ds, f"/{corpus_index.stem}/claim_view.json?_facet=label&_size=0").json()
    counts = {r["value"]: r["count"] for r in data["facet_results"]["label"]["results"]}
    with Index.open(corpus_index) as ix:
        expect = dict(ix.conn.execute("SELECT label, count(*) FROM claims GROUP BY label").fetchall())
    assert counts == expect
    rows = get(ds, f"/{corpus_index.stem}/claim_view.json?label=problem&_shape=array&_size=max").json()
    assert len(rows) == expect["problem"] and {r["label"] for r in rows} == {"problem"}


@pytest.mark.parametrize("q", ["产业同质化", "产业链 协同", "创新 -成渝"])
def test_chinese_search_finds_what_litmine_query_finds(ds, corpus_index, q):
    """Datasette's search box goes through the same segmentation as `litmine query`: a compound
    such as 产业同质化 is found although the index stores it as words (产业 同质化)."""
    rows = get(ds, f"/{corpus_index.stem}/sentences.json?_search={q}&_shape=array&_size=max").json()
    with Index.open(corpus_index) as ix:
        expect = {h.sentence_id for h in ix.query(q, limit=10_000, expand=False)}
        hits = ix.query(q, limit=10_000, expand=False)
    assert expect and {r["sentence_id"] for r in rows} == expect
    in_claims = get(ds, f"/{corpus_index.stem}/claim_view.json?_search={q}&_shape=array&_size=max").json()
    assert {r["sentence_id"] for r in in_claims} == {h.sentence_id for h in hits if h.label}


def test_canned_queries_run(ds, corpus_index):
    db = corpus_index.stem
    pairs = get(ds, f"/{db}/problems_and_countermeasures.json?term=&across=&_shape=array").json()
    with Index.open(corpus_index) as ix:
        n_addresses = len(ix.links(relation="addresses"))
        metric = ix.conn.execute("SELECT metric FROM statistics WHERE metric != '' GROUP BY metric"
                                 " ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        n_metric = ix.conn.execute("SELECT count(*) FROM statistics WHERE instr(metric, ?) > 0", (metric,)).fetchone()[0]
        topic = ix.conn.execute("SELECT topic_id FROM topics ORDER BY topic_id LIMIT 1").fetchone()[0]
        n_topic = ix.conn.execute("SELECT count(*) FROM sentence_topics st JOIN claims c USING(sentence_id)"
                                  " JOIN documents d ON d.doc_id = c.doc_id WHERE st.topic_id=? AND d.year IS NOT NULL",
                                  (topic,)).fetchone()[0]
    assert len(pairs) == min(n_addresses, 1000) and all(p["problem"] and p["countermeasure"] for p in pairs)
    rows = get(ds, f"/{db}/metric_across_sources.json?metric={metric}&subject=&_shape=array&_size=max").json()
    assert len(rows) == n_metric and all(metric in r["metric"] for r in rows)
    rows = get(ds, f"/{db}/topic_by_year.json?topic={topic}&_shape=array").json()
    assert sum(r["claims"] for r in rows) == n_topic


def test_claim_page_shows_document_statistics_and_linked_claims(ds, corpus_index):
    with Index.open(corpus_index) as ix:
        cid = ix.conn.execute("SELECT c.claim_id FROM claims c JOIN links l ON l.source_id = c.claim_id"
                              " OR l.target_id = c.claim_id GROUP BY c.claim_id ORDER BY count(*) DESC, c.claim_id"
                              " LIMIT 1").fetchone()[0]
        item = ix.item(cid)
    rows = get(ds, f"/{corpus_index.stem}/item.json?id={cid}&_shape=array&_size=max").json()
    parts = [r["part"] for r in rows]
    assert parts[0] == "this" and rows[0]["text"] == item["text"] and "document" in parts
    linked = {r["item_id"] for r in rows if r["part"] == "linked"}
    assert linked == {x["id"] for items in item["links"].values() for x in items}
    html = get(ds, f"/{corpus_index.stem}/item?id={cid}").text
    other = next(iter(linked))
    assert f"/item?id={other.replace(':', '%3A')}" in html  # every linked claim links to its own page
    doc = rows[parts.index("document")]["item_id"]
    assert f"/claim_view?doc_id={quote(doc, safe='')}" in html  # the document links to its claims
    assert f"/item?id={quote(doc, safe='')}" not in html


def test_serve_is_read_only(ds, corpus_index):
    db = corpus_index.stem
    with Index.open(corpus_index) as ix:
        before = ix.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    res = get(ds, f"/{db}.json?sql=DELETE+FROM+claims")
    assert res.status_code == 400
    res = asyncio.run(ds.client.post(f"/{db}/claims/-/insert", json={"row": {"claim_id": "x"}}))
    assert res.status_code in (403, 404, 405)
    with Index.open(corpus_index) as ix:
        assert ix.conn.execute("SELECT count(*) FROM claims").fetchone()[0] == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_serves_on_localhost_and_stops(corpus_index):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--index", str(corpus_index), "--port",
                             str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        body = ""
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{corpus_index.stem}/claim_view", timeout=5) as r:
                    body = r.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
        assert "claim_view" in body and "类别" in body
        busy = subprocess.run([sys.executable, "-m", "pipeline", "serve", "--index", str(corpus_index), "--port",
                               str(port)], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert busy.returncode == 1 and busy.stderr.startswith(f"Error: port {port} is in use")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    missing = subprocess.run([sys.executable, "-m", "pipeline", "serve", "--index", str(corpus_index) + ".nope"],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and missing.stderr.startswith("Error: no index at")
