"""Direction, modality, subject, metric and year of an English figure from the words around it."""
from __future__ import annotations

import re
from typing import Optional

from ..context import YearExpr
from ..core import Figure
from .figures import year_span
from .patterns import YEAR_PATTERN, Patterns

# ------------------------------------------------------------------------------------------------
# attributes


def direction_en(text: str, fig: Figure, clause: tuple[int, int], figs: list[Figure], P: Patterns) -> Optional[str]:
    if fig.kind != "quantity":
        return None
    m = P.after_re.match(text, fig.ext_end)
    if m:
        w = re.sub(r"\s+", " ", m.group().strip().lower())
        return P.after_dir.get(w)
    a = clause[0]
    chars = list(text[a:fig.ext_start])
    for f in figs:
        for i in range(max(f.ext_start, a), min(f.ext_end, fig.ext_start)):
            chars[i - a] = "\x00"
    before = "".join(chars)
    best = None
    for c in P.cue_re.finditer(before):
        best = c
    if best is None:
        return None
    between = before[best.end():]
    if P.filler_re.fullmatch(between) is None:
        return None
    return P.cue_dir.get(re.sub(r"\s+", " ", best.group().lower()))


def modality_en(text: str, fig: Figure, clause: tuple[int, int], y: Optional[YearExpr], doc_year, sec_mod,
              P: Patterns) -> str:
    before = text[:fig.start]
    if y is not None and doc_year and y.year < doc_year:
        return "actual"
    if P.actual_re.search(text[clause[0]:fig.start]):
        return "actual"
    if P.target_re.search(before):
        return "target"
    for m in re.finditer(r"\bby\s+(?:the\s+end\s+of\s+)?(" + YEAR_PATTERN + r")\b", text, re.I):
        yy = int(m.group(1))
        if (doc_year and yy > doc_year) or (not doc_year and yy >= 2025):
            return "target"
    return sec_mod or "actual"


class _Men:
    def __init__(self, start, end, text, canonical, deictic):
        self.start, self.end, self.text, self.canonical, self.deictic = start, end, text, canonical, deictic


def mentions_en(text: str, P: Patterns) -> list[_Men]:
    out = []
    for m in P.region_re.finditer(text):
        can, dei = P.regions.get(P._key(m.group()), ("", None))
        tail = text[m.end():m.end() + 30]
        if re.match(r"[\w\s]{0,20}?\b(?:University|Museum|Airport|Institute|Group|Company|Co\.|Bank)\b", tail):
            continue  # Chengdu University, Chongqing Airport: part of a name
        out.append(_Men(m.start(), m.end(), m.group(), can or None, dei))
    return out


def subject_en(text: str, fig: Figure, clause, mentions: list[_Men], figs, region, P: Patterns
             ) -> tuple[Optional[str], Optional[str]]:
    def usable(m: _Men) -> bool:
        return not P.compare_before_re.search(text[max(0, m.start - 20):m.start])

    def res(m: _Men):
        if m.deictic:
            return region, m.text
        return m.canonical, m.text

    a, b = clause
    # Under section 1204 penalties range up to…: the provision the figure belongs to
    prov = re.search(r"\b(?:[Uu]nder|[Pp]ursuant to|[Ii]n)\s+((?:section|article|title|rule)\s+\d+[a-z]?"
                     r"(?:\s*\([a-z0-9]+\))*)", text[:fig.start])
    if prov and not [m for m in mentions if m.end <= fig.start and usable(m)]:
        return prov.group(1), None
    if fig.kind == "rank":
        mentions = [m for m in mentions if not re.search(r"\b(?:in|among|of)\s+(?:the\s+)?$",
                                                         text[max(0, m.start - 10):m.start])] or mentions
    inc = [m for m in mentions if a <= m.start and m.end <= fig.start and usable(m)]
    if len(inc) > 1:
        non_of = [m for m in inc if not re.search(r"\bof\s+(?:the\s+)?$", text[max(0, m.start - 8):m.start])]
        inc = non_of or inc
    if inc:
        return res(inc[-1])
    # after the figure in its clause: 3.29 million vehicles were produced in Chongqing
    for m in mentions:
        if fig.end <= m.start and m.end <= b and usable(m) and not any(fig.end <= f.start < m.start for f in figs):
            if re.search(r"\b(?:in|by)\s+(?:the\s+)?$", text[max(0, m.start - 8):m.start]):
                return res(m)
    # the sentence's topic: the nearest usable mention in an earlier clause
    prior = [m for m in mentions if m.end <= a and usable(m)]
    if prior:
        plain = [m for m in prior if not re.search(r"\bof\s+(?:the\s+)?$", text[max(0, m.start - 8):m.start])]
        return res((plain or prior)[0])
    # an agency or a group named as the clause's or the sentence's subject: the Copyright Office…,
    # Households increased savings by 5%, U.S. firms cut investment 3%
    for seg_start in (a, 0):
        lead = text[seg_start:fig.start]
        org = P.org_re.match(lead.lstrip()) or P.org_re.search(lead[:60])
        if org and len(org.group(1).split()) >= 2:
            return org.group(1).strip(), None
        noun = P.subject_noun_re.search(lead[:40])
        at = seg_start + noun.start() if noun else -1
        if noun and any(f.start <= at < f.end for f in figs):
            noun = None  # 500 firms in 12 countries: a counted noun, not a subject
        if noun and not re.search(r"\b(?:of|for|to|by|with|from|per)\s+(?:the\s+|all\s+|these\s+)?\S*\s*$",
                                   lead[:noun.start()]):
            return noun.group(1).lower(), None
    return region, None


def _strip(phrase: str, P: Patterns) -> str:
    s = phrase
    changed = True
    while changed and s:
        changed = False
        s2 = s.strip(" ,;:\x00\"'()-–")
        if s2 != s:
            s, changed = s2, True
        low = s.lower()
        for w in P.strip_suf:
            if low == w or (low.endswith(" " + w) if w[0].isalnum() else low.endswith(w)):
                s, changed = s[: len(s) - len(w)], True
                break
        low = s.lower()
        for w in P.strip_pre:
            if low == w or (low.startswith(w + " ") if w[-1].isalnum() else low.startswith(w)):
                s, changed = s[len(w):], True
                break
    return s.strip()


def _tidy(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\s+'s\b", "", s)
    words = s.split(" ")
    if words and re.fullmatch(r"[A-Z][a-z]+", words[0]):
        words[0] = words[0].lower()  # sentence-initial capital (Industrial output)
    if len(words) > 6:
        words = words[-6:]
    return " ".join(words)


def metric_en(text: str, fig: Figure, clause, figs: list[Figure], mentions, years, direction, P: Patterns,
            done: list[tuple[Figure, str]]) -> tuple[str, Optional[str]]:
    a, b = clause
    drop = [year_span(text, y, P) for y in years] + [(m.start, m.end) for m in mentions]
    others = [(f.ext_start, f.ext_end) for f in figs if f is not fig]
    chars = []
    for i in range(a, fig.ext_start):
        if any(s0 <= i < e0 for s0, e0 in others):
            chars.append("\x00")
        elif any(s0 <= i < e0 for s0, e0 in drop):
            chars.append(" ")
        else:
            chars.append(text[i])
    seg = re.sub(r"\s+(?:of|in)\s+(?=\s*(?:was|were|is|are|had|has|reached|\x00|$))", " ", "".join(chars))
    seg = re.sub(r"\x00+", "\x00", seg)
    piece = seg.split("\x00")[-1]
    piece = piece.rsplit("(", 1)[-1]  # (the average price difference is as high as 80 euros
    # "… and find that over 90% …": only the words after the last clause-internal break
    ws = piece.split()
    for i in range(len(ws) - 1, -1, -1):
        if ws[i].lower().strip(",;") in P.breaks:
            piece = " ".join(ws[i + 1:])
            break
    # a cue word of the direction: take what precedes it (exports fell 3.5% → exports)
    cue = None
    for c in P.cue_re.finditer(piece):
        cue = c
    if cue is not None and P.filler_re.fullmatch(piece[cue.end():]):
        piece = piece[:cue.start()]
    piece = re.sub(r"^\s*(?:under|pursuant to|in)\s+(?:section|article|title|rule)\s+\d+[a-z]?(?:\s*\([a-z0-9]+\))*\s*,?",
                   "", piece, flags=re.I)  # the provision is the subject, not part of the name
    base = _strip(piece, P)
    mt = P.target_re.search(base)
    if mt:  # aims to build 50 parks: the goal's verb is not the metric
        base = _strip(base[:mt.start()], P)
    words = base.split()
    if len(words) >= 2 and re.fullmatch(r"[a-z]+ed", words[-1]):
        base = _strip(" ".join(words[:-1]), P)  # sales posted / 2,000 students enrolled: drop the verb
        if fig.unit == "count" and fig.counter:
            base = ""
    base = _tidy(base)
    if len(base) < 2 or base.lower() in P.cue_dir:
        base = ""
    after = text[fig.ext_end:b]
    if fig.kind == "quantity":
        mo = re.match(r"\s+of\s+(?:the\s+)?([A-Za-z][\w\-&']*(?:\s+[A-Za-z][\w\-&']*){0,4})", after)
        if fig.unit == "count" and fig.counter and not base:
            phrase = _counter_phrase(text, fig)
            base = phrase + (" of " + _cut_np(mo.group(1)) if mo else "")
        elif not base and mo:
            np = _cut_np(mo.group(1))
            if fig.unit == "percent" and direction is None:
                prev = next((m for f, m in reversed(done) if m), "")
                base = (prev + " " if prev else "") + "share of " + np
            else:
                base = np
    if fig.kind == "rank":
        rest = re.sub(r"^(?:\s*(?:nationwide|nationally|globally|in\s+the\s+(?:country|nation|world)|in\s+China))+",
                      "", text[fig.ext_end:b])
        mi = re.match(r"\s+(in|among)\s+(?:the\s+)?([A-Za-z0-9][\w\-&]*(?:\s+[A-Za-z][\w\-&]*){0,4})", rest)
        ms = re.match(r"[\s\-]*((?:largest|biggest|highest|lowest|most|least)\b(?:\s+[a-z][\w\-]*)?)",
                      text[fig.ext_end:b])
        if ms:
            base = _cut_np(ms.group(1))  # the third largest city
        elif mi and mi.group(1).lower() == "in":
            base = _cut_np(mi.group(2))  # ranked first in the country in software revenue
        elif mi and not base:
            base = _cut_np(mi.group(2)) if mi.group(1).lower() == "in" else "rank among " + _cut_np(mi.group(2))
        mn = re.match(r"\s+([a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,2})", text[fig.ext_end:b])
        if mn and not base and fig.approx == "less_than":  # the top 10 cities
            base = _cut_np(mn.group(1))
    if not base and done:
        base = next((m for f, m in reversed(done) if m), "")
    if not base:
        return "", None
    metric = base
    if fig.kind == "rank" and not re.search(r"\brank", metric):
        metric += " rank"
    if fig.unit == "percent" and direction == "up" and not re.search(r"(growth|increase|rate|rise)$", metric):
        metric += " growth"
    elif fig.unit == "percent" and direction == "down" and not re.search(r"(decline|decrease|drop|reduction)$", metric):
        metric += " decline"
    return base, metric[:60]


def _cut_np(s: str) -> str:
    """A noun phrase up to the first verb-like or prepositional break."""
    words = []
    for w in s.split():
        if w.lower() in ("in", "at", "on", "from", "to", "by", "and", "or", "was", "were", "is", "are", "for",
                         "with", "than", "over", "which", "that", "during", "since", "as"):
            break
        words.append(w)
    return " ".join(words)


def _counter_phrase(text: str, fig: Figure) -> str:
    m = re.match(r".*?\d(?:\s*(?:thousand|million|billion|trillion|bn|mln))?\s+(.*)$", text[fig.start:fig.end],
                 re.I | re.S)
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else (fig.counter or "")


def years_for_en(fig: Figure, clause, figs: list[Figure], years: list[YearExpr], text: str) -> Optional[YearExpr]:
    a, b = clause
    # right after the figure in its clause, no other figure between (3.29 million vehicles in 2023)
    for y in years:
        if fig.end <= y.start < b and not any(fig.end <= f.start < y.start for f in figs) and \
                y.start - fig.end <= 40 and not re.search(r"\b(?:than|from|compared|relative)\b",
                                                          text[fig.end:y.start], re.I):
            return y
    before = [y for y in years if a <= y.start and y.end <= fig.start]
    if before:
        return before[-1]
    before = [y for y in years if y.end <= fig.start]
    if before and not re.search(r"\b(?:currently|at present|now|so far|already)\b", text[a:fig.start], re.I):
        return before[-1]
    return None

