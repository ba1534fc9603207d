"""Stage ``actors``: every actor mention resolved to a code, a sector and an entity."""
from __future__ import annotations

from typing import Any

from legation.records import Analysis
from legation.registry import register_stage


@register_stage("actors", needs_parse=True, requires=("times",))
def actors_stage(analysis: Analysis, doc: Any) -> None:
    """Resolve actor mentions (countries, organisations, people, sector nouns)."""
    from legation.actors.resolve import ActorResolver
    from legation.model import component_for

    analysis.actors = component_for(doc, ActorResolver).resolve(doc, analysis.times, analysis.document.published)
