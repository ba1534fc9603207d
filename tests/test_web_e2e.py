"""The web page in a real browser: Debian's Chromium driven by Playwright over a live server.

Skipped when /usr/bin/chromium or the playwright package is missing (.ci/run installs
Chromium); Playwright never downloads a browser here. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

from test_api import MALICIOUS, MALICIOUS_TEXT, build_store  # noqa: E402

from legation.api import create_app  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    built = build_store(tmp_path_factory.mktemp("web") / "store.duckdb")
    port = _free_port()
    config = uvicorn.Config(create_app(built.path), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{port}", store=built)
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any, server: SimpleNamespace) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.dialogs, pg.requests, pg.errors = [], [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    yield pg
    # nothing left the machine, nothing failed, no script from the data ran
    assert all(u.startswith(server.url) or u.startswith("data:") for u in pg.requests), pg.requests
    assert pg.errors == []
    assert pg.dialogs == []
    context.close()


def api(server: SimpleNamespace, path: str) -> Any:
    with urllib.request.urlopen(server.url + path, timeout=10) as response:
        return json.loads(response.read())


def test_event_table_filters(page: Any, server: SimpleNamespace) -> None:
    page.goto(server.url + "/#/events")
    page.wait_for_selector("#events-table tbody tr")
    total = len(server.store.events)
    assert page.locator("#events-table tbody tr").count() == min(50, total)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-events.png"))
    # by type
    expected = [e for e in server.store.events if e["type"] == "CONSULT"]
    page.fill("#f-type", "CONSULT")
    page.click("#events-apply")
    page.wait_for_function("() => { const rows = [...document.querySelectorAll('#events-table tbody tr')];"
                           " return rows.length > 0 && rows.every(r => r.dataset.type === 'CONSULT'); }")
    assert page.locator("#events-table tbody tr").count() == len(expected)
    href = page.get_attribute("#events-csv", "href")
    assert href.startswith("/api/events.csv?") and "type=CONSULT" in href
    csv_response = page.request.get(server.url + href)
    assert csv_response.ok and csv_response.headers["content-type"].startswith("text/csv")
    assert len(csv_response.text().strip().splitlines()) == len(expected) + 1
    # by quad class and actor together
    page.select_option("#f-quad", "4")
    page.fill("#f-type", "")
    page.fill("#f-actor", "SAU")
    page.click("#events-apply")
    expected = [e for e in server.store.events if e["quad_class"] == 4 and "SAU" in e["source_codes"] + e["target_codes"]]
    page.wait_for_function(f"() => document.querySelectorAll('#events-table tbody tr').length === {len(expected)}"
                           " && !document.querySelector('#events-status').textContent.startsWith('Loading')")
    assert {page.locator("#events-table tbody tr").nth(i).get_attribute("data-id") for i in range(len(expected))} == {
        e["id"] for e in expected}
    # a bad filter shows the API's message, not a broken page
    page.fill("#f-from", "yesterday")
    page.click("#events-apply")
    page.wait_for_selector("#events-status.error")
    assert "date_from" in page.text_content("#events-status")
    page.errors[:] = [e for e in page.errors if "400" not in e and "422" not in e]  # the browser logs the failed fetch


def test_article_highlights_and_hostile_text(page: Any, server: SimpleNamespace) -> None:
    page.goto(server.url + "/#/articles/" + server.store.hostile)
    page.wait_for_selector("#article-text .hl")
    text = page.locator("#article-text")
    assert text.text_content() == MALICIOUS_TEXT
    assert "<script>alert(1)</script>" in text.inner_text()
    assert page.text_content("#article-title") == MALICIOUS["title"]
    assert page.locator("#article-text img, #article-text script, #article-title img").count() == 0
    assert page.locator("img").count() == 0
    for layer in ("hl-time", "hl-actor", "hl-event"):
        assert page.locator(f"#article-text .{layer}").count() > 0, layer
    page.wait_for_timeout(300)  # time for an injected onerror to fire, were there one (the fixture checks dialogs)

    # an article with quotes: spans for every layer, hover and click show the codes
    quoted = api(server, "/api/quotes?limit=1")["items"][0]["doc_id"]
    page.goto(server.url + "/#/articles/" + quoted)
    page.wait_for_selector("#article-text .hl-quote")
    for layer in ("hl-time", "hl-actor", "hl-event", "hl-quote", "hl-speaker"):
        assert page.locator(f"#article-text .{layer}").count() > 0, layer
    detail = api(server, "/api/documents/" + quoted)
    assert page.locator("#article-text").text_content() == detail["document"]["text"]
    page.locator("#article-text .hl-event").first.hover()
    page.wait_for_selector("#tooltip:not([hidden])")
    assert "Event" in page.text_content("#tooltip")
    page.locator("#article-text .hl-quote").first.click()
    assert "quote" in page.text_content("#detail-body")
    actor = page.locator("#article-text .hl-actor:not(.hl-quote)").first
    actor.click()
    assert "Actor" in page.text_content("#detail-body")
    page.locator("#legend input[data-layer=time]").uncheck()
    assert "hide-time" in page.get_attribute("#article-text", "class")
    page.locator("#legend input[data-layer=time]").check()
    page.mouse.move(5, 5)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web.png"), full_page=True)

    # from the event table to the event in its article
    page.goto(server.url + "/#/events")
    page.wait_for_selector("#events-table tbody tr")
    page.locator("#events-table tbody tr td a").first.click()
    page.wait_for_selector("#article-text .hl.focus")


def test_timeline_chart(page: Any, server: SimpleNamespace) -> None:
    page.goto(server.url + "/#/timeline")
    pairs = api(server, "/api/timeline/pairs")["items"]
    if pairs:
        page.wait_for_selector("#timeline-pairs .chip")
        page.locator("#timeline-pairs .chip").first.click()
        page.wait_for_selector("#timeline-chart .main-svg")
        first = pairs[0]
        expected = api(server, f"/api/timeline?a={first['a']}&b={first['b']}&kind={first['kind']}")
        assert page.locator("#timeline-changes li").count() == len(expected["changes"]) > 0
        assert page.is_hidden("#timeline-empty")
        assert page.locator("#timeline-chart .scatterlayer .trace").count() >= 2
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "web-timeline.png"), full_page=True)
    # a pair with no recorded changes says so
    page.fill("#t-a", "FRA")
    page.fill("#t-b", "BRA")
    page.click("#timeline-draw")
    page.wait_for_selector("#timeline-empty:not([hidden])")
    assert "No relation changes recorded for BRA–FRA" in page.text_content("#timeline-empty")
    assert page.locator("#timeline-changes li").count() == 0


def test_network_chart(page: Any, server: SimpleNamespace) -> None:
    page.goto(server.url + "/#/network")
    page.wait_for_selector("#network-chart .main-svg")
    assert page.locator("#network-edges tbody tr").count() > 0
    page.select_option("#n-quad", "3")
    page.click("#network-draw")
    page.wait_for_function("() => [...document.querySelectorAll('#network-edges tbody tr td.quad')]"
                           ".every(td => td.textContent.startsWith('3'))")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-network.png"), full_page=True)
