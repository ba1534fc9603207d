"""Ingest and queries with a large store: 1,000,000 events already stored against an empty store.

1. Pre-fills a store with synthetic rows in bulk SQL (not the pipeline): documents,
   --events events over 2014-2017 with skewed actor codes (busy pairs: one in three
   events involves USA), their event clusters with counts, and relation reports merged
   into relation changes (``legation.derive``).
2. Analyses --docs real texts (PolNeAR train when present, else the sample articles)
   once, then loads the same analyses in batches of --batch with the batch writer into
   an empty store and into the full store (the store's share of the cost), and runs
   `legation ingest --workers 1` end to end over one batch of fresh texts into each
   store (parse included).
3. Times the main queries on the full store through the HTTP API (TestClient): the
   event list (first page, by actor, by pair, the next page through the cursor) and
   a relation timeline of a busy pair; median of --repeat calls.
Usage:
    python benchmarks/bench_store_growth.py [--events 1000000] [--docs 60] [--batch 30]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import load_texts  # noqa: E402

from legation import derive  # noqa: E402
from legation.records import Document  # noqa: E402
from legation.store import Store  # noqa: E402
from legation.writer import BatchWriter  # noqa: E402

CODES = ["USA", "CHN", "RUS", "GBR", "FRA", "DEU", "IRN", "SAU", "ISR", "TUR", "IND", "PAK", "PRK", "KOR", "JPN", "UKR",
         "SYR", "IRQ", "MEX", "BRA", "EGY", "QAT", "CUB", "VEN", "AFG", "NGA", "ZAF", "UNO", "EUR", "MMR"]
TYPES = [("CONSULT", 1, "040", 1.0), ("AGREE", 1, "030", 4.0), ("SUPPORT", 1, "051", 3.4), ("COOPERATE", 2, "061", 6.4),
         ("AID", 2, "070", 7.0), ("REQUEST", 3, "100", -5.0), ("ACCUSE", 3, "111", -2.0), ("REJECT", 3, "120", -4.0),
         ("THREATEN", 3, "130", -4.4), ("SANCTION", 4, "163", -8.0), ("COERCE", 4, "172", -5.0), ("ASSAULT", 4, "190", -10.0)]
WORDS = ["embassy", "ministers", "talks", "sanctions", "border", "troops", "statement", "ambassador", "summit", "treaty"]
PUBLISHERS = ["Wire", "Post", "Daily", "Times", "Herald", "Tribune", "Observer", "Courier", "Gazette", "Journal"]


def _list(values: list[str]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def prefill(path: Path, n_events: int) -> None:
    n_docs = max(1, n_events // 10)
    codes, types = _list(CODES), _list([t[0] for t in TYPES])
    quads = "[" + ", ".join(str(t[1]) for t in TYPES) + "]"
    cameos = _list([t[2] for t in TYPES])
    goldstein = "[" + ", ".join(str(t[3]) for t in TYPES) + "]"
    words, publishers = _list(WORDS), _list(PUBLISHERS)
    with Store(path) as store:
        con = store.con
        con.execute(f"""
            INSERT INTO documents (id, source_id, title, published, publisher, language, text, status, ingested_at, model)
            SELECT 'syn' || lpad(CAST(i AS VARCHAR), 13, '0'), 'syn-' || i, 'Synthetic ' || i,
                   DATE '2014-01-01' + CAST(hash(i) % 1461 AS INTEGER), {publishers}[1 + CAST(hash(i * 3) % 10 AS INTEGER)],
                   'en', 'synthetic', 'ok', now(), 'synthetic'
            FROM range({n_docs}) r(i)""")
        # codes: index 0 (USA) a third of the time, then a skew toward the first codes
        pick = "CAST(CASE WHEN hash({x}) % 3 = 0 THEN 0 ELSE floor(sqrt(hash({x} + 1) % 900)) END AS INTEGER)"
        con.execute(f"""
            CREATE TEMP TABLE syn_events AS
            SELECT i, CAST(hash(i * 5 + 2) % {len(TYPES)} AS INTEGER) AS t,
                   {pick.format(x='i * 7 + 1')} AS s,
                   ({pick.format(x='i * 7 + 1')} + 1 + CAST(hash(i * 13 + 5) % {len(CODES) - 1} AS INTEGER)) % {len(CODES)} AS g,
                   CAST(hash(i * 11) % {n_docs} AS BIGINT) AS doc, CAST(hash(i * 17) % 30 AS INTEGER) AS back,
                   i % 10 AS form
            FROM range({n_events}) r(i)""")
        con.execute(f"""
            INSERT INTO events (id, doc_id, type, mode, context, cameo, quad_class, goldstein, source_codes, target_codes,
                                source, target, date_value, date_text, date_defaulted, modality, evidence_start,
                                evidence_end, evidence_text, confidence, source_defaulted, target_defaulted, cluster_key)
            SELECT id, doc_id, type, NULL, '[]', cameo, quad, gold, [src], [tgt],
                   '[{{"code": "' || src || '"}}]', '[{{"code": "' || tgt || '"}}]', date_value, NULL, form = 0,
                   'asserted', 0, 80, evidence, 0.8, FALSE, FALSE,
                   type || '|' || src || '|' || tgt || '|' || coalesce(substr(date_value, 1, 4), '')
            FROM (
                SELECT 'sev' || lpad(CAST(e.i AS VARCHAR), 13, '0') AS id, d.id AS doc_id, {types}[1 + e.t] AS type,
                       {cameos}[1 + e.t] AS cameo, {quads}[1 + e.t] AS quad, {goldstein}[1 + e.t] AS gold,
                       {codes}[1 + e.s] AS src, {codes}[1 + e.g] AS tgt, e.form,
                       CASE WHEN e.form = 1 THEN strftime(d.published - e.back, '%Y-%m')
                            WHEN e.form = 2 THEN strftime(d.published - e.back, '%Y')
                            ELSE strftime(d.published - e.back, '%Y-%m-%d') END AS date_value,
                       {codes}[1 + e.s] || ' officials and ' || {codes}[1 + e.g] || ' counterparts: ' ||
                           {words}[1 + e.i % 10] || ' ' || {words}[1 + e.i % 7] || ' on day ' || CAST(e.back AS VARCHAR) AS evidence
                FROM syn_events e JOIN documents d ON d.id = 'syn' || lpad(CAST(e.doc AS VARCHAR), 13, '0'))""")
        # clusters in bulk: same key, date and first evidence word (the pipeline's sweep is finer)
        con.execute("""
            INSERT INTO event_clusters (cluster_id, event_id, num_mentions, num_sources, num_articles)
            SELECT md5(e.cluster_key || coalesce(e.date_value, '') || split_part(e.evidence_text, ':', 2)), e.id,
                   count(*) OVER w, count(DISTINCT d.publisher) OVER w, count(DISTINCT e.doc_id) OVER w
            FROM events e JOIN documents d ON d.id = e.doc_id
            WINDOW w AS (PARTITION BY e.cluster_key, e.date_value, split_part(e.evidence_text, ':', 2))""")
        # one relation report per 50 events, merged into relation changes by the writer's own code
        con.execute("""
            INSERT INTO relation_reports (event_id, doc_id, a, b, kind, change, by_code, date_value, date_defaulted,
                                          published, publisher, evidence_start, evidence_end, evidence_text, date_background)
            SELECT e.id, e.doc_id, least(e.source_codes[1], e.target_codes[1]), greatest(e.source_codes[1], e.target_codes[1]),
                   'diplomatic', ['break', 'restore', 'recall', 'expel'][1 + CAST(hash(e.id) % 4 AS INTEGER)],
                   e.source_codes[1], e.date_value, e.date_defaulted, d.published, d.publisher, 0, 80, e.evidence_text, FALSE
            FROM events e JOIN documents d ON d.id = e.doc_id
            WHERE hash(e.id) % 50 = 0 AND e.source_codes[1] NOT IN ('UNO', 'EUR') AND e.target_codes[1] NOT IN ('UNO', 'EUR')""")
        con.execute("BEGIN")
        derive.refresh_pairs(con, [tuple(p) for p in con.execute("SELECT DISTINCT a, b, kind FROM relation_reports").fetchall()])
        con.execute("COMMIT")
        con.execute("CHECKPOINT")


def median_ms(call, repeat: int) -> float:
    call()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--docs", type=int, default=60, help="real texts loaded in batches (the writer's share)")
    parser.add_argument("--batch", type=int, default=30, help="documents per batch")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--skip-ingest", action="store_true", help="only the writer's share and the queries")
    args = parser.parse_args()

    from legation.pipeline import Pipeline

    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "full.duckdb"
        started = time.perf_counter()
        prefill(full, args.events)
        with Store(full, read_only=True) as store:
            counts = store.counts()
            n_clusters = store.con.execute("SELECT count(DISTINCT cluster_id) FROM event_clusters").fetchone()[0]
            n_changes = store.con.execute("SELECT count(*) FROM relation_changes").fetchone()[0]
        print(f"pre-filled {counts['events']:,} events, {counts['documents_ok']:,} documents, {n_clusters:,} clusters, "
              f"{counts['relation_reports']:,} relation reports -> {n_changes:,} changes in {time.perf_counter() - started:.1f}s "
              f"({full.stat().st_size / 2**20:.0f} MB); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

        rows, origin = load_texts(args.docs + (0 if args.skip_ingest else args.batch))
        docs = [Document(text=r["text"], published=r["published"], publisher=r["publisher"], source_id=r["id"])
                for r in rows]
        pipeline = Pipeline()
        started = time.perf_counter()
        analyses = list(pipeline.analyze_documents(docs[:args.docs]))
        analyse_s = time.perf_counter() - started
        print(f"analysed {len(analyses)} texts from {origin} in {analyse_s:.1f}s "
              f"({sum(len(a.events) for a in analyses)} events)")

        empty = Path(tmp) / "empty.duckdb"
        grown = Path(tmp) / "grown.duckdb"
        shutil.copy(full, grown)
        for name, path in (("empty store", empty), ("1M store", grown)):
            with Store(path) as store:
                writer = BatchWriter(store, pipeline.model_name)
                times = []
                for b in range(0, len(analyses), args.batch):
                    started = time.perf_counter()
                    writer.write(analyses[b:b + args.batch])
                    times.append(time.perf_counter() - started)
            per_doc = 1000 * sum(times) / len(analyses)
            print(f"writer into the {name}: batches " + ", ".join(f"{t:.2f}s" for t in times)
                  + f" ({per_doc:.1f} ms/doc; the analysis took {1000 * analyse_s / len(analyses):.0f} ms/doc)")

        if not args.skip_ingest:
            from typer.testing import CliRunner

            from legation.cli import app

            batch = Path(tmp) / "batch.jsonl"
            batch.write_text("\n".join(json.dumps(r) for r in rows[args.docs:]) + "\n", encoding="utf-8")
            results = {}
            for name, path in (("empty store", Path(tmp) / "empty2.duckdb"), ("1M store", full)):
                started = time.perf_counter()
                result = CliRunner().invoke(app, ["ingest", str(batch), "--db", str(path), "--quiet", "--workers", "1"])
                results[name] = time.perf_counter() - started
                assert result.exit_code == 0, result.output
                print(f"legation ingest of {args.batch} fresh texts into the {name}: {results[name]:.1f}s")
            print(f"1M store / empty store: {results['1M store'] / results['empty store']:.2f}x")

        from fastapi.testclient import TestClient

        from legation.api import create_app

        client = TestClient(create_app(full))
        first = client.get("/api/events", params={"limit": 50})
        assert first.status_code == 200, first.text
        cursor = first.json().get("next_cursor") or first.json().get("cursor")
        scenarios = {
            "events, first page": {"limit": 50},
            "events by actor USA": {"actor": "USA", "limit": 50},
            "events by pair USA,CHN": {"pair": "USA,CHN", "limit": 50},
            "events by type and date": {"type": "SANCTION", "date_from": "2016-01-01", "date_to": "2016-03-31", "limit": 50},
        }
        if cursor:
            scenarios["events, next page (cursor)"] = {"limit": 50, "cursor": cursor}
        for label, params in scenarios.items():
            ms = median_ms(lambda p=params: client.get("/api/events", params=p).raise_for_status(), args.repeat)
            print(f"GET /api/events {label}: {ms:.0f} ms")
        for a, b in (("CHN", "USA"), ("IRN", "SAU")):
            ms = median_ms(lambda a=a, b=b: client.get("/api/timeline", params={"a": a, "b": b}).raise_for_status(),
                           args.repeat)
            print(f"GET /api/timeline {a}-{b}: {ms:.0f} ms")
        from legation.export import EventFilter, list_events

        with Store(full, read_only=True) as store:
            flt = EventFilter()
            flt.pair = ("USA", "CHN")
            ms = median_ms(lambda: list_events(store, flt, limit=100), args.repeat)
            print(f"legation events --pair USA,CHN (first 100, export query with counts): {ms:.0f} ms")


if __name__ == "__main__":
    main()
