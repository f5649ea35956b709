"""Topic engines behind one contract: fit(X, k, seed) on a units x vocab count matrix, then
`topic_term` (K x V, rows sum to 1) and transform(X) -> units x K shares (rows sum to 1; all-zero
rows for units without vocabulary). Call inside `threadpool_limits(1)` for reproducible floats."""
from __future__ import annotations

import logging
from typing import Any

import numpy as np
from scipy import sparse

from .types import TopicSettings

for _name in ("gensim", "gensim.models", "gensim.models.ldamodel", "gensim.models.phrases",
              "gensim.topic_coherence", "gensim.corpora"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def _rows_to_shares(M: np.ndarray, X: sparse.csr_matrix) -> np.ndarray:
    M = np.asarray(M, dtype=np.float64)
    M[np.asarray(X.sum(axis=1)).ravel() <= 0] = 0.0  # no evidence: no topic (not the prior)
    s = M.sum(axis=1, keepdims=True)
    return np.divide(M, s, out=np.zeros_like(M), where=s > 0)


def _normalise_topics(T: np.ndarray) -> np.ndarray:
    T = np.asarray(T, dtype=np.float64)
    s = T.sum(axis=1, keepdims=True)
    return np.divide(T, s, out=np.full_like(T, 1.0 / T.shape[1]), where=s > 0)


class NmfEngine:
    """scikit-learn NMF on sublinear TF-IDF; nndsvda init (SVD-based: stable across seeds)."""

    name = "nmf"

    def __init__(self, settings: TopicSettings, vocab: list[str], sweep: bool = False) -> None:
        self.settings = settings
        self.vocab = vocab
        self.tol = settings.sweep_tol if sweep else settings.tol
        self.components: np.ndarray | None = None  # a saved model's (from_state)
        self.idf: np.ndarray | None = None

    def fit(self, X: sparse.csr_matrix, k: int, seed: int) -> None:
        from sklearn.decomposition import NMF
        from sklearn.feature_extraction.text import TfidfTransformer

        self.tfidf = TfidfTransformer(sublinear_tf=True).fit(X)
        self.model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=self.settings.max_iter,
                         tol=self.tol)
        self.model.fit(self.tfidf.transform(X))
        self.topic_term = _normalise_topics(self.model.components_)

    def transform(self, X: sparse.csr_matrix) -> np.ndarray:
        return _rows_to_shares(self.model.transform(self.tfidf.transform(X)), X)

    def state(self) -> dict[str, Any]:
        return {"components": self.model.components_, "idf": self.tfidf.idf_}

    @classmethod
    def from_state(cls, settings: TopicSettings, vocab: list[str], state: dict[str, Any]) -> "NmfEngine":
        """A saved model that assigns new units without importing scikit-learn (0.5–3 s of an
        incremental rebuild's start-up): the same TF-IDF weighting and the same coordinate-descent
        solve for the units' topic weights as NMF.transform, in numpy."""
        eng = cls(settings, vocab)
        comps = np.asarray(state["components"], dtype=np.float64)
        eng.components = comps
        eng.idf = np.asarray(state["idf"], dtype=np.float64)
        eng.topic_term = _normalise_topics(comps)
        eng.transform = eng._transform_saved  # type: ignore[method-assign]
        return eng

    def _transform_saved(self, X: sparse.csr_matrix) -> np.ndarray:
        assert self.components is not None and self.idf is not None
        return _rows_to_shares(nmf_transform(tfidf(X, self.idf), self.components, self.tol, self.settings.max_iter), X)


def tfidf(X: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """TfidfTransformer(sublinear_tf=True, norm="l2").transform with a fitted idf."""
    X = sparse.csr_matrix(X, dtype=np.float64, copy=True)
    np.log(X.data, X.data)
    X.data += 1.0
    X = X @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0.0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ X)


def nmf_transform(X: sparse.csr_matrix, H: np.ndarray, tol: float, max_iter: int) -> np.ndarray:
    """W >= 0 minimising ||X - W H||, H fixed: scikit-learn's coordinate descent ("cd" solver,
    no regularisation, no shuffling) with its start (a constant sqrt(mean(X) / k)) and stopping rule
    (summed projected gradient relative to the first sweep's <= tol), one topic at a time over all
    rows at once."""
    n, k = X.shape[0], H.shape[0]
    if n == 0:
        return np.zeros((0, k))
    W = np.full((n, k), np.sqrt(X.mean() / k) if X.nnz else 0.0)
    HHt = H @ H.T
    XHt = np.asarray(X @ H.T)
    violation_init = None
    for _ in range(max_iter):
        violation = 0.0
        for t in range(k):
            grad = W @ HHt[t] - XHt[:, t]
            pg = np.where(W[:, t] == 0, np.minimum(grad, 0.0), grad)
            violation += float(np.abs(pg).sum())
            if HHt[t, t] != 0:
                W[:, t] = np.maximum(W[:, t] - grad / HHt[t, t], 0.0)
        if violation_init is None:
            violation_init = violation
        if violation_init == 0 or violation / violation_init <= tol:
            break
    return W


class LdaEngine:
    """gensim LdaModel (the reference engine): online variational Bayes, single process."""

    name = "lda"

    def __init__(self, settings: TopicSettings, vocab: list[str]) -> None:
        self.settings = settings
        self.vocab = vocab

    def _id2word(self):
        from gensim.corpora import Dictionary

        d = Dictionary()
        d.token2id = {t: i for i, t in enumerate(self.vocab)}
        return d

    def fit(self, X: sparse.csr_matrix, k: int, seed: int) -> None:
        from gensim.matutils import Sparse2Corpus
        from gensim.models import LdaModel

        s = self.settings
        self.model = LdaModel(corpus=Sparse2Corpus(X, documents_columns=False), id2word=self._id2word(),
                              num_topics=k, random_state=seed, passes=s.passes, iterations=s.iterations,
                              chunksize=s.chunksize, alpha="symmetric", eval_every=None, dtype=np.float64)
        self.topic_term = _normalise_topics(self.model.get_topics())

    def transform(self, X: sparse.csr_matrix) -> np.ndarray:
        from gensim.matutils import Sparse2Corpus

        out = []
        for start in range(0, X.shape[0], self.settings.chunksize):
            chunk = X[start:start + self.settings.chunksize]
            gamma, _ = self.model.inference(list(Sparse2Corpus(chunk, documents_columns=False)))
            out.append(gamma)
        return _rows_to_shares(np.vstack(out) if out else np.zeros((0, self.model.num_topics)), X)

    def state(self) -> dict[str, Any]:
        return {"lambda": self.model.state.get_lambda(), "alpha": np.asarray(self.model.alpha)}

    @classmethod
    def from_state(cls, settings: TopicSettings, vocab: list[str], state: dict[str, Any]) -> "LdaEngine":
        from gensim.models import LdaModel

        eng = cls(settings, vocab)
        lam = np.asarray(state["lambda"], dtype=np.float64)
        eng.model = LdaModel(id2word=eng._id2word(), num_topics=lam.shape[0], alpha=np.asarray(state["alpha"]),
                             iterations=settings.iterations, random_state=0, dtype=np.float64)
        eng.model.state.sstats[...] = lam - eng.model.eta
        eng.model.sync_state()
        eng.topic_term = _normalise_topics(lam)
        return eng


class TomotopyEngine:
    """tomotopy LDAModel (collapsed Gibbs sampling, C++), one worker for reproducibility."""

    name = "tomotopy"

    def __init__(self, settings: TopicSettings, vocab: list[str]) -> None:
        self.settings = settings
        self.vocab = vocab

    def _words(self, row: sparse.csr_matrix) -> list[str]:
        return [self.vocab[j] for j, c in zip(row.indices, row.data) for _ in range(int(c))]

    def fit(self, X: sparse.csr_matrix, k: int, seed: int) -> None:
        import tomotopy as tp

        self.model = tp.LDAModel(k=k, seed=seed, min_cf=0, rm_top=0, alpha=0.1, eta=0.01)
        for i in range(X.shape[0]):
            words = self._words(X[i])
            if words:
                self.model.add_doc(words)
        self.model.train(0, workers=1)  # builds the vocabulary
        self.model.train(self.settings.iterations * 5, workers=1)  # Gibbs sweeps
        used = list(self.model.used_vocabs)
        T = np.zeros((k, len(self.vocab)))
        col = {t: i for i, t in enumerate(self.vocab)}
        idx = np.array([col[t] for t in used])
        for t in range(k):
            T[t, idx] = self.model.get_topic_word_dist(t)
        self.topic_term = _normalise_topics(T)

    def transform(self, X: sparse.csr_matrix) -> np.ndarray:
        k = self.model.k
        out = np.zeros((X.shape[0], k))
        known = set(self.model.used_vocabs)
        rows, docs = [], []
        for i in range(X.shape[0]):
            words = [w for w in self._words(X[i]) if w in known]
            if words:
                rows.append(i)
                docs.append(self.model.make_doc(words))
        if docs:
            dists, _ = self.model.infer(docs, iterations=self.settings.iterations, workers=1, together=False)
            for i, d in zip(rows, dists):
                out[i] = d
        return _rows_to_shares(out, X)

    def state(self) -> dict[str, Any]:
        return {"topic_term": self.topic_term}


ENGINE_CLASSES = {"nmf": NmfEngine, "lda": LdaEngine, "tomotopy": TomotopyEngine}


def make_engine(settings: TopicSettings, vocab: list[str], sweep: bool = False):
    """`sweep`: a fit of the K sweep (NMF stops at the looser `sweep_tol`)."""
    if settings.engine == "nmf":
        return NmfEngine(settings, vocab, sweep=sweep)
    return ENGINE_CLASSES[settings.engine](settings, vocab)
