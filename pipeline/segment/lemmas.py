"""English lemmas from spacy-lookups-data's table alone (~50 ms), without building spaCy (0.5–1.5 s):
the table spaCy's lookup lemmatizer loads. The segmenter and the query tokenizer share it."""
from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path


def lemma_path() -> Path | None:
    """The packaged en_lemma_lookup table, None when spacy-lookups-data is not installed."""
    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or spec.origin is None:
        return None
    p = Path(spec.origin).parent / "data" / "en_lemma_lookup.json.gz"
    return p if p.exists() else None


def lemma_table() -> dict[str, str]:
    """word → lemma ({} without spacy-lookups-data: words stay as they are)."""
    p = lemma_path()
    if p is None:
        return {}
    with gzip.open(p, "rt", encoding="utf-8") as fh:
        return dict(json.load(fh))
