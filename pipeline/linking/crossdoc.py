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

import multiprocessing as mp
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .pairs import PairModel, feature_matrix
from .search import Found, Part, Product, plan, run_span, search, spans
from .space import ClaimSpace, Row

MIN_MEASURE_CHARS = 6  # a countermeasure shorter than this ('加强合作。') names no measure
CANDIDATE_FLOOR = 0.1  # = SCORE_FLOOR: a pair below is never scored, so it need not be found
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


def with_margins(space: ClaimSpace, f: Found) -> Candidates:
    """Candidates of found pairs: a best pair's margin is its lead over the runner-up in the same
    document (its similarity without one); a runner-up's, its (negative) distance to the best.
    The groups (source, target document) must be complete in `f` (a whole search or span)."""
    fi, fj, fs, fr = f.i, f.j, f.sim, f.rank_f
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
    return Candidates(fi, fj, fs, fr, f.rank_b == 0, margin)


def _sides(space: ClaimSpace, spec: RelationSpec) -> tuple[np.ndarray, np.ndarray]:
    src = np.array([i for i, r in enumerate(space.rows) if spec.source(r)], dtype=np.int64)
    tgt = src if spec.symmetric else np.array([i for i, r in enumerate(space.rows) if spec.target(r)], dtype=np.int64)
    return src, tgt


def candidates(space: ClaimSpace, spec: RelationSpec, floor: float, changed: set[int] | None) -> Candidates:
    """Every candidate pair of a relation (the training examples; the stage goes span by span)."""
    src, tgt = _sides(space, spec)
    return with_margins(space, search(space, src, tgt, floor, 2, spec.symmetric, changed))


def _floor(p: dict, model: PairModel | None) -> float:
    if model is not None:
        return CANDIDATE_FLOOR
    class_min = p.get("cross_doc_class_min")
    return min(float(p["cross_doc_min"]), class_min) if class_min is not None else float(p["cross_doc_min"])


def decide(space: ClaimSpace, rel: str, cand: Candidates, params: dict, model: PairModel | None,
           terms: list[str]) -> list[CrossLink]:
    """The links among candidates of one relation (all pairs of a pair of documents are in `cand`)."""
    spec, p = SPECS[rel], params.get(rel, {})
    top = int(p.get("cross_doc_top", 1))
    min_sim, class_min = float(p["cross_doc_min"]), p.get("cross_doc_class_min")
    shared = shared_classes(space, cand)
    if model is not None:
        # pairs below SCORE_FLOOR are not scored (no dev gold pair lies there)
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
    pairs = sorted(found.items())
    shared_terms = space.shared_many(np.array([k[0] for k, _ in pairs], dtype=np.int64),
                                     np.array([k[1] for k, _ in pairs], dtype=np.int64), terms)
    out: list[CrossLink] = []
    version = model.meta.get("version", "") if model is not None else ""
    for ((i, j), (sc, sim)), words in zip(pairs, shared_terms):
        cls = sorted(space.rows[i].classes & space.rows[j].classes)
        ev = {"similarity": round(sim, 4), **words, "rule": "across documents"}
        if model is not None:
            ev["classifier"] = {"p": round(sc, 4), "model": version}
        if cls:
            ev["instrument"] = [x[6:] for x in cls]
        ev = {k: v for k, v in ev.items() if v not in (None, [], "")}
        out.append((rel, i, j, round(sc, 4), ev))
    return out


# what forked workers of cross_doc_links inherit: (space, params, model, terms, plans), products
_SHARED: dict[str, Any] = {}


def _unit(rel: str, k: int, n: int) -> list[CrossLink]:
    """Span n of part k of relation rel (runs in the calling process or a forked worker)."""
    space, params, model, terms, plans = (_SHARED[x] for x in ("space", "params", "model", "terms", "plans"))
    parts, span_lists = plans[rel]
    prod = _SHARED.setdefault("products", {}).get((rel, k))
    if prod is None:
        prod = _SHARED["products"][(rel, k)] = Product(space, parts[k].cols)
    found = run_span(space, parts[k], prod, span_lists[k][n], _floor(params.get(rel, {}), model), 2)
    return decide(space, rel, with_margins(space, found), params, model, terms)


def cross_doc_links(space: ClaimSpace, params: dict, changed: set[int] | None = None,
                    model: PairModel | None = None, jobs: int = 1) -> list[CrossLink]:
    """Links across documents for the three claim relations; `changed` = document numbers whose
    pairs are to be computed (None: all). The search runs span by span (whole documents on one
    side: every decision of a span depends on its rows alone), in `jobs` forked workers when
    there are several spans; the result is the same for any number of workers."""
    plans: dict[str, tuple[list[Part], list[list[list[np.ndarray]]]]] = {}
    units: list[tuple[str, int, int]] = []
    for rel, spec in SPECS.items():
        parts = plan(space, *_sides(space, spec), spec.symmetric, changed)
        span_lists = [spans(space, part) for part in parts]
        plans[rel] = (parts, span_lists)
        units += [(rel, k, n) for k, sl in enumerate(span_lists) for n in range(len(sl))]
    _SHARED.clear()
    _SHARED.update(space=space, params=params, model=model, terms=space.column_terms(), plans=plans)
    out: list[CrossLink] = []
    try:
        if jobs > 1 and len(units) > 1 and "fork" in mp.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=min(jobs, len(units)), mp_context=mp.get_context("fork")) as ex:
                for links in ex.map(_unit, *zip(*units)):
                    out += links
        else:
            for u in units:
                out += _unit(*u)
    finally:
        _SHARED.clear()
    return out


def shared_classes(space: ClaimSpace, cand: Candidates) -> np.ndarray:
    """Whether each candidate's two claims name a common policy-instrument class."""
    has = space.has_class
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
    chars = space.chars
    return feature_matrix(relation, cand.sim, emb, (cand.rank == 0).astype(float), cand.mutual.astype(float),
                          cand.margin, cross.astype(float), shared.astype(float), chars[i], chars[j])
