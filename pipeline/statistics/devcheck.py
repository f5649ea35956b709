"""Dev check: run the statistics rules over the gold documents and print the scores.

    .venv/bin/python -m pipeline.statistics.devcheck [--gold DIR] [--worst N] [--dump DOC_ID]
    .venv/bin/python -m pipeline.statistics.devcheck --show FILE.txt   # eyeball another document

Documents are built with a naive reader (`naive_document`): lines → paragraphs, sentences split after
。！？ (a line end also ends one unless the line breaks mid-sentence), tab-separated lines → tables with
the "表 N …" line above as caption. Not part of the pipeline; the lead's reader/segmenter replaces it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path

from ..document import Cell, Document, Sentence, Table
from .extract import annotate_statistics, statistic_record
from .score import score_statistics

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
DOCS = {
    "001_921ccb2a7e0d9137": SHARED / "seeds" / "001_921ccb2a7e0d9137.txt",
    "003_e59572d61d3faf91": SHARED / "seeds" / "003_e59572d61d3faf91.txt",
    "2025年陕西省政府工作报告": SHARED / "realdata/text/zh/gov_work_reports/provincial_2025/2025年陕西省政府工作报告.txt",
}
_HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([0-9]+\)|[0-9]+(?:\.[0-9]+)*\s+\S|[0-9]+\.(?=\S))")
_SENT_END = "。！？!?"


def _split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    a = start
    i = start
    while i < end:
        if text[i] in _SENT_END:
            j = i + 1
            while j < end and text[j] in "”’\"）)」":
                j += 1
            out.append((a, j))
            a = j
            i = j
            continue
        i += 1
    if a < end and text[a:end].strip():
        out.append((a, end))
    # trim whitespace
    res = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            res.append((s, e))
    return res


def naive_document(path: Path, doc_id: str | None = None) -> Document:
    text = path.read_text(encoding="utf-8")
    doc = Document(doc_id or path.stem, str(path), "txt", hashlib.sha256(text.encode()).hexdigest(), text=text)
    lines = []
    pos = 0
    for ln in text.splitlines(keepends=True):
        lines.append((pos, pos + len(ln.rstrip("\r\n")), ln.rstrip("\r\n")))
        pos += len(ln)
    # tables
    i = 0
    table_lines: set[int] = set()
    while i < len(lines):
        if "\t" in lines[i][2]:
            j = i
            while j < len(lines) and "\t" in lines[j][2]:
                j += 1
            cap = ""
            for k in range(i - 1, max(-1, i - 4), -1):
                if re.match(r"^\s*(续?表)\s*[0-9]", lines[k][2]):
                    cap = lines[k][2].strip()
                    break
            t = Table(index=len(doc.tables), page=None, caption=cap, start=lines[i][0], end=lines[j - 1][1])
            for r, (s, e, ln) in enumerate(lines[i:j]):
                off = s
                for c, field in enumerate(ln.split("\t")):
                    t.cells.append(Cell(r, c, field, off, off + len(field)))
                    off += len(field) + 1
            doc.tables.append(t)
            table_lines.update(range(i, j))
            i = j
        else:
            i += 1
    # paragraphs → sentences; a line that stops mid-sentence continues on the next text line
    section: list[str] = []
    idx = 0
    pending: tuple[int, int] | None = None
    para_spans: list[tuple[int, int, str]] = []
    for n, (s, e, ln) in enumerate(lines):
        if n in table_lines or not ln.strip():
            continue
        st = ln.strip()
        kind = "body"
        if re.match(r"^\s*(续?表|图)\s*[0-9]", st):
            kind = "caption"
        elif re.match(r"^\s*(- )?\[\[?\d+\]", st) or st.startswith("参考文献"):
            kind = "reference"
        elif re.match(r"^(收稿日期|作者简介|基金项目|中图分类号|关键词|DOI|来源)", st):
            kind = "front_matter"
        elif len(st) <= 40 and _HEADING_RE.match(st) and "。" not in st:
            kind = "heading"
        if kind == "body" and pending is not None:
            para_spans[-1] = (para_spans[-1][0], e, "body")
        else:
            para_spans.append((s, e, kind))
        pending = (s, e) if kind == "body" and st[-1] not in "。！？!?：:；;”\"」)）" else None
    for s, e, kind in para_spans:
        st = text[s:e].strip()
        if kind == "heading":
            lvl = 0 if re.match(r"^[一二三四五六七八九十]+、|^[0-9]+\s", st) else 1
            section = section[:lvl] + [st]
            doc.sentences.append(Sentence(s, e, text[s:e], "heading", "zh", None, list(section), idx, index=idx))
            idx += 1
            continue
        for a, b in _split_sentences(text, s, e) if kind in ("body",) else [(s, e)]:
            lang = "en" if re.search(r"[A-Za-z]{3}", text[a:b]) and not re.search(r"[\u4e00-\u9fff]", text[a:b]) else "zh"
            doc.sentences.append(Sentence(a, b, text[a:b], kind, lang, None, list(section), idx, index=idx))
            idx += 1
    return doc


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=str(SHARED / "gold" / "dev"))
    ap.add_argument("--worst", type=int, default=40)
    ap.add_argument("--dump", help="print predictions for this doc id")
    ap.add_argument("--show", help="print predictions for any text file")
    ap.add_argument("--reader", choices=("naive", "lead"), default="naive",
                    help="lead: the pipeline's read_document + annotate_structure + Segmenter")
    args = ap.parse_args(argv)
    if args.show:
        doc = naive_document(Path(args.show))
        annotate_statistics(doc)
        print(json.dumps({k: v for k, v in doc.meta.items() if not k.startswith("_")}, ensure_ascii=False))
        for st in doc.statistics:
            r = statistic_record(doc, st)
            print(f"{r['span']:>14} {r['value']!s:>14} {r['unit'] or '-':>8} {r['approx']:>9} {r['direction'] or '-':>4}"
                  f" {r['modality']:>6} {r['year']!s:>5} {r['subject'] or '-':>8} | {r['metric']} {r['flags'] or ''}")
        return
    gold = [json.loads(l) for l in open(Path(args.gold) / "stats.jsonl", encoding="utf-8")]
    cells = [json.loads(l) for l in open(Path(args.gold) / "table_cells.jsonl", encoding="utf-8")]
    preds = []
    seg = None
    for doc_id, path in DOCS.items():
        if args.reader == "lead":
            from ..extract import read_document
            from ..extract.structure import annotate_structure
            from ..segment.segmenter import Segmenter

            seg = seg or Segmenter(ROOT / "models")
            doc = read_document(path, doc_id=doc_id)
            annotate_structure(doc)
            seg.segment(doc)
        else:
            doc = naive_document(path, doc_id)
        annotate_statistics(doc)
        recs = [statistic_record(doc, s) for s in doc.statistics]
        preds.extend(recs)
        if args.dump == doc_id:
            for r in recs:
                print(json.dumps({k: r.get(k) for k in ("span", "value", "unit", "approx", "direction", "modality",
                                                        "year", "subject", "subject_text", "metric", "flags")},
                                 ensure_ascii=False))
    gold = [g for g in gold if g["doc"] in DOCS]
    cells = [c for c in cells if c["doc"] in DOCS]
    res = score_statistics(preds, gold, cells, n_worst=args.worst)
    sp = res["span"]
    print(f"span  P={sp['precision']:.3f} R={sp['recall']:.3f} F1={sp['f1']:.3f}  "
          f"(pred {sp['pred']}, gold core {sp['gold_core']}, matched {sp['matched_core']}+{sp['matched_borderline']} borderline)")
    print("attrs " + "  ".join(f"{k}={v:.3f}({res['counts'][k]['right']}/{res['counts'][k]['of']})"
                               for k, v in res["accuracy"].items() if v is not None))
    tc = res["table_cells"]
    print(f"cells recovered {tc['recovered']}/{tc['gold']} (table preds {tc['pred']})")
    for d, v in res["per_doc"].items():
        print(f"  {d}: P={v['precision']:.3f} R={v['recall']:.3f} F1={v['f1']:.3f} pred={v['pred']} gold={v['gold_core']}")
    print(f"worst ({res['n_errors']} errors):")
    for e in res["worst"]:
        print(f"  [{e['kind']}] {e['span']} gold={e['gold']} pred={e['pred']} :: {e['sentence']}")


if __name__ == "__main__":
    main()
