"""Reference lists, one entry per reference (not one per printed line, not several run together).

Used by the PDF reader on the lines after a "参考文献 / References" heading, and usable by any
reader or by structure on the lines of a reference list: `group_entries(texts, indents)` says which
lines make up each entry. A line starts an entry when it begins like one in the common citation
styles (GB/T 7714, APA/Chicago author–year, numbered [1] / 1.) and is not indented under a hanging
indent; any other line continues the entry before it (a wrapped title, "Evidence from Urban
China.” World Development 40(6): …", a page range "22463–22468.").
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

# the heading of a reference list (alone on its line)
REFERENCES_HEADING_RE = re.compile(
    r"^\s*(?:参\s*考\s*文\s*献|引用文献|主要参考文献|References|REFERENCES|Bibliography|BIBLIOGRAPHY|Works Cited|Literature Cited)"
    r"\s*(?:[（(]\s*References\s*[)）])?\s*[:：]?\s*$")

_NUMBERED = r"[\[［【]\s*\d{1,3}\s*[\]］】]|[(（]\d{1,3}[)）]|\d{1,3}\s*[.．、](?!\d)|\d{1,3}\s(?=[A-Z\u4e00-\u9fff])"
# 边燕杰、肖阳．/ 迪顿，安格斯．/ 王某某等．/ 国家统计局．: names (or a body) then a full stop or comma
_ZH_AUTHORS = r"[\u4e00-\u9fff·]{2,12}(?:[、，,]\s*[\u4e00-\u9fff·]{1,12}){0,6}(?:\s*等)?\s*[．.,，]"
# Bandelj，Nina and … / Di Tella, Rafael / Smith, J. / Smith J, Lee K. / van Dijk, T. / O’Neil, C.
_EN_AUTHOR = (r"(?:(?:van|von|de|da|del|di|le|la)\s)?[A-Z][A-Za-z'’\-]+(?:\s[A-Z][A-Za-z'’\-]+)?\s*[,，]\s*"
              r"(?:[A-Z][a-zA-Z'’\-]*\.?|and\b|&)"
              r"|[A-Z][a-z'’\-]+(?:\s[A-Z]{1,3})+[,，.]\s")
# Sergey Brin. 1998. / Eugene Agichtein and L. Gravano. 2000. / World Bank (2020): capitalised names, then the year
_EN_NAMES_YEAR = r"[A-Z][\w'’\-]*\.?(?:[ ,]+(?:and\s|&\s)?[A-Z][\w'’\-]*\.?){0,24}[.,]?\s*\(?(?:19|20)\d{2}[a-z]?\)?[.,:]"
ENTRY_START_RE = re.compile(rf"^\s*(?:{_NUMBERED}|{_ZH_AUTHORS}|{_EN_AUTHOR}|{_EN_NAMES_YEAR})")
_NUMBERED_RE = re.compile(rf"^\s*(?:{_NUMBERED})")


def starts_entry(text: str) -> bool:
    """Does this line begin the way a reference entry begins?"""
    return bool(ENTRY_START_RE.match(text))


def group_entries(texts: Sequence[str], indents: Optional[Sequence[float]] = None,
                  em: float = 10.0) -> list[list[int]]:
    """Indices of the lines of each entry, in order. `indents`: each line's distance from its
    column's left edge (PDF points). Under a hanging indent (lines set in by about an em that do
    not begin like entries) an entry starts exactly where a line is not set in; in a numbered list,
    at each number; otherwise where a line begins like an entry."""
    if not texts:
        return []
    inset = [False] * len(texts)
    if indents is not None and len(indents) == len(texts):
        inset = [0.5 * em < x < 5 * em for x in indents]
    cont = [i for i, flag in enumerate(inset) if flag]
    hanging = len(cont) >= 2 and sum(1 for i in cont if not starts_entry(texts[i])) >= 0.6 * len(cont)
    numbered = sum(1 for t in texts if _NUMBERED_RE.match(t)) >= 0.5 * max(1, sum(1 for t in texts if starts_entry(t)))
    groups: list[list[int]] = []
    for i, t in enumerate(texts):
        if hanging:
            new = not inset[i]
        elif numbered:
            new = bool(_NUMBERED_RE.match(t))
        else:
            new = starts_entry(t)
        if new or not groups:
            groups.append([i])
        else:
            groups[-1].append(i)
    return groups
