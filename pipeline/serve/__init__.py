"""`litmine serve`: the index in a web browser with Datasette (facets, Chinese full-text search,
canned queries, JSON/CSV of every page), read-only, on 127.0.0.1 by default.

    from pipeline.serve import datasette_app, serve
    ds = datasette_app("outputs/litmine.sqlite")   # a datasette.app.Datasette (ASGI: ds.app())
    serve("outputs/litmine.sqlite", port=8001)     # blocks until Ctrl-C
"""
from __future__ import annotations

import socket
import sqlite3
import sys
from pathlib import Path
from typing import Any

from ..errors import LitmineError, Msg
from ..index import schema
from ..index.views import create_views, views_current
from ..paths import CJK_FONT, DEFAULT_MODELS as MODELS_DIR

STATIC = Path(__file__).resolve().parent / "static"
SETTINGS = {
    "default_page_size": 50,
    "max_returned_rows": 2000,
    "sql_time_limit_ms": 5000,
    "facet_time_limit_ms": 3000,
    "suggest_facets": False,  # suggestions cost a query per column on every table page
    "default_facet_size": 30,
    "allow_download": False,  # the whole index as one file: `litmine export` is the way out
    "num_sql_threads": 3,
}


def _tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    out = {}
    for name, in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view') ORDER BY name"):
        out[name] = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')]
    return out


def ensure_views(index: Path) -> bool:
    """Add the browse views (index/views.py) to an index built before they existed; True if added."""
    conn = schema.open_index(index)
    try:
        if views_current(conn):
            return False
    finally:
        conn.close()
    try:
        conn = schema.connect(str(index))
        with conn:
            create_views(conn)
        conn.close()
    except sqlite3.OperationalError as exc:
        raise LitmineError(Msg.SERVE_VIEWS.format(path=index, detail=exc)) from None
    return True


def datasette_app(index: str | Path, models_dir: Path | None = None) -> Any:
    """A configured Datasette instance over the index (read-only: Datasette opens it `mode=ro`)."""
    try:
        from datasette.app import Datasette
        from datasette.plugins import pm
    except ImportError:
        raise LitmineError(Msg.SERVE_MISSING) from None
    from . import plugin
    from .metadata import build_metadata

    index = Path(index).resolve()
    ensure_views(index)
    conn = schema.open_index(index)
    try:
        tables = _tables(conn)
    finally:
        conn.close()
    plugin.set_models_dir(models_dir or MODELS_DIR)
    _quiet_error_pages()
    if not pm.is_registered(plugin):
        pm.register(plugin, name="litmine")
    metadata = build_metadata(index.stem, tables)
    metadata["extra_css_urls"] = ["/litmine-static/litmine.css"]
    return Datasette(files=[str(index)], metadata=metadata, settings=SETTINGS,
                     static_mounts=[("litmine-static", str(STATIC)), ("litmine-fonts", str(CJK_FONT.parent))])


def _quiet_error_pages() -> None:
    """Datasette 0.65's error handler prints a rich traceback for every error page (a bad SQL query,
    a 404) outside an `except` block, which rich 14+ refuses with a ValueError: the user got a 500
    instead of the error page. Without rich it renders the page as designed."""
    import datasette.handle_exception as handler

    handler.rich = None


def serve(index: str | Path, *, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Python twin of `litmine serve`: blocks, serving until interrupted."""
    import asyncio

    import uvicorn

    ds = datasette_app(index)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            raise LitmineError(Msg.PORT_IN_USE.format(port=port)) from None
    asyncio.run(ds.invoke_startup())
    print(f"litmine: serving {Path(index)} at http://{host}:{port}/{Path(index).resolve().stem} (Ctrl-C stops)",
          file=sys.stderr)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
    return 0
