"""Claim tagging and claim scoring: small hand-made documents, no dependence on the dev gold."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.document.model import Document, Sentence
from pipeline.evaluate.claims import score_claims
from pipeline.gold.matching import match_sentences, normalize
from pipeline.tagging import ClaimTagger, classify_heading
from pipeline.tagging.claims import LABELS
from pipeline.training import train_claims
from pipeline.training.claims_corpus import CorpusSpec

MODELS = Path(__file__).resolve().parents[1] / "models" / "claims"


def make_doc(rows: list[tuple], doc_id: str = "t", title: str = "测试论文") -> Document:
    """rows: (text, kind, section_path, lang[, block])"""
    doc = Document(doc_id=doc_id, path="", format="txt", sha256="0", title=title)
    for i, r in enumerate(rows):
        text, kind, path, lang = r[:4]
        block = r[4] if len(r) > 4 else i
        doc.sentences.append(Sentence(start=0, end=len(text), text=text, kind=kind, lang=lang, page=None,
                                      section_path=list(path), block_index=block, index=i))
    return doc


@pytest.fixture(scope="module")
def rules_tagger(tmp_path_factory) -> ClaimTagger:
    # an empty directory: lexicons from models/claims, no trained model -> rules only
    return ClaimTagger.load(tmp_path_factory.mktemp("empty"))


# ---------------------------------------------------------------- headings
@pytest.mark.parametrize("heading,label", [
    ("3 成渝双城经济圈三大产业集群协同发展存在的问题", "problem"),
    ("4 成渝双城经济圈三大产业集群协同发展的对策建议", "countermeasure"),
    ("2.1 三大产业集群产业发展现状", "achievement"),
    ("一、2024年工作回顾", "achievement"),
    ("二、2025年工作安排", "countermeasure"),
    ("1 文献综述", "background"),
    ("4.2 技术协同创新能力不强", "problem"),  # weak: reads as a shortcoming
    ("问题与对策", None),  # two roles joined: no class
    ("摘要", None),
    ("3. Problems and Challenges", "problem"),
    ("5. Countermeasures and Suggestions", "countermeasure"),
    ("2. Current Status of the Clusters", "achievement"),
    ("1. Introduction", "background"),
])
def test_classify_heading(heading, label):
    assert classify_heading(heading) == label


# ---------------------------------------------------------------- tagging
def test_heading_inheritance_zh(rules_tagger):
    doc = make_doc([
        ("区域内多个城市产业结构同质化。", "body", ["3 存在的问题", "3.1 产业结构"], "zh"),
        ("以成都和重庆为例,电子信息和汽车制造同为两地经济支柱产业。", "body", ["3 存在的问题", "3.1 产业结构"], "zh"),
        ("在分工方面,重庆聚焦新能源整车制造,四川着力发展关键零部件。", "body", ["4 对策建议", "4.1 规划协同"], "zh"),
        ("两地联合实施了川渝科技创新合作计划。", "body", ["2 发展现状"], "zh"),
    ])
    labels = [c.label for c in rules_tagger.tag_document(doc)]
    # the second and third sentences carry no cue of their own: the heading decides
    assert labels == ["problem", "problem", "countermeasure", "achievement"]


def test_cue_override_in_review_section(rules_tagger):
    review = ["一、2024年工作回顾"]
    doc = make_doc([
        ("实施城市更新项目1747个，改造城镇老旧小区2622个。", "body", review, "zh", 1),
        ("我们也清醒认识到，全省经济社会发展还面临不少困难和问题。", "body", review, "zh", 2),
        ("我们一定正视困难，采取强有力措施加以解决。", "body", review, "zh", 2),
        ("向支持陕西发展的海内外朋友，表示衷心感谢！", "body", review, "zh", 3),
    ], title="2025年陕西省政府工作报告")
    claims = rules_tagger.tag_document(doc)
    assert [c.label for c in claims] == ["achievement", "problem", "problem", "background"]
    assert claims[1].evidence["rule"] == "cue:override"
    assert claims[2].evidence["rule"] == "paragraph:problem-carry"


def test_english_abstract(rules_tagger):
    ab = ["Abstract:"]
    doc = make_doc([
        ("The research finds that the region has achieved good results in regional linkage.", "abstract", ab, "en"),
        ("However, it still faces problems and challenges, such as a weak industrial chain.", "abstract", ab, "en"),
        ("Major enterprises should be cultivated and common technology platforms need to be established.",
         "abstract", ab, "en"),
        ("In this study, we summarize international experiences.", "abstract", ab, "en"),
    ])
    labels = [c.label for c in rules_tagger.tag_document(doc)]
    assert labels == ["achievement", "problem", "countermeasure", "background"]


def test_only_body_and_abstract_are_tagged(rules_tagger):
    doc = make_doc([
        ("成渝地区产业协同发展问题与对策", "title", [], "zh"),
        ("收稿日期: 2024-11-07", "front_matter", [], "zh"),
        ("摘要", "heading", [], "zh"),
        ("研究发现两地协同创新网络尚未形成。", "abstract", ["摘要"], "zh"),
        ("关键词: 成渝; 协同", "keywords", [], "zh"),
        ("表 2 全国各地区新能源汽车本地配套率", "caption", [], "zh"),
        ("应加快建设供需对接平台。", "body", [], "zh"),
        ("[1] 钟庭宽. 区域间高技术产业协同发展[J]. 2023.", "reference", [], "zh"),
    ])
    claims = rules_tagger.tag_document(doc)
    assert [c.sentence_index for c in claims] == [3, 6]
    assert [c.label for c in claims] == ["problem", "countermeasure"]
    for c in claims:
        assert c.producer and 0 < c.confidence <= 1
        assert {"heading", "heading_class", "cues", "probs", "decided_by"} <= set(c.evidence)


def test_train_is_deterministic_and_loads(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    rows = []
    for i in range(6):
        rows += [
            {"doc": f"d{i}", "lang": "zh", "text": f"第{i}个园区产业链关键环节薄弱,配套能力不足。", "label": "problem",
             "section": "3 存在的问题"},
            {"doc": f"d{i}", "lang": "zh", "text": f"应加快建设第{i}个供需对接平台。", "label": "countermeasure",
             "section": "4 对策建议"},
            {"doc": f"d{i}", "lang": "zh", "text": f"两地已建成第{i}个共享服务平台。", "label": "achievement",
             "section": "2 发展现状"},
            {"doc": f"d{i}", "lang": "zh", "text": f"本文第{i}部分回顾相关文献。", "label": "background",
             "section": "1 文献综述"},
        ]
    (gold / "claims.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                       encoding="utf-8")
    corrections = [{"doc": "d0", "text": "本文第0部分回顾相关文献。", "label": "background"}]
    no_corpus = CorpusSpec(sources=())  # gold and corrections only: no weak labels from ../shared
    m1 = train_claims(gold, corrections, tmp_path / "a", spec=no_corpus)
    m2 = train_claims(gold, corrections, tmp_path / "b", spec=no_corpus)
    assert (tmp_path / "a" / "model.json").read_bytes() == (tmp_path / "b" / "model.json").read_bytes()
    assert m1["sha256"] == m2["sha256"] and len(m1["sha256"]) == 64
    assert m1["n_gold_rows"] == 24 and m1["n_corrections"] == 1 and m1["corpus_documents"] == {}
    tagger = ClaimTagger.load(tmp_path / "a")
    doc = make_doc([("应加快建设供需对接平台。", "body", ["4 对策建议"], "zh")])
    (claim,) = tagger.tag_document(doc)
    assert claim.label == "countermeasure"
    assert claim.evidence["decided_by"] == "model" and set(claim.evidence["probs"]) == set(LABELS)
    assert m1["sha256"][:12] in claim.producer


# ---------------------------------------------------------------- matching and scoring
def test_matching_tolerates_rejoined_and_split_sentences():
    gold = ["在推动新能源汽车", "本地配套能力提升方面仍需加强。", "两地 人才 数量不足。"]
    system = ["在推动新能源汽车本地配套能力提升方面仍需加强。", "两地人才", "数量不足。"]
    m = match_sentences(gold, system)
    assert [o.system_index for o in m[0]] == [0]
    assert [o.system_index for o in m[1]] == [0]
    assert sorted(o.system_index for o in m[2]) == [1, 2]
    assert normalize("Ａ　b\nc") == "Abc"


def test_score_claims_by_hand():
    gold = [
        {"doc": "d", "text": "a1。", "label": "problem"},
        {"doc": "d", "text": "a2。", "label": "problem"},
        {"doc": "d", "text": "b1。", "label": "countermeasure"},
        {"doc": "d", "text": "b2。", "label": "countermeasure"},
        {"doc": "d", "text": "c1。", "label": "achievement", "also": ["problem"]},
        {"doc": "d", "text": "z1。", "label": "background"},
        {"doc": "e", "text": "x1。", "label": "problem"},
    ]
    pred = [
        {"doc": "d", "text": "a1。", "label": "problem", "secondary": [], "confidence": 0.9},
        {"doc": "d", "text": "a2。", "label": "countermeasure", "secondary": [], "confidence": 0.8},
        {"doc": "d", "text": "b1。", "label": "countermeasure", "secondary": [], "confidence": 0.7},
        {"doc": "d", "text": "b2。", "label": "countermeasure", "secondary": [], "confidence": 0.6},
        {"doc": "d", "text": "c1。", "label": "achievement", "secondary": ["problem"], "confidence": 0.5},
        {"doc": "d", "text": "z1。", "label": "problem", "secondary": [], "confidence": 0.95},
        {"doc": "d", "text": "标题", "label": "achievement", "secondary": [], "confidence": 0.4},  # spurious
        # doc e: its one gold sentence is missed entirely
        {"doc": "f", "text": "y。", "label": "problem", "secondary": []},  # not a gold doc: ignored
    ]
    s = score_claims(pred, gold)
    pl = s["per_label"]
    # problem: TP a1; FP z1; FN a2, x1 -> P 1/2, R 1/3, F1 0.4
    assert (pl["problem"]["tp"], pl["problem"]["fp"], pl["problem"]["fn"]) == (1, 1, 2)
    assert pl["problem"]["precision"] == 0.5 and pl["problem"]["recall"] == pytest.approx(0.3333, abs=1e-4)
    assert pl["problem"]["f1"] == pytest.approx(0.4, abs=1e-4)
    # countermeasure: TP b1 b2; FP a2 -> P 2/3, R 1, F1 0.8
    assert pl["countermeasure"]["precision"] == pytest.approx(0.6667, abs=1e-4)
    assert pl["countermeasure"]["recall"] == 1.0 and pl["countermeasure"]["f1"] == pytest.approx(0.8, abs=1e-4)
    # achievement: TP c1; FP the spurious "标题" -> P 1/2, R 1, F1 2/3
    assert pl["achievement"]["f1"] == pytest.approx(0.6667, abs=1e-4)
    assert s["macro_f1"] == pytest.approx((0.4 + 0.8 + 0.6667) / 3, abs=1e-3)
    # background: FN z1, nothing predicted -> 0
    assert pl["background"]["f1"] == 0.0
    assert s["n_gold"] == 7 and s["n_missed"] == 1 and s["n_spurious"] == 1
    assert s["accuracy"] == pytest.approx(4 / 7, abs=1e-4)
    assert s["confusion"]["problem"] == {"problem": 1, "countermeasure": 1, "missed": 1}
    assert s["secondary"]["tp"] == 1 and s["secondary"]["fp"] == 0
    assert s["ignored_pred_docs"] == ["f"]
    assert s["per_document"]["e"]["n_missed"] == 1
    # worst errors: highest confidence first
    assert [e["text"] for e in s["worst_errors"]] == ["z1。", "a2。"]
