"""Claim tagging: body/abstract sentences -> problem / countermeasure / achievement / background."""
from pipeline.tagging.claims import ClaimTagger, classify_heading, train_claims

__all__ = ["ClaimTagger", "classify_heading", "train_claims"]
