"""Documents rebuilt from gold claims plus their source text: a stand-in for pipeline.build.

Used by training and leave-one-out evaluation when no real Documents are given. Each gold sentence
is located in the source text (so it gets a block = source line, and neighbours), and its heading
path is the numbered headings found above it, closed by the gold's own `section`.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from pathlib import Path

from pipeline.document.model import Document, Sentence
from pipeline.evaluate.matching import normalize

_HEADING_LEVEL = [
    (re.compile(r"^[一二三四五六七八九十]+、"), 1),
    (re.compile(r"^[0-9]+(?:\.[0-9]+)+\s*\S"), None),  # 2.2.1 -> level by dots
    (re.compile(r"^[0-9]+\s+\S"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]+[)）]"), 2),
    (re.compile(r"^[0-9]+[.．、](?![0-9])"), 3),
]
_ABSTRACT = re.compile(r"^\s*(摘\s*要|abstract)\s*[:：]?", re.IGNORECASE)


def _heading_level(line: str) -> int | None:
    s = line.strip()
    if not s or len(s) > 60 or s[-1] in "。；;!！?？:：,，" or "\t" in s:
        return None
    for rx, level in _HEADING_LEVEL:
        m = rx.match(s)
        if m:
            if level is None:
                return 1 + m.group(0).split()[0].count(".")
            return level
    return None


def default_source_roots() -> list[Path]:
    here = Path(__file__).resolve().parents[2]
    return [here / "corpus", here.parent / "shared" / "seeds", here.parent / "shared" / "realdata"]


def find_source(doc_id: str, roots: list[Path]) -> Path | None:
    for root in roots:
        if not root.exists():
            continue
        for ext in (".txt", ".md"):
            p = root / f"{doc_id}{ext}"
            if p.exists():
                return p
        for p in root.rglob(f"{doc_id}.*"):
            if p.suffix in (".txt", ".md"):
                return p
    return None


def build_gold_documents(gold_rows: list[dict], roots: list[Path] | None = None) -> dict[str, Document]:
    """One Document per gold doc id, sentences = the gold sentences with recovered context."""
    roots = roots or default_source_roots()
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for r in gold_rows:
        by_doc[r["doc"]].append(r)
    docs = {}
    for doc_id, rows in by_doc.items():
        src = find_source(doc_id, roots)
        text = src.read_text(encoding="utf-8") if src else ""
        docs[doc_id] = _build(doc_id, src, text, rows)
    return docs


def _build(doc_id: str, src: Path | None, text: str, rows: list[dict]) -> Document:
    lines = text.split("\n")
    line_starts, pos = [], 0
    for ln in lines:
        line_starts.append(pos)
        pos += len(ln) + 1
    # heading stack per line: path of numbered headings in force at the start of each line
    stacks: list[list[tuple[int, str]]] = []
    stack: list[tuple[int, str]] = []
    for ln in lines:
        lvl = _heading_level(ln)
        if _ABSTRACT.match(ln):
            stack = []  # an abstract starts a new region
        stacks.append(list(stack))
        if lvl is not None:
            stack = [h for h in stack if h[0] < lvl] + [(lvl, ln.strip())]
            stacks[-1] = list(stack)
    doc = Document(doc_id=doc_id, path=str(src or ""), format="txt",
                   sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), text=text,
                   title=lines[0].strip() if lines else "",
                   lang="en" if all(r.get("lang") == "en" for r in rows) else "zh")
    cursor = 0
    for i, r in enumerate(rows):
        gtext = r["text"]
        start = text.find(gtext, cursor)
        if start < 0:
            start = text.find(gtext)
        end = start + len(gtext) if start >= 0 else -1
        if start >= 0:
            cursor = end
        line_no = text.count("\n", 0, start) if start >= 0 else -1
        path = [h for _, h in stacks[line_no]] if line_no >= 0 else []
        sec = r.get("section", "")
        if sec and (not path or normalize(path[-1]) != normalize(sec)):
            # keep outer headings that are above the gold section's level
            path = [p for p in path if normalize(p) != normalize(sec)]
            lvl = _heading_level(sec)
            if lvl is not None:
                path = [p for p in path if (_heading_level(p) or 0) < lvl]
            path.append(sec)
        elif not sec:
            path = []
        kind = "abstract" if _ABSTRACT.match(sec) else "body"
        doc.sentences.append(Sentence(start=max(start, 0), end=max(end, 0), text=gtext, kind=kind,
                                      lang=r.get("lang", "zh"), page=None, section_path=path,
                                      block_index=line_no, index=i))
    return doc
