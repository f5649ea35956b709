"""Fit the claim classifier: weak labels over the shared corpora + gold rows + user corrections.

Examples are collected per document, so a held-out document (leave-one-document-out) is removed
from everything: its gold rows, its corrections and its weak labels. Each weakly labelled sentence
is used without its section features half of the time, so the model has to
learn what the sentence itself says (a report whose parts have no recognisable headings, a
problem stated under a "significance" heading) as well as what its section usually holds.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from pipeline.document.model import Document
from pipeline.gold.matching import best_match, match_sentences
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
# per genre on top of the source (tried: English research prose down-weighted; LOO was worse)
GENRE_WEIGHT: dict[str, float] = {}
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


def weak_records(corpus: list[CorpusDoc], cues: Lexicon, headings: Lexicon, rules: WeakRules) -> list[dict]:
    """One record per weakly labelled sentence: doc, source, text, lang, context terms, label,
    labelling function. Plain data, so a run can be cached (pipeline.training.claims)."""
    out = []
    for cd in corpus:
        ctxs = document_contexts(cd.doc, cues, headings)
        for c, (lab, lf) in zip(ctxs, weak_labels(ctxs, cd.source, rules, cd.annotations)):
            if lab is not None:
                out.append({"doc": cd.doc.doc_id, "source": cd.source, "text": c.sentence.text,
                            "lang": c.sentence.lang, "context": context_terms(c), "label": lab, "lf": lf})
    return out


def weak_examples(records: list[dict], skip_docs: set[str], nosec_share: float = 0.5) -> Examples:
    """Each record once at its source's weight; a fixed share of them (chosen by a hash of the
    text, so deterministic) without their section features."""
    ex = Examples()
    for r in records:
        if r["doc"] in skip_docs:
            continue
        genre = next((t[2:] for t in r["context"] if t.startswith("G:")), "")
        w = SOURCE_WEIGHT.get(r["source"], 1.0) * GENRE_WEIGHT.get(genre, 1.0)
        origin = f"weak:{r['source']}:{r['lf']}"
        h = int(hashlib.md5(r["text"].encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
        ctx = drop_section(r["context"]) if h < nosec_share else r["context"]
        ex.add(text_terms(r["text"], r["lang"]), ctx, r["label"], w, r["doc"], origin)
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
            ctx = context_terms(ctxs[si]) if si is not None else [f"lang:{lang}"]
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
    mass: dict[str, float] = {}
    for lab, w in zip(labels, weights):
        mass[lab] = mass.get(lab, 0.0) + w
    mean = sum(mass.values()) / max(len(mass), 1)
    return {lab: (mean / m) ** power for lab, m in mass.items()}


class Design:
    """All examples' terms as sparse count matrices, built once; `fit` then slices rows (a fold)
    and derives the vocabulary and IDF from those rows only, so a held-out document's words do
    not even shape the features."""

    def __init__(self, ex: Examples):
        self.ex = ex
        # examples that share one term list (the same sentence) are counted once
        first: dict[int, int] = {}
        unique: list[list[str]] = []
        row_of = np.empty(len(ex.terms), dtype=np.int64)
        for r, ts in enumerate(ex.terms):
            u = first.setdefault(id(ts), len(unique))
            if u == len(unique):
                unique.append(ts)
            row_of[r] = u
        self.T = self._counts(unique, sublinear=True)[row_of]
        self.terms = self._names
        self.K = self._counts(ex.context, sublinear=False)
        self.ctx_terms = self._names
        self.K.data[:] = 1.0

    def _counts(self, lists: list[list[str]], sublinear: bool):
        """Row-wise term counts (1 + log tf when sublinear) with columns in first-seen order."""
        from scipy import sparse

        index: dict[str, int] = {}
        indptr = [0]
        indices: list[np.ndarray] = []
        data: list[np.ndarray] = []
        for ts in lists:
            u, c = np.unique(np.fromiter((index.setdefault(t, len(index)) for t in ts), dtype=np.int64,
                                         count=len(ts)), return_counts=True)
            indices.append(u)
            data.append(1.0 + np.log(c) if sublinear else c.astype(np.float64))
            indptr.append(indptr[-1] + len(u))
        self._names = list(index)
        m = sparse.csr_matrix((np.concatenate(data) if data else np.zeros(0),
                               np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
                               np.asarray(indptr)), shape=(len(lists), len(index)))
        return m

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
        cand = np.asarray(sorted(cand, key=lambda j: (-df[j], design.terms[j]))[:max_features])
    cand = np.asarray(sorted(cand, key=lambda j: design.terms[j]), dtype=np.int64)
    n = len(rows)
    idf = np.log((1 + n) / (1 + df[cand])) + 1.0
    Xt = normalize(T[:, cand] @ sparse.diags(idf), norm="l2")
    cdf = np.asarray(K.sum(axis=0)).ravel()
    ccols = np.asarray(sorted(np.flatnonzero(cdf >= context_min_df), key=lambda j: design.ctx_terms[j]),
                       dtype=np.int64)
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
        "idf": [round(float(x), 4) for x in idf],
        "context_vocab": [design.ctx_terms[j] for j in ccols],
        "context_scale": 1.0,
        "coef": [[round(float(x), 4) for x in row] for row in coef],
        "intercept": [round(float(x), 4) for x in intercept],
        "class_weights": {k: round(v, 5) for k, v in sorted(cw.items())},
        "C": C,
        "n_examples": int(n),
    }
