"""The cross-document similarity space: one sparse row per claim, built by streaming documents,
and candidate pairs found through the inverted index (sparse products in row blocks), never a
dense claims × claims array.

A row holds two parts, each L2-normalised: lexical features (Chinese words + character bigrams,
English stems; IDF and boilerplate weights learned once, weights.py) and glossary concepts. The
similarity of a same-language pair is `lex_weight · lexical cosine + (1 − lex_weight) · concept
cosine`; a cross-language pair has only the concept cosine. Common features (weights.py) stay in
the norms but are dropped from the products, so two sentences become candidates only through a
feature that is informative; memory per block is bounded by `block_cells`.

Pairs are kept per (source, other document): each source keeps its best `top` targets in every
other document. That choice depends on the two documents alone, so adding or changing a document
only adds or changes pairs that touch it (the incremental rebuild gives the full rebuild's links).
"""
from __future__ import annotations

import json
import math
import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .features import Claim
from .text import cjk_bigrams, nfkc
from .weights import TermStats, WordVectors


@dataclass
class Row:
    """What the cross-document relations need of a claim once its document has been streamed."""
    claim_id: str
    doc: int  # document number in the space
    lang: str
    label: str
    secondary: tuple[str, ...]
    n_chars: int
    classes: frozenset[str]

    def has(self, label: str) -> bool:
        return self.label == label or label in self.secondary


@dataclass
class ClaimSpace:
    stats: TermStats
    lex_weight: float = 0.5
    rows: list[Row] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    vocab: dict[str, int] = field(default_factory=dict)  # "l:term" / "c:concept" → column
    _doc_no: dict[str, int] = field(default_factory=dict)
    _r: list[np.ndarray] = field(default_factory=list)  # per document: rows, columns, values
    _c: list[np.ndarray] = field(default_factory=list)
    _v: list[np.ndarray] = field(default_factory=list)
    _common: set[int] = field(default_factory=set)
    _idf: dict[str, float] = field(default_factory=dict)
    _lexcol: dict[str, tuple[int, float]] = field(default_factory=dict)  # term → (column, idf)
    vectors: WordVectors | None = None  # learned word vectors: a sentence vector per row
    _er: list[int] = field(default_factory=list)
    _ec: list[int] = field(default_factory=list)
    _ev: list[float] = field(default_factory=list)
    emb: np.ndarray | None = None  # row → unit sentence vector (IDF-weighted mean of word vectors)
    lex: sparse.csr_matrix | None = None  # informative lexical part (rows normalised with all features)
    con: sparse.csr_matrix | None = None

    def doc_no(self, doc_id: str) -> int:
        if doc_id not in self._doc_no:
            self._doc_no[doc_id] = len(self.doc_ids)
            self.doc_ids.append(doc_id)
        return self._doc_no[doc_id]

    def _col(self, key: str, common: bool | None = None) -> int:
        col = self.vocab.get(key)
        if col is None:
            col = self.vocab[key] = len(self.vocab)
            if key.startswith("l:") and (common if common is not None else self.stats.lookup(key[2:])[1]):
                self._common.add(col)
        return col

    def add(self, claims: list[Claim]) -> None:
        """Append the rows of one document's claims (already joined into whole sentences)."""
        if not claims:
            return
        r0 = len(self.rows)
        vidx = self.vectors.index if self.vectors is not None and self.vectors.dim else None
        lr: list[int] = []  # lexical features: row, term, count, boilerplate multiplier
        lk: list[str] = []
        lc: list[int] = []
        lm: list[float] = []
        jr: list[int] = []  # concept features of the joint vector: row, column, weight
        jc: list[int] = []
        jv: list[float] = []
        xr: list[int] = []  # the concept-only vector (cross-language pairs)
        xc: list[int] = []
        xv: list[float] = []
        for c in claims:
            r = len(self.rows)
            self.rows.append(Row(c.claim_id, self.doc_no(c.doc_id), c.lang, c.label, c.secondary,
                                 len(c.text), frozenset(k for k, _ in c.concepts if k.startswith("class:"))))
            if vidx is not None:  # the sentence vector's words (weights: their IDF)
                ks = [vidx.get(t) for t in (c.tokens or c.words)]
                toks = [t for t, k in zip(c.tokens or c.words, ks) if k is not None]
                self._er.extend([r] * len(toks))
                self._ec.extend(k for k in ks if k is not None)
                self._ev.extend(self._term_idf(t) for t in toks)
            text = c.full_text or c.text
            tf = Counter(c.words)
            if c.lang == "zh":
                tf.update(cjk_bigrams(text))
            mult = self._boilerplate(text) if self.stats.boilerplate else {}
            lr.extend([r] * len(tf))
            lk.extend(tf.keys())
            lc.extend(tf.values())
            lm.extend([mult.get(t, 1.0) for t in tf] if mult else [1.0] * len(tf))
            # concepts join the same vector, weighted by the learned IDF of their surface ('机制'
            # weighs little, '产业集群' much), normalised together with the words: one shared
            # generic concept cannot make two sentences similar. The concept part alone
            # (normalised apart) is the similarity of a cross-language pair.
            con: Counter[str] = Counter()
            surface: dict[str, str] = {}
            for cid, term in c.concepts:
                if not cid.startswith("remedy:"):
                    con[cid] += 1
                    surface.setdefault(cid, term)
            for k, v in con.items():
                jr.append(r)
                jc.append(self._col("c:" + k))
                jv.append((1 + math.log(v)) * self._term_idf(surface[k]))
                xr.append(r)
                xc.append(self._col("x:" + k))
                xv.append(1 + math.log(v))
        lexcol = self._lexcol
        info = [lexcol.get(t) or self._new_lex(t) for t in lk]
        rows = np.asarray(lr + jr, dtype=np.int64)
        cols = np.asarray([x[0] for x in info] + jc, dtype=np.int64)
        vals = np.concatenate([(1 + np.log(np.asarray(lc, dtype=np.float64))) * np.asarray([x[1] for x in info])
                               * np.asarray(lm), np.asarray(jv, dtype=np.float64)]) if lk or jv else np.zeros(0)
        n = len(self.rows) - r0
        for rr, cc, vv in ((rows, cols, vals), (np.asarray(xr, dtype=np.int64), np.asarray(xc, dtype=np.int64),
                                                 np.asarray(xv, dtype=np.float64))):
            if not len(rr):
                continue
            norms = np.sqrt(np.bincount(rr - r0, weights=vv * vv, minlength=n))
            self._r.append(rr)
            self._c.append(cc)
            # float32 precision: what the document cache stores, so cached and fresh rows agree
            self._v.append((vv / np.where(norms > 0, norms, 1.0)[rr - r0]).astype(np.float32).astype(np.float64))

    def export_doc(self, r0: int, parts: int, emb0: int, abstract: set[str]) -> bytes:
        """The rows added since row r0 (the last `parts` feature arrays, the sentence-vector
        entries since emb0) as a compact blob: the document cache of an incremental rebuild."""
        import io

        terms = self.column_terms()
        rr = np.concatenate(self._r[len(self._r) - parts:]) if parts else np.zeros(0, np.int64)
        cc = np.concatenate(self._c[len(self._c) - parts:]) if parts else np.zeros(0, np.int64)
        vv = np.concatenate(self._v[len(self._v) - parts:]) if parts else np.zeros(0)
        keys, inv = np.unique(np.array([terms[c] for c in cc.tolist()] or [""], dtype=str), return_inverse=True)
        meta = [[x.claim_id, x.lang, x.label, list(x.secondary), x.n_chars, sorted(x.classes), x.claim_id in abstract]
                for x in self.rows[r0:]]
        buf = io.BytesIO()
        np.savez(buf, meta=np.array([json.dumps(meta, ensure_ascii=False)]), keys=keys,
                            rows=(rr - r0).astype(np.int32), cols=inv[:len(cc)].astype(np.int32),
                            vals=vv.astype(np.float32), er=(np.asarray(self._er[emb0:], dtype=np.int64) - r0).astype(np.int32),
                            ec=np.asarray(self._ec[emb0:], dtype=np.int32), ev=np.asarray(self._ev[emb0:], dtype=np.float64))
        return zlib.compress(buf.getvalue(), 1)  # fast: the cache is rewritten on every full build

    def import_doc(self, doc_id: str, blob: bytes) -> list[tuple[str, str, tuple[str, ...]]]:
        """Append a document's rows from export_doc's blob; returns its abstract claims (id, label,
        secondary)."""
        import io

        z = np.load(io.BytesIO(zlib.decompress(blob)), allow_pickle=False)
        meta = json.loads(str(z["meta"][0]))
        r0, d = len(self.rows), self.doc_no(doc_id)
        out = []
        for cid, lang, label, sec, n_chars, classes, is_abstract in meta:
            self.rows.append(Row(cid, d, lang, label, tuple(sec), int(n_chars), frozenset(classes)))
            if is_abstract:
                out.append((cid, label, tuple(sec)))
        if len(z["rows"]):
            keys = z["keys"].tolist()
            get = self.vocab.get
            found = [get(k) for k in keys]
            cols = np.array([c if c is not None else self._col(k) for c, k in zip(found, keys)], dtype=np.int64)
            self._r.append(z["rows"].astype(np.int64) + r0)
            self._c.append(cols[z["cols"]])
            self._v.append(z["vals"].astype(np.float64))
        self._er.extend((z["er"].astype(np.int64) + r0).tolist())
        self._ec.extend(z["ec"].tolist())
        self._ev.extend(z["ev"].tolist())
        return out

    def _new_lex(self, t: str) -> tuple[int, float]:
        idf, common = self.stats.lookup(t)
        ci = self._lexcol[t] = (self._col("l:" + t, common), idf)
        return ci

    def _term_idf(self, t: str) -> float:
        w = self._idf.get(t)
        if w is None:
            w = self._idf[t] = self.stats.lookup(t if not t.isascii() else " ".join(t.split()))[0]
        return w

    def _boilerplate(self, text: str) -> dict[str, float]:
        """Multiplier of each feature lying inside boilerplate phrases (the smallest over its
        occurrences' characters)."""
        w = self.stats.char_weights(text)
        if w is None:
            return {}
        t = nfkc(text)
        out: dict[str, float] = {}
        for i in range(len(t) - 1):
            m = max(w[i], w[i + 1])
            if m < 1.0:
                g = t[i:i + 2]
                out[g] = min(out.get(g, 1.0), m)
        return out

    def finish(self) -> None:
        n, m = len(self.rows), max(1, len(self.vocab))
        cat = (lambda parts, dt: np.concatenate(parts).astype(dt) if parts else np.zeros(0, dt))  # noqa: E731
        x = sparse.csr_matrix((cat(self._v, np.float64), (cat(self._r, np.int64), cat(self._c, np.int64))),
                              shape=(n, m))
        self._r, self._c, self._v = [], [], []
        is_lex = np.zeros(m, dtype=bool)  # the joint vector's informative features
        is_con = np.zeros(m, dtype=bool)  # the concept-only vector
        for k, col in self.vocab.items():
            if k.startswith("x:"):
                is_con[col] = True
            elif col not in self._common:
                is_lex[col] = True
        self.lex = sparse.csr_matrix(x @ sparse.diags(is_lex.astype(np.float64)))
        self.con = sparse.csr_matrix(x @ sparse.diags(is_con.astype(np.float64)))
        self.lex.eliminate_zeros()
        self.con.eliminate_zeros()
        self.lang = np.array([r.lang == "zh" for r in self.rows])
        dim = self.vectors.dim if self.vectors is not None else 0
        if dim and self.vectors is not None and self.vectors.vectors is not None:
            w = sparse.csr_matrix((np.asarray(self._ev, dtype=np.float32), (np.asarray(self._er, dtype=np.int64),
                                  np.asarray(self._ec, dtype=np.int64))), shape=(n, len(self.vectors.index)))
            e = np.asarray(w @ self.vectors.vectors, dtype=np.float32)
            norms = np.linalg.norm(e, axis=1, keepdims=True)
            self.emb = e / np.where(norms > 0, norms, 1.0)
        else:
            self.emb = np.zeros((n, 0), np.float32)
        self._er, self._ec, self._ev = [], [], []
        self.doc = np.array([r.doc for r in self.rows], dtype=np.int64)
        self.chars = np.array([r.n_chars for r in self.rows], dtype=np.float64)
        self.has_class = np.array([bool(r.classes) for r in self.rows], dtype=bool)

    def column_terms(self) -> list[str]:
        out = [""] * len(self.vocab)
        for k, col in self.vocab.items():
            out[col] = k
        return out

    def shared(self, i: int, j: int, terms: list[str], limit: int = 8) -> dict[str, list[str]]:
        """Lexical words and concepts two rows share (what a reader can check)."""
        return self.shared_many(np.array([i]), np.array([j]), terms, limit)[0]

    def shared_many(self, i: np.ndarray, j: np.ndarray, terms: list[str], limit: int = 8) -> list[dict[str, list[str]]]:
        """shared() of many pairs at once (one sparse element-wise product per part)."""
        out: list[dict[str, list[str]]] = [{} for _ in range(len(i))]
        for name, m in (("shared_terms", self.lex), ("glossary", self.con)):
            for k0 in range(0, len(i) if m is not None else 0, 20_000):  # bounded memory
                assert m is not None
                both = sparse.csr_matrix(m[i[k0:k0 + 20_000]].multiply(m[j[k0:k0 + 20_000]]))
                both.eliminate_zeros()
                both.sort_indices()
                ind, ptr = both.indices.tolist(), both.indptr.tolist()
                for k in range(len(ptr) - 1):
                    words = [terms[c][2:] for c in ind[ptr[k]:ptr[k + 1]] if terms[c][0] in "lx"]
                    if name == "shared_terms":
                        words = [w for w in words if len(w) >= 2]
                    out[k0 + k][name] = sorted(words, key=lambda w: (-len(w), w))[:limit]
        return out
