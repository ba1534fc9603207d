"""The one query layer: typed filters and the SQL they build, shared by the CLI, the API and exports.

Every filter is a pydantic model that validates what a user typed: an unknown value of an
enumerated filter (event type, modality, quad class, relation or timeline kind, actor kind,
sort column) or a date that is no date raises ``QueryError`` with a number and the allowed
values; the CLI exits non-zero with it, the API answers 422 with it. Actor filters take codes
("MMR") or names ("Myanmar", "Burma"), resolved with the actor data files.

SQL is built here and only here: every value is a bound parameter, and LIKE patterns are
escaped in one place (``like_escape``). Dates are intervals (``legation.dates``): an event
matches a from/to range when its interval (``events.date_start`` .. ``events.date_end``)
overlaps the range.
"""
from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, field_validator, model_validator

from legation.dates import FORMS as DATE_FORMS
from legation.dates import interval

MAX_TEXT = 200
LAST = "~"  # sorts after digits and letters: rows without a value come last

MODALITIES: tuple[str, ...] = ("asserted", "hedged", "hypothetical", "future", "negated")
QUAD_CLASSES: dict[int, str] = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
                                4: "material conflict"}
ACTOR_KINDS: tuple[str, ...] = ("country", "organisation", "person", "group", "people", "location")
# quotes and reported speech, then the other attributions (``attribution_kinds`` in quote_cues.yaml)
QUOTE_KINDS: tuple[str, ...] = ("direct", "partial", "indirect", "belief", "intention", "evidence", "stance", "directive",
                                "reference")
DOCUMENT_STATUSES: tuple[str, ...] = ("ok", "failed")


# --- errors ---------------------------------------------------------------------------------------
class QueryError(ValueError):
    """A filter value the query layer cannot use; ``allowed`` lists the values it can."""

    status = 422
    code = "bad_filter"

    def __init__(self, number: str, field: str, message: str, allowed: Sequence[str] | None = None):
        self.number, self.field, self.message = number, field, message
        self.allowed = list(allowed) if allowed is not None else None
        super().__init__(self.describe())

    def describe(self, names: dict[str, str] | None = None) -> str:
        """The message with the field named as the caller knows it (``--from`` on the CLI)."""
        name = (names or {}).get(self.field, self.field)
        text = f"[{self.number}] {name}: {self.message}"
        if self.allowed:
            text += "; allowed: " + ", ".join(self.allowed)
        return text

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "number": self.number, "field": self.field,
                               "message": self.describe()}
        if self.allowed is not None:
            out["allowed"] = self.allowed
        return out


class NotFoundError(LookupError):
    """A document (or other record) a filter names does not exist."""

    status = 404
    code = "not_found"

    def __init__(self, number: str, field: str, message: str):
        self.number, self.field, self.message = number, field, message
        self.allowed = None
        super().__init__(self.describe())

    def describe(self, names: dict[str, str] | None = None) -> str:
        name = (names or {}).get(self.field, self.field)
        return f"[{self.number}] {name}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "number": self.number, "field": self.field, "message": self.describe()}


class _Invalid(ValueError):
    """Raised inside validators; carries the number and allowed values to ``QueryError``."""

    def __init__(self, number: str, message: str, allowed: Sequence[str] | None = None, field: str | None = None):
        super().__init__(message)
        self.number, self.message, self.allowed, self.field = number, message, allowed, field


# E070 unknown value of an enumerated filter, E071 not a date, E072 empty date range,
# E073 malformed value (pair, text too long, unknown filter), E074 unknown actor, E075 no such document
def _unknown(value: Any, allowed: Sequence[str], what: str) -> _Invalid:
    return _Invalid("E070", f"unknown {what} {str(value)[:40]!r}", allowed)


# --- vocabularies (from the data files where they live) ---------------------------------------------
@lru_cache(maxsize=1)
def event_types() -> tuple[str, ...]:
    """PLOVER event types of the codebook (legation/data/events/cameo.yaml)."""
    from legation.knowledge import load_yaml

    data = load_yaml("events/cameo.yaml") or {}
    codes = data.get("codes") or {}
    return tuple(sorted({str(e["type"]).upper() for e in codes.values() if isinstance(e, dict) and e.get("type")}))


@lru_cache(maxsize=1)
def relation_kinds() -> tuple[str, ...]:
    """Kinds of relation a change belongs to (legation.relations.changes.CHANGES)."""
    from legation.relations.changes import CHANGES

    return tuple(sorted({kind for kind, _ in CHANGES.values()}))


@lru_cache(maxsize=1)
def _actor_index() -> tuple[dict[str, str], dict[str, str]]:
    """Lower-cased names, aliases and demonyms of countries and organisations -> code; code -> name."""
    from legation.knowledge import load_yaml

    names: dict[str, str] = {}
    labels: dict[str, str] = {}
    for row in load_yaml("actors/countries.yaml") or []:
        code = row.get("code")
        if not code:
            continue
        labels.setdefault(code, row.get("name") or code)
        for text in [row.get("name"), row.get("official"), *(row.get("aliases") or []), *(row.get("demonyms") or [])]:
            if text:
                names.setdefault(str(text).lower(), code)
    for row in load_yaml("actors/organisations.yaml") or []:
        code = row.get("code")
        if not code:
            continue
        labels.setdefault(code, row.get("name") or code)
        for text in [row.get("name"), *(row.get("aliases") or [])]:
            if text:
                names.setdefault(str(text).lower(), code)
    return names, labels


_CODE = re.compile(r"[A-Z][A-Z0-9]{1,7}")


def resolve_actor(value: str) -> str:
    """An actor code from a code ("MMR", "mmr") or a country or organisation name ("Myanmar", "Burma")."""
    text = str(value).strip()
    if not text:
        raise _Invalid("E073", "empty actor")
    if len(text) > MAX_TEXT:
        raise _Invalid("E073", f"longer than {MAX_TEXT} characters")
    names, labels = _actor_index()
    if text.upper() in labels:
        return text.upper()
    code = names.get(text.lower())
    if code is None and text.lower().startswith("the "):
        code = names.get(text[4:].lower())
    if code:
        return code
    if _CODE.fullmatch(text) or (len(text) == 3 and text.isalpha()):
        return text.upper()  # a code the data files do not list (a sector code, an unknown actor)
    close = difflib.get_close_matches(text.lower(), list(names), n=3, cutoff=0.8)
    hint = "; did you mean " + " or ".join(f"{c.title()} ({names[c]})" for c in close) if close else ""
    raise _Invalid("E074", f"no actor code or name {text[:40]!r}{hint}; give a code (MMR) or a country or "
                           f"organisation name (Myanmar)")


def actor_name(code: str | None) -> str | None:
    return _actor_index()[1].get(code) if code else None


# --- SQL helpers ------------------------------------------------------------------------------------
def like_escape(value: str) -> str:
    """``value`` as a literal inside a LIKE pattern; use with ``ESCAPE '\\'``."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(value: str) -> str:
    return f"%{like_escape(value)}%"


class Where:
    """AND-ed clauses with their bound parameters."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def sql(self) -> str:
        return " AND ".join(self.clauses) or "TRUE"


def doc_clause(column: str, doc: str) -> tuple[str, list[Any]]:
    """Rows of the documents with this id, id prefix or source id."""
    return (f"{column} IN (SELECT id FROM documents WHERE id = ? OR source_id = ? OR id LIKE ? ESCAPE '\\')",
            [doc, doc, like_escape(doc) + "%"])


def check_document(con: Any, doc: str | None, field: str = "doc") -> None:
    """NotFoundError when no document has this id, id prefix or source id."""
    if not doc:
        return
    found = con.execute("SELECT 1 FROM documents WHERE id = ? OR source_id = ? OR id LIKE ? ESCAPE '\\' LIMIT 1",
                        [doc, doc, like_escape(doc) + "%"]).fetchall()
    if not found:
        raise NotFoundError("E075", field, f"no document with id, id prefix or source id {doc[:60]!r}; "
                                           "list them with `legation documents` or GET /api/documents")


def rows(con: Any, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


# --- the filter models ------------------------------------------------------------------------------
class Filter(BaseModel):
    """Base of the filter models: strict (unknown fields refused), immutable, parsed with ``parse``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def parse(cls, data: dict[str, Any] | None = None, **values: Any) -> "Filter":
        """The model from user input; blank values count as absent; QueryError when invalid."""
        merged = {**(data or {}), **values}
        clean = {k: v for k, v in merged.items() if v is not None and not (isinstance(v, str) and not v.strip())}
        try:
            return cls(**clean)
        except ValidationError as exc:
            raise _query_error(cls, exc) from None


def _query_error(model: type[BaseModel], exc: ValidationError) -> QueryError:
    errors = exc.errors()
    first = errors[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or "filter"
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, _Invalid):
        return QueryError(cause.number, cause.field or field, cause.message, cause.allowed)
    if first.get("type") == "extra_forbidden":
        return QueryError("E073", field, "unknown filter", sorted(model.model_fields))
    message = str(first.get("msg", "invalid value"))
    return QueryError("E073", field, message.removeprefix("Value error, "))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise _Invalid("E073", f"longer than {MAX_TEXT} characters")
    return text or None


def _date(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    try:
        interval(text, strict=True)
    except ValueError as exc:
        raise _Invalid("E071", str(exc)) from None
    return text


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise _unknown(value, ["true", "false"], "boolean")


def _choice(value: Any, allowed: Sequence[str], what: str, case: str = "lower") -> str | None:
    text = _text(value)
    if text is None:
        return None
    text = text.lower() if case == "lower" else text.upper()
    if text not in allowed:
        raise _unknown(value, allowed, what)
    return text


def _quad(value: Any) -> int | None:
    if value is None:
        return None
    text = str(value).strip()
    if text not in {str(k) for k in QUAD_CLASSES}:
        raise _unknown(value, [f"{k} ({v})" for k, v in QUAD_CLASSES.items()], "quad class")
    return int(text)


def _pair(value: Any) -> tuple[str, str] | None:
    if value is None:
        return None
    parts = list(value) if isinstance(value, (list, tuple)) else [p for p in re.split(r"[,;]", str(value))]
    parts = [str(p).strip() for p in parts]
    if len(parts) != 2 or not all(parts):
        raise _Invalid("E073", "a pair is two actors separated by a comma, e.g. MMR,PRK or Myanmar,North Korea")
    a, b = resolve_actor(parts[0]), resolve_actor(parts[1])
    return a, b


def _range(date_from: str | None, date_to: str | None) -> tuple[date | None, date | None]:
    start = interval(date_from)[0] if date_from else None
    end = interval(date_to)[1] if date_to else None
    if start and end and start > end:
        raise _Invalid("E072", f"the range from {date_from} to {date_to} is empty (from is after to)")
    return start, end


# --- field types: each names the one validator its values go through -----------------------------
def _one_of(allowed: Sequence[str] | Any, what: str, case: str = "lower") -> BeforeValidator:
    """A choice among ``allowed`` (a sequence, or a function giving one when vocabularies load late)."""
    return BeforeValidator(lambda value: _choice(value, allowed() if callable(allowed) else allowed, what, case))


def _actor_ref(value: Any) -> str | None:
    return resolve_actor(value) if _text(value) else None


Text = Annotated[str | None, BeforeValidator(_text)]
ActorRef = Annotated[str | None, BeforeValidator(_actor_ref)]  # a code or a name, as a code
DateValue = Annotated[str | None, BeforeValidator(_date)]
Flag = Annotated[bool, BeforeValidator(_bool)]
OptionalFlag = Annotated[bool | None, BeforeValidator(lambda value: None if value is None else _bool(value))]
Pair = Annotated[tuple[str, str] | None, BeforeValidator(_pair)]
QuadClass = Annotated[int | None, BeforeValidator(_quad)]


@dataclass(frozen=True)
class SortKey:
    name: str
    column: str  # SQL over alias e
    kind: str  # "str", "num" or "date"

    def order(self, descending: bool) -> str:
        """ORDER BY terms: rows without a value last either way, ties by id. No expression over the column,
        so DuckDB's top-N can skip row groups by their min/max."""
        direction = "DESC" if descending else "ASC"
        return f"{self.column} {direction} NULLS LAST, e.id {direction}"

    def after(self, descending: bool, value: Any, event_id: str) -> tuple[str, list[Any]]:
        """WHERE clause for the rows after (value, id) in this order (keyset paging)."""
        op = "<" if descending else ">"
        if value is None:  # in the tail of rows without a value
            return f"({self.column} IS NULL AND e.id {op} ?)", [event_id]
        cast = "CAST(? AS DATE)" if self.kind == "date" else "?"
        return (f"({self.column} {op} {cast} OR ({self.column} = {cast} AND e.id {op} ?) OR {self.column} IS NULL)",
                [value, value, event_id])

    def key_value(self, value: Any) -> Any:
        """A sort value as it goes into a cursor (JSON): dates as ISO text."""
        return value.isoformat() if isinstance(value, date) else value

    def valid_key(self, value: Any) -> bool:
        """Whether a value from a cursor can be compared with this key."""
        if value is None:
            return True
        if self.kind == "num":
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        if not isinstance(value, str):
            return False
        if self.kind == "date":
            try:
                date.fromisoformat(value)
            except ValueError:
                return False
        return True


EVENT_SORTS: dict[str, SortKey] = {s.name: s for s in [
    SortKey("date", "e.date_start", "date"), SortKey("id", "e.id", "str"), SortKey("type", "e.type", "str"),
    SortKey("cameo", "e.cameo", "str"), SortKey("quad_class", "e.quad_class", "num"),
    SortKey("goldstein", "e.goldstein", "num"), SortKey("modality", "e.modality", "str"),
    SortKey("source", "e.source_codes[1]", "str"), SortKey("target", "e.target_codes[1]", "str"),
    SortKey("confidence", "e.confidence", "num"), SortKey("killed", "e.killed", "num"),
    SortKey("doc", "e.doc_id", "str"),
]}


class EventFilter(Filter):
    """Which events: actors (codes or names), type, quad class, modality, date range, document, text."""

    actor: ActorRef = None  # as source or target
    source: ActorRef = None
    target: ActorRef = None
    pair: Pair = None  # either direction
    type: Annotated[str | None, _one_of(event_types, "event type", case="upper")] = None
    quad_class: QuadClass = None
    modality: Annotated[str | None, _one_of(MODALITIES, "modality")] = None
    date_from: DateValue = None  # an interval: events overlapping [start of from, end of to] match
    date_to: DateValue = None
    doc: Text = None
    text: Text = None  # evidence contains
    stated_only: Flag = False  # leave out events whose source or target was supplied by default
    main_only: Flag = False  # only the event each sentence reports (rows from before ``main`` existed count)
    sort: str = "date"  # a column of EVENT_SORTS, "-" first for descending

    @field_validator("sort", mode="before")
    @classmethod
    def _sort(cls, value: Any) -> str:
        text = _text(value) or "date"
        allowed = [*EVENT_SORTS, *(f"-{s}" for s in EVENT_SORTS)]
        if text.lower() not in allowed:
            raise _unknown(value, allowed, "sort column")
        return text.lower()

    @model_validator(mode="after")
    def _dates(self) -> "EventFilter":
        try:
            _range(self.date_from, self.date_to)
        except _Invalid as exc:
            exc.field = "date_from"
            raise
        return self

    @property
    def date_range(self) -> tuple[date | None, date | None]:
        return _range(self.date_from, self.date_to)

    @property
    def sort_key(self) -> tuple[SortKey, bool]:
        return EVENT_SORTS[self.sort.lstrip("-")], self.sort.startswith("-")

    def where(self, alias: str = "e") -> Where:
        e = alias
        w = Where()
        if self.actor:
            w.add(f"(list_contains({e}.source_codes, ?) OR list_contains({e}.target_codes, ?))", self.actor, self.actor)
        if self.source:
            w.add(f"list_contains({e}.source_codes, ?)", self.source)
        if self.target:
            w.add(f"list_contains({e}.target_codes, ?)", self.target)
        if self.pair:
            a, b = self.pair
            w.add(f"((list_contains({e}.source_codes, ?) AND list_contains({e}.target_codes, ?)) OR "
                  f"(list_contains({e}.source_codes, ?) AND list_contains({e}.target_codes, ?)))", a, b, b, a)
        if self.type:
            w.add(f"{e}.type = ?", self.type)
        if self.quad_class is not None:
            w.add(f"{e}.quad_class = ?", self.quad_class)
        if self.modality:
            w.add(f"{e}.modality = ?", self.modality)
        start, end = self.date_range
        if start:
            w.add(f"{e}.date_end >= ?", start)
        if end:
            w.add(f"{e}.date_start <= ?", end)
        if self.doc:
            clause, params = doc_clause(f"{e}.doc_id", self.doc)
            w.add(clause, *params)
        if self.text:
            w.add(f"{e}.evidence_text ILIKE ? ESCAPE '\\'", contains(self.text))
        if self.stated_only:
            w.add(f"NOT coalesce({e}.source_defaulted, FALSE) AND NOT coalesce({e}.target_defaulted, FALSE)")
        if self.main_only:
            w.add(f"coalesce({e}.main, TRUE)")
        return w


class QuoteFilter(Filter):
    """Which quotes: speaker (name, description or code), actor (code or name), document, text, kind."""

    speaker: Text = None
    actor: ActorRef = None
    doc: Text = None
    text: Text = None
    kind: Annotated[str | None, _one_of(QUOTE_KINDS, "quote kind")] = None
    anonymous: OptionalFlag = None
    direct: OptionalFlag = None

    def where(self) -> Where:
        w = Where()
        if self.speaker:
            w.add("(q.speaker_name ILIKE ? ESCAPE '\\' OR q.speaker_text ILIKE ? ESCAPE '\\' "
                  "OR q.speaker_description ILIKE ? ESCAPE '\\' OR q.speaker_code = ?)",
                  *[contains(self.speaker)] * 3, self.speaker.upper())
        if self.actor:
            w.add("q.speaker_code = ?", self.actor)
        if self.doc:
            clause, params = doc_clause("q.doc_id", self.doc)
            w.add(clause, *params)
        if self.text:
            w.add("q.content ILIKE ? ESCAPE '\\'", contains(self.text))
        if self.kind:
            w.add("q.kind = ?", self.kind)
        if self.anonymous is not None:
            w.add("coalesce(q.anonymous, FALSE) = ?", self.anonymous)
        if self.direct is not None:
            w.add("coalesce(q.direct, FALSE) = ?", self.direct)
        return w


class ActorFilter(Filter):
    """Which resolved actors: code (or name), name contains, document, kind."""

    code: ActorRef = None
    name: Text = None
    doc: Text = None
    kind: Annotated[str | None, _one_of(ACTOR_KINDS, "actor kind")] = None

    def where(self) -> Where:
        w = Where()
        if self.kind:
            w.add("a.kind = ?", self.kind)
        else:
            w.add("a.kind IS DISTINCT FROM 'location'")
        if self.code:
            w.add("a.code = ?", self.code)
        if self.name:
            w.add("(a.name ILIKE ? ESCAPE '\\' OR a.text ILIKE ? ESCAPE '\\')", contains(self.name), contains(self.name))
        if self.doc:
            clause, params = doc_clause("a.doc_id", self.doc)
            w.add(clause, *params)
        return w


class ActorIndexQuery(Filter):
    """The actor index: a code, or part of a name or mention (``q``), and an actor kind."""

    q: Text = None
    kind: Annotated[str | None, _one_of(ACTOR_KINDS, "actor kind")] = None


OVERVIEW_GROUPS = ("quad_class", "type")
OVERVIEW_INTERVALS = ("month", "year")


class OverviewQuery(Filter):
    """The overview's counts over time: grouped by quad class or PLOVER type, counted per month or
    year (None: chosen from the span of the dates)."""

    by: Annotated[str, _one_of(OVERVIEW_GROUPS, "grouping")] = "quad_class"
    interval: Annotated[str | None, _one_of(OVERVIEW_INTERVALS, "interval")] = None


class DocumentFilter(Filter):
    """Which documents: status, text or title contains, publisher contains, id."""

    status: Annotated[str | None, _one_of(DOCUMENT_STATUSES, "document status")] = None
    text: Text = None
    publisher: Text = None
    doc: Text = None

    def where(self) -> Where:
        w = Where()
        if self.status:
            w.add("status = ?", self.status)
        if self.text:
            w.add("(title ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\')", contains(self.text), contains(self.text))
        if self.publisher:
            w.add("publisher ILIKE ? ESCAPE '\\'", contains(self.publisher))
        if self.doc:
            clause, params = doc_clause("id", self.doc)
            w.add(clause, *params)
        return w


class TimesFilter(Filter):
    """Time expressions of one document (or all)."""

    doc: Text = None


class RelationFilter(Filter):
    """Pairs with relation changes: an actor (code or name) and a relation kind."""

    actor: ActorRef = None
    kind: Annotated[str | None, _one_of(relation_kinds, "relation kind")] = None


class TimelineQuery(Filter):
    """A pair's relation timeline: two actors (codes or names), a relation kind, a date to read the state on."""

    a: str
    b: str
    kind: str = "diplomatic"
    as_of: DateValue = None

    @field_validator("a", "b", mode="before")
    @classmethod
    def _actor(cls, value: Any) -> str:
        return resolve_actor(value)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> str:
        return _choice(value, relation_kinds(), "timeline kind") or "diplomatic"

    @model_validator(mode="after")
    def _two(self) -> "TimelineQuery":
        if self.a == self.b:
            raise _Invalid("E073", f"a and b must be two different actors (both are {self.a})", field="b")
        return self

    @classmethod
    def parse(cls, data: dict[str, Any] | None = None, **values: Any) -> "TimelineQuery":
        merged = {**(data or {}), **values}
        for name in ("a", "b"):
            if not _text(merged.get(name)):
                raise QueryError("E073", name, "two actors are required (codes or names, e.g. a=MMR&b=PRK)")
        return super().parse(merged)  # type: ignore[return-value]


# --- events -----------------------------------------------------------------------------------------
EVENT_VIEW_COLUMNS = """
    e.id, e.doc_id, d.source_id, e.date_value AS date, e.date_start, e.date_end, e.type, e.mode, e.cameo,
    e.quad_class, e.goldstein, array_to_string(e.source_codes, ';') AS source, array_to_string(e.target_codes, ';') AS target,
    array_to_string(json_extract_string(e.source, '$[*].name'), ';') AS source_names,
    array_to_string(json_extract_string(e.target, '$[*].name'), ';') AS target_names,
    e.modality, e.relation, e.killed, e.injured, e.confidence, e.trigger_text AS trigger,
    e.source_defaulted, e.target_defaulted, e.main, e.role, e.evidence_start, e.evidence_end, e.evidence_text
"""

# one flat table for every CSV and Parquet export (CLI and API): GDELT 2.0 names where GDELT has the
# field, the first source and target as Actor1/Actor2 and every one of them in ...Codes/...Names
EXPORT_COLUMNS = """
    e.id AS GLOBALEVENTID,
    CASE WHEN e.date_start = e.date_end THEN CAST(strftime(e.date_start, '%Y%m%d') AS INTEGER) END AS SQLDATE,
    e.date_value AS DateValue, e.date_start AS DateStart, e.date_end AS DateEnd,
    e.source_codes[1] AS Actor1Code,
    json_extract_string(e.source, '$[0].name') AS Actor1Name,
    CASE WHEN length(e.source_codes[1]) = 3 THEN e.source_codes[1] END AS Actor1CountryCode,
    json_extract_string(e.source, '$[0].sector') AS Actor1Type1Code,
    array_to_string(e.source_codes, ';') AS Actor1Codes,
    array_to_string(json_extract_string(e.source, '$[*].name'), ';') AS Actor1Names,
    e.target_codes[1] AS Actor2Code,
    json_extract_string(e.target, '$[0].name') AS Actor2Name,
    CASE WHEN length(e.target_codes[1]) = 3 THEN e.target_codes[1] END AS Actor2CountryCode,
    json_extract_string(e.target, '$[0].sector') AS Actor2Type1Code,
    array_to_string(e.target_codes, ';') AS Actor2Codes,
    array_to_string(json_extract_string(e.target, '$[*].name'), ';') AS Actor2Names,
    e.cameo AS EventCode, substr(e.cameo, 1, 3) AS EventBaseCode, substr(e.cameo, 1, 2) AS EventRootCode,
    e.quad_class AS QuadClass, e.goldstein AS GoldsteinScale,
    coalesce(c.num_mentions, 1) AS NumMentions, coalesce(c.num_sources, 1) AS NumSources,
    coalesce(c.num_articles, 1) AS NumArticles,
    json_extract_string(e.location, '$.text') AS ActionGeo_FullName,
    json_extract_string(e.location, '$.code') AS ActionGeo_CountryCode,
    TRY_CAST(json_extract(e.location, '$.latitude') AS DOUBLE) AS ActionGeo_Lat,
    TRY_CAST(json_extract(e.location, '$.longitude') AS DOUBLE) AS ActionGeo_Long,
    d.url AS SOURCEURL, d.publisher AS Publisher, d.published AS Published,
    e.type AS PloverType, e.mode AS PloverMode, e.modality AS Modality,
    json_extract_string(e.attributed_to, '$.name') AS AttributedTo, e.relation AS RelationChange,
    e.killed AS Killed, e.injured AS Injured, e.confidence AS Confidence, e.trigger_text AS TriggerText,
    e.source_defaulted AS SourceDefaulted, e.target_defaulted AS TargetDefaulted,
    e.main AS IsMainEvent, e.role AS TriggerRole,
    e.doc_id AS DocId, d.source_id AS DocSourceId,
    e.evidence_start AS EvidenceStart, e.evidence_end AS EvidenceEnd, e.evidence_text AS EvidenceText
"""

# counts derived per cluster when a batch is loaded (legation.derive), not at query time
CLUSTER_COUNTS = "LEFT JOIN event_clusters c ON c.event_id = e.id"

EVENT_JSON_COLUMNS = ("context", "source", "target", "location", "attributed_to")


def events_sql(flt: EventFilter, columns: str = "e.*", limit: int | None = None,
               after: Sequence[Any] | None = None) -> tuple[str, list[Any]]:
    """SELECT ``columns`` (over aliases e, d and c) of the matching events in the filter's order, in one query
    (exports: every row). ``after`` is the sort key ``[value, id]`` of the last row of the previous page."""
    key, descending = flt.sort_key
    w = flt.where()
    if after is not None:
        clause, params = key.after(descending, after[0], after[1])
        w.add(clause, *params)
    inner = f"SELECT e.*, {key.column} AS _sort FROM events e WHERE {w.sql()} ORDER BY {key.order(descending)}"
    params = list(w.params)
    if limit is not None:
        inner += " LIMIT ?"
        params.append(int(limit))
    clusters = CLUSTER_COUNTS if "c." in columns else ""
    direction = "DESC" if descending else "ASC"
    sql = (f"SELECT {columns}, e._sort FROM ({inner}) e LEFT JOIN documents d ON d.id = e.doc_id {clusters} "
           f"ORDER BY e._sort {direction} NULLS LAST, e.id {direction}")
    return sql, params


def count_events(con: Any, flt: EventFilter) -> int:
    check_document(con, flt.doc)
    w = flt.where()
    return int(con.execute(f"SELECT count(*) FROM events e WHERE {w.sql()}", w.params).fetchall()[0][0])


def page_keys(con: Any, flt: EventFilter, limit: int, after: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
    """(id, doc_id, sort value) of one page of matching events: a top-N over narrow columns only."""
    key, descending = flt.sort_key
    w = flt.where()
    if after is not None:
        clause, params = key.after(descending, after[0], after[1])
        w.add(clause, *params)
    return con.execute(f"SELECT e.id, e.doc_id, {key.column} AS _sort FROM events e WHERE {w.sql()} "
                       f"ORDER BY {key.order(descending)} LIMIT ?", [*w.params, int(limit)]).fetchall()


def event_rows(con: Any, flt: EventFilter, columns: str = "e.*", limit: int | None = None,
               after: Sequence[Any] | None = None) -> tuple[list[dict[str, Any]], list[Any] | None]:
    """Matching events and, when there are more, the key to pass as ``after`` for the next page.

    A page is read in two steps, so its cost does not grow with the width of the rows: the top-N of
    (sort value, id) over the matching events, then those rows and their documents by primary key.
    """
    check_document(con, flt.doc)
    if not limit:
        found = rows(con, *events_sql(flt, columns))
        for row in found:
            row.pop("_sort", None)
        return found, None
    keys = page_keys(con, flt, limit + 1, after)
    next_key = None
    if len(keys) > limit:
        keys = keys[:limit]
        sort_key, _ = flt.sort_key
        next_key = [sort_key.key_value(keys[-1][2]), keys[-1][0]]
    if not keys:
        return [], None
    ids = [k[0] for k in keys]
    docs = sorted({k[1] for k in keys})
    clusters = CLUSTER_COUNTS if "c." in columns else ""
    sql = (f"SELECT {columns}, e.id AS _id FROM (SELECT *, NULL AS _sort FROM events WHERE id IN ({', '.join('?' * len(ids))})) e "
           f"LEFT JOIN (SELECT * FROM documents WHERE id IN ({', '.join('?' * len(docs))})) d ON d.id = e.doc_id {clusters}")
    by_id = {row.pop("_id"): row for row in rows(con, sql, [*ids, *docs])}
    found = [by_id[i] for i in ids if i in by_id]
    for row in found:
        row.pop("_sort", None)
    return found, next_key


def decode_event_json(row: dict[str, Any]) -> dict[str, Any]:
    for column in EVENT_JSON_COLUMNS:
        value = row.get(column)
        if isinstance(value, str):
            try:
                row[column] = json.loads(value)
            except ValueError:
                pass
    return row


def list_events(con: Any, flt: EventFilter, limit: int | None = None,
                after: Sequence[Any] | None = None) -> tuple[list[dict[str, Any]], list[Any] | None]:
    """Events as stored (JSON columns decoded) with their document's title, publisher and date."""
    found, next_key = event_rows(
        con, flt, "e.* EXCLUDE (_sort), d.title AS doc_title, d.publisher AS doc_publisher, "
                  "d.published AS doc_published, d.source_id AS doc_source_id", limit, after)
    return [decode_event_json(r) for r in found], next_key


def export_sql(flt: EventFilter, columns: str = EXPORT_COLUMNS) -> tuple[str, list[Any]]:
    """The flat export table of the matching events (no _sort column)."""
    sql, params = events_sql(flt, columns)
    return f"SELECT * EXCLUDE (_sort) FROM ({sql})", params


def iter_export(con: Any, flt: EventFilter, batch_rows: int = 10_000,
                columns: str = EXPORT_COLUMNS) -> tuple[list[str], Iterator[list[tuple[Any, ...]]]]:
    """Column names and batches of rows of the full export, fetched as they are read (no cap)."""
    check_document(con, flt.doc)
    sql, params = export_sql(flt, columns)
    cursor = con.execute(sql, params)
    names = [c[0] for c in cursor.description]

    def batches() -> Iterator[list[tuple[Any, ...]]]:
        while True:
            chunk = cursor.fetchmany(batch_rows)
            if not chunk:
                return
            yield chunk

    return names, batches()


def write_export(con: Any, flt: EventFilter, fmt: str, path: str, columns: str = EXPORT_COLUMNS) -> int:
    """Write the full export to a CSV or Parquet file through DuckDB; the number of rows written."""
    check_document(con, flt.doc)
    sql, params = export_sql(flt, columns)
    option = "(FORMAT PARQUET)" if fmt == "parquet" else "(FORMAT CSV, HEADER)"
    target = str(path).replace("'", "''")
    con.execute(f"COPY ({sql}) TO '{target}' {option}", params)
    return count_events(con, flt)


# --- quotes, actors, documents, times ---------------------------------------------------------------
QUOTE_COLUMNS = ("q.doc_id, d.source_id, d.title AS doc_title, d.published AS doc_published, "
                 "d.publisher AS doc_publisher, q.idx, q.start_char AS start, q.end_char AS \"end\", q.kind, q.direct, "
                 "q.partial, q.segments, q.cue, q.speaker_entity, coalesce(q.speaker_name, q.speaker_description, q.speaker_text) "
                 "AS speaker, q.speaker_text, q.anonymous, q.anonymity_reason, q.speaker_code, q.speaker_sector, q.content")


def _after_published(column: str, tail: str, value: Any, tail_values: Sequence[Any]) -> tuple[str, list[Any]]:
    """Keyset clause for ``ORDER BY column NULLS LAST, <tail>``: rows after (value, *tail_values)."""
    marks = ", ".join("?" * len(tail_values))
    if value is None:
        return f"({column} IS NULL AND ({tail}) > ({marks}))", list(tail_values)
    return (f"({column} > CAST(? AS DATE) OR ({column} = CAST(? AS DATE) AND ({tail}) > ({marks})) OR {column} IS NULL)",
            [value, value, *tail_values])


def _published_key(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def valid_published_key(value: Any) -> bool:
    """Whether a cursor's first value is a publication date (ISO) or None (undated documents)."""
    if value is None:
        return True
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def list_quotes(con: Any, flt: QuoteFilter, limit: int | None = None,
                after: Sequence[Any] | None = None) -> tuple[list[dict[str, Any]], list[Any] | None]:
    """Quotes with their speakers, oldest document first; keyset ``[published, doc_id, idx]``.

    A page is a top-N over (published, doc_id, idx) first, then those quotes' columns by document."""
    check_document(con, flt.doc)
    w = flt.where()
    if after is not None:
        clause, params = _after_published("d.published", "q.doc_id, q.idx", after[0], after[1:])
        w.add(clause, *params)
    order = "ORDER BY d.published NULLS LAST, q.doc_id, q.idx"
    if not limit:
        return quote_rows(rows(con, f"SELECT {QUOTE_COLUMNS} FROM quotes q JOIN documents d ON d.id = q.doc_id "
                                     f"WHERE {w.sql()} {order}", w.params)), None
    keys = con.execute(f"SELECT q.doc_id, q.idx, d.published FROM quotes q JOIN documents d ON d.id = q.doc_id "
                       f"WHERE {w.sql()} {order} LIMIT ?", [*w.params, limit + 1]).fetchall()
    next_key = None
    if len(keys) > limit:
        keys = keys[:limit]
        next_key = [_published_key(keys[-1][2]), keys[-1][0], int(keys[-1][1])]
    if not keys:
        return [], None
    docs = sorted({k[0] for k in keys})
    marks = ", ".join("?" * len(docs))
    found = rows(con, f"SELECT {QUOTE_COLUMNS} FROM (SELECT * FROM quotes WHERE doc_id IN ({marks})) q "
                      f"JOIN (SELECT * FROM documents WHERE id IN ({marks})) d ON d.id = q.doc_id", [*docs, *docs])
    by_key = {(r["doc_id"], r["idx"]): r for r in quote_rows(found)}
    return [by_key[(k[0], k[1])] for k in keys if (k[0], k[1]) in by_key], next_key


def quote_rows(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Quote rows with ``segments`` as a list of [start, end] pairs (the JSON column comes back as text)."""
    for row in found:
        pieces = row.get("segments")
        if isinstance(pieces, str):
            row["segments"] = json.loads(pieces)
        elif pieces is None and "start" in row:
            row["segments"] = [[row["start"], row["end"]]]
    return found


def count_quotes(con: Any, flt: QuoteFilter) -> int:
    w = flt.where()
    return int(con.execute(f"SELECT count(*) FROM quotes q WHERE {w.sql()}", w.params).fetchall()[0][0])


ACTOR_KEY = ("concat_ws(chr(31), coalesce(a.code, chr(127)), coalesce(a.sector, ''), coalesce(a.name, ''), "
             "coalesce(a.entity, ''), coalesce(a.kind, ''))")


def update_actor_summary(con: Any, actors_sql: str, sign: int) -> None:
    """Add (sign 1) or take away (-1) the mentions and documents of the actor rows ``actors_sql`` names (a
    table or subquery with the actors table's columns) to ``actor_summary``. The batch writer calls it
    with the batch it loads and with the stored rows of documents it replaces, so its cost follows the
    batch, and the actor list never counts over every mention."""
    delta = (f"SELECT {ACTOR_KEY} AS key, a.code, a.sector, a.name, a.entity, a.kind, {int(sign)} * count(*) AS mentions, "
             f"{int(sign)} * count(DISTINCT a.doc_id) AS documents FROM {actors_sql} a GROUP BY ALL")
    con.execute(f"UPDATE actor_summary SET mentions = actor_summary.mentions + d.mentions, "
                f"documents = actor_summary.documents + d.documents FROM ({delta}) d WHERE actor_summary.key = d.key")
    if sign > 0:
        con.execute(f"INSERT INTO actor_summary SELECT d.key, d.code, d.sector, d.name, d.entity, d.kind, d.mentions, "
                    f"d.documents FROM ({delta}) d WHERE d.key NOT IN (SELECT key FROM actor_summary)")


def _summary_is_current(con: Any) -> bool:
    """Whether actor_summary counts every stored mention (a store written around the writer is not)."""
    try:
        summed, stored = con.execute("SELECT (SELECT coalesce(sum(mentions), 0) FROM actor_summary), "
                                     "(SELECT count(*) FROM actors)").fetchall()[0]
    except Exception:  # noqa: BLE001 - an older store without the table
        return False
    return int(summed) == int(stored)


def list_actors(con: Any, flt: ActorFilter, limit: int | None = None,
                after: Sequence[Any] | None = None) -> tuple[list[dict[str, Any]], list[Any] | None]:
    """Resolved actors (one row per code, sector, name, entity, kind) with mention and document counts,
    most mentioned first; keyset ``[mentions, sort text]``. Without a document filter the counts come
    from ``actor_summary`` (kept by the batch writer), else from the document's mentions."""
    check_document(con, flt.doc)
    outer = Where()
    if after is not None:
        outer.add("(mentions < ? OR (mentions = ? AND _sort > ?))", after[0], after[0], after[1])
    if flt.doc is None and _summary_is_current(con):
        w = Where()
        w.add("a.mentions > 0")
        w.add("a.kind = ?", flt.kind) if flt.kind else w.add("a.kind IS DISTINCT FROM 'location'")
        if flt.code:
            w.add("a.code = ?", flt.code)
        if flt.name:
            w.add("a.name ILIKE ? ESCAPE '\\'", contains(flt.name))
        sql = (f"WITH g AS (SELECT a.code, a.sector, a.name, a.entity, a.kind, a.mentions, a.documents, a.key AS _sort "
               f"FROM actor_summary a WHERE {w.sql()}) SELECT * FROM g WHERE {outer.sql()} ORDER BY mentions DESC, _sort")
    else:
        w = flt.where()
        sql = (f"WITH g AS (SELECT a.code, a.sector, a.name, a.entity, a.kind, count(*) AS mentions, "
               f"count(DISTINCT a.doc_id) AS documents, {ACTOR_KEY} AS _sort "
               f"FROM actors a WHERE {w.sql()} GROUP BY a.code, a.sector, a.name, a.entity, a.kind) "
               f"SELECT * FROM g WHERE {outer.sql()} ORDER BY mentions DESC, _sort")
    params = [*w.params, *outer.params]
    if limit:
        sql += " LIMIT ?"
        params.append(limit + 1)
    found = rows(con, sql, params)
    next_key = None
    if limit and len(found) > limit:
        found = found[:limit]
        next_key = [int(found[-1]["mentions"]), found[-1]["_sort"]]
    for row in found:
        row.pop("_sort", None)
        row["mentions"], row["documents"] = int(row["mentions"]), int(row["documents"])
    return found, next_key


DOCUMENT_COLUMNS = ("id, source_id, title, url, published, publisher, language, status, reason, warnings, origin, "
                    "length(text) AS chars, ingested_at")


def list_documents(con: Any, flt: DocumentFilter, limit: int | None = None,
                   after: Sequence[Any] | None = None) -> tuple[list[dict[str, Any]], list[Any] | None]:
    """Documents, oldest first (undated last); keyset ``[published, id]``."""
    check_document(con, flt.doc)
    w = flt.where()
    if after is not None:
        clause, params = _after_published("published", "id", after[0], after[1:])
        w.add(clause, *params)
    sql = f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE {w.sql()} ORDER BY published NULLS LAST, id"
    params = list(w.params)
    if limit:
        sql += " LIMIT ?"
        params.append(limit + 1)
    found = rows(con, sql, params)
    next_key = None
    if limit and len(found) > limit:
        found = found[:limit]
        next_key = [_published_key(found[-1]["published"]), found[-1]["id"]]
    return found, next_key


def list_times(con: Any, flt: TimesFilter) -> list[dict[str, Any]]:
    check_document(con, flt.doc)
    w = Where()
    if flt.doc:
        clause, params = doc_clause("t.doc_id", flt.doc)
        w.add(clause, *params)
    return rows(con, "SELECT t.doc_id, d.source_id, t.tid, t.start_char AS start, t.end_char AS \"end\", t.text, t.type, "
                     "t.value, t.mod, t.anchor, t.resolution FROM time_expressions t JOIN documents d ON d.id = t.doc_id "
                     f"WHERE {w.sql()} ORDER BY d.published NULLS LAST, t.doc_id, t.start_char", w.params)


def list_relations(con: Any, flt: RelationFilter) -> list[dict[str, Any]]:
    """Pairs with changes, the latest change first."""
    w = Where()
    if flt.actor:
        w.add("(a = ? OR b = ?)", flt.actor, flt.actor)
    if flt.kind:
        w.add("kind = ?", flt.kind)
    return rows(con, "SELECT a, b, kind, count(*) AS changes, max(date_value) AS latest_change_date, "
                     "arg_max(change, coalesce(date_value, '')) AS latest_change, sum(num_documents) AS reports "
                     f"FROM relation_changes WHERE {w.sql()} GROUP BY a, b, kind "
                     "ORDER BY latest_change_date DESC NULLS LAST, a, b", w.params)


def timeline(store: Any, query: TimelineQuery) -> dict[str, Any]:
    """A pair's merged relation changes, the states between them and the state as of a date."""
    from legation.relations.timeline import get_timeline

    return get_timeline(store, query.a, query.b, query.kind, query.as_of)


# --- streamed exports -------------------------------------------------------------------------------
def export_reader(con: Any, flt: EventFilter, batch_rows: int = 50_000, columns: str = EXPORT_COLUMNS) -> Any:
    """A pyarrow RecordBatchReader over the full flat export of the matching events (no cap).

    It reads through a cursor of its own, so the caller's connection stays free.
    """
    check_document(con, flt.doc)
    sql, params = export_sql(flt, columns)
    return con.cursor().sql(sql, params=params).to_arrow_reader(batch_rows)


def export_stream(con: Any, flt: EventFilter, fmt: str, batch_rows: int = 50_000) -> Iterator[bytes]:
    """The full export as CSV or Parquet bytes, produced batch by batch as the rows are read."""
    reader = export_reader(con, flt, batch_rows)
    yield from (csv_stream(reader) if fmt == "csv" else parquet_stream(reader))


def csv_stream(reader: Any) -> Iterator[bytes]:
    """CSV (UTF-8, header first) of a RecordBatchReader, one chunk per batch."""
    import io

    import pyarrow as pa
    import pyarrow.csv as pacsv

    header = True
    for batch in reader:
        buffer = io.BytesIO()
        pacsv.write_csv(pa.Table.from_batches([batch]), buffer,
                        pacsv.WriteOptions(include_header=header, quoting_style="needed"))
        header = False
        yield buffer.getvalue()
    if header:  # no rows: the header alone
        buffer = io.BytesIO()
        pacsv.write_csv(reader.schema.empty_table(), buffer, pacsv.WriteOptions(include_header=True, quoting_style="needed"))
        yield buffer.getvalue()


class _Sink:
    """A write-only file for pyarrow that hands back what was written since the last ``take``."""

    closed = False

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.position = 0

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.chunks.append(chunk)
        self.position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def writable(self) -> bool:
        return True

    def take(self) -> bytes:
        out = b"".join(self.chunks)
        self.chunks = []
        return out


def parquet_stream(reader: Any) -> Iterator[bytes]:
    """Parquet bytes of a RecordBatchReader, written a row group per batch as the rows are read."""
    import pyarrow.parquet as pq

    sink = _Sink()
    writer = pq.ParquetWriter(sink, reader.schema)
    for batch in reader:
        writer.write_batch(batch)
        chunk = sink.take()
        if chunk:
            yield chunk
    writer.close()
    yield sink.take()
