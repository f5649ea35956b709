"""The Datasette plugin of `litmine serve` (registered by serve/__init__.py, never by entry point).

- Full-text search that works for Chinese: Datasette passes what the user typed through the SQL
  function `escape_fts`; ours (registered last, so it wins) builds the same FTS5 expression as
  `litmine query` over the index's jieba words and CJK bigrams (index/query.py), so 产业链 finds
  the sentences `litmine query 产业链` finds instead of looking for one unsegmented token.
- Navigation: claim, statistic and sentence ids link to the `item` page (the claim with its
  document, statistics and linked claims); document ids to that document's claims; claim labels
  are coloured.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any
from urllib.parse import quote

from datasette import hookimpl
from markupsafe import Markup, escape

from ..document import LABELS
from ..errors import LitmineError
from ..index.query import _term_expr, parse_query
from ..paths import DEFAULT_MODELS as MODELS_DIR

ITEM_COLUMNS = {"claim_id", "stat_id", "item_id", "source_id", "target_id", "problem_id", "countermeasure_id"}
NOTHING = '"\u2400"'  # an FTS5 phrase no sentence contains: an empty or unusable search finds nothing
_models_dir: list[Path] = [MODELS_DIR]


def set_models_dir(path: Path) -> None:
    _models_dir[0] = Path(path)
    fts_expression.cache_clear()


@functools.lru_cache(maxsize=256)
def fts_expression(q: Any) -> str:
    """What the user typed → an FTS5 expression over `words`/`grams` (words ANDed, "a phrase",
    a OR b, -exclude), as `litmine query` builds it; a single CJK character matches bigrams it starts."""
    from ..index.querytok import query_tokenizer

    try:
        terms = parse_query(str(q or ""))
    except LitmineError:
        return NOTHING
    tok = query_tokenizer(_models_dir[0])
    pos: list[str] = []
    neg: list[str] = []
    for t in terms:
        alts = []
        for alt in t.alternatives:
            expr, _ = _term_expr(alt, tok)
            if expr is None:  # one CJK character: the bigrams it starts or ends
                quoted = alt.replace('"', '""')
                expr = f'(grams : "{quoted}" * OR words : "{quoted}" *)'
            alts.append(expr)
        (neg if t.negate else pos).append("(" + " OR ".join(alts) + ")")
    if not pos:
        return NOTHING
    return " AND ".join(pos) + "".join(" NOT " + n for n in neg)


@hookimpl(trylast=True)
def prepare_connection(conn: Any, database: str, datasette: Any) -> None:
    conn.create_function("escape_fts", 1, fts_expression, deterministic=True)
    conn.create_function("litmine_fts", 1, fts_expression, deterministic=True)


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    if not isinstance(value, str) or not value:
        return None
    base = datasette.urls.database(database)
    is_item = value.startswith(("C:", "S:")) or column == "sentence_id"
    if (column in ITEM_COLUMNS or column == "sentence_id") and is_item and table != "sentences":
        return Markup(f'<a href="{base}/item?id={quote(value, safe="")}">{escape(value)}</a>')
    if column in ("doc_id", "source_doc", "target_doc", "item_id") and table != "documents":
        # a document (the item page's `document` row names it in item_id): its claims
        return Markup(f'<a href="{base}/claim_view?doc_id={quote(value, safe="")}" title="claims of this document">'
                      f"{escape(value)}</a>")
    if column in ("label", "model_label") and value in LABELS:
        return Markup(f'<span class="litmine-label litmine-{value}">{escape(value)}</span>')
    return None
