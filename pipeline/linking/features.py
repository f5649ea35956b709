"""Claims as linkable units, with their lexical and concept vectors and a similarity between them.

Two similarities, both IDF-weighted cosines computed with sparse matrices (a corpus of thousands
of claims stays fast):
- lexical: Chinese words + character bigrams, or English stems (same language only);
- concept: glossary concepts (any language pair), so 同质化 meets "homogeneous".
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .glossary import Glossary
from .text import Stopwords, cjk_bigrams, content_words, is_fragment, item_start, numbers_in, ordinal, years_in


@dataclass
class Claim:
    claim_id: str
    sentence_id: str
    doc_id: str
    idx: int
    lang: str
    kind: str
    label: str
    secondary: tuple[str, ...]
    text: str
    section: str
    section_path: tuple[str, ...]
    topic: str | None = None
    ordinal: int | None = None
    words: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)  # the index's tokens (jieba words, English lemmas)
    concepts: list[tuple[str, str]] = field(default_factory=list)
    item_start: bool = False  # opens a list item (一是, (1), 首先, First…)
    # a sentence split by a page or line break: the claim ids of all its pieces, in order (the
    # pieces share one vector, so a link found for the sentence reaches every piece)
    pieces: tuple[str, ...] = ()

    def has(self, label: str) -> bool:
        return self.label == label or label in self.secondary

    block: int | None = None  # paragraph number from the index
    full_text: str = ""  # the whole sentence when this claim is a piece of one, else the text

    @property
    def leaf(self) -> str:
        return self.section_path[-1] if self.section_path else ""


def _lang_of(lang: str, text: str) -> str:
    if lang in ("zh", "en"):
        return lang
    from .text import CJK

    return "zh" if CJK.search(text or "") else "en"


def load_claims(conn: sqlite3.Connection, glossary: Glossary, stop: Stopwords, doc_id: str | None = None) -> list[Claim]:
    """Every claim with its sentence (of one document when doc_id is given), in (doc, reading order)."""
    return claims_from_rows(claim_rows(conn, doc_id), glossary, stop)


def claim_rows(conn: sqlite3.Connection, doc_id: str | None = None) -> list[tuple]:
    """The index rows load_claims reads (plain tuples: they travel to worker processes)."""
    sql = ("SELECT c.claim_id, c.sentence_id, c.doc_id, s.idx, s.lang, s.kind, c.label, c.secondary, s.text, s.section,"
           " s.section_path, s.tokens, s.block FROM claims c JOIN sentences s ON s.sentence_id = c.sentence_id")
    args: tuple = ()
    if doc_id is not None:
        sql += " WHERE c.doc_id = ?"
        args = (doc_id,)
    return [tuple(r) for r in conn.execute(sql + " ORDER BY c.doc_id, s.idx, c.claim_id", args)]


def claims_from_rows(rows: list[tuple], glossary: Glossary, stop: Stopwords) -> list[Claim]:
    out = []
    for r in rows:
        try:
            secondary = tuple(json.loads(r[7]) if r[7] else ())
        except (ValueError, TypeError):
            secondary = tuple(x for x in str(r[7]).split(";") if x)
        try:
            path = tuple(json.loads(r[10]) if r[10] else ())
        except (ValueError, TypeError):
            path = ()
        lang = _lang_of(r[4], r[8])
        c = Claim(r[0], r[1], r[2], int(r[3] or 0), lang, r[5] or "body", r[6] or "", secondary, r[8] or "",
                  r[9] or "", path)
        c.full_text = c.text
        c.block = r[12]
        c.ordinal = ordinal(c.text)
        c.item_start = item_start(c.text)
        c.words = content_words(c.text, r[11], lang, stop)
        c.tokens = (r[11] or "").split()
        c.concepts = glossary.concepts(c.text, lang)
        out.append(c)
    _join_fragments(out, glossary)
    return out


def _join_fragments(claims: list[Claim], glossary: Glossary) -> None:
    """A sentence cut by a page break arrives as two claims ('…在人才要素方面,区域内集成电路和新能源、' +
    '智能网联等汽车业…人才数量不足。'): the pieces (consecutive, same document, kind and section, the
    first without closing punctuation) get the words and concepts of the whole sentence."""
    i = 0
    while i < len(claims):
        j = i
        while (j + 1 < len(claims) and is_fragment(claims[j].text) and claims[j + 1].doc_id == claims[i].doc_id
               and claims[j + 1].kind == claims[i].kind and claims[j + 1].section_path == claims[i].section_path
               and claims[j + 1].idx - claims[j].idx <= 3 and claims[j + 1].lang == claims[i].lang):
            j += 1
        if j > i:
            group = claims[i:j + 1]
            words = [w for c in group for w in c.words]
            whole = "".join(c.text for c in group)
            concepts = glossary.concepts(whole, group[0].lang)
            ids = tuple(c.claim_id for c in group)
            for c in group:
                c.words, c.concepts, c.pieces, c.full_text = list(words), list(concepts), ids, whole
        i = j + 1


REMEDY_ONLY = True  # remedy-only glossary concepts stay out of the concept vectors


class Vectors:
    """Row-normalised IDF-weighted vectors of the claims (lexical and concept spaces)."""

    def __init__(self, claims: list[Claim], classes: bool = True):
        """classes=False leaves out instrument-class concepts (within a document the sentences'
        own words already say which instrument is meant)."""
        self.index = {c.claim_id: i for i, c in enumerate(claims)}
        lex_docs = [(c.words + (cjk_bigrams(c.full_text) if c.lang == "zh" else [])) for c in claims]
        con_docs = [[cid for cid, _ in c.concepts if (classes or not cid.startswith("class:"))
                     and not (REMEDY_ONLY and cid.startswith("remedy:"))] for c in claims]
        self.lex, self.lex_vocab = self._matrix(lex_docs)
        self.con, self.con_vocab = self._matrix(con_docs)

    @staticmethod
    def _matrix(docs: list[list[str]]) -> tuple[sparse.csr_matrix, dict[str, int]]:
        """Row-normalised (1 + log tf) · IDF rows; IDF over these rows alone, columns in term
        order (array operations: this runs once per document on every rebuild)."""
        ids: dict[str, int] = {}
        flat = [ids.setdefault(t, len(ids)) for d in docs for t in d]
        terms = sorted(ids)
        vocab = {t: i for i, t in enumerate(terms)}
        remap = np.empty(max(1, len(ids)), dtype=np.int64)
        for t, i in ids.items():
            remap[i] = vocab[t]
        rows = np.repeat(np.arange(len(docs), dtype=np.int64), [len(d) for d in docs])
        cols = remap[np.asarray(flat, dtype=np.int64)] if flat else np.zeros(0, np.int64)
        m = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(docs), max(1, len(vocab))))
        m.sum_duplicates()  # term frequencies
        df = np.bincount(m.indices, minlength=m.shape[1])
        idf = np.log((1 + max(1, len(docs))) / (1 + df)) + 1.0
        m.data = (1 + np.log(m.data)) * idf[m.indices]
        norms = np.sqrt(np.bincount(np.repeat(np.arange(len(docs)), np.diff(m.indptr)), weights=m.data * m.data,
                                    minlength=len(docs)))
        norms[norms == 0] = 1.0
        m.data /= np.repeat(norms, np.diff(m.indptr))
        return m, vocab

    def pooled(self, groups: list[list[int]]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """Row-normalised sums of the rows of each group (a list item, a paragraph): its vectors."""
        n = len(groups)
        rows = [r for r, g in enumerate(groups) for _ in g]
        cols = [i for g in groups for i in g]
        agg = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(n, self.lex.shape[0]))
        out = []
        for m in (self.lex, self.con):
            x = agg @ m
            norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
            norms[norms == 0] = 1.0
            out.append(sparse.csr_matrix(sparse.diags(1.0 / norms) @ x))
        return out[0], out[1]

    def pooled_sims(self, groups: list[list[int]], cols: list[int], lex_weight: float = 0.5) -> np.ndarray:
        """Similarity of pooled groups (same language as cols) to single rows."""
        if not groups or not cols:
            return np.zeros((len(groups), len(cols)))
        lex, con = self.pooled(groups)
        return lex_weight * (lex @ self.lex[cols].T).toarray() + (1 - lex_weight) * (con @ self.con[cols].T).toarray()

    def sim_matrix(self, rows: list[int], cols: list[int], same_lang: np.ndarray | None = None,
                   lex_weight: float = 0.5) -> np.ndarray:
        """Dense similarity block rows × cols: for same-language pairs a blend of lexical and
        concept cosine, for cross-language pairs the concept cosine alone."""
        if not rows or not cols:
            return np.zeros((len(rows), len(cols)))
        lex = (self.lex[rows] @ self.lex[cols].T).toarray()
        con = (self.con[rows] @ self.con[cols].T).toarray()
        if same_lang is None:
            return lex_weight * lex + (1 - lex_weight) * con
        return np.where(same_lang, lex_weight * lex + (1 - lex_weight) * con, con)


def shared_terms(a: Claim, b: Claim, limit: int = 8) -> dict[str, list[str]]:
    """What a reader can check: words both sentences use, and glossary concepts they share."""
    words = sorted(set(a.words) & set(b.words), key=lambda w: (-len(w), w))[:limit] if a.lang == b.lang else []
    ca = {cid: t for cid, t in a.concepts}
    cb = {cid: t for cid, t in b.concepts}
    pairs = sorted({f"{ca[c]}={cb[c]}" if ca[c] != cb[c] else ca[c] for c in set(ca) & set(cb)})[:limit]
    return {"shared_terms": words, "glossary": pairs}


def numbers_years(a: str, b: str) -> dict[str, list]:
    na, nb = set(numbers_in(a)), set(numbers_in(b))
    return {"numbers": sorted(na & nb), "years": sorted(set(years_in(a)) & set(years_in(b)))}
