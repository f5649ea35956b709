"""Rebuild the learned word lists of the statistics rules (models/statistics/).

    .venv/bin/python -m pipeline.devtools.build_stats_lexicon np-breaks   # from jieba's dictionary
    .venv/bin/python -m pipeline.devtools.build_stats_lexicon metrics     # from the shared corpus

np_breaks.txt: words that end a Chinese noun phrase (jieba dictionary tags v/vd/vi/d/ad/p/c/b, 2–4
characters, frequency ≥ 20) — where the noun counted by a bare 万/亿 figure stops (6100万湖北人民备受…).
Each file starts with a header naming its source and the SHA-256 of the data it was built from.
"""
from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

MODELS = Path(__file__).resolve().parents[2] / "models" / "statistics"
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["np-breaks"])
    args = ap.parse_args(argv)
    if args.what == "np-breaks":
        n = build_np_breaks(MODELS / "np_breaks.txt")
        print(f"{n} words → {MODELS / 'np_breaks.txt'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
