"""The subject of a Chinese figure: the region or named entity it describes."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..core import Figure
from ..lexicon import Lexicon
from .clauses import ENUM_VERBS, clause_bounds, clause_bounds_fig, fig_index_after


@dataclass
class Mention:
    """A region or deictic word (全省, 两地) named in a sentence."""

    start: int
    end: int
    text: str
    canonical: Optional[str]
    deictic: Optional[str] = None


def mentions_in(text: str, lex: Lexicon, region: Optional[str] = None) -> list[Mention]:
    """Regions and deictic words in a sentence. Country words (全国, 我国, 中国) are mentions only in a
    document about that country (a national report: 全国 → 中国); elsewhere they scope a rank or a
    share (居全国第5), they are not its subject."""
    out = []
    for m in lex.region_re.finditer(text):
        w = m.group()
        if w in lex.deictic:
            out.append(Mention(m.start(), m.end(), w, None, lex.deictic[w]))
            continue
        reg = lex.region(w)
        if reg is None or (reg.type == "country" and reg.canonical != region):
            continue
        tail = re.split(r"[，,。；;、：:“”《》（）()\s]", text[m.end():m.end() + 8])[0]
        if any(sfx in tail for sfx in lex.cue("name_suffix")):
            continue  # 延安博物馆, 西安咸阳国际机场: part of a name
        before = text[max(0, m.start() - 3):m.start()]
        if re.search(r"(占|相当于|仅占|占到)$", before):
            m_obj = Mention(m.start(), m.end(), w, reg.canonical, "denominator")
            out.append(m_obj)
            continue
        out.append(Mention(m.start(), m.end(), w, reg.canonical))
    return out


def _resolve(men: Mention, mentions: list[Mention], region: Optional[str], text: str
             ) -> tuple[Optional[str], Optional[str]]:
    """(subject, subject_text) for a mention; deictic words resolve to the document's region."""
    if men.deictic == "doc":
        return region, men.text
    if men.deictic == "pair":
        prior = [m for m in mentions if m.end <= men.start and m.canonical and m.deictic is None]
        names: list[Mention] = []
        for m in reversed(prior):
            if all(m.canonical != n.canonical for n in names):
                names.insert(0, m)
            if len(names) == 2:
                break
        if len(names) == 2:
            a, b = names
            joined = text[a.start:b.end]
            if re.fullmatch(r".{1,12}?(和|与|、|及).{1,12}", joined) and len(joined) <= a.end - a.start + b.end - b.start + 1:
                return joined, men.text
            return f"{a.text}和{b.text}", men.text
        return region, men.text
    sub = men.canonical
    return sub, (men.text if men.text != sub else None)


def _entity(clause: str, lex: Lexicon) -> Optional[str]:
    """A named entity opening a clause and acting as its subject: “重庆空港工业园区配套产业园”在…挂牌,
    汽车产业链供需信息对接平台已聚焦… ; None for example lists (…等项目) and verb-led clauses."""
    sfx = "|".join(re.escape(x) for x in lex.cue("entity_suffix"))
    m = re.match(r"\s*(?:其中\s*[,，]?\s*)?(?:“([^”]{2,30})”|([^，,。；;“”等]{2,30}?(?:" + sfx + r")))"
                 r"(?=在|已|共|于|将|初具|目前|挂牌|实现|累计|$)", clause)
    if not m:
        return None
    name = m.group(1) or m.group(2)
    if m.group(2) and any(name.startswith(v) for v in ENUM_VERBS + ("加快", "推动", "支持", "依托")):
        return None
    return name


_DONE_VERBS = r"(?:全面|正式|顺利|已|建成|全部)*(?:建成|投产|开工|投运|开通|竣工|落地|挂牌|签约|并网|运营|通车|启用|落户)"


def adjacent_entity(text: str, fig: Figure, lex: Lexicon) -> Optional[str]:
    """A project, park or facility a figure measures, named around it and followed by what happened to
    it: 50万吨甲醇制乙醇项目建成投产, 年产38.8亿方的延安气田增产项目全面投产, 建成榆能西南70万千瓦热电项目."""
    sfx = "|".join(re.escape(x) for x in lex.cue("project_suffix"))
    m = re.match(r"\s*的?\s*([^，,。；;、“”等0-9]{2,20}?(?:" + sfx + r"))(?=" + _DONE_VERBS + r"|[，,。；;]|$)", text[fig.end:])
    if not m:
        return None
    name = m.group(1)
    if name[0] in "的级和及与" or re.search(r"[和及与、]|[零一二三四五六七八九十百千万亿]{2}", name):
        return None  # 30万吨级航道, 水电站和…火电站: a class or a list, not one named project
    of_form = text[fig.end:].lstrip().startswith("的")
    head = None
    if not of_form:
        # 建成榆能西南70万千瓦热电项目: the name's first half stands before the figure, after its verb
        head = re.search(r"(?:开工建设|建成|新建|开工|投产|投运)([^，,。；;、“”0-9]{2,8})$", text[:fig.start])
        if head and re.search(r"年产|首个|全国|规模", head.group(1)):
            head = None
        if head and not lex.region(head.group(1)):
            name = head.group(1) + name
    if not (of_form or head or re.match(_DONE_VERBS, text[fig.end + m.end():])):
        return None
    return name


def subject_of(text: str, fig: Figure, figs: list[Figure], mentions: list[Mention], region: Optional[str],
             lex: Lexicon) -> tuple[Optional[str], Optional[str]]:
    a, b = clause_bounds_fig(text, fig)
    counted = fig.counter is not None and fig.counter in lex.units and lex.units[fig.counter].kind == "generic"
    if fig.kind == "quantity" and not counted and (ent := adjacent_entity(text, fig, lex)):
        return ent, None  # 2957个重大产业项目: projects counted, not a project's figure
    # 排名第 1 的上海: the region right after a rank
    if fig.kind == "rank":
        m = re.match(r"\s*的\s*", text[fig.end:])
        if m:
            for men in mentions:
                if men.start == fig.end + m.end() and men.deictic != "denominator":
                    return _resolve(men, mentions, region, text)
    usable = [m for m in mentions if m.deictic != "denominator"]
    # 重庆和成都分别排名全国第 3 和第 17: regions distributed over figures by 分别
    k = text.find("分别", 0, fig.start)
    if k >= 0:
        grp = [m for m in usable if m.end <= k and m.deictic is None]
        if len(grp) >= 2:
            g = [grp[-1]]
            for men in reversed(grp[:-1]):
                if re.fullmatch(r"\s*(和|与|、|及)\s*", text[men.end:g[0].start]):
                    g.insert(0, men)
                else:
                    break
            if len(g) >= 2 and re.fullmatch(r"[^，,；;。]*", text[g[-1].end:k]):
                idx = fig_index_after(text, figs, fig, k)
                same_kind = [f for f in figs if f.start >= k][: len(g)]
                if 0 <= idx < len(g) and fig in same_kind:
                    return _resolve(g[idx], mentions, region, text)
    in_clause = [m for m in usable if a <= m.start and m.end <= fig.start and "等" not in text[m.end:fig.start]]
    if in_clause:
        return _resolve(in_clause[-1], mentions, region, text)
    ent = _entity(text[a:fig.start], lex)
    if ent is None and a > 0:  # a subjectless clause (促成相互合作达400余家) after one naming an entity
        lead = re.sub(r"^\s*其中\s*[,，]\s*", "", text)
        ent = _entity(lead[: clause_bounds(lead, 0)[1]], lex)
    if ent:
        return ent, None
    has_denominator = any(m.deictic == "denominator" and a <= m.start < fig.start for m in mentions)
    denominators = {m.canonical for m in mentions if m.deictic == "denominator" and a <= m.start < fig.start}
    # the topic of an earlier clause: walk back over clauses naming no region; the first that names one
    # gives the subject if the region opens it (重庆装备制造业已形成…,有规上企业1100多家,从业人员为18万人)
    ca = a
    while ca > 0:
        pa, _ = clause_bounds(text, ca - 1)
        in_prev = [m for m in usable if pa <= m.start < ca - 1]
        if not in_prev:
            ca = pa
            continue
        first = in_prev[0]
        lead = text[pa:first.start]
        listed = re.match(r"\s*[、和与及]", text[first.end:first.end + 2])  # 武汉东湖、襄阳、宜昌3家高新区: a list
        if (lead.strip() == "" or re.fullmatch(r"\s*(而|但|其中|同期|同时|在|此外|截至目前|目前)*\s*", lead)) \
                and not listed and not (has_denominator and (first.canonical in denominators or lead.strip())):
            return _resolve(first, mentions, region, text)
        break
    return region, None

