"""Traditional Chinese: detect it, process a Simplified copy (OpenCC t2s), keep the original.

The rules, lexicons, jieba dictionary and queries are Simplified. A document written in
Traditional characters (the 1954 government work report; texts from Taiwan/Hong Kong) is converted
character-aligned: the processing copy has exactly the original's length, so every offset (pages,
blocks, sentences, claims, statistics) points at the same characters in the original. The
original characters are kept in `Document.meta["original_chars"]` as runs `[offset, text]`
(`original_text()` restores the verbatim text for display and provenance).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..document import Document

# Share of CJK characters that t2s changes above which a text is Traditional. Simplified texts
# change ≈ 0–1% (variant forms, e.g. 1957 report 0.7%); Traditional ones ≈ 25–35% (1954 report 31%).
TRADITIONAL_SHARE = 0.05
MIN_CJK = 20


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def opencc_version() -> str:
    try:
        from importlib.metadata import version

        return version("opencc")
    except Exception:  # version lookup is provenance only
        return "?"


def to_simplified(text: str) -> str:
    """t2s conversion of the same length as `text` (OpenCC's phrase tables are used where they keep
    the length, single-character conversion elsewhere)."""
    conv = _converter()
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    parts = []
    for line in text.split("\n"):
        c = conv.convert(line)
        if len(c) != len(line):
            c = "".join(ch2 if len(ch2 := conv.convert(ch)) == 1 else ch for ch in line)
        parts.append(c)
    return "\n".join(parts)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def traditional_share(text: str, converted: str) -> float:
    cjk = changed = 0
    for a, b in zip(text, converted):
        if _is_cjk(a):
            cjk += 1
            changed += a != b
    return changed / cjk if cjk >= MIN_CJK else 0.0


def simplify_document(doc: Document) -> bool:
    """Convert a Traditional-Chinese document in place (text, title, table cells); True when done."""
    if not any(_is_cjk(ch) for ch in doc.text):
        return False
    converted = to_simplified(doc.text)
    share = traditional_share(doc.text, converted)
    if share < TRADITIONAL_SHARE:
        return False
    runs: list[list[Any]] = []
    for i, (a, b) in enumerate(zip(doc.text, converted)):
        if a != b:
            if runs and runs[-1][0] + len(runs[-1][1]) == i:
                runs[-1][1] += a
            else:
                runs.append([i, a])
    doc.meta["script"] = "traditional"
    doc.meta["converted"] = f"OpenCC t2s {opencc_version()} (character-aligned processing copy)"
    doc.meta["traditional_share"] = round(share, 3)
    doc.meta["original_chars"] = runs
    if doc.title:
        doc.meta.setdefault("original_title", doc.title)
        doc.title = to_simplified(doc.title)
    for t in doc.tables:
        if t.caption:
            t.caption = to_simplified(t.caption)
        for c in t.cells:
            c.text = to_simplified(c.text)
    doc.text = converted
    return True


def original_text(text: str, meta: dict[str, Any], start: int = 0) -> str:
    """The verbatim original of `text`, a slice of the processing copy beginning at document offset
    `start` (a whole document: start=0; a sentence: its `start`), from meta["original_chars"]."""
    chars = list(text)
    for off, run in meta.get("original_chars") or []:
        if off + len(run) <= start or off >= start + len(chars):
            continue
        for j, ch in enumerate(run):
            k = off + j - start
            if 0 <= k < len(chars):
                chars[k] = ch
    return "".join(chars)
