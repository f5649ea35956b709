"""Score claim labels against a gold claims.jsonl, and leave-one-document-out evaluation.

Matching is by document id plus text (pipeline.gold.matching), never by offsets. Counting is
per gold sentence: a gold sentence takes the label of the system sentence covering most of it, or
"missed" when none does. System sentences that overlap no gold sentence are "spurious" (the system
called something a claim that the gold does not: a heading, a footnote…) and count as false
positives for their label.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

from pipeline.gold.matching import best_match, match_sentences
from pipeline.tagging.claims import ClaimTagger

LABELS = ("problem", "countermeasure", "achievement", "background")
MACRO_LABELS = ("problem", "countermeasure", "achievement")
MISSED = "missed"


def load_gold_claims(gold_dir: Path) -> list[dict]:
    path = Path(gold_dir) / "claims.jsonl"
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "fp": fp, "fn": fn, "support": tp + fn}


def _group(rows: Iterable[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[r["doc"]].append(r)
    return out


def _metrics(pairs: list[tuple[str, str]], spurious: list[str]) -> dict[str, Any]:
    """pairs: (gold label, predicted label or MISSED); spurious: labels of unmatched predictions."""
    per_label = {}
    for lab in LABELS:
        tp = sum(1 for g, p in pairs if g == lab and p == lab)
        fp = sum(1 for g, p in pairs if g != lab and p == lab) + sum(1 for s in spurious if s == lab)
        fn = sum(1 for g, p in pairs if g == lab and p != lab)
        per_label[lab] = _prf(tp, fp, fn)
    present = [lab for lab in MACRO_LABELS if per_label[lab]["support"] or per_label[lab]["fp"]]
    macro = sum(per_label[lab]["f1"] for lab in MACRO_LABELS) / len(MACRO_LABELS)
    macro_present = (sum(per_label[lab]["f1"] for lab in present) / len(present)) if present else 0.0
    correct = sum(1 for g, p in pairs if g == p)
    return {
        "n_gold": len(pairs),
        "n_missed": sum(1 for _, p in pairs if p == MISSED),
        "n_spurious": len(spurious),
        "accuracy": round(correct / len(pairs), 4) if pairs else 0.0,
        "per_label": per_label,
        "macro_f1": round(macro, 4),  # over problem, countermeasure, achievement
        # the same over only the labels that occur in gold or prediction (small documents)
        "macro_f1_present": round(macro_present, 4),
    }


def score_claims(pred: list[dict], gold: list[dict], worst: int = 15) -> dict[str, Any]:
    """Score predicted claims (rows: doc, text, label, secondary[, confidence, evidence]).

    Only documents that appear in the gold are scored; predictions for other documents are
    counted in `ignored_pred_docs`. Returns overall and per-document metrics, the confusion matrix
    (gold label -> predicted label, including "missed"), secondary-label precision/recall and the
    highest-confidence errors.
    """
    gold_by_doc = _group(gold)
    pred_by_doc = _group(pred)
    all_pairs: list[tuple[str, str]] = []
    all_spurious: list[str] = []
    sec_tp = sec_fp = sec_fn = 0
    per_doc: dict[str, Any] = {}
    errors: list[dict] = []
    confusion: dict[str, Counter] = {lab: Counter() for lab in LABELS}
    for doc, grows in gold_by_doc.items():
        prows = pred_by_doc.get(doc, [])
        mapping = match_sentences([g["text"] for g in grows], [p["text"] for p in prows])
        used: set[int] = set()
        pairs = []
        for gi, g in enumerate(grows):
            used.update(o.system_index for o in mapping[gi])
            si = best_match(mapping[gi])
            if si is None:
                pairs.append((g["label"], MISSED))
                continue
            p = prows[si]
            pairs.append((g["label"], p["label"]))
            gsec = set(g.get("also") or [])
            psec = set(p.get("secondary") or [])
            sec_tp += len(gsec & psec)
            sec_fp += len(psec - gsec)
            sec_fn += len(gsec - psec)
            if p["label"] != g["label"]:
                errors.append({"doc": doc, "text": g["text"], "gold": g["label"],
                               "pred": p["label"], "confidence": p.get("confidence"),
                               "section": g.get("section", ""), "evidence": p.get("evidence")})
        spurious = [prows[i]["label"] for i in range(len(prows)) if i not in used]
        for g_lab, p_lab in pairs:
            confusion.setdefault(g_lab, Counter())[p_lab] += 1
        per_doc[doc] = _metrics(pairs, spurious)
        all_pairs.extend(pairs)
        all_spurious.extend(spurious)
    errors.sort(key=lambda e: -(e["confidence"] or 0.0))
    out = _metrics(all_pairs, all_spurious)
    out["confusion"] = {g: dict(c) for g, c in confusion.items()}
    out["secondary"] = _prf(sec_tp, sec_fp, sec_fn)
    out["per_document"] = per_doc
    out["worst_errors"] = errors[:worst]
    out["ignored_pred_docs"] = sorted(set(pred_by_doc) - set(gold_by_doc))
    return out


def claims_to_rows(doc: Any, claims: list[Any]) -> list[dict]:
    """Prediction rows for score_claims from a tagged Document and its Claims."""
    by_index = {s.index: s for s in doc.sentences}
    rows = []
    for c in claims:
        s = by_index[c.sentence_index]
        rows.append({"doc": doc.doc_id, "text": s.text, "label": c.label,
                     "secondary": list(c.secondary), "confidence": c.confidence,
                     "evidence": c.evidence})
    return rows


def loo_evaluate(gold_dir: Path, docs: dict[str, Any], corrections: list[dict] | None = None,
                 trainer: Any = None) -> dict[str, Any]:
    """Leave-one-document-out: for each gold document present in `docs`, train without it (its
    gold rows, its corrections and the weak labels of its text are all left out: the lexicons and
    labelling functions stay frozen), tag it, score it.

    No document is ever scored by a model that saw it. Gold documents missing from `docs` are
    listed under `skipped`. `trainer`: a ready pipeline.training.claims.ClaimTrainer (reused).
    """
    from pipeline.training.claims import ClaimTrainer

    gold = load_gold_claims(gold_dir)
    gold_docs = list(dict.fromkeys(r["doc"] for r in gold))
    corrections = corrections or []
    held = [d for d in gold_docs if d in docs]
    skipped = [d for d in gold_docs if d not in docs]
    trainer = trainer or ClaimTrainer(gold, corrections, docs)
    all_pred: list[dict] = []
    per_fold: dict[str, Any] = {}
    for d in held:
        model = trainer.fit({d})
        tagger = ClaimTagger.from_model(model, trainer.lexicon_dir)
        rows = claims_to_rows(docs[d], tagger.tag_document(docs[d]))
        all_pred.extend(rows)
        per_fold[d] = score_claims(rows, [g for g in gold if g["doc"] == d])
    overall = score_claims(all_pred, [g for g in gold if g["doc"] in held])
    return {"overall": overall, "folds": per_fold, "skipped": skipped, "predictions": all_pred}
