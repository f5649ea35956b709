"""Token cleaning for topic models: what is not a topical word goes (numbers, single characters,
citation markers, URLs/DOIs, front-matter boilerplate, stopwords)."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Iterable, Optional

from ..paths import DEFAULT_MODELS as MODELS_DIR

STOPWORDS_DIR = MODELS_DIR / "stopwords"

_HAS_WORD = re.compile(r"[^\W_]")  # a letter, digit or CJK character
_NUMBER = re.compile(
    r"^[+\-−]?[\d.,，:：/%‰~\-–—]*\d[\d.,，:：/%‰~\-–—]*"
    r"(年代|年度|年|月|日|号|时|亿元|万元|千元|元|亿|万|千|百|个|家|项|倍|人|次|期|卷|页|米|吨|公里|平方公里|余|多|s)?$"
)
_ORDINAL = re.compile(r"^第[一二三四五六七八九十百千零〇\d]+[章节条款部分个次届批条点]?$")
_CN_NUMERAL = re.compile(r"^[一二三四五六七八九十百千万亿零〇两]+[是个条点项批次类种年]?$")
_CITATION = re.compile(r"^(\[\d+([,，\-–]\s*\d+)*\]|[①-⑳㉑-㉟]|[⁰¹²³⁴-⁹]+|\(\d+\)|（\d+）)$")
_BOILER = re.compile(r"^(https?|www\.|doi[:：]?|10\.\d{4,}|[\w.+-]+@[\w-]+\.)", re.I)


def load_stopwords(lang: str, directory: Optional[Path] = None) -> frozenset[str]:
    """Stopwords of `lang` from <directory>/<lang>.txt: one per line, '#' starts a comment."""
    path = Path(directory or STOPWORDS_DIR) / f"{lang}.txt"
    if not path.exists():
        return frozenset()
    words = set()
    for line in path.read_text("utf-8").splitlines():
        w = line.split("#", 1)[0].strip()
        if w:
            words.add(_norm(w, lang))
    return frozenset(words)


def _norm(token: str, lang: str) -> str:
    # NFKC folds full-width Latin/digits (ＧＤＰ -> GDP) so they meet the same stopword/number rules.
    t = unicodedata.normalize("NFKC", token).strip()
    return t.lower()


def _keep(t: str, stopwords: Iterable[str] | frozenset[str]) -> bool:
    if len(t) < 2 or not _HAS_WORD.search(t):
        return False
    if _NUMBER.match(t) or _ORDINAL.match(t) or _CN_NUMERAL.match(t) or _CITATION.match(t) or _BOILER.match(t):
        return False
    if t in stopwords:
        return False
    # Latin fragments of garbled text / initials ("zhi-xiong", "j.") carry no topic.
    if t.isascii() and not re.fullmatch(r"(?=.*[a-z])[a-z0-9][a-z0-9\-]*[a-z0-9]", t):
        return False
    return True


def clean_runs(tokens: list[str], lang: str, stopwords: Iterable[str] | frozenset[str]) -> list[list[str]]:
    """Cleaned tokens split where something was dropped, so phrase detection only joins words that
    were really adjacent (not across a removed comma or stopword)."""
    runs: list[list[str]] = []
    cur: list[str] = []
    for tok in tokens:
        t = _norm(tok, lang)
        if _keep(t, stopwords):
            cur.append(t)
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def clean_tokens(tokens: list[str], lang: str, stopwords: Iterable[str] | frozenset[str]) -> list[str]:
    """Drop numbers, single characters, punctuation, citation markers, URLs/DOIs and stopwords;
    lowercase Latin and fold full-width characters."""
    return [t for run in clean_runs(tokens, lang, stopwords) for t in run]
