"""The one query layer: filter models, date intervals, actor names, SQL on a real DuckDB store."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from legation import query
from legation.dates import interval
from legation.query import (ActorFilter, DocumentFilter, EventFilter, NotFoundError, QueryError, QuoteFilter,
                            RelationFilter, TimelineQuery)
from legation.store import Store


# --- dates ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, start, end", [
    ("2023-03-15", date(2023, 3, 15), date(2023, 3, 15)),
    ("2023-03-15TEV", date(2023, 3, 15), date(2023, 3, 15)),
    ("2023-03", date(2023, 3, 1), date(2023, 3, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2023", date(2023, 1, 1), date(2023, 12, 31)),
    ("2023-W13", date(2023, 3, 27), date(2023, 4, 2)),
    ("2000-W7", date(2000, 2, 14), date(2000, 2, 20)),
    ("2000-W07", date(2000, 2, 14), date(2000, 2, 20)),
    ("2020-W53", date(2020, 12, 28), date(2021, 1, 3)),
    ("2023-Q2", date(2023, 4, 1), date(2023, 6, 30)),
    ("2023-H2", date(2023, 7, 1), date(2023, 12, 31)),
    ("2023-SU", date(2023, 6, 1), date(2023, 8, 31)),
    ("2023-WI", date(2023, 12, 1), date(2024, 2, 29)),
    ("198X", date(1980, 1, 1), date(1989, 12, 31)),
    ("19XX", date(1900, 1, 1), date(1999, 12, 31)),
])
def test_interval_of_each_precision(value: str, start: date, end: date) -> None:
    assert interval(value) == (start, end)


@pytest.mark.parametrize("value", ["2023-13", "2023-02-30", "2021-W53", "2023-W00", "2023-Q5", "PRESENT_REF", "P3Y",
                                   "last week", "", "0000", "2023-3"])
def test_no_interval(value: str) -> None:
    assert interval(value) is None
    with pytest.raises(ValueError, match="not a date"):
        interval(value or " ", strict=True)


# --- the filter models ------------------------------------------------------------------------------
def test_event_filter_normalises_values() -> None:
    flt = EventFilter.parse(actor="mmr", type="consult", modality="Hedged", quad_class="1", pair="Myanmar, north korea",
                            stated_only="true", sort="-goldstein", date_from=" 2023-W13 ", text="")
    assert (flt.actor, flt.type, flt.modality, flt.quad_class) == ("MMR", "CONSULT", "hedged", 1)
    assert flt.pair == ("MMR", "PRK") and flt.stated_only is True and flt.text is None
    assert flt.date_range == (date(2023, 3, 27), None)
    assert flt.sort_key[0].name == "goldstein" and flt.sort_key[1] is True


@pytest.mark.parametrize("name, code", [("Myanmar", "MMR"), ("Burma", "MMR"), ("north korea", "PRK"),
                                        ("the United States", "USA"), ("Burmese", "MMR"), ("SAU", "SAU"),
                                        ("irn", "IRN"), ("UNK", "UNK")])
def test_actor_names_resolve_to_codes(name: str, code: str) -> None:
    assert EventFilter.parse(actor=name).actor == code
    assert QuoteFilter.parse(actor=name).actor == code
    assert ActorFilter.parse(code=name).code == code


def test_an_unknown_actor_name_is_an_error_with_a_suggestion() -> None:
    with pytest.raises(QueryError) as info:
        EventFilter.parse(source="Myanmr")
    assert info.value.number == "E074" and info.value.field == "source"
    assert "Myanmar (MMR)" in str(info.value)


@pytest.mark.parametrize("model, values, field, number, allowed", [
    (EventFilter, {"modality": "maybe"}, "modality", "E070", "hypothetical"),
    (EventFilter, {"type": "SANCTIONS"}, "type", "E070", "SANCTION"),
    (EventFilter, {"quad_class": "5"}, "quad_class", "E070", "4 (material conflict)"),
    (EventFilter, {"sort": "colour"}, "sort", "E070", "-date"),
    (EventFilter, {"date_from": "2023-13"}, "date_from", "E071", None),
    (EventFilter, {"date_to": "soon"}, "date_to", "E071", None),
    (EventFilter, {"date_from": "2024", "date_to": "2023-W13"}, "date_from", "E072", None),
    (EventFilter, {"pair": "MMR"}, "pair", "E073", None),
    (EventFilter, {"text": "x" * 201}, "text", "E073", None),
    (EventFilter, {"colour": "red"}, "colour", "E073", "modality"),
    (EventFilter, {"stated_only": "perhaps"}, "stated_only", "E070", "true"),
    (QuoteFilter, {"kind": "shouted"}, "kind", "E070", "indirect"),
    (ActorFilter, {"kind": "planet"}, "kind", "E070", "organisation"),
    (DocumentFilter, {"status": "broken"}, "status", "E070", "failed"),
    (RelationFilter, {"kind": "foo"}, "kind", "E070", "diplomatic"),
    (TimelineQuery, {"a": "MMR", "b": "PRK", "kind": "trade"}, "kind", "E070", "sanctions"),
    (TimelineQuery, {"a": "MMR", "b": "Burma"}, "b", "E073", None),
    (TimelineQuery, {"a": "MMR"}, "b", "E073", None),
])
def test_bad_values_raise_numbered_errors(model, values, field, number, allowed) -> None:
    with pytest.raises(QueryError) as info:
        model.parse(**values)
    error = info.value
    assert (error.field, error.number) == (field, number), error
    assert str(error).startswith(f"[{number}] {field}: ")
    if allowed:
        assert allowed in error.allowed and allowed in str(error)
    assert error.to_dict()["code"] == "bad_filter"


def test_relation_kinds_come_from_the_change_table() -> None:
    from legation.relations.changes import CHANGES

    assert set(query.relation_kinds()) == {kind for kind, _ in CHANGES.values()}
    assert "CONSULT" in query.event_types() and "SANCTION" in query.event_types()


def test_like_patterns_are_escaped_once() -> None:
    assert query.contains("100%_\\") == "%100\\%\\_\\\\%"
    w = QuoteFilter.parse(text="50%").where()
    assert w.params == ["%50\\%%"] and "ESCAPE" in w.sql()


EVENT_COLUMNS = ("id, doc_id, type, mode, context, cameo, quad_class, goldstei"
                 "n, source_codes, target_codes, source, target, date_value, date_text, date_defaulted, location, killed, injured, modality, attributed_to, relation, evidence_start, evidence_end, evidence_text, trigger_text, confidence, source_defaulted, target_defaulted, date_start, date_end")


# --- queries on a real store ------------------------------------------------------------------------
def _event(i: int, doc: str, date_value: str | None, source: list[str], target: list[str], **extra) -> list:
    bounds = interval(date_value) or (None, None)
    return [f"e{i}", doc, extra.get("type", "CONSULT"), None, "[]", "040", extra.get("quad", 1), extra.get("g", 1.0),
            source, target, json.dumps([{"code": c, "name": c.title()} for c in source]),
            json.dumps([{"code": c, "name": c.title()} for c in target]), date_value, None, False, None, None, None,
            extra.get("modality", "asserted"), None, None, 0, 10, extra.get("text", "officials met"), None, 0.5,
            extra.get("defaulted", False), False, *bounds]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "q.duckdb")
    s.con.execute("INSERT INTO documents (id, source_id, title, published, text, status, ingested_at) VALUES "
                  "('d1aaaaaaaaaaaaaa', 'one', 'One', DATE '2023-04-01', 'x', 'ok', now()), "
                  "('d2bbbbbbbbbbbbbb', 'two_%', 'Two', DATE '2016-01-05', 'y', 'ok', now())")
    rows = [_event(1, "d1aaaaaaaaaaaaaa", "2023-W13", ["MMR"], ["PRK"]),
            _event(2, "d1aaaaaaaaaaaaaa", "2023", ["PRK"], ["MMR"], g=-5.0, type="ACCUSE", quad=3),
            _event(3, "d1aaaaaaaaaaaaaa", "2023-05-02", ["USA"], ["CHN"], modality="hedged", text="100% sure"),
            _event(4, "d2bbbbbbbbbbbbbb", "198X", ["MMR"], ["KOR"], type="ASSAULT", quad=4, g=-10.0),
            _event(5, "d2bbbbbbbbbbbbbb", None, ["SAU"], ["IRN"], defaulted=True),
            _event(6, "d2bbbbbbbbbbbbbb", "2016-01", ["SAU"], ["IRN"], type="SANCTION", quad=4, g=-8.0)]
    s.con.executemany(f"INSERT INTO events ({EVENT_COLUMNS}) VALUES (" + ", ".join("?" * 30) + ")", rows)
    yield s
    s.close()


def _ids(store: Store, **filters) -> list[str]:
    return [r["id"] for r in query.event_rows(store.con, EventFilter.parse(**filters), "e.id")[0]]


def test_date_ranges_overlap_intervals(store: Store) -> None:
    assert set(_ids(store, date_from="2023-03", date_to="2023-04")) == {"e1", "e2"}  # the week and the year
    assert set(_ids(store, date_from="2023-04-01", date_to="2023-04-01")) == {"e1", "e2"}
    assert set(_ids(store, date_to="1985")) == {"e4"}
    assert set(_ids(store, date_from="2023-05")) == {"e2", "e3"}
    assert set(_ids(store, date_from="1980", date_to="2019")) == {"e4", "e6"}  # undated e5 never matches a range


def test_event_filters_on_the_store(store: Store) -> None:
    assert set(_ids(store, actor="Myanmar")) == {"e1", "e2", "e4"}
    assert set(_ids(store, pair="North Korea,Burma")) == {"e1", "e2"}
    assert _ids(store, source="MMR", target="PRK") == ["e1"]
    assert _ids(store, text="100%") == ["e3"] and _ids(store, text="10_") == []
    assert set(_ids(store, doc="two_%")) == {"e4", "e5", "e6"}
    with pytest.raises(NotFoundError):  # "_" is a character of the id, not a wildcard
        _ids(store, doc="two__")
    assert set(_ids(store, doc="d2bb")) == {"e4", "e5", "e6"}
    assert "e5" not in _ids(store, stated_only=True) and "e5" in _ids(store)
    assert _ids(store, sort="-goldstein")[-1] == "e4" and _ids(store, sort="goldstein")[0] == "e4"
    with pytest.raises(NotFoundError, match="E075"):
        _ids(store, doc="zzzz")
    assert query.count_events(store.con, EventFilter.parse(quad_class=4)) == 2


def test_keyset_pages_cover_every_row_once(store: Store) -> None:
    for sort in ("date", "-date", "goldstein", "-type", "source"):
        flt = EventFilter.parse(sort=sort)
        seen, after = [], None
        while True:
            page, after = query.list_events(store.con, flt, 2, after)
            seen += [r["id"] for r in page]
            if after is None:
                break
        assert sorted(seen) == sorted(_ids(store)) and seen == _ids(store, sort=sort), sort


def test_exports_are_flat_and_complete(store: Store, tmp_path: Path) -> None:
    import io

    import pandas as pd

    flt = EventFilter.parse(actor="MMR")
    csv_bytes = b"".join(query.export_stream(store.con, flt, "csv", batch_rows=1))
    table = pd.read_csv(io.BytesIO(csv_bytes))
    assert len(table) == query.count_events(store.con, flt) == 3
    assert set(table["Actor1Name"]) == {"Mmr", "Prk"} and "Actor2Codes" in table.columns
    parquet = pd.read_parquet(io.BytesIO(b"".join(query.export_stream(store.con, flt, "parquet", batch_rows=2))))
    assert list(parquet.columns) == list(table.columns) and len(parquet) == 3
    assert query.write_export(store.con, flt, "parquet", str(tmp_path / "x.parquet")) == 3
    assert len(pd.read_parquet(tmp_path / "x.parquet")) == 3


def test_migration_fills_interval_columns(old_store) -> None:
    from legation.store import SCHEMA_VERSION

    con, path = old_store(5)
    con.execute("INSERT INTO events (id, doc_id, date_value) VALUES ('a', 'd', '2023-W13'), ('b', 'd', '198X'), "
                "('c', 'd', NULL), ('d', 'd', 'PRESENT_REF'), ('e', 'd', '2000-W7'), ('f', 'd', '2023-W13')")
    con.close()
    with Store(path) as s:
        assert s.schema_version() == SCHEMA_VERSION >= 6
        got = {r["id"]: (r["date_start"], r["date_end"]) for r in s.query("SELECT id, date_start, date_end FROM events")}
    assert got == {"a": interval("2023-W13"), "b": interval("198X"), "c": (None, None), "d": (None, None),
                   "e": (date(2000, 2, 14), date(2000, 2, 20)), "f": interval("2023-W13")}


def test_quote_and_document_pages_cover_every_row_once(store: Store) -> None:
    store.con.execute("INSERT INTO documents (id, source_id, title, published, text, status, ingested_at) VALUES "
                      "('d3cccccccccccccc', 'three', 'Three', NULL, 'z', 'ok', now())")
    store.con.execute("INSERT INTO quotes (doc_id, idx, start_char, end_char, content) SELECT "
                      "['d1aaaaaaaaaaaaaa', 'd2bbbbbbbbbbbbbb', 'd3cccccccccccccc'][1 + i % 3], i, 0, 1, 'q' || i "
                      "FROM range(11) r(i)")
    seen, after = [], None
    while True:
        page, after = query.list_quotes(store.con, QuoteFilter.parse(), 2, after)
        seen += [(q["doc_id"], q["idx"]) for q in page]
        if after is None:
            break
    assert len(seen) == len(set(seen)) == 11
    assert [d for d, _ in seen] == sorted((d for d, _ in seen), key=["d2bbbbbbbbbbbbbb", "d1aaaaaaaaaaaaaa",
                                                                    "d3cccccccccccccc"].index)  # 2016, 2023, undated
    docs, after = [], None
    while True:
        page, after = query.list_documents(store.con, DocumentFilter.parse(), 1, after)
        docs += [d["id"] for d in page]
        if after is None:
            break
    assert docs == ["d2bbbbbbbbbbbbbb", "d1aaaaaaaaaaaaaa", "d3cccccccccccccc"]


def test_actor_summary_follows_loads_and_reanalysis(tmp_path: Path) -> None:
    """The writer keeps actor_summary equal to counting every mention; stores written around it fall back."""
    from legation.records import Analysis, Document

    def analysis(text: str, codes: list[str]) -> Analysis:
        actors = [{"start": 0, "end": 3, "text": c, "code": c, "sector": "GOV", "name": c.title(), "kind": "country"}
                  for c in codes]
        return Analysis(document=Document(text=text, published="2023-01-02"), actors=actors)

    def live(s: Store) -> list[tuple]:
        return [(r["code"], r["mentions"], r["documents"]) for r in
                query.rows(s.con, "SELECT code, count(*) AS mentions, count(DISTINCT doc_id) AS documents FROM actors "
                                  "GROUP BY code ORDER BY mentions DESC, code")]

    def listed(s: Store) -> list[tuple]:
        return [(r["code"], r["mentions"], r["documents"]) for r in query.list_actors(s.con, ActorFilter.parse())[0]]

    with Store(tmp_path / "s.duckdb") as s:
        s.save_analysis(analysis("one", ["MMR", "MMR", "PRK"]))
        s.save_analysis(analysis("two", ["MMR", "USA"]))
        assert query._summary_is_current(s.con) and listed(s) == live(s) == [("MMR", 3, 2), ("PRK", 1, 1), ("USA", 1, 1)]
        s.save_analysis(analysis("two", ["CHN"]))  # the same document analysed again: its old actors leave
        assert query._summary_is_current(s.con) and listed(s) == live(s) == [("MMR", 2, 1), ("CHN", 1, 1), ("PRK", 1, 1)]
        page, after = query.list_actors(s.con, ActorFilter.parse(), 2)
        rest, end = query.list_actors(s.con, ActorFilter.parse(), 2, after)
        assert [r["code"] for r in page + rest] == ["MMR", "CHN", "PRK"] and end is None
        s.con.execute("INSERT INTO actors (doc_id, idx, start_char, end_char, text, code, kind) "
                      "VALUES ('x', 0, 0, 1, 'K', 'KOR', 'country')")  # around the writer
        assert not query._summary_is_current(s.con) and ("KOR", 1, 1) in listed(s)
