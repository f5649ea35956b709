"""Compiled English patterns from models/statistics/english.tsv (magnitudes, currencies, counters,
qualifiers, directions, rank words, target cues, year prepositions, metric strip words, region names)."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Optional

from ..lexicon import Lexicon

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
NUMBER_PATTERN = r"(?<![\w.\-/])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w]|\.\d|,\d{3})"
YEAR_PATTERN = r"(?:1[89]\d{2}|20\d{2}|2100)"


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


class Patterns:
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
            r"(?:(?P<cur>" + _alt(self.cur_pre) + r")\s*)?(?P<num>" + NUMBER_PATTERN + r")"
            r"(?:\s*(?P<mag>" + _alt(self.mag) + r"))?", re.I)
        self.suffix = re.compile(r"\s*(?P<u>" + _alt(list(self.rate) + list(self.cur_suf)) + r")", re.I)
        self.counter_multi = [c for c in self.counters if " " in c]
        self.approx_pre = dict((w.lower(), v) for w, v in g("approx_prefix"))
        self.approx_pre_re = re.compile(r"(?P<cue>" + _alt(self.approx_pre) + r")\s*(?:an?\s+)?$", re.I)  # up to a $500,000 fine
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
        self.fraction = {re.sub(r"[\s\-]+", " ", w.lower()): float(v) for w, v in g("fraction_word")}
        self.not_counter = {w.lower() for w, _ in g("not_counter")}
        units_w = _alt(self.number_word)
        self.word_number_re = re.compile(
            r"\b(?:" + _alt([w.replace(" ", "-") for w in self.fraction] + list(self.fraction)) + r"|"
            r"(?:a\s+)?(?:" + units_w + r")(?:[\s\-]+(?:" + units_w + r"))*(?:\s+hundred(?:\s+(?:and\s+)?(?:"
            + units_w + r")(?:[\s\-]+(?:" + units_w + r"))?)?)?)\b", re.I)
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
        for w, (canonical, _) in lex.world.items():
            names.setdefault(w, (canonical, None))
        for w, v in g("region_alias"):
            names[w] = (v, None)
        for w, v in g("deictic"):
            names[w] = ("", v)
        self.regions = {self._key(n): cv for n, cv in names.items()}
        self.subject_nouns = {w.lower() for w, _ in g("subject_noun")}
        self.subject_noun_re = re.compile(r"\b(" + _alt(self.subject_nouns) + r")\b", re.I)
        orgs = _alt([w for w, _ in g("org_head")])
        # the Copyright Office, the Federal Reserve, the Department of Labor: an agency named in capitals
        self.org_re = re.compile(r"\b(?:[Tt]he\s+)?((?:[A-Z][\w.&'\-]*\s+){0,4}(?:" + orgs + r")(?:\s+(?:of|for)\s+"
                                 r"(?:the\s+)?(?:[A-Z][\w&'\-]*\s*){1,4})?)")
        pats = []
        for n in sorted(names, key=lambda x: (-len(x), x)):
            e = re.escape(n).replace(r"\ ", r"\s+").replace(r"\-", r"\s*[\-‐–—]\s*")
            pats.append(r"\b" + e + r"(?![\w\-])")
        self.region_re = re.compile("|".join(pats), re.I) if pats else re.compile(r"(?!x)x")

    @staticmethod
    def _key(name: str) -> str:
        return re.sub(r"\s*[\-‐–—]\s*", "-", re.sub(r"\s+", " ", name.strip().lower()))


def patterns(lex: Lexicon) -> Patterns:
    p = lex.en_cache.get("p")
    if p is None:
        p = lex.en_cache["p"] = Patterns(lex)
    return p

