"""Scoring extracted statistics against gold (shared/gold/FORMAT.md).

Matching is by document id plus text, never offsets: a prediction matches a gold row when the doc is
the same, the spans are equal after NFKC and whitespace removal (or one span contains the other and
both start with the same number: "5个" vs "5个大类"), and the sentences are compatible (one contains
the other after normalisation, or they share most character bigrams — segmenters may split a page-broken
sentence differently). Repeated identical spans in a sentence are paired in order of appearance.

Span precision/recall: recall over gold rows of tier "core"; a prediction matched to a "borderline"
row is neither right nor wrong (left out of precision's denominator).

Attributes, over matched core rows:
- value: relative error < 1e-9 (ratios: every part);
- unit, approx: equal; modality, direction: equal, only where the gold row has the field;
- year: equal (null = null);
- subject: equal after normalisation, or naming the same gazetteer areas (成渝地区 ≈ 成渝地区双城经济圈
  ≈ 成渝两地; 陕西省 ≈ 陕西省县域); when the gold subject names no gazetteer area (a platform, a park),
  character-bigram Dice ≥ 0.5;
- metric: `normalise_metric` equal, or one contains the other and is at least half its length, or
  character-bigram Dice ≥ 0.6 (同一指标 phrased a little differently still compares).
Table cells: a gold cell is recovered when a table prediction has the same doc, caption, row header
path and column header (normalised) — or the same caption, row and cell text — with the right value;
unit, year, subject and metric are then scored among the recovered cells.
Per document: span P/R/F1, every field's accuracy among its matched core rows ("fields"), recovered
table cells.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Optional

from ..document import Document
from ..statistics.compare import compact, dice, metric_match, subject_match
from ..statistics.lexicon import Lexicon, load_lexicon

FIELDS = ("value", "unit", "approx", "modality", "direction", "year", "subject", "metric")


def document_predictions(docs: dict[str, Document]) -> list[dict]:
    """Prediction rows (the dicts `score_statistics` reads) for processed documents, without an index:
    the statistics stage is run on each (what floor tests and quick checks use)."""
    from ..statistics import annotate_statistics, load_lexicon, statistic_record

    lex = load_lexicon()
    out = []
    for doc_id, doc in sorted(docs.items()):
        if not doc.statistics:
            annotate_statistics(doc, lex)
        for st in doc.statistics:
            r = statistic_record(doc, st)
            r["doc"] = doc_id
            r["value_max"], r["base_year"] = st.value_max, st.base_year
            out.append(r)
    return out


def _value_ok(p: dict, g: dict) -> bool:
    gv, pv = g.get("value"), p.get("value")
    if gv is None:
        gp, pp = g.get("parts") or [], p.get("parts") or []
        return len(gp) == len(pp) and all(_close(a, b) for a, b in zip(pp, gp)) and pv is None
    if pv is None:
        return False
    return _close(pv, gv)


def _close(a: float, b: float) -> bool:
    if b == 0:
        return a == 0
    return abs(a - b) / abs(b) < 1e-9


_LEAD_NUM = re.compile(r"第?\s*[\d.,０-９一二三四五六七八九十百千万亿两零]+")


def _span_ok(ps: str, gs: str) -> bool:
    """Equal spans, or one inside the other with the same leading number (5个 / 5个大类)."""
    if ps == gs:
        return True
    short, long_ = sorted((ps, gs), key=len)
    if not short or short not in long_:
        return False
    a, b = _LEAD_NUM.match(short), _LEAD_NUM.match(long_)
    if a is None or b is None:
        return False
    return a.group() == b.group()


def _sent_ok(ps: str, gs: str) -> bool:
    if not ps or not gs:
        return True
    if ps in gs or gs in ps:
        return True
    return dice(ps, gs) >= 0.6


def _order_key(r: dict) -> tuple:
    return (r.get("char_start", r.get("start", 0)) or 0,)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_statistics(pred: list[dict], gold: list[dict], gold_cells: list[dict], *,
                     lexicon: Optional[Lexicon] = None, n_worst: int = 40) -> dict:
    """Span P/R/F1, attribute accuracies among matched spans, table-cell recovery, per-document
    figures and the worst errors. Only documents present in `gold`/`gold_cells` are scored."""
    lex = lexicon or load_lexicon()
    docs = {g["doc"] for g in gold} | {c["doc"] for c in gold_cells}
    ptext = [p for p in pred if p.get("doc") in docs and p.get("source", "text") == "text"]
    ptab = [p for p in pred if p.get("doc") in docs and p.get("source") == "table"]

    # ---- text statistics: pair gold rows with predictions -------------------------------------
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for p in sorted(ptext, key=_order_key):
        by_doc[p["doc"]].append(p)
    used: set[int] = set()
    pairs: list[tuple[dict, dict]] = []
    missed: list[dict] = []
    for g in sorted(gold, key=lambda r: (r["doc"], _order_key(r))):
        gs, gsent = compact(g["span"]), compact(g.get("sentence"))
        best = None
        for p in by_doc.get(g["doc"], []):
            if id(p) in used or not _sent_ok(compact(p.get("sentence")), gsent):
                continue
            ps = compact(p["span"])
            if ps == gs:
                best = p
                break
            if best is None and _span_ok(ps, gs):
                best = p
        if best is not None:
            used.add(id(best))
            pairs.append((best, g))
        else:
            missed.append(g)
    core = [g for g in gold if g.get("tier", "core") == "core"]
    tp = sum(1 for _, g in pairs if g.get("tier", "core") == "core")
    tp_border = len(pairs) - tp
    false_pos = [p for p in ptext if id(p) not in used]
    n_pred_scored = len(ptext) - tp_border
    precision = tp / n_pred_scored if n_pred_scored else 0.0
    recall = tp / len(core) if core else 0.0

    attrs = {k: [0, 0] for k in FIELDS}
    doc_attrs: dict[str, dict[str, list[int]]] = defaultdict(lambda: {k: [0, 0] for k in FIELDS})
    errors: list[dict] = []
    for p, g in pairs:
        if g.get("tier", "core") != "core":
            continue
        checks = {
            "value": _value_ok(p, g),
            "unit": p.get("unit") == g.get("unit"),
            "approx": (p.get("approx") or "exact") == (g.get("approx") or "exact"),
            "year": p.get("year") == g.get("year"),
            "subject": subject_match(p.get("subject"), g.get("subject"), lex),
            "metric": metric_match(p.get("metric"), g.get("metric"), lex),
        }
        if "modality" in g and g["modality"] is not None:
            checks["modality"] = (p.get("modality") or "actual") == g["modality"]
        if "direction" in g:
            checks["direction"] = p.get("direction") == g.get("direction")
        for k, ok in checks.items():
            attrs[k][1] += 1
            attrs[k][0] += int(ok)
            doc_attrs[g["doc"]][k][1] += 1
            doc_attrs[g["doc"]][k][0] += int(ok)
            if not ok:
                errors.append({"kind": k, "doc": g["doc"], "span": g["span"], "sentence": g.get("sentence", "")[:80],
                               "gold": g.get(k) if k != "value" else (g.get("value"), g.get("parts")),
                               "pred": p.get(k) if k != "value" else (p.get("value"), p.get("parts"))})
    accuracy = {k: (v[0] / v[1] if v[1] else None) for k, v in attrs.items()}
    counts = {k: {"right": v[0], "of": v[1]} for k, v in attrs.items()}

    # ---- table cells ----------------------------------------------------------------------
    recovered = 0
    cell_attrs = {k: [0, 0] for k in ("unit", "year", "subject", "metric")}
    doc_cells: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c in gold_cells:
        doc_cells[c["doc"]][1] += 1
    cell_errors = []
    tused: set[int] = set()
    for c in gold_cells:
        cand = None
        for p in ptab:
            if id(p) in tused or p["doc"] != c["doc"]:
                continue
            cap_ok = compact(p.get("table")) == compact(c.get("table")) or (
                compact(c.get("table")) and compact(c.get("table")) in compact(p.get("table")))
            if not cap_ok:
                continue
            if compact(p.get("row")) == compact(c.get("row")) and compact(p.get("col")) == compact(c.get("col")):
                cand = p
                break
            if cand is None and compact(p.get("row")) == compact(c.get("row")) and compact(p.get("cell")) == compact(c.get("cell")):
                cand = p
        if cand is not None:
            tused.add(id(cand))
            if _value_ok(cand, c):
                recovered += 1
                doc_cells[c["doc"]][0] += 1
                for k, ok in (("unit", cand.get("unit") == c.get("unit")), ("year", cand.get("year") == c.get("year")),
                              ("subject", subject_match(cand.get("subject"), c.get("subject"), lex)),
                              ("metric", metric_match(cand.get("metric"), c.get("metric"), lex))):
                    if k in c:
                        cell_attrs[k][1] += 1
                        cell_attrs[k][0] += int(ok)
            else:
                cell_errors.append({"kind": "cell_value", "doc": c["doc"], "span": c["cell"], "gold": c["value"],
                                    "pred": cand.get("value"), "sentence": c.get("row_text", "")})
        else:
            cell_errors.append({"kind": "cell_missed", "doc": c["doc"], "span": c["cell"], "gold": c["value"],
                                "pred": None, "sentence": c.get("row_text", "")})

    # ---- per document -----------------------------------------------------------------------
    per_doc = {}
    for d in sorted(docs):
        gd = [g for g in core if g["doc"] == d]
        tp_d = sum(1 for p, g in pairs if g["doc"] == d and g.get("tier", "core") == "core")
        bd = sum(1 for p, g in pairs if g["doc"] == d and g.get("tier", "core") != "core")
        pd = [p for p in ptext if p["doc"] == d]
        pr = tp_d / (len(pd) - bd) if len(pd) - bd > 0 else 0.0
        rc = tp_d / len(gd) if gd else 0.0
        per_doc[d] = {"gold_core": len(gd), "pred": len(pd), "matched": tp_d, "precision": pr, "recall": rc,
                      "f1": _f1(pr, rc),
                      "fields": {k: (v[0] / v[1] if v[1] else None) for k, v in doc_attrs[d].items()},
                      "field_counts": {k: {"right": v[0], "of": v[1]} for k, v in doc_attrs[d].items() if v[1]}}
        if doc_cells[d][1]:
            per_doc[d]["table_cells"] = {"recovered": doc_cells[d][0], "gold": doc_cells[d][1]}

    worst = ([{"kind": "missed", "doc": g["doc"], "span": g["span"], "sentence": g.get("sentence", "")[:80],
               "gold": g.get("value"), "pred": None} for g in missed if g.get("tier", "core") == "core"] +
             [{"kind": "false_positive", "doc": p["doc"], "span": p["span"], "sentence": (p.get("sentence") or "")[:80],
               "gold": None, "pred": p.get("value")} for p in false_pos] +
             [e for e in errors if e["kind"] == "value"] + cell_errors +
             [e for e in errors if e["kind"] not in ("value",)])
    return {
        "span": {"precision": precision, "recall": recall, "f1": _f1(precision, recall), "gold_core": len(core),
                 "gold_borderline": len(gold) - len(core), "pred": len(ptext), "matched_core": tp,
                 "matched_borderline": tp_border},
        "accuracy": accuracy,
        "counts": counts,
        "table_cells": {"gold": len(gold_cells), "recovered": recovered,
                        "recovery": recovered / len(gold_cells) if gold_cells else None, "pred": len(ptab),
                        "fields": {k: (v[0] / v[1] if v[1] else None) for k, v in cell_attrs.items()}},
        "per_doc": per_doc,
        "worst": worst[:n_worst],
        "n_errors": len(worst),
    }
