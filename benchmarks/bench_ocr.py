"""OCR speed: pages per second of `read_pdf(..., ocr=auto)` on the shared scanned PDFs (whole pipeline
read: rasterise, OCR, layout), against the raw engines on the same page images in the same run
(RapidOCR called directly; tesseract's CLI when installed), so the ratio survives a noisy machine.
Writes outputs/bench/ocr.json.

    .venv/bin/python benchmarks/bench_ocr.py [--pages 4] [--dpi 200]
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.extract.ocr.options import OcrOptions  # noqa: E402
from pipeline.extract.pdf import read_pdf  # noqa: E402

SCANS = ROOT.parent / "shared" / "realdata" / "pdf" / "bad"
FILES = ["bad_scanned_image_only_zh_econ_book_2p.pdf", "bad_scanned_image_only_zh_econ_book_8p.pdf",
         "bad_scanned_image_only_zh_journal_cjc.pdf"]


def page_images(path: Path, dpi: int, limit: int) -> list:
    import pypdfium2 as pdfium

    from pipeline.extract.pdf.ocr import MAX_SIDE_PX

    pdf = pdfium.PdfDocument(str(path))
    out = []
    for i in range(min(limit or len(pdf), len(pdf))):
        page = pdf[i]
        w, h = page.get_size()
        out.append(page.render(scale=min(dpi / 72, MAX_SIDE_PX / max(w, h))).to_numpy())
    pdf.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=0, help="at most this many pages per file for the raw engines")
    ap.add_argument("--dpi", type=int, default=200)
    args = ap.parse_args()
    files = [SCANS / f for f in FILES if (SCANS / f).exists()]
    if not files:
        print(f"no scanned PDFs under {SCANS}")
        return 1
    options = OcrOptions(dpi=args.dpi)
    from pipeline.extract.ocr.engines import get_engine

    engine = get_engine(options)
    engine.read(page_images(files[0], 72, 1)[0])  # load the models before timing
    result: dict = {"engine": engine.producer, "dpi": args.dpi, "files": []}
    ours_pages = ours_s = raw_s = tess_s = 0.0
    tess = shutil.which("tesseract")
    for path in files:
        t0 = time.perf_counter()
        doc = read_pdf(path, path.stem, "", ocr=options)
        ours = time.perf_counter() - t0
        n = len(doc.pages)
        images = page_images(path, args.dpi, args.pages)
        t0 = time.perf_counter()
        for img in images:
            engine._engine(img) if hasattr(engine, "_engine") else engine.read(img)  # the library itself
        raw = (time.perf_counter() - t0) * n / max(len(images), 1)
        row = {"file": path.name, "pages": n, "litmine_s": round(ours, 2), "rapidocr_raw_s": round(raw, 2)}
        if tess:
            import io

            from PIL import Image

            t0 = time.perf_counter()
            for img in images:
                buf = io.BytesIO()
                Image.fromarray(img[:, :, ::-1]).save(buf, format="PNG")
                subprocess.run([tess, "stdin", "stdout", "-l", "chi_sim+eng"], input=buf.getvalue(),
                               capture_output=True, check=False)
            row["tesseract_raw_s"] = round((time.perf_counter() - t0) * n / max(len(images), 1), 2)
            tess_s += row["tesseract_raw_s"]
        result["files"].append(row)
        ours_pages += n
        ours_s += ours
        raw_s += raw
        print(f"{path.name}: {n} pages, litmine {n / ours:.2f} pages/s, raw rapidocr {n / raw:.2f} pages/s"
              + (f", raw tesseract {n / row['tesseract_raw_s']:.2f} pages/s" if tess else ""))
    result["litmine_pages_per_s"] = round(ours_pages / ours_s, 3)
    result["rapidocr_raw_pages_per_s"] = round(ours_pages / raw_s, 3)
    result["litmine_vs_raw"] = round(ours_s / raw_s, 2)
    if tess:
        result["tesseract_raw_pages_per_s"] = round(ours_pages / tess_s, 3)
    print(f"overall: litmine {result['litmine_pages_per_s']} pages/s, raw rapidocr "
          f"{result['rapidocr_raw_pages_per_s']} pages/s (litmine/raw time {result['litmine_vs_raw']}x)"
          + (f", raw tesseract {result['tesseract_raw_pages_per_s']} pages/s" if tess else ""))
    out = ROOT / "outputs" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ocr.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
