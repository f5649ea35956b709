"""Bibliographic exports → one document per reference: the abstract is the text; title, authors,
journal (→ source), year/date, keywords, DOI, URL and the reference type are its metadata.

Formats (each a backend named in formats.py; CNKI and Web of Science save them as .txt, found by
their first lines):
- RIS (.ris; CNKI, Scopus, Zotero…) — parsed with rispy;
- EndNote tagged (.enw, `%0 …`), RefWorks tagged (`RT …`), NoteExpress (`{Reference Type}: …`),
  CNKI's own field list (`Title-题名: …`), Web of Science plain text (`PT J … ER`) and
  tab-delimited (a header of field tags) — line formats read by `_tagged`.
A reference without an abstract is rejected (named), but its metadata still lends itself to a PDF
of the same title in the corpus (sources.py).
"""
from __future__ import annotations

import csv
import io
import re
import sys
from typing import Any, Iterator

from ..errors import DocumentError, Msg
from .backend import Record, RecordBackend, split_authors, split_keywords
from .dates import parse_date
from .text import decode_bytes

# role → tags, per format (first present wins; list roles gather every tag's values)
ENDNOTE = {"title": ("T",), "authors": ("A", "E"), "source": ("J", "B"), "year": ("D",), "date": ("8",),
           "keywords": ("K",), "abstract": ("X",), "doi": ("R",), "url": ("U",), "type": ("0",), "issn": ("@",),
           "volume": ("V",), "issue": ("N",), "pages": ("P",), "publisher": ("I",), "id": ("M",)}
REFWORKS = {"title": ("T1",), "authors": ("A1", "A2"), "source": ("JF", "JO", "T2"), "year": ("YR",),
            "date": ("FD",), "keywords": ("K1",), "abstract": ("AB",), "doi": ("DO",), "url": ("UL", "LK"),
            "type": ("RT",), "issn": ("SN",), "volume": ("VO",), "issue": ("IS",), "pages": ("OP",),
            "publisher": ("PB",), "id": ("ID",)}
WOS = {"title": ("TI",), "authors": ("AF", "AU"), "source": ("SO",), "year": ("PY",), "date": ("PD",),
       "keywords": ("DE", "ID"), "abstract": ("AB",), "doi": ("DI",), "url": (), "type": ("DT",), "issn": ("SN",),
       "volume": ("VL",), "issue": ("IS",), "pages": ("BP",), "publisher": ("PU",), "id": ("UT",)}
NOTEEXPRESS = {"title": ("Title",), "authors": ("Author",), "source": ("Journal", "Secondary Title"),
               "year": ("Year",), "date": ("Date",), "keywords": ("Keywords",), "abstract": ("Abstract",),
               "doi": ("DOI",), "url": ("URL",), "type": ("Reference Type",), "issn": ("ISBN/ISSN",),
               "volume": ("Volume",), "issue": ("Issue",), "pages": ("Pages",), "publisher": ("Publisher",),
               "id": ()}
CNKI = {"title": ("Title",), "authors": ("Author",), "source": ("Source",), "year": ("Year",),
        "date": ("PubTime",), "keywords": ("Keyword",), "abstract": ("Summary",), "doi": ("DOI",), "url": ("URL",),
        "type": ("SrcDatabase",), "issn": ("ISSN",), "volume": ("Volume",), "issue": ("Period",),
        "pages": ("PageCount",), "publisher": (), "id": ()}


def bib_record(fields: dict[str, list[str]], tags: dict[str, tuple[str, ...]], number: int) -> Record:
    """A Record from one reference's fields (tag → values in order)."""
    def first(role: str) -> str:
        for t in tags.get(role, ()):
            vals = [v.strip() for v in fields.get(t, []) if v.strip()]
            if vals:
                return " ".join(vals) if role in ("title", "abstract", "source") else vals[0]
        return ""

    def many(role: str) -> list[str]:
        for t in tags.get(role, ()):
            vals = [v for v in fields.get(t, []) if v.strip()]
            if vals:
                out: list[str] = []
                for v in vals:
                    out += (split_keywords(v) if role == "keywords" else split_authors(v))
                return out
        return []

    date, year = parse_date(first("date") or None)
    _, y = parse_date(first("year") or None)
    if first("date") and y is not None and (date is None or not date.startswith(str(y))):
        date, _ = parse_date(f"{first('date')} {y}")  # WoS "PD MAR 15" + "PY 2019"
    if y is not None:
        year = y
        if date and not date.startswith(str(y)):
            date = str(y)  # "PD MAR 15" without a year, read against another year: keep the year only
    if date is None and year is not None:
        date = str(year)
    meta: dict[str, Any] = {}
    for role in ("doi", "url", "type", "issn", "volume", "issue", "pages", "publisher"):
        v = first(role)
        if v:
            meta[role] = v
    kws = many("keywords")
    if kws:
        meta["keywords"] = kws
    rec_id = first("id") or (meta.get("doi") or None)
    abstract = first("abstract")
    rec = Record(number=number, text=abstract, text_field="abstract", rec_id=rec_id,
                 title=" ".join(first("title").split()), year=year, date=date, authors=many("authors"),
                 source=first("source") or None, meta=meta, unit="record")
    if not any(ch.isalnum() for ch in abstract):
        rec.problem = Msg.RECORD_EMPTY.format(column="abstract")
    return rec


def _tagged(text: str, line_re: re.Pattern[str], start_tags: tuple[str, ...], end_tags: tuple[str, ...] = (),
            skip_tags: tuple[str, ...] = (), continuation: re.Pattern[str] | None = None) -> list[dict[str, list[str]]]:
    """Split a tagged line format into references: a new one at a start tag (or after an end tag)."""
    refs: list[dict[str, list[str]]] = []
    cur: dict[str, list[str]] | None = None
    last: str | None = None
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        m = line_re.match(line)
        if m:
            tag, value = m.group(1).strip(), m.group(2)
            if tag in skip_tags:
                continue
            if tag in end_tags:
                cur, last = None, None
                continue
            if tag in start_tags or cur is None:
                cur = {}
                refs.append(cur)
            cur.setdefault(tag, []).append(value.strip())
            last = tag
            continue
        if cur is not None and last is not None and line.strip():
            c = continuation.match(line) if continuation else None
            if continuation is None or c:
                cont = (c.group(1) if c else line).strip()
                if last in ("AU", "AF", "A", "DE"):  # WoS/EndNote list fields continue with one item a line
                    cur[last].append(cont)
                else:
                    cur[last][-1] += (" " if re.search(r"[A-Za-z0-9.,;:]$", cur[last][-1]) else "") + cont
    return refs


class _TaggedRecords(RecordBackend):
    tags: dict[str, tuple[str, ...]] = {}
    label = ""

    def parse(self, text: str) -> list[dict[str, list[str]]]:
        raise NotImplementedError

    def records(self) -> Iterator[Record]:
        text, _ = decode_bytes(self.data)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        refs = self.parse(text)
        if not refs:
            raise DocumentError(Msg.RECORD_BAD_EXPORT.format(label=self.label, detail="no references found"))
        for i, fields in enumerate(refs, 1):
            yield bib_record(fields, self.tags, i)


class EndNoteRecords(_TaggedRecords):
    formats = ("endnote",)
    tags, label = ENDNOTE, "EndNote export"

    def parse(self, text: str) -> list[dict[str, list[str]]]:
        return _tagged(text, re.compile(r"^%(\S) ?(.*)$"), ("0",))


class RefWorksRecords(_TaggedRecords):
    formats = ("refworks",)
    tags, label = REFWORKS, "RefWorks export"

    def parse(self, text: str) -> list[dict[str, list[str]]]:
        return _tagged(text, re.compile(r"^([A-Z][A-Z0-9]) (.*)$"), ("RT",))


class WosRecords(_TaggedRecords):
    formats = ("wos",)
    tags, label = WOS, "Web of Science plain text"

    def parse(self, text: str) -> list[dict[str, list[str]]]:
        return _tagged(text, re.compile(r"^([A-Z][A-Z0-9]) ?(.*)$"), ("PT",), end_tags=("ER", "EF"),
                       skip_tags=("FN", "VR"), continuation=re.compile(r"^ {2,3}(\S.*)$"))


class NoteExpressRecords(_TaggedRecords):
    formats = ("noteexpress",)
    tags, label = NOTEEXPRESS, "NoteExpress export"

    def parse(self, text: str) -> list[dict[str, list[str]]]:
        return _tagged(text, re.compile(r"^\{([^}]+)\}:\s?(.*)$"), ("Reference Type",))


class CnkiRecords(_TaggedRecords):
    formats = ("cnki",)
    tags, label = CNKI, "CNKI export"

    def parse(self, text: str) -> list[dict[str, list[str]]]:
        return _tagged(text, re.compile(r"^([A-Za-z]+)-[^:：\n]*[:：]\s?(.*)$"), ("SrcDatabase",))


class WosTabRecords(_TaggedRecords):
    """Web of Science tab-delimited: a header row of field tags (PT AU … UT), one reference a row."""

    formats = ("wos_tab",)
    tags, label = WOS, "Web of Science tab-delimited"

    def parse(self, text: str) -> list[dict[str, list[str]]]:
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter="\t",
                               quoting=csv.QUOTE_NONE))
        if not rows:
            return []
        header = [h.strip() for h in rows[0]]
        refs = []
        for r in rows[1:]:
            if not any(c.strip() for c in r):
                continue
            fields: dict[str, list[str]] = {}
            for tag, value in zip(header, r):
                if not value.strip():
                    continue
                # list fields are "; "-joined in one cell
                fields[tag] = [v for v in value.split("; ")] if tag in ("AU", "AF") else [value]
            refs.append(fields)
        return refs


class RisRecords(RecordBackend):
    """RIS via rispy (TY … ER)."""

    formats = ("ris",)

    def records(self) -> Iterator[Record]:
        import rispy

        text, _ = decode_bytes(self.data)
        text = text.replace("\r\n", "\n").lstrip("\ufeff")
        try:
            entries = rispy.loads(text, skip_unknown_tags=True)
        except Exception as exc:  # rispy raises IOError/ValueError on malformed input
            raise DocumentError(Msg.RECORD_BAD_EXPORT.format(label="RIS", detail=str(exc).splitlines()[0][:80])) \
                from None
        if not entries:
            raise DocumentError(Msg.RECORD_BAD_EXPORT.format(label="RIS", detail="no references found"))
        for i, e in enumerate(entries, 1):
            fields = {k: (v if isinstance(v, list) else [str(v)]) for k, v in e.items() if v not in (None, "", [])}
            yield bib_record(fields, RIS, i)


RIS = {"title": ("title", "primary_title", "translated_title"), "authors": ("authors", "first_authors"),
       "source": ("journal_name", "secondary_title", "alternate_title3", "alternate_title1", "alternate_title2"),
       "year": ("year", "publication_year"), "date": ("date",), "keywords": ("keywords",),
       "abstract": ("abstract", "notes_abstract"), "doi": ("doi",), "url": ("urls",), "type": ("type_of_reference",),
       "issn": ("issn",), "volume": ("volume",), "issue": ("number",), "pages": ("start_page",),
       "publisher": ("publisher",), "id": ("id",)}
