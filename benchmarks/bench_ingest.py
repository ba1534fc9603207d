"""`legation ingest` end to end, store included, against a bare `nlp.pipe` of the same texts.

In one run: parse N real texts with the same spaCy pipeline (`nlp.pipe`, nothing else),
then ingest the same texts with the `legation ingest` command into a fresh DuckDB store
in several batches (one JSON Lines file per batch), and print each batch's time, its
ratio to the parse of the same documents, and how the last batch compares with the
first (the store grows between them).

Texts: ../shared/eval/polnear/train/text (publisher and date from metadata.tsv) when
present, else the bundled sample articles; repeated (each copy made distinct) beyond the
corpus. Peak memory is sampled over the whole process tree (the workers included). Usage:
    python benchmarks/bench_ingest.py [--docs 120] [--batches 4] [--workers 1] [--model NAME] [--skip-parse]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import tempfile
import threading
import time
from pathlib import Path

from typer.testing import CliRunner

from legation.cli import app
from legation.ingest import sample_articles_path
from legation.model import load_model

POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear"


def load_texts(n: int) -> tuple[list[dict[str, str | None]], str]:
    folder = POLNEAR / "train" / "text"
    if folder.is_dir():
        meta: dict[str, dict[str, str]] = {}
        metadata = POLNEAR / "metadata.tsv"
        if metadata.exists():
            with metadata.open(encoding="utf-8") as handle:
                meta = {row["filename"]: row for row in csv.DictReader(handle, delimiter="\t")}
        rows = []
        paths = sorted(folder.glob("*.txt"))
        for i in range(n):  # more texts than the corpus has: repeated, each copy a distinct text
            path = paths[i % len(paths)]
            info = meta.get(path.stem, {})
            copy = i // len(paths)
            rows.append({"id": path.stem + (f"-{copy}" if copy else ""),
                         "text": path.read_text(encoding="utf-8") + (f"\n\n(copy {copy})" if copy else ""),
                         "publisher": info.get("publisher") or path.stem.split("_")[0],
                         "published": info.get("publication_date") or path.stem.split("_")[1]})
        return rows, str(folder)
    samples = [json.loads(line) for line in sample_articles_path().read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = []
    for i in range(n):  # repeated samples get distinct texts (the store skips identical ones)
        sample = samples[i % len(samples)]
        rows.append({"id": f"s{i}", "text": sample["text"] + f"\n\n(copy {i})", "publisher": sample.get("publisher"),
                     "published": sample.get("published")})
    return rows, "bundled sample articles"


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    pids = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                for child in handle.read().split():
                    pids += _tree(int(child))
    except OSError:
        pass
    return pids


class MemorySampler(threading.Thread):
    """The peak of the summed resident memory of this process and its children (workers)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(p) for p in _tree(os.getpid())))
            time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=120, help="number of texts")
    parser.add_argument("--batches", type=int, default=4, help="ingest calls, each over docs/batches texts")
    parser.add_argument("--workers", type=int, default=None, help="pass --workers to legation ingest")
    parser.add_argument("--model", default=None)
    parser.add_argument("--skip-parse", action="store_true", help="do not time the bare parse")
    args = parser.parse_args()

    rows, origin = load_texts(args.docs)
    n = len(rows)
    chars = sum(len(r["text"] or "") for r in rows)
    nlp = load_model(args.model)
    print(f"{n} texts from {origin}, {chars / n:.0f} characters each on average; model {nlp.meta['name']}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    list(nlp.pipe([r["text"] for r in rows[:4]]))  # warm up

    size = -(-n // args.batches)
    batches = [rows[b * size:(b + 1) * size] for b in range(args.batches) if rows[b * size:(b + 1) * size]]
    parse_s = parse_cpu = 0.0
    batch_parse: list[tuple[float, float]] = []  # (wall, CPU) of the bare parse of each batch's texts
    if not args.skip_parse:
        for batch in batches:
            started, cpu = time.perf_counter(), _cpu()
            for _ in nlp.pipe((r["text"] for r in batch), batch_size=32):
                pass
            batch_parse.append((time.perf_counter() - started, _cpu() - cpu))
        parse_s, parse_cpu = sum(p[0] for p in batch_parse), sum(p[1] for p in batch_parse)
        print(f"bare nlp.pipe: {parse_s:.1f}s ({1000 * parse_s / n:.0f} ms/doc); CPU {parse_cpu:.1f}s")

    runner = CliRunner()
    sampler = MemorySampler()
    sampler.start()
    times: list[float] = []
    cpu_times: list[float] = []
    cpu_start = _cpu()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.duckdb")
        for b, batch in enumerate(batches):
            path = Path(tmp) / f"batch{b}.jsonl"
            path.write_text("\n".join(json.dumps(r) for r in batch) + "\n", encoding="utf-8")
            command = ["ingest", str(path), "--db", db, "--quiet"]
            if args.model:
                command += ["--model", args.model]
            if args.workers is not None:
                command += ["--workers", str(args.workers)]
            started, cpu = time.perf_counter(), _cpu()
            result = runner.invoke(app, command, catch_exceptions=False)
            seconds = time.perf_counter() - started
            cpu_times.append(_cpu() - cpu)
            if result.exit_code != 0:
                raise SystemExit(f"ingest failed: {result.output}")
            times.append(seconds)
            share, cpu_share = batch_parse[b] if batch_parse else (0.0, 0.0)
            ratio = f", {seconds / share:.2f}x its parse" if share else ""
            cpu_ratio = f" = {cpu_times[-1] / cpu_share:.2f}x its parse's" if cpu_share else ""
            print(f"batch {b + 1}: {len(batch)} docs in {seconds:.1f}s ({1000 * seconds / len(batch):.0f} ms/doc{ratio}); "
                  f"CPU {cpu_times[-1]:.1f}s{cpu_ratio}; load {os.getloadavg()[0]:.1f}")
    total = sum(times)
    ingest_cpu = _cpu() - cpu_start
    print(f"ingest total: {total:.1f}s, {n / total:.2f} docs/s"
          + (f", {total / parse_s:.2f}x the bare parse" if parse_s else ""))
    print(f"CPU time (this process and its finished workers): ingest {ingest_cpu:.1f}s"
          + (f", {ingest_cpu / parse_cpu:.2f}x the parse's {parse_cpu:.1f}s (the measure that holds on a busy machine)"
             if parse_cpu else ""))
    if len(times) > 1:
        print(f"last batch / first batch: {times[-1] / times[0]:.2f}x wall, {cpu_times[-1] / cpu_times[0]:.2f}x CPU; "
              f"last / second (the first builds the matchers): {cpu_times[-1] / cpu_times[1]:.2f}x CPU")
    sampler.running = False
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(f"peak resident memory: {sampler.peak_kb / 1024:.0f} MB in all processes together during the ingest "
          f"(largest single process: {peak / 1024:.0f} MB, the bare parse included)")


if __name__ == "__main__":
    main()
