"""Training models from gold annotations (kept out of the production stages: no stage imports it)."""
from .claims import train_claims
from .run import train

__all__ = ["train", "train_claims"]
