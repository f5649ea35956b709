"""Structure: heading forms, wrapped lines, section roles and document metadata (synthetic texts),
plus a slow check over the shared government work reports."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.document.model import ROLES
from pipeline.extract import read_document
from pipeline.extract.structure import annotate_structure, heading_level, heading_style
from pipeline.extract.structure.metadata import find_date
from pipeline.extract.text import lines_to_blocks

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "text" / "zh" / "gov_work_reports"


def doc_of(text: str, name: str = "doc", fmt: str = "txt", **meta) -> Document:
    doc = Document(doc_id=name, path=f"/tmp/{name}.{fmt}", format=fmt, sha256="0", text=text, **meta)
    doc.blocks, doc.tables = lines_to_blocks(text)
    annotate_structure(doc)
    return doc


def block(doc: Document, start: str):
    return next(b for b in doc.blocks if doc.text[b.start:b.end].strip().startswith(start))


PARA = "全年新建充电设施一万余个，城乡居民收入稳步增长，营商环境持续改善，各项事业取得新进展。"
TASK = "要加快推进重大项目建设，着力扩大有效投资，力争全年投资增长百分之五以上，确保各项任务落地见效。"


# ---- headings ------------------------------------------------------------------------------------
@pytest.mark.parametrize("line,level", [
    ("第一章 总则", 0.7), ("第二节 发展环境", 0.8), ("一、2024年工作回顾", 1), ("（二）稳住经济基本盘", 2),
    ("3 存在的问题", 1), ("3.2 产业链关键环节薄弱", 2), ("2.2.1 区域联动成效显著", 3), ("（1）完善规划协同", 5),
    ("三、谁更幸福？", 1), ("II. Related Work", 1), ("Limitations", 0.5), ("Appendix A", 0.5),
    ("Related Work", 1), ("引言", 1), ("附件", 0.5), ("名词解释", 0.5),
    ("一、牢记嘱托，加快发展。推动产业升级。", None), ("2023年，全市产值增长5%。", None), ("1.4万台(套)", None),
])
def test_numbered_and_named_heading_levels(line, level):
    assert heading_level(line) == level


def test_a_letter_heading_needs_roman_sections_above_it():
    assert heading_style("A. Threat model")[1] == "letter"
    text = "A Paper Title\n\nSome text opens the paper. It says what it does.\n\nA. Smith and colleagues wrote it\n\n" \
           "More text follows here. It is long enough to be a paragraph of its own.\n"
    doc = doc_of(text)
    assert block(doc, "A. Smith").kind != "heading"


def test_unnumbered_part_headings_are_found_between_paragraphs():
    text = "\n".join(["2025年某省政府工作报告", "各位代表：", "现在，我代表省人民政府，向大会报告工作，请予审议。",
                      "2024年工作回顾", PARA * 3, PARA * 2,
                      "我们也清醒认识到，全省发展还面临不少困难和挑战。主要是：需求不足，部分企业经营困难，创新能力不强。",
                      "2025年工作安排", TASK * 3,
                      "今年经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇新增就业30万人。", TASK * 2])
    doc = doc_of(text, "2025年某省政府工作报告")
    assert block(doc, "2024年工作回顾").kind == "heading"
    assert block(doc, "2025年工作安排").kind == "heading"
    body = [b for b in doc.blocks if b.kind == "body"]
    outside = [b for b in body if b.section_path in ([], [doc.title])]
    assert len(outside) == 1  # only the opening address precedes the first part
    assert block(doc, "全年新建").section_path == ["2024年工作回顾"]
    assert block(doc, "要加快推进").section_path == ["2025年工作安排"]
    # roles: review, the difficulties paragraph inside it, tasks, the targets paragraph
    assert block(doc, "全年新建").role == "review"
    assert block(doc, "我们也清醒认识到").role == "problems"
    assert block(doc, "要加快推进").role == "tasks"
    assert block(doc, "今年经济社会发展的主要预期目标").role == "targets"
    assert block(doc, "现在，我代表").role == "background"


def test_a_short_line_inside_a_paragraph_run_is_not_a_heading():
    # a signature-like short last line, and a short line that continues an unfinished one
    text = "\n".join(["某市工作总结", PARA * 2, "各项工作取得新进展，主要体现在", "以下几个方面的成绩", PARA * 2,
                      "某市人民政府"])
    doc = doc_of(text)
    assert all(b.kind != "heading" for b in doc.blocks)


def test_numbered_headings_nest_and_inline_leads_stay_body():
    text = "\n".join(["关于产业协同的研究", "摘要：本文研究产业协同。", "一、发展现状", "（一）产业规模持续扩大", PARA * 2,
                      "（二）创新能力不断增强。" + PARA, "二、存在的问题", "1.产业链条较短", "产业链条较短，配套能力不足。" * 3,
                      "三、对策建议", "——加强统筹协调。" + TASK, "一是完善规划；二是强化协同。" + TASK])
    doc = doc_of(text)
    assert block(doc, "（一）产业规模").kind == "heading"
    assert block(doc, "全年新建").section_path == ["一、发展现状", "（一）产业规模持续扩大"]
    lead = block(doc, "（二）创新能力不断增强。")
    assert lead.kind == "body" and lead.section_path == ["一、发展现状", "（一）产业规模持续扩大"]  # the gold's `section`
    assert block(doc, "产业链条较短，").section_path == ["二、存在的问题", "1.产业链条较短"]
    assert block(doc, "——加强统筹协调").kind == "body"
    assert block(doc, "一是完善规划").kind == "body"
    # paper roles from heading semantics, inherited by sub-sections
    assert block(doc, "全年新建").role == "findings"
    assert block(doc, "产业链条较短，").role == "problems"
    assert block(doc, "——加强统筹协调").role == "countermeasures"


def test_a_heading_wrapped_over_two_lines_is_one_heading():
    text = "\n".join(["2025年某市政府工作报告", "各位代表：", "现在，我代表市人民政府，向大会报告工作，请予审议。",
                      "一、2024年工作回顾", PARA * 3, "二、2025年目标任务和", "重点工作", TASK * 3, TASK * 2])
    doc = doc_of(text, "2025年某市政府工作报告")
    first, second = block(doc, "二、2025年目标任务和"), block(doc, "重点工作")
    assert first.kind == second.kind == "heading"
    assert block(doc, "要加快推进").section_path == ["二、2025年目标任务和重点工作"]
    assert block(doc, "要加快推进").role == "tasks"


def test_a_wrap_that_opens_with_a_conjunction_continues_the_heading():
    text = "\n".join(["2025年某市政府工作报告", "各位代表：", "现在，我代表市人民政府，向大会报告工作。", "一、2024年工作回顾",
                      PARA * 3, "二、2025年经济社会发展的总体要求", "和主要任务", TASK * 3])
    doc = doc_of(text, "2025年某市政府工作报告")
    assert block(doc, "要加快推进").section_path == ["二、2025年经济社会发展的总体要求和主要任务"]


def test_unnumbered_wrapped_heading_and_question_lines():
    text = "\n".join(["某省政府工作报告", "各位代表：", "现在，我代表省人民政府，向大会报告工作。", "过去一年的主要工作和",
                      "基本经验", PARA * 3, "那么，今年的工作重点在哪里？", TASK * 3, "今后一个时期的主要任务", TASK * 3])
    doc = doc_of(text)
    assert block(doc, "过去一年的主要工作和").kind == "heading"
    assert block(doc, "全年新建").section_path == ["过去一年的主要工作和基本经验"]
    assert block(doc, "那么，今年").kind == "body"  # a rhetorical question in a speech is not a heading
    assert block(doc, "要加快推进").section_path in (["过去一年的主要工作和基本经验"], ["今后一个时期的主要任务"])
    assert doc.blocks[-1].section_path == ["今后一个时期的主要任务"]


def test_markdown_heading_markup_marks_headings():
    text = "# 某地产业发展报告\n\n## 发展基础\n\n" + PARA * 2 + "\n\n## 下一步打算\n\n" + TASK * 2 + "\n"
    doc = doc_of(text, "notes", fmt="md")
    assert doc.title == "某地产业发展报告"
    assert block(doc, "全年新建").section_path == ["发展基础"]
    assert block(doc, "要加快推进").section_path == ["下一步打算"]


def test_english_sections_without_numbers():
    text = "\n\n".join([
        "Regional Clusters and Policy", "Abstract: We study clusters. We find gaps.",
        "Introduction", "Clusters matter for growth. This paper asks how policy can help them.",
        "Related Work", "Earlier studies looked at single regions. Few compared regions.",
        "Methods", "We use a panel of firms from 2010 to 2020. The data come from surveys.",
        "Results", "Output grew faster in clustered regions. The gap widened after 2015.",
        "Limitations", "The sample covers manufacturing only. Services may differ.",
        "Conclusion", "Policy should support collaboration. Governments should fund shared labs.",
        "Appendix A", "Variable definitions are listed here. They follow the survey manual.",
        "References", "[1] Smith J. Clusters. 2019."])
    doc = doc_of(text, "regional_clusters_paper")
    roles = {doc.text[b.start:b.end].split(".")[0]: b.role for b in doc.blocks if b.kind == "body"}
    assert roles["Clusters matter for growth"] == "introduction"
    assert roles["Earlier studies looked at single regions"] == "literature"
    assert roles["We use a panel of firms from 2010 to 2020"] == "method"
    assert roles["Output grew faster in clustered regions"] == "findings"
    assert roles["The sample covers manufacturing only"] == "conclusion"
    assert roles["Policy should support collaboration"] == "conclusion"
    assert roles["Variable definitions are listed here"] == "appendix"
    assert block(doc, "Limitations").kind == "heading"
    assert block(doc, "[1] Smith").role == "references"
    assert all(b.role in ROLES or b.role == "" for b in doc.blocks)


def test_report_part_without_role_words_is_judged_by_tense():
    text = "\n".join(["2025年某县政府工作报告", "各位代表：", "现在，我代表县人民政府，向大会报告工作。",
                      "一、牢记嘱托，砥砺奋进",
                      "一年来，我们完成了重点项目投资，实现了地区生产总值比上年增长6%，取得了新成效。" * 3,
                      "去年，全县城乡居民收入增长了5%，建成了一批民生工程。" * 2,
                      "二、担当作为，奋勇争先",
                      "今年，我们要加快产业升级，力争投资增长8%，确保完成各项任务。" * 3,
                      "我们要着力扩大内需，要坚持创新驱动，务必守牢安全底线。" * 2])
    doc = doc_of(text, "2025年某县政府工作报告")
    assert block(doc, "一年来").role == "review"
    assert block(doc, "今年，我们要").role == "tasks"


# ---- paragraphs of scraped text ------------------------------------------------------------------
def test_lines_broken_around_link_text_are_rejoined():
    text = ("政府工作报告\n\n\n——2019年3月5日在某次会议上\n\n各位代表：\n\n会议审议了总理所作的\n政府工作报告\n。"
            "会议同意报告提出的各项任务。\n\n要尽快制定《\n某某条例\n》，保障各方权益。\n\n一、过去一年的工作\n\n"
            + PARA * 2 + "\n\n本作品属于公有领域。\n\nPublic domain\n")
    doc = doc_of(text, "2019年某国务院政府工作报告")
    merged = block(doc, "会议审议了")
    assert "。会议同意" in doc.text[merged.start:merged.end]
    assert "》，保障" in doc.text[block(doc, "要尽快制定").start:block(doc, "要尽快制定").end]
    assert block(doc, "本作品属于").kind == "front_matter"  # the licence note closing a scraped page
    assert block(doc, "Public domain").kind == "front_matter"
    # the generic title line gives way to the file name that says more; the dateline gives the date
    assert doc.title == "2019年某国务院政府工作报告"
    assert (doc.year, doc.date) == (2019, "2019-03-05")


def test_paragraphs_separated_by_single_lines_are_not_joined():
    text = "标题\n" + "\n".join([PARA, "这一段没有句号", PARA, "另一段。"])
    doc = doc_of(text)
    assert len([b for b in doc.blocks if b.kind != "table"]) == 5


# ---- metadata ------------------------------------------------------------------------------------
@pytest.mark.parametrize("line,iso", [
    ("——2025年1月16日在某省第十四届人民代表大会第三次会议上", "2025-01-16"),
    ("（2023年3月13日第十四届全国人民代表大会第一次会议通过）", "2023-03-13"),
    ("一九五七年六月二十六日在会议上", "1957-06-26"), ("２０１７年３月５日", "2017-03-05"),
    ("December 1998", "1998-12"), ("Thursday, August 6, 2020 / Proposed Rules", "2020-08-06"),
    ("收稿日期：2016-05-10", "2016-05-10"), ("没有日期的一行", None),
])
def test_dates_in_front_lines(line, iso):
    assert find_date(line) == iso


def test_report_front_matter_gives_date_speaker_and_source():
    text = "\n".join(["2025年某省政府工作报告", "来源：某省日报", "——2025年1月20日在某省第十四届人民代表大会第三次会议上",
                      "某省省长 王某某", "各位代表：", "现在，我代表省人民政府，向大会报告工作。", "一、2024年工作回顾", PARA * 2])
    doc = doc_of(text, "report")
    assert doc.title == "2025年某省政府工作报告"
    assert (doc.year, doc.date) == (2025, "2025-01-20")
    assert doc.authors == ["王某某"]
    assert doc.source == "某省日报"


def test_paper_authors_and_publication_date_from_the_front_matter():
    text = "\n".join(["区域产业协同的测度与对策", "张三¹, 李四², 王五五¹", "(1. 某大学经济学院, 某市 100000)",
                      "收稿日期: 2023年9月2日; 录用日期: 2023年9月26日; 发布日期: 2023年12月19日",
                      "摘要: 本文测度区域产业协同。", "关键词: 产业协同; 测度", "1 引言", PARA * 2])
    doc = doc_of(text, "paper")
    assert doc.authors == ["张三", "李四", "王五五"]
    assert (doc.year, doc.date) == (2023, "2023-12-19")


def test_inline_speaker_and_name_before_title():
    d1 = doc_of("\n".join(["2025年某市政府工作报告", "2025年1月14日在某市第十六届人民代表大会第三次会议上某市市长张某同志",
                           "各位代表：", PARA]), "x")
    assert d1.authors == ["张某"]
    d2 = doc_of("\n".join(["2025年某市政府工作报告", "----2025年1月15日李某市长在某市人民代表大会上的政府工作报告",
                           "各位代表：", PARA]), "y")
    assert d2.authors == ["李某"]


def test_text_without_title_or_date_takes_them_from_the_file_name_and_its_parts():
    text = "各位代表：\n\n现在，我代表国务院，向大会报告政府工作。\n\n一、2018年工作回顾\n\n" + PARA * 3
    doc = doc_of(text, "某国国务院政府工作报告")
    assert doc.title == "某国国务院政府工作报告"
    assert doc.year == 2019  # a report reviewing 2018 was given in 2019


def test_a_resolution_takes_its_session_year_and_issuer():
    title = "第十三届全国人民代表大会第二次会议关于政府工作报告的决议"
    doc = doc_of(title + "听取和审议了国务院总理所作的政府工作报告。会议同意报告提出的各项任务。", title)
    assert doc.title == title
    assert doc.year == 2019
    assert doc.authors == ["第十三届全国人民代表大会第二次会议"]


def test_values_given_by_a_record_are_kept():
    text = "某文件\n——2020年5月1日发布\n" + PARA
    doc = doc_of(text, "x", title="记录给出的标题", year=2021, authors=["某机构"], source="某网站")
    assert (doc.title, doc.year, doc.date, doc.authors, doc.source) == ("记录给出的标题", 2021, "2021", ["某机构"], "某网站")


# ---- the real reports (slow) ---------------------------------------------------------------------
def _report_paths(tmp: Path) -> list[Path]:
    paths = sorted((SHARED / "provincial_2025").glob("*.txt"))
    nat = SHARED / "national_1954_2025_wikisource.jsonl"
    for _k, line in enumerate(nat.read_text(encoding="utf-8").splitlines()):
        if line.strip():
            rec = json.loads(line)
            p = tmp / f"{rec['title']}.txt"
            p.write_text(rec["content"], encoding="utf-8")
            paths.append(p)
    return paths


@pytest.mark.slow
@pytest.mark.skipif(not SHARED.is_dir(), reason="shared real data not present")
def test_every_shared_report_has_title_year_sections_and_roles(tmp_path):
    from pipeline.segment import Segmenter
    from pipeline.settings import Settings

    seg = Segmenter(Settings().models_dir)
    failures = []
    total = outside = 0
    for path in _report_paths(tmp_path):
        doc = read_document(path)
        annotate_structure(doc)
        seg.segment(doc)
        body = [s for s in doc.sentences if s.kind == "body"]
        n_out = sum(1 for s in body if not s.section_path)
        has_headings = any(b.kind == "heading" for b in doc.blocks)
        if not doc.title or not doc.year:
            failures.append(f"{path.name}: title={doc.title!r} year={doc.year}")
        if has_headings and body and n_out / len(body) >= 0.10:
            failures.append(f"{path.name}: {n_out}/{len(body)} body sentences outside any section")
        if "工作报告" in doc.title and len(body) > 100 and doc.year >= 2000 \
                and not any(s.role == "problems" for s in body) and "provincial" in str(path):
            failures.append(f"{path.name}: no problems paragraph")
        total += len(body)
        outside += n_out if has_headings else 0
    assert not failures, "\n".join(failures)
    assert outside / total < 0.02


def test_a_paragraph_that_turns_to_the_difficulties_is_split_there():
    turn = "这些做法要继续坚持。同时，我们清醒认识到，前进道路上还有不少困难和问题。主要是：需求不足，创新能力不强。"
    text = "\n".join(["2025年某省政府工作报告", "各位代表：", "现在，我代表省人民政府，向大会报告工作。",
                      "一、2024年工作回顾", PARA * 3, turn, "二、2025年工作安排", TASK * 3])
    doc = doc_of(text, "2025年某省政府工作报告")
    head, tail = block(doc, "这些做法"), block(doc, "同时，我们清醒认识到")
    assert doc.text[head.start:head.end] == "这些做法要继续坚持。"
    assert (head.role, tail.role) == ("review", "problems")
    assert tail.section_path == head.section_path == ["一、2024年工作回顾"]


def test_a_bad_role_file_is_one_clear_error(tmp_path):
    from pipeline.errors import DocumentError
    from pipeline.extract.structure.roles import load_role_cues

    (tmp_path / "section_roles.tsv").write_text("review\treport_heading\t(unclosed\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"section_roles.tsv \(line 1\): bad pattern"):
        load_role_cues(tmp_path / "section_roles.tsv")
    (tmp_path / "section_roles.tsv").write_text("nonsense\treport_heading\tx\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="known role"):
        load_role_cues(tmp_path / "section_roles.tsv")


def test_learned_tense_weights_tell_review_from_tasks():
    from pipeline.extract.structure.roles import load_role_cues

    cues = load_role_cues()
    assert cues.tense_weights, "models/structure/part_tense.tsv missing: python -m pipeline.devtools.train_part_tense"
    assert cues.tense_score("一年来，全县完成了重点项目投资，比上年增长6%，取得了新成效。") > 0
    assert cues.tense_score("今年要加快产业升级，力争投资增长8%，确保完成各项任务。") < 0


@pytest.mark.slow
@pytest.mark.skipif(not SHARED.is_dir(), reason="shared real data not present")
def test_structure_holds_when_the_reports_are_laid_out_differently():
    from pipeline.devtools.structure_checks import run_checks

    res = run_checks(sorted((SHARED / "provincial_2025").glob("*.txt")))
    for check, a in res.items():
        assert a["outside"] < 0.05, (check, a)
        assert a["role_agreement"] > 0.97 and a["worst_role_agreement"] > 0.85, (check, a)
        assert a["same_year"] == 1.0, (check, a)
    assert res["wrap"]["same_headings"] > 0.9 and res["hardwrap"]["same_headings"] > 0.9
