"""Rewrite brat attribution files to PolNeAR's convention: one attribution per content,
however many pieces it comes in.

Some gold sets (``tests/fixtures/quotes_independent``) annotate the halves of a quote
split by its speech tag ('"A," he said, "B."') as two events sharing the Cue and Source
annotations, and a quotation continued with no cue ('"A," he said. "B."') as an event
with no Cue whose Source is the previous event's Source. PolNeAR, and Legation's
extractor, make each of these one attribution with a discontinuous content. This script
merges such events (in content order) into the first one, as numbered Content roles
(``E5 Cue:T13 Source:T12 Content:T11 Content2:T14``), and drops the merged events'
attributes; the text-bound annotations are not touched.

    python scripts/merge_split_attributions.py tests/fixtures/quotes_independent
"""
from __future__ import annotations

import sys
from pathlib import Path

from legation.evaluation.brat import Event, find_brat_documents, format_ann, read_brat


def merge(path: Path) -> int:
    doc = read_brat(path)
    tbs = doc.textbounds

    def role(event: Event, name: str) -> str | None:
        roles = ((event.type, event.trigger),) + event.args  # "E1\tCue:T2 Source:T1 ...": the first is the trigger
        return next((t for r, t in roles if r.rstrip("0123456789") == name), None)

    def first_content(event: Event) -> int:
        content = role(event, "Content")
        return tbs[content].start if content in tbs else -1

    kept: list[Event] = []
    merged: set[str] = set()
    for event in sorted(doc.events, key=first_content):
        host = kept[-1] if kept else None
        cue, source = role(event, "Cue"), role(event, "Source")
        split = host is not None and cue is not None and role(host, "Cue") == cue and role(host, "Source") == source
        continued = host is not None and cue is None and source is not None and role(host, "Source") == source
        if host is not None and (split or continued):
            count = sum(1 for r, _ in host.args if r.startswith("Content"))
            contents = [(f"Content{count + n + 1}", t) for n, (r, t) in enumerate(
                (r, t) for r, t in event.args if r.startswith("Content"))]
            kept[-1] = Event(host.id, host.type, host.trigger, host.args + tuple(contents))
            merged.add(event.id)
        else:
            kept.append(event)
    order = {e.id: n for n, e in enumerate(doc.events)}
    doc.events = sorted(kept, key=lambda e: order[e.id])
    doc.attributes = [a for a in doc.attributes if a.target not in merged]
    path.with_suffix(".ann").write_text(format_ann(doc), encoding="utf-8")
    return len(merged)


def main(folder: str) -> None:
    total = 0
    for path in find_brat_documents(folder):
        n = merge(path)
        total += n
        print(f"{path.name}: {n} events merged")
    print(f"{total} events merged")


if __name__ == "__main__":
    main(sys.argv[1])
