"""Scale machinery: bounded in-order streaming, a dead worker fails one document, incremental
topics (assign to the saved model until drift), and the Dask executor's index equals the local one."""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from conftest import CORPUS, SHARED
from pipeline.api import Index
from pipeline import executors
from pipeline.executors import LocalExecutor, Task
from pipeline.settings import Settings

ABSTRACTS = SHARED / "realdata/text/scale/zh_sci_abstracts_dedup.jsonl"


def _tasks(paths: list[Path], h: str = "x") -> list[Task]:
    from pipeline.extract.sources import walk

    by_id = {s.doc_id: s for s in walk(paths).sources}
    return [Task(by_id[p.stem], h) for p in paths]


def test_local_executor_streams_in_order_with_a_bounded_window(tmp_path):
    files = []
    for i in range(12):
        p = tmp_path / f"d{i:02d}.txt"
        p.write_text(f"第{i}份文件。产业协同发展需要加强。\n" * (1 + i % 3), "utf-8")
        files.append(p)
    consumed = []

    def feed():
        for t in _tasks(files):
            consumed.append(t.doc_id)
            yield t

    ex = LocalExecutor(Settings(jobs=2, stages=()), window=3)
    got = []
    for out in ex.run(feed()):
        got.append(out.task.doc_id)
        assert len(consumed) <= len(got) + 3  # never more than the window ahead of what was written
        assert out.ok, out.payload
    assert got == [p.stem for p in files]


def test_a_worker_that_dies_fails_its_document_not_the_rebuild(tmp_path, monkeypatch):
    files = []
    for name in ("a", "boom", "c", "d"):
        p = tmp_path / f"{name}.txt"
        p.write_text("产业集群协同发展。\n", "utf-8")
        files.append(p)
    real = executors.process_task

    def dying(task, settings):
        if task.doc_id == "boom":
            os._exit(3)  # a crash in a C library, the OOM killer: the process is simply gone
        return real(task, settings)

    monkeypatch.setattr(executors, "process_task", dying)  # forked workers inherit the patch
    outs = list(LocalExecutor(Settings(jobs=2, stages=()), window=4).run(_tasks(files)))
    assert [o.task.doc_id for o in outs] == ["a", "boom", "c", "d"]
    assert [o.ok for o in outs] == [True, False, True, True]
    assert "died" in outs[1].payload


def _abstracts(dest: Path, n: int) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    with open(ABSTRACTS, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= n:
                break
            r = json.loads(line)
            (dest / f"a{i:04d}.txt").write_text((r.get("title") or "") + "\n\n" + r["text"] + "\n", "utf-8")
    return dest


def _topic_rows(index: Path) -> dict[str, dict]:
    conn = sqlite3.connect(index)
    out = {"docs": {}, "sents": {}}
    for d, t, w in conn.execute("SELECT doc_id, topic_id, weight FROM document_topics"):
        out["docs"].setdefault(d, {})[t] = w
    for s, t, p in conn.execute("SELECT sentence_id, topic_id, prob FROM sentence_topics"):
        out["sents"][s] = (t, p)
    out["topics"] = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT topic_id, terms, prevalence FROM topics")}
    conn.close()
    return out


@pytest.mark.slow
def test_topics_are_incremental_until_the_corpus_drifts(tmp_path):
    corpus = _abstracts(tmp_path / "c", 300)
    index = tmp_path / "ix.sqlite"
    settings = Settings(jobs=2, stages=("topics",))
    Index.rebuild(corpus, index, settings)
    before = _topic_rows(index)
    assert before["topics"] and len(before["docs"]) > 250

    edited, removed = corpus / "a0007.txt", corpus / "a0011.txt"
    edited.write_text(edited.read_text("utf-8") + "\n本文进一步讨论了神经网络模型在控制系统中的应用。\n", "utf-8")
    removed.unlink()
    (corpus / "new.txt").write_text("基于深度学习的图像识别方法\n\n提出了一种基于卷积神经网络的图像识别方法，"
                                    "实验结果表明该方法提高了识别精度。\n", "utf-8")
    s = Index.rebuild(corpus, index, settings)
    assert s.processed == 2 and s.removed == 1
    assert any("assigned to the saved model" in n for n in s.notes), s.notes
    after = _topic_rows(index)
    # the model is kept: same topics and terms; only prevalence moves
    assert {k: v[0] for k, v in after["topics"].items()} == {k: v[0] for k, v in before["topics"].items()}
    assert abs(sum(v[1] for k, v in after["topics"].items() if k.startswith("zh")) - 1) < 1e-3
    # the changed documents have new rows, the removed one none, every other document is untouched
    assert "new" in after["docs"] and "a0011" not in after["docs"] and "a0007" in after["docs"]
    assert not any(sid.startswith("a0011:") for sid in after["sents"])
    for d, mix in before["docs"].items():
        if d not in ("a0007", "a0011"):
            assert after["docs"][d] == mix
    assert abs(sum(after["docs"]["new"].values()) - 1) < 1e-3

    # --refit-topics refits on demand; past the drift threshold a rebuild refits by itself
    s = Index.rebuild(corpus, index, settings, refit_topics=True)
    assert s.processed == 0 and not any("assigned" in n for n in s.notes)
    assert any(n.startswith("topics[zh]:") and "topics (nmf" in n for n in s.notes), s.notes
    for p in sorted(corpus.glob("a0*.txt"))[:80]:
        p.write_text(p.read_text("utf-8") + "\n补充说明。\n", "utf-8")
    s = Index.rebuild(corpus, index, settings)
    assert s.processed == 80 and any("topics (nmf" in n for n in s.notes), s.notes


def _dump(index: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(index)
    out = {}
    for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sentences_fts_%'"):
        sql = "SELECT rowid, words, grams FROM sentences_fts" if t == "sentences_fts" else f"SELECT * FROM {t}"
        out[t] = sorted(map(repr, conn.execute(sql)))
    conn.close()
    return out


@pytest.mark.slow
def test_dask_executor_gives_the_same_index_as_two_local_jobs(tmp_path):
    distributed = pytest.importorskip("distributed")
    settings = Settings(jobs=2, stages=("claims", "statistics", "topics"))
    # files travel to the workers as bytes, records with their Source
    records = tmp_path / "abstracts.jsonl"
    with open(ABSTRACTS, encoding="utf-8") as src, open(records, "w", encoding="utf-8") as dst:
        for _ in range(4):
            dst.write(src.readline())
    files = sorted(CORPUS.glob("*.txt"))[:3] + [records]
    Index.rebuild(files, tmp_path / "local.sqlite", settings)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cl:
        s = Index.rebuild(files, tmp_path / "dask.sqlite", settings, executor="dask", scheduler=cl.scheduler_address)
    assert s.executor == "dask" and s.processed == 7 and not s.failed
    local, dask = _dump(tmp_path / "local.sqlite"), _dump(tmp_path / "dask.sqlite")
    assert set(local) == set(dask)
    for table in local:
        assert dask[table] == local[table], table
    assert len(local["sentences"]) > 100


def test_dask_without_a_scheduler_is_a_clear_error(tmp_path):
    from pipeline.errors import LitmineError

    with pytest.raises(LitmineError, match="--scheduler"):
        Index.rebuild(sorted(CORPUS.glob("*.txt"))[:2], tmp_path / "ix.sqlite", Settings(jobs=2, stages=()),
                      executor="dask")


def test_saved_nmf_model_assigns_like_scikit_learn():
    """The incremental path's numpy solve (no scikit-learn import) gives NMF.transform's weights."""
    import numpy as np
    from scipy import sparse

    from pipeline.topics.engines import NmfEngine
    from pipeline.topics.types import TopicSettings

    rng = np.random.default_rng(0)
    X = sparse.csr_matrix(rng.poisson(0.3, size=(120, 40)).astype(float))
    ts = TopicSettings(k=5)
    fitted = NmfEngine(ts, [f"w{i}" for i in range(40)])
    fitted.fit(X, 5, 1)
    saved = NmfEngine.from_state(ts, fitted.vocab, fitted.state())
    a, b = fitted.transform(X), saved.transform(X)
    assert np.abs(a - b).max() < 1e-3
    rows = a.sum(axis=1) > 0
    assert (a.argmax(axis=1) == b.argmax(axis=1))[rows].mean() == 1.0
    assert (b[~rows] == 0).all()
