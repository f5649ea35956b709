"""Sentences and tokens (see segmenter.py)."""
from .segmenter import Segmenter, cjk_bigrams, normalise  # noqa: F401
