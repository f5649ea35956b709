"""Sentence splitting and tokens: verbatim text, offsets, the guide's sentence-end rules."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS


@pytest.fixture(scope="module")
def seg():
    from pipeline.segment import Segmenter
    from pipeline.settings import DEFAULT_MODELS

    return Segmenter(DEFAULT_MODELS)


def _split(seg, text):
    return [text[s:e] for s, e in seg.split(text, 0, len(text))]


def test_chinese_sentences_end_on_full_stops_and_enumerated_semicolons(seg):
    text = "产业协作配套能力不足主要体现在:一是区域合作多局限于要素合作；二是龙头企业缺乏自主决策权。这是问题！"
    assert _split(seg, text) == ["产业协作配套能力不足主要体现在:一是区域合作多局限于要素合作；",
                                 "二是龙头企业缺乏自主决策权。", "这是问题！"]
    # a plain semicolon inside a clause does not end the sentence
    assert len(_split(seg, "完善产业链；加强协作配套，推动发展。")) == 1


def test_closing_quotes_stay_with_their_sentence(seg):
    assert _split(seg, "他说：“要加快发展。”随后离开。") == ["他说：“要加快发展。”", "随后离开。"]


def test_english_sentences_with_abbreviations_and_missing_spaces(seg):
    text = "Major enterprises should be cultivated, e.g. in the U.S. and China. Platforms need to be established."
    assert _split(seg, text) == ["Major enterprises should be cultivated, e.g. in the U.S. and China.",
                                 "Platforms need to be established."]


def test_tokens_use_the_domain_dictionary_and_lemmas(seg):
    toks = seg.tokens("成渝地区双城经济圈的新能源汽车产业集群同质化", "zh")
    assert "成渝地区双城经济圈" in toks and "新能源汽车" in toks and "同质化" in toks
    assert seg.tokens("Industrial clusters were cultivated", "en") == ["industrial", "cluster", "be", "cultivate"]
    # search tokens also carry the sub-words of long words
    assert {"产业", "产业链"} <= set(seg.search_tokens("强化产业链协作", "zh"))


def test_full_width_text_is_normalised_for_tokens_only(seg, tmp_path, processor):
    p = tmp_path / "fw.txt"
    p.write_text("标题\n\n研发投入占ＧＤＰ比例约为３％。\n", encoding="utf-8")
    doc = processor.process(p)
    s = next(s for s in doc.sentences if s.kind == "body")
    assert s.text == "研发投入占ＧＤＰ比例约为３％。"  # stored verbatim
    assert "gdp" in s.tokens or "GDP" in s.tokens


def test_every_sentence_is_a_verbatim_slice_of_the_document(processor):
    for path in sorted(Path(CORPUS).glob("*.txt")):
        doc = processor.process(path)
        assert doc.sentences, path
        for s in doc.sentences:
            assert doc.text[s.start:s.end] == s.text
            assert s.text == s.text.strip()
            assert s.lang in ("zh", "en", "mixed")


@pytest.mark.parametrize("text,want", [
    ("This was shown by Smith et al., 2019 and by Lee et al. (2020) in the U.S. market. It holds.",
     ["This was shown by Smith et al., 2019 and by Lee et al. (2020) in the U.S. market.", "It holds."]),
    ("See Fig. 3 and Sec. 4.2 for details. The value is 3.5 percent.",
     ["See Fig. 3 and Sec. 4.2 for details.", "The value is 3.5 percent."]),
    ("Docket No. FAA-2020-0686 was opened. J. R. Smith wrote it, i.e. the memo.",
     ["Docket No. FAA-2020-0686 was opened.", "J. R. Smith wrote it, i.e. the memo."]),
    ("The U.S. Department of Labor agreed. The U.S. It did not.",
     ["The U.S. Department of Labor agreed.", "The U.S.", "It did not."]),
    ("As shown by Lee et al. The method fails.", ["As shown by Lee et al.", "The method fails."]),
    ("Making devices is prohibited. (Section 1201(e)). Other acts are allowed.",
     ["Making devices is prohibited. (Section 1201(e)).", "Other acts are allowed."]),
    ("It is done.[12] Next we go. “Quoted.” Then more!", ["It is done.[12]", "Next we go.", "“Quoted.”", "Then more!"]),
])
def test_english_sentence_ends(seg, text, want):
    assert _split(seg, text) == want


def test_english_rules_are_data_checked_when_loaded(tmp_path):
    from pipeline.errors import LitmineError
    from pipeline.segment.english import EnglishRules

    (tmp_path / "segment").mkdir()
    (tmp_path / "segment" / "en_abbreviations.tsv").write_text("never\tfig\nsometimes\tal\n", encoding="utf-8")
    (tmp_path / "segment" / "en_sentence_openers.txt").write_text("the\n", encoding="utf-8")
    with pytest.raises(LitmineError, match="line 2"):
        EnglishRules.load(tmp_path)


def test_fragment_measure_definitions():
    from pipeline.segment.quality import en_fragment_reasons, zh_unterminated

    assert zh_unterminated("使得大多数中国人的收") and not zh_unterminated("从而导致生活满意度下降（Easterlin，2009）。")
    assert not zh_unterminated("主要包括：") and not zh_unterminated("一是区域合作多局限于要素合作；")
    assert en_fragment_reasons("recorders, as summarized in reports of the accident.") == ["lowercase start"]
    assert en_fragment_reasons("The FAA proposes to") == ["no end punctuation"]
    assert en_fragment_reasons("(NPRM).") == ["under 4 words"]
    assert en_fragment_reasons("The Digital Millennium Copyright Act was signed into law.") == []
    # list items: lower case, short and ";"/", and" endings are normal after a lead-in or a bullet
    assert en_fragment_reasons("they are marketed for use in circumventing; or", item=True) == []
    assert en_fragment_reasons("• Validating and checking firmware") == []
