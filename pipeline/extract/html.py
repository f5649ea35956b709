"""Web pages (.html): the main text without navigation, footers and other boilerplate, via
trafilatura; title and date from the page's metadata.

`Document.text` is the extracted main text (one paragraph a line; a table as tab-separated
lines, as for text files), so offsets point into that text, as they do for a PDF.
"""
from __future__ import annotations

import re
from typing import Any

from ..document import Document
from ..errors import DocumentError, Msg
from .backend import FileBackend
from .dates import parse_date
from .text import decode_bytes, lines_to_blocks

_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.I)
_MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's declared charset first (GB2312 pages are common), else the text decoder's guess."""
    m = _CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii", "ignore").lower()
        enc = "gb18030" if enc in ("gb2312", "gbk", "gb18030") else enc
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data)


def main_text(html: str) -> tuple[str, dict[str, Any]]:
    """(main text with tables as tab-separated lines, metadata) of a page."""
    try:
        import trafilatura

        res = trafilatura.bare_extraction(html, with_metadata=True, include_tables=True, include_comments=False,
                                          favor_recall=True, deduplicate=False)
    except Exception as exc:  # malformed markup must not stop the corpus
        raise DocumentError(Msg.HTML_NO_MAIN + f" ({type(exc).__name__})") from None
    if isinstance(res, dict):  # older trafilatura returns a dict
        from types import SimpleNamespace

        res = SimpleNamespace(**res)
    if res is None or not (res.text or "").strip():
        raise DocumentError(Msg.HTML_NO_MAIN)
    lines = []
    for line in str(res.text).split("\n"):
        s = line.strip()
        if _MD_RULE.match(s) and "-" in s:
            continue  # the |---|---| rule under a table header
        if s.startswith("|") and s.endswith("|") and s.count("|") >= 2:
            line = "\t".join(c.strip() for c in s.strip("|").split("|"))
        lines.append(line)
    meta = {k: getattr(res, k, None) for k in ("title", "date", "author", "sitename", "url", "description")}
    return "\n".join(lines), meta


class HtmlBackend(FileBackend):
    formats = ("html",)

    def convert(self, doc_id: str, sha256: str) -> Document:
        html, enc = decode_html(self.data)
        text, meta = main_text(html)
        doc = Document(doc_id=doc_id, path=str(self.path), format="html", sha256=sha256, text=text, encoding=enc)
        doc.blocks, doc.tables = lines_to_blocks(text, self.options.min_table_fields)
        if meta.get("title"):
            doc.title = " ".join(str(meta["title"]).split())
        date, year = parse_date(meta.get("date"))
        if year is not None:
            doc.date, doc.year = date, year
            doc.meta["year"] = year
        if meta.get("author"):
            from .backend import split_authors

            doc.authors = split_authors(meta["author"])
        if meta.get("sitename"):
            doc.source = str(meta["sitename"])
        for k in ("url", "description"):
            if meta.get(k):
                doc.meta[k] = meta[k]
        doc.meta["extracted_by"] = f"trafilatura {_version()}"
        return doc


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("trafilatura")
    except Exception:  # provenance only
        return "?"
