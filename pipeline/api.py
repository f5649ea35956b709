"""Python API mirroring the CLI (every command has a twin here).

    from pipeline.api import Index
    summary = Index.rebuild("corpus", "outputs/litmine.sqlite")
    ix = Index.open("outputs/litmine.sqlite")
    for hit in ix.query("产业同质化", limit=5): print(hit.doc_id, hit.page, hit.highlighted)
    ix.claims(kind="problem"); ix.stats(metric="配套率"); ix.links(relation="same_issue")
    ix.export("outputs/export", "xlsx")
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from .document import LABELS
from .errors import LitmineError, Msg
from .index import rows, schema
from .index.query import Hit, search
from .settings import Settings

if TYPE_CHECKING:  # the rebuild machinery is imported by `rebuild` only: `litmine query` starts fast
    from .analysis import CoocNetwork, FreqRow, KwicLine, TrendRow
    from .rebuild import RebuildSummary


class Index:
    def __init__(self, path: Path, conn: sqlite3.Connection, settings: Settings | None = None):
        self.path = Path(path)
        self.conn = conn
        self.settings = settings or Settings()
        self._segmenter = None

    # ---- lifecycle -----------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, settings: Settings | None = None, *, writable: bool = False) -> "Index":
        path = Path(path)
        return cls(path, schema.open_index(path, readonly=not writable), settings)

    @staticmethod
    def rebuild(corpus: str | Path | list, index: str | Path, settings: Settings | None = None, *,
                full: bool = False, progress: Callable[[str, int, int, int], None] | None = None,
                refit_topics: bool = False, executor: str = "local", scheduler: Any = None) -> "RebuildSummary":
        """`executor="dask", scheduler="tcp://HOST:PORT"` runs the per-document stages on a Dask
        cluster; `refit_topics` refits the topic model even if the corpus has not drifted from it."""
        from .rebuild import rebuild

        paths = [Path(c) for c in corpus] if isinstance(corpus, (list, tuple)) else Path(corpus)
        return rebuild(paths, Path(index), settings, full=full, progress=progress, refit_topics=refit_topics,
                       executor=executor, scheduler=scheduler)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def segmenter(self):
        """Query-time tokenizer: the index's words from a cached lexicon (index/querytok.py), so a
        query does not pay for loading jieba's whole dictionary or building spaCy."""
        if self._segmenter is None:
            from .index.querytok import query_tokenizer

            self._segmenter = query_tokenizer(self.settings.models_dir)
        return self._segmenter

    # ---- reading -------------------------------------------------------------------------
    def query(self, q: str, *, expand: bool = True, **filters: Any) -> list[Hit]:
        """Ranked sentences; `expand` adds glossary translations/synonyms of each term (zh ↔ en)."""
        return search(self.conn, q, segmenter=self.segmenter, glossary=self.glossary if expand else None, **filters)

    @property
    def glossary(self):
        if getattr(self, "_glossary", None) is None:
            from .linking.glossary import load_glossary

            self._glossary = load_glossary(self.settings.models_dir, self.conn)
        return self._glossary

    def documents(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT doc_id, path, format, title, lang, pages, status, error, n_sentences FROM documents ORDER BY doc_id")]

    def sentences(self, doc_id: str | None = None) -> Iterator[dict[str, Any]]:
        sql = 'SELECT sentence_id, doc_id, page, start, "end", section, lang, kind, text FROM sentences'
        args: tuple = ()
        if doc_id:
            sql += " WHERE doc_id=?"
            args = (doc_id,)
        for r in self.conn.execute(sql + " ORDER BY doc_id, idx", args):
            yield dict(r)

    def claims(self, kind: str | None = None, doc: str | None = None, section: str | None = None,
               topic: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        if kind and kind not in LABELS:
            raise LitmineError(Msg.BAD_KIND.format(value=kind, choices=", ".join(LABELS)))
        sql = ('SELECT c.claim_id, c.doc_id, s.page, s.start, s."end", s.section, s.lang, c.label, c.secondary,'
               " c.confidence, c.evidence, c.corrected, st.topic_id, s.text FROM claims c"
               " JOIN sentences s ON s.sentence_id=c.sentence_id"
               " LEFT JOIN sentence_topics st ON st.sentence_id=c.sentence_id WHERE 1=1")
        args: list[Any] = []
        if kind:
            sql += " AND c.label=?"
            args.append(kind)
        if doc:
            sql += " AND c.doc_id=?"
            args.append(doc)
        if section:
            sql += " AND s.section_path LIKE ?"
            args.append(f"%{section}%")
        if topic is not None:
            sql += " AND (st.topic_id=? OR st.topic_id LIKE '%-' || ?)"
            args += [str(topic), str(topic)]
        sql += " ORDER BY c.doc_id, s.idx"
        if limit:
            sql += f" LIMIT {int(limit)}"
        out = []
        for r in self.conn.execute(sql, args):
            d = dict(r)
            d["secondary"] = json.loads(d["secondary"] or "[]")
            d["evidence"] = json.loads(d["evidence"] or "{}")
            out.append(d)
        return out

    def stats(self, metric: str | None = None, subject: str | None = None, year: int | None = None,
              doc: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        sql = ("SELECT st.stat_id, st.doc_id, st.source, st.page, st.span, st.value, st.unit, st.counter, st.approx,"
               " st.direction, st.modality, st.year, st.year_start, st.subject, st.subject_text, st.metric, st.flags,"
               ' st.start, st."end", COALESCE(s.text, t.caption || " | " || c.row_header || " × " || c.col_header'
               ' || ": " || c.text) AS context FROM statistics st'
               " LEFT JOIN sentences s ON s.sentence_id=st.sentence_id LEFT JOIN cells c ON c.cell_id=st.cell_id"
               " LEFT JOIN tables t ON t.table_id=c.table_id"
               " WHERE 1=1")
        args: list[Any] = []
        if metric:
            sql += " AND st.metric LIKE ?"
            args.append(f"%{metric}%")
        if subject:
            sql += " AND (st.subject LIKE ? OR st.subject_text LIKE ?)"
            args += [f"%{subject}%", f"%{subject}%"]
        if year is not None:
            sql += " AND st.year=?"
            args.append(int(year))
        if doc:
            sql += " AND st.doc_id=?"
            args.append(doc)
        sql += " ORDER BY st.doc_id, st.source DESC, st.start"
        if limit:
            sql += f" LIMIT {int(limit)}"
        out = []
        for r in self.conn.execute(sql, args):
            d = dict(r)
            d["flags"] = json.loads(d["flags"] or "[]")
            out.append(d)
        return out

    def links(self, relation: str | None = None, doc: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM links WHERE 1=1"
        args: list[Any] = []
        if relation:
            sql += " AND relation=?"
            args.append(relation)
        if doc:
            sql += " AND (source_doc=? OR target_doc=?)"
            args += [doc, doc]
        sql += " ORDER BY relation, score DESC, link_id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        out = []
        for r in self.conn.execute(sql, args):
            d = dict(r)
            d["evidence"] = json.loads(d["evidence"] or "{}")
            d["conflict"] = bool(d["conflict"])
            out.append(d)
        return out

    def item(self, item_id: str) -> dict[str, Any]:
        """A claim, statistic or sentence with everything linked to it, both directions, by relation."""
        row = self.conn.execute(
            'SELECT c.claim_id AS id, "claim" AS type, c.doc_id, s.page, s.start, s."end", s.section, c.label,'
            " c.confidence, c.evidence, s.text FROM claims c JOIN sentences s ON s.sentence_id=c.sentence_id"
            " WHERE c.claim_id=? OR c.sentence_id=?", (item_id, item_id)).fetchone()
        if row is None:
            row = self.conn.execute(
                'SELECT stat_id AS id, "statistic" AS type, doc_id, page, start, "end", span, value, unit, year,'
                " subject, metric, approx, modality FROM statistics WHERE stat_id=?", (item_id,)).fetchone()
        if row is None:
            row = self.conn.execute('SELECT sentence_id AS id, "sentence" AS type, doc_id, page, start, "end",'
                                    " section, kind, text FROM sentences WHERE sentence_id=?", (item_id,)).fetchone()
        if row is None:
            raise LitmineError(Msg.NOT_FOUND.format(id=item_id))
        d = dict(row)
        if isinstance(d.get("evidence"), str):
            d["evidence"] = json.loads(d["evidence"])
        linked: dict[str, list[dict[str, Any]]] = {}
        for r in self.conn.execute("SELECT * FROM links WHERE source_id=? OR target_id=? ORDER BY relation, score DESC",
                                   (d["id"], d["id"])):
            other = r["target_id"] if r["source_id"] == d["id"] else r["source_id"]
            direction = "→" if r["source_id"] == d["id"] else "←"
            text = self.conn.execute("SELECT s.text FROM claims c JOIN sentences s ON s.sentence_id=c.sentence_id"
                                     " WHERE c.claim_id=?", (other,)).fetchone()
            if text is None:
                text = self.conn.execute("SELECT span || ' — ' || COALESCE(metric,'') FROM statistics WHERE stat_id=?",
                                         (other,)).fetchone()
            linked.setdefault(r["relation"], []).append({
                "id": other, "direction": direction, "doc": r["target_doc"] if direction == "→" else r["source_doc"],
                "score": r["score"], "conflict": bool(r["conflict"]), "text": text[0] if text else "",
                "evidence": json.loads(r["evidence"] or "{}")})
        d["links"] = linked
        if d["type"] in ("claim", "sentence"):
            sid = d["id"][2:] if d["type"] == "claim" else d["id"]
            d["statistics"] = [dict(r) for r in self.conn.execute(
                "SELECT stat_id, span, value, unit, approx, modality, year, subject, metric FROM statistics"
                " WHERE sentence_id=? ORDER BY start", (sid,))]
        return d

    def describe(self, item_id: str) -> str:
        """One line of text for a claim, statistic or sentence id (for listings)."""
        row = self.conn.execute("SELECT s.text FROM claims c JOIN sentences s ON s.sentence_id=c.sentence_id"
                                " WHERE c.claim_id=?", (item_id,)).fetchone()
        if row is None:
            row = self.conn.execute("SELECT span || '  (' || COALESCE(metric, '') || ', ' || COALESCE(subject, '') ||"
                                    " ', ' || COALESCE(year, '–') || ')' FROM statistics WHERE stat_id=?",
                                    (item_id,)).fetchone()
        if row is None:
            row = self.conn.execute("SELECT text FROM sentences WHERE sentence_id=?", (item_id,)).fetchone()
        return row[0] if row else ""

    def topics(self) -> list[dict[str, Any]]:
        out = []
        for r in self.conn.execute("SELECT * FROM topics ORDER BY lang, CAST(substr(topic_id, 4) AS INTEGER), topic_id"):
            d = dict(r)
            d["terms"] = json.loads(d["terms"] or "[]")
            d["documents"] = [dict(x) for x in self.conn.execute(
                "SELECT doc_id, weight FROM document_topics WHERE topic_id=? ORDER BY weight DESC", (r["topic_id"],))]
            d["examples"] = [x[0] for x in self.conn.execute(
                "SELECT s.text FROM sentence_topics t JOIN sentences s ON s.sentence_id=t.sentence_id"
                " WHERE t.topic_id=? ORDER BY t.prob DESC, s.sentence_id LIMIT 3", (r["topic_id"],))]
            out.append(d)
        return out

    def topics_report(self, out: str | Path | None = None) -> Path:
        """Write the topics HTML report again from the saved model and the index (`litmine topics
        report`), without refitting; default <index dir>/report/topics.html."""
        from .topics.report import report_from_index

        path = report_from_index(self.conn, self.path.parent, Path(out) if out else None)
        if path is None:
            raise LitmineError(Msg.TOPICS_NONE.format(path=self.path.parent / "topics"))
        return path

    # ---- analysis (pipeline/analysis/) ---------------------------------------------------------
    def kwic(self, term: str, *, width: int = 30, sort: str = "position", limit: int | None = None,
             **filters: Any) -> list["KwicLine"]:
        """Keyword in context (`litmine kwic`); filters: doc, lang, kind, year_from, year_to."""
        from .analysis import kwic
        from .analysis.common import Filters

        return kwic(self.conn, term, width=width, sort=sort, limit=limit, filters=Filters(**filters))

    def freq(self, *, by: str = "none", top: int = 50, min_count: int = 2, stopwords: Any = None,
             **filters: Any) -> list["FreqRow"]:
        """Word frequencies per group (`litmine freq`): by none | doc | year | label."""
        from .analysis import freq
        from .analysis.common import Filters

        return freq(self.conn, by=by, top=top, min_count=min_count, stopwords=stopwords, filters=Filters(**filters),
                    stopwords_dir=self.settings.models_dir / "stopwords")

    def cooc(self, *, unit: str = "sentence", top_terms: int = 60, min_count: int = 3, max_edges: int = 120,
             stopwords: Any = None, **filters: Any) -> "CoocNetwork":
        """Word co-occurrence network (`litmine cooc`); `.write("x.graphml" | "x.gexf")`, `.to_networkx()`."""
        from .analysis import cooc
        from .analysis.common import Filters

        return cooc(self.conn, unit=unit, top_terms=top_terms, min_count=min_count, max_edges=max_edges,
                    stopwords=stopwords, filters=Filters(**filters),
                    stopwords_dir=self.settings.models_dir / "stopwords")

    def trends(self, terms: str | list[str] | None = None, *, topic: str | None = None,
               **filters: Any) -> list["TrendRow"]:
        """Counts per year of terms and/or a topic (`litmine trends`)."""
        from .analysis import trends
        from .analysis.common import Filters

        if isinstance(terms, str):
            terms = [terms]
        return trends(self.conn, terms, topic=topic, filters=Filters(**filters))

    def errors(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM errors ORDER BY doc_id")]

    # ---- writing -------------------------------------------------------------------------
    def export(self, out_dir: str | Path, fmt: str = "csv", *, force: bool = False) -> list[Path]:
        from .export import export

        return export(self.conn, Path(out_dir), fmt, force=force)

    def label(self, claim_id: str, label: str) -> dict[str, Any]:
        """Record a user's correction of a claim label; it survives rebuilds and trains the next model."""
        if label not in LABELS:
            raise LitmineError(Msg.BAD_KIND.format(value=label, choices=", ".join(LABELS)))
        conn = schema.connect(str(self.path))
        try:
            row = conn.execute("SELECT c.claim_id, c.doc_id, c.label, s.text FROM claims c JOIN sentences s"
                               " ON s.sentence_id=c.sentence_id WHERE c.claim_id=? OR c.sentence_id=?",
                               (claim_id, claim_id)).fetchone()
            if row is None:
                raise LitmineError(Msg.NOT_FOUND.format(id=claim_id))
            conn.execute("INSERT OR REPLACE INTO corrections(claim_id, doc_id, sentence_text, label, previous)"
                         " VALUES (?,?,?,?,?)", (row["claim_id"], row["doc_id"], row["text"], label, row["label"]))
            conn.execute("UPDATE claims SET label=?, corrected=1, confidence=1.0 WHERE claim_id=?",
                         (label, row["claim_id"]))
            conn.commit()
            return {"claim_id": row["claim_id"], "previous": row["label"], "label": label}
        finally:
            conn.close()

    def corrections(self) -> list[dict[str, Any]]:
        return list(rows.iter_corrections(self.conn))
