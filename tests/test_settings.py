"""One validated settings object: link thresholds typed and checked, fitted models kept out of models/."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, gold_subset
from pipeline.cli import main
from pipeline.errors import LitmineError
from pipeline.settings import LinkSettings, Settings, from_mapping

MODELS = ROOT / "models"


def _models_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "models"
    shutil.copytree(MODELS, dest, ignore=shutil.ignore_patterns("topics"))
    return dest


def _thresholds(models: Path) -> tuple[Path, dict]:
    path = models / "linking" / "thresholds.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_link_thresholds_load_typed_and_equal_to_the_file():
    links = Settings().links
    _, raw = _thresholds(MODELS)
    assert links.as_dict() == {k: v for k, v in raw.items() if not k.startswith("_")}
    assert isinstance(links.addresses.pair_top, int) and isinstance(links.same_metric.approx_rel_tol, float)
    assert links.addresses.problems_first is True


@pytest.mark.parametrize("section,key,value,why", [
    ("addresses", "pair_min", 1.5, "must be in"),
    ("same_metric", "max_group", "forty", "must be int"),
    ("translation", "max_costs", 6.0, "unknown key"),
    ("addresses", "head_union", 1, "must be bool"),
])
def test_a_bad_threshold_is_one_error_naming_the_key(tmp_path, section, key, value, why):
    models = _models_copy(tmp_path)
    path, raw = _thresholds(models)
    raw[section][key] = value
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(LitmineError, match=f"{section}.{key}.*{why}"):
        Settings(models_dir=models).validate()


def test_a_bad_threshold_stops_the_rebuild_before_any_document(tmp_path):
    models = _models_copy(tmp_path)
    path, raw = _thresholds(models)
    raw["same_issue"]["cross_doc_min"] = -1
    path.write_text(json.dumps(raw), encoding="utf-8")
    index = tmp_path / "ix.sqlite"
    from pipeline.api import Index

    with pytest.raises(LitmineError, match="same_issue.cross_doc_min"):
        Index.rebuild(CORPUS / "003_e59572d61d3faf91.txt", index, Settings(jobs=1, models_dir=models))
    assert not index.exists()


def test_from_mapping_builds_nested_settings_and_ignores_comment_keys():
    links = from_mapping(LinkSettings, {"_note": "why", "lex_weight": 0.4, "same_issue": {"cross_doc_top": 2}}, "t")
    assert links.lex_weight == 0.4 and links.same_issue.cross_doc_top == 2 and links.same_issue.item_min == 0.4


def _tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def test_topics_fit_writes_beside_the_index_not_into_models(corpus_index, tmp_path, capsys):
    index = tmp_path / "ix" / "litmine.sqlite"
    index.parent.mkdir()
    shutil.copy(corpus_index, index)
    before = _tree_hash(MODELS)
    assert main(["topics", "fit", "--k", "3", "--index", str(index)]) == 0
    assert (index.parent / "topics" / "zh").is_dir() and _tree_hash(MODELS) == before
    assert main(["topics", "fit", "--k", "3", "--index", str(index), "--save-to", str(tmp_path / "keep")]) == 0
    assert (tmp_path / "keep" / "zh").is_dir() and _tree_hash(MODELS) == before
    assert "saved" in capsys.readouterr().out


@pytest.mark.slow
def test_train_writes_beside_the_index_and_rebuild_can_use_it(corpus_index, tmp_path, capsys):
    index = tmp_path / "ix" / "litmine.sqlite"
    index.parent.mkdir()
    shutil.copy(corpus_index, index)
    gold = gold_subset(tmp_path / "gold", {"002_7ad54bd9955fce62", "003_e59572d61d3faf91"})
    before = _tree_hash(MODELS)
    assert main(["train", "--gold", str(gold), "--index", str(index)]) == 0
    out = index.parent / "models" / "claims"
    assert (out / "model.json").exists() and _tree_hash(MODELS) == before
    assert f"--claims-model {out}" in capsys.readouterr().out
    trained = Settings(claims_model=out)
    assert trained.config_hash() != Settings().config_hash()  # documents are re-tagged with it
    with pytest.raises(LitmineError, match="no trained model"):
        Settings(claims_model=tmp_path / "nothing")
