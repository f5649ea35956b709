"""English sentence ends, by rule (no model to download; spaCy's blank sentencizer splits after
every full stop, "et al.," and "Fig." included).

A sentence ends at . ! ? (… closing quotes and brackets, a trailing citation "[12]") followed by
white space and a sentence start: an upper-case letter, a digit, an opening quote or bracket. It
does not end
- after an abbreviation that never ends one (Fig., No., Sec., e.g., i.e., Dr., pp.: the "never"
  class of models/segment/en_abbreviations.tsv),
- after one that usually sits inside a sentence (et al., U.S., Inc., Jan.: the "inner" class) or a
  single initial ("J. Smith"), unless the next word is a typical sentence opener (The, This, We,
  However…: models/segment/en_sentence_openers.txt),
- inside a number (3.5, 1.2.3: no white space follows), or before a lower-case word.
A full stop glued to the next sentence ("industry.Platforms", seen in scraped abstracts) ends one
when a word of two or more lower-case letters precedes it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import LitmineError, Msg

_END_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?:\[\d+(?:\s*[,–\-]\s*\d+)*\])?(?=\s)")
_GLUED_RE = re.compile(r"(?<=[a-z]{2})[.!?](?=[A-Z][a-z])")
_NEXT_RE = re.compile(r"\s+([\"'“‘(\[]?)([^\s\"'“‘(\[]*)")
_TOKEN_RE = re.compile(r"(?:^|(?<=[\s(\[\"'“‘]))[^\s(\[\"'“‘]+$")
_INITIAL_RE = re.compile(r"^[A-Z]$")


@dataclass(frozen=True)
class EnglishRules:
    never: frozenset[str]
    inner: frozenset[str]
    openers: frozenset[str]

    @classmethod
    def load(cls, models_dir: Path) -> "EnglishRules":
        """Read the abbreviation and opener lists (one configuration error up front if malformed)."""
        folder = Path(models_dir) / "segment"
        never: set[str] = set()
        inner: set[str] = set()
        abbr = folder / "en_abbreviations.tsv"
        for n, line in enumerate(_rows(abbr), 1):
            parts = line.split("\t")
            if len(parts) != 2 or parts[0] not in ("never", "inner") or not parts[1]:
                raise LitmineError(Msg.RULE_ROW.format(file=abbr, line=n, why="want: never|inner<TAB>abbreviation"))
            (never if parts[0] == "never" else inner).add(parts[1].lower())
        openers = {w.lower() for w in _rows(folder / "en_sentence_openers.txt")}
        return cls(frozenset(never), frozenset(inner), frozenset(openers))

    def cuts(self, text: str) -> list[int]:
        """Offsets in `text` after which a sentence ends (white space after them not included)."""
        out: list[int] = []
        for m in _END_RE.finditer(text):
            if self._ends(text, m.start(), m.end()):
                out.append(m.end())
        for m in _GLUED_RE.finditer(text):
            word = _TOKEN_RE.search(text, 0, m.start())
            if word is None or word.group().lower().rstrip(".") not in self.never | self.inner:
                out.append(m.end())
        return sorted(set(out))

    def _ends(self, text: str, start: int, end: int) -> bool:
        nxt = _NEXT_RE.match(text, end)
        if nxt is None or not (nxt.group(1) or nxt.group(2)):
            return False
        opener, word = nxt.group(1), nxt.group(2)
        first = word[:1]
        if opener == "(" or opener == "[":
            if not first.isupper():
                return False  # "et al. (2020)", "shown. [3]" stays with its sentence
            if opener == "(" and _citation(text, nxt.start(1)):
                return False  # "… is prohibited. (Section 1201(e))." stays with its sentence
        elif not (first.isupper() or first.isdigit() or opener):
            return False  # a lower-case word (or a symbol) goes on the sentence
        if text[start] != ".":
            return True  # ! ? …
        token = _TOKEN_RE.search(text, 0, start)
        tok = token.group() if token else ""
        key = tok.lower().rstrip(".")
        if not key:
            return True
        if key in self.never:
            return False
        opens = word.strip(".,;:").lower() in self.openers
        if key in self.inner or _INITIAL_RE.match(tok) or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", tok):
            return opens  # "et al. The" / "U.S. It" end a sentence, "J. Smith" / "U.S. Department" do not
        if first.isdigit() and len(key) <= 3 and key.isalpha() and not key.islower():
            return False  # "Art. 5", "Ch. 3" style labels not in the list
        return True


def _citation(text: str, at: int) -> bool:
    """A short parenthetical (six words at most) that closes the sentence it follows."""
    depth = 0
    for k in range(at, min(len(text), at + 100)):
        if text[k] == "(":
            depth += 1
        elif text[k] == ")":
            depth -= 1
            if depth == 0:
                inner = text[at + 1:k]
                rest = text[k + 1:k + 3]
                return len(inner.split()) <= 6 and (not rest.strip() or rest[0] in ".;,")
    return False


def _rows(path: Path) -> list[str]:
    if not path.exists():
        raise LitmineError(Msg.RULE_ROW.format(file=path, line=0, why="file missing"))
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]
