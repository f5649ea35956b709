"""When two statistics speak of the same thing: metric phrases and subjects compared across
wordings (增幅/增长率 → 增速; 成渝地区 ≈ 成渝地区双城经济圈 by gazetteer areas). Used by the links
stage (same_metric) and by scoring (pipeline/evaluate/statistics.py): one definition of "same metric".
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Optional

from .lexicon import Lexicon, load_lexicon

_PUNCT = re.compile(r"[\s“”\"'‘’《》〈〉()（）\[\]【】·•,，、;；:：。.!！?？]+")


def compact(s: Any) -> str:
    """NFKC with all whitespace removed (None → "")."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def _bigrams(s: str) -> list[str]:
    return [s[i:i + 2] for i in range(len(s) - 1)] or ([s] if s else [])


def dice(a: str, b: str) -> float:
    A, B = _bigrams(a), _bigrams(b)
    if not A or not B:
        return 0.0
    from collections import Counter

    ca, cb = Counter(A), Counter(B)
    inter = sum((ca & cb).values())
    return 2 * inter / (len(A) + len(B))


def normalise_metric(s: Optional[str], lexicon: Optional[Lexicon] = None) -> str:
    """A metric phrase in a comparable form: NFKC, no spaces/punctuation/quotes, synonyms unified
    (增幅/增长率/涨幅 → 增速, 比重/比例 → 占比, GDP → 生产总值 …) and generic words (数量, 规模…) dropped."""
    if not s:
        return ""
    lex = lexicon or load_lexicon()
    t = _PUNCT.sub("", unicodedata.normalize("NFKC", s))
    for a, b in lex.synonyms:
        t = t.replace(a, b)
    for d in lex.metric.get("drop", []):
        if len(t) > len(d):
            t = t.replace(d, "")
    return t


def metric_match(pred: Optional[str], gold: Optional[str], lexicon: Optional[Lexicon] = None) -> bool:
    if not gold:
        return not pred
    p, g = normalise_metric(pred, lexicon), normalise_metric(gold, lexicon)
    if not p:
        return False
    if p == g:
        return True
    short, long_ = sorted((p, g), key=len)
    if short in long_ and len(short) * 2 >= len(long_):
        return True
    return dice(p, g) >= 0.6


def _areas(s: str, lex: Lexicon) -> set[str]:
    out = set()
    for m in lex.region_re.finditer(s):
        reg = lex.region(m.group())
        if reg is not None:
            out.add(reg.group)
    return out


def subject_match(pred: Optional[str], gold: Optional[str], lexicon: Optional[Lexicon] = None) -> bool:
    if not gold:
        return not pred
    if not pred:
        return False
    lex = lexicon or load_lexicon()
    p, g = compact(pred), compact(gold)
    if p == g:
        return True
    ga = _areas(g, lex)
    if ga:
        return _areas(p, lex) == ga
    return dice(p, g) >= 0.5
