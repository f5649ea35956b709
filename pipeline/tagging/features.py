"""Features of one sentence in its context, as named terms for a linear model.

Most are about the sentence itself: its character n-grams (Chinese) or word n-grams (English),
the cue words and constructions it contains (models/claims/cues.tsv: modal verbs, 要/将/必须,
仍/不足/短板, 只有…才能, should/must/would require, lack of…) and its shape. The section is one
feature family among others (class of the heading above, the part's role, the position in a
report), so that strong sentence evidence can outweigh it; interactions section × cue label let
the model learn how much a cue counts inside each kind of section. Paragraph context: the cue
labels of the paragraph's first sentence and of the previous sentence.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

import numpy as np
from scipy import sparse

from pipeline.tagging.context import SentenceContext

_DIGITS = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_EN_WORD = re.compile(r"[a-z][a-z\-']*")
_STAT = re.compile(r"[0-9][0-9,.]*\s*(?:%|％|万|亿|家|个|件|人|辆|台|元|吨|percent|million|billion)")
_ENUM = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|[（(][0-9一二三四五六七八九十]+[)）]|[0-9]+[.、]|——|—|•|第[一二三四五六七八九十]+)")
CUE_LABELS = ("problem", "countermeasure", "achievement", "background")
# feature families that say where a sentence is, not what it says (dropped together when training
# on copies without section evidence)
SECTION_PREFIXES = ("S:", "R:", "P:", "SxK:")


def text_terms(text: str, lang: str) -> list[str]:
    """Character 1-3-grams for Chinese (with start/end markers), word 1-2-grams for English."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = "".join(t.split()) if lang != "en" else " ".join(t.split())
    t = _DIGITS.sub("0", t)
    if lang == "en":
        words = _EN_WORD.findall(t)
        terms = [f"w:{w}" for w in words] + [f"w:{a}_{b}" for a, b in zip(words, words[1:])]
        if words:
            terms.append(f"w:^{words[0]}")
        return terms
    terms = []
    for n in (1, 2, 3):
        terms.extend(f"c:{t[i:i + n]}" for i in range(len(t) - n + 1))
    terms.append(f"c:^{t[:2]}")
    terms.append(f"c:{t[-2:]}$")
    return terms


def _bin(x: float) -> str:
    return "0" if x <= 0 else ("1" if x < 1.5 else ("2" if x < 3 else "3"))


def context_terms(c: SentenceContext) -> list[str]:
    """Everything but the n-grams: cues, shape, paragraph, section (binary terms)."""
    s = c.sentence
    out = [f"G:{c.genre}", f"kind:{s.kind}", f"lang:{'en' if s.lang == 'en' else 'zh'}"]
    for h in c.hits:
        out.append(f"K:{h.label}:{h.cue}")
    for lab in CUE_LABELS:
        b = _bin(c.cue_scores.get(lab, 0.0))
        if b != "0":
            out.append(f"KS:{lab}:{b}")
        lb = _bin(c.lead_scores.get(lab, 0.0)) if c.lead_scores else "0"
        if lb != "0":
            out.append(f"LK:{lab}:{lb}")
        if c.prev_scores.get(lab, 0.0) >= 1.0:
            out.append(f"PK:{lab}")
    if c.block_pos == 0:
        out.append("first")
    if _STAT.search(s.text):
        out.append("stat")
    if _ENUM.match(s.text):
        out.append("enum")
    t = s.text.strip()
    if t.endswith(("?", "？")):
        out.append("question")
    if t.endswith((":", "：")):
        out.append("colon_end")
    n = len(t) if s.lang != "en" else len(t.split()) * 2
    out.append(f"len:{min(int(math.log2(max(n, 1))), 8)}")
    # what kind of text it is part of (language-independent, so a Chinese policy text teaches
    # what an English statute summary's cue-less sentences are)
    dp = c.doc_prescriptive
    dbin = "0" if dp < 0.1 else ("1" if dp < 0.2 else ("2" if dp < 0.35 else "3"))
    out.append(f"D:prov:{dbin}")
    if not any(v > 0 for v in c.cue_scores.values()):
        out.append(f"D:prov:{dbin}|nocue")
    # where the sentence is. Section features are per genre family: what a heading's class is
    # worth differs between a work report, a Chinese paper and an English rule or statute summary.
    sec = c.section
    fam = "report" if c.genre == "report" else ("en" if c.genre.startswith("en_") else "zh")
    out.append(f"S:{fam}:{sec.label}:{sec.strength}" if sec.label else f"S:{fam}:none")
    if c.role:
        out.append(f"R:{c.role}")
    if c.genre == "report":
        out.append(f"P:{min(int(c.position * 10), 9)}")
    if sec.label:
        for lab in CUE_LABELS:
            if c.cue_scores.get(lab, 0.0) >= 1.0:
                out.append(f"SxK:{fam}:{sec.label}:{lab}")
    return out


def drop_section(terms: list[str]) -> list[str]:
    kept = [t for t in terms if not t.startswith(SECTION_PREFIXES)]
    fam = next((t.split(":")[1] for t in terms if t.startswith("S:")), "zh")
    return kept + [f"S:{fam}:none"]


class Featurizer:
    """TF-IDF over n-gram terms (l2-normalised) next to binary context terms."""

    def __init__(self, vocab: list[str], idf: list[float], context_vocab: list[str], context_scale: float = 1.0):
        self.vocab = vocab
        self.index = {t: i for i, t in enumerate(vocab)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.context_vocab = context_vocab
        self.cindex = {t: i for i, t in enumerate(context_vocab)}
        self.context_scale = context_scale

    @classmethod
    def fit(cls, term_lists: list[list[str]], context_lists: list[list[str]], min_df: int = 3,
            max_features: int = 60000, context_min_df: int = 3, context_scale: float = 1.0) -> "Featurizer":
        df: Counter = Counter()
        for terms in term_lists:
            df.update(set(terms))
        kept = sorted((t for t, c in df.items() if c >= min_df), key=lambda t: (-df[t], t))[:max_features]
        vocab = sorted(kept)
        n = len(term_lists)
        idf = [math.log((1 + n) / (1 + df[t])) + 1.0 for t in vocab]
        cdf: Counter = Counter()
        for terms in context_lists:
            cdf.update(set(terms))
        cvocab = sorted(t for t, c in cdf.items() if c >= context_min_df)
        return cls(vocab, idf, cvocab, context_scale)

    def transform(self, term_lists: list[list[str]], context_lists: list[list[str]]) -> sparse.csr_matrix:
        rows, cols, vals = [], [], []
        nv = len(self.vocab)
        for r, (terms, ctx) in enumerate(zip(term_lists, context_lists)):
            tf = Counter(self.index[t] for t in terms if t in self.index)
            w = {j: (1.0 + math.log(c)) * self.idf[j] for j, c in tf.items()}
            norm = math.sqrt(sum(x * x for x in w.values())) or 1.0
            for j, x in sorted(w.items()):
                rows.append(r)
                cols.append(j)
                vals.append(x / norm)
            for j in sorted({self.cindex[t] for t in ctx if t in self.cindex}):
                rows.append(r)
                cols.append(nv + j)
                vals.append(self.context_scale)
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(term_lists), nv + len(self.context_vocab)))
