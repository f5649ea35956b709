"""Scale benchmark (not a test): rebuild time per stage, documents/s and peak memory at growing corpus
sizes, incremental ratios, query latency, growth order. Ratios against raw jieba in the same run.

    .venv/bin/python benchmarks/bench_scale.py                       # 100, 1,000, 12,179 abstracts + reports
    .venv/bin/python benchmarks/bench_scale.py --sizes 100000 --no-incremental
    .venv/bin/python benchmarks/bench_scale.py --only reports --copies 2   # ~200 reports

Corpora (benchmarks/corpora.py, written once under --work): the shared 12,179 Chinese abstracts,
one file each (100,000 = the abstracts repeated, each repeat with a distinguishing first line), and
the ~100 government work reports (29 provincial + 72 national). Each rebuild runs in a child
process; memory is sampled every 50 ms over the child and its workers: `pss_peak_mb` is the sum of
their proportional set sizes (pages shared after fork counted once), `rss_max_mb` the largest
single process. Incremental: one document edited (a line appended), 1% edited, and a no-op.
Queries: p50/p95 in-process (warm) and as a `litmine query` command. Writes outputs/bench/scale.json.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
OUT = ROOT / "outputs" / "bench"
QUERIES_ZH = ["产业链", "协同创新", "人才", "研发投入", "新能源汽车", "数字经济", "生态环境保护", "乡村振兴",
              "神经网络", "控制系统", "深度学习 模型", "高质量发展", "改革 开放", "就业 OR 失业", "创新 -金融"]
QUERIES_EN = ["innovation", "industrial cluster", "supply chain"]


# ---- memory sampling -----------------------------------------------------------------------------
def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        import psutil

        self.proc = psutil.Process(pid)
        self.every = every
        self.pss_peak = 0
        self.rss_max = 0
        self._halt = threading.Event()

    def run(self) -> None:
        import psutil

        while not self._halt.is_set():
            try:
                procs = [self.proc] + self.proc.children(recursive=True)
                pss = rss = 0
                for p in procs:
                    try:
                        pss += _pss_kb(p.pid)
                        rss = max(rss, p.memory_info().rss // 1024)
                    except psutil.Error:
                        pass
                self.pss_peak = max(self.pss_peak, pss)
                self.rss_max = max(self.rss_max, rss)
            except psutil.Error:
                pass
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def run_child(args: list[str], env: dict | None = None) -> dict:
    """Run `bench_scale.py _child ...` and return its JSON with peak memory added."""
    proc = subprocess.Popen([sys.executable, __file__, "_child", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    sampler = MemorySampler(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    sampler.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"child failed: {err[-2000:]}")
    res = json.loads(out.strip().splitlines()[-1])
    res["pss_peak_mb"] = round(sampler.pss_peak / 1024, 1)
    res["rss_max_mb"] = round(sampler.rss_max / 1024, 1)
    return res


# ---- child: one rebuild --------------------------------------------------------------------------
def child_rebuild(corpus: str, index: str, jobs: int, stages: str, full: bool, executor: str) -> dict:
    from pipeline.api import Index
    from pipeline.settings import Settings

    settings = Settings(jobs=jobs, stages=tuple(s for s in stages.split(",") if s))
    import resource

    t0 = time.perf_counter()
    s = Index.rebuild(Path(corpus), Path(index), settings, full=full, executor=executor)
    secs = time.perf_counter() - t0
    # CPU seconds of this process and its (reaped) workers: less disturbed by a busy machine than wall time
    cpu = sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for f in ("ru_utime", "ru_stime"))
    return {"seconds": round(secs, 3), "cpu_seconds": round(cpu, 2), "processed": s.processed, "documents": s.documents,
            "sentences": s.sentences, "claims": s.claims, "statistics": s.statistics, "topics": s.topics,
            "links": s.links, "failed": len(s.failed), "timings": {k: round(v, 3) for k, v in s.timings.items()},
            "notes": [n for n in s.notes if n.startswith("topics")][:4]}


def child_query(index: str) -> dict:
    from pipeline.api import Index

    res = {}
    t0 = time.perf_counter()
    with Index.open(index) as ix:
        ix.query("预热")
        res["first_query_s"] = round(time.perf_counter() - t0, 3)
        lat = []
        for _ in range(10):
            for q in QUERIES_ZH + QUERIES_EN:
                t = time.perf_counter()
                ix.query(q, limit=10)
                lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    res["inprocess_ms_p50"] = round(statistics.median(lat), 2)
    res["inprocess_ms_p95"] = round(lat[int(0.95 * len(lat)) - 1], 2)
    return res


def child_raw(corpus: str) -> dict:
    """Raw jieba.lcut over the same texts (one process): the library's own documents/s."""
    import jieba

    tk = jieba.Tokenizer()
    tk.initialize()
    files = sorted(Path(corpus).glob("*.txt"))
    texts = [p.read_text("utf-8") for p in files]
    t0 = time.process_time()  # CPU time: a busy machine slows wall time, much less the CPU a run needs
    for t in texts:
        tk.lcut(t)
    secs = time.process_time() - t0
    return {"raw_jieba_cpu_ms_per_doc": round(secs / len(texts) * 1000, 3),
            "raw_jieba_mb_per_cpu_s": round(sum(len(t.encode()) for t in texts) / secs / 1e6, 3)}


# ---- parent --------------------------------------------------------------------------------------
def cli_query_latency(index: Path, n: int = 5) -> dict:
    lat = []
    for q in (QUERIES_ZH[:n]):
        t = time.perf_counter()
        # `python -m pipeline` from ROOT: the code of this checkout (what `litmine query` runs)
        subprocess.run([sys.executable, "-m", "pipeline", "query", q, "--index", str(index), "--limit", "10"],
                       cwd=ROOT, check=True, capture_output=True)
        lat.append(time.perf_counter() - t)
    lat.sort()
    return {"cli_s_p50": round(statistics.median(lat), 3), "cli_s_max": round(lat[-1], 3)}


def edit(path: Path, tag: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"\n编辑 {tag}。\n")


def bench_corpus(name: str, corpus: Path, work: Path, args: argparse.Namespace) -> dict:
    index = work / f"{name}.sqlite"
    for p in (index, *index.parent.glob(f".{index.name}.tmp-*")):
        if p.exists():
            p.unlink()
    n_docs = len(list(corpus.glob("*.txt")))
    res: dict = {"corpus": name, "docs": n_docs, "mb": round(sum(p.stat().st_size for p in corpus.glob("*.txt")) / 1e6, 2)}
    common = [str(corpus), str(index), str(args.jobs), args.stages]
    full = run_child(["rebuild", *common, "1", args.executor])
    full["docs_per_s"] = round(n_docs / full["seconds"], 1)
    res["full"] = full
    print(f"  {name}: full {full['seconds']} s ({full['docs_per_s']} docs/s, {full['cpu_seconds']} CPU s), "
          f"PSS {full['pss_peak_mb']} MB, "
          f"timings {full['timings']}", flush=True)
    if args.incremental:
        files = sorted(corpus.glob("*.txt"))
        noop = run_child(["rebuild", *common, "0", "local"])
        res["noop_seconds"] = noop["seconds"]
        edit(files[len(files) // 2], "one")
        one = run_child(["rebuild", *common, "0", "local"])
        res["edit_one"] = one
        res["edit_one_ratio"] = round(one["seconds"] / full["seconds"], 4)
        k = max(1, n_docs // 100)
        for p in files[::max(1, len(files) // k)][:k]:
            edit(p, "pct")
        pct = run_child(["rebuild", *common, "0", "local"])
        res["edit_1pct"] = pct
        res["edit_1pct_ratio"] = round(pct["seconds"] / full["seconds"], 4)
        print(f"  {name}: no-op {res['noop_seconds']} s; edit one {one['seconds']} s "
              f"({res['edit_one_ratio']:.1%}); edit 1% ({k}) {pct['seconds']} s ({res['edit_1pct_ratio']:.1%})",
              flush=True)
    if args.queries:
        q = run_child(["query", str(index)])
        q.update(cli_query_latency(index))
        res["query"] = q
        print(f"  {name}: query p50 {q['inprocess_ms_p50']} ms, p95 {q['inprocess_ms_p95']} ms in-process; "
              f"CLI p50 {q['cli_s_p50']} s", flush=True)
    if args.raw:
        res["raw"] = run_child(["raw", str(corpus)])
        # CPU per document of the whole rebuild (every stage, all processes) over raw jieba.lcut's
        res["cpu_ms_per_doc"] = round(full["cpu_seconds"] / n_docs * 1000, 3)
        res["cpu_per_doc_vs_raw_jieba"] = round(res["cpu_ms_per_doc"] / res["raw"]["raw_jieba_cpu_ms_per_doc"], 2)
    if not args.keep:
        index.unlink(missing_ok=True)
    return res


def growth(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(seconds) on log(documents): 1.0 is linear."""
    pts = [(math.log(n), math.log(s)) for n, s in points if n > 0 and s > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / den, 3) if den else None


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        kind, rest = sys.argv[2], sys.argv[3:]
        if kind == "rebuild":
            corpus, index, jobs, stages, full, executor = rest
            print(json.dumps(child_rebuild(corpus, index, int(jobs), stages, full == "1", executor)))
        elif kind == "query":
            print(json.dumps(child_query(rest[0])))
        elif kind == "raw":
            print(json.dumps(child_raw(rest[0])))
        return
    import corpora

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100,1000,12179", help="abstract corpus sizes (comma-separated)")
    ap.add_argument("--only", choices=["abstracts", "reports"], help="only one family of corpora")
    ap.add_argument("--copies", type=int, default=1, help="copies of the ~100 reports (2 = ~200)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--stages", default="claims,statistics,topics,links")
    ap.add_argument("--no-links", action="store_true", help="drop the links stage (the old one needs 12 GB at 100 reports)")
    ap.add_argument("--links-on-reports", action="store_true",
                    help="keep the links stage on the reports (off by default: the all-pairs stage needs ~12 GB)")
    ap.add_argument("--executor", default="local")
    ap.add_argument("--no-incremental", dest="incremental", action="store_false")
    ap.add_argument("--no-queries", dest="queries", action="store_false")
    ap.add_argument("--no-raw", dest="raw", action="store_false")
    ap.add_argument("--keep", action="store_true", help="keep the indexes")
    ap.add_argument("--work", default="/tmp/litmine-bench", help="where corpora and indexes are written")
    ap.add_argument("--out", default=str(OUT / "scale.json"))
    args = ap.parse_args()
    if args.no_links:
        args.stages = ",".join(s for s in args.stages.split(",") if s != "links")
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"jobs": args.jobs, "stages": args.stages, "executor": args.executor, "cpus": os.cpu_count(),
                     "corpora": []}
    if args.only != "reports":
        for n in [int(x) for x in args.sizes.split(",") if x]:
            corpus = corpora.abstracts(n, work / f"abstracts_{n}")
            results["corpora"].append(bench_corpus(f"abstracts_{n}", corpus, work, args))
            shutil.rmtree(corpus) if n >= 50000 and not args.keep else None
    if args.only != "abstracts":
        corpus = corpora.reports(work / f"reports_x{args.copies}", args.copies)
        import argparse as _ap

        rargs = _ap.Namespace(**vars(args))
        if not args.links_on_reports:
            # the all-pairs links stage needs ~12 GB at 100 reports: off unless asked for
            rargs.stages = ",".join(x for x in args.stages.split(",") if x != "links")
        results["corpora"].append(bench_corpus(f"reports_x{args.copies}", corpus, work, rargs))
    abstracts = [(c["docs"], c["full"]["seconds"]) for c in results["corpora"] if c["corpus"].startswith("abstracts")]
    results["growth_order_abstracts"] = growth(abstracts)
    if results["growth_order_abstracts"] is not None:
        print(f"growth order (abstracts, seconds ~ docs^k): k = {results['growth_order_abstracts']}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
