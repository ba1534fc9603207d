"""Quotes in the store: the kind of attribution and the content's pieces, written, migrated, queried and served."""
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from legation import query
from legation.query import QueryError, QuoteFilter
from legation.records import Analysis, Document, Quote, Speaker
from legation.store import SCHEMA_VERSION, Store

TEXT = ('"Prices will fall," the minister said, "and soon." Farmers believe the harvest will fail. '
        'Critics said the plan was late.')


def piece(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def analysis() -> Analysis:
    a, b = piece("Prices will fall"), piece("and soon.")
    belief, told = piece("the harvest will fail"), piece("the plan was late")

    def quote(start: int, end: int, kind: str, entity: str, **extra) -> Quote:
        return Quote(content=TEXT[start:end], start=start, end=end, direct=kind == "direct", cue="said",
                     speaker=Speaker(text=entity, start=None, end=None, entity=entity), kind=kind, **extra)

    return Analysis(document=Document(text=TEXT, source_id="q1"), quotes=[
        quote(a[0], b[1], "direct", "S1", segments=[a, b]),
        quote(*belief, "belief", "S2"),
        quote(*told, "indirect", "S3")])


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "quotes.duckdb")
    s.save_analysis(analysis())
    yield s
    s.close()


def test_kind_and_segments_are_stored_and_filtered(store: Store) -> None:
    found, _ = query.list_quotes(store.con, QuoteFilter.parse())
    assert [(r["kind"], r["segments"]) for r in found] == [
        ("direct", [list(piece("Prices will fall")), list(piece("and soon."))]),
        ("belief", [list(piece("the harvest will fail"))]),
        ("indirect", [list(piece("the plan was late"))])]
    assert found[0]["start"] == piece("Prices will fall")[0] and found[0]["end"] == piece("and soon.")[1]
    for kind, expected in (("belief", ["the harvest will fail"]), ("indirect", ["the plan was late"]),
                           ("partial", []), ("direct", [TEXT[piece("Prices will fall")[0]:piece("and soon.")[1]]])):
        rows, _ = query.list_quotes(store.con, QuoteFilter.parse(kind=kind))
        assert [r["content"] for r in rows] == expected, kind
        assert query.count_quotes(store.con, QuoteFilter.parse(kind=kind)) == len(expected)
    with pytest.raises(QueryError, match="E070"):
        QuoteFilter.parse(kind="shouted")


def test_every_kind_the_extractor_names_can_be_filtered() -> None:
    from legation.quotes.attribution import default_rules

    assert set(default_rules().kinds.values()) | {"direct", "partial", "indirect"} <= set(query.QUOTE_KINDS)


def test_a_schema_11_store_gains_kind_and_segments_for_old_rows(old_store) -> None:
    con, path = old_store(11)
    con.execute("INSERT INTO documents (id, status, ingested_at) VALUES ('d1', 'ok', now())")
    con.executemany("INSERT INTO quotes (doc_id, idx, start_char, end_char, content, direct, partial) VALUES "
                    "('d1', ?, ?, ?, ?, ?, ?)", [(0, 0, 5, "a", True, False), (1, 10, 20, "b", False, True),
                                                 (2, 30, 42, "c", False, False), (3, 50, 60, "d", True, True)])
    con.close()
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION >= 12
    rows, _ = query.list_quotes(store.con, QuoteFilter.parse())
    # old rows get the kind their flags gave the filter before, and one piece
    assert [(r["idx"], r["kind"], r["segments"]) for r in rows] == [
        (0, "direct", [[0, 5]]), (1, "partial", [[10, 20]]), (2, "indirect", [[30, 42]]), (3, "partial", [[50, 60]])]
    assert [r["idx"] for r in query.list_quotes(store.con, QuoteFilter.parse(kind="partial"))[0]] == [1, 3]
    # new rows after the upgrade carry the extractor's kind
    store.save_analysis(analysis())
    assert query.count_quotes(store.con, QuoteFilter.parse(kind="belief")) == 1
    store.close()


def test_api_and_csv_give_kind_and_segments(store: Store) -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from legation.api import create_app

    path = store.path
    store.close()
    saved = os.environ.pop("LEGATION_API_TOKEN", None)
    try:
        with TestClient(create_app(path)) as client:
            items = client.get("/api/quotes", params={"kind": "belief"}).json()["items"]
            assert [(q["kind"], q["content"]) for q in items] == [("belief", "the harvest will fail")]
            table = list(csv.DictReader(io.StringIO(client.get("/api/quotes.csv").text)))
            assert [r["kind"] for r in table] == ["direct", "belief", "indirect"]
            assert json.loads(table[0]["segments"]) == [list(piece("Prices will fall")), list(piece("and soon."))]
            doc_id = table[0]["doc_id"]
            document = client.get(f"/api/documents/{doc_id}").json()
            assert [q["kind"] for q in document["quotes"]] == ["direct", "belief", "indirect"]
            assert document["quotes"][0]["segments"] == [list(piece("Prices will fall")), list(piece("and soon."))]
            assert client.get("/api/quotes", params={"kind": "shouted"}).status_code == 422
    finally:
        if saved is not None:
            os.environ["LEGATION_API_TOKEN"] = saved
