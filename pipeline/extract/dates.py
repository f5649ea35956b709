"""A record's date when its columns give none: from its title, a dated line at the top of its
text, or the congress session it names (models/metadata/npc_sessions.tsv)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any


_FULL_DATE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SESSION = re.compile(r"第([〇零一二三四五六七八九十]+)届全国人民代表大会第([一二三四五六七八九十]+)次会议")
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
OPENING = 300  # characters of the text where a dating line ("（2023年3月13日…通过）") stands


_DATE_RE = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?:\s*(?:[-/.年]\s*)(\d{1,2})(?:\s*(?:[-/.月]\s*)(\d{1,2}))?)?(?!\d)")
_MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                             "nov", "dec"))}
_EN_DATE_RE = re.compile(r"\b(?:(\d{1,2})\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*"
                         r"(?:(\d{1,2}),?\s+)?(1[5-9]\d\d|20\d\d)\b", re.I)




def parse_date(value: Any) -> tuple[str | None, int | None]:
    """('YYYY-MM-DD' | 'YYYY-MM' | 'YYYY' | None, year | None) from a date or year value in any
    of the usual spellings (2025, "2025-03-05", "2025/3/5", "2025年3月5日", "Mar 2025", "5 March 2025")."""
    if value is None or value == "":
        return None, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        y = int(value)
        return (str(y), y) if 1500 <= y <= 2099 else (None, None)
    s = unicodedata.normalize("NFKC", str(value)).strip()
    m = _DATE_RE.search(s)
    en = _EN_DATE_RE.search(s)
    if en and (not m or not m.group(2)):
        day = en.group(1) or en.group(3)
        y, mo = int(en.group(4)), _MONTHS[en.group(2).lower()[:3]]
        return (f"{y:04d}-{mo:02d}-{int(day):02d}" if day and 1 <= int(day) <= 31 else f"{y:04d}-{mo:02d}"), y
    if not m:
        return None, None
    y = int(m.group(1))
    mo = int(m.group(2)) if m.group(2) else None
    d = int(m.group(3)) if m.group(3) else None
    if mo is None or not 1 <= mo <= 12:
        return str(y), y
    if d is None or not 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}", y
    return f"{y:04d}-{mo:02d}-{d:02d}", y


def chinese_int(s: str) -> int | None:
    """十四 → 14, 二 → 2, 十 → 10, 二十一 → 21."""
    if not s:
        return None
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _DIGITS.get(tens, None) if tens else 1
        o = _DIGITS.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    return _DIGITS.get(s) if len(s) == 1 else None


@lru_cache(maxsize=4)
def npc_sessions(models_dir: str) -> dict[tuple[int, int], int]:
    path = Path(models_dir) / "metadata" / "npc_sessions.tsv"
    out: dict[tuple[int, int], int] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("term"):
            continue
        term, session, year = line.split("\t")
        out[(int(term), int(session))] = int(year)
    return out


def infer_date(title: str, text: str, models_dir: str | Path) -> tuple[str | None, int | None, str]:
    """(ISO date | None, year | None, how) for a document without a date of its own."""
    if title:
        date, year = parse_date(title)
        if year is not None:
            return date, year, "title"
    opening = unicodedata.normalize("NFKC", text[:OPENING])
    m = _FULL_DATE.search(opening)
    if m:
        date, year = parse_date(m.group(0))
        return date, year, "opening line"
    for s in (title, opening):
        m = _SESSION.search(s or "")
        if m:
            term, session = chinese_int(m.group(1)), chinese_int(m.group(2))
            year = npc_sessions(str(models_dir)).get((term or 0, session or 0))
            if year is not None:
                return str(year), year, "congress session"
    return None, None, ""
