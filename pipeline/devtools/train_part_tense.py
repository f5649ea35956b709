"""Learn which words tell a work-report part that reviews the past from one that sets tasks
(models/structure/part_tense.tsv), for report parts whose heading names neither.

    .venv/bin/python -m pipeline.devtools.train_part_tense           # train, report LOO accuracy, write
    .venv/bin/python -m pipeline.devtools.train_part_tense --check   # LOO accuracy only

Weak labels come from the documents' own structure: a top-level part whose heading names its role
("2024年工作回顾" → review; "2025年工作安排", "重点任务" → tasks; a year in the heading read against the
report's year) labels every paragraph under it. Over the 29 provincial and 50 national reports in
shared/realdata (dev-gold documents left out, --gold), a multinomial naive Bayes over CJK character
bigrams gives each bigram a log-odds weight; the file keeps the bigrams seen in at least --min-docs
documents, strongest first. Accuracy is measured per part, leaving each document out in turn.
The file starts with a header naming the data and its SHA-256.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import math
import re
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared"
REPORTS = SHARED / "realdata" / "text" / "zh" / "gov_work_reports"
OUT = REPO / "models" / "structure" / "part_tense.tsv"
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def bigrams(text: str) -> list[str]:
    out: list[str] = []
    for run in _CJK_RUN.findall(unicodedata.normalize("NFKC", text)):
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def labelled_parts(gold: Path | None) -> tuple[list[tuple[str, str, list[str]]], str]:
    """(doc id, role, paragraph texts) for every top-level report part whose heading names review or
    tasks; and the SHA-256 of the texts used."""
    from ..extract import read_document, read_source
    from ..extract.sources import walk
    from ..extract.structure import annotate_structure
    from ..extract.structure.roles import heading_role, is_report, load_role_cues

    held_out: set[str] = set()
    if gold and (gold / "claims.jsonl").exists():
        held_out = {json.loads(x)["doc"] for x in (gold / "claims.jsonl").read_text("utf-8").splitlines() if x.strip()}
    docs = [read_document(p) for p in sorted((REPORTS / "provincial_2025").glob("*.txt"))]
    docs += [read_source(s) for s in walk(REPORTS / "national_1954_2025_wikisource.jsonl").sources]
    cues = load_role_cues()
    h = hashlib.sha256()
    out = []
    for d in sorted(docs, key=lambda d: d.title):
        if d.doc_id in held_out or Path(d.path).stem in held_out or d.title in held_out:
            continue
        annotate_structure(d)
        if not is_report(d):
            continue
        parts: dict[str, list[str]] = collections.defaultdict(list)
        for b in d.blocks:
            if b.kind == "body" and b.section_path and b.role != "problems":
                parts[b.section_path[0]].append(d.text[b.start:b.end])
        for heading, paras in parts.items():
            role = heading_role(heading, cues, True, d.year)
            if role in ("review", "tasks"):
                out.append((d.title, role, paras))
                h.update("".join(paras).encode())
    return out, h.hexdigest()


def train(parts: list[tuple[str, str, list[str]]], min_docs: int) -> dict[str, float]:
    counts: dict[str, collections.Counter[str]] = {"review": collections.Counter(), "tasks": collections.Counter()}
    docs_with: dict[str, set[str]] = collections.defaultdict(set)
    for doc, role, paras in parts:
        for p in paras:
            bg = bigrams(p)
            counts[role].update(bg)
            for g in set(bg):
                docs_with[g].add(doc)
    vocab = [g for g, ds in docs_with.items() if len(ds) >= min_docs]
    tot = {r: sum(counts[r][g] for g in vocab) + len(vocab) for r in counts}
    return {g: math.log((counts["review"][g] + 1) / tot["review"]) - math.log((counts["tasks"][g] + 1) / tot["tasks"])
            for g in vocab}


def score(weights: dict[str, float], texts: list[str]) -> float:
    """Mean log-odds per bigram (> 0: review)."""
    bg = [g for t in texts for g in bigrams(t) if g in weights]
    return sum(weights[g] for g in bg) / len(bg) if bg else 0.0


def loo_accuracy(parts: list[tuple[str, str, list[str]]], min_docs: int) -> tuple[float, int]:
    docs = sorted({d for d, _, _ in parts})
    right = total = 0
    for held in docs:
        w = train([p for p in parts if p[0] != held], min_docs)
        for doc, role, paras in parts:
            if doc == held:
                total += 1
                right += (score(w, paras) > 0) == (role == "review")
    return right / max(1, total), total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=SHARED / "gold" / "dev", help="leave out this gold's documents")
    ap.add_argument("--min-docs", type=int, default=5, help="keep bigrams seen in at least this many documents")
    ap.add_argument("--keep", type=int, default=3000, help="strongest bigrams written")
    ap.add_argument("--check", action="store_true", help="report leave-one-document-out accuracy only")
    args = ap.parse_args(argv)
    parts, digest = labelled_parts(args.gold)
    acc, n = loo_accuracy(parts, args.min_docs)
    print(f"{len(parts)} labelled parts ({sum(r == 'review' for _, r, _ in parts)} review) from "
          f"{len({d for d, _, _ in parts})} documents; leave-one-document-out accuracy {acc:.3f} over {n} parts")
    if args.check:
        return 0
    w = train(parts, args.min_docs)
    rows = sorted(w.items(), key=lambda kv: -abs(kv[1]))[:args.keep]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        f.write("# Work-report part tense: CJK character bigram <TAB> log-odds (review over tasks), naive Bayes\n")
        f.write(f"# trained by `python -m pipeline.devtools.train_part_tense` on {len(parts)} parts whose headings name\n")
        f.write("# their role, from the shared provincial 2025 and national 1954-2025 reports (dev gold left out);\n")
        f.write(f"# data sha256 {digest}; leave-one-document-out accuracy {acc:.3f} over {n} parts\n")
        for g, v in sorted(rows):
            f.write(f"{g}\t{v:.4f}\n")
    print(f"wrote {OUT} ({len(rows)} bigrams)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
