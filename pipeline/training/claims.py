"""Training the claim classifier (`litmine train`, leave-one-document-out folds in evaluate/).

Gold rows (plus the user's corrections) are matched to the sentences of their documents to get the
same context the tagger sees (section path, rule scores), then a logistic regression over TF-IDF
terms and the rule features is fitted and written as model.json + meta.json (with the training
data's sha256) beside a copy of the lexicons it was trained with.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np

from ..document.model import Document, Sentence
from ..gold.documents import build_gold_documents
from ..gold.matching import best_match, match_sentences, normalize
from ..tagging import rules as R
from ..tagging.claims import (DENSE_NAMES, DEFAULT_MODEL_WEIGHT, LABELS, META_FILE, MODEL_FILE, PRODUCER, VERSION,
                              Context, Featurizer, dense_features, document_contexts, text_terms)
from ..tagging.lexicon import Lexicon


def _sha256_rows(rows: list[dict]) -> str:
    h = hashlib.sha256()
    for r in rows:
        h.update(json.dumps(r, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def _training_examples(gold: list[dict], corrections: list[dict], docs: dict[str, Document],
                       cues: Lexicon, headings: Lexicon, params: R.RuleParams
                       ) -> tuple[list[Context], list[str], list[str], list[str]]:
    """(contexts, texts, labels, doc ids): gold rows with the context of their matched sentence; corrections
    replace the label of the gold row they match, or are added as new rows."""
    rows = [dict(r) for r in gold]
    by_key = {(r["doc"], normalize(r["text"])): r for r in rows}
    for c in corrections:
        key = (c["doc"], normalize(c["text"]))
        if key in by_key:
            by_key[key]["label"] = c["label"]
        else:
            nr = {"doc": c["doc"], "text": c["text"], "label": c["label"],
                  "lang": c.get("lang") or ("en" if re.match(r"^[\x00-\x7f]*$", c["text"]) else "zh"),
                  "section": c.get("section", "")}
            rows.append(nr)
            by_key[key] = nr
    missing = [r for r in rows if r["doc"] not in docs]
    all_docs = dict(docs)
    all_docs.update(build_gold_documents(missing) if missing else {})
    ctxs, texts, labels, doc_ids = [], [], [], []
    by_doc: dict[str, list[dict]] = {}
    for r in rows:
        by_doc.setdefault(r["doc"], []).append(r)
    for doc_id, drows in by_doc.items():
        doc = all_docs[doc_id]
        dctx = document_contexts(doc, cues, headings, params)
        mapping = match_sentences([r["text"] for r in drows], [c.sentence.text for c in dctx])
        for i, r in enumerate(drows):
            si = best_match(mapping[i])
            if si is None:
                s = Sentence(0, 0, r["text"], "body", r.get("lang", "zh"), None,
                             [r["section"]] if r.get("section") else [], -1)
                sec = R.inherit_section(s.section_path, headings, cues)
                ctx = Context(s, R.score_sentence(s.text, s.kind, sec, cues, params), "paper", False)
            else:
                base = dctx[si]
                s = Sentence(base.sentence.start, base.sentence.end, r["text"], base.sentence.kind,
                             r.get("lang", base.sentence.lang), base.sentence.page,
                             base.sentence.section_path, base.sentence.block_index)
                ctx = Context(s, base.rule, base.genre, base.carry)
            ctxs.append(ctx)
            texts.append(r["text"])
            labels.append(r["label"])
            doc_ids.append(doc_id)
    return ctxs, texts, labels, doc_ids


def train_claims(gold_dir: Path, corrections: list[dict], out_dir: Path,
                 docs: dict[str, Document] | None = None, exclude_docs: list[str] | None = None,
                 model_weight: float = DEFAULT_MODEL_WEIGHT, C: float = 1.0) -> dict:
    """Train the claim model on gold_dir/claims.jsonl (+ corrections) and write out_dir/model.json,
    meta.json and a copy of the lexicons it was trained with. Returns the metadata.

    docs: Documents giving the gold sentences their real context (section paths, paragraphs); gold
    documents not in it are rebuilt from their source text (pipeline.gold.documents).
    exclude_docs: gold documents to leave out (leave-one-document-out evaluation).
    """
    from sklearn.linear_model import LogisticRegression

    gold_dir, out_dir = Path(gold_dir), Path(out_dir)
    gold_path = gold_dir / "claims.jsonl"
    gold_bytes = gold_path.read_bytes()
    gold = [json.loads(l) for l in gold_bytes.decode("utf-8").splitlines() if l.strip()]
    exclude = set(exclude_docs or [])
    gold = [g for g in gold if g["doc"] not in exclude]
    corrections = [c for c in (corrections or []) if c.get("doc") not in exclude]
    lex_src = R.DEFAULT_MODELS_DIR if not (out_dir / "cues.tsv").exists() else out_dir
    cues, headings = R.load_rule_lexicons(lex_src)
    params = R.RuleParams()
    ctxs, texts, labels, doc_ids = _training_examples(gold, corrections, docs or {}, cues, headings, params)

    term_lists = [text_terms(t, c.sentence.lang) for t, c in zip(texts, ctxs)]
    feat = Featurizer.fit(term_lists, min_df=2, dense_scale=1.0)
    X = feat.transform(term_lists, [dense_features(c) for c in ctxs])
    y = np.asarray(labels)
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=5000, random_state=0)
    clf.fit(X, y)
    classes = [str(c) for c in clf.classes_]
    coef = np.zeros((len(LABELS), X.shape[1]))
    intercept = np.full(len(LABELS), -30.0)  # a label absent from training is never predicted
    if len(classes) == 2:  # sklearn's binary case: one row for the positive class
        coef[LABELS.index(classes[1])] = clf.coef_[0]
        intercept[LABELS.index(classes[1])] = clf.intercept_[0]
        intercept[LABELS.index(classes[0])] = 0.0
    else:
        for i, c in enumerate(classes):
            coef[LABELS.index(c)] = clf.coef_[i]
            intercept[LABELS.index(c)] = clf.intercept_[i]

    training_rows = [{"doc": d, "text": t, "label": lab} for d, t, lab in zip(doc_ids, texts, labels)]
    meta = {
        "producer": PRODUCER,
        "sha256": _sha256_rows(training_rows),
        "gold_file": gold_path.name,
        "gold_file_sha256": hashlib.sha256(gold_bytes).hexdigest(),
        "corrections_sha256": _sha256_rows(corrections),
        "n_rows": len(labels),
        "n_corrections": len(corrections),
        "excluded_docs": sorted(exclude),
        "docs": sorted({g["doc"] for g in gold}),
        "label_counts": dict(sorted(Counter(labels).items())),
        "n_features": int(X.shape[1]),
        "n_text_features": len(feat.vocab),
        "C": C,
        "model_weight": model_weight,
        "random_state": 0,
    }
    model = {
        "version": VERSION,
        "labels": list(LABELS),
        "vocab": feat.vocab,
        "idf": [round(float(x), 6) for x in feat.idf],
        "dense_names": DENSE_NAMES,
        "dense_scale": feat.dense_scale,
        "coef": [[round(float(x), 6) for x in row] for row in coef],
        "intercept": [round(float(x), 6) for x in intercept],
        "model_weight": model_weight,
        "rule_params": params.as_dict(),
        "training": meta,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MODEL_FILE).write_text(json.dumps(model, ensure_ascii=False, sort_keys=True) + "\n",
                                      encoding="utf-8")
    (out_dir / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
                                     encoding="utf-8")
    if lex_src.resolve() != out_dir.resolve():
        for name in ("cues.tsv", "headings.tsv"):
            (out_dir / name).write_bytes((lex_src / name).read_bytes())
    return meta
