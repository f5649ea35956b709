"""Datasette metadata for an index: what each table and column means (Chinese and English, from
export/columns.py), facets, full-text search, canned queries and settings."""
from __future__ import annotations

from typing import Any

from ..export.columns import COLUMNS, TABLES

HIDDEN = ("meta", "topic_doc_state", "sentences_fts", "pages")
FACETS = {
    "claim_view": ["label", "document", "year", "topic"],
    "statistic_view": ["unit", "subject", "metric", "year", "document"],
    "link_view": ["relation", "conflict", "source_document", "target_document"],
    "claims": ["label", "doc_id"],
    "statistics": ["unit", "subject", "year", "doc_id"],
    "links": ["relation", "conflict"],
    "documents": ["year", "lang", "format", "status"],
    "sentences": ["kind", "lang", "doc_id"],
    "topics": ["lang"],
}
# full-text search that understands Chinese: the index's FTS5 table over jieba words and CJK
# bigrams (plugin.py turns what the user types into the same expression as `litmine query`)
SEARCHABLE = {"sentences": "rowid", "claim_view": "sentence_rowid", "statistic_view": "sentence_rowid"}
SORT = {"claim_view": None, "documents": "year", "link_view": None}

QUERIES: dict[str, dict[str, Any]] = {
    "item": {
        "title": "Claim or statistic, with its document, statistics and linked items 论断/统计及其文献、数据与关联",
        "description": "Give a claim id (C:…), statistic id (S:…) or sentence id. Every id in the tables links here.",
        "sql": """
WITH me AS (
  SELECT c.claim_id AS id, c.sentence_id AS sid, c.doc_id FROM claims c WHERE c.claim_id = :id OR c.sentence_id = :id
  UNION ALL SELECT st.stat_id, st.sentence_id, st.doc_id FROM statistics st WHERE st.stat_id = :id
), lk AS (
  SELECT l.*, CASE WHEN l.source_id = me.id THEN l.target_id ELSE l.source_id END AS other,
    CASE WHEN l.source_id = me.id THEN ' →' ELSE ' ←' END AS dir
  FROM me JOIN links l ON l.source_id = me.id OR l.target_id = me.id
)
SELECT * FROM (
SELECT 'this' AS part, '' AS relation, me.id AS item_id, COALESCE(c.label, 'statistic') AS label,
  COALESCE(s.text, x.span || ' ' || COALESCE(x.metric, '')) AS text, d.title AS document, d.year, s.section, s.page,
  NULL AS score, me.doc_id
FROM me LEFT JOIN claims c ON c.claim_id = me.id LEFT JOIN statistics x ON x.stat_id = me.id
LEFT JOIN sentences s ON s.sentence_id = me.sid LEFT JOIN documents d ON d.doc_id = me.doc_id
UNION ALL
SELECT 'document', '', d.doc_id, d.lang, COALESCE(d.date, ''), d.title, d.year, '', NULL, NULL, d.doc_id
FROM me JOIN documents d ON d.doc_id = me.doc_id
UNION ALL
SELECT 'statistic', '', x.stat_id, x.unit, x.span || ' = ' || COALESCE(x.value, '') || ' ' || COALESCE(x.unit, '')
  || ' · ' || COALESCE(x.metric, '') || ' · ' || COALESCE(x.subject, '') || ' · ' || COALESCE(x.year, ''),
  '', x.year, '', x.page, NULL, x.doc_id
FROM me JOIN statistics x ON x.sentence_id = me.sid AND x.stat_id != me.id
UNION ALL
SELECT 'linked', lk.relation || lk.dir || CASE WHEN lk.conflict THEN ' CONFLICT 矛盾' ELSE '' END, lk.other,
  COALESCE(oc.label, 'statistic'), COALESCE(os.text, ox.span || ' ' || COALESCE(ox.metric, '')), od.title, od.year,
  os.section, COALESCE(os.page, ox.page), ROUND(lk.score, 3), od.doc_id
FROM lk LEFT JOIN claims oc ON oc.claim_id = lk.other LEFT JOIN sentences os ON os.sentence_id = oc.sentence_id
LEFT JOIN statistics ox ON ox.stat_id = lk.other LEFT JOIN documents od ON od.doc_id = COALESCE(oc.doc_id, ox.doc_id)
) ORDER BY CASE part WHEN 'this' THEN 0 WHEN 'document' THEN 1 WHEN 'statistic' THEN 2 ELSE 3 END, score DESC, item_id
""",
    },
    "problems_and_countermeasures": {
        "title": "Problems and the countermeasures that address them, across sources 问题与回应它的对策（跨文献）",
        "description": "addresses links, strongest first. term: words in either sentence (empty: all); "
                       "across: any value keeps only pairs from different documents.",
        "sql": """
SELECT ROUND(l.score, 3) AS score, ps.text AS problem, pd.title AS problem_document, pd.year AS problem_year,
  cs.text AS countermeasure, cd.title AS countermeasure_document, cd.year AS countermeasure_year,
  CASE WHEN l.source_doc = l.target_doc THEN 'same document 同一文献' ELSE 'across documents 跨文献' END AS scope,
  p.claim_id AS problem_id, c.claim_id AS countermeasure_id
FROM links l
JOIN claims c ON c.claim_id = l.source_id JOIN sentences cs ON cs.sentence_id = c.sentence_id
JOIN claims p ON p.claim_id = l.target_id JOIN sentences ps ON ps.sentence_id = p.sentence_id
LEFT JOIN documents cd ON cd.doc_id = c.doc_id LEFT JOIN documents pd ON pd.doc_id = p.doc_id
WHERE l.relation = 'addresses'
  AND (:term = '' OR instr(ps.text, :term) > 0 OR instr(cs.text, :term) > 0)
  AND (:across = '' OR l.source_doc != l.target_doc)
ORDER BY l.score DESC, l.link_id LIMIT 1000""",
    },
    "metric_across_sources": {
        "title": "A metric across sources and years, conflicts flagged 指标跨文献、跨年份对比（标出矛盾）",
        "description": "metric: part of the metric's name (e.g. 地区生产总值, GDP, 研发); subject: part of the "
                       "region or organisation (empty: all). conflicts counts same_metric links whose figures contradict.",
        "sql": """
SELECT st.metric, st.subject, st.year, st.value, st.unit, st.span, d.title AS document, d.year AS document_year,
  (SELECT count(*) FROM links l WHERE l.relation = 'same_metric' AND l.conflict = 1
     AND (l.source_id = st.stat_id OR l.target_id = st.stat_id)) AS conflicts,
  COALESCE(s.text, '') AS context, st.stat_id
FROM statistics st LEFT JOIN documents d ON d.doc_id = st.doc_id LEFT JOIN sentences s ON s.sentence_id = st.sentence_id
WHERE instr(COALESCE(st.metric, ''), :metric) > 0 AND (:subject = '' OR instr(COALESCE(st.subject, ''), :subject) > 0)
ORDER BY st.metric, st.subject, st.year, d.year, st.stat_id LIMIT 2000""",
    },
    "topic_by_year": {
        "title": "Claims of a topic by year 某主题的论断按年份",
        "description": "topic: a topic id such as zh-3 (see the topics table) or its number. Counts of claims per "
                       "year and label, in dated documents.",
        "sql": """
SELECT d.year, c.label, count(*) AS claims, count(DISTINCT c.doc_id) AS documents, st.topic_id
FROM sentence_topics st JOIN claims c ON c.sentence_id = st.sentence_id JOIN documents d ON d.doc_id = c.doc_id
WHERE (st.topic_id = :topic OR st.topic_id LIKE '%-' || :topic) AND d.year IS NOT NULL
GROUP BY d.year, c.label, st.topic_id ORDER BY st.topic_id, d.year, c.label""",
    },
}


def _columns(table: str, cols: list[str]) -> dict[str, str]:
    return {c: f"{COLUMNS[c][0]} · {COLUMNS[c][1]}" for c in cols if c in COLUMNS}


def build_metadata(database: str, tables: dict[str, list[str]]) -> dict[str, Any]:
    """Metadata for one database named `database` whose tables/views have these columns."""
    meta_tables: dict[str, Any] = {}
    for name, cols in tables.items():
        zh, en = TABLES.get(name, ("", ""))
        entry: dict[str, Any] = {"columns": _columns(name, cols)}
        if zh:
            entry["title"] = f"{name} · {zh.split('：')[0]}"
            entry["description"] = f"{zh} · {en}"
        if name in HIDDEN or name.startswith("sentences_fts"):
            entry["hidden"] = True
        if name in FACETS:
            entry["facets"] = [f for f in FACETS[name] if f in cols]
        if name in SEARCHABLE and SEARCHABLE[name] in cols + ["rowid"]:
            entry["fts_table"] = "sentences_fts"
            entry["fts_pk"] = SEARCHABLE[name]
        if name == "documents":
            entry["label_column"] = "title"
        meta_tables[name] = entry
    return {
        "title": "litmine",
        "description_html": (
            "<p>问题、对策、成效与统计数据，可追溯到文献、页码与字符位置。"
            "Problems, countermeasures, achievements and statistics, traceable to document, page and offsets.</p>"
            f'<p>Start with <a href="/{database}/claim_view">claims 论断</a> (facets: label, document, year, topic; '
            f'search in Chinese or English), <a href="/{database}/statistic_view">statistics 统计</a>, '
            f'<a href="/{database}/link_view">links 关联</a>, or the queries '
            f'<a href="/{database}/problems_and_countermeasures">problems ↔ countermeasures 问题与对策</a>, '
            f'<a href="/{database}/metric_across_sources">a metric across sources 指标对比</a>, '
            f'<a href="/{database}/topic_by_year">a topic by year 主题按年份</a>.</p>'),
        # the SQL of each canned query stays one click away ("show"), the results come first
        "databases": {database: {"tables": meta_tables,
                                 "queries": {name: dict(q, hide_sql=True) for name, q in QUERIES.items()}}},
    }
