"""The metric of a Chinese figure: the short name of what it measures."""
from __future__ import annotations

import re
from typing import Optional

from ..context import YearExpr
from ..core import Figure
from ..lexicon import Lexicon
from .clauses import ENUM_VERBS, clause_bounds, clause_bounds_fig, fig_index_after
from .subject import Mention

_AFTER_STOPS = ("启动", "获得", "荣获", "获", "入选", "落地", "建成", "开工", "投运", "投产", "纳入",
                "达到", "达", "实现", "增长", "下降", "的", "，", "、", "(", "（")


def _strip_words(s: str, prefixes: list[str], suffixes: list[str]) -> str:
    changed = True
    while changed and s:
        changed = False
        s2 = s.strip(" \u3000,，、;；:：“”\"'()（）\x00")
        if s2 != s:
            s, changed = s2, True
        for p in prefixes:
            if s.startswith(p) and len(s) > len(p):
                s, changed = s[len(p):], True
                break
        for q in suffixes:
            if s.endswith(q) and len(s) > len(q):
                s, changed = s[: -len(q)], True
                break
    return s


def metric_of(text: str, fig: Figure, figs: list[Figure], mentions: list[Mention], years: list[YearExpr],
            direction: Optional[str], lex: Lexicon, done: list[tuple[Figure, str]]) -> tuple[str, Optional[str]]:
    """(base, metric): the quantity a figure measures, from the words before it in its clause (or the
    noun after its counter: 创建503个省级示范村). `done` holds (figure, base) of the sentence's earlier
    figures: a figure only compared with another place (远低于上海的 22.97%) takes its neighbour's."""
    a, b = clause_bounds_fig(text, fig)
    drop = [(y.start, y.end) for y in years] + [(m.start, m.end) for m in mentions if m.deictic != "denominator"]
    others = [(f.ext_start, f.ext_end) for f in figs if f is not fig]
    chars = []
    for i in range(a, fig.ext_start):
        if any(s0 <= i < e0 for s0, e0 in others):
            chars.append("\x00")
        elif not any(s0 <= i < e0 for s0, e0 in drop):
            chars.append(text[i])
    seg = re.sub("\x00+", "\x00", "".join(chars))
    dir_cues = lex.cue("up") + lex.cue("down") + lex.cue("level")
    pre, suf = lex.metric.get("strip_prefix", []), lex.metric.get("strip_suffix", [])
    heads = lex.metric.get("head", [])
    compare = lex.cue("compare_word")

    def clean(t: str) -> str:
        t = _strip_words(t, pre, suf)
        for c in dir_cues:
            if t.endswith(c) and len(t) > len(c):
                t = t[: -len(c)]
                break
        t = _strip_words(t, pre, suf)
        if t.count("（") > t.count("）"):
            t += "）"
        if t.count("(") > t.count(")"):
            t += ")"
        return t

    def bare(t: str) -> bool:
        t = clean(t)
        for w in compare + lex.cue("filler") + dir_cues + ["和", "及", "与", "、", "的", "(", "（"]:
            t = t.replace(w, "")
        return not t.strip(" \x00")

    pieces = seg.split("\x00")
    k = len(pieces) - 1
    cur = pieces[k]
    # "地区生产总值35538亿元、增长5.3%": only a verb before this figure → the name shared with the last one
    while bare(cur) and k > 0 and not (fig.unit == "count" and _after_noun(text, fig, b)):
        k -= 1
        cur = pieces[k]
    base = clean(cur) if not bare(cur) else ""
    # distributive lists: 太阳能电池、集成电路圆片产量分别增长57.2%、36.7%
    k0 = text.find("分别", a, fig.start)
    if k0 >= 0:
        lead = "".join(ch for i, ch in enumerate(text[a:k0], a)
                       if not any(s0 <= i < e0 for s0, e0 in drop + others))
        items = [clean(i) for i in re.split(r"[、和及与]", clean(lead)) if clean(i)]
        idx = fig_index_after(text, figs, fig, k0)
        if len(items) >= 2 and 0 <= idx < len(items):
            head = next((h for h in heads if items[-1].endswith(h) and len(items[-1]) > len(h)), "")
            item = items[idx]
            if head and not any(item.endswith(h) for h in heads):
                item += head
            base = item
    # 新增广翼智能、陕硬航空等科技成果转化企业: drop the examples, keep the verb and the noun
    if "等" in base:
        verb = next((v for v in ENUM_VERBS if base.startswith(v)), "")
        base = verb + base.rsplit("等", 1)[1].lstrip("一批")
    # 创建503个省级示范村 / 45家整车企业和1600多家配套企业: the noun after the counter
    after = _after_noun(text, fig, b)
    if after and fig.kind == "rank" and text[fig.end - 1] == "大":
        base = after  # 第四大电子信息产业聚集地
    elif after and fig.unit == "count" and "\x00" not in seg[len(seg.rstrip()) - 1:] and k == len(pieces) - 1:
        base = base + after  # 靶向攻关100项关键核心技术 → 靶向攻关关键核心技术
    # 仅占广东省的 8.7% / 占全国总量的 5.75%: a share of something, named after the previous figure
    m_share = re.match(r"^(仅|约)?占(.+)$", base)
    if m_share and done:
        prev = next((m for f, m in reversed(done) if m), "")
        base = _strip_rate(prev) + "占" + m_share.group(2) + "比重"
    # 在汽车设计研发领域,重庆和成都分别排名…: the topic clause before names the field
    if not base and not done:
        ca, _ = clause_bounds(text, max(0, a - 2)) if a > 1 else (0, 0)
        topic = text[ca:a - 1] if a > 1 else ""
        mt = re.match(r"^\s*(在|从|就)(.{2,20}?)(领域|方面|行业|产业)?\s*$", topic)
        if mt:
            base = mt.group(2) + (mt.group(3) or "")
    # 其中对中亚五国增长48.1%: a qualifier of the previous figure's metric
    if base[:1] in ("对", "向") and done:
        prev = next((m for f, m in reversed(done) if f.unit == fig.unit and m), "")
        base = base + _strip_rate(prev)
    if not base and done:
        base = next((m for f, m in reversed(done) if f.unit == fig.unit and f.kind == fig.kind and m), "")
    if not base:
        return "", None
    metric = base
    if fig.kind == "rank" and "排名" not in metric:
        metric = re.sub(r"(全国|全省|全球|世界|国内|中国)$", "", metric) or metric
        scope = re.search(r"(全国|全省|全球|世界|国内|中国)\s*$", text[max(0, fig.start - 4):fig.start])
        metric += ("全国" if scope and scope.group(1) in ("全国", "国内", "中国") else scope.group(1) if scope else "") + "排名"
    if fig.unit == "percent" and direction == "up" and not re.search(r"(增速|增幅|增长率|涨幅)$", metric):
        metric += "增速"
    elif fig.unit == "percent" and direction == "down" and not re.search(r"(降幅|下降率)$", metric):
        metric += "降幅"
    return base, metric[:40]


def _strip_rate(m: str) -> str:
    return re.sub(r"(增速|降幅|排名)$", "", m)


def _after_noun(text: str, fig: Figure, clause_end: int) -> str:
    """The noun right after a figure's counter, up to a verb or separator ("" when none)."""
    after = text[fig.ext_end:clause_end]
    if not after or not re.match(r"[\u4e00-\u9fff“]", after):
        return ""
    cut = len(after)
    for s_ in _AFTER_STOPS:
        i = after.find(s_)
        if 0 <= i < cut:
            cut = i
    m = re.search(r"[和及与][0-9０-９一二三四五六七八九十两]", after[:cut])
    if m:
        cut = m.start()  # 45家整车企业和1600多家配套企业: the next figure's noun is not ours
    noun = after[:cut].strip()
    return noun if len(noun) >= 2 else ""

