"""Claim tagger: every body/abstract sentence -> problem / countermeasure / achievement / background.

A logistic regression over what the sentence says (character / word n-grams, cue words and
constructions from models/claims/cues.tsv) and where it is (the class of the heading above, the
part's role, the paragraph's lead), trained by `litmine train` on weak labels read off the
structure of ~100 work reports, papers, policy sentences, abstracts and English texts, plus the
gold and the user's corrections (pipeline/training/). Because the section is only one feature
among many, a shortcomings paragraph inside a review part stays a problem and a task sentence
under an unnumbered heading is still a task.

Its coefficients are saved as JSON (models/claims/model.json, with meta.json naming the training
data and its sha256). Without a model the rule layer (pipeline.tagging.rules) tags alone.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.document.model import Claim, Document
from pipeline.tagging import rules as R
from pipeline.tagging.context import SentenceContext, document_contexts
from pipeline.tagging.english import english_rule_labels
from pipeline.tagging.features import Featurizer, context_terms, text_terms
from pipeline.tagging.lexicon import Lexicon, norm

LABELS = R.LABELS
MODEL_FILE = "model.json"
META_FILE = "meta.json"
VERSION = "0.2"
PRODUCER = f"claims-lr/{VERSION}"
# A second label is listed when the sentence visibly mixes two (GUIDE: "…取得了成效,然而仍面临…",
# "针对…问题,需要…"): a contrast or purpose marker plus this much cue weight for the other label.
SECONDARY_MIN_CUE = 2.0
_MIXED = re.compile(r"然而|但是|但|虽然|尽管|不过|针对|解决|正视|however|although|while|despite|in view of", re.I)


def classify_heading(text: str, heading_lexicon: Lexicon | None = None) -> str | None:
    """problem / countermeasure / achievement / background, or None (unclassified or mixed)."""
    cues, headings = R.load_rule_lexicons()
    return R.heading_class(text, heading_lexicon or headings, cues).label


def _check_model(model: dict, path: Path) -> None:
    need = ("labels", "vocab", "idf", "context_vocab", "coef", "intercept")
    missing = [k for k in need if k not in model]
    if missing or list(model["labels"]) != list(LABELS):
        raise ValueError(f"{path}: not a claim model of version {VERSION} (missing {', '.join(missing) or 'labels'});"
                         " retrain it with `litmine train`")
    width = len(model["vocab"]) + len(model["context_vocab"])
    if len(model["idf"]) != len(model["vocab"]) or any(len(row) != width for row in model["coef"]):
        raise ValueError(f"{path}: coefficient shapes do not match the vocabulary; retrain it with `litmine train`")


class ClaimTagger:
    def __init__(self, cues: Lexicon, headings: Lexicon, model: dict | None = None,
                 models_dir: Path | None = None):
        self.cues, self.headings = cues, headings
        self.model = model
        self.models_dir = models_dir
        self.params = R.RuleParams()
        if model:
            self.featurizer = Featurizer(model["vocab"], model["idf"], model["context_vocab"],
                                         float(model.get("context_scale", 1.0)))
            self.coef = np.asarray(model["coef"], dtype=np.float64)
            self.intercept = np.asarray(model["intercept"], dtype=np.float64)
            sha = str(model.get("training", {}).get("sha256", ""))[:12]
            self.producer = f"{PRODUCER} data={sha}"
        else:
            self.producer = f"{PRODUCER} rules-only"

    @classmethod
    def load(cls, models_dir: Path) -> "ClaimTagger":
        """Lexicons and (if trained) the model from models_dir; rules alone when no model.json."""
        models_dir = Path(models_dir)
        if (models_dir / "claims" / "cues.tsv").exists():  # given the models root (Settings.models_dir)
            models_dir = models_dir / "claims"
        lex_dir = models_dir if (models_dir / "cues.tsv").exists() else R.DEFAULT_MODELS_DIR
        cues, headings = R.load_rule_lexicons(lex_dir)
        model = None
        path = models_dir / MODEL_FILE
        if path.exists():
            model = json.loads(path.read_text(encoding="utf-8"))
            _check_model(model, path)
        return cls(cues, headings, model, models_dir)

    @classmethod
    def from_model(cls, model: dict, lexicon_dir: Path = R.DEFAULT_MODELS_DIR) -> "ClaimTagger":
        cues, headings = R.load_rule_lexicons(lexicon_dir)
        return cls(cues, headings, model)

    def classify_heading(self, text: str) -> str | None:
        return R.heading_class(text, self.headings, self.cues).label

    def contexts(self, doc: Document) -> list[SentenceContext]:
        return document_contexts(doc, self.cues, self.headings)

    def rule_results(self, ctxs: list[SentenceContext]) -> list[R.RuleResult]:
        """The rule layer alone: section prior + cues, a problem paragraph opened by an override
        carrying to its later sentences."""
        out = []
        carry = False
        for c in ctxs:
            carry = carry and c.block_pos > 0 and c.section.label != "problem"
            rr = R.score_sentence(c.sentence.text, c.sentence.kind, c.section, None, self.params,
                                  carry_problem=carry, hits=c.hits)
            out.append(rr)
            carry = rr.label == "problem" and rr.rule in ("cue:override", "paragraph:problem-carry")
        return out

    def proba(self, ctxs: list[SentenceContext]) -> np.ndarray:
        """Label probabilities (rows: contexts, columns: LABELS) from the model, or the rule layer."""
        if not ctxs:
            return np.zeros((0, len(LABELS)))
        if not self.model:
            return np.asarray([[R.softmax(rr.scores)[lab] for lab in LABELS] for rr in self.rule_results(ctxs)])
        X = self.featurizer.transform([text_terms(c.sentence.text, c.sentence.lang) for c in ctxs],
                                      [context_terms(c) for c in ctxs])
        z = X @ self.coef.T + self.intercept
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def _evidence_terms(self, ctx: SentenceContext, label: str, k: int = 4) -> list[str]:
        """The context features that pushed hardest towards the label (n-grams are too many to list)."""
        if not self.model:
            return []
        row = self.coef[LABELS.index(label)]
        nv = len(self.featurizer.vocab)
        scored = [(row[nv + self.featurizer.cindex[t]], t) for t in set(context_terms(ctx))
                  if t in self.featurizer.cindex]
        return [t for w, t in sorted(scored, reverse=True)[:k] if w > 0]

    def tag_document(self, doc: Document) -> list[Claim]:
        """One Claim per body/abstract sentence, sentence_index = Sentence.index."""
        ctxs = self.contexts(doc)
        P = self.proba(ctxs)
        rules = self.rule_results(ctxs) if not self.model else None
        english = english_rule_labels(ctxs) if ctxs and ctxs[0].genre.startswith("en_") else None
        claims = []
        for k, ctx in enumerate(ctxs):
            p = {lab: float(P[k][i]) for i, lab in enumerate(LABELS)}
            label = max(LABELS, key=lambda lab: (p[lab], -LABELS.index(lab)))
            decided_by = "model" if self.model else "rules"
            if english is not None and english[k][0] is not None and english[k][1] != "en:no-cue" \
                    and english[k][0] != label:
                # English: the sentence's own cues outrank the classifier (little English training text)
                label, decided_by = str(english[k][0]), english[k][1]
            secondary = []
            if _MIXED.search(norm(ctx.sentence.text)):
                secondary = [lab for lab in ("problem", "countermeasure", "achievement")
                             if lab != label and ctx.cue_scores.get(lab, 0.0) >= SECONDARY_MIN_CUE]
            sec = ctx.section
            evidence: dict[str, Any] = {
                "section": ctx.sentence.section,  # nearest heading above
                "heading": sec.heading,  # the heading whose class was inherited
                "heading_class": sec.label,
                "heading_strength": sec.strength,
                "heading_cues": sec.cues,
                "role": ctx.role,
                "genre": ctx.genre,
                "cues": [{"cue": h.cue, "label": h.label, "weight": h.weight} for h in ctx.hits],
                "paragraph_lead_cues": {k2: v for k2, v in ctx.lead_scores.items() if v},
                "decided_by": decided_by,
                "probs": {k2: round(v, 4) for k2, v in p.items()},
                "features": self._evidence_terms(ctx, label),
            }
            # what decided, in one word for listings and exports (the rule layer's rule name, "model",
            # or the English rule that outranked the classifier)
            evidence["rule"] = rules[k].rule if rules is not None else decided_by
            claims.append(Claim(sentence_index=ctx.sentence.index, label=label, secondary=secondary,
                                confidence=round(p[label], 4), evidence=evidence, producer=self.producer))
        return claims
