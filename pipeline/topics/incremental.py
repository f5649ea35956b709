"""Incremental topics: after documents are added, changed or removed, assign their units to the
saved model instead of refitting, until the corpus has drifted from the model.

Per language the index keeps (meta `topics_state_<lang>`) what the model was fitted on and how much
has changed since: drift = (units assigned since the fit + units removed since the fit) / units at
the fit. Below `TopicSettings.drift_threshold` a rebuild costs O(changed documents): their old topic
rows go, their units are cleaned and phrase-joined as at the fit, mapped onto the model's
vocabulary and transformed by the saved engine, and prevalence is recomputed from the per-document
share sums in `topic_doc_state`. Past the threshold, without a saved model (or with one fitted on
another index), or with `refit`, the stage refits (stage.py).

Assignment is deterministic (single BLAS thread, the saved matrices) and the same whatever order
the documents arrived in; it is not a refit: topics and their terms stay as fitted.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import numpy as np
from scipy import sparse

from .clean import clean_runs
from .corpus import _join, join_phrases
from .types import LANGS, MIN_UNITS, TopicModelResult, TopicSettings

DOC_TABLE = ("CREATE TABLE IF NOT EXISTS topic_doc_state (doc_id TEXT, lang TEXT, units INTEGER, modelled INTEGER,"
             " sums TEXT, PRIMARY KEY (doc_id, lang))")
ROUND = 6


def state_key(lang: str) -> str:
    return f"topics_state_{lang}"


def read_state(conn: sqlite3.Connection, lang: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT value FROM meta WHERE key=?", (state_key(lang),)).fetchone()
    return json.loads(row[0]) if row else None


def write_state(conn: sqlite3.Connection, lang: str, state: dict) -> None:
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                 (state_key(lang), json.dumps(state, sort_keys=True)))


def drift(state: dict) -> float:
    return (state.get("assigned", 0) + state.get("removed", 0)) / max(1, state.get("units", 0))


def record_fit(conn: sqlite3.Connection, results: list[TopicModelResult],
               unit_counts: dict[str, tuple[dict[str, int], int]] | None = None) -> None:
    """After a full fit: every document's share sums, and per language what the model was fitted on
    (for a language without a model: its sentence units per document, counted towards a refit)."""
    conn.execute(DOC_TABLE)
    conn.execute("DELETE FROM topic_doc_state")
    fitted = {r.lang: r for r in results}
    for lang in LANGS:
        res = fitted.get(lang)
        if res is None:
            per_doc, refit_at = (unit_counts or {}).get(lang, ({}, 0))
            conn.executemany("INSERT INTO topic_doc_state(doc_id, lang, units, modelled, sums) VALUES (?,?,?,0,'[]')",
                             [(d, lang, n) for d, n in sorted(per_doc.items())])
            write_state(conn, lang, {"status": "none", "units": sum(per_doc.values()), "refit_at": refit_at})
            continue
        conn.executemany("INSERT INTO topic_doc_state(doc_id, lang, units, modelled, sums) VALUES (?,?,?,?,?)",
                         [(d, lang, n, m, json.dumps([round(x, 9) for x in sums]))
                          for d, (n, m, sums) in sorted(res.doc_state.items())])
        write_state(conn, lang, {"status": "fitted", "corpus_hash": res.corpus_hash, "engine": res.engine,
                                 "unit": res.config.get("unit", "paragraph"), "units": len(res.unit_topics),
                                 "assigned": 0, "removed": 0})


@dataclass
class _Unit:
    unit_id: str
    doc_id: str
    tokens: list[str]
    sentence_ids: list[str]


def _units_of(conn: sqlite3.Connection, doc_ids: list[str], lang: str, unit: str) -> Iterator[_Unit]:
    """The units of these documents, as stage.iter_units builds them (same order within a document)."""
    for doc_id in doc_ids:
        rows = conn.execute("SELECT sentence_id, block, tokens, lang FROM sentences WHERE doc_id=? AND"
                            " kind IN ('body','abstract') ORDER BY idx", (doc_id,)).fetchall()
        if unit == "sentence":
            for sid, _b, tokens, slang in rows:
                if slang == lang and tokens:
                    yield _Unit(sid, doc_id, tokens.split(" "), [sid])
            continue
        key: tuple[int, str] | None = None
        toks: list[str] = []
        sids: list[str] = []
        for sid, block, tokens, slang in rows:
            k = (block, slang)
            if k != key:
                if key is not None and key[1] == lang and toks:
                    yield _Unit(f"{doc_id}:b{key[0]}", doc_id, toks, sids)
                key, toks, sids = k, [], []
            if tokens:
                toks.extend(tokens.split(" "))
            if slang == lang:
                sids.append(sid)
        if key is not None and key[1] == lang and toks:
            yield _Unit(f"{doc_id}:b{key[0]}", doc_id, toks, sids)


class Assigner:
    """The saved model of one language, ready to give new units their topic shares."""

    def __init__(self, model: TopicModelResult) -> None:
        from .engines import ENGINE_CLASSES
        from .fit import stopwords_for

        cfg = dict(model.config.get("settings") or {})
        self.settings = TopicSettings(**{k: v for k, v in cfg.items() if k in TopicSettings.__dataclass_fields__})
        self.lang = model.lang
        st = model.state
        self.vocab: list[str] = list(st["vocab"])
        self.term_id = {t: i for i, t in enumerate(self.vocab)}
        self.order = np.asarray(st["order"], dtype=np.int64)
        self.phrasegrams = frozenset(st.get("phrasegrams") or [])
        self.use_phrases = self.settings.phrases_for(self.lang) and bool(self.phrasegrams)
        self.stopwords = stopwords_for(self.lang, self.settings)
        cls = ENGINE_CLASSES[model.engine]
        if not hasattr(cls, "from_state"):
            raise ValueError(f"engine {model.engine} cannot assign new units")
        self.engine = cls.from_state(self.settings, self.vocab, st["engine_state"])
        self.k = len(model.topics)

    def ids(self, tokens: list[str]) -> list[int]:
        out: list[int] = []
        for run in clean_runs(tokens, self.lang, self.stopwords):
            toks = _join(join_phrases(run, self.phrasegrams), self.lang) if self.use_phrases else run
            out += [self.term_id[t] for t in toks if t in self.term_id]
        return out

    def shares(self, units: list[_Unit]) -> tuple[np.ndarray, np.ndarray]:
        """(units x K shares in the saved topic order, token counts) for the units."""
        from threadpoolctl import threadpool_limits

        seqs = [self.ids(u.tokens) for u in units]
        rows = np.repeat(np.arange(len(units)), [len(s) for s in seqs])
        cols = np.fromiter((c for s in seqs for c in s), dtype=np.int64, count=int(sum(len(s) for s in seqs)))
        X = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(units), len(self.vocab)))
        X.sum_duplicates()
        if not len(units):
            return np.zeros((0, self.k)), np.zeros(0)
        with threadpool_limits(limits=1):
            S = self.engine.transform(X)
        return S[:, self.order], np.asarray(X.sum(axis=1)).ravel()


def _old_units(conn: sqlite3.Connection, lang: str, doc_ids: list[str]) -> int:
    """Units the index counted for these documents before they changed."""
    n = 0
    for i in range(0, len(doc_ids), 500):
        part = doc_ids[i:i + 500]
        n += conn.execute(f"SELECT coalesce(sum(units), 0) FROM topic_doc_state WHERE lang=? AND doc_id IN"
                          f" ({','.join('?' * len(part))})", [lang, *part]).fetchone()[0]
    return int(n)


def _delete_docs(conn: sqlite3.Connection, doc_ids: list[str]) -> None:
    """Topic rows of these documents (sentence ids are "doc_id:start-end": a key range per document)."""
    for d in doc_ids:
        conn.execute("DELETE FROM sentence_topics WHERE sentence_id >= ? AND sentence_id < ?", (d + ":", d + ";"))
        conn.execute("DELETE FROM document_topics WHERE doc_id=?", (d,))
        conn.execute("DELETE FROM topic_doc_state WHERE doc_id=?", (d,))


def update(conn: sqlite3.Connection, changed_doc_ids: list[str], models_root: Path | None) -> list[str] | None:
    """Assign the changed documents' units to the saved models; None when a refit is needed."""
    from .store import load_model

    conn.execute(DOC_TABLE)
    read = {lang: read_state(conn, lang) for lang in LANGS}
    if models_root is None:
        return None
    states: dict[str, dict[str, Any]] = {}
    for lang, state in read.items():
        if state is None:
            return None
        states[lang] = state
    present: set[str] = set()
    for i in range(0, len(changed_doc_ids), 500):  # SQLite caps the number of parameters
        part = changed_doc_ids[i:i + 500]
        present |= {r[0] for r in conn.execute(
            f"SELECT doc_id FROM documents WHERE doc_id IN ({','.join('?' * len(part))}) AND status='ok'", part)}
    live = [d for d in changed_doc_ids if d in present]
    counts: dict[str, tuple[dict[str, int], dict[str, Any]]] = {}  # languages without a model
    plans: dict[str, tuple[Assigner, list[_Unit], dict[str, Any]]] = {}
    for lang, st in states.items():
        if st.get("status") != "fitted":
            # no model for this language (too few units): refit once enough have come
            per_doc: dict[str, int] = {}
            for u in _units_of(conn, live, lang, "sentence"):
                per_doc[u.doc_id] = per_doc.get(u.doc_id, 0) + 1
            total = st.get("units", 0) - _old_units(conn, lang, changed_doc_ids) + sum(per_doc.values())
            if total >= max(MIN_UNITS, st.get("refit_at", MIN_UNITS)):
                return None
            counts[lang] = (per_doc, dict(st, units=total))
            continue
        try:
            model = load_model(models_root / lang, assignments=False)
        except Exception:
            return None
        if model.corpus_hash != st.get("corpus_hash") or not model.state.get("vocab"):
            return None  # the model beside the index was fitted on another index
        units = list(_units_of(conn, live, lang, st.get("unit", "paragraph")))
        old = _old_units(conn, lang, changed_doc_ids)
        new_state = dict(st, assigned=st.get("assigned", 0) + len(units), removed=st.get("removed", 0) + int(old))
        try:
            assigner = Assigner(model)
        except (ValueError, KeyError):
            return None
        if drift(new_state) > assigner.settings.drift_threshold:
            return None
        plans[lang] = (assigner, units, new_state)
    _delete_docs(conn, changed_doc_ids)
    notes = []
    for lang, (per_doc, new_state) in counts.items():
        conn.executemany("INSERT INTO topic_doc_state(doc_id, lang, units, modelled, sums) VALUES (?,?,?,0,'[]')",
                         [(d, lang, n) for d, n in sorted(per_doc.items())])
        write_state(conn, lang, new_state)
    for lang, (assigner, units, new_state) in plans.items():
        _assign(conn, lang, assigner, units)
        write_state(conn, lang, new_state)
        notes.append(f"topics[{lang}]: {len(units)} units of {len(live)} changed document(s) assigned to the saved"
                     f" model ({assigner.engine.name}); drift {drift(new_state):.1%} of the fitted units"
                     f" (refit past {assigner.settings.drift_threshold:.0%} or with --refit-topics)")
    return notes


def _assign(conn: sqlite3.Connection, lang: str, a: Assigner, units: list[_Unit]) -> None:
    S, lengths = a.shares(units)
    tid = lambda t: f"{lang}-{t}"  # noqa: E731
    st_rows: list[tuple] = []
    docs: dict[str, tuple[int, int, np.ndarray, np.ndarray]] = {}
    for u, row, n in zip(units, S, lengths):
        ok = n > 0 and row.sum() > 0
        if ok:
            j = int(np.argmax(row))
            st_rows += [(sid, tid(j), round(float(row[j]), ROUND)) for sid in u.sentence_ids]
        n_all, n_mod, acc, mix = docs.get(u.doc_id, (0, 0, np.zeros(a.k), np.zeros(a.k)))
        docs[u.doc_id] = (n_all + 1, n_mod + int(ok), acc + (row if ok else 0.0), mix + row * n)
    conn.executemany("INSERT OR REPLACE INTO sentence_topics(sentence_id, topic_id, prob) VALUES (?,?,?)", st_rows)
    for d, (n_all, n_mod, acc, mix) in sorted(docs.items()):
        tot = mix.sum()
        mix = mix / tot if tot > 0 else mix
        conn.executemany("INSERT OR REPLACE INTO document_topics(doc_id, topic_id, weight) VALUES (?,?,?)",
                         [(d, tid(j), round(float(mix[j]), ROUND)) for j in range(a.k)])
        conn.execute("INSERT OR REPLACE INTO topic_doc_state(doc_id, lang, units, modelled, sums) VALUES (?,?,?,?,?)",
                     (d, lang, n_all, n_mod, json.dumps([round(float(x), 9) for x in acc])))
    _prevalence(conn, lang, a.k)


def _prevalence(conn: sqlite3.Connection, lang: str, k: int) -> None:
    """Mean share of each topic over the modelled units of every document now in the index."""
    total = np.zeros(k)
    n = 0
    for modelled, sums in conn.execute("SELECT modelled, sums FROM topic_doc_state WHERE lang=? ORDER BY doc_id",
                                       (lang,)):
        if modelled:
            total += np.asarray(json.loads(sums), dtype=np.float64)
            n += modelled
    if n:
        prev = total / n
        conn.executemany("UPDATE topics SET prevalence=? WHERE topic_id=?",
                         [(round(float(prev[j]), ROUND), f"{lang}-{j}") for j in range(k)])
