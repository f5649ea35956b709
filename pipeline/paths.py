"""Where things are by default: the project root, the shipped models/ and the index. A module of its
own (no imports) so readers and stages can use the defaults without importing settings."""
from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODELS = PROJECT_ROOT / "models"
DEFAULT_INDEX = Path("outputs") / "litmine.sqlite"
