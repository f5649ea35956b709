"""Rebuild the index over a corpus: incremental, parallel by document, atomic.

- A file is re-processed only when its sha256 or the pipeline version/config hash changed;
  deleted files leave the index; `full=True` re-processes all.
- Atomic: work happens on a copy next to the index, swapped in with os.replace at the end, so a
  rebuild killed halfway leaves the previous index complete and queryable.
- Parallel over documents with long-lived worker processes (jieba's dictionary costs ~1 s per
  process; its own parallel mode gains little on 2 cores).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..build import DocumentProcessor
from ..errors import DocumentError, LitmineError, Msg
from ..extract.backend import ReadOptions
from ..extract.sources import Source, Walk, walk
from ..settings import Settings
from ..stages import CorpusStage, StageSpec, load_corpus_stages
from . import schema, store


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
    walk_lines: list[str] = field(default_factory=list)  # rejected / duplicate records grouped per file

    def lines(self) -> list[str]:
        out = [f"Index: {self.index}",
               f"Documents: {self.documents} ({self.processed} processed, {self.skipped_unchanged} unchanged, "
               f"{self.removed} removed, {len(self.failed)} failed, {len(self.rejected)} rejected"
               + (f", {self.duplicates} duplicate records" if self.duplicates else "") + ")",
               f"Pages: {self.pages}   Sentences: {self.sentences}   Claims: {self.claims}   "
               f"Statistics: {self.statistics}   Topics: {self.topics}   Links: {self.links}",
               f"Seconds: {self.seconds:.2f}"]
        out += [f"  {name}: {reason}" for name, reason in self.failed]
        out += [f"  {line}" for line in self.walk_lines]
        out += [f"  {name}: warning: {reason}" for name, reason in self.warned]
        out += [f"  note: {n}" for n in self.notes]
        return out


def discover(corpus: Path | list[Path], settings: Settings | None = None, index: Path | None = None) -> Walk:
    """The corpus walk (extract/sources.py): Sources to index, plus what was rejected or skipped and why."""
    return walk(corpus, ReadOptions.from_settings(settings or Settings()), index=index)


# ---- worker side ------------------------------------------------------------------------------
_PROCESSOR = None


def _init_worker(settings: Settings) -> None:
    global _PROCESSOR  # one processor per worker process, loaded once (jieba, spaCy, models)
    if _PROCESSOR is not None and _PROCESSOR.settings == settings:
        return  # loaded by the parent before the pool started (a forked worker inherits it)
    _PROCESSOR = DocumentProcessor(settings)
    from .querytok import ensure_lexicon

    # the dictionary is loaded here anyway: write the query lexicon once (queries then start fast)
    ensure_lexicon(settings.models_dir, _PROCESSOR.segmenter.jieba)


def _load_stages(settings: Settings) -> list:
    """Load every enabled stage once in the parent, before any worker starts: a bad rule file or
    model is one StageError here, not a failure per document. Returns the loaded corpus stages."""
    global _PROCESSOR
    settings.validate()
    if _PROCESSOR is None or _PROCESSOR.settings != settings:
        _PROCESSOR = DocumentProcessor(settings)
    return load_corpus_stages(settings)


def _process(item: tuple[Source, str]):
    source, config_hash = item
    try:
        return ("ok", store.document_rows(_PROCESSOR.process(source), config_hash))
    except DocumentError as exc:
        return ("failed", str(exc))
    except LitmineError as exc:
        return ("failed", str(exc))
    except Exception as exc:  # never let one document's bug stop the corpus or reach the user as a traceback
        return ("failed", f"internal error: {type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}")


def _results(items: list[tuple[Source, str]], settings: Settings) -> Iterator:
    if settings.jobs == 1 or len(items) <= 1:
        _init_worker(settings)
        for it in items:
            yield _process(it)
        return
    import multiprocessing as mp

    ctx = mp.get_context("fork") if sys.platform.startswith("linux") else mp.get_context()
    with ProcessPoolExecutor(max_workers=min(settings.jobs, len(items)), mp_context=ctx,
                             initializer=_init_worker, initargs=(settings,)) as ex:
        # map() yields in input order: rows are written in a deterministic order
        yield from ex.map(_process, items, chunksize=1)


# ---- orchestration -----------------------------------------------------------------------------
def rebuild(corpus: Path | list[Path], index: Path, settings: Settings | None = None, *, full: bool = False,
            progress: Callable[[str, int, int, int], None] | None = None) -> RebuildSummary:
    """Python twin of `litmine rebuild`. `progress(file_name, done, total, pages_so_far)` is called per document."""
    t0 = time.perf_counter()
    settings = settings or Settings()
    index = Path(index)
    found = discover(corpus, settings, index)
    sources = found.sources
    if not sources:
        raise LitmineError(Msg.CORPUS_EMPTY.format(path=corpus))
    summary = RebuildSummary(index=str(index), rejected=found.rejected, duplicates=len(found.duplicates),
                             walk_lines=found.summary_lines())
    config_hash = settings.config_hash()

    existing: dict[str, tuple[str, str, str]] = {}
    old_ok = index.exists()
    if old_ok:
        try:
            conn = schema.connect(str(index), readonly=True)
            if schema.schema_version(conn) != schema.SCHEMA_VERSION:
                old_ok = False
            else:
                existing = {r["doc_id"]: (r["sha256"], r["config_hash"], r["path"])
                            for r in conn.execute("SELECT doc_id, sha256, config_hash, path FROM documents")}
            conn.close()
        except sqlite3.DatabaseError:
            old_ok = False

    todo = [s for s in sources if full or not old_ok or existing.get(s.doc_id, ("", "", ""))[:2] != (s.sha256, config_hash)
            or existing[s.doc_id][2] != s.locator]
    current_ids = {s.doc_id for s in sources}
    removed = sorted(set(existing) - current_ids) if old_ok else []
    summary.skipped_unchanged = len(sources) - len(todo)
    summary.removed = len(removed)

    if old_ok and not todo and not removed:
        _fill_counts(summary, index)
        summary.seconds = time.perf_counter() - t0
        return summary

    corpus_stages = _load_stages(settings)
    index.parent.mkdir(parents=True, exist_ok=True)
    tmp = index.with_name(f".{index.name}.tmp-{os.getpid()}")
    try:
        if old_ok:
            shutil.copyfile(index, tmp)
        else:
            if tmp.exists():
                tmp.unlink()
        conn = schema.connect(str(tmp))
        conn.execute("PRAGMA journal_mode=OFF")  # the copy itself is the rollback journal
        conn.execute("PRAGMA synchronous=OFF")
        schema.create(conn)
        if not old_ok and index.exists():
            _carry_corrections(index, conn)
        for doc_id in removed:
            store.delete_document(conn, doc_id)
        # Largest files first so no worker is left with a big one at the end; the order is still a
        # pure function of the inputs, so rows are written in a deterministic order.
        items = [(s, config_hash) for s in sorted(todo, key=lambda s: (-s.size, s.doc_id))]
        done = pages = 0
        for (src, _cfg), (status, payload) in zip(items, _results(items, settings)):
            if status == "ok":
                store.write_rows(conn, payload)
                pages += payload["pages"]
            else:
                store.record_failure(conn, src.doc_id, src.locator, src.format, src.sha256, payload, config_hash)
            done += 1
            if progress:
                progress(src.name, done, len(items), pages)
            conn.commit()
        _apply_corrections(conn)
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('pipeline_version', ?)",
                     (__import__("pipeline").__version__,))
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('config_hash', ?)", (config_hash,))
        conn.commit()
        summary.notes += run_corpus_stages(
            conn, settings, (lambda name: progress(f"corpus stage: {name}", done, len(items), pages)) if progress else None,
            stages=corpus_stages)
        conn.commit()
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.close()
        os.replace(tmp, index)
    finally:
        if tmp.exists():
            tmp.unlink()
    summary.processed = len(todo)
    _fill_counts(summary, index)
    summary.seconds = time.perf_counter() - t0
    return summary


def run_corpus_stages(conn: sqlite3.Connection, settings: Settings,
                      status: Callable[[str], None] | None = None,
                      stages: list[tuple[StageSpec, CorpusStage]] | None = None) -> list[str]:
    """Corpus-level stages over the whole index, in the order of pipeline/stages.py (topics, then
    links, which use topics). `stages`: already loaded (rebuild loads them before the workers)."""
    notes: list[str] = []
    for spec, stage in (load_corpus_stages(settings) if stages is None else stages):
        if status:
            status(spec.name)
        notes += stage(conn) or []
    return notes


def _apply_corrections(conn: sqlite3.Connection) -> None:
    """User corrections survive rebuilds: re-apply them to the freshly tagged claims."""
    conn.execute("UPDATE claims SET corrected=0")
    for row in conn.execute("SELECT claim_id, label FROM corrections").fetchall():
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
