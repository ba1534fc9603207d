"""Stage ``actors``: every actor mention resolved to a code, a sector and an entity."""
from __future__ import annotations

from typing import Any

from legation.records import Analysis
from legation.registry import register_stage

_RESOLVERS: dict[int, Any] = {}


def resolver_for(nlp: Any) -> Any:
    """One resolver per spaCy pipeline: building the matchers takes about a second."""
    from legation.actors.resolve import ActorResolver

    key = id(nlp)
    if key not in _RESOLVERS:
        _RESOLVERS[key] = ActorResolver(nlp)
    return _RESOLVERS[key]


@register_stage("actors", needs_parse=True, requires=("times",))
def actors_stage(analysis: Analysis, doc: Any) -> None:
    """Resolve actor mentions (countries, organisations, people, sector nouns)."""
    from legation.model import nlp_for_vocab

    analysis.actors = resolver_for(nlp_for_vocab(doc.vocab)).resolve(doc, analysis.times, analysis.document.published)
