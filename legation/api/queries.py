"""The SQL behind the HTTP API: every filter is a bound parameter, never text in the query.

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

from legation.store import Store

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_EDGES = 500
DEFAULT_EDGES = 200
LAST = "~"  # sorts after digits and letters: undated rows come last

QUAD_CLASSES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
# events columns stored as JSON text; returned as objects
EVENT_JSON_COLUMNS = ("context", "source", "target", "location", "attributed_to")
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_WORD_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,31}$")
MAX_FILTER_CHARS = 200


class BadRequest(ValueError):
    """A filter, limit or cursor the API cannot use (HTTP 400)."""

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


def decode_cursor(cursor: str | None, kind: str, types: tuple[type, ...]) -> list[Any] | None:
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


def _text(filters: dict[str, Any], name: str) -> str | None:
    value = filters.get(name)
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    if len(value) > MAX_FILTER_CHARS:
        raise BadRequest(f"{name} is longer than {MAX_FILTER_CHARS} characters", "bad_filter")
    return value


def _code(filters: dict[str, Any], name: str) -> str | None:
    value = _text(filters, name)
    return value.upper() if value else None


def _date(filters: dict[str, Any], name: str) -> str | None:
    value = _text(filters, name)
    if value and not _DATE_RE.match(value):
        raise BadRequest(f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD, not {value[:40]!r}", "bad_filter")
    return value


def _word(filters: dict[str, Any], name: str) -> str | None:
    value = _text(filters, name)
    if value and not _WORD_RE.match(value):
        raise BadRequest(f"{name} must be a single word (letters, digits, - or _), not {value[:40]!r}", "bad_filter")
    return value


def _flag(filters: dict[str, Any], name: str) -> bool | None:
    value = _text(filters, name)
    if value is None:
        return None
    if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
        raise BadRequest(f"{name} must be true or false, not {value[:40]!r}", "bad_filter")
    return value.lower() in ("true", "1", "yes")


def _like(value: str) -> str:
    """``value`` as a literal inside a LIKE pattern (wildcards escaped; use ESCAPE '\\')."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(value: str) -> str:
    return f"%{_like(value)}%"


def _doc_clause(column: str, doc: str) -> tuple[str, list[Any]]:
    """Rows of the document with this id, id prefix or source id."""
    return (f"{column} IN (SELECT id FROM documents WHERE id = ? OR id LIKE ? ESCAPE '\\' OR source_id = ?)",
            [doc, _like(doc) + "%", doc])


def _quad_class(filters: dict[str, Any]) -> int | None:
    value = _text(filters, "quad_class")
    if value is None:
        return None
    if value not in {"1", "2", "3", "4"}:
        raise BadRequest("quad_class must be 1, 2, 3 or 4 (verbal/material cooperation, verbal/material conflict)",
                         "bad_filter")
    return int(value)


def _pair(filters: dict[str, Any]) -> tuple[str, str] | None:
    value = _code(filters, "pair")
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2 or not all(parts):
        raise BadRequest("pair must be two actor codes separated by a comma, e.g. MMR,PRK", "bad_filter")
    return parts[0], parts[1]


# --- events -------------------------------------------------------------------------------
EVENT_FILTERS = ("actor", "source", "target", "pair", "type", "quad_class", "modality", "date_from", "date_to", "q", "doc")


def event_where(filters: dict[str, Any], alias: str = "e") -> tuple[str, list[Any]]:
    """WHERE clause (with its parameters) for the event filters; raises BadRequest on a bad value."""
    e = alias
    clauses: list[str] = []
    params: list[Any] = []
    actor = _code(filters, "actor")
    if actor:
        clauses.append(f"(list_contains({e}.source_codes, ?) OR list_contains({e}.target_codes, ?))")
        params += [actor, actor]
    source = _code(filters, "source")
    if source:
        clauses.append(f"list_contains({e}.source_codes, ?)")
        params.append(source)
    target = _code(filters, "target")
    if target:
        clauses.append(f"list_contains({e}.target_codes, ?)")
        params.append(target)
    pair = _pair(filters)
    if pair:
        clauses.append(f"((list_contains({e}.source_codes, ?) AND list_contains({e}.target_codes, ?)) OR "
                       f"(list_contains({e}.source_codes, ?) AND list_contains({e}.target_codes, ?)))")
        params += [pair[0], pair[1], pair[1], pair[0]]
    event_type = _code(filters, "type")
    if event_type:
        clauses.append(f"upper({e}.type) = ?")
        params.append(event_type)
    quad = _quad_class(filters)
    if quad is not None:
        clauses.append(f"{e}.quad_class = ?")
        params.append(quad)
    modality = _text(filters, "modality")
    if modality:
        clauses.append(f"lower({e}.modality) = ?")
        params.append(modality.lower())
    date_from = _date(filters, "date_from")
    if date_from:
        clauses.append(f"substr({e}.date_value, 1, ?) >= ?")
        params += [len(date_from), date_from]
    date_to = _date(filters, "date_to")
    if date_to:
        clauses.append(f"substr({e}.date_value, 1, ?) <= ?")
        params += [len(date_to), date_to]
    if date_from and date_to and date_from > date_to:
        raise BadRequest("date_from is after date_to", "bad_filter")
    q = _text(filters, "q")
    if q:
        clauses.append(f"{e}.evidence_text ILIKE ? ESCAPE '\\'")
        params.append(_contains(q))
    doc = _text(filters, "doc")
    if doc:
        clause, doc_params = _doc_clause(f"{e}.doc_id", doc)
        clauses.append(clause)
        params += doc_params
    return (" AND ".join(clauses) or "TRUE"), params


def _event_row(row: dict[str, Any]) -> dict[str, Any]:
    for column in EVENT_JSON_COLUMNS:
        value = row.get(column)
        if isinstance(value, str):
            try:
                row[column] = json.loads(value)
            except ValueError:
                pass
    return row


def list_events(store: Store, filters: dict[str, Any], limit: int, cursor: str | None) -> Page:
    where, params = event_where(filters)
    key = decode_cursor(cursor, "events", (str, str))
    if key is not None:
        where += " AND (coalesce(e.date_value, ?), e.id) > (?, ?)"
        params += [LAST, key[0], key[1]]
    sql = (
        "SELECT p.*, d.title AS doc_title, d.publisher AS doc_publisher, d.published AS doc_published FROM ("
        "  SELECT e.*, coalesce(e.date_value, ?) AS _sort FROM events e"
        f"  WHERE {where} ORDER BY _sort, e.id LIMIT ?"
        ") p LEFT JOIN documents d ON d.id = p.doc_id ORDER BY p._sort, p.id")
    rows = store.query(sql, [LAST, *params, limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor("events", [rows[-1]["_sort"], rows[-1]["id"]])
    for row in rows:
        row.pop("_sort", None)
        _event_row(row)
    return Page(rows, limit, next_cursor)


# --- documents ----------------------------------------------------------------------------
def list_documents(store: Store, filters: dict[str, Any], limit: int, cursor: str | None) -> Page:
    clauses: list[str] = []
    params: list[Any] = []
    status = _text(filters, "status")
    if status:
        if status not in ("ok", "failed"):
            raise BadRequest("status must be ok or failed", "bad_filter")
        clauses.append("status = ?")
        params.append(status)
    q = _text(filters, "q")
    if q:
        clauses.append("(title ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\')")
        params += [_contains(q), _contains(q)]
    publisher = _text(filters, "publisher")
    if publisher:
        clauses.append("publisher ILIKE ? ESCAPE '\\'")
        params.append(_contains(publisher))
    key = decode_cursor(cursor, "documents", (str, str))
    if key is not None:
        clauses.append("(coalesce(CAST(published AS VARCHAR), ?), id) > (?, ?)")
        params += [LAST, key[0], key[1]]
    where = " AND ".join(clauses) or "TRUE"
    rows = store.query(
        "SELECT id, source_id, title, url, published, publisher, language, status, reason, origin, "
        "length(text) AS chars, ingested_at, coalesce(CAST(published AS VARCHAR), ?) AS _sort "
        f"FROM documents WHERE {where} ORDER BY _sort, id LIMIT ?", [LAST, *params, limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor("documents", [rows[-1]["_sort"], rows[-1]["id"]])
    counts = _document_counts(store, [r["id"] for r in rows])
    for row in rows:
        row.pop("_sort", None)
        row.update(counts.get(row["id"], {"times": 0, "actors": 0, "quotes": 0, "events": 0}))
    return Page(rows, limit, next_cursor)


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
                           [_like(doc) + "%"])
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
        "SELECT idx, start_char AS start, end_char AS \"end\", content, direct, partial, cue, speaker_entity, speaker_text, "
        "speaker_start, speaker_end, speaker_name, speaker_description, anonymous, anonymity_reason, speaker_code, "
        "speaker_sector, nested_in FROM quotes WHERE doc_id = ? ORDER BY idx", [doc_id])
    events = [_event_row(row) for row in store.query(
        "SELECT * FROM events WHERE doc_id = ? ORDER BY evidence_start NULLS LAST, id", [doc_id])]
    reports = store.query("SELECT * FROM relation_reports WHERE doc_id = ? ORDER BY evidence_start NULLS LAST, event_id",
                          [doc_id])
    return {"document": document, "times": times, "actors": actors, "quotes": quotes, "events": events,
            "relation_reports": reports}


# --- quotes and actors ----------------------------------------------------------------------
def list_quotes(store: Store, filters: dict[str, Any], limit: int, cursor: str | None) -> Page:
    clauses: list[str] = []
    params: list[Any] = []
    speaker = _text(filters, "speaker")
    if speaker:
        clauses.append("(q.speaker_name ILIKE ? ESCAPE '\\' OR q.speaker_text ILIKE ? ESCAPE '\\' "
                       "OR q.speaker_description ILIKE ? ESCAPE '\\' OR q.speaker_code = ?)")
        params += [_contains(speaker)] * 3 + [speaker.upper()]
    doc = _text(filters, "doc")
    if doc:
        clause, doc_params = _doc_clause("q.doc_id", doc)
        clauses.append(clause)
        params += doc_params
    text = _text(filters, "q")
    if text:
        clauses.append("q.content ILIKE ? ESCAPE '\\'")
        params.append(_contains(text))
    for name in ("anonymous", "direct"):  # true or false
        flag = _flag(filters, name)
        if flag is not None:
            clauses.append(f"coalesce(q.{name}, FALSE) = ?")
            params.append(flag)
    key = decode_cursor(cursor, "quotes", (str, str, int))
    if key is not None:
        clauses.append("(coalesce(CAST(d.published AS VARCHAR), ?), q.doc_id, q.idx) > (?, ?, ?)")
        params += [LAST, *key]
    where = " AND ".join(clauses) or "TRUE"
    rows = store.query(
        "SELECT q.doc_id, d.source_id, d.title AS doc_title, d.published AS doc_published, d.publisher AS doc_publisher, "
        "q.idx, q.start_char AS start, q.end_char AS \"end\", q.direct, q.partial, q.cue, q.speaker_entity, "
        "coalesce(q.speaker_name, q.speaker_description, q.speaker_text) AS speaker, q.speaker_text, q.anonymous, "
        "q.anonymity_reason, q.speaker_code, q.speaker_sector, q.content, "
        "coalesce(CAST(d.published AS VARCHAR), ?) AS _sort "
        f"FROM quotes q JOIN documents d ON d.id = q.doc_id WHERE {where} ORDER BY _sort, q.doc_id, q.idx LIMIT ?",
        [LAST, *params, limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor("quotes", [last["_sort"], last["doc_id"], int(last["idx"])])
    for row in rows:
        row.pop("_sort", None)
    return Page(rows, limit, next_cursor)


def list_actors(store: Store, filters: dict[str, Any], limit: int, cursor: str | None) -> Page:
    """Resolved actors (one row per code, sector, name, entity, kind) with mention and document counts."""
    clauses = ["a.kind IS DISTINCT FROM 'location'"]
    params: list[Any] = []
    code = _code(filters, "code")
    if code:
        clauses.append("a.code = ?")
        params.append(code)
    doc = _text(filters, "doc")
    if doc:
        clause, doc_params = _doc_clause("a.doc_id", doc)
        clauses.append(clause)
        params += doc_params
    kind = _word(filters, "kind")
    if kind:
        clauses.append("a.kind = ?")
        params.append(kind.lower())
    outer = "TRUE"
    outer_params: list[Any] = []
    key = decode_cursor(cursor, "actors", (int, str))
    if key is not None:
        outer = "(mentions < ? OR (mentions = ? AND _sort > ?))"
        outer_params = [key[0], key[0], key[1]]
    sql = (
        "WITH g AS (SELECT a.code, a.sector, a.name, a.entity, a.kind, count(*) AS mentions, "
        "count(DISTINCT a.doc_id) AS documents, "
        "concat_ws(chr(31), coalesce(a.code, chr(127)), coalesce(a.sector, ''), coalesce(a.name, ''), "
        "coalesce(a.entity, ''), coalesce(a.kind, '')) AS _sort "
        f"FROM actors a WHERE {' AND '.join(clauses)} GROUP BY a.code, a.sector, a.name, a.entity, a.kind) "
        f"SELECT * FROM g WHERE {outer} ORDER BY mentions DESC, _sort LIMIT ?")
    rows = store.query(sql, [*params, *outer_params, limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor("actors", [int(rows[-1]["mentions"]), rows[-1]["_sort"]])
    for row in rows:
        row.pop("_sort", None)
    return Page(rows, limit, next_cursor)


# --- network --------------------------------------------------------------------------------
def network(store: Store, filters: dict[str, Any], limit: int) -> dict[str, Any]:
    """Weighted directed edges source -> target per quad class, from events' actor codes."""
    where, params = event_where(filters)
    edges = store.query(
        "SELECT s.code AS source, t.code AS target, e.quad_class, count(*) AS weight, "
        "round(avg(e.goldstein), 2) AS goldstein "
        "FROM events e, unnest(e.source_codes) AS s(code), unnest(e.target_codes) AS t(code) "
        f"WHERE {where} AND s.code <> t.code "
        "GROUP BY ALL ORDER BY weight DESC, source, target, quad_class NULLS LAST LIMIT ?", [*params, limit])
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
    filters = {"a": a, "b": b, "kind": kind, "as_of": as_of}
    code_a, code_b = _code(filters, "a"), _code(filters, "b")
    if not code_a or not code_b:
        raise BadRequest("a and b (two actor codes, e.g. a=MMR&b=PRK) are required", "bad_filter")
    if code_a == code_b:
        raise BadRequest("a and b must be two different actors", "bad_filter")
    kind_value = (_word(filters, "kind") or "diplomatic").lower()
    return code_a, code_b, kind_value, _date(filters, "as_of")


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
