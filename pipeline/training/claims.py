"""Training the claim classifier (`litmine train`; leave-one-document-out folds in evaluate/).

What it learns from (claims_corpus, claims_weak): weak labels read off the structure of the shared
real documents (~100 work reports, papers, policy sentences, abstracts, English texts), the gold
rows and the user's corrections (gold and corrections replace the weak labels of their documents).
How (claims_model): a logistic regression over sentence n-grams and context features, written as
model.json + meta.json (training data sha256, sources, counts) beside a copy of the lexicons.

One `ClaimTrainer` reads everything once; `fit(exclude)` then trains without some documents, which
is how the folds of `litmine evaluate` stay cheap and honest: a held-out document's gold rows,
corrections and weak labels are all left out.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from ..document.model import Document
from ..gold.documents import build_gold_documents
from ..gold.matching import normalize
from ..tagging import rules as R
from ..tagging.claims import META_FILE, MODEL_FILE, PRODUCER, VERSION
from .claims_corpus import CorpusDoc, CorpusSpec, corpus_hash, load_corpus, source_files
from .claims_model import Design, Examples, fit, gold_examples, merge, weak_examples, weak_records
from .claims_weak import WEAK_FILE, WeakRules

LEXICON_FILES = ("cues.tsv", "headings.tsv", WEAK_FILE)
ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = ROOT / "outputs" / "cache" / "claims"
# code that decides what the weak records are: reading, structure, segmentation, context, labels
_CODE_DIRS = ("pipeline/extract", "pipeline/segment", "pipeline/tagging")
_CODE_FILES = ("pipeline/training/claims_corpus.py", "pipeline/training/claims_weak.py",
               "pipeline/training/claims_model.py", "pipeline/document/model.py")


def fingerprint(spec: CorpusSpec, lexicon_dir: Path) -> str:
    """sha256 of the corpus files, the lexicons, the jieba dictionary and the code reading them."""
    h = hashlib.sha256(f"{corpus_hash(spec)} {sorted(spec.sources)} {spec.max_abstracts} {spec.national_from_year}"
                       .encode())
    files = [ROOT / f for f in _CODE_FILES] + [p for d in _CODE_DIRS for p in sorted((ROOT / d).rglob("*.py"))]
    files += [Path(lexicon_dir) / n for n in LEXICON_FILES] + [R.DEFAULT_MODELS_DIR.parent / "jieba_userdict.txt"]
    for f in files:
        if f.exists():
            h.update(f.name.encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()
# chosen once by leave-one-document-out on the dev gold, then frozen
FIT_OPTIONS = {"C": 1.0, "class_power": 0.5, "min_df": 3, "max_features": 40000, "solver": "sgd"}
CORRECTION_WEIGHT = 3.0


def _sha256_rows(rows: list[dict]) -> str:
    h = hashlib.sha256()
    for r in rows:
        h.update(json.dumps(r, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def _apply_corrections(gold: list[dict], corrections: list[dict]) -> tuple[list[dict], list[dict]]:
    """(gold rows with corrected labels, corrections that match no gold row)."""
    rows = [dict(r) for r in gold]
    by_key = {(r["doc"], normalize(r["text"])): r for r in rows}
    extra = []
    for c in corrections:
        key = (c["doc"], normalize(c["text"]))
        if key in by_key:
            by_key[key]["label"] = c["label"]
        else:
            extra.append({"doc": c["doc"], "text": c["text"], "label": c["label"], "lang": c.get("lang")})
    return rows, extra


class ClaimTrainer:
    """Everything the classifier is trained on, read and featurised once."""

    def __init__(self, gold: list[dict], corrections: list[dict] | None = None,
                 docs: dict[str, Document] | None = None, corpus: list[CorpusDoc] | None = None,
                 spec: CorpusSpec | None = None, lexicon_dir: Path = R.DEFAULT_MODELS_DIR):
        self.lexicon_dir = Path(lexicon_dir)
        self.cues, self.headings = R.load_rule_lexicons(self.lexicon_dir)
        self.rules = WeakRules.load(self.lexicon_dir)
        self.spec = spec or CorpusSpec()
        self.corrections = list(corrections or [])
        self.gold, extra = _apply_corrections(gold, self.corrections)
        self.docs = dict(docs or {})
        missing = [r for r in self.gold + extra if r["doc"] not in self.docs]
        if missing:
            self.docs.update(build_gold_documents(missing))
        self.records, self.corpus_documents = self._weak_records(corpus)
        supervised = {r["doc"] for r in self.gold + extra}
        weak = weak_examples(self.records, skip_docs=supervised)
        self.examples: Examples = merge(
            weak,
            gold_examples(self.gold, self.docs, self.cues, self.headings),
            gold_examples(extra, self.docs, self.cues, self.headings, weight=CORRECTION_WEIGHT, origin="correction"))
        self.design = Design(self.examples)

    def _weak_records(self, corpus: list[CorpusDoc] | None) -> tuple[list[dict], dict[str, str]]:
        """Weak records of the corpus (and doc id -> source), from the cache when the corpus files,
        the lexicons and the code that reads and labels them are unchanged."""
        if corpus is not None:
            return (weak_records(corpus, self.cues, self.headings, self.rules),
                    {cd.doc.doc_id: cd.source for cd in corpus})
        key = fingerprint(self.spec, self.lexicon_dir)
        path = CACHE_DIR / f"weak-{key[:24]}.json.gz"
        if path.exists():
            try:
                with gzip.open(path, "rt", encoding="utf-8") as fh:
                    data = json.load(fh)
                return data["records"], data["documents"]
            except (OSError, ValueError, KeyError):
                pass
        docs = load_corpus(self.spec)
        records = weak_records(docs, self.cues, self.headings, self.rules)
        documents = {cd.doc.doc_id: cd.source for cd in docs}
        try:
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            with gzip.open(tmp, "wt", encoding="utf-8") as fh:
                json.dump({"records": records, "documents": documents}, fh, ensure_ascii=False)
            tmp.replace(path)
        except OSError:
            pass  # a read-only checkout just does not cache
        return records, documents

    def fit(self, exclude_docs: set[str] | None = None, **options: Any) -> dict:
        exclude = set(exclude_docs or ())
        opts = {**FIT_OPTIONS, **options}
        model = fit(self.design, self.design.rows_without(exclude), **opts)
        model["version"] = VERSION
        model["training"] = self.meta(exclude, model, opts)
        return model

    def meta(self, exclude: set[str], model: dict, opts: dict) -> dict:
        ex = self.examples
        keep = [i for i, d in enumerate(ex.docs) if d not in exclude]
        by_origin: dict[str, Counter] = {}
        for i in keep:
            kind = ex.origin[i].split(":")[0] if not ex.origin[i].startswith("weak:") else \
                "weak:" + ex.origin[i].split(":")[1]
            by_origin.setdefault(kind, Counter())[ex.labels[i]] += 1
        lex = {name: hashlib.sha256((self.lexicon_dir / name).read_bytes()).hexdigest()
               for name in LEXICON_FILES if (self.lexicon_dir / name).exists()}
        gold = [r for r in self.gold if r["doc"] not in exclude]
        corr = [c for c in self.corrections if c.get("doc") not in exclude]
        parts = {
            "corpus_sha256": corpus_hash(self.spec),
            "gold_sha256": _sha256_rows([{k: r.get(k) for k in ("doc", "text", "label")} for r in gold]),
            "corrections_sha256": _sha256_rows(corr),
            "weak_records_sha256": _sha256_rows([r for r in self.records if r["doc"] not in exclude]),
            "lexicons_sha256": lex,
            "excluded_docs": sorted(exclude),
            "fit": opts,
        }
        sources: Counter = Counter(src for d, src in self.corpus_documents.items() if d not in exclude)
        return {
            "producer": PRODUCER,
            "sha256": _sha256_rows([parts]),
            **parts,
            "corpus_files": [str(p.relative_to(self.spec.realdata.parent)) if p.is_relative_to(self.spec.realdata.parent)
                             else p.name for p in source_files(self.spec)],
            "corpus_documents": dict(sorted(sources.items())),
            "gold_docs": sorted({r["doc"] for r in gold}),
            "n_gold_rows": len(gold),
            "n_corrections": len(corr),
            "examples": {k: dict(sorted(v.items())) for k, v in sorted(by_origin.items())},
            "n_examples": model.get("n_examples"),
            "n_features": len(model["vocab"]) + len(model["context_vocab"]),
            "rebuild": "litmine train --gold ../shared/gold/dev --save-to models/claims  (or: make train)",
        }


def write_model(model: dict, out_dir: Path, lexicon_dir: Path = R.DEFAULT_MODELS_DIR) -> None:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MODEL_FILE).write_text(json.dumps(model, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    (out_dir / META_FILE).write_text(json.dumps(model["training"], ensure_ascii=False, sort_keys=True, indent=1)
                                     + "\n", encoding="utf-8")
    if Path(lexicon_dir).resolve() != out_dir.resolve():
        for name in LEXICON_FILES:
            if (Path(lexicon_dir) / name).exists():
                (out_dir / name).write_bytes((Path(lexicon_dir) / name).read_bytes())


def train_claims(gold_dir: Path, corrections: list[dict], out_dir: Path,
                 docs: dict[str, Document] | None = None, exclude_docs: list[str] | None = None,
                 corpus: list[CorpusDoc] | None = None, spec: CorpusSpec | None = None) -> dict:
    """Train on the shared corpora's weak labels + gold_dir/claims.jsonl + corrections and write
    out_dir/model.json, meta.json and a copy of the lexicons it was trained with. Returns the metadata.

    docs: Documents giving the gold sentences their real context; gold documents not in it are
    rebuilt from their source (pipeline.gold.documents). exclude_docs: left out entirely.
    corpus / spec: the weak-label corpus (default: everything load_corpus finds under ../shared).
    """
    gold_path = Path(gold_dir) / "claims.jsonl"
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()] \
        if gold_path.exists() else []
    lexicon_dir = Path(out_dir) if (Path(out_dir) / "cues.tsv").exists() else R.DEFAULT_MODELS_DIR
    trainer = ClaimTrainer(gold, corrections, docs, corpus=corpus, spec=spec, lexicon_dir=lexicon_dir)
    model = trainer.fit(set(exclude_docs or ()))
    write_model(model, out_dir, lexicon_dir)
    return model["training"]

