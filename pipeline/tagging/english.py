"""The rule layer for English sentences: their own cues decide, in the genre's conventions.

English texts rarely announce section roles in words the heading lexicon knows, and a rule's or a
statute's summary prescribes in every paragraph. GUIDE (English policy texts): a law's or rule's
provisions (creates, requires, prohibits, permits, directs, sets a penalty or a deadline) are
countermeasures, also when a memo only summarises them. So in a text that mostly sets out
provisions, a sentence with a provision cue is one, and so is a cue-less sentence that continues a
provision paragraph. Research findings ("we find that … rose") are not achievements: no label.

Used twice: as labelling functions for weak labels (pipeline/training/claims_weak.py), and by the
tagger, where a label found here from the sentence's own cues overrides the classifier (English
training text is scarce, so the classifier's English is the weaker voice).
"""
from __future__ import annotations

import re

from pipeline.tagging.context import SentenceContext

LABELS = ("problem", "countermeasure", "achievement", "background")
# a text "sets out provisions" when this share of its sentences carries clear prescriptive cues
PROVISION_SHARE = 0.25
# an English sentence that starts like one and ends like one (PDF fragments teach nothing)
_WHOLE_EN = re.compile(r"^[\"“‘(A-Z0-9•].*[.?!:;)\"”’]$", re.S)


def _top(scores: dict[str, float]) -> tuple[str, float]:
    lab = max(LABELS, key=lambda k: (scores.get(k, 0.0), -LABELS.index(k)))
    rest = max(v for k, v in scores.items() if k != lab)
    return lab, scores[lab] - rest


def english_rule_labels(ctxs: list[SentenceContext]) -> list[tuple[str | None, str]]:
    """(label or None, rule) per context of an English document."""
    provisions = bool(ctxs) and ctxs[0].genre == "en_policy" and ctxs[0].doc_prescriptive >= PROVISION_SHARE
    out: list[tuple[str | None, str]] = []
    for c in ctxs:
        sc = dict(c.cue_scores)
        if c.section.label in ("problem", "countermeasure") and c.section.strength == "strong":
            sc[c.section.label] += 1.5  # (not background: an "Introduction" heading may span a whole memo)
        lab, lead = _top(sc)
        context_cm = max(c.prev_scores.get("countermeasure", 0.0), c.lead_scores.get("countermeasure", 0.0))
        text = c.sentence.text.strip()
        if c.pseudo_heading or len(text.split()) < 5 or not _WHOLE_EN.match(text):
            out.append((None, "en:fragment"))
        elif lab == "achievement" and c.genre == "en_paper":
            out.append((None, "en:finding"))
        elif sc[lab] >= 1.5 and lead >= 1.0:
            out.append((lab, f"en:cue:{lab}"))
        elif provisions and lab == "countermeasure" and sc[lab] >= 1.0 and lead >= 0.5:
            out.append(("countermeasure", "en:provision"))
        elif max(sc.values()) == 0 and provisions and context_cm >= 1.5:
            out.append(("countermeasure", "en:provision-paragraph"))
        elif max(sc.values()) == 0 and not provisions:
            out.append(("background", "en:no-cue"))
        else:
            out.append((None, "en:unsure"))
    return out
