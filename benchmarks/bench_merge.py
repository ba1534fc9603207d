"""Time to merge 100,000 events: event clusters and relation-change clusters.

Synthetic events over 60 countries with realistic duplication (each underlying event
reported 1-6 times with date precision and wording varying). Usage:
    python benchmarks/bench_merge.py [--events 100000]
"""
from __future__ import annotations

import argparse
import random
import time

from legation.relations.merge import cluster_events, cluster_reports, summarize

COUNTRIES = ["USA", "CHN", "RUS", "GBR", "FRA", "DEU", "IRN", "SAU", "ISR", "PSE", "UKR", "MMR", "PRK", "KOR", "JPN",
             "IND", "PAK", "AFG", "IRQ", "SYR", "TUR", "EGY", "QAT", "ARE", "CUB", "VEN", "COL", "BRA", "MEX", "NGA",
             "ETH", "SDN", "SSD", "LBY", "DZA", "MAR", "YEM", "LBN", "JOR", "BHR", "KWT", "OMN", "AZE", "ARM", "GEO",
             "BLR", "POL", "HUN", "SRB", "BIH", "HND", "NIC", "TWN", "VNM", "PHL", "IDN", "MYS", "THA", "KHM", "LAO"]
TYPES = ["CONSULT", "SUPPORT", "ACCUSE", "THREATEN", "SANCTION", "ASSAULT", "COERCE", "AID"]
WORDS = "talks minister visit sanctions attack border troops embassy ambassador agreement protest missile ties".split()


def synthetic(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    events = []
    while len(events) < n:
        src, tgt = rng.sample(COUNTRIES, 2)
        kind = rng.choice(TYPES)
        day = f"20{rng.randint(10, 23)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        words = " ".join(rng.sample(WORDS, 6))
        for _ in range(rng.randint(1, 6)):
            precision = rng.choice([10, 10, 7, 4])
            events.append({"id": f"e{len(events)}", "type": kind, "source_codes": [src], "target_codes": [tgt],
                           "date_value": day[:precision], "date_defaulted": False,
                           "evidence_text": words + " " + " ".join(rng.sample(WORDS, 2))})
    return events[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    events = synthetic(args.events)
    started = time.perf_counter()
    assignment = cluster_events(events)
    event_seconds = time.perf_counter() - started

    rng = random.Random(3)
    reports = [{"event_id": e["id"], "doc_id": f"d{i // 3}", "a": min(e["source_codes"][0], e["target_codes"][0]),
                "b": max(e["source_codes"][0], e["target_codes"][0]), "kind": "diplomatic",
                "change": rng.choice(["break", "restore", "establish"]), "by": e["source_codes"][0],
                "date": e["date_value"], "date_defaulted": False, "published": e["date_value"][:4] + "-12-31",
                "publisher": f"p{i % 40}"} for i, e in enumerate(events)]
    started = time.perf_counter()
    groups: dict[tuple, list[dict]] = {}
    for r in reports:
        groups.setdefault((r["a"], r["b"], r["kind"], r["change"]), []).append(r)
    merged = [summarize(c) for group in groups.values() for c in cluster_reports(group)]
    relation_seconds = time.perf_counter() - started
    print(f"{len(events):,} events -> {len(set(assignment.values())):,} event clusters in {event_seconds:.2f}s")
    print(f"{len(reports):,} relation reports -> {len(merged):,} merged changes in {relation_seconds:.2f}s")


if __name__ == "__main__":
    main()
