"""The shipped claim classifier on the hard cases of held-out documents (sentences written for these
tests, not taken from any corpus document): sentence evidence against the section prior, parts
without numbered headings, constructions, English policy prose; and the weak labels it learns from."""
from __future__ import annotations

import pytest

from pipeline.document.model import Document, Sentence
from pipeline.settings import DEFAULT_MODELS
from pipeline.tagging import ClaimTagger
from pipeline.tagging import rules as R
from pipeline.tagging.context import document_contexts
from pipeline.training.claims_weak import WeakRules, weak_labels


def make_doc(rows: list[tuple], title: str = "", doc_id: str = "t") -> Document:
    """rows: (text, section_path, block[, lang[, kind]])"""
    doc = Document(doc_id=doc_id, path="", format="txt", sha256="0", title=title)
    pos = 0
    for i, r in enumerate(rows):
        text, path, block = r[:3]
        lang = r[3] if len(r) > 3 else "zh"
        kind = r[4] if len(r) > 4 else "body"
        doc.sentences.append(Sentence(start=pos, end=pos + len(text), text=text, kind=kind, lang=lang, page=None,
                                      section_path=list(path), block_index=block, index=i))
        pos += len(text) + 1
    doc.text = "\n".join(r[0] for r in rows)
    return doc


@pytest.fixture(scope="module")
def tagger() -> ClaimTagger:
    t = ClaimTagger.load(DEFAULT_MODELS)
    assert t.model is not None, "models/claims/model.json is missing: run `make train`"
    return t


def labels(tagger: ClaimTagger, doc: Document) -> list[str]:
    return [c.label for c in tagger.tag_document(doc)]


REVIEW = ["一、2023年工作回顾"]
TASKS = ["二、2024年重点任务"]


def test_shortcomings_paragraph_inside_the_review_stays_problem(tagger):
    doc = make_doc([
        ("现在，我代表市人民政府向大会报告工作，请予审议。", [], 0),
        ("全年地区生产总值增长5.2%，规模以上工业增加值增长6.1%。", REVIEW, 1),
        ("新建5G基站1.2万个，新增高新技术企业800家。", REVIEW, 2),
        ("我们也清醒看到，发展中还存在一些困难和问题。", REVIEW, 3),
        ("产业结构偏重，科技创新能力不强。", REVIEW, 3),
        ("民营经济活力不足，部分企业生产经营困难。", REVIEW, 3),
        ("加快建设现代化产业体系，推动传统产业转型升级。", TASKS, 4),
    ], title="2024年某市政府工作报告")
    assert labels(tagger, doc) == ["background", "achievement", "achievement", "problem", "problem", "problem",
                                   "countermeasure"]


def test_report_parts_without_numbered_headings(tagger):
    """A report whose part headings carry no 一、/二、 reaches the tagger as body lines: the line that
    names the part still sets the prior for what follows."""
    doc = make_doc([
        ("各位代表：现在，我代表县人民政府向大会报告工作，请予审议。", [], 0),
        ("2023年工作回顾", [], 1),
        ("全县粮食产量达到52万吨，农村居民人均可支配收入增长7.3%。", [], 2),
        ("新改建农村公路120公里，完成危房改造300户。", [], 3),
        ("2024年工作安排", [], 4),
        ("实施乡村建设行动，新改建农村公路100公里。", [], 5),
        ("深化营商环境改革，全面推行证照分离。", [], 6),
    ], title="2024年某县政府工作报告")
    got = labels(tagger, doc)
    assert got[2:4] == ["achievement", "achievement"]
    assert got[5:] == ["countermeasure", "countermeasure"]


def test_sentence_evidence_beats_a_significance_heading(tagger):
    sig = ["一、研究意义"]
    doc = make_doc([
        ("区域产业协同是推动高质量发展的重要路径。", sig, 0),
        ("然而，目前两地产业链配套能力薄弱，关键零部件仍依赖外地供应。", sig, 1),
    ], title="区域产业协同发展研究")
    assert labels(tagger, doc)[1] == "problem"


def test_only_if_then_is_normative(tagger):
    doc = make_doc([("只有打破行政区划壁垒，才能实现要素在区域内自由流动。", ["四、结论与讨论"], 0)],
                   title="区域产业协同发展研究")
    assert labels(tagger, doc) == ["countermeasure"]


def test_a_study_naming_the_measures_it_proposes(tagger):
    doc = make_doc([("文章从创新平台共建、人才互认和财税分享三个方面提出了推进协同发展的对策建议。", [], 0, "zh", "abstract")],
                   title="区域产业协同发展研究")
    assert labels(tagger, doc) == ["countermeasure"]


def test_english_policy_prose(tagger):
    doc = make_doc([
        ("The proposed rule would require utilities to report cyber incidents within 72 hours.", [], 0, "en"),
        ("However, small utilities lack the staff and funding needed to monitor their networks.", [], 1, "en"),
        ("Section 5 prohibits the sale of devices that do not meet the new standard.", [], 2, "en"),
    ], title="Proposed Rule on Incident Reporting")
    got = labels(tagger, doc)
    assert got[0] == "countermeasure" and got[2] == "countermeasure"
    assert got[1] == "problem"


def test_weak_labels_of_a_report_follow_its_structure():
    cues, headings = R.load_rule_lexicons()
    doc = make_doc([
        ("现在，我代表市人民政府向大会报告工作。", [], 0),
        ("全年地区生产总值增长5.2%。", REVIEW, 1),
        ("向全市人民表示衷心感谢！", REVIEW, 2),
        ("我们也清醒看到，发展中还存在一些困难和问题。", REVIEW, 3),
        ("科技创新能力不强。", REVIEW, 3),
        ("对此，我们将采取有力措施加以解决。", REVIEW, 3),
        ("加快建设现代化产业体系。", TASKS, 4),
    ], title="2024年某市政府工作报告")
    ctxs = document_contexts(doc, cues, headings)
    got = [lab for lab, _ in weak_labels(ctxs, "reports", WeakRules.load(R.DEFAULT_MODELS_DIR))]
    assert got == ["background", "achievement", "background", "problem", "problem", "problem", "countermeasure"]


def test_weak_labels_of_policy_sentences_come_from_their_annotation():
    cues, headings = R.load_rule_lexicons()
    doc = make_doc([("对新认定的高新技术企业给予一次性奖励20万元。", [], 0),
                    ("本办法自发布之日起施行。", [], 1)])
    ctxs = document_contexts(doc, cues, headings)
    got = weak_labels(ctxs, "policy", WeakRules.load(R.DEFAULT_MODELS_DIR), ["政策内容-资金支持", ""])
    assert [lab for lab, _ in got] == ["countermeasure", None]
