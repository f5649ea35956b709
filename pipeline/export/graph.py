"""Links as a graph file (GraphML) that opens in Gephi: claims and statistics as nodes, links as edges."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..errors import LitmineError, Msg


def write_graphml(conn: sqlite3.Connection, path: Path, *, force: bool = False) -> Path:
    if path.exists() and not force:
        raise LitmineError(Msg.OUT_EXISTS.format(path=path))
    links = conn.execute("SELECT link_id, relation, source_id, target_id, score, conflict FROM links"
                         " ORDER BY relation, source_id, target_id").fetchall()
    node_ids = sorted({r["source_id"] for r in links} | {r["target_id"] for r in links})
    nodes = []
    for nid in node_ids:
        row = conn.execute("SELECT c.doc_id, c.label, s.text FROM claims c JOIN sentences s ON s.sentence_id=c.sentence_id"
                           " WHERE c.claim_id=?", (nid,)).fetchone()
        if row:
            nodes.append((nid, "claim", row["doc_id"], row["label"], row["text"][:200]))
            continue
        row = conn.execute("SELECT doc_id, metric, span FROM statistics WHERE stat_id=?", (nid,)).fetchone()
        if row:
            nodes.append((nid, "statistic", row["doc_id"], row["metric"] or "", row["span"]))
        else:
            nodes.append((nid, "other", "", "", nid))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
           '<key id="type" for="node" attr.name="type" attr.type="string"/>',
           '<key id="doc" for="node" attr.name="doc" attr.type="string"/>',
           '<key id="label" for="node" attr.name="label" attr.type="string"/>',
           '<key id="text" for="node" attr.name="text" attr.type="string"/>',
           '<key id="relation" for="edge" attr.name="relation" attr.type="string"/>',
           '<key id="score" for="edge" attr.name="score" attr.type="double"/>',
           '<key id="conflict" for="edge" attr.name="conflict" attr.type="boolean"/>',
           '<graph id="litmine" edgedefault="undirected">']
    for nid, typ, doc, label, text in nodes:
        out.append(f"<node id={quoteattr(nid)}><data key=\"type\">{typ}</data><data key=\"doc\">{escape(doc)}</data>"
                   f"<data key=\"label\">{escape(label)}</data><data key=\"text\">{escape(text)}</data></node>")
    for r in links:
        directed = ' directed="true"' if r["relation"] == "addresses" else ""
        out.append(f"<edge id={quoteattr(r['link_id'])} source={quoteattr(r['source_id'])} "
                   f"target={quoteattr(r['target_id'])}{directed}><data key=\"relation\">{r['relation']}</data>"
                   f"<data key=\"score\">{r['score']}</data>"
                   f"<data key=\"conflict\">{'true' if r['conflict'] else 'false'}</data></edge>")
    out += ["</graph>", "</graphml>"]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path
