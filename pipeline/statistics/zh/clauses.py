"""Clauses of a Chinese sentence and the positions of figures inside them."""
from __future__ import annotations

import re

from ..core import Figure

CLAUSE_SEP = "，,；;：:。！？!?\n"
# verbs that open an example list (新增A、B等企业): shared by the subject and metric rules
ENUM_VERBS = ("攻克", "新建", "建设", "新增", "引进", "招引", "培育", "创建", "打造", "实施", "改造",
               "建成", "完成", "开展", "举办", "落实", "推进", "认定", "获批", "设立", "组建", "布局")


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    a = pos
    while a > 0 and text[a - 1] not in CLAUSE_SEP:
        a -= 1
    b = pos
    while b < len(text) and text[b] not in CLAUSE_SEP:
        b += 1
    return a, b


def clause_bounds_fig(text: str, fig: Figure) -> tuple[int, int]:
    a, _ = clause_bounds(text, fig.start)
    _, b = clause_bounds(text, max(fig.start, fig.end - 1))
    return a, b


def strip_figs(seg: str, seg_off: int, figs: list[Figure], marker: str = "\x00") -> str:
    """Replace earlier figures (with their qualifiers) inside `seg` by a marker."""
    chars = list(seg)
    for f in figs:
        for i in range(max(f.ext_start, seg_off), min(f.ext_end, seg_off + len(seg))):
            chars[i - seg_off] = marker
    return re.sub(f"{marker}+", marker, "".join(chars))


def fig_index_after(text: str, figs: list[Figure], fig: Figure, anchor: int) -> int:
    """Position of `fig` among the figures after `anchor` in the same sentence (0-based)."""
    after = [f for f in figs if f.start >= anchor]
    return after.index(fig) if fig in after else -1

