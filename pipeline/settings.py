"""One validated settings object for the whole pipeline (like pdfplumber's TableSettings).

Its hash, with the pipeline version, is recorded in the index: a document is re-processed when
either changes.
"""
from __future__ import annotations

import hashlib
import json
import os
import typing
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from . import __version__
from .errors import LitmineError, Msg

# The one registry of input formats lives in extract/formats.py; this name is kept for callers.
from .extract.formats import SUPPORTED_SUFFIXES  # noqa: F401
from .extract.ocr.options import OcrOptions
from .paths import DEFAULT_INDEX, DEFAULT_MODELS, PROJECT_ROOT  # noqa: F401  (the defaults, re-exported)
from .stages import OPTIONAL_STAGES


T = TypeVar("T")


def bounded(default: Any, lo: float | None = None, hi: float | None = None) -> Any:
    """A settings field with a default and an allowed range (checked by `from_mapping`)."""
    return field(default=default, metadata={"lo": lo, "hi": hi})


def from_mapping(cls: type[T], data: dict[str, Any], where: str) -> T:
    """Build the settings dataclass `cls` from a JSON object: unknown keys, wrong types and values
    out of range are one SETTINGS_INVALID error naming `where` and the key. Keys starting with "_"
    are comments (e.g. "_tuned_on"). Nested dataclass fields take nested objects."""
    if not isinstance(data, dict):
        raise LitmineError(Msg.SETTINGS_INVALID.format(name=where, value=type(data).__name__, why="expected an object"))
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(k for k in data if k not in known and not k.startswith("_"))
    if unknown:
        raise LitmineError(Msg.SETTINGS_INVALID.format(name=f"{where}.{unknown[0]}", value=data[unknown[0]],
                                                       why="unknown key (known: " + ", ".join(known) + ")"))
    kw: dict[str, Any] = {}
    for name, f in known.items():
        if name not in data:
            continue
        value, typ, key = data[name], hints[name], f"{where}.{name}"
        if is_dataclass(typ):
            kw[name] = from_mapping(typ, value, key)  # type: ignore[arg-type]
            continue
        ok = (isinstance(value, bool) if typ is bool else
              isinstance(value, int) and not isinstance(value, bool) if typ is int else
              isinstance(value, (int, float)) and not isinstance(value, bool) if typ is float else
              isinstance(value, str) if typ is str else True)
        if not ok:
            raise LitmineError(Msg.SETTINGS_INVALID.format(name=key, value=value, why=f"must be {typ.__name__}"))
        lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise LitmineError(Msg.SETTINGS_INVALID.format(name=key, value=value, why=f"must be in [{lo}, {hi}]"))
        kw[name] = float(value) if typ is float else value
    return cls(**kw)


# ---- link thresholds (models/linking/thresholds.json) -------------------------------------------
# The links stage reads these typed objects; to add a threshold, add a field here (with its default
# and range) and the key to thresholds.json. Defaults equal the shipped file.
@dataclass(frozen=True)
class TranslationThresholds:
    length_variance: float = bounded(6.8, 0.0)
    anchor_weight: float = bounded(4.0, 0.0)
    split_penalty: float = bounded(1.0, 0.0)
    skip_penalty: float = bounded(4.0, 0.0)
    max_cost: float = bounded(6.0, 0.0)


@dataclass(frozen=True)
class AddressesThresholds:
    abstract_min: float = bounded(0.05, 0.0, 1.0)
    section_min: float = bounded(0.15, 0.0, 1.0)
    section_keep: float = bounded(0.85, 0.0, 1.0)
    remedy_bonus: float = bounded(0.05, 0.0, 1.0)
    parallel_bonus: float = bounded(0.05, 0.0, 1.0)
    ordinal_bonus: float = bounded(0.1, 0.0, 1.0)
    lead_bonus: float = bounded(0.15, 0.0, 1.0)
    pair_min: float = bounded(0.45, 0.0, 1.0)
    best_min: float = bounded(0.05, 0.0, 1.0)
    cross_doc_min: float = bounded(0.5, 0.0, 1.0)
    cross_doc_top: int = bounded(1, 0)
    pair_top: int = bounded(3, 0)
    pair_rel: float = bounded(0.8, 0.0, 1.0)
    head_item_weight: float = bounded(0.0, 0.0)
    member_item_weight: float = bounded(0.0, 0.0)
    pair_floor: float = bounded(0.2, 0.0, 1.0)
    problem_floor: float = bounded(0.5, 0.0, 1.0)
    head_union_min: float = bounded(0.6, 0.0, 1.0)
    problems_first: bool = True
    head_union: bool = True
    para_weight: float = bounded(0.85, 0.0, 1.0)
    para_share: float = bounded(0.9, 0.0, 1.0)
    lex_weight: float = bounded(0.85, 0.0, 1.0)
    cross_doc_class_min: float = bounded(0.25, 0.0, 1.0)
    detail_rule: bool = True
    mutual: bool = False  # across documents: also the problem's best countermeasure in that document
    mutual_top: int = bounded(1, 1)
    heading_weight: float = bounded(0.0, 0.0, 1.0)  # section alignment: weight of the headings' overlap
    # a problem sentence listing several problems: each item keeps its best countermeasures
    list_item_top: int = bounded(3, 0)
    list_item_rel: float = bounded(0.6, 0.0, 1.0)
    list_item_min: float = bounded(0.1, 0.0, 1.0)


@dataclass(frozen=True)
class SameIssueThresholds:
    cross_doc_min: float = bounded(0.3, 0.0, 1.0)
    cross_doc_top: int = bounded(1, 0)
    item_min: float = bounded(0.4, 0.0, 1.0)
    mutual: bool = False  # mutual best within the document pair


@dataclass(frozen=True)
class SameMeasureThresholds:
    cross_doc_min: float = bounded(0.45, 0.0, 1.0)
    cross_doc_top: int = bounded(2, 0)
    cross_doc_class_min: float = bounded(0.3, 0.0, 1.0)
    mutual: bool = False  # mutual best within the document pair


@dataclass(frozen=True)
class SameMetricThresholds:
    approx_rel_tol: float = bounded(0.05, 0.0, 1.0)
    max_group: int = bounded(40, 2)
    max_value_ratio: float = bounded(5.0, 1.0)


@dataclass(frozen=True)
class LinkSettings:
    """Thresholds of the links stage, validated (types, ranges, no unknown keys) when loaded."""

    version: str = ""
    lex_weight: float = bounded(0.5, 0.0, 1.0)
    # decision threshold of the cross-document pair classifier (models/linking/pairs.json); 0: the
    # model's own (F1-optimal on its training pairs)
    pair_threshold: float = bounded(0.0, 0.0, 1.0)
    translation: TranslationThresholds = field(default_factory=TranslationThresholds)
    addresses: AddressesThresholds = field(default_factory=AddressesThresholds)
    same_issue: SameIssueThresholds = field(default_factory=SameIssueThresholds)
    same_measure: SameMeasureThresholds = field(default_factory=SameMeasureThresholds)
    same_metric: SameMetricThresholds = field(default_factory=SameMetricThresholds)

    FILE = Path("linking") / "thresholds.json"  # under models_dir (a class attribute: no annotation)

    @classmethod
    def load(cls, models_dir: Path) -> "LinkSettings":
        return _load_link_settings(Path(models_dir).resolve())

    def as_dict(self) -> dict[str, Any]:
        """The plain nested dict (the shape of thresholds.json)."""
        return asdict(self)


@lru_cache(maxsize=8)
def _load_link_settings(models_dir: Path) -> LinkSettings:
    path = models_dir / LinkSettings.FILE
    if not path.exists():
        return LinkSettings()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LitmineError(Msg.SETTINGS_FILE.format(path=path, detail=exc)) from None
    return from_mapping(LinkSettings, data, str(path))


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
    # Record files (jsonl/csv/tsv): role → column name, e.g. (("text", "abstract"),); others auto-detected.
    columns: tuple[tuple[str, str], ...] = ()
    # Traditional Chinese → Simplified processing copy (original kept): auto | off.
    traditional: str = "auto"
    # OCR of PDF pages without a usable text layer: mode auto | off | force, engine, lang, dpi.
    ocr: OcrOptions = field(default_factory=OcrOptions)
    # Stages that run during rebuild; turning one off keeps the rest.
    stages: tuple[str, ...] = ("claims", "statistics", "topics", "links")
    # Where the claim stage loads its trained classifier from (None: models_dir/claims). `litmine
    # train` writes beside the index; point here at what it wrote, or train with --save-to models/claims.
    claims_model: Path | None = None

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
        if self.traditional not in ("auto", "off"):
            raise LitmineError(Msg.SETTINGS_INVALID.format(name="traditional", value=self.traditional,
                                                           why="auto or off"))
        from .extract.backend import ROLES

        cols = tuple((str(r), str(c)) for r, c in (dict(self.columns).items() if isinstance(self.columns, dict)
                                                   else self.columns))
        bad = [r for r, _ in cols if r not in ROLES]
        if bad:
            raise LitmineError(Msg.SETTINGS_INVALID.format(name="columns", value=bad, why="roles: " + ", ".join(ROLES)))
        object.__setattr__(self, "columns", cols)
        object.__setattr__(self, "ocr", OcrOptions.coerce(self.ocr))  # "off", a dict (replace/asdict) …
        object.__setattr__(self, "models_dir", Path(self.models_dir))
        if self.claims_model is not None:
            object.__setattr__(self, "claims_model", Path(self.claims_model))
            if not (self.claims_model / "model.json").exists():
                raise LitmineError(Msg.MODEL_MISSING.format(path=self.claims_model))

    @property
    def links(self) -> LinkSettings:
        """The links stage's thresholds from models_dir, validated (loaded once per models dir)."""
        return LinkSettings.load(self.models_dir)

    def validate(self) -> None:
        """Load and check everything the settings point at that is not a stage's own resource
        (the stages validate theirs when constructed, pipeline/stages.py): raises LitmineError."""
        if not self.models_dir.is_dir():
            raise LitmineError(Msg.SETTINGS_INVALID.format(name="models_dir", value=str(self.models_dir),
                                                           why="no such directory"))
        if "links" in self.stages:
            _ = self.links

    # What changes a document's processing. Jobs and passwords do not change results.
    def processing_config(self) -> dict[str, Any]:
        cfg = {f.name: getattr(self, f.name) for f in fields(self)
               if f.name not in ("jobs", "password", "models_dir", "claims_model")}
        cfg["stages"] = list(self.stages)
        cfg["columns"] = [list(c) for c in self.columns]
        cfg["ocr"] = self.ocr.as_config()
        cfg["models"] = models_fingerprint(self.models_dir)
        if self.claims_model is not None:  # absent → the hash stays what it was before this option
            cfg["claims_model"] = models_fingerprint(self.claims_model)
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
    excluded because they are produced from the index, not inputs to it, and linking/ because
    only the links stage reads it (its own inputs hash, over these files, decides what it redoes).
    """
    h = hashlib.sha256()
    root = Path(models_dir)
    if not root.is_dir():
        return "none"
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if not p.is_file() or rel.startswith(("topics/", "linking/", "corrections")) or "/." in "/" + rel:
            continue
        h.update(rel.encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:16]
