"""Linking on tiny hand-made indexes: translation, addresses, same_metric conflicts, scoring, determinism."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pipeline.index import schema
from pipeline.linking import compute_links, expand_query_terms, load_glossary, run_linking, score_links
from pipeline.settings import DEFAULT_MODELS, Settings

MODELS = DEFAULT_MODELS


def _db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    schema.create(conn)
    return conn


def _sent(conn, doc, idx, text, lang="zh", kind="body", label="background", path=(), secondary=()):
    sid = f"{doc}:{idx}"
    conn.execute("INSERT INTO sentences(sentence_id, doc_id, idx, lang, kind, text, section, section_path, tokens)"
                 " VALUES (?,?,?,?,?,?,?,?,?)",
                 (sid, doc, idx, lang, kind, text, path[-1] if path else "", json.dumps(list(path), ensure_ascii=False), None))
    if label:
        conn.execute("INSERT INTO claims(claim_id, sentence_id, doc_id, label, secondary) VALUES (?,?,?,?,?)",
                     (f"C:{sid}", sid, doc, label, json.dumps(list(secondary))))
    return f"C:{sid}"


def _doc(conn, doc):
    conn.execute("INSERT INTO documents(doc_id, status) VALUES (?, 'ok')", (doc,))


ZH = ["协同发展是成渝地区三大产业集群实现高质量发展的必然要求。",
      "研究发现成渝地区仍面临产业结构同质化、产业链薄弱、创新资源不足等问题,2023年研发投入占比约为3%。",
      "为此,从产业规划协同、产业链合作和人才政策协同等方面提出对策建议。"]
EN = ["Coordinated development is the inevitable requirement for the industrial clusters of the Chengdu-Chongqing region to achieve high-quality development.",
      "It still faces problems such as homogeneous industrial structure, weak industrial chain and insufficient innovation resources, and R&D investment was about 3% in 2023.",
      "Therefore, countermeasures and suggestions are put forward from industrial planning coordination, industrial chain cooperation and talent policy coordination."]


def _abstract_index():
    conn = _db()
    _doc(conn, "d1")
    labels = ["background", "problem", "countermeasure"]
    for i, (t, lab) in enumerate(zip(ZH, labels)):
        _sent(conn, "d1", i, t, "zh", "abstract", lab, ("摘要:",))
    for i, (t, lab) in enumerate(zip(EN, labels)):
        _sent(conn, "d1", 10 + i, t, "en", "abstract", lab, ("Abstract:",))
    return conn


def test_translation_aligns_three_sentence_abstract():
    conn = _abstract_index()
    rows = [r for r in compute_links(conn, MODELS) if r[1] == "translation"]
    pairs = {(r[2], r[3]) for r in rows}
    assert pairs == {("C:d1:0", "C:d1:10"), ("C:d1:1", "C:d1:11"), ("C:d1:2", "C:d1:12")}
    ev = json.loads(next(r for r in rows if r[2] == "C:d1:1")[8])
    assert "3" in ev["numbers"] and "2023" in ev["numbers"]


def _paper_index():
    conn = _db()
    _doc(conn, "p")
    s3 = ("3 存在的问题", "3.1 人才供给不足,共享机制不健全")
    s3b = ("3 存在的问题", "3.2 数字化协同程度低,数据共享滞后")
    s4 = ("4 对策建议", "4.1 加强人才政策协同,完善共享机制")
    s4b = ("4 对策建议", "4.2 推动产业链数据对接")
    p1 = _sent(conn, "p", 1, "区域内高端人才数量不足,人才共享流动机制待完善。", label="problem", path=s3)
    p2 = _sent(conn, "p", 2, "二是缺乏产业链数据开放共享平台,数据对接体系尚未建立。", label="problem", path=s3b)
    c1 = _sent(conn, "p", 3, "建立人才合作共享与人才互认机制,推动高端人才跨区域流动。", label="countermeasure", path=s4)
    c2 = _sent(conn, "p", 4, "二是推动产业链数据对接体系建设,建设数据开放共享平台。", label="countermeasure", path=s4b)
    return conn, (p1, p2, c1, c2)


def test_addresses_follow_terms_and_section_parallelism():
    conn, (p1, p2, c1, c2) = _paper_index()
    rows = [r for r in compute_links(conn, MODELS) if r[1] == "addresses"]
    pairs = {(r[2], r[3]) for r in rows}
    assert (c1, p1) in pairs and (c2, p2) in pairs
    assert (c1, p2) not in pairs and (c2, p1) not in pairs
    ev = json.loads(next(r for r in rows if (r[2], r[3]) == (c2, p2))[8])
    assert ev["parallel_item"] is True and ev["section_pair"][0].startswith("4.2")


def _stats_index(v2: float, year2: int | None):
    conn = _db()
    for d in ("a", "b"):
        _doc(conn, d)
    _sent(conn, "a", 0, "2023年成渝地区研发投入占GDP比例约为3%。", label="background")
    _sent(conn, "b", 0, "成渝地区研发投入占GDP比例为3.0%。", label="background")
    ins = ("INSERT INTO statistics(stat_id, doc_id, source, sentence_id, span, value, unit, approx, year, subject, metric)"
           " VALUES (?,?,?,?,?,?,?,?,?,?,?)")
    conn.execute(ins, ("S:a:1", "a", "text", "a:0", "3%", 3.0, "percent", "exact", 2023, "成渝地区", "研发投入占GDP比例"))
    conn.execute(ins, ("S:b:1", "b", "text", "b:0", f"{v2}%", v2, "percent", "exact", year2, "成渝 地区", "研发投入占GDP比例"))
    return conn


@pytest.mark.parametrize("v2, year2, conflict", [(3.0, 2023, 0), (3.04, 2023, 0), (3.6, 2023, 1), (3.6, 2022, 0)])
def test_same_metric_conflicts(v2, year2, conflict):
    conn = _stats_index(v2, year2)
    rows = [r for r in compute_links(conn, MODELS) if r[1] == "same_metric"]
    assert len(rows) == 1 and rows[0][7] == conflict


def test_score_links_counts(tmp_path: Path):
    conn, (p1, p2, c1, c2) = _paper_index()
    run_linking(conn, Settings(models_dir=MODELS))
    text = {r[0]: r[1] for r in conn.execute("SELECT claim_id, s.text FROM claims JOIN sentences s USING(sentence_id)")}
    gold = [
        {"a": {"doc": "p", "text": text[c1]}, "b": {"doc": "p", "text": text[p1]}, "relation": "addresses"},
        {"a": {"doc": "p", "text": text[c2]}, "b": {"doc": "p", "text": text[p2]}, "relation": "addresses"},
        {"a": {"doc": "p", "text": text[c1]}, "b": {"doc": "p", "text": text[p2]}, "relation": "addresses"},
        {"a": {"doc": "p", "text": "这句话不在索引里。"}, "b": {"doc": "p", "text": text[p2]}, "relation": "addresses"},
        {"a": {"doc": "zz", "text": "x"}, "b": {"doc": "p", "text": text[p2]}, "relation": "addresses"},
    ]
    (tmp_path / "links.jsonl").write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold), encoding="utf-8")
    conn.execute("DELETE FROM links WHERE relation='addresses'")
    for s, t in ((c1, p1), (c2, p1)):  # one right, one wrong
        conn.execute("INSERT INTO links(link_id, relation, source_id, target_id, source_doc, target_doc) VALUES"
                     " (?,?,?,?,?,?)", (s + t, "addresses", s, t, "p", "p"))
    res = score_links(conn, tmp_path)
    a = res["relations"]["addresses"]
    assert (a["gold"], a["found"], a["system"], a["correct"], a["absent"]) == (3, 1, 2, 1, 1)
    assert a["precision"] == 0.5 and a["recall"] == pytest.approx(1 / 3, abs=1e-3)
    assert a["f1"] == pytest.approx(0.4, abs=1e-3)
    assert res["missing_docs"] == ["zz"]


def test_runs_are_deterministic():
    conn = _abstract_index()
    conn2, _ = _paper_index()
    for c in (conn, conn2):
        run_linking(c, Settings(models_dir=MODELS))
        first = c.execute("SELECT * FROM links ORDER BY link_id").fetchall()
        run_linking(c, Settings(models_dir=MODELS))
        assert first == c.execute("SELECT * FROM links ORDER BY link_id").fetchall()
        assert first and all(r[9].startswith("links-rules/") and len(r[0]) == 16 for r in first)


def test_expand_query_terms_crosses_languages():
    g = load_glossary(MODELS)
    out = expand_query_terms(["产业集群", "同质化"], g)
    assert "industrial cluster" in out and "homogeneous" in out
    assert out[0] == "产业集群"
