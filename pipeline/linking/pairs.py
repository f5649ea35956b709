"""The pair classifier: whether a cross-document candidate pair is a link, from features of the
pair (not hand thresholds per relation). A logistic regression stored as JSON in
models/linking/pairs.json (weights, feature scaling, decision threshold, training-data hash),
trained by `python -m pipeline.training.link_pairs` on the dev gold links plus silver pairs.

Every feature depends on the two documents alone (similarities, ranks inside the document pair),
so the links between two documents do not move when other documents change.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import LitmineError, Msg

RELATIONS = ("addresses", "same_issue", "same_measure")
# (sentence lengths and relation-specific similarity slopes were tried: held-out F1 fell, 0.50 → 0.41)
FEATURES = ("similarity", "embedding", "best", "mutual", "margin", "cross_language", "shared_class") \
    + tuple(f"rel:{r}" for r in RELATIONS)


def feature_matrix(relation: str, sim: np.ndarray, emb: np.ndarray, best: np.ndarray, mutual: np.ndarray,
                   margin: np.ndarray, cross: np.ndarray, shared_class: np.ndarray, chars_a: np.ndarray,
                   chars_b: np.ndarray) -> np.ndarray:
    """Rows of FEATURES for candidate pairs of one relation (all arrays of equal length)."""
    n = len(sim)
    cols = [sim, emb, best, mutual, margin, cross, shared_class]
    cols += [np.full(n, float(relation == r)) for r in RELATIONS]
    return np.column_stack([np.asarray(c, dtype=np.float64) for c in cols]) if n else np.zeros((0, len(FEATURES)))


@dataclass
class PairModel:
    weights: list[float] = field(default_factory=list)
    bias: float = 0.0
    mean: list[float] = field(default_factory=list)
    scale: list[float] = field(default_factory=list)
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    FILE = "pairs.json"

    @classmethod
    def load(cls, models_dir: Path) -> "PairModel | None":
        path = Path(models_dir) / "linking" / cls.FILE
        if not path.exists():
            return None
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
            if tuple(d["features"]) != FEATURES:
                raise ValueError(f"features {d['features']} differ from this version's")
            return cls(list(map(float, d["weights"])), float(d["bias"]), list(map(float, d["mean"])),
                       list(map(float, d["scale"])), float(d["threshold"]), d.get("meta", {}))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise LitmineError(Msg.SETTINGS_INVALID.format(
                name=str(path), value="pair model", why=f"unreadable ({exc}); retrain with "
                "python -m pipeline.training.link_pairs")) from None

    def proba(self, x: np.ndarray) -> np.ndarray:
        if not len(x):
            return np.zeros(0)
        z = ((x - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, models_dir: Path) -> Path:
        path = Path(models_dir) / "linking" / self.FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        d = {"features": list(FEATURES), "weights": [round(w, 6) for w in self.weights], "bias": round(self.bias, 6),
             "mean": [round(m, 6) for m in self.mean], "scale": [round(s, 6) for s in self.scale],
             "threshold": round(self.threshold, 4), "meta": self.meta}
        path.write_text(json.dumps(d, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return path


def logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))
