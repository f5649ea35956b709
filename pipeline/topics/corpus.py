"""Turn a re-iterable stream of units into the matrices the engines need, in bounded memory:
one pass learns phrases, one pass builds id sequences (int32, ~4 bytes a token) from which the
count matrix and the coherence texts are derived. Token lists are never all held at once."""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import numpy as np
from scipy import sparse

from ..errors import LitmineError
from .clean import clean_runs
from .types import TopicSettings, TopicUnit


@dataclass
class PreparedCorpus:
    lang: str
    vocab: list[str]  # sorted, so ids do not depend on stream order
    dfs: np.ndarray  # units containing each term
    unit_ids: list[str]  # every unit of `lang`, in stream order
    doc_ids: list[str]
    seqs: list[np.ndarray]  # vocab ids per unit, in text order (for sliding-window coherence)
    X: sparse.csr_matrix  # units x vocab counts
    fit_rows: np.ndarray  # rows with >= min_unit_tokens tokens: the units models are fitted on
    corpus_hash: str
    no_below: int
    phrases: list[str] = field(default_factory=list)
    # every learned phrase ("supply_chain"): what assigning a new unit needs to join words the same way
    phrasegrams: list[str] = field(default_factory=list)

    @property
    def lengths(self) -> np.ndarray:
        return np.asarray(self.X.sum(axis=1)).ravel()

    def texts(self, rows: Iterable[int]) -> list[list[str]]:
        return [[self.vocab[i] for i in self.seqs[r]] for r in rows]


def _phrase_model(units: Callable[[], Iterable[TopicUnit]], lang: str, settings: TopicSettings,
                  stopwords: frozenset[str]):
    from gensim.models.phrases import Phrases

    def runs() -> Iterator[list[str]]:
        for u in units():
            if u.lang == lang:
                yield from clean_runs(u.tokens, lang, stopwords)

    # npmi scoring: threshold independent of corpus size, so the same setting works for 5 and 12k docs.
    model = Phrases(runs(), min_count=settings.phrase_min_count, threshold=settings.phrase_threshold,
                    scoring="npmi", delimiter="_")
    return model.freeze()


def _join(tokens: Iterable[str], lang: str) -> list[str]:
    # Chinese compounds are written without a separator (产业 + 集群 -> 产业集群, as a reader expects);
    # gensim needs a non-empty delimiter, so "_" is used while learning and removed here.
    return [t.replace("_", "") for t in tokens] if lang == "zh" else list(tokens)


def effective_no_below(settings: TopicSettings, n_units: int) -> int:
    # A term must recur to say anything about co-occurrence; on a handful of documents 2 units suffice.
    if n_units >= 1000:
        return settings.no_below
    return min(settings.no_below, 2 if n_units >= 20 else 1)


def prepare(units: Callable[[], Iterable[TopicUnit]], lang: str, settings: TopicSettings,
            stopwords: frozenset[str]) -> PreparedCorpus:
    frozen = _phrase_model(units, lang, settings, stopwords) if settings.phrases_for(lang) else None
    h = hashlib.sha256()
    prov: dict[str, int] = {}  # provisional ids in first-seen order; remapped to sorted ids below
    unit_ids: list[str] = []
    doc_ids: list[str] = []
    seqs: list[np.ndarray] = []
    for u in units():
        if u.lang != lang:
            continue
        h.update("\x1f".join([u.unit_id, u.doc_id, u.lang, *u.tokens]).encode("utf-8"))
        h.update(b"\x1e")
        toks: list[str] = []
        for run in clean_runs(u.tokens, lang, stopwords):
            toks.extend(_join(frozen[run], lang) if frozen is not None else run)
        unit_ids.append(u.unit_id)
        doc_ids.append(u.doc_id)
        seqs.append(np.fromiter((prov.setdefault(t, len(prov)) for t in toks), dtype=np.int32, count=len(toks)))
    if not unit_ids:
        raise LitmineError(f"no '{lang}' units to model: the index holds no text in this language")

    n = len(unit_ids)
    df = np.zeros(len(prov), dtype=np.int64)
    for s in seqs:
        if len(s):
            df[np.unique(s)] += 1
    n_nonempty = sum(1 for s in seqs if len(s))
    no_below = effective_no_below(settings, n_nonempty)
    keep = (df >= no_below) & (df <= max(no_below, math.floor(settings.no_above * n_nonempty)))
    terms = np.array(list(prov), dtype=object)
    kept = np.flatnonzero(keep)
    if len(kept) > settings.max_vocab:
        # Most frequent first; ties broken by the term so the cut is order independent.
        order = sorted(kept, key=lambda i: (-df[i], terms[i]))
        kept = np.array(sorted(order[: settings.max_vocab]))
    vocab = sorted(terms[kept].tolist())
    new_id = {t: i for i, t in enumerate(vocab)}
    remap = np.full(len(prov), -1, dtype=np.int64)
    for i in kept:
        remap[i] = new_id[terms[i]]
    for j, s in enumerate(seqs):
        r = remap[s]
        seqs[j] = r[r >= 0].astype(np.int32)
    rows = np.repeat(np.arange(n), [len(s) for s in seqs])
    cols = np.concatenate(seqs) if seqs else np.zeros(0, dtype=np.int32)
    X = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(n, len(vocab)))
    X.sum_duplicates()
    dfs = np.asarray((X > 0).sum(axis=0)).ravel()
    lengths = np.asarray(X.sum(axis=1)).ravel()
    fit_rows = np.flatnonzero(lengths >= settings.min_unit_tokens)
    # gensim 4 keys phrasegrams by the joined string ("产业集群", "supply_chain").
    learned = frozenset(_join(frozen.phrasegrams, lang)) if frozen is not None else frozenset()
    phrases = [t for t in vocab if t in learned]
    grams = sorted(frozen.phrasegrams) if frozen is not None else []
    return PreparedCorpus(lang, vocab, dfs, unit_ids, doc_ids, seqs, X, fit_rows, h.hexdigest(), no_below, phrases,
                          grams)


def join_phrases(run: list[str], phrasegrams: frozenset[str] | set[str]) -> list[str]:
    """gensim FrozenPhrases' joining (no connector words), from the saved phrase list: left to right,
    a word joins the next one when the pair is a learned phrase."""
    out: list[str] = []
    start: str | None = None
    for w in run:
        if start is None:
            start = w
            continue
        pair = f"{start}_{w}"
        if pair in phrasegrams:
            out.append(pair)
            start = None
        else:
            out.append(start)
            start = w
    if start is not None:
        out.append(start)
    return out
