"""Statistics over all the shared real documents: figure counts per document by unit / approx /
modality, samples of English figures, and a dump to diff two versions of the rules.

    .venv/bin/python -m pipeline.devtools.stats_survey --cache /tmp/stats-cache --dump /tmp/stats-after.jsonl
    .venv/bin/python -m pipeline.devtools.stats_survey --cache /tmp/stats-cache --diff /tmp/stats-before.jsonl

Documents: the default corpus, the 29 provincial and 72 national government work reports, the real
PDFs (zh and en), a sample of NBER English abstracts and of Chinese science abstracts. Extraction,
structure and segmentation are cached (pickles in --cache); only the statistics stage reruns.
"""
from __future__ import annotations

import argparse
import collections
import json
import pickle
import random
import sys
from pathlib import Path
from typing import Any, Iterator

from ..document import Document

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
REPO = Path(__file__).resolve().parents[2]


def _sources(shared: Path, n_abstracts: int, tmp: Path) -> Iterator[tuple[str, str, Path]]:
    """(group, doc_id, path) for every document of the survey; texts held in jsonl are written to `tmp`."""
    for p in sorted((REPO / "corpus").glob("*.txt")):
        yield "seed", p.stem, p
    gw = shared / "realdata/text/zh/gov_work_reports"
    for p in sorted((gw / "provincial_2025").glob("*.txt")):
        yield "provincial", p.stem, p
    nat = gw / "national_1954_2025_wikisource.jsonl"
    if nat.exists():
        for i, line in enumerate(nat.read_text(encoding="utf-8").splitlines()):
            r = json.loads(line)
            name = f"national_{i:02d}_{(r.get('title') or '')[:24]}"
            p = tmp / "national" / f"{name}.txt"
            if not p.exists():
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text((r.get("title") or "") + "\n" + r["content"], encoding="utf-8")
            yield "national", name, p
    for lang in ("zh", "en"):
        for p in sorted((shared / "realdata/pdf" / lang).glob("*.pdf")):
            yield f"pdf_{lang}", p.stem, p
    rng = random.Random(0)
    nber = shared / "realdata/text/en/nber_si_abstracts/nber_si_abstracts_nonempty.jsonl"
    if nber.exists() and n_abstracts:
        rows = [json.loads(x) for x in nber.read_text(encoding="utf-8").splitlines()]
        for r in rng.sample(rows, min(n_abstracts, len(rows))):
            p = tmp / "nber" / f"{r['id']}.txt"
            if not p.exists():
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text(f"{r['title']}\n{r['abstract']}\n", encoding="utf-8")
            yield "abstract_en", r["id"], p
    zh = shared / "realdata/text/scale/zh_sci_abstracts_dedup.jsonl"
    if zh.exists() and n_abstracts:
        with zh.open(encoding="utf-8") as fh:
            rows = [json.loads(x) for _, x in zip(range(5000), fh)]
        for i, r in enumerate(rng.sample(rows, min(n_abstracts, len(rows)))):
            p = tmp / "zhabs" / f"zhabs_{i:04d}.txt"
            if not p.exists():
                p.parent.mkdir(parents=True, exist_ok=True)
                text = "\n".join(str(v) for k, v in r.items() if k in ("title", "abstract", "text", "content"))
                p.write_text(text + "\n", encoding="utf-8")
            yield "abstract_zh", p.stem, p


def load_documents(cache: Path, n_abstracts: int = 150) -> list[tuple[str, Document]]:
    """Extracted, structured and segmented documents (no statistics yet), cached in `cache`."""
    from ..build import DocumentProcessor
    from ..settings import Settings

    proc = None
    out = []
    for group, doc_id, path in _sources(SHARED, n_abstracts, cache / "texts"):
        pk = cache / "docs" / f"{group}__{doc_id}.pickle"
        if pk.exists():
            doc = pickle.loads(pk.read_bytes())
        else:
            if proc is None:
                proc = DocumentProcessor(Settings(stages=()))
            try:
                doc = proc.process(path, doc_id=doc_id)
            except Exception as exc:  # bad inputs are not what this survey is about
                print(f"skip {path.name}: {exc}", file=sys.stderr)
                continue
            pk.parent.mkdir(parents=True, exist_ok=True)
            pk.write_bytes(pickle.dumps(doc))
        out.append((group, doc))
    return out


def _record(doc: Document, st: Any) -> dict[str, Any]:
    from ..statistics import statistic_record

    d = statistic_record(doc, st)
    d["value_max"] = st.value_max
    d["base_year"] = st.base_year
    return d


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/stats-cache"))
    ap.add_argument("--abstracts", type=int, default=150, help="how many abstracts per language")
    ap.add_argument("--dump", type=Path, help="write every statistic as jsonl")
    ap.add_argument("--diff", type=Path, help="compare with an earlier --dump; print the first differences")
    ap.add_argument("--samples", type=int, default=25, help="random English figures to print")
    ap.add_argument("--quiet", action="store_true", help="no per-document table")
    args = ap.parse_args(argv)
    from ..statistics import annotate_statistics, load_lexicon

    lex = load_lexicon()
    docs = load_documents(args.cache, args.abstracts)
    records: list[dict[str, Any]] = []
    per_group: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    rows = []
    for group, doc in docs:
        annotate_statistics(doc, lex)
        recs = [_record(doc, s) for s in doc.statistics]
        for r in recs:
            r["group"] = group
        records.extend(recs)
        c: collections.Counter[str] = collections.Counter()
        for r in recs:
            c["n"] += 1
            c[f"u:{r['unit']}"] += 1
            c[f"a:{r['approx']}"] += 1
            c[f"m:{r['modality']}"] += 1
            c["year"] += r["year"] is not None
            c["subject"] += r["subject"] is not None
            c["metric"] += bool(r["metric"])
            c["range"] += r.get("value_max") is not None
            c["base_year"] += r.get("base_year") is not None
        per_group[group].update(c)
        rows.append((group, doc.doc_id, c))
    if not args.quiet:
        print(f"{'group':<12} {'document':<44} {'n':>5} {'CNY':>4} {'%':>4} {'pp':>3} {'cnt':>4} {'rnk':>3} "
              f"{'>':>3} {'<':>3} {'~':>3} {'tgt':>3} {'yr%':>4} {'sub%':>4} {'met%':>4} {'rng':>3} {'base':>4}")
        for group, doc_id, c in rows:
            n = c["n"] or 1
            print(f"{group:<12} {doc_id[:44]:<44} {c['n']:>5} {c['u:CNY']:>4} {c['u:percent']:>4} "
                  f"{c['u:percentage_point']:>3} {c['u:count']:>4} {c['u:rank']:>3} {c['a:more_than']:>3} "
                  f"{c['a:less_than']:>3} {c['a:about']:>3} {c['m:target']:>3} {100 * c['year'] // n:>4} "
                  f"{100 * c['subject'] // n:>4} {100 * c['metric'] // n:>4} {c['range']:>3} {c['base_year']:>4}")
    print("\nper group:")
    for group, c in per_group.items():
        units = {k[2:]: v for k, v in c.items() if k.startswith("u:")}
        n = c["n"] or 1
        print(f"  {group:<12} n={c['n']:<6} units={dict(sorted(units.items(), key=lambda kv: -kv[1]))} "
              f"year {c['year'] / n:.2f} subject {c['subject'] / n:.2f} metric {c['metric'] / n:.2f} "
              f"target {c['m:target'] / n:.2f} ranges {c['range']} base_year {c['base_year']}")
    en = [r for r in records if r["group"] in ("pdf_en", "abstract_en")]
    if en and args.samples:
        print(f"\n{min(args.samples, len(en))} random English figures of {len(en)}:")
        for r in random.Random(1).sample(en, min(args.samples, len(en))):
            print(f"  [{r['span']}] {r['value']} {r['unit']}/{r['counter']} {r['approx']} y={r['year']} "
                  f"s={r['subject']} m={r['metric']} | {(r.get('sentence') or '')[:110]}")
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    if args.diff:
        old = [json.loads(x) for x in args.diff.read_text(encoding="utf-8").splitlines()]
        key = lambda r: (r["doc"], r["start"], r["end"], r["source"])  # noqa: E731
        a, b = {key(r): r for r in old}, {key(r): r for r in records}
        gone, new = sorted(set(a) - set(b)), sorted(set(b) - set(a))
        changed = [k for k in sorted(set(a) & set(b)) if a[k] != b[k]]
        print(f"\ndiff: {len(gone)} gone, {len(new)} new, {len(changed)} changed (of {len(a)} → {len(b)})")
        for k in gone[:15]:
            print(f"  - {k[0][:30]} [{a[k]['span']}] {(a[k].get('sentence') or '')[:80]}")
        for k in new[:15]:
            print(f"  + {k[0][:30]} [{b[k]['span']}] {(b[k].get('sentence') or '')[:80]}")
        for k in changed[:25]:
            d = {f: (a[k].get(f), b[k].get(f)) for f in b[k] if a[k].get(f) != b[k].get(f)}
            print(f"  ~ {k[0][:30]} [{b[k]['span']}] {d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
