"""How many actor mentions get a code on real news (PolNeAR train articles).

Parses the first --docs PolNeAR train articles (sorted by file name, parses cached in a
DocBin under --cache), runs the ``times`` and ``actors`` stages with each article's
publication date, and prints how many actor mentions were found and how many got a
country/organisation code. With --dump FILE it writes every mention as JSON Lines
(doc, offsets, text, code, sector, resolution) so that two runs can be compared with
--compare OLD.jsonl: the mentions coded now that were not coded before are listed.
Usage:
    python benchmarks/bench_actor_coverage.py --docs 100 --dump after.jsonl [--compare before.jsonl]
"""
from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

from legation.model import load_model
from legation.records import Analysis, Document
from legation.registry import get_stage
from legation.stages import DEFAULT_STAGES  # noqa: F401  (registers the stages)

POLNEAR = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "polnear"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--root", type=Path, default=POLNEAR)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/legation-polnear-train.spacy"))
    parser.add_argument("--dump", type=Path, default=None)
    parser.add_argument("--compare", type=Path, default=None)
    args = parser.parse_args()
    from spacy.tokens import DocBin

    dates: dict[str, str] = {}
    with open(args.root / "metadata.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            dates[row["filename"]] = row["publication_date"]
    files = sorted((args.root / "train" / "text").glob("*.txt"))[: args.docs]
    texts = [f.read_text(encoding="utf-8") for f in files]
    nlp = load_model()
    cache = args.cache.with_suffix(f".{args.docs}.spacy")
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe(texts, batch_size=16))
        bin_ = DocBin(store_user_data=False)
        for doc in docs:
            bin_.add(doc)
        bin_.to_disk(cache)
    times, actors = get_stage("times"), get_stage("actors")
    rows = []
    started = time.perf_counter()
    for path, doc in zip(files, docs):
        published = dates.get(path.stem) or None
        analysis = Analysis(document=Document(text=doc.text, published=published, id=path.stem))
        times.function(analysis, doc)
        actors.function(analysis, doc)
        for a in analysis.actors:
            rows.append({"doc": path.stem, "start": a.start, "end": a.end, "text": a.text, "code": a.code,
                         "sector": a.sector, "kind": a.kind, "resolution": a.resolution})
    seconds = time.perf_counter() - started
    coded = [r for r in rows if r["code"]]
    print(f"{len(files)} articles: {len(rows)} actor mentions, {len(coded)} with a code, "
          f"{sum(1 for r in rows if r['sector'])} with a sector ({seconds:.1f} s for times+actors)")
    if args.dump:
        args.dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    if args.compare:
        old = {(r["doc"], r["start"], r["end"]): r for r in map(json.loads, args.compare.read_text(encoding="utf-8").splitlines())}
        new_coded = [r for r in coded if not (old.get((r["doc"], r["start"], r["end"])) or {}).get("code")]
        changed = [r for r in coded if (o := old.get((r["doc"], r["start"], r["end"]))) and o.get("code")
                   and (o["code"], o["sector"]) != (r["code"], r["sector"])]
        coded_now = {(r["doc"], r["start"], r["end"]) for r in coded}
        lost = [o for k, o in old.items() if o.get("code") and k not in coded_now]
        print(f"newly coded {len(new_coded)}, code or sector changed {len(changed)}, no longer coded {len(lost)}")
        for r in new_coded:
            print(f"NEW  {r['doc'][:40]:40} {r['text'][:40]!r:44} {r['code']} {r['sector']}  {r['resolution']}")
        for r in changed:
            o = old[(r["doc"], r["start"], r["end"])]
            print(f"CHG  {r['doc'][:40]:40} {r['text'][:40]!r:44} {o['code']}/{o['sector']} -> {r['code']}/{r['sector']}  {r['resolution']}")
        for o in lost:
            print(f"LOST {o['doc'][:40]:40} {o['text'][:40]!r:44} {o['code']} {o['sector']}")


if __name__ == "__main__":
    main()
