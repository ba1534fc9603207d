"""Cost of the quote stage next to the spaCy parse, in ms per document.

Runs over the 26 bundled sample articles (repeated with --repeat) and reports the
parse, the quote extraction alone, and the share of the parse it costs. Usage:
    python benchmarks/bench_quotes.py [--repeat 5] [--model NAME]
"""
from __future__ import annotations

import argparse
import json
import time

from legation.ingest import sample_articles_path
from legation.model import load_model
from legation.quotes import extract_quotes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="Times to run over the 26 articles (best run is reported).")
    parser.add_argument("--model", default=None)
    args = parser.parse_args()

    rows = [json.loads(line) for line in sample_articles_path().read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [row["text"] for row in rows]
    nlp = load_model(args.model)
    list(nlp.pipe(texts[:4]))  # warm up
    extract_quotes(nlp(texts[0]))

    parse_runs, quote_runs = [], []
    quotes = 0
    for _ in range(max(1, args.repeat)):
        started = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=32))
        parse_runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        quotes = sum(len(extract_quotes(doc)) for doc in docs)
        quote_runs.append(time.perf_counter() - started)
    n = len(texts)
    parse_s, quote_s = min(parse_runs), min(quote_runs)
    chars = sum(len(t) for t in texts) / n
    print(f"model {nlp.meta['name']} {nlp.meta['version']}; {n} documents, {chars:.0f} chars each on average; "
          f"{quotes} quotes; best of {len(parse_runs)} runs")
    print(f"{'spaCy parse':<14} {1000 * parse_s / n:8.2f} ms/doc")
    print(f"{'quotes':<14} {1000 * quote_s / n:8.2f} ms/doc  ({100 * quote_s / parse_s:.1f}% of the parse)")


if __name__ == "__main__":
    main()
