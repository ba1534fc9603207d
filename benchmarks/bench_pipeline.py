"""Cost of each stage next to the bare spaCy parse, in ms per document.

Runs over the bundled sample articles (repeated to --docs documents) and, when
../shared/seed exists, the seed article too. Usage:
    python benchmarks/bench_pipeline.py [--docs 200] [--model NAME]
"""
from __future__ import annotations

import argparse
import json
import time

from legation.ingest import sample_articles_path
from legation.model import load_model
from legation.records import Analysis, Document
from legation.registry import get_stage
from legation.stages import DEFAULT_STAGES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()

    rows = [json.loads(line) for line in sample_articles_path().read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = [Document(text=r["text"], published=r["published"]) for r in rows]
    docs = (docs * (args.docs // len(docs) + 1))[: args.docs]
    chars = sum(len(d.text) for d in docs)
    nlp = load_model(args.model)
    list(nlp.pipe([d.text for d in docs[:8]]))  # warm up

    started = time.perf_counter()
    parsed = list(nlp.pipe([d.text for d in docs], batch_size=32))
    parse_s = time.perf_counter() - started

    stage_s: dict[str, float] = {}
    setup_s: dict[str, float] = {}
    # one Analysis per document carried through the stages in pipeline order, as ingest runs them,
    # so each stage sees what the stages before it found (events the actors, relations the events)
    analyses = [Analysis(document=d) for d in docs]
    for name in DEFAULT_STAGES:
        stage = get_stage(name)
        # one-time setup (matchers built from the knowledge files) is timed on its own
        started = time.perf_counter()
        stage.function(Analysis(document=docs[0]), parsed[0] if stage.needs_parse else None)
        setup_s[name] = time.perf_counter() - started
        started = time.perf_counter()
        for analysis, doc in zip(analyses, parsed):
            stage.function(analysis, doc if stage.needs_parse else None)
        stage_s[name] = time.perf_counter() - started

    n = len(docs)
    print(f"model {nlp.meta['name']} {nlp.meta['version']}; {n} documents, {chars / n:.0f} chars each on average")
    print(f"{'spaCy parse':<14} {1000 * parse_s / n:8.2f} ms/doc")
    for name, seconds in stage_s.items():
        print(f"{name:<14} {1000 * seconds / n:8.2f} ms/doc  ({100 * seconds / parse_s:.1f}% of the parse)")
    total = parse_s + sum(stage_s.values())
    print(f"{'all':<14} {1000 * total / n:8.2f} ms/doc  ({total / parse_s:.2f}x the parse)")
    print("one-time setup per process: " + ", ".join(f"{k} {v:.2f}s" for k, v in setup_s.items()))


if __name__ == "__main__":
    main()
