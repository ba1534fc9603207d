"""The HTTP API over a store built from the sample articles (plus a hostile document).

Events and relation changes are added as rows so every filter has something to find,
whatever the events stage produces today; expectations are computed from the rows.
"""
from __future__ import annotations

import base64
from datetime import date
import csv
import io
import json
import os
import re
import shutil
from urllib.parse import quote
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from legation.api import create_app  # noqa: E402
from legation.api import queries  # noqa: E402
from legation.dates import interval  # noqa: E402
from legation.ingest import iter_inputs, sample_articles_path  # noqa: E402
from legation.pipeline import Pipeline  # noqa: E402
from legation.store import Store, ingest  # noqa: E402

MALICIOUS_TEXT = (
    "Myanmar's foreign ministry said on Monday that <script>alert(1)</script> and "
    "<img src=x onerror=alert(1)> appeared in a statement sent to North Korea. "
    "Officials in Yangon said the two governments would meet next week.")
MALICIOUS = {"id": "hostile-1", "title": "<img src=x onerror=alert(2)> hostile title", "publisher": "Test Wire",
             "published": "2023-09-11", "text": MALICIOUS_TEXT}
TYPES = [("CONSULT", 1, "040", 1.0), ("AGREE", 1, "030", 4.0), ("REQUEST", 3, "100", -5.0), ("ACCUSE", 3, "112", -2.0),
         ("COOPERATE", 2, "061", 6.4), ("SANCTION", 4, "163", -8.0), ("SUPPORT", 1, "051", 3.4), ("ASSAULT", 4, "190", -10.0)]
MODALITIES = ["asserted", "hedged", "hypothetical"]
RELATION_CHANGES = [
    ("SAU-IRN-1", "IRN", "SAU", "diplomatic", "break", "SAU", "2016-01-03", "2016-01-04", "sample-01-saudi-iran-ties-cut"),
    ("SAU-IRN-2", "IRN", "SAU", "diplomatic", "restore", None, "2023-03-10", "2023-03-11", "sample-03-saudi-iran-beijing-deal"),
    ("MMR-PRK-1", "MMR", "PRK", "diplomatic", "break", "MMR", "1983-11-04", "1983-11-05", "sample-23-burma-cuts-ties-north-korea"),
    ("MMR-PRK-2", "MMR", "PRK", "diplomatic", "restore", None, "2007-04-26", "2007-04-27",
     "sample-24-myanmar-north-korea-restore-ties"),
]
INJECTIONS = ["' OR 1=1 --", "MMR'); DROP TABLE events; --", "%", "_", "\\", "1; DELETE FROM documents", "\" OR \"\"=\"",
              "' UNION SELECT * FROM documents --", "\x00"]


# --- the store ----------------------------------------------------------------------------------
def _sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in re.finditer(r"[^.!?\n]+[.!?]?", text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        if end - start > 20:
            spans.append((start, end))
    return spans


def add_events(store: Store) -> None:
    """Three events per document, on its first sentences, coded with the actors found in them."""
    docs = store.query("SELECT id, published, text FROM documents WHERE status = 'ok' ORDER BY id")
    rows = []
    n = 0
    for doc in docs:
        actors = store.query("SELECT start_char, end_char, code FROM actors WHERE doc_id = ? AND code IS NOT NULL "
                             "ORDER BY start_char", [doc["id"]])
        doc_codes = list(dict.fromkeys(a["code"] for a in actors))
        for k, (start, end) in enumerate(_sentences(doc["text"])[:3]):
            in_sentence = list(dict.fromkeys(a["code"] for a in actors if start <= a["start_char"] < end))
            pool = in_sentence + [c for c in doc_codes if c not in in_sentence] + ["UNK", "UNX"]
            source, target = pool[0], next(c for c in pool if c != pool[0])
            event_type, quad, cameo, goldstein = TYPES[n % len(TYPES)]
            published = doc["published"].isoformat() if doc["published"] else None
            date_value = None if published is None else [published, published[:7], None][k % 3]
            rows.append([f"t{doc['id'][:10]}-{k}", doc["id"], event_type, None, "[]", cameo, quad, goldstein,
                         [source], [target], json.dumps([{"code": source}]), json.dumps([{"code": target}]),
                         date_value, None, date_value is None, None, None, None, MODALITIES[n % 3], None, None,
                         start, end, doc["text"][start:end], None, 0.9, k == 1, False, None, None, None,
                         *(interval(date_value) or (None, None)), True, "main"])
            n += 1
    store.con.executemany("INSERT INTO events VALUES (" + ", ".join("?" * len(rows[0])) + ")", rows)


def add_relation_changes(store: Store) -> None:
    for cid, a, b, kind, change, by, date, published, source_id in RELATION_CHANGES:
        doc = store.query("SELECT id, publisher FROM documents WHERE source_id = ?", [source_id])[0]
        store.con.execute("INSERT INTO relation_changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, 1)",
                          [cid, a, b, kind, change, by, date, json.dumps({date: [{"doc_id": doc["id"], "publisher": doc["publisher"],
                                                                         "published": published}]}), published])
        store.con.execute("INSERT INTO relation_reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?, NULL, NULL, NULL, NULL, FALSE)",
                          [cid + "-r", doc["id"], a, b, kind, change, by, date, published, doc["publisher"]])


def control_rows(store: Store) -> tuple[list[dict[str, Any]], str]:
    """Replace the events and relation rows with the ones the tests control, whatever the events
    and relations stages store today; the events (with source ids) and the hostile document's id."""
    for table in ("events", "relation_reports", "relation_changes", "event_clusters"):
        store.con.execute(f"DELETE FROM {table}")
    add_events(store)
    add_relation_changes(store)
    store.con.execute("CHECKPOINT")
    events = store.query("SELECT e.*, d.source_id FROM events e JOIN documents d ON d.id = e.doc_id")
    hostile = store.query("SELECT id FROM documents WHERE source_id = 'hostile-1'")[0]["id"]
    return events, hostile


def build_store(path: Path) -> SimpleNamespace:
    extra = path.parent / "hostile.jsonl"
    extra.write_text(json.dumps(MALICIOUS) + "\n", encoding="utf-8")
    with Store(path) as store:
        summary = ingest(store, iter_inputs([str(sample_articles_path()), str(extra)]), Pipeline())
        assert summary["failed"] == 0
        events, hostile = control_rows(store)
        counts = store.counts()
    return SimpleNamespace(path=path, events=events, hostile=hostile, counts=counts)


@pytest.fixture(scope="session")
def api_store(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    return build_store(tmp_path_factory.mktemp("api") / "store.duckdb")


@pytest.fixture(scope="module")
def client(api_store: SimpleNamespace) -> Any:
    saved = os.environ.pop("LEGATION_API_TOKEN", None)
    with TestClient(create_app(api_store.path)) as test_client:
        yield test_client
    if saved is not None:
        os.environ["LEGATION_API_TOKEN"] = saved


def all_pages(client: Any, path: str, params: dict[str, Any], limit: int = 500) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(1000):
        response = client.get(path, params={**params, "limit": limit, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items
    raise AssertionError("paging did not end")


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


# --- reference filtering (plain Python over the rows) ------------------------------------------
NAMES = {"SAUDI ARABIA": "SAU", "IRAN": "IRN"}  # the names the filter cases use


def _code(value: str) -> str:
    return NAMES.get(value.strip().upper(), value.strip().upper())


def expected_ids(events: list[dict[str, Any]], f: dict[str, str]) -> set[str]:
    f = {k: (_code(v) if k in ("actor", "source", "target") else v) for k, v in f.items()}
    if "pair" in f:
        f["pair"] = ",".join(_code(p) for p in f["pair"].split(","))
    out = set()
    for e in events:
        src, tgt = e["source_codes"] or [], e["target_codes"] or []
        date = e["date_value"]
        if "actor" in f and f["actor"].upper() not in src + tgt:
            continue
        if "source" in f and f["source"].upper() not in src:
            continue
        if "target" in f and f["target"].upper() not in tgt:
            continue
        if "pair" in f:
            a, b = f["pair"].upper().split(",")
            if not ((a in src and b in tgt) or (b in src and a in tgt)):
                continue
        if "type" in f and (e["type"] or "").upper() != f["type"].upper():
            continue
        if "quad_class" in f and e["quad_class"] != int(f["quad_class"]):
            continue
        if "modality" in f and e["modality"] != f["modality"]:
            continue
        span = interval(date)
        if "date_from" in f and (span is None or span[1] < interval(f["date_from"])[0]):
            continue
        if "date_to" in f and (span is None or span[0] > interval(f["date_to"])[1]):
            continue
        if f.get("stated_only") == "true" and (e["source_defaulted"] or e["target_defaulted"]):
            continue
        if "q" in f and f["q"].lower() not in (e["evidence_text"] or "").lower():
            continue
        if "doc" in f and not (e["doc_id"] == f["doc"] or e["doc_id"].startswith(f["doc"]) or e["source_id"] == f["doc"]):
            continue
        out.add(e["id"])
    return out


EVENT_FILTER_CASES = [
    {"actor": "SAU"}, {"actor": "irn"}, {"source": "USA"}, {"target": "CUB"}, {"pair": "IRN,SAU"}, {"pair": "sau,irn"},
    {"pair": "CUB,USA"}, {"type": "CONSULT"}, {"type": "sanction"}, {"quad_class": "4"}, {"quad_class": "1"},
    {"modality": "hedged"}, {"date_from": "2020"}, {"date_to": "2016-06"}, {"date_from": "2016-01", "date_to": "2016-12-31"},
    {"date_from": "2023-09-11", "date_to": "2023-09-11"}, {"date_from": "2023-W37", "date_to": "2023-W37"},
    {"date_from": "202X"}, {"stated_only": "true"}, {"actor": "Saudi Arabia"}, {"pair": "Iran,saudi arabia"},
    {"q": "embassy"}, {"q": "100%"}, {"doc": "sample-24-myanmar-north-korea-restore-ties"},
    {"actor": "USA", "quad_class": "1"}, {"type": "CONSULT", "date_from": "2020", "modality": "asserted"},
]


# --- tests --------------------------------------------------------------------------------------
def test_openapi_schema_lists_routes(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/documents", "/api/documents.csv", "/api/documents/{doc_id}", "/api/events", "/api/events.json",
                 "/api/events.csv", "/api/quotes", "/api/actors", "/api/timeline", "/api/network", "/api/codebook"):
        assert path in schema["paths"], path
    assert "post" in schema["paths"]["/api/documents"]
    assert "NewDocument" in schema["components"]["schemas"]


def test_documents_list_and_detail(client: Any, api_store: SimpleNamespace) -> None:
    docs = all_pages(client, "/api/documents", {}, limit=5)
    assert len(docs) == api_store.counts["documents_ok"] + api_store.counts["documents_failed"] == 27
    assert len({d["id"] for d in docs}) == 27
    assert all("text" not in d for d in docs)
    sample = next(d for d in docs if d["source_id"] == "sample-24-myanmar-north-korea-restore-ties")
    in_sample = sum(e["doc_id"] == sample["id"] for e in api_store.events)
    assert sample["events"] == in_sample > 0 and sample["times"] > 0
    for ref in (sample["id"], sample["id"][:8], sample["source_id"]):
        body = client.get(f"/api/documents/{ref}").json()
        assert body["document"]["id"] == sample["id"]
    body = client.get(f"/api/documents/{sample['id']}").json()
    text = body["document"]["text"]
    assert set(body) >= {"document", "times", "actors", "quotes", "events"}
    assert body["times"] and body["actors"] and len(body["events"]) == in_sample
    for t in body["times"]:
        assert text[t["start"]:t["end"]] == t["text"]
    for a in body["actors"]:
        assert text[a["start"]:a["end"]] == a["text"]
    for e in body["events"]:
        assert text[e["evidence_start"]:e["evidence_end"]] == e["evidence_text"]
        assert isinstance(e["source"], list) and isinstance(e["source_codes"], list)
    assert [d["source_id"] for d in client.get("/api/documents", params={"q": "Honduras"}).json()["items"]] == [
        "sample-17-honduras-switches-to-china"]
    assert client.get("/api/documents", params={"status": "failed"}).json()["items"] == []
    error = assert_error(client.get("/api/documents", params={"status": "broken"}), 422, "bad_filter")
    assert error["allowed"] == ["ok", "failed"] and error["number"] == "E070"


def test_unknown_document_is_404(client: Any) -> None:
    assert_error(client.get("/api/documents/ffffffffffffffff"), 404, "not_found")
    assert_error(client.get("/api/documents/%20"), 404)
    assert_error(client.get("/api/no-such-route"), 404)


@pytest.mark.parametrize("filters", EVENT_FILTER_CASES, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()))
def test_event_filters(client: Any, api_store: SimpleNamespace, filters: dict[str, str]) -> None:
    expected = expected_ids(api_store.events, filters)
    got = [e["id"] for e in all_pages(client, "/api/events", filters, limit=500)]
    assert len(got) == len(set(got))
    assert set(got) == expected


def test_event_filters_find_something(api_store: SimpleNamespace) -> None:
    for filters in EVENT_FILTER_CASES:
        if len(filters) == 1 and filters != {"q": "100%"}:
            assert expected_ids(api_store.events, filters), filters


def test_event_doc_filter_by_prefix(client: Any, api_store: SimpleNamespace) -> None:
    doc_id = api_store.events[0]["doc_id"]
    got = {e["id"] for e in all_pages(client, "/api/events", {"doc": doc_id[:6]})}
    assert got == {e["id"] for e in api_store.events if e["doc_id"].startswith(doc_id[:6])}


def test_events_json_and_csv(client: Any, api_store: SimpleNamespace) -> None:
    plain = client.get("/api/events", params={"limit": 10})
    as_json = client.get("/api/events.json", params={"limit": 10})
    assert plain.status_code == as_json.status_code == 200
    assert plain.json() == as_json.json()
    body = plain.json()
    assert body["count"] == len(body["items"]) == 10 and body["limit"] == 10 and body["next_cursor"]
    assert 'rel="next"' in plain.headers["link"] and "cursor=" in plain.headers["link"]
    event = body["items"][0]
    assert {"id", "doc_id", "type", "quad_class", "source_codes", "target_codes", "date_value", "modality",
            "evidence_text", "doc_title"} <= set(event)
    assert body["total"] == len(api_store.events)
    filtered = client.get("/api/events", params={"type": "CONSULT", "limit": 2}).json()
    assert filtered["total"] == len(expected_ids(api_store.events, {"type": "CONSULT"})) > 2
    as_csv = client.get("/api/events.csv", params={"type": "CONSULT", "limit": 5})
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == filtered["total"]  # the export is every matching row, never a page
    assert all(r["PloverType"] == "CONSULT" for r in rows)
    assert {"GLOBALEVENTID", "Actor1Code", "Actor1Name", "Actor1Codes", "Actor2Code", "Actor2Codes", "EventCode",
            "QuadClass", "DateStart", "DateEnd", "EvidenceText", "DocId"} <= set(rows[0])
    for row in rows:  # flat columns: codes and names, never JSON
        assert not any(str(v).startswith(("[", "{")) for v in row.values())
    empty = client.get("/api/events.csv", params={"doc": "sample-23-burma-cuts-ties-north-korea", "type": "ASSAULT",
                                                  "date_from": "2030"})
    assert empty.status_code == 200 and empty.text.count("\n") == 1 and empty.text.startswith('"GLOBALEVENTID"')
    assert_error(client.get("/api/events.csv", params={"type": "NOTHING"}), 422, "bad_filter")


def test_event_export_row_count_equals_total(client: Any, api_store: SimpleNamespace) -> None:
    pd = pytest.importorskip("pandas")
    for filters in ({}, {"actor": "USA"}, {"date_from": "2016", "date_to": "2023-06"}, {"modality": "hedged"}):
        total = client.get("/api/events", params={**filters, "limit": 1}).json()["total"]
        rows = list(csv.DictReader(io.StringIO(client.get("/api/events.csv", params=filters).text)))
        assert len(rows) == total == len(expected_ids(api_store.events, filters)), filters
        parquet = client.get("/api/events.parquet", params=filters)
        assert parquet.status_code == 200 and parquet.content[:4] == b"PAR1"
        table = pd.read_parquet(io.BytesIO(parquet.content))
        assert len(table) == total
        assert set(table["GLOBALEVENTID"]) == {r["GLOBALEVENTID"] for r in rows}


def test_event_sort_and_totals(client: Any, api_store: SimpleNamespace) -> None:
    by_goldstein = all_pages(client, "/api/events", {"sort": "-goldstein"}, limit=7)
    assert len(by_goldstein) == len(api_store.events)
    values = [e["goldstein"] for e in by_goldstein]
    assert values == sorted(values, reverse=True)
    by_type = all_pages(client, "/api/events", {"sort": "type", "quad_class": "1"}, limit=4)
    assert [e["type"] for e in by_type] == sorted(e["type"] for e in by_type)
    assert {e["id"] for e in by_type} == expected_ids(api_store.events, {"quad_class": "1"})
    error = assert_error(client.get("/api/events", params={"sort": "colour"}), 422, "bad_filter")
    assert "goldstein" in error["allowed"] and "-date" in error["allowed"]
    cursor = client.get("/api/events", params={"limit": 1}).json()["next_cursor"]
    assert_error(client.get("/api/events", params={"sort": "type", "cursor": cursor}), 400, "bad_cursor")


def test_unknown_values_give_422_with_allowed_values(client: Any) -> None:
    cases = [("/api/events", {"modality": "hypothetic"}, "modality", "hypothetical"),
             ("/api/events", {"type": "SANCTIONS"}, "type", "SANCTION"),
             ("/api/events", {"date_from": "2023-13"}, "date_from", None),
             ("/api/events", {"stated_only": "maybe"}, "stated_only", "true"),
             ("/api/quotes", {"kind": "shouted"}, "kind", "direct"),
             ("/api/actors", {"kind": "planet"}, "kind", "country"),
             ("/api/timeline", {"a": "MMR", "b": "PRK", "kind": "trade"}, "kind", "sanctions")]
    for path, params, field, allowed in cases:
        error = assert_error(client.get(path, params=params), 422, "bad_filter")
        assert error["field"] == field and re.fullmatch(r"E07\d", error["number"]), error
        if allowed:
            assert allowed in error["allowed"], error
    error = assert_error(client.get("/api/events", params={"actor": "Myanmr"}), 422, "bad_filter")
    assert error["number"] == "E074" and "Myanmar (MMR)" in error["message"]
    assert_error(client.get("/api/events", params={"doc": "zzzz-no-such-doc"}), 404, "not_found")


def test_dates_are_intervals(client: Any, api_store: SimpleNamespace) -> None:
    """A month overlaps its days and a week overlaps its month: 2023-09 finds events dated 2023-W37 and 2023."""
    months = {e["date_value"] for e in api_store.events if e["date_value"] and len(e["date_value"]) == 7}
    month = sorted(months)[0]
    got = {e["id"] for e in all_pages(client, "/api/events", {"date_from": month, "date_to": month})}
    assert got == expected_ids(api_store.events, {"date_from": month, "date_to": month})
    assert {e["date_value"] for e in api_store.events if e["id"] in got} >= {month}
    day = next(e["date_value"] for e in api_store.events if e["date_value"] and len(e["date_value"]) == 10)
    in_day = {e["id"] for e in all_pages(client, "/api/events", {"date_from": day, "date_to": day})}
    assert {e["id"] for e in api_store.events if e["date_value"] == day[:7]} <= in_day  # its month overlaps it


def test_paging_through_all_events(client: Any, api_store: SimpleNamespace) -> None:
    seen: list[str] = []
    url = "/api/events?limit=7"
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        items = response.json()["items"]
        assert 0 < len(items) <= 7
        seen += [e["id"] for e in items]
        link = response.headers.get("link")
        url = re.match(r"<([^>]+)>", link).group(1) if link else None
        assert bool(url) == bool(response.json()["next_cursor"])
        pages += 1
    assert len(seen) == len(set(seen)) == len(api_store.events)
    assert set(seen) == {e["id"] for e in api_store.events}
    assert pages == -(-len(seen) // 7)
    keys = [((interval(e["date_value"]) or (date.max,))[0], e["id"]) for e in api_store.events]
    assert seen == [k[1] for k in sorted(keys)]  # by the first day of each event's date, undated last
    # the same walk with a filter, through next_cursor
    filters = {"quad_class": "1"}
    walked = [e["id"] for e in all_pages(client, "/api/events", filters, limit=4)]
    assert len(walked) == len(set(walked)) and set(walked) == expected_ids(api_store.events, filters)


def test_page_size_cap(client: Any, api_store: SimpleNamespace) -> None:
    assert len(api_store.events) > 50
    assert client.get("/api/events").json()["limit"] == 50
    assert len(client.get("/api/events").json()["items"]) == 50
    big = client.get("/api/events", params={"limit": 100000}).json()
    assert big["limit"] == 500 and len(big["items"]) == min(500, len(api_store.events))
    assert_error(client.get("/api/events", params={"limit": 0}), 400, "bad_limit")
    assert_error(client.get("/api/events", params={"limit": "many"}), 400, "bad_limit")
    assert_error(client.get("/api/quotes", params={"limit": -3}), 400, "bad_limit")


def test_error_bodies(client: Any) -> None:
    assert_error(client.get("/api/events", params={"cursor": "not a cursor!"}), 400, "bad_cursor")
    assert_error(client.get("/api/events", params={"cursor": "bm9wZQ"}), 400, "bad_cursor")  # "nope"
    forged = base64.urlsafe_b64encode(json.dumps({"k": "events", "v": [1, 2, 3]}).encode()).decode().rstrip("=")
    assert_error(client.get("/api/events", params={"cursor": forged}), 400, "bad_cursor")
    quotes_cursor = client.get("/api/quotes", params={"limit": 1}).json()["next_cursor"]
    assert_error(client.get("/api/events", params={"cursor": quotes_cursor}), 400, "bad_cursor")
    for value in ("5", "0", "x", "1.5", "-1"):
        assert_error(client.get("/api/events", params={"quad_class": value}), 422, "bad_filter")
    assert_error(client.get("/api/events", params={"date_from": "last week"}), 422, "bad_filter")
    assert_error(client.get("/api/events", params={"date_from": "2020", "date_to": "2019"}), 422, "bad_filter")
    assert_error(client.get("/api/events", params={"pair": "MMR"}), 422, "bad_filter")
    assert_error(client.get("/api/events", params={"pair": "A,B,C"}), 422, "bad_filter")
    assert_error(client.get("/api/events", params=[("type", "A"), ("type", "B")]), 400, "bad_filter")
    assert_error(client.get("/api/timeline", params={"a": "MMR"}), 422, "bad_filter")
    assert_error(client.get("/api/timeline", params={"a": "MMR", "b": "PRK", "as_of": "soon"}), 422, "bad_filter")
    assert_error(client.delete("/api/events"), 405)


def test_quotes(client: Any, api_store: SimpleNamespace) -> None:
    quotes = all_pages(client, "/api/quotes", {}, limit=9)
    assert len(quotes) == api_store.counts["quotes"] > 0
    assert len({(q["doc_id"], q["idx"]) for q in quotes}) == len(quotes)
    chosen = next(q for q in quotes if q["speaker"])
    by_speaker = all_pages(client, "/api/quotes", {"speaker": chosen["speaker"]})
    keys = {(q["doc_id"], q["idx"]) for q in by_speaker}
    assert (chosen["doc_id"], chosen["idx"]) in keys and len(keys) < len(quotes)
    assert keys <= {(q["doc_id"], q["idx"]) for q in quotes}
    doc_id = quotes[0]["doc_id"]
    by_doc = all_pages(client, "/api/quotes", {"doc": doc_id})
    assert {q["doc_id"] for q in by_doc} == {doc_id}
    assert len(by_doc) == sum(q["doc_id"] == doc_id for q in quotes)
    assert client.get("/api/quotes.csv", params={"doc": doc_id}).text.count("\n") >= len(by_doc) + 1


def test_actors(client: Any, api_store: SimpleNamespace) -> None:
    actors = all_pages(client, "/api/actors", {}, limit=6)
    assert len({(a["code"], a["sector"], a["name"], a["entity"], a["kind"]) for a in actors}) == len(actors)
    mentions = [a["mentions"] for a in actors]
    assert mentions == sorted(mentions, reverse=True)
    sau = all_pages(client, "/api/actors", {"code": "sau"})
    assert sau and {a["code"] for a in sau} == {"SAU"}
    doc = client.get("/api/documents/sample-23-burma-cuts-ties-north-korea").json()["document"]["id"]
    in_doc = all_pages(client, "/api/actors", {"doc": doc})
    assert "MMR" in {a["code"] for a in in_doc} and all(a["documents"] == 1 for a in in_doc)
    assert client.get("/api/actors.csv").headers["content-type"].startswith("text/csv")


def test_timeline_route(client: Any) -> None:
    body = client.get("/api/timeline", params={"a": "SAU", "b": "IRN", "kind": "diplomatic"}).json()
    assert sorted(body["pair"]) == ["IRN", "SAU"] and body["kind"] == "diplomatic"
    assert [c["date"] for c in body["changes"]] == ["2016-01-03", "2023-03-10"]
    assert [c["change"] for c in body["changes"]] == ["break", "restore"]
    for change in body["changes"]:
        assert {"date", "change", "by", "num_documents", "sources"} <= set(change)
    assert body["states"] and all({"from", "to", "state"} <= set(s) for s in body["states"])
    assert "state_as_of" in body
    reverse = client.get("/api/timeline", params={"a": "irn", "b": "sau"}).json()
    assert [c["date"] for c in reverse["changes"]] == ["2016-01-03", "2023-03-10"]
    none = client.get("/api/timeline", params={"a": "FRA", "b": "BRA"}).json()
    assert none["changes"] == []
    pairs = client.get("/api/timeline/pairs").json()["items"]
    assert {(p["a"], p["b"]) for p in pairs} == {("IRN", "SAU"), ("MMR", "PRK")}


def test_timeline_route_as_of(client: Any) -> None:
    body = client.get("/api/timeline", params={"a": "PRK", "b": "MMR", "as_of": "1990"}).json()
    assert body["pair"] == ["MMR", "PRK"] and body["kind"] == "diplomatic"
    assert [(c["date"], c["change"]) for c in body["changes"]] == [("1983-11-04", "break"), ("2007-04-26", "restore")]
    assert body["state_as_of"] == "broken"


def test_timeline_built_from_relation_changes(api_store: SimpleNamespace) -> None:
    with Store(api_store.path, read_only=True) as store:
        body = queries.build_timeline(store, "PRK", "MMR", "diplomatic", None)
        assert body["pair"] == ["MMR", "PRK"]
        assert [(c["date"], c["change"], c["by"]) for c in body["changes"]] == [
            ("1983-11-04", "break", "MMR"), ("2007-04-26", "restore", None)]
        assert body["changes"][0]["num_documents"] == 1
        assert body["changes"][0]["sources"][0]["publisher"] == "Legation Wire"
        assert body["states"] == [{"from": None, "to": "1983-11-04", "state": "unknown"},
                                  {"from": "1983-11-04", "to": "2007-04-26", "state": "broken"},
                                  {"from": "2007-04-26", "to": None, "state": "active"}]
        assert body["state_as_of"] == "active"
        assert queries.build_timeline(store, "MMR", "PRK", "diplomatic", "1990")["state_as_of"] == "broken"
        assert queries.build_timeline(store, "MMR", "PRK", "diplomatic", "1983-11")["state_as_of"] == "broken"
        assert queries.build_timeline(store, "MMR", "PRK", "diplomatic", "1970")["state_as_of"] == "unknown"
        empty = queries.build_timeline(store, "MMR", "PRK", "sanctions", None)
        assert empty["changes"] == [] and empty["states"] == [{"from": None, "to": None, "state": "unknown"}]


def test_network(client: Any, api_store: SimpleNamespace) -> None:
    body = client.get("/api/network", params={"quad_class": "4", "limit": 500}).json()
    expected: dict[tuple[str, str], int] = {}
    for e in api_store.events:
        if e["quad_class"] == 4:
            for s in e["source_codes"]:
                for t in e["target_codes"]:
                    if s != t:
                        expected[(s, t)] = expected.get((s, t), 0) + 1
    assert {(x["source"], x["target"]): x["weight"] for x in body["edges"]} == expected
    assert all(x["quad_class"] == 4 for x in body["edges"])
    weights = [x["weight"] for x in body["edges"]]
    assert weights == sorted(weights, reverse=True)
    codes = {n["code"] for n in body["nodes"]}
    assert codes == {c for pair in expected for c in pair}
    capped = client.get("/api/network", params={"limit": 3}).json()
    assert len(capped["edges"]) == 3
    rows = list(csv.DictReader(io.StringIO(client.get("/api/network.csv").text)))
    assert rows and set(rows[0]) == {"source", "target", "quad_class", "weight", "goldstein"}
    assert_error(client.get("/api/network", params={"quad_class": "9"}), 422, "bad_filter")


def test_codebook(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    body = client.get("/api/codebook").json()
    codes = {c["code"]: c for c in body["codes"]}
    assert codes["042"]["name"] == "Make a visit" and codes["042"]["goldstein"] == 1.9
    assert codes["042"]["type"] == "CONSULT" and codes["042"]["quad_class"] == 1
    assert "CONSULT" in {t["type"] for t in body["types"]}
    assert {"type": "CONSULT", "mode": "visit"} in body["modes"]
    assert len(body["quad_classes"]) == 4
    rows = list(csv.DictReader(io.StringIO(client.get("/api/codebook.csv").text)))
    assert len(rows) == len(body["codes"])

    import legation.knowledge

    def missing(name: str) -> None:
        raise FileNotFoundError(name)

    monkeypatch.setattr(legation.knowledge, "load_yaml", missing)
    empty = client.get("/api/codebook").json()
    assert empty["codes"] == [] and empty["types"] == [] and empty["modes"] == []


def test_health(client: Any, api_store: SimpleNamespace) -> None:
    body = client.get("/api/health").json()
    assert body["counts"] == api_store.counts and body["writes"] is False


def test_page_and_static_files(client: Any) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "/static/app.js" in page.text
    assert "/static/plotly.min.js" in client.get("/static/app.js").text  # loaded when a chart view opens
    assert "http://" not in page.text and "https://" not in page.text
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    plotly_js = client.get("/static/plotly.min.js")
    assert plotly_js.status_code == 200 and "javascript" in plotly_js.headers["content-type"]
    assert len(plotly_js.content) > 1_000_000
    for name in ("app.js", "style.css"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200
        assert "https://" not in response.text and "http://" not in response.text
    assert "innerHTML" not in client.get("/static/app.js").text



def test_page_menus_offer_exactly_the_query_layers_values(client: Any) -> None:
    import re

    from legation import query

    page = client.get("/").text

    def values(element_id: str) -> list[str]:
        block = re.search(rf'id="{element_id}"[^>]*>(.*?)</(select|datalist)>', page, re.S).group(1)
        return [v for v in re.findall(r'<option value="([^"]*)"', block) if v]

    assert values("qf-kind") == list(query.QUOTE_KINDS)
    assert values("af-kind") == list(query.ACTOR_KINDS)
    assert values("f-quad") == values("n-quad") == [str(k) for k in query.QUAD_CLASSES]
    assert values("modalities") == list(query.MODALITIES)
    assert ">4 material conflict</option>" in page
    for value in query.QUOTE_KINDS:  # each value the page offers is one the API accepts
        assert client.get("/api/quotes", params={"kind": value}).status_code == 200


def test_a_page_naming_an_unknown_vocabulary_is_refused() -> None:
    from legation.api.app import render_page

    with pytest.raises(ValueError, match="E047"):
        render_page('<select id="x" data-vocab="colours"><option value="">any</option></select>')


# --- security -----------------------------------------------------------------------------------
def test_hostile_text_returned_verbatim(client: Any, api_store: SimpleNamespace) -> None:
    response = client.get(f"/api/documents/{api_store.hostile}")
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["document"]["text"] == MALICIOUS_TEXT
    assert body["document"]["title"] == MALICIOUS["title"]
    assert any("<script>alert(1)</script>" in e["evidence_text"] for e in body["events"])
    found = all_pages(client, "/api/events", {"q": "<script>"})
    assert {e["doc_id"] for e in found} == {api_store.hostile}
    as_csv = client.get("/api/events.csv", params={"q": "onerror"})
    assert "<img src=x onerror=alert(1)>" in as_csv.text


def _counts(client: Any) -> dict[str, int]:
    return client.get("/api/health").json()["counts"]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_sql_injection_changes_nothing(client: Any, api_store: SimpleNamespace, payload: str) -> None:
    before = _counts(client)
    routes = {
        "/api/events": list(queries.EVENT_FILTERS) + ["cursor", "limit"],
        "/api/quotes": ["speaker", "doc", "q", "cursor"],
        "/api/actors": ["code", "doc", "kind", "cursor"],
        "/api/documents": ["status", "q", "publisher", "cursor"],
        "/api/network": ["actor", "type", "q", "doc", "modality"],
        "/api/timeline": ["a", "b", "kind", "as_of"],
    }
    for route, names in routes.items():
        for name in names:
            params = {name: payload}
            if route == "/api/timeline":
                params = {"a": "SAU", "b": "IRN", **params}
            response = client.get(route, params=params)
            assert response.status_code in (200, 400, 404, 422), (route, name, response.status_code, response.text)
            if response.status_code == 200 and len(payload) > 3 and route in ("/api/events", "/api/quotes", "/api/actors", "/api/documents"):
                assert response.json()["items"] == [], (route, name)
            if response.status_code != 200:
                assert response.json()["error"]["code"]
    assert client.get("/api/documents/" + quote(payload, safe="")).status_code in (404, 400)
    assert _counts(client) == before == api_store.counts
    assert client.get("/api/events", params={"limit": 500}).json()["count"] == len(api_store.events)


def test_reads_do_not_write(api_store: SimpleNamespace, client: Any) -> None:
    before = api_store.path.stat().st_mtime_ns
    for path in ("/api/events", "/api/documents", "/api/quotes", "/api/actors", "/api/network", "/api/health"):
        assert client.get(path).status_code == 200
    assert api_store.path.stat().st_mtime_ns == before
    assert not Path(str(api_store.path) + ".wal").exists()


# --- writes -------------------------------------------------------------------------------------
@pytest.fixture
def writable(api_store: SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("LEGATION_API_TOKEN", raising=False)
    path = tmp_path / "copy.duckdb"
    shutil.copy(api_store.path, path)
    return path


NEW_DOC = {"text": "France and Brazil agreed on Tuesday to open talks on a trade deal, the ministers said.",
           "title": "Talks agreed", "published": "2024-05-07", "publisher": "API Wire", "url": "https://example.org/a"}


def test_post_refused_without_token(writable: Path) -> None:
    with TestClient(create_app(writable)) as client:
        error = assert_error(client.post("/api/documents", json=NEW_DOC), 403, "writes_disabled")
        assert "LEGATION_API_TOKEN" in error["message"]
        assert_error(client.post("/api/documents", json=NEW_DOC, headers={"Authorization": "Bearer x"}), 403)
        assert client.get("/api/documents", params={"q": "Talks agreed"}).json()["items"] == []


def test_post_with_wrong_or_missing_token(writable: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGATION_API_TOKEN", "s3cret-token")
    with TestClient(create_app(writable)) as client:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic s3cret-token"},
                        {"Authorization": "Bearer s3cret-token-and-more"}, {"Authorization": "Bearer "}):
            response = client.post("/api/documents", json=NEW_DOC, headers=headers)
            assert_error(response, 401, "unauthorized")
            assert response.headers["www-authenticate"].startswith("Bearer")
        assert client.get("/api/health").json()["counts"]["documents_ok"] == 27


def test_post_accepted_with_token(writable: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with TestClient(create_app(writable)) as client:
        monkeypatch.setenv("LEGATION_API_TOKEN", "s3cret-token")  # read on every write
        auth = {"Authorization": "Bearer s3cret-token"}
        assert client.get("/api/health").json()["writes"] is True
        assert_error(client.post("/api/documents", content=b"{not json", headers=auth), 400, "bad_body")
        assert_error(client.post("/api/documents", json=[], headers=auth), 400, "bad_body")
        # a bad document in a good body is stored as failed with its reason; the others are not refused
        for bad, reason in (({"title": "no text"}, "no \"text\" string"),
                            ({**NEW_DOC, "published": "Tuesday"}, "not an ISO date")):
            response = client.post("/api/documents", json=bad, headers=auth)
            assert response.status_code == 201, response.text
            [entry] = response.json()["documents"]
            assert entry["status"] == "failed" and reason in entry["reason"]
        response = client.post("/api/documents", json=NEW_DOC, headers=auth)
        assert response.status_code == 201, response.text
        result = response.json()
        assert result["new"] == 1 and result["documents"][0]["status"] == "ok"
        doc_id = result["documents"][0]["id"]
        listed = client.get("/api/documents", params={"q": "Talks agreed"}).json()["items"]
        assert [d["id"] for d in listed] == [doc_id]
        detail = client.get(f"/api/documents/{doc_id}").json()
        assert detail["document"]["text"] == NEW_DOC["text"] and detail["document"]["publisher"] == "API Wire"
        assert detail["times"] and {a["code"] for a in detail["actors"]} >= {"FRA", "BRA"}
        again = client.post("/api/documents", json=[NEW_DOC, {"text": "Chile and Peru held talks in Lima on Friday.",
                                                              "published": "2024-05-10"}], headers=auth).json()
        assert again["new"] == 1 and again["unchanged"] == 1
        counts = client.get("/api/health").json()["counts"]
        assert counts["documents_ok"] == 29
        assert client.get("/api/events").status_code == 200  # reads work again after the write
        monkeypatch.delenv("LEGATION_API_TOKEN")
        assert_error(client.post("/api/documents", json=NEW_DOC, headers=auth), 403, "writes_disabled")


def test_token_given_to_create_app(writable: Path) -> None:
    with TestClient(create_app(writable, token="given")) as client:
        assert_error(client.post("/api/documents", json=NEW_DOC, headers={"Authorization": "Bearer other"}), 401)
        response = client.post("/api/documents", json=NEW_DOC, headers={"Authorization": "Bearer given"})
        assert response.status_code == 201


def test_missing_store(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="E040"):
        create_app(tmp_path / "none.duckdb")
