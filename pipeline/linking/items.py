"""A problem sentence that lists several problems ('主要是：经济回升的基础还不牢固；科技创新引领产业
创新的机制还不健全；部分企业经营困难…', '仍面临A、B与C等挑战') is answered item by item: each item by the
countermeasures of the same document, after it, that match it best. Government work reports state
their problems this way (one paragraph in the review of the year) and answer them across the tasks
of the year; papers do it in an introduction or a summary."""
from __future__ import annotations

import re
from dataclasses import replace

from .features import Claim, Vectors
from .glossary import Glossary
from .text import nfkc

LIST_LEAD = re.compile(r"(?:主要是|主要表现(?:在|为)|突出表现(?:在|为)|具体(?:来说|而言|表现为)|集中表现为|面临|存在|"
                       r"mainly|include|faces?|challenges? (?:of|such as))[:：]?", re.I)
MAJOR_SEP = re.compile(r"[；;]")
MINOR_SEP = re.compile(r"[、，,]|以及|及|与|和|\band\b|\bor\b")
LIST_TAIL = re.compile(r"等(?:问题|挑战|困难|不足|短板|矛盾)[。.]?$|(?:problems?|challenges?)[.]?$", re.I)
MIN_ITEM = 4  # characters: '问题', '不足' alone name nothing


FRAMING = re.compile(r"^(?:在.{0,12}(?:同时|过程中|背景下)|.*(?:我们|认识到|看到|清醒))")


def problem_items(text: str) -> list[str]:
    """The problems a sentence lists (at least two), else []: items separated by semicolons;
    after a lead (面临/主要是) the items of an enumeration ending in 等问题/等挑战; or three or more
    problem clauses separated by commas ('基础还不稳固，有效需求不足的矛盾仍然突出，部分企业生产经营困难')."""
    t = nfkc(text).strip()
    m = LIST_LEAD.search(t)
    body = t[m.end():] if m else t
    parts = MAJOR_SEP.split(body)
    out: list[str] = []
    if len(parts) >= 2:
        for x in parts:  # 'A，B；' holds two problems when both clauses are long enough
            sub = [y for y in re.split(r"[，,]", x) if len(y.strip(" 。.…")) >= 6]
            out += sub if len(sub) >= 2 else [x]
    elif m and LIST_TAIL.search(body):
        out = MINOR_SEP.split(LIST_TAIL.sub("", body))
    else:
        clauses = [y for y in re.split(r"[，,]", t) if len(y.strip(" 。.…")) >= 6 and not FRAMING.match(y.strip())]
        if len(clauses) >= 3:
            out = clauses
    items = [x.strip(" 。.…：:") for x in out]
    items = [x for x in items if len(x) >= MIN_ITEM]
    return items if len(items) >= 2 else []


def item_links(body: list[Claim], covered: set[str], glossary: Glossary, p: dict) -> list[tuple[Claim, Claim, float, str]]:
    """(countermeasure, problem, score, item) for the listed problems outside the problem sections
    that section alignment answers (`covered`: their section paths)."""
    targets = [(q, problem_items(q.full_text or q.text)) for q in body
               if q.label == "problem" and " > ".join(q.section_path) not in covered
               and (not q.pieces or q.claim_id == q.pieces[0])]
    targets = [(q, its) for q, its in targets if its]
    cms = [c for c in body if c.label == "countermeasure"]
    if not targets or not cms:
        return []
    pseudo: list[Claim] = []
    owner: list[tuple[Claim, str]] = []
    for q, its in targets:
        for it in its:
            words = [w for w in q.words if w in it]
            pseudo.append(replace(q, claim_id=f"{q.claim_id}#item{len(pseudo)}", text=it, full_text=it, words=words,
                                  concepts=glossary.concepts(it, q.lang), pieces=()))
            owner.append((q, it))
    vec = Vectors(cms + pseudo, classes=False)
    lw = p.get("lex_weight", 0.85)
    rows = [vec.index[x.claim_id] for x in pseudo]
    cols = [vec.index[c.claim_id] for c in cms]
    s = vec.sim_matrix(rows, cols, None, lw)
    out: dict[tuple[str, str], tuple[Claim, Claim, float, str]] = {}
    top, rel, floor = int(p["list_item_top"]), float(p["list_item_rel"]), float(p["list_item_min"])
    for r, (q, it) in enumerate(owner):
        order = [j for j in sorted(range(len(cms)), key=lambda j: (-s[r, j], j)) if cms[j].idx > q.idx]
        if not order:
            continue
        best = s[r, order[0]]
        for j in order[:top]:
            sc = float(s[r, j])
            if sc >= floor and sc >= rel * best:
                c = cms[j]
                key = (c.claim_id, q.claim_id)
                if key not in out or out[key][2] < sc:
                    out[key] = (c, q, round(sc, 4), it)
    return [out[k] for k in sorted(out)]
