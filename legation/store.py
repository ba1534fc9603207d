"""The DuckDB store: one file holding documents and everything extracted from them.

The schema is versioned: ``MIGRATIONS`` are applied in order and recorded in
``schema_version``, so a store written by an older Legation is upgraded in place.
Writes for one document replace its previous rows, which makes re-ingesting idempotent.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from legation import __version__
from legation.records import Analysis, FailedDocument

DEFAULT_DB = "legation.duckdb"

MIGRATIONS: list[tuple[int, str]] = [
    (1, """
    CREATE TABLE documents (
        id VARCHAR PRIMARY KEY,          -- content hash of the text (failed inputs: hash of origin + raw)
        source_id VARCHAR,               -- the id the input gave it (JSON Lines "id")
        title VARCHAR,
        url VARCHAR,
        published DATE,
        publisher VARCHAR,
        language VARCHAR,
        text VARCHAR,
        origin VARCHAR,                  -- file path, path:line, or <stdin>
        status VARCHAR NOT NULL,         -- ok | failed
        reason VARCHAR,                  -- why it failed
        stage_errors JSON,               -- stages that failed on an ok document
        ingested_at TIMESTAMP NOT NULL,
        extractor_version VARCHAR,
        model VARCHAR
    );
    CREATE TABLE time_expressions (
        doc_id VARCHAR NOT NULL,
        tid VARCHAR NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        value VARCHAR,
        mod VARCHAR,
        anchor VARCHAR,
        resolution VARCHAR,
        PRIMARY KEY (doc_id, tid)
    );
    """),
    (2, """
    CREATE TABLE actors (
        doc_id VARCHAR NOT NULL,
        idx INTEGER NOT NULL,            -- position in the document's actor list
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        code VARCHAR,                    -- ISO3 or organisation code; NULL when unresolved
        sector VARCHAR,
        name VARCHAR,
        entity VARCHAR,
        role VARCHAR,
        kind VARCHAR,
        resolution VARCHAR,              -- how it was resolved, or why not
        antecedent INTEGER,
        members JSON,
        PRIMARY KEY (doc_id, idx)
    );
    CREATE TABLE quotes (
        doc_id VARCHAR NOT NULL,
        idx INTEGER NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        content VARCHAR NOT NULL,
        direct BOOLEAN,
        partial BOOLEAN,
        cue VARCHAR,
        speaker_entity VARCHAR,          -- groups one speaker's quotes within the document
        speaker_text VARCHAR,
        speaker_start INTEGER,
        speaker_end INTEGER,
        speaker_name VARCHAR,
        speaker_description VARCHAR,
        anonymous BOOLEAN,
        anonymity_reason VARCHAR,
        speaker_code VARCHAR,
        speaker_sector VARCHAR,
        nested_in INTEGER,
        PRIMARY KEY (doc_id, idx)
    );
    CREATE TABLE events (
        id VARCHAR PRIMARY KEY,
        doc_id VARCHAR NOT NULL,
        type VARCHAR, mode VARCHAR, context JSON, cameo VARCHAR, quad_class INTEGER, goldstein DOUBLE,
        source_codes VARCHAR[], target_codes VARCHAR[], source JSON, target JSON,
        date_value VARCHAR, date_text VARCHAR, date_defaulted BOOLEAN,
        location JSON, killed INTEGER, injured INTEGER, modality VARCHAR, attributed_to JSON,
        relation VARCHAR, evidence_start INTEGER, evidence_end INTEGER, evidence_text VARCHAR,
        trigger_text VARCHAR, confidence DOUBLE
    );
    CREATE INDEX events_doc ON events (doc_id);
    """),
    (3, """
    -- one row per report of a relation change (an event that changes a relation)
    CREATE TABLE relation_reports (
        event_id VARCHAR NOT NULL,
        doc_id VARCHAR NOT NULL,
        a VARCHAR NOT NULL,              -- pair in alphabetical order
        b VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,           -- diplomatic | sanctions | conflict
        change VARCHAR NOT NULL,         -- establish, restore, break, suspend, ...
        by_code VARCHAR,                 -- whose act it was
        date_value VARCHAR,              -- ISO value at the precision the text gives
        date_defaulted BOOLEAN,
        published DATE,
        publisher VARCHAR,
        evidence_start INTEGER,
        evidence_end INTEGER,
        evidence_text VARCHAR,
        cluster_id VARCHAR,
        PRIMARY KEY (event_id)
    );
    -- merged changes: the same change reported by many outlets is one row
    CREATE TABLE relation_changes (
        id VARCHAR PRIMARY KEY,
        a VARCHAR NOT NULL,
        b VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        change VARCHAR NOT NULL,
        by_code VARCHAR,
        date_value VARCHAR,              -- the most precise date reported
        dates JSON,                      -- every reported date with its sources, kept side by side
        earliest_report DATE,
        num_reports INTEGER,
        num_documents INTEGER,
        num_publishers INTEGER
    );
    -- clusters of reports of the same event (GDELT's NumMentions/NumSources/NumArticles, done right)
    CREATE TABLE event_clusters (
        cluster_id VARCHAR NOT NULL,
        event_id VARCHAR NOT NULL,
        PRIMARY KEY (event_id)
    );
    """),
    (4, """
    -- one report per event and pair (an event by four states is four reports), and whether an
    -- undated report was told as background ("had severed ties"): then it joins an earlier change
    CREATE TABLE relation_reports_v4 (
        event_id VARCHAR NOT NULL,
        doc_id VARCHAR NOT NULL,
        a VARCHAR NOT NULL,
        b VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        change VARCHAR NOT NULL,
        by_code VARCHAR,
        date_value VARCHAR,
        date_defaulted BOOLEAN,
        published DATE,
        publisher VARCHAR,
        evidence_start INTEGER,
        evidence_end INTEGER,
        evidence_text VARCHAR,
        cluster_id VARCHAR,
        date_background BOOLEAN DEFAULT FALSE,
        PRIMARY KEY (event_id, a, b)
    );
    INSERT INTO relation_reports_v4 SELECT *, FALSE FROM relation_reports;
    DROP TABLE relation_reports;
    ALTER TABLE relation_reports_v4 RENAME TO relation_reports;
    """),
    (5, """
    -- whether a source or target was supplied by default (the country where force happened, the
    -- place a clause names, home) rather than stated in the text
    ALTER TABLE events ADD COLUMN source_defaulted BOOLEAN DEFAULT FALSE;
    ALTER TABLE events ADD COLUMN target_defaulted BOOLEAN DEFAULT FALSE;
    """),
    (6, """
    -- events that may report one event share a cluster key: type, actors, date window (month);
    -- clusters carry their counts (NumMentions, NumSources, NumArticles), derived per key at load
    ALTER TABLE events ADD COLUMN cluster_key VARCHAR;
    ALTER TABLE event_clusters ADD COLUMN num_mentions INTEGER;
    ALTER TABLE event_clusters ADD COLUMN num_sources INTEGER;
    ALTER TABLE event_clusters ADD COLUMN num_articles INTEGER;
    """),
    (7, """
    -- what the reader or the pipeline said about a document: no date in the page's metadata,
    -- not English (nothing extracted), characters cleaned, analysed in pieces
    ALTER TABLE documents ADD COLUMN warnings JSON;
    """),
    (8, """
    -- where the trigger word is (document offsets), so evidence can show which word coded the event
    ALTER TABLE events ADD COLUMN trigger_start INTEGER;
    ALTER TABLE events ADD COLUMN trigger_end INTEGER;
    """),
    (9, """
    -- an event's date as an interval of days (legation.dates): "2023" is 2023-01-01..2023-12-31,
    -- "2023-W13" its Monday..Sunday; date filters match events whose interval overlaps their range
    ALTER TABLE events ADD COLUMN date_start DATE;
    ALTER TABLE events ADD COLUMN date_end DATE;
    CREATE INDEX quotes_doc ON quotes (doc_id);
    CREATE INDEX actors_doc ON actors (doc_id);
    CREATE INDEX relation_changes_pair ON relation_changes (a, b, kind);
    """),
    (10, """
    -- mentions and documents per resolved actor (code, sector, name, entity, kind), kept by the batch
    -- writer for the documents it loads and replaces, so the actor list never counts every mention
    CREATE TABLE actor_summary (
        key VARCHAR NOT NULL,            -- code, sector, name, entity, kind joined (legation.query.ACTOR_KEY)
        code VARCHAR, sector VARCHAR, name VARCHAR, entity VARCHAR, kind VARCHAR,
        mentions BIGINT NOT NULL,
        documents BIGINT NOT NULL
    );
    INSERT INTO actor_summary
    SELECT concat_ws(chr(31), coalesce(a.code, chr(127)), coalesce(a.sector, ''), coalesce(a.name, ''),
                     coalesce(a.entity, ''), coalesce(a.kind, '')),
           a.code, a.sector, a.name, a.entity, a.kind, count(*), count(DISTINCT a.doc_id)
    FROM actors a GROUP BY ALL;
    """),
    (11, """
    -- the event each sentence reports (one per sentence, legation.events.rank) and the trigger's
    -- syntactic role (main, complement, coordinated, adjunct, argument); NULL on rows written before
    ALTER TABLE events ADD COLUMN main BOOLEAN;
    ALTER TABLE events ADD COLUMN role VARCHAR;
    """),
    (12, """
    -- a quote's kind of attribution (direct, partial, indirect, belief, intention, evidence, stance,
    -- directive, reference: legation.quotes) and its content's pieces, [[start, end], ...], when a
    -- speech tag or narration splits it. Rows written before get the kind their direct/partial flags
    -- gave the quote filter until now (re-ingest for belief, stance ...) and one piece, start..end
    ALTER TABLE quotes ADD COLUMN kind VARCHAR;
    ALTER TABLE quotes ADD COLUMN segments JSON;
    UPDATE quotes SET
        kind = CASE WHEN coalesce(partial, FALSE) THEN 'partial' WHEN direct THEN 'direct' ELSE 'indirect' END,
        segments = json_array(json_array(start_char, end_char));
    """),
]

# steps in Python after a migration's DDL, in the same transaction (recomputing derived rows)
def _after_6(con: Any) -> None:
    from legation.derive import backfill_cluster_keys, rebuild

    backfill_cluster_keys(con)
    rebuild(con)


def _after_9(con: Any) -> None:
    from legation.dates import backfill_intervals

    backfill_intervals(con)  # intervals of rows stored before version 9, by the one Python implementation


AFTER_MIGRATION: dict[int, Any] = {6: _after_6, 9: _after_9}

SCHEMA_VERSION = MIGRATIONS[-1][0]

# tables whose rows belong to one document (column doc_id); cleared on re-analysis
DOCUMENT_TABLES: list[str] = ["time_expressions", "actors", "quotes", "events", "relation_reports"]


# tables every Legation store has (schema 1 on); a store without them is damaged or not Legation's
REQUIRED_TABLES = ("schema_version", "documents", "time_expressions")
# what DuckDB says when the file is fine but held elsewhere (not damage)
_NOT_DAMAGE = ("lock", "different configuration")
HEADER_BYTES = 3 * 4096  # DuckDB's file header and its two database headers, before the blocks
RECOVERY = ("restore the file from a backup, or move it aside and re-ingest your inputs into a new store "
            "(`legation ingest INPUTS --db NEW.duckdb`); `legation doctor --db FILE` shows what still reads")


class StoreDamaged(Exception):
    """[E046] the store file is damaged (truncated, overwritten, not a DuckDB file) or not a Legation store."""


def damage_error(path: Path, what: str) -> StoreDamaged:
    return StoreDamaged(f"[E046] the store {path} is damaged ({what}); nothing was read from or written to it. "
                        f"To recover: {RECOVERY}")


def is_damage(exc: BaseException) -> bool:
    """Whether a DuckDB error means a damaged file (not a lock held elsewhere, nor a bad query)."""
    if not isinstance(exc, duckdb.Error):
        return False
    text = str(exc).lower()
    if any(word in text for word in _NOT_DAMAGE):
        return False
    return isinstance(exc, (duckdb.IOException, duckdb.SerializationException, duckdb.InternalException,
                            duckdb.FatalException)) or "corrupt" in text or "checksum" in text


def verify_connection(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Cheap checks on an open store: whole file present (DuckDB's block count against the file size),
    the Legation tables there. Raise StoreDamaged otherwise."""
    try:
        row = con.execute("SELECT block_size, total_blocks FROM pragma_database_size() "
                          "WHERE database_name = current_database()").fetchone()
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    except duckdb.Error as exc:
        raise damage_error(path, f"its catalog cannot be read: {exc}") from None
    size = path.stat().st_size
    if row is not None and row[0] and row[1]:
        needed = HEADER_BYTES + int(row[0]) * int(row[1])
        if size < needed:
            raise damage_error(path, f"truncated: {size:,} bytes where its {row[1]} blocks need at least {needed:,}")
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing and tables:  # (an empty DuckDB file becomes a new store)
        what = "not a Legation store" if len(missing) == len(REQUIRED_TABLES) else "tables missing"
        raise damage_error(path, f"{what}: no {', '.join(missing)}")


def check_store(path: str | Path) -> None:
    """Raise StoreDamaged when the file at ``path`` is not a sound Legation store.

    A store held by another process cannot be checked from here and passes (it is checked by whoever
    holds it). Costs one read-only open: no data block is read.
    """
    path = Path(path)
    if not path.exists():
        return
    if path.stat().st_size == 0:
        raise damage_error(path, "empty file")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        if any(word in str(exc).lower() for word in _NOT_DAMAGE):
            return
        raise damage_error(path, f"DuckDB cannot open it: {exc}") from None
    try:
        verify_connection(con, path)
    finally:
        con.close()


class Store:
    """A Legation store in one DuckDB file.

    Opening checks the file first (``check_store``): a damaged store raises StoreDamaged [E046]
    before anything reads or writes it.
    """

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False):
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise FileNotFoundError(f"[E040] no store at {self.path}; create one with `legation ingest INPUT --db {self.path}`")
        if self.path.exists():
            if read_only:
                try:
                    self.con = duckdb.connect(str(self.path), read_only=True)
                except duckdb.Error as exc:
                    if not any(word in str(exc).lower() for word in _NOT_DAMAGE):
                        raise damage_error(self.path, f"DuckDB cannot open it: {exc}") from None
                    raise
                try:
                    verify_connection(self.con, self.path)
                except StoreDamaged:
                    self.con.close()
                    raise
                return
            check_store(self.path)  # before a writer touches it
        self.con = duckdb.connect(str(self.path), read_only=read_only)
        if not read_only:
            self.migrate()

    # --- schema ----------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'").fetchone()[0]
        if not exists:
            return 0
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise RuntimeError(f"[E041] store {self.path} has schema {current}, newer than this Legation ({SCHEMA_VERSION}); upgrade Legation")
        if current == 0:
            self.con.execute("CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)")
        for version, ddl in MIGRATIONS:
            if version > current:
                self.con.execute("BEGIN")
                self.con.execute(ddl)
                if version in AFTER_MIGRATION:
                    AFTER_MIGRATION[version](self.con)
                self.con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _now()])
                self.con.execute("COMMIT")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writes ------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return self.con.execute("SELECT count(*) FROM documents WHERE id = ? AND status = 'ok'", [doc_id]).fetchone()[0] > 0

    def save_analysis(self, analysis: Analysis, model: str | None = None) -> None:
        """Write a document and its extractions, replacing what the store had for it
        (a batch of one: ``legation.writer.BatchWriter`` loads many at once)."""
        from legation.writer import BatchWriter

        BatchWriter(self, model).write([analysis])

    def save_failure(self, failure: FailedDocument) -> bool:
        """Record a failed input; returns False when the same failure was already stored."""
        exists = self.con.execute("SELECT count(*) FROM documents WHERE id = ?", [failure.id]).fetchone()[0]
        if exists:
            return False
        self.con.execute(
            "INSERT INTO documents (id, source_id, text, origin, status, reason, ingested_at, extractor_version) "
            "VALUES (?, ?, ?, ?, 'failed', ?, ?, ?)",
            [failure.id, failure.source_id, failure.raw, failure.origin, failure.reason, _now(), __version__],
        )
        return True

    # --- reads -------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql, list(params))
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]

    def counts(self) -> dict[str, int]:
        out = {
            "documents_ok": self.con.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()[0],
            "documents_failed": self.con.execute("SELECT count(*) FROM documents WHERE status = 'failed'").fetchone()[0],
        }
        for table in DOCUMENT_TABLES:
            out[table] = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return out

    # the listings below go through the one query layer (legation.query), as the CLI and API do
    def documents(self, status: str | None = None, doc_id: str | None = None) -> list[dict[str, Any]]:
        from legation.query import DocumentFilter, list_documents

        return list_documents(self.con, DocumentFilter.parse(status=status, doc=doc_id))[0]

    def actors(self, doc_id: str | None = None, code: str | None = None) -> list[dict[str, Any]]:
        """Resolved actors with their mention counts (one row per code, sector, name)."""
        from legation.query import ActorFilter, list_actors

        return list_actors(self.con, ActorFilter.parse(doc=doc_id, code=code))[0]

    def quotes(self, doc_id: str | None = None, speaker: str | None = None) -> list[dict[str, Any]]:
        from legation.query import QuoteFilter, list_quotes

        return list_quotes(self.con, QuoteFilter.parse(doc=doc_id, speaker=speaker))[0]

    def times(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        from legation.query import TimesFilter, list_times

        return list_times(self.con, TimesFilter.parse(doc=doc_id))


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def ingest(store: Store, items: Iterable[Any], pipeline: Any, *, reanalyze: bool = False,
           batch_size: int = 32, progress: Any = None, write_batch: int | None = None,
           analyze: Any = None) -> dict[str, Any]:
    """Analyse and store documents; already stored documents are skipped unless ``reanalyze``.

    Analyses go to one ``BatchWriter`` (``write_batch`` documents per load). ``analyze``
    turns an iterable of Documents into Analyses in input order (default: the pipeline in
    this process; ``legation.parallel`` passes worker processes). Returns a summary:
    counts of new, unchanged and failed inputs and the failures.
    """
    from legation.writer import DEFAULT_BATCH_DOCUMENTS, BatchWriter

    summary: dict[str, Any] = {"new": 0, "unchanged": 0, "failed": 0, "stage_errors": 0, "failures": []}
    writer = BatchWriter(store, None, write_batch or DEFAULT_BATCH_DOCUMENTS)
    model_name = getattr(analyze, "model_name", None) or (lambda: pipeline.model_name)

    def reject() -> None:
        for item in writer.take_rejected():
            document = item.analysis.document
            reason = f"[E043] could not store the analysis: {type(item.error).__name__}: {item.error}"
            summary["new"] -= 1
            summary["stage_errors"] -= bool(item.analysis.errors)
            summary["failed"] += 1
            summary["failures"].append({"origin": document.origin or document.id, "reason": reason})
            writer.add_failure(FailedDocument(origin=document.origin or document.id, reason=reason,
                                              source_id=document.source_id, raw=document.text))

    documents = _new_documents(store, items, summary, writer, reanalyze, progress)
    for analysis in (analyze or pipeline.analyze_documents)(documents, batch_size=batch_size):
        if progress is not None:
            progress()
        summary["new"] += 1
        summary["stage_errors"] += bool(analysis.errors)
        if writer.model is None:
            writer.model = model_name()
        writer.add(analysis)
        reject()
    writer.flush()
    reject()
    writer.flush()  # the failures recorded for rejected documents (never rejected themselves)
    return summary


def _new_documents(store: Store, items: Iterable[Any], summary: dict[str, Any], writer: Any, reanalyze: bool,
                   progress: Any, chunk: int = 64) -> Iterable[Any]:
    """The documents to analyse, in input order: failed inputs go to the writer, documents
    already stored (one lookup per chunk of inputs) or seen before are counted as unchanged."""
    from legation.records import Document

    seen: set[str] = set()
    buffer: list[Any] = []

    def drain() -> Iterable[Document]:
        ids = [item.id for item in buffer if isinstance(item, Document)]
        stored: set[str] = set()
        if ids and not reanalyze:
            stored = {row[0] for row in store.con.execute(
                "SELECT id FROM documents WHERE status = 'ok' AND id IN (SELECT unnest(?))", [ids]).fetchall()}
        for item in buffer:
            if progress is not None and (isinstance(item, FailedDocument) or item.id in seen or item.id in stored):
                progress()  # analysed documents count when their analysis arrives
            if isinstance(item, FailedDocument):
                summary["failed"] += 1
                summary["failures"].append({"origin": item.origin, "reason": item.reason})
                writer.add_failure(item)
                continue
            if item.id in seen or item.id in stored:
                summary["unchanged"] += 1
                continue
            seen.add(item.id)
            yield item
        buffer.clear()

    for item in items:
        buffer.append(item)
        if len(buffer) >= chunk:
            yield from drain()
    yield from drain()
