"""The links stage: stream the index document by document, keep links among unchanged documents.

    run_linking(conn, settings, changed_doc_ids=None, progress=None) -> notes

- Each document is read once (its claims, joined into whole sentences): its own links
  (translation, addresses, abstract → body same_issue) are computed when it changed, and its
  rows join the sparse cross-document space (space.py). Nothing of size claims × claims exists.
- Incremental: the stage records, in `meta`, a fingerprint per document (content hash, config
  hash, claim labels incl. user corrections) and one of its own inputs (parameters, glossary,
  learned statistics, version). A document whose fingerprint changed, or that is new or gone, has
  every link touching it recomputed/removed; links among unchanged documents are kept. When its
  own inputs changed, everything is recomputed. `changed_doc_ids` (from the orchestrator) adds to
  what the fingerprints detect.
- same_metric is recomputed over all statistics each time (grouping by key is linear).
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import sqlite3
from collections import deque
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .claimlinks import ClaimLinker, Link, project_through_translation
from .crossdoc import cross_doc_links
from .features import Claim, claim_rows, claims_from_rows
from .glossary import Glossary, load_glossary
from .metrics import load_stats, metric_pairs
from .space import ClaimSpace
from .text import Stopwords
from .translation import translation_pairs
from .pairs import PairModel
from .weights import TermStats, WordVectors

VERSION = "0.4"
PRODUCER = f"links-rules/{VERSION}"
RELATIONS = ("translation", "addresses", "same_issue", "same_measure", "same_metric")
STATE_KEY = "links_state"
# the stage's own cache table (derived data: dropping it only costs time), declared in
# index/schema.py; created here too for indexes made before it was declared there
CACHE_TABLE = "CREATE TABLE IF NOT EXISTS links_cache (doc_id TEXT PRIMARY KEY, fp TEXT, inputs TEXT, data BLOB)"
LinkRow = tuple  # (link_id, relation, source_id, target_id, source_doc, target_doc, score, conflict, evidence, producer)


def load_params(models_dir: Path) -> dict[str, Any]:
    """models/linking/thresholds.json, validated (types, ranges, no unknown keys) by settings.LinkSettings."""
    from ..settings import LinkSettings

    return LinkSettings.load(models_dir).as_dict()


def link_id(relation: str, source: str, target: str) -> str:
    return hashlib.sha1(f"{relation}\x1f{source}\x1f{target}".encode("utf-8")).hexdigest()[:16]


def _jdump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class _Rows:
    """Link rows by (relation, source, target); symmetric relations keep one orientation."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, str], tuple] = {}

    def add(self, rel: str, src_id: str, tgt_id: str, sdoc: str, tdoc: str, score: float, conflict: int,
            ev: dict) -> None:
        if src_id == tgt_id:
            return
        # symmetric relations: one row per pair (translation keeps zh → en, addresses c → p)
        if rel not in ("addresses", "translation") and tgt_id < src_id:
            src_id, tgt_id, sdoc, tdoc = tgt_id, src_id, tdoc, sdoc
        key = (rel, src_id, tgt_id)
        score = round(float(score), 4)
        if key in self.rows and self.rows[key][6] >= score:
            return
        self.rows[key] = (link_id(rel, src_id, tgt_id), rel, src_id, tgt_id, sdoc, tdoc, score, int(conflict),
                          _jdump(ev), PRODUCER)

    def sorted(self) -> list[tuple]:
        return [self.rows[k] for k in sorted(self.rows)]


def _fits(label: str, secondary: tuple[str, ...], relation: str, side: str) -> bool:
    def has(x: str) -> bool:
        return label == x or x in secondary
    if relation == "addresses":
        return has("countermeasure") if side == "source" else has("problem")
    if relation in ("same_issue",):
        return has("problem")
    if relation == "same_measure":
        return has("countermeasure")
    return False


# one document's part of the stage: (doc id, its own link rows, its translation pairs, its rows of
# the similarity space as a blob)
DocPart = tuple[str, list[tuple[tuple[str, str, str], tuple]], list[tuple[str, str]], bytes]
_WORKER: "LinkStage | None" = None  # the stage a forked worker inherits (set before the pool forks)


def _doc_job(doc: str, rows: list[tuple], own_links: bool) -> DocPart:
    assert _WORKER is not None
    return _WORKER.doc_part(doc, rows, own_links)


class LinkStage:
    def __init__(self, conn: sqlite3.Connection, models_dir: Path, params: dict[str, Any] | None = None,
                 glossary: Glossary | None = None, stats: TermStats | None = None, jobs: int = 1):
        self.conn = conn
        self.jobs = max(1, int(jobs))
        self.models_dir = Path(models_dir)
        self.params = params or load_params(self.models_dir)
        self.glossary = glossary or load_glossary(self.models_dir, conn)
        self.stop = Stopwords.load(self.models_dir / "linking")
        self.stats = stats or TermStats.load(self.models_dir)
        self.vectors = WordVectors.load(self.models_dir)
        self.pair_model = PairModel.load(self.models_dir)

    # ---- bookkeeping --------------------------------------------------------------------------
    def inputs_hash(self) -> str:
        h = hashlib.sha256(PRODUCER.encode())
        # every file of models/linking (stop words, vectors, learned tables…): the per-document
        # config hash leaves them out (settings.models_fingerprint), so this stage watches them
        root = self.models_dir / "linking"
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            if path.is_file() and not path.name.startswith("."):
                h.update(path.relative_to(root).as_posix().encode() + hashlib.sha256(path.read_bytes()).digest())
        h.update(_jdump(self.params).encode())
        for e in self.glossary.entries:
            h.update(f"{e.a}\x1f{e.b}\x1f{e.kind}\x1e".encode())
        h.update(_jdump(self.stats.meta).encode())
        if self.pair_model is not None:
            h.update(_jdump(self.pair_model.meta).encode() + _jdump(self.pair_model.weights).encode())
        return h.hexdigest()[:16]

    def fingerprints(self) -> dict[str, str]:
        """doc_id → hash of what its links depend on (content, config, claim labels)."""
        fps: dict[str, hashlib._Hash] = {}
        for doc, sha, cfg in self.conn.execute(
                "SELECT doc_id, sha256, config_hash FROM documents WHERE status IS NULL OR status='ok' ORDER BY doc_id"):
            fps[doc] = hashlib.sha256(f"{sha}\x1f{cfg}".encode())
        for doc, cid, label, sec in self.conn.execute(
                "SELECT doc_id, claim_id, label, secondary FROM claims ORDER BY doc_id, claim_id"):
            if doc in fps:
                fps[doc].update(f"{cid}\x1f{label}\x1f{sec}\x1e".encode())
        # documents with claims but no documents row (hand-made indexes) still take part
        for (doc,) in self.conn.execute("SELECT DISTINCT doc_id FROM claims ORDER BY doc_id"):
            if doc not in fps:
                fps[doc] = hashlib.sha256(b"no-document-row")
                for cid, label, sec in self.conn.execute(
                        "SELECT claim_id, label, secondary FROM claims WHERE doc_id=? ORDER BY claim_id", (doc,)):
                    fps[doc].update(f"{cid}\x1f{label}\x1f{sec}\x1e".encode())
        return {d: h.hexdigest()[:16] for d, h in fps.items()}

    def _cache(self, inputs: str) -> dict[str, tuple[str, bytes]]:
        """doc_id → (fingerprint, rows blob) of the document cache, when built with these inputs."""
        try:
            return {d: (fp, blob) for d, fp, blob in self.conn.execute(
                "SELECT doc_id, fp, data FROM links_cache WHERE inputs=?", (inputs,))}
        except sqlite3.DatabaseError:
            return {}

    def _state(self) -> dict[str, Any]:
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key=?", (STATE_KEY,)).fetchone()
            return json.loads(row[0]) if row else {}
        except (sqlite3.DatabaseError, ValueError, TypeError):
            return {}

    # ---- per document ---------------------------------------------------------------------------
    def doc_links(self, claims: list[Claim], rows: _Rows) -> list[tuple[str, str]]:
        """One document's own links; returns its translation pairs (zh claim id, en claim id)."""
        trans = translation_pairs(claims, self.params.get("translation", {}))
        for zh, en, score, ev in trans:
            rows.add("translation", zh.claim_id, en.claim_id, zh.doc_id, en.doc_id, score, 0, ev)
        linker = ClaimLinker(claims, self.glossary, self.params)
        links: list[Link] = linker.addresses() + linker.same_issue()
        links += project_through_translation(links, [(a, b) for a, b, _, _ in trans], claims)
        for lk in links:
            rows.add(lk.relation, lk.source.claim_id, lk.target.claim_id, lk.source.doc_id, lk.target.doc_id,
                     lk.score, 0, lk.evidence)
        return [(a.claim_id, b.claim_id) for a, b, _, _ in trans]


    def doc_part(self, doc: str, rows: list[tuple], own_links: bool) -> DocPart:
        """Everything the stage needs of one document alone: its own links (when `own_links`) and
        its rows of the cross-document space. Runs in a worker process when jobs > 1."""
        claims = claims_from_rows(rows, self.glossary, self.stop)
        out = _Rows()
        trans = self.doc_links(claims, out) if own_links else []
        space = ClaimSpace(self.stats, float(self.params.get("lex_weight", 0.5)), vectors=self.vectors)
        # only problems and countermeasures take part in cross-document relations (a background or
        # achievement row would never be a source or a target)
        space.add([c for c in claims if c.has("problem") or c.has("countermeasure")])
        abstract = {c.claim_id for c in claims if c.kind == "abstract"}
        return doc, sorted(out.rows.items()), trans, space.export_doc(0, len(space._r), 0, abstract)

    def doc_parts(self, todo: list[tuple[str, bool]]) -> Iterator[DocPart]:
        """doc_part of each (document, own_links), in order: in `jobs` forked workers when there
        is more than one document (the index is read here, in the calling process; results are
        the same whatever the number of workers)."""
        if self.jobs <= 1 or len(todo) < 2 or "fork" not in mp.get_all_start_methods():
            for doc, own in todo:
                yield self.doc_part(doc, claim_rows(self.conn, doc), own)
            return
        from concurrent.futures import Future, ProcessPoolExecutor

        global _WORKER
        _WORKER = self
        try:
            with ProcessPoolExecutor(max_workers=min(self.jobs, len(todo)), mp_context=mp.get_context("fork")) as ex:
                window: deque[Future] = deque()
                for doc, own in todo:
                    window.append(ex.submit(_doc_job, doc, claim_rows(self.conn, doc), own))
                    if len(window) >= 2 * self.jobs:  # bounded: a few documents in flight
                        yield window.popleft().result()
                while window:
                    yield window.popleft().result()
        finally:
            _WORKER = None

    def run(self, changed_doc_ids: Iterable[str] | None = None, full: bool = False,
            progress: Callable[[int, int], None] | None = None) -> tuple[list[tuple], dict[str, Any]]:
        """Compute the rows to write; returns (rows to insert, info). Deletes nothing itself."""
        fps = self.fingerprints()
        state = self._state()
        inputs = self.inputs_hash()
        old = state.get("docs", {}) if state.get("inputs") == inputs else None
        if full or old is None:
            changed = set(fps)
            removed: set[str] = set()
            full = True
        else:
            changed = {d for d, fp in fps.items() if old.get(d) != fp}
            changed |= set(changed_doc_ids or ()) & set(fps)
            removed = set(old) - set(fps)
        rows = _Rows()
        space = ClaimSpace(self.stats, float(self.params.get("lex_weight", 0.5)), vectors=self.vectors)
        labels: dict[str, tuple[str, tuple[str, ...]]] = {}
        en_of: dict[str, list[str]] = {}
        docs = sorted(fps)
        cache = self._cache(inputs)
        fresh: list[tuple[str, str, bytes]] = []

        def cached(doc: str) -> bytes | None:
            hit = cache.get(doc)
            return hit[1] if doc not in changed and hit is not None and hit[0] == fps[doc] else None

        parts = self.doc_parts([(d, d in changed) for d in docs if cached(d) is None])
        for k, doc in enumerate(docs):
            blob = cached(doc)
            if blob is None:  # read and computed (in doc order, whichever worker did it)
                name, own_rows, trans, blob = next(parts)
                assert name == doc
                rows.rows.update(own_rows)
                for zh, en in trans:
                    en_of.setdefault(zh, []).append(en)
                fresh.append((doc, fps[doc], blob))
            # every document joins the space from its blob, so fresh and cached rows are the same
            for cid, label, sec in space.import_doc(doc, blob):
                labels[cid] = (label, sec)
            if progress:
                progress(k + 1, len(docs))
        space.finish()
        if not full:  # translation pairs of unchanged documents, as stored
            for zh, en in self.conn.execute("SELECT source_id, target_id FROM links WHERE relation='translation'"):
                en_of.setdefault(zh, []).append(en)
        changed_no = None if full else {space.doc_no(d) for d in changed if d in space._doc_no}
        if changed_no is None or changed_no:
            for rel, i, j, score, ev in cross_doc_links(space, self.params, changed_no, self.pair_model, self.jobs):
                a, b = space.rows[i], space.rows[j]
                sa, sb = space.doc_ids[a.doc], space.doc_ids[b.doc]
                rows.add(rel, a.claim_id, b.claim_id, sa, sb, score, 0, ev)
                self._project(rows, rel, a.claim_id, b.claim_id, sa, sb, score, ev, en_of, labels)
        for a, b, score, conflict, ev in metric_pairs(load_stats(self.conn), self.params.get("same_metric", {})):
            rows.add("same_metric", a.stat_id, b.stat_id, a.doc_id, b.doc_id, score, conflict, ev)
        info = {"full": full, "changed": sorted(changed), "removed": sorted(removed),
                "state": {"inputs": inputs, "docs": fps}, "cache": fresh}
        return rows.sorted(), info

    @staticmethod
    def _project(rows: _Rows, rel: str, s: str, t: str, sd: str, td: str, score: float, ev: dict,
                 en_of: dict[str, list[str]], labels: dict[str, tuple[str, tuple[str, ...]]]) -> None:
        """English abstract sentences inherit the cross-document links of the Chinese sentence
        they translate (an English problem sentence only takes problem-side links…)."""
        srcs = [e for e in en_of.get(s, []) if e in labels and _fits(*labels[e], rel, "source")]
        tgts = [e for e in en_of.get(t, []) if e in labels and _fits(*labels[e], rel, "target")]
        for e in srcs:
            rows.add(rel, e, t, sd, td, score, 0, dict(ev, projected_from=s))
            for f in tgts:
                rows.add(rel, e, f, sd, td, score, 0, dict(ev, projected_from=s))
        for f in tgts:
            rows.add(rel, s, f, sd, td, score, 0, dict(ev, projected_from=t))


def compute_links(conn: sqlite3.Connection, models_dir: Path, params: dict[str, Any] | None = None,
                  glossary: Glossary | None = None) -> list[tuple]:
    """All link rows (link_id, relation, source_id, target_id, source_doc, target_doc, score,
    conflict, evidence, producer) of a full computation, sorted; nothing is written."""
    rows, _ = LinkStage(conn, models_dir, params, glossary).run(full=True)
    return rows


def run_linking(conn: sqlite3.Connection, settings: Any, changed_doc_ids: Iterable[str] | None = None,
                progress: Callable[[int, int], None] | None = None, *, full: bool = False) -> list[str]:
    """Update the links table (incrementally when the stage's state allows); returns notes for
    the rebuild summary. `progress(done, total)` is called per document read."""
    models_dir = Path(getattr(settings, "models_dir", Path(__file__).resolve().parents[2] / "models"))
    stage = LinkStage(conn, models_dir, jobs=int(getattr(settings, "jobs", 1) or 1))
    rows, info = stage.run(changed_doc_ids, full, progress)
    if info["full"]:
        conn.execute("DELETE FROM links")
    else:
        gone = sorted(set(info["changed"]) | set(info["removed"]))
        conn.execute("DELETE FROM links WHERE relation='same_metric'")
        for k in range(0, len(gone), 500):
            part = gone[k:k + 500]
            marks = ",".join("?" * len(part))
            conn.execute(f"DELETE FROM links WHERE source_doc IN ({marks}) OR target_doc IN ({marks})", part + part)
    conn.executemany("INSERT OR REPLACE INTO links(link_id, relation, source_id, target_id, source_doc, target_doc,"
                     " score, conflict, evidence, producer) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (STATE_KEY, _jdump(info["state"])))
    # the documents' rows of the similarity space, so a rebuild re-reads only changed documents
    conn.execute(CACHE_TABLE)
    inputs = info["state"]["inputs"]
    conn.execute("DELETE FROM links_cache WHERE inputs != ? OR doc_id NOT IN (SELECT doc_id FROM claims)", (inputs,))
    conn.executemany("INSERT OR REPLACE INTO links_cache(doc_id, fp, inputs, data) VALUES (?,?,?,?)",
                     [(d, fp, inputs, blob) for d, fp, blob in info["cache"]])
    counts = dict(conn.execute("SELECT relation, count(*) FROM links GROUP BY relation").fetchall())
    conflicts = conn.execute("SELECT count(*) FROM links WHERE conflict=1").fetchone()[0]
    summary = ", ".join(f"{rel} {counts.get(rel, 0)}" for rel in RELATIONS)
    how = "full" if info["full"] else f"incremental: {len(info['changed'])} changed, {len(info['removed'])} removed"
    return [f"links ({PRODUCER}, {how}): {summary}; {conflicts} statistic conflict(s) flagged"]
