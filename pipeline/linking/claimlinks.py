"""addresses and same_issue between the claims of one document (across documents: crossdoc.py).

How this literature is written, and what the rules lean on:
- A paper states problems in one part (§3 存在的问题) and answers them in a parallel part (§4 对策建议):
  §4.k usually answers §3.k, but not always (two §4 sections may answer one §3 section). Sections
  are aligned by their content (heading + claims, with remedy pairs such as 同质化 → 错位发展) and a
  small bonus for the same sub-number; inside an aligned pair each countermeasure is linked to the
  problems it shares terms with, list items in parallel (一是 ↔ 一是), lead to lead.
- Inside an aligned pair (v0.2) similarities use IDF over the one document, so adding unrelated
  documents does not move them, and are read relative to the pair: a countermeasure keeps the
  problems near its own best and above a share of the pair's best; each problem keeps the
  countermeasure that answers it best. A list item's lead ('(2)提升企业创新能力…') scores with its
  whole item, a problem paragraph's lead with its whole paragraph; a problem section answered by
  two advice sections (人才 / 金融) is split between them by paragraph; 二是 ↔ 二是 counts only
  for two flat lists of the same marker family; a sentence cut by a page break is one unit.
- (v0.3) A measure is stated, then detailed sector by sector or place by place ('在电子信息产业,…',
  '在分工方面,重庆聚焦…', '重庆致力提升…', '例如…'). Such a detail sentence does not need a problem
  of its own: it answers only a problem about the same sector or aspect (text.detail_topic).
  Remedy rows (同质化 → 错位发展, 不合理配置 → 财政补贴, 研发平台 → 科技基础设施…) pair problems with
  remedies; terms named only by remedy rows stay out of the similarity vectors.
- An abstract's countermeasure sentence answers the abstract's problem sentence.
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
from .items import item_links
from .text import detail_topic, enum_style, nfkc

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


def _heading_overlap(a: str, b: str) -> float:
    """Share of character bigrams two headings have in common (Dice), numbering left out."""
    def grams(h: str) -> set[str]:
        t = re.sub(r"^[\s\d.．、()（）一二三四五六七八九十]+", "", nfkc(h))
        return {t[i:i + 2] for i in range(len(t) - 1)}
    ga, gb = grams(a), grams(b)
    return 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb else 0.0


def _remedy_hits(cs: list[Claim], ps: list[Claim], glossary: Glossary) -> list[str]:
    cc = {c for x in cs for c, _ in x.concepts}
    pc = {c for x in ps for c, _ in x.concepts}
    return sorted(f"{p}->{c}" for (p, c) in glossary.remedies if p in pc and c in cc)


def _item_heads(group: list[Claim]) -> dict[int, int]:
    """Position of each sentence's list-item lead (the sentence opening the item: 一是…, (2)…,
    首先…); sentences before the first item have none."""
    heads: dict[int, int] = {}
    h = None
    for i, c in enumerate(group):
        if c.item_start:
            h = i
        if h is not None:
            heads[i] = h
    return heads


def _flat_list(group: list[Claim]) -> str | None:
    """The marker family of a group's list when it is one flat list (≥ 2 items, no number
    repeated: (1)…(4) holding 一是/二是 sub-lists is not flat), else None."""
    items = [(enum_style(c.text), c.ordinal) for c in group if c.ordinal]
    styles = {s for s, _ in items}
    nums = [n for _, n in items]
    if len(items) < 2 or len(styles) != 1 or len(nums) != len(set(nums)):
        return None
    return styles.pop()


def _parallel_lists(cs: list[Claim], ps: list[Claim]) -> bool:
    """Problem list and countermeasure list are parallel (二是 answers 二是) when both are flat
    lists of the same marker family."""
    a, b = _flat_list(cs), _flat_list(ps)
    return a is not None and a == b


def _paragraphs(group: list[Claim]) -> list[list[int]]:
    """Positions of the group's paragraphs (same index block, or joined pieces of one sentence)."""
    out: list[list[int]] = []
    for i, c in enumerate(group):
        prev = group[i - 1] if i else None
        same = prev is not None and (
            (c.block is not None and c.block == prev.block)
            or (c.pieces and c.claim_id in c.pieces and prev.claim_id in c.pieces))
        if same:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def _pieces_idx(group: list[Claim], j: int) -> list[int]:
    ids = set(group[j].pieces) or {group[j].claim_id}
    return [k for k, c in enumerate(group) if c.claim_id in ids]


def _spread_to_pieces(links: list[Link], claims: list[Claim]) -> list[Link]:
    """A link of one piece of a cut sentence holds for its other pieces too."""
    by_id = {c.claim_id: c for c in claims}
    out, seen = [], set()
    for l in links:
        for s in (l.source.pieces or (l.source.claim_id,)):
            for t in (l.target.pieces or (l.target.claim_id,)):
                if (s, t) in seen or s not in by_id or t not in by_id:
                    continue
                seen.add((s, t))
                out.append(l if (s, t) == (l.source.claim_id, l.target.claim_id) else
                           Link(l.relation, by_id[s], by_id[t], l.score, dict(l.evidence, piece_of=[l.source.claim_id, l.target.claim_id])))
    return out


def _detail_fits(c: Claim, q: Claim) -> bool:
    """A detail sentence of a measure ('在汽车产业,重点引育…') answers a problem only when the problem
    is about the same sector or aspect ('…新能源汽车本地配套率仅为30%'); any other sentence fits."""
    t = detail_topic(c.full_text or c.text)
    if t is None:
        return True
    if not t:
        return False
    qt = detail_topic(q.full_text or q.text)
    if qt is not None:
        return bool(qt) and (t in qt or qt in t)
    return nfkc(t)[:2] in nfkc(q.full_text or q.text)


def _is_lead(c: Claim, group: list[Claim]) -> bool:
    """First complete sentence of its section group (a page-break fragment is not a lead)."""
    for x in group:
        if SENT_END.search(nfkc(x.text)) and len(x.text) >= 8:
            return x is c
    return False


class ClaimLinker:
    """The links inside one document (cross-document pairs: crossdoc.py)."""

    def __init__(self, claims: list[Claim], glossary: Glossary, params: dict):
        assert len({c.doc_id for c in claims}) <= 1, "ClaimLinker works on one document"
        self.claims = claims
        self.glossary = glossary
        self.p = params
        # IDF over this document alone: its scores do not move when other documents change
        self.vec = Vectors(claims, classes=False)
        self._aligned_problem_sections: set[str] = set()

    # ---- similarity helpers -----------------------------------------------------------------
    def doc_vectors(self, doc: str) -> Vectors:
        return self.vec

    def sims(self, rows: list[Claim], cols: list[Claim], lex_weight: float | None = None) -> np.ndarray:
        vec = self.vec
        ri = [vec.index[c.claim_id] for c in rows]
        ci = [vec.index[c.claim_id] for c in cols]
        lang = np.array([c.lang for c in rows])[:, None] == np.array([c.lang for c in cols])[None, :] \
            if ri and ci else None
        return vec.sim_matrix(ri, ci, lang, self.p.get("lex_weight", 0.5) if lex_weight is None else lex_weight)

    def _lw(self) -> float:
        """Lexical share of the within-document similarity used by `addresses`."""
        return self.p["addresses"].get("lex_weight", self.p.get("lex_weight", 0.5))

    def pooled_sims(self, groups: list[list[Claim]], cols: list[Claim]) -> np.ndarray:
        """Similarity of pooled claim groups (list items) to claims, within one document."""
        vec = self.doc_vectors(cols[0].doc_id)
        return vec.pooled_sims([[vec.index[c.claim_id] for c in g] for g in groups],
                               [vec.index[c.claim_id] for c in cols], self._lw())

    def _evidence(self, a: Claim, b: Claim, sim: float, **extra) -> dict:
        ev = {"similarity": round(float(sim), 4), **shared_terms(a, b)}
        ev.update({k: v for k, v in extra.items() if v not in (None, [], "")})
        return ev

    # ---- addresses ------------------------------------------------------------------------
    def addresses(self) -> list[Link]:
        p = self.p["addresses"]
        cl = self.claims
        body = [c for c in cl if c.kind != "abstract"]
        out = self._abstract_addresses([c for c in cl if c.kind == "abstract"]) + self._section_addresses(body, p)
        if p.get("list_item_top", 0) > 0:
            covered = self._aligned_problem_sections
            for c, q, sc, item in item_links(body, covered, self.glossary, p):
                out.append(Link("addresses", c, q, sc, self._evidence(
                    c, q, sc, rule="listed problem item → countermeasure", item=item)))
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
        """Each countermeasure section → the problem section(s) it answers. A section of advice
        answers problems stated before it (papers state problems, then remedies)."""
        out: list[tuple[str, str, float, dict]] = []
        pkeys = sorted(pgroups)
        if not pkeys:
            return out
        for ck in sorted(cgroups):
            cs = cgroups[ck]
            scores = []
            for pk in pkeys:
                ps = pgroups[pk]
                if p.get("problems_first", True) and ps[0].idx > cs[0].idx:
                    continue
                s = self.sims(cs, ps, self._lw())
                # content: mean of each countermeasure's best problem match, and the reverse
                content = 0.5 * float(s.max(axis=1).mean()) + 0.5 * float(s.max(axis=0).mean())
                rem = _remedy_hits(cs, ps, self.glossary)
                cn, pn = _sub_no(cs[0].leaf), _sub_no(ps[0].leaf)
                parallel = cn is not None and cn == pn
                # headings name what a section is about ('4.1 产业链协同程度较低' ↔ '5.1 强化区域产业链协同程度')
                head = _heading_overlap(cs[0].leaf, ps[0].leaf)
                score = (content + p["remedy_bonus"] * min(1, len(rem)) + p["parallel_bonus"] * parallel
                         + p.get("heading_weight", 0.0) * head)
                scores.append((score, pk, {"section_similarity": round(content, 4), "remedy": rem[:5],
                                           "parallel_numbering": parallel}))
            if not scores:
                continue
            scores.sort(key=lambda x: (-x[0], x[1]))
            top = scores[0][0]
            for score, pk, ev in scores:
                if score >= p["section_min"] and score >= p["section_keep"] * top:
                    out.append((ck, pk, score, ev))
        return out

    def pair_scores(self, cs: list[Claim], ps: list[Claim], p: dict) -> tuple[np.ndarray, dict]:
        """Scores of every countermeasure × problem of an aligned section pair: the sentences'
        similarity, or (discounted) that of the countermeasure's whole list item (its lead
        '(2)提升企业创新能力…' with the sentences under it), plus remedy, parallel-item and
        lead bonuses."""
        s = self.sims(cs, ps, self._lw())
        heads = _item_heads(cs)
        items = sorted(set(heads.values()))
        score = s.copy()
        if items:
            members = [[cs[i] for i in range(len(cs)) if heads.get(i) == h] for h in items]
            si = self.pooled_sims(members, ps)
            row_of = {h: k for k, h in enumerate(items)}
            for i in range(len(cs)):
                if i in heads:
                    w = p["head_item_weight"] if heads[i] == i else p["member_item_weight"]
                    score[i] = np.maximum(score[i], w * si[row_of[heads[i]]])
        # a problem paragraph's lead sentence stands for the paragraph ('在金融要素方面,…不均衡问题突出'
        # + the sentences that detail it): it scores with the pooled paragraph too
        paras = _paragraphs(ps)
        leads = [g[0] for g in paras if len(g) > 1]
        if leads and p.get("para_weight", 0) > 0:
            groups = [[ps[k] for k in g] for g in paras if len(g) > 1]
            vec = self.doc_vectors(cs[0].doc_id)
            lex, con = vec.pooled([[vec.index[x.claim_id] for x in g] for g in groups])
            ri = [vec.index[c.claim_id] for c in cs]
            lw = self._lw()
            sp = lw * (vec.lex[ri] @ lex.T).toarray() + (1 - lw) * (vec.con[ri] @ con.T).toarray()
            for k, j in enumerate(leads):
                for jj in _pieces_idx(ps, j):
                    score[:, jj] = np.maximum(score[:, jj], p["para_weight"] * sp[:, k])
        enumerated = _parallel_lists(cs, ps)
        c_lead = next((c for c in cs if _is_lead(c, cs)), None)
        p_lead = next((q for q in ps if _is_lead(q, ps)), None)
        flags = {}
        for i, c in enumerate(cs):
            for j, q in enumerate(ps):
                same_ord = enumerated and c.ordinal is not None and c.ordinal == q.ordinal
                lead = c is c_lead and q is p_lead
                rem = _remedy_hits([c], [q], self.glossary)
                score[i, j] += (p["ordinal_bonus"] * same_ord + p["lead_bonus"] * lead
                                + p["remedy_bonus"] * min(1, len(rem)))
                if same_ord or lead or rem:
                    flags[(i, j)] = (same_ord, lead, rem)
        return score, {"sims": s, "flags": flags, "heads": heads}

    def _share_paragraphs(self, aligned: list, cgroups: dict, pgroups: dict, p: dict) -> dict:
        """A problem section answered by several advice sections (§3.4 '人才金融要素…' by §4.4 人才 and
        §4.5 金融) is split by paragraph: each paragraph goes to the advice section(s) whose pooled
        text is nearest (within `para_share` of the best)."""
        by_p: dict[str, list[str]] = {}
        for ck, pk, _, _ in aligned:
            by_p.setdefault(pk, []).append(ck)
        out: dict[tuple[str, str], list[Claim]] = {}
        for pk, cks in by_p.items():
            ps = pgroups[pk]
            paras = _paragraphs(ps)
            if len(cks) < 2 or len(paras) < 2:
                continue
            vec = self.doc_vectors(ps[0].doc_id)
            lw = self._lw()
            plex, pcon = vec.pooled([[vec.index[ps[k].claim_id] for k in g] for g in paras])
            clex, ccon = vec.pooled([[vec.index[c.claim_id] for c in cgroups[ck]] for ck in cks])
            sim = lw * (clex @ plex.T).toarray() + (1 - lw) * (ccon @ pcon.T).toarray()
            for a, ck in enumerate(cks):
                keep = [k for b, g in enumerate(paras) if sim[a, b] >= p.get("para_share", 0.8) * sim[:, b].max()
                        for k in g]
                out[(ck, pk)] = [ps[k] for k in keep]
        return out

    def _section_addresses(self, body: list[Claim], p: dict) -> list[Link]:
        """Inside an aligned section pair, scores are read relative to the pair: a countermeasure
        keeps the problems scoring near its own best and above a share of the pair's best, and every
        problem keeps the countermeasure that answers it best."""
        cgroups = self._groups(body, "countermeasure")
        pgroups = self._groups(body, "problem")
        chosen: dict[tuple[str, str], tuple[float, Claim, Claim, dict]] = {}
        aligned = [a for a in self.align_sections(cgroups, pgroups, p) if a[0] != a[1]]
        self._aligned_problem_sections = {pk for _, pk, _, _ in aligned}
        share = self._share_paragraphs(aligned, cgroups, pgroups, p)
        for ck, pk, sec_score, sec_ev in aligned:
            cs, ps = cgroups[ck], share.get((ck, pk), pgroups[pk])
            if not ps:
                continue
            score, info = self.pair_scores(cs, ps, p)
            top = float(score.max()) if score.size else 0.0
            if top <= 0:
                continue
            floor = max(p["pair_floor"] * top, p["best_min"])
            keep: set[tuple[int, int]] = set()
            detail = p.get("detail_rule", True)
            for i in range(len(cs)):
                order = sorted(range(len(ps)), key=lambda j: (-score[i, j], j))
                if detail:
                    order = [j for j in order if _detail_fits(cs[i], ps[j])]
                    if not order:
                        continue
                best = score[i, order[0]]
                for rank, j in enumerate(order):
                    if rank < p["pair_top"] and score[i, j] >= floor and score[i, j] >= p["pair_rel"] * best:
                        keep.add((i, j))
            for j in range(len(ps)):
                fit = [i for i in range(len(cs)) if not detail or _detail_fits(cs[i], ps[j])]
                if not fit:
                    continue
                i = max(fit, key=lambda i: (score[i, j], -i))
                if score[i, j] >= max(p["problem_floor"] * top, p["best_min"]):
                    keep.add((i, j))
            if p.get("head_union", True):
                heads = info["heads"]
                for (i, j) in list(keep):
                    h = heads.get(i)
                    if h is not None and h != i and score[h, j] >= p["head_union_min"] * top:
                        keep.add((h, j))
            for (i, j) in sorted(keep):
                c, q = cs[i], ps[j]
                same_ord, lead, rem = info["flags"].get((i, j), (False, False, []))
                ev = self._evidence(c, q, info["sims"][i, j], section_pair=[c.leaf, q.leaf],
                                    section_score=round(sec_score, 4), relative=round(float(score[i, j]) / top, 4),
                                    item_lead=cs[info["heads"][i]].claim_id if info["heads"].get(i) not in (None, i) else None,
                                    parallel_item=same_ord or None, leads=lead or None, remedy=rem,
                                    section_remedy=sec_ev.get("remedy"),
                                    parallel_numbering=sec_ev.get("parallel_numbering"))
                sc = round(min(1.0, float(score[i, j])), 4)
                key = (c.claim_id, q.claim_id)
                if key not in chosen or chosen[key][0] < sc:
                    chosen[key] = (sc, c, q, ev)
        out = [Link("addresses", c, q, sc, ev) for sc, c, q, ev in (chosen[k] for k in sorted(chosen))]
        return _spread_to_pieces(out, body)

    # ---- same_issue -------------------------------------------------------------------------
    def same_issue(self) -> list[Link]:
        p = self.p["same_issue"]
        probs = [c for c in self.claims if c.has("problem")]
        out: list[Link] = []
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
