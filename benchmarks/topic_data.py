"""Token streams for the topic benchmark (and for eyeballing topics): the default corpus and the
shared 12k Chinese / 503 English abstracts, tokenised the way the pipeline does it (jieba precise
mode + the project user dictionary for zh; lowercase spaCy lookup lemmas for en). Tokens are cached
under outputs/bench/ so repeated runs do not pay for segmentation.

Not the pipeline's segmenter: a stand-in until the index feeds `fit_topics` directly.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Iterator

from pipeline.topics import TopicUnit

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CACHE = ROOT / "outputs" / "bench"
ZH_ABSTRACTS = SHARED / "realdata/text/scale/zh_sci_abstracts_dedup.jsonl"
EN_ABSTRACTS = SHARED / "realdata/text/en/nber_si_abstracts/nber_si_abstracts_nonempty.jsonl"
USERDICT = ROOT / "models" / "jieba_userdict.txt"

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def _jieba():
    import jieba

    tk = jieba.Tokenizer()
    if USERDICT.exists():
        tk.load_userdict(str(USERDICT))
    tk.initialize()
    return tk


def _spacy_en():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def lang_of(text: str) -> str:
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk >= 0.2 * max(1, cjk + latin / 4) and cjk > 0 else "en"


class _Tokenizers:
    def __init__(self) -> None:
        self._zh = None
        self._en = None

    def __call__(self, text: str, lang: str) -> list[str]:
        if lang == "zh":
            if self._zh is None:
                self._zh = _jieba()
            return [t for t in self._zh.cut(text) if t.strip()]
        if self._en is None:
            self._en = _spacy_en()
        # Lowercase first: the lookup table is case-sensitive ("Firms" would stay "firms").
        return [t.lemma_.lower() for t in self._en(text.lower()) if not t.is_space]


def _cached(name: str, source_key: str, build) -> list[dict]:
    CACHE.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256((source_key + USERDICT.read_text("utf-8") if USERDICT.exists() else source_key)
                         .encode()).hexdigest()[:12]
    path = CACHE / f"tokens_{name}_{key}.jsonl"
    if path.exists():
        return [json.loads(line) for line in path.open(encoding="utf-8")]
    rows = build()
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return rows


def zh_abstract_rows(limit: int | None = None) -> list[dict]:
    def build() -> list[dict]:
        tok = _Tokenizers()
        out = []
        for line in ZH_ABSTRACTS.open(encoding="utf-8"):
            d = json.loads(line)
            out.append({"unit_id": d["id"], "doc_id": d["id"], "lang": "zh", "tokens": tok(d["text"], "zh"),
                        "title": d.get("title", "")})
        return out

    rows = _cached("zh_abstracts", f"{ZH_ABSTRACTS}:{ZH_ABSTRACTS.stat().st_size}", build)
    # Ids repeat across the merged sources (CSL dev/test, FewCLUE); units need unique ids.
    seen: dict[str, int] = {}
    for r in rows:
        n = seen.get(r["unit_id"], 0)
        seen[r["unit_id"]] = n + 1
        if n:
            r["unit_id"] = r["doc_id"] = f"{r['unit_id']}#{n}"
    return rows[:limit] if limit else rows


def en_abstract_rows() -> list[dict]:
    def build() -> list[dict]:
        tok = _Tokenizers()
        out = []
        for line in EN_ABSTRACTS.open(encoding="utf-8"):
            d = json.loads(line)
            out.append({"unit_id": d["id"], "doc_id": d["id"], "lang": "en",
                        "tokens": tok(d["abstract"], "en"), "title": d.get("title", "")})
        return out

    return _cached("en_abstracts", f"{EN_ABSTRACTS}:{EN_ABSTRACTS.stat().st_size}", build)


def corpus_rows(corpus: Path = ROOT / "corpus") -> list[dict]:
    """Paragraph units of the default corpus: one non-empty line of a .txt file = one paragraph."""
    files = sorted(corpus.glob("*.txt"))

    def build() -> list[dict]:
        tok = _Tokenizers()
        out = []
        for f in files:
            lines = f.read_text("utf-8").splitlines()
            for i, line in enumerate(lines):
                text = line.strip().strip("|").strip()
                if not text:
                    continue
                lang = lang_of(text)
                out.append({"unit_id": f"{f.stem}:p{i}", "doc_id": f.stem, "lang": lang, "tokens": tok(text, lang),
                            "text": text})
        return out

    key = "|".join(f"{f.name}:{hashlib.sha256(f.read_bytes()).hexdigest()}" for f in files)
    return _cached("corpus", key, build)


def corpus_titles(corpus: Path = ROOT / "corpus") -> dict[str, str]:
    """First line that looks like a title (for the report's heatmap rows)."""
    titles = {}
    for f in sorted(corpus.glob("*.txt")):
        for line in f.read_text("utf-8").splitlines():
            t = line.strip().strip("|").strip()
            if 6 <= len(t) <= 60 and not t.startswith(("摘要", "当前位置")) and "：" not in t[:3]:
                titles[f.stem] = t
                break
        else:
            titles[f.stem] = f.stem
    return titles


def units_of(rows: list[dict], lang: str | None = None):
    """A re-iterable stream (what `fit_topics` expects) over cached rows."""

    def stream() -> Iterator[TopicUnit]:
        for r in rows:
            if lang is None or r["lang"] == lang:
                yield TopicUnit(r["unit_id"], r["doc_id"], r["lang"], r["tokens"])

    return stream
