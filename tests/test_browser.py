"""A real headless Chromium (Debian's `chromium`, installed by `make test` when missing) against
`litmine serve` and the topics report: pages load, Chinese is drawn with real glyphs, a facet
filters, search works in Chinese, a claim's page shows its linked claims, the report is
self-contained and nothing overflows. Screenshots go to $LITMINE_SCREENSHOTS when set."""
from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from pipeline.api import Index

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# as root on a closed network: no sandbox, no GPU, no calls home (machines/python.md)
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: `make test` installs it (Makefile target `browser`)")
        pytest.skip("chromium is not installed (`make browser` installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    ctx.close()


@pytest.fixture(scope="module")
def server(dated_index):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--index", str(dated_index), "--port",
                             str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/{dated_index.stem}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(base, timeout=5).read()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"litmine serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _shot(page, name: str, tmp_path: Path, **kw) -> bytes:
    png = page.screenshot(**kw)
    for d in (tmp_path, Path(os.environ["LITMINE_SCREENSHOTS"]) if os.environ.get("LITMINE_SCREENSHOTS") else None):
        if d is not None:
            d.mkdir(parents=True, exist_ok=True)
            (d / f"{name}.png").write_bytes(png)
    return png


def _assert_not_blank(png: bytes) -> None:
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("L")
    dark = sum(img.histogram()[:128])
    assert dark > 0.005 * img.width * img.height, "the page looks blank"


def _assert_cjk_glyphs(page, selector: str) -> None:
    """The Chinese text of the first `selector` holding some is drawn with a font that has its glyphs (the one litmine
    ships, as a web font), not with a fallback font drawing empty boxes: Chromium says which
    fonts drew a node's text (DevTools protocol, CSS.getPlatformFontsForNode)."""
    page.evaluate("document.fonts.ready.then(() => true)")
    marked = page.evaluate("""sel => {
        const el = [...document.querySelectorAll(sel)].find(e => /[\u4e00-\u9fff]/.test(e.textContent));
        if (el) el.setAttribute('data-cjk-probe', '1');
        return !!el; }""", selector)
    assert marked, f"no Chinese text in {selector}"
    selector = "[data-cjk-probe]"
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    custom = [f for f in fonts if f.get("isCustomFont")]
    assert custom and sum(f["glyphCount"] for f in custom) > 0, fonts
    assert any("WenQuanYi" in f["familyName"] or "Litmine" in f["familyName"] for f in custom), fonts


def test_claims_page_loads_and_chinese_renders(page, server, tmp_path):
    page.goto(f"{server}/claim_view")
    assert "claim_view" in page.title()
    page.wait_for_selector("table.rows-and-columns td.col-text")
    text = page.inner_text("table.rows-and-columns")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
    _assert_cjk_glyphs(page, "table.rows-and-columns td.col-text")
    _assert_not_blank(_shot(page, "serve-claims", tmp_path))


def test_a_facet_filters(page, server, dated_index, tmp_path):
    with Index.open(dated_index) as ix:
        n_problem = ix.conn.execute("SELECT count(*) FROM claims WHERE label='problem'").fetchone()[0]
        year, n_year = ix.conn.execute("SELECT d.year, count(*) FROM claims c JOIN documents d USING(doc_id)"
                                       " WHERE d.year IS NOT NULL GROUP BY d.year ORDER BY 2 DESC").fetchone()
    page.goto(f"{server}/claim_view")
    page.click(".facet-info a[href*='label=problem']")
    page.wait_for_url("**label=problem**")
    assert f"{n_problem:,} row" in page.inner_text("body")
    labels = page.locator("table.rows-and-columns td.col-label").all_inner_texts()
    assert labels and set(labels) == {"problem"}
    page.goto(f"{server}/claim_view")
    page.click(f".facet-info a[href*='year={year}']")
    page.wait_for_url(f"**year={year}**")
    assert f"{n_year:,} row" in page.inner_text("body")
    assert set(page.locator("table.rows-and-columns td.col-year").all_inner_texts()) == {str(year)}
    _shot(page, "serve-facet-year", tmp_path)


def test_search_in_chinese(page, server, dated_index, tmp_path):
    page.goto(f"{server}/claim_view")
    page.fill("input#_search", "社会主义 建设")
    page.press("input#_search", "Enter")
    page.wait_for_url("**_search=**")
    texts = page.locator("table.rows-and-columns td.col-text").all_inner_texts()
    assert texts and all("社会主义" in t and "建设" in t for t in texts)
    _assert_cjk_glyphs(page, "table.rows-and-columns td.col-text")
    _shot(page, "serve-search", tmp_path)


def test_a_claim_page_shows_its_linked_claims(page, server, dated_index, tmp_path):
    with Index.open(dated_index) as ix:
        cid = ix.conn.execute("SELECT c.claim_id FROM claims c JOIN links l ON l.source_id = c.claim_id"
                              " OR l.target_id = c.claim_id GROUP BY c.claim_id ORDER BY count(*) DESC, c.claim_id"
                              " LIMIT 1").fetchone()[0]
        item = ix.item(cid)
    linked_texts = [x["text"] for items in item["links"].values() for x in items]
    page.goto(f"{server}/claim_view?_sort_desc=n_links")
    first = page.locator("table.rows-and-columns td.col-claim_id a").first
    assert first.inner_text() == cid
    first.click()
    page.wait_for_url("**/item?id=**")
    body = page.inner_text("table.rows-and-columns")
    assert item["text"][:20] in body
    assert all(t[:20] in body for t in linked_texts if t)
    _assert_cjk_glyphs(page, "table.rows-and-columns td.col-text")
    _assert_not_blank(_shot(page, "serve-claim-page", tmp_path, full_page=True))
    # and the linked claim's own page links back
    linked_row = page.locator("table.rows-and-columns tr", has=page.locator("td.col-part", has_text="linked")).first
    linked_row.locator("td.col-item_id a").click()
    page.wait_for_url("**/item?id=**")
    assert cid in page.inner_text("table.rows-and-columns")


def test_topics_report_is_self_contained_readable_and_does_not_overflow(page, dated_index, tmp_path):
    report = dated_index.parent / "report" / "topics.html"
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(report.as_uri())
    page.wait_for_selector(".topic")
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
    _assert_cjk_glyphs(page, "h1")
    _assert_cjk_glyphs(page, ".topic h4")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    overflowing = page.evaluate("[...document.querySelectorAll('.topic, .bar .t, .ex li')]"
                                ".filter(e => e.scrollWidth > e.clientWidth + 1).length")
    assert overflowing == 0
    imgs = page.evaluate("[...document.images].map(i => [i.naturalWidth, i.complete])")
    assert imgs and all(w > 0 and ok for w, ok in imgs)  # the charts decode
    assert "主题随年份" in page.inner_text("body")  # dated documents: topics over the years
    _assert_not_blank(_shot(page, "topics-report", tmp_path, full_page=True))
