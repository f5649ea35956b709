"""Shared fixtures: the default corpus indexed once per session, paths to shared material."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
GOLD_DEV = SHARED / "gold" / "dev"
REPORT_2025 = SHARED / "realdata/text/zh/gov_work_reports/provincial_2025/2025年陕西省政府工作报告.txt"
BAD_PDFS = SHARED / "realdata/pdf/bad"


@pytest.fixture(scope="session")
def settings():
    from pipeline.settings import Settings

    return Settings(jobs=2)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, settings) -> Path:
    """The default corpus indexed once (all stages): the end-to-end fixture most tests read."""
    from pipeline.api import Index

    index = tmp_path_factory.mktemp("index") / "litmine.sqlite"
    Index.rebuild(CORPUS, index, settings)
    return index


@pytest.fixture(scope="session")
def processor():
    from pipeline.build import DocumentProcessor
    from pipeline.settings import Settings

    return DocumentProcessor(Settings(jobs=1, stages=()))


@pytest.fixture()
def small_corpus(tmp_path) -> Path:
    """A writable copy of two seed documents, for incremental-rebuild tests."""
    d = tmp_path / "corpus"
    d.mkdir()
    for name in ("002_7ad54bd9955fce62.txt", "003_e59572d61d3faf91.txt"):
        shutil.copy(CORPUS / name, d / name)
    return d
