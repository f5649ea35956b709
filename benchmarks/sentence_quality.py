"""Whole sentences on the real PDFs (issue 9, part 3): per PDF under ../shared/realdata/pdf, the body
sentences, the % of Chinese body sentences ending without sentence punctuation (target <= 2%), the %
of English body sentences that are fragments (target <= 5%; definition in
pipeline/segment/quality.py), examples of each; then the character error rate of the reader on
the seed renderings (seed text -> reportlab PDF -> read_pdf). Writes outputs/bench/sentence_quality.json.

    .venv/bin/python benchmarks/sentence_quality.py [--examples 3] [--only hong2017] [--no-cer]
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pdf_fixtures import REALDATA, SEEDS, cer  # noqa: E402

from pipeline.errors import DocumentError  # noqa: E402
from pipeline.extract import read_document  # noqa: E402
from pipeline.extract.structure import annotate_structure  # noqa: E402
from pipeline.segment import Segmenter  # noqa: E402
from pipeline.segment.quality import sentence_quality  # noqa: E402
from pipeline.settings import DEFAULT_MODELS  # noqa: E402

ZH_TARGET, EN_TARGET = 2.0, 5.0


def real_pdfs(only: str | None) -> list[Path]:
    files = sorted(p for sub in ("zh", "en", "bad") for p in (REALDATA / sub).glob("*.pdf"))
    return [p for p in files if not only or only in p.name]


def measure(seg: Segmenter, path: Path, examples: int) -> dict:
    try:
        doc = read_document(path, doc_id=path.stem)
    except DocumentError as e:
        return {"file": path.name, "error": str(e)}
    annotate_structure(doc)
    seg.segment(doc)
    q = sentence_quality(doc, examples)
    return {"file": path.name, "pages": len(doc.pages), "lang": doc.lang, "body": q.body,
            "zh": q.zh, "zh_unterminated_pct": round(q.zh_unterminated_pct, 1),
            "en": q.en, "en_fragment_pct": round(q.en_fragment_pct, 1), "en_reasons": q.reasons,
            "zh_examples": q.zh_examples, "en_examples": q.en_examples, "tables": len(doc.tables),
            "references": len(doc.references)}


def seed_cer() -> list[dict]:
    from pipeline.devtools.render_pdf import render_pdf

    rows = []
    with tempfile.TemporaryDirectory(prefix="litmine-sq-") as tmp:
        for src in sorted(SEEDS.glob("*.txt")):
            out = Path(tmp) / (src.stem + ".pdf")
            meta = render_pdf(src, out)
            doc = read_document(out, doc_id=src.stem)
            expected = "\n".join(meta["front"] + [t for _, t in meta["body"]])
            rows.append({"seed": src.stem, "cer": round(cer(expected, doc.text), 4), "tables": len(doc.tables)})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", type=int, default=3, help="examples printed per PDF and measure")
    ap.add_argument("--only", help="only PDFs whose file name contains this")
    ap.add_argument("--no-cer", action="store_true", help="skip the seed-rendering CER check")
    ap.add_argument("--out", type=Path, default=ROOT / "outputs" / "bench" / "sentence_quality.json")
    args = ap.parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    seg = Segmenter(DEFAULT_MODELS)
    rows = [measure(seg, p, args.examples) for p in real_pdfs(args.only)]
    print(f"{'file':<62}{'pages':>6}{'body':>6}{'zh':>6}{'zh no-end %':>12}{'en':>6}{'en frag %':>10}")
    for r in rows:
        if "error" in r:
            print(f"{r['file'][:61]:<62}  {r['error'][:70]}")
            continue
        zh_flag = " !" if r["zh"] >= 20 and r["zh_unterminated_pct"] > ZH_TARGET else "  "
        en_flag = " !" if r["en"] >= 20 and r["en_fragment_pct"] > EN_TARGET else "  "
        print(f"{r['file'][:61]:<62}{r['pages']:>6}{r['body']:>6}{r['zh']:>6}{r['zh_unterminated_pct']:>10.1f}{zh_flag}"
              f"{r['en']:>6}{r['en_fragment_pct']:>8.1f}{en_flag}")
    if args.examples:
        print("\nexamples (zh: no sentence punctuation at the end; en: fragment and why)")
        for r in rows:
            if "error" in r or not (r["zh_examples"] or r["en_examples"]):
                continue
            print(f"-- {r['file']}")
            for t in r["zh_examples"]:
                print(f"   zh | {t[:110]}")
            for why, t in r["en_examples"]:
                print(f"   en | [{why}] {t[:100]}")
    ok = [r for r in rows if "error" not in r]
    zh_tot = sum(r["zh"] for r in ok)
    en_tot = sum(r["en"] for r in ok)
    zh_bad = sum(round(r["zh"] * r["zh_unterminated_pct"] / 100) for r in ok)
    en_bad = sum(round(r["en"] * r["en_fragment_pct"] / 100) for r in ok)
    summary = {"zh_sentences": zh_tot, "zh_unterminated_pct": round(100 * zh_bad / max(zh_tot, 1), 1),
               "en_sentences": en_tot, "en_fragment_pct": round(100 * en_bad / max(en_tot, 1), 1)}
    print(f"\nALL: {zh_tot} zh body sentences, {summary['zh_unterminated_pct']}% without end punctuation "
          f"(target <= {ZH_TARGET}%); {en_tot} en body sentences, {summary['en_fragment_pct']}% fragments "
          f"(target <= {EN_TARGET}%)")
    cer_rows = [] if args.no_cer else seed_cer()
    for c in cer_rows:
        print(f"seed rendering {c['seed']}: CER {100 * c['cer']:.2f}%  tables {c['tables']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"files": rows, "summary": summary, "seed_cer": cer_rows},
                                   ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
