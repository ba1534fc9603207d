"""One writer that loads analyses into the store in batches.

The stages hand over plain records (``Analysis``); the writer keeps hundreds of
documents and loads each table with one columnar insert (an Arrow table registered in
DuckDB), after deleting what the store had for re-analysed documents with one set
operation. Derived rows (merged relation changes, event clusters with their counts) are
then recomputed for the keys the batch touched only (``legation.derive``). A batch is
one transaction: a document the store cannot take is found by loading the batch's
documents one at a time, and the others are stored.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from legation import __version__
from legation.dates import interval
from legation.derive import cluster_key, refresh_event_clusters, refresh_pairs
from legation.query import update_actor_summary
from legation.records import Analysis, FailedDocument

DEFAULT_BATCH_DOCUMENTS = 256

S, I, B, F = pa.string(), pa.int32(), pa.bool_(), pa.float64()

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("id", S), ("source_id", S), ("title", S), ("url", S), ("published", pa.date32()), ("publisher", S),
        ("language", S), ("text", S), ("origin", S), ("status", S), ("reason", S), ("stage_errors", S),
        ("ingested_at", pa.timestamp("us")), ("extractor_version", S), ("model", S), ("warnings", S)]),
    "time_expressions": pa.schema([
        ("doc_id", S), ("tid", S), ("start_char", I), ("end_char", I), ("text", S), ("type", S), ("value", S), ("mod", S),
        ("anchor", S), ("resolution", S)]),
    "actors": pa.schema([
        ("doc_id", S), ("idx", I), ("start_char", I), ("end_char", I), ("text", S), ("code", S), ("sector", S), ("name", S),
        ("entity", S), ("role", S), ("kind", S), ("resolution", S), ("antecedent", I), ("members", S)]),
    "quotes": pa.schema([
        ("doc_id", S), ("idx", I), ("start_char", I), ("end_char", I), ("content", S), ("direct", B), ("partial", B),
        ("cue", S), ("speaker_entity", S), ("speaker_text", S), ("speaker_start", I), ("speaker_end", I),
        ("speaker_name", S), ("speaker_description", S), ("anonymous", B), ("anonymity_reason", S), ("speaker_code", S),
        ("speaker_sector", S), ("nested_in", I), ("kind", S), ("segments", S)]),
    "events": pa.schema([
        ("id", S), ("doc_id", S), ("type", S), ("mode", S), ("context", S), ("cameo", S), ("quad_class", I),
        ("goldstein", F), ("source_codes", pa.list_(S)), ("target_codes", pa.list_(S)), ("source", S), ("target", S),
        ("date_value", S), ("date_text", S), ("date_defaulted", B), ("location", S), ("killed", I), ("injured", I),
        ("modality", S), ("attributed_to", S), ("relation", S), ("evidence_start", I), ("evidence_end", I),
        ("evidence_text", S), ("trigger_text", S), ("confidence", F), ("source_defaulted", B), ("target_defaulted", B),
        ("cluster_key", S), ("trigger_start", I), ("trigger_end", I), ("date_start", pa.date32()),
        ("date_end", pa.date32()), ("main", B), ("role", S)]),
    "relation_reports": pa.schema([
        ("event_id", S), ("doc_id", S), ("a", S), ("b", S), ("kind", S), ("change", S), ("by_code", S), ("date_value", S),
        ("date_defaulted", B), ("published", pa.date32()), ("publisher", S), ("evidence_start", I), ("evidence_end", I),
        ("evidence_text", S), ("cluster_id", S), ("date_background", B)]),
}
# tables whose rows belong to one document, in load order
DOCUMENT_TABLES = ["time_expressions", "actors", "quotes", "events", "relation_reports"]


@dataclass
class Rows:
    """Column lists per table for a batch of documents."""

    columns: dict[str, dict[str, list[Any]]] = field(
        default_factory=lambda: {table: {name: [] for name in schema.names} for table, schema in SCHEMAS.items()})

    def add(self, table: str, values: Sequence[Any]) -> None:
        for column, value in zip(self.columns[table].values(), values):
            column.append(value)

    def arrow(self, table: str) -> pa.Table:
        return pa.table(self.columns[table], schema=SCHEMAS[table])

    def size(self, table: str) -> int:
        return len(next(iter(self.columns[table].values())))


@dataclass
class Rejected:
    """A document the store could not take, and why."""

    analysis: Analysis
    error: Exception


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _json(value: Any) -> str | None:
    return json.dumps(value) if value else None


def _fields(record: Any) -> Any:
    """A reader of a record's fields, whether it is a dict or a dataclass (no deep copy)."""
    if isinstance(record, dict):
        return record.get
    return lambda name: getattr(record, name, None)


def _segments(q: Any) -> str:
    """A quote's content pieces as JSON [[start, end], ...] (one piece, start..end, when it has none)."""
    pieces = q("segments") or [(q("start"), q("end"))]
    return json.dumps([[int(a), int(b)] for a, b in pieces])


def _none(name: str) -> None:
    return None


def relation_reports_of(analysis: Analysis) -> list[dict[str, Any]]:
    """The relation reports the relations stage kept, or derived from the events when it did not run."""
    if analysis.relation_reports is not None:
        return analysis.relation_reports
    from legation.relations.changes import reports_from_events

    return reports_from_events(analysis.events)


def add_analysis(rows: Rows, analysis: Analysis, model: str | None, now: datetime) -> None:
    """Append one document's rows (re-analysed rows replace within a batch: see ``BatchWriter``)."""
    document = analysis.document
    doc_id = document.id
    published = _date(document.published)
    rows.add("documents", [doc_id, document.source_id, document.title, document.url, published, document.publisher,
                           document.language, document.text, document.origin, "ok", None,
                           json.dumps(analysis.errors) if analysis.errors else None, now, __version__, model,
                           json.dumps(document.warnings) if document.warnings else None])
    for t in analysis.times:
        rows.add("time_expressions", [doc_id, t.id, t.start, t.end, t.text, t.type, t.value, t.mod, t.anchor, t.resolution])
    for i, actor in enumerate(analysis.actors):
        a = _fields(actor)
        rows.add("actors", [doc_id, i, a("start"), a("end"), a("text"), a("code"), a("sector"), a("name"), a("entity"),
                            a("role"), a("kind"), a("resolution"), a("antecedent"), _json(a("members"))])
    for i, quote in enumerate(analysis.quotes):
        q = _fields(quote)
        speaker = q("speaker")
        sp = _fields(speaker) if speaker is not None else _none
        actor = sp("actor") or {}
        rows.add("quotes", [doc_id, i, q("start"), q("end"), q("content"), q("direct"), q("partial"), q("cue"),
                            sp("entity"), sp("text"), sp("start"), sp("end"), sp("name"), sp("description"),
                            sp("anonymous"), sp("anonymity_reason"), actor.get("code"), actor.get("sector"), q("nested_in"),
                            q("kind"), _segments(q)])
    events: dict[str, list[Any]] = {}  # by id: a repeated id replaces, as INSERT OR REPLACE did
    for e in analysis.events:
        when = e.date or {}
        evidence = e.evidence or {}
        trigger = e.trigger or {}
        sources = [a.get("code") for a in e.source if a.get("code")]
        targets = [a.get("code") for a in e.target if a.get("code")]
        events[e.id] = [
            e.id, doc_id, e.type, e.mode, json.dumps(e.context or []), e.cameo,
            e.quad_class, e.goldstein, sources, targets, json.dumps(e.source),
            json.dumps(e.target), when.get("value"), when.get("text"), when.get("defaulted"),
            _json(e.location), e.killed, e.injured, e.modality, _json(e.attributed_to),
            e.relation, evidence.get("start"), evidence.get("end"), evidence.get("text"),
            trigger.get("text"), e.confidence, bool(e.source_defaulted),
            bool(e.target_defaulted), cluster_key(e.type, sources, targets, when.get("value")),
            trigger.get("start"), trigger.get("end"),
            *(interval(when.get("value")) or (None, None)), e.main, e.role]
    for values in events.values():
        rows.add("events", values)
    reports: dict[tuple[str, str, str], list[Any]] = {}
    for r in relation_reports_of(analysis):
        evidence = r.get("evidence") or {}
        reports[(r["event_id"], r["a"], r["b"])] = [
            r["event_id"], doc_id, r["a"], r["b"], r["kind"], r["change"], r["by"], r["date"], r["date_defaulted"],
            published, document.publisher, evidence.get("start"), evidence.get("end"), evidence.get("text"), None,
            bool(r.get("background", False))]
    for values in reports.values():
        rows.add("relation_reports", values)


def add_failure(rows: Rows, failure: FailedDocument, now: datetime) -> None:
    rows.add("documents", [failure.id, failure.source_id, None, None, None, None, None, failure.raw, failure.origin,
                           "failed", failure.reason, None, now, __version__, None, None])


def _now() -> datetime:
    from legation.store import _now as now

    return now()


class BatchWriter:
    """Accumulates analyses and failed inputs; ``flush`` loads them in one transaction.

    ``add`` flushes by itself every ``batch_documents`` documents. Documents the store
    could not take (normally none) are collected in ``rejected``: see ``take_rejected``.
    """

    def __init__(self, store: Any, model: str | None = None, batch_documents: int = DEFAULT_BATCH_DOCUMENTS):
        self.store = store
        self.con = store.con
        self.model = model
        self.batch_documents = batch_documents
        self.pending: dict[str, Analysis] = {}  # by document id: a document analysed twice keeps its last analysis
        self.failures: dict[str, FailedDocument] = {}
        self.stored = 0
        self.rejected: list[Rejected] = []

    def add(self, analysis: Analysis) -> None:
        self.pending.pop(analysis.document.id, None)
        self.pending[analysis.document.id] = analysis
        if len(self.pending) + len(self.failures) >= self.batch_documents:
            self.flush()

    def add_failure(self, failure: FailedDocument) -> None:
        self.failures.setdefault(failure.id, failure)
        if len(self.pending) + len(self.failures) >= self.batch_documents:
            self.flush()

    def take_rejected(self) -> list[Rejected]:
        rejected, self.rejected = self.rejected, []
        return rejected

    def flush(self) -> None:
        """Load what is pending; a batch the store refuses is retried one document at a time."""
        analyses, failures = list(self.pending.values()), list(self.failures.values())
        self.pending, self.failures = {}, {}
        if not analyses and not failures:
            return
        try:
            self.write(analyses, failures)
            self.stored += len(analyses)
            return
        except Exception as exc:
            if len(analyses) == 1 and not failures:
                self.rejected.append(Rejected(analyses[0], exc))
                return
            if not analyses:
                raise
        if failures:
            self.write([], failures)
        for analysis in analyses:
            try:
                self.write([analysis], [])
                self.stored += 1
            except Exception as exc:  # one document the store cannot take must not stop the batch
                self.rejected.append(Rejected(analysis, exc))

    def write(self, analyses: Sequence[Analysis], failures: Iterable[FailedDocument] = ()) -> None:
        """Load these documents in one transaction (raises, leaving the store unchanged, on error)."""
        now = _now()
        rows = Rows()
        for analysis in analyses:
            add_analysis(rows, analysis, self.model, now)
        for failure in failures:
            add_failure(rows, failure, now)
        self.write_tables({table: rows.arrow(table) for table in SCHEMAS})

    def write_tables(self, tables: dict[str, pa.Table]) -> None:
        """Load rows already in columns (``SCHEMAS``; e.g. Parquet parts written by Ray workers)
        in one transaction, with the derived rows of the keys they touch."""
        n_ok = tables["documents"].column("status").to_pylist().count("ok")
        con = self.con
        con.execute("BEGIN")
        registered: list[str] = []
        try:
            for table, arrow in tables.items():
                name = f"_batch_{table}"
                con.register(name, arrow)
                registered.append(name)
            touched_pairs, touched_keys = self._delete_replaced(n_ok)
            names = ", ".join(SCHEMAS["documents"].names)
            if n_ok:
                con.execute(f"INSERT INTO documents ({names}) SELECT {names} FROM _batch_documents WHERE status = 'ok'")
            if n_ok < tables["documents"].num_rows:  # failed inputs: kept once, never over an analysed document
                con.execute(f"INSERT INTO documents ({names}) SELECT {names} FROM _batch_documents b "
                            "WHERE b.status = 'failed' AND b.id NOT IN (SELECT id FROM documents)")
            for table in DOCUMENT_TABLES:
                if tables[table].num_rows:
                    names = ", ".join(SCHEMAS[table].names)
                    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _batch_{table}")
            if tables["actors"].num_rows:
                update_actor_summary(con, "_batch_actors", 1)
            reports = tables["relation_reports"]
            touched_pairs |= set(zip(reports.column("a").to_pylist(), reports.column("b").to_pylist(),
                                     reports.column("kind").to_pylist()))
            touched_keys |= set(tables["events"].column("cluster_key").to_pylist())
            refresh_pairs(con, touched_pairs)
            refresh_event_clusters(con, touched_keys)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        finally:
            for name in registered:
                con.unregister(name)

    def _delete_replaced(self, n_ok: int) -> tuple[set[tuple[str, str, str]], set[str]]:
        """Delete the stored rows of documents in this batch (re-analysis) with one statement per
        table; returns the relation pairs and cluster keys they had."""
        con = self.con
        if not n_ok:
            return set(), set()
        replaced = [row[0] for row in con.execute(
            "SELECT id FROM documents WHERE id IN (SELECT id FROM _batch_documents WHERE status = 'ok')").fetchall()]
        if not replaced:
            return set(), set()
        con.register("_batch_replaced", pa.table({"id": pa.array(replaced, pa.string())}))
        try:
            pairs = {tuple(row) for row in con.execute(
                "SELECT DISTINCT a, b, kind FROM relation_reports WHERE doc_id IN (SELECT id FROM _batch_replaced)").fetchall()}
            keys = {row[0] for row in con.execute(
                "SELECT DISTINCT cluster_key FROM events WHERE doc_id IN (SELECT id FROM _batch_replaced) "
                "AND cluster_key IS NOT NULL").fetchall()}
            update_actor_summary(con, "(SELECT * FROM actors WHERE doc_id IN (SELECT id FROM _batch_replaced))", -1)
            con.execute("DELETE FROM event_clusters WHERE event_id IN "
                        "(SELECT id FROM events WHERE doc_id IN (SELECT id FROM _batch_replaced))")
            for table in DOCUMENT_TABLES:
                con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT id FROM _batch_replaced)")
            con.execute("DELETE FROM documents WHERE id IN (SELECT id FROM _batch_replaced)")
        finally:
            con.unregister("_batch_replaced")
        return pairs, keys  # type: ignore[return-value]
