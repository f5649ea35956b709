"""Text-layer quality of every page of the shared real PDFs: the measures `--ocr auto` decides on
(extract/ocr/quality.py), the highest pages for each, and the pages it would OCR, with why. Run it
after changing a threshold in models/ocr/text_layer.json.

    python -m pipeline.devtools.ocr_survey [PDF or folder ...]   (default: ../shared/realdata/pdf)
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pipeline.paths import DEFAULT_MODELS, PROJECT_ROOT


def survey(paths: list[Path]) -> list[dict[str, Any]]:
    from pipeline.document.model import Document
    from pipeline.errors import DocumentError
    from pipeline.extract.ocr import OcrOptions, measure
    from pipeline.extract.pdf.ocr import PdfOcr
    from pipeline.extract.pdf.reader import PdfBackend

    rows: list[dict[str, Any]] = []

    class Probe(PdfOcr):  # the reader's own decision per page, without running the engine
        def __init__(self) -> None:
            super().__init__(OcrOptions(), str(DEFAULT_MODELS))
            self.seen: set[int] = set()

        def read(self, page: Any, pd: Any, reason: str) -> bool:
            text = " ".join(ln.text for ln in pd.lines)
            rows.append({"file": path.name, "page": pd.number, "reason": reason, **vars(measure(text))})
            self.seen.add(pd.number)
            return False

    for path in paths:
        probe = Probe()
        try:
            pages = PdfBackend(path.read_bytes(), None, ocr=probe).build(
                Document(doc_id="x", path=str(path), format="pdf", sha256=""))
        except DocumentError:
            continue
        for p in pages:
            if p.number not in probe.seen:
                q = measure(" ".join(ln.text for ln in p.lines))
                rows.append({"file": path.name, "page": p.number, "reason": "", **vars(q)})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.devtools.ocr_survey", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", type=Path)
    args = ap.parse_args(argv)
    roots = args.paths or [PROJECT_ROOT.parent / "shared" / "realdata" / "pdf"]
    pdfs = sorted(p for r in roots for p in ([r] if r.is_file() else r.rglob("*.pdf")))
    rows = survey(pdfs)
    kept = [r for r in rows if not r["reason"] and r["chars"] >= 40]
    print(f"{len(pdfs)} PDFs, {len(rows)} pages read, {sum(1 for r in rows if r['reason'])} to OCR")
    for key in ("bad", "unclean", "rare_han", "lost"):
        print(f"\nhighest {key} among the pages that keep their text layer:")
        for r in sorted(kept, key=lambda r: -r[key])[:5]:
            print(f"  {r[key]:.3f}  {r['file']} p{r['page']} (bad {r['bad']:.3f}, unclean {r['unclean']:.3f}, "
                  f"rare_han {r['rare_han']:.3f}, {r['chars']} chars)")
    print("\npages --ocr auto reads by OCR:")
    for r in rows:
        if r["reason"]:
            print(f"  {r['file']} p{r['page']}: {r['reason']} (bad {r['bad']:.3f}, unclean {r['unclean']:.3f}, "
                  f"rare_han {r['rare_han']:.3f}, letters {r['letters']:.2f}, {r['chars']} chars)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
