"""Rebuild and query benchmark (not a test): ratios against the raw library in the same run.

    .venv/bin/python benchmarks/bench_rebuild.py [--copies 4]

Measures, on PDF renderings of the seeds (x copies) plus every real PDF in shared/realdata/pdf/zh
and /en (journal papers, reports, table-heavy documents):
  1. raw pdfplumber `page.extract_text()` pages/s over the same PDFs;
  2. full `litmine rebuild` pages/s (layout, tables, segmentation, claims, statistics, topics,
     links — everything) with 1 job and with N jobs → ratio to (1) and the N-job speed-up;
  3. a no-op incremental rebuild of the default corpus (seconds, in-process and as a CLI command);
  4. query latency (p50/p95) over the default corpus index.
Writes outputs/bench/rebuild.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
OUT = ROOT / "outputs" / "bench"
# every real PDF with a text layer (journal papers, reports, table-heavy documents), Chinese and English
REAL_PDF_DIRS = ("zh", "en")
QUERIES = ["产业同质化", "产业链", "协同创新", "人才", "研发投入", "新能源汽车", "innovation", "industrial cluster",
           "金融 一体化", "配套率", "成渝地区双城经济圈", "卡脖子 OR 受制于人", "数字化 -金融", "产业", "平台"]


def build_pdf_corpus(dest: Path, copies: int, real_copies: int = 1) -> list[Path]:
    from pipeline.devtools.render_pdf import render_pdf

    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for seed in sorted((ROOT / "corpus").glob("*.txt")):
        first = dest / f"{seed.stem}.pdf"
        render_pdf(seed, first)
        out.append(first)
        for k in range(1, copies):
            p = dest / f"{seed.stem}_copy{k}.pdf"
            shutil.copy(first, p)
            out.append(p)
    for sub in REAL_PDF_DIRS:
        for src in sorted((SHARED / "realdata/pdf" / sub).glob("*.pdf")):
            for k in range(real_copies):
                p = dest / (src.name if k == 0 else f"{src.stem}_copy{k}.pdf")
                shutil.copy(src, p)
                out.append(p)
    return out


def raw_pdfplumber(pdfs: list[Path]) -> tuple[int, float]:
    import pdfplumber

    pages, t0 = 0, time.perf_counter()
    for p in pdfs:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return pages, time.perf_counter() - t0


def our_rebuild(corpus: Path, jobs: int, stages: tuple[str, ...] | None = None) -> tuple[int, float]:
    from pipeline.api import Index
    from pipeline.settings import Settings

    settings = Settings(jobs=jobs) if stages is None else Settings(jobs=jobs, stages=stages)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        summary = Index.rebuild(corpus, Path(tmp) / "ix.sqlite", settings, full=True)
        return summary.pages, time.perf_counter() - t0


def noop_and_query() -> dict:
    from pipeline.api import Index
    from pipeline.settings import Settings

    res: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        ix_path = Path(tmp) / "ix.sqlite"
        Index.rebuild(ROOT / "corpus", ix_path, Settings())
        t0 = time.perf_counter()
        s = Index.rebuild(ROOT / "corpus", ix_path, Settings())
        res["noop_rebuild_seconds_inprocess"] = round(time.perf_counter() - t0, 4)
        assert s.processed == 0
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline", "rebuild", str(ROOT / "corpus"), "--index", str(ix_path),
                        "--quiet"], check=True, cwd=ROOT)
        res["noop_rebuild_seconds_cli"] = round(time.perf_counter() - t0, 3)
        with Index.open(ix_path) as ix:
            ix.query("预热")  # load jieba once, as a long-lived process would
            lat = []
            for _ in range(20):
                for q in QUERIES:
                    t0 = time.perf_counter()
                    ix.query(q, limit=10)
                    lat.append((time.perf_counter() - t0) * 1000)
        lat.sort()
        res["query_ms_p50"] = round(statistics.median(lat), 2)
        res["query_ms_p95"] = round(lat[int(0.95 * len(lat)) - 1], 2)
        res["queries"] = len(lat)
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=2)
    ap.add_argument("--real-copies", type=int, default=1, help="copies of each real PDF (a larger corpus)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "pdfs"
        pdfs = build_pdf_corpus(corpus, args.copies, args.real_copies)
        raw_pages, raw_s = raw_pdfplumber(pdfs)
        p1, s1 = our_rebuild(corpus, 1)
        pn, sn = our_rebuild(corpus, args.jobs)
        # per-document work only (extract, layout, tables, structure, segmentation, claims, statistics):
        # the corpus-level stages (topic sweep, links) run once per rebuild whatever the corpus size
        b1, bs1 = our_rebuild(corpus, 1, ("claims", "statistics"))
        bn, bsn = our_rebuild(corpus, args.jobs, ("claims", "statistics"))
    res = {
        "pdfs": len(pdfs), "pages": raw_pages,
        "raw_pdfplumber_pages_per_s": round(raw_pages / raw_s, 2),
        "rebuild_1job_pages_per_s": round(p1 / s1, 2),
        f"rebuild_{args.jobs}jobs_pages_per_s": round(pn / sn, 2),
        f"ratio_rebuild_{args.jobs}jobs_vs_raw_pdfplumber": round((pn / sn) / (raw_pages / raw_s), 2),
        f"speedup_{args.jobs}jobs_vs_1job": round(s1 / sn, 2),
        "indexed_pages": pn,
        "per_document_stages_1job_pages_per_s": round(b1 / bs1, 2),
        f"per_document_stages_{args.jobs}jobs_pages_per_s": round(bn / bsn, 2),
        f"ratio_per_document_{args.jobs}jobs_vs_raw_pdfplumber": round((bn / bsn) / (raw_pages / raw_s), 2),
        f"speedup_per_document_{args.jobs}jobs_vs_1job": round(bs1 / bsn, 2),
    }
    res.update(noop_and_query())
    name = "rebuild.json" if args.real_copies == 1 else f"rebuild_x{args.real_copies}.json"
    (OUT / name).write_text(json.dumps(res, indent=2, ensure_ascii=False), encoding="utf-8")
    for k, v in res.items():
        print(f"{k:<45} {v}")


if __name__ == "__main__":
    main()
