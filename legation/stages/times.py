"""Stage ``times``: time expressions normalised against the dateline's day, else the publication date."""
from __future__ import annotations

from typing import Any

from legation.records import Analysis
from legation.registry import register_stage
from legation.timex.dateline import tag_document_times


@register_stage("times", needs_parse=False)
def times_stage(analysis: Analysis, doc: Any) -> None:
    """Find time expressions and normalise them to TIMEX3 values; "on Thursday" in a story with a
    dated dateline is the Thursday before the dateline's day (one anchor for every stage)."""
    analysis.times = tag_document_times(analysis.document.text, analysis.document.published)
