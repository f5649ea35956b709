"""Cue lexicons: editable TSV files under models/claims/, loaded explicitly (no module state).

File format (one cue a line, `#` comments):
    cues.tsv      label <TAB> weight <TAB> cue
    headings.tsv  label <TAB> strong|weak <TAB> cue
A cue is a literal substring; "…" inside it matches up to 20 characters; "re:" starts a regular
expression. Cues made of ASCII letters match case-insensitively and only at a word start, so
"low" fires on "lower" but not on "allow".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

_ASCII_WORD = re.compile(r"^[A-Za-z][A-Za-z \-']*$")


@dataclass(frozen=True)
class Cue:
    label: str
    weight: float  # for headings: 1.0 strong, 0.5 weak
    text: str  # as written in the file, shown in evidence
    pattern: re.Pattern
    # a substring every match contains (lowercased), checked before the regex: most cues are
    # plain words, and ~300 regex scans per sentence were the tagger's hot spot
    probe: str = ""


@dataclass(frozen=True)
class CueHit:
    label: str
    weight: float
    cue: str
    start: int
    end: int


@dataclass
class Lexicon:
    cues: list[Cue] = field(default_factory=list)
    source: str = ""

    def hits(self, text: str) -> list[CueHit]:
        """Non-overlapping cue matches in `text` (NFKC), longest first."""
        t = norm(text)
        low = t.lower()
        found: list[CueHit] = []
        for c in self.cues:
            if c.probe and c.probe not in low:
                continue
            for m in c.pattern.finditer(t):
                if m.end() > m.start():
                    found.append(CueHit(c.label, c.weight, c.text, m.start(), m.end()))
        # Longest match wins where cues overlap: "待完善" must silence "完善".
        found.sort(key=lambda h: (-(h.end - h.start), h.start, h.cue))
        taken = [False] * (len(t) + 1)
        out: list[CueHit] = []
        for h in found:
            if any(taken[h.start:h.end]):
                continue
            for k in range(h.start, h.end):
                taken[k] = True
            out.append(h)
        out.sort(key=lambda h: h.start)
        return out

    def scores(self, text: str) -> tuple[dict[str, float], list[CueHit]]:
        hits = self.hits(text)
        s: dict[str, float] = {}
        for h in hits:
            s[h.label] = s.get(h.label, 0.0) + h.weight
        return s, hits


def norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def compile_cue(cue: str) -> re.Pattern:
    if cue.startswith("re:"):
        return re.compile(cue[3:])
    if _ASCII_WORD.match(cue):
        return re.compile(r"(?<![A-Za-z])" + re.escape(cue), re.IGNORECASE)
    parts = [re.escape(norm(p)) for p in cue.split("…")]
    return re.compile(".{0,20}?".join(parts))


def _probe(cue: str) -> str:
    """Longest literal piece of a cue (empty for regex cues: they are always scanned)."""
    if cue.startswith("re:"):
        return ""
    return max((norm(p) for p in cue.split("…")), key=len).lower()


def load_lexicon(path: Path) -> Lexicon:
    """Load cues.tsv (numeric weights) or headings.tsv (strong/weak)."""
    cues = []
    for lineno, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) != 3:
            raise ValueError(f"{path}:{lineno}: expected label<TAB>weight<TAB>cue, got {raw!r}")
        label, w, cue = parts[0].strip(), parts[1].strip(), parts[2]
        weight = {"strong": 1.0, "weak": 0.5}.get(w)
        if weight is None:
            weight = float(w)
        cues.append(Cue(label, weight, cue, compile_cue(cue), _probe(cue)))
    return Lexicon(cues, str(path))
