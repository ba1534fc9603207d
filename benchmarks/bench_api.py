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

def build(path: Path, n: int) -> None:
    """The synthetic store of bench_queries.py (documents, events at every date precision, quotes, actors)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_queries import build as fill

    fill(path, n)


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
            "q=embassy&modality=hedged": {"q": "embassy", "modality": "hedged"},
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
