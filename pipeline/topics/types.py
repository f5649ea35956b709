"""Data types of the topic stage: what goes in (units, settings) and what comes out (result)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..errors import LitmineError, Msg

ENGINES = ("nmf", "lda", "tomotopy")
UNITS = ("paragraph", "sentence")
LANGS = ("zh", "en")
MIN_UNITS = 12  # fewer units than this in a language: no topic model for it (noted in the summary)
COHERENCE_MEASURES = ("c_v", "u_mass", "c_npmi")


@dataclass
class TopicUnit:
    """One modelling unit (a paragraph or a sentence) with the pipeline's tokens."""

    unit_id: str
    doc_id: str
    lang: str
    tokens: list[str]


@dataclass
class Topic:
    topic_id: int  # 0-based, ordered by prevalence (largest first)
    lang: str
    terms: list[tuple[str, float]]  # top terms, weight = share of the topic's term distribution
    label: str  # short, from distinctive top terms
    prevalence: float  # mean share of this topic over the modelled units (sums to 1 over topics)


@dataclass
class TopicSettings:
    """Topic-model settings; invalid values raise LitmineError at construction.

    `engine`: "nmf" (default: best coherence and seed stability in benchmarks/bench_topics.py),
    "lda" (gensim LdaModel, the reference) or "tomotopy" (only when installed).
    `k`: fixed number of topics, or None to choose it by a sweep over `k_range` x `seeds`.
    `unit`: which units the caller should feed (paragraphs by default; sentences are too short for
    topic models on small corpora). `fit_topics` models whatever units it is given.
    """

    engine: str = "nmf"
    k: Optional[int] = None
    k_range: tuple[int, ...] = (4, 6, 8, 10, 12, 15, 20)
    seeds: tuple[int, ...] = (1, 2, 3)
    unit: str = "paragraph"
    # Vocabulary
    # gensim Phrases bigrams. None = by language: on for en (supply_chain, business_cycle; c_v held or
    # rose), off for zh (jieba + the user dictionary already yield compounds; Phrases lowered c_v).
    phrases: Optional[bool] = None
    phrase_min_count: int = 5
    phrase_threshold: float = 0.5  # npmi scoring, in (-1, 1]
    no_below: int = 3  # min units a term must occur in (lowered automatically for small corpora)
    no_above: float = 0.4  # max share of units a term may occur in
    max_vocab: int = 20000
    min_unit_tokens: int = 3  # shorter units are not used for fitting (they are still assigned)
    # Engines
    passes: int = 10  # lda: passes over the corpus
    iterations: int = 100  # lda: inference iterations per chunk; tomotopy: training iterations
    chunksize: int = 2000
    max_iter: int = 400  # nmf
    tol: float = 1e-4  # nmf: stopping tolerance of the kept model
    # nmf: tolerance of the K sweep's fits (top terms match the tight fit's at ~0.96 Jaccard, in ~60% of the
    # iterations); the kept model is refitted at `tol`
    sweep_tol: float = 1e-3
    # Sweep and quality
    subsample: float = 0.8  # share of units refitted per extra seed for the stability measure
    stability_floor: float = 0.6  # a K qualifies when its mean stability reaches this
    topn: int = 10  # terms per topic for coherence, stability and the label
    n_terms: int = 20  # terms kept per topic in the result
    coherence: tuple[str, ...] = ("c_v", "u_mass")
    coherence_max_units: int = 6000  # c_v/npmi estimated on a fixed sample of units (speed)
    sweep_max_units: int = 5000  # the K sweep fits a fixed sample of this many units (0 = all); the kept model all
    # Stopwords: models/stopwords/<lang>.txt unless a directory is given
    stopwords_dir: Optional[str] = None
    # Incremental rebuilds assign new units to the saved model until the units added, changed or
    # removed since the fit reach this share of the units it was fitted on; then it is refitted
    # (measured, benchmarks/bench_topic_drift.py: assigned units agree with a refit as well as two
    # refits agree with each other up to ~10% new documents, 0.09 less at 20%).
    drift_threshold: float = 0.15

    def __post_init__(self) -> None:
        self.k_range = tuple(self.k_range)
        self.seeds = tuple(self.seeds)
        self.coherence = tuple(self.coherence)
        self.validate()

    def validate(self) -> None:
        def bad(name: str, why: str) -> LitmineError:
            return LitmineError(Msg.SETTINGS_INVALID.format(name=name, value=getattr(self, name), why=why))

        if self.engine not in ENGINES:
            raise bad("engine", f"choose one of {', '.join(ENGINES)}")
        if self.engine == "tomotopy" and not tomotopy_available():
            raise bad("engine", "tomotopy is not installed (pip install 'litmine[tomotopy]')")
        if self.k is not None and (not isinstance(self.k, int) or isinstance(self.k, bool) or self.k < 2):
            raise bad("k", "must be an integer >= 2, or None to choose K by a sweep")
        if not self.k_range or any(not isinstance(k, int) or isinstance(k, bool) or k < 2 for k in self.k_range):
            raise bad("k_range", "must be a non-empty tuple of integers >= 2")
        if len(set(self.k_range)) != len(self.k_range):
            raise bad("k_range", "contains duplicates")
        if not self.seeds or any(not isinstance(s, int) or isinstance(s, bool) or s < 0 for s in self.seeds):
            raise bad("seeds", "must be a non-empty tuple of non-negative integers")
        if len(set(self.seeds)) != len(self.seeds):
            raise bad("seeds", "contains duplicates")
        if self.unit not in UNITS:
            raise bad("unit", f"choose one of {', '.join(UNITS)}")
        for name in ("passes", "iterations", "chunksize", "max_iter", "topn", "n_terms", "no_below",
                     "max_vocab", "min_unit_tokens", "phrase_min_count"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise bad(name, "must be a positive integer")
        if self.n_terms < self.topn:
            raise bad("n_terms", f"must be >= topn ({self.topn})")
        for name in ("tol", "sweep_tol"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0.0 < v < 1.0:
                raise bad(name, "must be in (0, 1)")
        if not 0.0 < self.no_above <= 1.0:
            raise bad("no_above", "must be in (0, 1]")
        if not 0.0 < self.subsample < 1.0:
            raise bad("subsample", "must be in (0, 1)")
        if not 0.0 <= self.stability_floor <= 1.0:
            raise bad("stability_floor", "must be in [0, 1]")
        if not -1.0 < self.phrase_threshold <= 1.0:
            raise bad("phrase_threshold", "must be in (-1, 1] (npmi scoring)")
        if not self.coherence or any(c not in COHERENCE_MEASURES for c in self.coherence):
            raise bad("coherence", f"choose from {', '.join(COHERENCE_MEASURES)}")
        if not isinstance(self.sweep_max_units, int) or isinstance(self.sweep_max_units, bool) \
                or self.sweep_max_units < 0:
            raise bad("sweep_max_units", "must be an integer >= 0 (0 = all units)")
        if not isinstance(self.coherence_max_units, int) or self.coherence_max_units < 0:
            raise bad("coherence_max_units", "must be an integer >= 0 (0 = all units)")
        if not isinstance(self.drift_threshold, (int, float)) or not 0.0 <= self.drift_threshold <= 1.0:
            raise bad("drift_threshold", "must be in [0, 1] (0 = refit on every change)")
        if self.stopwords_dir is not None and not Path(self.stopwords_dir).is_dir():
            raise bad("stopwords_dir", "is not a directory")

    def phrases_for(self, lang: str) -> bool:
        return self.phrases if self.phrases is not None else lang == "en"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("k_range", "seeds", "coherence"):
            d[key] = list(d[key])
        return d


@dataclass
class TopicModelResult:
    lang: str
    engine: str
    topics: list[Topic]
    unit_topics: dict[str, tuple[int, float]]  # unit_id -> (dominant topic, its share); (-1, 0.0) when empty
    doc_topics: dict[str, list[tuple[int, float]]]  # doc_id -> [(topic_id, weight)] over all topics, sums to 1
    sweep: list[dict[str, Any]]  # one row per (k, seed): k, seed, engine, c_v, u_mass/c_npmi, stability, seconds
    chosen_k: int
    reason: str
    config: dict[str, Any]
    corpus_hash: str
    # Model state needed to assign topics to new units (topic-term matrix, vocabulary, engine extras).
    state: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # doc_id -> (units, modelled units, per-topic sum of the modelled units' shares): what an
    # incremental rebuild needs to keep prevalence exact when documents come and go
    doc_state: dict[str, tuple[int, int, list[float]]] = field(default_factory=dict, repr=False, compare=False)


def tomotopy_available() -> bool:
    try:
        import tomotopy  # noqa: F401
    except ImportError:
        return False
    return True
