"""What the claim tagger knows about a sentence besides its words: genre, section, paragraph.

A sentence's section prior comes from the headings above it (rules.inherit_section) and from its
part's role (Sentence.role, set by structure). Reports whose part headings carry no numbering can
reach the tagger as body lines; a short unpunctuated line whose heading cues name a role ("2025年
工作安排") then opens a section for the lines after it, so the prior is not lost.

The paragraph matters as much: a work report's shortcomings paragraph sits inside the review of
the year and is announced by its first sentence ("我们也清醒认识到…"), so each sentence also sees
the cues of its paragraph's lead and of the sentence before it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.document.model import CLAIM_KINDS, Document, Sentence
from pipeline.tagging import rules as R
from pipeline.tagging.lexicon import CueHit, Lexicon, norm

GENRES = ("report", "policy", "paper", "en_policy", "en_paper")

_END_PUNCT = re.compile(r"[。！？!?；;：:.…]\s*$")
_ZH_POLICY = re.compile(r"(?:通知|办法|意见|规定|细则|条例|方案|措施|政策)(?:[》\s]|$)|印发|各有关单位|各县|各区")
_EN_POLICY = re.compile(r"\b(?:Act|Section|§|U\.S\.C\.|Federal Register|CFR|regulation|rulemaking|statute|"
                        r"Congress|agency|shall|guidance|NIST|Executive Order|Public Law|proposed rule)\b")
_EN_PAPER = re.compile(r"\b(?:et al\.|we propose|our model|our method|experiment|dataset|baseline|"
                       r"in this paper|we show|we find)\b", re.I)


def document_genre(doc: Document, sentences: list[Sentence]) -> str:
    """report | policy | paper | en_policy | en_paper, from the document's own words."""
    head = " ".join(s.text for s in sentences[:40])
    if sum(1 for s in sentences if s.lang == "en") > len(sentences) / 2:
        body = " ".join(s.text for s in sentences[:300])
        return "en_policy" if len(_EN_POLICY.findall(body)) > len(_EN_PAPER.findall(body)) else "en_paper"
    if R.is_government_report(doc.title or "", (doc.text or "")[:2000] or head):
        return "report"
    if _ZH_POLICY.search(norm(doc.title or "")) or _ZH_POLICY.search(norm(head[:300])):
        return "policy"
    return "paper"


@dataclass
class SentenceContext:
    sentence: Sentence
    genre: str
    section: R.HeadingClass  # class inherited from the headings above (and pseudo-headings)
    role: str  # Sentence.role ("" when structure set none)
    position: float  # 0..1 among the document's claim sentences
    block_pos: int  # index within its paragraph
    hits: list[CueHit]
    cue_scores: dict[str, float]  # per label, each distinct cue once
    lead_scores: dict[str, float] = field(default_factory=dict)  # its paragraph's first sentence
    lead_hits: list[CueHit] = field(default_factory=list)
    prev_scores: dict[str, float] = field(default_factory=dict)  # previous sentence, same paragraph
    pseudo_heading: bool = False  # an unpunctuated short line that opened a section
    # share of the document's sentences with clear prescriptive cues: a policy text or a statute
    # summary prescribes throughout, a paper or a report only in places
    doc_prescriptive: float = 0.0


def cue_scores(hits: list[CueHit]) -> dict[str, float]:
    seen: dict[tuple[str, str], float] = {}
    for h in hits:
        seen[(h.label, h.cue)] = h.weight
    out = {lab: 0.0 for lab in R.LABELS}
    for (lab, _), w in seen.items():
        if lab in out:
            out[lab] += w
    return out


def _looks_like_heading(s: Sentence) -> bool:
    t = norm(s.text).strip()
    if _END_PUNCT.search(t) or not t:
        return False
    return len(t) <= 40 if s.lang != "en" else len(t.split()) <= 12


def document_contexts(doc: Document, cues: Lexicon, headings: Lexicon) -> list[SentenceContext]:
    """One context per claim sentence (kind body/abstract), in document order."""
    sents = [s for s in doc.sentences if s.kind in CLAIM_KINDS]
    genre = document_genre(doc, sents)
    block_size: dict[int, int] = {}
    for s in sents:
        block_size[s.block_index] = block_size.get(s.block_index, 0) + 1
    cache: dict[tuple[str, ...], R.HeadingClass] = {}
    pseudo: tuple[tuple[str, ...], str] | None = None  # (section path it sits in, its text)
    out: list[SentenceContext] = []
    n = max(len(sents) - 1, 1)
    prev: SentenceContext | None = None
    lead: SentenceContext | None = None
    for i, s in enumerate(sents):
        path = tuple(s.section_path)
        is_pseudo = False
        if block_size[s.block_index] == 1 and _looks_like_heading(s):
            hc = R.heading_class(s.text, headings, cues)
            if hc.strength == "strong" and hc.label:
                pseudo, is_pseudo = (path, s.text), True
        if pseudo is not None and pseudo[0] != path[:len(pseudo[0])]:
            pseudo = None  # a real heading took over
        if pseudo is not None and not is_pseudo and len(path) == len(pseudo[0]):
            path = path + (pseudo[1],)
        if path not in cache:
            cache[path] = R.inherit_section(list(path), headings, cues, outer_first=genre == "report")
        hits = cues.hits(s.text)
        same_block = prev is not None and prev.sentence.block_index == s.block_index
        ctx = SentenceContext(s, genre, cache[path], s.role or "", i / n,
                              (prev.block_pos + 1) if same_block and prev else 0, hits, cue_scores(hits),
                              pseudo_heading=is_pseudo)
        if same_block and prev is not None and lead is not None:
            ctx.prev_scores = prev.cue_scores
            ctx.lead_scores, ctx.lead_hits = lead.cue_scores, lead.hits
        else:
            lead = ctx
        out.append(ctx)
        prev = ctx
    share = sum(1 for c in out if c.cue_scores["countermeasure"] >= 1.5) / max(len(out), 1)
    for c in out:
        c.doc_prescriptive = share
    return out
