"""Save/load a topic model as plain files with deterministic bytes (sorted keys, weights rounded
to 6 decimals, no timestamps). Timings are not saved: they differ between identical runs.

    models/topics/<lang>/
      config.json        settings, chosen K, reason, corpus hash, library versions
      topics.json        topics: id, label, prevalence, top terms with weights
      sweep.tsv          one row per (k, seed): coherence, stability
      dictionary.tsv     id, term, document frequency
      unit_topics.tsv    unit_id, dominant topic, share
      doc_topics.tsv     doc_id, share of each topic
      topic_term.npy     K x V topic-term distribution (rows sum to 1)
      engine_*.npy       what the engine needs to assign topics to new units
      phrases.txt        learned phrases (gensim Phrases), to join a new unit's words the same way
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import LitmineError, Msg
from .types import Topic, TopicModelResult

ROUND = 6
_VOLATILE = ("seconds_total",)
SWEEP_COLUMNS = ("k", "seed", "engine", "units", "c_v", "c_npmi", "u_mass", "stability")


def _r(x: Any) -> Any:
    if isinstance(x, (float, np.floating)):
        x = float(x)
        return None if not math.isfinite(x) else round(x, ROUND) + 0.0  # +0.0 folds -0.0
    return x


def _fmt(x: Any) -> str:
    x = _r(x)
    if x is None:
        return ""
    if isinstance(x, float):
        return f"{x:.{ROUND}f}"
    return str(x)


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def _save_npy(path: Path, a: np.ndarray) -> None:
    np.save(path, np.round(np.asarray(a, dtype=np.float64), ROUND) + 0.0, allow_pickle=False)


def save_model(result: TopicModelResult, directory: Path) -> None:
    """Write `result` to `directory` (created; existing model files replaced)."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    config = {k: v for k, v in result.config.items() if k not in _VOLATILE}
    config.update({"engine": result.engine, "chosen_k": result.chosen_k, "reason": result.reason,
                   "corpus_hash": result.corpus_hash})
    _write(d / "config.json", _json(config))
    topics = [{"topic_id": t.topic_id, "lang": t.lang, "label": t.label, "prevalence": _r(t.prevalence),
               "terms": [[w, _r(x)] for w, x in t.terms]} for t in result.topics]
    # One topic per line: diffs of a refit read topic by topic.
    _write(d / "topics.json", "[\n" + ",\n".join(json.dumps(t, ensure_ascii=False, sort_keys=True)
                                                    for t in topics) + "\n]\n")
    lines = ["\t".join(SWEEP_COLUMNS)]
    for row in result.sweep:
        lines.append("\t".join(_fmt(row.get(c)) for c in SWEEP_COLUMNS))
    _write(d / "sweep.tsv", "\n".join(lines) + "\n")
    st = result.state
    if st.get("vocab") is not None:
        _write(d / "dictionary.tsv", "id\tterm\tdf\n" + "".join(
            f"{i}\t{t}\t{int(df)}\n" for i, (t, df) in enumerate(zip(st["vocab"], st["dfs"]))))
        _save_npy(d / "topic_term.npy", st["topic_term"])
        for name, arr in sorted(st.get("engine_state", {}).items()):
            _save_npy(d / f"engine_{name}.npy", arr)
        _write(d / "topic_order.tsv", "".join(f"{int(i)}\n" for i in st["order"]))
        _write(d / "phrases.txt", "".join(f"{g}\n" for g in st.get("phrasegrams") or []))
    _write(d / "unit_topics.tsv", "unit_id\ttopic_id\tshare\n" + "".join(
        f"{u}\t{t}\t{_fmt(p)}\n" for u, (t, p) in result.unit_topics.items()))
    k = len(result.topics)
    _write(d / "doc_topics.tsv", "doc_id\t" + "\t".join(f"t{j}" for j in range(k)) + "\n" + "".join(
        f"{doc}\t" + "\t".join(_fmt(w) for _, w in mix) + "\n" for doc, mix in result.doc_topics.items()))


def _tsv(path: Path) -> list[dict[str, str]]:
    lines = path.read_text("utf-8").splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"))) for line in lines[1:]]


def _num(s: str) -> Any:
    if s == "":
        return None
    try:
        return int(s)
    except ValueError:
        try:
            return float(s)
        except ValueError:
            return s


def load_model(directory: Path, *, assignments: bool = True) -> TopicModelResult:
    """Read a model written by `save_model` (weights as saved, i.e. rounded). `assignments=False`
    skips the per-unit and per-document tables (they grow with the corpus; assigning new units
    to the model does not need them)."""
    d = Path(directory)
    if not (d / "config.json").exists():
        raise LitmineError(Msg.MODEL_MISSING.format(path=d).replace("litmine train --gold DIR", "litmine topics"))
    config = json.loads((d / "config.json").read_text("utf-8"))
    engine, chosen_k = config.pop("engine"), config.pop("chosen_k")
    reason, corpus_hash = config.pop("reason"), config.pop("corpus_hash")
    config["chosen_k"] = chosen_k
    topics = [Topic(t["topic_id"], t["lang"], [(w, x) for w, x in t["terms"]], t["label"], t["prevalence"])
              for t in json.loads((d / "topics.json").read_text("utf-8"))]
    sweep = [{c: _num(v) for c, v in row.items() if v != "" or c in ("stability",)} for row in _tsv(d / "sweep.tsv")]
    unit_topics = {r["unit_id"]: (int(r["topic_id"]), float(r["share"])) for r in _tsv(d / "unit_topics.tsv")} \
        if assignments else {}
    doc_topics = {}
    for r in (_tsv(d / "doc_topics.tsv") if assignments else []):
        doc = r.pop("doc_id")
        doc_topics[doc] = [(int(c[1:]), float(v)) for c, v in r.items()]
    state: dict[str, Any] = {}
    if (d / "dictionary.tsv").exists():
        rows = _tsv(d / "dictionary.tsv")
        state["vocab"] = [r["term"] for r in rows]
        state["dfs"] = np.array([int(r["df"]) for r in rows])
        state["topic_term"] = np.load(d / "topic_term.npy")
        state["engine_state"] = {p.stem[len("engine_"):]: np.load(p) for p in sorted(d.glob("engine_*.npy"))}
        state["order"] = np.array([int(x) for x in (d / "topic_order.tsv").read_text().split()])
        phrases = d / "phrases.txt"
        state["phrasegrams"] = phrases.read_text("utf-8").split() if phrases.exists() else []
    return TopicModelResult(lang=config["lang"], engine=engine, topics=topics, unit_topics=unit_topics,
                            doc_topics=doc_topics, sweep=sweep, chosen_k=chosen_k, reason=reason, config=config,
                            corpus_hash=corpus_hash, state=state)
