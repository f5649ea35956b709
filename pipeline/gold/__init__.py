"""Gold annotations (shared/gold/FORMAT.md): reading the files, matching gold sentences to system
sentences by text, and building Documents for gold rows. Shared by scoring (pipeline/evaluate/)
and training (pipeline/training/); imports neither.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import LitmineError, Msg

GOLD_FILES = ("claims.jsonl", "stats.jsonl", "table_cells.jsonl", "links.jsonl", "cross_source.jsonl")


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if not path.exists():
        return rows
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise LitmineError(Msg.GOLD_BAD_LINE.format(file=path.name, line=i, detail=exc.msg)) from None
    return rows


def check_gold_dir(gold_dir: Path) -> None:
    if not gold_dir.is_dir() or not any((gold_dir / f).exists() for f in GOLD_FILES):
        raise LitmineError(Msg.GOLD_MISSING.format(path=gold_dir))
