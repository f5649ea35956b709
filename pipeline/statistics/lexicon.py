"""Editable data the statistics rules read: units, cue words, metric phrases (models/statistics/) and
the region gazetteer (models/gazetteer/). Loaded once per models directory by `load_lexicon`."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..paths import DEFAULT_MODELS as MODELS_DIR

DEFAULT_MODELS_DIR = MODELS_DIR


@dataclass(frozen=True)
class Unit:
    surface: str
    unit: str  # CNY / percent / percentage_point / count …
    kind: str  # money · percent · pp · strong · generic


@dataclass(frozen=True)
class Region:
    name: str  # surface form
    canonical: str
    english: str
    type: str  # province · municipality · city · cluster · country …
    group: str  # names with the same group denote the same area


@dataclass
class Lexicon:
    units: dict[str, Unit]
    unit_surfaces: list[str]  # longest first
    cues: dict[str, list[str]]  # category → cues, longest first
    metric: dict[str, list[str]]
    synonyms: list[tuple[str, str]]
    regions: dict[str, Region]
    deictic: dict[str, str]
    region_re: re.Pattern
    unit_re: re.Pattern
    groups: dict[str, set[str]] = field(default_factory=dict)  # group → canonical names
    # English vocabulary (models/statistics/english.tsv): category → [(surface, value)], longest first
    en: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    en_cache: dict = field(default_factory=dict)  # compiled English patterns (en/patterns.py)
    # words that end a Chinese noun phrase (verbs, adverbs, prepositions…; models/statistics/np_breaks.txt)
    np_breaks: dict[str, str] = field(default_factory=dict)  # word → jieba tag
    # metric names learned from the corpus (models/statistics/metric_lexicon.tsv): name → documents
    metric_names: dict[str, int] = field(default_factory=dict)
    # English country / US state names → (canonical, type) (models/gazetteer/world_en.tsv)
    world: dict[str, tuple[str, str]] = field(default_factory=dict)

    def en_words(self, category: str) -> list[str]:
        return [w for w, _ in self.en.get(category, [])]

    def cue(self, category: str) -> list[str]:
        return self.cues.get(category, [])

    def region(self, name: str) -> Optional[Region]:
        return self.regions.get(name)


def _rows(path: Path) -> list[list[str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append(line.rstrip("\n").split("\t"))
    return out


def _longest_first(words) -> list[str]:
    return sorted(dict.fromkeys(words), key=lambda w: (-len(w), w))


@functools.lru_cache(maxsize=8)
def _load(models_dir: str) -> Lexicon:
    base = Path(models_dir)
    units: dict[str, Unit] = {}
    for r in _rows(base / "statistics" / "units.tsv"):
        units[r[0]] = Unit(r[0], r[1], r[2])
    cues: dict[str, list[str]] = {}
    for r in _rows(base / "statistics" / "cues.tsv"):
        cues.setdefault(r[0], []).append(r[1])
    cues = {k: _longest_first(v) for k, v in cues.items()}
    metric: dict[str, list[str]] = {}
    synonyms: list[tuple[str, str]] = []
    for r in _rows(base / "statistics" / "metric.tsv"):
        if r[0] == "synonym":
            synonyms.append((r[1], r[2]))
        else:
            metric.setdefault(r[0], []).append(r[1])
    metric = {k: _longest_first(v) for k, v in metric.items()}
    regions: dict[str, Region] = {}
    groups: dict[str, set[str]] = {}
    for r in _rows(base / "gazetteer" / "regions.tsv"):
        reg = Region(*r[:5])
        regions[reg.name] = reg
        groups.setdefault(reg.group, set()).add(reg.canonical)
    deictic = {r[0]: r[1] for r in _rows(base / "gazetteer" / "deictic.tsv")}
    names = _longest_first(list(regions) + list(deictic))
    region_re = re.compile("|".join(re.escape(n) for n in names))
    surfaces = _longest_first(units)
    unit_re = re.compile("|".join(re.escape(u) for u in surfaces))
    en: dict[str, list[tuple[str, str]]] = {}
    en_path = base / "statistics" / "english.tsv"
    if en_path.exists():
        for r in _rows(en_path):
            if len(r) >= 2 and r[1]:
                en.setdefault(r[0], []).append((r[1], r[2] if len(r) > 2 else ""))
    en = {k: sorted(dict(v).items(), key=lambda kv: (-len(kv[0]), kv[0])) for k, v in en.items()}
    breaks_path = base / "statistics" / "np_breaks.txt"
    np_breaks = {r[0]: r[1] for r in _rows(breaks_path)} if breaks_path.exists() else {}
    world_path = base / "gazetteer" / "world_en.tsv"
    world = {r[0]: (r[1], r[2]) for r in _rows(world_path)} if world_path.exists() else {}
    names_path = base / "statistics" / "metric_lexicon.tsv"
    metric_names = {r[0]: int(r[2]) for r in _rows(names_path)} if names_path.exists() else {}
    return Lexicon(units=units, unit_surfaces=surfaces, cues=cues, metric=metric, synonyms=synonyms,
                   regions=regions, deictic=deictic, region_re=region_re, unit_re=unit_re, groups=groups, en=en,
                   np_breaks=np_breaks, metric_names=metric_names, world=world)


def load_lexicon(models_dir: Optional[Path | str] = None) -> Lexicon:
    """The lexicon for a models directory (default: the repository's models/), cached per directory."""
    return _load(str(Path(models_dir or DEFAULT_MODELS_DIR).resolve()))
