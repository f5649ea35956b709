"""Rebuild the learned word lists of the statistics rules (models/statistics/).

    .venv/bin/python -m pipeline.devtools.build_stats_lexicon np-breaks   # from jieba's dictionary
    .venv/bin/python -m pipeline.devtools.build_stats_lexicon metrics     # from the shared corpus

metric_lexicon.tsv: the metric names figures are given across the corpus — every tail (2–12 characters)
of the words right before a figure (全省地区生产总值增长5.8% → 地区生产总值, 生产总值, 总值), kept when it
stands before figures in at least 3 documents and starts where many different words end (left branching
entropy ≥ 1 bit) or often stands alone. Learned on the
29 provincial and 72 national government work reports, the default corpus and the Chinese science
abstracts, leaving out every document of the dev gold (--gold) so that dev figures stay held out.

models/gazetteer/world_en.tsv: English names of countries and of US states (pycountry's ISO 3166
data: name, common and official names; subdivisions of type State of US), each with its canonical
name — China is 中国, the name the Chinese gazetteer uses — for English subjects
(`pip install pycountry` first; the version is written in the header).

np_breaks.txt: words that end a Chinese noun phrase (jieba dictionary tags v/vd/vi/d/ad/p/c/b, 2–4
characters, frequency ≥ 20) — where the noun counted by a bare 万/亿 figure stops (6100万湖北人民备受…).
Each file starts with a header naming its source and the SHA-256 of the data it was built from.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import math
import re
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models" / "statistics"
SHARED = REPO / ".." / "shared"
BREAK_TAGS = ("v", "vd", "vi", "d", "ad", "p", "c", "b")


def build_np_breaks(out: Path) -> int:
    import jieba

    src = Path(jieba.__file__).parent / "dict.txt"
    data = src.read_bytes()
    words = {}
    for line in data.decode("utf-8").splitlines():
        w, freq, tag = line.split()
        if 2 <= len(w) <= 4 and int(freq) >= 20 and tag in BREAK_TAGS:
            words[w] = tag
    head = (f"# words that end a Chinese noun phrase: jieba {jieba.__version__} dict.txt, tags {'/'.join(BREAK_TAGS)},"
            f" 2-4 characters, frequency >= 20\n# source sha256 {hashlib.sha256(data).hexdigest()}\n"
            "# rebuild: python -m pipeline.devtools.build_stats_lexicon np-breaks\n# word<TAB>jieba tag\n")
    out.write_text(head + "".join(f"{w}\t{t}\n" for w, t in sorted(words.items())), encoding="utf-8")
    return len(words)


def _texts(shared: Path, exclude: set[str]) -> Iterator[tuple[str, str]]:
    """(doc id, text) of the learning corpus, in a fixed order."""
    gw = shared / "realdata/text/zh/gov_work_reports"
    for p in sorted((gw / "provincial_2025").glob("*.txt")):
        if p.stem not in exclude:
            yield p.stem, p.read_text(encoding="utf-8")
    nat = gw / "national_1954_2025_wikisource.jsonl"
    for i, line in enumerate(nat.read_text(encoding="utf-8").splitlines()):
        r = json.loads(line)
        yield f"national_{i:02d}", (r.get("title") or "") + "\n" + r["content"]
    for p in sorted((REPO / "corpus").glob("*.txt")):
        if p.stem not in exclude:
            yield p.stem, p.read_text(encoding="utf-8")
    abstracts = shared / "realdata/text/scale/zh_sci_abstracts_dedup.jsonl"
    if abstracts.exists():
        for line in abstracts.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            yield str(r.get("id")), str(r.get("text") or "")


def _gold_docs(gold: Path | None) -> set[str]:
    out: set[str] = set()
    if gold and gold.is_dir():
        for f in gold.glob("*.jsonl"):
            for line in f.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    r = json.loads(line)
                    out |= {v for k, v in r.items() if k == "doc" and isinstance(v, str)}
    return out


def metric_observations(texts: Iterator[tuple[str, str]]) -> tuple[list[tuple[str, str, bool]], str]:
    """(doc id, the words a figure's own clause names it by, whether another figure comes before it in
    its sentence) for every Chinese quantity in the texts, and the SHA-256 of the texts."""
    from ..statistics.context import find_years
    from ..statistics.core import inside
    from ..statistics.lexicon import load_lexicon
    from ..statistics.zh.figures import find_figures, masked_spans, qualify
    from ..statistics.zh.metric import own_words
    from ..statistics.zh.subject import mentions_in

    lex = load_lexicon()
    h = hashlib.sha256()
    out: list[tuple[str, str, bool]] = []
    for doc_id, text in texts:
        h.update(doc_id.encode() + b"\0" + text.encode() + b"\0")
        m = re.search(r"((?:1[89]|20)\d{2})\s*年", text[:200])
        doc_year = int(m.group(1)) if m else None
        for sent in re.split(r"(?<=[。！？；;!?])|\n", text):
            if not re.search(r"[\u4e00-\u9fff]", sent) or not re.search(r"[0-9０-９十百千万亿]", sent):
                continue
            figs = find_figures(sent, lex)
            quantities = [f for f in figs if f.kind == "quantity"]
            if not quantities:
                continue
            for f in figs:
                qualify(sent, f, lex)
            masked = masked_spans(sent)
            years = [y for y in find_years(sent, doc_year, with_base=True) if not inside(masked, y.start, y.end)]
            mentions = mentions_in(sent, lex)
            for i, f in enumerate(quantities):
                w = own_words(sent, f, figs, mentions, years, lex)
                if w:
                    out.append((doc_id, w, i > 0))
    return out, h.hexdigest()


def learn_metric_lexicon(obs: list[tuple[str, str, bool]], min_docs: int = 3) -> list[tuple[str, str, int, int, float, float]]:
    """(phrase, kind, documents, occurrences, left entropy, alone share) for the accepted metric names
    (kind is "metric"; the column leaves room for other kinds of names)."""
    docs: dict[str, set[str]] = collections.defaultdict(set)
    n: collections.Counter[str] = collections.Counter()
    alone: collections.Counter[str] = collections.Counter()
    left: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for doc_id, w, _after_other in obs:
        w = re.sub(r"\s+", "", w)
        for k in range(2, min(12, len(w)) + 1):
            t = w[-k:]
            if not re.fullmatch(r"[\u4e00-\u9fffA-Za-z0-9“”]+", t):
                break
            docs[t].add(doc_id)
            n[t] += 1
            left[t][w[-k - 1] if k < len(w) else "^"] += 1
            if k == len(w):
                alone[t] += 1
    rows = []
    for t, c in n.items():
        if len(docs[t]) < min_docs or t[0] in "的和及与了在为是等其并或中" or t[-1] in "的和及与了在为是等并或":
            continue
        tot = sum(left[t].values())
        ent = -sum(v / tot * math.log2(v / tot) for v in left[t].values())
        share = alone[t] / c
        if ent < 1.0 and share < 0.3:
            continue  # a fragment of a longer name (区生产总值 is always 地区生产总值)
        kind = "metric"
        rows.append((t, kind, len(docs[t]), c, round(ent, 2), round(share, 2)))
    rows.sort(key=lambda r: (-r[2], -r[3], r[0]))
    return rows


def build_metric_lexicon(out: Path, shared: Path, gold: Path | None) -> int:
    exclude = _gold_docs(gold)
    obs, digest = metric_observations(_texts(shared, exclude))
    rows = learn_metric_lexicon(obs)
    head = ("# metric names learned from the words before figures (python -m pipeline.devtools.build_stats_lexicon"
            " metrics)\n# corpus: 29 provincial + 72 national government work reports, corpus/*.txt, Chinese science"
            f" abstracts; {len(obs)} figures named by their own words\n# left out (dev gold): {', '.join(sorted(exclude))}"
            f"\n# corpus sha256 {digest}\n# phrase<TAB>kind<TAB>documents<TAB>occurrences<TAB>left_entropy<TAB>alone_share\n")
    out.write_text(head + "".join("\t".join(map(str, r)) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def build_world_gazetteer(out: Path) -> int:
    import pycountry

    rows: dict[str, tuple[str, str]] = {}
    for c in pycountry.countries:
        canonical = "中国" if c.alpha_2 == "CN" else getattr(c, "common_name", None) or c.name
        for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if name and "," not in name:
                rows.setdefault(name, (canonical, "country"))
    for sub in pycountry.subdivisions.get(country_code="US") or []:
        if sub.type == "State":
            rows.setdefault(sub.name, (sub.name, "state"))
    data = "".join(f"{k}\t{v[0]}\t{v[1]}\n" for k, v in sorted(rows.items()))
    head = (f"# English country and US state names → canonical name; pycountry {pycountry.__version__} (ISO 3166)\n"
            f"# data sha256 {hashlib.sha256(data.encode()).hexdigest()}\n"
            "# rebuild: pip install pycountry; python -m pipeline.devtools.build_stats_lexicon gazetteer\n"
            "# name<TAB>canonical<TAB>type\n")
    out.write_text(head + data, encoding="utf-8")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["np-breaks", "metrics", "gazetteer"])
    ap.add_argument("--shared", type=Path, default=SHARED, help="the shared data directory (default ../shared)")
    ap.add_argument("--gold", type=Path, default=SHARED / "gold" / "dev", help="gold dir whose documents are left out")
    args = ap.parse_args(argv)
    if args.what == "gazetteer":
        out = REPO / "models" / "gazetteer" / "world_en.tsv"
        print(f"{build_world_gazetteer(out)} names → {out}")
    if args.what == "metrics":
        n = build_metric_lexicon(MODELS / "metric_lexicon.tsv", args.shared, args.gold)
        print(f"{n} metric names → {MODELS / 'metric_lexicon.tsv'}")
    if args.what == "np-breaks":
        n = build_np_breaks(MODELS / "np_breaks.txt")
        print(f"{n} words → {MODELS / 'np_breaks.txt'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
