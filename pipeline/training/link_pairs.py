"""Train the links stage's pair classifier (models/linking/pairs.json) on gold cross-document links.

    python -m pipeline.training.link_pairs --index outputs/dev.sqlite --gold ../shared/gold/dev
    python -m pipeline.training.link_pairs --index IDX --gold DIR --save-to models   # ship it

Examples: every candidate pair (pairs.py features) between two documents of the gold's
cross-document links; positive when the gold links its two sentences with that relation.
Logistic regression (scikit-learn, class-balanced, L2), decision threshold chosen on the training
folds. Held-out figures: leave one document pair out (train on the other pairs, score the pairs of
the held-out one), printed next to the rules' figures on the same folds.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import numpy as np

from ..gold import load_jsonl
from ..gold.matching import SentenceMatcher
from ..linking.crossdoc import CANDIDATE_FLOOR, SPECS, candidates, pair_features, shared_classes
from ..linking.features import load_claims
from ..linking.pairs import FEATURES, PairModel
from ..linking.space import ClaimSpace
from ..linking.stage import LinkStage
from ..settings import DEFAULT_MODELS

VERSION = "pairs-lr/1"


def examples(conn: sqlite3.Connection, gold_dir: Path, models_dir: Path) -> dict[str, Any]:
    """Feature rows, labels, relation and document pair of every candidate among the gold's documents."""
    stage = LinkStage(conn, models_dir)
    gold = [g for g in load_jsonl(gold_dir / "links.jsonl") if g["a"]["doc"] != g["b"]["doc"]
            and g["relation"] in SPECS]
    m = SentenceMatcher(conn)
    docs = sorted({g[s]["doc"] for g in gold for s in ("a", "b")} & m.docs)
    space = ClaimSpace(stage.stats, vectors=stage.vectors)
    for d in docs:
        space.add(load_claims(conn, stage.glossary, stage.stop, d))
    space.finish()
    claims_of: dict[str, list[str]] = {}
    for cid, sid in conn.execute("SELECT claim_id, sentence_id FROM claims"):
        claims_of.setdefault(sid, []).append(cid)
    row_of = {r.claim_id: k for k, r in enumerate(space.rows)}
    positive: set[tuple[str, int, int]] = set()
    for g in gold:
        if g["a"]["doc"] not in docs or g["b"]["doc"] not in docs:
            continue
        ra = [row_of[c] for s in m.ids(g["a"]["doc"], g["a"]["text"]) for c in claims_of.get(s, []) if c in row_of]
        rb = [row_of[c] for s in m.ids(g["b"]["doc"], g["b"]["text"]) for c in claims_of.get(s, []) if c in row_of]
        for a in ra:
            for b in rb:
                positive.add((g["relation"], a, b))
                if g["relation"] != "addresses":
                    positive.add((g["relation"], b, a))
    xs, ys, rels, pairs = [], [], [], []
    for rel, spec in SPECS.items():
        cand = candidates(space, spec, CANDIDATE_FLOOR, None)
        shared = shared_classes(space, cand)
        x = pair_features(space, rel, cand, shared)
        for k, (i, j) in enumerate(zip(cand.i.tolist(), cand.j.tolist())):
            xs.append(x[k])
            ys.append(int((rel, i, j) in positive))
            rels.append(rel)
            pairs.append(tuple(sorted((space.doc_ids[space.rows[i].doc], space.doc_ids[space.rows[j].doc]))))
    n_gold = sum(1 for g in gold if g["a"]["doc"] in docs and g["b"]["doc"] in docs)
    return {"x": np.array(xs).reshape(-1, len(FEATURES)), "y": np.array(ys), "relation": rels, "pair": pairs,
            "gold": n_gold, "found_by_candidates": len({p for p in positive}), "docs": docs,
            "sim": np.array([row[0] for row in xs]) if xs else np.zeros(0)}


def fit(x: np.ndarray, y: np.ndarray, c: float = 0.01) -> PairModel:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    lr.fit((x - mean) / scale, y)
    model = PairModel(lr.coef_[0].tolist(), float(lr.intercept_[0]), mean.tolist(), scale.tolist())
    # the threshold that maximises F1 on the training examples
    p = model.proba(x)
    best = (0.0, 0.5)
    for t in np.unique(np.round(p, 3)):
        pred = p >= t
        tp = int((pred & (y == 1)).sum())
        f = 2 * tp / (pred.sum() + y.sum()) if pred.sum() + y.sum() else 0.0
        best = max(best, (f, float(t)))
    model.threshold = best[1]
    return model


def _prf(pred: np.ndarray, y: np.ndarray) -> dict[str, float]:
    tp = int((pred & (y == 1)).sum())
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / y.sum() if y.sum() else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "positives": int(y.sum()), "predicted": int(pred.sum())}


def held_out(ex: dict[str, Any], rules: dict[str, Any]) -> dict[str, Any]:
    """Leave one document pair out: the classifier against the rules, pooled over the folds."""
    x, y = ex["x"], ex["y"]
    pairs = sorted(set(ex["pair"]))
    pred_m = np.zeros(len(y), bool)
    for hold in pairs:
        test = np.array([p == hold for p in ex["pair"]])
        if y[~test].sum() < 2:
            continue  # not enough positives to train without this pair
        model = fit(x[~test], y[~test])
        pred_m[test] = model.proba(x[test]) >= model.threshold
    # the rules on the same candidates (thresholds.json: similarity, class band, mutual, best)
    pred_r = np.zeros(len(y), bool)
    col = {f: k for k, f in enumerate(FEATURES)}
    for k, rel in enumerate(ex["relation"]):
        p = rules[rel]
        sim, shared = x[k, col["similarity"]], x[k, col["shared_class"]] > 0
        ok = sim >= p["cross_doc_min"] or (shared and sim >= p.get("cross_doc_class_min", 2.0))
        if p.get("mutual"):
            ok = ok and x[k, col["mutual"]] > 0
        pred_r[k] = ok and x[k, col["best"]] > 0
    out = {"classifier": _prf(pred_m, y), "rules": _prf(pred_r, y), "folds": [list(p) for p in pairs]}
    for rel in sorted(set(ex["relation"])):
        sel = np.array([r == rel for r in ex["relation"]])
        out[rel] = {"classifier": _prf(pred_m[sel], y[sel]), "rules": _prf(pred_r[sel], y[sel])}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="train the links pair classifier on gold cross-document links",
                                 epilog="example: python -m pipeline.training.link_pairs --index outputs/dev.sqlite "
                                        "--gold ../shared/gold/dev --save-to models")
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--models", type=Path, default=DEFAULT_MODELS)
    ap.add_argument("--save-to", type=Path, default=None, help="models dir to write linking/pairs.json into")
    a = ap.parse_args(argv)
    if not a.index.exists() or not (a.gold / "links.jsonl").exists():
        print(f"Error: need an index ({a.index}) and {a.gold}/links.jsonl", file=sys.stderr)
        return 2
    conn = sqlite3.connect(str(a.index))
    ex = examples(conn, a.gold, a.models)
    if ex["y"].sum() < 3:
        print("Error: fewer than 3 gold cross-document pairs among the candidates; nothing to learn", file=sys.stderr)
        return 2
    stage = LinkStage(conn, a.models)
    report = held_out(ex, stage.params)
    model = fit(ex["x"], ex["y"])
    h = hashlib.sha256((a.gold / "links.jsonl").read_bytes()).hexdigest()
    model.meta = {"version": VERSION, "gold_links_sha256": h, "documents": ex["docs"], "examples": int(len(ex["y"])),
                  "positives": int(ex["y"].sum()), "held_out": report,
                  "rebuild": "python -m pipeline.training.link_pairs --index IDX --gold DIR --save-to models"}
    print(json.dumps({"examples": len(ex["y"]), "positives": int(ex["y"].sum()), "held_out": report,
                      "threshold": model.threshold}, ensure_ascii=False, indent=1))
    if a.save_to:
        print("saved", model.save(a.save_to))
    return 0


if __name__ == "__main__":
    sys.exit(main())
