"""Statistics rules on hand-built documents, and the scorer on a tiny hand-made gold set."""
import re

import pytest

from pipeline.document import Cell, Document, Sentence, Table
from pipeline.evaluate.statistics import score_statistics
from pipeline.statistics import (annotate_statistics, document_context, extract_sentence_statistics,
                                 extract_table_statistics, metric_match, normalise_metric, subject_match)


def make_doc(text: str, doc_id: str = "d", title: str = "") -> Document:
    """Sentences split after 。！？ and at line ends, headings ("一、…") kept in section_path;
    tab-separated lines become a table captioned by the "表 N" line above."""
    doc = Document(doc_id, f"{doc_id}.txt", "txt", "0" * 64, text=text, title=title)
    section: list[str] = []
    pos = 0
    lines = text.split("\n")
    rows: list[tuple[int, str]] = []
    for n, line in enumerate(lines):
        if "\t" in line:
            rows.append((pos, line))
        else:
            if rows:
                _add_table(doc, rows, lines, n - len(rows))
                rows = []
            if re.match(r"^[一二三四五六七八九十]+、", line) and "。" not in line:
                section = [line]
                doc.sentences.append(Sentence(pos, pos + len(line), line, "heading", "zh", None, list(section), n,
                                              index=len(doc.sentences)))
            else:
                for m in re.finditer(r"[^。！？]+[。！？]?", line):
                    if m.group().strip():
                        kind = "caption" if re.match(r"^表\s*\d", m.group()) else "body"
                        doc.sentences.append(Sentence(pos + m.start(), pos + m.end(), m.group(), kind, "zh", None,
                                                      list(section), n, index=len(doc.sentences)))
        pos += len(line) + 1
    if rows:
        _add_table(doc, rows, lines, len(lines) - len(rows))
    return doc


def _add_table(doc, rows, lines, first_line):
    cap = lines[first_line - 1] if first_line > 0 and lines[first_line - 1].startswith("表") else ""
    t = Table(index=len(doc.tables), page=None, caption=cap)
    for r, (off, line) in enumerate(rows):
        for c, field in enumerate(line.split("\t")):
            t.cells.append(Cell(r, c, field, off, off + len(field)))
            off += len(field) + 1
    doc.tables.append(t)


def stats(text: str, **kw):
    doc = make_doc(text, **kw)
    annotate_statistics(doc)
    return doc, doc.statistics


def one(text: str, span: str, **kw):
    doc, sts = stats(text, **kw)
    found = [s for s in sts if s.span == span]
    assert found, f"{span!r} not in {[s.span for s in sts]}"
    st = found[0]
    assert doc.text[st.start:st.end] == span  # offsets into doc.text
    return st


# ---- values and units -----------------------------------------------------------------------
@pytest.mark.parametrize("text,span,value,unit,counter", [
    ("2023年,成渝地区电子信息产业集群产值规模达到1.68万亿元。", "1.68万亿元", 1.68e12, "CNY", None),
    ("成渝地区汽车年产量已达329.3万辆。", "329.3万辆", 3293000, "count", "辆"),
    ("2021 年川渝技术合同成交额合计 1 707.6 亿元。", "1 707.6 亿元", 1.7076e11, "CNY", None),
    ("两地汽车制造业产值达8100亿元。", "8100亿元", 8.1e11, "CNY", None),
    ("增速分别为20.04%和16.68%。", "20.04%", 20.04, "percent", None),
    ("占比达到２０．５％。", "２０．５％", 20.5, "percent", None),
    ("失业率下降1.0个百分点。", "1.0个百分点", 1.0, "percentage_point", None),
    ("已整合共用大型仪器设备1.4万台(套)。", "1.4万台(套)", 14000, "count", "台(套)"),
    ("拥有45家整车企业。", "45家", 45, "count", "家"),
    ("绿电装机规模突破5500万千瓦。", "5500万千瓦", 5.5e7, "count", "千瓦"),
    ("外送电量935亿千瓦时。", "935亿千瓦时", 9.35e10, "count", "千瓦时"),
    ("经营主体每年新增百万户以上。", "百万户", 1e6, "count", "户"),
])
def test_values_units(text, span, value, unit, counter):
    st = one(text, span)
    assert st.value == pytest.approx(value, rel=1e-12)
    assert st.unit == unit and st.counter == counter


def test_ratio_and_ranks():
    st = one("三次产业结构为3.7:30.6:65.7。", "3.7:30.6:65.7")
    assert st.unit == "ratio" and st.value is None and st.parts == [3.7, 30.6, 65.7]
    assert one("产业规模居全国第4位。", "第4位").value == 4
    assert one("在中国汽车产业集群中排名第三。", "第三").value == 3
    assert one("成渝地区是中国第四大电子信息产业聚集地。", "第四大").unit == "rank"
    _, sts = stats("重庆和成都分别排名全国第 3 和第 17。")
    assert [(s.span, s.value, s.subject) for s in sts] == [("第 3", 3, "重庆市"), ("第 17", 17, "成都市")]


# ---- qualifiers and directions ----------------------------------------------------------------
@pytest.mark.parametrize("text,span,approx", [
    ("其中新能源汽车超过65.2万辆。", "65.2万辆", "more_than"),
    ("拥有1600多家配套企业。", "1600多家", "more_than"),
    ("促成相互合作达400余家。", "400余家", "more_than"),
    ("累计配套资金超400亿元。", "400亿元", "more_than"),
    ("城镇新增就业40万人以上。", "40万人", "more_than"),
    ("研发投入占 GDP 比例约为 3%。", "3%", "about"),
    ("生产总值增长5%左右。", "5%", "about"),
    ("PM2.5平均浓度不超过35微克每立方米。", "35微克每立方米", "less_than"),
    ("本地配套率不足30%。", "30%", "less_than"),
    ("本地配套率为30%。", "30%", "exact"),
])
def test_approx(text, span, approx):
    assert one(text, span).approx == approx


def test_directions():
    _, sts = stats("原油加工量、天然气产量、发电量分别增长5.9%、9.2%、6.2%。")
    assert [s.direction for s in sts] == ["up"] * 3
    assert [s.metric for s in sts] == ["原油加工量增速", "天然气产量增速", "发电量增速"]
    assert one("安全生产事故起数下降18.6%。", "18.6%").direction == "down"
    assert one("集体经济强村增至12.3%。", "12.3%").direction is None  # a level
    assert one("城镇调查失业率5.3%。", "5.3%").direction is None
    assert one("县域经济增速高于全省1个百分点。", "1个百分点").direction == "up"
    assert one("新建高标准农田252万亩、改造提升43万亩。", "43万亩").direction is None  # 提升: rates only
    st = one("地区生产总值35538亿元、增长5.3%。", "5.3%")
    assert st.direction == "up" and st.value == 5.3 and st.metric == "地区生产总值增速"


# ---- years ----------------------------------------------------------------------------------
def test_years():
    assert one("2023年,成渝地区产值规模达到1.68万亿元。", "1.68万亿元").year == 2023
    assert one("截至2023年底,成渝地区拥有45家整车企业。", "45家").year == 2023
    st = one("成渝地区的汽车产量在2020—2023年增长了12.5%。", "12.5%")
    assert (st.year, st.year_start) == (2023, 2020)
    _, sts = stats("2021年与2022年的增速较为显著,分别为20.04%和16.68%,2023年增速有所放缓,为3.55%。")
    assert [s.year for s in sts] == [2021, 2022, 2023]
    # no year in the sentence: null, never the publication date; not inherited without an anaphor
    _, sts = stats("截至2023年底,成渝地区装备制造业营业收入达12759亿元。四川拥有规上企业超过3000家。")
    assert [s.year for s in sts] == [2023, None]
    _, sts = stats("2022年进出口总值增长8%。其中对东盟增长12%。")
    assert [s.year for s in sts] == [2022, 2022]


def test_relative_years_and_sections():
    text = ("2025年陕西省政府工作报告\n一、2024年工作回顾\n过去一年，地区生产总值35538亿元。"
            "五年来，累计新增城镇就业200万人。\n二、2025年工作安排\n今年粮食产量1300万吨以上。"
            "新建20家中试基地。去年新增上市企业3家。")
    doc, sts = stats(text)
    assert doc.meta["region"] == "陕西省" and doc.meta["year"] == 2025
    by = {s.span: s for s in sts}
    assert (by["35538亿元"].year, by["35538亿元"].modality) == (2024, "actual")
    assert (by["200万人"].year, by["200万人"].year_start) == (2024, 2020)
    assert (by["1300万吨"].year, by["1300万吨"].modality, by["1300万吨"].approx) == (2025, "target", "more_than")
    assert (by["20家"].year, by["20家"].modality) == (2025, "target")  # task list in a plan section
    assert (by["3家"].year, by["3家"].modality) == (2024, "actual")


def test_relative_years_need_a_document_date():
    doc, sts = stats("研究表明，去年成渝地区新增企业300家。")
    assert doc.meta["year"] is None and sts[0].year is None


def test_modality_cues_in_prose():
    assert one("力争全年原煤产量8亿吨。", "8亿吨").modality == "target"
    assert one("全省发展的主要预期目标是：生产总值增长5%左右。", "5%").modality == "target"
    assert one("粮食产量1352.3万吨，再创历史新高。", "1352.3万吨").modality == "actual"


# ---- subjects -------------------------------------------------------------------------------
def test_subjects():
    st = one("根据报告,2023 年,成渝地区的有效发明专利授权量为 4.69 万件,而同期广东省有效发明专利量达 53.92 万件,"
             "仅占广东省的 8.7%。", "8.7%")
    assert st.subject == "成渝地区"  # 占广东省的: a denominator, not the subject
    st = one("重庆在汽车行业人才占比中排名全国第 3,与排名第 1 的上海(16.20%)仍有显著差距。", "第 1")
    assert st.subject == "上海市" and st.subject_text == "上海"
    assert one("与排名第 1 的上海(16.20%)仍有显著差距。", "16.20%").subject == "上海市"
    st = one("重庆装备制造业已形成多个特色产业集群,有规上企业1100多家,从业人员为18万人。", "18万人")
    assert st.subject == "重庆市"
    st = one("其中,汽车产业链供需信息对接平台已聚焦区域内企业5709家,促成相互合作达400余家。", "400余家")
    assert st.subject == "汽车产业链供需信息对接平台"


def test_deictic_subjects():
    text = "2025年四川省政府工作报告\n一、2024年工作回顾\n全省规上工业增加值增长5.9%。技术合同成交额2000亿元。"
    _, sts = stats(text)
    assert (sts[0].subject, sts[0].subject_text) == ("四川省", "全省")
    assert (sts[1].subject, sts[1].subject_text) == ("四川省", None)  # the report's region by default
    _, sts = stats("2025年重庆市政府工作报告\n全市地区生产总值增长5.7%。")
    assert (sts[0].subject, sts[0].subject_text) == ("重庆市", "全市")
    st = one("重庆和成都分别排名全国第 3 和第 17,两地相关人才占比总和仅为 8.28%。", "8.28%")
    assert (st.subject, st.subject_text) == ("重庆和成都", "两地")


def test_document_context_from_title():
    doc = make_doc("成渝地区双城经济圈电子信息产业协同发展问题与对策\n收稿日期: 2024-11-07\n正文。")
    ctx = document_context(doc)
    assert ctx["region"] == "成渝地区双城经济圈" and ctx["year"] is None  # never the received date


# ---- not statistics -------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "例如,钟庭宽^[1]对区域间高技术产业协同发展关系进行了研究[15] [16]。",
    "3.2 产业链关键环节薄弱,协作配套能力待加强",
    "(1)完善区域三大产业集群的规划协同。",
    "一是侧重于产业协同发展的理论探析。",
    "科技管理研究, 2023(21): 84-94.",
    "DOI: 10.19744/j.cnki.11-1235/f.2024.0001",
    "文章编号: 1671-1807(2025)14-0160-07",
    "四川大学商学院, 成都 610065",
    "收稿日期: 2024-11-07",
    "2023年,成渝地区的发展进入新阶段。",
    "谋划好“十五五”规划，落实“33618”现代制造业集群体系。",
    "从产业规划协同、金融一体化、产业数字化6个方面提出相应的对策建议。",
    "一年来，主要做了以下7方面工作：",
    "重点做好以下9项工作：",
    "电子信息产业、汽车产业和装备制造业是成渝地区三大支柱产业。",
    "加快培育汽车电子、5G产业、AI电脑等新增长点，PM2.5浓度持续下降。",
    "陕北至关中第三条输电通道加快推进，成功举办第14届中美旅游高层对话。",
    "西安地铁15号线建成，乾陵获评国家5A级旅游景区，每千人医疗床位数持续增加。",
    "发挥“1+1>2”的效果，如图1所示。",
])
def test_not_statistics(text):
    _, sts = stats(text)
    assert sts == [], [s.span for s in sts]


def test_malformed_kept_with_flag():
    _, sts = stats("累计投资1,00万元。")
    assert len(sts) == 1 and "malformed_number" in sts[0].flags


# ---- tables ---------------------------------------------------------------------------------
TABLES = ("正文。\n表 2 全国各地区新能源汽车本地配套率\n地区\t汽车本地配套率/%\n成渝地区\t30\n长三角地区\t>50\n"
          "表 3 2023 主要地区研发投入与其占该地区 GDP 比例\n地区\t研发投入 GDP/亿元\t研发投入占总 GDP 比例/%\n"
          "成渝地区\t1 570.82\t3.0\n")


def test_tables():
    doc = make_doc(TABLES)
    sts = [s for t in doc.tables for s in extract_table_statistics(doc, t)]
    by = {(s.table_index, s.cell_row, s.cell_col): s for s in sts}
    a = by[(0, 2, 1)]
    assert (a.value, a.unit, a.approx, a.subject, a.year) == (50, "percent", "more_than", "长三角地区", None)
    assert metric_match(a.metric, "新能源汽车本地配套率")
    b = by[(1, 1, 1)]
    assert (b.value, b.unit, b.year, b.subject) == (1570.82e8, "CNY", 2023, "成渝地区")
    assert doc.text[b.start:b.end] == "1 570.82"
    c = by[(1, 1, 2)]
    assert (c.value, c.unit) == (3.0, "percent") and metric_match(c.metric, "研发投入占GDP比例")


def test_sentence_citing_a_table_takes_its_year():
    doc, sts = stats("如表 3 所示,成渝地区研发投入占 GDP 比例约为 3%。\n" + TABLES)
    st = next(s for s in sts if s.source == "text")
    assert (st.year, st.approx) == (2023, "about")


def test_extract_sentence_entry_point():
    doc = make_doc("甲。成渝地区装备制造业营业收入达12759亿元。")
    out = extract_sentence_statistics(doc, doc.sentences[1], doc.sentences[0])
    assert [s.span for s in out] == ["12759亿元"] and out[0].sentence_index == 1
    assert out[0].producer.startswith("stats-rules/")


# ---- metric / subject matching ----------------------------------------------------------------
def test_normalise_metric():
    assert normalise_metric("地区生产总值 增长率") == normalise_metric("生产总值增速")
    assert normalise_metric("研发投入占总 GDP 比例") == normalise_metric("研发投入占GDP比例")
    assert metric_match("汽车本地配套率", "新能源汽车本地配套率")
    assert not metric_match("发电量增速", "原油加工量增速")
    assert subject_match("成渝地区双城经济圈", "成渝地区") and subject_match("陕西省", "陕西省县域")
    assert not subject_match("陕西省", "西安市") and not subject_match("成渝地区", "汽车产业链供需信息对接平台")


# ---- scoring --------------------------------------------------------------------------------
def test_score_tiny_gold():
    S = "2023年,甲地产值达到100亿元,增长5%,排名第3。"
    gold = [
        {"doc": "a", "sentence": S, "span": "100亿元", "value": 1e10, "unit": "CNY", "approx": "exact", "year": 2023,
         "subject": "成都", "metric": "产值", "tier": "core", "modality": "actual"},
        {"doc": "a", "sentence": S, "span": "5%", "value": 5.0, "unit": "percent", "approx": "exact", "year": 2023,
         "subject": "成都", "metric": "产值增速", "tier": "core", "modality": "actual"},
        {"doc": "a", "sentence": S, "span": "第3", "value": 3.0, "unit": "rank", "approx": "exact", "year": 2023,
         "subject": "成都", "metric": "产值排名", "tier": "borderline"},
        {"doc": "a", "sentence": "另有企业20家。", "span": "20家", "value": 20.0, "unit": "count", "approx": "exact",
         "year": None, "subject": "成都", "metric": "企业数量", "tier": "core"},
    ]
    pred = [
        # matched core: value right, year wrong, subject right (成都市 ≈ 成都), metric right
        {"doc": "a", "source": "text", "sentence": S, "span": "100 亿元", "value": 1e10, "unit": "CNY",
         "approx": "exact", "year": 2022, "subject": "成都市", "metric": "产值", "modality": "actual", "start": 10},
        # matched core: value wrong, modality wrong
        {"doc": "a", "source": "text", "sentence": S, "span": "5%", "value": 50.0, "unit": "percent",
         "approx": "exact", "year": 2023, "subject": "成都", "metric": "产值增长率", "modality": "target", "start": 20},
        # matched borderline: neutral
        {"doc": "a", "source": "text", "sentence": S, "span": "第3", "value": 3.0, "unit": "rank", "start": 25},
        # false positive
        {"doc": "a", "source": "text", "sentence": S, "span": "2023年", "value": 2023.0, "unit": "count", "start": 0},
        # other document: ignored
        {"doc": "zzz", "source": "text", "sentence": "x", "span": "1%", "value": 1.0, "unit": "percent"},
        # a table cell
        {"doc": "a", "source": "table", "table": "表 1 产值", "row": "成都", "col": "产值/亿元", "cell": "1 570.82",
         "value": 1.57082e11, "unit": "CNY"},
    ]
    cells = [{"doc": "a", "table": "表 1 产值", "row": "成都", "col": "产值/亿元", "cell": "1 570.82",
              "value": 1.57082e11, "unit": "CNY"},
             {"doc": "a", "table": "表 1 产值", "row": "重庆", "col": "产值/亿元", "cell": "2 000",
              "value": 2e11, "unit": "CNY"}]
    r = score_statistics(pred, gold, cells)
    sp = r["span"]
    # 3 core gold rows, 2 found; 4 text predictions, 1 matched to a borderline row → precision 2/3
    assert sp["matched_core"] == 2 and sp["matched_borderline"] == 1
    assert sp["precision"] == pytest.approx(2 / 3) and sp["recall"] == pytest.approx(2 / 3)
    assert sp["f1"] == pytest.approx(2 / 3)
    acc = r["accuracy"]
    assert acc["value"] == 0.5 and acc["year"] == 0.5 and acc["subject"] == 1.0 and acc["metric"] == 1.0
    assert acc["modality"] == 0.5 and acc["unit"] == 1.0
    assert r["table_cells"]["recovered"] == 1 and r["table_cells"]["recovery"] == 0.5
    assert r["per_doc"]["a"]["matched"] == 2
    kinds = [e["kind"] for e in r["worst"]]
    assert "missed" in kinds and "false_positive" in kinds and "value" in kinds


# ---- English sentences (pipeline/statistics/en/, models/statistics/english.tsv) --------------
def en_stats(text: str, **meta):
    doc = Document("en", "en.txt", "txt", "0" * 64, text=text, title="")
    doc.meta.update(meta)
    sent = Sentence(0, len(text), text, "body", "en", None, [], 0, index=0)
    doc.sentences.append(sent)
    sts = extract_sentence_statistics(doc, sent, None)
    for st in sts:
        assert text[st.start:st.end] == st.span
    return {st.span: st for st in sts}


def test_english_level_and_change_with_year_and_metric():
    s = en_stats("Industrial output reached 1.68 trillion yuan in 2023, up 20.04% from 2022.")
    assert set(s) == {"1.68 trillion yuan", "20.04%"}
    lvl, chg = s["1.68 trillion yuan"], s["20.04%"]
    assert (lvl.value, lvl.unit, lvl.year, lvl.direction) == (1.68e12, "CNY", 2023, None)
    assert lvl.metric == "industrial output"
    assert (chg.value, chg.unit, chg.direction, chg.year) == (20.04, "percent", "up", 2023)  # 2022: base year
    assert chg.metric.startswith("industrial output")


def test_english_count_with_counter_and_about():
    s = en_stats("The region produced 3.29 million vehicles in 2023, about 10.9 percent of the national total.")
    v = s["3.29 million vehicles"]
    assert (v.value, v.unit, v.counter, v.year, v.approx) == (3290000, "count", "vehicles", 2023, "exact")
    p = s["10.9 percent"]
    assert (p.value, p.unit, p.approx, p.year) == (10.9, "percent", "about", 2023)


def test_english_rank_counts_and_dollars():
    s = en_stats("Chengdu ranks third among the 45 cities, with 1,600 supporting firms and $12 billion of investment.")
    r = s["third"]
    assert (r.value, r.unit, r.subject, r.subject_text) == (3, "rank", "成都市", "Chengdu")
    f = s["1,600 supporting firms"]
    assert (f.value, f.unit, f.counter, f.subject) == (1600, "count", "firms", "成都市")
    assert f.metric == "supporting firms"
    m = s["$12 billion"]
    assert (m.value, m.unit, m.subject, m.metric) == (12e9, "USD", "成都市", "investment")
    c = s["45 cities"]
    assert (c.value, c.unit, c.counter) == (45, "count", "cities")


@pytest.mark.parametrize("text,span,value,unit,approx,direction", [
    ("Exports fell 3.5% in 2022.", "3.5%", 3.5, "percent", "exact", "down"),
    ("Imports increased by 4.2 percent.", "4.2 percent", 4.2, "percent", "exact", "up"),
    ("Sales posted a 6.1% increase.", "6.1%", 6.1, "percent", "exact", "up"),
    ("The share rose by 1.2 percentage points to 2.3%.", "1.2 percentage points", 1.2, "percentage_point",
     "exact", "up"),
    ("The share rose by 1.2 percentage points to 2.3%.", "2.3%", 2.3, "percent", "exact", None),
    ("The park hosts more than 1,100 enterprises.", "1,100 enterprises", 1100, "count", "more_than", None),
    ("The park hosts nearly 500 projects.", "500 projects", 500, "count", "about", None),
    ("Investment was at least RMB 3 billion.", "RMB 3 billion", 3e9, "CNY", "more_than", None),
    ("Output was less than 2 million tons.", "2 million tons", 2e6, "count", "less_than", None),
    ("The fund holds EUR 200 million.", "EUR 200 million", 2e8, "EUR", "exact", None),
    ("Revenue was 1.2 billion US dollars.", "1.2 billion US dollars", 1.2e9, "USD", "exact", None),
])
def test_english_units_qualifiers_directions(text, span, value, unit, approx, direction):
    st = en_stats(text)[span]
    assert (st.value, st.unit, st.approx, st.direction) == (value, unit, approx, direction)


def test_english_rank_forms_subjects_and_years():
    s = en_stats("Sichuan ranked No. 5 nationwide in R&D spending as of 2022.")
    r = s["No. 5"]
    assert (r.value, r.unit, r.subject, r.year, r.metric) == (5, "rank", "四川省", 2022, "R&D spending rank")
    s = en_stats("Chongqing is among the top 10 cities.")
    assert (s["top 10"].value, s["top 10"].unit, s["top 10"].subject) == (10, "rank", "重庆市")
    s = en_stats("The Chengdu–Chongqing region had 1,100 enterprises since 2018.")
    st = s["1,100 enterprises"]
    assert st.subject == "成渝地区" and st.year_start in (None, 2018)
    s = en_stats("In 2023, the GDP of Chongqing was 3.01 trillion yuan, an increase of 6.1% over the previous year.")
    assert (s["3.01 trillion yuan"].subject, s["3.01 trillion yuan"].metric, s["3.01 trillion yuan"].year) == \
        ("重庆市", "GDP", 2023)
    assert (s["6.1%"].direction, s["6.1%"].year) == ("up", 2023)
    # deictic "the province" resolves to the document's region
    s = en_stats("The province had 45 vehicle manufacturers.", region="四川省")
    assert (s["45 vehicle manufacturers"].subject, s["45 vehicle manufacturers"].subject_text) == \
        ("四川省", "The province")


def test_english_target_modality():
    s = en_stats("By 2030, the output value is expected to exceed 2 trillion yuan.", year=2023)
    st = s["2 trillion yuan"]
    assert (st.modality, st.year, st.metric) == ("target", 2030, "output value")
    s = en_stats("The region aims to build 50 industrial parks by 2030, while it currently has 32 parks.")
    assert s["50 industrial parks"].modality == "target"
    assert s["32 parks"].modality == "actual" and s["32 parks"].year is None


@pytest.mark.parametrize("text", [
    "This paper was published in 2021 and revised in 2022.",
    "The results are shown in Table 3 and Section 2.1 [12].",
    "See pp. 22-28 and Vol. 12, No. 3, 2021.",
    "As argued by Wang et al. (2020) and [12], doi:10.1016/j.x.2020.01.005.",
    "In 2023 firms invested heavily in Chengdu.",
    "The first phase covers the second half of 2022 (Wang et al., 2020; Li, 2019).",
    "Section 2.1 reviews 3 models and Figure 4 shows 2 examples.",
])
def test_english_non_statistics(text):
    assert en_stats(text) == {}
