"""Claim tagger: every body/abstract sentence -> problem / countermeasure / achievement / background.

Two layers, both recorded in each Claim's evidence:
1. rules (pipeline.tagging.rules): the class of the nearest classified heading, plus cue words from
   models/claims/cues.tsv; a problem override opens a "problem paragraph" for the sentences after it;
2. a logistic regression over character n-grams (Chinese) / word n-grams (English) plus the rule
   layer's outputs as features (section class, cue scores, rule label), trained on the gold and
   user corrections. Its coefficients are saved as JSON (stable bytes, reviewable diffs).
The final label mixes both: p = w * p_model + (1 - w) * p_rule, w saved with the model.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from pipeline.document.model import CLAIM_KINDS, Claim, Document, Sentence
from pipeline.tagging import rules as R
from pipeline.tagging.lexicon import Lexicon

LABELS = R.LABELS
MODEL_FILE = "model.json"
META_FILE = "meta.json"
VERSION = "0.1"
PRODUCER = f"claims-rules+lr/{VERSION}"

# Mixing weight of the model against the rules; chosen by leave-one-document-out on the dev gold.
DEFAULT_MODEL_WEIGHT = 0.5


def classify_heading(text: str, heading_lexicon: Lexicon | None = None) -> str | None:
    """problem / countermeasure / achievement / background, or None (unclassified or mixed)."""
    cues, headings = R.load_rule_lexicons()
    return R.heading_class(text, heading_lexicon or headings, cues).label


# ---------------------------------------------------------------- features
_DIGITS = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_EN_WORD = re.compile(r"[a-z][a-z\-']*")
_ENUM_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|[（(][0-9一二三四五六七八九十]+[)）]|首先|其次|最后|第[一二三四五六七八九十]+)")


def text_terms(text: str, lang: str) -> list[str]:
    """Character 1-3-grams for Chinese (with a sentence-start marker), word 1-2-grams for English."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = "".join(t.split()) if lang != "en" else " ".join(t.split())
    t = _DIGITS.sub("0", t)
    if lang == "en":
        words = _EN_WORD.findall(t)
        terms = [f"w:{w}" for w in words] + [f"w:{a}_{b}" for a, b in zip(words, words[1:])]
        if words:
            terms.append(f"w:^{words[0]}")
        return terms
    terms = []
    for n in (1, 2, 3):
        terms.extend(f"c:{t[i:i + n]}" for i in range(len(t) - n + 1))
    terms.append(f"c:^{t[:2]}")
    terms.append(f"c:{t[-2:]}$")
    return terms


@dataclass
class Context:
    """Everything the tagger knows about a sentence besides its words."""

    sentence: Sentence
    rule: R.RuleResult
    genre: str  # gov_report | paper
    carry: bool


DENSE_NAMES = (
    [f"sec:{lab}:{st}" for lab in LABELS for st in ("strong", "weak")] + ["sec:none"]
    + [f"cue:{lab}" for lab in LABELS] + [f"rule:{lab}" for lab in LABELS]
    + ["carry", "kind:abstract", "genre:gov", "lang:en", "has_digit", "enum_start"]
)


def dense_features(ctx: Context) -> list[float]:
    s, rr = ctx.sentence, ctx.rule
    v = []
    for lab in LABELS:
        for st in ("strong", "weak"):
            v.append(1.0 if rr.section.label == lab and rr.section.strength == st else 0.0)
    v.append(1.0 if rr.section.label is None else 0.0)
    v += [min(rr.cue_scores.get(lab, 0.0), 6.0) / 3.0 for lab in LABELS]
    v += [1.0 if rr.label == lab else 0.0 for lab in LABELS]
    v += [1.0 if ctx.carry else 0.0, 1.0 if s.kind == "abstract" else 0.0,
          1.0 if ctx.genre == "gov_report" else 0.0, 1.0 if s.lang == "en" else 0.0,
          1.0 if re.search(r"[0-9]", s.text) else 0.0, 1.0 if _ENUM_START.match(s.text) else 0.0]
    return v


def document_contexts(doc: Document, cues: Lexicon, headings: Lexicon,
                      params: R.RuleParams) -> list[Context]:
    """Rule contexts for the claim sentences of a document, in order."""
    claim_sents = [s for s in doc.sentences if s.kind in CLAIM_KINDS]
    first_text = doc.text[:2000] if doc.text else " ".join(s.text for s in doc.sentences[:20])
    genre = "gov_report" if R.is_government_report(doc.title, first_text) else "paper"
    out: list[Context] = []
    cache: dict[tuple[str, ...], R.HeadingClass] = {}
    prev_block, prev_problem = None, False
    for s in claim_sents:
        key = tuple(s.section_path)
        if key not in cache:
            cache[key] = R.inherit_section(list(s.section_path), headings, cues)
        sec = cache[key]
        # A problem paragraph opened by an override carries to its later sentences.
        carry = prev_problem and s.block_index == prev_block and sec.label != "problem"
        rr = R.score_sentence(s.text, s.kind, sec, cues, params, carry_problem=carry)
        if genre == "gov_report" and sec.label is None and rr.label != "background" \
                and rr.cue_scores[rr.label] < 2.0:
            # the report's opening and closing address: rhetoric unless cues clearly say otherwise
            rr.scores["background"] = max(rr.scores.values()) + 0.5
            rr.label, rr.rule = "background", "genre:gov-address"
        out.append(Context(s, rr, genre, carry))
        if s.block_index != prev_block:
            prev_problem = False
        prev_block = s.block_index
        prev_problem = rr.label == "problem" and rr.rule in ("cue:override", "paragraph:problem-carry")
    return out


class Featurizer:
    def __init__(self, vocab: list[str], idf: list[float], dense_scale: float = 1.0):
        self.vocab = vocab
        self.index = {t: i for i, t in enumerate(vocab)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.dense_scale = dense_scale

    @classmethod
    def fit(cls, term_lists: list[list[str]], min_df: int = 2, dense_scale: float = 1.0) -> "Featurizer":
        df: Counter[str] = Counter()
        for terms in term_lists:
            df.update(set(terms))
        vocab = sorted(t for t, c in df.items() if c >= min_df)
        n = len(term_lists)
        idf = [math.log((1 + n) / (1 + df[t])) + 1.0 for t in vocab]
        return cls(vocab, idf, dense_scale)

    def transform(self, term_lists: list[list[str]], dense: list[list[float]]) -> sparse.csr_matrix:
        rows, cols, vals = [], [], []
        for r, terms in enumerate(term_lists):
            tf = Counter(self.index[t] for t in terms if t in self.index)
            w = {j: (1.0 + math.log(c)) * self.idf[j] for j, c in tf.items()}
            norm = math.sqrt(sum(x * x for x in w.values())) or 1.0
            for j, x in sorted(w.items()):
                rows.append(r)
                cols.append(j)
                vals.append(x / norm)
        nv = len(self.vocab)
        text_m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(term_lists), nv))
        dense_m = sparse.csr_matrix(np.asarray(dense, dtype=np.float64).reshape(len(term_lists), -1)
                                    * self.dense_scale)
        return sparse.hstack([text_m, dense_m], format="csr")


# ---------------------------------------------------------------- tagger
class ClaimTagger:
    def __init__(self, cues: Lexicon, headings: Lexicon, params: R.RuleParams,
                 model: dict | None = None, models_dir: Path | None = None):
        self.cues, self.headings, self.params = cues, headings, params
        self.model = model
        self.models_dir = models_dir
        if model:
            self.featurizer = Featurizer(model["vocab"], model["idf"], model["dense_scale"])
            self.coef = np.asarray(model["coef"], dtype=np.float64)
            self.intercept = np.asarray(model["intercept"], dtype=np.float64)
            self.model_weight = float(model.get("model_weight", DEFAULT_MODEL_WEIGHT))
            self.producer = f"{PRODUCER} model={model.get('training', {}).get('sha256', '')[:12]}"
        else:
            self.model_weight = 0.0
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
        if (models_dir / MODEL_FILE).exists():
            model = json.loads((models_dir / MODEL_FILE).read_text(encoding="utf-8"))
        params = R.RuleParams(**model["rule_params"]) if model and "rule_params" in model else R.RuleParams()
        return cls(cues, headings, params, model, models_dir)

    def classify_heading(self, text: str) -> str | None:
        return R.heading_class(text, self.headings, self.cues).label

    def contexts(self, doc: Document) -> list[Context]:
        return document_contexts(doc, self.cues, self.headings, self.params)

    def model_proba(self, ctxs: list[Context]) -> np.ndarray | None:
        if not self.model or not ctxs:
            return None
        X = self.featurizer.transform([text_terms(c.sentence.text, c.sentence.lang) for c in ctxs],
                                      [dense_features(c) for c in ctxs])
        z = X @ self.coef.T + self.intercept
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def tag_document(self, doc: Document) -> list[Claim]:
        """One Claim per body/abstract sentence, sentence_index = Sentence.index."""
        ctxs = self.contexts(doc)
        proba = self.model_proba(ctxs)
        claims = []
        for k, ctx in enumerate(ctxs):
            rr = ctx.rule
            p_rule = R.softmax(rr.scores)
            if proba is not None and self.model is not None:
                classes = self.model["labels"]
                p_model = {lab: float(proba[k][classes.index(lab)]) for lab in LABELS}
                w = self.model_weight
                p = {lab: w * p_model[lab] + (1 - w) * p_rule[lab] for lab in LABELS}
            else:
                p_model, p = None, p_rule
            label = max(LABELS, key=lambda lab: (p[lab], -LABELS.index(lab)))
            decided = "rule" if label == rr.label and (p_model is None or
                                                       max(p_model, key=lambda lab: p_model[lab]) != label) else \
                ("model" if label != rr.label else "rule+model")
            secondary = [s for s in rr.secondary if s != label]
            evidence: dict[str, Any] = {
                "section": ctx.sentence.section,  # nearest heading above
                "heading": rr.section.heading,  # the heading whose class was inherited
                "heading_class": rr.section.label,
                "heading_strength": rr.section.strength,
                "heading_cues": rr.section.cues,
                "cues": [{"cue": h.cue, "label": h.label, "weight": h.weight} for h in rr.hits],
                "rule": rr.rule,
                "rule_label": rr.label,
                "rule_scores": {k2: round(v, 3) for k2, v in rr.scores.items()},
                "genre": ctx.genre,
                "decided_by": decided,
            }
            if p_model is not None:
                evidence["model_label"] = max(p_model, key=lambda lab: p_model[lab])
                evidence["model_score"] = round(p_model[label], 4)
                evidence["model_probs"] = {k2: round(v, 4) for k2, v in p_model.items()}
            claims.append(Claim(sentence_index=ctx.sentence.index, label=label, secondary=secondary,
                                confidence=round(p[label], 4), evidence=evidence,
                                producer=self.producer))
        return claims
