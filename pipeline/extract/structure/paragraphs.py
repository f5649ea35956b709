"""Paragraphs of text files: rejoin lines that a producer broke inside a paragraph.

A text reader makes one block per line. Two kinds of files break lines inside a paragraph:
- text scraped from web pages breaks lines around link text ("…决定批准《\\n国家公务员条例\\n》，…");
- files that separate paragraphs by a blank line may wrap a paragraph (or a title) onto a next line.
A line that starts with closing punctuation, or follows one that ends with opening punctuation, is
always a continuation. Whether a single line break is a paragraph end is learned per document: when
most lines that end a sentence are followed by a blank line, the document marks paragraphs with
blank lines and a single break inside a sentence is a wrap; when many lines share one width, the
file is hard-wrapped and a full-width unfinished line always goes on. PDFs are left to the PDF reader.
"""
from __future__ import annotations

import re
from collections import Counter

from ...document import Block, Document
from .headings import heading_level
from .patterns import FRONT_RE, LICENCE_RE, SALUTATION_RE

# Characters that cannot start a paragraph / cannot end one.
_CLOSING_START = re.compile(r"^[，。、；：！？》」』）)\]】”’,.;:!?%％]")
_OPENING_END = re.compile(r"[《「『（(\[【“‘]$")
_STRONG_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+\s*、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+[章节])")
_SENTENCE_END = re.compile(r"[。！？!?；;：:…][”’」』）)】]*$")
# Lines that open an item of their own even when they follow a broken line.
_ITEM_START = re.compile(r"^(?:——|[-•·●■◆▪*]\s|[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]\s*\D|第[一二三四五六七八九十]+[，,、])")


def _uses_blank_lines(text: str, blocks: list[Block]) -> bool:
    """Whether most sentence-ending lines are followed by a blank line (paragraphs marked by blank lines)."""
    ends = blank = 0
    for a, b in zip(blocks, blocks[1:]):
        line = text[a.start:a.end].rstrip()
        if line and re.search(r"[。！？!?]$", line):
            ends += 1
            blank += text.count("\n", a.end, b.start) >= 2
    return ends >= 3 and blank > 0.5 * ends


def _wrap_width(text: str, blocks: list[Block]) -> int | None:
    """The width a hard-wrapped file breaks its lines at: the most common length of long lines, when
    many lines share it (a file of whole paragraphs has no such mode)."""
    lens = [len(text[b.start:b.end].strip()) for b in blocks if b.kind != "table"]
    long = [n for n in lens if n >= 20]
    if len(long) < 10:
        return None
    width, count = Counter(long).most_common(1)[0]
    near = sum(1 for n in long if width - 2 <= n <= width)
    return width if near >= 0.3 * len(long) else None


def join_wrapped_lines(doc: Document) -> int:
    """Merge blocks that continue the line before them (text formats only); returns how many merged."""
    if doc.pages or len(doc.blocks) < 2:
        return 0
    text = doc.text
    soft_breaks = _uses_blank_lines(text, doc.blocks)
    width = _wrap_width(text, doc.blocks)
    out: list[Block] = [doc.blocks[0]]
    merged = 0
    for b in doc.blocks[1:]:
        a = out[-1]
        if a.kind == "table" or b.kind == "table" or a.page != b.page:
            out.append(b)
            continue
        prev, cur = text[a.start:a.end].strip(), text[b.start:b.end].strip()
        gap = text[a.end:b.start]
        certain = bool(_CLOSING_START.match(cur) or _OPENING_END.search(prev))
        wrap = (soft_breaks and gap.count("\n") == 1 and not _SENTENCE_END.search(prev)
                and not SALUTATION_RE.match(prev) and heading_level(prev) is None
                and not any(FRONT_RE.match(x) or LICENCE_RE.search(x) for x in (prev, cur))
                and heading_level(cur) is None and not _ITEM_START.match(cur))
        # a line as wide as the file's wrap width, unfinished, goes on in the next line even when it
        # happens to start like a heading ("（二）健全…推动…建设结" | "构…。")
        full = (width is not None and len(prev) >= width - 2 and gap.count("\n") == 1 and not _SENTENCE_END.search(prev)
                and not _STRONG_HEADING.match(cur))
        if certain or wrap or full:
            out[-1] = Block(start=a.start, end=b.end, page=a.page, bbox=a.bbox, kind=a.kind,
                            hints={**a.hints, "joined_lines": a.hints.get("joined_lines", 1) + 1})
            merged += 1
        else:
            out.append(b)
    doc.blocks = out
    return merged
