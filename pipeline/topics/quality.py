"""Topic quality: coherence (gensim CoherenceModel), seed/subsample stability, and the choice of K."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .corpus import PreparedCorpus


def gensim_dictionary(pc: PreparedCorpus):
    from gensim.corpora import Dictionary

    d = Dictionary()
    d.token2id = {t: i for i, t in enumerate(pc.vocab)}
    d.dfs = {i: int(v) for i, v in enumerate(pc.dfs)}
    d.num_docs = len(pc.unit_ids)
    return d


def coherence(runs: list[list[list[str]]], pc: PreparedCorpus, measures: tuple[str, ...], sample_rows: np.ndarray,
              topn: int) -> list[dict[str, float]]:
    """Coherence of every run's topics. One probability estimate per measure serves all runs
    (gensim's for_topics: co-occurrences of the union of their top terms), so a sweep of 20 models
    costs one pass over the texts, not 20."""
    from gensim.matutils import Sparse2Corpus
    from gensim.models.coherencemodel import CoherenceModel

    out: list[dict[str, float]] = [{} for _ in runs]
    if not runs:
        return out
    dictionary = gensim_dictionary(pc)
    for m in measures:
        if m == "u_mass":
            src: dict[str, Any] = {"corpus": list(Sparse2Corpus(pc.X[pc.fit_rows], documents_columns=False))}
        else:
            src = {"texts": pc.texts(sample_rows)}
        cm = CoherenceModel.for_topics(runs, dictionary=dictionary, coherence=m, topn=topn, processes=1, **src)
        for i, topics in enumerate(runs):
            cm.topics = topics
            vals = np.asarray(cm.get_coherence_per_topic(), dtype=np.float64)
            vals = vals[np.isfinite(vals)]
            out[i][m] = float(vals.mean()) if len(vals) else float("nan")
    return out


def matched_jaccard(a: list[list[str]], b: list[list[str]]) -> float:
    """Mean Jaccard of top-term sets after one-to-one matching of topics (Hungarian)."""
    if not a or not b:
        return float("nan")
    J = np.array([[len(set(x) & set(y)) / max(1, len(set(x) | set(y))) for y in b] for x in a])
    from scipy.optimize import linear_sum_assignment  # scipy.optimize is slow to import: only the sweep needs it

    r, c = linear_sum_assignment(-J)
    return float(J[r, c].sum() / max(len(a), len(b)))


def choose_k(sweep: list[dict[str, Any]], measure: str, floor: float) -> tuple[int, str]:
    """K with the best mean coherence among the Ks whose mean stability reaches `floor`
    (without any, the most stable K); exact ties go to the smaller K. Not a one-SE "smallest K"
    rule: c_v is flat over K on real corpora and that rule always returned the smallest K
    (4 topics for 12k abstracts across 67 disciplines). Near ties are named in the reason."""
    ks = sorted({r["k"] for r in sweep})

    def mean(k: int, key: str) -> Optional[float]:
        vals = [r[key] for r in sweep if r["k"] == k and r.get(key) is not None and np.isfinite(r[key])]
        return float(np.mean(vals)) if vals else None

    coh = {k: mean(k, measure) for k in ks}
    stab = {k: mean(k, "stability") for k in ks}
    has_stab = any(v is not None for v in stab.values())
    cands = [k for k in ks if coh[k] is not None]
    if not cands:
        k = ks[0]
        return k, f"K={k}: no coherence could be computed (too few terms); smallest candidate taken"
    cohs = {k: c for k in cands if (c := coh[k]) is not None}
    eligible = [k for k in cands if not has_stab or ((s := stab[k]) is not None and s >= floor)]
    table = ", ".join(f"K={k} {measure} {coh[k]:.3f}" + (f"/stab {stab[k]:.2f}" if stab[k] is not None else "")
                      for k in cands)
    if not eligible:
        k = max(cands, key=lambda k: (stab[k] or 0.0, -k))
        return k, (f"K={k}: no K reached seed stability {floor:.2f}; took the most stable "
                   f"({measure} {coh[k]:.3f}, stability {stab[k]:.2f}). Sweep: {table}")
    k = max(eligible, key=lambda x: (cohs[x], -x))
    why = f"mean {measure} {coh[k]:.3f}"
    if has_stab:
        why += f", seed stability {stab[k]:.2f} (>= {floor:.2f})"
    close = [x for x in eligible if x != k and cohs[x] >= cohs[k] - 0.01]
    if close:
        why += "; within 0.01 (a toss-up, set k to prefer one): " + ", ".join(f"K={x}" for x in close)
    unstable = [x for x in cands if x not in eligible and cohs[x] > cohs[k]]
    if unstable:
        why += f"; higher {measure} but unstable: " + ", ".join(f"K={x}" for x in unstable)
    return k, f"K={k}: best {why}. Sweep: {table}"
