"""Document metadata: title, date/year, issuing body or authors, venue (Document.title/year/date/
authors/source → the documents table).

Values a reader already set (a record or sidecar: title, year, date, authors, source) are kept; the
rest come, in order of trust, from
- the front matter: the dateline of a speech or resolution ("——2025年1月16日在…会议上",
  "（2023年3月13日…通过）", "December 1998"), the speaker line ("陕西省省长 赵刚"), "来源：…",
  a journal line (《社会》2017年第4期, Proceedings of …, Federal Register / Vol. 85 …);
- the title ("2025年陕西省政府工作报告" → 2025; "X关于Y的决议" → issued by X);
- the file name when it reads as a title or carries a year ("2025年陕西省政府工作报告.txt");
- what the text implies: a report whose first part reviews year Y was given in Y+1; a document that
  names its session of the National People's Congress takes that session's year (models/metadata/
  npc_sessions.tsv, shared with the record reader);
- PDF metadata (Title, Author, CreationDate), used only when the text corroborates it (a title or
  an author that occurs on the first page) or as the last resort for the year.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any, Optional

from ...document import Document
from ...paths import DEFAULT_MODELS
from ..dates import npc_sessions
from .patterns import content_span

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "O": 0}
_MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"), 1)}
_YEAR_CN = r"[〇○零一二三四五六七八九]{4}"
_NUM_CN = r"[一二三四五六七八九十]{1,3}"
ZH_DATE = re.compile(rf"((?:19|20)\d{{2}}|{_YEAR_CN})\s*年\s*(\d{{1,2}}|{_NUM_CN})\s*月(?:\s*(\d{{1,2}}|{_NUM_CN})\s*日)?")
ZH_YEAR_MONTH_ONLY = re.compile(r"((?:19|20)\d{2})\s*年\s*第\s*\d{1,2}\s*期")
EN_DATE = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
                     r"\.?\s+(?:(\d{1,2}),?\s+)?((?:19|20)\d{2})\b", re.I)
ISO_DATE = re.compile(r"\b((?:19|20)\d{2})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?\b")
# a journal's year·issue line ("2017·2", "2017/04", "Vol. 37, No. 2, 2017")
_ISSUE_LINE = re.compile(r"^((?:19|20)\d{2})\s*[·•./／]\s*\d{1,2}(?!\d)\D{0,12}$|^Vol\.?\s*\d+.{0,20}?\b((?:19|20)\d{2})\b", re.I)
# a dateline says when the text was delivered or adopted
_DATELINE_CUE = re.compile(r"会议|通过|发布|印发|讲话|报告|大会|Summary|Issued|Dated")
_RECEIVED = re.compile(r"收稿|修回|录用|接受日期|Received|Revised|Accepted|Submitted", re.I)  # not the text's own date
_PUBLISHED = re.compile(r"出版日期|发布日期|发表日期|刊出日期|网络首发|Published(?: online)?:?|Available online", re.I)
_LEADING_DATE = re.compile(rf"^[\W_]{{0,4}}(?:(?:19|20)\d{{2}}|{_YEAR_CN}|[１２][０-９]{{3}})\s*年\s*(?:\d|[一二三四五六七八九十１-９])")
_TITLE_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*年")
_STEM_YEAR = re.compile(r"(?:^|[_\-\s.])((?:19|20)\d{2})(?=[_\-\s.年]|$)")
_SESSION = re.compile(r"第([一二三四五六七八九十]{1,3})届全国人民代表大会第([一二三四五六七八九十]{1,3})次会议")
_REVIEW_HEADING = re.compile(r"((?:19|20)\d{2})\s*年.{0,8}(?:回顾|总结)")
_SPEAKER_TITLE = r"(?:代理?省长|代理?市长|代理?主席|省长|市长|主席|总理|州长|区长|县长)"
_SPEAKER_AFTER = re.compile(rf"{_SPEAKER_TITLE}[\s　]*([\u4e00-\u9fff·][\u4e00-\u9fff·\s　]{{1,12}}?)[\s　]*(?:作|在|所作|$)")
_SPEAKER_BEFORE = re.compile(rf"(?:日|——|^)[\s　]*([\u4e00-\u9fff·]{{2,4}}?)[\s　]*{_SPEAKER_TITLE}[\s　]*在")
_SOURCE_LINE = re.compile(r"^(?:来源|来\s*源|信息来源|稿件来源|Source)\s*[:：]\s*(.+)$", re.I)
_JOURNAL_ZH = re.compile(r"《([^《》]{2,24})》[^《》]{0,6}?(?:(?:19|20)\d{2}\s*年\s*第\s*\d+\s*期|第\s*\d+\s*[卷期]|Vol)")
_JOURNAL_EN = re.compile(r"^(?:Proceedings of (?:the )?.{5,120}?(?=,|\(|$)|(?:IEEE|ACM) (?:TRANSACTIONS|Transactions) "
                         r"(?:ON|on) [A-Z][A-Za-z ,&]+?(?=,|$)|Federal Register|Journal of [A-Z][A-Za-z ,&:]+?(?=[,(\d]|$))")
_ISSUER_TITLE = re.compile(r"^(.{4,40}?)关于.{2,60}的(?:决议|决定|通知|意见|公告|批复)$")
_TITLEISH_STEM = re.compile(r"[\u4e00-\u9fff]{4,}")
_JUNK_TITLE = re.compile(r"^(?:arXiv:|Proposed Rules$|Untitled|Microsoft Word|标准名称|论文题目|Table of Contents$|目录)", re.I)


def _cn_int(s: str) -> int:
    """"二十六" → 26, "十" → 10, "一九五七" → 1957, "26" → 26."""
    s = unicodedata.normalize("NFKC", s)
    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(c in _CN_DIGIT for c in s):
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGIT.get(tens, 1) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)
    return _CN_DIGIT.get(s, 0)


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1800 <= year <= 2100:
        return None
    if month and 1 <= month <= 12:
        if day and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


def find_date(line: str) -> str | None:
    """The first date written in a line (Chinese, English or ISO form), as ISO text."""
    t = unicodedata.normalize("NFKC", line)
    m = ZH_DATE.search(t)
    if m:
        return _iso(_cn_int(m.group(1)), _cn_int(m.group(2)), _cn_int(m.group(3)) if m.group(3) else None)
    m = EN_DATE.search(t)
    if m:
        return _iso(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)) if m.group(2) else None)
    m = ISO_DATE.search(t)
    if m and (m.group(3) or re.search(r"[-/]", m.group(0))):
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None)
    m = ZH_YEAR_MONTH_ONLY.search(t) or _ISSUE_LINE.match(t.strip())
    if m:
        return _iso(int(next(g for g in m.groups() if g)))
    return None


def _front_lines(doc: Document, limit: int = 25) -> list[str]:
    """Text of the lines before the body gets going: title, front matter, and short lines among the
    first blocks (a dateline may be read as body when the text has no title line)."""
    out: list[str] = []
    body_seen = 0
    for k, b in enumerate(doc.blocks[:80]):
        t = doc.text[slice(*content_span(doc.text, b))].strip()
        if not t or (b.kind == "table" and (k >= 12 or len(t) > 40)):
            continue  # (a masthead line read as figure text still says the year: "2017·2")
        if b.kind == "table":
            out.append(t)
            continue
        if b.kind in ("title", "front_matter", "keywords"):
            out.append(t)
        elif b.kind == "body" and len(t) <= 120 and body_seen < 3 and _LEADING_DATE.match(t):
            out.append(t)  # a dateline read as body (no title line above it)
        if b.kind in ("body", "abstract"):
            body_seen += 1
        if b.kind == "heading" or len(out) >= limit or body_seen >= 6:
            break
    return out


def _pdf_info(doc: Document) -> dict[str, str]:
    """The PDF's document information (Title, Author, CreationDate…): from the reader when it kept
    it, else read from the file (metadata only, no page is parsed)."""
    info = doc.meta.get("pdf_info")
    if isinstance(info, dict):
        return {str(k): str(v) for k, v in info.items() if v}
    if doc.format != "pdf":
        return {}
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(doc.path)
        try:
            return {k: str(v) for k, v in pdf.get_metadata_dict().items() if v}
        finally:
            pdf.close()
    except Exception:  # unreadable metadata is no metadata; the text was read already
        return {}


def _first_page_text(doc: Document, chars: int = 6000) -> str:
    if doc.pages:
        p = doc.pages[0]
        return doc.text[p.start:min(p.end, p.start + chars)]
    return doc.text[:chars]


def _norm(s: str) -> str:
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", s)).lower()


def _stem_title(doc: Document) -> str:
    """The file name when it reads as a title (Chinese words, or spaced words), not an id."""
    stem = Path(doc.path).stem if doc.path else doc.doc_id
    if _TITLEISH_STEM.search(stem) and not re.fullmatch(r"[\w]*\d{6,}[\w]*", stem):
        return stem.strip()
    if re.fullmatch(r"[A-Z][\w'’,:()\-]*(?: [\w'’,:()\-]+){2,}", stem):
        return stem.strip()
    return ""


def _title(doc: Document, found: str, info: dict[str, str]) -> str:
    stem = _stem_title(doc)
    if found and not _JUNK_TITLE.match(found) and len(_norm(found)) >= 2:
        # a generic title line ("政府工作报告") that the file name repeats with more to it
        if stem and _norm(found) in _norm(stem) and len(_norm(stem)) > len(_norm(found)):
            return stem
        return found
    meta_title = info.get("Title", "").strip()
    if meta_title and not _JUNK_TITLE.match(meta_title) and "_" not in meta_title \
            and len(_norm(meta_title)) >= 6 and _norm(meta_title)[:40] in _norm(_first_page_text(doc)):
        return meta_title
    if stem:
        return stem
    if found:
        return found
    for b in doc.blocks:
        if b.kind in ("body", "abstract"):
            return doc.text[slice(*content_span(doc.text, b))].strip()[:60]
    return ""


def _date_and_year(doc: Document, front: list[str], info: dict[str, str],
                   models_dir: Path) -> tuple[Optional[str], Optional[int]]:
    """(ISO date, year) by the order of trust in the module docstring."""
    # 1. a dateline in the front matter; received/revised dates only when nothing else is dated
    dated: list[tuple[int, str]] = []
    for k, line in enumerate(front):
        pub = _PUBLISHED.search(line)
        d = find_date(line[pub.end():]) if pub else None  # "收稿日期…; 发布日期: 2024年12月19日"
        if d:
            dated.append((0, d))
            continue
        d = find_date(line)
        if not d:
            continue
        if _RECEIVED.search(line):
            rank = 3
        elif _DATELINE_CUE.search(line) or _PUBLISHED.search(line) or len(line) <= 40:
            rank = 0 if k < 12 else 1
        else:
            rank = 2
        dated.append((rank, d))
    if dated:
        rank, d = min(dated, key=lambda x: x[0])
        if rank < 3:
            return d, int(d[:4])
    received = min(dated)[1] if dated else None
    if received is None:  # a received/revised line may sit anywhere on the first page (a footnote)
        for b in doc.blocks[:60]:
            t = doc.text[b.start:b.end]
            rec = _RECEIVED.search(t)
            if len(t) < 300 and rec and (b.page in (None, 1)):
                received = find_date(t[rec.start():])
                if received:
                    break
    # 2. the title, 3. the file name
    for text in (doc.title, Path(doc.path).stem if doc.path else ""):
        m = _TITLE_YEAR.search(unicodedata.normalize("NFKC", text or ""))
        if m:
            return m.group(1), int(m.group(1))
    # 4. what the text implies
    implied = _implied_year(doc, front, models_dir)
    if implied:
        return str(implied), implied
    if received:
        return received[:4], int(received[:4])
    stem = Path(doc.path).stem if doc.path else ""
    m = _STEM_YEAR.search(stem)
    if m:
        return m.group(1), int(m.group(1))
    # 5. the PDF's creation date
    m = re.match(r"D:((?:19|20)\d{2})(\d{2})?", info.get("CreationDate", ""))
    if m:
        return m.group(1), int(m.group(1))
    return None, None


def _implied_year(doc: Document, front: list[str], models_dir: Path) -> Optional[int]:
    for line in [doc.title, *front]:
        m = _SESSION.search(line or "")
        if m:
            year = npc_sessions(str(models_dir)).get((_cn_int(m.group(1)), _cn_int(m.group(2))))
            if year:
                return year
    for b in doc.blocks:
        if b.kind == "heading" and len(b.section_path) == 1:
            m = _REVIEW_HEADING.search(unicodedata.normalize("NFKC", b.section_path[0]))
            if m:
                return int(m.group(1)) + 1  # a report reviews the year before it is given
            break
    return None


def _authors(doc: Document, front: list[str], info: dict[str, str]) -> list[str]:
    m = _ISSUER_TITLE.match(doc.title or "")
    if m:
        return [m.group(1)]  # a resolution or notice names who issued it
    for line in front:
        t = line.strip()
        if len(t) > 200:
            continue
        for pat in (_SPEAKER_BEFORE, _SPEAKER_AFTER):
            m = pat.search(t)
            if m:
                name = re.sub(r"[\s　]|同志$", "", m.group(1))
                if 2 <= len(name) <= 10 and not re.search(r"人民|政府|代表|会议|大会", name):
                    return [name]
    names = _paper_authors(doc, front)
    if names:
        return names
    author = info.get("Author", "")
    if author:
        page = _norm(_first_page_text(doc))
        names = [a.strip() for a in re.split(r"\s*[;；]\s*|\s+and\s+|\s*,\s*(?=[A-Z][a-z]+ [A-Z])", author) if a.strip()]
        names = [a for a in names if len(_norm(a)) >= 4 and _norm(a) in page]
        if names:
            return names
    return []


_NAME_LINE = re.compile(r"^(?:[\u4e00-\u9fff·]{2,4}[\s\d¹²³⁴⁵⁶⁷⁸⁹⁰*∗†‡,，、;；()（）]*){1,12}$")
_NOT_A_NAME = re.compile(r"大学|学院|研究|中心|委员会|党校|公司|集团|省|市|县|区|摘要|关键|目录|报告|通知|第")


def _paper_authors(doc: Document, front: list[str]) -> list[str]:
    """Chinese authors on the line under a paper's title: "朱兵¹, 李宸², 谭晨¹", "向玲"."""
    titles = [b for b in doc.blocks[:12] if b.kind == "title"]
    if not titles or not any(b.kind in ("abstract", "keywords") for b in doc.blocks[:60]):
        return []  # only a paper (with an abstract or keywords) puts its authors under the title
    start = doc.blocks.index(titles[0]) + 1  # (a second title further down is the English one)
    looked = 0
    for b in doc.blocks[start:start + 12]:
        if b.kind == "title" or b.kind == "table":
            continue
        if b.kind != "front_matter" or looked >= 4:  # the names stand among the first front lines
            return []
        looked += 1
        t = doc.text[slice(*content_span(doc.text, b))].strip()
        if not _NAME_LINE.match(t):
            continue
        names = [n for n in re.split(r"[\s\d¹²³⁴⁵⁶⁷⁸⁹⁰*∗†‡,，、;；()（）]+", t) if n]
        if names and all(2 <= len(n) <= 4 and not _NOT_A_NAME.search(n) for n in names):
            return names
    return []


def _source(doc: Document, front: list[str]) -> Optional[str]:
    for line in front:
        m = _SOURCE_LINE.match(line.strip())
        if m:
            src = re.split(r"\s{2,}|(?:19|20)\d{2}\s*年|\d{4}-\d", m.group(1).strip())[0].strip(" ：:，,　")
            if src:
                return src
    for line in front:
        m = _JOURNAL_ZH.search(line)
        if m:
            return m.group(1)
        m = _JOURNAL_EN.match(line.strip())
        if m:
            return m.group(0).strip(" ,")
    return None


def annotate_metadata(doc: Document, found_title: str, models_dir: Path | None = None) -> dict[str, Any]:
    """Fill title/date/year/authors/source where the reader left them empty; returns what was set."""
    models_dir = Path(models_dir) if models_dir else DEFAULT_MODELS
    front = _front_lines(doc)
    info = _pdf_info(doc)
    set_now: dict[str, Any] = {}
    if not doc.title:
        doc.title = _title(doc, found_title, info)
        set_now["title"] = doc.title
    if doc.date and not doc.year:
        m = re.match(r"(\d{4})", doc.date)
        doc.year = int(m.group(1)) if m else None
    if not doc.year and not doc.date:
        doc.date, doc.year = _date_and_year(doc, front, info, models_dir)
        set_now.update(date=doc.date, year=doc.year)
    elif doc.year and not doc.date:
        doc.date = str(doc.year)
    if not doc.authors:
        doc.authors = _authors(doc, front, info)
        set_now["authors"] = doc.authors
    if not doc.source:
        doc.source = _source(doc, front)
        set_now["source"] = doc.source
    return set_now
