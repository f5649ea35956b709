"""Weak labels for the claim classifier, read off document structure and the source's annotation.

The labelling functions encode how the genres are written (shared/gold/GUIDE.md), never the text
of a particular document:

- work reports: the review of the year → achievement; its shortcomings paragraph (opened by
  "清醒认识到…", models/claims/weak.tsv) → problem up to the sentence that promises to solve them;
  the year's targets and tasks → countermeasure; thanks, tributes, "今年是…之年", calls to unity
  (background cues of models/claims/cues.tsv) → background; the opening address → background;
- papers, abstracts, English texts: the rule layer (section class + cue lexicon), kept only where
  it is clear (score margin), so the classifier learns the words around the cues;
- local policy documents (NLP_Policy): sentences annotated as policy content, application
  procedure, supervision or fund management prescribe action → countermeasure.

A sentence no function is sure about gets no label (None) and is left out of training.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.tagging import rules as R
from pipeline.tagging.context import SentenceContext
from pipeline.tagging.english import english_rule_labels
from pipeline.tagging.lexicon import compile_cue

WEAK_FILE = "weak.tsv"
# NLP_Policy sentence types that prescribe action (the rest: unlabelled or 政策目标, a purpose clause)
POLICY_ACTION_TYPES = ("政策内容", "申请审核程序", "监管评估", "资金管理")
RULE_MARGIN = 1.0
  # rule-layer labels kept when the best label leads the next by this much


@dataclass
class WeakRules:
    openers: list[re.Pattern]
    closers: list[re.Pattern]

    @classmethod
    def load(cls, models_dir: Path) -> "WeakRules":
        openers: list[re.Pattern] = []
        closers: list[re.Pattern] = []
        path = Path(models_dir) / WEAK_FILE
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not raw.strip() or raw.startswith("#"):
                continue
            kind, _, pat = raw.partition("\t")
            if kind not in ("opener", "closer") or not pat:
                raise ValueError(f"{path}:{lineno}: expected opener|closer<TAB>pattern")
            (openers if kind == "opener" else closers).append(compile_cue(pat))
        return cls(openers, closers)

    def opens(self, text: str) -> bool:
        return any(p.search(text) for p in self.openers)

    def closes(self, text: str) -> bool:
        return any(p.search(text) for p in self.closers)


def _top(scores: dict[str, float]) -> tuple[str, float]:
    lab = max(R.LABELS, key=lambda k: (scores.get(k, 0.0), -R.LABELS.index(k)))
    rest = max(v for k, v in scores.items() if k != lab)
    return lab, scores[lab] - rest


def _blocks(ctxs: list[SentenceContext]) -> list[list[int]]:
    out: list[list[int]] = []
    for i, c in enumerate(ctxs):
        if c.block_pos == 0 or not out:
            out.append([])
        out[-1].append(i)
    return out


def _dominant(scores: dict[str, float], label: str, minimum: float, lead: float = 0.0) -> bool:
    return scores[label] >= minimum and all(scores[label] > v + lead for k, v in scores.items()
                                            if k != label and k != "background")


def _report_labels(ctxs: list[SentenceContext], rules: WeakRules) -> list[tuple[str | None, str]]:
    out: list[tuple[str | None, str]] = [(None, "")] * len(ctxs)
    seen_heading = False
    run: tuple[str | None, str] | None = None  # section of an open shortcomings run
    for block in _blocks(ctxs):
        first = ctxs[block[0]]
        sec = (first.section.label, first.section.heading)
        seen_heading = seen_heading or bool(first.sentence.section_path) or first.pseudo_heading
        start = None
        if run is not None and run == sec and _dominant(first.cue_scores, "problem", 1.5):
            start = 0  # the shortcomings go on over another line
        elif seen_heading and sec[0] in ("achievement", None):
            for k, i in enumerate(block[:3]):
                c = ctxs[i]
                if rules.opens(c.sentence.text) or _dominant(c.cue_scores, "problem", 2.5, lead=1.0):
                    start = k
                    break
        run = None
        if start is not None:
            for k, i in enumerate(block):
                out[i] = (None, "report:before-shortcomings") if k < start else ("problem", "report:shortcomings")
                if k >= start and rules.closes(ctxs[i].sentence.text):
                    for j in block[k + 1:]:
                        out[j] = (None, "report:after-closer")
                    break
            else:
                run = sec
            continue
        for i in block:
            out[i] = _report_sentence(ctxs[i], seen_heading)
    return out


def _report_sentence(c: SentenceContext, seen_heading: bool) -> tuple[str | None, str]:
    if c.pseudo_heading:
        return None, "pseudo-heading"
    bg = c.cue_scores["background"]
    if bg >= 2.0 and bg > max(c.cue_scores[k] for k in ("problem", "countermeasure", "achievement")):
        return "background", "report:background-cue"
    if not seen_heading:
        return "background", "report:opening"
    sec = c.section.label
    if sec == "achievement":
        return "achievement", "report:review"
    if sec == "countermeasure":
        return "countermeasure", "report:tasks"
    if sec == "background":
        return "background", "report:closing"
    return None, "report:no-part"


def _rule_labels(ctxs: list[SentenceContext], margin: float) -> list[tuple[str | None, str]]:
    params = R.RuleParams()
    out: list[tuple[str | None, str]] = []
    for c in ctxs:
        rr = R.score_sentence(c.sentence.text, c.sentence.kind, c.section, None, params, hits=c.hits)
        lab, lead = _top(rr.scores)
        out.append((lab, f"rule:{rr.rule}") if lead >= margin and not c.pseudo_heading else (None, "rule:unsure"))
    return out


def weak_labels(ctxs: list[SentenceContext], source: str, rules: WeakRules,
                annotations: list[str] | None = None) -> list[tuple[str | None, str]]:
    """(label or None, labelling function) per context."""
    if source == "policy" and annotations and len(annotations) == len(ctxs):
        out: list[tuple[str | None, str]] = []
        for c, a in zip(ctxs, annotations):
            ok = a.startswith(POLICY_ACTION_TYPES) and len(c.sentence.text) >= 10
            out.append(("countermeasure", f"policy:{a}") if ok else (None, "policy:other"))
        return out
    if ctxs and ctxs[0].genre == "report":
        return _report_labels(ctxs, rules)
    if ctxs and ctxs[0].genre.startswith("en_"):
        return english_rule_labels(ctxs)
    return _rule_labels(ctxs, RULE_MARGIN)
