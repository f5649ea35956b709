"""Graphs as files that Gephi and networkx open: the links between claims and statistics (GraphML
and GEXF), and any networkx graph (the co-occurrence network) by file suffix.

The links graph is directed: `addresses` runs from a countermeasure to the problem it answers.
The symmetric relations (translation, same_issue, same_measure, same_metric) are one edge each,
from the smaller id to the larger, with `symmetric=true` (networkx and GraphML cannot mix directed
and undirected edges in one graph; in Gephi filter on `symmetric` or `relation`). Nodes carry a
short label (the claim's text, or the statistic's span and metric), type (the claim label or
`statistic`), document, title, year and page; edges relation, score (also as `weight`), conflict.
"""
from __future__ import annotations

import io
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import LitmineError, Msg

SYMMETRIC = ("translation", "same_issue", "same_measure", "same_metric")
LABEL_CHARS = 40  # node labels Gephi can draw; the full text is the `text` attribute


def short(text: str, n: int = LABEL_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[:n - 1] + "…"


def links_graph(conn: sqlite3.Connection) -> Any:
    """The links table as a networkx MultiDiGraph (two items may share several relations)."""
    import networkx as nx

    g = nx.MultiDiGraph(name="litmine links")
    docs = {r[0]: (r[1] or r[0], r[2]) for r in conn.execute("SELECT doc_id, title, year FROM documents")}
    links = conn.execute("SELECT link_id, relation, source_id, target_id, score, conflict FROM links"
                         " ORDER BY relation, source_id, target_id, link_id").fetchall()
    for nid in sorted({r["source_id"] for r in links} | {r["target_id"] for r in links}):
        g.add_node(nid, **_node(conn, nid, docs))
    for r in links:
        a, b = r["source_id"], r["target_id"]
        symmetric = r["relation"] in SYMMETRIC
        if symmetric and b < a:
            a, b = b, a
        g.add_edge(a, b, key=r["link_id"], relation=r["relation"], score=float(r["score"] or 0.0),
                   weight=float(r["score"] or 0.0), conflict=bool(r["conflict"]), symmetric=symmetric)
    return g


def _node(conn: sqlite3.Connection, nid: str, docs: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    row = conn.execute("SELECT c.doc_id, c.label, s.text, s.page FROM claims c JOIN sentences s"
                       " ON s.sentence_id = c.sentence_id WHERE c.claim_id=?", (nid,)).fetchone()
    if row:
        kind, doc, typ, text, page = "claim", row["doc_id"], row["label"], row["text"] or "", row["page"]
        label = short(text)
    else:
        row = conn.execute("SELECT doc_id, span, metric, subject, page FROM statistics WHERE stat_id=?",
                           (nid,)).fetchone()
        if row is None:
            return {"label": nid, "kind": "other", "type": "other", "document": "", "title": "", "text": nid}
        kind, doc, typ, page = "statistic", row["doc_id"], "statistic", row["page"]
        text = " ".join(x for x in (row["span"], row["metric"], row["subject"]) if x)
        label = short(f"{row['span']} {row['metric'] or ''}".strip())
    title, year = docs.get(doc, (doc, None))
    attrs: dict[str, Any] = {"label": label, "kind": kind, "type": typ or "", "document": doc, "title": title,
                             "text": text[:500]}
    if year is not None:  # GraphML has no null: an undated document's nodes simply lack the key
        attrs["year"] = int(year)
    if page is not None:
        attrs["page"] = int(page)
    return attrs


def write_graph(g: Any, path: Path, *, force: bool = False) -> Path:
    """Write a networkx graph as GraphML (.graphml) or GEXF (.gexf), byte-identical for the same graph
    (networkx stamps GEXF with today's date: left out)."""
    import networkx as nx
    from networkx.readwrite.gexf import GEXFWriter

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".graphml", ".gexf"):
        raise LitmineError(Msg.GRAPH_SUFFIX.format(path=path))
    if path.exists() and not force:
        raise LitmineError(Msg.OUT_EXISTS.format(path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".graphml":
        buf = io.BytesIO()
        nx.write_graphml_xml(g, buf, encoding="utf-8", prettyprint=True, named_key_ids=True)
        path.write_bytes(buf.getvalue())
        return path
    if g.is_multigraph():  # GEXF edge ids: the graph's keys (link ids), not a counter
        g = g.copy()
        for _u, _v, k, d in g.edges(keys=True, data=True):
            d.setdefault("id", str(k))
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
    writer.add_graph(g)
    path.write_text(str(writer), encoding="utf-8")
    return path


def write_links(conn: sqlite3.Connection, out_dir: Path, *, force: bool = False) -> list[Path]:
    """links.graphml and links.gexf in out_dir."""
    g = links_graph(conn)
    return [write_graph(g, Path(out_dir) / f"links{ext}", force=force) for ext in (".graphml", ".gexf")]


def write_graphml(conn: sqlite3.Connection, path: Path, *, force: bool = False) -> Path:
    """The links graph as GraphML (kept for callers of the old name)."""
    return write_graph(links_graph(conn), Path(path), force=force)
