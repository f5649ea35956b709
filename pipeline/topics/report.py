"""Self-contained HTML report of topic models: top-term bars per topic, a document x topic heatmap
and the K sweep. Inline SVG/CSS only (no scripts, no fonts to fetch): the browser's own CJK fonts
render the Chinese."""
from __future__ import annotations

from html import escape
from pathlib import Path

from .types import TopicModelResult

_CSS = """
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
.topics{display:flex;flex-wrap:wrap;gap:16px}
.topic{border:1px solid #ddd;border-radius:6px;padding:8px 10px;width:330px}
.topic h3{font-size:14px;margin:0 0 6px}
.meta{color:#666;font-size:12px}
table{border-collapse:collapse;font-size:12px;margin-top:8px}
td,th{border:1px solid #e3e3e3;padding:3px 6px;text-align:right}
th{background:#f6f6f6}td.doc{text-align:left;max-width:360px}
.reason{background:#f7f9fc;border-left:3px solid #4a78b5;padding:6px 10px;font-size:13px}
"""


def _bars(terms: list[tuple[str, float]], n: int = 10) -> str:
    terms = terms[:n]
    if not terms:
        return ""
    top = max(w for _, w in terms) or 1.0
    # label column sized to the longest term (CJK glyphs are about twice as wide as Latin ones)
    longest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in t) for t, _ in terms)
    row_h, label_w, bar_w = 18, max(80, 7 * longest + 8), 180
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 50}" '
             f'height="{row_h * len(terms)}" role="img">']
    for i, (term, w) in enumerate(terms):
        y = i * row_h
        width = max(1.0, bar_w * w / top)
        parts.append(f'<text x="{label_w - 4}" y="{y + 13}" font-size="12" text-anchor="end">{escape(term)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row_h - 6}" fill="#4a78b5"/>'
                     f'<text x="{label_w + width + 3:.1f}" y="{y + 13}" font-size="10" fill="#666">{w:.3f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _cell(w: float) -> str:
    # White -> blue by share; text turns white on dark cells so numbers stay readable.
    a = max(0.0, min(1.0, w))
    r, g, b = (int(255 - (255 - c) * a) for c in (33, 84, 160))
    fg = "#fff" if a > 0.55 else "#222"
    return f'<td style="background:rgb({r},{g},{b});color:{fg}">{w:.2f}</td>'


def _fmt(v) -> str:
    return "" if v is None else (f"{v:.3f}" if isinstance(v, float) else escape(str(v)))


def render_report(results: list[TopicModelResult], out_html: Path, doc_titles: dict[str, str]) -> None:
    """Write one HTML page covering every result (one section per language)."""
    out = ['<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">',
           "<title>litmine — topics</title>", f"<style>{_CSS}</style></head><body>",
           "<h1>Topics 主题</h1>"]
    for res in results:
        lang_name = {"zh": "中文 Chinese", "en": "English"}.get(res.lang, res.lang)
        out.append(f"<h2>{escape(lang_name)} — {len(res.topics)} topics ({escape(res.engine)})</h2>")
        out.append(f'<p class="reason">{escape(res.reason)}</p>')
        out.append('<div class="topics">')
        for t in res.topics:
            out.append(f'<div class="topic"><h3>T{t.topic_id}: {escape(t.label)}</h3>'
                       f'<div class="meta">prevalence {t.prevalence:.1%}</div>{_bars(t.terms)}</div>')
        out.append("</div>")
        out.append("<h3>Documents × topics 文档主题分布</h3><table><tr><th>document</th>")
        out.extend(f'<th title="{escape(t.label)}">T{t.topic_id}</th>' for t in res.topics)
        out.append("</tr>")
        for doc in sorted(res.doc_topics):
            title = doc_titles.get(doc, doc)
            out.append(f'<tr><td class="doc" title="{escape(doc)}">{escape(title)}</td>')
            out.extend(_cell(w) for _, w in res.doc_topics[doc])
            out.append("</tr>")
        out.append("</table>")
        cols = [c for c in ("k", "seed", "units", "c_v", "c_npmi", "u_mass", "stability", "seconds")
                if any(c in r for r in res.sweep)]
        out.append("<h3>K sweep</h3><table><tr>" + "".join(f"<th>{c}</th>" for c in cols) + "</tr>")
        for r in res.sweep:
            bold = ' style="font-weight:bold"' if r.get("k") == res.chosen_k else ""
            out.append(f"<tr{bold}>" + "".join(f"<td>{_fmt(r.get(c))}</td>" for c in cols) + "</tr>")
        out.append("</table>")
    out.append("</body></html>\n")
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    out_html.write_bytes("\n".join(out).encode("utf-8"))
