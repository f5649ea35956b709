"""Self-contained HTML report of topic models (`<index dir>/report/topics.html`).

Per language: topic prevalence over the years (when documents are dated), one card per topic with
its top terms as bars and example sentences (document title and year), documents × topics (rows
labelled by title and year, in year order; only documents of that language), and the K sweep.
Charts are drawn with matplotlib (plotting.py) and embedded as SVG data URIs with their text as
paths; the page's own Chinese text uses a subset of the font litmine ships, embedded as a data URI
(fontTools) and listed first for CJK code points only (unicode-range): the page renders the same
on a machine without Chinese fonts (listed after the system's Latin fonts, Chromium drew some
headings with a fallback font that has no Chinese glyphs). No scripts, nothing
fetched from the network.
"""
from __future__ import annotations

import base64
import io
import sqlite3
from collections import defaultdict
from html import escape
from pathlib import Path
from typing import Any

from .types import TopicModelResult

HEATMAP_MAX_DOCS = 60  # above this the per-document matrix is a table inside <details>, not a picture
EXAMPLES = 3

_CSS = """
@font-face{font-family:"LitmineCJK";src:url(%FONT%) format("woff");
unicode-range:U+2E80-9FFF,U+F900-FAFF,U+FE30-FE4F,U+FF00-FFEF}
body{font-family:"LitmineCJK",-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px auto;color:#222;max-width:1180px;padding:0 16px;line-height:1.45}
h1{font-size:22px}h2{font-size:18px;margin-top:36px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:15px;margin:22px 0 8px}
.topics{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:14px}
.topic{border:1px solid #ddd;border-radius:6px;padding:8px 10px;min-width:0}
.topic h4{font-size:14px;margin:0 0 4px;overflow-wrap:anywhere}
.meta{color:#666;font-size:12px}
.bar{display:grid;grid-template-columns:minmax(0,42%) 1fr;gap:6px;align-items:center;font-size:12px;margin:1px 0}
.bar .t{text-align:right;overflow-wrap:anywhere;word-break:break-word}
.bar .b{display:flex;align-items:center;gap:4px;min-width:0}
.bar .b span{display:inline-block;height:10px;background:#4a78b5;border-radius:2px}
.bar .b em{font-style:normal;color:#777;font-size:11px}
.ex{font-size:12px;color:#333;margin:6px 0 0;padding-left:16px}.ex li{margin:3px 0;overflow-wrap:anywhere}
.ex .src{color:#777}
img.chart{max-width:100%;height:auto;display:block;margin:6px 0}
table{border-collapse:collapse;font-size:12px;margin-top:8px;max-width:100%}
td,th{border:1px solid #e3e3e3;padding:3px 6px;text-align:right}
th{background:#f6f6f6}td.doc{text-align:left;max-width:420px;overflow-wrap:anywhere}
.scroll{overflow-x:auto;max-width:100%}
.reason{background:#f7f9fc;border-left:3px solid #4a78b5;padding:6px 10px;font-size:13px}
"""


def render_report(results: list[TopicModelResult], out_html: Path, doc_titles: dict[str, str],
                  conn: sqlite3.Connection | None = None) -> None:
    """Write one HTML page covering every result (one section per language). With the index's
    connection, documents get their years and each topic its example sentences."""
    docs = _documents(conn, doc_titles)
    body = ["<h1>Topics 主题</h1>"]
    for res in results:
        body += _language_section(res, docs, conn)
    html_body = "\n".join(body)
    font = _font_data_uri(html_body)
    page = ['<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "<title>litmine — topics 主题</title>", f"<style>{_CSS.replace('%FONT%', font)}</style></head><body>",
            html_body, "</body></html>\n"]
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    out_html.write_bytes("\n".join(page).encode("utf-8"))


def _documents(conn: sqlite3.Connection | None, titles: dict[str, str]) -> dict[str, tuple[str, int | None]]:
    out: dict[str, tuple[str, int | None]] = {d: (t or d, None) for d, t in titles.items()}
    if conn is not None:
        for doc_id, title, year in conn.execute("SELECT doc_id, title, year FROM documents"):
            out[doc_id] = (title or doc_id, int(year) if year is not None else None)
    return out


def _doc_label(doc: str, docs: dict[str, tuple[str, int | None]], n: int = 36) -> str:
    title, year = docs.get(doc, (doc, None))
    title = title if len(title) <= n else title[:n - 1] + "…"
    return f"{title} ({year})" if year is not None else title


def _language_section(res: TopicModelResult, docs: dict[str, tuple[str, int | None]],
                      conn: sqlite3.Connection | None) -> list[str]:
    lang_name = {"zh": "中文 Chinese", "en": "English"}.get(res.lang, res.lang)
    out = [f"<h2>{escape(lang_name)} — {len(res.topics)} topics 主题 ({escape(res.engine)})</h2>",
           f'<p class="reason">{escape(res.reason)}</p>']
    # only this language's documents: an English paper is not a row of zeros in the Chinese matrix
    mixes = {d: mix for d, mix in res.doc_topics.items() if any(w > 0 for _, w in mix)}
    order = sorted(mixes, key=lambda d: (docs.get(d, (d, None))[1] is None, docs.get(d, (d, None))[1] or 0,
                                         docs.get(d, (d, ""))[0], d))
    over_years = _over_years(res, mixes, docs)
    if over_years:
        out += ["<h3>Topic prevalence over the years 主题随年份的变化</h3>", over_years]
    out.append("<h3>Topics 主题</h3>")
    out.append('<div class="topics">')
    examples = _examples(conn, res.lang, docs)
    for t in res.topics:
        out.append(f'<div class="topic"><h4>T{t.topic_id}: {escape(t.label)}</h4>'
                   f'<div class="meta">prevalence 占比 {t.prevalence:.1%}</div>{_bars(t.terms)}')
        ex = examples.get(f"{res.lang}-{t.topic_id}", [])
        if ex:
            out.append('<ul class="ex">' + "".join(f'<li>{escape(text)} <span class="src">— {escape(src)}</span></li>'
                                                   for text, src in ex) + "</ul>")
        out.append("</div>")
    out.append("</div>")
    out.append(f"<h3>Documents × topics 文档的主题构成 ({len(order)} documents)</h3>")
    if 0 < len(order) <= HEATMAP_MAX_DOCS:
        out.append(_doc_heatmap(res, order, mixes, docs))
    out.append(("<details><summary>table 表格</summary>" if len(order) <= HEATMAP_MAX_DOCS else "<details open>"
                "<summary>table 表格</summary>") + _doc_table(res, order, mixes, docs) + "</details>")
    out += _sweep(res)
    return out


def _bars(terms: list[tuple[str, float]], n: int = 10) -> str:
    terms = terms[:n]
    if not terms:
        return ""
    top = max(w for _, w in terms) or 1.0
    rows = [f'<div class="bar"><div class="t" title="{escape(t)}">{escape(t)}</div><div class="b">'
            f'<span style="width:{max(1.0, 100 * w / top) * 0.8:.1f}%"></span><em>{w:.3f}</em></div></div>'
            for t, w in terms]
    return '<div class="bars">' + "".join(rows) + "</div>"


def _examples(conn: sqlite3.Connection | None, lang: str, docs: dict[str, tuple[str, int | None]]
              ) -> dict[str, list[tuple[str, str]]]:
    """topic id -> the sentences most typical of it (highest share), one per document, with their source."""
    if conn is None:
        return {}
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    seen: dict[str, set[str]] = defaultdict(set)
    rows = conn.execute("SELECT st.topic_id, s.text, s.doc_id FROM sentence_topics st JOIN sentences s"
                        " ON s.sentence_id = st.sentence_id WHERE st.topic_id LIKE ? AND length(s.text) >= 12"
                        " ORDER BY st.topic_id, st.prob DESC, length(s.text), s.sentence_id", (f"{lang}-%",))
    for tid, text, doc in rows:
        if len(out[tid]) >= EXAMPLES or doc in seen[tid]:
            continue
        seen[tid].add(doc)
        text = " ".join(text.split())
        out[tid].append((text if len(text) <= 160 else text[:159] + "…", _doc_label(doc, docs, 30)))
    return out


def _over_years(res: TopicModelResult, mixes: dict[str, list[tuple[int, float]]],
                docs: dict[str, tuple[str, int | None]]) -> str:
    """Mean topic share per year (years × topics heatmap), when at least two years are present."""
    by_year: dict[int, list[list[tuple[int, float]]]] = defaultdict(list)
    for d, mix in mixes.items():
        year = docs.get(d, (d, None))[1]
        if year is not None:
            by_year[year].append(mix)
    if len(by_year) < 2:
        return ""
    from ..plotting import pyplot

    plt = pyplot()
    years = sorted(by_year)
    k = len(res.topics)
    grid = [[sum(dict(m).get(t.topic_id, 0.0) for m in by_year[y]) / len(by_year[y]) for y in years]
            for t in res.topics]
    fig, ax = plt.subplots(figsize=(min(14.0, 2.5 + 0.16 * len(years)), 0.8 + 0.3 * k))
    im = ax.imshow(grid, aspect="auto", cmap="Blues", vmin=0.0)
    ax.set_yticks(range(k), [f"T{t.topic_id} {_short(t.label, 14)}" for t in res.topics])
    step = max(1, len(years) // 24)
    ax.set_xticks(range(0, len(years), step), [str(y) for y in years[::step]], rotation=90)
    ax.set_xlabel("year 年份 (mean share of the topic in that year's documents 当年文献中的平均占比)")
    fig.colorbar(im, ax=ax, fraction=0.025, pad=0.01)
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)
    return _img(fig, "topic prevalence by year")


def _doc_heatmap(res: TopicModelResult, order: list[str], mixes: dict[str, list[tuple[int, float]]],
                 docs: dict[str, tuple[str, int | None]]) -> str:
    from ..plotting import pyplot

    plt = pyplot()
    grid = [[w for _, w in mixes[d]] for d in order]
    fig, ax = plt.subplots(figsize=(2.5 + 0.45 * len(res.topics), 0.8 + 0.24 * len(order)))
    im = ax.imshow(grid, aspect="auto", cmap="Blues", vmin=0.0, vmax=1.0)
    ax.set_yticks(range(len(order)), [_doc_label(d, docs) for d in order])
    ax.set_xticks(range(len(res.topics)), [f"T{t.topic_id}" for t in res.topics])
    ax.xaxis.tick_top()
    fig.colorbar(im, ax=ax, fraction=0.03, pad=0.01)
    return _img(fig, "documents by topics")


def _doc_table(res: TopicModelResult, order: list[str], mixes: dict[str, list[tuple[int, float]]],
               docs: dict[str, tuple[str, int | None]]) -> str:
    head = "".join(f'<th title="{escape(t.label)}">T{t.topic_id}</th>' for t in res.topics)
    rows = []
    for d in order:
        title, year = docs.get(d, (d, None))
        cells = "".join(_cell(w) for _, w in mixes[d])
        rows.append(f'<tr><td class="doc" title="{escape(d)}">{escape(title)}</td><td>{year or ""}</td>{cells}</tr>')
    return (f'<div class="scroll"><table><tr><th>document 文献</th><th>year 年份</th>{head}</tr>' + "".join(rows)
            + "</table></div>")


def _cell(w: float) -> str:
    # white -> blue by share; text turns white on dark cells so numbers stay readable
    a = max(0.0, min(1.0, w))
    r, g, b = (int(255 - (255 - c) * a) for c in (33, 84, 160))
    fg = "#fff" if a > 0.55 else "#222"
    return f'<td style="background:rgb({r},{g},{b});color:{fg}">{w:.2f}</td>'


def _sweep(res: TopicModelResult) -> list[str]:
    if not res.sweep:
        return []
    cols = [c for c in ("k", "seed", "units", "c_v", "c_npmi", "u_mass", "stability", "seconds")
            if any(c in r for r in res.sweep)]
    out = ["<h3>K sweep 主题数的选择</h3>"]
    ks = sorted({r["k"] for r in res.sweep if "k" in r})
    if len(ks) > 1 and any("c_v" in r for r in res.sweep):
        out.append(_sweep_chart(res, ks))
    out.append('<div class="scroll"><table><tr>' + "".join(f"<th>{c}</th>" for c in cols) + "</tr>")
    for r in res.sweep:
        bold = ' style="font-weight:bold"' if r.get("k") == res.chosen_k else ""
        out.append(f"<tr{bold}>" + "".join(f"<td>{_fmt(r.get(c))}</td>" for c in cols) + "</tr>")
    out.append("</table></div>")
    return out


def _sweep_chart(res: TopicModelResult, ks: list[int]) -> str:
    from ..plotting import line_chart

    def mean(metric: str) -> list[tuple[int, float]]:
        pts = []
        for k in ks:
            vals = [float(r[metric]) for r in res.sweep if r.get("k") == k and r.get(metric) is not None]
            if vals:
                pts.append((k, sum(vals) / len(vals)))
        return pts

    series = {name: pts for name, pts in (("c_v coherence 一致性", mean("c_v")), ("stability 稳定性",
                                                                              mean("stability"))) if pts}
    fig = line_chart(series, title=f"chosen K = {res.chosen_k}", width=5.5, height=2.4)
    fig.axes[0].set_xlabel("K (number of topics 主题数)")
    return _img(fig, "K sweep")


def _fmt(v: Any) -> str:
    return "" if v is None else (f"{v:.3f}" if isinstance(v, float) else escape(str(v)))


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[:n - 1] + "…"


def _img(fig: Any, alt: str) -> str:
    from ..plotting import to_svg

    svg = '<?xml version="1.0" encoding="utf-8"?>' + to_svg(fig)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="chart" alt="{escape(alt)}" src="data:image/svg+xml;base64,{data}">'


def _font_data_uri(text: str) -> str:
    """The shipped CJK font cut down to the characters of this page, as a WOFF data URI."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from ..paths import CJK_FONT

    chars = {c for c in text if not c.isspace()} | set("0123456789.%–—…")
    font = TTFont(str(CJK_FONT), recalcTimestamp=False)
    opts = subset.Options()
    opts.flavor = "woff"
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    sub = subset.Subsetter(opts)
    sub.populate(text="".join(sorted(chars)))
    sub.subset(font)
    font.flavor = "woff"
    buf = io.BytesIO()
    font.save(buf)
    return "data:font/woff;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def report_from_index(conn: sqlite3.Connection, index_dir: Path, out_html: Path | None = None) -> Path | None:
    """Render the report again from what a rebuild saved (`<index dir>/topics/<lang>/`) and the
    index's current document mixes (they include documents assigned since the fit), without
    refitting: `litmine topics report`. None when no topic model was saved there."""
    from .store import load_model
    from .types import LANGS

    results = []
    for lang in LANGS:
        directory = Path(index_dir) / "topics" / lang
        if not (directory / "config.json").exists():
            continue
        res = load_model(directory, assignments=False)
        k = len(res.topics)
        mixes: dict[str, list[float]] = {}
        for doc_id, topic_id, weight in conn.execute("SELECT doc_id, topic_id, weight FROM document_topics"
                                                     " WHERE topic_id LIKE ?", (f"{lang}-%",)):
            num = int(str(topic_id).rsplit("-", 1)[1])
            if 0 <= num < k:
                mixes.setdefault(doc_id, [0.0] * k)[num] = float(weight)
        res.doc_topics = {d: list(enumerate(ws)) for d, ws in sorted(mixes.items())}
        results.append(res)
    if not results:
        return None
    out = Path(out_html) if out_html else Path(index_dir) / "report" / "topics.html"
    titles = {r[0]: r[1] for r in conn.execute("SELECT doc_id, title FROM documents")}
    render_report(results, out, titles, conn=conn)
    return out
