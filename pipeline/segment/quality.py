"""How whole are a document's sentences? Measures used by benchmarks/sentence_quality.py and the
slow tests on the shared real PDFs (issue 9, part 3).

- Chinese body sentence *unterminated*: does not end with sentence punctuation (。！？!?；;：:… or
  an English full stop), closing quotes/brackets and a trailing citation/footnote bracket allowed.
- English *fragment*, any of: starts with a lower-case letter (a sentence cut in two, or a line
  joined to the wrong one), ends without . ! ? : ; (closing quotes/brackets allowed), or has fewer
  than 4 words (what remains of a split after "et al." / "e.g." / "Fig."). Whole sentences with
  fewer than 4 words exist ("See below."), so the measure over-counts a little. List items are
  judged as items: after a lead-in ending in ":" or ";", or behind a bullet / "(a)" / "1)", an item
  may start in lower case, be short, and end in "," / "; and" / "; or"; a bulleted item may end
  without punctuation. Headings and front matter that structure leaves in the body count against
  the reader: the measure takes the pipeline's output as it is.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..document import Document, Sentence

_CLOSERS = "”’\"'」』）)\\]】》>"
# trailing reference marks that may follow the end punctuation: "[12]", "［3］", "(Smith 2010)"
_TRAIL = r"(?:\s*(?:\[[\d,\s\-–]+\]|［[\d,\s\-–]+］))*"
ZH_TERMINATED = re.compile(rf"[。！？!?；;：:…．.][{_CLOSERS}]*{_TRAIL}\s*$")
EN_TERMINATED = re.compile(rf"[.!?:;][{_CLOSERS}]*{_TRAIL}\s*$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d[\d.,%]*")
_FIRST_LETTER = re.compile(r"[A-Za-z]")
# list markers a sentence may start with: "(a)", "1.", "•", "-", "i."
_MARKER = re.compile(r"^\s*(?:[•·\-–—*]\s*|\(?[0-9ivxlcdIVXLCD]{1,4}[.)]\s+|\([a-zA-Z]\)\s*)")
# lower-case word starts that are normal at a sentence start
_LOWER_OK = re.compile(r"^(?:e\.g\.|i\.e\.|iPhone|iPad|eBay|pH|p-value|mRNA|vs\.)")

_ITEM_END = re.compile(r"(?:[;,]\s*(?:and|or)|,)\s*$")
_BULLET = re.compile(r"^\s*[•·▪■●◆◦○►✓\-–*]\s")
_LEAD_IN = re.compile(r"[:;]\s*$")

BODY_KINDS = ("body", "abstract")


def zh_unterminated(text: str) -> bool:
    return not ZH_TERMINATED.search(unicodedata.normalize("NFKC", text).strip())


def en_fragment_reasons(text: str, item: bool = False) -> list[str]:
    """Why an English sentence counts as a fragment ([] when it is whole). A list item (`item`: the
    sentence before it ends in ":" or ";", or it starts with a bullet or "(a)") may start in lower
    case and end in ";" / "; and" / "; or"."""
    t = unicodedata.normalize("NFKC", text).strip()
    reasons = []
    body = _MARKER.sub("", t, count=1)
    item = item or body != t
    m = _FIRST_LETTER.search(body)
    if (m and m.start() <= 2 and body[m.start()].islower() and not _LOWER_OK.match(body[m.start():])
            and not item):
        reasons.append("lowercase start")
    bullet = bool(_BULLET.match(t))
    if not (EN_TERMINATED.search(t) or (item and _ITEM_END.search(t)) or bullet):
        reasons.append("no end punctuation")  # (a bulleted item may end without any)
    if len(_WORD.findall(t)) < 4 and not item:
        reasons.append("under 4 words")
    return reasons


@dataclass
class SentenceQuality:
    body: int = 0
    zh: int = 0
    zh_unterminated: int = 0
    en: int = 0
    en_fragments: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    zh_examples: list[str] = field(default_factory=list)
    en_examples: list[tuple[str, str]] = field(default_factory=list)

    @property
    def zh_unterminated_pct(self) -> float:
        return 100.0 * self.zh_unterminated / self.zh if self.zh else 0.0

    @property
    def en_fragment_pct(self) -> float:
        return 100.0 * self.en_fragments / self.en if self.en else 0.0


def body_sentences(doc: Document) -> list[Sentence]:
    return [s for s in doc.sentences if s.kind in BODY_KINDS]


def sentence_quality(doc: Document, examples: int = 5) -> SentenceQuality:
    """Counts over the document's body/abstract sentences (Chinese by the zh rule, English by the
    fragment rule; mixed sentences are counted as Chinese)."""
    q = SentenceQuality()
    prev = ""
    for s in body_sentences(doc):
        q.body += 1
        item, prev = bool(_LEAD_IN.search(prev)), s.text
        if s.lang == "en":
            q.en += 1
            why = en_fragment_reasons(s.text, item)
            if why:
                q.en_fragments += 1
                for r in why:
                    q.reasons[r] = q.reasons.get(r, 0) + 1
                q.en_examples.append((", ".join(why), s.text))
        else:
            q.zh += 1
            if zh_unterminated(s.text):
                q.zh_unterminated += 1
                q.zh_examples.append(s.text)
    q.zh_examples = _spread(q.zh_examples, examples)
    q.en_examples = _spread(q.en_examples, examples)
    return q


def _spread(items: list, n: int) -> list:
    """n items evenly spread over the list (examples from the whole document, not its first page)."""
    if len(items) <= n:
        return items
    return [items[round(k * (len(items) - 1) / max(n - 1, 1))] for k in range(n)]
