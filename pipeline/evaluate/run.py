"""`litmine evaluate`: score an index against a gold directory (claims, statistics, links).

Gold documents that are not in the index are named and skipped. Claims are scored
leave-one-document-out whenever the shipped model was trained on the same gold, so no document is
ever scored by a model that saw it.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from ..gold import GOLD_FILES, check_gold_dir, load_jsonl
from ..index import rows, schema
from ..settings import Settings
from .claims import loo_evaluate, score_claims
from .links import score_links
from .statistics import score_statistics


def _index_docs(index: Path) -> tuple[sqlite3.Connection, dict[str, rows.DocumentRow]]:
    conn = schema.open_index(index)
    return conn, {d.doc_id: d for d in rows.iter_documents(conn)}


def evaluate(index: Path, gold_dir: Path, settings: Settings | None = None) -> dict[str, Any]:
    """Python twin of `litmine evaluate`."""
    settings = settings or Settings()
    check_gold_dir(gold_dir)
    conn, docs = _index_docs(index)
    report: dict[str, Any] = {"index": str(index), "gold": str(gold_dir)}
    gold_docs: set[str] = set()
    for f in GOLD_FILES:
        for r in load_jsonl(gold_dir / f):
            if "doc" in r:
                gold_docs.add(r["doc"])
            for side in ("a", "b"):
                if isinstance(r.get(side), dict) and "doc" in r[side]:
                    gold_docs.add(r[side]["doc"])
    report["documents_scored"] = sorted(gold_docs & set(docs))
    report["documents_skipped"] = sorted(gold_docs - set(docs))

    claims_gold = load_jsonl(gold_dir / "claims.jsonl")
    if claims_gold:
        report["claims"] = _evaluate_claims(conn, docs, gold_dir, claims_gold, settings)
    stats_gold = load_jsonl(gold_dir / "stats.jsonl")
    cells_gold = load_jsonl(gold_dir / "table_cells.jsonl")
    if stats_gold or cells_gold:
        report["statistics"] = _evaluate_stats(conn, docs, stats_gold, cells_gold)
    if (gold_dir / "links.jsonl").exists() or (gold_dir / "cross_source.jsonl").exists():
        report["links"] = score_links(conn, gold_dir)
    conn.close()
    return report


def _evaluate_claims(conn: sqlite3.Connection, docs: dict[str, rows.DocumentRow], gold_dir: Path, gold: list[dict[str, Any]],
                     settings: Settings) -> dict[str, Any]:
    from ..build import DocumentProcessor

    wanted = sorted({r["doc"] for r in gold} & set(docs))
    if not wanted:
        return {"note": "no gold document is in the index"}
    # Re-read the gold documents (structure + sentences) so the classifier can be retrained without each.
    proc = DocumentProcessor(settings.replace(stages=()))
    processed = {d: proc.process(Path(docs[d].path), doc_id=d) for d in wanted}
    result = loo_evaluate(gold_dir, processed, corrections=list(rows.iter_corrections(conn)))
    result["loo"] = True
    # Pooled figures per genre: a single paper often lacks a label, so per-document macro-F1 misleads.

    preds = result.get("predictions") or []
    groups: dict[str, Any] = {}
    english = {d for d in processed if all(r.get("lang") == "en" for r in gold if r["doc"] == d)}
    for name, is_member in (("papers", lambda d: not _is_report(d) and d not in english),
                            ("government work reports", _is_report),
                            ("English texts", lambda d: d in english)):
        g = [r for r in gold if r["doc"] in processed and is_member(r["doc"])]
        if g:
            p = [r for r in preds if is_member(r["doc"])]
            groups[name] = score_claims(p, g)
    result["groups"] = {k: {"macro_f1": v["macro_f1"], "accuracy": v.get("accuracy"), "n": v.get("n_gold")}
                        for k, v in groups.items()}
    return result


def _is_report(doc_id: str) -> bool:
    return "政府工作报告" in doc_id or "work_report" in doc_id.lower()


def _evaluate_stats(conn: sqlite3.Connection, docs: dict[str, rows.DocumentRow], gold: list[dict[str, Any]],
                    cells: list[dict[str, Any]]) -> dict[str, Any]:
    wanted = set(docs)
    pred = []
    conn.row_factory = sqlite3.Row
    for r in conn.execute(
            "SELECT st.*, s.text AS sentence, c.text AS cell_text, c.row_header, c.col_header, t.caption"
            " FROM statistics st LEFT JOIN sentences s ON s.sentence_id = st.sentence_id"
            " LEFT JOIN cells c ON c.cell_id = st.cell_id LEFT JOIN tables t ON t.table_id = c.table_id"
            " ORDER BY st.doc_id, st.start"):
        d = dict(r)
        d["doc"] = d["doc_id"]
        d["parts"] = json.loads(d["parts"] or "[]")
        d["flags"] = json.loads(d["flags"] or "[]")
        if d["source"] == "table":
            d["table"], d["row"], d["col"], d["cell"] = d["caption"], d["row_header"], d["col_header"], d["cell_text"]
        pred.append(d)
    gold_in = [g for g in gold if g["doc"] in wanted]
    cells_in = [g for g in cells if g["doc"] in wanted]
    return score_statistics(pred, gold_in, cells_in)


def format_report(report: dict[str, Any]) -> str:
    lines = [f"Gold: {report['gold']}   Index: {report['index']}",
             f"Scored documents: {', '.join(report['documents_scored']) or 'none'}"]
    if report["documents_skipped"]:
        lines.append(f"Skipped (not in the index): {', '.join(report['documents_skipped'])}")
    c = report.get("claims")
    if c and "per_label" in c.get("overall", c):
        o = c.get("overall", c)
        lines.append("\nClaims (leave-one-document-out)" if c.get("loo") else "\nClaims")
        for lab, m in o["per_label"].items():
            lines.append(f"  {lab:<15} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  (n={m.get('support', '')})")
        lines.append(f"  macro-F1 (problem, countermeasure, achievement): {o['macro_f1']:.3f}")
        for group, m in (c.get("groups") or {}).items():
            lines.append(f"  {group} (pooled): macro-F1 {m['macro_f1']:.3f}  accuracy {m['accuracy']:.3f}  n={m['n']}")
        for doc, m in (o.get("per_document") or {}).items():
            lines.append(f"  {doc}: accuracy {m.get('accuracy', 0):.3f}  macro-F1 {m['macro_f1']:.3f}"
                         f" (over labels present {m.get('macro_f1_present', m['macro_f1']):.3f})")
    elif c:
        lines.append(f"\nClaims: {c.get('note', '')}")
    s = report.get("statistics")
    if s:
        lines.append("\nStatistics")
        span = s.get("span", {})
        lines.append(f"  span P {span.get('precision', 0):.3f}  R {span.get('recall', 0):.3f}  F1 {span.get('f1', 0):.3f}")
        counts = s.get("counts") or {}
        for k, v in (s.get("accuracy") or {}).items():
            c = counts.get(k, {})
            shown = f"{v:.3f}" if isinstance(v, (int, float)) else "n/a"
            lines.append(f"  {k:<10} {shown}  ({c.get('right', '?')}/{c.get('of', '?')} matched spans)")
        if "table_cells" in s:
            tc = s["table_cells"]
            tf = "".join(f", {k} {v:.3f}" for k, v in (tc.get("fields") or {}).items() if v is not None)
            lines.append(f"  table cells recovered {tc.get('recovery') or 0:.3f} ({tc.get('recovered')}/{tc.get('gold')})"
                         + (f"; among them{tf[1:]}" if tf else ""))
        lines.append("  per document (rules: nothing in statistics is fitted on the gold; the metric lexicon is"
                     " learned from unlabelled text without the dev gold documents):")
        for doc, m in (s.get("per_doc") or {}).items():
            fields = " ".join(f"{k} {v:.2f}" for k, v in (m.get("fields") or {}).items() if v is not None)
            cells = m.get("table_cells")
            lines.append(f"  {doc}: span F1 {m.get('f1', 0):.3f}  (gold {m.get('gold_core')}, system {m.get('pred')})"
                         f"  {fields}" + (f"  cells {cells['recovered']}/{cells['gold']}" if cells else ""))
    lk = report.get("links")
    if lk:
        lines.append("\nLinks")
        for rel, m in (lk.get("relations") or {}).items():
            lines.append(f"  {rel:<13} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}"
                         f"  (gold {m.get('gold', '')}, system {m.get('system', '')})")
            if "gold_conflicts" in m:
                lines.append(f"  {'':<13} gold conflicts {m['gold_conflicts']}, flagged {m.get('conflicts_flagged')},"
                             f" false conflicts {m.get('false_conflicts')}")
        if lk.get("missing_docs"):
            lines.append(f"  skipped (not in the index): {', '.join(lk['missing_docs'])}")
    lines += ["", "Summary"] + summary_lines(report)
    return "\n".join(lines)


def summary_lines(report: dict[str, Any]) -> list[str]:
    """The headline figures, one line per area (also the end of the text report)."""
    out = []
    c = report.get("claims") or {}
    if "overall" in c:
        groups = "; ".join(f"{g} {m['macro_f1']:.3f}" for g, m in (c.get("groups") or {}).items())
        out.append(f"  claims macro-F1 {c['overall']['macro_f1']:.3f} (LOO){'; ' + groups if groups else ''}")
    s = report.get("statistics") or {}
    if s:
        acc = s.get("accuracy") or {}
        fmt = lambda k: f"{acc[k]:.3f}" if isinstance(acc.get(k), (int, float)) else "n/a"  # noqa: E731
        tc = s.get("table_cells") or {}
        out.append(f"  statistics span F1 {s.get('span', {}).get('f1', 0):.3f}; value {fmt('value')}, year {fmt('year')},"
                   f" subject {fmt('subject')}, metric {fmt('metric')}; table cells {tc.get('recovered')}/{tc.get('gold')}")
    rel = (report.get("links") or {}).get("relations") or {}
    if rel:
        out.append("  links F1 " + ", ".join(f"{r} {m['f1']:.3f}" for r, m in rel.items()))
    return out
