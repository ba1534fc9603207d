"""Event queries and exports in the field's formats (PLOVER JSON Lines, GDELT 2.0 columns).

All filters are bound parameters; the column mapping lives in SQL so DuckDB can write
CSV and Parquet directly.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from legation.store import Store, doc_match


@dataclass
class EventFilter:
    actor: str | None = None  # in source or target
    source: str | None = None
    target: str | None = None
    pair: tuple[str, str] | None = None  # either direction
    type: str | None = None
    quad_class: int | None = None
    modality: str | None = None
    date_from: str | None = None  # compared on the ISO value's prefix
    date_to: str | None = None
    doc: str | None = None
    text: str | None = None
    stated_only: bool = False  # drop events whose source or target was supplied by default

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.actor:
            clauses.append("(list_contains(e.source_codes, ?) OR list_contains(e.target_codes, ?))")
            params += [self.actor.upper()] * 2
        if self.source:
            clauses.append("list_contains(e.source_codes, ?)")
            params.append(self.source.upper())
        if self.target:
            clauses.append("list_contains(e.target_codes, ?)")
            params.append(self.target.upper())
        if self.pair:
            a, b = (c.upper() for c in self.pair)
            clauses.append("((list_contains(e.source_codes, ?) AND list_contains(e.target_codes, ?)) OR "
                           "(list_contains(e.source_codes, ?) AND list_contains(e.target_codes, ?)))")
            params += [a, b, b, a]
        if self.type:
            clauses.append("e.type = ?")
            params.append(self.type.upper())
        if self.quad_class is not None:
            clauses.append("e.quad_class = ?")
            params.append(int(self.quad_class))
        if self.modality:
            clauses.append("e.modality = ?")
            params.append(self.modality.lower())
        if self.date_from:
            clauses.append("e.date_value >= ?")
            params.append(self.date_from)
        if self.date_to:
            clauses.append("substr(e.date_value, 1, length(?)) <= ?")
            params += [self.date_to, self.date_to]
        if self.doc:
            clause, extra = doc_match("e.doc_id", "d.source_id", self.doc)
            clauses.append(clause)
            params += extra
        if self.text:
            clauses.append("e.evidence_text ILIKE ?")
            params.append(f"%{self.text}%")
        if self.stated_only:
            clauses.append("NOT coalesce(e.source_defaulted, FALSE) AND NOT coalesce(e.target_defaulted, FALSE)")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


EVENT_COLUMNS = """
    e.id, e.doc_id, d.source_id, e.date_value AS date, e.type, e.mode, e.cameo, e.quad_class, e.goldstein,
    array_to_string(e.source_codes, ';') AS source, array_to_string(e.target_codes, ';') AS target,
    e.modality, e.relation, e.killed, e.injured, e.confidence, e.trigger_text AS trigger,
    e.source_defaulted, e.target_defaulted, e.evidence_start, e.evidence_end, e.evidence_text
"""

GDELT_COLUMNS = """
    e.id AS GLOBALEVENTID,
    CASE WHEN length(e.date_value) >= 10 AND e.date_value NOT LIKE '%W%'
         THEN CAST(replace(substr(e.date_value, 1, 10), '-', '') AS INTEGER) END AS SQLDATE,
    e.date_value AS DateValue,
    json_extract_string(e.source, '$[0].code') AS Actor1Code,
    json_extract_string(e.source, '$[0].name') AS Actor1Name,
    json_extract_string(e.source, '$[0].code') AS Actor1CountryCode,
    json_extract_string(e.source, '$[0].sector') AS Actor1Type1Code,
    json_extract_string(e.target, '$[0].code') AS Actor2Code,
    json_extract_string(e.target, '$[0].name') AS Actor2Name,
    json_extract_string(e.target, '$[0].code') AS Actor2CountryCode,
    json_extract_string(e.target, '$[0].sector') AS Actor2Type1Code,
    e.cameo AS EventCode,
    substr(e.cameo, 1, 3) AS EventBaseCode,
    substr(e.cameo, 1, 2) AS EventRootCode,
    e.quad_class AS QuadClass,
    e.goldstein AS GoldsteinScale,
    coalesce(c.num_mentions, 1) AS NumMentions,
    coalesce(c.num_sources, 1) AS NumSources,
    coalesce(c.num_articles, 1) AS NumArticles,
    json_extract_string(e.location, '$.text') AS ActionGeo_FullName,
    json_extract_string(e.location, '$.code') AS ActionGeo_CountryCode,
    TRY_CAST(json_extract(e.location, '$.latitude') AS DOUBLE) AS ActionGeo_Lat,
    TRY_CAST(json_extract(e.location, '$.longitude') AS DOUBLE) AS ActionGeo_Long,
    d.url AS SOURCEURL,
    d.publisher AS Publisher,
    e.type AS PloverType, e.mode AS PloverMode, e.modality AS Modality,
    json_extract_string(e.attributed_to, '$.name') AS AttributedTo,
    e.killed AS Killed, e.injured AS Injured,
    e.doc_id AS DocId, e.evidence_start AS EvidenceStart, e.evidence_end AS EvidenceEnd, e.evidence_text AS EvidenceText
"""

# counts derived per cluster when a batch is loaded (legation.derive), not at query time
CLUSTER_COUNTS = "LEFT JOIN event_clusters c ON c.event_id = e.id"


def events_sql(columns: str, flt: EventFilter, limit: int | None = None) -> tuple[str, list[Any]]:
    where, params = flt.where()
    sql = f"SELECT {columns} FROM events e JOIN documents d ON d.id = e.doc_id {CLUSTER_COUNTS} {where} ORDER BY e.date_value NULLS LAST, e.doc_id, e.evidence_start, e.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return sql, params


def list_events(store: Store, flt: EventFilter, limit: int | None = None) -> list[dict[str, Any]]:
    sql, params = events_sql(EVENT_COLUMNS, flt, limit)
    return store.query(sql, params)


def plover_records(store: Store, flt: EventFilter) -> list[dict[str, Any]]:
    """Events with PLOVER JSON field names (actor/recipient, event/mode/context, event_text)."""
    sql, params = events_sql("e.*, d.url, d.publisher, d.published, d.source_id", flt)
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
    """Write events with the given column mapping to CSV or Parquet through DuckDB."""
    sql, params = events_sql(columns, flt)
    count = store.con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
    option = "(FORMAT PARQUET)" if fmt == "parquet" else "(FORMAT CSV, HEADER)"
    target = str(output).replace("'", "''")
    store.con.execute(f"COPY ({sql}) TO '{target}' {option}", params)
    return int(count)
