"""Query-time tokens, identical to the index's (Segmenter.query_terms), without the start-up cost.

A query is a few words, but loading jieba's prefix dictionary (~500k entries, 0.4–1.3 s) and
building spaCy (0.5–0.6 s) for the lemma table cost a `litmine query` command most of its time.
Both are stored once in a small SQLite lexicon (word → frequency, including the prefixes and the
project user dictionary; English lemma lookups) and looked up per character span of the query:
jieba's DAG/route code runs unchanged over a lazy frequency mapping, so the words are the same as
the full dictionary's.

The lexicon lives in the user's cache folder ($XDG_CACHE_HOME/litmine, else ~/.cache/litmine, else
the temp folder), keyed by jieba's version and the hashes of its dictionary, the user dictionary
and the lemma table: editing models/jieba_userdict.txt makes a new one. A rebuild writes it
(its workers have the dictionary loaded anyway); a query that finds none builds it once.
"""
from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator

from ..segment.lemmas import lemma_path, lemma_table

FORMAT = "1"
_PUNCT = re.compile(r"[\W_]+")
# Plain English words: the regex split equals spaCy's tokenizer on these (no affixes, no
# contractions, no special cases); anything else goes through spaCy.
_PLAIN_EN = re.compile(r"[A-Za-z]+(?:\s+[A-Za-z]+)*")


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    for d in (Path(base) / "litmine", Path(tempfile.gettempdir()) / f"litmine-{os.getuid() if hasattr(os, 'getuid') else 0}"):
        try:
            d.mkdir(parents=True, exist_ok=True)
            if os.access(d, os.W_OK):
                return d
        except OSError:
            continue
    return Path(tempfile.gettempdir())


def _jieba_dict_path() -> Path:
    spec = __import__("importlib.util").util.find_spec("jieba")
    return Path(spec.origin).parent / "dict.txt"


def lexicon_key(models_dir: Path) -> str:
    """Cache key: what the words depend on (jieba's dictionary, the user dictionary, lemmas)."""
    h = hashlib.sha256(FORMAT.encode())
    jd = _jieba_dict_path()
    st = jd.stat()
    h.update(f"{jd}|{st.st_size}|{st.st_mtime_ns}".encode())
    userdict = Path(models_dir) / "jieba_userdict.txt"
    h.update(userdict.read_bytes() if userdict.exists() else b"-")
    lp = lemma_path()
    h.update(f"{lp}|{lp.stat().st_size if lp else 0}".encode())
    return h.hexdigest()[:16]


def lexicon_path(models_dir: Path) -> Path:
    return _cache_dir() / f"query-lexicon-{lexicon_key(models_dir)}.sqlite"


def write_lexicon(path: Path, freq: dict[str, int], total: int, lemmas: dict[str, str]) -> None:
    """Write atomically (parallel workers may race to write the same file)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if tmp.exists():
        tmp.unlink()
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID")
        conn.execute("CREATE TABLE lemma (word TEXT PRIMARY KEY, lemma TEXT) WITHOUT ROWID")
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.executemany("INSERT INTO freq VALUES (?,?)", sorted(freq.items()))
        conn.executemany("INSERT INTO lemma VALUES (?,?)", sorted(lemmas.items()))
        conn.execute("INSERT INTO meta VALUES ('total', ?)", (str(total),))
        conn.commit()
    finally:
        conn.close()
    os.replace(tmp, path)
    _prune(path.parent)


KEEP = 8  # lexicons kept in the cache: one per user-dictionary version, the most recently written


def _prune(folder: Path) -> None:
    """Editing the user dictionary writes a new ~10 MB lexicon: keep only the newest few."""
    try:
        found = sorted(folder.glob("query-lexicon-*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in found[KEEP:]:
            old.unlink()
    except OSError:  # another process pruned or is writing: nothing to do
        pass


def ensure_lexicon(models_dir: Path, tokenizer: Any = None) -> Path:
    """The lexicon file for `models_dir`, written from `tokenizer` (a loaded jieba.Tokenizer with
    the user dictionary) or from a fresh one when missing."""
    path = lexicon_path(models_dir)
    if path.exists():
        return path
    if tokenizer is None:
        from ..segment import Segmenter

        tokenizer = Segmenter(models_dir).jieba
    try:
        write_lexicon(path, dict(tokenizer.FREQ), int(tokenizer.total), lemma_table())
    except OSError:  # a read-only cache: queries fall back to the full tokenizer
        pass
    return path


class _LazyFreq:
    """The slice of jieba's FREQ a query needs, read on demand (memoised)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._memo: dict[str, int | None] = {}

    def get(self, word: str, default: Any = None) -> Any:
        if word not in self._memo:
            row = self._conn.execute("SELECT n FROM freq WHERE word=?", (word,)).fetchone()
            self._memo[word] = row[0] if row else None
        v = self._memo[word]
        return default if v is None else v

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        v = self.get(word)
        if v is None:
            raise KeyError(word)
        return v

    def __iter__(self) -> Iterator[str]:  # not needed by cutting; kept honest
        return (r[0] for r in self._conn.execute("SELECT word FROM freq"))


def _import_jieba():
    import logging
    import warnings

    # jieba's _compat imports pkg_resources (0.1–0.3 s) only to open its own data files; without
    # it jieba opens them by path, which is all it needs.
    saved = sys.modules.get("pkg_resources", ...)
    if saved is ...:
        sys.modules["pkg_resources"] = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import jieba
    finally:
        if saved is ...:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


class QueryTokenizer:
    """`query_terms(text)` as Segmenter.query_terms gives it, from the cached lexicon."""

    def __init__(self, models_dir: Path) -> None:
        self.models_dir = Path(models_dir)
        path = ensure_lexicon(self.models_dir)
        if not path.exists():
            raise FileNotFoundError(path)
        self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        jieba = _import_jieba()
        tk = jieba.Tokenizer()
        tk.FREQ = _LazyFreq(self._conn)
        tk.total = int(self._conn.execute("SELECT value FROM meta WHERE key='total'").fetchone()[0])
        tk.initialized = True
        self.jieba = tk
        self._lemmas: dict[str, str] = {}
        self._segmenter = None

    def lemma(self, w: str) -> str:
        if w not in self._lemmas:
            row = self._conn.execute("SELECT lemma FROM lemma WHERE word=?", (w,)).fetchone()
            self._lemmas[w] = row[0] if row else w
        return self._lemmas[w]

    def query_terms(self, text: str) -> list[str]:
        from ..extract.structure import detect_lang
        from ..segment import normalise

        lang = detect_lang(text)
        norm = normalise(text)
        if lang == "en":
            if _PLAIN_EN.fullmatch(norm.strip()):
                return [self.lemma(w.lower()) for w in norm.split()]
            return self._full().query_terms(text)
        return [self.lemma(w.lower()) if w.isascii() else w
                for w in (x.strip() for x in self.jieba.lcut(norm)) if w and not _PUNCT.fullmatch(w)]

    def _full(self):
        # English with punctuation, contractions or symbols: spaCy's tokenizer decides the split
        if self._segmenter is None:
            from ..segment import Segmenter

            self._segmenter = Segmenter(self.models_dir)
        return self._segmenter

    def close(self) -> None:
        self._conn.close()


def query_tokenizer(models_dir: Path):
    """A QueryTokenizer, or the full Segmenter when no lexicon can be written (read-only cache)."""
    try:
        return QueryTokenizer(models_dir)
    except (OSError, sqlite3.Error):
        from ..segment import Segmenter

        return Segmenter(models_dir)
