"""run_linking: recompute every row of `links` from the index (deterministic, content-derived ids)."""
from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from .claimlinks import ClaimLinker, Link, project_through_translation
from .features import load_claims
from .glossary import Glossary, load_glossary
from .metrics import load_stats, metric_pairs
from .text import Stopwords
from .translation import translation_pairs

VERSION = "0.3"
PRODUCER = f"links-rules/{VERSION}"
RELATIONS = ("translation", "addresses", "same_issue", "same_measure", "same_metric")


def load_params(models_dir: Path) -> dict[str, Any]:
    """models/linking/thresholds.json, validated (types, ranges, no unknown keys) by settings.LinkSettings."""
    from ..settings import LinkSettings

    return LinkSettings.load(models_dir).as_dict()


def link_id(relation: str, source: str, target: str) -> str:
    return hashlib.sha1(f"{relation}\x1f{source}\x1f{target}".encode("utf-8")).hexdigest()[:16]


def _jdump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def compute_links(conn: sqlite3.Connection, models_dir: Path, params: dict[str, Any] | None = None,
                  glossary: Glossary | None = None) -> list[tuple]:
    """All link rows (link_id, relation, source_id, target_id, source_doc, target_doc, score,
    conflict, evidence, producer), sorted; nothing is written."""
    params = params or load_params(models_dir)
    glossary = glossary or load_glossary(models_dir, conn)
    stop = Stopwords.load(Path(models_dir) / "linking")
    claims = load_claims(conn, glossary, stop)
    rows: dict[tuple[str, str, str], tuple] = {}

    def add(rel: str, src_id: str, tgt_id: str, sdoc: str, tdoc: str, score: float, conflict: int, ev: dict):
        if src_id == tgt_id:
            return
        # symmetric relations: one row per pair (translation keeps zh → en, addresses c → p)
        if rel not in ("addresses", "translation") and tgt_id < src_id:
            src_id, tgt_id, sdoc, tdoc = tgt_id, src_id, tdoc, sdoc
        key = (rel, src_id, tgt_id)
        score = round(float(score), 4)
        if key in rows and rows[key][6] >= score:
            return
        rows[key] = (link_id(rel, src_id, tgt_id), rel, src_id, tgt_id, sdoc, tdoc, score, int(conflict),
                     _jdump(ev), PRODUCER)

    trans = translation_pairs(claims, params.get("translation", {}))
    for zh, en, score, ev in trans:
        add("translation", zh.claim_id, en.claim_id, zh.doc_id, en.doc_id, score, 0, ev)

    if claims:
        linker = ClaimLinker(claims, glossary, params)
        claim_links: list[Link] = linker.addresses() + linker.same_issue() + linker.same_measure()
        claim_links += project_through_translation(claim_links, [(a, b) for a, b, _, _ in trans], claims)
        for l in claim_links:
            add(l.relation, l.source.claim_id, l.target.claim_id, l.source.doc_id, l.target.doc_id,
                l.score, 0, l.evidence)

    for a, b, score, conflict, ev in metric_pairs(load_stats(conn), params.get("same_metric", {})):
        add("same_metric", a.stat_id, b.stat_id, a.doc_id, b.doc_id, score, conflict, ev)
    return [rows[k] for k in sorted(rows)]


def run_linking(conn: sqlite3.Connection, settings) -> list[str]:
    """Delete and recompute all links; returns notes for the rebuild summary."""
    models_dir = Path(getattr(settings, "models_dir", Path(__file__).resolve().parents[2] / "models"))
    rows = compute_links(conn, models_dir)
    conn.execute("DELETE FROM links")
    conn.executemany("INSERT INTO links(link_id, relation, source_id, target_id, source_doc, target_doc, score,"
                     " conflict, evidence, producer) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r[1]] = counts.get(r[1], 0) + 1
    conflicts = sum(r[7] for r in rows)
    summary = ", ".join(f"{rel} {counts.get(rel, 0)}" for rel in RELATIONS)
    return [f"links ({PRODUCER}): {summary}; {conflicts} statistic conflict(s) flagged"]
