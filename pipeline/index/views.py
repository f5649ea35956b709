"""Browse views of the index: claims, statistics and links joined with what a reader needs beside
them (document title and year, section, topic, the text of both ends of a link). `litmine serve`
facets and searches them; any SQLite client can use them too. They hold no data: recreating them
is instant, so they are dropped and recreated whenever their definition changes (VIEWS_VERSION)."""
from __future__ import annotations

import sqlite3

VIEWS_VERSION = "1"

VIEWS: dict[str, str] = {
    "claim_view": """
SELECT c.claim_id, c.label, ROUND(c.confidence, 3) AS confidence, d.title AS document, d.year, s.section,
  CASE WHEN st.topic_id IS NULL THEN NULL ELSE st.topic_id || ' ' || COALESCE(t.label, '') END AS topic,
  s.text,
  (SELECT count(*) FROM links l WHERE l.source_id = c.claim_id OR l.target_id = c.claim_id) AS n_links,
  (SELECT count(*) FROM statistics x WHERE x.sentence_id = c.sentence_id) AS n_statistics,
  s.page, s.lang, s.role, c.doc_id, c.sentence_id, st.topic_id, s.rowid AS sentence_rowid
FROM claims c JOIN sentences s ON s.sentence_id = c.sentence_id
LEFT JOIN documents d ON d.doc_id = c.doc_id
LEFT JOIN sentence_topics st ON st.sentence_id = c.sentence_id
LEFT JOIN topics t ON t.topic_id = st.topic_id""",
    "statistic_view": """
SELECT st.stat_id, st.span, st.value, st.unit, st.metric, st.subject, st.year, d.title AS document,
  d.year AS doc_year, st.approx, st.direction, st.modality,
  COALESCE(s.text, tb.caption || ' | ' || ce.row_header || ' × ' || ce.col_header || ': ' || ce.text) AS context,
  (SELECT count(*) FROM links l WHERE l.relation = 'same_metric' AND l.conflict = 1
     AND (l.source_id = st.stat_id OR l.target_id = st.stat_id)) AS conflicts,
  st.page, st.source, st.doc_id, st.sentence_id, s.rowid AS sentence_rowid
FROM statistics st LEFT JOIN documents d ON d.doc_id = st.doc_id
LEFT JOIN sentences s ON s.sentence_id = st.sentence_id
LEFT JOIN cells ce ON ce.cell_id = st.cell_id LEFT JOIN tables tb ON tb.table_id = ce.table_id""",
    "link_view": """
SELECT l.link_id, l.relation, ROUND(l.score, 3) AS score, l.conflict,
  COALESCE(ss.text, sx.span || ' ' || COALESCE(sx.metric, '')) AS source_text, sd.title AS source_document,
  sd.year AS source_year,
  COALESCE(ts.text, tx.span || ' ' || COALESCE(tx.metric, '')) AS target_text, td.title AS target_document,
  td.year AS target_year,
  l.source_id, l.target_id, l.source_doc, l.target_doc
FROM links l
LEFT JOIN claims sc ON sc.claim_id = l.source_id LEFT JOIN sentences ss ON ss.sentence_id = sc.sentence_id
LEFT JOIN statistics sx ON sx.stat_id = l.source_id
LEFT JOIN claims tc ON tc.claim_id = l.target_id LEFT JOIN sentences ts ON ts.sentence_id = tc.sentence_id
LEFT JOIN statistics tx ON tx.stat_id = l.target_id
LEFT JOIN documents sd ON sd.doc_id = l.source_doc LEFT JOIN documents td ON td.doc_id = l.target_doc""",
}


def views_current(conn: sqlite3.Connection) -> bool:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key='views_version'").fetchone()
        have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='view'")}
    except sqlite3.DatabaseError:
        return False
    return bool(row) and row[0] == VIEWS_VERSION and set(VIEWS) <= have


def create_views(conn: sqlite3.Connection) -> None:
    """(Re)create the browse views; cheap, no data is copied."""
    for name, sql in VIEWS.items():
        conn.execute(f"DROP VIEW IF EXISTS {name}")
        conn.execute(f"CREATE VIEW {name} AS {sql.strip()}")
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('views_version', ?)", (VIEWS_VERSION,))
