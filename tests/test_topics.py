"""Topic stage: cleaning, settings, sweep, determinism, document mixes, persistence, report."""
from __future__ import annotations

import random

import pytest

from pipeline.errors import LitmineError
from pipeline.topics import (
    TopicSettings, TopicUnit, clean_tokens, fit_topics, k_candidates, load_model, load_stopwords, render_report,
    save_model, tomotopy_available,
)

THEMES = {
    "industry": "产业链 集群 制造业 汽车 电子信息 配套 供应链 零部件 整车 装备".split(),
    "talent": "人才 高校 培训 科研 实验室 专利 研发 工程师 院所 成果转化".split(),
    "ecology": "生态 污染 绿色 碳排放 能源 治理 长江 环保 水质 减排".split(),
}
NOISE = "的 和 在 研究 本文 发展 2021年 [3] 了 。 ， 进行".split()


def synthetic_units(n_docs: int = 6, per_doc: int = 12, seed: int = 0) -> list[TopicUnit]:
    """Paragraphs each drawn mostly from one theme, plus function words, numbers and markers."""
    rng = random.Random(seed)
    names = sorted(THEMES)
    units = []
    for d in range(n_docs):
        for p in range(per_doc):
            theme = names[(d + p) % len(names)] if p % 4 else names[d % len(names)]
            words = [rng.choice(THEMES[theme]) for _ in range(12)]
            words += [rng.choice(THEMES[rng.choice(names)]) for _ in range(2)]
            words += [rng.choice(NOISE) for _ in range(5)]
            rng.shuffle(words)
            units.append(TopicUnit(f"d{d}:p{p}", f"d{d}", "zh", words))
    # An English paragraph in the same stream must be ignored by the zh model.
    units.append(TopicUnit("d0:en", "d0", "en", ["industrial", "cluster", "chongqing"]))
    return units


def stream(units):
    return lambda: iter(units)


FAST = dict(k_range=(2, 3, 4), seeds=(1, 2), coherence=("c_v", "u_mass"))


@pytest.fixture(scope="module")
def units():
    return synthetic_units()


@pytest.fixture(scope="module")
def swept(units):
    return fit_topics(stream(units), "zh", TopicSettings(**FAST))


# --- cleaning ---------------------------------------------------------------------------------

def test_clean_tokens_drops_non_topical_tokens():
    sw = load_stopwords("zh")
    toks = ["成渝地区", "的", "2021年", "15.6%", "[12]", "[3-5]", "①", "¹", "，", "研究", "本文", "产",
            "https://doi.org/10.1000/x", "10.3969/j.issn", "第三", "一是", "ＧＤＰ", "5G", "产业集群", " ", "亿元"]
    assert clean_tokens(toks, "zh", sw) == ["成渝地区", "gdp", "5g", "产业集群", "亿元"]


def test_clean_tokens_english_lemmas():
    sw = load_stopwords("en")
    toks = ["the", "firm", "'s", "supply", "chain", "in", "2019", "(", "et", "al", ".", "a", "cluster", "we"]
    assert clean_tokens(toks, "en", sw) == ["firm", "supply", "chain", "cluster"]


def test_stopword_files_are_editable_lists(tmp_path):
    (tmp_path / "zh.txt").write_text("# comment\n集群  # inline comment\n\n", "utf-8")
    assert load_stopwords("zh", tmp_path) == frozenset({"集群"})
    assert load_stopwords("en", tmp_path) == frozenset()  # missing file: no stopwords
    assert "本文" in load_stopwords("zh") and "the" in load_stopwords("en")


# --- settings ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    {"engine": "bertopic"}, {"k": 1}, {"k": 2.5}, {"k_range": ()}, {"k_range": (1, 3)}, {"k_range": (3, 3)},
    {"seeds": ()}, {"seeds": (-1,)}, {"unit": "page"}, {"subsample": 1.0}, {"no_above": 0},
    {"coherence": ("c_uci",)}, {"passes": 0}, {"topn": 10, "n_terms": 5}, {"stopwords_dir": "/nonexistent"},
])
def test_settings_validation(kwargs):
    with pytest.raises(LitmineError) as e:
        TopicSettings(**kwargs)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith("invalid setting ")


def test_tomotopy_engine_needs_the_extra():
    if tomotopy_available():
        assert TopicSettings(engine="tomotopy").engine == "tomotopy"
    else:
        with pytest.raises(LitmineError, match="tomotopy is not installed"):
            TopicSettings(engine="tomotopy")


def test_no_units_of_the_language(units):
    with pytest.raises(LitmineError, match="too little 'en' text|no 'en' units"):
        fit_topics(stream(units), "en", TopicSettings(**FAST))


# --- sweep ------------------------------------------------------------------------------------

def test_sweep_picks_k_and_records_coherence(swept):
    ks = {r["k"] for r in swept.sweep}
    assert ks == {2, 3, 4}
    assert len(swept.sweep) == 3 * 2  # every K x seed
    kept = [r for r in swept.sweep if r["seed"] == swept.sweep[0]["seed"]]
    assert len(kept) == 3  # one full-data model per K: it carries coherence and the K's mean stability
    for row in kept:
        assert 0.0 < row["c_v"] <= 1.0 and row["u_mass"] <= 0.0
        assert row["stability"] is not None and 0.0 <= row["stability"] <= 1.0
    for row in swept.sweep:
        assert row["engine"] == "nmf" and row["seconds"] >= 0
    assert swept.chosen_k in ks and len(swept.topics) == swept.chosen_k
    assert swept.reason.startswith(f"K={swept.chosen_k}") and "c_v" in swept.reason
    assert swept.chosen_k == 3  # the three planted themes


def test_topics_recover_planted_themes(swept):
    tops = [{w for w, _ in t.terms[:6]} for t in swept.topics]
    for words in THEMES.values():
        assert max(len(set(words) & top) for top in tops) >= 5
    assert all(t.label and len(t.label) < 40 for t in swept.topics)
    assert abs(sum(t.prevalence for t in swept.topics) - 1.0) < 1e-6


def test_every_unit_and_document_gets_topics(units, swept):
    zh_units = [u for u in units if u.lang == "zh"]
    assert set(swept.unit_topics) == {u.unit_id for u in zh_units}
    for tid, share in swept.unit_topics.values():
        assert 0 <= tid < swept.chosen_k and 0.0 < share <= 1.0
    assert set(swept.doc_topics) == {u.doc_id for u in zh_units}
    for mix in swept.doc_topics.values():
        assert [t for t, _ in mix] == list(range(swept.chosen_k))
        assert abs(sum(w for _, w in mix) - 1.0) < 1e-6


def test_empty_units_are_unassigned():
    us = synthetic_units(n_docs=3) + [TopicUnit("d0:doi", "d0", "zh", ["DOI", ":", "10.1234", "。"])]
    res = fit_topics(stream(us), "zh", TopicSettings(k=3))
    assert res.unit_topics["d0:doi"] == (-1, 0.0)


def test_small_corpus_gets_fewer_topics():
    ks, note = k_candidates(TopicSettings(), n_units=12, n_terms=200)
    assert ks == [2] and "reduced" in note
    ks, _ = k_candidates(TopicSettings(), n_units=150, n_terms=600)
    assert max(ks) <= 12
    ks, note = k_candidates(TopicSettings(k=20), n_units=40, n_terms=300)
    assert ks == [4] and "k=20 reduced to 4" in note


# --- reproducibility and persistence ----------------------------------------------------------

def test_same_input_same_topics_and_bytes(units, swept, tmp_path):
    again = fit_topics(stream(units), "zh", TopicSettings(**FAST))
    assert again.topics == swept.topics
    assert again.unit_topics == swept.unit_topics and again.doc_topics == swept.doc_topics
    assert again.corpus_hash == swept.corpus_hash and again.reason == swept.reason
    save_model(swept, tmp_path / "a")
    save_model(again, tmp_path / "b")
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert {"config.json", "topics.json", "sweep.tsv", "dictionary.tsv", "unit_topics.tsv", "doc_topics.tsv"} <= set(files)
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_corpus_hash_follows_the_units(units, swept):
    changed = list(units)
    changed[0] = TopicUnit(changed[0].unit_id, changed[0].doc_id, "zh", changed[0].tokens + ["长江"])
    res = fit_topics(stream(changed), "zh", TopicSettings(k=3, seeds=(1,)))
    assert res.corpus_hash != swept.corpus_hash


def test_save_load_roundtrip(swept, tmp_path):
    save_model(swept, tmp_path / "zh")
    back = load_model(tmp_path / "zh")
    assert back.chosen_k == swept.chosen_k and back.reason == swept.reason and back.engine == "nmf"
    assert back.corpus_hash == swept.corpus_hash
    assert [t.label for t in back.topics] == [t.label for t in swept.topics]
    assert [w for w, _ in back.topics[0].terms] == [w for w, _ in swept.topics[0].terms]
    assert {u: t for u, (t, _) in back.unit_topics.items()} == {u: t for u, (t, _) in swept.unit_topics.items()}
    assert [r["k"] for r in back.sweep] == [r["k"] for r in swept.sweep]
    assert back.state["topic_term"].shape == (swept.chosen_k, len(back.state["vocab"]))
    with pytest.raises(LitmineError):
        load_model(tmp_path / "missing")


def test_lda_engine_same_contract(units):
    s = TopicSettings(engine="lda", k=3, seeds=(7,), passes=5, iterations=50)
    a = fit_topics(stream(units), "zh", s)
    b = fit_topics(stream(units), "zh", s)
    assert a.topics == b.topics and a.unit_topics == b.unit_topics
    assert a.sweep[0]["engine"] == "lda" and len(a.topics) == 3
    for mix in a.doc_topics.values():
        assert abs(sum(w for _, w in mix) - 1.0) < 1e-6


# --- report -----------------------------------------------------------------------------------

def test_report_contains_chinese_terms(swept, tmp_path):
    out = tmp_path / "report" / "topics.html"
    render_report([swept], out, {"d0": "成渝地区产业协同发展的战略分析"})
    html = out.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'charset="utf-8"' in html
    assert "成渝地区产业协同发展的战略分析" in html
    for t in swept.topics:
        assert t.terms[0][0] in html
    # charts are matplotlib SVGs embedded as data URIs (topics/report.py); nothing is fetched
    assert "data:image/svg+xml;base64," in html and "<script" not in html and "http://" not in html
