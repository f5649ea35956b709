"""addresses, same_issue and same_measure across documents, from the candidate pairs of the
sparse claim space (space.py).

A pair needs clear lexical/concept overlap (similarity ≥ `cross_doc_min`), or a lower similarity
(≥ `cross_doc_class_min`) plus a shared policy-instrument class from the glossary (joint park,
benefit sharing…). Each source keeps its best `cross_doc_top` targets in each other document, so
the links between two documents depend on those two documents only.

Incremental: with `changed` documents, only pairs with at least one side in them are computed
(sources in changed × every target, and every source × targets in changed).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .space import ClaimSpace, Row

MIN_MEASURE_CHARS = 6  # a countermeasure shorter than this ('加强合作。') names no measure


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


def _best(space: ClaimSpace, jobs: list[tuple[np.ndarray, np.ndarray]], floor: float, min_sim: float,
          class_min: float | None, top: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(source rows, target rows, similarities): each source's best `top` targets per target
    document among pairs with similarity ≥ min_sim, or ≥ class_min with a shared instrument class."""
    def accept(ii: np.ndarray, jj: np.ndarray, ss: np.ndarray) -> np.ndarray:
        ok = ss >= min_sim
        if class_min is not None:
            for k in np.flatnonzero(~ok & (ss >= class_min)).tolist():  # the band: few pairs
                ok[k] = bool(space.rows[int(ii[k])].classes & space.rows[int(jj[k])].classes)
        return ok

    parts = [blk for s_rows, t_rows in jobs for blk in space.pairs(s_rows, t_rows, floor, top, accept)]
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]))


def cross_doc_links(space: ClaimSpace, params: dict, changed: set[int] | None = None) -> list[CrossLink]:
    """Links across documents for the three claim relations; `changed` = document numbers whose
    pairs are to be computed (None: all). With `mutual`, a pair must also be among the target's
    best matches in the source's document (mutual nearest neighbours within the document pair)."""
    terms = space.column_terms()
    out: list[CrossLink] = []
    for rel, spec in SPECS.items():
        p = params.get(rel, {})
        min_sim = float(p["cross_doc_min"])
        class_min = p.get("cross_doc_class_min")
        floor = min(min_sim, class_min) if class_min is not None else min_sim
        top = int(p.get("cross_doc_top", 1))
        src = np.array([i for i, r in enumerate(space.rows) if spec.source(r)], dtype=np.int64)
        tgt = np.array([i for i, r in enumerate(space.rows) if spec.target(r)], dtype=np.int64)

        def jobs(a: np.ndarray, b: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
            if changed is None:
                return [(a, b)]
            in_a = np.isin(space.doc[a], list(changed)) if len(a) else np.zeros(0, bool)
            in_b = np.isin(space.doc[b], list(changed)) if len(b) else np.zeros(0, bool)
            return [(a[in_a], b), (a[~in_a], b[in_b])]

        n = len(space.rows)
        fi, fj, fs = _best(space, jobs(src, tgt), floor, min_sim, class_min, top)
        if p.get("mutual", False):
            bi, bj, _ = (fi, fj, fs) if spec.symmetric else _best(space, jobs(tgt, src), floor, min_sim, class_min,
                                                                 int(p.get("mutual_top", top)))
            keep = np.isin(fi * n + fj, bj * n + bi)
            fi, fj, fs = fi[keep], fj[keep], fs[keep]
        if spec.symmetric:  # one orientation per pair
            lo, hi = np.minimum(fi, fj), np.maximum(fi, fj)
            fi, fj = lo, hi
        order = np.lexsort((-fs, fj, fi))
        fi, fj, fs = fi[order], fj[order], fs[order]
        first = np.r_[True, (fi[1:] != fi[:-1]) | (fj[1:] != fj[:-1])] if len(fi) else np.zeros(0, bool)
        found = {(int(i), int(j)): float(s) for i, j, s in zip(fi[first], fj[first], fs[first])}
        for (i, j), sim in sorted(found.items()):
            shared = sorted(space.rows[i].classes & space.rows[j].classes)
            ev = {"similarity": round(sim, 4), **space.shared(i, j, terms), "rule": "across documents"}
            if shared:
                ev["instrument"] = [x[6:] for x in shared]
            ev = {k: v for k, v in ev.items() if v not in (None, [], "")}
            out.append((rel, i, j, round(sim, 4), ev))
    return out
