"""Claim accuracy floors per dev gold document, leave-one-document-out.

The documents come from the gold directory (it grows: nothing here lists them); each is scored by
a model trained without its gold. Floors live in tests/data/claim_floors.json.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluate.claims import load_gold_claims

GOLD_DEV = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev"
FLOORS = json.loads((Path(__file__).parent / "data" / "claim_floors.json").read_text(encoding="utf-8"))


def _gold_docs() -> list[str]:
    if not (GOLD_DEV / "claims.jsonl").exists():
        return []
    return list(dict.fromkeys(r["doc"] for r in load_gold_claims(GOLD_DEV)))


def _genre(doc_id: str, gold: list[dict]) -> str:
    rows = [r for r in gold if r["doc"] == doc_id]
    if rows and all(r.get("lang") == "en" for r in rows):
        return "english"
    return "report" if "政府工作报告" in doc_id else "paper"


@pytest.fixture(scope="module")
def loo() -> dict:
    from pipeline.evaluate.claims import loo_evaluate
    from pipeline.gold.documents import build_gold_documents

    gold = load_gold_claims(GOLD_DEV)
    return loo_evaluate(GOLD_DEV, build_gold_documents(gold))


@pytest.mark.slow
@pytest.mark.skipif(not _gold_docs(), reason="no dev gold at ../shared/gold/dev")
@pytest.mark.parametrize("doc_id", _gold_docs())
def test_claims_loo_floor_per_document(loo, doc_id):
    gold = load_gold_claims(GOLD_DEV)
    assert doc_id in loo["folds"], f"{doc_id}: gold document whose source was not found"
    fold = loo["folds"][doc_id]
    assert fold["n_missed"] <= 0.1 * fold["n_gold"], f"{doc_id}: {fold['n_missed']} gold sentences unmatched"
    floor = FLOORS["documents"].get(doc_id, FLOORS["default"][_genre(doc_id, gold)])
    got = fold[FLOORS["metric"]]
    assert got >= floor, f"{doc_id}: LOO {FLOORS['metric']} {got:.3f} < floor {floor:.3f}"
