"""The stage contract (pipeline/stages.py): order, requirements, resources loaded up front."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from pipeline.document import Document
from pipeline.errors import LitmineError
from pipeline.settings import Settings
from pipeline.build import load_corpus_stages, load_document_stages
from pipeline.stages import (ALL_STAGES, CORPUS_STAGES, DOCUMENT_STAGES, OPTIONAL_STAGES, READ, DocumentRun,
                             StageError, StageSpec, check_order, enabled)


def test_the_declared_order_satisfies_every_requirement():
    check_order(list(ALL_STAGES))
    names = [s.name for s in ALL_STAGES]
    assert names == ["read", "structure", "segment", "statistics", "claims", "topics", "links"]
    assert len(set(names)) == len(names)
    assert all(s.level == "document" for s in DOCUMENT_STAGES) and all(s.level == "corpus" for s in CORPUS_STAGES)


def test_settings_accept_exactly_the_optional_stages():
    assert set(Settings().stages) == set(OPTIONAL_STAGES)
    with pytest.raises(LitmineError, match="stages"):
        Settings(stages=("claims", "parsing"))


def test_a_stage_whose_requirement_is_switched_off_is_a_configuration_error():
    with pytest.raises(StageError, match="links needs index.claims, which claims produces"):
        load_corpus_stages(Settings(stages=("statistics", "links")))
    # the same requirement check on a hand-made order
    late = StageSpec("late", "document", ("claims",), ("x",), "")
    with pytest.raises(StageError, match="late needs claims"):
        check_order([READ, late])


def test_enabled_keeps_the_declared_order_whatever_the_settings_order():
    names = [s.name for s in enabled(Settings(stages=("links", "claims", "statistics")))]
    assert names == ["read", "structure", "segment", "statistics", "claims", "links"]


def test_a_bad_rule_file_is_one_configuration_error_before_any_document(tmp_path):
    from pipeline.api import Index

    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models, ignore=shutil.ignore_patterns("topics"))
    with open(models / "claims" / "cues.tsv", "a", encoding="utf-8") as fh:
        fh.write("problem\tnot-a-weight\t困难\n")
    settings = Settings(jobs=2, models_dir=models, stages=("claims",))
    with pytest.raises(StageError, match="stage claims cannot load its resources"):
        load_document_stages(settings)
    index = tmp_path / "ix.sqlite"
    with pytest.raises(StageError):
        Index.rebuild(CORPUS, index, settings)
    assert not index.exists()  # nothing was processed, no half-built index


def test_a_failed_stage_skips_what_depends_on_it_with_a_warning():
    doc = Document(doc_id="d", path="", format="txt", sha256="")
    run = DocumentRun.after_read(doc)
    needs_sentences = StageSpec("needs_sentences", "document", ("sentences",), ("claims",), "")
    called: list[str] = []
    run.run(needs_sentences, lambda d: called.append("ran"))
    assert called == [] and "needs_sentences stage skipped" in doc.warnings[0]

    def broken(d: Document) -> None:
        raise RuntimeError("bug")

    run.produced.add("sentences")
    run.run(StageSpec("statistics", "document", ("sentences",), ("statistics",), ""), broken)
    assert "statistics" not in run.produced and "statistics stage failed: RuntimeError: bug" in doc.warnings[-1]
    uses_stats = StageSpec("uses", "document", ("statistics",), ("y",), "")
    run.run(uses_stats, lambda d: called.append("ran"))
    assert called == [] and "uses stage skipped" in doc.warnings[-1]


def test_processor_runs_the_declared_stages(processor, tmp_path):
    names = [s.name for s, _ in processor.stages()]
    assert names == ["structure", "segment"]  # the session fixture switches the optional stages off
    doc = processor.process(Path(CORPUS / "003_e59572d61d3faf91.txt"))
    assert doc.sentences and not doc.claims and not doc.statistics


def test_readme_lists_every_stage_with_what_it_needs_and_adds():
    from pipeline.stages import stage_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Where things happen"):]
    section = section[:section.index("\n## ", 5)]
    for name, _level, _needs, adds in stage_table():
        row = next((ln for ln in section.splitlines() if ln.startswith(f"| {name}")), None)
        assert row is not None, f"README's stage table has no row for {name}"
        assert all(f"`{a}`" in row or f"`{a.split('.')[-1]}`" in row for a in adds.split(", ")), (name, adds)
