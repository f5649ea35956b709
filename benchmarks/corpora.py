"""Benchmark corpora materialised as files under a scratch folder (not tests, not the product).

- `abstracts(n, dest)`: the shared 12,179 de-duplicated Chinese abstracts, one .txt per abstract
  (title line, blank line, abstract). n > 12,179 repeats them, each repeat with a distinguishing
  first line ("重复 r"), so every file has its own content hash and doc id.
- `reports(dest, copies)`: the ~100 government work reports (29 provincial .txt + 72 national
  records from the wikisource .jsonl written out as .txt); copies > 1 repeats them the same way.
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ABSTRACTS = SHARED / "realdata/text/scale/zh_sci_abstracts_dedup.jsonl"
PROVINCIAL = SHARED / "realdata/text/zh/gov_work_reports/provincial_2025"
NATIONAL = SHARED / "realdata/text/zh/gov_work_reports/national_1954_2025_wikisource.jsonl"


def _write(path: Path, text: str) -> None:
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")


def abstract_records() -> list[tuple[str, str]]:
    out = []
    with open(ABSTRACTS, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            title = (r.get("title") or "").strip()
            out.append((r["id"], (title + "\n\n" if title else "") + r["text"].strip() + "\n"))
    return out


def abstracts(n: int, dest: Path) -> Path:
    """`dest` holds exactly n abstract files afterwards (others removed); returns dest."""
    recs = abstract_records()
    dest.mkdir(parents=True, exist_ok=True)
    want = set()
    for i in range(n):
        rid, text = recs[i % len(recs)]
        rep = i // len(recs)
        # ids repeat across the source files (csl_dev_0 in two datasets): the line number names it
        name = f"a{i % len(recs):05d}_{rid}.txt" if rep == 0 else f"a{i % len(recs):05d}_{rid}_r{rep}.txt"
        if rep:
            text = f"重复 {rep}\n\n{text}"
        want.add(name)
        _write(dest / name, text)
    for p in dest.glob("*.txt"):
        if p.name not in want:
            p.unlink()
    return dest


def report_records() -> list[tuple[str, str]]:
    out = [(p.stem, p.read_text("utf-8")) for p in sorted(PROVINCIAL.glob("*.txt"))]
    with open(NATIONAL, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            r = json.loads(line)
            title = (r.get("title") or f"national_{i}").strip()
            out.append((f"national_{r.get('year', i)}_{i:03d}", title + "\n\n" + r["content"].strip() + "\n"))
    return out


def reports(dest: Path, copies: int = 1) -> Path:
    recs = report_records()
    dest.mkdir(parents=True, exist_ok=True)
    want = set()
    for rep in range(copies):
        for rid, text in recs:
            name = f"{rid}.txt" if rep == 0 else f"{rid}_r{rep}.txt"
            want.add(name)
            _write(dest / name, text if rep == 0 else f"重复 {rep}\n\n{text}")
    for p in dest.glob("*.txt"):
        if p.name not in want:
            p.unlink()
    return dest
