"""Links-stage benchmark (not a test): time and peak memory of the links stage per corpus size,
against the per-document stages of the same corpus in the same run.

    .venv/bin/python benchmarks/bench_links.py                      # 10/25/50/100 reports, 1,000 abstracts
    .venv/bin/python benchmarks/bench_links.py --reports 10 25 --abstracts 0 --work /tmp/bl

For each corpus: (1) a child process rebuilds it with the per-document stages only (claims,
statistics) → their time; (2) a fresh child runs the links stage over that index (full) → its time
and the child's peak RSS (wall and CPU seconds: on a busy machine compare CPU); (3) one document is edited (a line appended) and a child rebuilds with
links → the per-document and links times of the incremental rebuild. Reports are the shared ~100
government work reports (benchmarks/corpora.py), the first N in file order; abstracts the first
1,000 shared Chinese abstracts. Writes outputs/bench/links.json.
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
mode, corpus, index = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
out = {}
if mode == "links":
    from pipeline.linking import run_linking
    conn = sqlite3.connect(str(index))
    t = time.perf_counter()
    c0 = time.process_time()
    notes = run_linking(conn, Settings(), full=True)
    conn.commit()
    out["links_s"] = time.perf_counter() - t
    out["links_cpu_s"] = time.process_time() - c0
    out["notes"] = notes
    out["links"] = conn.execute("SELECT count(*) FROM links").fetchone()[0]
    out["claims"] = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
else:
    from pipeline.rebuild import rebuild
    stages = ("claims", "statistics") if mode == "documents" else ("claims", "statistics", "links")
    s = rebuild(corpus, index, Settings(stages=stages, jobs=2))
    out["timings"] = s.timings
    out["processed"] = s.processed
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
out["cpu_s"] = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
print(json.dumps(out, ensure_ascii=False))
"""


def _child(mode: str, corpus: Path, index: Path) -> dict:
    r = subprocess.run([sys.executable, "-c", CHILD, mode, str(corpus), str(index)], capture_output=True,
                       text=True, cwd=ROOT)
    if r.returncode != 0:
        raise SystemExit(f"{mode} child failed: {r.stderr.strip().splitlines()[-1] if r.stderr else r.returncode}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def bench(name: str, corpus: Path, work: Path) -> dict:
    index = work / f"{name}.sqlite"
    if index.exists():
        index.unlink()
    docs = _child("documents", corpus, index)
    links = _child("links", corpus, index)
    edited = sorted(corpus.glob("*.txt"))[0]
    text = edited.read_text("utf-8")
    edited.write_text(text + "\n我们将持续推进产业协同发展。\n", "utf-8")
    try:
        inc = _child("incremental", corpus, index)
    finally:
        edited.write_text(text, "utf-8")
    row = {"corpus": name, "documents": len(list(corpus.glob("*.txt"))), "claims": links["claims"],
           "links": links["links"], "documents_stage_s": round(docs["timings"].get("documents", 0.0), 2),
           "documents_cpu_s": round(docs["cpu_s"], 2),
           "links_stage_s": round(links["links_s"], 2), "links_cpu_s": round(links["links_cpu_s"], 2),
           "links_peak_rss_mb": round(links["peak_rss_mb"]),
           # on a shared machine wall times swing with the load: compare CPU seconds (the links
           # stage is one process; the per-document stages run in 2 workers)
           "links_vs_documents_wall": round(links["links_s"] / max(1e-9, docs["timings"].get("documents", 0.0)), 2),
           "links_cpu_vs_documents_cpu_per_job": round(links["links_cpu_s"] / max(1e-9, docs["cpu_s"] / 2), 2),
           "edit_one_documents_s": round(inc["timings"].get("documents", 0.0), 2),
           "edit_one_links_s": round(inc["timings"].get("links", 0.0), 2)}
    print(" | ".join(f"{k} {v}" for k, v in row.items()), flush=True)
    return row


def main(argv: list[str] | None = None) -> int:
    from corpora import abstracts, reports

    ap = argparse.ArgumentParser(description="links stage time and peak RSS per corpus size",
                                 epilog="example: .venv/bin/python benchmarks/bench_links.py --reports 10 100 --abstracts 1000")
    ap.add_argument("--reports", type=int, nargs="*", default=[10, 25, 50, 100])
    ap.add_argument("--abstracts", type=int, default=1000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/litmine-bench-links"))
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
        rows.append(bench(f"reports_{n}", sub, a.work))
    if a.abstracts:
        rows.append(bench(f"abstracts_{a.abstracts}", abstracts(a.abstracts, a.work / f"abstracts_{a.abstracts}"), a.work))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "links.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
