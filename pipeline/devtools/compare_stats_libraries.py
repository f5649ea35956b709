"""Our number reading against peer libraries on the gold statistics (the measurement behind keeping
our own parser): cn2an and jionlp for Chinese values, quantulum3 for English figures.

    python -m venv /tmp/cmp && /tmp/cmp/bin/pip install cn2an jionlp quantulum3 -e .
    /tmp/cmp/bin/python -m pipeline.devtools.compare_stats_libraries --gold ../shared/gold/dev

Chinese: every gold row with a value (ratios and ranks aside) — the number part of the span (digits,
numerals, 万/亿, 点; 多/余 dropped) is given to each parser; right when the value in base units equals the
gold's (relative error < 1e-9). In the pipeline the figure is read in its sentence (units, counters,
ranges), which `litmine evaluate` scores. English: every gold row of an
English sentence — quantulum3 and our rules read the sentence; a gold row is found when a quantity
with the gold's value is read from it; precision counts the quantities read that match no gold row.
The libraries are not dependencies of litmine: this script only runs where they are installed.
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any, Callable, Optional

from ..gold import load_jsonl

_NUM_PART = re.compile(r"[0-9０-９.,，\s零〇一二两三四五六七八九十百千万亿点多余]+")


def _close(a: Optional[float], b: float) -> bool:
    return a is not None and (abs(a - b) <= 1e-9 * abs(b) if b else a == 0)


def _number_part(span: str) -> str:
    m = _NUM_PART.search(span.replace("百分之", ""))
    return re.sub(r"[\s,，]", "", m.group()) if m else ""


def _ours(span: str) -> Optional[float]:
    from ..statistics.numbers import parse_number

    p = parse_number(_number_part(span).replace("多", "").replace("余", ""))
    return p.value if p else None


def _cn2an(span: str) -> Optional[float]:
    import cn2an

    part = _number_part(span).replace("多", "").replace("余", "")
    try:
        return float(cn2an.cn2an(part, "smart"))
    except Exception:  # cn2an raises ValueError on anything it does not read
        return None


def _jionlp(span: str) -> Optional[float]:
    import jionlp

    part = _number_part(span)
    try:
        r = jionlp.parse_money(part + "元")
    except Exception:  # jionlp raises on inputs it does not read
        return None
    num = r.get("num") if isinstance(r, dict) else None
    if isinstance(num, list):
        num = num[0]
    return float(num) if num is not None else None


def compare_chinese(gold: list[dict[str, Any]]) -> dict[str, Any]:
    rows = [g for g in gold if g.get("value") is not None and re.search(r"[\u4e00-\u9fff]", g.get("sentence", ""))
            and g.get("unit") not in ("ratio", "rank")]
    readers: dict[str, Callable[[str], Optional[float]]] = {"litmine": _ours, "cn2an": _cn2an, "jionlp": _jionlp}
    out: dict[str, Any] = {"rows": len(rows)}
    for name, fn in readers.items():
        try:
            right = [g for g in rows if _close(fn(g["span"]), g["value"])]
        except ImportError:
            out[name] = "not installed"
            continue
        out[name] = len(right)
    return out


def compare_english(gold: list[dict[str, Any]]) -> dict[str, Any]:
    from ..document import Document, Sentence
    from ..statistics import extract_sentence_statistics

    rows = [g for g in gold if g.get("value") is not None and not re.search(r"[\u4e00-\u9fff]", g.get("sentence", ""))]
    by_sentence: dict[str, list[dict[str, Any]]] = {}
    for g in rows:
        by_sentence.setdefault(g["sentence"], []).append(g)

    def ours(s: str) -> list[float]:
        doc = Document("cmp", "cmp.txt", "txt", "0" * 64, text=s, lang="en")
        sent = Sentence(0, len(s), s, "body", "en", None, [], 0)
        return [st.value for st in extract_sentence_statistics(doc, sent) if st.value is not None]

    def quantulum(s: str) -> list[float]:
        from quantulum3 import classifier, parser

        classifier.USE_CLF = False  # its pickled classifier needs another scikit-learn than litmine pins
        return [float(q.value) for q in parser.parse(s)]

    out: dict[str, Any] = {"rows": len(rows), "core": sum(g.get("tier") == "core" for g in rows)}
    for name, fn in (("litmine", ours), ("quantulum3", quantulum)):
        try:
            found = core_found = extra = 0
            for s, gs in by_sentence.items():
                vals = fn(s)
                left = list(vals)
                for g in gs:
                    hit = next((v for v in left if _close(v, g["value"])), None)
                    if hit is not None:
                        left.remove(hit)
                        found += 1
                        core_found += g.get("tier") == "core"
                extra += len(left)
            out[name] = {"found": found, "core_found": core_found, "unmatched_quantities": extra}
        except ImportError:
            out[name] = "not installed"
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=Path(__file__).resolve().parents[2] / ".." / "shared" / "gold" / "dev")
    args = ap.parse_args(argv)
    gold = load_jsonl(args.gold / "stats.jsonl")
    print("Chinese values (span → value in base units), right of", compare_chinese(gold))
    print("English figures (sentence → quantities), gold rows found:", compare_english(gold))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
