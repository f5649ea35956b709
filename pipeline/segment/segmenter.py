"""Segmentation: where a sentence is born.

Needs: Document.blocks with kind/section_path (extract/structure.py).
Adds:  Document.sentences (verbatim text + offsets, kind, lang, page, section path, tokens).

Chinese: sentences end after 。！？!? (with closing quotes/brackets); ；/; ends one only before an
enumerated item (一是…；二是…), as the annotation guide defines; a line/paragraph end always ends
one. English: rules with abbreviation lists (segment/english.py; no model downloads exist here). Tokens: jieba with the
project's user dictionary for Chinese, spaCy lookup lemmas for English. NFKC / full-width folding is
used for processing only: Sentence.text stays verbatim.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable

from ..document import Document, Sentence
from ..extract.structure import SALUTATION_RE, content_span, detect_lang
from .english import EnglishRules
from .lemmas import lemma_table

ZH_END = re.compile(r"[。！？!?]+[”’」』）)\]】]*")
# A semicolon ends a sentence only before an enumerated item (GUIDE.md "Sentence ends").
ENUM_AFTER = re.compile(r"\s*(?:[一二三四五六七八九十]是|其[一二三四五六七八九十]|第[一二三四五六七八九十]+[，,、]|[（(]\s*\d+\s*[）)]|[（(][一二三四五六七八九十]+[）)]|\d+[.、．](?!\d))")
SEMI = re.compile(r"[；;]")
# English sentence end inside a mixed/zh block: ". " + capital, also "word.Capital" (no space, seen in scraped abstracts)
EN_END = re.compile(r"(?<=[a-z0-9\)\]%])[.!?](?=\s+[A-Z“\"(]|[A-Z][a-z])")
NO_SPLIT_ABBR = re.compile(r"(?:\b(?:e\.g|i\.e|etc|et al|vs|Fig|No|Vol|pp|Mr|Dr|St|U\.S|U\.K))$", re.I)

SENTENCE_KINDS = ("body", "abstract", "title", "heading", "keywords", "caption", "front_matter", "reference")


class Segmenter:
    """Loads jieba (with the user dictionary) and spaCy once; reuse one instance per process."""

    def __init__(self, models_dir: Path):
        import warnings

        with warnings.catch_warnings():  # jieba imports the deprecated pkg_resources
            warnings.simplefilter("ignore")
            import jieba

        jieba.setLogLevel(logging.WARNING)
        self.models_dir = Path(models_dir)
        self.jieba = jieba.Tokenizer()
        self.jieba.initialize()
        userdict = self.models_dir / "jieba_userdict.txt"
        if userdict.exists():
            self.jieba.load_userdict(str(userdict))
        self._nlp: Any = None
        self._lemmas: dict[str, str] | None = None
        self.english = EnglishRules.load(self.models_dir)

    # spaCy costs ~0.8 s to build; Chinese-only corpora never pay it.
    @property
    def nlp(self):
        if self._nlp is None:
            import spacy

            nlp = spacy.blank("en")
            nlp.add_pipe("sentencizer")
            try:
                nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
                nlp.initialize()
                self._lemmas = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
            except Exception:  # spacy-lookups-data missing: fall back to lowercase forms
                self._lemmas = {}
            self._nlp = nlp
        return self._nlp

    # ---- tokens -------------------------------------------------------------------------
    def tokens(self, text: str, lang: str) -> list[str]:
        """Normalised tokens for topics/linking: jieba words for zh, lowercase lemmas for en."""
        return self.tokens_and_search(text, lang)[0]

    def search_tokens(self, text: str, lang: str) -> list[str]:
        """Tokens for the full-text index: jieba's search mode also emits the sub-words of long
        words (产业 inside 产业链), so a 2-character query is not silently missed."""
        return self.tokens_and_search(text, lang)[1]

    def tokens_and_search(self, text: str, lang: str) -> tuple[list[str], list[str]]:
        """Both token lists from one jieba pass (segmentation is the rebuild's hot path).

        The search list is what jieba's cut_for_search yields — the dictionary 2- and 3-grams
        inside each word longer than 2, then the word — computed from the same words.
        """
        norm = normalise(text)
        if lang == "en":
            toks = self.en_tokens(norm)
            return toks, toks
        freq = self.jieba.FREQ
        tokens: list[str] = []
        search: list[str] = []
        for w in self.jieba.lcut(norm):
            w = w.strip()
            if not w:
                continue
            if w.isascii():
                if re.fullmatch(r"[A-Za-z][A-Za-z\-']*", w):
                    w = self._lemma(w.lower())
                tokens.append(w)
                if not _PUNCT.fullmatch(w):
                    search.append(w.lower())
                continue
            tokens.append(w)
            if _PUNCT.fullmatch(w):
                continue
            n = len(w)
            if n > 2:
                search.extend(w[i:i + 2] for i in range(n - 1) if freq.get(w[i:i + 2]))
            if n > 3:
                search.extend(w[i:i + 3] for i in range(n - 2) if freq.get(w[i:i + 3]))
            search.append(w)
        return tokens, search

    def en_tokens(self, text: str) -> list[str]:
        _ = self.nlp  # ensure lemmas loaded
        doc = self.nlp.make_doc(text)
        return [self._lemma(t.lower_) for t in doc if not (t.is_punct or t.is_space)]

    def _lemma(self, w: str) -> str:
        if self._lemmas is None:
            # the lookup table alone (~50 ms), not spaCy (0.5–1.5 s): Chinese text with a few Latin
            # words never builds spaCy; the table is the one spaCy's lookup lemmatizer loads
            self._lemmas = lemma_table()
        return self._lemmas.get(w, w) if self._lemmas else w

    def query_terms(self, text: str) -> list[str]:
        lang = detect_lang(text)
        norm = normalise(text)
        if lang == "en":
            return self.en_tokens(norm)
        return [self._lemma(w.lower()) if w.isascii() else w
                for w in (x.strip() for x in self.jieba.lcut(norm)) if w and not _PUNCT.fullmatch(w)]

    # ---- sentences ----------------------------------------------------------------------
    def segment(self, doc: Document) -> None:
        sentences: list[Sentence] = []
        for bi, block in enumerate(doc.blocks):
            if block.kind == "table":
                continue
            start, end = content_span(doc.text, block)
            if start >= end:
                continue
            # the leading label of an abstract/keywords block is not part of the sentence (GUIDE.md)
            if block.kind in ("abstract", "keywords"):
                start = _skip_label(doc.text, start, end)
            spans = [(start, end)] if block.kind in ("title", "heading", "keywords", "caption",
                                                      "front_matter", "reference") else self.split(doc.text, start, end)
            for s, e in spans:
                text = doc.text[s:e]
                if not text.strip() or re.fullmatch(r"[\W_]+", text):
                    continue
                lang = detect_lang(text)
                kind = "front_matter" if SALUTATION_RE.match(text.strip()) else block.kind
                toks, search = ([], []) if kind in ("reference", "front_matter") else self.tokens_and_search(text, lang)
                sentences.append(Sentence(
                    start=s, end=e, text=text, kind=kind, lang=lang,
                    page=(doc.page_at(s) or block.page) if doc.pages else block.page,
                    section_path=list(block.section_path), block_index=bi, index=len(sentences),
                    tokens=toks, search_tokens=search, role=block.role,
                ))
        doc.sentences = sentences

    def split(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Sentence spans within text[start:end], trimmed of surrounding whitespace."""
        chunk = text[start:end]
        lang = detect_lang(chunk)
        cuts: list[int] = []
        if lang == "en":
            cuts = self.english.cuts(normalise_keep_length(chunk))
        else:
            for m in ZH_END.finditer(chunk):
                cuts.append(m.end())
            for m in SEMI.finditer(chunk):
                if ENUM_AFTER.match(chunk, m.end()):
                    cuts.append(m.end())
            for m in EN_END.finditer(chunk):
                if not NO_SPLIT_ABBR.search(chunk[:m.start()]):
                    cuts.append(m.end())
        spans = []
        prev = 0
        for c in sorted(set(cuts)) + [len(chunk)]:
            if c <= prev:
                continue
            seg = chunk[prev:c]
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg) - len(seg.rstrip())
            if seg.strip():
                spans.append((start + prev + lead, start + c - trail))
            prev = c
        # a fragment of only closing punctuation joins the sentence before it
        merged: list[tuple[int, int]] = []
        for s, e in spans:
            if merged and re.fullmatch(r"[\W_]{1,3}", text[s:e]):
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        return merged


_PUNCT = re.compile(r"[\W_]+")


def _skip_label(text: str, start: int, end: int) -> int:
    from ..extract.structure import ABSTRACT_RE, KEYWORDS_RE

    pos = start
    for _ in range(3):  # "摘要: 摘要:…" repeats in scraped text
        seg = text[pos:end]
        m = ABSTRACT_RE.match(seg) or KEYWORDS_RE.match(seg)
        if not m or m.end() == 0:
            break
        pos += m.end()
        while pos < end and text[pos] in " |*:：":
            pos += 1
    return pos if pos < end else start


def normalise(text: str) -> str:
    """NFKC (full-width → half-width etc.) for processing; never stored as the sentence text."""
    return unicodedata.normalize("NFKC", text)


def normalise_keep_length(text: str) -> str:
    """Per-character NFKC that keeps offsets valid (characters whose NFKC form changes length stay)."""
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def cjk_bigrams(text: str) -> Iterable[str]:
    """Overlapping CJK character bigrams (the substring-recall safety net of the full-text index)."""
    run = []
    for ch in normalise(text):
        if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
            run.append(ch)
        else:
            if len(run) >= 2:
                yield from ("".join(run[i:i + 2]) for i in range(len(run) - 1))
            run = []
    if len(run) >= 2:
        yield from ("".join(run[i:i + 2]) for i in range(len(run) - 1))
