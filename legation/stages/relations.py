"""Stage ``relations``: the relation changes a document reports (merged within it)."""
from __future__ import annotations

from typing import Any

from legation.records import Analysis
from legation.registry import register_stage
from legation.relations.changes import document_reports, merge_document_reports


@register_stage("relations", needs_parse=False, requires=("events",))
def relations_stage(analysis: Analysis, doc: Any) -> None:
    """Relation changes (break, restore, expel, ...) from the parse and the document's events."""
    analysis.relation_reports = document_reports(analysis, doc)
    analysis.relation_changes = merge_document_reports(analysis.relation_reports)
