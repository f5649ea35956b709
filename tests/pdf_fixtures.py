"""Helpers for the PDF tests and benchmark: seed PDFs rendered on demand, and an edit distance
fast enough for whole documents (bit-parallel, Hyyrö 2001 / Myers 1999: O(len(a)·len(b)/w))."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
SEEDS = SHARED / "seeds" if (SHARED / "seeds").is_dir() else ROOT / "corpus"
REALDATA = SHARED / "realdata" / "pdf"


def seed_path(prefix: str) -> Path:
    """The seed whose file name starts with `prefix` ("001")."""
    found = sorted(SEEDS.glob(f"{prefix}*.txt"))
    if not found:
        raise FileNotFoundError(f"no seed {prefix}* under {SEEDS}")
    return found[0]


def render_seed(prefix: str, out_dir: Path, table_style: str = "ruled") -> tuple[Path, dict[str, Any]]:
    from pipeline.devtools.render_pdf import render_pdf

    src = seed_path(prefix)
    out = out_dir / (src.stem + ("" if table_style == "ruled" else "_" + table_style) + ".pdf")
    return out, render_pdf(src, out, table_style=table_style)


def levenshtein(a: str, b: str) -> int:
    """Edit distance between a and b; Python ints serve as bit vectors of length len(a)."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    m = len(a)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, ch in enumerate(a):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    pv, mv, score = mask, 0, m
    for ch in b:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & mask) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & mask  # row 0 of the DP grows by one per column (global distance)
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
    return score


def squash(s: str) -> str:
    """Text without whitespace: the PDF decides where spaces and line breaks go, not the seed."""
    return re.sub(r"\s+", "", s)


def cer(reference: str, hypothesis: str) -> float:
    ref, hyp = squash(reference), squash(hypothesis)
    return levenshtein(ref, hyp) / max(len(ref), 1)
