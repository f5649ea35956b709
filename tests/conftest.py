"""Shared fixtures: the default corpus indexed once per session, paths to shared material."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
GOLD_DEV = SHARED / "gold" / "dev"
REPORT_2025 = SHARED / "realdata/text/zh/gov_work_reports/provincial_2025/2025年陕西省政府工作报告.txt"
BAD_PDFS = SHARED / "realdata/pdf/bad"


def gold_rows_docs(row: dict) -> set[str]:
    """The documents a gold row speaks about (claims/stats/cells: "doc"; links: "a"/"b" sides)."""
    docs = {row["doc"]} if "doc" in row else set()
    return docs | {row[s]["doc"] for s in ("a", "b") if isinstance(row.get(s), dict) and "doc" in row[s]}


def gold_subset(dest: Path, docs: set[str], extra_claims: list[dict] | None = None) -> Path:
    """A copy of the live dev gold restricted to `docs` (plus `extra_claims` rows): tests stay true
    whichever documents the dev gold lists tomorrow (it grows)."""
    import json

    dest.mkdir(parents=True, exist_ok=True)
    for src in sorted(GOLD_DEV.glob("*.jsonl")):
        rows = [json.loads(ln) for ln in src.read_text(encoding="utf-8").splitlines() if ln.strip()]
        keep = [r for r in rows if gold_rows_docs(r) and gold_rows_docs(r) <= docs]
        if src.name == "claims.jsonl":
            keep += extra_claims or []
        (dest / src.name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in keep), encoding="utf-8")
    return dest


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`litmine ARGS` in-process (`pipeline.cli.main(argv)`), captured like a subprocess: no
    interpreter start-up and no re-import of jieba/spaCy per call. test_index keeps one real
    `python -m pipeline` run for the entry point itself."""
    import contextlib
    import io
    import os

    from pipeline.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse: --help, bad arguments
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        os.chdir(old)
    return subprocess.CompletedProcess(["litmine", *args], code, out.getvalue(), err.getvalue())


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


NATIONAL_REPORTS = SHARED / "realdata/text/zh/gov_work_reports/national_1954_2025_wikisource.jsonl"


@pytest.fixture(scope="session")
def dated_index(tmp_path_factory, settings) -> Path:
    """Documents with years, for trends, facets by year and the browser views: the five shortest dated
    national government work reports (1960–2002), the five shortest records dated by the NPC
    session they name (resolutions on the report, 2008–2024), and two seed papers (zh and en). All stages."""
    import json

    from pipeline.api import Index

    root = tmp_path_factory.mktemp("dated")
    rows = [json.loads(ln) for ln in NATIONAL_REPORTS.read_text(encoding="utf-8").splitlines() if ln.strip()]
    dated = sorted((r for r in rows if r.get("year")), key=lambda r: len(r["content"]))[:5]
    undated = sorted((r for r in rows if not r.get("year")), key=lambda r: len(r["content"]))[:5]
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "national.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in dated + undated),
                                           encoding="utf-8")
    for name in ("001_921ccb2a7e0d9137.txt", "002_7ad54bd9955fce62.txt"):
        shutil.copy(CORPUS / name, corpus / name)
    index = root / "out" / "litmine.sqlite"
    Index.rebuild(corpus, index, settings)
    return index
