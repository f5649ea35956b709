"""same_metric links between statistics: same normalised metric, subject and unit.

A pair in the same year whose values differ beyond rounding (and neither is approximate or a
target) is a conflict. Metric normalisation comes from pipeline.statistics when it exposes
`normalise_metric`; otherwise NFKC, whitespace and a few stop phrases are stripped here.
"""
from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass

from .text import nfkc

_STRIP_PREFIX = re.compile(r"^(?:其中|此外|同时|目前|截至目前|全年|累计|共计|总计|合计|共|已|实现|完成|达到|达|为|的)+")
_STRIP_SUFFIX = re.compile(r"(?:达到|达|为|约为|约|超过|突破|仅为|仅|已|共|合计|累计|的)+$")


def _own_normalise(metric: str) -> str:
    m = "".join(nfkc(metric).split())
    m = re.sub(r"[（(][^)）]*[)）]", "", m)  # (亿元), (%) : units in the name
    m = _STRIP_PREFIX.sub("", m)
    m = _STRIP_SUFFIX.sub("", m)
    return m.lower()


def metric_normaliser():
    """The statistics helper's normaliser when available (one definition of 'same metric')."""
    try:
        from ..statistics import normalise_metric

        # one call per distinct name (the normaliser looks its lexicon up on every call)
        return functools.lru_cache(maxsize=None)(lambda s: _own_normalise(normalise_metric(s) or ""))
    except (ImportError, AttributeError):
        return _own_normalise


@dataclass
class Stat:
    stat_id: str
    doc_id: str
    source: str
    sentence_id: str | None
    cell_id: str | None
    span: str
    value: float | None
    unit: str
    approx: str
    modality: str
    direction: str
    year: int | None
    subject: str
    metric: str
    key: tuple[str, str, str]
    table_id: str | None = None
    value_max: float | None = None  # upper bound of a range (3—5万), else None
    base_year: int | None = None  # the year a change is measured against


def subject_key(subject: str) -> str:
    """A subject's comparable form: the gazetteer areas it names (成渝地区 and 成渝地区双城经济圈 are
    one area), else its compact text."""
    s = "".join(nfkc(subject or "").split())
    if not s:
        return ""
    try:
        from ..statistics import load_lexicon

        lex = load_lexicon()
        areas = sorted({reg.group for m in lex.region_re.finditer(s) if (reg := lex.region(m.group())) is not None})
    except Exception:  # the gazetteer is the statistics stage's resource; without it, the text decides
        areas = []
    return "+".join(areas) if areas else s


def load_stats(conn: sqlite3.Connection) -> list[Stat]:
    norm = metric_normaliser()
    subjects: dict[str, str] = {}
    out = []
    for r in conn.execute(
            "SELECT s.stat_id, s.doc_id, s.source, s.sentence_id, s.cell_id, s.span, s.value, s.unit, s.approx,"
            " s.modality, s.direction, s.year, s.subject, s.metric, c.table_id, s.counter, s.value_max, s.base_year"
            " FROM statistics s LEFT JOIN cells c ON c.cell_id = s.cell_id ORDER BY s.doc_id, s.stat_id"):
        metric = norm(r[13] or "")
        if not informative_metric(metric) or r[6] is None:
            continue
        subject = subjects.get(r[12] or "")
        if subject is None:
            subject = subjects[r[12] or ""] = subject_key(r[12] or "")
        # counts compare only under the same measure word (2个 集群 vs 8家 企业); a change compares
        # only with a change against the same base year
        unit = (r[7] or "") + (f":{nfkc(r[15]).strip()}" if r[15] else "") + (f"@{r[17]}" if r[17] else "")
        out.append(Stat(r[0], r[1], r[2] or "text", r[3], r[4], r[5] or "", float(r[6]), r[7] or "",
                        r[8] or "exact", r[9] or "", r[10] or "", r[11], subject, metric,
                        (subject, metric, unit), r[14], r[16], r[17]))
    return out


def informative_metric(metric: str) -> bool:
    """A metric name that can identify a quantity: not a bare year/number (a table's column
    header), not a lone two-character verb or noun (转变, 规模) left by a failed extraction."""
    core = re.sub(r"[\d\s.,%年月日-]", "", metric)
    return len(core) >= 3 or (len(core) >= 2 and not re.search(r"[\u3400-\u9fff]", core))


def _decimals(span: str) -> int:
    m = re.search(r"\d+(?:\.(\d+))?", nfkc(span).replace(" ", ""))
    return len(m.group(1)) if m and m.group(1) else 0


def values_agree(a: Stat, b: Stat, rel_tol: float) -> bool:
    """Equal up to the rounding of the less precise figure (3% = 3.0 = 2.96), or within rel_tol
    when either is approximate (约, 超过)."""
    if a.value is None or b.value is None:
        return True
    diff = abs(a.value - b.value)
    if diff <= 1e-9 * max(1.0, abs(a.value), abs(b.value)):
        return True
    # rounding step of the less precise figure, in the figure's own written scale
    scale = max(abs(a.value), abs(b.value))
    written = [x for x in (a, b) if x.span]
    step = 0.0
    for x in written:
        num = re.search(r"\d+(?:\.\d+)?", nfkc(x.span).replace(" ", ""))
        if num and float(num.group()) > 0:
            unit_factor = abs(x.value or 0.0) / float(num.group())
            step = max(step, 0.5 * 10 ** (-_decimals(x.span)) * unit_factor)
    if diff <= step + 1e-9 * scale:
        return True
    # a bound or a range agrees with every value it admits: 突破3.6万 (more than) and 3.65万 agree,
    # 不足30% and 28% agree, 3—5万 and 4万 agree
    for x, y in ((a, b), (b, a)):
        lo, yv = x.value, y.value
        if lo is None or yv is None:  # checked above: both have values
            continue
        hi = x.value_max if x.value_max is not None else lo
        if x.approx == "more_than" and yv + step >= lo:
            return True
        if x.approx == "less_than" and yv - step <= hi:
            return True
        if x.value_max is not None and lo - step <= yv <= hi + step:
            return True
    if a.approx == "about" or b.approx == "about":
        return diff <= rel_tol * scale
    return False


_TABLE_LABEL = re.compile(r"^(?:表|table)\s*\d+[.:：]?", re.I)
_HEADS = re.compile(r"(?:数量|名单|情况|规模|总量|总数|个数|一览表?)$")


def _core(metric: str, subject: str) -> str:
    """A metric name without a table label, the subject and a list/quantity head: a caption
    '表1 35个成渝地区…产业合作示范园区名单' and the prose '合作示范园区数量' meet on the core."""
    m = _TABLE_LABEL.sub("", metric)
    if subject:
        m = m.replace(subject.lower(), "")
    m = re.sub(r"^\d+(?:\.\d+)?[个家项所条]?", "", m)
    return _HEADS.sub("", m)


def _merge_contained(stats: list[Stat]) -> dict[str, tuple[str, str, str]]:
    """Group key per statistic: metric names of one subject and unit whose cores contain one
    another (≥ 4 characters) share the shorter core."""
    by_su: dict[tuple[str, str], set[str]] = {}
    for s in stats:
        by_su.setdefault((s.subject, s.key[2]), set()).add(_core(s.metric, s.subject))
    out: dict[str, tuple[str, str, str]] = {}
    for s in stats:
        core = _core(s.metric, s.subject)
        cands = [c for c in by_su[(s.subject, s.key[2])] if len(c) >= 4 and c != core and c in core]
        out[s.stat_id] = (s.subject, min(cands, key=lambda c: (len(c), c)) if cands else core, s.key[2])
    return out


def metric_pairs(stats: list[Stat], params: dict) -> list[tuple[Stat, Stat, float, int, dict]]:
    """(a, b, score, conflict, evidence) for statistics sharing metric, subject and unit."""
    groups: dict[tuple[str, str, str], list[Stat]] = {}
    keys = _merge_contained(stats)
    for s in stats:
        groups.setdefault(keys[s.stat_id], []).append(s)
    rel_tol = params.get("approx_rel_tol", 0.05)
    max_group = params.get("max_group", 40)
    max_ratio = params.get("max_value_ratio", 5.0)  # a huge group means a generic metric name: skip
    out = []
    for key in sorted(groups):
        g = sorted(groups[key], key=lambda s: (s.doc_id, s.stat_id))
        if len(g) < 2 or len(g) > max_group:
            continue
        # A document states one value per metric, subject and year; one that "states" three or
        # more different values for the same key names its metric too vaguely to claim a conflict.
        distinct: dict[tuple[str, int | None], set[float]] = {}
        for s in g:
            distinct.setdefault((s.doc_id, s.year), set()).add(round(s.value or 0.0, 6))
        vague = any(len(v) >= 3 for v in distinct.values())
        for i in range(len(g)):
            for j in range(i + 1, len(g)):
                a, b = g[i], g[j]
                if a.sentence_id and a.sentence_id == b.sentence_id and a.source == b.source:
                    continue  # two figures of one sentence are parts of one statement, not a repeat
                if a.table_id and a.table_id == b.table_id:
                    continue  # two cells of one table are different quantities, not a repeat
                if not key[0] and a.doc_id != b.doc_id:
                    continue  # no subject: only within a document is the metric name enough
                if (a.direction or "") != (b.direction or ""):
                    continue  # a level and a change are different quantities
                same_year = a.year is not None and a.year == b.year
                agree = values_agree(a, b, rel_tol)
                if vague and not agree:
                    continue
                lo, hi = sorted((abs(a.value or 0.0), abs(b.value or 0.0)))
                if lo > 0 and hi / lo > max_ratio:
                    continue  # 200亿元 vs 35538亿元: an increment and a level, not one quantity
                # A conflict needs the very same metric (not one name inside another: 农村居民人均可支配
                # 收入增速 is not 居民人均可支配收入增速) and two sources: two documents, or a table and
                # the prose of one paper. Two prose figures of one document with one short metric name
                # are different quantities far more often than a self-contradiction.
                exact_metric = _core(a.metric, a.subject) == _core(b.metric, b.subject)
                two_sources = a.doc_id != b.doc_id or a.source != b.source
                conflict = int(same_year and not agree and "target" not in (a.modality, b.modality)
                               and exact_metric and two_sources)
                ev = {"metric": key[1], "metrics": sorted({a.metric, b.metric}), "subject": key[0], "unit": key[2], "years": [a.year, b.year],
                      "values": [a.value, b.value], "spans": [a.span, b.span],
                      "sources": [a.source, b.source], "same_year": same_year, "values_agree": agree,
                      "exact_metric": exact_metric}
                score = 1.0 if (same_year or (a.year is None and b.year is None)) else 0.8
                out.append((a, b, score, conflict, ev))
    return out
