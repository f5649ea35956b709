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

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np
from scipy import sparse

from .features import Claim
from .text import cjk_bigrams, nfkc
from .weights import TermStats


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
    _r: list[int] = field(default_factory=list)
    _c: list[int] = field(default_factory=list)
    _v: list[float] = field(default_factory=list)
    _common: set[int] = field(default_factory=set)
    _idf: dict[str, float] = field(default_factory=dict)
    _lexcol: dict[str, tuple[int, float]] = field(default_factory=dict)  # term → (column, idf)
    lex: sparse.csr_matrix | None = None  # informative lexical part (rows normalised with all features)
    con: sparse.csr_matrix | None = None

    def doc_no(self, doc_id: str) -> int:
        if doc_id not in self._doc_no:
            self._doc_no[doc_id] = len(self.doc_ids)
            self.doc_ids.append(doc_id)
        return self._doc_no[doc_id]

    def _col(self, key: str) -> int:
        col = self.vocab.get(key)
        if col is None:
            col = self.vocab[key] = len(self.vocab)
            if key.startswith("l:") and self.stats.is_common(key[2:]):
                self._common.add(col)
        return col

    def add(self, claims: list[Claim]) -> None:
        """Append the rows of one document's claims (already joined into whole sentences)."""
        lexcol = self._lexcol
        for c in claims:
            r = len(self.rows)
            self.rows.append(Row(c.claim_id, self.doc_no(c.doc_id), c.lang, c.label, c.secondary,
                                 len(c.text), frozenset(k for k, _ in c.concepts if k.startswith("class:"))))
            text = c.full_text or c.text
            tf = Counter(c.words)
            if c.lang == "zh":
                tf.update(cjk_bigrams(text))
            mult = self._boilerplate(text) if self.stats.boilerplate else {}
            cols: list[int] = []
            vals: list[float] = []
            for t, f in tf.items():
                ci = lexcol.get(t)
                if ci is None:
                    ci = lexcol[t] = (self._col("l:" + t), self.stats.idf(t))
                cols.append(ci[0])
                vals.append((1 + math.log(f)) * ci[1] * (mult.get(t, 1.0) if mult else 1.0))
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
                cols.append(self._col("c:" + k))
                vals.append((1 + math.log(v)) * self._term_idf(surface[k]))
            norm = math.sqrt(sum(v * v for v in vals)) or 1.0
            self._r.extend([r] * len(cols))
            self._c.extend(cols)
            self._v.extend(v / norm for v in vals)
            if con:
                xv = [1 + math.log(v) for v in con.values()]
                xn = math.sqrt(sum(v * v for v in xv))
                self._r.extend([r] * len(xv))
                self._c.extend(self._col("x:" + k) for k in con)
                self._v.extend(v / xn for v in xv)

    def _term_idf(self, t: str) -> float:
        w = self._idf.get(t)
        if w is None:
            w = self._idf[t] = self.stats.idf(t if not t.isascii() else " ".join(t.split()))
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
        x = sparse.csr_matrix((np.asarray(self._v, dtype=np.float64), (np.asarray(self._r, dtype=np.int64),
                              np.asarray(self._c, dtype=np.int64))), shape=(n, m))
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
        self.doc = np.array([r.doc for r in self.rows], dtype=np.int64)

    def column_terms(self) -> list[str]:
        out = [""] * len(self.vocab)
        for k, col in self.vocab.items():
            out[col] = k
        return out

    def shared(self, i: int, j: int, terms: list[str], limit: int = 8) -> dict[str, list[str]]:
        """Lexical words and concepts two rows share (what a reader can check)."""
        out: dict[str, list[str]] = {}
        for name, m in (("shared_terms", self.lex), ("glossary", self.con)):
            if m is None:
                continue
            both = set(m.indices[m.indptr[i]:m.indptr[i + 1]].tolist()) & set(m.indices[m.indptr[j]:m.indptr[j + 1]].tolist())
            words = sorted((terms[k][2:] for k in both if terms[k][0] in "lx"), key=lambda w: (-len(w), w))
            if name == "shared_terms":
                words = [w for w in words if len(w) >= 2][:limit]
            out[name] = words[:limit]
        return out

    def pairs(self, sources: np.ndarray, targets: np.ndarray, floor: float, top: int,
              accept: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = None,
              block_cells: int = 4_000_000) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Blocks of (source rows, target rows, similarities): similarity ≥ floor, the target in another
        document, each source keeping its best `top` targets per target document. Sources are
        processed in blocks so a block's product holds at most ~block_cells entries. `accept`
        (source rows, target rows, similarities) → mask filters pairs before the choice."""
        assert self.lex is not None and self.con is not None
        if not len(sources) or not len(targets):
            return
        lt, ct = self.lex[targets].T.tocsc(), self.con[targets].T.tocsc()
        tdoc, tlang = self.doc[targets], self.lang[targets]
        step = max(8, min(4096, block_cells // max(1, len(targets))))
        for b0 in range(0, len(sources), step):
            src = sources[b0:b0 + step]
            lex = (self.lex[src] @ lt).tocoo()
            con = (self.con[src] @ ct).tocoo()
            # same language: the joint cosine; across languages: the concept cosine
            same = self.lang[src][lex.row] == tlang[lex.col]
            cross = self.lang[src][con.row] != tlang[con.col]
            r = np.concatenate([lex.row[same], con.row[cross]])
            c = np.concatenate([lex.col[same], con.col[cross]])
            v = np.concatenate([lex.data[same], con.data[cross]])
            if not len(v):
                continue
            # sum the two parts per (row, col)
            key = r.astype(np.int64) * len(targets) + c
            order = np.argsort(key, kind="stable")
            key, v = key[order], v[order]
            uniq, start = np.unique(key, return_index=True)
            sims = np.add.reduceat(v, start)
            r, c = uniq // len(targets), uniq % len(targets)
            keep = (sims >= floor) & (self.doc[src][r] != tdoc[c])
            r, c, sims = r[keep], c[keep], sims[keep]
            if accept is not None and len(r):
                keep = accept(src[r], targets[c], sims)
                r, c, sims = r[keep], c[keep], sims[keep]
            if not len(r):
                continue
            # best `top` per (source, target document); ties broken by target row (deterministic)
            order = np.lexsort((targets[c], -sims, tdoc[c], r))
            r, c, sims = r[order], c[order], sims[order]
            grp = r.astype(np.int64) * (int(tdoc.max()) + 1) + tdoc[c]
            first = np.r_[True, grp[1:] != grp[:-1]]
            idx = np.arange(len(grp))
            rank = idx - np.maximum.accumulate(np.where(first, idx, 0))
            sel = rank < top
            yield src[r[sel]], targets[c[sel]], sims[sel]
