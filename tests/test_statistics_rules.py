"""Statistics rules added for issue 10: open units and counters, ranges, multiples, bare magnitudes,
Chinese decimals and years, base years, report parts without headings, national subjects."""
import pytest

from pipeline.document import Document
from pipeline.statistics import annotate_statistics
from tests.test_statistics import make_doc, one, stats


@pytest.mark.parametrize("text,span,value,value_max,unit,counter,approx", [
    ("29项成果通过验收。", "29项", 29, None, "count", "项", "exact"),  # a figure at sentence offset 0
    ("农业占百分之三十五点五。", "百分之三十五点五", 35.5, None, "percent", None, "exact"),
    ("接待游客3400多万人次。", "3400多万人次", 3.4e7, None, "count", "人次", "more_than"),
    ("共减轻负担3万多亿元。", "3万多亿元", 3e12, None, "CNY", None, "more_than"),
    ("力争新增2—3家地方国企进入500强。", "2—3家", 2, 3, "count", "家", "exact"),
    ("新增投资3-5亿元。", "3-5亿元", 3e8, 5e8, "CNY", None, "exact"),
    ("地区生产总值增长5.0%—5.5%。", "5.0%—5.5%", 5.0, 5.5, "percent", None, "exact"),
    ("带动投资十几亿元。", "十几亿元", 1e9, None, "CNY", None, "more_than"),
    ("吸引数十亿元社会资本。", "数十亿元", 1e9, None, "CNY", None, "more_than"),
    ("是计划任务的6.2倍。", "6.2倍", 6.2, None, "count", "倍", "exact"),
    ("营收增长1倍多。", "1倍多", 1, None, "count", "倍", "more_than"),
    ("钢产量增长二点一倍。", "二点一倍", 2.1, None, "count", "倍", "exact"),
    ("中欧班列开行超1.1万列。", "1.1万列", 11000, None, "count", "列", "more_than"),
    ("粮食总产达到557亿斤。", "557亿斤", 5.57e10, None, "count", "斤", "exact"),
    ("入市试点成交87宗。", "87宗", 87, None, "count", "宗", "exact"),
    ("新缔结3对国际友城。", "3对", 3, None, "count", "对", "exact"),
    ("智能算力达1.6万P。", "1.6万P", 16000, None, "count", "P", "exact"),
    ("算力规模达到10EFlops。", "10EFlops", 10, None, "count", "EFlops", "exact"),
    ("运动员取得1金1银。", "1金", 1, None, "count", "金", "exact"),
    ("6100万湖北人民备受鼓舞。", "6100万", 6.1e7, None, "count", "人民", "exact"),
    ("面向全省两百多万高校师生推进创新创业。", "两百多万", 2e6, None, "count", "高校师生", "more_than"),
    ("搭建科创、金融等4大功能类平台。", "4大", 4, None, "count", "功能类平台", "exact"),
])
def test_units_counters_ranges_multiples(text, span, value, value_max, unit, counter, approx):
    st = one(text, span)
    assert st.value == pytest.approx(value, rel=1e-12)
    assert (st.value_max is None) == (value_max is None) and (value_max is None or st.value_max == pytest.approx(value_max))
    assert (st.unit, st.counter, st.approx) == (unit, counter, approx)


@pytest.mark.parametrize("text,span,value,approx", [
    ("集装箱吞吐量居长江中上游港口首位。", "首位", 1, "exact"),
    ("降幅居全国前5位。", "前5位", 5, "less_than"),
    ("3家企业进入世界500强。", "500强", 500, "less_than"),
])
def test_rank_words(text, span, value, approx):
    st = one(text, span)
    assert (st.unit, st.value, st.approx) == ("rank", value, approx)


@pytest.mark.parametrize("text", [
    "培育千亿级产业集群。", "千万不要忘记。", "打造3大五千亿级支柱产业群。", "建设5G基站。",
    "由8300万增加到1亿。",
])
def test_magnitude_words_that_are_not_counts(text):
    _, sts = stats(text)
    assert not [s for s in sts if s.unit == "count" and s.counter and len(s.counter) > 1 and "级" in text], sts
    if text.startswith("千万"):
        assert not sts


def test_chinese_numeral_years_and_ranges():
    st = one("报告\n一九五四年，钢产量达到一百二十二万吨。", "一百二十二万吨")
    assert st.year == 1954 and st.value == 1.22e6
    st = one("报告\n一九七八年到一九八二年，医院床位增加二十万张。", "二十万张")
    assert (st.year, st.year_start) == (1982, 1978)


def test_base_year_is_kept_apart():
    st = one("2024年报告\n一、2023年工作回顾\n成都市第二产业增加值相比2020年增加17.58%。", "17.58%")
    assert st.base_year == 2020 and st.year == 2023 and st.direction == "up"
    assert "2020" not in (st.metric or "") and "相比" not in (st.metric or "")
    st = one("2025年报告\n一、2024年工作回顾\n工业增加值比上年增长5.8%。", "5.8%")
    assert (st.year, st.base_year) == (2024, 2023)


def test_reference_year_from_the_document_date():
    doc = make_doc("某市工作报告\n去年，全市新增就业5万人。\n今年力争新增就业6万人。")
    doc.year, doc.date = 2025, "2025-01-16"
    annotate_statistics(doc)
    got = {s.span: s.year for s in doc.statistics}
    assert got == {"5万人": 2024, "6万人": 2025}


def test_report_parts_without_year_headings():
    """A report whose part headings name no year (一、牢记殷殷嘱托…): the part's own text decides."""
    text = ("2025年福州市政府工作报告\n一、牢记殷殷嘱托，奋力开创新局面\n过去一年，我们攻坚克难。"
            "全市地区生产总值增长5.5%。一年来，新增市场主体12万户。\n"
            "二、牢记历史使命，在现代化建设中奋勇争先\n今年是十四五收官之年。今年要抓好以下工作。"
            "全市地区生产总值增长5%左右。新增城镇就业8万人。\n三、全面加强政府自身建设\n严控一般性支出，压减3%。")
    doc, sts = stats(text)
    got = {s.span: (s.year, s.modality) for s in sts}
    assert got["5.5%"] == (2024, "actual") and got["12万户"] == (2024, "actual")
    assert got["5%"] == (2025, "target") and got["8万人"] == (2025, "target")
    assert got["3%"][0] == 2025  # the part after the tasks inherits their year


def test_report_parts_named_without_numbering():
    doc, sts = stats("2025年西藏政府工作报告\n2024年工作回顾\n全区生产总值增长6.3%。\n2025年工作安排\n全区生产总值增长7%左右。")
    got = {s.span: (s.year, s.modality) for s in sts}
    assert got == {"6.3%": (2024, "actual"), "7%": (2025, "target")}


def test_national_documents_resolve_country_words():
    doc, sts = stats("2025年中华人民共和国国务院政府工作报告\n一、2024年工作回顾\n全国粮食产量1.4万亿斤。\n"
                     "我国经济总量增长5%。")
    got = {s.span: (s.subject, s.subject_text) for s in sts}
    assert got["1.4万亿斤"] == ("中国", "全国") and got["5%"] == ("中国", "我国")
    # in a provincial report 全国 only scopes a rank
    st = one("2025年湖北省政府工作报告\n一、2024年工作回顾\n货邮吞吐量跃居全国第5。", "第5")
    assert st.subject == "湖北省"


def test_funds_obtained_are_a_fact():
    doc, sts = stats("文件\n争取到中央资金120亿元。\n争取新增就业5万人。")
    assert {s.span: s.modality for s in sts} == {"120亿元": "actual", "5万人": "target"}


def test_horizons_and_streaks():
    st = one("2025年报告\n二、2025年工作安排\n用3—5年时间，培养引进10名战略科学家。", "10名")
    assert (st.year, st.year_start) == (None, 2025)
    st = one("2025年报告\n一、2024年工作回顾\n粮食连续12年稳定在500亿斤以上。", "500亿斤")
    assert (st.year, st.year_start, st.approx) == (2024, 2013, "more_than")


def test_document_year_wins_over_the_title():
    doc = Document("d", "d.txt", "txt", "0" * 64, text="报告\n去年增长5%。")
    doc.year = 2020
    from pipeline.statistics import document_context
    assert document_context(doc)["year"] == 2020


def test_table_units_in_row_headers_and_merged_cells():
    """004 Table 1: the unit sits in the row header (亿元), the metric is the row header naming a quantity,
    the year the column header, the subject the region row header; blank merged cells inherit."""
    text = ("表 1. 2020~2023 年成都市、重庆市产业增加值\n"
            "\t\t2020\t2023\n"
            "第一产增加值 (亿元)\t成都\t655.2\t594.9\n"
            "\t重庆\t1803.33\t2074.68\n")
    doc = make_doc(text)
    doc.tables[0].header_cols = 2
    annotate_statistics(doc)
    got = {(s.cell_row, s.cell_col): s for s in doc.statistics if s.source == "table"}
    a, b = got[(1, 2)], got[(2, 3)]
    assert (a.value, a.unit, a.year, a.subject, a.metric) == (6.552e10, "CNY", 2020, "成都市", "第一产增加值")
    assert (b.value, b.unit, b.year, b.subject, b.metric) == (2.07468e11, "CNY", 2023, "重庆市", "第一产增加值")
    from pipeline.statistics import statistic_record
    assert statistic_record(doc, b)["row"] == "第一产增加值 (亿元) / 重庆"


def test_table_unit_from_a_note_beside_the_table():
    text = "表 2 各市产值\n单位：万元\n地区\t产值\n西安\t12.5\n"
    doc = make_doc(text)
    t = doc.tables[0]
    t.start, t.end = text.index("地区"), len(text)
    annotate_statistics(doc)
    st = [s for s in doc.statistics if s.source == "table"][0]
    assert (st.value, st.unit, st.subject) == (125000, "CNY", "西安市")


def test_metric_lexicon_learning_keeps_names_not_fragments():
    from pipeline.devtools.build_stats_lexicon import learn_metric_lexicon
    obs = [(f"d{i}", w, False) for i in range(4) for w in ("地区生产总值", "全省地区生产总值", "工业增加值", "农业增加值",
                                                          "服务业增加值", "总投资")]
    names = {r[0] for r in learn_metric_lexicon(obs)}
    assert {"地区生产总值", "总投资"} <= names
    assert "区生产总值" not in names and "生产总值" not in names  # always preceded by the same word


def test_shipped_metric_lexicon_is_loaded():
    from pipeline.statistics import load_lexicon
    lex = load_lexicon()
    assert len(lex.metric_names) > 200 and "地区生产总值" in lex.metric_names


def test_paper_metrics_take_the_sentence_topic():
    doc, sts = stats("成渝地区汽车产业研究\n重庆装备制造业已形成多个特色产业集群,有规上企业1100多家,从业人员为18万人。\n"
                     "在汽车设计研发领域,两地相关人才占比总和仅为 8.28%。\n成渝地区的汽车产量呈现逐年增长态势。"
                     "2021年与2022年的增速较为显著,分别为20.04%和16.68%。")
    got = {s.span: s.metric for s in sts}
    assert got["1100多家"] == "装备制造业规上企业" and got["18万人"] == "装备制造业从业人员"
    assert got["8.28%"].startswith("汽车设计研发领域相关人才占比")
    assert got["20.04%"] == "汽车产量增速"


def test_totals_take_the_previous_figure_name():
    st = one("报告\n新建续建亿元以上项目1.57万个、总投资10.8万亿元。", "10.8万亿元")
    assert st.metric == "新建续建亿元以上项目总投资"


@pytest.mark.parametrize("text,span,subject", [
    ("2025年陕西省政府工作报告\n50万吨甲醇制乙醇项目建成投产。", "50万吨", "甲醇制乙醇项目"),
    ("2025年陕西省政府工作报告\n年产38.8亿方的延安气田增产项目全面投产。", "38.8亿方", "延安气田增产项目"),
    ("2025年陕西省政府工作报告\n提升电力调储能力，建成榆能西南70万千瓦热电项目，外送电量1000亿千瓦时。", "70万千瓦",
     "榆能西南热电项目"),
    ("2025年湖北省政府工作报告\n全省2957个重大产业项目集中开工。", "2957个", "湖北省"),  # projects counted
    ("2025年江苏省政府工作报告\n港口30万吨级航道改扩建工程开工。", "30万吨", "江苏省"),  # a class, not a name
])
def test_projects_as_subjects(text, span, subject):
    assert one(text, span).subject == subject


def _en(text: str, year=None):
    from pipeline.document import Sentence
    from pipeline.statistics import extract_sentence_statistics

    doc = Document("e", "e.txt", "txt", "0" * 64, text=text, lang="en")
    doc.year = year
    return extract_sentence_statistics(doc, Sentence(0, len(text), text, "body", "en", None, [], 0))


def test_english_words_ranges_time_units_cents_bps_and_bounds():
    sts = {s.span: s for s in _en("Under section 1204 penalties range up to a $500,000 fine or up to five years "
                                  "imprisonment; the material is restored in 10-14 business days.")}
    assert (sts["$500,000"].approx, sts["$500,000"].subject) == ("less_than", "section 1204")
    assert (sts["five years"].value, sts["five years"].counter, sts["five years"].approx) == (5, "years", "less_than")
    r = sts["10-14 business days"]
    assert (r.value, r.value_max, r.counter) == (10, 14, "business days")
    got = {s.span: (s.value, s.unit) for s in _en("Rates rose 25 basis points, or 50 cents a share; two-thirds of "
                                                  "firms cut jobs and output grew 10 times.")}
    assert got["25 basis points"] == (0.25, "percentage_point") and got["50 cents"] == (0.5, "USD")
    assert got["two-thirds"][1] == "percent" and round(got["two-thirds"][0], 2) == 66.67
    assert got["10 times"] == (10, "count")
    got = {s.span: (s.value, s.value_max) for s in _en("Crime fell by 5 to 9 percent.")}
    assert got == {"5 to 9 percent": (5, 9)}
    got = {s.span: (s.value, s.value_max) for s in _en("The change is between 6 and 20 percent.")}
    assert got == {"6 and 20 percent": (6, 20)}


def test_english_open_counters_and_what_is_not_a_figure():
    got = {s.span: s.counter for s in _en("The accident caused 189 fatalities and grounded 12 airplanes.")}
    assert got == {"189 fatalities": "fatalities", "12 airplanes": "airplanes"}
    for text in ("The DMCA is divided into five titles.", "Three major industrial clusters were formed.",
                 "We evaluate 3 models on 2 datasets.", "Nominee $2(PER) must be confirmed by $1(ORG).",
                 "See www.example.com/2019/5 for details.", "In the second half of 2023 prices fell.",
                 "We write variable names ($1, $2, ...) for its columns."):
        assert not _en(text), text


def test_english_subjects_and_periods():
    assert _en("Households increased savings by 5% in 2020.")[0].subject == "households"
    assert _en("U.S. firms cut investment by 3 percent.")[0].subject == "United States"
    assert _en("China's exports rose 20% last year.", 2024)[0].subject == "中国"
    assert _en("The Copyright Office must report to Congress within six months.")[0].subject == "Copyright Office"
    assert _en("500 firms in 12 countries were studied.")[1].subject is None
    st = _en("Output grew 4% a year in the past five years.", 2025)[0]
    assert (st.year, st.year_start) == (2024, 2020)


def test_glossary_notes_are_not_figures():
    doc, sts = stats("2025年云南省政府工作报告\n一、2024年工作回顾\n全省新增就业30万人。\n名词解释\n"
                     "3．10种有色金属：铜、铅、锌。\n9.“622”模式：农户占60%、村集体公司占20%。")
    assert [s.span for s in sts] == ["30万人"]
