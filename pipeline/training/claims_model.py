"""Fit the claim classifier: weak labels over the shared corpora + gold rows + user corrections.

Examples are collected per document, so a held-out document (leave-one-document-out) is removed
from everything: its gold rows, its corrections and its weak labels. Each weakly labelled sentence
is used twice at half weight, once with its section features and once without, so the model has to
learn what the sentence itself says (a report whose parts have no recognisable headings, a
problem stated under a "significance" heading) as well as what its section usually holds.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from pipeline.document.model import Document
from pipeline.evaluate.matching import best_match, match_sentences
from pipeline.tagging import rules as R
from pipeline.tagging.context import document_contexts
from pipeline.tagging.features import context_terms, drop_section, text_terms
from pipeline.tagging.lexicon import Lexicon
from pipeline.training.claims_corpus import CorpusDoc
from pipeline.training.claims_weak import WeakRules, weak_labels

LABELS = R.LABELS
# Total weight each weak source contributes, relative to its number of examples: no source may
# drown the others (the work reports alone give ~30k sentences).
SOURCE_WEIGHT = {"reports": 1.0, "policy": 0.5, "papers": 2.0, "abstracts": 1.0, "english": 1.0}
GOLD_WEIGHT = 3.0


@dataclass
class Examples:
    terms: list[list[str]] = field(default_factory=list)
    context: list[list[str]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)
    origin: list[str] = field(default_factory=list)  # weak:<source>:<function> | gold | correction

    def add(self, terms: list[str], ctx: list[str], label: str, weight: float, doc: str, origin: str) -> None:
        self.terms.append(terms)
        self.context.append(ctx)
        self.labels.append(label)
        self.weights.append(weight)
        self.docs.append(doc)
        self.origin.append(origin)

    def without(self, doc_ids: set[str]) -> "Examples":
        keep = [i for i, d in enumerate(self.docs) if d not in doc_ids]
        out = Examples()
        for i in keep:
            out.add(self.terms[i], self.context[i], self.labels[i], self.weights[i], self.docs[i], self.origin[i])
        return out


def weak_examples(corpus: list[CorpusDoc], cues: Lexicon, headings: Lexicon, rules: WeakRules,
                  skip_docs: set[str]) -> Examples:
    ex = Examples()
    for cd in corpus:
        if cd.doc.doc_id in skip_docs:
            continue
        ctxs = document_contexts(cd.doc, cues, headings)
        labelled = [(c, lab, lf) for c, (lab, lf) in zip(ctxs, weak_labels(ctxs, cd.source, rules, cd.annotations))
                    if lab is not None]
        if not labelled:
            continue
        w = SOURCE_WEIGHT.get(cd.source, 1.0)
        for c, lab, lf in labelled:
            terms = text_terms(c.sentence.text, c.sentence.lang)
            ctx = context_terms(c)
            ex.add(terms, ctx, lab, 0.5 * w, cd.doc.doc_id, f"weak:{cd.source}:{lf}")
            ex.add(terms, drop_section(ctx), lab, 0.5 * w, cd.doc.doc_id, f"weak:{cd.source}:{lf}")
    return ex


def gold_examples(rows: list[dict], docs: dict[str, Document], cues: Lexicon, headings: Lexicon,
                  weight: float = GOLD_WEIGHT, origin: str = "gold") -> Examples:
    """Gold (or correction) rows with the context of the sentence they match in their document;
    rows whose document is not given are used with their text alone."""
    ex = Examples()
    by_doc: dict[str, list[dict]] = {}
    for r in rows:
        by_doc.setdefault(r["doc"], []).append(r)
    for doc_id, drows in by_doc.items():
        doc = docs.get(doc_id)
        ctxs = document_contexts(doc, cues, headings) if doc is not None else []
        mapping = match_sentences([r["text"] for r in drows], [c.sentence.text for c in ctxs])
        for i, r in enumerate(drows):
            si = best_match(mapping[i]) if ctxs else None
            lang = r.get("lang") or ("en" if r["text"].isascii() else "zh")
            terms = text_terms(r["text"], lang)
            ctx = context_terms(ctxs[si]) if si is not None else [f"lang:{lang}", "S:none"]
            ex.add(terms, ctx, r["label"], weight, doc_id, origin)
    return ex


def merge(*parts: Examples) -> Examples:
    out = Examples()
    for p in parts:
        for i in range(len(p.labels)):
            out.add(p.terms[i], p.context[i], p.labels[i], p.weights[i], p.docs[i], p.origin[i])
    return out


def class_weights(labels: list[str], weights: list[float], power: float = 0.5) -> dict[str, float]:
    """Rare labels weigh more, by (mean mass / label mass) ** power (0 = none, 1 = fully balanced)."""
    mass: Counter = Counter()
    for lab, w in zip(labels, weights):
        mass[lab] += w
    mean = sum(mass.values()) / max(len(mass), 1)
    return {lab: (mean / m) ** power for lab, m in mass.items()}


class Design:
    """All examples' terms as sparse count matrices, built once; `fit` then slices rows (a fold)
    and derives the vocabulary and IDF from those rows only, so a held-out document's words do
    not even shape the features."""

    def __init__(self, ex: Examples):
        from scipy import sparse

        self.ex = ex
        self.terms = sorted({t for ts in ex.terms for t in ts})
        tindex = {t: i for i, t in enumerate(self.terms)}
        self.ctx_terms = sorted({t for ts in ex.context for t in ts})
        cindex = {t: i for i, t in enumerate(self.ctx_terms)}
        rows, cols, vals = [], [], []
        for r, ts in enumerate(ex.terms):
            for j, c in Counter(tindex[t] for t in ts).items():
                rows.append(r)
                cols.append(j)
                vals.append(1.0 + np.log(c))
        self.T = sparse.csr_matrix((vals, (rows, cols)), shape=(len(ex.terms), len(self.terms)))
        rows, cols = [], []
        for r, ts in enumerate(ex.context):
            for j in {cindex[t] for t in ts}:
                rows.append(r)
                cols.append(j)
        self.K = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(ex.context), len(self.ctx_terms)))

    def rows_without(self, doc_ids: set[str]) -> np.ndarray:
        return np.asarray([i for i, d in enumerate(self.ex.docs) if d not in doc_ids], dtype=np.int64)


def fit(design: Design, rows: np.ndarray | None = None, C: float = 1.0, class_power: float = 0.5,
        min_df: int = 3, max_features: int = 60000, context_min_df: int = 3, solver: str = "sgd") -> dict:
    """Train the logistic regression on `rows` of the design (all by default); returns the model
    as a JSON-able dict. solver "sgd": averaged log-loss SGD (alpha = 1 / (C * n)); "lbfgs": exact."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.preprocessing import normalize

    ex = design.ex
    rows = np.arange(len(ex.labels)) if rows is None else rows
    T, K = design.T[rows], design.K[rows]
    df = np.asarray((T > 0).sum(axis=0)).ravel()
    cand = np.flatnonzero(df >= min_df)
    if len(cand) > max_features:
        order = sorted(cand, key=lambda j: (-df[j], design.terms[j]))
        cand = np.asarray(sorted(order[:max_features]))
    n = len(rows)
    idf = np.log((1 + n) / (1 + df[cand])) + 1.0
    Xt = normalize(T[:, cand] @ sparse.diags(idf), norm="l2")
    cdf = np.asarray(K.sum(axis=0)).ravel()
    ccols = np.flatnonzero(cdf >= context_min_df)
    X = sparse.hstack([Xt, K[:, ccols]], format="csr")
    labels = [ex.labels[i] for i in rows]
    y = np.asarray(labels)
    cw = class_weights(labels, [ex.weights[i] for i in rows], class_power)
    sw = np.asarray([ex.weights[i] * cw[ex.labels[i]] for i in rows])
    if solver == "sgd":
        sw = sw / sw.mean()
        clf = SGDClassifier(loss="log_loss", alpha=1.0 / (C * n), max_iter=15, tol=None,
                            random_state=0, average=True)
    else:
        clf = LogisticRegression(C=C, max_iter=3000, random_state=0)
    clf.fit(X, y, sample_weight=sw)
    classes = [str(c) for c in clf.classes_]
    coef = np.zeros((len(LABELS), X.shape[1]))
    intercept = np.full(len(LABELS), -30.0)  # a label absent from training is never predicted
    if len(classes) == 2:
        coef[LABELS.index(classes[1])] = clf.coef_[0]
        intercept[LABELS.index(classes[1])] = clf.intercept_[0]
        intercept[LABELS.index(classes[0])] = 0.0
    else:
        for i, c in enumerate(classes):
            coef[LABELS.index(c)] = clf.coef_[i]
            intercept[LABELS.index(c)] = clf.intercept_[i]
    return {
        "labels": list(LABELS),
        "vocab": [design.terms[j] for j in cand],
        "idf": [round(float(x), 5) for x in idf],
        "context_vocab": [design.ctx_terms[j] for j in ccols],
        "context_scale": 1.0,
        "coef": [[round(float(x), 5) for x in row] for row in coef],
        "intercept": [round(float(x), 5) for x in intercept],
        "class_weights": {k: round(v, 5) for k, v in sorted(cw.items())},
        "C": C,
        "n_examples": int(n),
    }


def examples_hash(ex: Examples) -> str:
    h = hashlib.sha256()
    for t, lab, w, d, o in zip(ex.terms, ex.labels, ex.weights, ex.docs, ex.origin):
        h.update(json.dumps([d, o, lab, w, "".join(t[:64])], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()
