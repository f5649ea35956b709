"""English figures: amounts with a currency, rate or counted noun, ranks (ranked third, No. 5), ratios;
masks for citations, references, DOIs and URLs; year expressions and clauses."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Optional

from ..context import YearExpr
from ..core import Figure, inside
from ..lexicon import Lexicon
from .patterns import NUMBER_PATTERN, YEAR_PATTERN, Patterns, patterns

# ------------------------------------------------------------------------------------------------
# masking, clauses, years


def masked_en(text: str) -> list[tuple[int, int]]:
    """Spans whose numbers are never statistics: citations [12] / (Smith et al., 2020), references to
    tables, figures, sections, pages (pp. 22-28), volumes, DOIs and URLs, dates."""
    out: list[tuple[int, int]] = []
    pats = [r"\[\s*\d+(?:\s*[,\-–]\s*\d+)*\s*\]",
            r"\b(?:doi|DOI)\s*:?\s*\S+|\bhttps?://\S+|\b10\.\d{4,9}/\S+",
            r"\b(?:Tables?|Figs?\.?|Figures?|Sections?|Sect\.|Chapters?|Ch\.|Eqs?\.|Equations?|Appendix|"
            r"Articles?|Art\.|Vol\.|Volume|Issue|Part|Step|Phase|Model|Hypothesis|H)\s*\d+(?:[.\-–]\d+)*[a-z]?",
            r"(?i:\b(?:sections?|subsections?|articles?|chapters?|titles?|paragraphs?|clauses?|parts?|rules?|"
            r"amendments?|notes?|footnotes?|items?)\s+\d+[a-z]?(?:\s*\([a-z0-9]+\))*)",
            r"\bpp?\.\s*\d+(?:\s*[\-–]\s*\d+)?",
            r"\(\s*[A-Z][^()]{0,80}?\b" + YEAR_PATTERN + r"[a-z]?\s*\)",
            r"\bet al\.?,?\s*\(?\s*" + YEAR_PATTERN,
            r"\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}|\d+(?:[\-–]\d+){2,}",
            r"\$\d+\s*\(\s*[A-Z_]+\s*\)|\{\{?[^{}]{0,40}\}\}?|<[A-Za-z_]+>",  # template placeholders $1(ORG)
            r"\$\d+(?:\s*,\s*\$\d+)+",  # variable names ($1, $2, ...)
            r"\bwww\.\S+|\b\S+\.(?:com|org|gov|net|edu)(?:/\S*)?",
            r"\bPage\s+\d+(?:\s+of\s+\d+)?|\b(?:U\.S\.C\.|Pub\.\s*L\.|Stat\.)\s*§*\s*[\d\-]+",
            r"§+\s*\d+(?:\.\d+)*"]
    for p in pats:
        out.extend(m.span() for m in re.finditer(p, text))
    return out


_SEP_RE = re.compile(r"[,;:](?=\s|$)|[.!?](?=\s*$)|\s[—–]\s")


def split_clauses(text: str) -> list[tuple[int, int]]:
    out, a = [], 0
    for m in _SEP_RE.finditer(text):
        out.append((a, m.start()))
        a = m.end()
    out.append((a, len(text)))
    return out


def clause_of(clauses, pos: int) -> tuple[int, int]:
    for a, b in clauses:
        if a <= pos < b or (pos == b and a == b):
            return a, b
    return clauses[-1]


def years_en(text: str, P: Patterns, masked, doc_year: Optional[int]) -> tuple[list[YearExpr], list[tuple[int, int]]]:
    """(year expressions, base-year spans). Ranges 2018-2022 / from 2018 to 2022 / between … and …
    give year_start; "since 2018" gives year_start 2018 (year: the document's, else 2018)."""
    out: list[YearExpr] = []
    base: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []
    for m in re.finditer(r"\b(?:(?:from|between)\s+)?(" + YEAR_PATTERN + r")\s*(?:[\-–—]|to|and|through|until)\s*("
                         + YEAR_PATTERN + r")\b", text):
        y0, y1 = int(m.group(1)), int(m.group(2))
        if y0 < y1 and not inside(masked, m.start(1), m.end(2)):
            out.append(YearExpr(m.start(), m.end(), y1, y0))
            taken.append(m.span())
    for m in re.finditer(r"(?<![\w.,$/\-])(" + YEAR_PATTERN + r")(?![\w%]|\.\d|,\d)", text):
        a, b = m.span()
        if any(s <= a < e for s, e in taken) or inside(masked, a, b):
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
        # in the past five years / over the last 3 years: the period up to the document's year
        for m in re.finditer(r"\b(?:in|over|during)\s+the\s+(?:past|last|previous)\s+(\w+)\s+years\b", text, re.I):
            n = word_number(m.group(1), P) if not m.group(1).isdigit() else float(m.group(1))
            if n and 1 < n < 50 and not any(s <= m.start() < e for s, e in taken):
                out.append(YearExpr(m.start(), m.end(), doc_year - 1, doc_year - int(n), True))
        for m in re.finditer(r"\b(last|this|next)\s+year\b", text, re.I):
            if P.base_year_re.search(text[max(0, m.start() - 30):m.start()]):
                continue
            off = {"last": -1, "this": 0, "next": 1}[m.group(1).lower()]
            out.append(YearExpr(m.start(), m.end(), doc_year + off, None, True))
    out.sort(key=lambda y: y.start)
    return out, base


def year_span(text: str, y: YearExpr, P: Patterns) -> tuple[int, int]:
    """A year expression with its preposition (in 2023, as of 2022) for dropping from metrics."""
    m = P.year_prep_re.search(text[:y.start])
    return (m.start() if m else y.start), y.end


# ------------------------------------------------------------------------------------------------
# figures


def _counter(text: str, pos: int, P: Patterns) -> Optional[tuple[int, str, str]]:
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


_BETWEEN_RE = re.compile(r"\s+and\s+\$?(?P<hi>" + NUMBER_PATTERN.replace("(?<![\\w.\\-/])", "") +
                         r")(?:\s*(?P<hmag>thousand|million|billion|trillion|bn|mln))?", re.I)
_TIME_UNITS = {"years", "year", "months", "month", "weeks", "week", "days", "day", "decades"}
_WORD_COUNTERS = _TIME_UNITS | {"business days", "hours", "hour", "minutes", "times"}
_PERIOD_BEFORE = re.compile(r"\b(?:past|last|next|previous|coming|recent|following|first|over)\s+$", re.I)
_RANGE_RE = re.compile(r"\s*(?:-|–|—|to)\s*\$?(?P<hi>" + NUMBER_PATTERN.replace("(?<![\\w.\\-/])", "") +
                       r")(?:\s*(?P<hmag>thousand|million|billion|trillion|bn|mln))?", re.I)


def word_number(words: str, P: Patterns) -> Optional[float]:
    """five → 5, twenty-five → 25, two hundred → 200, a dozen → 12, two-thirds → 66.67 (percent)."""
    w = re.sub(r"[\s\-]+", " ", words.lower()).strip()
    if w in P.fraction:
        return P.fraction[w]
    total = 0
    for part in w.split(" "):
        if part in ("and", "a"):
            continue
        if part == "hundred":
            total = (total or 1) * 100
        elif part in P.number_word:
            total += P.number_word[part]
        else:
            return None
    return float(total) if total else None


def _amount_after(text: str, b: int, cur: Optional[str], mag: bool, value: float, P: Patterns,
                  open_nouns: bool) -> Optional[tuple[str, Optional[str], int, float]]:
    """(unit, counter, end, value) of what follows a number at `b`: a rate or currency word, %, the
    currency written before it, a counted noun (the list, time units; with digits also a plural noun
    of its own: 12 airplanes); cents and basis points scale the value."""
    unit = counter = None
    end = b
    s = P.suffix.match(text, b)
    if s and s.group("u"):
        u = re.sub(r"\s+", " ", s.group("u").lower())
        unit = P.rate[u] if u in P.rate else P.cur_suf[u]
        end = s.end()
    elif text[b:b + 1] == "%":
        unit, end = "percent", b + 1
    if unit in ("USD_cent", "percentage_point_bp"):
        unit, value = unit.split("_")[0] if unit == "USD_cent" else "percentage_point", value / 100
    if cur and unit is not None and unit not in ("CNY", "USD", "EUR", "HKD", "GBP", "JPY"):
        cur = None
    if cur:
        unit = unit or P.cur_pre[re.sub(r"\s+", " ", cur.lower())]
    if unit is None:
        c = _counter(text, b, P) or (_open_counter(text, b, P) if open_nouns else None)
        if c:
            end, counter, _ = c
            unit = "count"
        elif mag:
            unit = "count"  # 32 million (residents): a count without its noun
        else:
            return None
    return unit, counter, end, value


def _open_counter(text: str, pos: int, P: Patterns) -> Optional[tuple[int, str, str]]:
    """A plural noun right after digits as the counted thing (12 airplanes, 300 teachers, 1,000
    work-hours): lowercase, ending in s, not a verb or function word (english.tsv not_counter)."""
    m = re.compile(r"\s+([a-z][a-z\-]{2,}s)\b").match(text, pos)
    if not m or m.group(1) in P.not_counter or m.group(1).endswith(("ss", "us", "is")):
        return None
    return m.end(), m.group(1), m.group(1)


def find_figures_en(text: str, lex: Lexicon, masked=None) -> list[Figure]:
    P = patterns(lex)
    masked = masked_en(text) if masked is None else masked
    figs: list[Figure] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    # ranks
    for m in P.rank_re.finditer(text):
        a, b = m.start("val"), m.end("val")
        if inside(masked, a, b) or not free(m.start(), b):
            continue
        lead = m.group("lead")
        no = m.group("no")
        val_txt = m.group("val").lower()
        after_ok = bool(P.rank_after_re.match(text, b))
        if val_txt in P.ordinal:
            v = P.ordinal[val_txt]
        else:
            digits = re.match(r"\d+", val_txt)
            v = int(digits.group()) if digits else 0
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
        figs.append(Figure(start, b, float(v), "rank", kind="rank", ext_start=m.start(), ext_end=b))
        taken.append((start, b))
    for m in P.top_re.finditer(text):
        a, b = m.span("span")
        if inside(masked, a, b) or not free(a, b):
            continue
        n = m.group("n").lower()
        top: Optional[int] = int(n) if n.isdigit() else P.number_word.get(n)
        if top:
            figs.append(Figure(a, b, float(top), "rank", approx="less_than", kind="rank", ext_start=a, ext_end=b))
            taken.append((a, b))
    # ratios 3.7:30.6:65.7 (two parts only after "ratio")
    for m in re.finditer(r"(?<![\d:])\d+(?:\.\d+)?(?:\s*:\s*\d+(?:\.\d+)?){1,}(?![\d:])", text):
        parts = re.split(r"\s*:\s*", m.group())
        if len(parts) < 3 and not re.search(r"ratio", text[max(0, m.start() - 30):m.start()], re.I):
            continue
        if inside(masked, *m.span()) or not free(*m.span()):
            continue
        figs.append(Figure(m.start(), m.end(), None, "ratio", parts=[float(p) for p in parts], kind="ratio",
                         ext_start=m.start(), ext_end=m.end()))
        taken.append(m.span())
    # quantities written in digits: $1.2 million, 20.04%, 45 vehicle manufacturers, 10-14 business days
    for m in P.number.finditer(text):
        a, b = m.span()
        na, nb = m.span("num")
        if not free(a, b) or inside(masked, na, nb):
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
        value, value_max = float(d), None
        # a range: 10-14 business days, 5 to 10 percent, $3-5 billion (the upper bound's magnitude and unit
        # apply to both)
        r = _RANGE_RE.match(text, b)
        if r is None and re.search(r"\bbetween\s+\$?$", text[max(0, a - 9):na], re.I):
            r = _BETWEEN_RE.match(text, b)  # between 6 and 20 percent
        year_like = bool(re.fullmatch(YEAR_PATTERN, num)) and not mag_w
        if r and not year_like and not inside(masked, r.start("hi"), r.end("hi")):
            hi = Decimal(r.group("hi").replace(",", ""))
            hmag = r.group("hmag")
            if hmag:
                hi *= P.mag[hmag.lower()]
                if not mag_w:
                    d *= P.mag[hmag.lower()]
            if hi > d:
                value, value_max, b = float(d), float(hi), r.end()
        amount = _amount_after(text, b, cur, bool(mag_w), value, P, open_nouns=True)
        if amount is None or (year_like and amount[0] == "count"):
            continue
        if amount[1] and amount[1].lower() in _TIME_UNITS and _PERIOD_BEFORE.search(text[max(0, a - 14):a]):
            continue  # over the past 10 years: a period (years_en), not a figure
        unit, counter, end, value = amount
        if value_max is not None and unit in ("USD", "percentage_point") and amount[3] != value:
            value_max = value_max * value / float(d)  # cents, basis points scale both bounds
        if not cur:
            a = na
        flags = []
        if unit == "percent" and value > 1000:
            flags.append("implausible_percent")
        figs.append(Figure(a, end, value, unit, counter=counter, flags=flags, ext_start=a, ext_end=end,
                           value_max=value_max))
        taken.append((a, end))
    # quantities written in words: five years, two-thirds of firms, ninety days, ten times, two million
    # (only with a currency, a rate, a time unit or a magnitude: "two categories", "three major industrial
    # clusters" count the items they name)
    for m in P.word_number_re.finditer(text):
        a, b = m.span()
        if not free(a, b) or inside(masked, a, b) or (a and text[a - 1] in "-/"):
            continue
        wval = word_number(m.group(), P)
        if wval is None:
            continue
        value = wval
        if re.sub(r"[\s\-]+", " ", m.group().lower()) in P.fraction:
            rest = re.match(r"\s+of\b", text[b:])
            if rest and not re.search(r"\b(?:the|first|second|latter|former|past|last|next)\s+$", text[max(0, a - 10):a],
                                      re.I):  # two-thirds of firms: a share (not the second half of 2023)
                figs.append(Figure(a, b, value, "percent", flags=["fraction"], ext_start=a, ext_end=b))
                taken.append((a, b))
            continue
        mg = re.match(r"\s+(" + "|".join(map(re.escape, P.mag)) + r")\b", text[b:], re.I)
        mag = bool(mg)
        if mg:
            value *= float(P.mag[mg.group(1).lower()])
            b += mg.end()
        if _PERIOD_BEFORE.search(text[max(0, a - 14):a]):
            continue  # the past three years: a period (years_en), not a figure
        amount = _amount_after(text, b, None, mag, value, P, open_nouns=False)
        if amount is None or (amount[0] == "count" and not mag and (amount[1] or "").lower() not in _WORD_COUNTERS):
            continue  # three major industrial clusters: a count of the items named, not a statistic
        unit, counter, end, value = amount
        figs.append(Figure(a, end, value, unit, counter=counter, flags=["number_word"], ext_start=a, ext_end=end))
        taken.append((a, end))
    figs.sort(key=lambda f: f.start)
    return figs


def qualify_en(text: str, fig: Figure, P: Patterns) -> None:
    if fig.kind == "ratio":
        return
    m = P.approx_pre_re.search(text[:fig.start])
    if m and fig.kind == "quantity":
        w = re.sub(r"\s+", " ", m.group("cue").strip().lower())
        if fig.approx == "exact":
            fig.approx = P.approx_pre.get(w, "exact")
        fig.ext_start = m.start()
    m = P.approx_suf_re.match(text, fig.end)
    if m and fig.kind == "quantity":
        w = re.sub(r"\s+", " ", m.group().strip().lower())
        if fig.approx == "exact":
            fig.approx = P.approx_suf.get(w, "exact")
        fig.ext_end = m.end()

