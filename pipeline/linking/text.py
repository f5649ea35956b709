"""Lexical features of a sentence for linking: content words, character bigrams, numbers, years.

Chinese: the index's jieba words (length ≥ 2, not stop words) plus CJK character bigrams, which
survive jieba's inconsistent granularity (产业集群 vs 产业 集群). English: a crude suffix stemmer
over lowercase words (the index's lemmas are sometimes plain lowercase forms), stop words removed.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

CJK = re.compile(r"[\u3400-\u9fff]")
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
EN_WORD = re.compile(r"[a-z][a-z\-]*[a-z]|[a-z]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")

# Enumerators that open an item of a list (一是…; (1)…; 1.…; 第一，…; First, …); their position
# is the parallelism signal between a problem list and the countermeasure list answering it.
ZH_ORDINALS = "一二三四五六七八九十"
ENUM_RE = re.compile(
    r"^\s*(?:(?P<zh>[一二三四五六七八九十])是|其(?P<qi>[一二三四五六七八九十])|第(?P<di>[一二三四五六七八九十])[，,、]"
    r"|[（(]\s*(?P<par>\d+)\s*[）)]|[（(](?P<zpar>[一二三四五六七八九十])[）)])")
EN_ENUM_RE = re.compile(r"^\s*(?P<w>first|second|third|fourth|fifth|sixth|finally)(?:ly)?\b", re.I)
EN_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


_SUFFIXES = ("izations", "ization", "ational", "ations", "ation", "ative", "ities", "ated", "ness", "ity", "ies",
             "ial", "ing", "ive", "ate", "ed", "es", "al", "ly", "e", "s", "y")


@functools.lru_cache(maxsize=1 << 16)  # pure and called ~500k times on a 1,000-page corpus
def stem(word: str) -> str:
    """Crude English stemmer (no model), two suffix passes: enough to meet 'clusters'/'cluster',
    'coordinated'/'coordination', 'industrial'/'industry', 'digitalization'/'digital'."""
    w = word.lower()
    for _ in range(2):
        for suf in _SUFFIXES:
            if w.endswith(suf) and len(w) - len(suf) >= 3 and not (suf == "s" and w.endswith("ss")):
                w = w[: len(w) - len(suf)]
                break
        else:
            break
    return w


def en_words(text: str) -> list[str]:
    return EN_WORD.findall(nfkc(text).lower().replace("’", "'"))


def en_stems(text: str) -> list[str]:
    return [stem(w) for w in en_words(text)]


def cjk_bigrams(text: str) -> list[str]:
    out = []
    for run in CJK_RUN.findall(nfkc(text)):
        out += [run[i:i + 2] for i in range(len(run) - 1)]
    return out


def numbers_in(text: str) -> list[str]:
    """Numbers as written, thousands separators and spaces dropped ('1 707.6' → '1707.6')."""
    t = re.sub(r"(?<=\d)[ ,](?=\d{3}\b)", "", nfkc(text))
    return [n.replace(",", "") for n in NUMBER.findall(t)]


def years_in(text: str) -> list[int]:
    return sorted({int(y) for y in YEAR.findall(nfkc(text))})


def ordinal(text: str) -> int | None:
    """Position of an enumerated item (一是 → 1, (2) → 2, Second, → 2), None when not an item."""
    t = nfkc(text)
    m = ENUM_RE.match(t)
    if m:
        for g in ("zh", "qi", "di", "zpar"):
            if m.group(g):
                return ZH_ORDINALS.index(m.group(g)) + 1
        if m.group("par"):
            return int(m.group("par"))
    m = EN_ENUM_RE.match(t)
    if m and m.group("w").lower() in EN_ORD:
        return EN_ORD[m.group("w").lower()]
    return None


# Sequence words that open an item without numbering it (首先…其次…再次…最后; 此外 is left out: it
# often continues a point rather than opening one).
SEQ_RE = re.compile(r"^\s*(?:首先|其次|再次|再者|然后|最后|最终|另一方面|一方面)[，,:：]?"
                    r"|^\s*(?:next|then|lastly|finally|moreover)\b", re.I)
CLOSED = re.compile(r"[。！？!?；;：:…\.\)）」』”\"]\s*$")


def enum_style(text: str) -> str | None:
    """Family of a list marker: 'shi' (一是/其一/第一), 'paren' ((1)/(一)), 'en' (First…), None."""
    t = nfkc(text)
    m = ENUM_RE.match(t)
    if m:
        return "paren" if (m.group("par") or m.group("zpar")) else "shi"
    return "en" if EN_ENUM_RE.match(t) else None


def item_start(text: str) -> bool:
    """Whether the sentence opens a list item (一是…, (2)…, 首先…, Second, …)."""
    return ordinal(text) is not None or bool(SEQ_RE.match(nfkc(text)))


def is_fragment(text: str) -> bool:
    """A piece of a sentence cut by a page/line break: no closing punctuation at its end."""
    t = nfkc(text).strip()
    return bool(t) and not CLOSED.search(t)


@dataclass
class Stopwords:
    zh: frozenset[str] = field(default_factory=frozenset)
    en: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def load(cls, directory: Path) -> "Stopwords":
        def read(name: str) -> frozenset[str]:
            p = Path(directory) / name
            if not p.exists():
                return frozenset()
            return frozenset(line.strip() for line in p.read_text(encoding="utf-8").splitlines()
                             if line.strip() and not line.startswith("#"))
        return cls(zh=read("stop_zh.txt"), en=frozenset(stem(w) for w in read("stop_en.txt")))


def content_words(text: str, tokens: str | None, lang: str, stop: Stopwords) -> list[str]:
    """Content words of a sentence: index tokens when given (jieba words), else a fallback split."""
    if lang == "en" or (lang != "zh" and not CJK.search(text or "")):
        return [w for w in en_stems(text) if len(w) >= 3 and w not in stop.en]
    words = nfkc(tokens).split() if tokens else CJK_RUN.findall(nfkc(text))
    return [w for w in words if len(w) >= 2 and CJK.search(w) and w not in stop.zh]


# A countermeasure section states a measure, then details it sector by sector or place by place
# ('…建议如下:在电子信息产业,…' / '在分工方面,重庆聚焦…' / '重庆致力提升…' / '例如…'). Such a detail sentence answers
# only a problem about the same sector (or aspect); it does not need a problem of its own.
DETAIL_RE = re.compile(
    r"^\s*(?:[^:：。]{0,30}[:：]\s*)?(?:在(?P<x>[\u3400-\u9fff]{2,10}?)(?:产业|行业|领域|方面|业)[\u3400-\u9fff]{0,3}[,，]"
    r"|(?:例如|比如|譬如)"
    r"|(?:[\u3400-\u9fff]{2,4}(?:致力|着力|聚焦|重点(?:支持|发展|打造)))"
    r"|(?:In|For) (?:the )?(?P<y>[a-z ]{3,30}?) (?:industry|sector|field)\b)", re.I)


def detail_topic(text: str) -> str | None:
    """The sector/aspect of a detail sentence ('在集成电路产业发力,…' → '集成电路'; '例如…' → ''),
    None when the sentence is not a detail sentence."""
    m = DETAIL_RE.match(nfkc(text))
    if not m:
        return None
    return (m.group("x") or m.group("y") or "").strip()
