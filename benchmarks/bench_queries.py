"""Query times with 1,000,000 events stored: event lists, totals, quotes, actors, timelines.

Fills a store in a temporary folder with synthetic rows written by SQL (no parsing): documents,
events with realistic codes, types, modalities and dates at every precision (days, months,
years, ISO weeks, decades), quotes, actor mentions and relation changes, then times the queries
the CLI, the API and the page run, through the one query layer (``legation.query``) and through
the HTTP API (FastAPI's TestClient, so JSON encoding is counted). Target: every query under 100 ms.

Usage:
    python benchmarks/bench_queries.py [--events 1000000] [--repeat 15] [--keep store.duckdb]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

CODES = ["USA", "CHN", "RUS", "GBR", "FRA", "DEU", "IRN", "SAU", "ISR", "ARE", "QAT", "BHR", "EGY", "TUR", "IND", "PAK",
         "PRK", "KOR", "JPN", "MMR", "CUB", "VEN", "COL", "BRA", "MEX", "NIC", "HND", "MAR", "DZA", "UKR", "SYR", "IRQ",
         "UNO", "EUR", "NGA", "ZAF", "KEN", "ETH", "AFG", "BOL"]
TYPES = [("CONSULT", 1, "040", 1.0), ("AGREE", 1, "030", 4.0), ("SUPPORT", 1, "051", 3.4), ("COOPERATE", 2, "061", 6.4),
         ("AID", 2, "070", 7.0), ("REQUEST", 3, "100", -5.0), ("ACCUSE", 3, "111", -2.0), ("REJECT", 3, "120", -4.0),
         ("THREATEN", 3, "130", -4.4), ("SANCTION", 4, "163", -8.0), ("COERCE", 4, "172", -5.0), ("ASSAULT", 4, "190", -10.0)]
MODALITIES = ["asserted", "asserted", "asserted", "asserted", "hedged", "hypothetical", "future", "negated"]
WORDS = ["embassy", "ministers", "talks", "sanctions", "border", "troops", "statement", "ambassador", "summit", "treaty"]
SPEAKERS = ["Ali Khamenei", "Antony Blinken", "Wang Yi", "Sergei Lavrov", "a senior official", "the spokesman",
            "Kim Yo Jong", "Min Aung Hlaing", "a diplomat", "the foreign ministry"]


def _list(values: list[Any]) -> str:
    return "[" + ", ".join(f"'{v}'" if isinstance(v, str) else str(v) for v in values) + "]"


def build(path: Path, n: int, events_per_doc: int = 10) -> dict[str, int]:
    """A store with ``n`` events, n/10 documents, n/3 quotes, 2n actor mentions, n/100 relation changes."""
    from legation.dates import interval_sql
    from legation.store import Store

    docs = max(1, n // events_per_doc)
    codes, types = _list(CODES), _list([t[0] for t in TYPES])
    quads, cameos, gold = _list([t[1] for t in TYPES]), _list([t[2] for t in TYPES]), _list([t[3] for t in TYPES])
    start, end = interval_sql("v")
    with Store(path) as store:
        con = store.con
        con.execute("SET enable_progress_bar = false")
        con.execute(f"""
            INSERT INTO documents (id, source_id, title, url, published, publisher, language, text, status, ingested_at)
            SELECT lpad(to_hex(i), 16, '0'), 'bench-' || i, 'Bench article ' || i, 'https://example.org/' || i,
                   DATE '1990-01-01' + CAST(i * 12000 // {docs} AS INTEGER), 'Wire ' || (i % 25), 'en',
                   'text of article ' || i, 'ok', TIMESTAMP '2024-01-01'
            FROM range({docs}) r(i)""")
        con.execute(f"""
            INSERT INTO events (id, doc_id, type, mode, context, cameo, quad_class, goldstein, source_codes, target_codes,
                                source, target, date_value, date_text, date_defaulted, modality, evidence_start,
                                evidence_end, evidence_text, trigger_text, confidence, source_defaulted,
                                target_defaulted, date_start, date_end)
            SELECT id, doc_id, {types}[1 + t], NULL, '[]', {cameos}[1 + t], {quads}[1 + t], {gold}[1 + t],
                   [{codes}[1 + s]], [{codes}[1 + g]],
                   '[{{"code": "' || {codes}[1 + s] || '", "name": "' || {codes}[1 + s] || ' government"}}]',
                   '[{{"code": "' || {codes}[1 + g] || '", "name": "' || {codes}[1 + g] || ' government"}}]',
                   v, NULL, i % 10 = 0, {_list(MODALITIES)}[1 + i % {len(MODALITIES)}], 0, 80,
                   {codes}[1 + s] || ' officials met ' || {codes}[1 + g] || ' counterparts about the ' ||
                       {_list(WORDS)}[1 + i % 10] || ' on day ' || CAST(d AS VARCHAR) || '.',
                   'met', 0.8, i % 17 = 0, FALSE, {start}, {end}
            FROM (
                SELECT i, 'ev' || lpad(CAST(i AS VARCHAR), 8, '0') AS id, lpad(to_hex(i // {events_per_doc}), 16, '0') AS doc_id,
                       t, s, g, d,
                       CASE i % 20 WHEN 0 THEN NULL
                            WHEN 1 THEN strftime(DATE '1980-01-01' + CAST(d AS INTEGER), '%Y')
                            WHEN 2 THEN strftime(DATE '1980-01-01' + CAST(d AS INTEGER), '%Y') || '-W' ||
                                        lpad(CAST(1 + d % 52 AS VARCHAR), 2, '0')
                            WHEN 3 THEN substr(strftime(DATE '1980-01-01' + CAST(d AS INTEGER), '%Y'), 1, 3) || 'X'
                            WHEN 4 THEN strftime(DATE '1980-01-01' + CAST(d AS INTEGER), '%Y-%m-%d')
                            WHEN 5 THEN strftime(DATE '1980-01-01' + CAST(d AS INTEGER), '%Y-%m-%d')
                            ELSE strftime(DATE '1980-01-01' + CAST(d AS INTEGER), '%Y-%m') END AS v
                FROM (SELECT i, CAST(hash(i) % {len(TYPES)} AS BIGINT) AS t,
                             CAST(hash(i * 7 + 1) % {len(CODES)} AS BIGINT) AS s,
                             CAST((hash(i * 7 + 1) % {len(CODES)} + 1 + hash(i * 13 + 5) % {len(CODES) - 1})
                                  % {len(CODES)} AS BIGINT) AS g,
                             CAST(i * 16000 // {n} AS BIGINT) AS d
                      FROM range({n}) r(i)))""")
        con.execute(f"""
            INSERT INTO quotes (doc_id, idx, start_char, end_char, content, direct, partial, cue, speaker_entity,
                                speaker_text, speaker_name, anonymous, speaker_code, speaker_sector)
            SELECT lpad(to_hex(i // 3), 16, '0'), i % 3, 0, 40,
                   'We will not accept the ' || {_list(WORDS)}[1 + i % 10] || ' number ' || i, i % 2 = 0, FALSE, 'said',
                   'E' || (i % 3), sp, CASE WHEN sp LIKE 'a %' OR sp LIKE 'the %' THEN NULL ELSE sp END,
                   sp LIKE 'a %', {codes}[1 + CAST(hash(i) % {len(CODES)} AS BIGINT)], 'GOV'
            FROM (SELECT i, {_list(SPEAKERS)}[1 + CAST(hash(i * 3) % {len(SPEAKERS)} AS BIGINT)] AS sp
                  FROM range({n // 3}) r(i))""")
        con.execute(f"""
            INSERT INTO actors (doc_id, idx, start_char, end_char, text, code, sector, name, entity, kind)
            SELECT lpad(to_hex(i // 20), 16, '0'), i % 20, 0, 7, c, c, CASE WHEN i % 3 = 0 THEN 'GOV' ELSE NULL END,
                   c || ' government', NULL, CASE WHEN i % 11 = 0 THEN 'location' WHEN i % 7 = 0 THEN 'person'
                                                   ELSE 'country' END
            FROM (SELECT i, {codes}[1 + CAST(hash(i * 5) % {len(CODES)} AS BIGINT)] AS c
                  FROM range({2 * n}) r(i))""")
        from legation.query import update_actor_summary

        update_actor_summary(con, "actors", 1)  # as the batch writer keeps it
        con.execute(f"""
            INSERT INTO relation_changes (id, a, b, kind, change, by_code, date_value, dates, earliest_report,
                                          num_reports, num_documents, num_publishers)
            SELECT 'rc' || i, least(a, b), greatest(a, b), CASE WHEN i % 4 = 0 THEN 'sanctions' ELSE 'diplomatic' END,
                   CASE WHEN i % 4 = 0 THEN 'impose_sanctions' WHEN i % 2 = 0 THEN 'break' ELSE 'restore' END,
                   a, strftime(DATE '1980-01-01' + CAST(i * 16000 // {max(1, n // 100)} AS INTEGER), '%Y-%m-%d'),
                   '{{}}', DATE '1980-01-02' + CAST(i * 16000 // {max(1, n // 100)} AS INTEGER), 3, 2, 2
            FROM (SELECT i, {codes}[1 + CAST(hash(i) % 8 AS BIGINT)] AS a,
                         {codes}[9 + CAST(hash(i * 3) % 8 AS BIGINT)] AS b FROM range({max(1, n // 100)}) r(i))""")
        con.execute("CHECKPOINT")
        return store.counts()


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, float, Any]:
    """Median and 95th percentile wall time, and median CPU time of this process (all its threads), in ms.

    On a loaded machine wall time counts the wait for a core; CPU time is what the query costs."""
    fn()  # warm
    times, cpu = [], []
    result = None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))], statistics.median(cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", type=Path, help="Build (or reuse) the store at this path instead of a temporary one.")
    parser.add_argument("--no-api", action="store_true", help="Only the query layer, not the HTTP routes.")
    args = parser.parse_args()

    import duckdb

    from legation import query as q
    from legation.query import ActorFilter, EventFilter, QuoteFilter, RelationFilter, TimelineQuery
    from legation.store import Store

    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "bench.duckdb"
        started = time.perf_counter()
        if args.keep is None or not path.exists():
            counts = build(path, args.events)
        else:
            with Store(path) as store:
                counts = store.counts()
        print(f"store: {counts['events']:,} events, {counts['documents_ok']:,} documents, {counts['quotes']:,} quotes, "
              f"{counts['actors']:,} actor mentions (ready in {time.perf_counter() - started:.1f}s)")
        store = Store(path, read_only=True)
        con: duckdb.DuckDBPyConnection = store.con
        con.execute("SET enable_progress_bar = false")
        deep: dict[str, Any] = {}

        def deep_page() -> Any:  # page 21 of 50: follow the keyset from page 20's key
            flt = EventFilter.parse()
            after = None
            if "key" not in deep:
                for _ in range(20):
                    _, after = q.list_events(con, flt, 50, after)
                deep["key"] = after
            return q.list_events(con, flt, 50, deep["key"])

        cases: list[tuple[str, Callable[[], Any]]] = [
            ("events: first page (50)", lambda: q.list_events(con, EventFilter.parse(), 50)),
            ("events: total (count of all)", lambda: q.count_events(con, EventFilter.parse())),
            ("events: actor=Myanmar page + total", lambda: (q.list_events(con, EventFilter.parse(actor="Myanmar"), 50),
                                                            q.count_events(con, EventFilter.parse(actor="Myanmar")))),
            ("events: pair=USA,CHN page + total", lambda: (q.list_events(con, EventFilter.parse(pair="USA,CHN"), 50),
                                                           q.count_events(con, EventFilter.parse(pair="USA,CHN")))),
            ("events: type+quad page", lambda: q.list_events(con, EventFilter.parse(type="SANCTION", quad_class=4), 50)),
            ("events: 2003-03..2003-04 page + total",
             lambda: (q.list_events(con, EventFilter.parse(date_from="2003-03", date_to="2003-04"), 50),
                      q.count_events(con, EventFilter.parse(date_from="2003-03", date_to="2003-04")))),
            ("events: text 'embassy' + hedged page", lambda: q.list_events(con, EventFilter.parse(text="embassy", modality="hedged"), 50)),
            ("events: sort -goldstein page", lambda: q.list_events(con, EventFilter.parse(sort="-goldstein"), 50)),
            ("events: page 21 by cursor", deep_page),
            ("events: one document", lambda: q.list_events(con, EventFilter.parse(doc="bench-2748"), 50)),
            ("quotes: first page (50)", lambda: q.list_quotes(con, QuoteFilter.parse(), 50)),
            ("quotes: speaker 'Lavrov' page", lambda: q.list_quotes(con, QuoteFilter.parse(speaker="Lavrov"), 50)),
            ("quotes: actor=Iran page + total", lambda: (q.list_quotes(con, QuoteFilter.parse(actor="Iran"), 50),
                                                         q.count_quotes(con, QuoteFilter.parse(actor="Iran")))),
            ("actors: first page (50)", lambda: q.list_actors(con, ActorFilter.parse(), 50)),
            ("actors: code=MMR", lambda: q.list_actors(con, ActorFilter.parse(code="Myanmar"), 50)),
            ("actors: name contains 'gov'", lambda: q.list_actors(con, ActorFilter.parse(name="gov"), 50)),
            ("timeline: USA-IRN diplomatic", lambda: q.timeline(store, TimelineQuery.parse(a="USA", b="IRN"))),
            ("relations: actor=USA", lambda: q.list_relations(con, RelationFilter.parse(actor="USA"))),
        ]
        results = []
        import os

        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; DuckDB threads: "
              f"{con.execute('SELECT current_setting(?)', ['threads']).fetchall()[0][0]}")
        print(f"query layer ({args.repeat} runs each, after one warm-up):")
        for name, fn in cases:
            median, p95, cpu, _ = timed(fn, args.repeat)
            flag = "" if median < 100 else "   <- over 100 ms"
            print(f"  {name:40s} median {median:7.1f} ms   p95 {p95:7.1f} ms   cpu {cpu:7.1f} ms{flag}", flush=True)
        store.close()
        if args.no_api:
            return
        from fastapi.testclient import TestClient

        from legation.api import create_app

        client = TestClient(create_app(path))
        routes = [("GET /api/events", "/api/events", {}),
                  ("GET /api/events?actor=Myanmar", "/api/events", {"actor": "Myanmar"}),
                  ("GET /api/events?date 2003-03..04", "/api/events", {"date_from": "2003-03", "date_to": "2003-04"}),
                  ("GET /api/events?sort=-goldstein", "/api/events", {"sort": "-goldstein"}),
                  ("GET /api/quotes", "/api/quotes", {}),
                  ("GET /api/actors", "/api/actors", {}),
                  ("GET /api/timeline?a=USA&b=IRN", "/api/timeline", {"a": "USA", "b": "IRN"})]
        print("HTTP API (TestClient, JSON encoding included):")
        for name, route, params in routes:
            median, p95, cpu, response = timed(lambda: client.get(route, params=params), args.repeat)
            assert response.status_code == 200, response.text
            flag = "" if median < 100 else "   <- over 100 ms"
            print(f"  {name:40s} median {median:7.1f} ms   p95 {p95:7.1f} ms   cpu {cpu:7.1f} ms{flag}", flush=True)
        t0 = time.perf_counter()
        with client.stream("GET", "/api/events.csv", params={"actor": "MMR"}) as response:
            size = sum(len(chunk) for chunk in response.iter_bytes())
        total = client.get("/api/events", params={"actor": "MMR", "limit": 1}).json()["total"]
        print(f"  export /api/events.csv?actor=MMR: {total:,} rows, {size / 1e6:.1f} MB in "
              f"{time.perf_counter() - t0:.1f}s (streamed)")


if __name__ == "__main__":
    main()
