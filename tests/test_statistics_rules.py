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
