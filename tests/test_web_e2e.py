"""The web page in a real browser: Debian's Chromium driven by Playwright over live servers.

Two stores: the demo store (the sample articles as the pipeline reads them, plus a hostile
document) and a copy whose events and relation changes are rows the tests control.
Skipped when /usr/bin/chromium or the playwright package is missing (.ci/run installs
Chromium); Playwright never downloads a browser here. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import json
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

from test_api import MALICIOUS, MALICIOUS_TEXT, control_rows  # noqa: E402

from legation.api import create_app  # noqa: E402
from legation.ingest import iter_inputs, sample_articles_path  # noqa: E402
from legation.pipeline import Pipeline  # noqa: E402
from legation.store import Store, ingest  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(path: Path) -> tuple[Any, threading.Thread, str]:
    port = _free_port()
    config = uvicorn.Config(create_app(path), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return uv, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SimpleNamespace, SimpleNamespace]]:
    folder = tmp_path_factory.mktemp("web")
    extra = folder / "hostile.jsonl"
    extra.write_text(json.dumps(MALICIOUS) + "\n", encoding="utf-8")
    demo = folder / "demo.duckdb"
    with Store(demo) as store:  # the sample articles, analysed once
        summary = ingest(store, iter_inputs([str(sample_articles_path()), str(extra)]), Pipeline())
        assert summary["failed"] == 0
        store.con.execute("CHECKPOINT")
    controlled = folder / "store.duckdb"
    shutil.copy(demo, controlled)
    with Store(controlled) as store:
        events, hostile = control_rows(store)
    running = [_serve(controlled), _serve(demo)]
    try:
        yield (SimpleNamespace(url=running[0][2], store=SimpleNamespace(events=events, hostile=hostile)),
               SimpleNamespace(url=running[1][2]))
    finally:
        for uv, thread, _ in running:
            uv.should_exit = True
            thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(servers: tuple[SimpleNamespace, SimpleNamespace]) -> SimpleNamespace:
    return servers[0]


@pytest.fixture(scope="module")
def demo(servers: tuple[SimpleNamespace, SimpleNamespace]) -> SimpleNamespace:
    return servers[1]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Pages:
    """New pages at a given size; every one checked on close: nothing left the machine, nothing failed."""

    def __init__(self, browser: Any, allowed: list[str]):
        self.browser, self.allowed, self.open = browser, allowed, []

    def new(self, viewport: dict[str, int] = DESKTOP, offline: bool = True) -> Any:
        context = self.browser.new_context(viewport=viewport)
        if offline:  # the network is off: anything not from our servers is aborted
            context.route("**/*", lambda route: route.continue_() if any(route.request.url.startswith(a) for a in self.allowed)
                          else route.abort())
        pg = context.new_page()
        pg.set_default_timeout(15_000)
        pg.dialogs, pg.requests, pg.errors = [], [], []
        pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
        pg.on("request", lambda r: pg.requests.append(r.url))
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))
        pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
        self.open.append((context, pg))
        return pg

    def close(self) -> None:
        for context, pg in self.open:
            assert all(any(u.startswith(a) for a in self.allowed) or u.startswith("data:") for u in pg.requests), pg.requests
            assert pg.errors == []
            assert pg.dialogs == []
            context.close()


@pytest.fixture
def pages(browser: Any, server: SimpleNamespace, demo: SimpleNamespace) -> Iterator[Pages]:
    made = Pages(browser, [server.url, demo.url])
    yield made
    made.close()


@pytest.fixture
def page(pages: Pages) -> Any:
    return pages.new(DESKTOP)


def api(server: SimpleNamespace, path: str) -> Any:
    with urllib.request.urlopen(server.url + path, timeout=10) as response:
        return json.loads(response.read())


def shot(pg: Any, name: str, full: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def hash_query(pg: Any) -> dict[str, list[str]]:
    """The query part of the page's hash, as the page has it now."""
    return parse_qs(pg.evaluate("location.hash").partition("?")[2])


def rows_loaded(pg: Any, count: int) -> None:
    pg.wait_for_function(f"() => document.querySelectorAll('#events-table tbody tr').length === {count}"
                         " && !document.querySelector('#events-status').textContent.startsWith('Loading')")


def no_horizontal_scroll(pg: Any) -> None:
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= pg.viewport_size["width"], f"page is {width} px wide at {pg.viewport_size['width']} px"


# --- events -------------------------------------------------------------------------------------
def test_event_filters_live_in_the_url(pages: Pages, server: SimpleNamespace) -> None:
    page = pages.new()
    page.goto(server.url + "/#/events")
    page.wait_for_selector("#events-table tbody tr")
    total = len(server.store.events)
    assert page.locator("#events-table tbody tr").count() == min(50, total)
    assert f"{min(50, total)} of {total} events shown" in page.text_content("#events-status")
    # the downloads are the whole result, not a page of it
    every = page.request.get(server.url + page.get_attribute("#events-csv", "href"))
    assert every.ok and len(every.text().strip().splitlines()) == total + 1
    parquet = page.request.get(server.url + page.get_attribute("#events-parquet", "href"))
    assert parquet.ok and parquet.body()[:4] == b"PAR1"
    shot(page, "web-events")
    # by type: the filter goes into the URL
    expected = [e for e in server.store.events if e["type"] == "CONSULT"]
    page.fill("#f-type", "CONSULT")
    page.click("#events-apply")
    page.wait_for_function("() => { const rows = [...document.querySelectorAll('#events-table tbody tr')];"
                           " return rows.length > 0 && rows.every(r => r.dataset.type === 'CONSULT'); }")
    assert page.locator("#events-table tbody tr").count() == len(expected)
    assert hash_query(page)["type"] == ["CONSULT"]
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
    both = [e for e in server.store.events if e["quad_class"] == 4 and "SAU" in e["source_codes"] + e["target_codes"]]
    rows_loaded(page, len(both))
    ids = {page.locator("#events-table tbody tr").nth(i).get_attribute("data-id") for i in range(len(both))}
    assert ids == {e["id"] for e in both}
    assert hash_query(page) == {"actor": ["SAU"], "quad_class": ["4"]}
    # reload keeps the view
    page.reload()
    rows_loaded(page, len(both))
    assert page.input_value("#f-actor") == "SAU" and page.input_value("#f-quad") == "4"
    # back goes to the CONSULT filter, forward returns
    page.go_back()
    rows_loaded(page, len(expected))
    assert page.input_value("#f-type") == "CONSULT" and page.input_value("#f-actor") == ""
    page.go_forward()
    rows_loaded(page, len(both))
    # a link copied into another browser opens the same view
    other = pages.new()
    other.goto(page.url)
    rows_loaded(other, len(both))
    assert other.input_value("#f-actor") == "SAU"
    # sorting by a column header: in the URL, kept with the filters
    page.click("#events-table th[data-sort=type] button")
    page.wait_for_function("() => location.hash.includes('sort=type')")
    page.wait_for_selector("#events-table th[data-sort=type][aria-sort=ascending]")  # the view follows the URL
    rows_loaded(page, len(both))
    page.click("#events-table th[data-sort=type] button")
    page.wait_for_function("() => location.hash.includes('sort=-type')")
    page.wait_for_selector("#events-table th[data-sort=type][aria-sort=descending]")
    rows_loaded(page, len(both))
    assert hash_query(page) == {"actor": ["SAU"], "quad_class": ["4"], "sort": ["-type"]}
    if "total" in api(server, "/api/events?limit=1"):  # the API sorts (query layer): the rows follow
        page.wait_for_function("() => { const t = [...document.querySelectorAll('#events-table tbody tr')].map(r => r.dataset.type);"
                               f" return t.length === {len(both)} && t.every((x, i) => i === 0 || t[i - 1] >= x); }}")
        assert len({e["type"] for e in both}) > 1  # so the order shows
    page.go_back()
    page.wait_for_function("() => location.hash.includes('sort=type') && !location.hash.includes('sort=-')")
    # a bad filter shows the API's message, not a broken page
    page.fill("#f-from", "yesterday")
    page.click("#events-apply")
    page.wait_for_selector("#events-status.error")
    assert "date_from" in page.text_content("#events-status")
    page.errors[:] = [e for e in page.errors if "400" not in e and "422" not in e]  # the browser logs the failed fetch


def test_first_useful_paint_of_the_event_table(pages: Pages, demo: SimpleNamespace) -> None:
    """The table's first rows painted, measured in the browser from navigation start (demo store)."""
    page = pages.new()
    page.goto(demo.url + "/#/events")  # warm: the server's first query and the static files
    page.wait_for_selector("#events-table tbody tr")
    timings = []
    for _ in range(3):
        page = pages.new()
        page.goto(demo.url + "/#/events")
        page.wait_for_function("() => performance.getEntriesByName('events-table-painted').length > 0")
        timings.append(page.evaluate("performance.getEntriesByName('events-table-painted')[0].startTime"))
        assert page.locator("#events-table tbody tr").count() > 0
        # plotly.js (4.8 MB) is not loaded for the table
        assert not any("plotly" in u for u in page.requests)
    best = min(timings)
    print(f"\nfirst useful paint of the events table (demo store): {', '.join(f'{t:.0f}' for t in timings)} ms; best {best:.0f} ms")
    assert best < 1500  # the target is 300 ms; CI machines are slower and busier than a desk


def test_static_files_are_compressed(server: SimpleNamespace) -> None:
    request = urllib.request.Request(server.url + "/static/app.js", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers.get("Content-Encoding") == "gzip"


# --- articles -------------------------------------------------------------------------------------
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
    page.locator("#article-text .hl-quote:not(.hl-event)").first.click()
    assert "quote" in page.text_content("#detail-body .ann.chosen")
    assert "hl=quote" in page.url
    actor = page.locator("#article-text .hl-actor:not(.hl-quote):not(.hl-event)").first
    actor.click()
    assert "Actor" in page.text_content("#detail-body .ann.chosen")
    page.locator("#legend input[data-layer=time]").uncheck()
    assert "hide-time" in page.get_attribute("#article-text", "class")
    page.locator("#legend input[data-layer=time]").check()
    page.mouse.move(5, 5)
    shot(page, "web", full=True)

    # from the event table to the event in its article: the clicked event is the chosen one
    page.goto(server.url + "/#/events")
    page.wait_for_selector("#events-table tbody tr")
    first = page.locator("#events-table tbody tr").first.get_attribute("data-id")
    page.locator("#events-table tbody tr td.doc a").first.click()
    page.wait_for_selector("#article-text .hl.focus")
    assert hash_query(page)["hl"] == [f"event:{first}"]
    assert f"id {first}" in page.text_content("#detail-body .ann.chosen")
    page.reload()
    page.wait_for_selector("#article-text .hl.focus")
    assert f"id {first}" in page.text_content("#detail-body .ann.chosen")


def test_article_evidence_trigger_and_keyboard(pages: Pages, demo: SimpleNamespace) -> None:
    """Demo store: the trigger word is marked inside its evidence; one tab stop, arrows move between records."""
    event = next(e for e in api(demo, "/api/events?limit=500")["items"] if e.get("trigger_text") and e.get("location"))
    page = pages.new()
    page.goto(demo.url + f"/#/articles/{event['doc_id']}?hl=event:{event['id']}")
    page.wait_for_selector("#detail-body .ann.chosen")
    chosen = page.locator("#detail-body .ann.chosen")
    assert chosen.locator("mark.trigger").text_content() == event["trigger_text"]
    assert f"id {event['id']}" in chosen.text_content()
    assert event["location"]["text"] in chosen.text_content()  # where it happened
    # the trigger in the text is its own span; clicking it chooses that event
    assert page.locator("#article-text .hl-trigger.focus").count() >= 1
    # keyboard: the text is one tab stop, not one per record
    assert page.locator("#article-text [tabindex='0']").count() == 1
    spans = page.locator("#article-text .hl").count()
    assert spans > 20
    page.locator("#article-text [tabindex='0']").focus()
    before = page.evaluate("document.activeElement.dataset.start")
    page.keyboard.press("ArrowRight")
    after = page.evaluate("document.activeElement.dataset.start")
    assert int(after) > int(before)
    page.keyboard.press("Enter")
    page.wait_for_selector("#detail-body .ann.chosen")
    assert page.locator("#article-text [tabindex='0']").count() == 1
    shot(page, "web-article-trigger")


# --- quotes and actors ----------------------------------------------------------------------------
def test_quotes_view(pages: Pages, demo: SimpleNamespace) -> None:
    quotes = api(demo, "/api/quotes?limit=500")["items"]
    coded = next(q for q in quotes if q["speaker_code"])
    by_speaker = api(demo, f"/api/quotes?speaker={coded['speaker_code']}&limit=500")["items"]
    page = pages.new()
    page.goto(demo.url + "/#/quotes")
    page.fill("#qf-speaker", coded["speaker_code"])
    page.click("#quotes-apply")
    page.wait_for_function(f"() => document.querySelectorAll('#quotes-list > li').length === {min(50, len(by_speaker))}")
    assert hash_query(page)["speaker"] == [coded["speaker_code"]]
    # anonymous only: every card says so
    page.select_option("#qf-anonymous", "true")
    page.fill("#qf-speaker", "")
    page.click("#quotes-apply")
    anonymous = [q for q in quotes if q["anonymous"]]
    page.wait_for_function(f"() => document.querySelectorAll('#quotes-list > li').length === {min(50, len(anonymous))}")
    cards = page.locator("#quotes-list > li")
    assert all("anonymous" in cards.nth(i).text_content() for i in range(cards.count()))
    page.reload()
    page.wait_for_function(f"() => document.querySelectorAll('#quotes-list > li').length === {min(50, len(anonymous))}")
    assert page.input_value("#qf-anonymous") == "true"
    # direct quotes of anonymous sources
    page.select_option("#qf-kind", "direct")
    page.click("#quotes-apply")
    direct = [q for q in anonymous if q["direct"] and not q["partial"]]
    page.wait_for_function(f"() => document.querySelectorAll('#quotes-list > li').length === {min(50, len(direct))}"
                           " && !document.querySelector('#quotes-status').textContent.startsWith('Loading')")
    assert hash_query(page) == {"anonymous": ["true"], "kind": ["direct"]}
    assert all("direct" in cards.nth(i).locator(".tag").all_text_contents() for i in range(cards.count()))
    page.go_back()
    page.wait_for_function(f"() => document.querySelectorAll('#quotes-list > li').length === {min(50, len(anonymous))}")
    shot(page, "web-quotes")
    # to the quote in its article, chosen there
    first = cards.first
    doc, idx = first.get_attribute("data-doc"), first.get_attribute("data-idx")
    first.locator(".meta a").click()
    page.wait_for_selector("#article-text .hl.focus")
    assert hash_query(page)["hl"] == [f"quote:{idx}"] and doc in page.evaluate("location.hash")
    assert "quote" in page.text_content("#detail-body .ann.chosen")
    page.go_back()
    page.wait_for_selector("#quotes-list > li")
    assert page.input_value("#qf-anonymous") == "true"


def test_actors_view(pages: Pages, demo: SimpleNamespace) -> None:
    page = pages.new()
    page.goto(demo.url + "/#/actors")
    page.fill("#af-q", "saudi")  # a name, not a code
    page.click("#actors-apply")
    page.wait_for_function("() => location.hash.includes('q=saudi') && document.querySelector('#actors-status').textContent"
                           " && !document.querySelector('#actors-status').textContent.startsWith('Loading')")
    page.wait_for_selector("#actors-table tbody tr[data-code='SAU']")
    assert hash_query(page)["q"] == ["saudi"]
    page.click("#actors-table tbody tr[data-code='SAU'] a")
    page.wait_for_selector("#actor-events > li[data-id]")
    assert page.url.endswith("#/actors/SAU")
    assert "Saudi Arabia" in page.text_content("#actor-title")
    assert page.locator("#actor-quotes > li").count() > 0
    shot(page, "web-actor")
    # its events lead to their evidence, and the article's actors lead back here
    page.locator("#actor-events > li[data-id] .meta a").first.click()
    page.wait_for_selector("#article-text .hl.focus")
    page.locator("#detail-body .ann.chosen a[href='#/actors/SAU']").first.click()
    page.wait_for_selector("#actor-events > li[data-id]")
    page.go_back()
    page.wait_for_selector("#article-text .hl.focus")
    page.go_back()
    page.go_back()
    page.wait_for_selector("#actors-table tbody tr[data-code='SAU']")
    assert page.input_value("#af-q") == "saudi"


# --- overview, map, timeline, network ---------------------------------------------------------------
def test_overview_and_map_offline(pages: Pages, demo: SimpleNamespace) -> None:
    page = pages.new()  # every request off this machine is aborted (Pages.new)
    page.goto(demo.url + "/#/overview")
    page.wait_for_selector("#map svg path.land")
    page.wait_for_selector("#map circle.place")
    assert page.locator("#map svg path.land").count() > 150
    page.wait_for_selector("#overview-chart .main-svg")
    assert page.locator("#overview-chart .bars path").count() > 5
    shot(page, "web-overview", full=True)
    # a place on the map: its events, each leading to its evidence
    page.locator("#map circle.place").first.dispatch_event("click")
    page.wait_for_selector("#place-events li[data-id]")
    assert "place" in hash_query(page)
    page.reload()
    page.wait_for_selector("#place-events li[data-id]")
    page.locator("#place-events li[data-id] .meta a").first.click()
    page.wait_for_selector("#article-text .hl.focus")
    page.go_back()
    # a top pair: its events
    page.wait_for_selector("#overview-pairs tbody tr a")
    pair = page.locator("#overview-pairs tbody tr a").first
    a, b = pair.text_content().split(" – ")
    pair.click()
    page.wait_for_selector("#events-table tbody tr")
    assert hash_query(page)["pair"] == [f"{a},{b}"]
    # a bar: the events of that period and class
    page.go_back()
    # a bar with events: a period with none of a class draws an empty (zero-height, hidden) path
    page.wait_for_selector("#overview-chart .bars path >> visible=true")
    page.locator("#overview-chart .bars path >> visible=true").last.click(force=True)
    page.wait_for_function("() => location.hash.startsWith('#/events')")
    query = hash_query(page)
    assert query["date_from"] == query["date_to"] and "quad_class" in query
    page.wait_for_selector("#events-table tbody tr")


def test_timeline_state_and_sources(pages: Pages, server: SimpleNamespace) -> None:
    page = pages.new()
    page.goto(server.url + "/#/timeline")
    pairs = api(server, "/api/timeline/pairs")["items"]
    page.wait_for_selector("#timeline-pairs .chip")
    page.locator("#timeline-pairs .chip").first.click()
    page.wait_for_selector("#timeline-chart .main-svg")
    first = pairs[0]
    expected = api(server, f"/api/timeline?a={first['a']}&b={first['b']}&kind={first['kind']}")
    assert page.locator("#timeline-changes > li").count() == len(expected["changes"]) > 0
    assert page.is_hidden("#timeline-empty")
    assert page.locator("#timeline-chart .scatterlayer .trace").count() >= 2
    shot(page, "web-timeline", full=True)
    # a change on the chart: its first report, in its article
    box = page.locator("#timeline-chart .scatterlayer .trace").last.locator(".point").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # plotly clicks what it hovers
    page.wait_for_timeout(200)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => location.hash.startsWith('#/articles/')")
    page.go_back()
    page.wait_for_selector("#timeline-chart .main-svg")
    # as-of date and kind in the URL; a link without kind means the default kind
    page.select_option("#t-kind", "sanctions")
    page.fill("#t-as-of", "2020")
    page.click("#timeline-draw")
    page.wait_for_function("() => location.hash.includes('kind=sanctions') && location.hash.includes('as_of=2020')")
    page.reload()
    assert page.input_value("#t-kind") == "sanctions" and page.input_value("#t-as-of") == "2020"
    page.goto(server.url + f"/#/timeline?a={first['a']}&b={first['b']}")
    page.wait_for_selector("#timeline-changes > li")
    assert page.input_value("#t-kind") == "diplomatic"
    # sources link to their articles
    source = page.locator("#timeline-changes .timeline-sources a").first
    source.click()
    page.wait_for_function("() => location.hash.startsWith('#/articles/')")
    page.wait_for_selector("#article-text .hl")
    page.go_back()
    page.wait_for_selector("#timeline-changes > li")
    # a pair with no recorded changes says so
    page.fill("#t-a", "FRA")
    page.fill("#t-b", "BRA")
    page.click("#timeline-draw")
    page.wait_for_selector("#timeline-empty:not([hidden])")
    assert "No relation changes recorded for BRA–FRA" in page.text_content("#timeline-empty")
    assert page.locator("#timeline-changes li").count() == 0


def test_network_filters_in_the_url(page: Any, server: SimpleNamespace) -> None:
    page.goto(server.url + "/#/network")
    page.wait_for_selector("#network-chart .main-svg")
    assert page.locator("#network-edges tbody tr").count() > 0
    page.select_option("#n-quad", "3")
    page.click("#network-draw")
    check = ("() => { const cells = [...document.querySelectorAll('#network-edges tbody tr td.quad')];"
             " return cells.length > 0 && cells.every(td => td.textContent.startsWith('3')); }")
    page.wait_for_function(check)
    assert hash_query(page)["quad_class"] == ["3"]
    page.reload()
    page.wait_for_function(check)
    assert page.input_value("#n-quad") == "3"
    shot(page, "web-network", full=True)
    page.go_back()
    page.wait_for_function("() => [...document.querySelectorAll('#network-edges tbody tr td.quad')]"
                           ".some(td => !td.textContent.startsWith('3'))")


# --- phones ----------------------------------------------------------------------------------------
def test_phone_layout(pages: Pages, demo: SimpleNamespace) -> None:
    page = pages.new(PHONE)
    for view, ready in (("events", "#events-table tbody tr"), ("quotes", "#quotes-list > li"),
                        ("actors", "#actors-table tbody tr"), ("overview", "#map circle.place"),
                        ("timeline", "#timeline-pairs .chip"), ("network", "#network-edges tbody tr"),
                        ("articles", "#doc-list li a")):
        page.goto(demo.url + f"/#/{view}")
        page.wait_for_selector(ready)
        no_horizontal_scroll(page)
        assert page.locator("nav a[data-view=network]").bounding_box()["x"] + 10 < PHONE["width"]
        shot(page, f"web-phone-{view}")
    # compact event rows
    page.goto(demo.url + "/#/events")
    rows_loaded(page, 50)
    height = page.evaluate("document.querySelector('#events-table tbody').getBoundingClientRect().height")
    print(f"\n50 event rows at 390 px: {height:.0f} px tall")
    assert height < 50 * 150
    # a tapped highlight's details come up next to the tap, not far down the page
    doc = api(demo, "/api/events?limit=1&q=agreed")["items"][0]["doc_id"]
    page.goto(demo.url + f"/#/articles/{doc}")
    target = page.locator("#article-text .hl-trigger").nth(2)
    target.click()
    page.wait_for_selector("#detail.open #detail-body .ann.chosen")
    sheet = page.locator("#detail").bounding_box()
    span = page.locator("#article-text .hl.focus").first.bounding_box()
    assert sheet["y"] + sheet["height"] <= PHONE["height"] + 1 and sheet["y"] > PHONE["height"] * 0.4
    assert 0 <= span["y"] and span["y"] + span["height"] <= sheet["y"], (span, sheet)
    no_horizontal_scroll(page)
    shot(page, "web-phone-article-tap")
