"""addresses, same_issue and same_measure across documents, from the candidate pairs of the
sparse claim space (space.py).

Candidates: for each source, its best two targets in every other document (similarity ≥ a low
floor). Each candidate gets the features of pairs.py (similarity, sentence-vector cosine, whether
it is the source's best and the target's best in the other document, the margin to the runner-up,
language, shared policy-instrument class, lengths); the pair classifier (models/linking/pairs.json)
decides. Without a trained classifier the thresholds decide: similarity ≥ `cross_doc_min`, or ≥
`cross_doc_class_min` with a shared instrument class, and mutual best when `mutual`.

Everything depends on the two documents of a pair only. Incremental: with `changed` documents,
only pairs with at least one side in them are computed (sources in changed × every target, every
source × targets in changed), in both directions.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .pairs import PairModel, feature_matrix
from .space import ClaimSpace, Row

MIN_MEASURE_CHARS = 6  # a countermeasure shorter than this ('加强合作。') names no measure
CANDIDATE_FLOOR = 0.05
SCORE_FLOOR = 0.1
CHUNK = 200_000  # candidate pairs scored at a time (bounded memory)


@dataclass(frozen=True)
class RelationSpec:
    relation: str
    source: Callable[[Row], bool]
    target: Callable[[Row], bool]
    symmetric: bool


SPECS = {
    "addresses": RelationSpec("addresses", lambda r: r.has("countermeasure"), lambda r: r.has("problem"), False),
    "same_issue": RelationSpec("same_issue", lambda r: r.has("problem"), lambda r: r.has("problem"), True),
    "same_measure": RelationSpec(
        "same_measure", lambda r: r.label == "countermeasure" and r.n_chars >= MIN_MEASURE_CHARS,
        lambda r: r.label == "countermeasure" and r.n_chars >= MIN_MEASURE_CHARS, True),
}

# (relation, source row, target row, score, evidence)
CrossLink = tuple[str, int, int, float, dict]


@dataclass
class Candidates:
    """Candidate pairs of one relation with their features' raw material."""
    i: np.ndarray
    j: np.ndarray
    sim: np.ndarray
    rank: np.ndarray
    mutual: np.ndarray
    margin: np.ndarray

    def take(self, keep: np.ndarray) -> "Candidates":
        return Candidates(self.i[keep], self.j[keep], self.sim[keep], self.rank[keep], self.mutual[keep],
                          self.margin[keep])


def _search(space: ClaimSpace, jobs: list[tuple[np.ndarray, np.ndarray]], floor: float
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    parts = [blk for s_rows, t_rows in jobs for blk in space.pairs(s_rows, t_rows, floor, 2)]
    if not parts:
        z = np.zeros(0, np.int64)
        return z, z, np.zeros(0), z
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(4))  # type: ignore[return-value]


def candidates(space: ClaimSpace, spec: RelationSpec, floor: float, changed: set[int] | None) -> Candidates:
    src = np.array([i for i, r in enumerate(space.rows) if spec.source(r)], dtype=np.int64)
    tgt = np.array([i for i, r in enumerate(space.rows) if spec.target(r)], dtype=np.int64)

    def jobs(a: np.ndarray, b: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        if changed is None:
            return [(a, b)]
        in_a = np.isin(space.doc[a], list(changed)) if len(a) else np.zeros(0, bool)
        in_b = np.isin(space.doc[b], list(changed)) if len(b) else np.zeros(0, bool)
        return [(a[in_a], b), (a[~in_a], b[in_b])]

    fi, fj, fs, fr = _search(space, jobs(src, tgt), floor)
    bi, bj, _, br = (fi, fj, fs, fr) if spec.symmetric else _search(space, jobs(tgt, src), floor)
    n = len(space.rows)
    # mutual: the target's best in the source's document is the source
    mutual = np.isin(fi * n + fj, bj[br == 0] * n + bi[br == 0])
    # margin: a best pair's lead over the runner-up in the same document (0 without one); a
    # runner-up's (negative) distance to the best
    margin = np.zeros(len(fi))
    if len(fi):
        grp = fi * (int(space.doc.max()) + 1) + space.doc[fj]
        order = np.lexsort((fr, grp))
        g, s, r = grp[order], fs[order], fr[order]
        first = np.r_[True, g[1:] != g[:-1]]
        start = np.maximum.accumulate(np.where(first, np.arange(len(g)), 0))
        top_sim = s[start]
        nxt = np.where(np.r_[~first[1:], False], np.r_[s[1:], 0.0], 0.0)
        m = np.where(r == 0, s - nxt, s - top_sim)
        margin[order] = m
    return Candidates(fi, fj, fs, fr, mutual, margin)


def cross_doc_links(space: ClaimSpace, params: dict, changed: set[int] | None = None,
                    model: PairModel | None = None) -> list[CrossLink]:
    """Links across documents for the three claim relations; `changed` = document numbers whose
    pairs are to be computed (None: all)."""
    terms = space.column_terms()
    out: list[CrossLink] = []
    for rel, spec in SPECS.items():
        p = params.get(rel, {})
        top = int(p.get("cross_doc_top", 1))
        min_sim, class_min = float(p["cross_doc_min"]), p.get("cross_doc_class_min")
        floor = CANDIDATE_FLOOR if model is not None else (min(min_sim, class_min) if class_min is not None else min_sim)
        cand = candidates(space, spec, floor, changed)
        shared = shared_classes(space, cand)
        if model is not None:
            # pairs below SCORE_FLOOR are not scored (no dev gold pair lies there; ranks and margins
            # above were computed over all candidates, as in training)
            idx = np.flatnonzero((cand.sim >= SCORE_FLOOR) & (cand.rank < top))
            prob = np.zeros(len(cand.i))
            for k in range(0, len(idx), CHUNK):
                part = idx[k:k + CHUNK]
                prob[part] = model.proba(pair_features(space, rel, cand.take(part), shared[part]))
            keep = (prob >= (params.get("pair_threshold") or model.threshold)) & (cand.rank < top)
            score = prob
        else:
            keep = (cand.sim >= min_sim) | (shared & (cand.sim >= (class_min if class_min is not None else 2.0)))
            if p.get("mutual", False):
                keep &= cand.mutual
            keep &= cand.rank < top
            score = cand.sim
        found: dict[tuple[int, int], tuple[float, float]] = {}
        for i, j, sc, sim in zip(cand.i[keep].tolist(), cand.j[keep].tolist(), score[keep].tolist(),
                                 cand.sim[keep].tolist()):
            key = (min(i, j), max(i, j)) if spec.symmetric else (i, j)
            if key not in found or found[key][0] < sc:
                found[key] = (sc, sim)
        for (i, j), (sc, sim) in sorted(found.items()):
            cls = sorted(space.rows[i].classes & space.rows[j].classes)
            ev = {"similarity": round(sim, 4), **space.shared(i, j, terms), "rule": "across documents"}
            if model is not None:
                ev["classifier"] = {"p": round(sc, 4), "model": model.meta.get("version", "")}
            if cls:
                ev["instrument"] = [x[6:] for x in cls]
            ev = {k: v for k, v in ev.items() if v not in (None, [], "")}
            out.append((rel, i, j, round(sc, 4), ev))
    return out


def shared_classes(space: ClaimSpace, cand: Candidates) -> np.ndarray:
    """Whether each candidate's two claims name a common policy-instrument class."""
    has = np.array([bool(r.classes) for r in space.rows], dtype=bool)
    out = np.zeros(len(cand.i), dtype=bool)
    for k in np.flatnonzero(has[cand.i] & has[cand.j]).tolist():
        out[k] = bool(space.rows[int(cand.i[k])].classes & space.rows[int(cand.j[k])].classes)
    return out


def pair_features(space: ClaimSpace, relation: str, cand: Candidates, shared: np.ndarray) -> np.ndarray:
    """The classifier's feature rows for candidate pairs (pairs.FEATURES)."""
    i, j = cand.i, cand.j
    emb = np.sum(space.emb[i] * space.emb[j], axis=1) if space.emb is not None and space.emb.shape[1] else np.zeros(len(i))
    cross = space.lang[i] != space.lang[j]
    emb = np.where(cross, 0.0, emb)  # the word vectors are monolingual
    chars = np.array([r.n_chars for r in space.rows], dtype=np.float64)
    return feature_matrix(relation, cand.sim, emb, (cand.rank == 0).astype(float), cand.mutual.astype(float),
                          cand.margin, cross.astype(float), shared.astype(float), chars[i], chars[j])
