"""The topics stage of a rebuild: fit per language over the index, store topics on every sentence
and document, save the model and the HTML report.

Needs: sentences (kind body/abstract, tokens) in the index.
Adds:  topics, sentence_topics, document_topics rows; <index dir>/topics/<lang>/ (model, sweep table,
       corpus hash); <index dir>/report/topics.html.
"""
from __future__ import annotations

import dataclasses
import json
import math
import sqlite3
import sys
import warnings
from pathlib import Path
from typing import Any, Iterator

from ..errors import LitmineError
from ..settings import Settings
from .fit import fit_topics
from .report import render_report
from .store import save_model
from .types import ENGINES, MIN_UNITS, TopicModelResult, TopicSettings, TopicUnit, tomotopy_available



def iter_units(conn: sqlite3.Connection, lang: str, unit: str) -> Iterator[TopicUnit]:
    """Paragraphs (a block's body/abstract sentences) or single sentences, streamed from the index."""
    cur = conn.execute(
        "SELECT sentence_id, doc_id, block, tokens, lang FROM sentences WHERE kind IN ('body','abstract')"
        " ORDER BY doc_id, idx")
    if unit == "sentence":
        for sid, doc_id, _block, tokens, slang in cur:
            if slang == lang and tokens:
                yield TopicUnit(unit_id=sid, doc_id=doc_id, lang=lang, tokens=tokens.split(" "))
        return
    key: tuple | None = None
    toks: list[str] = []
    for _sid, doc_id, block, tokens, slang in cur:
        k = (doc_id, block, slang)
        if k != key:
            if key is not None and key[2] == lang and toks:
                yield TopicUnit(unit_id=f"{key[0]}:b{key[1]}", doc_id=key[0], lang=lang, tokens=toks)
            key, toks = k, []
        if tokens:
            toks.extend(tokens.split(" "))
    if key is not None and key[2] == lang and toks:
        yield TopicUnit(unit_id=f"{key[0]}:b{key[1]}", doc_id=key[0], lang=lang, tokens=toks)


def topic_settings(settings: Settings) -> TopicSettings:
    kw: dict[str, Any] = {"unit": settings.topic_unit}
    if settings.topic_engine and settings.topic_engine != "all":
        kw["engine"] = settings.topic_engine
    if settings.topic_k:
        kw["k"] = settings.topic_k
    return TopicSettings(**kw)


def _fit_one(db_path: str | None, conn: sqlite3.Connection | None, lang: str, unit: str,
             ts: TopicSettings, engines: tuple[str, ...] = (), jobs: int = 1) -> TopicModelResult | str:
    """Fit one language; a string is the reason it was skipped. Runs in a worker when `db_path` is
    given (a fresh read connection: sqlite connections do not cross processes). With several
    `engines`, each is swept and the best is kept (see _best_engine)."""
    own = conn is None
    if conn is None:
        assert db_path is not None
        conn = sqlite3.connect(db_path)
    try:
        with warnings.catch_warnings():
            # NMF stopping at max_iter is benign for topic quality (coherence is measured);
            # library warnings must not clutter the user's rebuild summary
            warnings.simplefilter("ignore")
            if engines:
                result = _best_engine([fit_topics(lambda: iter_units(conn, lang, unit), lang,
                                                  dataclasses.replace(ts, engine=e), jobs) for e in engines])
            else:
                result = fit_topics(lambda: iter_units(conn, lang, unit), lang, ts, jobs)
    except LitmineError as exc:  # too little usable text after cleaning: no model, not a failed rebuild
        return str(exc)
    finally:
        if own:
            conn.close()
    result.config["unit"] = unit
    return result


def _best_engine(results: list[TopicModelResult]) -> TopicModelResult:
    """The engine whose chosen K has the best c_v among those reaching the stability floor (else the
    most stable); the sweep tables of all engines are kept and the choice is added to the reason."""
    def kept_row(r: TopicModelResult) -> dict:
        rows = [x for x in r.sweep if x["k"] == r.chosen_k and x.get("c_v") is not None]
        return rows[0] if rows else {}

    floor = results[0].config.get("stability_floor", 0.6)
    stable = [r for r in results if (kept_row(r).get("stability") or 0) >= floor]
    pool = stable or results
    key = (lambda r: kept_row(r).get("c_v") or 0.0) if stable else (lambda r: kept_row(r).get("stability") or 0.0)
    best = max(pool, key=lambda r: (key(r), -results.index(r)))
    summary = ", ".join(f"{r.engine} K={r.chosen_k} c_v {kept_row(r).get('c_v', float('nan')):.3f}"
                        f"/stab {kept_row(r).get('stability') or 0:.2f}" for r in results)
    best.reason = f"engine {best.engine} chosen ({summary}); " + best.reason
    best.sweep = [row for r in results for row in r.sweep]
    return best


def fit_all(conn: sqlite3.Connection, settings: Settings,
            unit_counts: dict[str, tuple[dict[str, int], int]] | None = None
            ) -> tuple[list[TopicModelResult], list[str]]:
    """Fit each language with enough units. `unit_counts` receives, for a language left without a
    model, its sentence units per document and the count at which a refit is worth trying (what an
    incremental rebuild counts towards a refit)."""
    ts = topic_settings(settings)
    engines: tuple[str, ...] = ()
    if settings.topic_engine == "all":
        engines = tuple(e for e in ENGINES if e != "tomotopy" or tomotopy_available())
    notes: list[str] = []
    tasks: list[tuple[str, str, TopicSettings]] = []
    for lang in ("zh", "en"):
        unit = ts.unit
        n = sum(1 for _ in iter_units(conn, lang, unit))
        if n < MIN_UNITS and unit == "paragraph":
            # a few paragraphs (e.g. only English abstracts): model their sentences instead
            unit = "sentence"
            n = sum(1 for _ in iter_units(conn, lang, unit))
        if n < MIN_UNITS and unit_counts is not None:
            unit_counts[lang] = (_sentence_units(conn, lang), MIN_UNITS)
        if n < MIN_UNITS:
            if n:
                notes.append(f"topics: {n} {lang} units are too few for a topic model (need {MIN_UNITS})")
            continue
        tasks.append((lang, unit, ts if unit == ts.unit else dataclasses.replace(ts, unit=unit)))
    db_path = _db_path(conn)
    if settings.jobs > 1 and len(tasks) > 1 and db_path and sys.platform.startswith("linux"):
        # the two languages are independent models: fit them side by side
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=len(tasks), mp_context=mp.get_context("fork")) as ex:
            per = max(1, settings.jobs // len(tasks))  # each language's sweep gets its share of the cores
            outcomes = list(ex.map(_fit_one, [db_path] * len(tasks), [None] * len(tasks),
                                   *zip(*[(lang, unit, t) for lang, unit, t in tasks]), [engines] * len(tasks),
                                   [per] * len(tasks)))
    else:
        outcomes = [_fit_one(None, conn, lang, unit, t, engines, settings.jobs) for lang, unit, t in tasks]
    results = []
    for (lang, unit, _t), out in zip(tasks, outcomes):
        if isinstance(out, str):
            notes.append(f"topics[{lang}]: skipped ({out})")
            if unit_counts is not None:  # enough units, too little text in them: retry once the text grew
                per_doc = _sentence_units(conn, lang)
                total = sum(per_doc.values())
                unit_counts[lang] = (per_doc, max(MIN_UNITS, math.ceil(total * (1 + ts.drift_threshold))))
            continue
        results.append(out)
        notes.append(f"topics[{lang}]: {len(out.topics)} topics ({out.engine}, {unit} units); {out.reason}")
    return results, notes


def _sentence_units(conn: sqlite3.Connection, lang: str) -> dict[str, int]:
    per_doc: dict[str, int] = {}
    for u in iter_units(conn, lang, "sentence"):
        per_doc[u.doc_id] = per_doc.get(u.doc_id, 0) + 1
    return per_doc


def _db_path(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("PRAGMA database_list").fetchone()
    return row[2] if row and row[2] else None


def store_results(conn: sqlite3.Connection, results: list[TopicModelResult],
                  unit_counts: dict[str, tuple[dict[str, int], int]] | None = None) -> None:
    from .incremental import record_fit

    for table in ("topics", "sentence_topics", "document_topics"):
        conn.execute(f"DELETE FROM {table}")
    record_fit(conn, results, unit_counts)
    for res in results:
        tid = lambda t, lang=res.lang: f"{lang}-{t}"  # noqa: E731
        for t in res.topics:
            conn.execute("INSERT INTO topics(topic_id, lang, label, terms, prevalence, engine) VALUES (?,?,?,?,?,?)",
                         (tid(t.topic_id), res.lang, t.label,
                          json.dumps([[w, round(float(x), 6)] for w, x in t.terms], ensure_ascii=False),
                          round(float(t.prevalence), 6), res.engine))
        for doc_id, mix in sorted(res.doc_topics.items()):
            conn.executemany("INSERT OR REPLACE INTO document_topics(doc_id, topic_id, weight) VALUES (?,?,?)",
                             [(doc_id, tid(t), round(float(w), 6)) for t, w in mix])
        rows = []
        for unit_id, (topic, prob) in sorted(res.unit_topics.items()):
            if topic < 0:
                continue
            if res.config.get("unit") == "sentence":
                rows.append((unit_id, tid(topic), round(float(prob), 6)))
            else:
                doc_id, block = unit_id.rsplit(":b", 1)
                for (sid,) in conn.execute("SELECT sentence_id FROM sentences WHERE doc_id=? AND block=? AND lang=?"
                                           " AND kind IN ('body','abstract')", (doc_id, int(block), res.lang)):
                    rows.append((sid, tid(topic), round(float(prob), 6)))
        conn.executemany("INSERT OR REPLACE INTO sentence_topics(sentence_id, topic_id, prob) VALUES (?,?,?)", rows)


def _index_dir(conn: sqlite3.Connection) -> Path | None:
    row = conn.execute("PRAGMA database_list").fetchone()
    return Path(row[2]).parent if row and row[2] else None


def save_outputs(conn: sqlite3.Connection, results: list[TopicModelResult], out_dir: Path | None) -> list[str]:
    if out_dir is None:
        return []
    for res in results:
        save_model(res, out_dir / "topics" / res.lang)
    titles = {r[0]: r[1] for r in conn.execute("SELECT doc_id, title FROM documents")}
    if results:
        render_report(results, out_dir / "report" / "topics.html", titles, conn=conn)
        return [f"topics report: {out_dir / 'report' / 'topics.html'}"]
    return []


def run_topics(conn: sqlite3.Connection, settings: Settings, changed_doc_ids: list[str] | None = None,
               refit: bool = False) -> list[str]:
    """Rebuild stage. With `changed_doc_ids` (an incremental rebuild) the changed documents' units
    are assigned to the saved model (incremental.py) unless the corpus drifted past the threshold
    or `refit`; otherwise fit, store, save model + report next to the index."""
    tmp_dir = _index_dir(conn)
    if changed_doc_ids is not None and not refit:
        from .incremental import update

        if not changed_doc_ids:
            return []
        notes = update(conn, changed_doc_ids, tmp_dir / "topics" if tmp_dir else None)
        if notes is not None:
            return notes
    counts: dict[str, tuple[dict[str, int], int]] = {}
    results, notes = fit_all(conn, settings, counts)
    store_results(conn, results, counts)
    # the rebuild works on a temporary copy next to the index: outputs go beside the real index
    notes += save_outputs(conn, results, tmp_dir)
    return notes


def refit_topics(index: Path, settings: Settings, save_to: Path | None = None) -> list[str]:
    """`litmine topics fit`: refit over an existing index (e.g. with --k/--engine); the model is saved
    beside the index (topics/<lang>/) and, when `save_to` is given, also under save_to/<lang>/ (e.g.
    models/topics to replace the shipped model: never written into the source tree otherwise)."""
    from ..errors import LitmineError, Msg
    from ..index import schema

    if not index.exists():
        raise LitmineError(Msg.INDEX_MISSING.format(path=index))
    conn = schema.connect(str(index))
    try:
        counts: dict[str, tuple[dict[str, int], int]] = {}
        results, notes = fit_all(conn, settings, counts)
        store_results(conn, results, counts)
        conn.commit()
        notes += save_outputs(conn, results, index.parent)
        for res in results:
            notes.append(f"saved {index.parent / 'topics' / res.lang}")
            if save_to is not None:
                save_model(res, Path(save_to) / res.lang)
                notes.append(f"saved {Path(save_to) / res.lang}")
            for row in res.sweep:
                notes.append("  sweep " + ", ".join(f"{k}={v}" for k, v in row.items()))
    finally:
        conn.close()
    return notes
