"""Stage ``relations``: the relation changes a document reports (merged within it)."""
from __future__ import annotations

from typing import Any

from legation.records import Analysis
from legation.registry import register_stage
from legation.relations.changes import merge_document_reports, reports_from_events


@register_stage("relations", needs_parse=False, requires=("events",))
def relations_stage(analysis: Analysis, doc: Any) -> None:
    """Relation changes (break, restore, ...) from the document's events."""
    analysis.relation_reports = reports_from_events(analysis.events)
    analysis.relation_changes = merge_document_reports(analysis.relation_reports)
