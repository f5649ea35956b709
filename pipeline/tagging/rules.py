"""Rule layer of the claim tagger: heading classes, section inheritance, sentence cues.

How this literature is written (gold/GUIDE.md): papers and reports announce the role of a section
in its heading (…存在的问题 / 对策建议 / 发展现状 / 文献综述), and government work reports are split
into a review of the past year (achievements, even when phrased with action verbs), a shortcoming
paragraph (清醒认识到…困难和问题) and the year's tasks (countermeasures). A sentence therefore
starts from the class of the nearest classified heading above it; cue words in the sentence add
to that, and only a strong set of cues (or a problem paragraph already opened) overrides it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.paths import DEFAULT_MODELS as MODELS_DIR
from pipeline.tagging.lexicon import CueHit, Lexicon, load_lexicon, norm

LABELS = ("problem", "countermeasure", "achievement", "background")
DEFAULT_MODELS_DIR = MODELS_DIR / "claims"

# Leading section numbers: "4.1 ", "二、", "（三）", "3.", "(2)", "第一章", "Ⅱ.", "A."
_NUMBERING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百]+[章节部分篇]\s*|[0-9]+(?:[.．][0-9]+)*[.．、]?\s*|"
    r"[一二三四五六七八九十]+[、.．]\s*|[（(][一二三四五六七八九十0-9]+[)）]\s*|"
    r"[IVXⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+[.、．]\s*)"
)
_STAT = re.compile(r"[0-9][0-9 .]*\s*(?:%|万|亿|家|个|件|人|辆|台|元|吨)")
_MIXED = re.compile(r"然而|但是|但|虽然|尽管|不过|针对|解决|正视|however|although|while|despite|in view of",
                    re.IGNORECASE)
_JOINERS = re.compile(r"与|和|及|以及|、|\band\b|&", re.IGNORECASE)


@dataclass
class RuleParams:
    """Weights of the rule layer (kept together so they are visible and recorded with the model)."""

    strong_prior: float = 3.0  # a sentence under a strong heading of class C starts with C += this
    weak_prior: float = 1.5
    no_section_background: float = 2.0  # body text under no classified heading leans background
    abstract_background: float = 0.5
    # Inside a classified section, cues for another label count for less: a review's action
    # verbs describe work done, a problem section's "仍需加强" still states the gap.
    cross_cue_factor: float = 0.5
    strong_cue: float = 2.0  # cues this heavy are explicit discourse markers: never damped
    problem_carry: float = 3.0  # later sentences of a paragraph an override opened as a problem
    secondary_min: float = 2.0  # cue weight a second label needs to be listed as secondary

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class HeadingClass:
    label: str | None
    strength: str | None  # strong | weak | None
    heading: str = ""
    cues: list[str] = field(default_factory=list)


@dataclass
class RuleResult:
    scores: dict[str, float]  # prior + cues, per label
    cue_scores: dict[str, float]  # cues only (after cross-section damping)
    hits: list[CueHit]
    section: HeadingClass
    label: str
    rule: str  # which rule decided
    secondary: list[str]
    confidence: float


def load_rule_lexicons(models_dir: Path = DEFAULT_MODELS_DIR) -> tuple[Lexicon, Lexicon]:
    """(sentence cues, heading cues) from models_dir/cues.tsv and models_dir/headings.tsv."""
    return load_lexicon(Path(models_dir) / "cues.tsv"), load_lexicon(Path(models_dir) / "headings.tsv")


def strip_numbering(heading: str) -> str:
    return _NUMBERING.sub("", norm(heading).strip(), count=1)


def heading_class(heading: str, lex: Lexicon, cues: Lexicon | None = None) -> HeadingClass:
    """Class of one heading from its cues. Two different strong classes joined by 与/和/and
    ("问题与对策") cancel out; otherwise the head noun decides (last in Chinese, first in English).
    Without a strong cue, the heading's weak cues plus the sentence cues (`cues`) give a weak class:
    "4.2 技术协同创新能力不强" reads as a problem even though it does not say 问题."""
    text = strip_numbering(heading)
    hits = lex.hits(text)
    strong = [h for h in hits if h.weight >= 1.0]
    real = [h for h in strong if h.label != "none"]
    if strong and not real:
        return HeadingClass(None, None, heading, [h.cue for h in strong])
    labels = list(dict.fromkeys(h.label for h in real))
    if len(labels) == 1:
        return HeadingClass(labels[0], "strong", heading, [h.cue for h in real])
    if len(labels) > 1:
        first, last = real[0], real[-1]
        between = text[first.end:last.start]
        if _JOINERS.search(between):
            return HeadingClass(None, None, heading, [h.cue for h in real])
        english = bool(re.match(r"^[\x00-\x7f]*$", text))
        pick = first if english else last
        return HeadingClass(pick.label, "strong", heading, [pick.cue])
    weak: dict[str, float] = {}
    for h in hits:
        if h.label != "none":
            weak[h.label] = weak.get(h.label, 0.0) + h.weight
    if cues is not None:
        for h in cues.hits(text):
            if h.label != "background":
                weak[h.label] = weak.get(h.label, 0.0) + 0.5 * h.weight
                hits.append(h)
    weak = {k: v for k, v in weak.items() if v >= 0.5}
    if not weak:
        return HeadingClass(None, None, heading, [])
    ranked = sorted(weak.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return HeadingClass(None, None, heading, [h.cue for h in hits])
    lab = ranked[0][0]
    return HeadingClass(lab, "weak", heading, [h.cue for h in hits if h.label == lab])


def inherit_section(section_path: list[str], lex: Lexicon, cues: Lexicon | None = None,
                    outer_first: bool = False) -> HeadingClass:
    """Nearest strong class in the path (innermost first); failing that the nearest weak one.

    An outer strong heading beats an inner weak one: under "3 …存在的问题", a sub-heading that
    merely reads like a measure is still part of the problem section. `outer_first` (work
    reports): the part heading decides and inner headings are topics ("（三）…取得新成效" inside
    the year's tasks is still a task).
    """
    weak: HeadingClass | None = None
    for h in (section_path if outer_first else reversed(section_path)):
        hc = heading_class(h, lex, cues)
        if hc.strength == "strong":
            return hc
        if hc.strength == "weak" and weak is None:
            weak = hc
    return weak or HeadingClass(None, None, section_path[-1] if section_path else "", [])


def is_government_report(title: str, first_text: str) -> bool:
    """Government work reports have their own section semantics (GUIDE.md genre notes)."""
    t = norm(title + "\n" + first_text[:2000])
    return "政府工作报告" in t or "各位代表" in t


def softmax(scores: dict[str, float], temperature: float = 1.5) -> dict[str, float]:
    m = max(scores.values())
    ex = {k: math.exp((v - m) / temperature) for k, v in scores.items()}
    z = sum(ex.values())
    return {k: v / z for k, v in ex.items()}


def score_sentence(text: str, kind: str, section: HeadingClass, cues: Lexicon | None,
                   params: RuleParams, carry_problem: bool = False,
                   hits: list[CueHit] | None = None) -> RuleResult:
    """Rule scores of one sentence given its inherited section class (`hits`: its cue hits when
    the caller already has them, else found with `cues`)."""
    if hits is None:
        if cues is None:
            raise ValueError("score_sentence needs the cue lexicon or the sentence's cue hits")
        hits = cues.hits(text)
    # Each distinct cue counts once: four 打造 in one sentence are not four times the evidence.
    seen: dict[tuple[str, str], float] = {}
    for h in hits:
        seen[(h.label, h.cue)] = h.weight
    raw = {lab: 0.0 for lab in LABELS}
    cue_scores = {lab: 0.0 for lab in LABELS}
    damp = section.label in ("problem", "countermeasure", "achievement")
    for (lab, _), w in seen.items():
        raw[lab] += w
        if damp and lab != section.label and lab != "background" and w < params.strong_cue:
            w *= params.cross_cue_factor
        cue_scores[lab] += w
    scores = dict(cue_scores)
    if (section.label == "problem" and raw["problem"] == 0 and _STAT.search(text)):
        # GUIDE: a neutral statistic inside a problem section stays background
        scores["background"] += params.strong_prior + 0.5
    if section.label:
        scores[section.label] += params.strong_prior if section.strength == "strong" else params.weak_prior
    elif kind == "abstract":
        scores["background"] += params.abstract_background
    else:
        scores["background"] += params.no_section_background
    if carry_problem:
        scores["problem"] += params.problem_carry
    label = max(LABELS, key=lambda lab: (scores[lab], -LABELS.index(lab)))
    if carry_problem and label == "problem":
        rule = "paragraph:problem-carry"
    elif section.label and label == section.label:
        rule = f"section:{section.strength}"
    elif section.label == "problem" and label == "background" and raw["problem"] == 0:
        rule = "section:neutral-statistic"
    elif section.label:
        rule = "cue:override"
    elif cue_scores[label] > 0:
        rule = "cue"
    else:
        rule = "default:background"
    # Secondary labels only for visibly mixed sentences (GUIDE: "…取得了成效,然而仍面临…" and
    # "针对…问题,需要…"): a contrast or purpose marker plus enough cue weight for the other label.
    secondary = []
    if _MIXED.search(norm(text)):
        secondary = [lab for lab in ("problem", "countermeasure", "achievement")
                     if lab != label and raw.get(lab, 0.0) >= params.secondary_min]
    conf = softmax(scores)[label]
    return RuleResult(scores, cue_scores, hits, section, label, rule, secondary, conf)
