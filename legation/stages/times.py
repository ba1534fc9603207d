"""Stage ``times``: time expressions normalised against the publication date."""
from __future__ import annotations

from typing import Any

from legation.records import Analysis
from legation.registry import register_stage
from legation.timex import tag_times


@register_stage("times", needs_parse=False)
def times_stage(analysis: Analysis, doc: Any) -> None:
    """Find time expressions and normalise them to TIMEX3 values."""
    analysis.times = tag_times(analysis.document.text, analysis.document.published)
