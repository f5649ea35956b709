"""Block kinds and section paths: title, front matter, abstract, keywords, headings, body, captions,
the reference list.

Rules follow how Chinese and English papers and policy texts are laid out (shared/gold/GUIDE.md):
front matter (收稿日期, 基金项目, 作者简介 — which may sit mid-text —, DOI…), headings (headings.py),
labelled abstracts/keywords, captions, the reference list (which in Chinese journals may be followed
by the English title/abstract block), and licence notes at the end of scraped texts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ...document import Block, Document, Reference
from .headings import _ARABIC_TOP, _CHINESE_NUM, _TITLE_CASE, HeadingMark, find_headings
from .patterns import (ABSTRACT_RE, AFFIL_RE, CAPTION_RE, FRONT_ANYWHERE_RE, FRONT_RE, KEYWORDS_RE,
                       LICENCE_RE, REF_ENTRY_RE, REFERENCES_RE, SALUTATION_RE, SOURCE_NOTE_RE, content_span,
                       detect_lang)


_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+\S")
# Identifiers stamped on page 1 in large type (arXiv's side stamp), never the title.
_STAMP = re.compile(r"^(?:arXiv:\s*\d{4}\.\d{4,5}|doi:|DOI:|https?://)", re.I)


@dataclass
class _Line:
    block: Block
    text: str  # content without markup


def annotate_kinds(doc: Document) -> str:
    """Set block.kind, block.section_path and block.lang; Document.references and Document.lang.
    Returns the title text found in the document ("" when none)."""
    text = doc.text
    lines = [_Line(b, text[slice(*content_span(text, b))].strip()) for b in doc.blocks]
    n = len(lines)
    path: list[tuple[float, str, str]] = []  # (level, heading text, style)
    state = "front"  # front → body; "abstract" while inside a label-led abstract; "refs" in the list
    title = ""
    title_found = False
    abstract_lang: str | None = None
    seen_body = False
    long_title_ok = False
    keywords_pending = False
    continuation = 0  # blocks left that continue a wrapped heading
    licence_from = _licence_tail(lines)

    def next_texts(i: int, k: int = 4) -> list[str]:
        return [ln.text for ln in lines[i + 1:i + 1 + k] if ln.block.kind != "table"]

    def open_path() -> list[str]:
        return [h for _, h, _ in path]

    prev_kind, prev_block = None, None
    sizes = sorted(b.hints["font_size"] for b in doc.blocks if "font_size" in b.hints)
    body_size = sizes[len(sizes) // 2] if sizes else None
    pre_front, pre_title = _pdf_title_blocks(doc, body_size)
    tables = {i for i, ln in enumerate(lines) if ln.block.kind == "table"}
    for ln in lines:  # Markdown's "## Heading": the markup says it (content_span strips it from the text)
        m_md = _MD_HEADING.match(text[ln.block.start:ln.block.end])
        if m_md and ln.block.kind != "table":
            ln.block.hints["md_heading"] = len(m_md.group(1))
    marks = find_headings([ln.text for ln in lines], [ln.block.hints for ln in lines], body_size, tables)
    # A single unnumbered part heading among numbered parts ("首先报告2001年的工作" before 一、…八、)
    # is one of them; two or more make the top level ("过去五年的回顾", "今后五年的主要任务").
    unnumbered_parts = sum(1 for m in marks if m is not None and m.style == "unnumbered")
    numbered_parts = any(m is not None and m.style == "zh1" for m in marks)
    single_part = 1.0 if unnumbered_parts < 2 and numbered_parts else None
    # a heading set in the same font as numbered headings of some level is at that level
    # ("Acknowledgements" beside "7 Conclusion")
    font_levels: dict[tuple[float, bool], float] = {}
    for m in marks:
        if m is not None and m.font and m.level is not None and m.style not in ("back", "named", "styled"):
            font_levels[m.font] = min(m.level, font_levels.get(m.font, m.level))
    for i, ln in enumerate(lines):
        if i in pre_front or i in pre_title:
            ln.block.kind = "title" if i in pre_title else "front_matter"
            ln.block.lang = detect_lang(ln.text)
            if i in pre_title:
                sep = "" if not title or ln.block.lang == "zh" else " "
                title = title + sep + ln.text
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
            b.section_path = open_path()
            continue
        if continuation:
            continuation -= 1  # the rest of a wrapped heading (or title)
            b.kind = prev_kind or "heading"
            b.section_path = list(prev_block.section_path) if prev_block else []
            continue
        if not t or re.fullmatch(r"[\W_]+", t):
            b.kind = "front_matter"
            continue
        if licence_from is not None and i >= licence_from:
            b.kind = "front_matter"  # the licence note that closes a scraped text
            continue
        mark = marks[i]
        lvl = mark.level if mark else None
        style = mark.style if mark else ""

        if state == "refs":
            if ABSTRACT_RE.match(t) or KEYWORDS_RE.match(t) or (
                    not REF_ENTRY_RE.match(t) and any(ABSTRACT_RE.match(x) for x in next_texts(i, 7))):
                state = "front"  # the English title/abstract block after the references
                title_found = False
                long_title_ok = True
            elif FRONT_RE.match(t):
                b.kind = "front_matter"
                continue
            elif mark and style in ("back", "named") and not REF_ENTRY_RE.match(t):
                state = "body"  # an appendix after the reference list
            else:
                b.kind = "reference"
                b.section_path = open_path()
                continue

        if REFERENCES_RE.match(t):
            b.kind = "heading"
            path = [(0.5, t, "back")]
            b.section_path = [t]
            state = "refs"
            continue
        if REF_ENTRY_RE.match(t) and (seen_body or abstract_lang or i > n // 2):
            b.kind = "reference"
            state = "refs"
            continue
        if FRONT_RE.match(t) or (FRONT_ANYWHERE_RE.search(t) and len(t) < 200) or SALUTATION_RE.match(t):
            b.kind = "front_matter"
            if SALUTATION_RE.match(t):
                title_found, state = True, "body"  # the speech has begun: no title after "各位代表："
            continue
        if KEYWORDS_RE.match(t) or keywords_pending:
            b.kind = "keywords"
            # a label alone on its line ("关键词") is followed by the list itself
            keywords_pending = bool(KEYWORDS_RE.match(t)) and not KEYWORDS_RE.sub("", t).strip(" :：|")
            state = "front" if not seen_body else "body"
            continue
        m = ABSTRACT_RE.match(t)
        if m and not (seen_body and style == "back"):  # "Summary" late in a text is a section
            rest = t[m.end():].strip(" :：|")
            # "摘要: 摘要:…" duplicated labels occur in scraped text
            b.kind = "abstract" if rest else "heading"
            if not rest:
                path = [(1.0, t, "abstract")]
                b.section_path = [t]
            else:
                b.section_path = [t[:m.end()].strip()]
            abstract_lang = "en" if re.match(r"[A-Za-z]", t) else "zh"
            state = "abstract"
            continue
        if state == "abstract":
            if lvl is None and not CAPTION_RE.match(t) and (len(t) > 40 or (b.lang == abstract_lang)):
                b.kind = "abstract"
                b.section_path = open_path() or ["Abstract" if abstract_lang == "en" else "摘要"]
                continue
            state = "front" if not seen_body else "body"
        if CAPTION_RE.match(t) and len(t) <= 120:
            b.kind = "caption"
            b.section_path = open_path()
            continue
        if SOURCE_NOTE_RE.match(t) and len(t) <= 200:
            b.kind = "caption"
            b.section_path = open_path()
            continue
        if mark is not None and (state == "body" or style not in ("unnumbered", "font")):
            lvl = _resolve_level(mark, t, path, single_part, font_levels)
        else:
            lvl = None
        if lvl is not None and not (state == "front" and not title_found):
            if not (state == "front" and lvl >= 5):
                b.kind = "heading"
                heading = mark.text if mark else t
                path = [p for p in path if p[0] < lvl] + [(lvl, heading, style)]
                b.section_path = open_path()
                state = "body"
                seen_body = True
                continuation = mark.continued_by if mark else 0
                continue
        if state == "front" and title_found and prev_kind == "title" and prev_block is not None \
                and _same_title_font(prev_block, b, body_size) \
                and title.endswith(doc.text[prev_block.start:prev_block.end].strip()):
            b.kind = "title"  # a title wrapped onto a second line (PDF)
            title = (title + ("" if b.lang == "zh" else " ") + t) if title else t
            prev_kind, prev_block = "title", b
            continue
        if state == "front":
            if not title_found:
                if len(t) <= (300 if long_title_ok else 150) and t[-1] not in "。.;；：:" and not SALUTATION_RE.match(t):
                    b.kind = "title"
                    title_found = True
                    if not title:
                        title = mark.text if mark else t
                        continuation = mark.continued_by if mark else 0
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
                b.section_path = open_path() or [title]
                abstract_lang = "en"
                continue
            state = "body"
        if state == "front" or state == "body" or state == "abstract":
            if re.search(r"\s/\s.*\s/\s", t) and len(t) < 300 and not re.search(r"[。.]$", t):
                b.kind = "keywords"  # "advanced manufacturing / industrial clusters / …"
                continue
            b.kind = "body"
            b.section_path = open_path() or ([title] if title and not seen_body else [])
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
    return title


def _resolve_level(mark: HeadingMark, t: str, path: list[tuple[float, str, str]],
                   single_part: float | None = None,
                   font_levels: dict[tuple[float, bool], float] | None = None) -> float | None:
    """The level of a heading given the open path (see headings.py for the scale)."""
    lvl = mark.level
    if mark.style == "arabic" and lvl == 1 and _ARABIC_TOP.match(t) and any(_CHINESE_NUM.match(h) for _, h, _ in path):
        return 3.0  # "1.构建…" items under 一、/（一） sections (003, government reports)
    if mark.style == "letter" and not any(s == "roman" for _, _, s in path):
        return None  # "A. Smith" is not a sub-heading unless roman numerals open the sections
    if mark.style == "named" and path and path[0][2] in ("unnumbered", "font"):
        return path[0][0]  # "结论" after unnumbered parts is one of them
    if lvl is not None:
        return lvl
    if mark.style == "font" and font_levels and mark.font in font_levels:
        return font_levels[mark.font]
    # unnumbered: a sibling of the top heading when that one has no number either, else a sub-heading
    if not path:
        return single_part or 0.5
    top_level, _, top_style = path[0]
    if top_style in ("unnumbered", "font", "named", "abstract"):
        return top_level
    return path[-1][0] + 0.5


def _licence_tail(lines: list[_Line]) -> int | None:
    """Index of a licence/copyright note in the last tenth of a text (scraped pages end with one)."""
    n = len(lines)
    for i in range(max(0, n - max(8, n // 10)), n):
        if LICENCE_RE.search(lines[i].text):
            return i
    return None


def _pdf_title_blocks(doc: Document, body_size: float | None) -> tuple[set[int], set[int]]:
    """PDF title = the run of largest-font blocks among the first blocks of page 1, when clearly larger
    than the body text; smaller blocks above it (journal masthead, volume, running title) are front
    matter. Text files carry no font sizes and use the line rules instead."""
    if not body_size:
        return set(), set()
    first = [(i, b) for i, b in enumerate(doc.blocks[:20]) if b.page == 1 and "font_size" in b.hints
             and b.hints.get("layout") not in ("footnote", "toc")
             and len(re.findall(r"[A-Za-z\u4e00-\u9fff]", doc.text[b.start:b.end])) >= 2
             and not _STAMP.match(doc.text[b.start:b.end].strip())]
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
