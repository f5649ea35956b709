"""addresses, same_issue and same_measure between claims.

How this literature is written, and what the rules lean on:
- A paper states problems in one part (§3 存在的问题) and answers them in a parallel part (§4 对策建议):
  §4.k usually answers §3.k, but not always (two §4 sections may answer one §3 section). Sections
  are aligned by their content (heading + claims, with remedy pairs such as 同质化 → 错位发展) and a
  small bonus for the same sub-number; inside an aligned pair each countermeasure is linked to the
  problems it shares terms with, list items in parallel (一是 ↔ 一是), lead to lead.
- An abstract's countermeasure sentence answers the abstract's problem sentence.
- Across documents a link needs clear lexical/concept overlap (higher thresholds).
- same_issue inside a document only joins the abstract's problem sentence to the body: each of the
  abstract's enumerated problems (产业结构同质化、产业链薄弱…) to the best matching problem of the
  body and the lead of that problem's section.
- English abstract sentences inherit the links of the Chinese sentence they translate.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .features import Claim, Vectors, shared_terms
from .glossary import Glossary
from .text import nfkc

SECTION_NO = re.compile(r"^\s*(\d+(?:\.\d+)*)")
SENT_END = re.compile(r"[。！？!?.;；]\s*$")
ITEM_SPLIT = re.compile(r"[、,，;；]|\band\b|\bsuch as\b")


@dataclass
class Link:
    relation: str
    source: Claim
    target: Claim
    score: float
    evidence: dict


def _sub_no(heading: str) -> str | None:
    """Last component of a numbered heading ('4.2 推进…' → '2'), None when unnumbered."""
    m = SECTION_NO.match(nfkc(heading))
    if not m or "." not in m.group(1):
        return None
    return m.group(1).split(".")[-1]


def _remedy_hits(cs: list[Claim], ps: list[Claim], glossary: Glossary) -> list[str]:
    cc = {c for x in cs for c, _ in x.concepts}
    pc = {c for x in ps for c, _ in x.concepts}
    return sorted(f"{p}->{c}" for (p, c) in glossary.remedies if p in pc and c in cc)


def _is_lead(c: Claim, group: list[Claim]) -> bool:
    """First complete sentence of its section group (a page-break fragment is not a lead)."""
    for x in group:
        if SENT_END.search(nfkc(x.text)) and len(x.text) >= 8:
            return x is c
    return False


class ClaimLinker:
    def __init__(self, claims: list[Claim], glossary: Glossary, params: dict):
        self.claims = claims
        self.glossary = glossary
        self.p = params
        self.vec = Vectors(claims)
        self.lang = np.array([c.lang for c in claims])

    # ---- similarity helpers -----------------------------------------------------------------
    def sims(self, rows: list[Claim], cols: list[Claim]) -> np.ndarray:
        ri = [self.vec.index[c.claim_id] for c in rows]
        ci = [self.vec.index[c.claim_id] for c in cols]
        same = self.lang[ri][:, None] == self.lang[ci][None, :] if ri and ci else None
        return self.vec.sim_matrix(ri, ci, same, self.p.get("lex_weight", 0.5))

    def _evidence(self, a: Claim, b: Claim, sim: float, **extra) -> dict:
        ev = {"similarity": round(float(sim), 4), **shared_terms(a, b)}
        if a.topic and b.topic and a.topic == b.topic:
            ev["same_topic"] = a.topic
        ev.update({k: v for k, v in extra.items() if v not in (None, [], "")})
        return ev

    # ---- addresses ------------------------------------------------------------------------
    def addresses(self) -> list[Link]:
        p = self.p["addresses"]
        out: list[Link] = []
        by_doc: dict[str, list[Claim]] = {}
        for c in self.claims:
            by_doc.setdefault(c.doc_id, []).append(c)
        for doc in sorted(by_doc):
            cl = by_doc[doc]
            out += self._abstract_addresses([c for c in cl if c.kind == "abstract"])
            out += self._section_addresses([c for c in cl if c.kind != "abstract"], p)
        out += self._cross_doc(
            "addresses", [c for c in self.claims if c.has("countermeasure")],
            [c for c in self.claims if c.has("problem")], p["cross_doc_min"], p.get("cross_doc_top", 1))
        return out

    def _abstract_addresses(self, abstract: list[Claim]) -> list[Link]:
        out = []
        for lang in ("zh", "en"):
            cs = [c for c in abstract if c.lang == lang and c.label == "countermeasure"]
            ps = [c for c in abstract if c.lang == lang and c.has("problem")]
            if not cs or not ps:
                continue
            s = self.sims(cs, ps)
            for i, c in enumerate(cs):
                for j, q in enumerate(ps):
                    if s[i, j] >= self.p["addresses"]["abstract_min"]:
                        out.append(Link("addresses", c, q, round(0.5 + 0.5 * float(s[i, j]), 4),
                                        self._evidence(c, q, s[i, j], rule="abstract countermeasure → abstract problem")))
        return out

    def _groups(self, claims: list[Claim], label: str) -> dict[str, list[Claim]]:
        groups: dict[str, list[Claim]] = {}
        for c in claims:
            # a countermeasure section is made of primary countermeasures; a problem section also
            # takes mixed sentences whose secondary label is problem
            if (c.label == label or (label == "problem" and c.has(label))) and c.section_path:
                groups.setdefault(" > ".join(c.section_path), []).append(c)
        return groups

    def align_sections(self, cgroups: dict[str, list[Claim]], pgroups: dict[str, list[Claim]],
                       p: dict) -> list[tuple[str, str, float, dict]]:
        """Each countermeasure section → the problem section(s) it answers."""
        out = []
        pkeys = sorted(pgroups)
        if not pkeys:
            return out
        for ck in sorted(cgroups):
            cs = cgroups[ck]
            scores = []
            for pk in pkeys:
                ps = pgroups[pk]
                s = self.sims(cs, ps)
                # content: mean of each countermeasure's best problem match, and the reverse
                content = 0.5 * float(s.max(axis=1).mean()) + 0.5 * float(s.max(axis=0).mean())
                rem = _remedy_hits(cs, ps, self.glossary)
                cn, pn = _sub_no(cs[0].leaf), _sub_no(ps[0].leaf)
                parallel = cn is not None and cn == pn
                score = content + p["remedy_bonus"] * min(1, len(rem)) + p["parallel_bonus"] * parallel
                scores.append((score, pk, {"section_similarity": round(content, 4), "remedy": rem[:5],
                                           "parallel_numbering": parallel}))
            scores.sort(key=lambda x: (-x[0], x[1]))
            top = scores[0][0]
            for score, pk, ev in scores:
                if score >= p["section_min"] and score >= p["section_keep"] * top:
                    out.append((ck, pk, score, ev))
        return out

    def _section_addresses(self, body: list[Claim], p: dict) -> list[Link]:
        cgroups = self._groups(body, "countermeasure")
        pgroups = self._groups(body, "problem")
        out = []
        for ck, pk, sec_score, sec_ev in self.align_sections(cgroups, pgroups, p):
            if ck == pk:
                continue
            cs, ps = cgroups[ck], pgroups[pk]
            s = self.sims(cs, ps)
            for i, c in enumerate(cs):
                row = []
                c_lead = _is_lead(c, cs)
                for j, q in enumerate(ps):
                    same_ord = c.ordinal is not None and c.ordinal == q.ordinal
                    lead = c_lead and _is_lead(q, ps)
                    rem = _remedy_hits([c], [q], self.glossary)
                    score = (float(s[i, j]) + p["ordinal_bonus"] * same_ord + p["lead_bonus"] * lead
                             + p["remedy_bonus"] * min(1, len(rem)))
                    row.append((score, j, same_ord, lead, rem))
                best = max(r[0] for r in row)
                ranked = sorted(row, key=lambda r: (-r[0], r[1]))
                for rank, (score, j, same_ord, lead, rem) in enumerate(ranked):
                    # absolute evidence, or one of the countermeasure's few best problems
                    keep = score >= p["pair_min"] or (rank < p["pair_top"] and score >= p["best_min"]
                                                      and score >= p["pair_rel"] * best)
                    if keep:
                        q = ps[j]
                        out.append(Link("addresses", c, q, round(min(1.0, score), 4), self._evidence(
                            c, q, s[i, j], section_pair=[c.leaf, q.leaf], section_score=round(sec_score, 4),
                            parallel_item=same_ord or None, leads=lead or None, remedy=rem,
                            section_remedy=sec_ev.get("remedy"), parallel_numbering=sec_ev.get("parallel_numbering"))))
        return out

    # ---- same_issue -------------------------------------------------------------------------
    def same_issue(self) -> list[Link]:
        p = self.p["same_issue"]
        probs = [c for c in self.claims if c.has("problem")]
        out = self._cross_doc("same_issue", probs, probs, p["cross_doc_min"], p.get("cross_doc_top", 1))
        by_doc: dict[str, list[Claim]] = {}
        for c in probs:
            by_doc.setdefault(c.doc_id, []).append(c)
        for doc in sorted(by_doc):
            abstract = [c for c in by_doc[doc] if c.kind == "abstract" and c.lang == "zh"]
            body = [c for c in by_doc[doc] if c.kind != "abstract"]
            if not body:
                continue
            groups = self._groups(body, "problem")
            for a in abstract:
                out += self._abstract_items(a, body, groups, p)
        return out

    def _abstract_items(self, a: Claim, body: list[Claim], groups: dict[str, list[Claim]], p: dict) -> list[Link]:
        """Each enumerated problem of an abstract sentence → its best body match and that section's lead."""
        text = nfkc(a.text)
        # the problem half of a mixed sentence (…取得了成效,然而仍面临A、B、C等问题)
        m = re.search(r"(?:面临|存在|仍有|问题[在有]?[:：]|faces?|challenges?)(.*)$", text)
        items = [x.strip() for x in ITEM_SPLIT.split(m.group(1) if m else text) if len(x.strip()) >= 3]
        if len(items) < 2:
            items = [text]
        found: dict[str, tuple[float, Claim, str]] = {}
        item_vecs = [self.glossary.concepts(it) for it in items]
        for it, concepts in zip(items, item_vecs):
            best = None
            for q in body:
                sc = _item_overlap(it, concepts, q)
                if best is None or sc > best[0]:
                    best = (sc, q)
            if best and best[0] >= p["item_min"]:
                q = best[1]
                key = q.claim_id
                if key not in found or found[key][0] < best[0]:
                    found[key] = (best[0], q, it)
                group = groups.get(" > ".join(q.section_path), [])
                lead = next((x for x in group if _is_lead(x, group)), None)
                if lead is not None and lead.claim_id not in found:
                    found[lead.claim_id] = (best[0], lead, it + " (section lead)")
        out = []
        for cid in sorted(found):
            sc, q, it = found[cid]
            out.append(Link("same_issue", a, q, round(sc, 4), self._evidence(
                a, q, sc, rule="abstract problem item → body problem", item=it)))
        return out

    # ---- same_measure -----------------------------------------------------------------------
    def same_measure(self) -> list[Link]:
        p = self.p["same_measure"]
        cms = [c for c in self.claims if c.label == "countermeasure" and len(c.text) >= 6]
        return self._cross_doc("same_measure", cms, cms, p["cross_doc_min"], p.get("cross_doc_top", 2))

    # ---- shared -----------------------------------------------------------------------------
    def _cross_doc(self, relation: str, sources: list[Claim], targets: list[Claim], min_sim: float,
                   top: int) -> list[Link]:
        """Pairs across documents with similarity ≥ min_sim, each source keeping its top matches."""
        if not sources or not targets:
            return []
        s = self.sims(sources, targets)
        symmetric = relation != "addresses"
        seen: set[tuple[str, str]] = set()
        out = []
        for i, a in enumerate(sources):
            cand = [(float(s[i, j]), j) for j in range(len(targets))
                    if targets[j].doc_id != a.doc_id and s[i, j] >= min_sim]
            cand.sort(key=lambda x: (-x[0], targets[x[1]].claim_id))
            for sc, j in cand[:top]:
                b = targets[j]
                key = tuple(sorted((a.claim_id, b.claim_id))) if symmetric else (a.claim_id, b.claim_id)
                if key in seen:
                    continue
                seen.add(key)
                src, tgt = (a, b) if not symmetric or a.claim_id <= b.claim_id else (b, a)
                out.append(Link(relation, src, tgt, round(sc, 4), self._evidence(src, tgt, sc, rule="across documents")))
        return out


def _item_overlap(item: str, item_concepts: list[tuple[str, str]], q: Claim) -> float:
    """Share of an abstract item's character bigrams (and concepts) found in a body sentence."""
    t = nfkc(q.text)
    grams = {item[i:i + 2] for i in range(len(item) - 1)} - {"问题", "挑战", "不足", "等问"}
    g = sum(1 for x in grams if x in t) / len(grams) if grams else 0.0
    ic = {c for c, _ in item_concepts}
    qc = {c for c, _ in q.concepts}
    con = len(ic & qc) / len(ic) if ic else 0.0
    return 0.6 * g + 0.4 * con


def project_through_translation(links: list[Link], pairs: list[tuple[Claim, Claim]], claims: list[Claim]) -> list[Link]:
    """English abstract sentences inherit the links of the Chinese sentence they translate (an
    English problem sentence only takes problem-side links, and so on)."""
    en_of: dict[str, list[Claim]] = {}
    for zh, en in pairs:
        en_of.setdefault(zh.claim_id, []).append(en)
    out = []
    for l in links:
        srcs = [e for e in en_of.get(l.source.claim_id, []) if _fits(e, l.relation, "source")]
        tgts = [e for e in en_of.get(l.target.claim_id, []) if _fits(e, l.relation, "target")]
        for s in srcs:
            out.append(Link(l.relation, s, l.target, l.score, dict(l.evidence, projected_from=l.source.claim_id)))
            for t in tgts:
                out.append(Link(l.relation, s, t, l.score, dict(l.evidence, projected_from=l.source.claim_id)))
        for t in tgts:
            out.append(Link(l.relation, l.source, t, l.score, dict(l.evidence, projected_from=l.target.claim_id)))
    return out


def _fits(c: Claim, relation: str, side: str) -> bool:
    if relation == "addresses":
        return c.has("countermeasure") if side == "source" else c.has("problem")
    if relation == "same_issue":
        return c.has("problem")
    if relation == "same_measure":
        return c.has("countermeasure")
    return False
