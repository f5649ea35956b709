"""Word co-occurrence network (KH Coder's co-occurrence network): the most frequent words as nodes,
an edge between two words used in the same sentence (or paragraph), strength by Jaccard
coefficient; written as GraphML or GEXF for Gephi/networkx, or listed as rows."""
from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from ..errors import LitmineError, Msg
from .common import Filters, TokenCleaner, iter_sentences

UNITS = ("sentence", "paragraph")


@dataclass
class CoocNetwork:
    nodes: list[dict[str, Any]] = field(default_factory=list)  # term, count (units using it), lang
    edges: list[dict[str, Any]] = field(default_factory=list)  # source, target, count, jaccard
    unit: str = "sentence"
    units: int = 0  # units counted

    def to_networkx(self) -> Any:
        import networkx as nx

        g = nx.Graph(name="litmine co-occurrence", unit=self.unit, units=self.units)
        for n in self.nodes:
            g.add_node(n["term"], label=n["term"], count=n["count"], lang=n["lang"])
        for e in self.edges:
            g.add_edge(e["source"], e["target"], weight=e["jaccard"], count=e["count"])
        return g

    def write(self, path: str | Path, *, force: bool = False) -> Path:
        """GraphML (.graphml) or GEXF (.gexf), chosen by the file's suffix."""
        from ..export.graph import write_graph

        return write_graph(self.to_networkx(), Path(path), force=force)

    def rows(self) -> list[dict[str, Any]]:
        return list(self.edges)


def cooc(conn: sqlite3.Connection, *, unit: str = "sentence", top_terms: int = 60, min_count: int = 3,
         max_edges: int = 120, filters: Filters | None = None, stopwords: Path | list[str] | None = None,
         stopwords_dir: Path | None = None) -> CoocNetwork:
    """Python twin of `litmine cooc`: the `top_terms` words used in the most units (at least
    `min_count`), and the `max_edges` strongest pairs among them by Jaccard coefficient
    (units with both / units with either), ties by count."""
    if unit not in UNITS:
        raise LitmineError(Msg.BAD_FORMAT.format(value=unit, choices=", ".join(UNITS)))
    cleaner = TokenCleaner(stopwords_dir, stopwords)
    filters = filters or Filters()
    # two streamed passes (document frequencies, then pairs among the kept words): a large corpus's
    # units never sit in memory
    df: Counter[str] = Counter()
    lang_of: dict[str, Counter[str]] = {}
    n_units = 0
    for words, lang in _units(conn, filters, unit, cleaner):
        n_units += 1
        df.update(words)
        for w in words:
            lang_of.setdefault(w, Counter())[lang] += 1
    kept = [w for w, n in sorted(df.items(), key=lambda x: (-x[1], x[0])) if n >= min_count][:top_terms]
    keep = set(kept)
    pairs: Counter[tuple[str, str]] = Counter()
    for words, _ in _units(conn, filters, unit, cleaner):
        pairs.update(combinations(sorted(words & keep), 2))
    edges: list[dict[str, Any]] = []
    for (a, b), n in pairs.items():
        jac = n / (df[a] + df[b] - n)
        edges.append({"source": a, "target": b, "count": n, "jaccard": round(jac, 4)})
    edges.sort(key=lambda e: (-e["jaccard"], -e["count"], e["source"], e["target"]))
    edges = edges[:max_edges] if max_edges else edges
    nodes = [{"term": w, "count": df[w], "lang": lang_of[w].most_common(1)[0][0]} for w in kept]
    return CoocNetwork(nodes, edges, unit, n_units)


def _units(conn: sqlite3.Connection, filters: Filters, unit: str, cleaner: TokenCleaner):
    """(set of words, lang) per sentence, or per paragraph (the sentences of one block)."""
    key: tuple[str, Any] | None = None
    acc: set[str] = set()
    lang = ""
    for r in iter_sentences(conn, filters):
        words = set(cleaner.clean(r["tokens"], r["lang"]))
        if unit == "sentence":
            if words:
                yield words, r["lang"]
            continue
        k = (r["doc_id"], r["block"])
        if k != key:
            if acc:
                yield acc, lang
            key, acc, lang = k, set(), r["lang"]
        acc |= words
    if acc:
        yield acc, lang
