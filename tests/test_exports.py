"""The findings workbook, typed Parquet and the graph files (pipeline/export/)."""
from __future__ import annotations

import csv
import sqlite3
import shutil

import pytest

from pipeline.api import Index


@pytest.fixture(scope="module")
def exported(corpus_index, tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    with Index.open(corpus_index) as ix:
        files = {fmt: ix.export(out / fmt, fmt) for fmt in ("xlsx", "csv", "parquet")}
    return out, files


def test_workbook_has_a_bilingual_guide_and_readable_sheets(exported, corpus_index):
    from openpyxl import load_workbook

    out, _ = exported
    wb = load_workbook(out / "xlsx" / "litmine.xlsx")
    assert wb.sheetnames[0] == "guide" and {"claims", "statistics", "links", "evidence"} <= set(wb.sheetnames)
    guide = {(r[0], r[1]): (r[2], r[3]) for r in wb["guide"].iter_rows(min_row=2, values_only=True)}
    for sheet in wb.sheetnames[1:]:
        for cell in wb[sheet][1]:
            zh, en = guide[(sheet, cell.value)]
            assert zh and en, (sheet, cell.value)  # every column explained in both languages
    ws = wb["claims"]
    head = [c.value for c in ws[1]]
    assert ws["A1"].font.b and ws["A1"].font.sz >= 12 and ws["A1"].alignment.wrap_text
    assert ws.column_dimensions["I"].width >= 40  # text column wide and wrapped
    assert {"title", "year", "linked"} <= set(head)
    rows = [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    with Index.open(corpus_index) as ix:
        linked_claim = ix.conn.execute("SELECT source_id FROM links WHERE source_id LIKE 'C:%'"
                                       " ORDER BY link_id LIMIT 1").fetchone()[0]
        other = ix.conn.execute("SELECT target_id FROM links WHERE source_id=? ORDER BY score DESC, link_id LIMIT 1",
                                (linked_claim,)).fetchone()[0]
        other_text = ix.describe(other)
    row = next(r for r in rows if r["claim_id"] == linked_claim)
    assert other_text[:15] in row["linked"] and row["title"]
    assert "rule=" in row["evidence"] and not row["evidence"].startswith("{")  # one readable line
    ev = wb["evidence"]
    ev_head = [c.value for c in ev[1]]
    assert ev_head[:4] == ["claim_id", "doc_id", "label", "rule"] and ev.max_row == ws.max_row
    st = wb["statistics"]
    st_head = [c.value for c in st[1]]
    ctx = st_head.index("context")
    assert all(r[ctx] for r in st.iter_rows(min_row=2, values_only=True))


def test_xlsx_cells_that_look_like_formulas_stay_text(corpus_index, tmp_path):
    from openpyxl import load_workbook

    copy = tmp_path / "ix.sqlite"
    shutil.copy(corpus_index, copy)
    conn = sqlite3.connect(copy)
    sid = conn.execute("SELECT sentence_id FROM claims ORDER BY claim_id LIMIT 1").fetchone()[0]
    conn.execute("UPDATE sentences SET text='=HYPERLINK(\"http://x\",\"y\")' WHERE sentence_id=?", (sid,))
    conn.execute("UPDATE documents SET title='@SUM(1,2)' WHERE doc_id=(SELECT doc_id FROM sentences WHERE"
                 " sentence_id=?)", (sid,))
    conn.commit()
    conn.close()
    with Index.open(copy) as ix:
        ix.export(tmp_path / "x", "xlsx")
    ws = load_workbook(tmp_path / "x" / "litmine.xlsx")["claims"]
    head = [c.value for c in ws[1]]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row
             if isinstance(c.value, str) and c.value.startswith(("=", "@"))]
    assert {c.column - 1 for c in cells} >= {head.index("text"), head.index("title")}
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_csv_keeps_bom_and_parquet_years_are_integers(exported):
    import pyarrow.parquet as pq

    out, _ = exported
    assert (out / "csv" / "claims.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    with open(out / "csv" / "evidence.csv", encoding="utf-8-sig") as fh:
        assert next(csv.reader(fh))[:3] == ["claim_id", "doc_id", "label"]
    for table, col in (("documents", "year"), ("statistics", "year"), ("statistics", "base_year"),
                       ("claims", "year"), ("sentences", "start")):
        assert str(pq.read_schema(out / "parquet" / f"{table}.parquet").field(col).type) == "int64", (table, col)


def test_links_graphs_open_in_networkx_directed_with_labels(exported, corpus_index):
    import networkx as nx

    out, files = exported
    assert out / "xlsx" / "links.graphml" in files["xlsx"] and out / "xlsx" / "links.gexf" in files["xlsx"]
    with Index.open(corpus_index) as ix:
        links = ix.links()
        docs = {d["doc_id"]: d for d in ix.documents()}
        addresses = next(x for x in links if x["relation"] == "addresses")
        claim_text = ix.describe(addresses["source_id"])
    for path, read in ((out / "csv" / "links.graphml", nx.read_graphml), (out / "csv" / "links.gexf", nx.read_gexf)):
        g = read(path)
        assert g.is_directed() and g.number_of_edges() == len(links)
        # addresses runs countermeasure -> problem, as in the links table
        assert g.has_edge(addresses["source_id"], addresses["target_id"])
        node = g.nodes[addresses["source_id"]]
        assert node["label"] and claim_text.startswith(node["label"].rstrip("…"))
        assert node["type"] in ("problem", "countermeasure", "achievement", "background")
        assert node["document"] in docs and node["kind"] == "claim"
        sym = [d for _, _, d in g.edges(data=True) if d["relation"] != "addresses"]
        assert all(d["symmetric"] in (True, "true", "True") for d in sym)
