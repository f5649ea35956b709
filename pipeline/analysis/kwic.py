"""Keyword in context: every occurrence of a term with its left and right context (a concordance,
as AntConc or KH Coder show it), with document title, year, page and offsets."""
from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass

from ..errors import LitmineError, Msg
from .common import DocInfo, Filters, candidate_sql, documents, iter_sentences, term_pattern

SORTS = ("position", "left", "right", "year")


@dataclass
class KwicLine:
    doc_id: str
    title: str
    year: int | None
    page: int | None
    sentence_id: str
    section: str
    label: str | None  # the sentence's claim label, if tagged
    start: int  # character offsets of the match in the document's text
    end: int
    left: str
    keyword: str
    right: str

    def as_dict(self) -> dict:
        return asdict(self)


def kwic(conn: sqlite3.Connection, term: str, *, width: int = 30, sort: str = "position",
         filters: Filters | None = None, limit: int | None = None) -> list[KwicLine]:
    """Python twin of `litmine kwic`. Context comes from the sentence and its neighbours in the same
    document (up to `width` characters each side). `sort`: position (document, offset), left (by the
    words just before the match, nearest first), right (by the words just after), year."""
    if sort not in SORTS:
        raise LitmineError(Msg.BAD_FORMAT.format(value=sort, choices=", ".join(SORTS)))
    width = max(1, int(width))
    pattern = term_pattern(term)
    docs = documents(conn)
    extra, extra_args = candidate_sql(term.strip())
    lines: list[KwicLine] = []
    rows = iter_sentences(conn, filters or Filters(), extra, extra_args,
                          columns='s.sentence_id, s.doc_id, s.idx, s.page, s.start, s."end", s.section, s.text')
    for r in rows:
        text = r["text"] or ""
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        before, after = _neighbours(conn, r["doc_id"], r["idx"], width)
        label = conn.execute("SELECT label FROM claims WHERE sentence_id=?", (r["sentence_id"],)).fetchone()
        info = docs.get(r["doc_id"]) or DocInfo(r["doc_id"], r["doc_id"], None, "")
        for m in matches:
            left = _join(before, text[:m.start()])[-width:]
            right = _join(text[m.end():], after)[:width]
            lines.append(KwicLine(r["doc_id"], info.title, info.year, r["page"], r["sentence_id"], r["section"] or "",
                                  label[0] if label else None, r["start"] + m.start(), r["start"] + m.end(),
                                  _oneline(left), m.group(0), _oneline(right)))
    lines = _sorted(lines, sort)
    return lines[:limit] if limit else lines


def _neighbours(conn: sqlite3.Connection, doc_id: str, idx: int, width: int) -> tuple[str, str]:
    """Text of the previous and next sentences (context runs across a sentence end, as in a document)."""
    before, after = "", ""
    for (t,) in conn.execute("SELECT text FROM sentences WHERE doc_id=? AND idx<? ORDER BY idx DESC LIMIT 3",
                             (doc_id, idx)):
        before = _join(t or "", before)
        if len(before) >= width:
            break
    for (t,) in conn.execute("SELECT text FROM sentences WHERE doc_id=? AND idx>? ORDER BY idx LIMIT 3",
                             (doc_id, idx)):
        after = _join(after, t or "")
        if len(after) >= width:
            break
    return before, after


def _join(a: str, b: str) -> str:
    """a + b with a space between Latin text (none between CJK characters or full-width punctuation)."""
    if not a or not b:
        return a + b
    wide = ord(a[-1]) > 0x2E80 or ord(b[0]) > 0x2E80 or a[-1].isspace() or b[0].isspace()
    return a + b if wide else a + " " + b


def _oneline(s: str) -> str:
    return " ".join(s.split()) if any(c in s for c in "\n\t\r") else s


def _sorted(lines: list[KwicLine], sort: str) -> list[KwicLine]:
    if sort == "left":
        return sorted(lines, key=lambda x: (x.left[::-1].lower(), x.doc_id, x.start))
    if sort == "right":
        return sorted(lines, key=lambda x: (x.right.lower(), x.doc_id, x.start))
    if sort == "year":
        return sorted(lines, key=lambda x: (x.year is None, x.year or 0, x.doc_id, x.start))
    return sorted(lines, key=lambda x: (x.doc_id, x.start))
