"""Does structure hold when a report is laid out differently? Each check rewrites a real report the
way other sources lay out the same kind of text, and compares the result with the original's:

- nonum:    part headings lose their 一、/二、 numbering ("2024年工作回顾" on its own line);
- wrap:     every numbered part heading is cut at a random point onto two lines;
- hardwrap: every paragraph is broken into 35-character lines, paragraphs separated by blank lines;
- notitle:  the title line is gone and the file has no telling name.

Figures: the share of body text outside any section, the agreement of section roles with the
original's (by characters of body text), whether the year is the same, whether the headings are the
same (hardwrap). Used by benchmarks/structure_report.py --perturb and a slow test.
"""
from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

from ..document import Document
from ..extract.structure import annotate_structure
from ..extract.text import lines_to_blocks

CHECKS = ("nonum", "wrap", "hardwrap", "notitle")
_PART = re.compile(r"^\s*[一二三四五六七八九十]+、\s*")


def structure_of(text: str, name: str) -> Document:
    doc = Document(doc_id=name, path=f"{name}.txt", format="txt", sha256="0", text=text)
    doc.blocks, doc.tables = lines_to_blocks(text)
    annotate_structure(doc)
    return doc


def rewrite(text: str, check: str, rng: random.Random) -> str:
    lines = text.split("\n")
    if check == "nonum":
        return "\n".join(_PART.sub("", ln) if _PART.match(ln) and len(ln.strip()) < 40 else ln for ln in lines)
    if check == "wrap":
        out = []
        for ln in lines:
            s = ln.strip()
            if _PART.match(s) and 8 <= len(s) < 40:
                k = rng.randint(4, len(s) - 3)
                out.append(s[:k] + "\n" + s[k:])
            else:
                out.append(ln)
        return "\n".join(out)
    if check == "hardwrap":
        return "\n\n".join("\n".join(s[i:i + 35] for i in range(0, len(s), 35)) if len(s) > 40 else s
                           for s in (ln.strip() for ln in lines))
    if check == "notitle":
        return "\n".join(lines[1:])
    raise ValueError(check)


def _roles(doc: Document) -> Counter:
    c: Counter = Counter()
    for b in doc.blocks:
        if b.kind == "body":
            c[b.role] += b.end - b.start
    return c


def _headings(doc: Document) -> list[str]:
    """The headings' texts, a heading wrapped over several blocks once."""
    out: list[str] = []
    for b in doc.blocks:
        if b.kind == "heading" and b.section_path and (not out or out[-1] != b.section_path[-1]):
            out.append(b.section_path[-1])
    return out


def _outside(doc: Document) -> float:
    body = [b for b in doc.blocks if b.kind == "body"]
    out = sum(b.end - b.start for b in body if not b.section_path or b.section_path == [doc.title])
    return out / max(1, sum(b.end - b.start for b in body))


def run_checks(paths: list[Path], seed: int = 1) -> dict[str, dict[str, float]]:
    """Per check: mean outside-section share, mean role agreement, share of same years/headings,
    and the worst document's role agreement."""
    rng = random.Random(seed)
    acc: dict[str, dict[str, float]] = {c: Counter() for c in CHECKS}  # type: ignore[misc]
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        base = structure_of(text, Path(path).stem)
        roles0, heads0 = _roles(base), _headings(base)
        for check in CHECKS:
            doc = structure_of(rewrite(text, check, rng), "document" if check == "notitle" else Path(path).stem)
            roles1 = _roles(doc)
            agree = sum(min(roles0[k], roles1[k]) for k in roles0) / max(1, sum(roles0.values()))
            a = acc[check]
            a["documents"] += 1
            a["outside"] += _outside(doc)
            a["role_agreement"] += agree
            a["same_year"] += doc.year == base.year
            a["same_headings"] += _headings(doc) == heads0
            a["worst_role_agreement"] = min(a.get("worst_role_agreement", 1.0), agree)
    for a in acc.values():
        n = a["documents"] or 1
        for k in ("outside", "role_agreement", "same_year", "same_headings"):
            a[k] /= n
    return {c: dict(a) for c, a in acc.items()}
