"""One validated settings object for the whole pipeline (like pdfplumber's TableSettings).

Its hash, with the pipeline version, is recorded in the index: a document is re-processed when
either changes.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from . import __version__
from .errors import LitmineError, Msg
from .stages import OPTIONAL_STAGES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODELS = PROJECT_ROOT / "models"
DEFAULT_INDEX = Path("outputs") / "litmine.sqlite"
SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md", ".markdown", ".docx")


@dataclass(frozen=True)
class Settings:
    models_dir: Path = DEFAULT_MODELS
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    password: str | None = None
    # Text files: a line of tab-separated fields is a table row when at least this many fields.
    min_table_fields: int = 2
    # Topic modelling unit and engine (topics/ validates its own options).
    topic_unit: str = "paragraph"
    topic_engine: str | None = None
    topic_k: int | None = None
    # Stages that run during rebuild; turning one off keeps the rest.
    stages: tuple[str, ...] = ("claims", "statistics", "topics", "links")

    def __post_init__(self) -> None:
        if not isinstance(self.jobs, int) or self.jobs < 1:
            raise LitmineError(Msg.SETTINGS_INVALID.format(name="jobs", value=self.jobs, why="must be ≥ 1"))
        if self.min_table_fields < 2:
            raise LitmineError(Msg.SETTINGS_INVALID.format(
                name="min_table_fields", value=self.min_table_fields, why="must be ≥ 2"))
        if self.topic_unit not in ("paragraph", "sentence"):
            raise LitmineError(Msg.SETTINGS_INVALID.format(
                name="topic_unit", value=self.topic_unit, why="paragraph or sentence"))
        if self.topic_k is not None and self.topic_k < 2:
            raise LitmineError(Msg.SETTINGS_INVALID.format(name="topic_k", value=self.topic_k, why="must be ≥ 2"))
        unknown = set(self.stages) - set(OPTIONAL_STAGES)
        if unknown:
            raise LitmineError(Msg.SETTINGS_INVALID.format(
                name="stages", value=sorted(unknown), why="known: " + ", ".join(OPTIONAL_STAGES)))
        object.__setattr__(self, "models_dir", Path(self.models_dir))

    # What changes a document's processing. Jobs and passwords do not change results.
    def processing_config(self) -> dict[str, Any]:
        cfg = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("jobs", "password", "models_dir")}
        cfg["stages"] = list(self.stages)
        cfg["models"] = models_fingerprint(self.models_dir)
        return cfg

    def config_hash(self) -> str:
        blob = json.dumps({"version": __version__, **self.processing_config()}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    def replace(self, **changes: Any) -> "Settings":
        d = asdict(self)
        d.update(changes)
        return Settings(**d)


def models_fingerprint(models_dir: Path) -> str:
    """Hash of the editable resources in models/ (dictionaries, lexicons, trained models).

    Editing a cue list or the user dictionary must re-process documents; topics/ outputs are
    excluded because they are produced from the index, not inputs to it.
    """
    h = hashlib.sha256()
    root = Path(models_dir)
    if not root.is_dir():
        return "none"
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if not p.is_file() or rel.startswith("topics/") or rel.startswith("corrections") or "/." in "/" + rel:
            continue
        h.update(rel.encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:16]
