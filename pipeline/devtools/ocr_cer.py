"""Character error rate of the OCR on rendered-then-rasterised seed pages with scan-like noise.

Each seed text (../shared/seeds/*.txt) is rendered to a two-column journal PDF (render_pdf.py); every
page is rasterised at the scanner's resolution and degraded like a photocopy scan (grey, a small
rotation, blur, salt-and-pepper specks, JPEG artefacts; seeded, so runs repeat), the images are put
into an image-only PDF, and the PDF reader OCRs it (`--ocr force`). Reference: the characters of the
text layer of the rendered PDF, read by the same reader with OCR off.

Both sides are compared page by page as the lines of the page in one geometric order (columns left
to right, rows top to bottom, left to right inside a row) so the figure measures recognition, not
layout; whitespace is ignored (Chinese has none, and OCR spacing of Latin words is not text).
CER = edit distance / reference length; `--nfkc` also folds full-/half-width forms ("，" = ",").

    python -m pipeline.devtools.ocr_cer                      # all seeds, rapidocr at 200 dpi
    python -m pipeline.devtools.ocr_cer --engine tesseract --pages 1 --clean
    python -m pipeline.devtools.ocr_cer --real               # hand transcriptions of real scanned pages

`--real` reads tests/data/ocr/transcriptions.json ([{pdf (under shared/), page, paragraphs}]), OCRs
that page through the whole reader and scores each transcribed paragraph against the stretch of
the page text that matches it best.
"""
from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

from pipeline.paths import PROJECT_ROOT

SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"


def scan_like(image: Any, rng: random.Random) -> Any:
    """A PIL page image degraded like a scan: grey, rotated by a fraction of a degree, blurred, with
    salt-and-pepper specks and JPEG artefacts."""
    import numpy as np
    from PIL import Image, ImageFilter

    img = image.convert("L")
    img = img.rotate(rng.uniform(-0.6, 0.6), resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.6, 1.0)))
    arr = np.array(img)
    specks = np.random.default_rng(rng.randrange(2**32)).random(arr.shape)
    arr[specks < 0.002] = 0
    arr[specks > 0.998] = 255
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="JPEG", quality=rng.randint(45, 65))
    return Image.open(io.BytesIO(buf.getvalue()))


def rasterise(pdf_path: Path, out_path: Path, scan_dpi: int, seed: int, clean: bool = False,
              pages: int = 0) -> int:
    """An image-only copy of `pdf_path` (each page a scan at `scan_dpi`). Returns the page count."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    images = []
    try:
        n = len(pdf) if not pages else min(pages, len(pdf))
        for i in range(n):
            img = pdf[i].render(scale=scan_dpi / 72).to_pil()
            images.append(img.convert("L") if clean else scan_like(img, random.Random(seed * 1000 + i)))
    finally:
        pdf.close()
    images[0].save(out_path, save_all=True, append_images=images[1:], resolution=float(scan_dpi))
    return len(images)


def page_lines(pdf_path: Path, ocr: Any, pages: int = 0) -> list[list[Any]]:
    """The reader's lines of each page (before layout), OCR'd when `ocr` is not None."""
    from pipeline.document.model import Document
    from pipeline.extract.pdf.ocr import PdfOcr
    from pipeline.extract.pdf.reader import PdfBackend

    data = pdf_path.read_bytes()
    doc = Document(doc_id="x", path=str(pdf_path), format="pdf", sha256="")
    backend = PdfBackend(data, None, ocr=PdfOcr(ocr) if ocr is not None else None)
    got = backend.build(doc)
    return [p.lines for p in (got[:pages] if pages else got)]


def canonical(lines: list[Any], page_w: float, nfkc: bool) -> str:
    """Lines in one geometric order: left column (and full-width lines) then right column; rows by
    their vertical centre (lines within half a line height are one row), left to right in a row."""
    mid = page_w / 2
    out: list[str] = []
    for col in (0, 1):
        mine = sorted((ln for ln in lines if (ln.x0 >= mid - 5) == bool(col)), key=lambda ln: ln.cy)
        rows: list[list[Any]] = []
        for ln in mine:
            if rows and abs(ln.cy - rows[-1][0].cy) < 0.5 * max(ln.bottom - ln.top, 1.0):
                rows[-1].append(ln)
            else:
                rows.append([ln])
        out.extend(ln.text for row in rows for ln in sorted(row, key=lambda ln: ln.x0))
    text = "".join("".join(out).split())
    return unicodedata.normalize("NFKC", text) if nfkc else text


def best_window_distance(reference: str, text: str) -> int:
    """Edit distance of `reference` to the stretch of `text` that matches it best."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    al = fuzz.partial_ratio_alignment(reference, text)
    if al is None:
        return len(reference)
    best = len(reference)  # partial_ratio aligns equal lengths: widen the stretch a little each way
    for ds in range(-4, 5):
        for de in range(-4, 5):
            s, e = max(0, al.dest_start + ds), min(len(text), al.dest_end + de)
            best = min(best, Levenshtein.distance(reference, text[s:e]))
    return best


def real_pages(engine: str, dpi: int) -> int:
    import json

    import pypdfium2 as pdfium

    from pipeline.extract.ocr.options import OcrOptions
    from pipeline.extract.pdf import read_pdf

    items = json.loads((PROJECT_ROOT / "tests/data/ocr/transcriptions.json").read_text(encoding="utf-8"))
    total_err = total_ref = 0
    for item in items:
        src = pdfium.PdfDocument(str(PROJECT_ROOT.parent / "shared" / item["pdf"]))
        one = pdfium.PdfDocument.new()
        one.import_pages(src, [item["page"] - 1])
        buf = io.BytesIO()
        one.save(buf)
        doc = read_pdf(Path(item["pdf"]), "page", "", data=buf.getvalue(), ocr=OcrOptions(engine=engine, dpi=dpi))
        text = "".join(doc.text.split())
        for k, para in enumerate(item["paragraphs"]):
            err = best_window_distance(para, text)
            total_err, total_ref = total_err + err, total_ref + len(para)
            print(f"{Path(item['pdf']).name} p{item['page']} ¶{k + 1}: CER {err / len(para):.2%} ({err} / {len(para)})")
    print(f"overall ({engine}, {dpi} dpi): CER {total_err / max(total_ref, 1):.2%} ({total_err} / {total_ref} chars)")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.devtools.ocr_cer", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("seeds", nargs="*", type=Path, help="seed .txt files (default: ../shared/seeds/*.txt)")
    ap.add_argument("--engine", default="rapidocr", choices=["rapidocr", "tesseract"])
    ap.add_argument("--dpi", type=int, default=200, help="OCR resolution (default: 200)")
    ap.add_argument("--scan-dpi", type=int, default=300, help="resolution of the simulated scan (default: 300)")
    ap.add_argument("--pages", type=int, default=0, help="at most this many pages per seed (default: all)")
    ap.add_argument("--clean", action="store_true", help="no scan noise (rasterised only)")
    ap.add_argument("--nfkc", action="store_true", help="fold full-/half-width forms before comparing")
    ap.add_argument("--show", action="store_true", help="print reference and OCR text of each page")
    ap.add_argument("--real", action="store_true", help="score hand transcriptions of real scans instead")
    args = ap.parse_args(argv)
    if args.real:
        return real_pages(args.engine, args.dpi)

    from rapidfuzz.distance import Levenshtein

    from pipeline.devtools.render_pdf import PAGE_W, render_pdf
    from pipeline.extract.ocr.options import OcrOptions

    seeds = args.seeds or sorted(SEEDS.glob("*.txt"))
    if not seeds:
        print(f"no seed texts in {SEEDS}", file=sys.stderr)
        return 1
    ocr = OcrOptions(mode="force", engine=args.engine, dpi=args.dpi)
    total_err = total_ref = n_pages = 0
    ocr_seconds = 0.0
    print(f"engine {args.engine}, OCR at {args.dpi} dpi, scan at {args.scan_dpi} dpi"
          f"{' (clean)' if args.clean else ' with noise'}{', NFKC' if args.nfkc else ''}")
    with tempfile.TemporaryDirectory(prefix="litmine-cer-") as tmp:
        for k, seed in enumerate(seeds):
            pdf = Path(tmp) / f"{seed.stem}.pdf"
            scan = Path(tmp) / f"{seed.stem}.scan.pdf"
            render_pdf(seed, pdf)
            rasterise(pdf, scan, args.scan_dpi, seed=k, clean=args.clean, pages=args.pages)
            ref_pages = page_lines(pdf, None, args.pages)
            t0 = time.perf_counter()
            hyp_pages = page_lines(scan, ocr, args.pages)
            ocr_seconds += time.perf_counter() - t0
            for i, (ref_lines, hyp_lines) in enumerate(zip(ref_pages, hyp_pages)):
                ref, hyp = canonical(ref_lines, PAGE_W, args.nfkc), canonical(hyp_lines, PAGE_W, args.nfkc)
                err = Levenshtein.distance(ref, hyp)
                total_err, total_ref, n_pages = total_err + err, total_ref + len(ref), n_pages + 1
                print(f"{seed.stem} p{i + 1}: CER {err / max(len(ref), 1):.2%} ({err} / {len(ref)} chars)")
                if args.show:
                    print("  ref:", ref, "\n  ocr:", hyp)
    print(f"overall: CER {total_err / max(total_ref, 1):.2%} ({total_err} / {total_ref} chars, {n_pages} pages); "
          f"OCR {n_pages / max(ocr_seconds, 1e-9):.2f} pages/s wall (includes rasterising)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
