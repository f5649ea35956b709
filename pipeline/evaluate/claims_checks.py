"""Claim checks beyond the gold: the shared work reports nobody annotated, and gold documents made
harder the way held-out documents are.

1. `report_smoke()`: every work report has a shortcomings paragraph, so each of the 29 provincial
   and 61 State Council reports (1954–2025; the NPC resolutions in the same file are not
   reports) must get problem sentences, and a report is mostly review and tasks,
   so fewer than half its sentences may be background.
2. `stress()`: leave-one-document-out on altered copies of the gold documents whose source is a
   text file: part headings without their numbering ("一、" dropped), and no part headings at all.
   The gold sentences are unchanged, so the scores compare directly with `litmine evaluate`.

    python -m pipeline.evaluate.claims_checks smoke     # the reports, with the shipped model
    python -m pipeline.evaluate.claims_checks stress    # LOO on altered gold documents
"""
from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from pipeline.document.model import Document

_NUMBERED_PART = re.compile(r"^(\s*)([一二三四五六七八九十]+、)(.{2,30})$", re.M)


def report_documents() -> list[Document]:
    """The shared work reports (provincial .txt files and the State Council reports) as Documents."""
    from pipeline.training.claims_corpus import CorpusSpec, load_corpus

    return [cd.doc for cd in load_corpus(CorpusSpec(sources=("reports",), national_from_year=0))]


def report_smoke(docs: list[Document] | None = None, models_dir: Path | None = None) -> dict[str, Any]:
    """Per report: sentences, problem sentences, background share; and the reports that fail."""
    from pipeline.settings import DEFAULT_MODELS
    from pipeline.tagging import ClaimTagger

    tagger = ClaimTagger.load(models_dir or DEFAULT_MODELS)
    docs = docs if docs is not None else report_documents()
    per: dict[str, dict[str, Any]] = {}
    for doc in docs:
        labels = Counter(c.label for c in tagger.tag_document(doc))
        n = sum(labels.values())
        per[doc.doc_id] = {"sentences": n, **{k: labels.get(k, 0) for k in ("problem", "countermeasure",
                                                                            "achievement", "background")},
                           "background_share": round(labels.get("background", 0) / max(n, 1), 3)}
    no_problem = sorted(d for d, m in per.items() if m["problem"] == 0)
    mostly_bg = sorted(d for d, m in per.items() if m["background_share"] >= 0.5)
    return {"reports": len(per), "no_problem": no_problem, "mostly_background": mostly_bg, "per_report": per}


def _drop_numbering(text: str) -> str:
    return _NUMBERED_PART.sub(lambda m: m.group(1) + m.group(3), text)


def _drop_part_headings(text: str) -> str:
    return _NUMBERED_PART.sub("", text)


ALTERATIONS: dict[str, Callable[[str], str]] = {
    "unnumbered part headings": _drop_numbering,
    "no part headings": _drop_part_headings,
}


def stress(gold_dir: Path) -> dict[str, dict[str, float]]:
    """LOO macro-F1 (over labels present) per altered text gold document and alteration."""
    from pipeline.build import DocumentProcessor
    from pipeline.evaluate.claims import claims_to_rows, load_gold_claims, score_claims
    from pipeline.gold.documents import build_gold_documents, default_source_roots, find_source
    from pipeline.settings import Settings
    from pipeline.tagging import ClaimTagger
    from pipeline.training.claims import ClaimTrainer

    gold = load_gold_claims(gold_dir)
    docs = build_gold_documents(gold)
    trainer = ClaimTrainer(gold, [], docs)
    proc = DocumentProcessor(Settings(jobs=1, stages=()))
    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="litmine-stress-") as tmp:
        for d in docs:
            src = find_source(d, default_source_roots())
            if src is None or src.suffix != ".txt":
                continue
            text = src.read_text(encoding="utf-8")
            tagger = ClaimTagger.from_model(trainer.fit({d}), trainer.lexicon_dir)
            g = [r for r in gold if r["doc"] == d]
            row: dict[str, float] = {"as is": score_claims(claims_to_rows(docs[d], tagger.tag_document(docs[d])),
                                                           g)["macro_f1_present"]}
            for name, alter in ALTERATIONS.items():
                changed = alter(text)
                if changed == text:
                    continue
                path = Path(tmp) / src.name
                path.write_text(changed, encoding="utf-8")
                doc = proc.process(path, doc_id=d)
                row[name] = score_claims(claims_to_rows(doc, tagger.tag_document(doc)), g)["macro_f1_present"]
            out[d] = row
    return out


def main(argv: list[str]) -> int:
    if argv[:1] == ["smoke"]:
        r = report_smoke()
        for d, m in sorted(r["per_report"].items()):
            print(f"{d:<28} sentences {m['sentences']:>4}  problem {m['problem']:>3}  countermeasure "
                  f"{m['countermeasure']:>4}  achievement {m['achievement']:>4}  background {m['background']:>3}"
                  f" ({m['background_share']:.0%})")
        print(f"{r['reports']} reports; no problem sentence: {len(r['no_problem'])} {r['no_problem']};"
              f" mostly background: {len(r['mostly_background'])} {r['mostly_background']}")
        return 0
    if argv[:1] == ["stress"]:
        gold = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[3] / "shared" / "gold" / "dev"
        for d, row in stress(gold).items():
            print(d, "  ".join(f"{k}: {v:.3f}" for k, v in row.items()))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
