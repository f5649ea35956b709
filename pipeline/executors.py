"""Where the per-document stages run: in this process, in local worker processes, or on a Dask
cluster. Every executor takes tasks in a fixed order and yields their outcomes in that order, with
at most `window` tasks in flight, so the index is written as results come (memory bounded by the
window and the largest document, not the corpus) and in the same order whichever executor ran.

Worker start-up (jieba's dictionary, spaCy, lexicons, the claim model) is paid once per worker
process: local workers load it in the pool initializer; Dask workers keep one processor per
settings hash in the worker process, loaded by the first task that needs it.

A worker that dies (killed, out of memory, a crash in a C library) fails the documents it held,
not the rebuild: the local pool is restarted, the tasks that were in flight are retried one at a
time to find the one that killed it, and the rest go on. Dask retries a task on another worker by
itself and reports KilledWorker when it keeps killing workers.
"""
from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol

from .errors import DocumentError, LitmineError, Msg
from .extract.sources import Source
from .settings import Settings


@dataclass(frozen=True)
class Task:
    """One document to process: a Source of the corpus walk (a file, or one record of a file with
    the record carried along). `data` carries a file's bytes when the worker may not see the file
    (Dask); local workers read the file themselves."""

    source: Source
    config_hash: str
    data: bytes | None = field(default=None, repr=False)

    @property
    def doc_id(self) -> str:
        return self.source.doc_id

    @property
    def size(self) -> int:
        return self.source.size


@dataclass
class Outcome:
    task: Task
    ok: bool
    payload: Any  # store.document_rows(...) when ok, else the one-line reason
    seconds: float = 0.0  # processing time in the worker
    worker: str = ""


class Executor(Protocol):
    name: str

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]: ...

    def close(self) -> None: ...


# ---- worker side (runs in the worker process) ----------------------------------------------------
_PROCESSORS: dict[Settings, Any] = {}
_HASHES: dict[Settings, str] = {}


def preload(settings: Settings) -> None:
    """Load the stages in this process (the rebuild's parent): a bad resource is one StageError
    before any worker starts, and forked local workers inherit the loaded stages."""
    _processor(settings)


def _processor(settings: Settings):
    """One DocumentProcessor per settings in this process, built on first use."""
    key = settings  # frozen dataclass: hashable, equal when every option is
    proc = _PROCESSORS.get(key)
    if proc is None:
        from .build import DocumentProcessor
        from .index.querytok import ensure_lexicon

        proc = DocumentProcessor(settings)
        _PROCESSORS[key] = proc
        # the dictionary is loaded here anyway: write the query lexicon once (queries start fast)
        try:
            ensure_lexicon(settings.models_dir, proc.segmenter.jieba)
        except Exception:  # a cache that cannot be written only costs queries their fast start
            pass
    return proc


def process_task(task: Task, settings: Settings) -> Outcome:
    """Process one document into its index rows; never raises (a document's bug is its own)."""
    from .index import store

    t0 = time.perf_counter()
    worker = f"{os.uname().nodename if hasattr(os, 'uname') else ''}:{os.getpid()}"
    try:
        proc = _processor(settings)
        if task.data is None:
            doc = proc.process(task.source)
        else:
            # the worker may not see the file: process the bytes under the same file name, then
            # record the locator the user gave (provenance names the user's file, not a temp copy)
            with tempfile.TemporaryDirectory(prefix="litmine-") as tmp:
                local = Path(tmp) / task.source.path.name
                local.write_bytes(task.data)
                doc = proc.process(dataclasses.replace(task.source, path=local))
            doc.path = task.source.locator
        rows = store.document_rows(doc, task.config_hash)
        return Outcome(task, True, rows, time.perf_counter() - t0, worker)
    except (DocumentError, LitmineError) as exc:
        return Outcome(task, False, str(exc), time.perf_counter() - t0, worker)
    except Exception as exc:  # never let one document's bug stop the corpus or reach the user as a traceback
        first = str(exc).splitlines()[0][:160] if str(exc) else ""
        return Outcome(task, False, f"internal error: {type(exc).__name__}: {first}", time.perf_counter() - t0, worker)


_SETTINGS: Settings | None = None


def _init_worker(settings: Settings) -> None:
    global _SETTINGS
    _SETTINGS = settings
    _processor(settings)


def _pool_task(task: Task) -> Outcome:
    assert _SETTINGS is not None
    return process_task(task, _SETTINGS)


# ---- executors -----------------------------------------------------------------------------------
class InlineExecutor:
    """Everything in this process (--jobs 1, or a single document)."""

    name = "inline"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        for t in tasks:
            yield process_task(t, self.settings)

    def close(self) -> None:
        pass


class LocalExecutor:
    """Long-lived local worker processes (fork on Linux: start-up is paid once per worker)."""

    name = "local"

    def __init__(self, settings: Settings, jobs: int | None = None, window: int | None = None) -> None:
        self.settings = settings
        self.jobs = jobs or settings.jobs
        # enough tasks ahead to keep every worker busy behind a slow document, few enough that
        # finished results waiting for their turn stay small
        self.window = window or max(4, 8 * self.jobs)
        self._pool: Any = None

    def _new_pool(self, workers: int) -> Any:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        ctx = mp.get_context("fork") if sys.platform.startswith("linux") else mp.get_context()
        return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                   initargs=(self.settings,))

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        from concurrent.futures.process import BrokenProcessPool

        it = iter(tasks)
        pending: deque[tuple[Task, Future | None]] = deque()
        self._pool = self._new_pool(self.jobs)
        try:
            while True:
                while len(pending) < self.window:
                    t = next(it, None)
                    if t is None:
                        break
                    try:
                        fut: Future | None = self._pool.submit(_pool_task, t)
                    except BrokenProcessPool:  # the pool broke since the last result: found below
                        fut = None
                    pending.append((t, fut))
                if not pending:
                    return
                task, head = pending[0]
                try:
                    if head is None:
                        raise BrokenProcessPool("pool broken before submission")
                    out = head.result()
                except BrokenProcessPool:
                    # a worker died: every task in flight failed with it; find the culprit(s)
                    in_flight = [t for t, _ in pending]
                    pending.clear()
                    self._pool.shutdown(wait=False, cancel_futures=True)
                    yield from self._isolate(in_flight)
                    self._pool = self._new_pool(self.jobs)
                    continue
                pending.popleft()
                yield out
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None

    def _isolate(self, tasks: list[Task]) -> Iterator[Outcome]:
        """Retry each task in a one-worker pool: the ones that kill it again are failed."""
        from concurrent.futures.process import BrokenProcessPool

        pool = self._new_pool(1)
        try:
            for t in tasks:
                try:
                    yield pool.submit(_pool_task, t).result()
                except BrokenProcessPool:
                    pool.shutdown(wait=False, cancel_futures=True)
                    yield Outcome(t, False, Msg.WORKER_DIED)
                    pool = self._new_pool(1)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _dask_task(task: Task, settings: Settings) -> Outcome:
    """Runs on a Dask worker: the models must be the client's (same config hash), else the index
    would mix two pipelines."""
    if settings not in _HASHES:  # hashing models/ reads every file: once per worker
        _HASHES[settings] = settings.config_hash() if Path(settings.models_dir).is_dir() else "missing"
    if _HASHES[settings] != task.config_hash:
        return Outcome(task, False, Msg.WORKER_MISMATCH.format(
            worker=f"{os.uname().nodename}:{os.getpid()}", models=settings.models_dir))
    return process_task(task, settings)


class DaskExecutor:
    """The per-document stages on a dask.distributed cluster. The client reads each file and sends
    its bytes with the task (workers need no shared file system); workers send back the rows
    (plain tuples); this process writes them to the index in task order."""

    name = "dask"

    def __init__(self, settings: Settings, scheduler: Any, window: int | None = None) -> None:
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - distributed is a pinned dependency
            raise LitmineError(Msg.DASK_MISSING) from None
        self.settings = settings
        try:
            self.client = scheduler if isinstance(scheduler, Client) else Client(
                scheduler, set_as_default=False, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise LitmineError(Msg.DASK_UNREACHABLE.format(address=scheduler, detail=exc)) from None
        self._own = not isinstance(scheduler, Client)
        threads = sum(w.get("nthreads", 1) for w in self.client.scheduler_info().get("workers", {}).values())
        self.window = window or max(8, 4 * threads)

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        # the settings travel once to every worker, not with every task
        settings_f = self.client.scatter(self.settings, broadcast=True, hash=False)
        it = iter(tasks)
        pending: deque[tuple[Task, Any]] = deque()
        while True:
            while len(pending) < self.window:
                t = next(it, None)
                if t is None:
                    break
                if t.data is None and t.source.record is None:  # a record travels with its Source
                    t = Task(t.source, t.config_hash, t.source.path.read_bytes())
                fut = self.client.submit(_dask_task, t, settings_f, pure=False, retries=0,
                                         key=f"litmine-{t.config_hash}-{len(pending)}-{time.monotonic_ns()}")
                pending.append((t, fut))
            if not pending:
                return
            task, fut = pending.popleft()
            try:
                out = fut.result()
            except Exception as exc:  # KilledWorker, a lost worker, a cancelled future: this document fails
                out = Outcome(task, False, Msg.WORKER_DIED + f" ({type(exc).__name__})")
            fut.release()
            # the bytes went out with the task: keep none of them here
            out.task = Task(task.source, task.config_hash)
            yield out

    def close(self) -> None:
        if self._own:
            self.client.close()


def make_executor(settings: Settings, n_tasks: int, executor: str = "local", scheduler: Any = None) -> Executor:
    if executor == "dask":
        if scheduler is None:
            raise LitmineError(Msg.DASK_NO_SCHEDULER)
        return DaskExecutor(settings, scheduler)
    if executor != "local":
        raise LitmineError(Msg.SETTINGS_INVALID.format(name="executor", value=executor, why="local or dask"))
    if settings.jobs == 1 or n_tasks <= 1:
        return InlineExecutor(settings)
    return LocalExecutor(settings, jobs=min(settings.jobs, n_tasks))


ProgressFn = Callable[[str, int, int, int], None]
