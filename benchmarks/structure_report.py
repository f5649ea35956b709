"""Structure coverage over the shared real documents: titles, years, sections, roles, headings.

Reads every provincial 2025 work report (.txt), the national 1954–2025 records (.jsonl, through the
record reader: the 50 reports and the NPC's 22 resolutions on them), and the real PDFs under
shared/realdata/pdf/{zh,en}; runs read → structure → segment and prints per document: title, year,
the share of body sentences outside any section, the role distribution, whether a problems-role part
was found, and the headings. Then a summary (the figures issue 9 asks for). The national records are
also read a second time as bare text files named by their title ("-as-text": no record metadata), to
show what the text itself yields.

    .venv/bin/python benchmarks/structure_report.py            # everything, summary + per-document rows
    .venv/bin/python benchmarks/structure_report.py --only reports --headings   # list the headings too
    .venv/bin/python benchmarks/structure_report.py --json outputs/bench/structure.json
    .venv/bin/python benchmarks/structure_report.py --only provincial --quiet --perturb   # robustness
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.document import Document  # noqa: E402
from pipeline.errors import DocumentError  # noqa: E402
from pipeline.extract import read_document, read_source  # noqa: E402
from pipeline.extract.sources import walk  # noqa: E402
from pipeline.extract.text import lines_to_blocks  # noqa: E402
from pipeline.extract.structure import annotate_structure  # noqa: E402

REALDATA = ROOT.parent / "shared" / "realdata"
REPORTS = REALDATA / "text" / "zh" / "gov_work_reports"
PROVINCIAL = REPORTS / "provincial_2025"
NATIONAL = REPORTS / "national_1954_2025_wikisource.jsonl"
PDFS = [REALDATA / "pdf" / "zh", REALDATA / "pdf" / "en"]
BODY = ("body", "abstract")


def load(path: Path) -> list[Document]:
    """One file → its documents: a records file (.jsonl) through the project's record reader, one
    document per record, with the metadata its columns give (title; year where the record has one)."""
    if path.suffix == ".jsonl":
        return [read_source(src) for src in walk(path).sources]
    return [read_document(path)]


def record_free(doc: Document) -> Document:
    """The same record as a bare text with no metadata (how it reads when saved as a .txt file named by
    its title): shows what the text itself gives, without the record's year column."""
    bare = Document(doc_id=doc.doc_id, path=f"{doc.title or doc.doc_id}.txt", format="txt", sha256=doc.sha256,
                    text=doc.text)
    bare.blocks, bare.tables = lines_to_blocks(doc.text)
    return bare


def document_row(doc: Document, group: str) -> dict:
    body = [s for s in doc.sentences if s.kind in BODY]
    roles = Counter(s.role or "-" for s in body)
    headings: list[str] = []  # a wrapped heading is several blocks: list its joined text once
    for s in doc.sentences:
        h = s.section_path[-1] if s.kind == "heading" and s.section_path else None
        if h and (not headings or headings[-1] != h):
            headings.append(h)
    no_section = sum(1 for s in body if not s.section_path)
    first_body = body[0].text.strip() if body else ""
    title_is_sentence = bool(doc.title) and bool(first_body) and first_body.startswith(doc.title.strip()[:30])
    return {
        "group": group, "doc": doc.doc_id, "path": doc.path, "title": doc.title, "title_is_sentence": title_is_sentence,
        "year": doc.year, "date": doc.date,
        "authors": doc.authors, "source": doc.source, "body": len(body),
        "no_section": no_section / len(body) if body else 0.0,
        "roles": dict(roles.most_common()), "problems": roles.get("problems", 0),
        "headings": headings,
    }


def _name(row: dict) -> str:
    """A record's id says little ("national_…_865f1d"); its title says which document it is."""
    return row["title"][:40] if "#" in row.get("path", "") or row["doc"].startswith("national_") else row["doc"]


def summarise(rows: list[dict], group: str) -> list[str]:
    rs = [r for r in rows if r["group"] == group]
    if not rs:
        return []
    n = len(rs)
    titled = sum(1 for r in rs if r["title"])
    yeared = sum(1 for r in rs if r["year"])
    body = sum(r["body"] for r in rs)
    outside = sum(r["no_section"] * r["body"] for r in rs)
    structured = [r for r in rs if r["headings"]]
    worst = max(structured or rs, key=lambda r: r["no_section"])
    over = sum(1 for r in structured if r["no_section"] >= 0.10)
    s_body = sum(r["body"] for r in structured)
    s_out = sum(r["no_section"] * r["body"] for r in structured)
    no_prob = [_name(r) for r in rs if not r["problems"] and r["body"]]
    roled = sum(sum(v for k, v in r["roles"].items() if k != "-") for r in rs)
    out = [f"{group}: {n} documents",
           f"  title present        {titled}/{n}"
           f" (of which the first body sentence: {sum(1 for r in rs if r['title_is_sentence'])})",
           f"  year present         {yeared}/{n}",
           f"  body sentences outside any section: {outside / body:.1%} overall;"
           f" {s_out / max(1, s_body):.1%} in the {len(structured)} documents with headings"
           f" (worst {worst['no_section']:.1%} {_name(worst)}; {over} of them ≥ 10%)" if body else "  no body text",
           f"  body sentences with a role: {roled / body:.1%}" if body else "",
           f"  headings found       {sum(len(r['headings']) for r in rs)}"
           f" (documents with none: {sum(1 for r in rs if not r['headings'])})",
           f"  without a problems-role part: {len(no_prob)}/{n}"]
    if group in ("provincial", "national", "national-as-text") and no_prob:
        out.append("    " + ", ".join(no_prob[:40]) + (" …" if len(no_prob) > 40 else ""))
    return [x for x in out if x]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=("reports", "provincial", "national", "pdf"), help="one group only")
    ap.add_argument("--headings", action="store_true", help="list each document's headings")
    ap.add_argument("--quiet", action="store_true", help="summary only")
    ap.add_argument("--json", type=Path, help="also write all rows to this file")
    ap.add_argument("--perturb", action="store_true",
                    help="also rewrite each provincial report as other sources lay it out (headings without "
                         "numbers, wrapped headings, hard-wrapped lines, no title) and compare")
    args = ap.parse_args(argv)

    from pipeline.segment import Segmenter
    from pipeline.settings import Settings

    seg = Segmenter(Settings().models_dir)
    rows: list[dict] = []
    groups: list[tuple[str, list[Path]]] = []
    if args.only in (None, "reports", "provincial"):
        groups.append(("provincial", sorted(PROVINCIAL.glob("*.txt"))))
    if args.only in (None, "reports", "national"):
        groups.append(("national", [NATIONAL]))
    if args.only in (None, "pdf"):
        groups.append(("pdf", sorted(p for d in PDFS for p in d.glob("*.pdf"))))
    for group, paths in groups:
        for path in paths:
            try:
                docs = load(path)
            except DocumentError as exc:
                print(f"  skipped {path.name}: {exc}", file=sys.stderr)
                continue
            for doc in docs:
                variants = [(group, doc)]
                if group == "national":
                    variants.append(("national-as-text", record_free(doc)))
                for g, d in variants:
                    annotate_structure(d)
                    seg.segment(d)
                    # the national records hold the NPC's resolutions on each report as well
                    if "决议" in d.title:
                        g = g.replace("national", "resolution")
                    rows.append(document_row(d, g))

    if not args.quiet:
        for r in (r for r in rows if not r["group"].endswith("-as-text")):
            roles = " ".join(f"{k}:{v}" for k, v in r["roles"].items())
            print(f"{r['group'][:4]} {_name(r)[:38]:38} | {r['year'] or '-':>4} | {r['title'][:34]:34} | "
                  f"out {r['no_section']:5.1%} | prob {r['problems']:3} | h {len(r['headings']):3} | {roles}")
            if args.headings:
                for h in r["headings"]:
                    print(f"      # {h[:80]}")
        print()
    for group in ("provincial", "national", "resolution", "national-as-text", "resolution-as-text", "pdf"):
        for line in summarise(rows, group):
            print(line)
    if args.perturb:
        from pipeline.devtools.structure_checks import run_checks

        print("\nprovincial reports rewritten (pipeline/devtools/structure_checks.py):")
        for check, a in run_checks(sorted(PROVINCIAL.glob("*.txt"))).items():
            print(f"  {check:9} outside a section {a['outside']:.1%}  role agreement {a['role_agreement']:.3f} "
                  f"(worst {a['worst_role_agreement']:.3f})  same year {a['same_year']:.0%}  "
                  f"same headings {a['same_headings']:.0%}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
