"""The metric of a Chinese figure: the short name of what it measures."""
from __future__ import annotations

import re
from typing import Optional

from ..context import YearExpr
from ..core import Figure
from ..lexicon import Lexicon
from .clauses import ENUM_VERBS, clause_bounds, clause_bounds_fig, fig_index_after
from .subject import Mention

_STREAK_RE = re.compile(r"连续\s*(?:[0-9]+|[一二两三四五六七八九十]+)\s*年")
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


def _clean(t: str, lex: Lexicon) -> str:
    """A metric phrase without its cue words (增长, 达到, 转变为), fillers and stray punctuation."""
    dir_cues = lex.cue("up") + lex.cue("down") + lex.cue("level")
    pre, suf = lex.metric.get("strip_prefix", []), lex.metric.get("strip_suffix", [])
    for _ in range(2):  # a cue may hide behind a stripped word (转变为 / 为) or the other way round
        t = t.strip(" \u3000")
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


def _bare(t: str, lex: Lexicon) -> bool:
    """Only verbs, cues and fillers (增长 / 转变为): no name of its own."""
    fillers = lex.en_cache.get("zh_fillers")
    if fillers is None:
        fillers = lex.en_cache["zh_fillers"] = sorted(
            lex.cue("compare_word") + lex.cue("filler") + lex.cue("up") + lex.cue("down") + lex.cue("level")
            + ["和", "及", "与", "、", "的", "(", "（"], key=len, reverse=True)

    def drop(x: str) -> str:
        for w in fillers:
            x = x.replace(w, "")
        return x.strip(" \u3000\x00")
    return not drop(_clean(t, lex)) or not _clean(drop(t), lex)


def metric_words(text: str, fig: Figure, figs: list[Figure], mentions: list[Mention], years: list[YearExpr]
                 ) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    """The words of a figure's clause before it, other figures as \\x00 and years/regions dropped;
    with the dropped and the other figures' spans."""
    a, _ = clause_bounds_fig(text, fig)
    drop = [(y.start, y.end) for y in years] + [(m.start, m.end) for m in mentions if m.deictic != "denominator"]
    drop += [m.span() for m in _STREAK_RE.finditer(text)]
    others = [(f.ext_start, f.ext_end) for f in figs if f is not fig]
    chars = []
    for i in range(a, fig.ext_start):
        if any(s0 <= i < e0 for s0, e0 in others):
            chars.append("\x00")
        elif not any(s0 <= i < e0 for s0, e0 in drop):
            chars.append(text[i])
    return re.sub("\x00+", "\x00", "".join(chars)), drop, others


def own_words(text: str, fig: Figure, figs: list[Figure], mentions: list[Mention], years: list[YearExpr],
              lex: Lexicon) -> str:
    """The name a figure's own words give it (地区生产总值 in 全省地区生产总值增长5.8%), "" when only a
    verb stands before it (、增长5.3%). What the metric lexicon is learned from."""
    seg, _, _ = metric_words(text, fig, figs, mentions, years)
    cur = seg.split("\x00")[-1]
    return "" if _bare(cur, lex) else _clean(cur, lex)


def metric_of(text: str, fig: Figure, figs: list[Figure], mentions: list[Mention], years: list[YearExpr],
              direction: Optional[str], lex: Lexicon, done: list[tuple[Figure, str]],
              topic: str = "", prev_topic: str = "") -> tuple[str, Optional[str]]:
    """(base, metric): the quantity a figure measures, from the words before it in its clause (or the
    noun after its counter: 创建503个省级示范村). `done` holds (figure, base) of the sentence's earlier
    figures: a figure only compared with another place (远低于上海的 22.97%) takes its neighbour's.
    `topic`: what a paper's sentence opens with (重庆装备制造业已形成… → 装备制造业): a short name
    (规上企业) is named after it; `prev_topic`: the quantity the text spoke of last (汽车产量): a bare
    head (增速, 占比, 相关人才占比) is named after it."""
    a, b = clause_bounds_fig(text, fig)
    seg, drop, others = metric_words(text, fig, figs, mentions, years)
    heads = lex.metric.get("head", [])

    def clean(t: str) -> str:
        return _clean(t, lex)

    def bare(t: str) -> bool:
        return _bare(t, lex)

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
        field_clause = text[ca:a - 1] if a > 1 else ""
        mt = re.match(r"^\s*(在|从|就)(.{2,20}?)(领域|方面|行业|产业)?\s*$", field_clause)
        if mt:
            base = mt.group(2) + (mt.group(3) or "")
    # 其中对中亚五国增长48.1%: a qualifier of the previous figure's metric
    if base[:1] in ("对", "向") and done:
        prev = next((m for f, m in reversed(done) if f.unit == fig.unit and m), "")
        base = base + _strip_rate(prev)
    if not base and done:
        base = next((m for f, m in reversed(done) if f.unit == fig.unit and f.kind == fig.kind and m), "")
        if not base and direction:  # 由655.2亿元转变为594.9亿元，相比2020年下降9.2%: the change of that level
            base = next((_strip_rate(m) for f, m in reversed(done) if f.kind == "quantity" and m), "")
    if not base and not done and a > 0:
        # 2021年与2022年的增速较为显著,分别为20.04%: the head named in the clause before
        prev_clause = text[clause_bounds(text, a - 1)[0]:a]
        base = next((h for h in heads if len(h) >= 2 and h in prev_clause), "")
    if base and len(base) <= 4 and base[0] == "总" and done:
        # 项目1.57万个、总投资10.8万亿元 / 地区生产总值增长5.8%，总量达到…: a total of the previous topic
        prev = next((_strip_rate(m) for f, m in reversed(done) if m), "")
        if prev and not prev.endswith(base):
            base = prev + base
    elif base and topic and (len(base) <= 4 or base in heads or base.startswith("相关")) and topic not in base:
        base = topic + base  # 规上企业 / 相关人才占比 of what the sentence is about
    elif base and prev_topic and (base in heads or base.startswith("相关")) and prev_topic not in base:
        base = prev_topic + base  # 增速 of what the text spoke of last
    if not base and fig.unit == "percent" and (m_of := re.match(r"的([^，,。；;]{2,16})", text[fig.ext_end:b])):
        base = m_of.group(1) + "比例"  # 80%的中小学纳入教联体: the share of those that do
    if fig.kind == "rank" and len(re.sub(r"(全国|全省|全球|世界|国内|中国|跃|稳|居)", "", base)) <= 1 and done:
        base = next((_strip_rate(m) for f, m in reversed(done) if m), base)  # 货邮吞吐量128万吨、跃居全国第5
    base = shorten_metric(base, lex)
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


def topic_phrase(text: str, lex: Lexicon) -> str:
    """The last quantity a sentence names with a head word (成渝地区的汽车产量在…呈现增长态势 → 汽车产量):
    the topic a following bare 增速 refers to."""
    best = ""
    for h in lex.metric.get("head", []):
        if len(h) < 2:
            continue
        for m in re.finditer(r"([\u4e00-\u9fff]{0,4}?)" + re.escape(h), text):
            lead = m.group(1)
            r = lex.region_re.search(lead)
            if r:
                lead = lead[r.end():]
            lead = re.split(r"[的是在和与及]", lead)[-1]
            if m.end() > len(best) and lead:
                best = lead + h
    return best


def shorten_metric(base: str, lex: Lexicon, longest: int = 24) -> str:
    """A name longer than `longest` characters cut to the longest learned metric name it ends with
    (亚洲唯一的专业货运机场…开通国际国内货线 keeps its tail), when that name is at least 4 characters."""
    if len(base) <= longest or not lex.metric_names:
        return base
    for k in range(min(longest, len(base) - 1), 3, -1):
        if base[-k:] in lex.metric_names:
            return base[-k:]
    return base


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

