"""fit_topics: sweep K x seeds, choose K, assign every unit and document its topics."""
from __future__ import annotations

import math
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np

from ..errors import LitmineError
from .clean import load_stopwords
from .corpus import PreparedCorpus, prepare
from .engines import make_engine
from .quality import choose_k, coherence, matched_jaccard
from .types import LANGS, Topic, TopicModelResult, TopicSettings, TopicUnit

FORMAT_VERSION = 1


def k_candidates(settings: TopicSettings, n_units: int, n_terms: int) -> tuple[list[int], str]:
    """Ks worth trying on this corpus. A topic needs evidence: at most ~sqrt(n) topics and at least
    ~10 units per topic, so 150 paragraphs allow 12 topics and 40 allow 4."""
    cap = max(2, min(n_units // 10, int(math.isqrt(max(n_units, 1))), n_terms // 5))
    if settings.k is not None:
        if settings.k <= cap:
            return [settings.k], ""
        return [cap], f"k={settings.k} reduced to {cap}: only {n_units} units / {n_terms} terms to model"
    ks = [k for k in sorted(settings.k_range) if k <= cap]
    if ks:
        return ks, ""
    small = sorted({max(2, round(cap * f)) for f in (0.5, 0.75, 1.0)})
    return small, f"k_range reduced to {small}: only {n_units} units / {n_terms} terms to model"


def _top_terms(engine, vocab: list[str], n: int) -> list[list[str]]:
    out = []
    for row in engine.topic_term:
        # Stable sort on (-weight, term id): equal weights do not reorder between runs.
        idx = np.lexsort((np.arange(len(row)), -row))[:n]
        out.append([vocab[i] for i in idx if row[i] > 0])
    return out


def _labels(top: list[list[str]], n: int = 3) -> list[str]:
    # Terms that head many topics (e.g. 产业 in a corpus about industry) do not tell topics apart.
    heads = Counter(t for terms in top for t in terms[:n])
    shared = {t for t, c in heads.items() if c > max(1, len(top) // 3)}
    labels = []
    for terms in top:
        pick = [t for t in terms if t not in shared][:n] or terms[:n]
        labels.append(" · ".join(pick))
    return labels


def fit_topics(units: Callable[[], Iterable[TopicUnit]], lang: str, settings: TopicSettings,
               jobs: int = 1) -> TopicModelResult:
    """Model the `lang` units of a re-iterable stream. `units()` is called a few times (phrases,
    vocabulary); nothing but int32 id sequences of the units is kept in memory. `jobs` > 1 fits
    the sweep's Ks in that many processes (same results: every fit is seeded and single-threaded)."""
    from threadpoolctl import threadpool_limits

    if lang not in LANGS:
        raise LitmineError(f"unsupported topic language '{lang}': choose one of {', '.join(LANGS)}")
    settings.validate()
    stopwords = stopwords_for(lang, settings)
    t_start = time.perf_counter()
    # One BLAS thread: multi-threaded reductions can change float sums between runs.
    with threadpool_limits(limits=1):
        pc = prepare(units, lang, settings, stopwords)
        n_fit, n_terms = len(pc.fit_rows), len(pc.vocab)
        if n_fit < 4 or n_terms < 4:
            raise LitmineError(f"too little '{lang}' text for topics: {n_fit} units with >= "
                               f"{settings.min_unit_tokens} tokens, {n_terms} recurring terms")
        ks, note = k_candidates(settings, n_fit, n_terms)
        sweep_rows = _sweep_rows(pc, settings)
        sweep, runs, engines = _sweep(pc, settings, ks, sweep_rows, jobs, loose=len(ks) > 1)
        measure = next(m for m in ("c_v", "c_npmi", "u_mass") if m in settings.coherence)
        if len(ks) == 1:
            chosen = ks[0]
            reason = f"K={chosen} fixed by settings" if settings.k is not None else f"K={chosen}: only candidate"
            row = next(r for r in sweep if r["k"] == chosen and r["seed"] == settings.seeds[0])
            reason += f" ({measure} {row.get(measure, float('nan')):.3f})"
        else:
            chosen, reason = choose_k(sweep, measure, settings.stability_floor)
        if note:
            reason = f"{note}; {reason}"
        engine = engines[chosen]
        if len(sweep_rows) < len(pc.fit_rows) or getattr(engine, "tol", settings.tol) != settings.tol:
            # the sweep fitted a sample of the units, or stopped early: the kept model is fitted on
            # all of them at the full tolerance (the same model a sweep-free fit at this K gives)
            engine = make_engine(settings, pc.vocab)
            engine.fit(pc.X[pc.fit_rows], chosen, settings.seeds[0])
            if len(sweep_rows) < len(pc.fit_rows):
                reason += f" (K chosen on a sample of {len(sweep_rows)} of {len(pc.fit_rows)} units, model fitted on all)"
        shares = engine.transform(pc.X)
        result = _result(pc, settings, engine, shares, sweep, chosen, reason, lang)
    result.config["seconds_total"] = round(time.perf_counter() - t_start, 3)
    return result


def stopwords_for(lang: str, settings: TopicSettings) -> frozenset[str]:
    stop_dir = Path(settings.stopwords_dir) if settings.stopwords_dir else None
    stopwords = load_stopwords(lang, stop_dir)
    if lang == "zh":
        # Chinese papers quote English (titles, references); its function words are not topics either.
        stopwords = stopwords | load_stopwords("en", stop_dir)
    return stopwords


def _sweep_rows(pc: PreparedCorpus, settings: TopicSettings) -> np.ndarray:
    """The units the K sweep fits on: all, or a sample fixed by the corpus (not the seed) when
    there are more than `sweep_max_units` — K is a property of the corpus that a few thousand
    units show, and the sweep's 3 fits per K dominate the stage's time on large corpora."""
    m = settings.sweep_max_units
    if not m or len(pc.fit_rows) <= m:
        return pc.fit_rows
    return np.sort(np.random.default_rng(0).choice(pc.fit_rows, size=m, replace=False))


def _sweep_k(pc: PreparedCorpus, settings: TopicSettings, k: int, base_rows: np.ndarray, seeds: tuple[int, ...],
             loose: bool = True):
    """One K of the sweep: (rows, top-term runs, the first seed's engine)."""
    from threadpoolctl import threadpool_limits

    rows: list[dict[str, Any]] = []
    runs: list[list[list[str]]] = []
    kept = None
    ref_terms: list[list[str]] = []
    with threadpool_limits(limits=1):
        for si, seed in enumerate(seeds):
            if si == 0:
                fit_rows = base_rows
            else:
                rng = np.random.default_rng(seed)
                m = max(k + 1, int(round(settings.subsample * len(base_rows))))
                fit_rows = np.sort(rng.choice(base_rows, size=min(m, len(base_rows)), replace=False))
            eng = make_engine(settings, pc.vocab, sweep=loose)
            t0 = time.perf_counter()
            eng.fit(pc.X[fit_rows], k, seed)
            secs = time.perf_counter() - t0
            terms = _top_terms(eng, pc.vocab, settings.topn)
            if si == 0:
                kept = eng
                ref_terms = terms
                stab = None
            else:
                stab = matched_jaccard(ref_terms, terms)
            rows.append({"k": k, "seed": seed, "engine": settings.engine, "units": int(len(fit_rows)),
                         "stability": stab, "seconds": round(secs, 3)})
            runs.append(terms)
    return rows, runs, kept


_SWEEP: tuple | None = None  # (pc, settings, base_rows, seeds) for forked sweep workers


def _sweep_k_forked(k: int):
    assert _SWEEP is not None
    pc, settings, base_rows, seeds, loose = _SWEEP
    return _sweep_k(pc, settings, k, base_rows, seeds, loose)


def _sweep(pc: PreparedCorpus, settings: TopicSettings, ks: list[int], base_rows: np.ndarray | None = None,
           jobs: int = 1, loose: bool = False):
    """Per K: the first seed fits all sweep units (the model we keep); every other seed refits on a
    seeded subsample. Stability = matched top-term Jaccard of those refits to the full fit (Greene
    et al. 2014), so it measures whether the topics are a property of the corpus, not of one run."""
    global _SWEEP
    import sys

    base_rows = pc.fit_rows if base_rows is None else base_rows
    rows: list[dict[str, Any]] = []
    runs: list[list[list[str]]] = []
    engines: dict[int, Any] = {}
    seeds = settings.seeds if settings.k is None else settings.seeds[:1]
    if jobs > 1 and len(ks) > 1 and sys.platform.startswith("linux"):
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        _SWEEP = (pc, settings, base_rows, seeds, loose)  # forked workers see it without pickling the corpus
        try:
            # largest K first: the slowest fits start first
            order = sorted(ks, reverse=True)
            with ProcessPoolExecutor(max_workers=min(jobs, len(ks)), mp_context=mp.get_context("fork")) as ex:
                done = dict(zip(order, ex.map(_sweep_k_forked, order)))
        finally:
            _SWEEP = None
        per_k = [done[k] for k in ks]
    else:
        per_k = [_sweep_k(pc, settings, k, base_rows, seeds, loose) for k in ks]
    for k, (k_rows, k_runs, eng) in zip(ks, per_k):
        rows += k_rows
        runs += k_runs
        engines[k] = eng
    # The coherence sample is fixed by the corpus, not by the seed, so every run is scored on the same texts.
    sample = base_rows
    if settings.coherence_max_units and len(sample) > settings.coherence_max_units:
        sample = np.sort(np.random.default_rng(0).choice(sample, size=settings.coherence_max_units, replace=False))
    # Coherence is scored on the full-data model of each K (the one kept); the subsample refits
    # only measure stability. Scoring them too tripled the sweep's cost (coherence is ~70% of it)
    # without changing which K wins.
    kept = [i for i, r in enumerate(rows) if r["seed"] == seeds[0]]
    t0 = time.perf_counter()
    scores = coherence([runs[i] for i in kept], pc, settings.coherence, sample, settings.topn)
    coh_secs = time.perf_counter() - t0
    for i, s in zip(kept, scores):
        rows[i].update(s)
        rows[i]["coherence_seconds"] = round(coh_secs / max(1, len(kept)), 3)
    # The full-data row carries the K's mean stability, so the table reads one line per K too.
    for k in ks:
        vals = [r["stability"] for r in rows if r["k"] == k and r["stability"] is not None]
        for r in rows:
            if r["k"] == k and r["seed"] == seeds[0]:
                r["stability"] = float(np.mean(vals)) if vals else None
    return rows, runs, engines


def _result(pc: PreparedCorpus, settings: TopicSettings, engine, shares: np.ndarray, sweep, chosen: int,
            reason: str, lang: str) -> TopicModelResult:
    k = shares.shape[1]
    lengths = pc.lengths
    # A unit whose words all carry ~zero weight gets an all-zero row from NMF: no topic, like an empty unit.
    modelled = (lengths > 0) & (shares.sum(axis=1) > 0)
    prevalence = shares[modelled].mean(axis=0) if modelled.any() else np.zeros(k)
    # Topics numbered by prevalence (largest first) so ids read the same however the engine ordered them.
    order = np.lexsort((np.arange(k), -np.round(prevalence, 12)))
    shares = shares[:, order]
    topic_term = engine.topic_term[order]
    prevalence = prevalence[order]
    top = []
    for row in topic_term:
        idx = np.lexsort((np.arange(len(row)), -row))[: settings.n_terms]
        top.append([(pc.vocab[i], float(row[i])) for i in idx if row[i] > 0])
    labels = _labels([[t for t, _ in terms] for terms in top])
    topics = [Topic(i, lang, top[i], labels[i], float(prevalence[i])) for i in range(k)]

    unit_topics: dict[str, tuple[int, float]] = {}
    for uid, row, ok in zip(pc.unit_ids, shares, modelled):
        if ok:
            j = int(np.argmax(row))
            unit_topics[uid] = (j, float(row[j]))
        else:
            unit_topics[uid] = (-1, 0.0)  # nothing topical left (a DOI line, a number, rare words only)
    # Document mix: units weighted by their token counts, so a long paragraph counts more than a heading.
    sums: dict[str, np.ndarray] = {}
    for did, row, n in zip(pc.doc_ids, shares, lengths):
        sums.setdefault(did, np.zeros(k))
        sums[did] += row * n
    doc_state: dict[str, tuple[int, int, list[float]]] = {}
    for did, row, ok in zip(pc.doc_ids, shares, modelled):
        n_all, n_mod, acc = doc_state.get(did, (0, 0, [0.0] * k))
        if ok:
            acc = [a + float(x) for a, x in zip(acc, row)]
        doc_state[did] = (n_all + 1, n_mod + int(ok), acc)
    doc_topics = {}
    for did, v in sums.items():
        tot = v.sum()
        v = v / tot if tot > 0 else v
        doc_topics[did] = [(j, float(v[j])) for j in range(k)]

    state = {"vocab": pc.vocab, "dfs": pc.dfs, "topic_term": topic_term, "order": order,
             "engine_state": engine.state(), "phrasegrams": pc.phrasegrams}
    config = {
        "format_version": FORMAT_VERSION,
        "lang": lang,
        "settings": settings.to_dict(),
        "chosen_k": chosen,
        "n_units": len(pc.unit_ids),
        "n_units_fitted": int(len(pc.fit_rows)),
        "n_units_unassigned": int((~modelled).sum()),
        "n_docs": len(doc_topics),
        "n_terms": len(pc.vocab),
        "no_below": pc.no_below,
        "phrases": pc.phrases[:200],
        "n_phrases": len(pc.phrases),
        "stopwords": len(load_stopwords(lang, Path(settings.stopwords_dir) if settings.stopwords_dir else None)),
        "versions": _versions(settings.engine),
    }
    return TopicModelResult(lang=lang, engine=settings.engine, topics=topics, unit_topics=unit_topics,
                            doc_topics=doc_topics, sweep=sweep, chosen_k=chosen, reason=reason, config=config,
                            corpus_hash=pc.corpus_hash, state=state, doc_state=doc_state)


def _versions(engine: str) -> dict[str, str]:
    import gensim
    import sklearn

    v = {"gensim": gensim.__version__, "scikit-learn": sklearn.__version__, "numpy": np.__version__}
    if engine == "tomotopy":
        import tomotopy

        v["tomotopy"] = tomotopy.__version__
    return v
