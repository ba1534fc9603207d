"""Stage ``events``: PLOVER/CAMEO-coded events with actors, date, modality and attribution."""
from __future__ import annotations

from typing import Any

from legation.records import Analysis
from legation.registry import register_stage

_EXTRACTORS: dict[int, Any] = {}


def extractor_for(nlp: Any) -> Any:
    from legation.events.extract import EventExtractor

    key = id(nlp)
    if key not in _EXTRACTORS:
        _EXTRACTORS[key] = EventExtractor(nlp)
    return _EXTRACTORS[key]


@register_stage("events", needs_parse=True, requires=("times", "actors"))
def events_stage(analysis: Analysis, doc: Any) -> None:
    """Code the events each sentence reports."""
    from legation.model import nlp_for_vocab

    document = analysis.document
    analysis.events = extractor_for(nlp_for_vocab(doc.vocab)).extract(
        doc, analysis.actors, analysis.times, analysis.quotes, document.published, document.id)
