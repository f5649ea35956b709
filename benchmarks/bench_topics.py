"""Topic-stage benchmark (not a test): decides the default engine on coherence and seed stability.

For each corpus (default corpus zh/en, 12,179 Chinese abstracts, 503 NBER English abstracts):
  1. our full sweep with default settings (K x seeds) -> chosen K, sweep seconds;
  2. at the chosen K, with all scores on the same cleaned tokens and the same c_v estimate:
     - our stage, engine nmf / lda / tomotopy (if installed): end-to-end seconds (cleaning, vocabulary,
       fit, assigning every unit) and fit seconds, c_v, seed stability;
     - plain gensim LdaModel on the same tokens (same passes/iterations): our overhead = ours / plain;
     - plain scikit-learn NMF and LatentDirichletAllocation on the same tokens.
Prints a table and writes outputs/bench/topics.json.

    .venv/bin/python benchmarks/bench_topics.py [--quick]     # --quick: skip the 12k corpus
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import topic_data as td  # noqa: E402
from pipeline.topics import TopicSettings, fit_topics, load_stopwords, tomotopy_available  # noqa: E402
from pipeline.topics.corpus import prepare  # noqa: E402
from pipeline.topics.quality import coherence, matched_jaccard  # noqa: E402

OUT = td.ROOT / "outputs" / "bench" / "topics.json"


def _top(T: np.ndarray, vocab: list[str], n: int = 10) -> list[list[str]]:
    return [[vocab[i] for i in np.argsort(-row, kind="stable")[:n]] for row in T]


def _plain_runs(pc, k: int, s: TopicSettings, seeds: tuple[int, ...]) -> dict[str, list[tuple[float, list]]]:
    # Baselines fit all (>= min_unit_tokens) units for every seed: no subsampling.
    """Baselines on exactly our cleaned tokens: (seconds, top terms) per seed."""
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel
    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.feature_extraction.text import TfidfTransformer
    from threadpoolctl import threadpool_limits

    texts = pc.texts(pc.fit_rows)
    X = pc.X[pc.fit_rows]
    out: dict[str, list] = {"gensim LdaModel (plain)": [], "sklearn NMF (plain)": [], "sklearn LDA (plain)": []}
    with threadpool_limits(1):
        for seed in seeds:
            t0 = time.perf_counter()
            d = Dictionary(texts)
            bow = [d.doc2bow(t) for t in texts]
            m = LdaModel(bow, id2word=d, num_topics=k, random_state=seed, passes=s.passes, iterations=s.iterations,
                         chunksize=s.chunksize, eval_every=None)
            secs = time.perf_counter() - t0
            out["gensim LdaModel (plain)"].append((secs, [[w for w, _ in m.show_topic(j, 10)] for j in range(k)]))

            t0 = time.perf_counter()
            T = TfidfTransformer(sublinear_tf=True).fit_transform(X)
            nmf = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=s.max_iter).fit(T)
            out["sklearn NMF (plain)"].append((time.perf_counter() - t0, _top(nmf.components_, pc.vocab)))

            t0 = time.perf_counter()
            lda = LatentDirichletAllocation(n_components=k, random_state=seed, learning_method="online",
                                            max_iter=10, batch_size=s.chunksize).fit(X)
            out["sklearn LDA (plain)"].append((time.perf_counter() - t0, _top(lda.components_, pc.vocab)))
    return out


def bench_corpus(name: str, rows: list[dict], lang: str, engines: list[str]) -> dict:
    stream = td.units_of(rows, lang)
    base = TopicSettings()
    t0 = time.perf_counter()
    sweep_res = fit_topics(stream, lang, base)
    sweep_secs = time.perf_counter() - t0
    k = sweep_res.chosen_k
    print(f"\n== {name} [{lang}]: {len(sweep_res.unit_topics)} units; sweep {sweep_secs:.1f}s -> K={k}")
    print("   " + sweep_res.reason)
    for t in sweep_res.topics:
        print(f"   T{t.topic_id} {t.prevalence:5.1%}  {' '.join(w for w, _ in t.terms[:10])}")

    # Everything below is scored with one coherence estimate on the same cleaned texts.
    stop = load_stopwords(lang) | (load_stopwords("en") if lang == "zh" else frozenset())
    pc = prepare(stream, lang, base, stop)
    sample = pc.fit_rows
    if base.coherence_max_units and len(sample) > base.coherence_max_units:
        sample = np.sort(np.random.default_rng(0).choice(sample, size=base.coherence_max_units, replace=False))
    seeds = base.seeds
    table = []
    for eng in engines:
        # Quality: the full fit plus subsample refits, as in the sweep (stability = agreement of refits
        # on 80% subsamples with the full fit; scored on the same c_v sample as the baselines below).
        q = fit_topics(stream, lang, TopicSettings(engine=eng, k_range=(k,), seeds=seeds))
        t0 = time.perf_counter()
        fit_topics(stream, lang, TopicSettings(engine=eng, k=k))  # what a user pays at a fixed K
        stage = time.perf_counter() - t0
        table.append({"system": f"litmine {eng}", "k": k, "stage_seconds": stage,
                      "fit_seconds": q.sweep[0]["seconds"],
                      # c_v / u_mass of the kept (full-data) model; the subsample refits only measure stability
                      "c_v": q.sweep[0]["c_v"], "u_mass": q.sweep[0]["u_mass"],
                      "subsample_stability": q.sweep[0]["stability"], "seed_stability": None})
    systems = _plain_runs(pc, k, base, seeds)
    all_runs = [terms for runs in systems.values() for _, terms in runs]
    scores = coherence(all_runs, pc, ("c_v", "u_mass"), sample, 10)
    i = 0
    for sysname, runs in systems.items():
        cv = [scores[i + j]["c_v"] for j in range(len(runs))]
        um = [scores[i + j]["u_mass"] for j in range(len(runs))]
        i += len(runs)
        # Same data, different seeds: NMF's SVD-based init makes this trivially 1.0.
        stab = [matched_jaccard(runs[0][1], r[1]) for r in runs[1:]]
        table.append({"system": sysname, "k": k, "stage_seconds": None, "fit_seconds": runs[0][0],
                      "c_v": float(np.mean(cv)), "c_v_sd": float(np.std(cv)), "u_mass": float(np.mean(um)),
                      "subsample_stability": None, "seed_stability": float(np.mean(stab)) if stab else None})
    plain = next(r for r in table if r["system"] == "gensim LdaModel (plain)")
    for row in table:
        # End-to-end stage time (ours) or fit time (baselines) over plain gensim's fit: our overhead.
        row["seconds_vs_plain_gensim"] = (row["stage_seconds"] or row["fit_seconds"]) / plain["fit_seconds"]

    def f(x, spec):
        return format(x, spec) if x is not None else format(float("nan"), spec)

    print(f"   {'system':24s} {'stage s':>8s} {'fit s':>7s} {'x gensim':>8s} {'c_v':>6s} {'±':>5s} "
          f"{'u_mass':>7s} {'sub-stab':>8s} {'seed-stab':>9s}")
    for row in table:
        print(f"   {row['system']:24s} {f(row['stage_seconds'], '8.2f')} {row['fit_seconds']:7.2f} "
              f"{row['seconds_vs_plain_gensim']:8.2f} {row['c_v']:6.3f} {f(row.get('c_v_sd'), '5.3f')} {row['u_mass']:7.2f} "
              f"{f(row['subsample_stability'], '8.2f')} {f(row['seed_stability'], '9.2f')}")
    return {"corpus": name, "lang": lang, "units": len(sweep_res.unit_topics), "units_fitted": len(pc.fit_rows),
            "vocab": len(pc.vocab), "sweep_seconds": sweep_secs, "chosen_k": k, "reason": sweep_res.reason,
            "sweep": sweep_res.sweep, "topics": [{"id": t.topic_id, "prevalence": t.prevalence, "label": t.label,
                                                   "terms": [w for w, _ in t.terms[:10]]} for t in sweep_res.topics],
            "systems": table}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip the 12k abstracts")
    args = ap.parse_args()
    engines = ["nmf", "lda"] + (["tomotopy"] if tomotopy_available() else [])
    corpus = td.corpus_rows()
    results = [bench_corpus("default corpus", corpus, "zh", engines),
               bench_corpus("default corpus", corpus, "en", engines),
               bench_corpus("NBER abstracts", td.en_abstract_rows(), "en", engines)]
    if not args.quick:
        results.append(bench_corpus("12k zh abstracts", td.zh_abstract_rows(), "zh", engines))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"results": results}, ensure_ascii=False, indent=1, default=float), "utf-8")
    print(f"\nwrote {OUT}")


if __name__ == "__main__":
    main()
