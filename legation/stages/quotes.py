"""Stage ``quotes``: direct, partial and indirect quotes with their speakers."""
from __future__ import annotations

from typing import Any

from legation.quotes import extract_quotes
from legation.records import Analysis
from legation.registry import register_stage


@register_stage("quotes", needs_parse=True, requires=("actors",))
def quotes_stage(analysis: Analysis, doc: Any) -> None:
    """Find quotes and reported speech, and who said them (speakers linked to actors)."""
    analysis.quotes = extract_quotes(doc, analysis.actors)
