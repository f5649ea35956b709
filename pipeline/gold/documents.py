"""Documents for gold annotations when training without an index: the gold's source files are
found (corpus/, shared seeds and realdata) and run through the real pipeline (extract → structure →
segment), so training sees the same sentences and heading paths as tagging does. A gold document
whose source cannot be found becomes a stand-in made of its gold sentences (no headings but the
gold's own `section`).
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

from pipeline.build import DocumentProcessor
from pipeline.document.model import Document, Sentence
from pipeline.errors import DocumentError
from pipeline.settings import Settings

SOURCE_SUFFIXES = (".txt", ".md", ".docx", ".pdf")


def default_source_roots() -> list[Path]:
    here = Path(__file__).resolve().parents[2]
    return [here / "corpus", here.parent / "shared" / "seeds", here.parent / "shared" / "realdata"]


def find_source(doc_id: str, roots: list[Path]) -> Path | None:
    for root in roots:
        if not root.exists():
            continue
        for ext in SOURCE_SUFFIXES:
            p = root / f"{doc_id}{ext}"
            if p.exists():
                return p
        for p in sorted(root.rglob(f"{doc_id}.*")):
            if p.suffix in SOURCE_SUFFIXES:
                return p
    return None


def build_gold_documents(gold_rows: list[dict], roots: list[Path] | None = None) -> dict[str, Document]:
    roots = roots or default_source_roots()
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for r in gold_rows:
        by_doc[r["doc"]].append(r)
    processor = None
    docs = {}
    for doc_id, rows in sorted(by_doc.items()):
        src = find_source(doc_id, roots)
        if src is not None:
            processor = processor or DocumentProcessor(Settings(jobs=1, stages=()))
            try:
                docs[doc_id] = processor.process(src, doc_id=doc_id)
                continue
            except DocumentError:
                pass
        docs[doc_id] = _stand_in(doc_id, rows)
    return docs


def _stand_in(doc_id: str, rows: list[dict]) -> Document:
    text = "\n".join(r["text"] for r in rows)
    doc = Document(doc_id=doc_id, path="", format="txt", sha256=hashlib.sha256(text.encode()).hexdigest(), text=text)
    pos = 0
    for i, r in enumerate(rows):
        start, end = pos, pos + len(r["text"])
        pos = end + 1
        sec = r.get("section", "")
        doc.sentences.append(Sentence(start=start, end=end, text=r["text"], kind="body", lang=r.get("lang", "zh"),
                                      page=None, section_path=[sec] if sec else [], block_index=i, index=i))
    return doc
