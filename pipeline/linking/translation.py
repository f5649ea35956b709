"""Translation links: a document's Chinese abstract ↔ its English abstract, sentence by sentence.

Gale–Church-like dynamic programming over the two sentence sequences: the cost of pairing a group
of Chinese sentences with a group of English ones is a length term (English characters against
Chinese characters times the document's own ratio) plus an anchor term (shared glossary
concepts, numbers and years), plus a penalty per move type; 1–2 and 2–1 moves let one Chinese
sentence pair with two English ones (a long Chinese sentence split in translation). No embeddings.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .features import Claim
from .text import numbers_in

MOVES = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1), (1, 3))


@dataclass
class Alignment:
    zh: list[Claim]
    en: list[Claim]
    cost: float
    evidence: dict


def _anchor(zh: list[Claim], en: list[Claim]) -> tuple[float, dict]:
    cz = {c for s in zh for c, _ in s.concepts}
    ce = {c for s in en for c, _ in s.concepts}
    nz = {n for s in zh for n in numbers_in(s.text)}
    ne = {n for s in en for n in numbers_in(s.text)}
    shared = cz & ce
    union = cz | ce
    con = len(shared) / len(union) if union else 0.0
    num = (len(nz & ne) / len(nz | ne)) if (nz | ne) else None
    score = con if num is None else 0.7 * con + 0.3 * num
    ev = {"glossary": sorted(shared)[:10], "numbers": sorted(nz & ne)}
    return score, ev


def align(zh: list[Claim], en: list[Claim], params: dict) -> list[Alignment]:
    """Best monotone alignment of two sentence sequences (reading order)."""
    if not zh or not en:
        return []
    lz = [len(c.text) for c in zh]
    le = [len(c.text) for c in en]
    ratio = sum(le) / max(1, sum(lz))  # this document's own en/zh length ratio
    s2 = params.get("length_variance", 6.8)
    w_anchor = params.get("anchor_weight", 4.0)
    penalty = {(1, 1): 0.0, (1, 2): params.get("split_penalty", 1.0), (2, 1): params.get("split_penalty", 1.0),
               (1, 3): 2 * params.get("split_penalty", 1.0),
               (1, 0): params.get("skip_penalty", 4.0), (0, 1): params.get("skip_penalty", 4.0)}
    n, m = len(zh), len(en)
    INF = float("inf")
    best = [[INF] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if best[i][j] == INF:
                continue
            for di, dj in MOVES:
                ni, nj = i + di, j + dj
                if ni > n or nj > m:
                    continue
                if di and dj:
                    a = sum(lz[i:ni]) * ratio
                    b = sum(le[j:nj])
                    delta = (b - a) / math.sqrt(max(1.0, a) * s2)
                    anc, _ = _anchor(zh[i:ni], en[j:nj])
                    cost = delta * delta / 2 + w_anchor * (1 - anc) + penalty[(di, dj)]
                else:
                    cost = penalty[(di, dj)]
                if best[i][j] + cost < best[ni][nj] - 1e-12:
                    best[ni][nj] = best[i][j] + cost
                    back[ni][nj] = (di, dj)
    out: list[Alignment] = []
    i, j = n, m
    while i > 0 or j > 0:
        step = back[i][j]
        assert step is not None  # every cell on the path back from (n, m) was reached
        di, dj = step
        if di and dj:
            g_zh, g_en = zh[i - di:i], en[j - dj:j]
            a = sum(lz[i - di:i]) * ratio
            b = sum(le[j - dj:j])
            delta = (b - a) / math.sqrt(max(1.0, a) * s2)
            anc, ev = _anchor(g_zh, g_en)
            cost = delta * delta / 2 + w_anchor * (1 - anc) + penalty[(di, dj)]
            ev.update(move=f"{di}-{dj}", length_ratio=round(b / max(1, sum(lz[i - di:i])), 3),
                      doc_ratio=round(ratio, 3), anchor=round(anc, 3))
            out.append(Alignment(g_zh, g_en, cost, ev))
        i, j = i - di, j - dj
    return out[::-1]


def translation_pairs(claims: list[Claim], params: dict) -> list[tuple[Claim, Claim, float, dict]]:
    """(zh claim, en claim, score, evidence) for every document with both abstracts."""
    by_doc: dict[str, dict[str, list[Claim]]] = {}
    for c in claims:
        if c.kind == "abstract" and c.lang in ("zh", "en"):
            by_doc.setdefault(c.doc_id, {}).setdefault(c.lang, []).append(c)
    out = []
    max_cost = params.get("max_cost", 6.0)
    for doc in sorted(by_doc):
        zh, en = by_doc[doc].get("zh", []), by_doc[doc].get("en", [])
        for al in align(zh, en, params):
            if al.cost > max_cost:
                continue
            score = round(math.exp(-al.cost / 4), 4)
            for a in al.zh:
                for b in al.en:
                    out.append((a, b, score, dict(al.evidence, cost=round(al.cost, 3))))
    return out
