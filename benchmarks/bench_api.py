"""Response time of the event list route over a store of 100,000 events.

Builds a store in a temporary folder (two documents, synthetic events with realistic
codes, types and dates written straight into the events table), then times the
/api/events route with FastAPI's TestClient: the first page, filtered pages and deep
pages reached through the cursor. Target: median under 100 ms. Usage:
    python benchmarks/bench_api.py [--events 100000] [--requests 200]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from legation.api import create_app
from legation.store import Store

CODES = ["USA", "CHN", "RUS", "GBR", "FRA", "DEU", "IRN", "SAU", "ISR", "ARE", "QAT", "BHR", "EGY", "TUR", "IND", "PAK",
         "PRK", "KOR", "JPN", "MMR", "CUB", "VEN", "COL", "BRA", "MEX", "NIC", "HND", "MAR", "DZA", "UKR", "SYR", "IRQ",
         "UNO", "EUR", "NGA", "ZAF", "KEN", "ETH", "AFG", "BOL"]
TYPES = [("CONSULT", 1, "040", 1.0), ("AGREE", 1, "030", 4.0), ("SUPPORT", 1, "051", 3.4), ("COOPERATE", 2, "061", 6.4),
         ("AID", 2, "070", 7.0), ("DEMAND", 3, "100", -5.0), ("DISAPPROVE", 3, "111", -2.0), ("REJECT", 3, "120", -4.0),
         ("THREATEN", 3, "130", -4.4), ("SANCTION", 4, "163", -8.0), ("COERCE", 4, "172", -5.0), ("ASSAULT", 4, "190", -10.0)]
WORDS = ["embassy", "ministers", "talks", "sanctions", "border", "troops", "statement", "ambassador", "summit", "treaty"]


def build(path: Path, n: int) -> None:
    with Store(path) as store:
        con = store.con
        con.execute("INSERT INTO documents (id, source_id, title, published, publisher, text, status, ingested_at) VALUES "
                    "('doc0000000000001', 'bench-1', 'Bench one', DATE '2023-09-14', 'Bench Wire', 'x', 'ok', now()), "
                    "('doc0000000000002', 'bench-2', 'Bench two', DATE '2016-01-04', 'Bench Daily', 'y', 'ok', now())")
        codes = "[" + ", ".join(f"'{c}'" for c in CODES) + "]"
        types = "[" + ", ".join(f"'{t[0]}'" for t in TYPES) + "]"
        quads = "[" + ", ".join(str(t[1]) for t in TYPES) + "]"
        cameos = "[" + ", ".join(f"'{t[2]}'" for t in TYPES) + "]"
        goldstein = "[" + ", ".join(str(t[3]) for t in TYPES) + "]"
        words = "[" + ", ".join(f"'{w}'" for w in WORDS) + "]"
        modalities = "['asserted', 'asserted', 'asserted', 'reported', 'hedged', 'denied', 'hypothetical']"
        con.execute(f"""
            INSERT INTO events
            SELECT
                'ev' || lpad(CAST(i AS VARCHAR), 8, '0') || '-' || substr(md5(CAST(i AS VARCHAR)), 1, 6),
                CASE WHEN i % 2 = 0 THEN 'doc0000000000001' ELSE 'doc0000000000002' END,
                {types}[1 + t], NULL, '[]', {cameos}[1 + t], {quads}[1 + t], {goldstein}[1 + t],
                [{codes}[1 + s]], [{codes}[1 + g]],
                '[{{"code": "' || {codes}[1 + s] || '"}}]', '[{{"code": "' || {codes}[1 + g] || '"}}]',
                CASE WHEN i % 10 = 0 THEN NULL
                     WHEN i % 10 = 1 THEN strftime(DATE '1980-01-01' + CAST(d AS INTEGER), '%Y-%m')
                     WHEN i % 10 = 2 THEN strftime(DATE '1980-01-01' + CAST(d AS INTEGER), '%Y')
                     ELSE strftime(DATE '1980-01-01' + CAST(d AS INTEGER), '%Y-%m-%d') END,
                NULL, i % 10 = 0, NULL, NULL, NULL, {modalities}[1 + i % 7], NULL, NULL, 0, 120,
                {codes}[1 + s] || ' officials met ' || {codes}[1 + g] || ' counterparts about the ' ||
                    {words}[1 + i % 10] || ' on day ' || CAST(d AS VARCHAR) || '.',
                NULL, 0.8, FALSE, FALSE, NULL, NULL, NULL
            FROM (SELECT i, CAST(hash(i) % {len(TYPES)} AS BIGINT) AS t,
                         CAST(hash(i * 7 + 1) % {len(CODES)} AS BIGINT) AS s,
                         CAST((hash(i * 7 + 1) % {len(CODES)} + 1 + hash(i * 13 + 5) % {len(CODES) - 1}) % {len(CODES)}
                              AS BIGINT) AS g,
                         CAST(hash(i * 31 + 3) % 16000 AS BIGINT) AS d
                  FROM range({n}) r(i))
        """)
        con.execute("CHECKPOINT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="Timed requests in all (spread over the scenarios).")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.duckdb"
        started = time.perf_counter()
        build(path, args.events)
        built_s = time.perf_counter() - started
        client = TestClient(create_app(path))
        count = client.get("/api/health").json()["counts"]["events"]
        scenarios = {
            "first page": {},
            "first page, limit 500": {"limit": 500},
            "actor=USA": {"actor": "USA"},
            "pair=USA,CHN": {"pair": "USA,CHN"},
            "type=CONSULT&quad_class=1": {"type": "CONSULT", "quad_class": 1},
            "date 2000..2005-06": {"date_from": "2000", "date_to": "2005-06"},
            "q=embassy&modality=reported": {"q": "embassy", "modality": "reported"},
            "source=IRN&target=SAU": {"source": "IRN", "target": "SAU"},
        }
        per = max(1, args.requests // (len(scenarios) + 1))
        for params in scenarios.values():  # warm up
            client.get("/api/events", params=params)
        results: dict[str, list[float]] = {}
        for name, params in scenarios.items():
            times = []
            for _ in range(per):
                t0 = time.perf_counter()
                response = client.get("/api/events", params=params)
                times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, response.text
            results[name] = times
        # deep pages: follow the cursor from the start
        times = []
        cursor = None
        for _ in range(per):
            params = {"cursor": cursor} if cursor else {}
            t0 = time.perf_counter()
            response = client.get("/api/events", params=params)
            times.append((time.perf_counter() - t0) * 1000)
            cursor = response.json()["next_cursor"]
        results[f"pages 1..{per} through the cursor"] = times
        every = [t for ts in results.values() for t in ts]
        print(f"store: {count:,} events (built in {built_s:.1f}s); {len(every)} timed requests of /api/events")
        for name, ts in results.items():
            ts_sorted = sorted(ts)
            p95 = ts_sorted[min(len(ts_sorted) - 1, int(0.95 * len(ts_sorted)))]
            print(f"  {name:36s} median {statistics.median(ts):6.1f} ms   p95 {p95:6.1f} ms")
        median = statistics.median(every)
        print(f"overall median {median:.1f} ms (target < 100 ms): {'ok' if median < 100 else 'SLOW'}")


if __name__ == "__main__":
    main()
