"""What the analysis commands share: document facts, term matching, token cleaning, filters."""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..errors import LitmineError, Msg

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# sentence kinds that are not running text: never counted (as `litmine query` leaves them out)
SKIP_KINDS = ("reference", "front_matter")


@dataclass(frozen=True)
class DocInfo:
    doc_id: str
    title: str
    year: int | None
    lang: str


def documents(conn: sqlite3.Connection) -> dict[str, DocInfo]:
    return {r[0]: DocInfo(r[0], r[1] or r[0], int(r[2]) if r[2] is not None else None, r[3] or "")
            for r in conn.execute("SELECT doc_id, title, year, lang FROM documents WHERE status='ok' OR status IS NULL"
                                  " ORDER BY doc_id")}


def term_pattern(term: str) -> re.Pattern[str]:
    """How a term is found in a sentence: Chinese as a substring; Latin words on word boundaries,
    case-insensitive (`cluster` does not match inside `clustering`, `GDP` matches `gdp`)."""
    term = term.strip()
    if not term:
        raise LitmineError(Msg.QUERY_EMPTY)
    body = re.escape(term)
    if re.match(r"[A-Za-z0-9]", term):
        body = r"(?<![A-Za-z0-9])" + body
    if re.search(r"[A-Za-z0-9]$", term):
        body += r"(?![A-Za-z0-9])"
    return re.compile(body, re.IGNORECASE)


def candidate_sql(term: str) -> tuple[str, list[Any]]:
    """A WHERE clause (over sentences `s`) that keeps every sentence that may contain the term: the
    FTS bigram phrase for Chinese (the index's grams column has full recall for 2+ characters),
    else a case-insensitive substring scan. The exact match is checked by `term_pattern`."""
    cjk = _CJK.findall(term)
    if len(cjk) >= 2 and len(cjk) == len(term.strip()):
        grams = " ".join(term[i:i + 2] for i in range(len(term) - 1))
        return ("s.rowid IN (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?)",
                ['grams : "' + grams.replace('"', '""') + '"'])
    return "instr(lower(s.text), lower(?)) > 0", [term.strip()]


@dataclass
class Filters:
    """Restrictions shared by every analysis command."""
    doc: str | None = None
    lang: str | None = None
    kind: str | None = None  # a claim label: only sentences tagged so
    year_from: int | None = None
    year_to: int | None = None

    def sql(self) -> tuple[str, list[Any]]:
        from ..document import LABELS

        where = ["s.kind NOT IN ('reference','front_matter')"]
        args: list[Any] = []
        if self.doc:
            where.append("s.doc_id = ?")
            args.append(self.doc)
        if self.lang:
            where.append("s.lang = ?")
            args.append(self.lang)
        if self.kind:
            if self.kind not in LABELS:
                raise LitmineError(Msg.BAD_KIND.format(value=self.kind, choices=", ".join(LABELS)))
            where.append("s.sentence_id IN (SELECT sentence_id FROM claims WHERE label = ?)")
            args.append(self.kind)
        if self.year_from is not None:
            where.append("d.year >= ?")
            args.append(int(self.year_from))
        if self.year_to is not None:
            where.append("d.year <= ?")
            args.append(int(self.year_to))
        return " AND ".join(where), args


def iter_sentences(conn: sqlite3.Connection, filters: Filters, extra: str = "", extra_args: list[Any] | None = None,
                   columns: str = "s.sentence_id, s.doc_id, s.idx, s.block, s.lang, s.tokens",
                   batch: int = 2000) -> Iterator[sqlite3.Row]:
    """Sentences passing the filters, in document order, streamed (a large corpus never sits in memory)."""
    where, args = filters.sql()
    if extra:
        where += " AND " + extra
        args += extra_args or []
    cur = conn.execute(f"SELECT {columns} FROM sentences s JOIN documents d ON d.doc_id = s.doc_id"
                       f" WHERE {where} ORDER BY s.doc_id, s.idx", args)
    while True:
        rows = cur.fetchmany(batch)
        if not rows:
            return
        yield from rows


class TokenCleaner:
    """Words worth counting: the index's tokens (jieba words, English lemmas) without numbers,
    punctuation, single characters and stopwords (models/stopwords/<lang>.txt plus the user's)."""

    def __init__(self, stopwords_dir: Path | None = None, extra_stopwords: Path | list[str] | None = None):
        from ..topics.clean import load_stopwords

        self._load = load_stopwords
        self._dir = stopwords_dir
        self._cache: dict[str, frozenset[str]] = {}
        self._memo: dict[str, dict[str, str | None]] = {}
        extra: set[str] = set()
        if isinstance(extra_stopwords, (str, Path)):
            path = Path(extra_stopwords)
            if not path.is_file():
                raise LitmineError(Msg.STOPWORDS_MISSING.format(path=path))
            extra = {ln.split("#", 1)[0].strip().lower() for ln in path.read_text("utf-8").splitlines()}
        elif extra_stopwords:
            extra = {w.strip().lower() for w in extra_stopwords}
        self._extra = frozenset(w for w in extra if w)

    def stopwords(self, lang: str) -> frozenset[str]:
        if lang not in self._cache:
            self._cache[lang] = self._load(lang, self._dir) | self._extra
        return self._cache[lang]

    def clean(self, tokens: str | None, lang: str) -> list[str]:
        """The words of a `tokens` column worth counting (the topic models' cleaning rules, one token
        at a time and memoised: a corpus repeats the same few thousand words)."""
        from ..topics.clean import clean_tokens

        if not tokens:
            return []
        lang = lang if lang in ("zh", "en") else "zh"
        memo = self._memo.setdefault(lang, {})
        out: list[str] = []
        for tok in tokens.split(" "):
            if tok not in memo:
                cleaned = clean_tokens([tok], lang, self.stopwords(lang))
                memo[tok] = cleaned[0] if cleaned else None
            kept = memo[tok]
            if kept:
                out.append(kept)
        return out
