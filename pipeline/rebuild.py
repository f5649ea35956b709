"""Rebuild the index over a corpus: incremental in every stage, streaming, parallel, atomic.

- A document is re-processed only when its sha256 or the pipeline version/config hash changed;
  deleted files leave the index; `full=True` re-processes all.
- Streaming: per-document results are written to the index as they come, in a fixed order, with a
  bounded number in flight (executors.py); the corpus-level stages read the index, so peak
  memory follows the largest document and the window, not the corpus.
- Incremental corpus stages: topics and links are told which documents were added, changed or
  removed (`changed_doc_ids`; None after a full re-processing) and do work in proportion to them.
- Atomic: work happens on a copy next to the index, swapped in with os.replace at the end, so a
  rebuild killed halfway leaves the previous index complete and queryable.
- Executors: in-process, local worker processes (start-up paid once per worker), or a Dask cluster
  (`executor="dask", scheduler="tcp://HOST:PORT"`): the same index contents from each.
"""
from __future__ import annotations

import inspect
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from . import __version__
from .errors import LitmineError, Msg
from .extract.backend import ReadOptions
from .extract.sources import Source, Walk, walk
from .settings import Settings
from .build import load_corpus_stages
from .stages import CorpusStage, StageSpec
from .index import schema, store
from .executors import Task, make_executor, preload


@dataclass
class RebuildSummary:
    index: str
    documents: int = 0
    processed: int = 0
    skipped_unchanged: int = 0
    removed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, one-line reason)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # not processed: (file[#record], reason)
    duplicates: int = 0  # records indexed once because another document has the same text
    warned: list[tuple[str, str]] = field(default_factory=list)  # indexed, with a warning
    pages: int = 0
    sentences: int = 0
    claims: int = 0
    statistics: int = 0
    links: int = 0
    topics: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    # wall seconds per phase: scan, load (the stages' resources), copy, documents (of which write:
    # this process writing rows),
    # then one entry per corpus stage, finish; worker_seconds sums the workers' processing time
    timings: dict[str, float] = field(default_factory=dict)
    executor: str = ""
    walk_lines: list[str] = field(default_factory=list)  # rejected / duplicate records grouped per file

    def lines(self) -> list[str]:
        out = [f"Index: {self.index}",
               f"Documents: {self.documents} ({self.processed} processed, {self.skipped_unchanged} unchanged, "
               f"{self.removed} removed, {len(self.failed)} failed, {len(self.rejected)} rejected"
               + (f", {self.duplicates} duplicate records" if self.duplicates else "") + ")",
               f"Pages: {self.pages}   Sentences: {self.sentences}   Claims: {self.claims}   "
               f"Statistics: {self.statistics}   Topics: {self.topics}   Links: {self.links}",
               f"Seconds: {self.seconds:.2f}" + (f"  ({', '.join(f'{k} {v:.2f}' for k, v in self.timings.items())})"
                                                  if self.timings and self.processed + self.removed else "")]
        out += [f"  {name}: {reason}" for name, reason in self.failed]
        out += [f"  {line}" for line in self.walk_lines]
        out += [f"  {name}: warning: {reason}" for name, reason in self.warned]
        out += [f"  note: {n}" for n in self.notes]
        return out


def discover(corpus: Path | list[Path], settings: Settings | None = None, index: Path | None = None) -> Walk:
    """The corpus walk (extract/sources.py): Sources to index, plus what was rejected or skipped and why."""
    return walk(corpus, ReadOptions.from_settings(settings or Settings()), index=index)


ProgressFn = Callable[[str, int, int, int], None]


def _read_existing(index: Path) -> tuple[bool, dict[str, tuple[str, str, str]]]:
    """(usable, doc_id → (sha256, config_hash, path)) of the index there is now."""
    if not index.exists():
        return False, {}
    try:
        conn = schema.connect(str(index), readonly=True)
        try:
            if schema.schema_version(conn) != schema.SCHEMA_VERSION:
                return False, {}
            return True, {r["doc_id"]: (r["sha256"], r["config_hash"], r["path"])
                          for r in conn.execute("SELECT doc_id, sha256, config_hash, path FROM documents")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False, {}


def rebuild(corpus: Path | list[Path], index: Path, settings: Settings | None = None, *, full: bool = False,
            progress: ProgressFn | None = None, refit_topics: bool = False, executor: str = "local",
            scheduler: Any = None) -> RebuildSummary:
    """Python twin of `litmine rebuild`. `progress(file_name, done, total, pages_so_far)` is called per
    document (and once per corpus stage). `refit_topics` refits the topic model even when the corpus
    has not drifted from it; `executor="dask"` with `scheduler` (an address or a distributed.Client)
    runs the per-document stages on a Dask cluster."""
    t0 = time.perf_counter()
    settings = settings or Settings()
    index = Path(index)
    timings: dict[str, float] = {}
    found = discover(corpus, settings, index)
    sources = found.sources
    if not sources:
        raise LitmineError(Msg.CORPUS_EMPTY.format(path=corpus))
    summary = RebuildSummary(index=str(index), timings=timings, rejected=found.rejected,
                             duplicates=len(found.duplicates), walk_lines=found.summary_lines())
    config_hash = settings.config_hash()
    old_ok, existing = _read_existing(index)
    todo = [s for s in sources if full or not old_ok or existing.get(s.doc_id, ("", "", ""))[:2] != (s.sha256, config_hash)
            or existing[s.doc_id][2] != s.locator]
    current_ids = {s.doc_id for s in sources}
    removed = sorted(set(existing) - current_ids) if old_ok else []
    summary.skipped_unchanged = len(sources) - len(todo)
    summary.removed = len(removed)
    timings["scan"] = time.perf_counter() - t0

    if old_ok and not todo and not removed and not refit_topics:
        _fill_counts(summary, index)
        summary.seconds = time.perf_counter() - t0
        return summary

    # Every enabled stage loads once here, before any worker starts: a bad rule file or model is one
    # StageError, not a failure per document, and forked workers inherit the loaded stages.
    t = time.perf_counter()
    settings.validate()
    if todo:
        preload(settings)
    corpus_stages = load_corpus_stages(settings)
    timings["load"] = time.perf_counter() - t
    # the corpus stages redo only what touches these documents; None = everything changed
    changed: list[str] | None = None if (full or not old_ok) else sorted({s.doc_id for s in todo} | set(removed))
    index.parent.mkdir(parents=True, exist_ok=True)
    tmp = index.with_name(f".{index.name}.tmp-{os.getpid()}")
    try:
        t = time.perf_counter()
        if old_ok:
            shutil.copyfile(index, tmp)
        elif tmp.exists():
            tmp.unlink()
        timings["copy"] = time.perf_counter() - t
        conn = schema.connect(str(tmp))
        conn.execute("PRAGMA journal_mode=OFF")  # the copy itself is the rollback journal
        conn.execute("PRAGMA synchronous=OFF")
        schema.create(conn)
        if not old_ok and index.exists():
            _carry_corrections(index, conn)
        for doc_id in removed:
            store.delete_document(conn, doc_id)
        t = time.perf_counter()
        pages = _process_documents(conn, todo, settings, config_hash, summary, progress, executor, scheduler,
                                   known=set(existing) if old_ok else set())
        timings["documents"] = time.perf_counter() - t
        t = time.perf_counter()
        _apply_corrections(conn, None if changed is None else changed)
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('pipeline_version', ?)",
                     (__version__,))
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('config_hash', ?)", (config_hash,))
        conn.commit()
        timings["corrections"] = time.perf_counter() - t
        n = len(todo)
        summary.notes += run_corpus_stages(
            conn, settings, (lambda name: progress(f"corpus stage: {name}", n, n, pages)) if progress else None,
            changed_doc_ids=changed, refit_topics=refit_topics, timings=timings, stages=corpus_stages)
        t = time.perf_counter()
        conn.commit()
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.close()
        os.replace(tmp, index)
    finally:
        if tmp.exists():
            tmp.unlink()
    summary.processed = len(todo)
    _fill_counts(summary, index)
    timings["finish"] = time.perf_counter() - t
    summary.seconds = time.perf_counter() - t0
    return summary


def _process_documents(conn: sqlite3.Connection, todo: list[Source], settings: Settings, config_hash: str,
                       summary: RebuildSummary, progress: ProgressFn | None, executor: str, scheduler: Any,
                       known: frozenset[str] | set[str] = frozenset()) -> int:
    """Run the per-document stages and write each document's rows as its result comes. `known`:
    the documents the index already holds rows of (the others need no delete first)."""
    # Largest files first so no worker is left with a big one at the end; the order is still a
    # pure function of the inputs, so rows are written in a deterministic order.
    order = sorted(todo, key=lambda s: (-s.size, s.doc_id))
    by_id = {s.doc_id: s for s in order}
    tasks: Iterable[Task] = (Task(s, config_hash) for s in order)
    ex = make_executor(settings, len(order), executor, scheduler)
    summary.executor = ex.name
    done = pages = 0
    write_s = worker_s = 0.0
    last_commit = time.perf_counter()
    try:
        for out in ex.run(tasks):
            t = time.perf_counter()
            src = by_id[out.task.doc_id]
            if out.ok:
                store.write_rows(conn, out.payload, new=src.doc_id not in known)
                pages += out.payload["pages"]
            else:
                store.record_failure(conn, src.doc_id, src.locator, src.format, src.sha256, out.payload, config_hash)
            done += 1
            worker_s += out.seconds
            if t - last_commit > 1.0:  # commits only bound SQLite's dirty pages: the copy is the journal
                conn.commit()
                last_commit = time.perf_counter()
            write_s += time.perf_counter() - t
            if progress:
                progress(src.name, done, len(order), pages)
    finally:
        ex.close()
    conn.commit()
    summary.timings["write"] = write_s
    summary.timings["worker_seconds"] = worker_s
    return pages


def run_corpus_stages(conn: sqlite3.Connection, settings: Settings, status: Callable[[str], None] | None = None,
                      *, changed_doc_ids: list[str] | None = None, refit_topics: bool = False,
                      timings: dict[str, float] | None = None,
                      stages: list[tuple[StageSpec, CorpusStage]] | None = None) -> list[str]:
    """Corpus-level stages over the index, in the order of pipeline/stages.py (topics, then links,
    which use topics), each told which documents changed (None: all). `stages`: already loaded
    (rebuild loads them before the workers)."""
    notes: list[str] = []
    for spec, stage in (load_corpus_stages(settings) if stages is None else stages):
        if status:
            status(spec.name)
        t = time.perf_counter()
        kw = {}
        if status and "progress" in inspect.signature(stage).parameters:  # per-document progress (links)
            kw["progress"] = lambda done, total, name=spec.name: status(f"{name} {done}/{total}")
        notes += stage(conn, changed_doc_ids=changed_doc_ids, refit=refit_topics, **kw) or []
        conn.commit()
        if timings is not None:
            timings[spec.name] = time.perf_counter() - t
    return notes


def _apply_corrections(conn: sqlite3.Connection, doc_ids: list[str] | None = None) -> None:
    """User corrections survive rebuilds: re-apply them to the freshly tagged claims (of `doc_ids`
    only on an incremental rebuild: the other documents' claims kept theirs)."""
    if doc_ids is None:
        conn.execute("UPDATE claims SET corrected=0")
        rows = conn.execute("SELECT claim_id, label FROM corrections").fetchall()
    else:
        rows = []
        for i in range(0, len(doc_ids), 500):
            part = doc_ids[i:i + 500]
            rows += conn.execute(f"SELECT claim_id, label FROM corrections WHERE doc_id IN ({','.join('?' * len(part))})",
                                 part).fetchall()
    for row in rows:
        conn.execute("UPDATE claims SET label=?, corrected=1, confidence=1.0 WHERE claim_id=?", (row[1], row[0]))


def _carry_corrections(old_index: Path, conn: sqlite3.Connection) -> None:
    try:
        old = schema.connect(str(old_index), readonly=True)
        rows = old.execute("SELECT claim_id, doc_id, sentence_text, label, previous FROM corrections").fetchall()
        old.close()
    except sqlite3.DatabaseError:
        return
    conn.executemany("INSERT OR REPLACE INTO corrections VALUES (?,?,?,?,?)", [tuple(r) for r in rows])


def _fill_counts(summary: RebuildSummary, index: Path) -> None:
    conn = schema.connect(str(index), readonly=True)
    q = lambda sql: conn.execute(sql).fetchone()[0] or 0  # noqa: E731
    summary.documents = q("SELECT count(*) FROM documents")
    summary.pages = q("SELECT count(*) FROM pages")
    summary.sentences = q("SELECT count(*) FROM sentences")
    summary.claims = q("SELECT count(*) FROM claims")
    summary.statistics = q("SELECT count(*) FROM statistics")
    summary.links = q("SELECT count(*) FROM links")
    summary.topics = q("SELECT count(*) FROM topics")
    summary.failed = [(Path(r[0]).name, r[1]) for r in
                      conn.execute("SELECT path, error FROM documents WHERE status='failed' ORDER BY doc_id")]
    summary.warned = [(Path(r[0]).name, r[1]) for r in
                      conn.execute("SELECT path, message FROM errors WHERE stage='warning' ORDER BY doc_id, message")]
    conn.close()
