"""Count how the relation-change categories occur in real news text (prints counts only, no text).

Usage: .venv/bin/python scripts/count_relation_cues.py [../shared/eval]

Reads the PolNeAR train+dev article texts and the PLOVER GSR dev sentences, keeps the
sentences that mention diplomatic ties, envoys, expulsions or recognition, and counts
(1) the surface patterns of each category (regular expressions) and (2) what the relations
stage produces on those sentences (parsed one by one, with the default pipeline). No gold
exists for these, so the second part is a count of outputs to read, not a score.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

MENTION = re.compile(r"\b(ambassador|envoy|diplomat|embass|persona non grata|expel|expulsion|recall|"
                     r"recogni[sz]|(diplomatic|bilateral) (ties|relations)|(ties|relations) with|normali[sz])", re.I)
PATTERNS = {
    "expel": r"\b(expel\w*|expulsion|persona non grata|kick\w* out)\b.{0,60}\b(diplomat|ambassador|envoy|staff|official)s?\b"
             r"|\b(diplomat|ambassador|envoy)s?\b.{0,60}\b(expel\w*|persona non grata|to leave)\b",
    "recall": r"\b(recall\w*|withdr[ae]w\w*)\b.{0,30}\b(ambassador|envoy)s?\b",
    "switch": r"\bswitch\w* (its |their )?(diplomatic )?(recognition|ties|allegiance)\b|\bin favou?r of (beijing|china|taipei|taiwan)\b",
    "mediator": r"\b(brokered|mediated|hosted|facilitated) by\b|\bmediation\b|\bauspices\b",
    "establish_first": r"\b(establish\w*|forg\w*|open\w*) (full |formal )?(diplomatic )?(ties|relations)\b|\bfor the first time\b",
    "restore": r"\b(restor\w*|resum\w*|re-?establish\w*|renew\w*|normali[sz]\w*) (full |formal )?(diplomatic )?(ties|relations)\b",
    "break": r"\b(cut|sever\w*|broke|break\w*|end\w*|suspend\w*) (off )?(all )?(diplomatic )?(ties|relations)\b",
    "list_with_years": r"\b[A-Z][a-z]+ \(?(in )?\d{4}\)?, [A-Z][a-z]+ \(?(in )?\d{4}\)?",
    "joint": r"\b[A-Z][a-z]+( [A-Z][a-z]+)? and [A-Z][a-z]+( [A-Z][a-z]+)? (have )?(cut|severed|broke|restored|resumed|established|recalled|expelled)\b",
    "day_date": r"\b(on )?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2})\b",
}


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def main(root: Path) -> None:
    corpora: dict[str, list[str]] = {"polnear": [], "gsr-dev": []}
    for folder in ("train", "dev"):
        for path in sorted((root / "polnear" / folder / "text").glob("*.txt")):
            corpora["polnear"] += sentences(path.read_text(encoding="utf-8", errors="replace"))
    corpora["gsr-dev"] = [r.get("text") or "" for r in json.loads((root / "plover-gsr" / "dev.json").read_text())]
    from legation.pipeline import Pipeline
    from legation.records import Document

    pipeline = Pipeline()
    for name, sents in corpora.items():
        kept = [s for s in sents if MENTION.search(s)]
        counts = Counter(cat for s in kept for cat, rx in PATTERNS.items() if re.search(rx, s, re.I if cat != "list_with_years" and cat != "joint" else 0))
        produced: Counter[str] = Counter()
        for analysis in pipeline.analyze_documents(Document(text=s, published="2016-06-01") for s in kept):
            for change in analysis.relation_changes:
                produced[change["change"]] += 1
                produced["day-precise dates" if len(change["date"] or "") == 10 and not change["date_defaulted"] else "other dates"] += 1
        print(f"{name}: {len(sents)} sentences, {len(kept)} mention ties/envoys/recognition")
        print("  surface patterns: " + ", ".join(f"{k} {counts[k]}" for k in PATTERNS))
        print("  relations stage output: " + (", ".join(f"{k} {v}" for k, v in sorted(produced.items())) or "none"))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "eval")
