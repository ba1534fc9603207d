"""Routes behind the web page's overview, map and actors views (aggregates over the store).

Every aggregate carries what the page needs to click through to the events behind it:
counts over time give the period (a ``date_from``/``date_to`` pair), top pairs the two
codes, places the events themselves (id and document, so the page opens their evidence).
Event filters are the ones of ``/api/events``.
"""
from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Query, Request, Response

from legation.api import queries
from legation.api.queries import BadRequest, NotFound
from legation.output import dumps
from legation.query import ActorIndexQuery, OverviewQuery

router = APIRouter()

MAX_PAIRS = 50
MAX_PLACES = 300
EVENTS_PER_PLACE = 20
# a span longer than this many years is counted by year, shorter ones by month
YEARLY_SPAN = 8
_MONTH = re.compile(r"^(\d{4})-(\d{2})")
_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})")
_YEAR = re.compile(r"^(\d{4})")


def _json(data: Any) -> Response:
    return Response(dumps(data), media_type="application/json")


def _event_filters(request: Request) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in queries.EVENT_FILTERS:
        values = request.query_params.getlist(name)
        if len(values) > 1:
            raise BadRequest(f"give {name} once", "bad_filter")
        out[name] = values[0] if values else None
    return out


def _month_of_week(year: int, week: int) -> str:
    """The month holding the Thursday of ISO week ``week`` of ``year`` (the week's month by ISO rules)."""
    import datetime

    thursday = datetime.date.fromisocalendar(year, week, 4)
    return f"{thursday.year:04d}-{thursday.month:02d}"


def period_of(date_value: str | None) -> tuple[str | None, str | None]:
    """(month, year) a TIMEX date value falls in; month None when the value is coarser than a month."""
    if not date_value:
        return None, None
    match = _MONTH.match(date_value)
    if match:
        return f"{match.group(1)}-{match.group(2)}", match.group(1)
    match = _WEEK.match(date_value)
    if match:
        try:
            month = _month_of_week(int(match.group(1)), int(match.group(2)))
        except ValueError:
            return None, match.group(1)
        return month, month[:4]
    match = _YEAR.match(date_value)
    return (None, match.group(1)) if match else (None, None)


@router.get("/api/overview", tags=["overview"], response_class=Response,
            summary="Event counts over time by quad class or PLOVER type, and the top actor pairs (event filters apply)")
def overview(request: Request,
             by: str = Query("quad_class", description="quad_class or type"),
             interval: str | None = Query(None, description="month or year (default: year when the dates span "
                                                            f"more than {YEARLY_SPAN} years)"),
             pairs: str | None = Query(None, description=f"top pairs to return (default 15, at most {MAX_PAIRS})"),
             ) -> Response:
    settings = OverviewQuery.parse(by=by, interval=interval)  # QueryError (422) with the allowed values
    by, interval = settings.by, settings.interval
    top = queries.parse_limit(pairs, 15, MAX_PAIRS)
    where, params = queries.event_where(_event_filters(request))
    column = "CAST(e.quad_class AS VARCHAR)" if by == "quad_class" else "upper(e.type)"
    with request.app.state.store.read() as store:
        # counted per month prefix (weeks whole, as their month is the Thursday's); periods made here
        rows = store.query("SELECT CASE WHEN substr(e.date_value, 6, 1) = 'W' THEN e.date_value "
                           f"ELSE substr(e.date_value, 1, 7) END AS date_value, {column} AS key, count(*) AS n "
                           f"FROM events e WHERE {where} GROUP BY ALL", params)
        # unnest in the select list (a lateral unnest over a million events is twenty times slower);
        # an event by A and B on each other ("A and B restored ties") counts once for the pair
        pair_rows = store.query(
            "WITH s AS (SELECT e.quad_class, unnest(e.source_codes) AS s, e.source_codes, e.target_codes "
            f"  FROM events e WHERE {where}), "
            "p AS (SELECT quad_class, s, unnest(target_codes) AS t, source_codes, target_codes FROM s) "
            "SELECT least(s, t) AS a, greatest(s, t) AS b, count(*) AS events, "
            "count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict FROM p "
            "WHERE s <> t AND (s < t OR NOT (list_contains(source_codes, t) AND list_contains(target_codes, s))) "
            "GROUP BY ALL ORDER BY events DESC, a, b LIMIT ?", [*params, top])
    total = sum(int(r["n"]) for r in rows)
    years = sorted({y for r in rows for y in [period_of(r["date_value"])[1]] if y})
    chosen = interval or ("year" if years and int(years[-1]) - int(years[0]) > YEARLY_SPAN else "month")
    counts: dict[tuple[str, str], int] = {}
    undated = coarser = 0
    for row in rows:
        month, year = period_of(row["date_value"])
        period = month if chosen == "month" else year
        if year is None:
            undated += int(row["n"])
            continue
        if period is None:
            coarser += int(row["n"])
            continue
        key = row["key"] if row["key"] is not None else "none"
        counts[(period, key)] = counts.get((period, key), 0) + int(row["n"])
    keys = sorted({k for _, k in counts}, key=lambda k: (k == "none", k))
    series = [{"period": p, "key": k, "count": n} for (p, k), n in sorted(counts.items())]
    return _json({"by": by, "interval": chosen, "keys": keys, "series": series, "total": total,
                  "undated": undated, "coarser": coarser, "pairs": pair_rows,
                  "quad_classes": {str(k): v for k, v in queries.QUAD_CLASSES.items()}})


@router.get("/api/overview/places", tags=["overview"], response_class=Response,
            summary="Where events happened: places with coordinates and their events (event filters apply)")
def places(request: Request) -> Response:
    where, params = queries.event_where(_event_filters(request))
    with request.app.state.store.read() as store:
        rows = store.query(
            "WITH l AS (SELECT e.id, e.doc_id, e.type, e.quad_class, e.date_value, e.evidence_text, e.trigger_text, "
            "  json_extract_string(e.location, '$.text') AS text, json_extract_string(e.location, '$.code') AS code, "
            "  TRY_CAST(json_extract(e.location, '$.latitude') AS DOUBLE) AS latitude, "
            "  TRY_CAST(json_extract(e.location, '$.longitude') AS DOUBLE) AS longitude "
            f"  FROM events e WHERE e.location IS NOT NULL AND {where}), "
            "g AS (SELECT text, code, any_value(latitude) AS latitude, any_value(longitude) AS longitude, "
            "  count(*) AS events FROM l GROUP BY text, code ORDER BY events DESC, code, text LIMIT ?), "
            "r AS (SELECT l.*, row_number() OVER (PARTITION BY l.text, l.code ORDER BY l.date_value NULLS LAST, l.id) AS k "
            "  FROM l JOIN g ON g.text IS NOT DISTINCT FROM l.text AND g.code IS NOT DISTINCT FROM l.code) "
            "SELECT g.*, list({'id': r.id, 'doc_id': r.doc_id, 'type': r.type, 'quad_class': r.quad_class, "
            "  'date_value': r.date_value, 'evidence_text': r.evidence_text, 'trigger_text': r.trigger_text} "
            "  ORDER BY r.k) AS items "
            "FROM g JOIN r ON r.text IS NOT DISTINCT FROM g.text AND r.code IS NOT DISTINCT FROM g.code "
            "WHERE r.k <= ? GROUP BY ALL ORDER BY g.events DESC, g.code, g.text",
            [*params, MAX_PLACES, EVENTS_PER_PLACE])
        located = store.query(f"SELECT count(*) FILTER (WHERE e.location IS NOT NULL) AS located, count(*) AS total "
                              f"FROM events e WHERE {where}", params)[0]
    gazetteer = None
    out = []
    for row in rows:
        precision = "place"
        if row["latitude"] is None or row["longitude"] is None:
            if gazetteer is None:
                from legation.actors.gazetteer import gazetteer as load

                gazetteer = load()
            place = gazetteer.lookup(row["text"] or "") if row["text"] else None
            if place is not None and place.code == row["code"]:
                row["latitude"], row["longitude"] = place.latitude, place.longitude
            else:
                precision = "country"  # the page puts it at the country's centre
        row["precision"] = precision
        out.append(row)
    return _json({"places": out, "located": int(located["located"]), "total": int(located["total"]),
                  "events_per_place": EVENTS_PER_PLACE})


# --- actors -----------------------------------------------------------------------------------
def _code_counts(store: Any, codes: list[str]) -> dict[str, dict[str, int]]:
    """Events each code takes part in (as source, as target, either) and quotes it is the speaker of."""
    out = {c: {"events": 0, "as_source": 0, "as_target": 0, "quotes": 0} for c in codes}
    if not codes:
        return out
    # unnest in the select list (a lateral unnest over a million events is twenty times slower);
    # events = as source + as target - as both
    for row in store.query(
            "SELECT code, sum(src) + sum(tgt) - sum(both_) AS events, sum(src) AS as_source, sum(tgt) AS as_target FROM ("
            " SELECT unnest(source_codes) AS code, 1 AS src, 0 AS tgt, 0 AS both_ FROM events"
            " UNION ALL SELECT unnest(target_codes), 0, 1, 0 FROM events"
            " UNION ALL SELECT code, 0, 0, 1 FROM (SELECT unnest(source_codes) AS code, target_codes FROM events) "
            "  WHERE list_contains(target_codes, code)"
            ") WHERE list_contains(?, code) GROUP BY code", [codes]):
        out[row["code"]].update(events=int(row["events"]), as_source=int(row["as_source"]),
                                as_target=int(row["as_target"]))
    for row in store.query("SELECT speaker_code AS code, count(*) AS n FROM quotes WHERE list_contains(?, speaker_code) "
                           "GROUP BY speaker_code", [codes]):
        out[row["code"]]["quotes"] = int(row["n"])
    return out


@router.get("/api/actor-index", tags=["actors"], response_class=Response,
            summary="Actors by code: names, mention, event and quote counts; search by name or code")
def actor_index(request: Request, q: str | None = Query(None, description="code, or part of a name or mention"),
                kind: str | None = Query(None, description="country, organisation, person, group"),
                limit: str | None = Query(None)) -> Response:
    size = queries.parse_limit(limit, 100, queries.MAX_LIMIT)
    clauses = ["a.code IS NOT NULL", "a.kind IS DISTINCT FROM 'location'"]
    params: list[Any] = []
    wanted = ActorIndexQuery.parse(q=q, kind=kind)  # QueryError (422) with the allowed values
    text = wanted.q or ""
    if text:
        clauses.append("a.code IN (SELECT code FROM actors WHERE code = ? OR name ILIKE ? ESCAPE '\\' "
                       "OR text ILIKE ? ESCAPE '\\')")
        pattern = queries._contains(text)
        params += [text.upper(), pattern, pattern]
    if wanted.kind:
        clauses.append("a.kind = ?")
        params.append(wanted.kind)
    with request.app.state.store.read() as store:
        rows = store.query(
            "SELECT a.code, count(*) AS mentions, count(DISTINCT a.doc_id) AS documents, "
            "mode(a.name) AS name, list(DISTINCT a.kind) AS kinds, list(DISTINCT a.sector) AS sectors "
            f"FROM actors a WHERE {' AND '.join(clauses)} GROUP BY a.code ORDER BY mentions DESC, a.code LIMIT ?",
            [*params, size])
        counts = _code_counts(store, [r["code"] for r in rows])
    for row in rows:
        row["kinds"] = sorted(k for k in row["kinds"] if k)
        row["sectors"] = sorted(s for s in row["sectors"] if s)
        row.update(counts[row["code"]])
    return _json({"items": rows, "count": len(rows), "limit": size})


@router.get("/api/actor-index/{code}", tags=["actors"], response_class=Response,
            summary="One actor: its names and mentions, events by type, partners, quote count")
def actor_profile(request: Request, code: str) -> Response:
    code = code.strip().upper()
    if not code or len(code) > 40:
        raise NotFound("no actor with that code")
    with request.app.state.store.read() as store:
        names = store.query(
            "SELECT name, kind, sector, count(*) AS mentions, count(DISTINCT doc_id) AS documents "
            "FROM actors WHERE code = ? GROUP BY ALL ORDER BY mentions DESC, name NULLS LAST, kind, sector LIMIT 15", [code])
        counts = _code_counts(store, [code])[code]
        if not names and not counts["events"] and not counts["quotes"]:
            raise NotFound(f"no actor with code {code!r} in this store", "unknown_actor")
        types = store.query(
            "SELECT e.type, count(*) AS events FROM events e WHERE list_contains(e.source_codes, ?) "
            "OR list_contains(e.target_codes, ?) GROUP BY e.type ORDER BY events DESC, e.type", [code, code])
        partners = store.query(
            "SELECT code, count(*) AS events FROM (SELECT unnest(list_distinct(list_concat(source_codes, target_codes))) "
            "AS code FROM events WHERE list_contains(source_codes, ?) OR list_contains(target_codes, ?)) "
            "WHERE code <> ? GROUP BY code ORDER BY events DESC, code LIMIT 20", [code, code, code])
    return _json({"code": code, "names": names, "types": types, "partners": partners, **counts})

