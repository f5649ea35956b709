"""PDF extraction speed: raw pdfplumber `page.extract_text()` vs our `read_pdf` on the same PDFs
(rendered seeds + real multi-page PDFs). Prints a table, writes outputs/bench/pdf_extract.json.
Also shows raw pypdfium2 text extraction (no layout), the floor under any pdfium-based reader:
the rendered seeds embed a TrueType CJK subset (devtools/fonts/), as real journal PDFs do.

    .venv/bin/python benchmarks/bench_pdf_extract.py [--repeat 1]
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pdf_fixtures import REALDATA, SEEDS  # noqa: E402

from pipeline.devtools.render_pdf import render_pdf  # noqa: E402
from pipeline.extract.pdf import read_pdf  # noqa: E402

REAL = [
    "zh/zh_soc_journal_hong2017_redistribution_wellbeing_27p.pdf",
    "zh/zh_journal_acta_automatica_template_2col.pdf",
    "zh/zh_journal_cjc_template_2col.pdf",
    "zh/zh_listed_company_q1_report_2018_22p.pdf",
    "en/en_acl2020_s2orc_2col_15p.pdf",
    "en/en_naacl2006_shinyama_2col_8p.pdf",
    "en/en_us_federal_register_2020_17221_proposed_rule_15p.pdf",
]


def time_pdfplumber(path: Path) -> tuple[int, float]:
    import pdfplumber

    t = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        n = 0
        for page in pdf.pages:
            page.extract_text()
            n += 1
    return n, time.perf_counter() - t


def time_pdfium_raw(path: Path) -> float:
    """The floor for any pdfium-based reader: open pages, build text pages, get the text."""
    import pypdfium2 as pdfium

    t = time.perf_counter()
    pdf = pdfium.PdfDocument(path)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
    finally:
        pdf.close()
    return time.perf_counter() - t


def time_ours(path: Path) -> tuple[int, float, int]:
    t = time.perf_counter()
    doc = read_pdf(path, path.stem, "")
    return len(doc.pages), time.perf_counter() - t, len(doc.tables)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=1, help="runs per file (best time is kept)")
    ap.add_argument("--out", type=Path, default=ROOT / "outputs" / "bench" / "pdf_extract.json")
    args = ap.parse_args()
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for src in sorted(SEEDS.glob("*.txt")):
            out = Path(tmp) / (src.stem + ".pdf")
            render_pdf(src, out)
            files.append(("seed/" + out.name, out))
        files += [(rel, REALDATA / rel) for rel in REAL if (REALDATA / rel).exists()]

        rows = []
        for name, path in files:
            plumber = min((time_pdfplumber(path) for _ in range(args.repeat)), key=lambda r: r[1])
            ours = min((time_ours(path) for _ in range(args.repeat)), key=lambda r: r[1])
            raw = min(time_pdfium_raw(path) for _ in range(args.repeat))
            rows.append({"file": name, "pages": plumber[0], "pdfplumber_s": round(plumber[1], 4),
                         "read_pdf_s": round(ours[1], 4), "pdfium_raw_s": round(raw, 4), "tables": ours[2]})

    tot_pages = sum(r["pages"] for r in rows)
    tot_plumber = sum(r["pdfplumber_s"] for r in rows)
    tot_ours = sum(r["read_pdf_s"] for r in rows)
    print(f"{'file':<64}{'pages':>6}{'plumber p/s':>13}{'read_pdf p/s':>14}{'ratio':>8}{'pdfium raw p/s':>16}")
    for r in rows:
        pp = r["pages"] / max(r["pdfplumber_s"], 1e-9)
        op = r["pages"] / max(r["read_pdf_s"], 1e-9)
        rp = r["pages"] / max(r["pdfium_raw_s"], 1e-9)
        r.update(pdfplumber_pages_per_s=round(pp, 1), read_pdf_pages_per_s=round(op, 1), ratio=round(op / pp, 2),
                 pdfium_raw_pages_per_s=round(rp, 1))
        print(f"{r['file'][:63]:<64}{r['pages']:>6}{pp:>13.1f}{op:>14.1f}{op / pp:>8.1f}{rp:>16.1f}")
    total = {"pages": tot_pages, "pdfplumber_pages_per_s": round(tot_pages / tot_plumber, 1),
             "read_pdf_pages_per_s": round(tot_pages / tot_ours, 1), "ratio": round(tot_plumber / tot_ours, 2)}
    print(f"{'TOTAL':<64}{tot_pages:>6}{total['pdfplumber_pages_per_s']:>13.1f}"
          f"{total['read_pdf_pages_per_s']:>14.1f}{total['ratio']:>8.1f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"files": rows, "total": total}, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
