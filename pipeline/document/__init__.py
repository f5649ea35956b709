"""Data model shared by all stages (see model.py)."""
from .model import (  # noqa: F401
    CLAIM_KINDS, KINDS, LABELS, Block, Cell, Claim, Document, Page, Reference, Sentence, Statistic, Table,
)
