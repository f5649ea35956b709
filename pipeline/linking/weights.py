"""Term statistics learned once from the shared unlabelled texts (models/linking/, rebuilt by
`python -m pipeline.linking.learn`), so cross-document similarities do not move when documents
are added or removed (what makes an incremental links stage give the same links as a full one):

- `terms.tsv.gz`: sentence document frequency of every linking feature (jieba words, CJK
  bigrams, English stems) over the training sentences → IDF; a feature missing from the table
  counts as rare. Features in more than `common_df` of the sentences still count in a vector's
  norm but do not make two sentences candidates of each other (the inverted-index prune that
  keeps cross-document candidate generation sparse).
- `boilerplate.tsv`: 8-character Chinese phrases found in many different documents (stock
  formulas of a genre: political slogans, 结果表明…); the features inside them are down-weighted.
"""
from __future__ import annotations

import gzip
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import LitmineError, Msg

BP_N = 8  # boilerplate phrase length (characters)
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


@dataclass
class TermStats:
    n: int = 0  # training sentences
    df: dict[str, int] = field(default_factory=dict)
    boilerplate: dict[str, float] = field(default_factory=dict)  # phrase → weight multiplier (< 1)
    common_df: float = 0.02  # share of sentences above which a feature makes no candidates
    meta: dict = field(default_factory=dict)
    _seen: dict[str, tuple[float, bool]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, models_dir: Path) -> "TermStats":
        d = Path(models_dir) / "linking"
        meta_path = d / "learned.json"
        if not meta_path.exists():  # no learned statistics shipped: every feature is rare
            return cls()
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            df: dict[str, int] = {}
            with gzip.open(d / "terms.tsv.gz", "rt", encoding="utf-8") as fh:
                for line in fh:
                    t, _, v = line.rstrip("\n").rpartition("\t")
                    if t:
                        df[t] = int(v)
            bp: dict[str, float] = {}
            bp_path = d / "boilerplate.tsv"
            if bp_path.exists():
                for line in bp_path.read_text(encoding="utf-8").splitlines():
                    if line and not line.startswith("#"):
                        g, _, w = line.partition("\t")
                        bp[g] = float(w)
            return cls(n=int(meta["sentences"]), df=df, boilerplate=bp,
                       common_df=float(meta.get("common_df", 0.02)), meta=meta)
        except (OSError, ValueError, KeyError) as exc:
            raise LitmineError(Msg.SETTINGS_INVALID.format(
                name="models/linking learned statistics", value=str(d), why=f"unreadable ({exc}); "
                "rebuild them with python -m pipeline.linking.learn")) from None

    def idf(self, term: str) -> float:
        if not self.n:
            return 1.0
        return math.log((1 + self.n) / (1 + self.df.get(term, 0))) + 1.0

    def is_common(self, term: str) -> bool:
        return bool(self.n) and self.df.get(term, 0) > self.common_df * self.n

    def lookup(self, term: str) -> tuple[float, bool]:
        """(idf, is_common) of a term, remembered (the same terms recur in every document)."""
        hit = self._seen.get(term)
        if hit is None:
            hit = self._seen[term] = (self.idf(term), self.is_common(term))
        return hit

    def char_weights(self, text: str) -> list[float] | None:
        """Per character of the NFKC text: the boilerplate multiplier of the phrase covering it
        (1.0 outside any), None when the text holds no boilerplate."""
        if not self.boilerplate:
            return None
        t = unicodedata.normalize("NFKC", text or "")
        w: list[float] | None = None
        for m in CJK_RUN.finditer(t):
            run, base = m.group(), m.start()
            for i in range(len(run) - BP_N + 1):
                mult = self.boilerplate.get(run[i:i + BP_N])
                if mult is not None:
                    if w is None:
                        w = [1.0] * len(t)
                    for k in range(base + i, base + i + BP_N):
                        w[k] = min(w[k], mult)
        return w


@dataclass
class WordVectors:
    """The word2vec vectors learned by `python -m pipeline.linking.learn` (unit length, float16 on
    disk); a sentence's vector is the IDF-weighted mean of its words' vectors."""
    index: dict[str, int] = field(default_factory=dict)
    vectors: np.ndarray | None = None

    @classmethod
    def load(cls, models_dir: Path) -> "WordVectors":
        path = Path(models_dir) / "linking" / "vectors.npz"
        if not path.exists():
            return cls()
        with np.load(path, allow_pickle=False) as z:
            words = [str(w) for w in z["words"]]
            vecs = z["vectors"].astype(np.float32)
        return cls({w: i for i, w in enumerate(words)}, vecs)

    @property
    def dim(self) -> int:
        return 0 if self.vectors is None else int(self.vectors.shape[1])

    def sentence(self, tokens: list[str], stats: TermStats) -> np.ndarray | None:
        if self.vectors is None:
            return None
        idx, w = [], []
        for t in tokens:
            k = self.index.get(t)
            if k is not None:
                idx.append(k)
                w.append(stats.idf(t))
        if not idx:
            return None
        v = np.average(self.vectors[idx], axis=0, weights=np.asarray(w))
        n = float(np.linalg.norm(v))
        return v / n if n > 0 else None
