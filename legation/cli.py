"""Command-line interface: thin verbs over the library and the DuckDB store."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.markup import escape

from legation import __version__
from legation.output import Format, dumps, emit

class _Commands(typer.core.TyperGroup):
    """Every command: a damaged store met while reading is a numbered error, not a traceback."""

    def invoke(self, ctx: Any) -> Any:
        import duckdb

        from legation.store import RECOVERY, StoreDamaged, is_damage

        try:
            return super().invoke(ctx)
        except StoreDamaged as exc:
            Console(stderr=True).print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
            raise typer.Exit(2) from None
        except duckdb.Error as exc:
            if not is_damage(exc):
                raise
            Console(stderr=True).print("[red]error:[/red] " + escape(f"[E046] the store is damaged ({exc}). "
                                                                     f"To recover: {RECOVERY}"), highlight=False)
            raise typer.Exit(2) from None


app = typer.Typer(help="Legation: sourced, time-stamped international event data from news.",
                  no_args_is_help=True, add_completion=False, cls=_Commands)
eval_app = typer.Typer(help="Score Legation against gold data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


def _register_plugins() -> None:
    from legation.evaluation.brat_cli import register_eval_quotes
    from legation.relations.evaluate import register_eval_relations

    register_eval_quotes(eval_app)
    register_eval_relations(eval_app)


_register_plugins()

err = Console(stderr=True)
ANALYZE_CHUNK = 64  # documents `legation analyze` holds at once

DbOption = typer.Option("legation.duckdb", "--db", help="DuckDB store file.", envvar="LEGATION_DB")
ModelOption = typer.Option(None, "--model", help="spaCy pipeline to use (default: best installed English pipeline).")
FormatOption = typer.Option(Format.table, "--format", "-f", help="Output format.")


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def _open_store(db: str, read_only: bool = False) -> Any:
    from legation.store import SCHEMA_VERSION, Store, StoreDamaged

    try:
        store = Store(db, read_only=read_only)
        if read_only and store.schema_version() < SCHEMA_VERSION:  # an older store: upgrade it once
            store.close()
            Store(db).close()
            store = Store(db, read_only=True)
        return store
    except (FileNotFoundError, StoreDamaged) as exc:
        _fail(str(exc))
    except Exception as exc:  # duckdb errors: locked by another process
        hint = " (if `legation serve` holds it, send documents to the server instead: " \
               "`legation ingest INPUTS --server http://HOST:PORT`)" if not read_only else ""
        _fail(f"[E042] cannot open store {db}: {exc}{hint}")


# filter fields as the command line names them, for error messages
OPTION_NAMES = {"date_from": "--from", "date_to": "--to", "quad_class": "--quad-class", "type": "--type",
                "stated_only": "--stated-only", "main_only": "--main-only", "a": "A", "b": "B", "as_of": "--as-of"}


def _query(parse: Any, **values: Any) -> Any:
    """A filter model from command-line options; exit 2 with the numbered error and allowed values."""
    from legation.query import QueryError

    try:
        return parse(**values)
    except QueryError as exc:
        name = OPTION_NAMES.get(exc.field, "--" + exc.field.replace("_", "-"))
        _fail(exc.describe({exc.field: name}))


def _read(store: Any, run: Any) -> Any:
    """Run a query; exit 2 on a numbered query error (a document that does not exist, ...)."""
    from legation.query import NotFoundError, QueryError

    try:
        return run()
    except (QueryError, NotFoundError) as exc:
        store.close()
        name = OPTION_NAMES.get(exc.field, "--" + exc.field.replace("_", "-"))
        _fail(exc.describe({exc.field: name}))


def _pipeline(model: str | None) -> Any:
    from legation.model import ModelNotFound
    from legation.pipeline import Pipeline

    try:
        return Pipeline(model=model)
    except ModelNotFound as exc:
        _fail(str(exc))


def _check_published(published: str | None) -> str | None:
    from legation.ingest import normalize_published

    try:
        return normalize_published(published)
    except ValueError as exc:
        _fail(f"--published: {exc}")
    return None


@app.command()
def ingest(
    inputs: list[str] = typer.Argument(..., help="Files (.txt, .html, .jsonl), folders (recursive) or - for stdin."),
    db: str = DbOption,
    published: Optional[str] = typer.Option(None, help="Publication date (YYYY-MM-DD) for inputs that carry none."),
    publisher: Optional[str] = typer.Option(None, help="Publisher for inputs that carry none."),
    model: Optional[str] = ModelOption,
    strict: bool = typer.Option(False, help="Exit with status 1 if any input failed."),
    reanalyze: bool = typer.Option(False, help="Analyse documents again even if already stored."),
    batch_size: int = typer.Option(32, min=1, help="Documents per spaCy batch."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                          help="Worker processes for the analysis (default: the machine's cores)."),
    server: Optional[str] = typer.Option(None, "--server", help="Send the documents to a running `legation serve` "
                                         "(URL) that stores them, instead of opening --db; needs LEGATION_API_TOKEN."),
    ray_address: Optional[str] = typer.Option(
        None, "--ray", metavar="ADDRESS",
        help="Analyse on a Ray cluster: 'local' starts one here, 'auto' joins the running one, or ray://HOST:10001. "
             "Needs legation[ray]; --workers sets the number of actors."),
    parts: Optional[Path] = typer.Option(None, "--parts", help="With --ray: keep the Parquet parts in this folder."),
) -> None:
    """Analyse documents and store them; the same document twice changes nothing."""
    if server:
        _ingest_via_server(inputs, server, published, publisher, strict, quiet)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from legation.ingest import count_inputs, iter_inputs
    from legation.parallel import ProcessAnalyzer
    from legation.store import ingest as ingest_items

    published = _check_published(published)
    store = _open_store(db)
    pipeline = _pipeline(model)
    items = iter_inputs(inputs, published=published, publisher=publisher)
    show = not quiet and err.is_terminal
    started = time.perf_counter()
    with Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not show) as progress:
        task = progress.add_task("ingest", total=count_inputs(inputs) if show else None)
        if ray_address:
            from legation.distributed import RayNotInstalled, ingest_ray

            try:
                summary = ingest_ray(store, items, pipeline, address=None if ray_address == "local" else ray_address,
                                     actors=workers or os.cpu_count() or 1, reanalyze=reanalyze, parts=parts,
                                     progress=lambda: progress.advance(task))
            except RayNotInstalled as exc:
                _fail(str(exc))
        else:
            summary = ingest_items(store, items, pipeline, reanalyze=reanalyze, batch_size=batch_size,
                                   progress=lambda: progress.advance(task), analyze=ProcessAnalyzer(pipeline, workers))
    elapsed = time.perf_counter() - started
    for failure in summary["failures"]:
        err.print(f"[yellow]failed[/yellow] {escape(failure['origin'] + ': ' + failure['reason'])}", highlight=False)
    counts = store.counts()
    store.close()
    typer.echo(f"ingested {summary['new']} new, {summary['unchanged']} unchanged, {summary['failed']} failed "
               f"in {elapsed:.1f}s -> {db} ({counts['documents_ok']} documents, {counts['time_expressions']} time expressions)")
    if summary["stage_errors"]:
        err.print(f"[yellow]{summary['stage_errors']} document(s) had a stage error; see `legation documents --db {db}`[/yellow]")
    if strict and summary["failed"]:
        raise typer.Exit(1)


def _ingest_via_server(inputs: list[str], server: str, published: str | None, publisher: str | None,
                       strict: bool, quiet: bool) -> None:
    import os

    from legation.client import ServerError, send
    from legation.ingest import iter_inputs

    published = _check_published(published)
    token = os.environ.get("LEGATION_API_TOKEN")
    if not token:
        _fail("--server needs the server's write token in LEGATION_API_TOKEN")
    started = time.perf_counter()
    try:
        summary = send(iter_inputs(inputs, published=published, publisher=publisher), server, token)
    except ServerError as exc:
        _fail(str(exc))
    elapsed = time.perf_counter() - started
    for failure in summary.failures:
        err.print(f"[yellow]failed[/yellow] {escape(failure['origin'] + ': ' + failure['reason'])}", highlight=False)
    typer.echo(f"ingested {summary.new} new, {summary.unchanged} unchanged, {summary.failed} failed "
               f"in {elapsed:.1f}s -> {server}")
    if strict and summary.failed:
        raise typer.Exit(1)


@app.command()
def analyze(
    inputs: list[str] = typer.Argument(..., help="Files (.txt, .html, .jsonl), folders or - for stdin."),
    published: Optional[str] = typer.Option(None, help="Publication date (YYYY-MM-DD) for inputs that carry none."),
    publisher: Optional[str] = typer.Option(None, help="Publisher for inputs that carry none."),
    output_format: str = typer.Option("jsonl", "--format", "-f", help="jsonl (one object per document) or json."),
    model: Optional[str] = ModelOption,
    strict: bool = typer.Option(False, help="Exit with status 1 if any input failed."),
) -> None:
    """Analyse without storing; print one JSON object per document, in input order."""
    from itertools import islice

    from legation.ingest import iter_inputs
    from legation.records import Document, FailedDocument

    if output_format not in ("jsonl", "json"):
        _fail("--format must be jsonl or json")
    published = _check_published(published)
    pipeline = _pipeline(model)
    failed = 0
    collected = []
    items = iter_inputs(inputs, published=published, publisher=publisher)
    while chunk := list(islice(items, ANALYZE_CHUNK)):  # streamed: memory bounded by the chunk
        analyses = iter(pipeline.analyze_documents([item for item in chunk if isinstance(item, Document)]))
        for item in chunk:
            if isinstance(item, FailedDocument):
                failed += 1
                err.print(f"[yellow]failed[/yellow] {escape(f'{item.origin}: {item.reason}')}", highlight=False)
                record = {"document": {"id": None, "source_id": item.source_id, "origin": item.origin},
                          "error": item.reason, "times": [], "actors": [], "quotes": [], "events": [],
                          "relation_changes": []}
            else:
                record = next(analyses).to_dict()
            if output_format == "jsonl":
                typer.echo(dumps(record))
            else:
                collected.append(record)
    if output_format == "json":
        typer.echo(dumps(collected, indent=2))
    if strict and failed:
        raise typer.Exit(1)


@app.command()
def times(
    doc: Optional[str] = typer.Option(None, "--doc", help="Document id (or prefix, or source id)."),
    db: str = DbOption,
    output_format: Format = FormatOption,
) -> None:
    """List stored time expressions."""
    from legation.query import TimesFilter, list_times

    flt = _query(TimesFilter.parse, doc=doc)
    store = _open_store(db, read_only=True)
    rows = _read(store, lambda: list_times(store.con, flt))
    store.close()
    emit(rows, output_format, title="time expressions",
         columns=["doc_id", "source_id", "tid", "start", "end", "text", "type", "value", "mod", "anchor", "resolution"])


@app.command()
def actors(
    doc: Optional[str] = typer.Option(None, "--doc", help="Document id (or prefix, or source id)."),
    code: Optional[str] = typer.Option(None, "--code", help="Only this actor: a code (MMR) or a name (Myanmar)."),
    name: Optional[str] = typer.Option(None, "--name", help="Name or mention text contains TEXT."),
    kind: Optional[str] = typer.Option(None, "--kind", help="country, organisation, person, group, people or location."),
    db: str = DbOption,
    output_format: Format = FormatOption,
) -> None:
    """List resolved actors with their mention and document counts."""
    from legation.query import ActorFilter, list_actors

    flt = _query(ActorFilter.parse, doc=doc, code=code, name=name, kind=kind)
    store = _open_store(db, read_only=True)
    rows = _read(store, lambda: list_actors(store.con, flt)[0])
    store.close()
    emit(rows, output_format, title="actors")


@app.command()
def quotes(
    doc: Optional[str] = typer.Option(None, "--doc", help="Document id (or prefix, or source id)."),
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Speaker name or description contains TEXT."),
    actor: Optional[str] = typer.Option(None, "--actor", help="Speaker's actor: a code (MMR) or a name (Myanmar)."),
    text: Optional[str] = typer.Option(None, "--text", help="Quote contains TEXT."),
    kind: Optional[str] = typer.Option(None, "--kind", help="direct, partial, indirect, belief, intention, evidence, "
                                                            "stance, directive or reference."),
    anonymous: Optional[bool] = typer.Option(None, "--anonymous/--named", help="Only anonymous or only named speakers."),
    db: str = DbOption,
    output_format: Format = FormatOption,
) -> None:
    """List quotes with their speakers."""
    from legation.query import QuoteFilter, list_quotes

    flt = _query(QuoteFilter.parse, doc=doc, speaker=speaker, actor=actor, text=text, kind=kind, anonymous=anonymous)
    store = _open_store(db, read_only=True)
    rows = _read(store, lambda: list_quotes(store.con, flt)[0])
    store.close()
    columns = ["doc_id", "source_id", "idx", "start", "end", "kind", "cue", "speaker_entity", "speaker", "anonymous",
               "anonymity_reason", "speaker_code", "content"]
    emit(rows, output_format, title="quotes", columns=columns if output_format == Format.table else None)


def _event_filter(actor, source, target, pair, event_type, quad_class, modality, date_from, date_to, doc, text,
                  stated_only=False, sort=None, main_only=False):
    from legation.query import EventFilter

    return _query(EventFilter.parse, actor=actor, source=source, target=target, pair=pair, type=event_type,
                  quad_class=quad_class, modality=modality, date_from=date_from, date_to=date_to, doc=doc, text=text,
                  stated_only=stated_only, sort=sort, main_only=main_only)


ActorFilter = typer.Option(None, "--actor", help="Actor as source or target: a code (MMR) or a name (Myanmar).")
SourceFilter = typer.Option(None, "--source", help="Source actor: code or name.")
TargetFilter = typer.Option(None, "--target", help="Target actor: code or name.")
PairFilter = typer.Option(None, "--pair", help="Two actors, either direction: MMR,PRK or 'Myanmar,North Korea'.")
TypeFilter = typer.Option(None, "--type", help="PLOVER event type (SANCTION, ASSAULT ...).")
QuadFilter = typer.Option(None, "--quad-class", help="1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict.")
ModalityFilter = typer.Option(None, "--modality", help="asserted, hedged, hypothetical, future, negated.")
FromFilter = typer.Option(None, "--from", help="Events whose date overlaps from this date on: 2018, 2023-09, 2023-09-14, "
                                               "2023-W13, 198X.")
ToFilter = typer.Option(None, "--to", help="Events whose date overlaps up to this date (same forms).")
DocFilter = typer.Option(None, "--doc", help="Document id (or prefix, or source id).")
TextFilter = typer.Option(None, "--text", help="Evidence text contains TEXT.")
StatedFilter = typer.Option(False, "--stated-only",
                            help="Only events whose source and target the text states (no defaulted argument).")
MainFilter = typer.Option(False, "--main-only", help="Only the event each sentence reports (its main event).")


@app.command()
def events(
    actor: Optional[str] = ActorFilter, source: Optional[str] = SourceFilter, target: Optional[str] = TargetFilter,
    pair: Optional[str] = PairFilter, event_type: Optional[str] = TypeFilter, quad_class: Optional[str] = QuadFilter,
    modality: Optional[str] = ModalityFilter, date_from: Optional[str] = FromFilter, date_to: Optional[str] = ToFilter,
    doc: Optional[str] = DocFilter, text: Optional[str] = TextFilter, stated_only: bool = StatedFilter,
    main_only: bool = MainFilter,
    sort: Optional[str] = typer.Option(None, "--sort", help="Sort by date (default), type, cameo, quad_class, goldstein, "
                                                            "modality, source, target, confidence, killed, doc or id; "
                                                            "-column for descending."),
    db: str = DbOption,
    output_format: str = typer.Option("table", "--format", "-f", help="table, json, jsonl, csv or parquet."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (required for parquet)."),
    limit: Optional[int] = typer.Option(None, min=1, help="At most this many events."),
) -> None:
    """List coded events with filters; csv and parquet write every matching event (the export's columns)."""
    from legation.export import EVENT_COLUMNS, list_events
    from legation.query import write_export

    flt = _event_filter(actor, source, target, pair, event_type, quad_class, modality, date_from, date_to, doc, text,
                        stated_only, sort, main_only)
    if output_format not in {f.value for f in Format} | {"parquet"}:
        _fail("--format must be table, json, jsonl, csv or parquet")
    store = _open_store(db, read_only=True)
    if output_format == "parquet" or (output is not None and output_format == "csv"):
        if output is None:
            _fail("--format parquet needs --output FILE")
        count = _read(store, lambda: write_export(store.con, flt, output_format, str(output)))
        store.close()
        typer.echo(f"wrote {count} events to {output}")
        return
    if output_format == "csv":
        _stream_csv(store, flt)
        return
    rows = _read(store, lambda: list_events(store, flt, limit))
    store.close()
    columns = None if output_format != "table" else ["date", "type", "cameo", "source", "target", "modality", "relation", "trigger", "evidence_text"]
    emit(rows, output_format, title="events", columns=columns)


def _stream_csv(store: Any, flt: Any) -> None:
    """Every matching event as CSV on standard output, written as it is read."""
    from legation.query import check_document, export_stream

    _read(store, lambda: check_document(store.con, flt.doc))
    out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    for chunk in export_stream(store.con, flt, "csv"):
        if out is not None:
            out.write(chunk)
        else:
            sys.stdout.write(chunk.decode("utf-8"))
    if out is not None:
        out.flush()
    store.close()


@app.command()
def export(
    export_format: str = typer.Option("plover", "--format", "-f", help="plover (JSON Lines) or gdelt (table)."),
    table_format: str = typer.Option("csv", "--as", help="For gdelt: csv or parquet."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: standard output; parquet needs a file)."),
    actor: Optional[str] = ActorFilter, source: Optional[str] = SourceFilter, target: Optional[str] = TargetFilter,
    pair: Optional[str] = PairFilter, event_type: Optional[str] = TypeFilter, quad_class: Optional[str] = QuadFilter,
    modality: Optional[str] = ModalityFilter, date_from: Optional[str] = FromFilter, date_to: Optional[str] = ToFilter,
    doc: Optional[str] = DocFilter, text: Optional[str] = TextFilter, stated_only: bool = StatedFilter,
    db: str = DbOption,
) -> None:
    """Export events as PLOVER JSON Lines or GDELT 2.0-style CSV/Parquet, with evidence columns."""
    from legation.export import plover_records
    from legation.query import write_export

    if export_format not in ("plover", "gdelt"):
        _fail("--format must be plover or gdelt")
    if export_format == "gdelt" and table_format not in ("csv", "parquet"):
        _fail("--as must be csv or parquet")
    flt = _event_filter(actor, source, target, pair, event_type, quad_class, modality, date_from, date_to, doc, text,
                        stated_only)
    store = _open_store(db, read_only=True)
    if export_format == "plover":
        records = _read(store, lambda: plover_records(store, flt))
        store.close()
        handle = output.open("w", encoding="utf-8") if output else sys.stdout
        for record in records:
            handle.write(dumps(record) + "\n")
        if output:
            handle.close()
            typer.echo(f"wrote {len(records)} events to {output}", err=True)
        return
    if output is not None:
        count = _read(store, lambda: write_export(store.con, flt, table_format, str(output)))
        store.close()
        typer.echo(f"wrote {count} events to {output}", err=True)
        return
    if table_format == "parquet":
        _fail("parquet needs --output FILE")
    _stream_csv(store, flt)


@app.command()
def timeline(
    a: str = typer.Argument(..., help="First actor code (e.g. MMR)."),
    b: str = typer.Argument(..., help="Second actor code (e.g. PRK)."),
    kind: str = typer.Option("diplomatic", help="Relation kind: diplomatic or sanctions."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="State on this date (2007, 2007-04, 2007-04-26, 2007-W17)."),
    db: str = DbOption,
    output_format: str = typer.Option("table", "--format", "-f", help="table or json."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Write a chart to FILE.png or FILE.svg."),
) -> None:
    """The timeline of relations between two actors: changes, their sources, and states."""
    from legation.query import TimelineQuery
    from legation.query import timeline as get_timeline
    from legation.relations.timeline import plot_timeline

    if output_format not in ("table", "json"):
        _fail("--format must be table or json")
    query = _query(TimelineQuery.parse, a=a, b=b, kind=kind, as_of=as_of)
    store = _open_store(db, read_only=True)
    result = get_timeline(store, query)
    store.close()
    kind = query.kind
    if plot is not None:
        if plot.suffix.lower() not in (".png", ".svg"):
            _fail("--plot needs a .png or .svg file")
        plot_timeline(result, str(plot))
        err.print(f"chart written to {plot}")
    if output_format == "json":
        typer.echo(dumps(result, indent=2))
        return
    rows = [{"date": c["date"], "change": c["change"], "by": c["by"], "documents": c["num_documents"],
             "publishers": c["num_publishers"], "earliest report": c["earliest_report"],
             "dates reported": ", ".join(c["dates_reported"])} for c in result["changes"]]
    emit(rows, Format.table, title=f"{result['pair'][0]}-{result['pair'][1]} {kind}",
         columns=["date", "change", "by", "documents", "publishers", "earliest report", "dates reported"])
    label = f"as of {as_of}" if as_of else "now"
    typer.echo(f"state {label}: {result['state_as_of']}")


@app.command()
def relations(
    actor: Optional[str] = typer.Option(None, "--actor", help="Only pairs with this actor: a code (MMR) or a name."),
    kind: Optional[str] = typer.Option(None, help="diplomatic or sanctions."),
    db: str = DbOption,
    output_format: Format = FormatOption,
) -> None:
    """Pairs of actors with relation changes, the most recent first."""
    from legation.query import RelationFilter, list_relations

    flt = _query(RelationFilter.parse, actor=actor, kind=kind)
    store = _open_store(db, read_only=True)
    rows = list_relations(store.con, flt)
    store.close()
    emit(rows, output_format, title="relations")


@app.command()
def documents(
    db: str = DbOption,
    status: Optional[str] = typer.Option(None, help="ok or failed."),
    doc: Optional[str] = DocFilter,
    output_format: Format = FormatOption,
) -> None:
    """List stored documents (failed inputs with their reasons)."""
    from legation.query import DocumentFilter, list_documents

    flt = _query(DocumentFilter.parse, status=status, doc=doc)
    store = _open_store(db, read_only=True)
    rows = _read(store, lambda: list_documents(store.con, flt)[0])
    store.close()
    emit(rows, output_format, title="documents")


@app.command()
def serve(
    db: str = DbOption,
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
) -> None:
    """Serve the HTTP API (/api, OpenAPI at /api/docs) and the web page; writes need LEGATION_API_TOKEN."""
    import os

    try:
        import uvicorn

        from legation.api import create_app
    except ImportError as exc:
        _fail(f"the web server needs fastapi and uvicorn ({exc}); reinstall legation")
    from legation.store import StoreDamaged

    try:
        application = create_app(db, analysis_process=True)
    except (FileNotFoundError, StoreDamaged) as exc:
        _fail(str(exc))
    except Exception as exc:  # duckdb errors: locked, corrupt, not a database
        _fail(f"[E042] cannot open store {db}: {exc}")
    writes = "enabled (Bearer token)" if os.environ.get("LEGATION_API_TOKEN") else "disabled (set LEGATION_API_TOKEN)"
    err.print(f"serving {db} on http://{host}:{port}/ (API: /api, docs: /api/docs; writes {writes})")
    # SIGTERM stops it: requests in flight get a few seconds, nothing waits longer than that
    uvicorn.run(application, host=host, port=port, log_level="info", timeout_graceful_shutdown=5)


@app.command()
def doctor(db: str = DbOption, model: Optional[str] = ModelOption) -> None:
    """Report the spaCy model, library versions, and the store path and counts."""
    import platform

    import duckdb
    import spacy

    from legation.model import available_models, default_model_name
    from legation.registry import registered_stages

    lines = [f"legation {__version__}", f"python {platform.python_version()}", f"spacy {spacy.__version__}",
             f"duckdb {duckdb.__version__}"]
    ok = True
    installed = available_models()
    lines.append(f"installed English pipelines: {', '.join(installed) or 'none'}")
    try:
        name = model or default_model_name()
        from legation.model import load_model

        nlp = load_model(name)
        lines.append(f"model: {name} ({nlp.meta.get('name')} {nlp.meta.get('version')}; components: {', '.join(nlp.pipe_names)})")
    except Exception as exc:
        ok = False
        lines.append(f"model: PROBLEM: {exc}")
    lines.append("stages: " + ", ".join(s.name for s in registered_stages()))
    path = Path(db)
    if path.exists():
        store_ok, store_lines = _doctor_store(path)
        ok = ok and store_ok
        lines += store_lines
    else:
        lines.append(f"store: {path.resolve()} (not created yet)")
    typer.echo("\n".join(lines))
    if not ok:
        raise typer.Exit(1)


def _doctor_store(path: Path) -> tuple[bool, list[str]]:
    """The store's counts after reading every row of every table; damage with how to recover."""
    import duckdb

    from legation.store import RECOVERY, Store, StoreDamaged

    try:
        store = Store(path, read_only=True)
    except StoreDamaged as exc:
        return False, [f"store: {path.resolve()}: DAMAGED", f"  {exc}"]
    except Exception as exc:  # noqa: BLE001 - held by another process
        return False, [f"store: {path.resolve()}: cannot open it now: {exc}"]
    lines = [f"store: {path.resolve()} (schema {store.schema_version()})"]
    problems = []
    try:
        lines += [f"  {k}: {v}" for k, v in store.counts().items()]
        tables = [r[0] for r in store.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name").fetchall()]
        for table in tables:  # read every column of every row: damage anywhere shows here
            try:
                store.con.execute(f'SELECT count(*), max(length(CAST(COLUMNS(*) AS VARCHAR))) FROM "{table}"').fetchone()
            except duckdb.Error as exc:
                problems.append(f"  {table}: DAMAGED: {exc}")
    finally:
        store.close()
    if problems:
        return False, lines + problems + [f"[E046] the store is damaged. To recover: {RECOVERY}"]
    return True, lines + [f"  every row of its {len(tables)} tables reads"]


@app.command()
def demo(db: str = DbOption, model: Optional[str] = ModelOption) -> None:
    """Analyse the bundled sample articles into the store and show a summary."""
    from legation.ingest import iter_inputs, sample_articles_path
    from legation.store import ingest as ingest_items

    store = _open_store(db)
    pipeline = _pipeline(model)
    summary = ingest_items(store, iter_inputs([str(sample_articles_path())]), pipeline)
    typer.echo(f"sample articles: {summary['new']} new, {summary['unchanged']} unchanged, {summary['failed']} failed -> {db}")
    rows = store.query(
        "SELECT d.published, d.publisher, d.title, "
        "(SELECT count(*) FROM time_expressions t WHERE t.doc_id = d.id) AS times, "
        "(SELECT count(*) FROM actors a WHERE a.doc_id = d.id AND a.code IS NOT NULL) AS actors, "
        "(SELECT count(*) FROM quotes q WHERE q.doc_id = d.id) AS quotes, "
        "(SELECT count(*) FROM events e WHERE e.doc_id = d.id) AS events "
        "FROM documents d WHERE d.status = 'ok' ORDER BY d.published")
    emit(rows, Format.table, title="documents")
    emit(store.query("SELECT type, count(*) AS events, count(DISTINCT doc_id) AS documents FROM events "
                     "GROUP BY type ORDER BY events DESC"), Format.table, title="events by PLOVER type")
    from legation.relations.timeline import list_relations

    emit(list_relations(store)[:12], Format.table, title="relation changes, merged across articles (legation timeline A B)")
    store.close()


@eval_app.command("timeml")
def eval_timeml(
    paths: list[str] = typer.Argument(..., help="TimeML .tml files or folders."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    errors: bool = typer.Option(False, "--errors", help="List every error."),
    by_category: bool = typer.Option(False, "--breakdown", help="Count errors by category (financial, weekday, ...) and kind, with examples."),
    half: Optional[int] = typer.Option(None, "--half", min=1, max=2,
                                       help="Score only half 1 or 2 of the files (interleaved in name order)."),
) -> None:
    """TempEval-3 Task A scores of Legation's time tagger on TimeML files."""
    from legation.evaluation.timeml import (
        breakdown, evaluate, find_tml_files, format_breakdown, format_report, split_half)
    from legation.timex import tag_times

    files = find_tml_files(paths)
    if not files:
        _fail(f"no .tml files in {', '.join(paths)}")
    if half is not None:
        files = split_half(files, half)
    started = time.perf_counter()
    scores = evaluate(files, tag_times)
    elapsed = time.perf_counter() - started
    if as_json:
        data = scores.to_dict()
        if not errors:
            data.pop("errors", None)
        if by_category:
            data["breakdown"] = breakdown(scores).to_dict()
        data["seconds"] = round(elapsed, 3)
        typer.echo(dumps(data, indent=2))
        return
    typer.echo(format_report(scores))
    if by_category:
        typer.echo(format_breakdown(breakdown(scores)))
    if errors:
        for error in scores.to_dict()["errors"]:
            typer.echo(dumps(error))


@eval_app.command("seed")
def eval_seed(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="Seed gold file (*.gold.json)."),
    text: Optional[Path] = typer.Option(None, help="Article text (default: the file named in the gold, beside it)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    model: Optional[str] = ModelOption,
) -> None:
    """Score Legation's analysis of the seed article against its gold file, per part."""
    from legation.evaluation.seed import format_seed_report, score_seed
    from legation.records import Document

    gold_data = json.loads(gold.read_text(encoding="utf-8"))
    meta = gold_data.get("document", {})
    text_path = text or gold.parent / meta.get("file", gold.name.replace(".gold.json", ".txt"))
    if not text_path.exists():
        _fail(f"article text not found at {text_path}; pass --text")
    document = Document(text=text_path.read_text(encoding="utf-8"), published=meta.get("published"),
                        publisher=meta.get("publisher"))
    analysis = _pipeline(model).analyze(document).to_dict()
    result = score_seed(analysis, gold_data)
    if as_json:
        typer.echo(dumps(result, indent=2))
    else:
        typer.echo(format_seed_report(result))


@eval_app.command("plover")
def eval_plover(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="PLOVER gold records (JSON list)."),
    actors_only: bool = typer.Option(False, "--actors-only", help="Score only actor resolution on the gold actor spans."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    errors: bool = typer.Option(False, "--errors", help="List every error."),
    corpus: Path = typer.Option(Path("../shared/eval"), "--corpus",
                                help="For a sentence gold (offsets only): the folder of the eval corpora."),
    part: Optional[str] = typer.Option(None, "--part", help="For a sentence gold: score only its check or study half."),
    model: Optional[str] = ModelOption,
) -> None:
    """Score Legation on PLOVER gold records: event types and actors, or actor resolution alone.

    GOLD is a JSON list of GSR records, or a sentence gold ({"sentences": [...]}) that points into
    the eval corpora by offsets (see legation.evaluation.sentences)."""
    from legation.evaluation.plover import (format_actor_report, format_event_report, load_records, score_actors,
                                            score_events)
    from legation.evaluation.sentences import is_sentence_gold, load_sentence_records
    from legation.pipeline import Pipeline
    from legation.records import Document

    try:
        with open(gold, encoding="utf-8") as handle:
            data = json.load(handle)
        records = load_sentence_records(data, corpus, part) if is_sentence_gold(data) else load_records(gold)
    except (ValueError, json.JSONDecodeError) as exc:
        _fail(f"{gold}: {exc}")
    stages = ["times", "actors"] if actors_only else ["times", "actors", "quotes", "events"]
    pipeline = Pipeline(stages=stages, nlp=_pipeline(model).nlp)
    documents = [Document(text=r.get("text") or "", source_id=r.get("id")) for r in records]
    started = time.perf_counter()
    analyses = [a.to_dict() for a in pipeline.analyze_documents(documents)]
    result = score_actors(records, analyses) if actors_only else score_events(records, analyses)
    result["seconds"] = round(time.perf_counter() - started, 2)
    if not errors:
        result.pop("errors")
    if as_json:
        typer.echo(dumps(result, indent=2))
        return
    typer.echo(format_actor_report(result) if actors_only else format_event_report(result))
    for error in result.get("errors", []):
        typer.echo(dumps(error))


@eval_app.command("articles")
def eval_articles(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="Article event gold ({\"articles\": [...]})."),
    corpus: Path = typer.Option(Path("../shared/eval/polnear"), "--corpus", help="PolNeAR folder with {split}/text/ and metadata.tsv."),
    split: Optional[str] = typer.Option(None, "--split", help="Score only the articles of this split (dev, train)."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Keep spaCy parses in this folder and reuse them."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    errors: bool = typer.Option(False, "--errors", help="List every false and missed event."),
    model: Optional[str] = ModelOption,
) -> None:
    """Score Legation's events on whole articles whose every event was hand-coded: P/R/F1 of type,
    of type+source+target, and of asserted events, with the commonest false triggers."""
    from legation.evaluation.articles import (GoldFormatError, analyse, article_documents, filter_split, format_report,
                                              load_gold, score_articles)

    try:
        articles = filter_split(load_gold(gold), split)
        documents = article_documents(articles, corpus)
    except GoldFormatError as exc:
        _fail(str(exc))
    if not articles:
        _fail(f"[E061] no articles{' of split ' + split if split else ''} in {gold}")
    started = time.perf_counter()
    analyses = analyse(documents, _pipeline(model), cache)
    listed: list[dict[str, Any]] | None = [] if errors else None
    results = score_articles(articles, analyses, listed)
    if as_json:
        data: dict[str, Any] = {name: s.to_dict() for name, s in results.items()}
        data["seconds"] = round(time.perf_counter() - started, 2)
        if listed is not None:
            data["errors"] = listed
        typer.echo(dumps(data, indent=2))
        return
    typer.echo(format_report(results))
    for error in listed or []:
        typer.echo(dumps(error))


@eval_app.command("no-events")
def eval_no_events(
    records_file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Sentences that report no event (JSON list)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    errors: bool = typer.Option(False, "--errors", help="List every false event."),
    model: Optional[str] = ModelOption,
) -> None:
    """Count false events on sentences that report none (background, statistics, rules, questions)."""
    from legation.evaluation.plover import format_no_event_report, load_records, score_no_events
    from legation.pipeline import Pipeline
    from legation.records import Document

    try:
        records = load_records(records_file)
    except (ValueError, json.JSONDecodeError) as exc:
        _fail(f"{records_file}: {exc}")
    pipeline = Pipeline(stages=["times", "actors", "quotes", "events"], nlp=_pipeline(model).nlp)
    analyses = [a.to_dict() for a in pipeline.analyze_documents(
        [Document(text=r.get("text") or "", source_id=r.get("id")) for r in records])]
    result = score_no_events(records, analyses)
    if not errors:
        result.pop("errors")
    if as_json:
        typer.echo(dumps(result, indent=2))
        return
    typer.echo(format_no_event_report(result))
    for error in result.get("errors", []):
        typer.echo(dumps(error))


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
