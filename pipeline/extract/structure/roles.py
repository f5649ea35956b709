"""Section roles: what each part of a document does (model.ROLES), set on Block.role.

Work reports (政府工作报告, and speeches that follow them): the review of the past year, the
paragraph inside it that admits the difficulties (problems), the paragraph that states the year's
targets, the task parts, appendices. A part heading names its role ("2024年工作回顾", "2025年工作
安排"); a year in it is read against the document's own year (a past year → review, this year →
tasks); a heading that names neither is judged by the tense of its text, with character-bigram
weights learned from the parts of the shared reports whose headings do name their role
(models/structure/part_tense.tsv, pipeline/devtools/train_part_tense.py). Papers: the role their headings name (引言, 文献综述, 研究方法, 实证结果, 存在的问题,
对策建议, 结论; Introduction, Related Work, …), inherited by sub-sections. Front matter, abstracts and
titles are "front", the reference list "references". The cues are data (models/structure/section_roles.tsv).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ...document import Block, Document
from ...document.model import ROLES
from ...errors import DocumentError, Msg
from ...paths import DEFAULT_MODELS
from .patterns import SALUTATION_RE, content_span

_NUMBERING = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+(?:编|部分|篇|章|节)|[一二三四五六七八九十]+\s*[、.．]|"
    r"[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d{1,2}(?:[.．]\d{1,2}){0,3}[.．、]?|"
    r"(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)\.|[A-H]\.|§\s*\d+\.?|[①②③④⑤⑥⑦⑧⑨⑩])\s*")
_YEAR = re.compile(r"((?:19|20)\d{2}|[１-２][０-９]{3}|[一二][〇○零一二三四五六七八九]{3})\s*年")
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_WHERE = ("report_heading", "paper_heading", "problems_lead", "problems_admit", "problems_density", "targets_lead",
          "problems_follow", "targets_follow")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
TENSE_MARGIN = 0.02  # mean log-odds per bigram below which a part stays undecided
_REPORT_TITLE = re.compile(r"(?:政府工作报告|工作报告|施政报告|计划的报告|预算的报告|规划的报告)")


@dataclass
class RoleCues:
    rows: dict[str, list[tuple[str, re.Pattern[str]]]] = field(default_factory=dict)
    tense_weights: dict[str, float] = field(default_factory=dict)
    density: list[tuple[int, float, re.Pattern[str]]] = field(default_factory=list)

    def dense_problems(self, text: str) -> bool:
        for hits, per100, pat in self.density:
            n = len(pat.findall(text))
            if n >= hits and 100 * n / max(1, len(text)) >= per100:
                return True
        return False

    def match(self, where: str, text: str) -> str:
        for role, pat in self.rows.get(where, []):
            if pat.search(text):
                return role
        return ""

    def tense_score(self, text: str) -> float:
        """Mean log-odds per known character bigram: > 0 when the text reads as a review of the past,
        < 0 when it sets tasks (weights learned from the reports, models/structure/part_tense.tsv)."""
        hits = [self.tense_weights[g] for run in _CJK_RUN.findall(unicodedata.normalize("NFKC", text))
                for g in (run[i:i + 2] for i in range(len(run) - 1)) if g in self.tense_weights]
        return sum(hits) / len(hits) if hits else 0.0


@lru_cache(maxsize=4)
def load_role_cues(path: Path | None = None) -> RoleCues:
    """Read and validate section_roles.tsv once (a bad row is a clear error, not a silent skip)."""
    path = Path(path) if path else DEFAULT_MODELS / "structure" / "section_roles.tsv"
    cues = RoleCues()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DocumentError(Msg.CANNOT_READ.format(detail=f"{path}: {exc.strerror or exc}")) from None
    for k, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in _WHERE or parts[0] not in ROLES:
            raise DocumentError(Msg.RESOURCE_BAD.format(file=path.name, line=k,
                                                         why="expected role<TAB>where<TAB>pattern (known role and where)"))
        role, where, pattern = parts
        try:
            if where == "problems_density":
                hits, per100, pattern = pattern.split(" ", 2)
                cues.density.append((int(hits), float(per100), re.compile(pattern)))
            else:
                cues.rows.setdefault(where, []).append((role, re.compile(pattern, re.I)))
        except (re.error, ValueError) as exc:
            raise DocumentError(Msg.RESOURCE_BAD.format(file=path.name, line=k, why=f"bad pattern ({exc})")) from None
    cues.tense_weights = _load_tense(path.parent / "part_tense.tsv")
    return cues


def _load_tense(path: Path) -> dict[str, float]:
    """bigram → log-odds; an absent file leaves report parts without role words undecided."""
    if not path.exists():
        return {}
    out: dict[str, float] = {}
    for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        gram, _, weight = line.partition("\t")
        try:
            out[gram] = float(weight)
        except ValueError:
            raise DocumentError(Msg.RESOURCE_BAD.format(file=path.name, line=k, why="expected bigram<TAB>weight")) from None
    return out


def is_report(doc: Document) -> bool:
    """A government work report or a speech laid out like one (addressed to 各位代表)."""
    if _REPORT_TITLE.search(doc.title or "") or _REPORT_TITLE.search(doc.doc_id):
        return True
    head = [doc.text[b.start:b.end].strip() for b in doc.blocks[:12]]
    return any(SALUTATION_RE.match(t) or t.startswith(("各位代表", "各位委员")) for t in head)


def heading_core(heading: str) -> str:
    """A heading without its numbering and trailing punctuation."""
    return _NUMBERING.sub("", heading.strip(), count=1).strip(" 　:：.。")


def heading_role(heading: str, cues: RoleCues, report: bool, year: int | None) -> str:
    core = heading_core(heading)
    if not core:
        return ""
    if report:
        role = cues.match("report_heading", core)
        if role in ("appendix", "conclusion", "targets"):
            return role
        if re.search(r"回顾|总结", core):
            return "review"
        years = [_year_int(y) for y in _YEAR.findall(core)]
        if years and year:
            return "review" if max(years) < year else "tasks"
        if role:
            return role
    return cues.match("paper_heading", core)


def _year_int(y: str) -> int:
    """"2024", "２０２４", "一九五八" → the year."""
    return int(y.translate(_FULLWIDTH).translate(_CN_DIGITS))


def assign_roles(doc: Document, cues: RoleCues | None = None) -> None:
    """Set Block.role on every block (see the module docstring)."""
    cues = cues or load_role_cues()
    report = is_report(doc)
    year = doc.year
    text = doc.text
    body_kinds = ("body", "heading", "caption", "table")
    # 1. each heading's own role, from its words (a report's year read against the document's)
    own: dict[str, str] = {}
    headings = {b.section_path[-1] for b in doc.blocks if b.kind == "heading" and b.section_path}
    for b in doc.blocks:
        for h in b.section_path:
            if h not in own:
                # text before the first heading is filed under the title, which names no role
                own[h] = heading_role(h, cues, report, year) if h in headings else ""
    # 2. report parts whose heading names no role: judge the part by the tense of its text
    if report:
        _roles_from_tense(doc, own, cues)
    has_parts = any(b.kind == "heading" for b in doc.blocks)
    # 3. every block takes the innermost named role of its path
    for b in doc.blocks:
        if b.kind in ("title", "front_matter", "keywords", "abstract"):
            b.role = "front"
        elif b.kind == "reference":
            b.role = "references"
        elif b.kind in body_kinds:
            role = _path_role(b.section_path, own, report)
            if not role and report and not any(h in headings for h in b.section_path) and b.kind == "body" \
                    and has_parts:
                role = "background"  # the opening address before the first part
            b.role = role
    if report:
        _paragraph_roles(doc, cues, text)


def _path_role(path: list[str], own: dict[str, str], report: bool) -> str:
    """The innermost named role of a section path. In a report the part decides review or tasks:
    a sub-heading under the review that reads like a task ("（六）切实加强政府自身建设…") reports
    work done; sub-headings refine only to problems, targets, appendix or conclusion."""
    if not report:
        return next((own[h] for h in reversed(path) if own.get(h)), "")
    role = ""
    for h in path:
        r = own.get(h, "")
        if r and (not role or r in ("problems", "targets", "appendix", "conclusion")):
            role = r
    return role


def _roles_from_tense(doc: Document, own: dict[str, str], cues: RoleCues) -> None:
    """Top-level report parts with no role of their own: review when their text looks back, tasks
    when it looks ahead. Sub-headings of such a part inherit what is decided here."""
    parts: dict[str, list[Block]] = {}
    for b in doc.blocks:
        if b.kind == "body" and b.section_path:
            parts.setdefault(b.section_path[0], []).append(b)
    for h, blocks in parts.items():
        if own.get(h):
            continue
        sub_roles = {own.get(x) for b in blocks for x in b.section_path[1:] if own.get(x)}
        if sub_roles & {"review", "tasks"} and len(sub_roles) == 1:
            continue  # its sub-sections say it
        body = "".join(doc.text[b.start:b.end] for b in blocks)
        if len(body) < 100:
            continue
        score = cues.tense_score(body)
        if abs(score) >= TENSE_MARGIN:
            own[h] = "review" if score > 0 else "tasks"


_SENTENCE_START = re.compile(r"(?<=[。！？!?])[”’」』）)]*")


def _sentence_at(text: str, pos: int, end: int) -> str:
    return text[pos:min(end, pos + 160)].lstrip()


def _admits(cues: RoleCues, text: str, part_role: str) -> bool:
    return bool(cues.match("problems_admit", text) or (part_role in ("review", "background", "")
                                                         and cues.match("problems_lead", text)))


def _paragraph_roles(doc: Document, cues: RoleCues, text: str) -> None:
    """Paragraph-level parts of a report: the difficulties admitted (inside the review, or plainly
    anywhere), the targets. A paragraph that turns to the difficulties after its first sentence is
    split there, so the role starts with the sentence that admits them."""
    out: list[Block] = []
    prev_role = ""
    for b in doc.blocks:
        if b.kind != "body":
            out.append(b)
            prev_role = ""
            continue
        start, end = content_span(text, b)
        opening = text[start:min(end, start + 160)]
        role = ""
        if _admits(cues, opening, b.role):
            role = "problems"
        elif b.role == "review" and cues.dense_problems(text[start:end]):
            role = "problems"
        elif cues.match("targets_lead", opening) and b.role in ("tasks", "targets", "review", ""):
            role = "targets"
        elif prev_role == "problems" and cues.match("problems_follow", opening):
            role = "problems"
        elif prev_role == "targets" and cues.match("targets_follow", opening):
            role = "targets"
        if not role and b.role in ("review", "tasks", "background", ""):
            cut = next((m.end() for m in _SENTENCE_START.finditer(text, start, end)
                        if m.end() < end and _admits(cues, _sentence_at(text, m.end(), end), b.role)), None)
            if cut is not None:
                head = Block(start=b.start, end=cut, page=b.page, bbox=b.bbox, kind=b.kind,
                             section_path=list(b.section_path), lang=b.lang, hints=dict(b.hints), role=b.role)
                while cut < end and text[cut] in " \t　":
                    cut += 1
                tail = Block(start=cut, end=b.end, page=b.page, bbox=b.bbox, kind=b.kind,
                             section_path=list(b.section_path), lang=b.lang,
                             hints={**b.hints, "split_from_paragraph": True}, role="problems")
                out.extend((head, tail))
                prev_role = "problems"
                continue
        if role:
            b.role = role
        out.append(b)
        prev_role = role
    doc.blocks = out
