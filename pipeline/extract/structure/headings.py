"""Headings: numbered forms in both numbering systems, section names that need no number, unnumbered
part headings found from the document's own line statistics, headings set apart by font (PDF), and
headings wrapped over two lines.

Levels are numbers whose order is all that matters (a heading closes every open heading of the same
or a deeper level): 第X编/部分 0.6 · 第X章 0.7 · 第X节 0.8 · 一、 1 · （一） 2 · 1 / 1.1 / 1.1.1 by depth
(below Chinese numbering when both occur) · (1) 5 · ① 6. Unnumbered part headings sit at 0.5, above
every numbered form, unless the document's top level is numbered: then an unnumbered line is a
sub-heading of the heading it follows (kinds.py resolves that from the open path).
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from .patterns import (ABSTRACT_RE, CAPTION_RE, FRONT_RE, KEYWORDS_RE, LICENCE_RE, REF_ENTRY_RE,
                       SALUTATION_RE, SOURCE_NOTE_RE)

_ZH_NUM = "一二三四五六七八九十百零〇"
_NUM = r"(?!\d*(?:年|月|日|万|亿|%|％|个|家|项|倍|元|辆|人))"
HEADING_PATTERNS: list[tuple[re.Pattern[str], float | None, str]] = [
    (re.compile(rf"^第[{_ZH_NUM}\d]+(?:编|部分|篇)(?:\s|[：:、]|$)"), 0.6, "part"),
    (re.compile(rf"^第[{_ZH_NUM}\d]+章(?:\s|[：:、]|$|(?=[\u4e00-\u9fff]))"), 0.7, "chapter"),
    (re.compile(rf"^第[{_ZH_NUM}\d]+节(?:\s|[：:、]|$|(?=[\u4e00-\u9fff]))"), 0.8, "section"),
    (re.compile(r"^[一二三四五六七八九十]+\s*[、.．]\s*\S"), 1, "zh1"),
    (re.compile(r"^[一二三四五六七八九十]+$"), 1, "zh1"),  # a bare numeral on its own line (older reports)
    (re.compile(r"^[（(]\s*[一二三四五六七八九十]+\s*[）)]\s*\S"), 2, "zh2"),
    (re.compile(r"^(\d{1,2}(?:[.．]\d{1,2}){0,3})" + _NUM + r"(?:[.．]?\s+(?=[A-Za-z])|[.．]?\s*(?=[\u4e00-\u9fff]))"),
     None, "arabic"),
    (re.compile(r"^[（(]\s*\d{1,2}\s*[）)]\s*(?=[^\s\d０-９:：])"), 5, "paren"),
    (re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]\s*\S"), 6, "circled"),
    # IEEE style: "I. INTRODUCTION", "IV. RESULTS"; "A. Threat Model" only under a roman heading
    (re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)\.\s+[A-Z]"), 1, "roman"),
    (re.compile(r"^[A-H]\.\s+[A-Z][a-z]"), 2, "letter"),
]

# Section names that are headings without a number (general conventions of papers and reports).
# Back matter closes every open section; the others are ordinary top-level sections.
_BACK_NAMES = (r"结束语|结语|后记|致谢|附录[\s\dA-Z一二三四五六七八九十：:]*.*|附件[\s\d一二三四五六七八九十]*|名词解释|"
               r"Acknowledge?ments?|Appendix(?:es)?(?:\s+[A-Z\d]+)?(?:[.:]\s*.*)?|Appendices|Supplementary Materials?|"
               r"Ethics Statement|Broader Impacts?(?: Statement)?|Limitations|Conclusions?|Concluding Remarks|"
               r"Conclusions? and Future Work|Future Work|Summary")
_TOP_NAMES = (r"引言|前言|导言|导论|绪论|问题的提出|文献综述|文献回顾|理论基础|研究设计|研究方法|数据与方法|数据和方法|"
              r"研究结论|结论|结论与讨论|结论与建议|结论与启示|讨论|余论|总结与展望|政策建议|对策建议|"
              r"Introduction|Background|Related Work|Prior Work|Literature Review|Preliminaries|Overview|"
              r"Methods?|Methodology|Materials and Methods|Data(?: and Methods)?|Approach|Experimental Setup|"
              r"Experiments?|Results?|Findings|Evaluation|Analysis|Discussion|Recommendations|"
              r"Policy Implications|Implications")
BACK_NAME_RE = re.compile(rf"^(?:{_BACK_NAMES})\s*$", re.I)
TOP_NAME_RE = re.compile(rf"^(?:{_TOP_NAMES})\s*$", re.I)

_ARABIC_TOP = re.compile(r"^\d{1,2}[.．、]\s*(?!\d)\S")
_CHINESE_NUM = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[）)])")
_TITLE_CASE = re.compile(r"^(?:[A-Z][\w'’\-]*[,:]?\s+(?:(?:of|and|the|in|for|on|to|a|an|with|at|by)\s+)*){3,}")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


def heading_style(text: str, hints: dict | None = None) -> tuple[float, str] | None:
    """(level, style) of a numbered or named heading line, None when the line is not one."""
    t = text.strip()
    if not t or len(t) > 60:
        return None
    # a question can be a heading ("三、谁更幸福？"), other clause-final punctuation cannot
    if t[-1] in "。；;！!，,：:" or (t[-1] in "？?" and len(t) > 30):
        return None
    if hints and hints.get("font_size") and hints.get("body_size") and not hints.get("bold") \
            and hints["font_size"] < 0.95 * hints["body_size"]:
        return None  # footnotes and table notes are set smaller than the body text
    if "。" in t[:-1]:
        return None
    if t.endswith(".") and not _CJK_CHAR.search(t) and len(t.split()) >= 2:
        return None  # "4. Information location tools.": a list item; English headings end without a stop
    # headings are words; a line of numbers and symbols ("２．显著性水平：＃p＜０．１，…") is a note
    chars = re.sub(r"\s", "", t)
    letters = len(re.findall(r"[A-Za-z\u4e00-\u9fff]", chars))
    symbols = len(re.findall(r"[^\w]|_", chars)) + len(re.findall(r"[\ue000-\uf8ff]", chars))
    if letters < 0.4 * len(chars) or symbols > 0.3 * len(chars):
        return None
    numbered = next(((pat, level, style) for pat, level, style in HEADING_PATTERNS if pat.match(t)), None)
    if hints and hints.get("md_heading") and numbered is None:
        return float(hints["md_heading"]), "markdown"  # "## Related Work": the markup marks the heading
    for pat, level, style in HEADING_PATTERNS:
        m = pat.match(t)
        if not m:
            continue
        if level is None:
            num = m.group(1).replace("．", ".")
            if re.search(r"\.0", num):
                return None  # "70.00 AIRFARE…": an amount, section numbers have no leading zeros
            return float(num.count(".") + 1), style
        return float(level), style
    if BACK_NAME_RE.match(t):
        return 0.5, "back"
    if TOP_NAME_RE.match(t):
        return 1.0, "named"
    if hints and hints.get("style", "").lower().startswith("heading"):  # a word processor's heading style
        m = re.search(r"(\d+)$", hints.get("style", ""))
        return (float(m.group(1)) if m else 2.0), "styled"
    return None


def heading_level(text: str, hints: dict | None = None) -> float | None:
    """Level of a numbered or named heading line, or None when the line is not one."""
    hs = heading_style(text, hints)
    return hs[0] if hs else None


# ---- unnumbered headings -------------------------------------------------------------------------
_END_PUNCT = "。；;！!，,：:、…—."
# "主办单位：…", "AGENCY: …": a field and its value, not a heading
_FIELD = re.compile(r"^(?:[\u4e00-\u9fff]{2,6}[：:]\s*\S|[A-Z][A-Z .]{2,40}:\s+(?![A-Z0-9 ,;'’&()\-]+$)\S)")
_LIST_MARK = re.compile(r"^(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|[•·●■◆▪*-])$")
_ITEM_START = re.compile(r"^(?:——|[-•·●■◆▪*]|[一二三四五六七八九十]+[是要]|其[一二三四五六七八九十]|第[一二三四五六七八九十]+[，,、])")
# A heading does not end on a function word that needs a continuation.
_ZH_OPEN_END = re.compile(r"[和与及或的之对把被将从向以为于在、，“《（(]$")
# The numbering a heading opens with (Chinese, parenthesised, arabic, chapter forms).
_NUM_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|"
                         r"\d{1,2}(?:[.．]\d{1,2}){0,3}[.．、]?\s|第[一二三四五六七八九十\d]+(?:章|节|部分))")
_ZH_PREP_END = re.compile(r"[在对把被将从向以为于是]$")
_EN_OPEN_END = re.compile(r"\b(?:and|or|of|the|for|in|on|to|a|an|with|at|by|from|as|via)$", re.I)


@dataclass
class HeadingMark:
    """What the heading pass found for one block."""

    level: float | None  # None: resolved from the open path (an unnumbered sub-heading)
    style: str  # zh1 / zh2 / arabic / … / named / back / unnumbered / font
    text: str  # the heading text (joined when it wraps onto the next block)
    continued_by: int = 0  # how many following blocks are the rest of this heading
    font: tuple[float, bool] | None = None  # (size, bold) when the reader gave fonts


def _font_key(h: dict) -> tuple[float, bool] | None:
    return (round(float(h["font_size"])), bool(h.get("bold"))) if h.get("font_size") else None


def shape_ok(t: str, max_len: int, max_words: int = 12) -> bool:
    """A line shaped like an unnumbered heading: short, words, no sentence punctuation."""
    if not t or len(t) > max_len or t[-1] in _END_PUNCT:
        return False
    if t[-1] in "？?":
        return False  # unnumbered questions in speeches are rhetorical; numbered ones are headings
    if re.search(r"[。；;！!]|\.\s|[=＝]", t) or len(re.findall(r"[，,]", t)) > 1 or _FIELD.match(t):
        return False
    if _ITEM_START.match(t) or SALUTATION_RE.match(t) or FRONT_RE.match(t) or CAPTION_RE.match(t) \
            or SOURCE_NOTE_RE.match(t) or ABSTRACT_RE.match(t) or KEYWORDS_RE.match(t) or REF_ENTRY_RE.match(t) \
            or LICENCE_RE.search(t):
        return False
    chars = re.sub(r"\s", "", t)
    letters = len(re.findall(r"[A-Za-z\u4e00-\u9fff]", chars))
    if letters < 2 or len(re.findall(r"[A-Za-z0-9０-９\u4e00-\u9fff]", chars)) < 0.8 * len(chars):
        return False
    if not _CJK_CHAR.search(t):  # English: a capitalised phrase of a few words
        n_words = len(t.split())
        if n_words > max_words or not re.match(r"[A-Z]", t):
            return False
    return True


def _ends_sentence(t: str) -> bool:
    return bool(re.search(r"[。！？!?；;：:…”’」』）)】.]$", t))


def paragraph_like(x: str, heading: str, limit: int) -> bool:
    """A line that reads as running text after a heading: longer, and a sentence or long."""
    return len(x) > len(heading) and (_ends_sentence(x) or len(x) >= 2 * limit or bool(re.search(r"[。！？]|[.!?]\s", x)))


def paragraph_length(texts: list[str]) -> float:
    """Median length of the document's sentence-ending lines: the scale a heading is short against."""
    lens = [len(t) for t in texts if t and re.search(r"[。！？!?.]$", t)]
    return statistics.median(lens) if lens else 0.0


def find_headings(texts: list[str], hints: list[dict], body_size: float | None,
                  skip: set[int]) -> list[HeadingMark | None]:
    """One mark per block: numbered/named headings, unnumbered ones, and wrapped continuations.

    texts: block contents without markup; hints: reader hints; skip: blocks that are tables.
    Unnumbered headings are judged against the document itself: a line much shorter than its typical
    paragraph, without sentence punctuation, between a finished sentence and a paragraph. With font
    sizes (PDF), a line set bold or larger than the body text and shaped like a heading.
    """
    n = len(texts)
    marks: list[HeadingMark | None] = [None] * n
    para = paragraph_length([t for i, t in enumerate(texts) if i not in skip])
    zh_max = int(min(40, max(12, 0.5 * para))) if para else 24
    has_fonts = body_size is not None

    def font_set_apart(i: int) -> bool:
        h = hints[i]
        if h.get("heading"):  # the PDF reader saw a short bold paragraph that is no sentence
            return True
        if not has_fonts or "font_size" not in h:
            return False
        return (bool(h.get("bold")) or h["font_size"] >= 1.08 * (body_size or 0)) and h.get("line_count", 1) <= 3

    def next_index(i: int) -> int | None:
        j = i + 1
        while j < n and (j in skip or not texts[j]):
            j += 1
        return j if j < n else None

    def prev_index(i: int) -> int | None:
        j = i - 1
        while j >= 0 and (j in skip or not texts[j]):
            j -= 1
        return j if j >= 0 else None

    for i, t in enumerate(texts):
        if i in skip or not t:
            continue
        hs = heading_style(t, {**hints[i], "body_size": body_size} if body_size else hints[i])
        if hs is not None:
            marks[i] = HeadingMark(hs[0], hs[1], t, font=_font_key(hints[i]))
            continue
        limit = zh_max if _CJK_CHAR.search(t) else 90
        hinted = bool(hints[i].get("heading"))  # the PDF reader saw a short bold non-sentence
        if not shape_ok(t, limit + 40 * hinted, 20 if hinted else 12):
            continue
        if has_fonts and "font_size" in hints[i] and not font_set_apart(i):
            continue
        if _ZH_PREP_END.search(t):
            continue  # "…主要体现在": the sentence goes on
        p, q = prev_index(i), next_index(i)
        if p is not None and (_ZH_OPEN_END.search(texts[p]) if _CJK_CHAR.search(texts[p]) else _EN_OPEN_END.search(texts[p])):
            continue  # continues the line before (which may be the first line of a wrapped heading)
        if q is None:
            continue  # a short last line is a signature or a date, not a heading
        if p is not None and not (_ends_sentence(texts[p]) or shape_ok(texts[p], limit)
                                  or heading_style(texts[p]) is not None):
            continue  # the line before is unfinished: this one continues it
        if p is not None and _LIST_MARK.match(texts[p]):
            continue  # "1." alone, then the item's bold title: a list item, not a heading
        nxt = texts[q]
        if re.match(r"^[，。、；：,.;:)）》」』”]", nxt) or (not _CJK_CHAR.search(t) and re.match(r"[a-z]", nxt)):
            continue
        if not (paragraph_like(nxt, t, limit) or heading_style(nxt) is not None or _ITEM_START.match(nxt)):
            # a heading opens text, or a sub-heading that opens text (figure labels and table headers
            # are short lines among short lines)
            r = next_index(q)
            if not (shape_ok(nxt, limit) and r is not None
                    and (paragraph_like(texts[r], nxt, limit) or heading_style(texts[r]) is not None)):
                continue
        marks[i] = HeadingMark(None, "font" if has_fonts and "font_size" in hints[i] else "unnumbered", t,
                               font=_font_key(hints[i]))

    _join_wrapped(texts, hints, marks, skip, zh_max)
    return marks


def _join_wrapped(texts: list[str], hints: list[dict], marks: list[HeadingMark | None], skip: set[int],
                  zh_max: int) -> None:
    """A heading wrapped onto the next line: that line continues it ("二、2025年目标任务和" + "重点工作")."""
    i = 0
    n = len(texts)
    while i < n - 1:
        m = marks[i]
        j = i + 1
        if j in skip or not texts[j] or i in skip or not texts[i]:
            i += 1
            continue
        cur, nxt = texts[i], texts[j]
        zh = bool(_CJK_CHAR.search(cur + nxt))
        fragment = False
        if m is None:
            # a numbered heading cut before its words ("一、2024年" + "工作回顾", "（三）" + "…"): only the
            # two lines together read as a heading
            hs = heading_style(cur + ("" if zh else " ") + nxt, hints[i]) if (
                _NUM_PREFIX.match(cur) and len(cur) <= zh_max and not re.search(r"[。；;！!，,：:]$", cur)
                and (_CJK_CHAR.search(cur) or re.fullmatch(r"[\d.．\s]+", cur))
                and heading_style(nxt) is None) else None
            if hs is None:
                i += 1
                continue
            m = marks[i] = HeadingMark(hs[0], hs[1], cur, font=_font_key(hints[i]))
            fragment = True
        nxt_mark = marks[j]
        if nxt_mark is not None and nxt_mark.style not in ("unnumbered", "font"):
            i += 1
            continue  # the next line is a heading of its own (numbered or named)
        if not shape_ok(nxt, zh_max if zh else 90) and not (
                zh and len(nxt) <= 4 and _CJK_CHAR.search(nxt) and not re.search(r"[。；;！!，,]", nxt)):
            i += 1
            continue
        same_font = (hints[i].get("font_size") is not None and hints[i].get("font_size") == hints[j].get("font_size")
                     and hints[i].get("bold") == hints[j].get("bold"))
        fonts_differ = (hints[i].get("font_size") is not None and hints[j].get("font_size") is not None
                        and not same_font)
        open_end = bool(_ZH_OPEN_END.search(cur) if zh else _EN_OPEN_END.search(cur))
        unbalanced = cur.count("（") + cur.count("(") > cur.count("）") + cur.count(")") or \
            cur.count("“") > cur.count("”") or cur.count("《") > cur.count("》")
        tail = (len(nxt) <= 4 and bool(_CJK_CHAR.search(nxt)) or bool(re.match(r"[和与及并或的之、]", nxt))
                if zh else bool(re.match(r"[a-z]", nxt)))
        # PDF, English: a long numbered heading line and a few words in the same font under it
        # ("2 Preliminaries: TAPAS for Table" + "Encoding"); the PDF reader keeps them apart in columns
        tail = tail or (not zh and same_font and m.style not in ("unnumbered", "font") and len(cur) >= 25
                        and len(nxt.split()) <= 4)
        # a short heading cut anywhere ("一、2024年工" + "作回顾"): joined, it is still heading-sized
        short = zh and len(cur) + len(nxt) <= 0.8 * zh_max and not re.search(r"[，,]", nxt) \
            and m.style not in ("back", "named")  # "附件" + "2025年十件实事": a name is whole
        if not fonts_differ and (fragment or open_end or unbalanced or tail or short):
            sep = "" if zh else " "
            m.text = m.text + sep + nxt
            m.continued_by += 1
            marks[j] = None
            # a heading may wrap more than once; look at the line after the continuation
            k = j + 1
            while k < n and k not in skip and texts[k] and len(m.text) < 2 * zh_max:
                if not (shape_ok(texts[k], zh_max if zh else 90) and (
                        _ZH_OPEN_END.search(m.text) if zh else _EN_OPEN_END.search(m.text))):
                    break
                m.text = m.text + sep + texts[k]
                m.continued_by += 1
                marks[k] = None
                k += 1
            if m.style in ("unnumbered", "font"):
                hs = heading_style(m.text)  # "一、2024年" looked unnumbered until its words joined it
                if hs is not None:
                    m.level, m.style = hs
            i = k
            continue
        i += 1
