"""Load check: concurrent HTTP clients against a real `legation serve` on loopback.

Builds a store of synthetic events (bench_api.build: 100,000 by default, plus relation changes
for the timeline), starts `legation serve` in its own process, and runs N concurrent clients
(asyncio + httpx, each waiting for its answer before its next request) for a bounded time over
the main read routes. With --ingest, `legation ingest --server` feeds the same server meanwhile
(reads during writes). Prints per route: requests, p50, p99, max, errors; and requests per second.
Usage:
    python benchmarks/bench_load.py [--events 100000] [--clients 20] [--seconds 30] [--ingest FILE]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from legation.store import Store  # noqa: E402

CODES = ["USA", "CHN", "RUS", "GBR", "FRA", "DEU", "IRN", "SAU", "ISR", "ARE", "QAT", "EGY", "TUR", "IND", "PAK", "PRK",
         "KOR", "JPN", "MMR", "CUB", "VEN", "COL", "BRA", "MEX", "UKR", "SYR", "IRQ", "UNO", "EUR", "NGA", "ZAF", "KEN"]
TYPES = [("CONSULT", 1, "040", 1.0), ("AGREE", 1, "030", 4.0), ("COOPERATE", 2, "061", 6.4), ("AID", 2, "070", 7.0),
         ("DEMAND", 3, "100", -5.0), ("THREATEN", 3, "130", -4.4), ("SANCTION", 4, "163", -8.0), ("ASSAULT", 4, "190", -10.0)]


def build(path: Path, n: int) -> None:
    """A store of ``n`` synthetic events over 2,000 documents (columns named: the schema may grow)."""
    def array(values: list[object]) -> str:
        return "[" + ", ".join(repr(v) for v in values) + "]"

    with Store(path) as store:
        con = store.con
        con.execute("""INSERT INTO documents (id, source_id, title, published, publisher, language, text, status,
                                              ingested_at)
                       SELECT 'doc' || lpad(CAST(i AS VARCHAR), 13, '0'), 'bench-' || i, 'Bench ' || i,
                              DATE '2000-01-01' + CAST(i * 3 AS INTEGER), 'Wire ' || (i % 7), 'en',
                              'Officials met on day ' || i || '.', 'ok', now()
                       FROM range(2000) r(i)""")
        codes, types = array(CODES), array([t[0] for t in TYPES])
        quads, cameos, goldstein = array([t[1] for t in TYPES]), array([t[2] for t in TYPES]), array([t[3] for t in TYPES])
        con.execute(f"""
            INSERT INTO events (id, doc_id, type, context, cameo, quad_class, goldstein, source_codes, target_codes,
                                source, target, date_value, date_defaulted, modality, evidence_start, evidence_end,
                                evidence_text, confidence, source_defaulted, target_defaulted, date_start, date_end)
            SELECT 'ev' || lpad(CAST(i AS VARCHAR), 8, '0'), 'doc' || lpad(CAST(i % 2000 AS VARCHAR), 13, '0'),
                   {types}[1 + t], '[]', {cameos}[1 + t], {quads}[1 + t], {goldstein}[1 + t],
                   [{codes}[1 + s]], [{codes}[1 + g]],
                   '[{{"code": "' || {codes}[1 + s] || '"}}]', '[{{"code": "' || {codes}[1 + g] || '"}}]',
                   strftime(DATE '1980-01-01' + CAST(d AS INTEGER), '%Y-%m-%d'), FALSE,
                   ['asserted', 'reported', 'hedged'][1 + i % 3], 0, 40,
                   {codes}[1 + s] || ' officials met ' || {codes}[1 + g] || ' counterparts on day ' || d || '.',
                   0.8, FALSE, FALSE, DATE '1980-01-01' + CAST(d AS INTEGER), DATE '1980-01-01' + CAST(d AS INTEGER)
            FROM (SELECT i, CAST(hash(i) % {len(TYPES)} AS BIGINT) AS t,
                         CAST(hash(i * 7 + 1) % {len(CODES)} AS BIGINT) AS s,
                         CAST((hash(i * 7 + 1) % {len(CODES)} + 1 + hash(i * 13 + 5) % {len(CODES) - 1}) % {len(CODES)}
                              AS BIGINT) AS g,
                         CAST(hash(i * 31 + 3) % 16000 AS BIGINT) AS d
                  FROM range({n}) r(i))""")
        con.execute("CHECKPOINT")

ROUTES = [
    ("events", "/api/events", {}),
    ("events pair", "/api/events", {"pair": "USA,CHN"}),
    ("events filtered", "/api/events", {"type": "CONSULT", "date_from": "2000", "date_to": "2005-06"}),
    ("timeline", "/api/timeline", {"a": "USA", "b": "CHN"}),
    ("documents", "/api/documents", {}),
    ("health", "/api/health", {}),
]
TOKEN = "bench-load-token"


def add_relations(path: Path) -> None:
    with Store(path) as store:
        store.con.execute("""
            INSERT INTO relation_changes (id, a, b, kind, change, by_code, date_value, dates, earliest_report,
                                          num_reports, num_documents, num_publishers)
            SELECT 'rc' || i, 'CHN', 'USA', 'diplomatic', CASE WHEN i % 2 = 0 THEN 'break' ELSE 'restore' END, NULL,
                   strftime(DATE '1950-01-01' + CAST(i * 400 AS INTEGER), '%Y-%m-%d'), '{}', NULL, 1, 1, 1
            FROM range(60) r(i)""")
        store.con.execute("CHECKPOINT")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def client_loop(client: httpx.AsyncClient, index: int, deadline: float,
                      results: dict[str, list[float]], errors: dict[str, int]) -> None:
    turn = index
    while time.perf_counter() < deadline:
        name, path, params = ROUTES[turn % len(ROUTES)]
        turn += 1
        begin = time.perf_counter()
        try:
            response = await client.get(path, params=params)
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        results[name].append((time.perf_counter() - begin) * 1000)
        if not ok:
            errors[name] += 1


async def run_clients(url: str, clients: int, seconds: float) -> tuple[dict[str, list[float]], dict[str, int], float]:
    results: dict[str, list[float]] = {name: [] for name, _, _ in ROUTES}
    errors = {name: 0 for name, _, _ in ROUTES}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        for name, path, params in ROUTES:  # warm up
            await client.get(path, params=params)
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(client_loop(client, i, deadline, results, errors) for i in range(clients)))
        elapsed = time.perf_counter() - started
    return results, errors, elapsed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--read-only", action="store_true", help="serve without a token (read-only connection)")
    parser.add_argument("--ingest", help="JSON Lines (or any input) to feed with `legation ingest --server` meanwhile")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "load.duckdb"
        build(path, args.events)
        add_relations(path)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "LEGATION_API_TOKEN": TOKEN}
        if args.read_only:
            env.pop("LEGATION_API_TOKEN")
        server = subprocess.Popen([sys.executable, "-m", "legation.cli", "serve", "--db", str(path), "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        feeder = None
        try:
            for _ in range(600):
                if server.poll() is not None:
                    raise SystemExit("the server stopped")
                try:
                    if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            if args.ingest:
                feeder = subprocess.Popen([sys.executable, "-m", "legation.cli", "ingest", args.ingest, "--server", url],
                                          env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            results, errors, elapsed = asyncio.run(run_clients(url, args.clients, args.seconds))
            fed = ""
            if feeder is not None:
                fed = " while `legation ingest --server` fed it" + \
                      (" (still running at the end)" if feeder.poll() is None else "")
        finally:
            if feeder is not None and feeder.poll() is None:
                feeder.terminate()
            server.terminate()
            server.wait(timeout=30)
    total = sum(len(v) for v in results.values())
    print(f"{args.clients} clients for {elapsed:.0f} s on {args.events:,} events{fed}: {total} requests, "
          f"{total / elapsed:.1f} requests/s, {sum(errors.values())} errors (load average {os.getloadavg()[0]:.1f})")
    print(f"  {'route':18s} {'requests':>8s} {'p50 ms':>8s} {'p99 ms':>8s} {'max ms':>8s} {'errors':>7s}")
    for name, values in results.items():
        print(f"  {name:18s} {len(values):8d} {statistics.median(values):8.1f} {percentile(values, 0.99):8.1f} "
              f"{max(values):8.1f} {errors[name]:7d}")


if __name__ == "__main__":
    main()
