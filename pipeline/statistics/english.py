"""English statistics rules: the counterpart of extract.py for sentences with no Chinese characters.

Same record shape and the same rule style; the vocabulary (magnitudes, currencies, counters,
qualifiers, directions, rank words, target cues, year prepositions, metric strip words, extra region
names) lives in models/statistics/english.tsv, region names in the gazetteer's `english` column.

"Industrial output reached 1.68 trillion yuan in 2023, up 20.04% from 2022." →
1.68e12 CNY (year 2023, metric "industrial output") and 20.04 percent (up, year 2023 — 2022 is the
base year). Bare numbers (years, section/table numbers, citations [12], page ranges, DOIs) have no
unit and are never reported.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Optional

from ..document import Document, Sentence, Statistic
from .context import YearExpr
from .extract import _Fig, _in, _section_info, text_statistic
from .lexicon import Lexicon

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NUM = r"(?<![\w.\-/])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w]|\.\d|,\d{3})"
_YEAR = r"(?:1[89]\d{2}|20\d{2}|2100)"


def is_english(text: str) -> bool:
    """A sentence the English rules handle: letters, and no Chinese character."""
    return not _CJK_RE.search(text) and bool(re.search(r"[A-Za-z]{2}", text))


def _alt(words, boundary: bool = True) -> str:
    out = []
    for w in sorted(set(words), key=lambda x: (-len(x), x)):
        e = re.escape(w).replace(r"\ ", r"\s+")
        if boundary and w[:1].isalnum():
            e = r"\b" + e
        if boundary and w[-1:].isalnum():
            e = e + r"\b"
        out.append(e)
    return "|".join(out) or r"(?!x)x"


class _P:
    """Compiled patterns for one lexicon."""

    def __init__(self, lex: Lexicon):
        g = lambda c: lex.en.get(c, [])  # noqa: E731
        self.mag = {w.lower(): Decimal(v) for w, v in g("magnitude")}
        self.cur_pre = {w.lower(): v for w, v in g("currency_prefix")}
        self.cur_suf = {re.sub(r"\s+", " ", w.lower()): v for w, v in g("currency_suffix")}
        self.rate = {re.sub(r"\s+", " ", w.lower()): v for w, v in g("rate")}
        self.counters = {w.lower() for w, _ in g("counter")}
        self.not_mod = {w.lower() for w, _ in g("not_modifier")}
        self.number = re.compile(
            r"(?:(?P<cur>" + _alt(self.cur_pre) + r")\s*)?(?P<num>" + _NUM + r")"
            r"(?:\s*(?P<mag>" + _alt(self.mag) + r"))?", re.I)
        self.suffix = re.compile(r"\s*(?P<u>" + _alt(list(self.rate) + list(self.cur_suf)) + r")", re.I)
        self.counter_multi = [c for c in self.counters if " " in c]
        self.approx_pre = dict((w.lower(), v) for w, v in g("approx_prefix"))
        self.approx_pre_re = re.compile(r"(?:" + _alt(self.approx_pre) + r")\s*$", re.I)
        self.approx_suf = dict((w.lower(), v) for w, v in g("approx_suffix"))
        self.approx_suf_re = re.compile(r"\s*(?:" + _alt(self.approx_suf) + r")", re.I)
        self.cues = [(w, "up") for w, _ in g("up")] + [(w, "down") for w, _ in g("down")] + \
            [(w, None) for w, _ in g("level")]
        self.cue_re = re.compile(_alt([w for w, _ in self.cues]), re.I)
        self.cue_dir = {w.lower(): d for w, d in self.cues}
        self.after_re = re.compile(r"\s*(?:" + _alt([w for w, _ in g("up_after") + g("down_after")]) + r")",
                                   re.I)
        self.after_dir = {**{w.lower(): "up" for w, _ in g("up_after")},
                          **{w.lower(): "down" for w, _ in g("down_after")}}
        self.filler_re = re.compile(r"(?:" + _alt([w for w, _ in g("filler")]) + r"|[\s,\x00])*", re.I)
        self.ordinal = {w.lower(): int(v) for w, v in g("ordinal")}
        self.number_word = {w.lower(): int(v) for w, v in g("number_word")}
        rank_verbs = _alt([w for w, _ in g("rank_verb")])
        ordinals = _alt(self.ordinal)
        self.rank_after = _alt([w for w, _ in g("rank_after")])
        # ranks third · ranked No. 5 · ranked 3rd · is the third largest · first in the country
        self.rank_re = re.compile(
            r"(?P<lead>(?:" + rank_verbs + r")\s+(?:(?:as|at)\s+)?(?:the\s+)?)?"
            r"(?P<no>No\.?\s*|number\s+)?(?P<val>" + ordinals + r"|\d{1,3}(?:st|nd|rd|th)\b|(?<=No\.)\d{1,3}\b"
            r"|(?<=No\. )\d{1,3}\b|(?<=number )\d{1,3}\b)", re.I)
        self.rank_after_re = re.compile(r"\s*(?:-|\s)?(?:" + self.rank_after + r")", re.I)
        self.top_re = re.compile(r"\b(?:the|ranked|rank|ranks|ranking)\s+(?P<span>top\s+(?P<n>\d{1,3}|"
                                 + _alt(self.number_word) + r"))\b", re.I)
        self.target_re = re.compile(_alt([w for w, _ in g("target")]), re.I)
        self.actual_re = re.compile(_alt([w for w, _ in g("actual_marker")]), re.I)
        base = _alt([w for w, _ in g("base_year")])
        self.base_year_re = re.compile(r"(?:" + base + r")\s+(?:in\s+)?(?:the\s+)?(?:year\s+)?$", re.I)
        self.year_prep_re = re.compile(r"(?:" + _alt([w for w, _ in g("year_prep")]) + r")\s*$", re.I)
        self.anaphora_re = re.compile(r"^\s*(?:" + _alt([w for w, _ in g("anaphora")]) + r")", re.I)
        self.compare_before_re = re.compile(r"(?:" + _alt([w for w, _ in g("compare_before")]) + r")\s+(?:the\s+)?$",
                                            re.I)
        self.strip_suf = sorted({w.lower() for w, _ in g("metric_strip_suffix")}, key=lambda w: -len(w))
        self.breaks = {w.lower() for w, _ in g("metric_break")}
        self.name_ok = {w.lower() for c in ("approx_prefix", "currency_prefix", "up", "down", "level", "filler")
                        for w, _ in g(c)} | {w.lower() for w, _ in g("metric_strip_suffix")}
        self.strip_pre = sorted({w.lower() for w, _ in g("metric_strip_prefix")}, key=lambda w: -len(w))
        # regions: gazetteer English names and aliases, hyphens/dashes interchangeable
        names: dict[str, tuple[str, Optional[str]]] = {}
        for reg in lex.regions.values():
            if reg.english and reg.type != "country":
                names.setdefault(reg.english, (reg.canonical, None))
        for w, v in g("region_alias"):
            names[w] = (v, None)
        for w, v in g("deictic"):
            names[w] = ("", v)
        self.regions = {self._key(n): cv for n, cv in names.items()}
        pats = []
        for n in sorted(names, key=lambda x: (-len(x), x)):
            e = re.escape(n).replace(r"\ ", r"\s+").replace(r"\-", r"\s*[\-‐–—]\s*")
            pats.append(r"\b" + e + r"(?![\w\-])")
        self.region_re = re.compile("|".join(pats), re.I) if pats else re.compile(r"(?!x)x")

    @staticmethod
    def _key(name: str) -> str:
        return re.sub(r"\s*[\-‐–—]\s*", "-", re.sub(r"\s+", " ", name.strip().lower()))


def _patterns(lex: Lexicon) -> _P:
    p = lex.en_cache.get("p")
    if p is None:
        p = lex.en_cache["p"] = _P(lex)
    return p


# ------------------------------------------------------------------------------------------------
# masking, clauses, years


def _masked(text: str) -> list[tuple[int, int]]:
    """Spans whose numbers are never statistics: citations [12] / (Smith et al., 2020), references to
    tables, figures, sections, pages (pp. 22-28), volumes, DOIs and URLs, dates."""
    out = []
    pats = [r"\[\s*\d+(?:\s*[,\-–]\s*\d+)*\s*\]",
            r"\b(?:doi|DOI)\s*:?\s*\S+|\bhttps?://\S+|\b10\.\d{4,9}/\S+",
            r"\b(?:Tables?|Figs?\.?|Figures?|Sections?|Sect\.|Chapters?|Ch\.|Eqs?\.|Equations?|Appendix|"
            r"Articles?|Art\.|Vol\.|Volume|Issue|Part|Step|Phase|Model|Hypothesis|H)\s*\d+(?:[.\-–]\d+)*[a-z]?",
            r"\bpp?\.\s*\d+(?:\s*[\-–]\s*\d+)?",
            r"\(\s*[A-Z][^()]{0,80}?\b" + _YEAR + r"[a-z]?\s*\)",
            r"\bet al\.?,?\s*\(?\s*" + _YEAR,
            r"\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}|\d+(?:[\-–]\d+){2,}"]
    for p in pats:
        out.extend(m.span() for m in re.finditer(p, text))
    return out


_SEP_RE = re.compile(r"[,;:](?=\s|$)|[.!?](?=\s*$)|\s[—–]\s")


def _clauses(text: str) -> list[tuple[int, int]]:
    out, a = [], 0
    for m in _SEP_RE.finditer(text):
        out.append((a, m.start()))
        a = m.end()
    out.append((a, len(text)))
    return out


def _clause_of(clauses, pos: int) -> tuple[int, int]:
    for a, b in clauses:
        if a <= pos < b or (pos == b and a == b):
            return a, b
    return clauses[-1]


def _years(text: str, P: _P, masked, doc_year: Optional[int]) -> tuple[list[YearExpr], list[tuple[int, int]]]:
    """(year expressions, base-year spans). Ranges 2018-2022 / from 2018 to 2022 / between … and …
    give year_start; "since 2018" gives year_start 2018 (year: the document's, else 2018)."""
    out: list[YearExpr] = []
    base: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []
    for m in re.finditer(r"\b(?:(?:from|between)\s+)?(" + _YEAR + r")\s*(?:[\-–—]|to|and|through|until)\s*("
                         + _YEAR + r")\b", text):
        y0, y1 = int(m.group(1)), int(m.group(2))
        if y0 < y1 and not _in(masked, m.start(1), m.end(2)):
            out.append(YearExpr(m.start(), m.end(), y1, y0))
            taken.append(m.span())
    for m in re.finditer(r"(?<![\w.,$/\-])(" + _YEAR + r")(?![\w%]|\.\d|,\d)", text):
        a, b = m.span()
        if any(s <= a < e for s, e in taken) or _in(masked, a, b):
            continue
        before = text[max(0, a - 30):a]
        y = int(m.group(1))
        if P.base_year_re.search(before):
            base.append((a, b))
            continue
        if re.search(r"\bsince\s+$", before, re.I):
            yy = doc_year if doc_year and doc_year > y else y
            out.append(YearExpr(a, b, yy, y if yy != y else None))
            continue
        out.append(YearExpr(a, b, y))
    if doc_year:
        for m in re.finditer(r"\b(last|this|next)\s+year\b", text, re.I):
            if P.base_year_re.search(text[max(0, m.start() - 30):m.start()]):
                continue
            off = {"last": -1, "this": 0, "next": 1}[m.group(1).lower()]
            out.append(YearExpr(m.start(), m.end(), doc_year + off, None, True))
    out.sort(key=lambda y: y.start)
    return out, base


def _year_span(text: str, y: YearExpr, P: _P) -> tuple[int, int]:
    """A year expression with its preposition (in 2023, as of 2022) for dropping from metrics."""
    m = P.year_prep_re.search(text[:y.start])
    return (m.start() if m else y.start), y.end


# ------------------------------------------------------------------------------------------------
# figures


def _word_at(text: str, pos: int) -> Optional[re.Match]:
    return re.compile(r"\s+([A-Za-z][A-Za-z\-]*|[A-Za-z]+\.)").match(text, pos)


def _counter(text: str, pos: int, P: _P) -> Optional[tuple[int, str, str]]:
    """(end, counter, noun phrase) when a counted noun follows at `pos` (up to two modifiers)."""
    for c in P.counter_multi:  # square kilometres
        m = re.compile(r"\s+" + re.escape(c).replace(r"\ ", r"\s+") + r"\b", re.I).match(text, pos)
        if m:
            return m.end(), m.group().strip(), m.group().strip()
    words = []
    j = pos
    found = None
    for _ in range(3):  # the last counter noun within three words: 45 vehicle manufacturers
        m = re.compile(r"\s+([A-Za-z][A-Za-z\-]*)").match(text, j)
        if not m:
            break
        w = m.group(1)
        if w.lower() in P.not_mod:
            break
        words.append(w)
        j = m.end()
        if w.lower() in P.counters or w in P.counters:
            found = (j, w, " ".join(words))
        elif found:
            break
    return found


def find_figures_en(text: str, lex: Lexicon, masked=None) -> list[_Fig]:
    P = _patterns(lex)
    masked = _masked(text) if masked is None else masked
    figs: list[_Fig] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    # ranks
    for m in P.rank_re.finditer(text):
        a, b = m.start("val"), m.end("val")
        if _in(masked, a, b) or not free(m.start(), b):
            continue
        lead = m.group("lead")
        no = m.group("no")
        val_txt = m.group("val").lower()
        after_ok = bool(P.rank_after_re.match(text, b))
        if val_txt in P.ordinal:
            v = P.ordinal[val_txt]
        else:
            v = int(re.match(r"\d+", val_txt).group())
        before = text[max(0, m.start() - 12):m.start()]
        is_rank_no = bool(no) and (lead or after_ok or re.search(r"\b(?:is|was|are|were|be|as)\s+$", before, re.I))
        if not (lead or after_ok or is_rank_no):
            continue  # the first phase, the second half, first of all: ordinals, not ranks
        if no and not is_rank_no:
            continue
        start = m.start("no") if no else a
        if v <= 0:
            continue
        # the rank verb belongs to the figure's extent (not to its metric)
        figs.append(_Fig(start, b, float(v), "rank", kind="rank", ext_start=m.start(), ext_end=b))
        taken.append((start, b))
    for m in P.top_re.finditer(text):
        a, b = m.span("span")
        if _in(masked, a, b) or not free(a, b):
            continue
        n = m.group("n").lower()
        v = int(n) if n.isdigit() else P.number_word.get(n)
        if v:
            figs.append(_Fig(a, b, float(v), "rank", approx="less_than", kind="rank", ext_start=a, ext_end=b))
            taken.append((a, b))
    # ratios 3.7:30.6:65.7 (two parts only after "ratio")
    for m in re.finditer(r"(?<![\d:])\d+(?:\.\d+)?(?:\s*:\s*\d+(?:\.\d+)?){1,}(?![\d:])", text):
        parts = re.split(r"\s*:\s*", m.group())
        if len(parts) < 3 and not re.search(r"ratio", text[max(0, m.start() - 30):m.start()], re.I):
            continue
        if _in(masked, *m.span()) or not free(*m.span()):
            continue
        figs.append(_Fig(m.start(), m.end(), None, "ratio", parts=[float(p) for p in parts], kind="ratio",
                         ext_start=m.start(), ext_end=m.end()))
        taken.append(m.span())
    # quantities
    for m in P.number.finditer(text):
        a, b = m.span()
        na, nb = m.span("num")
        if not free(a, b) or _in(masked, na, nb):
            continue
        num = m.group("num")
        cur = m.group("cur")
        pw = re.search(r"(?:^|\s)(\S+)\s$", text[max(0, a - 25):a])
        if pw and not cur and pw.group(1).lower() == "per":
            continue  # per $100 of face value: a denominator
        if pw and not cur and re.fullmatch(r"[A-Z][\w&\-]*", pw.group(1)) and \
                pw.group(1).lower() not in P.name_ok and text[:a].strip() != pw.group(1):
            continue  # Fortune 500 firms, S&P 500, Industry 4.0: part of a name
        mag_w = m.group("mag")
        d = Decimal(num.replace(",", ""))
        if mag_w:
            d *= P.mag[mag_w.lower()]
        value = float(d)
        unit = counter = None
        end = b
        s = P.suffix.match(text, b)
        if s and s.group("u") and not (s.group("u") == "%" and False):
            u = re.sub(r"\s+", " ", s.group("u").lower())
            if u in P.rate:
                unit = P.rate[u]
            else:
                unit = P.cur_suf[u]
            end = s.end()
        elif text[b:b + 1] == "%":
            unit, end = "percent", b + 1
        if cur and unit not in (None,) and unit not in ("CNY", "USD", "EUR", "HKD", "GBP", "JPY"):
            cur = None
        if cur:
            unit = unit or P.cur_pre[re.sub(r"\s+", " ", cur.lower())]
        else:
            a = na
        if unit is None:
            c = _counter(text, b, P)
            year_like = re.fullmatch(_YEAR, num) and not mag_w
            if c and not year_like:
                end, counter, _ = c
                unit = "count"
            elif mag_w:
                unit = "count"  # 32 million (residents): a count without its noun
            else:
                continue
        flags = []
        if unit == "percent" and value > 1000:
            flags.append("implausible_percent")
        figs.append(_Fig(a, end, value, unit, counter=counter, flags=flags, ext_start=a, ext_end=end))
        taken.append((a, end))
    figs.sort(key=lambda f: f.start)
    return figs


def _qualify(text: str, fig: _Fig, P: _P) -> None:
    if fig.kind == "ratio":
        return
    m = P.approx_pre_re.search(text[:fig.start])
    if m and fig.kind == "quantity":
        w = re.sub(r"\s+", " ", m.group().strip().lower())
        if fig.approx == "exact":
            fig.approx = P.approx_pre.get(w, "exact")
        fig.ext_start = m.start()
    m = P.approx_suf_re.match(text, fig.end)
    if m and fig.kind == "quantity":
        w = re.sub(r"\s+", " ", m.group().strip().lower())
        if fig.approx == "exact":
            fig.approx = P.approx_suf.get(w, "exact")
        fig.ext_end = m.end()


# ------------------------------------------------------------------------------------------------
# attributes


def _direction(text: str, fig: _Fig, clause: tuple[int, int], figs: list[_Fig], P: _P) -> Optional[str]:
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


def _modality(text: str, fig: _Fig, clause: tuple[int, int], y: Optional[YearExpr], doc_year, sec_mod,
              P: _P) -> str:
    before = text[:fig.start]
    if y is not None and doc_year and y.year < doc_year:
        return "actual"
    if P.actual_re.search(text[clause[0]:fig.start]):
        return "actual"
    if P.target_re.search(before):
        return "target"
    for m in re.finditer(r"\bby\s+(?:the\s+end\s+of\s+)?(" + _YEAR + r")\b", text, re.I):
        yy = int(m.group(1))
        if (doc_year and yy > doc_year) or (not doc_year and yy >= 2025):
            return "target"
    return sec_mod or "actual"


class _Men:
    def __init__(self, start, end, text, canonical, deictic):
        self.start, self.end, self.text, self.canonical, self.deictic = start, end, text, canonical, deictic


def _mentions(text: str, P: _P) -> list[_Men]:
    out = []
    for m in P.region_re.finditer(text):
        can, dei = P.regions.get(P._key(m.group()), ("", None))
        tail = text[m.end():m.end() + 30]
        if re.match(r"[\w\s]{0,20}?\b(?:University|Museum|Airport|Institute|Group|Company|Co\.|Bank)\b", tail):
            continue  # Chengdu University, Chongqing Airport: part of a name
        out.append(_Men(m.start(), m.end(), m.group(), can or None, dei))
    return out


def _subject(text: str, fig: _Fig, clause, mentions: list[_Men], figs, region, P: _P
             ) -> tuple[Optional[str], Optional[str]]:
    def usable(m: _Men) -> bool:
        return not P.compare_before_re.search(text[max(0, m.start - 20):m.start])

    def res(m: _Men):
        if m.deictic:
            return region, m.text
        return m.canonical, m.text

    a, b = clause
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
    return region, None


def _strip(phrase: str, P: _P) -> str:
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


def _metric(text: str, fig: _Fig, clause, figs: list[_Fig], mentions, years, direction, P: _P,
            done: list[tuple[_Fig, str]]) -> tuple[str, Optional[str]]:
    a, b = clause
    drop = [_year_span(text, y, P) for y in years] + [(m.start, m.end) for m in mentions]
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
            c = _counter_phrase(text, fig)
            base = c + (" of " + _cut_np(mo.group(1)) if mo else "")
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


def _counter_phrase(text: str, fig: _Fig) -> str:
    m = re.match(r".*?\d(?:\s*(?:thousand|million|billion|trillion|bn|mln))?\s+(.*)$", text[fig.start:fig.end],
                 re.I | re.S)
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else (fig.counter or "")


def _years_for(fig: _Fig, clause, figs: list[_Fig], years: list[YearExpr], text: str) -> Optional[YearExpr]:
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


# ------------------------------------------------------------------------------------------------


def extract_english(doc: Document, sentence: Sentence, prev_sentence: Optional[Sentence], lex: Lexicon,
                    ctx: dict) -> list[Statistic]:
    P = _patterns(lex)
    text = sentence.text
    masked = _masked(text)
    figs = find_figures_en(text, lex, masked)
    if not figs:
        return []
    for f in figs:
        _qualify(text, f, P)
    doc_year, region = ctx.get("year"), ctx.get("region")
    years, _ = _years(text, P, masked, doc_year)
    clauses = _clauses(text)
    mentions = _mentions(text, P)
    sec_year, sec_ys, sec_mod = _section_info(doc, sentence, ctx, lex)
    prev_year = None
    if prev_sentence is not None and P.anaphora_re.search(text):
        py, _ = _years(prev_sentence.text, P, _masked(prev_sentence.text), doc_year)
        prev_year = py[-1] if py else None
    out: list[Statistic] = []
    done: list[tuple[_Fig, str]] = []
    for f in figs:
        clause = _clause_of(clauses, f.start)
        clause = (clause[0], _clause_of(clauses, max(f.start, f.end - 1))[1])
        y = _years_for(f, clause, figs, years, text)
        if y is not None:
            year, year_start = y.year, y.year_start
        elif prev_year is not None:
            year, year_start = prev_year.year, prev_year.year_start
        else:
            year, year_start = sec_year, sec_ys
        direction = _direction(text, f, clause, figs, P)
        subject, subject_text = _subject(text, f, clause, mentions, figs, region, P)
        if subject_text and subject_text == subject:
            subject_text = None
        base, metric = _metric(text, f, clause, figs, mentions, years, direction, P, done)
        done.append((f, base))
        modality = _modality(text, f, clause, y, doc_year, sec_mod, P)
        out.append(text_statistic(text, sentence, f, direction=direction, modality=modality, year=year,
                                  year_start=year_start, subject=subject, subject_text=subject_text, metric=metric))
    return out
