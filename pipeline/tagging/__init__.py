"""Claim tagging: body/abstract sentences -> problem / countermeasure / achievement / background."""
from pipeline.tagging.claims import ClaimTagger, classify_heading

__all__ = ["ClaimTagger", "classify_heading"]
