"""The HTTP API's queries: a thin layer over the one query layer (``legation.query``).

Filters arrive as query-string values and are parsed by the same pydantic models the CLI
and the exports use (a bad value is a ``QueryError``: HTTP 422 with the allowed values).
Lists page with keyset cursors: a page is the first ``limit`` rows after the sort key of
the previous page's last row, so paging is stable and costs the same on page 1 and 1,000.
The cursor handed to clients is opaque (URL-safe base64 of the list name and that key).
"""
from __future__ import annotations

import base64
import binascii
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from legation import query
from legation.query import (ActorFilter, DocumentFilter, EventFilter, QueryError, QuoteFilter, TimelineQuery,
                            like_escape)
from legation.store import Store

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_EDGES = 500
DEFAULT_EDGES = 200
LAST = query.LAST
QUAD_CLASSES = query.QUAD_CLASSES
EVENT_JSON_COLUMNS = query.EVENT_JSON_COLUMNS
MAX_FILTER_CHARS = query.MAX_TEXT

__all__ = ["BadRequest", "NotFound", "Page", "QueryError"]


class BadRequest(ValueError):
    """A limit, cursor or body the API cannot use (HTTP 400)."""

    def __init__(self, message: str, code: str = "bad_request"):
        super().__init__(message)
        self.code = code
        self.message = message


class Conflict(LookupError):
    """A name that fits more than one record (HTTP 409); ``candidates`` lists them."""

    def __init__(self, message: str, candidates: list[dict[str, Any]], code: str = "ambiguous_document"):
        super().__init__(message)
        self.code = code
        self.message = message
        self.candidates = candidates


class NotFound(LookupError):
    """No such record (HTTP 404)."""

    def __init__(self, message: str, code: str = "not_found"):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Page:
    items: list[dict[str, Any]]
    limit: int
    next_cursor: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# --- parameters --------------------------------------------------------------------------
def parse_limit(value: str | int | None, default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT) -> int:
    """Page size: ``default`` when absent, capped at ``maximum``; 400 when not a positive integer."""
    if value is None or value == "":
        return default
    try:
        limit = int(value)
    except (TypeError, ValueError):
        raise BadRequest(f"limit must be a positive integer, not {str(value)[:40]!r}", "bad_limit") from None
    if limit < 1:
        raise BadRequest("limit must be at least 1", "bad_limit")
    return min(limit, maximum)


def encode_cursor(kind: str, key: list[Any]) -> str:
    raw = json.dumps({"k": kind, "v": key}, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str | None, kind: str, types: tuple[Any, ...]) -> list[Any] | None:
    """The sort key in a cursor made by ``encode_cursor`` for the same list; 400 otherwise."""
    if cursor is None or cursor == "":
        return None
    bad = BadRequest("cursor is not valid for this list; use the next_cursor of a previous page", "bad_cursor")
    if len(cursor) > 2000 or not re.fullmatch(r"[A-Za-z0-9_-]+", cursor):
        raise bad
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad from None
    if not isinstance(data, dict) or data.get("k") != kind:
        raise bad
    key = data.get("v")
    if not isinstance(key, list) or len(key) != len(types):
        raise bad
    for value, expected in zip(key, types):
        if not isinstance(value, expected) or isinstance(value, bool):
            raise bad
        if isinstance(value, int) and not -(2 ** 63) <= value < 2 ** 63:  # 10**400 is no count
            raise bad
        if isinstance(value, float) and not math.isfinite(value):
            raise bad
    return key


def _page(items: list[dict[str, Any]], limit: int, kind: str, next_key: list[Any] | None,
          total: int | None = None) -> Page:
    cursor = encode_cursor(kind, next_key) if next_key is not None else None
    return Page(items, limit, cursor, {"total": total} if total is not None else {})


# --- events -------------------------------------------------------------------------------
# query-string names (q is the evidence text) -> EventFilter fields
EVENT_FILTERS = ("actor", "source", "target", "pair", "type", "quad_class", "modality", "date_from", "date_to", "q",
                 "doc", "stated_only", "main_only")
EVENT_PARAMS = {"q": "text"}


def event_filter(filters: dict[str, Any]) -> EventFilter:
    """The EventFilter of query-string values; QueryError (422) on a bad value."""
    data = {EVENT_PARAMS.get(k, k): v for k, v in filters.items()}
    try:
        return EventFilter.parse(data)  # type: ignore[return-value]
    except QueryError as exc:
        exc.field = {v: k for k, v in EVENT_PARAMS.items()}.get(exc.field, exc.field)
        raise


def event_where(filters: dict[str, Any], alias: str = "e") -> tuple[str, list[Any]]:
    """WHERE clause (with its parameters) of query-string event filters; QueryError (422) on a bad value."""
    where = event_filter(filters).where(alias)
    return where.sql(), where.params


_contains = query.contains  # LIKE patterns are escaped in one place (legation.query)


def list_events(store: Store, filters: dict[str, Any], limit: int, cursor: str | None) -> Page:
    flt = event_filter(filters)
    key_kind = f"events:{flt.sort}" if flt.sort != "date" else "events"
    sort_key, _ = flt.sort_key
    key = decode_cursor(cursor, key_kind, (object, str))
    if key is not None and not sort_key.valid_key(key[0]):
        raise BadRequest("cursor is not valid for this list; use the next_cursor of a previous page", "bad_cursor")
    items, next_key = query.list_events(store.con, flt, limit, key)
    total = query.count_events(store.con, flt)
    return _page(items, limit, key_kind, next_key, total)


# --- documents ----------------------------------------------------------------------------
def list_documents(store: Store, filters: dict[str, Any], limit: int, cursor: str | None) -> Page:
    flt = DocumentFilter.parse({"text" if k == "q" else k: v for k, v in filters.items()})
    key = decode_cursor(cursor, "documents", (object, str))
    if key is not None and not query.valid_published_key(key[0]):
        raise BadRequest("cursor is not valid for this list; use the next_cursor of a previous page", "bad_cursor")
    items, next_key = query.list_documents(store.con, flt, limit, key)  # type: ignore[arg-type]
    counts = _document_counts(store, [r["id"] for r in items])
    for row in items:
        row.update(counts.get(row["id"], {"times": 0, "actors": 0, "quotes": 0, "events": 0}))
    return _page(items, limit, "documents", next_key)


def _document_counts(store: Store, ids: list[str]) -> dict[str, dict[str, int]]:
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    out: dict[str, dict[str, int]] = {i: {"times": 0, "actors": 0, "quotes": 0, "events": 0} for i in ids}
    for name, table in (("times", "time_expressions"), ("actors", "actors"), ("quotes", "quotes"), ("events", "events")):
        for row in store.query(f"SELECT doc_id, count(*) AS n FROM {table} WHERE doc_id IN ({marks}) GROUP BY doc_id", ids):
            out[row["doc_id"]][name] = int(row["n"])
    return out


MAX_CANDIDATES = 20


def find_document(store: Store, doc: str) -> dict[str, Any]:
    """The document with this id, source id or unique id prefix; NotFound otherwise."""
    doc = (doc or "").strip()
    if not doc or len(doc) > MAX_FILTER_CHARS:
        raise NotFound("no document with that id")
    columns = ("id, source_id, title, url, published, publisher, language, text, origin, status, reason, "
               "stage_errors, ingested_at, extractor_version, model, warnings")
    rows = store.query(f"SELECT {columns} FROM documents WHERE id = ? OR source_id = ? ORDER BY (id = ?) DESC, id "
                       f"LIMIT {MAX_CANDIDATES + 1}", [doc, doc, doc])
    if len(rows) > 1 and rows[0]["id"] != doc:  # one source id given to several documents
        candidates = [{key: row[key] for key in ("id", "source_id", "title", "published", "publisher", "status")}
                      for row in rows[:MAX_CANDIDATES]]
        raise Conflict(f"{len(rows) if len(rows) <= MAX_CANDIDATES else 'more than ' + str(MAX_CANDIDATES)} "
                       f"documents have source id {doc!r}; ask for one by its id (candidates listed)", candidates)
    if not rows and len(doc) >= 4:
        rows = store.query(f"SELECT {columns} FROM documents WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 2",
                           [like_escape(doc) + "%"])
        if len(rows) > 1:
            raise NotFound(f"id prefix {doc!r} matches more than one document; give more characters", "ambiguous_document")
    if not rows:
        raise NotFound(f"no document with id, source id or id prefix {doc!r}")
    row = rows[0]
    for key in ("stage_errors", "warnings"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return row


def get_document(store: Store, doc: str) -> dict[str, Any]:
    """A document with its whole stored analysis (offsets index ``document.text``)."""
    document = find_document(store, doc)
    doc_id = document["id"]
    times = store.query(
        "SELECT tid AS id, start_char AS start, end_char AS \"end\", text, type, value, mod, anchor, resolution "
        "FROM time_expressions WHERE doc_id = ? ORDER BY start_char, tid", [doc_id])
    actors = store.query(
        "SELECT idx, start_char AS start, end_char AS \"end\", text, code, sector, name, entity, role, kind, resolution, "
        "antecedent, members FROM actors WHERE doc_id = ? ORDER BY idx", [doc_id])
    for actor in actors:
        if isinstance(actor.get("members"), str):
            actor["members"] = json.loads(actor["members"])
    quotes = store.query(
        "SELECT idx, start_char AS start, end_char AS \"end\", content, kind, direct, partial, segments, cue, speaker_entity, "
        "speaker_text, speaker_start, speaker_end, speaker_name, speaker_description, anonymous, anonymity_reason, "
        "speaker_code, speaker_sector, nested_in FROM quotes WHERE doc_id = ? ORDER BY idx", [doc_id])
    query.quote_rows(quotes)
    events = [query.decode_event_json(row) for row in store.query(
        "SELECT * FROM events WHERE doc_id = ? ORDER BY evidence_start NULLS LAST, id", [doc_id])]
    reports = store.query("SELECT * FROM relation_reports WHERE doc_id = ? ORDER BY evidence_start NULLS LAST, event_id",
                          [doc_id])
    return {"document": document, "times": times, "actors": actors, "quotes": quotes, "events": events,
            "relation_reports": reports}




# --- quotes and actors ----------------------------------------------------------------------
QUOTE_FILTERS = ("speaker", "actor", "doc", "q", "kind", "anonymous", "direct")
ACTOR_FILTERS = ("code", "name", "doc", "kind")


def list_quotes(store: Store, filters: dict[str, Any], limit: int, cursor: str | None) -> Page:
    flt = QuoteFilter.parse({"text" if k == "q" else k: v for k, v in filters.items()})
    key = decode_cursor(cursor, "quotes", (object, str, int))
    if key is not None and not query.valid_published_key(key[0]):
        raise BadRequest("cursor is not valid for this list; use the next_cursor of a previous page", "bad_cursor")
    items, next_key = query.list_quotes(store.con, flt, limit, key)  # type: ignore[arg-type]
    return _page(items, limit, "quotes", next_key, query.count_quotes(store.con, flt))  # type: ignore[arg-type]


def list_actors(store: Store, filters: dict[str, Any], limit: int, cursor: str | None) -> Page:
    """Resolved actors (one row per code, sector, name, entity, kind) with mention and document counts."""
    flt = ActorFilter.parse(filters)
    key = decode_cursor(cursor, "actors", (int, str))
    items, next_key = query.list_actors(store.con, flt, limit, key)  # type: ignore[arg-type]
    return _page(items, limit, "actors", next_key)


# --- network --------------------------------------------------------------------------------
def network(store: Store, filters: dict[str, Any], limit: int) -> dict[str, Any]:
    """Weighted directed edges source -> target per quad class, from events' actor codes."""
    flt = event_filter(filters)
    query.check_document(store.con, flt.doc)
    w = flt.where()
    edges = store.query(
        "SELECT s.code AS source, t.code AS target, e.quad_class, count(*) AS weight, "
        "round(avg(e.goldstein), 2) AS goldstein "
        "FROM events e, unnest(e.source_codes) AS s(code), unnest(e.target_codes) AS t(code) "
        f"WHERE {w.sql()} AND s.code <> t.code "
        "GROUP BY ALL ORDER BY weight DESC, source, target, quad_class NULLS LAST LIMIT ?", [*w.params, limit])
    nodes: dict[str, dict[str, Any]] = {}
    for edge in edges:
        for end, direction in ((edge["source"], "out"), (edge["target"], "in")):
            node = nodes.setdefault(end, {"code": end, "weight": 0, "out": 0, "in": 0})
            node["weight"] += edge["weight"]
            node[direction] += edge["weight"]
    return {"nodes": sorted(nodes.values(), key=lambda n: (-n["weight"], n["code"])), "edges": edges,
            "quad_classes": {str(k): v for k, v in QUAD_CLASSES.items()}}


# --- timelines --------------------------------------------------------------------------------
def timeline_pairs(store: Store, limit: int = MAX_LIMIT) -> list[dict[str, Any]]:
    return store.query(
        "SELECT a, b, kind, count(*) AS changes, min(date_value) AS first, max(date_value) AS last "
        "FROM relation_changes GROUP BY a, b, kind ORDER BY changes DESC, a, b, kind LIMIT ?", [limit])


def timeline_params(a: str | None, b: str | None, kind: str | None, as_of: str | None) -> tuple[str, str, str, str | None]:
    """Codes of the pair (codes or names), the relation kind and the as-of date; QueryError (422) otherwise."""
    q = TimelineQuery.parse(a=a, b=b, kind=kind, as_of=as_of)
    return q.a, q.b, q.kind, q.as_of


def build_timeline(store: Store, a: str, b: str, kind: str, as_of: str | None) -> dict[str, Any]:
    """A pair's merged relation changes and the states between them (the library's timeline)."""
    from legation.relations.timeline import get_timeline

    return get_timeline(store, a, b, kind, as_of)


# --- codebook ---------------------------------------------------------------------------------
def codebook() -> dict[str, Any]:
    """CAMEO codes with names, Goldstein scores and PLOVER types and modes; empty when the file is absent."""
    try:
        from legation.knowledge import load_yaml

        data = load_yaml("events/cameo.yaml") or {}
    except (FileNotFoundError, ValueError, ImportError):
        data = {}
    codes = []
    raw = data.get("codes") if isinstance(data, dict) else None
    for code, entry in (raw or {}).items():
        if not isinstance(entry, dict):
            continue
        codes.append({"code": str(code), "name": entry.get("name"), "goldstein": entry.get("goldstein"),
                      "quad_class": entry.get("quad_class"), "type": entry.get("type"), "mode": entry.get("mode"),
                      "context": entry.get("context") or []})
    codes.sort(key=lambda c: c["code"])
    types: dict[str, dict[str, Any]] = {}
    for c in codes:
        if not c["type"]:
            continue
        t = types.setdefault(c["type"], {"type": c["type"], "quad_classes": set(), "modes": set(), "codes": 0})
        t["codes"] += 1
        if c["quad_class"] is not None:
            t["quad_classes"].add(c["quad_class"])
        if c["mode"]:
            t["modes"].add(c["mode"])
    type_list = [{"type": t["type"], "quad_classes": sorted(t["quad_classes"]), "modes": sorted(t["modes"]),
                  "codes": t["codes"]} for t in sorted(types.values(), key=lambda t: t["type"])]
    modes = sorted({(c["type"], c["mode"]) for c in codes if c["type"] and c["mode"]})
    return {"codes": codes, "types": type_list, "modes": [{"type": t, "mode": m} for t, m in modes],
            "quad_classes": [{"quad_class": k, "name": v} for k, v in QUAD_CLASSES.items()]}
