"""`litmine train`: retrain the claim classifier on a gold directory plus the user's corrections."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from ..gold import check_gold_dir, load_jsonl
from ..index import rows, schema
from ..settings import Settings
from .claims import train_claims

def train(index: Path, gold_dir: Path, settings: Settings | None = None,
          save_to: Path | None = None) -> Iterator[str]:
    """Python twin of `litmine train`: retrain the claim classifier on gold + the user's corrections.

    The model is written beside the index (`<index dir>/models/claims/`), never into the source
    tree, unless `save_to` says where (e.g. models/claims to replace the shipped model)."""
    from ..build import DocumentProcessor  # loads jieba: only when training runs

    settings = settings or Settings()
    check_gold_dir(gold_dir)
    corrections: list[dict[str, Any]] = []
    docs: dict[str, Any] = {}
    gold = load_jsonl(gold_dir / "claims.jsonl")
    if index.exists():
        conn = schema.open_index(index)
        try:
            idocs = {d.doc_id: d for d in rows.iter_documents(conn)}
            corrections = list(rows.iter_corrections(conn))
        finally:
            conn.close()
        proc = DocumentProcessor(settings.replace(stages=()))
        for d in sorted({r["doc"] for r in gold} & set(idocs)):
            docs[d] = proc.process(Path(idocs[d].path), doc_id=d)
    out = Path(save_to) if save_to is not None else Path(index).parent / "models" / "claims"
    meta = train_claims(gold_dir, corrections, out, docs=docs or None)
    weak = sum(sum(v.values()) for k, v in meta.get("examples", {}).items() if k.startswith("weak:"))
    yield f"Trained claim classifier on {meta.get('n_gold_rows', '?')} gold sentences, {len(corrections)} user" \
          f" corrections and {weak} weakly labelled sentences of {sum(meta.get('corpus_documents', {}).values())}" \
          f" shared documents; training data sha256 {str(meta.get('sha256', ''))[:16]}"
    yield f"Saved under {out}; re-tag the corpus with it: litmine rebuild --claims-model {out}"
