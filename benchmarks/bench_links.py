"""Links-stage benchmark (not a test): time and peak memory of the links stage per corpus size,
against the per-document stages of the same corpus in the same run.

    .venv/bin/python benchmarks/bench_links.py                      # 10/25/50/100 reports, 1,000 abstracts
    .venv/bin/python benchmarks/bench_links.py --reports 10 25 --abstracts 0 --work /tmp/bl

For each corpus: (1) a child process rebuilds it with the per-document stages only (claims,
statistics, 2 workers) → their wall and CPU time (the child and its workers); (2) a fresh child
runs the links stage over that index (full, `jobs` workers as a rebuild would) → its wall and CPU
time (itself and its workers) and peak RSS (its own, and the largest worker's: forked workers
share the parent's pages until they write them); (3) a full rebuild with links (the edit
baseline), one document edited (a line appended), and a rebuild → the per-document and links
times of the incremental rebuild against the full one. On a busy machine compare CPU. Reports are
the shared ~100 government work reports (benchmarks/corpora.py), the first N in file order;
abstracts the first 1,000 shared Chinese abstracts. Writes outputs/bench/links.json.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
OUT = ROOT / "outputs" / "bench"

CHILD = r"""
import json, resource, sqlite3, sys, time
from pathlib import Path
from pipeline.settings import Settings
mode, corpus, index, jobs = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
out = {}

def cpu():
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

if mode == "links":
    from pipeline.linking import run_linking
    conn = sqlite3.connect(str(index))
    t, c0 = time.perf_counter(), cpu()
    notes = run_linking(conn, Settings(jobs=jobs), full=True)
    conn.commit()
    out["links_s"] = time.perf_counter() - t
    out["links_cpu_s"] = cpu() - c0
    out["notes"] = notes
    out["links"] = conn.execute("SELECT count(*) FROM links").fetchone()[0]
    out["claims"] = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
else:
    from pipeline.rebuild import rebuild
    stages = ("claims", "statistics") if mode == "documents" else ("claims", "statistics", "links")
    t = time.perf_counter()
    s = rebuild(corpus, index, Settings(stages=stages, jobs=jobs))
    out["wall_s"] = time.perf_counter() - t
    out["timings"] = s.timings
    out["processed"] = s.processed
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["worker_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
out["cpu_s"] = cpu()
print(json.dumps(out, ensure_ascii=False))
"""


def _child(mode: str, corpus: Path, index: Path, jobs: int) -> dict:
    r = subprocess.run([sys.executable, "-c", CHILD, mode, str(corpus), str(index), str(jobs)], capture_output=True,
                       text=True, cwd=ROOT)
    if r.returncode != 0:
        raise SystemExit(f"{mode} child failed: {r.stderr.strip().splitlines()[-1] if r.stderr else r.returncode}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def bench(name: str, corpus: Path, work: Path, jobs: int, edit: bool) -> dict:
    index = work / f"{name}.sqlite"
    if index.exists():
        index.unlink()
    docs = _child("documents", corpus, index, jobs)
    links = _child("links", corpus, index, jobs)
    d_wall, d_cpu = docs["timings"].get("documents", 0.0), docs["cpu_s"]
    row = {"corpus": name, "documents": len(list(corpus.glob("*.txt"))), "claims": links["claims"],
           "links": links["links"], "jobs": jobs, "documents_stage_s": round(d_wall, 2), "documents_cpu_s": round(d_cpu, 2),
           "links_stage_s": round(links["links_s"], 2), "links_cpu_s": round(links["links_cpu_s"], 2),
           "links_peak_rss_mb": round(links["peak_rss_mb"]), "links_worker_peak_rss_mb": round(links["worker_peak_rss_mb"]),
           # both run in `jobs` workers: wall against wall, CPU (workers included) against CPU
           "links_vs_documents_wall": round(links["links_s"] / max(1e-9, d_wall), 2),
           "links_vs_documents_cpu": round(links["links_cpu_s"] / max(1e-9, d_cpu), 2)}
    if edit:
        full = _child("full", corpus, index, jobs)  # the baseline of an edit: an index built with links
        edited = sorted(corpus.glob("*.txt"))[0]
        text = edited.read_text("utf-8")
        edited.write_text(text + "\n我们将持续推进产业协同发展。\n", "utf-8")
        try:
            inc = _child("incremental", corpus, index, jobs)
        finally:
            edited.write_text(text, "utf-8")
        row.update({"full_rebuild_s": round(full["wall_s"], 2), "full_links_s": round(full["timings"].get("links", 0.0), 2),
                    "edit_one_rebuild_s": round(inc["wall_s"], 2),
                    "edit_one_documents_s": round(inc["timings"].get("documents", 0.0), 2),
                    "edit_one_links_s": round(inc["timings"].get("links", 0.0), 2),
                    "edit_one_vs_full": round(inc["wall_s"] / max(1e-9, full["wall_s"]), 3)})
    print(" | ".join(f"{k} {v}" for k, v in row.items()), flush=True)
    return row


def main(argv: list[str] | None = None) -> int:
    from corpora import abstracts, reports

    ap = argparse.ArgumentParser(description="links stage time and peak RSS per corpus size",
                                 epilog="example: .venv/bin/python benchmarks/bench_links.py --reports 10 100 --abstracts 1000")
    ap.add_argument("--reports", type=int, nargs="*", default=[10, 25, 50, 100])
    ap.add_argument("--abstracts", type=int, default=1000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/litmine-bench-links"))
    ap.add_argument("--jobs", type=int, default=2, help="workers of every stage (a rebuild's settings.jobs)")
    ap.add_argument("--no-edit", action="store_true", help="skip the edit-one-document rebuilds")
    a = ap.parse_args(argv)
    a.work.mkdir(parents=True, exist_ok=True)
    all_reports = reports(a.work / "reports_all")
    files = sorted(all_reports.glob("*.txt"))
    rows = []
    for n in a.reports:
        sub = a.work / f"reports_{n}"
        if sub.exists():
            shutil.rmtree(sub)
        sub.mkdir()
        for p in files[:n]:
            shutil.copyfile(p, sub / p.name)
        rows.append(bench(f"reports_{n}", sub, a.work, a.jobs, not a.no_edit))
    if a.abstracts:
        rows.append(bench(f"abstracts_{a.abstracts}", abstracts(a.abstracts, a.work / f"abstracts_{a.abstracts}"), a.work,
                          a.jobs, not a.no_edit))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "links.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
