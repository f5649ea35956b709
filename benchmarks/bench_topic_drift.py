"""How far can new documents be assigned to a saved topic model before it should be refitted?
(The measurement behind TopicSettings.drift_threshold; not a test.)

    .venv/bin/python benchmarks/bench_topic_drift.py [--n 12179] [--k 10]

On the shared Chinese abstracts (indexed once, segmentation only): for a share f of documents
held out, fit on the rest, assign the held-out units to that model (what an incremental rebuild
does), then refit on everything. Reported per f:
  - agreement: share of held-out units whose assigned topic is the refit's topic (topics matched
    one-to-one by top-term overlap, Hungarian assignment);
  - baseline: the same agreement between the refit and a fit that saw all units but a different
    20% subsample (what refitting itself varies by);
  - oov: share of the held-out units' tokens outside the saved vocabulary;
  - c_v of the assigned-to model vs the refit.
Writes outputs/bench/topic_drift.json.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    import corpora
    from scipy.optimize import linear_sum_assignment

    from pipeline.api import Index
    from pipeline.index import schema
    from pipeline.settings import Settings
    from pipeline.topics import TopicSettings, fit_topics
    from pipeline.topics.incremental import Assigner, _Unit
    from pipeline.topics.stage import iter_units

    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=12179)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--work", default="/tmp/litmine-bench")
    ap.add_argument("--shares", default="0.05,0.1,0.2,0.3,0.5")
    ap.add_argument("--reps", type=int, default=3, help="random hold-outs per share (averaged)")
    args = ap.parse_args()
    work = Path(args.work)
    corpus = corpora.abstracts(args.n, work / f"abstracts_{args.n}")
    index = work / f"drift_{args.n}.sqlite"
    Index.rebuild(corpus, index, Settings(jobs=2, stages=()))
    conn = schema.connect(str(index), readonly=True)
    units = list(iter_units(conn, "zh", "paragraph"))
    docs = sorted({u.doc_id for u in units})
    ts = TopicSettings(k=args.k)

    def fit(us):
        return fit_topics(lambda: iter(us), "zh", ts)

    def dominant(res, us):
        return [res.unit_topics.get(u.unit_id, (-1, 0))[0] for u in us]

    def top_sets(res):
        return [set(w for w, _ in t.terms[:20]) for t in res.topics]

    def match(a, b):
        """topic of a -> topic of b, maximising top-term overlap."""
        sa, sb = top_sets(a), top_sets(b)
        cost = np.array([[-len(x & y) / max(1, len(x | y)) for y in sb] for x in sa])
        r, c = linear_sum_assignment(cost)
        return dict(zip(r, c))

    def agree(x, y, mapping):
        pairs = [(p, q) for p, q in zip(x, y) if p >= 0 and q >= 0]
        return sum(mapping.get(p) == q for p, q in pairs) / max(1, len(pairs))

    t0 = time.perf_counter()
    full = fit(units)
    out = {"n_docs": len(docs), "n_units": len(units), "k": args.k, "rows": []}
    from pipeline.topics.clean import clean_tokens
    from pipeline.topics.fit import stopwords_for

    stop = stopwords_for("zh", ts)

    def assigned_topics(model, us):
        shares, lengths = Assigner(model).shares([_Unit(u.unit_id, u.doc_id, u.tokens, []) for u in us])
        return [int(np.argmax(r)) if n > 0 and r.sum() > 0 else -1 for r, n in zip(shares, lengths)]

    cv = lambda r: next((row.get("c_v") for row in r.sweep if row["k"] == r.chosen_k), None)  # noqa: E731
    for f in [float(x) for x in args.shares.split(",")]:
        acc: dict[str, list[float]] = {"agreement": [], "baseline": [], "oov": [], "c_v_model": []}
        for rep in range(args.reps):
            rng = np.random.default_rng(100 + rep)
            held = set(rng.choice(docs, size=int(round(f * len(docs))), replace=False).tolist())
            new_units = [u for u in units if u.doc_id in held]
            model = fit([u for u in units if u.doc_id not in held])
            refit = dominant(full, new_units)
            acc["agreement"].append(agree(assigned_topics(model, new_units), refit, match(model, full)))
            # what refitting itself varies by: a model fitted without another random share f of the documents
            other = set(rng.choice(docs, size=int(round(f * len(docs))), replace=False).tolist())
            alt = fit([u for u in units if u.doc_id not in other])
            acc["baseline"].append(agree(assigned_topics(alt, new_units), refit, match(alt, full)))
            a = Assigner(model)
            n_tok = sum(len(clean_tokens(u.tokens, "zh", stop)) for u in new_units)
            acc["oov"].append(1 - sum(len(a.ids(u.tokens)) for u in new_units) / max(1, n_tok))
            acc["c_v_model"].append(cv(model) or 0.0)
        row = {"share": f, **{k: round(float(np.mean(v)), 3) for k, v in acc.items()}, "c_v_refit": cv(full),
               "agreement_reps": [round(float(x), 3) for x in acc["agreement"]]}
        out["rows"].append(row)
        print(row, flush=True)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    dest = ROOT / "outputs" / "bench" / "topic_drift.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(out, indent=2), encoding="utf-8")
    print(f"wrote {dest}")


if __name__ == "__main__":
    main()
