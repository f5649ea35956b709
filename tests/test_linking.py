"""Linking on tiny hand-made indexes: translation, addresses, same_metric conflicts, scoring, determinism."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pipeline.index import schema
from pipeline.evaluate.links import score_links
from pipeline.linking import compute_links, expand_query_terms, load_glossary, run_linking
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
    # a single 二是 on each side is not a parallel list (that needs two flat lists of ≥ 2 items)
    assert ev["section_pair"][0].startswith("4.2") and "parallel_item" not in ev


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


def _two_section_paper(extra_docs: int = 0):
    """§3.1/§3.2 problems and §4.1/§4.2 countermeasures; §4.2 is a (1)/(2) list whose item leads are
    short and whose details sit under them; one problem sentence is cut by a page break."""
    conn = _db()
    _doc(conn, "q")
    s31 = ("3 存在的问题", "3.1 产业结构同质化")
    s32 = ("3 存在的问题", "3.2 人才供给不足")
    s41 = ("4 对策建议", "4.1 加强规划协同,实现错位发展")
    s42 = ("4 对策建议", "4.2 加强人才政策协同")
    ids = {}
    ids["p1"] = _sent(conn, "q", 1, "区域内多个城市产业结构同质化,在集成电路领域存在同质竞争。", label="problem", path=s31)
    ids["p2a"] = _sent(conn, "q", 2, "在人才要素方面,区域内集成电路和新能源、", label="problem", path=s32)
    ids["p2b"] = _sent(conn, "q", 3, "智能网联等重点领域紧缺的高端人才数量不足。", label="problem", path=s32)
    ids["p3"] = _sent(conn, "q", 4, "区域内人才互认标准未健全,职称互认机制缺失。", label="problem", path=s32)
    ids["c1"] = _sent(conn, "q", 10, "引导成渝产业错位发展,在集成电路领域明确分工,避免同质竞争。", label="countermeasure", path=s41)
    ids["c2"] = _sent(conn, "q", 11, "(1)加强高端人才集聚政策协同。", label="countermeasure", path=s42)
    ids["c3"] = _sent(conn, "q", 12, "制定高端人才引进专项政策,加大紧缺人才引进力度。", label="countermeasure", path=s42)
    ids["c4"] = _sent(conn, "q", 13, "(2)建立人才互认机制。", label="countermeasure", path=s42)
    ids["c5"] = _sent(conn, "q", 14, "推动职称互认与人才互认标准跨域衔接。", label="countermeasure", path=s42)
    for k in range(extra_docs):  # unrelated documents (a government report…) sharing the index
        d = f"z{k}"
        _doc(conn, d)
        for i in range(20):
            _sent(conn, d, i, f"全年完成人才引进{i}万人,集成电路产业增长{i}%,高端人才持续集聚。", label="countermeasure",
                  path=("一、工作回顾",))
    return conn, ids


def _addr_pairs(conn, doc="q"):
    return {(r[2], r[3]) for r in compute_links(conn, MODELS) if r[1] == "addresses" and r[4] == doc and r[5] == doc}


def test_addresses_answer_the_specific_problem_and_reach_every_piece_of_a_cut_sentence():
    conn, x = _two_section_paper()
    pairs = _addr_pairs(conn)
    assert (x["c1"], x["p1"]) in pairs  # 错位发展/分工 answers 同质化 across aligned §4.1 → §3.1
    assert (x["c5"], x["p3"]) in pairs and (x["c5"], x["p2b"]) not in pairs  # mutual recognition → recognition gap
    assert (x["c3"], x["p2b"]) in pairs and (x["c3"], x["p2a"]) in pairs  # both pieces of the cut sentence
    assert not any(c == x["c1"] and p in (x["p2a"], x["p2b"], x["p3"]) for c, p in pairs)  # not across topics


def test_within_document_addresses_do_not_move_when_unrelated_documents_are_added():
    conn, _ = _two_section_paper()
    conn2, _ = _two_section_paper(extra_docs=3)
    rows = {(r[2], r[3], r[6]) for r in compute_links(conn, MODELS) if r[1] == "addresses"}
    rows2 = {(r[2], r[3], r[6]) for r in compute_links(conn2, MODELS) if r[1] == "addresses" and r[4] == "q" and r[5] == "q"}
    assert rows and rows == rows2


def test_same_measure_meets_on_an_instrument_class_not_on_a_different_instrument():
    conn = _db()
    for d in ("a", "b"):
        _doc(conn, d)
    a1 = _sent(conn, "a", 1, "鼓励毗邻地区发展飞地园区,打造一批高水平产业合作平台。", label="countermeasure", path=("4 对策",))
    a2 = _sent(conn, "a", 2, "设立联合研发基金,支持两地关键技术攻关。", label="countermeasure", path=("4 对策",))
    b1 = _sent(conn, "b", 1, "支持川渝间和各城市间合作共建产业园区,优化资源配置。", label="countermeasure", path=("三、建议",))
    b2 = _sent(conn, "b", 2, "鼓励区域内产业投资基金扩大投资范围,支持重点产业发展。", label="countermeasure", path=("三、建议",))
    rows = [r for r in compute_links(conn, MODELS) if r[1] == "same_measure"]
    pairs = {frozenset((r[2], r[3])) for r in rows}
    assert frozenset((a1, b1)) in pairs
    assert frozenset((a2, b2)) not in pairs  # an R&D fund is not an industrial investment fund
    ev = json.loads(next(r for r in rows if frozenset((r[2], r[3])) == frozenset((a1, b1)))[8])
    assert "joint industrial park" in ev.get("instrument", [])


def test_detail_sentences_answer_only_a_problem_of_their_own_sector():
    from pipeline.linking.claimlinks import _detail_fits
    from pipeline.linking.features import Claim
    from pipeline.linking.text import detail_topic

    assert detail_topic("在集成电路产业发力,整合重庆地区的微电园。") == "集成电路"
    assert detail_topic("针对三大产业,优化产业空间布局的建议如下:在电子信息产业,充分利用已有优势。") == "电子信息"
    assert detail_topic("重庆致力提升中高端数控机床的制造能力。") == ""
    assert detail_topic("(1)外引内育补齐产业链重点缺失环节。") is None
    assert detail_topic("如何提升产业链配套水平。") is None

    def c(text):
        return Claim("x" + text, "s", "d", 0, "zh", "body", "problem", (), text, "", ())

    car = c("在汽车产业,重点引育新能源整车制造、动力电池企业。")
    assert _detail_fits(car, c("成渝地区的新能源汽车本地配套率仅为30%。"))
    assert not _detail_fits(c("在装备制造业,重点引育飞机制造核心零部件厂商。"), c("汽车行业新能源龙头整车企业较少。"))
    assert not _detail_fits(c("在集成电路产业发力,整合园区。"), c("在电子信息行业,两地在集成电路等领域存在同质竞争。"))
    assert _detail_fits(c("推动产业链数据对接体系建设。"), c("汽车行业新能源龙头整车企业较少。"))


def test_remedy_only_terms_pair_problems_with_remedies_but_stay_out_of_similarity():
    g = load_glossary(MODELS)
    hits = {cid for cid, _ in g.concepts("在财政补贴、税务征收等方面制定具体措施。")}
    remedy = [cid for cid in hits if cid.startswith("remedy:")]
    assert remedy  # 财政补贴 is named only by a remedy row
    prob = {cid for cid, _ in g.concepts("同质化竞争导致资源配置效率不高。")}
    assert any((p, r) in g.remedies for p in prob for r in remedy)


def test_no_conflict_between_a_metric_and_a_narrower_one_or_within_one_documents_prose():
    conn = _db()
    for d in ("a", "b"):
        _doc(conn, d)
    _sent(conn, "a", 0, "全年居民人均可支配收入增长4.5%，农村居民人均可支配收入增长6.7%。", label="achievement")
    _sent(conn, "a", 1, "惠及企业2.6万家。", label="achievement")
    _sent(conn, "a", 2, "惠及企业1.2万家。", label="achievement")
    _sent(conn, "b", 0, "全年居民人均可支配收入增长5.2%。", label="achievement")
    ins = ("INSERT INTO statistics(stat_id, doc_id, source, sentence_id, span, value, unit, approx, year, subject,"
           " metric, counter) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
    conn.execute(ins, ("S:a:1", "a", "text", "a:0", "4.5%", 4.5, "percent", "exact", 2024, "北京市", "居民人均可支配收入增速", None))
    conn.execute(ins, ("S:a:2", "a", "text", "a:0", "6.7%", 6.7, "percent", "exact", 2024, "北京市", "农村居民人均可支配收入增速", None))
    conn.execute(ins, ("S:a:3", "a", "text", "a:1", "2.6万家", 26000, "count", "exact", 2024, "北京市", "惠及企业", "家"))
    conn.execute(ins, ("S:a:4", "a", "text", "a:2", "1.2万家", 12000, "count", "exact", 2024, "北京市", "惠及企业", "家"))
    conn.execute(ins, ("S:b:1", "b", "text", "b:0", "5.2%", 5.2, "percent", "exact", 2024, "北京市", "居民人均可支配收入增速", None))
    rows = {(r[2], r[3]): r[7] for r in compute_links(conn, MODELS) if r[1] == "same_metric"}
    assert rows.get(("S:a:1", "S:b:1")) == 1  # the same metric in two sources, different values: a conflict
    assert not rows.get(("S:a:2", "S:b:1")) and not rows.get(("S:a:1", "S:a:2"))  # narrower metric
    assert not rows.get(("S:a:3", "S:a:4"))  # one document's prose: two quantities, not a contradiction


def _policy_corpus(n_docs: int = 4):
    """Small documents sharing measures (and one problem) across documents."""
    conn = _db()
    measures = ["加快建设共性关键技术创新平台,推动科研仪器开放共享。", "合作共建产业园区,完善园区利益共享机制。",
                "实施提振消费专项行动,扩大汽车、家电等大宗消费。", "完善生育支持政策体系,建设生育友好型社会。"]
    problems = ["区域内缺乏国家级研发平台,协同创新支撑体系薄弱。", "部分企业生产经营困难,有效需求不足。"]
    for d in range(n_docs):
        doc = f"r{d}"
        _doc(conn, doc)
        for k, t in enumerate(measures[d % 2:] + measures[:d % 2]):
            _sent(conn, doc, k, t, label="countermeasure", path=("二、任务",))
        for k, t in enumerate(problems):
            _sent(conn, doc, 10 + k, t, label="problem", path=("一、回顾",))
    return conn


def _links(conn):
    return sorted(tuple(r) for r in conn.execute("SELECT * FROM links"))


def test_incremental_links_equal_a_full_computation():
    conn = _policy_corpus()
    settings = Settings(models_dir=MODELS)
    notes = run_linking(conn, settings)
    assert "full" in notes[0]
    assert any(r[1] == "same_measure" and r[4] != r[5] for r in _links(conn))
    # a user correction in one document: only that document's pairs are recomputed
    conn.execute("UPDATE claims SET label='problem' WHERE claim_id='C:r2:0'")
    notes = run_linking(conn, settings)
    assert "incremental: 1 changed" in notes[0]
    inc = _links(conn)
    run_linking(conn, settings, full=True)
    assert inc == _links(conn)
    # a document removed
    for t in ("documents", "claims", "sentences"):
        conn.execute(f"DELETE FROM {t} WHERE doc_id='r1'")
    notes = run_linking(conn, settings)
    assert "1 removed" in notes[0]
    inc = _links(conn)
    assert not any("r1" in (r[4], r[5]) for r in inc)
    run_linking(conn, settings, full=True)
    assert inc == _links(conn)


def test_links_are_the_same_whatever_the_number_of_workers():
    """jobs > 1 forks workers for the per-document part and the cross-document spans; the rows
    written (and the document cache) are those of one process."""
    out = []
    for jobs in (1, 2, 3):
        conn = _policy_corpus(6)
        run_linking(conn, Settings(models_dir=MODELS, jobs=jobs))
        out.append((_links(conn), sorted(conn.execute("SELECT doc_id, fp, data FROM links_cache").fetchall())))
    assert out[0][0] and any(r[1] == "same_measure" for r in out[0][0])
    assert out[0] == out[1] == out[2]


def test_links_stage_reports_progress_per_document():
    conn = _policy_corpus(3)
    seen = []
    run_linking(conn, Settings(models_dir=MODELS), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.parametrize("symmetric", [True, False])
@pytest.mark.parametrize("changed", [None, {1, 3}])
def test_candidate_pairs_in_small_blocks_equal_the_dense_answer(symmetric, changed):
    """The blocked sparse search (each document pair's product once, both directions from it,
    documents cut into blocks) finds what a dense similarity matrix would: per source and other
    document its best two targets, with both ranks."""
    import numpy as np

    from pipeline.linking.features import load_claims
    from pipeline.linking.glossary import load_glossary as lg
    from pipeline.linking.search import search
    from pipeline.linking.space import ClaimSpace
    from pipeline.linking.text import Stopwords
    from pipeline.linking.weights import TermStats

    conn = _policy_corpus(5)
    # one document larger than a block (8 rows): cut into blocks whose backward groups are merged
    for k, t in enumerate(["建设共性技术平台,推动仪器开放共享。", "共建产业园区,完善利益共享机制。", "提振消费,扩大汽车消费。",
                           "完善生育支持政策,建设生育友好型社会。", "加快建设创新平台。", "推动科研仪器开放。",
                           "合作共建园区。", "扩大家电等大宗消费。", "建设国家级研发平台。", "缓解企业生产经营困难。"]):
        _sent(conn, "r2", 20 + k, t, label="countermeasure" if k % 3 else "problem", path=("二、任务",))
    g, stop = lg(MODELS, conn), Stopwords.load(MODELS / "linking")
    space = ClaimSpace(TermStats.load(MODELS))
    for d in range(5):
        space.add(load_claims(conn, g, stop, f"r{d}"))
    space.finish()
    rows = np.arange(len(space.rows))
    src = rows if symmetric else rows[::2]
    tgt = rows if symmetric else rows[1::2]
    f = search(space, src, tgt, 0.05, 2, symmetric, changed, block_cells=10)
    got = {(i, j): (s, a, b) for i, j, s, a, b in zip(f.i.tolist(), f.j.tolist(), f.sim.tolist(),
                                                      f.rank_f.tolist(), f.rank_b.tolist())}
    assert len(got) == len(f.i)
    dense = (space.lex @ space.lex.T).toarray()
    doc = space.doc

    def ranked(i: int, among: np.ndarray) -> list[int]:
        ok = [j for j in among if dense[i, j] >= 0.05]
        return sorted(ok, key=lambda j: (-dense[i, j], j))

    want = {}
    for i in src.tolist():
        for d in sorted(set(doc[tgt].tolist()) - {doc[i]}):
            if changed is not None and doc[i] not in changed and d not in changed:
                continue
            for rank, j in enumerate(ranked(i, tgt[doc[tgt] == d])[:2]):
                back = ranked(j, src[doc[src] == doc[i]])
                want[(i, j)] = (dense[i, j], rank, min(back.index(i), 2))
    assert got.keys() == want.keys()
    bad = [(k, got[k], want[k]) for k in got if abs(got[k][0] - want[k][0]) > 1e-9 or got[k][1:] != want[k][1:]]
    assert not bad, bad[:5]


@pytest.mark.parametrize("a, b, conflict", [
    (("突破3.6万家", 36000, "more_than", None), ("3.6万家", 36000, "exact", None), 0),
    (("突破3.6万家", 36000, "more_than", None), ("3.65万家", 36500, "exact", None), 0),
    (("超过3.6万家", 36000, "more_than", None), ("3.2万家", 32000, "exact", None), 1),
    (("3—5万家", 30000, "exact", 50000), ("4万家", 40000, "exact", None), 0),
    (("约3万家", 30000, "about", None), ("3.1万家", 31000, "exact", None), 0),
    (("3.1万家", 31000, "exact", None), ("3.6万家", 36000, "exact", None), 1),
])
def test_conflicts_respect_rounding_bounds_and_ranges(a, b, conflict):
    conn = _db()
    for d in ("a", "b"):
        _doc(conn, d)
        _sent(conn, d, 0, "高新技术企业数量。", label="achievement")
    ins = ("INSERT INTO statistics(stat_id, doc_id, source, sentence_id, span, value, value_max, unit, counter, approx,"
           " year, subject, metric) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")
    for (span, value, approx, vmax), d in ((a, "a"), (b, "b")):
        conn.execute(ins, (f"S:{d}:1", d, "text", f"{d}:0", span, value, vmax, "count", "家", approx, 2024, "四川省",
                           "高新技术企业数量"))
    rows = [r for r in compute_links(conn, MODELS) if r[1] == "same_metric"]
    assert len(rows) == 1 and rows[0][7] == conflict


def test_query_expansion_crosses_languages_beyond_one_topic():
    g = load_glossary(MODELS)
    assert "碳排放" in expand_query_terms(["carbon emissions"], g)
    assert "数字经济" in expand_query_terms(["digital economy"], g)
    assert "rural revitalization" in expand_query_terms(["乡村振兴"], g)


@pytest.mark.slow
def test_no_glossary_row_is_taken_from_a_seed_document():
    """A term found in a seed document must also occur in at least two other shared real documents
    (otherwise the row was written from that seed's text)."""
    import re
    import unicodedata

    shared = Path(__file__).resolve().parents[1].parent / "shared"
    seeds = sorted((shared / "seeds").glob("*.txt"))
    reports = sorted((shared / "realdata/text/zh/gov_work_reports/provincial_2025").glob("*.txt"))
    abstracts = shared / "realdata/text/scale/zh_sci_abstracts_dedup.jsonl"
    if not seeds or not reports or not abstracts.exists():
        pytest.skip("shared real texts not available")
    norm = lambda s: unicodedata.normalize("NFKC", s)  # noqa: E731
    seed_text = [norm(p.read_text("utf-8")) for p in seeds]
    others = [norm(p.read_text("utf-8")) for p in reports]
    national = shared / "realdata/text/zh/gov_work_reports/national_1954_2025_wikisource.jsonl"
    others += [norm(json.loads(line)["content"]) for line in national.read_text("utf-8").splitlines() if line.strip()]
    others += [norm(json.loads(line)["text"]) for line in abstracts.read_text("utf-8").splitlines() if line.strip()]
    bad = []
    for name in ("glossary_general.tsv", "glossary_seed.tsv"):
        for line in (MODELS / "linking" / name).read_text("utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            a, b, *rest = line.split("\t") + [""]
            kind = rest[0] or "translation"
            terms = [a] + ([b] if kind in ("remedy", "synonym") else [])
            for t in terms:
                if re.search(r"[\u3400-\u9fff]", t) and any(t in s for s in seed_text):
                    hits = (1 for d in others if t in d)
                    if next(hits, 0) + next(hits, 0) < 2:
                        bad.append((name, t))
    assert not bad, bad[:10]


def test_unchanged_documents_come_from_the_cache():
    conn = _policy_corpus(4)
    settings = Settings(models_dir=MODELS)
    run_linking(conn, settings)
    assert conn.execute("SELECT count(*) FROM links_cache").fetchone()[0] == 4
    # a cached document is not re-read: its claims may even be unreadable now
    conn.execute("UPDATE sentences SET tokens='x' WHERE doc_id='r0'")
    conn.execute("UPDATE claims SET label='problem' WHERE claim_id='C:r3:0'")
    before = _links(conn)
    notes = run_linking(conn, settings)
    assert "1 changed" in notes[0]
    assert [r for r in _links(conn) if "r3" not in (r[4], r[5])] == [r for r in before if "r3" not in (r[4], r[5])]


def test_the_cache_table_is_declared_in_the_schema():
    from pipeline.linking.stage import CACHE_TABLE

    assert CACHE_TABLE + ";" in schema.SCHEMA
    assert _db().execute("SELECT count(*) FROM links_cache").fetchone() == (0,)


def test_a_link_model_edit_reprocesses_no_document_but_reruns_the_links_stage(tmp_path: Path):
    """models/linking/ is the links stage's input alone: it is not in the per-document config hash,
    and the stage's own inputs hash sees every file there."""
    import shutil

    from pipeline.linking.stage import LinkStage

    models = tmp_path / "models"
    shutil.copytree(MODELS, models, ignore=shutil.ignore_patterns("vectors.npz", "topics"))
    before = (Settings(models_dir=models).config_hash(), LinkStage(_db(), models).inputs_hash())
    with open(models / "linking" / "stop_zh.txt", "a", encoding="utf-8") as fh:
        fh.write("\n新增停用词\n")
    after = (Settings(models_dir=models).config_hash(), LinkStage(_db(), models).inputs_hash())
    assert before[0] == after[0] and before[1] != after[1]

