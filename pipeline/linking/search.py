"""Candidate pairs across documents from the sparse claim space (space.py), each product computed once.

    found = search(space, sources, targets, floor, top, symmetric=True, changed=None)

For every source and every other document, the source's best `top` targets there (similarity ≥
`floor`), with two ranks per pair: `rank_f`, the target's rank among the source's candidates in
the target's document, and `rank_b`, the source's rank among the target's candidates in the
source's document (0 = mutual best). Both depend on the two documents alone, so a changed
document only changes pairs that touch it.

How it stays cheap:
- One sparse product block gives both directions: a block holds whole documents on its row side,
  so the groups (row, column document) and (column, row document) are both complete in it. The
  backward search of a directed relation is not run again.
- A symmetric relation computes each document pair once: a block's rows meet only columns of
  later documents (or of documents outside the searched set), and every pair is emitted in both
  orientations.
- Memory: a block's product has at most ~`block_cells` cells; a document with more rows than a
  block is cut into sub-blocks whose column-side groups are merged (a top-k of a union is the
  top-k of the parts' top-k's).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np
from scipy import sparse

from .space import ClaimSpace

BLOCK_CELLS = 8_000_000


@dataclass
class Found:
    i: np.ndarray  # source rows
    j: np.ndarray  # target rows
    sim: np.ndarray
    rank_f: np.ndarray  # rank of j among i's candidates in j's document
    rank_b: np.ndarray  # rank of i among j's candidates in i's document (top = "top or worse")

    @classmethod
    def empty(cls) -> "Found":
        z = np.zeros(0, np.int64)
        return cls(z, z, np.zeros(0), z, z)

    @classmethod
    def concat(cls, parts: list["Found"]) -> "Found":
        parts = [p for p in parts if len(p.i)]
        if not parts:
            return cls.empty()
        return cls(*(np.concatenate([getattr(p, k) for p in parts]) for k in ("i", "j", "sim", "rank_f", "rank_b")))


def _rank(key: np.ndarray, sims: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Rank of each entry inside its group `key` (highest similarity first, ties by `tie`)."""
    if not len(key):
        return np.zeros(0, np.int64)
    order = np.lexsort((tie, -sims, key))
    k = key[order]
    first = np.r_[True, k[1:] != k[:-1]]
    idx = np.arange(len(k))
    rank = np.empty(len(k), np.int64)
    rank[order] = idx - np.maximum.accumulate(np.where(first, idx, 0))
    return rank


class Product:
    """Similarities of row blocks against a fixed, doc-sorted column set: same-language pairs by
    the joint vector, cross-language pairs by the concept vector."""

    def __init__(self, space: ClaimSpace, cols: np.ndarray):
        assert space.lex is not None and space.con is not None
        self.space, self.cols = space, cols
        self.parts = []
        for zh in (True, False):
            sel = np.flatnonzero(space.lang[cols] == zh)
            if len(sel):
                c = cols[sel]
                self.parts.append((zh, sel, space.lex[c].T.tocsc(), space.con[c].T.tocsc()))

    def block(self, rows: np.ndarray, floor: float, col_from: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row positions, column positions ≥ col_from, similarities ≥ floor) of one row block."""
        sp = self.space
        assert sp.lex is not None and sp.con is not None
        rl = sp.lang[rows]
        rs, cs, vs = [], [], []
        for zh, sel, lt, ct in self.parts:
            start = int(np.searchsorted(sel, col_from))
            if start >= len(sel):
                continue
            for same in (True, False):
                pos = np.flatnonzero(rl == zh) if same else np.flatnonzero(rl != zh)
                if not len(pos):
                    continue
                right = (lt if same else ct)[:, start:] if start else (lt if same else ct)
                m = sparse.csr_matrix((sp.lex if same else sp.con)[rows[pos]] @ right)
                keep = m.data >= floor
                if not keep.any():
                    continue
                r = np.repeat(np.arange(len(pos)), np.diff(m.indptr))[keep]
                rs.append(pos[r])
                cs.append(sel[start + m.indices[keep]])
                vs.append(m.data[keep])
        if not rs:
            z = np.zeros(0, np.int64)
            return z, z, np.zeros(0)
        return np.concatenate(rs), np.concatenate(cs), np.concatenate(vs)


def _spans(rows: np.ndarray, doc: np.ndarray, step: int) -> Iterator[list[np.ndarray]]:
    """Doc-sorted rows as spans of whole documents (≥ 1), each a list of blocks of ≤ step rows
    (one document larger than a block is cut into several)."""
    if not len(rows):
        return
    d = doc[rows]
    cuts = np.flatnonzero(np.r_[True, d[1:] != d[:-1], True])
    span: list[np.ndarray] = []
    size = 0
    for a, b in zip(cuts[:-1].tolist(), cuts[1:].tolist()):
        if size and size + (b - a) > step:
            yield span
            span, size = [], 0
        if b - a > step:  # one large document: its own span, cut into blocks
            if span:
                yield span
            yield [rows[k:min(b, k + step)] for k in range(a, b, step)]
            span, size = [], 0
            continue
        span = [np.concatenate(span + [rows[a:b]])] if span else [rows[a:b]]
        size += b - a
    if span:
        yield span


@dataclass
class Part:
    """One product side of a search: `rows` meet `cols`; `flip`: the rows are the targets."""
    rows: np.ndarray
    cols: np.ndarray
    symmetric: bool
    row_docs: set[int] | None
    flip: bool = False


def plan(space: ClaimSpace, sources: np.ndarray, targets: np.ndarray, symmetric: bool,
         changed: set[int] | None) -> list[Part]:
    """The parts of a search (module doc): one, or two for a directed relation searched
    incrementally (changed sources × all targets, changed targets × unchanged sources)."""
    if not len(sources) or not len(targets):
        return []
    doc = space.doc
    if symmetric:
        rows = sources if changed is None else sources[np.isin(doc[sources], list(changed))]
        return [Part(rows, targets, True, changed)]
    if changed is None:
        return [Part(sources, targets, False, None)]
    in_s = np.isin(doc[sources], list(changed))
    return [Part(sources[in_s], targets, False, None),
            Part(targets[np.isin(doc[targets], list(changed))], sources[~in_s], False, None, flip=True)]


def spans(space: ClaimSpace, part: Part, block_cells: int = BLOCK_CELLS) -> list[list[np.ndarray]]:
    step = max(8, min(4096, block_cells // max(1, len(part.cols))))
    return list(_spans(part.rows, space.doc, step))


def run_span(space: ClaimSpace, part: Part, prod: "Product", span: list[np.ndarray], floor: float, top: int) -> Found:
    """The candidates of one span: every pair of its documents' rows is complete here (ranks,
    both orientations of a symmetric pair)."""
    doc = space.doc
    ndoc = int(doc.max()) + 1
    searched = np.zeros(ndoc, bool)
    searched[np.unique(doc[part.rows]) if part.row_docs is None else list(part.row_docs)] = True
    cdoc = doc[part.cols]
    parts = []
    for blk in span:
        # full symmetric search: earlier documents' columns were met in their own blocks
        col_from = int(np.searchsorted(cdoc, doc[blk[0]])) if part.symmetric and part.row_docs is None else 0
        r, c, s = prod.block(blk, floor, col_from)
        rr, cc = blk[r], part.cols[c]
        keep = doc[rr] != doc[cc]
        if part.symmetric:  # pairs with a later document, or one the search does not start from
            keep &= (doc[cc] > doc[rr]) | ~searched[doc[cc]]
        rr, cc, s = rr[keep], cc[keep], s[keep]
        rank_r = _rank(rr * ndoc + doc[cc], s, cc)
        part_c = _rank(cc * ndoc + doc[rr], s, rr)  # exact when the span is one block
        sel = (rank_r < top) | (part_c < top)
        parts.append((rr[sel], cc[sel], s[sel], rank_r[sel]))
    rr, cc, s, rank_r = (np.concatenate([p[k] for p in parts]) for k in range(4))
    rank_c = np.minimum(_rank(cc * ndoc + doc[rr], s, rr), top)  # merged over the span's blocks
    rank_r = np.minimum(rank_r, top)  # beyond top: "top or worse"
    if part.symmetric:  # both orientations: r → c ranked by rank_r, c → r the other way
        f = Found(np.r_[rr, cc], np.r_[cc, rr], np.r_[s, s], np.r_[rank_r, rank_c], np.r_[rank_c, rank_r])
    elif part.flip:
        f = Found(cc, rr, s, rank_c, rank_r)
    else:
        f = Found(rr, cc, s, rank_r, rank_c)
    keep = f.rank_f < top
    return Found(f.i[keep], f.j[keep], f.sim[keep], f.rank_f[keep], f.rank_b[keep])


def search(space: ClaimSpace, sources: np.ndarray, targets: np.ndarray, floor: float, top: int,
           symmetric: bool, changed: set[int] | None = None, block_cells: int = BLOCK_CELLS) -> Found:
    """Candidate pairs (source row, target row) in different documents (module doc). `changed`:
    document numbers; only pairs touching them are searched (None: all pairs). Sources and
    targets are row numbers in document order; for a symmetric relation they are the same."""
    out = []
    for part in plan(space, sources, targets, symmetric, changed):
        prod = Product(space, part.cols)
        out += [run_span(space, part, prod, sp, floor, top) for sp in spans(space, part, block_cells)]
    return Found.concat(out)
