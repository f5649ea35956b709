"""Statistics floors per dev gold document and field (span F1, value, unit, approx, modality, direction,
year, subject, metric, table cells), so that a regression fails CI.

The documents come from the gold directory (it grows: nothing here lists them); their sources are run
through the real pipeline. Nothing in the statistics rules is fitted on the gold (the metric lexicon is
learned from unlabelled text with the dev gold documents left out), so there is no fold to hold out.
Floors live in tests/data/statistics_floors.json; a document without its own floors gets its language's.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.gold import load_jsonl

GOLD_DEV = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev"
FLOORS = json.loads((Path(__file__).parent / "data" / "statistics_floors.json").read_text(encoding="utf-8"))


def _gold() -> tuple[list[dict], list[dict]]:
    return load_jsonl(GOLD_DEV / "stats.jsonl"), load_jsonl(GOLD_DEV / "table_cells.jsonl")


def _gold_docs() -> list[str]:
    if not GOLD_DEV.is_dir():
        return []
    stats, cells = _gold()
    return list(dict.fromkeys(r["doc"] for r in stats + cells))


@pytest.fixture(scope="module")
def scores() -> dict:
    from pipeline.evaluate.statistics import document_predictions, score_statistics
    from pipeline.gold.documents import build_gold_documents

    stats, cells = _gold()
    docs = build_gold_documents(stats + cells)
    return score_statistics(document_predictions(docs), stats, cells)["per_doc"]


def _lang(doc_id: str) -> str:
    stats, _ = _gold()
    text = " ".join(r.get("sentence", "") for r in stats if r["doc"] == doc_id)
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) or not text else "en"


@pytest.mark.slow
@pytest.mark.skipif(not _gold_docs(), reason="no dev gold at ../shared/gold/dev")
@pytest.mark.parametrize("doc_id", _gold_docs())
def test_statistics_floor_per_document_and_field(scores, doc_id):
    assert doc_id in scores, f"{doc_id}: not scored"
    m = scores[doc_id]
    floors = {**FLOORS["default"][_lang(doc_id)], **FLOORS["documents"].get(doc_id, {})}
    got = {"f1": m["f1"], **{k: v for k, v in m["fields"].items() if v is not None}}
    if "table_cells" in m:
        got["table_cells"] = m["table_cells"]["recovered"] / m["table_cells"]["gold"]
    low = {k: (round(got[k], 3), floors[k]) for k in got if k in floors and got[k] < floors[k]}
    assert not low, f"{doc_id}: below floor (got, floor): {low}"


def _report_docs() -> list[str]:
    return [d for d in _gold_docs() if "政府工作报告" in d]


@pytest.mark.slow
@pytest.mark.skipif(not _report_docs(), reason="no government work report in the dev gold")
@pytest.mark.parametrize("doc_id", _report_docs())
def test_report_years_without_its_part_headings(doc_id, tmp_path):
    """The same report with its part headings (一、2024年工作回顾 …) deleted: years and modality must
    hold (a report whose headings are missed lost every year before)."""
    from pipeline.build import DocumentProcessor
    from pipeline.evaluate.statistics import document_predictions, score_statistics
    from pipeline.gold.documents import default_source_roots, find_source
    from pipeline.settings import Settings

    src = find_source(doc_id, default_source_roots())
    assert src is not None, f"{doc_id}: source not found"
    lines = src.read_text(encoding="utf-8").splitlines()
    kept = [ln for ln in lines if not re.match(r"^\s*[一二三四五六七八九十]+、", ln.strip())]
    assert len(kept) < len(lines), "the report has no numbered part headings to delete"
    path = tmp_path / src.name
    path.write_text("\n".join(kept), encoding="utf-8")
    doc = DocumentProcessor(Settings(stages=())).process(path, doc_id=doc_id)
    stats, _ = _gold()
    m = score_statistics(document_predictions({doc_id: doc}), [g for g in stats if g["doc"] == doc_id], [])
    fields = m["per_doc"][doc_id]["fields"]
    assert fields["year"] >= 0.95 and fields["modality"] >= 0.95, fields
