"""Structure: give every block its kind and section path; find the title and the reference list.

Needs: Document.blocks (from any reader; PDF blocks may carry font hints).
Adds:  block.kind (export-contract kinds, plus "table" for table rows), block.section_path,
       block.lang, Document.title, Document.lang, Document.references.

Rules follow how Chinese and English papers and policy texts are laid out (shared/gold/GUIDE.md):
front matter (收稿日期, 基金项目, 作者简介 — which may sit mid-text —, DOI…), numbered headings in
both numbering systems, labelled abstracts/keywords, captions, and the reference list (which in
Chinese journals may be followed by the English title/abstract block).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Block, Document, Reference

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")
_LATIN_RE = re.compile(r"[A-Za-z]")

# Markup some text extractions carry (markdown tables, bold, bullets): not part of the content.
_LEAD_MARKUP = re.compile(r"^(?:[|*#>\s]|-\s)+")
_TRAIL_MARKUP = re.compile(r"(?:[|*\s])+$")

ABSTRACT_RE = re.compile(r"^(?:摘\s*要|内容提要|提\s*要|Abstract|ABSTRACT|Summary)\s*[:：]?\s*", re.I)
KEYWORDS_RE = re.compile(r"^(?:关键词|关键字|Key\s*words?|KEYWORDS|Keywords)\s*[:：]?\s*", re.I)
REFERENCES_RE = re.compile(r"^(?:参考文献|References|REFERENCES|Bibliography|引用文献)\s*(?:[（(]\s*References\s*[）)])?"
                           r"\s*[:：]?\s*$", re.I)
FRONT_RE = re.compile(
    r"^(?:收稿日期|录用日期|修回日期|发布日期|网络出版|基金项目|项目基金|资助项目|作者简介|通讯作者|通信作者|"
    r"中图分类号|分类号|文献标志码|文献标识码|文章编号|DOI|doi|Doi|引用格式|本文引用格式|"
    r"Received|Accepted|Published|Citation|Cite this|How to cite|Copyright|©|Open Access|This work is licensed|"
    r"Foundation item|Fund|Biography|Corresponding author|E-?mail|当前位置|摘自|来源[:：]|相关主题|"
    r"Strategic Study of CAE|https?://|<https?://|www\.)",
    re.I,
)
FRONT_ANYWHERE_RE = re.compile(r"(?:文献标志码|文章编号|中图分类号|Creative Commons|CC BY|版权所有|All rights reserved)", re.I)
AFFIL_RE = re.compile(r"(?:\b\d{6}\b|University|College|Institute|Academy|School of|大学|学院|研究院|研究所|研究中心|党校|委员会)")
# Forms of address in speeches and reports ("各位代表！") are not statements.
SALUTATION_RE = re.compile(r"^(?:各位代表|各位委员|同志们|女士们、先生们|朋友们)[！!：:，,]?$")
CAPTION_RE = re.compile(r"^(?:图|表|附表|附图)\s*\d+(?:[.\-]\d+)?|^(?:Table|Fig\.?|Figure)\s*\d+", re.I)
SOURCE_NOTE_RE = re.compile(r"^(?:数据来源|资料来源|注[:：]|Source[:：]|Note[s]?[:：])", re.I)
REF_ENTRY_RE = re.compile(r"^(?:\[\[?\d+\]?\]|［\d+］|\d+\.\s+[A-Z\u4e00-\u9fff].*\[[JMDRNC]\]|^\[\d+\])")

# Headings: (pattern, level). Arabic numbering depth gives the level; Chinese numbering sits above it.
_NUM = r"(?!\d*(?:年|月|日|万|亿|%|％|个|家|项|倍|元|辆|人))"
HEADING_PATTERNS: list[tuple[re.Pattern[str], int | None]] = [
    (re.compile(r"^[一二三四五六七八九十]+\s*[、.．]\s*\S"), 1),
    (re.compile(r"^[（(]\s*[一二三四五六七八九十]+\s*[）)]\s*\S"), 2),
    (re.compile(r"^(\d{1,2}(?:[.．]\d{1,2}){0,3})" + _NUM + r"(?:[.．]?\s+(?=[A-Za-z])|[.．]?\s*(?=[\u4e00-\u9fff]))"), None),
    (re.compile(r"^[（(]\s*\d{1,2}\s*[）)]\s*(?=[^\s\d０-９:：])"), 5),
    (re.compile(r"^(?:引言|前言|绪论|结语|结论|结束语|致谢|Introduction|Conclusions?|Acknowledge?ments?|Discussion)\s*$", re.I), 1),
]


_ARABIC_TOP = re.compile(r"^\d{1,2}[.．、]\s*(?!\d)\S")
_CHINESE_NUM = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[）)])")
_TITLE_CASE = re.compile(r"^(?:[A-Z][\w'’\-]*[,:]?\s+(?:(?:of|and|the|in|for|on|to|a|an|with|at|by)\s+)*){3,}")


@dataclass
class _Line:
    block: Block
    text: str  # content without markup


def content_span(doc_text: str, block: Block) -> tuple[int, int]:
    """Offsets of the block's content without leading/trailing markup (| ** # - bullets)."""
    raw = doc_text[block.start:block.end]
    m = _LEAD_MARKUP.match(raw)
    lead = m.end() if m else 0
    m2 = _TRAIL_MARKUP.search(raw, lead)
    trail = len(raw) - m2.start() if m2 else 0
    return block.start + lead, max(block.start + lead, block.end - trail)


def detect_lang(text: str) -> str:
    cjk = len(_CJK_RE.findall(text))
    latin = len(_LATIN_RE.findall(text))
    if cjk == 0 and latin == 0:
        return "zh"
    # Latin letters are ~5x denser per meaningful unit than CJK characters
    if cjk >= 2 and latin / 5 <= cjk * 0.3:
        return "zh"
    if cjk <= 1 or cjk * 5 < latin * 0.15:
        return "en"
    return "mixed"


def heading_level(text: str, hints: dict | None = None) -> int | None:
    """Level of a heading line, or None when the line is not a heading."""
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
    # headings are words; a line of numbers and symbols ("２．显著性水平：＃p＜０．１，…") is a note
    chars = re.sub(r"\s", "", t)
    letters = len(re.findall(r"[A-Za-z\u4e00-\u9fff]", chars))
    symbols = len(re.findall(r"[^\w]|_", chars)) + len(re.findall(r"[\ue000-\uf8ff]", chars))
    if letters < 0.4 * len(chars) or symbols > 0.3 * len(chars):
        return None
    for pat, level in HEADING_PATTERNS:
        m = pat.match(t)
        if not m:
            continue
        if level is None:
            depth = m.group(1).replace("．", ".").count(".") + 1
            return depth
        return level
    if hints and (hints.get("style", "").lower().startswith("heading") or hints.get("heading")):
        m = re.search(r"(\d+)$", hints.get("style", ""))
        return int(m.group(1)) if m else 2
    return None


def annotate_structure(doc: Document) -> None:
    text = doc.text
    lines = [_Line(b, text[slice(*content_span(text, b))].strip()) for b in doc.blocks]
    n = len(lines)
    path: list[tuple[int, str]] = []
    state = "front"  # front → body; "abstract" while inside a label-led abstract; "refs" in the list
    title_found = False
    abstract_lang: str | None = None
    seen_body = False
    long_title_ok = False
    keywords_pending = False

    def next_texts(i: int, k: int = 4) -> list[str]:
        return [ln.text for ln in lines[i + 1:i + 1 + k] if ln.block.kind != "table"]

    prev_kind, prev_block = None, None
    sizes = sorted(b.hints["font_size"] for b in doc.blocks if "font_size" in b.hints)
    body_size = sizes[len(sizes) // 2] if sizes else None
    pre_front, pre_title = _pdf_title_blocks(doc, body_size)
    for i, ln in enumerate(lines):
        if i in pre_front or i in pre_title:
            ln.block.kind = "title" if i in pre_title else "front_matter"
            ln.block.lang = detect_lang(ln.text)
            if i in pre_title:
                sep = "" if not doc.title or ln.block.lang == "zh" else " "
                doc.title = doc.title + sep + ln.text
                title_found = True
            continue
        if i:
            prev_kind, prev_block = lines[i - 1].block.kind, lines[i - 1].block
        b, t = ln.block, ln.text
        b.lang = detect_lang(t)
        if b.hints.get("layout") in ("footnote", "toc"):  # PDF reader: footnotes, contents entries
            b.kind = "front_matter"
            continue
        if b.kind == "table":
            b.section_path = [p for _, p in path]
            continue
        if not t or re.fullmatch(r"[\W_]+", t):
            b.kind = "front_matter"
            continue
        lvl = heading_level(t, {**b.hints, "body_size": body_size} if body_size else b.hints)

        if state == "refs":
            if ABSTRACT_RE.match(t) or KEYWORDS_RE.match(t) or (
                    not REF_ENTRY_RE.match(t) and any(ABSTRACT_RE.match(x) for x in next_texts(i, 7))):
                state = "front"  # the English title/abstract block after the references
                title_found = False
                long_title_ok = True
            elif FRONT_RE.match(t):
                b.kind = "front_matter"
                continue
            else:
                b.kind = "reference"
                b.section_path = [p for _, p in path]
                continue

        if REFERENCES_RE.match(t):
            b.kind = "heading"
            path = [(1, t)]
            b.section_path = [t]
            state = "refs"
            continue
        if REF_ENTRY_RE.match(t) and (seen_body or abstract_lang or i > n // 2):
            b.kind = "reference"
            state = "refs"
            continue
        if FRONT_RE.match(t) or (FRONT_ANYWHERE_RE.search(t) and len(t) < 200) or SALUTATION_RE.match(t):
            b.kind = "front_matter"
            continue
        if KEYWORDS_RE.match(t) or keywords_pending:
            b.kind = "keywords"
            # a label alone on its line ("关键词") is followed by the list itself
            keywords_pending = bool(KEYWORDS_RE.match(t)) and not KEYWORDS_RE.sub("", t).strip(" :：|")
            state = "front" if not seen_body else "body"
            continue
        m = ABSTRACT_RE.match(t)
        if m:
            rest = t[m.end():].strip(" :：|")
            # "摘要: 摘要:…" duplicated labels occur in scraped text
            b.kind = "abstract" if rest else "heading"
            if not rest:
                path = [(1, t)]
                b.section_path = [t]
            else:
                b.section_path = [t[:m.end()].strip()]
            abstract_lang = "en" if re.match(r"[A-Za-z]", t) else "zh"
            state = "abstract"
            continue
        if state == "abstract":
            if lvl is None and not CAPTION_RE.match(t) and (len(t) > 40 or (b.lang == abstract_lang)):
                b.kind = "abstract"
                b.section_path = [p for _, p in path] or ["Abstract" if abstract_lang == "en" else "摘要"]
                continue
            state = "front" if not seen_body else "body"
        if CAPTION_RE.match(t) and len(t) <= 120:
            b.kind = "caption"
            b.section_path = [p for _, p in path]
            continue
        if SOURCE_NOTE_RE.match(t) and len(t) <= 200:
            b.kind = "caption"
            b.section_path = [p for _, p in path]
            continue
        if lvl == 1 and _ARABIC_TOP.match(t) and any(_CHINESE_NUM.match(h) for _, h in path):
            lvl = 3  # "1.构建…" items under 一、/（一） sections (003, government reports)
        if lvl is not None and not (state == "front" and not title_found):
            if not (state == "front" and lvl >= 5):
                b.kind = "heading"
                path = [(lv, h) for lv, h in path if lv < lvl] + [(lvl, t)]
                b.section_path = [h for _, h in path]
                state = "body"
                seen_body = True
                continue
        if state == "front" and title_found and prev_kind == "title" and _same_title_font(prev_block, b, body_size) \
                and doc.title.endswith(doc.text[prev_block.start:prev_block.end].strip()):
            b.kind = "title"  # a title wrapped onto a second line (PDF)
            doc.title = (doc.title + ("" if b.lang == "zh" else " ") + t) if doc.title else t
            prev_kind, prev_block = "title", b
            continue
        if state == "front":
            if not title_found:
                if len(t) <= (300 if long_title_ok else 150) and t[-1] not in "。.;；：:" and not SALUTATION_RE.match(t):
                    b.kind = "title"
                    title_found = True
                    if not doc.title:
                        doc.title = t
                    continue
                # no title line: the text starts with a paragraph
                state = "body"
            elif re.search(r"\s/\s.*\s/\s", t) and len(t) < 300:
                b.kind = "keywords"  # "advanced manufacturing / industrial clusters / …"
                continue
            elif len(t) <= 250 and AFFIL_RE.search(t) and not re.search(r"[。！？]$", t):
                b.kind = "front_matter"  # affiliation lines
                continue
            elif b.lang == "en" and len(t) <= 300 and not re.search(r"[.。!?]$", t) and _TITLE_CASE.match(t):
                b.kind = "title"  # the English title of a Chinese paper
                continue
            elif len(t) <= 200 and not re.search(r"[。！？]$", t) and not _looks_like_paragraph(t):
                # authors, affiliations, dates between title and abstract/body
                b.kind = "front_matter"
                continue
            elif len(t) > 300 and b.lang == "en" and any(KEYWORDS_RE.match(x) or re.search(r"\s/\s.*\s/\s", x)
                                                         for x in next_texts(i, 2)):
                # an unlabelled abstract right before its keyword line (002)
                b.kind = "abstract"
                b.section_path = [p for _, p in path] or [doc.title]
                abstract_lang = "en"
                continue
            state = "body"
        if state == "front" or state == "body" or state == "abstract":
            if re.search(r"\s/\s.*\s/\s", t) and len(t) < 300 and not re.search(r"[。.]$", t):
                b.kind = "keywords"  # "advanced manufacturing / industrial clusters / …"
                continue
            b.kind = "body"
            b.section_path = [p for _, p in path] or ([doc.title] if doc.title and not seen_body else [])
            seen_body = True
            state = "body"

    doc.references = [
        Reference(index=k, text=doc.text[slice(*content_span(doc.text, b))], start=content_span(doc.text, b)[0],
                  end=content_span(doc.text, b)[1], page=b.page)
        for k, b in enumerate(x for x in doc.blocks if x.kind == "reference")
        if not re.fullmatch(r"[\[\]\d\s|]*", doc.text[b.start:b.end])
    ]
    body = "".join(doc.text[b.start:b.end] for b in doc.blocks if b.kind in ("body", "abstract"))
    doc.lang = detect_lang(body) if body else "zh"
    if doc.lang == "mixed":
        doc.lang = "zh"
    if not doc.title:
        for b in doc.blocks:
            if b.kind in ("body", "abstract"):
                doc.title = doc.text[b.start:b.end][:60]
                break


def _pdf_title_blocks(doc: Document, body_size: float | None) -> tuple[set[int], set[int]]:
    """PDF title = the run of largest-font blocks among the first blocks of page 1, when clearly larger
    than the body text; smaller blocks above it (journal masthead, volume, running title) are front
    matter. Text files carry no font sizes and use the line rules instead."""
    if not body_size:
        return set(), set()
    first = [(i, b) for i, b in enumerate(doc.blocks[:20]) if b.page == 1 and "font_size" in b.hints]
    if not first:
        return set(), set()
    top = max(b.hints["font_size"] for _, b in first)
    if top < 1.3 * body_size:
        return set(), set()
    title = [i for i, b in first if abs(b.hints["font_size"] - top) < 0.6]
    run = [title[0]]
    for i in title[1:]:
        if i - run[-1] <= 4:  # a wrapped title, possibly around masthead lines set beside it
            run.append(i)
        else:
            break
    front = {i for i, _ in first if i < run[-1] and i not in run}
    return front, set(run)


def _same_title_font(prev: Block | None, b: Block, body_size: float | None) -> bool:
    """Both lines set in the same font, larger than the body text (only PDFs carry font sizes)."""
    if prev is None or body_size is None or "font_size" not in prev.hints or "font_size" not in b.hints:
        return False
    size = b.hints["font_size"]
    return abs(prev.hints["font_size"] - size) < 0.6 and size >= 1.15 * body_size and b.page == prev.page


def _looks_like_paragraph(t: str) -> bool:
    return len(t) > 80 and bool(re.search(r"[，,。；]", t))
