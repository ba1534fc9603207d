"""Exports in the field's formats: PLOVER JSON Lines and one flat GDELT-2.0-like table (CSV, Parquet).

Filters, SQL and columns come from the one query layer (``legation.query``); this module
only shapes records.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from legation.query import EVENT_VIEW_COLUMNS as EVENT_COLUMNS
from legation.query import EXPORT_COLUMNS as GDELT_COLUMNS
from legation.query import EventFilter, check_document, event_rows, events_sql, write_export
from legation.store import Store

__all__ = ["EVENT_COLUMNS", "GDELT_COLUMNS", "EventFilter", "list_events", "plover_records", "write_table"]


def list_events(store: Store, flt: EventFilter, limit: int | None = None) -> list[dict[str, Any]]:
    """Events as flat rows (codes and names joined with ';') for tables and JSON on the command line."""
    return event_rows(store.con, flt, EVENT_COLUMNS, limit)[0]


def plover_records(store: Store, flt: EventFilter) -> list[dict[str, Any]]:
    """Events with PLOVER JSON field names (actor/recipient, event/mode/context, event_text)."""
    check_document(store.con, flt.doc)
    sql, params = events_sql(flt, "e.* EXCLUDE (_sort), d.url, d.publisher, d.published, d.source_id")
    out = []
    for row in store.query(sql, params):
        source = json.loads(row["source"] or "[]")
        target = json.loads(row["target"] or "[]")
        out.append({
            "id": row["id"],
            "date": row["date_value"],
            "event": row["type"],
            "mode": row["mode"],
            "context": json.loads(row["context"] or "[]"),
            "actor": _plover_actor(source),
            "recipient": _plover_actor(target),
            "event_text": row["evidence_text"],
            "cameo": row["cameo"],
            "quad_class": row["quad_class"],
            "goldstein": row["goldstein"],
            "modality": row["modality"],
            "attributed_to": json.loads(row["attributed_to"]) if row["attributed_to"] else None,
            "location": json.loads(row["location"]) if row["location"] else None,
            "killed": row["killed"],
            "injured": row["injured"],
            "source": {"doc_id": row["doc_id"], "source_id": row["source_id"], "url": row["url"],
                       "publisher": row["publisher"], "published": row["published"]},
            "evidence": {"start": row["evidence_start"], "end": row["evidence_end"]},
        })
    return out


def _plover_actor(actors: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not actors:
        return None
    first = actors[0]
    return {"name": first.get("name"), "country": first.get("code"), "sector": first.get("sector"),
            "text": first.get("text"), "all": [{"country": a.get("code"), "sector": a.get("sector"), "name": a.get("name")} for a in actors]}


def write_table(store: Store, columns: str, flt: EventFilter, fmt: str, output: Path) -> int:
    """Write events with the given column mapping to CSV or Parquet through DuckDB; the rows written."""
    return write_export(store.con, flt, fmt, str(output), columns)
