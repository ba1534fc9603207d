"""Stage ``events``: PLOVER/CAMEO-coded events with actors, date, modality and attribution."""
from __future__ import annotations

from typing import Any

from legation.records import Analysis
from legation.registry import register_stage


@register_stage("events", needs_parse=True, requires=("times", "actors"))
def events_stage(analysis: Analysis, doc: Any) -> None:
    """Code the events each sentence reports."""
    from legation.events.extract import EventExtractor
    from legation.model import component_for

    document = analysis.document
    analysis.events = component_for(doc, EventExtractor).extract(
        doc, analysis.actors, analysis.times, analysis.quotes, document.published, document.id)
