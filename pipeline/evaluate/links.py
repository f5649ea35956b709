"""Score the index's links against a gold directory (links.jsonl, cross_source.jsonl).

Gold sides are {doc, text} (statistics: {doc, span, sentence, kind, table, row, col}); they are
matched to system sentences by text (gold/matching.py), then to the claims / statistics on
those sentences. A gold pair is found when a system link of the same relation joins a claim of
side a with a claim of side b (either direction, except `addresses`: countermeasure → problem).
Precision counts the system links between documents the gold file annotates.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from ..gold import load_jsonl
from ..gold.matching import SentenceMatcher, normalize

CLAIM_RELATIONS = ("translation", "addresses", "same_issue", "same_measure")


def _prf(tp_gold: int, n_gold: int, tp_sys: int, n_sys: int) -> dict[str, Any]:
    p = tp_sys / n_sys if n_sys else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "gold": n_gold,
            "found": tp_gold, "system": n_sys, "correct": tp_sys}


def score_links(conn: sqlite3.Connection, gold_dir: Path) -> dict[str, Any]:
    """Per relation P/R/F1 against gold links.jsonl / cross_source.jsonl (see module doc)."""
    gold_dir = Path(gold_dir)
    out: dict[str, Any] = {"relations": {}, "missing_docs": [], "absent_pairs": {}}
    m = SentenceMatcher(conn)
    claims_of: dict[str, list[str]] = {}
    for cid, sid in conn.execute("SELECT claim_id, sentence_id FROM claims"):
        claims_of.setdefault(sid, []).append(cid)
    links: dict[str, set[tuple[str, str]]] = {}
    link_docs: dict[str, list[tuple[str, str, str, str, int]]] = {}
    for rel, s, t, sd, td, conflict in conn.execute(
            "SELECT relation, source_id, target_id, source_doc, target_doc, conflict FROM links"):
        links.setdefault(rel, set()).add((s, t))
        link_docs.setdefault(rel, []).append((s, t, sd, td, int(conflict or 0)))

    gold = load_jsonl(gold_dir / "links.jsonl")
    missing: set[str] = set()
    for g in gold:
        for side in ("a", "b"):
            if g[side]["doc"] not in m.docs:
                missing.add(g[side]["doc"])
    by_doc: dict[str, list[str]] = {}
    for g in gold:
        for side in ("a", "b"):
            by_doc.setdefault(g[side]["doc"], []).append(g[side]["text"])
    for doc, texts in sorted(by_doc.items()):
        if doc in m.docs:
            m.prime(doc, texts)
    gold_docs = sorted({g[s]["doc"] for g in gold for s in ("a", "b")} - missing)

    for rel in CLAIM_RELATIONS:
        pairs = [g for g in gold if g["relation"] == rel]
        if not pairs and rel not in links:
            continue
        sys_links = {(s, t) for (s, t, sd, td, _) in link_docs.get(rel, []) if sd in gold_docs and td in gold_docs}
        directed = rel == "addresses"
        matched_gold, found, absent = 0, 0, 0
        hit_links: set[tuple[str, str]] = set()
        for g in pairs:
            if g["a"]["doc"] in missing or g["b"]["doc"] in missing:
                continue
            ca = {c for sid in m.ids(g["a"]["doc"], g["a"]["text"]) for c in claims_of.get(sid, [])}
            cb = {c for sid in m.ids(g["b"]["doc"], g["b"]["text"]) for c in claims_of.get(sid, [])}
            if not ca or not cb:
                absent += 1
                continue
            matched_gold += 1
            hits = {(x, y) for x in ca for y in cb if (x, y) in sys_links}
            if not directed:
                hits |= {(y, x) for x in ca for y in cb if (y, x) in sys_links}
            if hits:
                found += 1
                hit_links |= hits
        res = _prf(found, matched_gold, len(hit_links), len(sys_links))
        res["absent"] = absent
        out["relations"][rel] = res
        out["absent_pairs"][rel] = absent

    # ---- statistics ----
    cross = load_jsonl(gold_dir / "cross_source.jsonl")
    if cross:
        out["relations"]["same_metric"] = _score_stats(conn, m, cross, link_docs.get("same_metric", []), missing)
        out["absent_pairs"]["same_metric"] = out["relations"]["same_metric"]["absent"]
    out["missing_docs"] = sorted(missing | {g[s]["doc"] for g in cross for s in ("a", "b")} - m.docs)
    return out


def _stat_ids(conn: sqlite3.Connection, m: SentenceMatcher, side: dict) -> set[str]:
    """System statistics standing for a gold statistic side (a prose figure or a table cell)."""
    doc = side["doc"]
    span = normalize(side.get("span", ""))
    value = side.get("value")
    ids: set[str] = set()
    if side.get("kind") == "table_cell":
        table = normalize(side.get("table", ""))
        row, col = normalize(side.get("row", "")), normalize(side.get("col", ""))
        for sid, cell_text, rh, ch, cap, v in conn.execute(
                "SELECT s.stat_id, c.text, c.row_header, c.col_header, t.caption, s.value FROM statistics s"
                " JOIN cells c ON c.cell_id = s.cell_id JOIN tables t ON t.table_id = c.table_id"
                " WHERE s.doc_id=?", (doc,)):
            if table and normalize(cap or "") and table[:8] not in normalize(cap or "") \
                    and normalize(cap or "")[:8] not in table:
                continue
            if row and row not in normalize(rh or "") and normalize(rh or "") not in row:
                continue
            if col and normalize(ch or "") and col[:4] not in normalize(ch or ""):
                continue
            if normalize(cell_text or "") == span or (value is not None and v is not None and abs(v - value) < 1e-9):
                ids.add(sid)
        return ids
    for sent_id in m.ids(doc, side.get("sentence", "")):
        for sid, sp, v in conn.execute("SELECT stat_id, span, value FROM statistics WHERE sentence_id=?", (sent_id,)):
            if normalize(sp or "") == span or (span and span in normalize(sp or "")) \
                    or (value is not None and v is not None and abs(v - value) < 1e-9 and normalize(sp or "")[:1] == span[:1]):
                ids.add(sid)
    return ids


def _score_stats(conn, m: SentenceMatcher, cross: list[dict], sys_rows: list, missing: set[str]) -> dict[str, Any]:
    docs = {g[s]["doc"] for g in cross for s in ("a", "b")} & m.docs
    for d in sorted(docs):
        m.prime(d, [g[s].get("sentence", "") for g in cross for s in ("a", "b") if g[s]["doc"] == d])
    sys_links = {(s, t): c for (s, t, sd, td, c) in sys_rows if sd in docs and td in docs}
    matched, found, absent, conflicts, flagged, false_conflicts = 0, 0, 0, 0, 0, 0
    hit: set[tuple[str, str]] = set()
    for g in cross:
        if g["a"]["doc"] not in m.docs or g["b"]["doc"] not in m.docs:
            continue
        a, b = _stat_ids(conn, m, g["a"]), _stat_ids(conn, m, g["b"])
        if not a or not b:
            absent += 1
            continue
        matched += 1
        hits = {(x, y) for x in a for y in b if (x, y) in sys_links} | \
               {(y, x) for x in a for y in b if (y, x) in sys_links}
        if hits:
            found += 1
            hit |= hits
        if g["relation"] == "conflict":
            conflicts += 1
            flagged += any(sys_links[h] for h in hits)
        else:
            false_conflicts += any(sys_links[h] for h in hits)
    res = _prf(found, matched, len(hit), len(sys_links))
    res.update(absent=absent, gold_conflicts=conflicts, conflicts_flagged=flagged,
               every_conflict_flagged=flagged == conflicts, false_conflicts=false_conflicts)
    return res
