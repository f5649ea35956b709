"""Learn the linking resources in models/linking/ from the shared unlabelled real texts — one
command, deterministic, with the training data's hash recorded:

    python -m pipeline.linking.learn                 # reads ../shared/realdata, writes models/linking/
    python -m pipeline.linking.learn --shared DIR --out DIR

Writes `terms.tsv.gz` (feature document frequencies → IDF), `boilerplate.tsv` (phrases frequent
across documents → down-weighted), `vectors.npz` (gensim word2vec over the same sentences: words
as vectors, for similarity beyond shared words) and `learned.json` (data hash, sizes, settings).
Training texts: the government work reports (29 provincial 2025 + 72 national), the 12,179 Chinese
science abstracts, the NBER English abstracts and the seed papers. No labels are used.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Iterator

import numpy as np

from .text import Stopwords, cjk_bigrams, content_words
from .weights import BP_N, CJK_RUN

LEARN_VERSION = "1"
SENT_SPLIT = re.compile(r"(?<=[。！？!?；;])|(?<=\.)\s+(?=[A-Z])|\n+")
MIN_DF = 3  # features seen in fewer sentences are not stored (they count as rare anyway)
COMMON_DF = 0.02
BP_MIN_DOCS = 0.05  # a phrase in ≥ 5% of a family's documents is a boilerplate candidate
BP_SCALE = 0.3  # multiplier 1 / (1 + (share / BP_SCALE)²): 30% of documents → 0.5


def training_documents(shared: Path) -> Iterator[tuple[str, str, str, str]]:
    """(family, doc key, lang, text) of every training document, in a fixed order."""
    real = shared / "realdata" / "text"
    gov = real / "zh" / "gov_work_reports"
    for p in sorted((gov / "provincial_2025").glob("*.txt")):
        yield "reports", p.name, "zh", p.read_text(encoding="utf-8")
    with open(gov / "national_1954_2025_wikisource.jsonl", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            r = json.loads(line)
            yield "reports", f"national:{i}", "zh", r.get("title", "") + "\n" + r.get("content", "")
    with open(real / "scale" / "zh_sci_abstracts_dedup.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            yield "zh_abstracts", r["id"], "zh", r.get("title", "") + "。\n" + r.get("text", "")
    with open(real / "en" / "nber_si_abstracts" / "nber_si_abstracts_nonempty.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            yield "en_abstracts", r["id"], "en", r.get("title", "") + ".\n" + r.get("abstract", "")
    for p in sorted((shared / "seeds").glob("*.txt")):
        yield "papers", p.name, "zh", p.read_text(encoding="utf-8")


def _lang(text: str) -> str:
    cjk = len(CJK_RUN.findall(text))
    return "zh" if cjk else "en"


def learn(shared: Path, out: Path, models_dir: Path, *, dim: int = 64, min_count: int = 8, seed: int = 1) -> dict:
    from ..segment import Segmenter

    seg = Segmenter(models_dir)
    stop = Stopwords.load(models_dir / "linking")
    df: collections.Counter[str] = collections.Counter()
    fam_docs: dict[str, int] = collections.Counter()
    fam_grams: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    sentences: list[list[str]] = []
    h = hashlib.sha256()
    n_sent = 0
    for family, key, _lang_hint, text in training_documents(shared):
        h.update(f"{family}\x1f{key}\x1f".encode() + text.encode("utf-8"))
        norm = unicodedata.normalize("NFKC", text)
        fam_docs[family] += 1
        grams: set[str] = set()
        for run in CJK_RUN.findall(norm):
            grams.update(run[i:i + BP_N] for i in range(len(run) - BP_N + 1))
        fam_grams[family].update(grams)
        for s in SENT_SPLIT.split(norm):
            s = s.strip()
            if len(s) < 4:
                continue
            lang = _lang(s)
            toks = seg.tokens(s, lang)
            feats = content_words(s, " ".join(toks), lang, stop)
            if lang == "zh":
                feats = feats + cjk_bigrams(s)
            if not feats:
                continue
            n_sent += 1
            df.update(set(feats))
            words = [t for t in toks if len(t) >= 2 or not t.isascii()]
            if len(words) >= 3:
                sentences.append(words)
    bp: dict[str, float] = {}
    for family, counter in sorted(fam_grams.items()):
        n = fam_docs[family]
        if n < 20:  # too few documents to tell a formula from a shared topic
            continue
        for g, c in counter.items():
            share = c / n
            if share >= BP_MIN_DOCS and c >= 5:
                mult = round(1.0 / (1.0 + (share / BP_SCALE) ** 2), 3)
                bp[g] = min(bp.get(g, 1.0), mult)
    out.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(out / "terms.tsv.gz", "wb", mtime=0) as gz:
        body = "".join(f"{t}\t{c}\n" for t, c in sorted(df.items()) if c >= MIN_DF)
        gz.write(body.encode("utf-8"))
    (out / "boilerplate.tsv").write_text(
        "# phrase\tweight multiplier (learned by pipeline.linking.learn: share of documents of a family)\n"
        + "".join(f"{g}\t{w}\n" for g, w in sorted(bp.items())), encoding="utf-8")
    vocab_n = _train_vectors(sentences, out / "vectors.npz", dim=dim, min_count=min_count, seed=seed)
    meta = {"version": LEARN_VERSION, "data_sha256": h.hexdigest(), "sentences": n_sent,
            "documents": dict(sorted(fam_docs.items())), "terms": sum(1 for c in df.values() if c >= MIN_DF),
            "min_df": MIN_DF, "common_df": COMMON_DF, "boilerplate_phrases": len(bp),
            "boilerplate": {"n": BP_N, "min_share": BP_MIN_DOCS, "scale": BP_SCALE},
            "vectors": {"engine": "gensim word2vec skip-gram", "dim": dim, "min_count": min_count, "seed": seed,
                        "words": vocab_n, "workers": 1},
            "rebuild": "python -m pipeline.linking.learn"}
    (out / "learned.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                      encoding="utf-8")
    return meta


def _train_vectors(sentences: list[list[str]], path: Path, *, dim: int, min_count: int, seed: int) -> int:
    """Word2vec with one worker and a fixed seed (deterministic); stored as float16 + word list."""
    from gensim.models import Word2Vec

    model = Word2Vec(sentences=sentences, vector_size=dim, window=5, min_count=min_count, sg=1, negative=5,
                     epochs=5, workers=1, seed=seed)
    kv = model.wv
    words = list(kv.index_to_key)
    vecs = np.asarray(kv.vectors, dtype=np.float32)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
    np.savez_compressed(path, words=np.array(words, dtype=object).astype(str), vectors=vecs.astype(np.float16))
    return len(words)


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="example: python -m pipeline.linking.learn --shared ../shared --out models/linking")
    ap.add_argument("--shared", type=Path, default=root.parent / "shared")
    ap.add_argument("--out", type=Path, default=root / "models" / "linking")
    ap.add_argument("--models", type=Path, default=root / "models")
    a = ap.parse_args(argv)
    if not (a.shared / "realdata").is_dir():
        print(f"Error: no shared texts at {a.shared}/realdata (pass --shared DIR)", file=sys.stderr)
        return 2
    meta = learn(a.shared, a.out, a.models)
    print(json.dumps({k: meta[k] for k in ("sentences", "terms", "boilerplate_phrases", "data_sha256")}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
