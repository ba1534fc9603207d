"""Response times of the web page's aggregate routes (legation/api/overview.py) over a large store.

Builds the store of bench_api.py (synthetic events), adds one actor mention per event and a
place to every tenth event, then times /api/overview, /api/overview/places, /api/actor-index
and /api/actor-index/{code} with FastAPI's TestClient (median of a few requests each).
Usage: python benchmarks/bench_web.py [--events 1000000] [--requests 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import build  # noqa: E402

from legation.api import create_app  # noqa: E402
from legation.store import Store  # noqa: E402

PLACES = [("Beijing", "CHN", 39.9, 116.4), ("Tehran", "IRN", 35.7, 51.4), ("Gaza", "PSE", None, None),
          ("Caracas", "VEN", 10.5, -66.9), ("Kyiv", "UKR", 50.45, 30.5)]


def add_actors_and_places(path: Path) -> None:
    with Store(path) as store:
        con = store.con
        con.execute("INSERT INTO actors (doc_id, idx, start_char, end_char, text, code, name, kind) "
                    "SELECT doc_id, CAST(row_number() OVER () AS INTEGER), 0, 3, source_codes[1], source_codes[1], "
                    "source_codes[1] || ' name', 'country' FROM events")
        cases = " ".join(f"WHEN {i} THEN '{{\"text\": \"{t}\", \"code\": \"{c}\"" +
                         (f", \"latitude\": {la}, \"longitude\": {lo}" if la is not None else "") + "}'"
                         for i, (t, c, la, lo) in enumerate(PLACES))
        con.execute(f"UPDATE events SET location = CASE CAST(hash(id) % {len(PLACES)} AS INTEGER) {cases} END "
                    "WHERE hash(id) % 10 = 0")
        con.execute("CHECKPOINT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.duckdb"
        started = time.perf_counter()
        build(path, args.events)
        add_actors_and_places(path)
        print(f"store: {args.events:,} events, {args.events:,} actor mentions (built in {time.perf_counter() - started:.1f}s)")
        client = TestClient(create_app(path))
        routes = {
            "/api/overview": {}, "/api/overview?by=type&interval=month": {}, "/api/overview?actor=USA": {},
            "/api/overview/places": {}, "/api/overview/places?type=ASSAULT": {},
            "/api/actor-index": {}, "/api/actor-index?q=iran": {}, "/api/actor-index/USA": {},
        }
        for route in routes:
            assert client.get(route).status_code == 200  # warm up (the gazetteer loads on the first places call)
            times = []
            for _ in range(args.requests):
                t0 = time.perf_counter()
                response = client.get(route)
                times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, response.text
            print(f"  {route:42s} median {statistics.median(times):7.1f} ms")


if __name__ == "__main__":
    main()
