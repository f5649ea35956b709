"""Charts with matplotlib and the CJK font the project ships (pipeline/paths.py), so Chinese
labels draw on machines without Chinese system fonts. SVG text is drawn as paths: a chart embedded
in an HTML page needs no font at all. Output is deterministic (no dates, fixed ids)."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Mapping, Sequence

from .paths import CJK_FONT

PALETTE = ("#4a78b5", "#d9822b", "#3f9b5b", "#b5475a", "#7d5ba6", "#8c6d31", "#2a9d9d", "#c0508f")
_READY = False


def pyplot() -> Any:
    """matplotlib.pyplot on the Agg backend with the shipped CJK font first in the family list
    (matplotlib falls back glyph by glyph to DejaVu Sans for what the subset lacks)."""
    global _READY
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    if not _READY:
        font_manager.fontManager.addfont(str(CJK_FONT))
        name = font_manager.FontProperties(fname=str(CJK_FONT)).get_name()
        matplotlib.rcParams.update({
            "font.family": [name, "DejaVu Sans"], "axes.unicode_minus": False, "svg.fonttype": "path",
            "svg.hashsalt": "litmine", "figure.dpi": 100, "axes.spines.top": False, "axes.spines.right": False,
            "axes.titlesize": 11, "axes.labelsize": 10, "xtick.labelsize": 9, "ytick.labelsize": 9})
        _READY = True
    return plt


def to_svg(fig: Any) -> str:
    """The figure as an inline <svg> element (no XML prolog, no date), and the figure closed."""
    plt = pyplot()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def save(fig: Any, path: str | Path) -> Path:
    """PNG (150 dpi) or SVG by suffix."""
    plt = pyplot()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"Date": None, "Creator": None} if path.suffix.lower() == ".svg" else {"Software": None}
    fig.savefig(path, dpi=150, bbox_inches="tight", metadata=meta)
    plt.close(fig)
    return path


def line_chart(series: Mapping[str, Sequence[tuple[int, float]]], *, title: str = "", ylabel: str = "",
               width: float = 7.0, height: float = 3.0) -> Any:
    """One line per series over years; a marker on every point (years are often sparse)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(width, height))
    for i, (name, pts) in enumerate(series.items()):
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        ax.plot(xs, ys, marker="o", markersize=3, linewidth=1.4, color=PALETTE[i % len(PALETTE)], label=name)
    if title:
        ax.set_title(title, loc="left")
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    if len(series) > 1:
        ax.legend(frameon=False, fontsize=9)
    return fig


def plot_trends(rows: Sequence[Any], path: str | Path) -> Path:
    """`litmine trends --plot`: hits per 10,000 sentences by year, one line per term or topic."""
    series: dict[str, list[tuple[int, float]]] = {}
    for r in rows:
        series.setdefault(r.series, []).append((r.year, r.per_10k))
    fig = line_chart(series, ylabel="per 10,000 sentences 每万句", title="trends 趋势")
    return save(fig, path)
